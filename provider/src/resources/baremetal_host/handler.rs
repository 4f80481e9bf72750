//! The `metal3_baremetal_host` resource handler: the pure layer (validate, plan, state) wired to
//! the core lifecycle engine through the shared provider state.
//!
//! Plan and Read send Ironic reads only; only apply changes anything.

use std::sync::Arc;

use async_trait::async_trait;
use metal3_core::lifecycle::status::timeout_error_type;
use metal3_core::lifecycle::{
    ErrorType, HostStatus, KnownHost, LifecycleError, LifecycleFailure, OpContext,
};

use super::config::{HostConfig, Operation, BMC_CREDENTIALS};
use super::convert::{host_spec, known_host};
use super::failure::{failure_diagnostic, timeout_diagnostic, TimeLimit};
use super::import::{parse_identity, parse_import_id, ImportTarget};
use super::plan::{changed, describe_destroy, plan, PlanInput};
use super::private::Private;
use super::refresh::{keep_hardware, missing_node_state, refreshed_state};
use super::schema;
use super::state::{host_state, merge_apply_result, merge_apply_result_with};
use super::validate::validate_config;
use crate::codec::{AttributePath, Value};
use crate::diagnostics::{Diagnostic, Severity};
use crate::host::imported::{identity_value, imported_node, imported_state};
use crate::host::names::node_name;
use crate::host::status::{host_names, StatusView};
use crate::provider_config::{ProviderState, DEFAULT_NAMESPACE};
use crate::schema::IdentitySchema;
use crate::server::handlers::*;

pub struct BaremetalHostResource {
    state: Arc<ProviderState>,
    declaration: Declaration,
    identity: IdentitySchema,
    /// Node names and boot MACs planned so far in this process (one plan), with the
    /// configuration that declared them: a second resource declaring the same host is refused
    /// at plan instead of failing at apply.
    planned: std::sync::Mutex<std::collections::HashMap<String, u64>>,
    /// Node ids of the hosts this process planned from a prior state (this plan's own hosts):
    /// a create that meets one of them in Ironic is the replacement of that host.
    planned_from_state: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl BaremetalHostResource {
    pub fn new(state: Arc<ProviderState>) -> BaremetalHostResource {
        BaremetalHostResource {
            state,
            declaration: Declaration::new(schema::TYPE_NAME, schema::schema())
                .with_doc(include_str!("doc.md"))
                .with_validator(validate_config),
            identity: schema::identity(),
            planned: Default::default(),
            planned_from_state: Default::default(),
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
        str_at(value, HostConfig::NAMES.namespace)?,
        str_at(value, HostConfig::NAMES.name)?,
    ))
}

fn host_label(value: &Value) -> String {
    match (
        str_at(value, HostConfig::NAMES.namespace),
        str_at(value, HostConfig::NAMES.name),
    ) {
        (Some(ns), Some(name)) => format!("{ns}/{name}"),
        (_, Some(name)) => name.to_owned(),
        _ => "host".to_owned(),
    }
}

/// Feeds a value's content (not its `Debug`, which hides strings) to a hasher.
fn hash_value(value: &Value, hasher: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Unknown(_) => 1u8.hash(hasher),
        Value::Bool(b) => (2u8, b).hash(hasher),
        Value::Number(n) => (3u8, n.to_string()).hash(hasher),
        Value::String(s) => (4u8, s).hash(hasher),
        Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => {
            (5u8, xs.len()).hash(hasher);
            xs.iter().for_each(|x| hash_value(x, hasher));
        }
        Value::Map(m) | Value::Object(m) => {
            (6u8, m.len()).hash(hasher);
            for (k, v) in m {
                k.hash(hasher);
                hash_value(v, hasher);
            }
        }
        Value::Dynamic(_, v) => hash_value(v, hasher),
    }
}

/// `state` recording an error (type and message) as its status.
fn with_error(mut state: Value, error_type: ErrorType, message: &str) -> Value {
    state.set_attr(StatusView::NAMES.error_type, error_type.as_str());
    state.set_attr(StatusView::NAMES.error_message, message);
    state.set_attr(StatusView::NAMES.operational_status, "error");
    state
}

/// `state` with the BMC credentials of `planned` (username, password and its version).
fn with_credentials_of(mut state: Value, planned: &Value) -> Value {
    let Some(sent) = planned.get(HostConfig::NAMES.bmc).cloned() else {
        return state;
    };
    if let Some(bmc) = state
        .get_mut(HostConfig::NAMES.bmc)
        .filter(|b| b.as_map().is_some())
    {
        for &field in BMC_CREDENTIALS {
            bmc.set_attr(field, sent.get(field).cloned().unwrap_or(Value::Null));
        }
    }
    state
}

