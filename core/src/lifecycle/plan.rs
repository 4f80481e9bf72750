//! The decision logic: given the spec and the node as Ironic reports it, the next step. Pure,
//! so the whole state machine is unit-tested without Ironic.

use serde_json::{Map, Value};

use crate::bmc::{self, BmcCredentials, DriverSettings};
use crate::client::{Node, PatchOp, ProvisionState};

use super::deploy::deploy_mode;
use super::deployment::{recorded_deployment, stops_unwanted_deployment, wanted_deployment};
use super::forecast::{provisioning_step, Situation};
use super::persist;
use super::spec::HostSpec;
pub use super::step::Step;

/// Agent images the engine writes into driver_info.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentImages {
    pub deploy_kernel_url: Option<String>,
    pub deploy_ramdisk_url: Option<String>,
    pub deploy_iso_url: Option<String>,
}

/// Driver settings for the spec on a node in `state`: driver, interfaces (inspection per
/// spec; the deploy mode once past [`ProvisionState::is_before_available`]) and driver_info
/// with agent images. Before `available`, cleaning and inspection need the agent boot and deploy
/// interfaces, so the deploy mode's interfaces are applied only after them (a fake:// live
/// ISO's `fake` boot / `ramdisk` deploy would make them wait for an agent).
pub fn desired_settings(
    spec: &HostSpec,
    state: &ProvisionState,
    images: &AgentImages,
) -> Result<DriverSettings, bmc::BmcError> {
    let credentials = BmcCredentials {
        username: spec.bmc.username.clone(),
        password: spec.bmc.password.clone(),
    };
    let mut settings = bmc::driver_settings(
        &spec.bmc.address,
        &credentials,
        spec.bmc.disable_certificate_verification,
    )?
    .with_inspection(spec.wants_inspection());
    if let Some(mode) = deploy_mode(spec).filter(|_| !state.is_before_available()) {
        settings = settings.with_deploy_mode(mode);
    }
    settings = with_hardware_interfaces(settings, spec);
    // The host's own agent, when it has one, replaces every image of the caller's.
    let own;
    let images = match &spec.deploy_image {
        Some(image) => {
            own = AgentImages {
                deploy_kernel_url: image.kernel_url.clone(),
                deploy_ramdisk_url: image.ramdisk_url.clone(),
                deploy_iso_url: image.iso_url.clone(),
            };
            &own
        }
        None => images,
    };
    let mut put = |key: &str, value: &Option<String>| {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            settings.driver_info.insert(key.to_owned(), value.into());
        }
    };
    if settings.uses_virtual_media {
        put("deploy_iso", &images.deploy_iso_url);
    }
    put("deploy_kernel", &images.deploy_kernel_url);
    put("deploy_ramdisk", &images.deploy_ramdisk_url);
    Ok(settings)
}

/// The RAID, BIOS and firmware interfaces the spec's hardware settings need (the family's, or
/// the agent's for software RAID); interfaces of settings the spec does not use are left to
/// the family and Ironic.
fn with_hardware_interfaces(mut settings: DriverSettings, spec: &HostSpec) -> DriverSettings {
    let wanted = &spec.hardware_settings;
    let Some((support, _)) = bmc::day2_support(&spec.bmc.address) else {
        return settings;
    };
    let mut set = |field: &str, value: Option<&str>| {
        if let Some(value) = value {
            settings
                .interfaces
                .insert(field.to_owned(), value.to_owned());
        }
    };
    set("raid_interface", wanted.raid_interface(support));
    if !wanted.bios_settings.is_empty() || !wanted.firmware.is_empty() {
        set("bios_interface", support.bios);
    }
    if !wanted.firmware_components.is_empty() {
        set("firmware_interface", support.firmware);
    }
    settings
}

