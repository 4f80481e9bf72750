//! RAID as Metal3's BareMetalHost declares it (`spec.raid`): hardware volumes built by the BMC's
//! RAID controller, or software (md) volumes built by the agent. Checked with the operator's
//! rules, and turned into Ironic's `target_raid_config`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// RAID levels a hardware controller may build (the operator's enum).
pub const HARDWARE_LEVELS: &[&str] = &["0", "1", "2", "5", "6", "1+0", "5+0", "6+0"];
/// RAID levels the agent builds in software (Linux md).
pub const SOFTWARE_LEVELS: &[&str] = &["0", "1", "1+0"];
/// The agent builds at most two software volumes: the root (RAID-1) and one more.
pub const MAX_SOFTWARE_VOLUMES: usize = 2;

/// One volume of a hardware RAID controller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardwareVolume {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub level: String,
    /// `None`: the largest size the disks allow (Ironic's `MAX`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_gibibytes: Option<u64>,
    /// Spinning disks (`true`) or solid state (`false`); `None`: either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotational: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_physical_disks: Option<u32>,
    /// The controller's names of the disks to use (needs `controller`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub physical_disks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<String>,
}

/// One software RAID volume, built by the agent from whole disks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareVolume {
    pub level: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_gibibytes: Option<u64>,
    /// Device names (`/dev/sda`) of the disks to use; empty: the agent picks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub physical_disks: Vec<String>,
}

/// The RAID a host should have. Both lists empty means "no RAID volumes": the existing ones are
/// deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaidConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hardware_raid_volumes: Vec<HardwareVolume>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub software_raid_volumes: Vec<SoftwareVolume>,
}

/// A RAID configuration the operator's rules refuse: which attribute, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaidProblem {
    /// The path under `raid` (`software_raid_volumes[0].level`), empty for the whole block.
    pub path: String,
    pub message: String,
}

impl RaidConfig {
    /// No volumes at all: the RAID configuration is deleted.
    pub fn deletes_all(&self) -> bool {
        self.hardware_raid_volumes.is_empty() && self.software_raid_volumes.is_empty()
    }

    /// Software volumes: Ironic's `agent` RAID interface builds them.
    pub fn is_software(&self) -> bool {
        !self.software_raid_volumes.is_empty()
    }

    /// Every rule of the operator's validation that this configuration breaks.
    pub fn problems(&self) -> Vec<RaidProblem> {
        let mut problems = Vec::new();
        let mut problem =
            |path: String, message: String| problems.push(RaidProblem { path, message });
        if !self.hardware_raid_volumes.is_empty() && !self.software_raid_volumes.is_empty() {
            problem(
                String::new(),
                "hardware_raid_volumes and software_raid_volumes cannot both be set: a host has \
                 one kind of RAID"
                    .into(),
            );
        }
        for (index, volume) in self.hardware_raid_volumes.iter().enumerate() {
            let at = |field: &str| format!("hardware_raid_volumes[{index}].{field}");
            if !HARDWARE_LEVELS.contains(&volume.level.as_str()) {
                problem(at("level"), level_message(&volume.level, HARDWARE_LEVELS));
            }
            if !volume.physical_disks.is_empty() && volume.controller.is_none() {
                problem(
                    at("physical_disks"),
                    "physical_disks needs controller: disk names are the controller's".into(),
                );
            }
            if let Some(count) = volume.number_of_physical_disks {
                let named = volume.physical_disks.len();
                if named != 0 && usize::try_from(count).ok() != Some(named) {
                    problem(
                        at("number_of_physical_disks"),
                        format!(
                            "is {count} but physical_disks names {named} disk(s); give the same \
                             number or leave one out"
                        ),
                    );
                }
            }
            if volume.size_gibibytes == Some(0) {
                problem(at("size_gibibytes"), zero_size_message());
            }
        }
        if self.software_raid_volumes.len() > MAX_SOFTWARE_VOLUMES {
            problem(
                "software_raid_volumes".into(),
                format!(
                    "has {} volumes; the agent builds at most {MAX_SOFTWARE_VOLUMES} (the root \
                     volume and one more)",
                    self.software_raid_volumes.len()
                ),
            );
        }
        for (index, volume) in self.software_raid_volumes.iter().enumerate() {
            let at = |field: &str| format!("software_raid_volumes[{index}].{field}");
            if !SOFTWARE_LEVELS.contains(&volume.level.as_str()) {
                problem(at("level"), level_message(&volume.level, SOFTWARE_LEVELS));
            } else if index == 0 && volume.level != "1" {
                problem(
                    at("level"),
                    format!(
                        "is \"{}\"; the first software volume holds the root file system and \
                         must be RAID-1 (\"1\")",
                        volume.level
                    ),
                );
            }
            if volume.size_gibibytes == Some(0) {
                problem(at("size_gibibytes"), zero_size_message());
            }
        }
        problems
    }

