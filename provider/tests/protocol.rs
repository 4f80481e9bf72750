//! Starts the built provider binary the way Terraform does and talks tfplugin6 to it over the
//! unix socket, with AutoMTLS.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use terraform_provider_metal3::codec::{msgpack, Value};
use terraform_provider_metal3::proto::plugin as gp;
use terraform_provider_metal3::proto::tfplugin6 as pb;
use terraform_provider_metal3::resources::baremetal_host::schema::schema as host_schema;
use tonic::transport::{Channel, Endpoint};

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-metal3");

/// A client identity like Terraform's: ECDSA P-521, self-signed CA, CN/SAN localhost.
struct ClientIdentity {
    cert_pem: String,
    cert_der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

fn client_identity() -> ClientIdentity {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    };
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "HashiCorp");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).unwrap();
    ClientIdentity {
        cert_pem: cert.pem(),
        cert_der: cert.der().clone(),
        key_der: key.serialize_der(),
    }
}

struct Plugin {
    child: Child,
    socket: PathBuf,
    server_cert: Option<CertificateDer<'static>>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(client_cert_pem: Option<&str>) -> Plugin {
    let mut cmd = Command::new(BIN);
    cmd.env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(pem) = client_cert_pem {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    let mut child = cmd.spawn().expect("start provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let fields: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(fields.len(), 6, "handshake line: {line:?}");
    assert_eq!(&fields[..3], &["1", "6", "unix"]);
    assert_eq!(fields[4], "grpc");
    let server_cert = (!fields[5].is_empty()).then(|| {
        assert!(!fields[5].contains('='), "no base64 padding");
        CertificateDer::from(
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(fields[5])
                .unwrap(),
        )
    });
    Plugin {
        child,
        socket: PathBuf::from(fields[3]),
        server_cert,
    }
}

/// Trusts exactly the certificate from the handshake line, like go-plugin's client.
#[derive(Debug)]
struct PinnedServer(CertificateDer<'static>, Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        ee: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if ee.as_ref() == self.0.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("unexpected server cert".into()))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.1.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.1.signature_verification_algorithms.supported_schemes()
    }
}

async fn connect(
    plugin: &Plugin,
    client: Option<&ClientIdentity>,
) -> Result<Channel, tonic::transport::Error> {
    let socket = plugin.socket.clone();
    let tls = match (&plugin.server_cert, client) {
        (Some(server), Some(client)) => {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .unwrap()
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(PinnedServer(server.clone(), provider)))
                .with_client_auth_cert(
                    vec![client.cert_der.clone()],
                    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(client.key_der.clone())),
                )
                .unwrap();
            config.alpn_protocols = vec![b"h2".to_vec()];
            Some(tokio_rustls::TlsConnector::from(Arc::new(config)))
        }
        _ => None,
    };
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let socket = socket.clone();
            let tls = tls.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                let io: Box<dyn IoStream> = match tls {
                    Some(tls) => Box::new(
                        tls.connect(ServerName::try_from("localhost").unwrap(), stream)
                            .await?,
                    ),
                    None => Box::new(stream),
                };
                Ok::<_, std::io::Error>(TokioIo::new(io))
            }
        }))
        .await
}

trait IoStream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> IoStream for T {}

type Client = pb::provider_client::ProviderClient<Channel>;

fn provider_client(channel: Channel) -> Client {
    pb::provider_client::ProviderClient::new(channel)
        .max_decoding_message_size(256 << 20)
        .max_encoding_message_size(256 << 20)
}

async fn assert_schema(client: &mut Client) {
    let resp = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty());
    assert!(resp
        .provider
        .as_ref()
        .and_then(|p| p.block.as_ref())
        .is_some());
    let caps = resp.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
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
    let plugin = start(Some(&id.cert_pem));
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

    // Unimplemented RPCs answer with a diagnostic, not a gRPC error.
    let action = client
        .plan_action(pb::plan_action::Request {
            action_type: "metal3_power_cycle".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        action.diagnostics[0].severity,
        pb::diagnostic::Severity::Error as i32
    );
    let unknown = client
        .read_resource(pb::read_resource::Request {
            type_name: "metal3_nope".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(unknown.diagnostics[0].summary.contains("Unknown resource"));

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

    // Shutdown ends the process with status 0 and removes the socket.
    let mut controller = gp::grpc_controller_client::GrpcControllerClient::new(channel);
    let _ = controller.shutdown(gp::Empty {}).await;
    let mut plugin = plugin;
    let status = wait_exit(&mut plugin.child, Duration::from_secs(10))
        .expect("provider exits after Shutdown");
    assert!(status.success(), "{status:?}");
    assert!(!plugin.socket.exists());
}

fn wait_exit(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[tokio::test]
async fn a_different_client_certificate_is_refused() {
    let expected = client_identity();
    let intruder = client_identity();
    let plugin = start(Some(&expected.cert_pem));
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
    let plugin = start(None);
    assert!(plugin.server_cert.is_none());
    let channel = connect(&plugin, None).await.unwrap();
    assert_schema(&mut provider_client(channel)).await;
}

#[tokio::test]
async fn sigint_is_ignored() {
    let plugin = start(None);
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
    let out = Command::new(BIN)
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
fn version_flag() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn debug_mode_prints_reattach_and_stops_on_ctrl_c() {
    let mut child = Command::new(BIN)
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
    let entry = &json["registry.terraform.io/metal3-io/metal3"];
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
