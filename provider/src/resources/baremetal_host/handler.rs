//! The `metal3_baremetal_host` resource handler: the pure layer (validate, plan, state) wired to
//! the core lifecycle engine through the shared provider state.

use std::sync::Arc;

use async_trait::async_trait;
use metal3_core::lifecycle::{
    AutomatedCleaningMode, HostStatus, Lifecycle, LifecycleFailure, OpContext,
};

use super::config::{HostConfig, Operation};
use super::convert::{host_names, host_spec, imported_node};
use super::import::{
    identity_value, imported_state, parse_identity, parse_import_id, ImportTarget,
};
use super::names::node_name;
use super::plan::{plan, PlanInput};
use super::state::{host_state, merge_apply_result, StatusView};
use super::validate::validate_config;
use crate::codec::{AttributePath, PathStep, Value};
use crate::diagnostics::{Diagnostic, Severity};
use crate::provider_config::ProviderState;
use crate::schema::provider_config::DEFAULT_NAMESPACE;
use crate::schema::{self, IdentitySchema, Schema};
use crate::server::handlers::*;

pub struct BaremetalHostResource {
    state: Arc<ProviderState>,
    schema: Schema,
    identity: IdentitySchema,
}

impl BaremetalHostResource {
    pub fn new(state: Arc<ProviderState>) -> BaremetalHostResource {
        BaremetalHostResource {
            state,
            schema: schema::baremetal_host::schema(),
            identity: schema::baremetal_host::identity(),
        }
    }

    fn default_namespace(&self) -> String {
        self.state
            .namespace()
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned())
    }
}

fn str_at<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get(name).and_then(Value::as_str)
}

/// `(namespace, name)` identity of a state or plan, when both are known.
fn identity_of(value: &Value) -> Option<Value> {
    Some(identity_value(
        str_at(value, "namespace")?,
        str_at(value, "name")?,
    ))
}

fn host_label(value: &Value) -> String {
    match (str_at(value, "namespace"), str_at(value, "name")) {
        (Some(ns), Some(name)) => format!("{ns}/{name}"),
        (_, Some(name)) => name.to_owned(),
        _ => "host".to_owned(),
    }
}

/// Diagnostics for a failed lifecycle operation: the engine's message (which carries Ironic's
/// last_error and never a credential), and where the host stands.
fn failure_diagnostic(what: &str, label: &str, failure: &LifecycleFailure) -> Diagnostic {
    let state = failure
        .partial
        .as_ref()
        .map(|s| s.provisioning_state.as_str().to_owned())
        .filter(|s| !s.is_empty());
    if failure.error.is_cancelled() {
        return Diagnostic::error(
            format!("{what} of {label} interrupted"),
            format!(
                "interrupted: {}; the host is in state {}. The next apply continues from there.",
                failure.error,
                state.as_deref().unwrap_or("unknown")
            ),
        );
    }
    let mut detail = failure.error.to_string();
    if let Some(partial) = &failure.partial {
        if let Some(message) = &partial.error_message {
            if !detail.contains(message.as_str()) {
                detail.push_str(&format!("\nIronic's last error: {message}"));
            }
        }
        detail.push_str(&format!(
            "\nThe host is in state {} (Ironic: {}).",
            state.as_deref().unwrap_or("unknown"),
            partial.ironic_provision_state
        ));
    }
    Diagnostic::error(format!("{what} of {label} failed"), detail)
}

fn changed(prior: &Value, planned: &Value, steps: &[&str]) -> bool {
    let path = AttributePath(
        steps
            .iter()
            .map(|s| PathStep::Attribute(s.to_string()))
            .collect(),
    );
    let get = |v: &Value| v.get_path(&path).cloned().unwrap_or(Value::Null);
    get(prior) != get(planned)
}

/// Credentials changed in place: they are rotated in Ironic before `ensure` runs.
fn credentials_changed(prior: &Value, planned: &Value) -> bool {
    ["username", "password", "password_wo_version"]
        .iter()
        .any(|field| changed(prior, planned, &["bmc", field]))
}

