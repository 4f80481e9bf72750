//! Failure paths against the REAL Ironic of the test stack (`m3stack up`; env
//! METAL3_TEST_STACK=<stack.json>): a node Ironic fails (inspection timeout), 409 "node locked"
//! and an unreachable Ironic (injected by a proxy in front of the real one), and HTTP basic auth
//! through the lifecycle. Without the env the tests say so loudly and pass, unless
//! METAL3_REQUIRE_STACK=1.

mod fault_proxy;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use fault_proxy::FaultProxy;
use metal3_core::client::{Auth, ClientConfig, IronicClient, IronicError};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, BmcSpec, ErrorType, HostSpec, HostStatus, InspectionMode, Lifecycle,
    LifecycleConfig, LifecycleError, OpContext, ProvisioningState,
};
use metal3_core::Secret;
use serde_json::Value;

/// `[conductor] inspect_wait_timeout` of the stack's Ironic (acceptance-tests/harness/m3stack/
/// ironic_conf.py); Ironic checks it every `check_provision_state_interval` (2 s).
const INSPECT_WAIT_TIMEOUT: Duration = Duration::from_secs(60);

struct Stack {
    json: Value,
}

impl Stack {
    fn load() -> Option<Stack> {
        let Ok(path) = std::env::var("METAL3_TEST_STACK") else {
            if std::env::var("METAL3_REQUIRE_STACK").as_deref() == Ok("1") {
                panic!("METAL3_REQUIRE_STACK=1 but METAL3_TEST_STACK is not set");
            }
            eprintln!(
                "*** skipped: no METAL3_TEST_STACK (set it to a stack.json from `m3stack up`) ***"
            );
            return None;
        };
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read METAL3_TEST_STACK {path}: {e}"));
        Some(Stack {
            json: serde_json::from_str(&text).expect("stack.json is JSON"),
        })
    }

    fn str(&self, key: &str) -> String {
        self.json[key]
            .as_str()
            .unwrap_or_else(|| panic!("stack.json has no {key}"))
            .to_owned()
    }

    fn lifecycle(&self, client: IronicClient) -> Lifecycle {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("metal3_core=info")
            .with_test_writer()
            .try_init();
        Lifecycle::new(
            client,
            LifecycleConfig {
                deploy_kernel_url: Some(self.str("deploy_kernel_url")),
                deploy_ramdisk_url: Some(self.str("deploy_ramdisk_url")),
                deploy_iso_url: Some(self.str("deploy_iso_url")),
                poll_interval: Some(Duration::from_millis(200)),
            },
        )
    }

    async fn direct_lifecycle(&self) -> Lifecycle {
        let client = IronicClient::connect(ClientConfig::new(self.str("ironic_url")))
            .await
            .expect("Ironic of the test stack answers");
        self.lifecycle(client)
    }
}

