//! Client tests against a local fake Ironic (wiremock) for faults the real one cannot produce
//! on demand: 409/503 bursts, a server that comes up late, odd error bodies, old versions.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::*;
use crate::Secret;

fn root_doc(max: &str) -> serde_json::Value {
    json!({"name": "OpenStack Ironic API", "versions": [
        {"id": "v1", "status": "CURRENT", "version": max, "min_version": "1.1", "links": []}]})
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_elapsed: Duration::from_secs(10),
    }
}

/// A fake Ironic answering the root document and the credential probe (the lifecycle's tests of
/// faults a real Ironic cannot be made to produce start from it too).
pub(crate) async fn fake_ironic(max: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(root_doc(max)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/nodes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nodes": []})))
        .mount(&server)
        .await;
    server
}

async fn connect(server: &MockServer) -> IronicClient {
    IronicClient::connect(ClientConfig::new(server.uri()).with_retry(fast_retry()))
        .await
        .unwrap()
}

/// Answers the first `failures` requests with `status`, then 200 with `body`.
struct FailThen {
    failures: usize,
    status: u16,
    body: serde_json::Value,
    seen: std::sync::atomic::AtomicUsize,
}

impl Respond for FailThen {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if n < self.failures {
            ResponseTemplate::new(self.status).set_body_json(json!({"error_message":
                "{\"faultstring\": \"Node n1 is locked by host c1, please retry after the current operation is completed.\", \"faultcode\": \"Client\", \"debuginfo\": null}"}))
        } else {
            ResponseTemplate::new(200).set_body_json(self.body.clone())
        }
    }
}

