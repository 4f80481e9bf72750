//! PlanResourceChange for `metal3_baremetal_host`: defaults, computed attributes (unknown where
//! apply will change them), replacement and human-readable warnings about what the change does
//! to the machine (redeploy, deprovision, power).

use metal3_core::bmc::machine_identity;
use metal3_core::bmc::DeployMode;
use metal3_core::client::ProvisionState as S;
use metal3_core::lifecycle::forecast::{Effect, Forecast};
use metal3_core::lifecycle::plan::{DeleteStep, Step};
use metal3_core::lifecycle::{AutomatedCleaningMode, DiskFormat, ProvisioningState};
use metal3_core::Vocabulary;

use super::private::Private;
use super::refresh::node_missing;
use super::state::resource_type;
use crate::codec::shape::complete_object;
use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::host::arguments::{BmcConfig, HostConfig, ImageConfig, BMC_CREDENTIALS};
use crate::host::status::STATUS_ATTRIBUTES;
use crate::host::status::{ProvisionedImage, StatusView};

#[derive(Debug, Clone)]
pub struct PlanInput {
    /// Prior state; `None` (or null) on create.
    pub prior: Option<Value>,
    /// Terraform's proposed new state (config merged with prior) with the schema's rules
    /// applied by the server: defaults written in, write-only values nulled, computed values
    /// left unset made unknown; null on destroy.
    pub proposed: Value,
    /// The schema's verdict on replacement (`name` and `namespace` changed from the prior
    /// state); `applied` may overrule it.
    pub requires_replace: Vec<AttributePath>,
    pub config: Value,
    /// The provider's `namespace`.
    pub namespace_default: String,
    /// What was last applied (private state): a refresh may read back another BMC address or
    /// node name from Ironic, but only a configuration naming another machine (or host)
    /// replaces the host.
    pub applied: Private,
}

#[derive(Debug, Clone)]
pub struct PlanOutput {
    pub planned: Value,
    pub requires_replace: Vec<AttributePath>,
    /// Warnings describing the change (validation errors come from `validate_config`, which
    /// Terraform calls before planning).
    pub diagnostics: Vec<Diagnostic>,
}

/// Provisioning states in which the host rests once an apply has finished successfully.
/// Where a host rests between applies.
const SETTLED_STATES: [ProvisioningState; 3] = [
    ProvisioningState::Available,
    ProvisioningState::Provisioned,
    ProvisioningState::ExternallyProvisioned,
];

fn get<'a>(value: &'a Value, steps: &[&str]) -> Option<&'a Value> {
    value.get_path(&AttributePath::attributes(steps))
}

/// Sets `steps` in `value` when every parent is an object; `false` otherwise.
fn set_at(value: &mut Value, steps: &[&str], new: Value) -> bool {
    match steps {
        [] => false,
        [last] => value.as_map().is_some() && value.set_attr(*last, new),
        [first, rest @ ..] => match value.get_mut(first) {
            Some(child) => set_at(child, rest, new),
            None => false,
        },
    }
}

fn is_null_at(value: &Value, steps: &[&str]) -> bool {
    get(value, steps).is_none_or(Value::is_null)
}

