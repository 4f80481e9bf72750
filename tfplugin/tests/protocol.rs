//! The protocol server end to end, without any metal3 code: the example provider
//! (`examples/hello_provider.rs`, built by `cargo test` and `cargo build --all-targets`) is
//! started the way Terraform starts a provider and driven over its socket.

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{
    client_identity, connect, provider_client, provider_schema, shut_down, start, wait_exit,
    Client, Plugin,
};
use tfplugin::codec::{msgpack, Type, Value};
use tfplugin::proto::tfplugin6 as pb;

/// `target/<profile>/examples/hello_provider`, beside this test's `deps/` directory.
fn hello() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let bin = profile_dir.join("examples").join("hello_provider");
    assert!(
        bin.is_file(),
        "{} is missing: `cargo build -p tfplugin --example hello_provider` builds it",
        bin.display()
    );
    bin
}

fn greeting_type() -> Type {
    Type::object([
        ("name", Type::String),
        ("language", Type::String),
        ("text", Type::String),
    ])
}

fn dynamic(v: &Value) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: msgpack::encode(v, &greeting_type()).unwrap(),
        json: Vec::new(),
    }
}

fn greeting(name: &str) -> Value {
    let mut v = Value::object_of_nulls(&greeting_type());
    v.set_attr("name", name);
    v
}

async fn assert_schema(client: &mut Client) {
    let resp = provider_schema(client).await;
    let block = resp.resource_schemas["hello_greeting"]
        .block
        .clone()
        .unwrap();
    let names: Vec<_> = block.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["name", "language", "text"]);
}

#[tokio::test]
async fn mtls_session_like_terraform() {
    let id = client_identity();
    let plugin = start(&hello(), Some(&id.cert_pem));
    assert!(plugin.server_cert.is_some());
    let channel = connect(&plugin, Some(&id)).await.unwrap();
    let mut client = provider_client(channel.clone());
    assert_schema(&mut client).await;

    // Plan a create: the declared default is planned, the text follows the arguments.
    let plan = client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "hello_greeting".into(),
            prior_state: Some(dynamic(&Value::Null)),
            proposed_new_state: Some(dynamic(&greeting("world"))),
            config: Some(dynamic(&greeting("world"))),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    let planned = msgpack::decode(&plan.planned_state.unwrap().msgpack, &greeting_type()).unwrap();
    assert_eq!(planned.get("language"), Some(&Value::from("en")));
    assert_eq!(planned.get("text"), Some(&Value::from("Hello, world!")));

    // The model's rules: a language outside its list is refused, before any plan.
    let mut german = greeting("world");
    german.set_attr("language", "de");
    let validate = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "hello_greeting".into(),
            config: Some(dynamic(&german)),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let details: Vec<_> = validate.diagnostics.iter().map(|d| &d.detail).collect();
    assert_eq!(details, [r#""de" is not one of `en`, `fr`."#]);

    // Unknown types and unimplemented RPCs answer with diagnostics, not gRPC errors.
    let read = pb::read_resource::Request {
        type_name: "hello_nope".into(),
        ..Default::default()
    };
    let unknown = client.read_resource(read).await.unwrap().into_inner();
    assert!(unknown.diagnostics[0].summary.contains("Unknown resource"));
    let wave = pb::plan_action::Request {
        action_type: "hello_wave".into(),
        ..Default::default()
    };
    let action = client.plan_action(wave).await.unwrap().into_inner();
    let error = pb::diagnostic::Severity::Error as i32;
    assert_eq!(action.diagnostics[0].severity, error);

    // StopProvider returns and the server keeps serving.
    let stop = client
        .stop_provider(pb::stop_provider::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stop.error, "");
    assert_schema(&mut client).await;

    // Health says "plugin" is serving.
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let h = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        h.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    shut_down(plugin, channel).await;
}

#[tokio::test]
async fn a_different_client_certificate_is_refused() {
    let expected = client_identity();
    let intruder = client_identity();
    let plugin = start(&hello(), Some(&expected.cert_pem));
    let refused = async {
        let channel = connect(&plugin, Some(&intruder)).await.ok()?;
        provider_client(channel)
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .ok()
    }
    .await;
    assert!(refused.is_none(), "the intruder got an answer");
    // The right client still works afterwards.
    let channel = connect(&plugin, Some(&expected)).await.unwrap();
    assert_schema(&mut provider_client(channel)).await;
}

#[tokio::test]
async fn plaintext_without_client_cert() {
    let plugin = start(&hello(), None);
    assert!(plugin.server_cert.is_none());
    let channel = connect(&plugin, None).await.unwrap();
    assert_schema(&mut provider_client(channel)).await;
}

#[tokio::test]
async fn sigint_is_ignored() {
    let plugin = start(&hello(), None);
    let status = Command::new("kill")
        .args(["-INT", &plugin.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let channel = connect(&plugin, None).await.unwrap();
    assert_schema(&mut provider_client(channel)).await;
}

#[test]
fn run_by_hand_explains_and_exits_1() {
    let out = Command::new(hello())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("plugin") && stderr.contains("Terraform"),
        "{stderr}"
    );
}

#[test]
fn version_flag_prints_the_providers_own_version() {
    let out = Command::new(hello()).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "terraform-provider-hello 0.1.0"
    );
}

#[tokio::test]
async fn debug_mode_prints_reattach_and_stops_on_ctrl_c() {
    let mut child = Command::new(hello())
        .arg("--debug")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let reattach = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.trim()
                .strip_prefix("export TF_REATTACH_PROVIDERS='")
                .map(|r| r.trim_end_matches('\'').to_string())
        })
        .expect("reattach line");
    let json: serde_json::Value = serde_json::from_str(&reattach).unwrap();
    let entry = &json["registry.terraform.io/example/hello"];
    assert_eq!(entry["ProtocolVersion"], 6);
    assert_eq!(entry["Pid"], child.id());
    let plugin = Plugin {
        socket: PathBuf::from(entry["Addr"]["String"].as_str().unwrap()),
        server_cert: None,
        child,
    };
    let channel = connect(&plugin, None).await.unwrap();
    assert_schema(&mut provider_client(channel)).await;
    let mut plugin = plugin;
    Command::new("kill")
        .args(["-INT", &plugin.child.id().to_string()])
        .status()
        .unwrap();
    let status =
        wait_exit(&mut plugin.child, Duration::from_secs(10)).expect("debug mode exits on Ctrl-C");
    assert!(status.success());
}