    /// Ironic's `target_raid_config`: the first volume is the root volume, a missing size is
    /// `MAX`, software volumes name the `software` controller.
    pub fn target_raid_config(&self) -> Value {
        let size = |gib: Option<u64>| gib.map_or_else(|| json!("MAX"), |n| json!(n));
        let mut disks: Vec<Value> = Vec::new();
        for (index, volume) in self.hardware_raid_volumes.iter().enumerate() {
            let mut disk = Map::new();
            disk.insert("raid_level".into(), volume.level.clone().into());
            disk.insert("size_gb".into(), size(volume.size_gibibytes));
            disk.insert("is_root_volume".into(), (index == 0).into());
            if let Some(name) = &volume.name {
                disk.insert("volume_name".into(), name.clone().into());
            }
            if let Some(rotational) = volume.rotational {
                disk.insert(
                    "disk_type".into(),
                    if rotational { "hdd" } else { "ssd" }.into(),
                );
            }
            if let Some(count) = volume.number_of_physical_disks {
                disk.insert("number_of_physical_disks".into(), count.into());
            }
            if !volume.physical_disks.is_empty() {
                disk.insert("physical_disks".into(), json!(volume.physical_disks));
            }
            if let Some(controller) = &volume.controller {
                disk.insert("controller".into(), controller.clone().into());
            }
            disks.push(Value::Object(disk));
        }
        for (index, volume) in self.software_raid_volumes.iter().enumerate() {
            let mut disk = Map::new();
            disk.insert("raid_level".into(), volume.level.clone().into());
            disk.insert("size_gb".into(), size(volume.size_gibibytes));
            disk.insert("is_root_volume".into(), (index == 0).into());
            disk.insert("controller".into(), "software".into());
            if !volume.physical_disks.is_empty() {
                let hints: Vec<Value> = volume
                    .physical_disks
                    .iter()
                    .map(|name| json!({ "name": name }))
                    .collect();
                disk.insert("physical_disks".into(), Value::Array(hints));
            }
            disks.push(Value::Object(disk));
        }
        json!({ "logical_disks": disks })
    }

    /// The disks the configuration names, for the plan's "ERASED" line (empty: the
    /// controller's or agent's choice).
    pub fn named_disks(&self) -> Vec<String> {
        let mut disks: Vec<String> = self
            .hardware_raid_volumes
            .iter()
            .flat_map(|v| v.physical_disks.iter().cloned())
            .chain(
                self.software_raid_volumes
                    .iter()
                    .flat_map(|v| v.physical_disks.iter().cloned()),
            )
            .collect();
        disks.sort();
        disks.dedup();
        disks
    }
}

fn level_message(level: &str, allowed: &[&str]) -> String {
    let allowed: Vec<String> = allowed.iter().map(|l| format!("\"{l}\"")).collect();
    format!(
        "\"{level}\" is not a RAID level here; allowed: {}",
        allowed.join(", ")
    )
}

fn zero_size_message() -> String {
    "must be at least 1; leave it out for the largest size the disks allow".into()
}

#[cfg(test)]
#[path = "raid_tests.rs"]
mod tests;