#[tokio::test]
async fn negotiates_and_sends_version_on_every_request() {
    let server = fake_ironic("1.115").await;
    Mock::given(method("GET"))
        .and(path("/v1/nodes/n1"))
        .and(header(transport::VERSION_HEADER, "1.95"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"uuid": "u1", "driver": "fake"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = connect(&server).await;
    assert_eq!(client.api_version(), MAX_API_VERSION);
    assert_eq!(client.server_versions().max, ApiVersion::new(1, 115));
    let node = client.get_node("n1").await.unwrap().unwrap();
    assert_eq!(node.uuid, "u1");
}

#[tokio::test]
async fn refuses_ironic_older_than_minimum() {
    let server = fake_ironic("1.58").await;
    let err = IronicClient::connect(ClientConfig::new(server.uri()))
        .await
        .unwrap_err();
    assert!(matches!(err, IronicError::VersionTooOld { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("1.58") && msg.contains("1.81"), "{msg}");
}

#[tokio::test]
async fn retries_409_then_succeeds() {
    let server = fake_ironic("1.95").await;
    Mock::given(method("PATCH"))
        .and(path("/v1/nodes/n1"))
        .respond_with(FailThen {
            failures: 2,
            status: 409,
            body: json!({"uuid": "n1", "driver": "fake"}),
            seen: Default::default(),
        })
        .expect(3)
        .mount(&server)
        .await;
    let client = connect(&server).await;
    client
        .patch_node("n1", &[PatchOp::replace("/description", "x")])
        .await
        .unwrap();
}

/// A state change refused with 409 is handed back at once (the lifecycle re-reads the node
/// before sending it again), never resent blindly by the client.
#[tokio::test]
async fn a_state_change_409_is_not_resent_by_the_client() {
    let server = fake_ironic("1.95").await;
    Mock::given(method("PUT"))
        .and(path("/v1/nodes/n1/states/provision"))
        .respond_with(FailThen {
            failures: 2,
            status: 409,
            body: json!({}),
            seen: Default::default(),
        })
        .expect(1)
        .mount(&server)
        .await;
    let client = connect(&server).await;
    let error = client
        .set_provision_state("n1", ProvisionTarget::Manage, &ProvisionOptions::default())
        .await
        .unwrap_err();
    assert!(error.is_conflict(), "{error}");
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = fake_ironic("1.95").await;
    Mock::given(method("GET"))
        .and(path("/v1/nodes/n1"))
        .respond_with(FailThen {
            failures: 3,
            status: 503,
            body: json!({"uuid": "u1"}),
            seen: Default::default(),
        })
        .expect(4)
        .mount(&server)
        .await;
    let client = connect(&server).await;
    assert!(client.get_node("n1").await.unwrap().is_some());
}

#[tokio::test]
async fn persistent_409_gives_readable_conflict_after_bounded_attempts() {
    let server = fake_ironic("1.95").await;
    Mock::given(method("PATCH"))
        .and(path("/v1/nodes/n1"))
        .respond_with(FailThen {
            failures: usize::MAX,
            status: 409,
            body: json!({}),
            seen: Default::default(),
        })
        .expect(8)
        .mount(&server)
        .await;
    let client = connect(&server).await;
    let err = client
        .patch_node("n1", &[PatchOp::replace("/description", "x")])
        .await
        .unwrap_err();
    assert!(err.is_conflict());
    let msg = err.to_string();
    assert!(
        msg.contains("is locked by host c1") && msg.contains("PATCH /v1/nodes/n1"),
        "{msg}"
    );
}

#[tokio::test]
async fn other_4xx_are_not_retried_and_show_ironic_message() {
    let server = fake_ironic("1.95").await;
    Mock::given(method("POST"))
        .and(path("/v1/nodes"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error_message":
            "{\"faultstring\": \"No valid host was found. Reason: No conductor service registered which supports driver nope\", \"faultcode\": \"Client\", \"debuginfo\": null}"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = connect(&server).await;
    let err = client
        .create_node(&NodeCreate::new("nope"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("supports driver nope"), "{err}");
}

#[tokio::test]
async fn missing_things_are_none_or_false() {
    let server = fake_ironic("1.95").await;
    let client = connect(&server).await;
    // wiremock answers 404 for anything not mounted.
    assert!(client.get_node("ghost").await.unwrap().is_none());
    assert!(client.get_inventory("ghost").await.unwrap().is_none());
    assert!(!client.delete_node("ghost").await.unwrap());
}

#[tokio::test]
async fn connection_refused_is_retried_until_server_appears() {
    // Reserve a free port, release it, and start the fake Ironic there a little later.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("GET"))
            .and(path("/"))
            .respond_with(ResponseTemplate::new(200).set_body_json(root_doc("1.95")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/nodes"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nodes": []})))
            .mount(&server)
            .await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        drop(server);
    });
    let config = ClientConfig::new(format!("http://127.0.0.1:{port}")).with_retry(RetryPolicy {
        max_attempts: 50,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
        max_elapsed: Duration::from_secs(8),
    });
    let client = IronicClient::connect(config).await.unwrap();
    assert_eq!(client.api_version(), ApiVersion::new(1, 95));
    late.abort();
}

#[tokio::test]
async fn unreachable_ironic_is_a_clear_error_after_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = ClientConfig::new(format!("http://127.0.0.1:{port}")).with_retry(RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_elapsed: Duration::from_secs(2),
    });
    let err = IronicClient::connect(config).await.unwrap_err();
    assert!(matches!(err, IronicError::Unreachable { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}

#[tokio::test]
async fn basic_auth_header_is_sent_and_401_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(root_doc("1.95")))
        .mount(&server)
        .await;
    // base64("admin:s3cret")
    Mock::given(method("GET"))
        .and(path("/v1/nodes"))
        .and(header("authorization", "Basic YWRtaW46czNjcmV0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nodes": []})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/nodes"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .mount(&server)
        .await;
    let basic = |password: &str| {
        ClientConfig::new(server.uri()).with_auth(Auth::Basic {
            username: "admin".into(),
            password: Secret::new(password),
        })
    };
    IronicClient::connect(basic("s3cret")).await.unwrap();
    let err = IronicClient::connect(basic("wrong-pw")).await.unwrap_err();
    assert!(
        matches!(err, IronicError::Auth { status: 401, .. }),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(
        shown.contains("credentials") && !shown.contains("wrong-pw"),
        "{shown}"
    );
}

#[tokio::test]
async fn token_is_sent_as_x_auth_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(root_doc("1.95")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/nodes"))
        .and(header(transport::TOKEN_HEADER, "tok-123"))
        .and(header_exists(transport::VERSION_HEADER))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nodes": []})))
        .expect(1)
        .mount(&server)
        .await;
    let config = ClientConfig::new(server.uri()).with_auth(Auth::Token(Secret::new("tok-123")));
    let client = IronicClient::connect(config).await.unwrap();
    assert!(!format!("{client:?}").contains("tok-123"));
}

#[tokio::test]
async fn the_user_agent_is_the_callers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .and(header("user-agent", "some-caller/1.2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(root_doc("1.95")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/nodes"))
        .and(header("user-agent", "some-caller/1.2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"nodes": []})))
        .expect(1)
        .mount(&server)
        .await;
    let config = ClientConfig::new(server.uri()).with_user_agent("some-caller/1.2");
    IronicClient::connect(config).await.unwrap();
    let default = ClientConfig::new(server.uri()).user_agent;
    assert!(default.starts_with("metal3-core/"), "{default}");
}

#[test]
fn config_debug_shows_no_secret() {
    let config = ClientConfig::new("http://ironic:6385").with_auth(Auth::Basic {
        username: "admin".into(),
        password: Secret::new("hunter2"),
    });
    let shown = format!("{config:?}");
    assert!(
        shown.contains("admin") && !shown.contains("hunter2"),
        "{shown}"
    );
    let token = ClientConfig::new("http://ironic:6385").with_auth(Auth::Token("tok".into()));
    assert!(!format!("{token:?}").contains("\"tok\""));
}

#[tokio::test]
async fn list_nodes_follows_next_links() {
    let server = fake_ironic("1.95").await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/v1/nodes/detail"))
        .and(wiremock::matchers::query_param("marker", "u1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "nodes": [{"uuid": "u2", "driver": "fake-hardware"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/nodes/detail"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "nodes": [{"uuid": "u1", "driver": "fake-hardware"}],
            // Ironic's own idea of its address may differ; only the query is reused.
            "next": format!("http://elsewhere:6385/v1/nodes/detail?limit=1&marker=u1&x={base}")})))
        .mount(&server)
        .await;
    let client = connect(&server).await;
    let nodes = client.list_nodes(&NodeFilter::default()).await.unwrap();
    let ids: Vec<_> = nodes.iter().map(|n| n.uuid.as_str()).collect();
    assert_eq!(ids, ["u1", "u2"]);
}

#[tokio::test]
async fn identifiers_never_leave_their_path_segment() {
    let server = fake_ironic("1.115").await;
    let client = connect(&server).await;
    let before = server.received_requests().await.unwrap_or_default().len();
    for bad in ["..", ".", ""] {
        let err = client.get_node(bad).await.unwrap_err();
        assert!(
            matches!(err, IronicError::InvalidIdentifier { .. }),
            "{bad:?}: {err}"
        );
        assert!(err.to_string().contains("node UUID or name"), "{err}");
        let err = client
            .set_power_state(bad, PowerTarget::Off, None)
            .await
            .unwrap_err();
        assert!(matches!(err, IronicError::InvalidIdentifier { .. }));
    }
    let after = server.received_requests().await.unwrap_or_default().len();
    assert_eq!(after, before, "a refused identifier sent a request");

    // A slash or a `?` stays inside the one segment, percent-encoded.
    for (id, wire) in [("a/b", "/v1/nodes/a%2Fb"), ("x?y", "/v1/nodes/x%3Fy")] {
        let _ = client.get_node(id).await;
        let requests = server.received_requests().await.unwrap_or_default();
        let last = requests.last().map(|r| r.url.path().to_owned());
        assert_eq!(last.as_deref(), Some(wire), "{id}");
    }
}