/// Plan warnings name the host: a destroy plan has no configuration for Terraform to point at,
/// and one block may stand for many hosts (`for_each`).
fn labelled(state: &Value, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let label = host_label(state);
    diagnostics
        .into_iter()
        .map(|mut d| {
            if d.severity == Severity::Warning {
                d.summary = format!("{label}: {}", d.summary);
            }
            d
        })
        .collect()
}

/// Credentials changed in place: they are sent to Ironic and verified during the apply.
fn credentials_changed(prior: &Value, planned: &Value) -> bool {
    BMC_CREDENTIALS
        .iter()
        .any(|field| changed(prior, planned, &[HostConfig::NAMES.bmc, field]))
}

#[async_trait]
impl ResourceHandler for BaremetalHostResource {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    fn identity_schema(&self) -> Option<&IdentitySchema> {
        Some(&self.identity)
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        if request.proposed_new_state.is_null() {
            // Destroy: say what happens to the machine before anything does.
            return PlanResponse {
                diagnostics: match request.prior_state.is_null() {
                    true => Vec::new(),
                    false => labelled(
                        &request.prior_state,
                        vec![Diagnostic::warning(
                            describe_destroy(&request.prior_state),
                            "",
                        )],
                    ),
                },
                ..PlanResponse::default()
            };
        }
        let namespace = self.state.namespace();
        let creating = request.prior_state.is_null();
        if let Some(id) = str_at(&request.prior_state, HostConfig::NAMES.id) {
            // Terraform plans a replacement's create with no prior state, after this one.
            if let Ok(mut seen) = self.planned_from_state.lock() {
                seen.insert(id.to_owned());
            }
        }
        let output = plan(PlanInput {
            prior: Some(request.prior_state.clone()),
            proposed: request.proposed_new_state,
            requires_replace: request.requires_replace,
            config: request.config.clone(),
            namespace_default: namespace
                .clone()
                .unwrap_or_else(|| DEFAULT_NAMESPACE.into()),
            applied: Private::decode(&request.prior_private),
        });
        let mut planned = output.planned;
        let mut diagnostics = output.diagnostics;
        let namespace_from_provider = request
            .config
            .get(HostConfig::NAMES.namespace)
            .is_none_or(Value::is_null);
        if namespace.is_none() && namespace_from_provider {
            planned.set_attr(HostConfig::NAMES.namespace, Value::unknown());
        }
        diagnostics.extend(self.declared_twice(&planned, &request.config));
        if creating && !diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.extend(self.existing_node_warning(&planned).await);
        }
        let diagnostics = labelled(&planned, diagnostics);
        PlanResponse {
            planned_identity: identity_of(&planned),
            planned_state: planned,
            requires_replace: output.requires_replace,
            planned_private: request.prior_private,
            diagnostics,
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
        // The identity is the one applied, even when the node was renamed in Ironic.
        let identity = request
            .current_identity
            .clone()
            .or_else(|| identity_of(&current));
        let keep = |diagnostics: Vec<Diagnostic>, state: Value| ReadResponse {
            new_identity: identity.clone(),
            new_state: state,
            private: request.private.clone(),
            diagnostics,
        };
        let Some(id) = str_at(&current, HostConfig::NAMES.id).map(str::to_owned) else {
            // A create that failed before any node existed: nothing to track.
            return ReadResponse::default();
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return keep(vec![d], current),
        };
        // The inventory is read again only when Ironic inspected the host since the state's
        // hardware details were read.
        let private = Private::decode(&request.private);
        let has_hardware = current
            .get(StatusView::NAMES.hardware)
            .is_some_and(|hw| !hw.is_null());
        let known_inspection = private.inspected_at.as_deref().filter(|_| has_hardware);
        // Reads only: a refresh (and so a plan) never changes anything in Ironic.
        match engine.read(&id, known_inspection).await {
            Ok(Some(status)) => {
                let read = hardware_attributes(&engine, &current, &status).await;
                let mut state = refreshed_state(&current, &status);
                for (name, value) in read.attributes {
                    state.set_attr(name, value);
                }
                ReadResponse {
                    private: private
                        .clone()
                        .inspected_at(status.inspection_finished_at.as_deref())
                        .bios_registry(read.registry)
                        .encode(),
                    ..keep(read.diagnostics, state)
                }
            }
            Ok(None) => {
                tracing::info!(
                    "host {}: node {id} is gone from Ironic; kept in the state as detached",
                    host_label(&current)
                );
                keep(Vec::new(), missing_node_state(&current))
            }
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
        let mut found = engine.status(&lookup).await;
        // A node with a plain name is that host in the provider's namespace (as the list
        // resource shows it); the first apply renames it `<namespace>~<name>`.
        if let (Ok(None), Some((namespace, name))) = (&found, &fallback) {
            if *namespace == default_ns {
                found = engine.status(name).await;
            }
        }
        let status = match found {
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
        let state = imported_state(&node, &StatusView::from(&status), self.declaration.schema());
        ImportResponse {
            imported: vec![ImportedResource {
                private: Private::of(&state).encode(),
                state,
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
    crate::host::names::check_name(&name).map_err(|e| {
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
    /// Whether another resource of this plan already declared the same host (name) or NIC
    /// (boot MAC). Terraform plans a resource instance twice when it replaces it (once as an
    /// update, once as the create of the replacement), with the same configuration: that is
    /// the same resource, not a second one.
    fn declared_twice(&self, planned: &Value, config: &Value) -> Vec<Diagnostic> {
        let fingerprint = {
            use std::hash::Hasher;
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            hash_value(config, &mut hasher);
            hasher.finish()
        };
        let mut keys = Vec::new();
        if let (Some(namespace), Some(name)) = (
            str_at(planned, HostConfig::NAMES.namespace),
            str_at(planned, HostConfig::NAMES.name),
        ) {
            keys.push((
                HostConfig::NAMES.name,
                format!("name {}", node_name(namespace, name)),
                format!("the host {namespace}/{name}"),
            ));
        }
        if let Some(mac) = str_at(planned, HostConfig::NAMES.boot_mac_address) {
            let mac = mac.to_ascii_lowercase();
            keys.push((
                HostConfig::NAMES.boot_mac_address,
                format!("mac {mac}"),
                format!("the boot MAC {mac}"),
            ));
        }
        let Ok(mut seen) = self.planned.lock() else {
            return Vec::new();
        };
        keys.into_iter()
            .filter(|(_, key, _)| *seen.entry(key.clone()).or_insert(fingerprint) != fingerprint)
            .map(|(attribute, _, what)| {
                Diagnostic::error(
                    "Host declared twice",
                    format!(
                        "Another metal3_baremetal_host of this configuration also declares \
                         {what}. Each machine is one resource: with two, the second apply would \
                         fail with \"already exists\". Remove one of them or change `{attribute}`."
                    ),
                )
                .at(AttributePath::root().attribute(attribute))
            })
            .collect()
    }

    /// A create plan for a name Ironic already has: either this is the replacement of the
    /// resource's own host (tainted, or `-replace`), whose destroy runs first, or apply will
    /// refuse with "already exists". Terraform does not tell the provider which, so the plan
    /// says both. Reads only; an unreachable Ironic is left to the apply to report.
    async fn existing_node_warning(&self, planned: &Value) -> Option<Diagnostic> {
        let (namespace, name) = (
            str_at(planned, HostConfig::NAMES.namespace)?,
            str_at(planned, HostConfig::NAMES.name)?,
        );
        let engine = self.state.engine().await.ok()?;
        let status = match engine.status(&node_name(namespace, name)).await {
            Ok(status) => status?,
            Err(error) => {
                tracing::debug!("looking up {namespace}/{name} before creating it: {error}");
                return None;
            }
        };
        let as_state = imported_state(
            &imported_node(&status, namespace.to_owned(), name.to_owned()),
            &StatusView::from(&status),
            self.declaration.schema(),
        );
        let replacing = self
            .planned_from_state
            .lock()
            .map(|seen| seen.contains(&status.id))
            .unwrap_or(false);
        let summary = format!(
            "Ironic already has a node named {}~{} ({}, provision state \"{}\")",
            namespace, name, status.id, status.ironic_provision_state
        );
        let detail = if replacing {
            format!(
                "It is this resource's own host, which this plan replaces: apply first destroys \
                 it ({}), then creates the host anew.",
                describe_destroy(&as_state)
            )
        } else {
            format!(
                "No resource of this configuration manages it: apply stops with an \"already \
                 exists\" error and changes nothing. Import it (`terraform import <address> \
                 {namespace}/{name}`) to manage it here."
            )
        };
        Some(Diagnostic::warning(summary, detail))
    }

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
        let known: Option<KnownHost> = (!creating).then(|| known_host(&prior)).flatten();
        let new_credentials = !creating && credentials_changed(&prior, &planned);
        let result = engine
            .ensure(&spec, known.as_ref(), new_credentials, &ctx)
            .await;
        let identity = identity_of(&planned);
        let private = Private::of(&planned).encode();
        match result {
            Ok(status) => {
                let read = hardware_attributes(&engine, &planned, &status).await;
                ApplyResponse {
                    new_state: keep_hardware(
                        merge_apply_result_with(
                            &planned,
                            &StatusView::from(&status),
                            read.attributes,
                        ),
                        &status,
                        &prior,
                    ),
                    private: Private::of(&planned)
                        .inspected_at(status.inspection_finished_at.as_deref())
                        .bios_registry(read.registry)
                        .encode(),
                    new_identity: identity,
                    diagnostics: read.diagnostics,
                }
            }
            Err(failure) => {
                let limit = TimeLimit::of(&planned_config, operation);
                let diagnostic = match &failure.error {
                    LifecycleError::Timeout { .. } => {
                        timeout_diagnostic(what, &label, &limit, &failure)
                    }
                    _ => failure_diagnostic(what, &label, &failure),
                };
                let new_state = match &failure.partial {
                    // The node exists: record it (with its id) so nothing is lost. A failed
                    // create is tainted by Terraform; a failed update keeps the prior
                    // arguments so the next plan shows (and the next apply retries) the change.
                    // Status attributes are what Ironic holds.
                    Some(partial) if creating => keep_hardware(
                        merge_apply_result(&planned, &StatusView::from(partial)),
                        partial,
                        &prior,
                    ),
                    Some(partial) => refreshed_state(&prior, partial),
                    None if creating => Value::Null,
                    None => prior.clone(),
                };
                // Ironic holds the credentials it was sent, accepted by the BMC or not: so does
                // the state, and a configuration that puts the old ones back is a change.
                let new_state = if failure.credentials_sent && !creating {
                    with_credentials_of(new_state, &planned)
                } else {
                    new_state
                };
                // Ironic reports no error for a host still waiting: the state says why the
                // apply stopped, until the next refresh reads the host again.
                let new_state = match &failure.error {
                    LifecycleError::Timeout { state, .. } if !new_state.is_null() => {
                        with_error(new_state, timeout_error_type(state), &diagnostic.detail)
                    }
                    _ => new_state,
                };
                let private = if creating {
                    private
                } else {
                    request.planned_private.clone()
                };
                ApplyResponse {
                    new_identity: if new_state.is_null() { None } else { identity },
                    new_state,
                    private,
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
        let Some(id) = str_at(&prior, HostConfig::NAMES.id).map(str::to_owned) else {
            return ApplyResponse::default();
        };
        let config = match HostConfig::from_value(&prior) {
            Ok(c) => c,
            Err(d) => return keep(d),
        };
        // As the destroy plan said: its forecast was made with these options.
        let options = super::forecast::delete_options(&prior);
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return keep(vec![d]),
        };
        let ctx = OpContext::new(config.timeout(Operation::Delete), request.cancel);
        match engine.delete(&id, &options, &ctx).await {
            Ok(()) => ApplyResponse::default(),
            Err(error) => {
                let status = engine.status(&id).await.ok().flatten();
                let state = status
                    .as_ref()
                    .map(|s| host_state(&prior, &StatusView::from(s)))
                    .unwrap_or_else(|| prior.clone());
                // Where the host stands, for the message (an interrupted destroy says it).
                let failure = LifecycleFailure {
                    error,
                    partial: status,
                    credentials_sent: false,
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
}

#[cfg(test)]
#[path = "handler_tests.rs"]
mod tests;

/// The computed hardware attributes of `state` (`bios_settings_current`,
/// `firmware_components_current`, `hardware_settings_pending`), with the BIOS and firmware read
/// only when its arguments need them. A failed read leaves them null, with a warning.
async fn hardware_attributes(
    engine: &Arc<dyn crate::host::lifecycle::Hosts>,
    state: &Value,
    status: &HostStatus,
) -> HardwareRead {
    let (bios, firmware) = super::hardware_plan::wanted_readings(state);
    let read = if bios || firmware {
        engine.hardware_readings(&status.id, bios, firmware).await
    } else {
        Ok(Default::default())
    };
    let (readings, diagnostics) = match read {
        Ok(readings) => (readings, Vec::new()),
        Err(error) => (
            Default::default(),
            vec![Diagnostic::warning(
                format!(
                    "Could not read the BIOS or firmware of {}",
                    host_label(state)
                ),
                error.to_string(),
            )],
        ),
    };
    let attributes = super::hardware_plan::hardware_attributes(
        state,
        &status.hardware_settings_applied,
        &readings,
    );
    HardwareRead {
        attributes,
        diagnostics,
        registry: readings
            .bios
            .as_deref()
            .and_then(metal3_core::lifecycle::hardware_settings::registry_of),
    }
}

/// What a read of a host's BIOS and firmware gives the state and the private state.
struct HardwareRead {
    attributes: Vec<(&'static str, Value)>,
    diagnostics: Vec<Diagnostic>,
    /// The BIOS registry, for the next plan's check of `bios_settings`.
    registry: Option<Vec<metal3_core::lifecycle::hardware_settings::BiosSetting>>,
}
