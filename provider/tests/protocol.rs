//! The metal3 provider binary as Terraform sees it: its schemas, state upgrade, validation and
//! plans over the socket with AutoMTLS. The protocol itself (handshake, certificates, stop,
//! debug mode) is tested in tfplugin's tests/protocol.rs with its example provider; this file
//! shares its client (`tfplugin/tests/support`).

#[path = "../../tfplugin/tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use support::{
    client_identity, connect, provider_client, provider_schema, shut_down, start, Client,
};
use terraform_provider_metal3::codec::{msgpack, Value};
use terraform_provider_metal3::proto::tfplugin6 as pb;
use terraform_provider_metal3::resources::baremetal_host::schema::schema as host_schema;

const BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-metal3");

async fn assert_schema(client: &mut Client) {
    let resp = provider_schema(client).await;
    let host = &resp.resource_schemas["metal3_baremetal_host"];
    for ds in ["metal3_baremetal_host", "metal3_baremetal_hosts"] {
        assert!(resp.data_source_schemas.contains_key(ds), "{ds}");
    }
    let block = host.block.as_ref().unwrap();
    let bmc = block.attributes.iter().find(|a| a.name == "bmc").unwrap();
    assert!(bmc.r#type.is_empty(), "nested attributes carry no type");
    let nested = bmc.nested_type.as_ref().unwrap();
    let attr = |n: &str| nested.attributes.iter().find(|a| a.name == n).unwrap();
    assert!(attr("password").sensitive);
    assert!(attr("password_wo").write_only);
    assert_eq!(block.description_kind, pb::StringKind::Markdown as i32);
}

fn host_config() -> Value {
    let ty = host_schema().block.value_type();
    let mut config = Value::object_of_nulls(&ty);
    config.set_attr("name", "h1");
    config
}

fn host_msgpack(v: &Value) -> pb::DynamicValue {
    let ty = host_schema().block.value_type();
    pb::DynamicValue {
        msgpack: msgpack::encode(v, &ty).unwrap(),
        json: Vec::new(),
    }
}

#[tokio::test]
async fn mtls_session_like_terraform() {
    let id = client_identity();
    let plugin = start(Path::new(BIN), Some(&id.cert_pem));
    assert!(plugin.server_cert.is_some());
    let channel = connect(&plugin, Some(&id)).await.unwrap();
    let mut client = provider_client(channel.clone());
    assert_schema(&mut client).await;

    let ids = client
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(ids.identity_schemas.contains_key("metal3_baremetal_host"));

    // UpgradeResourceState: JSON in, msgpack of the current schema out, removed attributes dropped.
    let up = client
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "metal3_baremetal_host".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: br#"{"name":"h1","id":"abc","removed_long_ago":true}"#.to_vec(),
                flatmap: Default::default(),
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(up.diagnostics.is_empty(), "{:?}", up.diagnostics);
    let ty = host_schema().block.value_type();
    let state = msgpack::decode(&up.upgraded_state.unwrap().msgpack, &ty).unwrap();
    assert_eq!(state.get("id"), Some(&Value::from("abc")));

    // ValidateResourceConfig: missing bmc is reported at its path; a 6 MiB message is accepted.
    let mut config = host_config();
    config.set_attr("description", "x".repeat(6 << 20));
    let v = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "metal3_baremetal_host".into(),
            config: Some(host_msgpack(&config)),
            client_capabilities: Some(pb::ClientCapabilities {
                deferral_allowed: false,
                write_only_attributes_allowed: true,
            }),
        })
        .await
        .unwrap()
        .into_inner();
    let bmc_path = pb::AttributePath {
        steps: vec![pb::attribute_path::Step {
            selector: Some(pb::attribute_path::step::Selector::AttributeName(
                "bmc".into(),
            )),
        }],
    };
    assert!(
        v.diagnostics
            .iter()
            .any(|d| d.attribute.as_ref() == Some(&bmc_path)),
        "{:?}",
        v.diagnostics
    );

    // Plan a create: computed attributes become unknown.
    let plan = client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "metal3_baremetal_host".into(),
            prior_state: Some(host_msgpack(&Value::Null)),
            proposed_new_state: Some(host_msgpack(&host_config())),
            config: Some(host_msgpack(&host_config())),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let planned = msgpack::decode(&plan.planned_state.unwrap().msgpack, &ty).unwrap();
    assert!(planned.get("id").unwrap().is_unknown());

    // Write-only values never come back: the plan carries null for bmc.password_wo.
    let mut with_wo = host_config();
    let bmc_ty = host_schema().block.attribute("bmc").unwrap().value_type();
    let mut bmc = Value::object_of_nulls(&bmc_ty);
    bmc.set_attr("address", "fake://h0");
    bmc.set_attr("username", "admin");
    bmc.set_attr("password_wo", "s3cret");
    with_wo.set_attr("bmc", bmc);
    let plan = client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "metal3_baremetal_host".into(),
            prior_state: Some(host_msgpack(&Value::Null)),
            proposed_new_state: Some(host_msgpack(&with_wo)),
            config: Some(host_msgpack(&with_wo)),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let planned = msgpack::decode(&plan.planned_state.unwrap().msgpack, &ty).unwrap();
    let planned_bmc = planned.get("bmc").unwrap();
    assert!(planned_bmc.get("password_wo").unwrap().is_null());
    assert_eq!(planned_bmc.get("username"), Some(&Value::from("admin")));

    shut_down(plugin, channel).await;
}

#[test]
fn version_flag() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}
