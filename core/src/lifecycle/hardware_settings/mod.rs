//! Day-2 hardware settings: RAID, BIOS settings and firmware updates, applied the Metal3 way
//! (its "preparing" state): Ironic manual cleaning on a host that is not provisioned, after
//! inspection and before it is made available. What was applied is recorded in the node's
//! `extra`, so a later apply (or a plan) knows what is still pending.
//!
//! - `raid`: the RAID model, the operator's rules and Ironic's `target_raid_config`;
//! - `bios`: the vendor-independent `firmware` switches, BIOS settings and registry checks;
//! - `firmware`: firmware components to flash and the versions Ironic reports;
//! - `for_host`: what applying a host's spec to its node does.

mod bios;
mod firmware;
pub mod for_host;
mod raid;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::bmc::{Day2Support, FirmwareNames};

pub use bios::{
    check_against_registry, current_values, parse_bios, registry_of, BiosProblem, BiosSetting,
    FirmwareConfig,
};
pub use firmware::{parse_firmware, ComponentVersions, FirmwareComponent};
pub use raid::{
    HardwareVolume, RaidConfig, RaidProblem, SoftwareVolume, HARDWARE_LEVELS, MAX_SOFTWARE_VOLUMES,
    SOFTWARE_LEVELS,
};

/// The node's `extra` key recording the settings last applied.
pub const APPLIED: &str = "metal3_hardware_settings";

/// What the user asks of a host's RAID, BIOS and firmware. Empty: nothing is touched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardwareSettings {
    /// `None`: the RAID is left as it is; no volumes: it is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raid: Option<RaidConfig>,
    #[serde(default, skip_serializing_if = "FirmwareConfig::is_empty")]
    pub firmware: FirmwareConfig,
    /// Vendor BIOS attribute names → values. Settings not named are left as they are.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bios_settings: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firmware_components: Vec<FirmwareComponent>,
}

/// Which changes a provisioned host may take by Ironic servicing (Metal3's HostUpdatePolicy:
/// `onReboot`); without it a change waits until the host is next deprovisioned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdatePolicy {
    /// BIOS settings (`bios_settings`, `firmware`).
    pub firmware_settings: bool,
    /// Firmware images (`firmware_components`).
    pub firmware_updates: bool,
}

impl UpdatePolicy {
    /// The part of `preparation` a provisioned host takes by servicing (RAID never: it would
    /// erase the running system's disks).
    pub fn servicing(&self, preparation: &Preparation) -> Preparation {
        Preparation {
            raid: RaidChange::None,
            bios: preparation.bios && self.firmware_settings,
            firmware: preparation.firmware && self.firmware_updates,
        }
    }
}

/// Which argument a problem or a failed step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Raid,
    Firmware,
    BiosSettings,
    FirmwareComponents,
}

/// A setting the host's BMC family cannot apply in Ironic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub setting: Setting,
    pub message: String,
}

/// What the RAID part of a preparation does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RaidChange {
    #[default]
    None,
    /// Existing volumes deleted, the wanted ones built: the disks' contents are lost.
    Rebuild,
    /// Existing volumes deleted: the disks' contents are lost.
    Delete,
}

/// What a preparation (manual cleaning) would do; empty: nothing pending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Preparation {
    pub raid: RaidChange,
    /// BIOS settings are applied (the host reboots).
    pub bios: bool,
    /// Firmware is flashed (the host reboots).
    pub firmware: bool,
}

impl Preparation {
    pub fn is_empty(&self) -> bool {
        *self == Preparation::default()
    }

    /// The arguments whose change is pending, in the order the docs list them.
    pub fn settings(&self) -> Vec<Setting> {
        let mut out = Vec::new();
        if self.raid != RaidChange::None {
            out.push(Setting::Raid);
        }
        if self.bios {
            out.push(Setting::BiosSettings);
        }
        if self.firmware {
            out.push(Setting::FirmwareComponents);
        }
        out
    }
}

impl HardwareSettings {
    pub fn is_empty(&self) -> bool {
        *self == HardwareSettings::default()
    }

    /// The settings last applied to `extra`'s node (empty when none were).
    pub fn applied(extra: &Map<String, Value>) -> HardwareSettings {
        extra
            .get(APPLIED)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// The record written to the node's `extra` once these settings are applied.
    pub fn record(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| json!({}))
    }

    /// Every BIOS setting wanted: the `firmware` switches under the family's names, then
    /// `bios_settings` (which win when both name an attribute).
    pub fn wanted_bios(&self, names: Option<&FirmwareNames>) -> BTreeMap<String, String> {
        let mut wanted = names
            .map(|names| self.firmware.bios_settings(names))
            .unwrap_or_default();
        wanted.extend(self.bios_settings.clone());
        wanted
    }

