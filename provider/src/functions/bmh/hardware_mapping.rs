//! The day-2 hardware fields both ways: `spec.raid` <-> `raid`, `spec.firmware` <-> `firmware`,
//! and the host's HostFirmwareSettings / HostFirmwareComponents <-> `bios_settings` /
//! `firmware_components`. Metal3's zero values mean what an unset argument means here: a size
//! of 0 is "the largest the disks allow", an empty list of disks is "any".

use serde_json::Value as Json;

use super::firmware_objects::{FirmwareUpdate, HostFirmware};
use super::model::{self, HardwareRaidVolume, SoftwareRaidVolume};
use crate::host::arguments::{Field, HostConfig};
use crate::host::hardware_settings::{
    check_raid, FirmwareArgs, FirmwareComponentArgs, HardwareVolumeArgs, RaidArgs,
    SoftwareVolumeArgs,
};

const H: crate::host::arguments::HostConfigNames = HostConfig::NAMES;

fn known<T>(value: Option<T>) -> Field<T> {
    value.map_or(Field::Null, Field::Known)
}

fn text(value: &Option<String>) -> Field<String> {
    known(value.clone().filter(|t| !t.is_empty()))
}

fn size(value: Option<u64>) -> Field<u64> {
    known(value.filter(|s| *s != 0))
}

fn disks<T: Clone>(value: &Option<Vec<T>>) -> Option<Vec<T>> {
    value.clone().filter(|d| !d.is_empty())
}

