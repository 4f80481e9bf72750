//! The day-2 hardware arguments of `metal3_baremetal_host` (Metal3's `spec.raid`,
//! `spec.firmware`, HostFirmwareSettings and HostFirmwareComponents, in snake_case), declared
//! once as models, and their mapping to core's `HardwareSettings`. The computed readings
//! (`bios_settings_current`, `firmware_components_current`) are models here too.

use std::collections::BTreeMap;

use metal3_core::lifecycle::hardware_settings::{
    ComponentVersions, FirmwareComponent, FirmwareConfig, HardwareSettings, HardwareVolume,
    RaidConfig, SoftwareVolume, UpdatePolicy, HARDWARE_LEVELS, SOFTWARE_LEVELS,
};
use tfplugin::model::Model;

use super::field::Field;

/// The host's RAID volumes (`raid`): hardware or software, not both.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct RaidArgs {
    /// Volumes of the BMC's RAID controller; the first is the root volume.
    #[tf(optional)]
    pub hardware_raid_volumes: Field<Vec<HardwareVolumeArgs>>,
    /// Software RAID volumes the agent builds (at most 2; the first holds the root file system
    /// and must be RAID-1).
    #[tf(optional)]
    pub software_raid_volumes: Field<Vec<SoftwareVolumeArgs>>,
}

/// One hardware RAID volume.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct HardwareVolumeArgs {
    /// Name of the volume, where the controller keeps names.
    #[tf(optional)]
    pub name: Field<String>,
    /// RAID level.
    #[tf(required, one_of = HARDWARE_LEVELS)]
    pub level: Field<String>,
    /// Size in GiB (at least 1); unset: the largest the disks allow.
    #[tf(optional, min = 1)]
    pub size_gibibytes: Field<u64>,
    /// `true` for spinning disks, `false` for solid state; unset: either.
    #[tf(optional)]
    pub rotational: Field<bool>,
    /// How many disks the volume spans; when `physical_disks` is set too, it must count them.
    #[tf(optional, min = 1)]
    pub number_of_physical_disks: Field<u32>,
    /// The controller's names of the disks to use (needs `controller`).
    #[tf(optional)]
    pub physical_disks: Field<Vec<String>>,
    /// The controller to build the volume on, by its Redfish name.
    #[tf(optional)]
    pub controller: Field<String>,
}

/// One software RAID volume.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct SoftwareVolumeArgs {
    /// RAID level.
    #[tf(required, one_of = SOFTWARE_LEVELS)]
    pub level: Field<String>,
    /// Size in GiB (at least 1); unset: the largest the disks allow.
    #[tf(optional, min = 1)]
    pub size_gibibytes: Field<u64>,
    /// Device names (`/dev/sda`) of the disks to use; unset: the agent picks.
    #[tf(optional)]
    pub physical_disks: Field<Vec<String>>,
}

/// The vendor-independent BIOS switches (`firmware`).
#[derive(Debug, Clone, PartialEq, Model)]
pub struct FirmwareArgs {
    /// Simultaneous multithreading (Hyper-Threading).
    #[tf(optional)]
    pub simultaneous_multithreading_enabled: Field<bool>,
    /// SR-IOV.
    #[tf(optional)]
    pub sriov_enabled: Field<bool>,
    /// CPU virtualization extensions (VT-x, AMD-V).
    #[tf(optional)]
    pub virtualization_enabled: Field<bool>,
}

/// A firmware image to flash (Metal3's HostFirmwareComponents).
#[derive(Debug, Clone, PartialEq, Model)]
pub struct FirmwareComponentArgs {
    /// `bios`, `bmc`, or `nic:<id>` (a network adapter's Redfish id).
    #[tf(required, validate = check_component)]
    pub component: Field<String>,
    /// Where the BMC downloads the image (`http` or `https`).
    #[tf(required, validate = check_firmware_url)]
    pub url: Field<String>,
}

/// The value of an `update_policy` field that lets a provisioned host take a change.
pub const ON_REBOOT: &str = "on_reboot";

/// What a provisioned host may take (`update_policy`).
#[derive(Debug, Clone, PartialEq, Model)]
pub struct UpdatePolicyArgs {
    /// `"on_reboot"`: BIOS settings (`bios_settings`, `firmware`) are applied to a provisioned
    /// host by Ironic servicing, which REBOOTS it. Unset: they wait for the next deprovision.
    #[tf(optional, one_of = &[ON_REBOOT])]
    pub firmware_settings: Field<String>,
    /// `"on_reboot"`: `firmware_components` are flashed on a provisioned host by Ironic
    /// servicing, which REBOOTS it. Unset: they wait for the next deprovision.
    #[tf(optional, one_of = &[ON_REBOOT])]
    pub firmware_updates: Field<String>,
}

