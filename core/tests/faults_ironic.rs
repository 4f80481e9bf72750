//! Failure paths against the REAL Ironic of the test stack (`m3stack up`; env
//! METAL3_TEST_STACK=<stack.json>): a node Ironic fails (inspection timeout), 409 "node locked"
//! and an unreachable Ironic (injected by a proxy in front of the real one), and HTTP basic auth
//! through the lifecycle. Without the env the tests say so loudly and pass, unless
//! METAL3_REQUIRE_STACK=1.

#[macro_use]
mod common;
mod fault_proxy;

use common::{ctx, delete_options, ensure_ok, Stack};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fault_proxy::{Delay, FaultProxy};
use metal3_core::client::{Auth, ClientConfig, IronicClient, IronicError};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, ErrorType, HostSpec, InspectionMode, KnownHost, Lifecycle,
    LifecycleError, OpContext, ProvisioningState,
};
use metal3_core::Secret;

/// `[conductor] inspect_wait_timeout` of the stack's Ironic (acceptance-tests/harness/m3stack/
/// ironic_conf.py); Ironic checks it every `check_provision_state_interval` (5 s).
const INSPECT_WAIT_TIMEOUT: Duration = Duration::from_secs(60);

fn fake_spec(prefix: &str) -> HostSpec {
    common::fake_spec("faults", prefix)
}

async fn delete(lc: &Lifecycle, id: &str) {
    lc.delete(id, &delete_options(AutomatedCleaningMode::Disabled), &ctx())
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
    let lc = stack.lifecycle().await;
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
    let lc = stack.lifecycle().await;
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
    let lc = stack.lifecycle_with(client);
    let mut spec = fake_spec("locked");
    spec.inspection_mode = InspectionMode::Disabled;
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(proxy.injected_conflicts(), 4, "all injected 409s were met");

    // Seen by the real Ironic, not only through the proxy.
    let direct = stack.lifecycle().await;
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

/// A client that gives up on an answer after `REQUEST_TIMEOUT`, through `proxy`.
async fn impatient_lifecycle(stack: &Stack, proxy: &FaultProxy) -> Lifecycle {
    let config = ClientConfig::new(proxy.url()).with_request_timeout(REQUEST_TIMEOUT);
    stack.lifecycle_with(IronicClient::connect(config).await.unwrap())
}

const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

/// Ironic takes `manage` at once but its answer comes after the client gave up: the lifecycle
/// re-reads the node, sees the change under way and goes on without asking again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_change_answered_too_late_is_not_sent_again() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = impatient_lifecycle(&stack, &proxy).await;
    let mut spec = fake_spec("late-answer");
    spec.inspection_mode = InspectionMode::Disabled;
    proxy.delay_next(
        "PUT",
        "/states/provision",
        Delay::Answer(REQUEST_TIMEOUT * 2),
    );
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    // manage and provide, each once.
    assert_eq!(proxy.forwarded_matching("PUT", "/states/provision"), 2);
    delete(&stack.lifecycle().await, &status.id).await;
}

/// A loaded Ironic takes `manage` only after the client gave up and sent it again; the resend is
/// refused ("cannot manage while in manageable") because the first went through. That refusal is
/// success, not a failed apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_change_taken_late_makes_its_resend_refusal_a_success() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = impatient_lifecycle(&stack, &proxy).await;
    let mut spec = fake_spec("late-accept");
    spec.inspection_mode = InspectionMode::Disabled;
    // The first `manage` reaches Ironic after the client's timeout and its watch for a change
    // (3 s + 5 s); the resend is held 2 s more, so Ironic sees it after the first.
    proxy.delay_next(
        "PUT",
        "/states/provision",
        Delay::Request(Duration::from_secs(9)),
    );
    proxy.delay_next(
        "PUT",
        "/states/provision",
        Delay::Request(Duration::from_secs(2)),
    );
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    // manage, its resend, provide.
    assert_eq!(proxy.forwarded_matching("PUT", "/states/provision"), 3);
    delete(&stack.lifecycle().await, &status.id).await;
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
    let lc = stack.lifecycle_with(client);
    let mut spec = fake_spec("unreachable");
    spec.inspection_mode = InspectionMode::Disabled;
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(proxy.outages(), 1, "the outage happened during the ensure");
    assert!(proxy.forwarded() > 0);
    delete(&stack.lifecycle().await, &status.id).await;
}

/// An outage longer than the client's own retry budget, during an operation that may take a
/// minute: the operation waits for Ironic as long as its deadline allows instead of failing
/// when the budget runs out (and the host being tainted and replaced).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_retried_until_the_operations_deadline() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let budget = metal3_core::client::RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(300),
        max_elapsed: Duration::from_secs(1),
    };
    let client = IronicClient::connect(ClientConfig::new(proxy.url()).with_retry(budget))
        .await
        .unwrap();
    let lc = stack.lifecycle_with(client.clone());
    let mut spec = fake_spec("long-outage");
    spec.inspection_mode = InspectionMode::Disabled;
    proxy.outage_after("PUT", "/states/provision", Duration::from_secs(4));
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(proxy.outages(), 1, "the outage happened during the ensure");

    // Outside an operation the client keeps its own short budget.
    proxy.outage_after(
        "GET",
        &format!("/v1/nodes/{}", status.id),
        Duration::from_secs(4),
    );
    let _ = client.get_node(&status.id).await; // the request that starts the outage
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let err = client.get_node(&status.id).await.unwrap_err();
    assert!(err.is_outage(), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    delete(&stack.lifecycle().await, &status.id).await;
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
    let lc = stack.lifecycle_with(client);
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
    let lc_stale = stack.lifecycle_with(stale);
    let started = Instant::now();
    let failure = lc_stale
        .ensure(&spec, Some(&KnownHost::new(&status.id)), &ctx())
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