/// `properties.capabilities` with the spec's boot mode set, other capabilities kept.
pub fn capabilities_with_boot_mode(current: &str, spec: &HostSpec) -> String {
    let mut entries: Vec<(String, String)> = current
        .split(',')
        .filter_map(|entry| entry.split_once(':'))
        .filter(|(key, _)| *key != "boot_mode" && *key != "secure_boot")
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    entries.push(("boot_mode".into(), spec.boot_mode.ironic_boot_mode().into()));
    if spec.boot_mode == super::spec::BootMode::UefiSecureBoot {
        entries.push(("secure_boot".into(), "true".into()));
    }
    entries
        .iter()
        .map(|(key, value)| format!("{key}:{value}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// JSON pointer escaping for a patch path segment.
fn pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The patch that brings the node's fields (not its provision state) to the spec. Secrets are
/// not compared (Ironic masks them when read); see `credential_patch`.
pub fn field_patch(spec: &HostSpec, node: &Node, settings: &DriverSettings) -> Vec<PatchOp> {
    let mut ops = Vec::new();
    if node.name.as_deref() != Some(spec.node_name().as_str()) {
        // Renamed behind the engine's back (the node is known by its UUID): named back, so
        // that a second configuration cannot enroll the host again under its name.
        ops.push(PatchOp::replace("/name", spec.node_name()));
    }
    if node.state().allows_interface_changes() {
        if node.driver != settings.driver {
            ops.push(PatchOp::replace("/driver", settings.driver.clone()));
        }
        let current = serde_json::to_value(node).unwrap_or(Value::Null);
        for (field, value) in &settings.interfaces {
            if current.get(field).and_then(Value::as_str) != Some(value.as_str()) {
                ops.push(PatchOp::replace(format!("/{field}"), value.clone()));
            }
        }
    }
    for (key, value) in &settings.driver_info {
        if bmc::is_secret_key(key) {
            continue;
        }
        if node.driver_info.get(key) != Some(value) {
            ops.push(PatchOp::add(
                format!("/driver_info/{}", pointer(key)),
                value.clone(),
            ));
        }
    }
    let current_caps = node
        .properties
        .get("capabilities")
        .and_then(Value::as_str)
        .unwrap_or("");
    let caps = capabilities_with_boot_mode(current_caps, spec);
    if !same_capabilities(current_caps, &caps) {
        ops.push(PatchOp::add("/properties/capabilities", caps));
    }
    // A deployed node boots with its instance_info's boot mode: changed in Ironic behind the
    // engine's back, it is put back (the plan showed it: refresh reads it from there).
    if super::observe::deployed_boot_mode(node).is_some_and(|mode| mode != spec.boot_mode) {
        if let Some(wanted) = super::deploy::instance_info(spec).get("capabilities") {
            ops.push(PatchOp::add("/instance_info/capabilities", wanted.clone()));
        }
    }
    let hints = spec
        .root_device_hints
        .as_ref()
        .map(|hints| hints.to_ironic())
        .filter(|hints| !hints.is_empty());
    match (hints, node.properties.get("root_device")) {
        (Some(hints), current) if current != Some(&Value::Object(hints.clone())) => {
            ops.push(PatchOp::add(
                "/properties/root_device",
                Value::Object(hints),
            ));
        }
        (None, Some(_)) => ops.push(PatchOp::remove("/properties/root_device")),
        _ => {}
    }
    let automated_clean = spec.automated_cleaning_mode.automated_clean();
    // Unset is Ironic's default, read as `metadata` (observe::automated_cleaning_mode): an
    // adopted node that never had it set is not written to when nothing differs.
    if node.automated_clean.unwrap_or(true) != automated_clean {
        ops.push(PatchOp::replace("/automated_clean", automated_clean));
    }
    let description = spec.description.clone().filter(|d| !d.is_empty());
    if node.description.clone().filter(|d| !d.is_empty()) != description {
        match description {
            Some(text) => ops.push(PatchOp::replace("/description", text)),
            // Ironic answers 500 to `replace` with null; `remove` clears the field.
            None => ops.push(PatchOp::remove("/description")),
        }
    }
    // Ironic keeps "" for "no group".
    let group = spec.conductor_group.clone().unwrap_or_default();
    if node.conductor_group.clone().unwrap_or_default() != group {
        ops.push(PatchOp::replace("/conductor_group", group));
    }
    for (key, value) in identity_extra(spec) {
        if node.extra.get(&key) != Some(&value) {
            ops.push(PatchOp::add(format!("/extra/{key}"), value));
        }
    }
    ops
}

fn same_capabilities(a: &str, b: &str) -> bool {
    let set = |text: &str| {
        let mut parts: Vec<String> = text
            .split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        parts.sort();
        parts
    };
    set(a) == set(b)
}

/// The identity records every node carries (see `persist`).
pub fn identity_extra(spec: &HostSpec) -> Map<String, Value> {
    let mut extra = Map::new();
    extra.insert(persist::NAMESPACE.into(), spec.namespace.clone().into());
    extra.insert(persist::NAME.into(), spec.name.clone().into());
    extra.insert(persist::BMC_ADDRESS.into(), spec.bmc.address.clone().into());
    extra
}

/// driver_info entries holding the credentials (sent when they may have changed).
pub fn credential_patch(settings: &DriverSettings) -> Vec<PatchOp> {
    settings
        .driver_info
        .iter()
        .filter(|(key, _)| bmc::is_credential_key(&settings.driver, key))
        .map(|(key, value)| PatchOp::add(format!("/driver_info/{}", pointer(key)), value.clone()))
        .collect()
}

/// What the engine already did or still owes in this call, so a failed recovery is not
/// retried forever and requested one-off steps happen once.
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    pub registration_retried: bool,
    /// The caller changed the BMC credentials: they are sent (after the field patch, before any
    /// power or provisioning action) and verified once.
    pub rotate_credentials: bool,
    /// Credentials were sent to Ironic in this call.
    pub credentials_sent: bool,
    /// See [`super::spec::KnownHost::maintenance_to_end`].
    pub maintenance_to_end: Option<String>,
    /// Steps Ironic failed because its conductor restarted, retried from a fresh read.
    pub restart_recoveries: u32,
    /// State changes refused (409) while someone else changed the node, decided again.
    pub conflict_recoveries: u32,
    /// The node's BIOS settings as read at the start of this call, when the spec sets some (so
    /// that drift behind the engine's back is applied again); cleared once applied.
    pub bios_current: Option<std::collections::BTreeMap<String, String>>,
}

/// Whether the engine may end `node`'s maintenance: the one the caller saw and announced
/// ending, or the engine's own (set to delete the node). An operator's maintenance set since
/// the plan is a stop sign.
pub fn may_end_maintenance(node: &Node, announced: Option<&str>) -> bool {
    may_end_maintenance_reason(node.maintenance_reason.as_deref(), announced)
}

fn may_end_maintenance_reason(reason: Option<&str>, announced: Option<&str>) -> bool {
    let reason = reason.unwrap_or("");
    reason == DELETE_MAINTENANCE_REASON || announced == Some(reason)
}

/// The reason the engine gives Ironic when it sets maintenance to delete a node.
pub const DELETE_MAINTENANCE_REASON: &str = "deleting the host";

/// Decides the next step. `settings` are from [`desired_settings`] for this node.
pub fn next_step(
    spec: &HostSpec,
    node: &Node,
    settings: &DriverSettings,
    attempts: &Attempts,
) -> Step {
    let state = node.state();
    // Steps are ordered so that a failure part-way leaves the host no worse than before: node
    // fields (cheap, checked by Ironic) first, then credentials, then power and provisioning.
    if node.maintenance {
        return if may_end_maintenance(node, attempts.maintenance_to_end.as_deref()) {
            Step::EndMaintenance
        } else {
            Step::StopForMaintenance
        };
    }
    if stops_unwanted_deployment(&state, deploying_as_wanted(spec, node)) {
        return Step::Deprovision;
    }
    if super::status::transition_pending(node) || node.target_power_state.is_some() {
        return Step::Settle;
    }
    let patch = field_patch(spec, node, settings);
    if !patch.is_empty() {
        return Step::Patch(patch);
    }
    if state == ProvisionState::Enroll
        && node
            .last_error
            .as_deref()
            .is_some_and(|e| !e.trim().is_empty())
    {
        // Registration failed before: the user may have fixed the credentials.
        return if attempts.registration_retried {
            Step::Done
        } else {
            Step::RetryRegistration
        };
    }
    if attempts.rotate_credentials {
        return Step::RotateCredentials;
    }
    provisioning_step(&Situation::read(
        spec,
        node,
        settings,
        attempts.bios_current.as_ref(),
    ))
}

/// The node is being deployed with what the spec wants.
fn deploying_as_wanted(spec: &HostSpec, node: &Node) -> bool {
    deploy_mode(spec).is_some() && recorded_deployment(node) == Some(wanted_deployment(spec))
}

/// How a host leaves Ironic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Cleaning when a deployed host is deprovisioned.
    pub cleaning: super::spec::AutomatedCleaningMode,
    /// Power the machine off before the node is deleted.
    pub power_off: bool,
    /// The host was adopted, not deployed: its disks are never deprovisioned or cleaned.
    pub externally_provisioned: bool,
    /// See [`super::spec::KnownHost::maintenance_to_end`].
    pub maintenance_to_end: Option<String>,
}

/// The next step of deleting a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteStep {
    /// Ironic is moving the node: wait.
    Settle,
    /// Waiting on an agent that may never come (inspect, clean or rescue wait): abort it.
    Abort,
    /// Undeploy (Ironic `deleted`): the deployment is removed, disks cleaned per the mode.
    Deprovision,
    /// Back to `manageable` from a failed inspection or cleaning, where delete is allowed.
    Manage,
    PowerOff,
    /// Maintenance lets Ironic delete a node in any state, without undeploying it.
    Maintenance,
    /// Leave maintenance set outside this engine, before a provisioning action.
    EndMaintenance,
    /// A maintenance nobody announced ending stands in the way of a provisioning action.
    StopForMaintenance,
    Delete,
}