pub fn plan(input: PlanInput) -> PlanOutput {
    if input.proposed.is_null() {
        return PlanOutput {
            planned: Value::Null,
            requires_replace: Vec::new(),
            diagnostics: Vec::new(),
        };
    }
    let prior = input.prior.clone().filter(|p| !p.is_null());
    let mut planned = complete_object(&input.proposed, &resource_type());
    if input.config.as_map().is_some() && is_null_at(&input.config, &[HostConfig::NAMES.namespace])
    {
        // Follows the config, not the prior state, as the schema's defaults do.
        planned.set_attr(
            HostConfig::NAMES.namespace,
            input.namespace_default.as_str(),
        );
    }

    let name_too_long = match (
        str_at(&planned, &[HostConfig::NAMES.namespace]),
        str_at(&planned, &[HostConfig::NAMES.name]),
    ) {
        (Some(namespace), Some(name)) => super::validate::node_name_limit(namespace, name),
        _ => None,
    };
    if let Some(error) = name_too_long {
        return PlanOutput {
            planned,
            requires_replace: Vec::new(),
            diagnostics: vec![error],
        };
    }
    let mut unsupported = super::hardware_plan::unsupported(&planned);
    unsupported.extend(super::hardware_plan::registry_refusals(
        &planned,
        input.applied.bios_registry.as_deref(),
    ));
    if !unsupported.is_empty() {
        return PlanOutput {
            planned,
            requires_replace: Vec::new(),
            diagnostics: unsupported,
        };
    }
    let hardware = super::hardware_plan::has_hardware_arguments(&planned)
        || prior
            .as_ref()
            .is_some_and(super::hardware_plan::has_hardware_arguments);
    let forecast = hardware
        .then(|| super::forecast::of(prior.as_ref(), &planned))
        .flatten();
    let applies = super::hardware_plan::Applies {
        prepares: forecast.as_ref().is_some_and(|f| f.takes(&Step::Prepare)),
        services: forecast.as_ref().is_some_and(|f| f.takes(&Step::Service)),
    };
    super::hardware_plan::plan_attributes(prior.as_ref(), &mut planned, applies);
    let hardware_words = super::hardware_plan::words(prior.as_ref(), &planned, applies);
    let Some(prior) = prior else {
        for name in STATUS_ATTRIBUTES {
            planned.set_attr(*name, Value::unknown());
        }
        // Enrolling a machine cleans its disks unless told otherwise: the plan says so.
        let diagnostics = std::iter::once(describe_new_host(&planned))
            .chain(hardware_words)
            .map(|message| Diagnostic::warning(message, ""))
            .collect();
        return PlanOutput {
            planned,
            requires_replace: Vec::new(),
            diagnostics,
        };
    };

    // The schema's rules made every unset computed value unknown once anything changes; the
    // status attributes apply leaves alone keep their prior values, so the plan is exact.
    let affected = affected_status(&prior, &planned);
    for name in STATUS_ATTRIBUTES {
        let value = match affected.contains(name) {
            true => Value::unknown(),
            false => prior.get(name).cloned().unwrap_or(Value::Null),
        };
        planned.set_attr(*name, value);
    }
    let requires_replace = replacements(&prior, &planned, &input);
    let messages = if requires_replace.is_empty() {
        let mut messages = Vec::new();
        messages.extend(describe_missing(&prior, &planned));
        messages.extend(describe_maintenance(&prior));
        messages.extend(describe_resume(&prior, &planned));
        messages.extend(describe_update(&prior, &planned));
        messages.extend(hardware_words);
        messages
    } else {
        vec![describe_replace(&prior, &planned, &requires_replace)]
    };
    let diagnostics = messages
        .into_iter()
        .map(|message| Diagnostic::warning(message, ""))
        .collect();
    PlanOutput {
        planned,
        requires_replace,
        diagnostics,
    }
}

/// Arguments compared to decide whether anything changes (status attributes, timeouts and the
/// write-only password excluded: they never trigger work by themselves).
fn arguments(state: &Value) -> Value {
    let mut args = state.clone();
    if let Some(map) = args.as_map().cloned() {
        for name in map.keys() {
            if STATUS_ATTRIBUTES.contains(&name.as_str())
                || name == HostConfig::NAMES.timeouts
                || super::hardware_plan::COMPUTED.contains(&name.as_str())
            {
                args.set_attr(name.clone(), Value::Null);
            }
        }
    }
    set_at(
        &mut args,
        &[HostConfig::NAMES.bmc, BmcConfig::NAMES.password_wo],
        Value::Null,
    );
    args
}

/// Whether the value at `steps` differs; null and absent (an attribute of a null object) are the
/// same nothing.
pub fn changed(prior: &Value, planned: &Value, steps: &[&str]) -> bool {
    get(prior, steps) != get(planned, steps)
        && !(is_null_at(prior, steps) && is_null_at(planned, steps))
}

fn planned_bool(planned: &Value, steps: &[&str]) -> Option<bool> {
    get(planned, steps).and_then(Value::as_bool)
}