    /// The settings a family cannot apply, each naming the scheme.
    pub fn unsupported(&self, support: &Day2Support, scheme: &str) -> Vec<Unsupported> {
        let mut out = Vec::new();
        let mut refuse = |setting: Setting, what: &str| {
            out.push(Unsupported {
                setting,
                message: format!(
                    "{what} is not supported for the BMC scheme \"{scheme}\" in Ironic{}",
                    support
                        .note
                        .map(|note| format!(" ({note})"))
                        .unwrap_or_default()
                ),
            })
        };
        if let Some(raid) = &self.raid {
            if !raid.hardware_raid_volumes.is_empty() && support.hardware_raid.is_none() {
                refuse(Setting::Raid, "hardware RAID");
            }
            if raid.is_software() && !support.software_raid {
                refuse(Setting::Raid, "software RAID");
            }
            if raid.deletes_all() && support.hardware_raid.is_none() && !support.software_raid {
                refuse(Setting::Raid, "RAID");
            }
        }
        if !self.firmware.is_empty() && (support.bios.is_none() || support.firmware_names.is_none())
        {
            refuse(
                Setting::Firmware,
                "firmware (vendor-independent BIOS switches; name the vendor's attributes in \
                 bios_settings instead where BIOS settings are supported)",
            );
        }
        if !self.bios_settings.is_empty() && support.bios.is_none() {
            refuse(Setting::BiosSettings, "BIOS settings");
        }
        if !self.firmware_components.is_empty() && support.firmware.is_none() {
            refuse(Setting::FirmwareComponents, "firmware updates");
        }
        out
    }

    /// What applying these settings does to a node that had `applied` applied and whose BIOS
    /// reads `bios_current` (`None`: not read).
    pub fn preparation(
        &self,
        applied: &HardwareSettings,
        bios_current: Option<&BTreeMap<String, String>>,
        names: Option<&FirmwareNames>,
    ) -> Preparation {
        let raid = match &self.raid {
            None => RaidChange::None,
            Some(wanted) if applied.raid.as_ref() == Some(wanted) => RaidChange::None,
            Some(wanted) if wanted.deletes_all() => RaidChange::Delete,
            Some(_) => RaidChange::Rebuild,
        };
        let wanted_bios = self.wanted_bios(names);
        let bios = !wanted_bios.is_empty()
            && match bios_current {
                Some(current) => wanted_bios.iter().any(|(k, v)| current.get(k) != Some(v)),
                None => wanted_bios != applied.wanted_bios(names),
            };
        let firmware = !self.firmware_components.is_empty()
            && self.firmware_components != applied.firmware_components;
        Preparation {
            raid,
            bios,
            firmware,
        }
    }

    /// The manual-cleaning steps of `preparation`, in the order they run: RAID first (its
    /// steps use the agent already booted for the cleaning), then firmware (a new BIOS may
    /// change its settings), then BIOS settings last (applied by the BMC, with no agent to wait
    /// for). A software RAID is built on disks whose old partition tables and signatures are
    /// erased first (`deploy.erase_devices_metadata`): the agent refuses disks holding
    /// partitions, as Metal3 knows.
    pub fn clean_steps(
        &self,
        preparation: &Preparation,
        names: Option<&FirmwareNames>,
    ) -> Vec<Value> {
        let mut steps = Vec::new();
        if preparation.raid != RaidChange::None {
            steps.push(json!({ "interface": "raid", "step": "delete_configuration" }));
        }
        if preparation.raid == RaidChange::Rebuild {
            if self.raid.as_ref().is_some_and(RaidConfig::is_software) {
                steps.push(json!({ "interface": "deploy", "step": "erase_devices_metadata" }));
            }
            steps.push(json!({ "interface": "raid", "step": "create_configuration" }));
        }
        if preparation.firmware {
            let settings: Vec<Value> = self
                .firmware_components
                .iter()
                .map(FirmwareComponent::to_ironic)
                .collect();
            steps.push(json!({
                "interface": "firmware", "step": "update", "args": { "settings": settings }
            }));
        }
        if preparation.bios {
            let settings: Vec<Value> = self
                .wanted_bios(names)
                .into_iter()
                .map(|(name, value)| json!({ "name": name, "value": value }))
                .collect();
            steps.push(json!({
                "interface": "bios", "step": "apply_configuration", "args": { "settings": settings }
            }));
        }
        steps
    }

    /// The record once `done` of these settings is applied over `applied` (servicing applies
    /// part of them).
    pub fn applied_after(
        &self,
        applied: &HardwareSettings,
        done: &Preparation,
    ) -> HardwareSettings {
        let mut record = applied.clone();
        if done.raid != RaidChange::None {
            record.raid = self.raid.clone();
        }
        if done.bios {
            record.bios_settings = self.bios_settings.clone();
            record.firmware = self.firmware;
        }
        if done.firmware {
            record.firmware_components = self.firmware_components.clone();
        }
        record
    }

    /// The RAID interface the settings need: the agent's for software RAID, the family's for
    /// hardware RAID; `None`: the family's default is left.
    pub fn raid_interface(&self, support: &Day2Support) -> Option<&'static str> {
        let raid = self.raid.as_ref()?;
        if raid.is_software() {
            Some("agent")
        } else if raid.hardware_raid_volumes.is_empty() {
            None
        } else {
            support.hardware_raid
        }
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
