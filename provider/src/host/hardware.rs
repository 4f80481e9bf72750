//! `hardware`, the inventory inspection collected, as a model: the core's `HardwareDetails` in
//! Terraform's shape. Every attribute is computed; `ip` and `hctl` are null when empty, as
//! documented.

use metal3_core::hardware::{HardwareDetails, STORAGE_TYPES};
use tfplugin::model::Model;

use super::doc_text::code_list;

/// Hardware inventory collected by inspection. Null until the host has been inspected, and
/// when `inspection_mode = "disabled"`.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct Hardware {
    /// Processor details.
    #[tf(computed)]
    pub cpu: Option<Cpu>,
    /// Installed memory in MiB.
    #[tf(computed)]
    pub ram_mebibytes: Option<i64>,
    /// Network interfaces.
    #[tf(computed)]
    pub nics: Option<Vec<Nic>>,
    /// Block devices. Values here are what `root_device_hints` match against.
    #[tf(computed)]
    pub storage: Option<Vec<Storage>>,
    /// Firmware details.
    #[tf(computed)]
    pub firmware: Option<Firmware>,
    /// Chassis identity.
    #[tf(computed)]
    pub system_vendor: Option<SystemVendor>,
    /// Host name reported by the inspection ramdisk.
    #[tf(computed)]
    pub hostname: Option<String>,
}

/// Processor details.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct Cpu {
    /// CPU architecture, e.g. `x86_64`, `aarch64`.
    #[tf(computed)]
    pub arch: Option<String>,
    /// CPU model name as reported by the processor.
    #[tf(computed)]
    pub model: Option<String>,
    /// CPU frequency in MHz.
    #[tf(computed)]
    pub clock_megahertz: Option<f64>,
    /// Number of logical CPUs (hardware threads).
    #[tf(computed)]
    pub count: Option<i64>,
    /// CPU feature flags, sorted.
    #[tf(computed)]
    pub flags: Option<Vec<String>>,
}

/// A network interface.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct Nic {
    /// Interface name in the inspection ramdisk, e.g. `eth0`.
    #[tf(computed)]
    pub name: Option<String>,
    /// MAC address, lowercase, colon-separated.
    #[tf(computed)]
    pub mac: Option<String>,
    /// IP address seen during inspection; null when none.
    #[tf(computed)]
    pub ip: Option<String>,
    /// `<vendor> <product>` of the NIC, as PCI IDs or names.
    #[tf(computed)]
    pub model: Option<String>,
    /// Link speed in Gbit/s; 0 when unknown.
    #[tf(computed)]
    pub speed_gbps: Option<i64>,
    /// Whether the host booted from this NIC during inspection.
    #[tf(computed)]
    pub pxe: Option<bool>,
}

/// A block device.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct Storage {
    /// Device path, e.g. `/dev/sda`.
    #[tf(computed)]
    pub name: Option<String>,
    /// Other paths of the same device, e.g. `/dev/disk/by-path/...`.
    #[tf(computed)]
    pub alternate_names: Option<Vec<String>>,
    /// SCSI `host:channel:target:lun` address; null when not SCSI.
    #[tf(computed)]
    pub hctl: Option<String>,
    /// Device model.
    #[tf(computed)]
    pub model: Option<String>,
    /// Device vendor.
    #[tf(computed)]
    pub vendor: Option<String>,
    /// Device serial number.
    #[tf(computed)]
    pub serial_number: Option<String>,
    /// Capacity in bytes.
    #[tf(computed)]
    pub size_bytes: Option<i64>,
    /// Whether the device is spinning media.
    #[tf(computed)]
    pub rotational: Option<bool>,
    #[tf(computed, description = format!("Device class: {}.", code_list(&STORAGE_TYPES)))]
    pub r#type: Option<String>,
    /// World Wide Name.
    #[tf(computed)]
    pub wwn: Option<String>,
    /// World Wide Name with the vendor extension appended.
    #[tf(computed)]
    pub wwn_with_extension: Option<String>,
    /// Vendor extension of the World Wide Name.
    #[tf(computed)]
    pub wwn_vendor_extension: Option<String>,
}

/// Firmware details.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct Firmware {
    /// System firmware.
    #[tf(computed)]
    pub bios: Option<Bios>,
}

/// System firmware.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct Bios {
    /// BIOS/UEFI firmware vendor.
    #[tf(computed)]
    pub vendor: Option<String>,
    /// Firmware version.
    #[tf(computed)]
    pub version: Option<String>,
    /// Firmware release date, as reported by the firmware.
    #[tf(computed)]
    pub date: Option<String>,
}

/// Chassis identity.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct SystemVendor {
    /// System manufacturer, e.g. `Dell Inc.`.
    #[tf(computed)]
    pub manufacturer: Option<String>,
    /// System product name.
    #[tf(computed)]
    pub product_name: Option<String>,
    /// System serial number (service tag).
    #[tf(computed)]
    pub serial_number: Option<String>,
}

fn text(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

impl From<&HardwareDetails> for Hardware {
    fn from(hw: &HardwareDetails) -> Hardware {
        let bios = &hw.firmware.bios;
        let vendor = &hw.system_vendor;
        Hardware {
            cpu: Some(Cpu {
                arch: text(&hw.cpu.arch),
                model: text(&hw.cpu.model),
                clock_megahertz: Some(hw.cpu.clock_megahertz),
                count: Some(hw.cpu.count),
                flags: Some(hw.cpu.flags.clone()),
            }),
            ram_mebibytes: Some(hw.ram_mebibytes),
            nics: Some(
                hw.nics
                    .iter()
                    .map(|nic| Nic {
                        name: text(&nic.name),
                        mac: text(&nic.mac),
                        ip: non_empty(&nic.ip),
                        model: text(&nic.model),
                        speed_gbps: Some(nic.speed_gbps),
                        pxe: Some(nic.pxe),
                    })
                    .collect(),
            ),
            storage: Some(
                hw.storage
                    .iter()
                    .map(|disk| Storage {
                        name: text(&disk.name),
                        alternate_names: Some(disk.alternate_names.clone()),
                        hctl: non_empty(&disk.hctl),
                        model: text(&disk.model),
                        vendor: text(&disk.vendor),
                        serial_number: text(&disk.serial_number),
                        size_bytes: Some(disk.size_bytes),
                        rotational: Some(disk.rotational),
                        r#type: text(&disk.r#type),
                        wwn: text(&disk.wwn),
                        wwn_with_extension: text(&disk.wwn_with_extension),
                        wwn_vendor_extension: text(&disk.wwn_vendor_extension),
                    })
                    .collect(),
            ),
            firmware: Some(Firmware {
                bios: Some(Bios {
                    vendor: text(&bios.vendor),
                    version: text(&bios.version),
                    date: text(&bios.date),
                }),
            }),
            system_vendor: Some(SystemVendor {
                manufacturer: text(&vendor.manufacturer),
                product_name: text(&vendor.product_name),
                serial_number: text(&vendor.serial_number),
            }),
            hostname: text(&hw.hostname),
        }
    }
}