/// Status attributes the update will change: they become unknown; the rest keep their prior
/// values.
fn affected_status(prior: &Value, planned: &Value) -> Vec<&'static str> {
    let prior_str = |name: &str| get(prior, &[name]).and_then(Value::as_str);
    if node_missing(prior) {
        // Registered again: a new node id and everything read from it, but the hardware
        // details, which are kept.
        let keeps_hardware = !is_null_at(prior, &[StatusView::NAMES.hardware]);
        return STATUS_ATTRIBUTES
            .iter()
            .copied()
            .filter(|name| *name != StatusView::NAMES.hardware || !keeps_hardware)
            .collect();
    }
    let unsettled = prior_str(HostConfig::NAMES.id).is_none()
        || prior_str(StatusView::NAMES.operational_status) == Some("detached")
        || prior_str(StatusView::NAMES.operational_status) == Some("error")
        || !is_null_at(prior, &[StatusView::NAMES.error_type])
        || !prior_str(StatusView::NAMES.provisioning_state)
            .is_some_and(|s| SETTLED_STATES.iter().any(|settled| settled.as_str() == s));
    if unsettled {
        // A failed or interrupted earlier apply: this one resumes it, so anything may change.
        // Even with unchanged arguments: an interrupted create is kept (not tainted) and the
        // next plan must show the work that is left.
        // Hardware details only change by inspection, which never runs again once they exist.
        let keeps_hardware = !is_null_at(prior, &[StatusView::NAMES.hardware]);
        return STATUS_ATTRIBUTES
            .iter()
            .copied()
            .filter(|name| {
                *name != HostConfig::NAMES.id || prior_str(HostConfig::NAMES.id).is_none()
            })
            .filter(|name| *name != StatusView::NAMES.hardware || !keeps_hardware)
            .collect();
    }
    if arguments(prior) == arguments(planned) {
        return Vec::new();
    }
    let status = StatusView::NAMES;
    let mut affected = Vec::new();
    let deploy_change = changed(prior, planned, &[HostConfig::NAMES.image])
        || changed(prior, planned, &[HostConfig::NAMES.custom_deploy])
        || changed(prior, planned, &[HostConfig::NAMES.externally_provisioned]);
    if deploy_change {
        affected.extend([
            status.provisioning_state,
            status.ironic_provision_state,
            status.provisioned_image,
            status.operational_status,
            status.error_type,
            status.error_message,
        ]);
        if planned_bool(planned, &[HostConfig::NAMES.externally_provisioned]) != Some(true) {
            affected.push(status.powered_on);
        }
    }
    if changed(prior, planned, &[HostConfig::NAMES.online])
        && !affected.contains(&status.powered_on)
    {
        affected.push(status.powered_on);
    }
    let credentials_change = std::iter::once(&BmcConfig::NAMES.address)
        .chain(BMC_CREDENTIALS)
        .any(|field| changed(prior, planned, &[HostConfig::NAMES.bmc, field]));
    if credentials_change && !deploy_change {
        affected.extend([
            status.operational_status,
            status.error_type,
            status.error_message,
        ]);
    }
    affected
}

fn known_id(state: &Value) -> bool {
    get(state, &[HostConfig::NAMES.id])
        .and_then(Value::as_str)
        .is_some()
}

/// The schema's verdict (`name`, `namespace` changed), except where what was last applied
/// (`applied`, from the private state) says otherwise: a name read back from a node renamed in
/// Ironic is named back in place, and a configuration naming another host than the one applied
/// replaces it. Then `bmc.address` when it reaches a different machine than the one last
/// applied (else the prior state's).
fn replacements(prior: &Value, planned: &Value, input: &PlanInput) -> Vec<AttributePath> {
    let applied = &input.applied;
    let last_applied = [
        (
            AttributePath::attributes(&[HostConfig::NAMES.name]),
            applied.name.as_deref(),
        ),
        (
            AttributePath::attributes(&[HostConfig::NAMES.namespace]),
            applied.namespace.as_deref(),
        ),
    ];
    let is_recorded = |path: &AttributePath| {
        last_applied
            .iter()
            .any(|(recorded, value)| recorded == path && value.is_some())
    };
    let mut paths: Vec<AttributePath> = input
        .requires_replace
        .iter()
        .filter(|path| !is_recorded(path))
        .cloned()
        .collect();
    for (path, value) in last_applied {
        if let Some(value) = value {
            if planned.get_path(&path).and_then(Value::as_str) != Some(value) {
                paths.push(path);
            }
        }
    }
    let applied = applied.bmc_address.as_deref();
    let address = [HostConfig::NAMES.bmc, BmcConfig::NAMES.address];
    if changed(prior, planned, &address) {
        let prior_address = applied.or_else(|| get(prior, &address).and_then(Value::as_str));
        let planned_address = get(planned, &address).and_then(Value::as_str);
        let same_machine = match (prior_address, planned_address) {
            (Some(a), Some(b)) => match (machine_identity(a), machine_identity(b)) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            },
            // Never recorded (a node imported from outside this provider, e.g. fake-hardware
            // or a driver whose address cannot be rebuilt): the node is the same; the update
            // records the address.
            (None, Some(_)) if is_null_at(prior, &address) && known_id(prior) => true,
            // Unknown (or removed) address: cannot tell, so Terraform must assume a new machine.
            _ => false,
        };
        if !same_machine {
            paths.push(AttributePath::attributes(&address));
        }
    }
    paths
}