/// Everything the delete decision reads of a node: the engine reads it from the node
/// ([`DeleteSituation::of`]), a destroy plan from the host as last read, and the destroy
/// forecast (`forecast::destroy`) runs the same decision over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteSituation {
    pub state: ProvisionState,
    /// Ironic is moving the node (a target provision state, not failed).
    pub transition_pending: bool,
    /// A power change is under way.
    pub power_pending: bool,
    pub maintenance: bool,
    pub maintenance_reason: Option<String>,
    /// Power as Ironic read it (`None`: not read).
    pub powered: Option<bool>,
    /// The node is recorded as adopted (externally provisioned).
    pub adopted: bool,
}

impl DeleteSituation {
    pub fn of(node: &Node) -> DeleteSituation {
        DeleteSituation {
            state: node.state(),
            transition_pending: super::status::transition_pending(node),
            power_pending: node.target_power_state.is_some(),
            maintenance: node.maintenance,
            maintenance_reason: node.maintenance_reason.clone(),
            powered: super::observe::power(node),
            adopted: persist::externally_provisioned(&node.extra),
        }
    }
}

/// Decides the next step of deleting `node`. Pure, like [`next_step`]: the whole matrix of
/// start states is unit-tested.
pub fn delete_step(node: &Node, options: &DeleteOptions) -> DeleteStep {
    delete_decision(&DeleteSituation::of(node), options)
}