/// `spec.raid` as `raid`, refused where this provider cannot build what it asks; the RAID rules
/// of the resource are checked here too, so that a manifest it would refuse fails on reading.
/// Metal3 leaves the RAID as it is when neither list is set (`raid: {}`), as this resource
/// does when `raid` is unset; an empty list (`[]`) deletes the volumes in both.
pub fn raid_from(raid: &model::Raid) -> Result<Option<RaidArgs>, String> {
    if raid.hardware_raid_volumes.is_none() && raid.software_raid_volumes.is_none() {
        return Ok(None);
    }
    let hardware = raid.hardware_raid_volumes.as_ref().map(|volumes| {
        volumes
            .iter()
            .map(|v| HardwareVolumeArgs {
                name: text(&v.name),
                level: Field::Known(v.level.clone()),
                size_gibibytes: size(v.size_gibibytes),
                rotational: known(v.rotational),
                number_of_physical_disks: known(v.number_of_physical_disks),
                physical_disks: known(disks(&v.physical_disks)),
                controller: text(&v.controller),
            })
            .collect()
    });
    let software = match &raid.software_raid_volumes {
        None => None,
        Some(volumes) => Some(
            volumes
                .iter()
                .enumerate()
                .map(|(index, v)| software_volume(index, v))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let args = RaidArgs {
        hardware_raid_volumes: known(hardware),
        software_raid_volumes: known(software),
    };
    check_raid(&args).map_err(|why| {
        format!(
            "spec.raid cannot be applied by `metal3_baremetal_host` (`{}`): {why}",
            H.raid
        )
    })?;
    Ok(Some(args))
}

fn software_volume(
    index: usize,
    volume: &SoftwareRaidVolume,
) -> Result<SoftwareVolumeArgs, String> {
    let at = format!("spec.raid.softwareRAIDVolumes[{index}]");
    if volume.root_volume && index != 0 {
        return Err(format!(
            "{at}.rootVolume: this provider always builds the root file system on the first \
             software volume; put this volume first (it must be RAID-1) and remove `rootVolume`"
        ));
    }
    let physical_disks = match disks(&volume.physical_disks) {
        None => None,
        Some(hints) => Some(
            hints
                .iter()
                .enumerate()
                .map(|(disk, hints)| device_name(&format!("{at}.physicalDisks[{disk}]"), hints))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(SoftwareVolumeArgs {
        level: Field::Known(volume.level.clone()),
        size_gibibytes: size(volume.size_gibibytes),
        physical_disks: known(physical_disks),
    })
}

/// A software volume's disk: Metal3 takes root device hints, this provider a device name.
fn device_name(at: &str, hints: &model::RootDeviceHints) -> Result<String, String> {
    let set: Vec<String> = match serde_json::to_value(hints) {
        Ok(Json::Object(fields)) => fields
            .into_iter()
            .filter(|(key, _)| key != "deviceName")
            .map(|(key, _)| format!("`{key}`"))
            .collect(),
        _ => Vec::new(),
    };
    let name = hints.device_name.clone().filter(|n| !n.is_empty());
    match (name, set.is_empty()) {
        (Some(name), true) => Ok(name),
        (_, false) => Err(format!(
            "{at}: only `deviceName` is supported (a software RAID disk is named by its device, \
             e.g. /dev/sda, in `physical_disks`); {} cannot be matched here: replace the hints \
             with the disk's deviceName",
            set.join(", ")
        )),
        (None, true) => Err(format!(
            "{at}: `deviceName` is required (a software RAID disk is named by its device, \
             e.g. /dev/sda)"
        )),
    }
}

/// `raid` as `spec.raid`. This resource's `raid = {}` deletes the volumes; Metal3 reads
/// `raid: {}` as "leave them", so it is written as `hardwareRAIDVolumes: []`.
pub fn raid_to(raid: &RaidArgs) -> model::Raid {
    if raid.hardware_raid_volumes.is_null() && raid.software_raid_volumes.is_null() {
        return model::Raid {
            hardware_raid_volumes: Some(Vec::new()),
            software_raid_volumes: None,
        };
    }
    model::Raid {
        hardware_raid_volumes: raid.hardware_raid_volumes.known().map(|volumes| {
            volumes
                .iter()
                .map(|v| HardwareRaidVolume {
                    name: v.name.known().cloned(),
                    level: v.level.known().cloned().unwrap_or_default(),
                    size_gibibytes: v.size_gibibytes.known().copied(),
                    rotational: v.rotational.known().copied(),
                    number_of_physical_disks: v.number_of_physical_disks.known().copied(),
                    physical_disks: v.physical_disks.known().cloned(),
                    controller: v.controller.known().cloned(),
                })
                .collect()
        }),
        software_raid_volumes: raid.software_raid_volumes.known().map(|volumes| {
            volumes
                .iter()
                .map(|v| SoftwareRaidVolume {
                    level: v.level.known().cloned().unwrap_or_default(),
                    size_gibibytes: v.size_gibibytes.known().copied(),
                    physical_disks: v.physical_disks.known().map(|names| {
                        names
                            .iter()
                            .map(|name| model::RootDeviceHints {
                                device_name: Some(name.clone()),
                                ..model::RootDeviceHints::default()
                            })
                            .collect()
                    }),
                    // The first volume is the root one when none says so (Metal3's rule too).
                    root_volume: false,
                })
                .collect()
        }),
    }
}

pub fn firmware_from(firmware: &model::Firmware) -> FirmwareArgs {
    FirmwareArgs {
        simultaneous_multithreading_enabled: known(firmware.simultaneous_multithreading_enabled),
        sriov_enabled: known(firmware.sriov_enabled),
        virtualization_enabled: known(firmware.virtualization_enabled),
    }
}

pub fn firmware_to(firmware: &FirmwareArgs) -> model::Firmware {
    model::Firmware {
        simultaneous_multithreading_enabled: firmware
            .simultaneous_multithreading_enabled
            .known()
            .copied(),
        sriov_enabled: firmware.sriov_enabled.known().copied(),
        virtualization_enabled: firmware.virtualization_enabled.known().copied(),
    }
}

/// `firmware_components` from a HostFirmwareComponents' updates.
pub fn components_from(updates: &[FirmwareUpdate]) -> Vec<FirmwareComponentArgs> {
    updates
        .iter()
        .map(|u| FirmwareComponentArgs {
            component: Field::Known(u.component.clone()),
            url: Field::Known(u.url.clone()),
        })
        .collect()
}

/// What the host's HostFirmwareSettings and HostFirmwareComponents hold.
pub fn host_firmware(config: &HostConfig) -> HostFirmware {
    HostFirmware {
        settings: config.bios_settings.known().cloned(),
        updates: config.firmware_components.known().map(|components| {
            components
                .iter()
                .filter_map(|c| {
                    Some(FirmwareUpdate {
                        component: c.component.known()?.clone(),
                        url: c.url.known()?.clone(),
                    })
                })
                .collect()
        }),
    }
}