/// What an in-place update does to the machine, in words, for warnings in the plan. Empty when
/// nothing noteworthy happens.
pub fn describe_update(prior: &Value, planned: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let adopted = planned_bool(planned, &[HostConfig::NAMES.externally_provisioned]) == Some(true);
    let was_adopted = get(prior, &[HostConfig::NAMES.externally_provisioned])
        .and_then(Value::as_bool)
        == Some(true);
    let has_deployment = |state: &Value| {
        !is_null_at(state, &[HostConfig::NAMES.image])
            || !is_null_at(state, &[HostConfig::NAMES.custom_deploy])
    };
    let deployment_changed = changed(prior, planned, &[HostConfig::NAMES.image])
        || changed(prior, planned, &[HostConfig::NAMES.custom_deploy]);
    // What apply does to the disks is core's forecast; the words below only name it.
    let image_unknown = get(planned, &[HostConfig::NAMES.image]).is_some_and(|v| !v.is_known());
    let forecast = super::forecast::of(Some(prior), planned);
    match forecast.clone() {
        None if image_unknown => out.push(
            "image is only known at apply time: if it differs, the host is REDEPLOYED (root \
             disk overwritten)"
                .to_string(),
        ),
        // Ironic's state is not known (the node is gone): `describe_missing` words it.
        None => {}
        Some(forecast) => {
            let work = disk_words(&forecast, planned);
            if adopted && !was_adopted {
                out.push(format!(
                    "externally_provisioned = true: the host is recorded as externally \
                     provisioned; {}",
                    work.unwrap_or_else(|| "its disks are not touched".to_owned())
                ));
            } else if adopted && deployment_changed {
                out.push(format!(
                    "image changes on an externally provisioned host: {}",
                    work.unwrap_or_else(|| "recorded only, nothing is deployed".to_owned())
                ));
            } else if was_adopted && !adopted {
                let what = match (&work, forecast.deployment(), forecast.deprovisioning()) {
                    (Some(_), None, _) => "without an image",
                    (Some(_), Some(_), None) => "with another image",
                    (Some(_), Some(_), Some(_)) => "with an image",
                    (None, _, _) if has_deployment(planned) => "with the image already recorded",
                    (None, _, _) => "",
                };
                match work {
                    Some(work) => {
                        out.push(format!("externally_provisioned = false {what}: {work}"))
                    }
                    None if !what.is_empty() => out.push(format!(
                        "externally_provisioned = false {what}: the host is recorded as \
                         provisioned; nothing is deployed"
                    )),
                    None => {}
                }
            } else if let Some(work) = work.filter(|_| deployment_changed) {
                for what in [HostConfig::NAMES.image, HostConfig::NAMES.custom_deploy] {
                    if !changed(prior, planned, &[what]) {
                        continue;
                    }
                    let lead = if is_null_at(prior, &[what]) && !has_deployment(prior) {
                        "set"
                    } else if is_null_at(planned, &[what]) && !has_deployment(planned) {
                        "removed"
                    } else {
                        "changes"
                    };
                    out.push(format!("{what} {lead}: {work}"));
                }
            }
        }
    }
    if changed(prior, planned, &[HostConfig::NAMES.name])
        || changed(prior, planned, &[HostConfig::NAMES.namespace])
    {
        // Only reached when the rename came from Ironic (else the host is replaced).
        out.push(format!(
            "the Ironic node was renamed to {}~{} outside Terraform: apply names it back",
            str_at(prior, &[HostConfig::NAMES.namespace]).unwrap_or("?"),
            str_at(prior, &[HostConfig::NAMES.name]).unwrap_or("?")
        ));
    }
    if changed(prior, planned, &[HostConfig::NAMES.online]) {
        out.extend(power_words(prior, planned, forecast.as_ref()));
    }
    if is_null_at(prior, &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address])
        && !is_null_at(planned, &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address])
    {
        out.push(
            "bmc.address was not recorded on the imported node: it is recorded now, and the \
             Ironic driver settings follow it where the node's state allows"
                .to_string(),
        );
    } else if changed(
        prior,
        planned,
        &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address],
    ) {
        out.push(
            "bmc.address changes on the same machine: the Ironic driver and interfaces are \
             updated in place"
                .to_string(),
        );
    }
    if BMC_CREDENTIALS
        .iter()
        .any(|field| changed(prior, planned, &[HostConfig::NAMES.bmc, field]))
    {
        out.push(
            "BMC credentials change: Ironic is updated and verifies them with the BMC".to_string(),
        );
    }
    if changed(prior, planned, &[HostConfig::NAMES.boot_mac_address]) {
        out.push("boot_mac_address changes: the node's Ironic boot port is replaced".to_string());
    }
    out
}

