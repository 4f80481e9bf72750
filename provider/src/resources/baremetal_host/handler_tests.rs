//! The handler against a fake lifecycle (`host::fake`): what each operation asks of the core and
//! what it hands back to Terraform when the core fails or the node is gone. The same paths
//! against a real Ironic are the acceptance tests'.

use std::time::Duration;

use metal3_core::lifecycle::{LifecycleError, LifecycleFailure};
use tokio_util::sync::CancellationToken;

use super::*;
use crate::codec::shape::complete_object;
use crate::host::fake::{host, FakeHosts};
use crate::resources::baremetal_host::test_values::redfish_config;

const NODE: &str = "metal3~w0";

fn resource(fake: &Arc<FakeHosts>) -> BaremetalHostResource {
    BaremetalHostResource::new(ProviderState::connected_to(fake.clone(), "metal3"))
}

/// The configuration as Terraform sends it: every attribute present.
fn config(extra: &[(&str, Value)]) -> Value {
    let mut config = redfish_config();
    config.set_attr("image", Value::Null);
    config.set_attr("description", "rack 1");
    for (name, value) in extra {
        config.set_attr(*name, value.clone());
    }
    complete_object(&config, &schema::schema().block.value_type())
}

fn capabilities() -> ClientCapabilities {
    ClientCapabilities {
        deferral_allowed: false,
        write_only_attributes_allowed: true,
    }
}

async fn plan_create(resource: &BaremetalHostResource, config: &Value) -> PlanResponse {
    resource
        .plan(PlanRequest {
            requires_replace: Vec::new(),
            prior_state: Value::Null,
            proposed_new_state: config.clone(),
            config: config.clone(),
            prior_private: Vec::new(),
            prior_identity: None,
            client_capabilities: capabilities(),
        })
        .await
}

async fn apply(
    resource: &BaremetalHostResource,
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> ApplyResponse {
    resource
        .apply(ApplyRequest {
            prior_state: prior.clone(),
            planned_state: planned.clone(),
            config: config.clone(),
            planned_private: Vec::new(),
            planned_identity: None,
            cancel: CancellationToken::new(),
        })
        .await
}

async fn create(resource: &BaremetalHostResource, config: &Value) -> Value {
    let planned = plan_create(resource, config).await.planned_state;
    let applied = apply(resource, &Value::Null, &planned, config).await;
    assert!(applied.diagnostics.is_empty(), "{:?}", applied.diagnostics);
    applied.new_state
}

async fn read(resource: &BaremetalHostResource, state: &Value) -> ReadResponse {
    resource
        .read(ReadRequest {
            current_state: state.clone(),
            private: Vec::new(),
            current_identity: None,
            client_capabilities: capabilities(),
            cancel: CancellationToken::new(),
        })
        .await
}

fn text<'a>(state: &'a Value, name: &str) -> Option<&'a str> {
    state.get(name).and_then(Value::as_str)
}

fn failure(error: LifecycleError, partial: Option<HostStatus>) -> LifecycleFailure {
    LifecycleFailure {
        error,
        partial,
        credentials_sent: false,
    }
}

fn cancelled() -> LifecycleError {
    LifecycleError::Cancelled {
        host: NODE.into(),
        waiting_for: "inspection".into(),
        state: "inspect wait".into(),
        elapsed: Duration::from_secs(3),
    }
}

fn failed() -> LifecycleError {
    LifecycleError::Failed {
        host: NODE.into(),
        operation: "inspection".into(),
        state: "inspect failed".into(),
        last_error: "the BMC went away".into(),
    }
}

#[tokio::test]
async fn plans_and_reads_only_read() {
    let fake = Arc::new(FakeHosts::default());
    let r = resource(&fake);
    let state = create(&r, &config(&[])).await;
    let before = fake.calls().len();

    let read = read(&r, &state).await;
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    assert_eq!(text(&read.new_state, "id"), text(&state, "id"));
    let mut changed = config(&[("description", Value::from("rack 2"))]);
    changed.set_attr("id", state.get("id").cloned().unwrap());
    let plan = r
        .plan(PlanRequest {
            requires_replace: Vec::new(),
            prior_state: state.clone(),
            proposed_new_state: changed.clone(),
            config: changed,
            prior_private: Vec::new(),
            prior_identity: None,
            client_capabilities: capabilities(),
        })
        .await;
    assert_eq!(text(&plan.planned_state, "description"), Some("rack 2"));

    let since: Vec<String> = fake.calls()[before..].to_vec();
    assert!(
        since
            .iter()
            .all(|c| c.starts_with("status") || c.starts_with("read")),
        "{since:?}"
    );
}

