//! The preparing step: the spec's RAID, BIOS settings and firmware applied by Ironic manual
//! cleaning on a `manageable` node, then recorded in the node's `extra` as applied.

use std::collections::BTreeMap;

use crate::client::{Node, PatchOp, ProvisionOptions, ProvisionState, ProvisionTarget};

use super::engine::{Lifecycle, Result};
use super::error::LifecycleError;
use super::fault::SpecInput;
use super::hardware_settings::{
    self, for_host, HardwareSettings, Preparation, RaidChange, Setting, APPLIED,
};
use super::plan::Attempts;
use super::spec::{HostSpec, OpContext};

impl Lifecycle {
    /// The node's BIOS settings (name → value) when the spec sets some, else `None`: read once
    /// per apply, so a setting changed behind the engine's back is applied again.
    pub(super) async fn bios_for_spec(
        &self,
        spec: &HostSpec,
        node: &Node,
    ) -> Result<Option<BTreeMap<String, String>>> {
        let wanted = spec
            .hardware_settings
            .wanted_bios(for_host::firmware_names(spec));
        if wanted.is_empty() {
            return Ok(None);
        }
        let host = spec.node_name();
        let body = self
            .client
            .get_bios(&node.uuid)
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?;
        let settings = body
            .map(|b| hardware_settings::parse_bios(&b))
            .unwrap_or_default();
        // Refused before anything changes when the BMC's registry does not allow them.
        let problems = hardware_settings::check_against_registry(&wanted, &settings);
        if !problems.is_empty() {
            let message = problems
                .iter()
                .map(|p| format!("BIOS setting \"{}\" {}", p.name, p.message))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(LifecycleError::InvalidSpec {
                host,
                message,
                input: Some(SpecInput::BiosSettings),
            });
        }
        // Nothing cached yet (a host never read, or fake hardware before its first settings):
        // the record of what was applied decides.
        Ok((!settings.is_empty()).then(|| hardware_settings::current_values(&settings)))
    }

    /// Applies what is pending and records it (the preparing step: manual cleaning).
    pub(super) async fn prepare(
        &self,
        spec: &HostSpec,
        node: &Node,
        attempts: &mut Attempts,
        ctx: &OpContext,
    ) -> Result<Node> {
        self.apply_hardware_settings(spec, node, attempts, ctx, &PREPARING)
            .await
    }

    /// Applies to a provisioned node what its update policy allows of what is pending (Ironic
    /// servicing: the host reboots and stays provisioned), and records it.
    pub(super) async fn service(
        &self,
        spec: &HostSpec,
        node: &Node,
        attempts: &mut Attempts,
        ctx: &OpContext,
    ) -> Result<Node> {
        self.apply_hardware_settings(spec, node, attempts, ctx, &SERVICING)
            .await
    }

    /// The part of what is pending that `way` applies, applied by its Ironic operation, then
    /// recorded in the node's `extra`.
    async fn apply_hardware_settings(
        &self,
        spec: &HostSpec,
        node: &Node,
        attempts: &mut Attempts,
        ctx: &OpContext,
        way: &Way,
    ) -> Result<Node> {
        let host = spec.node_name();
        let wanted = &spec.hardware_settings;
        // Read again now: Ironic caches the BIOS (and its registry) once the node is managed,
        // so a new host's settings are checked here, before anything is applied.
        if let Some(now) = self.bios_for_spec(spec, node).await? {
            attempts.bios_current = Some(now);
        }
        let pending = for_host::preparation(spec, node, attempts.bios_current.as_ref());
        let done = (way.part)(spec, &pending);
        if done.is_empty() {
            return Ok(node.clone());
        }
        let steps = wanted.clean_steps(&done, for_host::firmware_names(spec));
        let names: Vec<&str> = done.settings().into_iter().map(setting_name).collect();
        tracing::info!("host {host}: {} ({})", way.doing, names.join(", "));
        if done.raid == RaidChange::Rebuild {
            if let Some(raid) = &wanted.raid {
                self.client
                    .set_target_raid_config(&node.uuid, &raid.target_raid_config())
                    .await
                    .map_err(|e| LifecycleError::ironic(&host, e))?;
            }
        }
        let options = (way.options)(steps);
        self.provision(&host, node, way.target, &options).await?;
        let operation = format!("{} the host ({})", way.doing, names.join(", "));
        let node = self
            .wait_state(
                &host,
                node,
                std::slice::from_ref(&way.rests_in),
                &operation,
                ctx,
            )
            .await?;
        // Applied: what the BIOS read before no longer tells what it holds.
        attempts.bios_current = None;
        let record = wanted.applied_after(&HardwareSettings::applied(&node.extra), &done);
        let ops = [PatchOp::add(format!("/extra/{APPLIED}"), record.record())];
        self.patch(&host, &node, &ops).await
    }
}

/// How hardware settings are applied: which part of what is pending, by which Ironic
/// operation, and where the node rests afterwards.
struct Way {
    /// For messages: "preparing", "servicing".
    doing: &'static str,
    part: fn(&HostSpec, &Preparation) -> Preparation,
    target: ProvisionTarget,
    options: fn(Vec<serde_json::Value>) -> ProvisionOptions,
    rests_in: ProvisionState,
}

/// Manual cleaning of a `manageable` node: everything pending.
const PREPARING: Way = Way {
    doing: "preparing",
    part: |_, pending| *pending,
    target: ProvisionTarget::Clean,
    options: |steps| ProvisionOptions {
        clean_steps: Some(steps),
        ..Default::default()
    },
    rests_in: ProvisionState::Manageable,
};

/// Servicing of an `active` node: what its update policy allows.
const SERVICING: Way = Way {
    doing: "servicing",
    part: |spec, pending| spec.update_policy.servicing(pending),
    target: ProvisionTarget::Service,
    options: |steps| ProvisionOptions {
        service_steps: Some(steps),
        ..Default::default()
    },
    rests_in: ProvisionState::Active,
};

/// The BIOS settings and firmware versions Ironic holds for a node, read only when asked
/// (`bios`, `firmware`): one request each. For the caller's state, never for a plan of a fleet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HardwareReadings {
    pub bios: Option<Vec<hardware_settings::BiosSetting>>,
    pub firmware: Option<Vec<hardware_settings::ComponentVersions>>,
}

impl Lifecycle {
    /// Reads what [`HardwareReadings`] holds for node `id`; reads only.
    pub async fn hardware_readings(
        &self,
        id: &str,
        bios: bool,
        firmware: bool,
    ) -> Result<HardwareReadings> {
        let mut readings = HardwareReadings::default();
        if bios {
            let body = self
                .client
                .get_bios(id)
                .await
                .map_err(|e| LifecycleError::ironic(id, e))?;
            readings.bios = Some(
                body.map(|b| hardware_settings::parse_bios(&b))
                    .unwrap_or_default(),
            );
        }
        if firmware {
            let body = self
                .client
                .get_firmware(id)
                .await
                .map_err(|e| LifecycleError::ironic(id, e))?;
            readings.firmware = Some(
                body.map(|b| hardware_settings::parse_firmware(&b))
                    .unwrap_or_default(),
            );
        }
        Ok(readings)
    }
}

/// The argument a setting is declared by, for messages.
pub fn setting_name(setting: Setting) -> &'static str {
    match setting {
        Setting::Raid => "raid",
        Setting::Firmware => "firmware",
        Setting::BiosSettings => "bios_settings",
        Setting::FirmwareComponents => "firmware_components",
    }
}