fn str_at<'a>(value: &'a Value, steps: &[&str]) -> Option<&'a str> {
    get(value, steps).and_then(Value::as_str)
}

fn cleaning_words(state: &Value) -> String {
    match str_at(state, &[HostConfig::NAMES.automated_cleaning_mode]).unwrap_or("metadata") {
        "disabled" => "disks are not cleaned (automated_cleaning_mode = \"disabled\")".to_owned(),
        mode => format!("disks are CLEANED (automated_cleaning_mode = \"{mode}\")"),
    }
}

/// What destroying the host described by `state` does to the machine, in the words the
/// destroy plan shows: core's destroy forecast (the steps the engine takes), named.
pub fn describe_destroy(state: &Value) -> String {
    let Some(forecast) = super::forecast::destroy(state) else {
        return "destroy: Ironic has no node for this host any more; it is only removed from \
                the state, nothing happens to the machine"
            .to_owned();
    };
    let options = super::forecast::delete_options(state);
    let power = if forecast.has(Effect::PowersOff) {
        "powered off and "
    } else if options.power_off {
        // Off already, or not verified with the BMC (enroll): nothing to power off.
        ""
    } else {
        "left powered as it is and "
    };
    let maintenance = if forecast.takes(&DeleteStep::EndMaintenance) {
        "the node is in maintenance: it is taken out of maintenance first, then "
    } else {
        ""
    };
    if forecast.takes(&DeleteStep::StopForMaintenance) {
        return "destroy: the Ironic node is in a maintenance this plan cannot end: apply stops \
                before touching the host"
            .to_owned();
    }
    let deprovisioning = forecast
        .steps
        .iter()
        .find(|step| step.step == DeleteStep::Deprovision);
    if let Some(step) = deprovisioning {
        return format!(
            "destroy: {maintenance}the host is DEPROVISIONED: its deployment is removed and its \
             {}, then it is {power}removed from Ironic",
            cleaned_words(step.effects.contains(&Effect::CleansDisks))
        );
    }
    if options.externally_provisioned {
        format!(
            "destroy: the host is externally provisioned: it is {power}removed from Ironic; its \
             disks are not touched (no deprovisioning, no cleaning)"
        )
    } else {
        format!(
            "destroy: {maintenance}the host is not deployed: it is {power}removed from Ironic; no \
             disk is cleaned or written"
        )
    }
}

/// `online` changes: whether the forecast powers the host on or off, in words. Without a
/// forecast (the image is only known at apply), as the argument says.
fn power_words(prior: &Value, planned: &Value, forecast: Option<&Forecast>) -> Option<String> {
    let Some(on) = planned_bool(planned, &[HostConfig::NAMES.online]) else {
        return Some("online is only known at apply time: power may change".to_owned());
    };
    let (effect, words) = match on {
        true => (
            Effect::PowersOn,
            "online = true: the host will be POWERED ON",
        ),
        false => (
            Effect::PowersOff,
            "online = false: the host will be POWERED OFF",
        ),
    };
    let Some(forecast) = forecast else {
        return Some(words.to_owned());
    };
    if forecast.has(effect) {
        return Some(words.to_owned());
    }
    Some(match planned_bool(prior, &[StatusView::NAMES.powered_on]) {
        Some(powered) if powered == on => format!(
            "online = {on}: the host is already powered {}: no power request is sent",
            if on { "on" } else { "off" }
        ),
        _ => {
            format!("online = {on}: Ironic has not read the host's power: no power request is sent")
        }
    })
}