async fn read_with_private(
    resource: &BaremetalHostResource,
    state: &Value,
    private: Vec<u8>,
) -> ReadResponse {
    resource
        .read(ReadRequest {
            current_state: state.clone(),
            private,
            current_identity: None,
            client_capabilities: capabilities(),
            cancel: CancellationToken::new(),
        })
        .await
}

fn ram(state: &Value) -> Option<f64> {
    state
        .get("hardware")
        .and_then(|hw| hw.get("ram_mebibytes"))
        .and_then(Value::as_f64)
}

#[tokio::test]
async fn a_refresh_keeps_the_hardware_of_an_inspection_it_knows_and_reads_a_newer_one() {
    use metal3_core::hardware::HardwareDetails;
    let fake = Arc::new(FakeHosts::default());
    let r = resource(&fake);
    let state = create(&r, &config(&[])).await;
    let id = text(&state, "id").unwrap().to_owned();
    let inspected = |at: &str, ram_mebibytes: i64| HostStatus {
        inspection_finished_at: Some(at.into()),
        hardware: Some(HardwareDetails {
            ram_mebibytes,
            ..HardwareDetails::default()
        }),
        ..host(&id, NODE)
    };
    fake.put(inspected("t1", 1024));
    let first = read(&r, &state).await;
    assert_eq!(ram(&first.new_state), Some(1024.0));
    assert_eq!(
        Private::decode(&first.private).inspected_at.as_deref(),
        Some("t1")
    );

    // The same inspection: the inventory is not read again, so the state's hardware stands
    // (the fake, like the core, leaves `hardware` out when the caller knows the inspection;
    // 4096 is what a read of the inventory would bring).
    fake.put(inspected("t1", 4096));
    let again = read_with_private(&r, &first.new_state, first.private.clone()).await;
    assert_eq!(
        fake.calls().last().map(String::as_str),
        Some(format!("read {id}").as_str())
    );
    assert_eq!(ram(&again.new_state), Some(1024.0));

    // Inspected again since: the new hardware is read.
    fake.put(inspected("t2", 2048));
    let newer = read_with_private(&r, &again.new_state, again.private.clone()).await;
    assert_eq!(ram(&newer.new_state), Some(2048.0));
    assert_eq!(
        Private::decode(&newer.private).inspected_at.as_deref(),
        Some("t2")
    );
}

#[tokio::test]
async fn a_create_plan_for_a_taken_name_warns_and_changes_nothing() {
    let fake = Arc::new(FakeHosts::with([host("u-other", NODE)]));
    let r = resource(&fake);
    let plan = plan_create(&r, &config(&[])).await;
    let warning = plan
        .diagnostics
        .iter()
        .find(|d| d.summary.contains("already has a node named metal3~w0"))
        .unwrap_or_else(|| panic!("{:?}", plan.diagnostics));
    assert_eq!(warning.severity, Severity::Warning);
    assert!(!fake.wrote(), "{:?}", fake.calls());
}

#[tokio::test]
async fn a_node_gone_from_ironic_stays_in_the_state_as_detached() {
    let fake = Arc::new(FakeHosts::default());
    let r = resource(&fake);
    let state = create(&r, &config(&[])).await;
    let fresh = FakeHosts::default();
    let r = BaremetalHostResource::new(ProviderState::connected_to(Arc::new(fresh), "metal3"));
    let read = read(&r, &state).await;
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    assert!(
        !read.new_state.is_null(),
        "the host is not dropped from the state"
    );
    assert_eq!(read.new_state, missing_node_state(&state));
}