macro_rules! stack_or_skip {
    () => {
        match Stack::load() {
            Some(stack) => stack,
            None => return,
        }
    };
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fake-hardware host with a name and locally administered MAC no other run uses.
fn fake_spec(prefix: &str) -> HostSpec {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let seed: u32 = rand::random();
    let b = seed.to_be_bytes();
    let mac = format!(
        "02:fa:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], n as u8
    );
    let name = format!("{prefix}-{seed:08x}");
    let mut spec = HostSpec::new(
        "faults",
        name.clone(),
        BmcSpec {
            address: format!("fake://{name}"),
            username: String::new(),
            password: Secret::default(),
            disable_certificate_verification: false,
        },
    );
    spec.boot_mac_address = Some(mac);
    spec
}

fn ctx() -> OpContext {
    OpContext::with_timeout(Duration::from_secs(180))
}

async fn ensure_ok(lc: &Lifecycle, spec: &HostSpec, id: Option<&str>) -> HostStatus {
    match lc.ensure(spec, id, &ctx()).await {
        Ok(status) => status,
        Err(failure) => panic!(
            "ensure {} failed: {}; partial: {:?}",
            spec.node_name(),
            failure.error,
            failure.partial
        ),
    }
}

async fn delete(lc: &Lifecycle, id: &str) {
    lc.delete(id, AutomatedCleaningMode::Disabled, &ctx())
        .await
        .expect("delete");
    assert!(lc.status(id).await.unwrap().is_none(), "node {id} remains");
}

/// Removes the hold file even when the test fails half-way.
struct Hold(PathBuf);

impl Drop for Hold {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspection_timeout_in_ironic_fails_fast_with_last_error_then_recovers() {
    let stack = stack_or_skip!();
    let lc = stack.direct_lifecycle().await;
    let spec = fake_spec("inspect-timeout");
    let mac = spec.boot_mac_address.clone().unwrap();
    let hold = Hold(PathBuf::from(stack.str("inventories_dir")).join(format!("{mac}.hold")));
    std::fs::write(&hold.0, b"").unwrap(); // the stand-in agent never answers this node

    let started = Instant::now();
    let generous = OpContext::with_timeout(Duration::from_secs(600));
    let failure = lc
        .ensure(&spec, None, &generous)
        .await
        .expect_err("inspection cannot succeed while the agent holds the host");
    let took = started.elapsed();
    eprintln!("ensure failed after {took:.1?}: {}", failure.error);

    // Ironic's own timeout, noticed at once (not our 600 s deadline).
    assert!(
        took >= INSPECT_WAIT_TIMEOUT - Duration::from_secs(2),
        "failed before Ironic's timeout: {took:?} {}",
        failure.error
    );
    assert!(
        took <= INSPECT_WAIT_TIMEOUT + Duration::from_secs(15),
        "took {took:?}"
    );
    match &failure.error {
        LifecycleError::Failed {
            state, last_error, ..
        } => {
            assert_eq!(state, "inspect failed");
            assert!(
                last_error
                    .to_lowercase()
                    .contains("timeout reached while inspecting"),
                "{last_error}"
            );
        }
        other => panic!("expected a Failed error, got {other:?}"),
    }
    let shown = failure.error.to_string();
    assert!(
        shown.contains(&spec.node_name()) || shown.contains(&spec.name),
        "{shown}"
    );
    let partial = failure.partial.expect("partial status of the failed host");
    assert_eq!(partial.ironic_provision_state, "inspect failed");
    assert_eq!(partial.provisioning_state, ProvisioningState::Inspecting);
    assert_eq!(partial.error_type, Some(ErrorType::Inspection));
    let message = partial.error_message.clone().unwrap_or_default();
    assert!(
        message
            .to_lowercase()
            .contains("timeout reached while inspecting"),
        "{message}"
    );

    // The agent answers again: the next ensure inspects afresh and reaches available.
    drop(hold);
    let recovered = ensure_ok(&lc, &spec, Some(&partial.id)).await;
    assert_eq!(recovered.id, partial.id);
    assert_eq!(recovered.provisioning_state, ProvisioningState::Available);
    assert_eq!(recovered.error_type, None);
    assert!(recovered.hardware.is_some(), "inspected after recovery");
    delete(&lc, &recovered.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspection_failure_then_delete_is_clean() {
    let stack = stack_or_skip!();
    let lc = stack.direct_lifecycle().await;
    let spec = fake_spec("inspect-fail-del");
    let mac = spec.boot_mac_address.clone().unwrap();
    let hold = Hold(PathBuf::from(stack.str("inventories_dir")).join(format!("{mac}.hold")));
    std::fs::write(&hold.0, b"").unwrap();
    let failure = lc
        .ensure(
            &spec,
            None,
            &OpContext::with_timeout(Duration::from_secs(600)),
        )
        .await
        .expect_err("held inspection fails");
    assert!(
        matches!(&failure.error, LifecycleError::Failed { state, .. } if state == "inspect failed"),
        "{:?}",
        failure.error
    );
    let id = failure.partial.expect("partial status").id;
    // Deleted straight from `inspect failed`, the hold still in place.
    delete(&lc, &id).await;
    drop(hold);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_locked_409_is_retried_against_real_ironic() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    // Every provision-state change (manage, provide) meets a locked node twice first.
    proxy.conflict_next("PUT", "/states/provision", 4);
    let client = IronicClient::connect(ClientConfig::new(proxy.url()))
        .await
        .unwrap();
    let lc = stack.lifecycle(client);
    let mut spec = fake_spec("locked");
    spec.inspection_mode = InspectionMode::Disabled;
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(proxy.injected_conflicts(), 4, "all injected 409s were met");

    // Seen by the real Ironic, not only through the proxy.
    let direct = stack.direct_lifecycle().await;
    let real = direct.status(&status.id).await.unwrap().expect("node");
    assert_eq!(real.ironic_provision_state, "available");

    // Without retries the 409 surfaces with Ironic's message, as a conflict.
    proxy.conflict_next("GET", &format!("/nodes/{}", status.id), 1);
    let once = IronicClient::connect(
        ClientConfig::new(proxy.url()).with_retry(metal3_core::client::RetryPolicy::none()),
    )
    .await
    .unwrap();
    let err = once.get_node(&status.id).await.unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("is locked by host"), "{err}");
    delete(&direct, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ironic_unreachable_then_back_is_waited_for() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    // Ironic "restarts": nothing listens for 1.5 s.
    let starter = {
        let proxy = proxy.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            proxy.start().await;
        })
    };
    let started = Instant::now();
    let client = IronicClient::connect(ClientConfig::new(proxy.url()))
        .await
        .expect("connect waits for Ironic to come back");
    let waited = started.elapsed();
    starter.await.unwrap();
    assert!(waited >= Duration::from_millis(1400), "{waited:?}");
    assert!(waited < Duration::from_secs(15), "{waited:?}");

    // And again in the middle of an ensure: right after `manage`, Ironic is gone for 1.5 s.
    proxy.outage_after("PUT", "/states/provision", Duration::from_millis(1500));
    let lc = stack.lifecycle(client);
    let mut spec = fake_spec("unreachable");
    spec.inspection_mode = InspectionMode::Disabled;
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(proxy.outages(), 1, "the outage happened during the ensure");
    assert!(proxy.forwarded() > 0);
    delete(&stack.direct_lifecycle().await, &status.id).await;
}

fn basic_config(stack: &Stack, url: &str, password: &str) -> ClientConfig {
    ClientConfig::new(url).with_auth(Auth::Basic {
        username: stack.str("ironic_basic_username"),
        password: Secret::new(password),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_basic_auth_right_and_wrong_through_the_lifecycle() {
    let stack = stack_or_skip!();
    let url = stack.str("ironic_basic_url");
    let right = stack.str("ironic_basic_password");
    let client = IronicClient::connect(basic_config(&stack, &url, &right))
        .await
        .unwrap();
    let lc = stack.lifecycle(client);
    let spec = fake_spec("basic-auth"); // inspected by the agent on the basic-auth Ironic too
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert!(status.hardware.is_some());

    // A wrong password is refused at connect, clearly and without the password.
    let wrong = "wr0ng-Pa55word";
    let err = IronicClient::connect(basic_config(&stack, &url, wrong))
        .await
        .unwrap_err();
    assert!(
        matches!(err, IronicError::Auth { status: 401, .. }),
        "{err:?}"
    );
    assert_no_secret(&format!("{err} {err:?}"), wrong);

    // The password changed on the server while the provider runs: a proxy lets the connect
    // through with the right credentials, then passes on the (now wrong) ones of the client.
    let proxy = FaultProxy::reserve(&url);
    proxy.start().await;
    let user = stack.str("ironic_basic_username");
    proxy.replace_authorization(Some(basic_header(&user, &right)));
    let stale = IronicClient::connect(basic_config(&stack, &proxy.url(), wrong))
        .await
        .unwrap();
    proxy.replace_authorization(None);
    let lc_stale = stack.lifecycle(stale);
    let started = Instant::now();
    let failure = lc_stale
        .ensure(&spec, Some(&status.id), &ctx())
        .await
        .expect_err("Ironic refuses the wrong password");
    assert!(started.elapsed() < Duration::from_secs(10), "not retried");
    match &failure.error {
        LifecycleError::Ironic {
            source: IronicError::Auth { status: 401, .. },
            ..
        } => {}
        other => panic!("expected an Ironic auth error, got {other:?}"),
    }
    let shown = format!(
        "{} / {:?} / {failure} / {failure:?}",
        failure.error, failure.error
    );
    assert!(shown.contains("401"), "{shown}");
    assert_no_secret(&shown, wrong);
    assert_no_secret(&shown, &basic_header(&user, wrong));
    eprintln!("stale credentials: {}", failure.error);

    delete(&lc, &status.id).await;
}

fn basic_header(user: &str, password: &str) -> String {
    use base64::Engine;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}

fn assert_no_secret(shown: &str, secret: &str) {
    assert!(!shown.contains(secret), "secret leaked into: {shown}");
}