/// What creating the host described by `planned` does, for replacement warnings: the
/// forecast from a new node, worded.
fn describe_create(planned: &Value) -> String {
    let Some(forecast) = super::forecast::of(None, planned) else {
        return format!(
            "then a new node is enrolled, inspected, made available ({}), {}",
            cleaning_words(planned),
            deploy_words(planned)
        );
    };
    if forecast.takes(&Step::Adopt) {
        return "then a new node is enrolled and adopted as externally provisioned: no disk is \
                written"
            .to_owned();
    }
    let mut steps = vec!["then a new node is enrolled".to_owned()];
    for planned_step in &forecast.steps {
        match &planned_step.step {
            Step::Inspect => steps.push("inspected".to_owned()),
            Step::Provide => steps.push(format!(
                "made available ({})",
                cleaned_words(planned_step.effects.contains(&Effect::CleansDisks))
            )),
            Step::Deploy(mode) => steps.push(deployed_words(*mode, planned)),
            _ => {}
        }
    }
    steps.join(", ")
}

/// The forecast's work on the disks, in the plan's words: a deprovision (and whether it
/// cleans), a deploy or a rebuild. `None` when no step touches a disk or a deployment.
fn disk_words(forecast: &Forecast, planned: &Value) -> Option<String> {
    let deploy = forecast.deployment().map(|step| match step.step {
        Step::Deploy(mode) => deployed_words(mode, planned),
        _ => format!("RE{}", deployed_words(DeployMode::Image, planned)),
    });
    let cleaning = forecast
        .deprovisioning()
        .map(|step| cleaned_words(step.effects.contains(&Effect::CleansDisks)));
    match (cleaning, deploy) {
        (Some(cleaning), Some(deploy)) => Some(format!(
            "the host is DEPROVISIONED (its {cleaning}), then {deploy}"
        )),
        (Some(cleaning), None) => Some(format!("the host is DEPROVISIONED: its {cleaning}")),
        (None, Some(deploy)) => Some(format!("the host is {deploy}")),
        (None, None) => None,
    }
}

/// Whether a step's cleaning runs, in words.
fn cleaned_words(cleans: bool) -> String {
    if cleans {
        format!(
            "disks are CLEANED (automated_cleaning_mode = \"{}\")",
            AutomatedCleaningMode::Metadata.as_str()
        )
    } else {
        format!(
            "disks are not cleaned (automated_cleaning_mode = \"{}\")",
            AutomatedCleaningMode::Disabled.as_str()
        )
    }
}

/// A deploy step of `mode`, in words: the disk written (an image, a custom deploy step) or not
/// (a live ISO is booted).
fn deployed_words(mode: DeployMode, planned: &Value) -> String {
    let url = str_at(planned, &[HostConfig::NAMES.image, ImageConfig::NAMES.url]);
    match mode {
        DeployMode::LiveIso => format!(
            "DEPLOYED as a live ISO: it boots {} (nothing is written to disk)",
            url.unwrap_or("the ISO")
        ),
        DeployMode::CustomDeploy => {
            "DEPLOYED by its custom deploy step (root disk overwritten)".to_owned()
        }
        DeployMode::Image => match url {
            Some(url) => format!("DEPLOYED with {url} (root disk overwritten)"),
            None => "DEPLOYED (root disk overwritten)".to_owned(),
        },
    }
}

/// How a deployment of `planned` touches the disk: written (an image, a custom deploy step) or
/// not (a live ISO is booted).
fn deploy_words(planned: &Value) -> String {
    if get(planned, &[HostConfig::NAMES.image]).is_some_and(|v| !v.is_known()) {
        return "DEPLOYED with an image known only at apply (root disk overwritten)".to_owned();
    }
    let url = str_at(planned, &[HostConfig::NAMES.image, ImageConfig::NAMES.url]);
    if str_at(
        planned,
        &[HostConfig::NAMES.image, ImageConfig::NAMES.disk_format],
    ) == Some(DiskFormat::LiveIso.name())
    {
        return format!(
            "DEPLOYED as a live ISO: it boots {} (nothing is written to disk)",
            url.unwrap_or("the ISO")
        );
    }
    match (
        url,
        !is_null_at(planned, &[HostConfig::NAMES.custom_deploy]),
    ) {
        (_, true) => "DEPLOYED by its custom deploy step (root disk overwritten)".to_owned(),
        (Some(url), false) => format!("DEPLOYED with {url} (root disk overwritten)"),
        (None, false) => "DEPLOYED (root disk overwritten)".to_owned(),
    }
}