/// Ironic has no inventory for adopted (re-enrolled or imported-then-lost) nodes; like a
/// BareMetalHost's status, the hardware details last reported are kept rather than erased.
fn keep_hardware(mut state: Value, status: &HostStatus, earlier: &Value) -> Value {
    let earlier_hw = earlier
        .get("hardware")
        .filter(|hw| hw.is_known() && !hw.is_null());
    if let (None, Some(hw)) = (&status.hardware, earlier_hw) {
        state.set_attr("hardware", hw.clone());
    }
    state
}

#[async_trait]
impl ResourceHandler for BaremetalHostResource {
    fn type_name(&self) -> &str {
        schema::baremetal_host::TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn identity_schema(&self) -> Option<&IdentitySchema> {
        Some(&self.identity)
    }

    async fn validate(&self, config: &Value) -> Vec<Diagnostic> {
        validate_config(config)
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        if request.proposed_new_state.is_null() {
            return PlanResponse::default();
        }
        let namespace = self.state.namespace();
        let output = plan(PlanInput {
            prior: Some(request.prior_state.clone()),
            proposed: request.proposed_new_state,
            config: request.config.clone(),
            namespace_default: namespace
                .clone()
                .unwrap_or_else(|| DEFAULT_NAMESPACE.into()),
        });
        let mut planned = output.planned;
        let namespace_from_provider = request.config.get("namespace").is_none_or(Value::is_null);
        if namespace.is_none() && namespace_from_provider {
            planned.set_attr("namespace", Value::unknown());
        }
        PlanResponse {
            planned_identity: identity_of(&planned),
            planned_state: planned,
            requires_replace: output.requires_replace,
            planned_private: request.prior_private,
            diagnostics: output.diagnostics,
        }
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        if request.planned_state.is_null() {
            return self.destroy(request).await;
        }
        self.create_or_update(request).await
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let current = request.current_state;
        let keep = |diagnostics: Vec<Diagnostic>, state: Value| ReadResponse {
            new_identity: identity_of(&state),
            new_state: state,
            private: request.private.clone(),
            diagnostics,
        };
        let Some(id) = str_at(&current, "id").map(str::to_owned) else {
            // A create that failed before any node existed: nothing to track.
            return ReadResponse::default();
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return keep(vec![d], current),
        };
        match engine.status(&id).await {
            Ok(Some(status)) => {
                let state = host_state(&current, &StatusView::from(&status));
                keep(Vec::new(), keep_hardware(state, &status, &current))
            }
            Ok(None) => self.read_missing(&engine, current, request.cancel).await,
            Err(e) => keep(
                vec![Diagnostic::error(
                    format!("Reading {} failed", host_label(&current)),
                    e.to_string(),
                )],
                current,
            ),
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let default_ns = self.default_namespace();
        let target = match &request.by {
            ImportBy::Id(id) => parse_import_id(id, &default_ns),
            ImportBy::Identity(identity) => parse_identity(identity)
                .map(|(namespace, name)| ImportTarget::ByName { namespace, name }),
        };
        let fail = |d: Diagnostic| ImportResponse {
            imported: Vec::new(),
            diagnostics: vec![d],
        };
        let target = match target {
            Ok(t) => t,
            Err(d) => return fail(d),
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return fail(d),
        };
        let (lookup, fallback) = match &target {
            ImportTarget::ByUuid(uuid) => (uuid.clone(), None),
            ImportTarget::ByName { namespace, name } => (
                node_name(namespace, name),
                Some((namespace.clone(), name.clone())),
            ),
        };
        // Reads only: importing never changes anything in Ironic.
        let status = match engine.status(&lookup).await {
            Ok(Some(status)) => status,
            Ok(None) => {
                return fail(Diagnostic::error(
                    "Cannot import: host not found",
                    format!("Ironic has no node \"{lookup}\"."),
                ))
            }
            Err(e) => return fail(Diagnostic::error("Cannot import host", e.to_string())),
        };
        let (namespace, name) = match fallback {
            Some((ns, name)) => (ns, name),
            None => match import_names(&status, &default_ns) {
                Ok(names) => names,
                Err(d) => return fail(d),
            },
        };
        let node = imported_node(&status, namespace.clone(), name.clone());
        let state = imported_state(&node, &StatusView::from(&status));
        ImportResponse {
            imported: vec![ImportedResource {
                state,
                private: Vec::new(),
                identity: Some(identity_value(&namespace, &name)),
            }],
            diagnostics: Vec::new(),
        }
    }
}

/// `(namespace, name)` of a node imported by UUID: from its `<namespace>~<name>` name, or its
/// plain name in the provider's namespace when that is a valid host name.
fn import_names(status: &HostStatus, default_ns: &str) -> Result<(String, String), Diagnostic> {
    let plain = status.name.clone().unwrap_or_default();
    let (namespace, name) = host_names(status, (default_ns, &plain));
    super::names::check_name(&name).map_err(|e| {
        Diagnostic::error(
            "Cannot import host",
            format!(
                "node {} has no name usable as a host name (\"{plain}\" {e}); name it \
                 `<namespace>~<name>` in Ironic first",
                status.id
            ),
        )
    })?;
    Ok((namespace, name))
}

impl BaremetalHostResource {
    async fn create_or_update(&self, request: ApplyRequest) -> ApplyResponse {
        let planned = request.planned_state;
        let prior = request.prior_state;
        let creating = prior.is_null();
        let label = host_label(&planned);
        let what = if creating { "Create" } else { "Update" };
        let fail_before = |diagnostics: Vec<Diagnostic>| ApplyResponse {
            new_identity: identity_of(&prior),
            new_state: prior.clone(),
            private: request.planned_private.clone(),
            diagnostics,
        };
        let planned_config = match HostConfig::from_value(&planned) {
            Ok(c) => c,
            Err(d) => return fail_before(d),
        };
        let config = HostConfig::from_value(&request.config).ok();
        let spec = match host_spec(&planned_config, config.as_ref(), &self.default_namespace()) {
            Ok(spec) => spec,
            Err(d) => return fail_before(d),
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return fail_before(vec![d]),
        };
        let operation = if creating {
            Operation::Create
        } else {
            Operation::Update
        };
        let ctx = OpContext::new(planned_config.timeout(operation), request.cancel.clone());
        let known_id = str_at(&prior, "id").map(str::to_owned);
        let mut result: Result<HostStatus, LifecycleFailure> = Err(LifecycleFailure {
            error: metal3_core::lifecycle::LifecycleError::InvalidSpec {
                host: spec.node_name(),
                message: "not started".into(),
            },
            partial: None,
        });
        let mut rotated = true;
        if let Some(id) = known_id.as_deref() {
            if credentials_changed(&prior, &planned) {
                tracing::info!("host {}: rotating BMC credentials", spec.node_name());
                if let Err(failure) = engine.rotate_credentials(&spec, id, &ctx).await {
                    rotated = false;
                    result = Err(failure);
                }
            }
        }
        if rotated {
            result = engine.ensure(&spec, known_id.as_deref(), &ctx).await;
        }
        let identity = identity_of(&planned);
        match result {
            Ok(status) => ApplyResponse {
                new_state: keep_hardware(
                    merge_apply_result(&planned, &StatusView::from(&status)),
                    &status,
                    &prior,
                ),
                private: request.planned_private,
                new_identity: identity,
                diagnostics: Vec::new(),
            },
            Err(failure) => {
                let mut diagnostic = failure_diagnostic(what, &label, &failure);
                if creating && failure.error.is_cancelled() && failure.partial.is_some() {
                    // Terraform taints a create that reports an error, so the next apply
                    // would delete the node and start over. An interruption is not a
                    // failure of the host: keep it untainted (a warning) so the next apply
                    // resumes it. Terraform itself still exits non-zero when interrupted.
                    diagnostic.severity = Severity::Warning;
                }
                let new_state = match &failure.partial {
                    // The node exists: record it (with its id) so nothing is lost. A failed
                    // create is tainted by Terraform; a failed update keeps the prior
                    // arguments so the next plan shows (and the next apply retries) the change.
                    Some(partial) if creating => {
                        merge_apply_result(&planned, &StatusView::from(partial))
                    }
                    Some(partial) => host_state(&prior, &StatusView::from(partial)),
                    None if creating => Value::Null,
                    None => prior.clone(),
                };
                ApplyResponse {
                    new_identity: if new_state.is_null() { None } else { identity },
                    new_state,
                    private: request.planned_private,
                    diagnostics: vec![diagnostic],
                }
            }
        }
    }

    async fn destroy(&self, request: ApplyRequest) -> ApplyResponse {
        let prior = request.prior_state;
        let keep = |diagnostics: Vec<Diagnostic>| ApplyResponse {
            new_identity: identity_of(&prior),
            new_state: prior.clone(),
            private: request.planned_private.clone(),
            diagnostics,
        };
        let Some(id) = str_at(&prior, "id").map(str::to_owned) else {
            return ApplyResponse::default();
        };
        let config = match HostConfig::from_value(&prior) {
            Ok(c) => c,
            Err(d) => return keep(d),
        };
        let cleaning = config
            .automated_cleaning_mode
            .as_deref()
            .and_then(AutomatedCleaningMode::parse)
            .unwrap_or_default();
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return keep(vec![d]),
        };
        let ctx = OpContext::new(config.timeout(Operation::Delete), request.cancel);
        match engine.delete(&id, cleaning, &ctx).await {
            Ok(()) => ApplyResponse::default(),
            Err(error) => {
                let state = engine
                    .status(&id)
                    .await
                    .ok()
                    .flatten()
                    .map(|s| host_state(&prior, &StatusView::from(&s)))
                    .unwrap_or_else(|| prior.clone());
                let failure = LifecycleFailure {
                    error,
                    partial: None,
                };
                let diagnostic = failure_diagnostic("Destroy", &host_label(&prior), &failure);
                ApplyResponse {
                    new_identity: identity_of(&state),
                    new_state: state,
                    private: request.planned_private,
                    diagnostics: vec![diagnostic],
                }
            }
        }
    }

    /// The node is gone from Ironic. A provisioned host is re-enrolled and adopted (Ironic's
    /// database can be transient, as in Metal3); anything else leaves the state.
    async fn read_missing(
        &self,
        engine: &Lifecycle,
        current: Value,
        cancel: tokio_util::sync::CancellationToken,
    ) -> ReadResponse {
        let label = host_label(&current);
        let provisioned = matches!(
            str_at(&current, "provisioning_state"),
            Some("provisioned") | Some("externally provisioned")
        );
        if !provisioned {
            tracing::info!("host {label}: node gone from Ironic; removing it from the state");
            return ReadResponse::default();
        }
        let config = match HostConfig::from_value(&current) {
            Ok(c) => c,
            Err(d) => {
                return ReadResponse {
                    new_identity: identity_of(&current),
                    new_state: current,
                    diagnostics: d,
                    ..ReadResponse::default()
                }
            }
        };
        let spec = match host_spec(&config, None, &self.default_namespace()) {
            Ok(spec) => spec,
            Err(_) => {
                // Typically a write-only password, which the state does not hold.
                return ReadResponse {
                    diagnostics: vec![Diagnostic::warning(
                        format!("{label}: node gone from Ironic"),
                        "The provisioned host's Ironic node no longer exists and cannot be \
                         re-enrolled without its BMC password (write-only passwords are not \
                         stored in state). It is removed from the state; the next apply \
                         enrolls it again.",
                    )],
                    ..ReadResponse::default()
                };
            }
        };
        tracing::info!("host {label}: node gone from Ironic; re-enrolling and adopting it");
        let ctx = OpContext::new(config.timeout(Operation::Read), cancel);
        match engine.reenroll_provisioned(&spec, &ctx).await {
            Ok(status) => {
                let state = host_state(&current, &StatusView::from(&status));
                let state = keep_hardware(state, &status, &current);
                ReadResponse {
                    new_identity: identity_of(&state),
                    new_state: state,
                    diagnostics: vec![Diagnostic::warning(
                        format!("{label}: re-enrolled in Ironic"),
                        format!(
                            "Ironic had lost the provisioned host's node; it was re-enrolled and \
                             adopted without touching the disk (new node id {}).",
                            status.id
                        ),
                    )],
                    ..ReadResponse::default()
                }
            }
            Err(failure) => {
                let state = match &failure.partial {
                    Some(partial) => host_state(&current, &StatusView::from(partial)),
                    None => current.clone(),
                };
                ReadResponse {
                    new_identity: identity_of(&state),
                    new_state: state,
                    diagnostics: vec![failure_diagnostic("Re-enrolling", &label, &failure)],
                    ..ReadResponse::default()
                }
            }
        }
    }
}