/// Core's update policy of the argument.
pub fn update_policy(policy: &Field<UpdatePolicyArgs>) -> UpdatePolicy {
    let on = |field: &Field<String>| field.as_deref() == Some(ON_REBOOT);
    policy
        .known()
        .map_or_else(UpdatePolicy::default, |p| UpdatePolicy {
            firmware_settings: on(&p.firmware_settings),
            firmware_updates: on(&p.firmware_updates),
        })
}

/// A component's firmware versions as Ironic reports them.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct FirmwareVersions {
    /// `bios`, `bmc` or `nic:<id>`.
    #[tf(computed)]
    pub component: Field<String>,
    /// The version when Ironic first read it.
    #[tf(computed)]
    pub initial_version: Field<String>,
    /// The version running now.
    #[tf(computed)]
    pub current_version: Field<String>,
    /// The version last flashed through Ironic.
    #[tf(computed)]
    pub last_version_flashed: Field<String>,
}

impl From<&ComponentVersions> for FirmwareVersions {
    fn from(c: &ComponentVersions) -> Self {
        FirmwareVersions {
            component: Field::Known(c.component.clone()),
            initial_version: c.initial_version.clone().into(),
            current_version: c.current_version.clone().into(),
            last_version_flashed: c.last_version_flashed.clone().into(),
        }
    }
}

fn check_component(name: &str) -> Result<(), String> {
    let probe = FirmwareComponent {
        component: name.to_owned(),
        url: String::new(),
    };
    probe.component_problem().map_or(Ok(()), Err)
}

fn check_firmware_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let host = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    match host {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(()),
        _ => Err(format!(
            "\"{url}\" is not an http or https URL with a host; the BMC downloads the image \
             from it, e.g. `https://files.example.com/bmc-1.3.bin`."
        )),
    }
}

/// The operator's RAID rules, each naming the volume at fault.
pub fn check_raid(raid: &RaidArgs) -> Result<(), String> {
    let problems = raid_config(raid).problems();
    if problems.is_empty() {
        return Ok(());
    }
    Err(problems
        .iter()
        .map(|p| {
            if p.path.is_empty() {
                p.message.clone()
            } else {
                format!("`{}` {}", p.path, p.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; "))
}

fn known_list<T: Clone>(field: &Field<Vec<T>>) -> Vec<T> {
    field.known().cloned().unwrap_or_default()
}

/// Core's RAID configuration (unknown values read as unset: the plan re-checks at apply).
pub fn raid_config(raid: &RaidArgs) -> RaidConfig {
    RaidConfig {
        hardware_raid_volumes: known_list(&raid.hardware_raid_volumes)
            .iter()
            .map(|v| HardwareVolume {
                name: v.name.known().cloned(),
                level: v.level.known().cloned().unwrap_or_default(),
                size_gibibytes: v.size_gibibytes.known().copied(),
                rotational: v.rotational.known().copied(),
                number_of_physical_disks: v.number_of_physical_disks.known().copied(),
                physical_disks: known_list(&v.physical_disks),
                controller: v.controller.known().cloned(),
            })
            .collect(),
        software_raid_volumes: known_list(&raid.software_raid_volumes)
            .iter()
            .map(|v| SoftwareVolume {
                level: v.level.known().cloned().unwrap_or_default(),
                size_gibibytes: v.size_gibibytes.known().copied(),
                physical_disks: known_list(&v.physical_disks),
            })
            .collect(),
    }
}

/// The settings of the arguments, as core applies them.
pub fn hardware_settings(
    raid: &Field<RaidArgs>,
    firmware: &Field<FirmwareArgs>,
    bios_settings: &Field<BTreeMap<String, String>>,
    firmware_components: &Field<Vec<FirmwareComponentArgs>>,
) -> HardwareSettings {
    HardwareSettings {
        raid: raid.known().map(raid_config),
        firmware: firmware
            .known()
            .map(|f| FirmwareConfig {
                simultaneous_multithreading_enabled: f
                    .simultaneous_multithreading_enabled
                    .known()
                    .copied(),
                sriov_enabled: f.sriov_enabled.known().copied(),
                virtualization_enabled: f.virtualization_enabled.known().copied(),
            })
            .unwrap_or_default(),
        bios_settings: bios_settings.known().cloned().unwrap_or_default(),
        firmware_components: known_list(firmware_components)
            .iter()
            .filter_map(|c| {
                Some(FirmwareComponent {
                    component: c.component.known()?.clone(),
                    url: c.url.known()?.clone(),
                })
            })
            .collect(),
    }
}