/// What creating a host does to the machine, for the create plan.
pub fn describe_new_host(planned: &Value) -> String {
    let machine = str_at(planned, &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address])
        .map(|address| format!(" at {address}"))
        .unwrap_or_default();
    let create = describe_create(planned);
    let rest = create
        .strip_prefix("then a new node is ")
        .unwrap_or(&create);
    format!("create: the machine{machine} is {rest}")
}

/// The warning for a plan that replaces the host: which change forces it, what the destroy
/// half does to the current machine and what the create half does.
fn describe_replace(prior: &Value, planned: &Value, paths: &[AttributePath]) -> String {
    let what: Vec<String> = paths.iter().map(ToString::to_string).collect();
    format!(
        "{} changes: the host is REPLACED. {}; {}",
        what.join(", "),
        describe_destroy(prior),
        describe_create(planned)
    )
}

/// Ironic lost the node: what apply does to register the host again, core's re-registration
/// forecast named.
fn describe_missing(prior: &Value, planned: &Value) -> Option<String> {
    if !node_missing(prior) {
        return None;
    }
    let id = str_at(prior, &[HostConfig::NAMES.id]).unwrap_or("?");
    let gone = format!(
        "Ironic has no node for this host any more (node {id} is gone: Ironic's database was \
         lost or the node was deleted outside Terraform)"
    );
    let Some(forecast) = super::forecast::reregistration(prior, planned) else {
        return Some(format!(
            "{gone}: apply registers it again; the image is only known at apply time"
        ));
    };
    // What follows the registration (and adoption): a deployment the configuration changed.
    let rest = Forecast {
        steps: forecast
            .steps
            .iter()
            .skip_while(|s| matches!(s.step, Step::Manage | Step::Adopt))
            .cloned()
            .collect(),
    };
    if forecast.steps.get(1).is_some_and(|s| s.step == Step::Adopt) {
        let readopted = matches!(
            str_at(prior, &[StatusView::NAMES.provisioning_state]),
            Some("provisioned" | "externally provisioned")
        );
        if readopted {
            let image = str_at(
                prior,
                &[
                    StatusView::NAMES.provisioned_image,
                    ProvisionedImage::NAMES.url,
                ],
            )
            .map(|url| format!(" with {url}"))
            .unwrap_or_default();
            let what =
                str_at(prior, &[StatusView::NAMES.provisioning_state]).unwrap_or("provisioned");
            let then = disk_words(&rest, planned)
                .map(|work| format!("; then {work}"))
                .unwrap_or_default();
            return Some(format!(
                "{gone}: apply re-registers and re-adopts it as {what}{image}: no disk written, \
                 nothing inspected or cleaned{then}. If the node was deleted on purpose (the \
                 machine deprovisioned or handed over elsewhere), this would record a deployment \
                 that is no longer there: remove the host from the configuration (destroy then \
                 only forgets it) or `terraform state rm` it instead"
            ));
        }
    }
    let inspection = if forecast.takes(&Step::Inspect) {
        "and inspects it"
    } else if !is_null_at(prior, &[StatusView::NAMES.hardware]) && !forecast.takes(&Step::Adopt) {
        "keeping its hardware details (no inspection)"
    } else {
        "without inspection"
    };
    let mut then = String::new();
    for step in &forecast.steps {
        match step.step {
            Step::Provide => then.push_str(&format!(
                ", and makes it available: its {}",
                cleaned_words(step.effects.contains(&Effect::CleansDisks))
            )),
            Step::Adopt => {
                then.push_str(", and adopts it as externally provisioned (no disk written)")
            }
            Step::Deploy(mode) => {
                then.push_str(&format!("; then it is {}", deployed_words(mode, planned)))
            }
            _ => {}
        }
    }
    Some(format!(
        "{gone}: apply registers it again, {inspection}{then}"
    ))
}