/// The delete decision over what it reads of the node (see [`DeleteSituation`]).
pub fn delete_decision(s: &DeleteSituation, options: &DeleteOptions) -> DeleteStep {
    // An operator's maintenance the destroy plan did not show is a stop sign, for deleting too.
    if s.maintenance
        && !may_end_maintenance_reason(
            s.maintenance_reason.as_deref(),
            options.maintenance_to_end.as_deref(),
        )
    {
        return DeleteStep::StopForMaintenance;
    }
    let step = delete_step_ignoring_maintenance(s, options);
    // Ironic refuses provisioning actions in maintenance (set outside this engine): leave it
    // first, as Metal3 does, so that the deprovision the plan announced really happens.
    let provisioning = matches!(
        step,
        DeleteStep::Abort | DeleteStep::Deprovision | DeleteStep::Manage
    );
    if provisioning && s.maintenance {
        DeleteStep::EndMaintenance
    } else {
        step
    }
}

fn delete_step_ignoring_maintenance(s: &DeleteSituation, options: &DeleteOptions) -> DeleteStep {
    use ProvisionState as S;
    let state = &s.state;
    let keep_disks = options.externally_provisioned || s.adopted;
    // The destroy plan announced the power off: it is sent unless Ironic knows the host is off
    // (a power state Ironic has not read is no reason to skip it).
    let may_be_on = s.powered != Some(false);
    let finish = || {
        // Powering off needs a working BMC; a node still in enroll may not have one.
        if options.power_off && may_be_on && *state != S::Enroll {
            DeleteStep::PowerOff
        } else if !state.is_deletable() && !s.maintenance {
            DeleteStep::Maintenance
        } else {
            DeleteStep::Delete
        }
    };
    if s.transition_pending {
        return match state {
            S::InspectWait | S::CleanWait | S::RescueWait => DeleteStep::Abort,
            // `abort` is accepted here only from API 1.110; `deleted` works at every version.
            S::WaitCallBack if !keep_disks => DeleteStep::Deprovision,
            S::WaitCallBack => finish(),
            _ => DeleteStep::Settle,
        };
    }
    if s.power_pending {
        return DeleteStep::Settle;
    }
    match state {
        S::Active | S::DeployFailed | S::Error if !keep_disks => DeleteStep::Deprovision,
        S::InspectFailed | S::CleanFailed => DeleteStep::Manage,
        _ => finish(),
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
pub(super) mod tests;