/// A create of the default configuration whose `ensure` fails with `error`, the lifecycle having
/// got as far as `partial`.
async fn failing_create(error: LifecycleError, partial: Option<HostStatus>) -> ApplyResponse {
    let fake = Arc::new(FakeHosts::default());
    let r = resource(&fake);
    let cfg = config(&[]);
    let planned = plan_create(&r, &cfg).await.planned_state;
    fake.fail_next_ensure(failure(error, partial));
    apply(&r, &Value::Null, &planned, &cfg).await
}

#[tokio::test]
async fn an_interrupted_create_is_an_error_with_the_partial_host_never_complete() {
    let applied = failing_create(cancelled(), Some(host("u-partial", NODE))).await;
    assert_eq!(applied.diagnostics.len(), 1);
    let d = &applied.diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.detail.contains("terraform untaint"), "{}", d.detail);
    assert_eq!(text(&applied.new_state, "id"), Some("u-partial"));
}

#[tokio::test]
async fn a_failed_create_records_the_node_it_made_and_is_an_error() {
    let applied = failing_create(failed(), Some(host("u-failed", NODE))).await;
    assert_eq!(applied.diagnostics[0].severity, Severity::Error);
    assert_eq!(text(&applied.new_state, "id"), Some("u-failed"));

    // Nothing made: nothing recorded.
    let applied = failing_create(failed(), None).await;
    assert_eq!(applied.diagnostics[0].severity, Severity::Error);
    assert!(applied.new_state.is_null());
}

#[tokio::test]
async fn a_failed_update_keeps_what_ironic_holds_so_the_next_plan_retries() {
    let fake = Arc::new(FakeHosts::default());
    let r = resource(&fake);
    let state = create(&r, &config(&[])).await;
    let id = text(&state, "id").unwrap().to_owned();
    let mut cfg = config(&[("description", Value::from("rack 2"))]);
    cfg.set_attr("id", id.as_str());
    let mut planned = state.clone();
    planned.set_attr("description", "rack 2");
    let mut partial = host(&id, NODE);
    partial.description = Some("rack 1".into());
    fake.fail_next_ensure(failure(failed(), Some(partial)));
    let applied = apply(&r, &state, &planned, &cfg).await;
    assert_eq!(applied.diagnostics[0].severity, Severity::Error);
    assert_eq!(text(&applied.new_state, "description"), Some("rack 1"));
    assert_eq!(text(&applied.new_state, "id"), Some(id.as_str()));
}

#[tokio::test]
async fn destroy_follows_the_state_adopted_disks_are_never_cleaned() {
    let fake = Arc::new(FakeHosts::default());
    let r = resource(&fake);
    let adopted = config(&[
        ("externally_provisioned", Value::from(true)),
        ("power_off_on_destroy", Value::from(false)),
    ]);
    let state = create(&r, &adopted).await;
    let destroyed = apply(&r, &state, &Value::Null, &Value::Null).await;
    assert!(
        destroyed.diagnostics.is_empty(),
        "{:?}",
        destroyed.diagnostics
    );
    assert!(destroyed.new_state.is_null());
    let options = fake.deleted_with().expect("deleted");
    assert!(
        options.externally_provisioned && !options.power_off,
        "{options:?}"
    );

    let state = create(&r, &config(&[])).await;
    apply(&r, &state, &Value::Null, &Value::Null).await;
    let options = fake.deleted_with().unwrap();
    assert!(
        !options.externally_provisioned && options.power_off,
        "{options:?}"
    );
}

#[tokio::test]
async fn importing_a_missing_host_fails_and_writes_nothing() {
    let fake = Arc::new(FakeHosts::default());
    let r = resource(&fake);
    let imported = r
        .import(ImportRequest {
            by: ImportBy::Id("metal3/w0".into()),
            client_capabilities: capabilities(),
            cancel: CancellationToken::new(),
        })
        .await;
    assert!(imported.imported.is_empty());
    assert!(imported.diagnostics[0].summary.contains("not found"));
    // In the provider's namespace a plain-named node is looked for too (read only).
    assert_eq!(fake.calls(), ["status metal3~w0", "status w0"]);
}