fn describe_maintenance(prior: &Value) -> Option<String> {
    let reason = get(prior, &[StatusView::NAMES.maintenance_reason]).and_then(Value::as_str)?;
    let reason = if reason.is_empty() {
        "no reason given"
    } else {
        reason
    };
    Some(format!(
        "the Ironic node is in maintenance ({reason}): Ironic is not managing the host; apply \
         takes it out of maintenance before anything else, as Metal3 does"
    ))
}

/// A host whose last apply did not finish (interrupted, timed out, failed in place): where it
/// stands, and what apply still does to it: core's forecast from there, named.
fn describe_resume(prior: &Value, planned: &Value) -> Option<String> {
    if node_missing(prior) || str_at(prior, &[HostConfig::NAMES.id]).is_none() {
        return None;
    }
    let ironic_state = str_at(prior, &[StatusView::NAMES.ironic_provision_state])?;
    let state = S::parse(ironic_state);
    let forecast = super::forecast::of(Some(prior), planned);
    let deprovisioning =
        str_at(prior, &[StatusView::NAMES.provisioning_state]) == Some("deprovisioning");
    let deploying = matches!(state, S::Deploying | S::WaitCallBack | S::DeployHold);
    // The deployment under way is the one configured when nothing else is deployed after it.
    let in_flight = deploying
        && forecast
            .as_ref()
            .is_some_and(|f| f.deployment().is_none() && f.deprovisioning().is_none());
    let in_flight_words;
    let now = match state {
        S::Enroll if !is_null_at(prior, &[StatusView::NAMES.error_type]) => {
            "registration failed (the BMC refused or could not be reached): apply sends the \
             credentials again and retries it"
        }
        S::Enroll | S::Verifying => "registration in progress",
        S::Manageable => "registered, not yet made available",
        S::Inspecting | S::InspectWait => "inspection in progress",
        S::InspectFailed => "inspection failed",
        S::Cleaning | S::CleanWait | S::CleanHold if deprovisioning => {
            "deprovisioning in progress (disks being cleaned)"
        }
        S::Cleaning | S::CleanWait | S::CleanHold => "cleaning in progress",
        S::CleanFailed => "cleaning failed",
        _ if in_flight => {
            in_flight_words = format!(
                "deployment in progress: the host is being {}",
                deploy_words(planned)
            );
            in_flight_words.as_str()
        }
        S::WaitCallBack => {
            "a deployment the configuration no longer asks for waits for its agent: apply \
             stops it"
        }
        S::Deploying | S::DeployHold => {
            "a deployment the configuration no longer asks for is under way: apply lets \
             Ironic finish it"
        }
        S::DeployFailed => "deployment failed",
        S::Adopting => "adoption in progress",
        S::AdoptFailed => "adoption failed",
        S::Deleting | S::Error => "deprovisioning in progress",
        _ => return None,
    };
    let next = match &forecast {
        Some(forecast) => resume_words(forecast, planned),
        None => vec![deploy_words(planned)],
    };
    let then = if next.is_empty() {
        String::new()
    } else {
        format!("; then it is {}", next.join(", "))
    };
    Some(format!(
        "the host has not reached its configured state: {now} (Ironic: \"{state}\"); apply \
         continues from there{then}"
    ))
}

/// The forecast's steps in the resume warning's words (power has its own words).
fn resume_words(forecast: &Forecast, planned: &Value) -> Vec<String> {
    let adopted = planned_bool(planned, &[HostConfig::NAMES.externally_provisioned]) == Some(true);
    let mut words = Vec::new();
    for step in &forecast.steps {
        let cleaned = || cleaned_words(step.effects.contains(&Effect::CleansDisks));
        match step.step {
            Step::Inspect => words.push("inspected".to_owned()),
            Step::Provide => words.push(format!("made available ({})", cleaned())),
            Step::Deprovision => {
                words.push(format!("DEPROVISIONED and made available ({})", cleaned()))
            }
            Step::Deploy(mode) => words.push(deployed_words(mode, planned)),
            Step::Rebuild => {
                words.push(format!("RE{}", deployed_words(DeployMode::Image, planned)))
            }
            Step::Adopt | Step::RecordDeployment if adopted => {
                words.push("adopted as externally provisioned (no disk written)".to_owned())
            }
            Step::Adopt => words.push("adopted (no disk written)".to_owned()),
            Step::RecordDeployment => {
                words.push("recorded as deployed (no disk written)".to_owned())
            }
            _ => {}
        }
    }
    words.dedup();
    words
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
