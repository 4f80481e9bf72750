//! The functions' whole contract, in two tables: every field of the operator's BareMetalHost
//! (`spec`, and the `metadata` a host carries) with what the functions do with it, and every
//! `metal3_baremetal_host` argument a BareMetalHost cannot carry, with why. The tests hold the
//! tables to the operator's field list (`tests/fixtures/baremetalhosts/operator-spec-fields.txt`)
//! and to the resource's schema, so a field or argument added on either side fails a test until
//! it is mapped here or listed with its reason.

use serde_json::{Map, Value as Json};

use crate::host::arguments::{BmcConfig, HostConfig, ImageConfig};
use crate::host::arguments::{CustomDeploy, RootDeviceHints};
use crate::host::hardware_settings::{
    FirmwareArgs, FirmwareComponentArgs, HardwareVolumeArgs, RaidArgs, SoftwareVolumeArgs,
};

use super::firmware_objects::{COMPONENTS_KIND, SETTINGS_KIND};

/// Keys of the functions' host object that the resource does not have: the Kubernetes Secrets a
/// BareMetalHost refers to, by name, and its labels.
pub const CREDENTIALS_NAME: &str = "credentials_name";
pub const USER_DATA_SECRET: &str = "user_data_secret";
pub const NETWORK_DATA_SECRET: &str = "network_data_secret";
pub const META_DATA_SECRET: &str = "meta_data_secret";
pub const LABELS: &str = "labels";

/// The top-level `*_secret` keys, each with the argument whose content its Secret holds.
pub const SECRET_KEYS: &[(&str, &str)] = &[
    (USER_DATA_SECRET, HostConfig::NAMES.user_data),
    (NETWORK_DATA_SECRET, HostConfig::NAMES.network_data),
    (META_DATA_SECRET, HostConfig::NAMES.meta_data),
];

/// What the functions do with one field of a BareMetalHost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// The `metal3_baremetal_host` argument at this path, both ways.
    Argument(&'static [&'static str]),
    /// A key of the host object beyond the resource's arguments (a Secret's name, the labels).
    HostKey(&'static [&'static str]),
    /// A Secret reference's namespace: accepted when it is the host's own, refused otherwise
    /// (the `*_secret` keys name a Secret in the host's namespace).
    HostNamespace,
    /// Accepted and dropped: it only means something inside a Kubernetes cluster.
    Dropped(&'static str),
    /// Refused by name when set: this provider cannot do what it asks.
    Refused(&'static str),
    /// Read and checked, with no argument of its own: what this provider always does implies
    /// it, and the mapping refuses a value asking for something else.
    Implied(&'static str),
}

use Handling::{Argument, Dropped, HostKey, HostNamespace, Implied, Refused};

const H: crate::host::arguments::HostConfigNames = HostConfig::NAMES;
const B: crate::host::arguments::BmcConfigNames = BmcConfig::NAMES;
const I: crate::host::arguments::ImageConfigNames = ImageConfig::NAMES;
const R: crate::host::arguments::RootDeviceHintsNames = RootDeviceHints::NAMES;
const C: crate::host::arguments::CustomDeployNames = CustomDeploy::NAMES;
const RA: crate::host::hardware_settings::RaidArgsNames = RaidArgs::NAMES;
const HV: crate::host::hardware_settings::HardwareVolumeArgsNames = HardwareVolumeArgs::NAMES;
const SV: crate::host::hardware_settings::SoftwareVolumeArgsNames = SoftwareVolumeArgs::NAMES;
const F: crate::host::hardware_settings::FirmwareArgsNames = FirmwareArgs::NAMES;
const FC: crate::host::hardware_settings::FirmwareComponentArgsNames = FirmwareComponentArgs::NAMES;

/// `metadata` fields a host carries (the rest of `metadata` is Kubernetes bookkeeping, dropped).
pub const METADATA_FIELDS: &[(&str, Handling)] = &[
    ("name", Argument(&[H.name])),
    ("namespace", Argument(&[H.namespace])),
    ("labels", HostKey(&[LABELS])),
];

/// Every field of the operator's `BareMetalHostSpec` and of the types it nests (`BMCDetails`,
/// `RootDeviceHints`, `Image`, `SecretReference`, `CustomDeploy`, `RAIDConfig` and its volumes,
/// `FirmwareConfig`), by its JSON path under `spec` (`[]`: each element of a list). A field
/// whose type this provider refuses or drops as a whole is listed once, not its parts.
pub const SPEC_FIELDS: &[(&str, Handling)] = &[
    ("bmc.address", Argument(&[H.bmc, B.address])),
    ("bmc.credentialsName", HostKey(&[H.bmc, CREDENTIALS_NAME])),
    (
        "bmc.disableCertificateVerification",
        Argument(&[H.bmc, B.disable_certificate_verification]),
    ),
    ("bootMACAddress", Argument(&[H.boot_mac_address])),
    ("bootMode", Argument(&[H.boot_mode])),
    ("online", Argument(&[H.online])),
    ("image.url", Argument(&[H.image, I.url])),
    ("image.checksum", Argument(&[H.image, I.checksum])),
    // Metal3's `auto` is the argument left unset.
    ("image.checksumType", Argument(&[H.image, I.checksum_type])),
    ("image.format", Argument(&[H.image, I.disk_format])),
    (
        "image.ociAuthSecretName",
        Refused(
            "OCI images are not supported (`image.url` takes `http`, `https` or `file`), so \
             neither are registry credentials; remove it",
        ),
    ),
    (
        "rootDeviceHints.deviceName",
        Argument(&[H.root_device_hints, R.device_name]),
    ),
    (
        "rootDeviceHints.hctl",
        Argument(&[H.root_device_hints, R.hctl]),
    ),
    (
        "rootDeviceHints.model",
        Argument(&[H.root_device_hints, R.model]),
    ),
    (
        "rootDeviceHints.vendor",
        Argument(&[H.root_device_hints, R.vendor]),
    ),
    (
        "rootDeviceHints.serialNumber",
        Argument(&[H.root_device_hints, R.serial_number]),
    ),
    (
        "rootDeviceHints.minSizeGigabytes",
        Argument(&[H.root_device_hints, R.min_size_gigabytes]),
    ),
    (
        "rootDeviceHints.wwn",
        Argument(&[H.root_device_hints, R.wwn]),
    ),
    (
        "rootDeviceHints.wwnWithExtension",
        Argument(&[H.root_device_hints, R.wwn_with_extension]),
    ),
    (
        "rootDeviceHints.wwnVendorExtension",
        Argument(&[H.root_device_hints, R.wwn_vendor_extension]),
    ),
    (
        "rootDeviceHints.rotational",
        Argument(&[H.root_device_hints, R.rotational]),
    ),
    (
        "customDeploy.method",
        Argument(&[H.custom_deploy, C.method]),
    ),
    (
        "externallyProvisioned",
        Argument(&[H.externally_provisioned]),
    ),
    (
        "automatedCleaningMode",
        Argument(&[H.automated_cleaning_mode]),
    ),
    ("inspectionMode", Argument(&[H.inspection_mode])),
    ("description", Argument(&[H.description])),
    ("userData.name", HostKey(&[USER_DATA_SECRET])),
    ("userData.namespace", HostNamespace),
    ("networkData.name", HostKey(&[NETWORK_DATA_SECRET])),
    ("networkData.namespace", HostNamespace),
    ("metaData.name", HostKey(&[META_DATA_SECRET])),
    ("metaData.namespace", HostNamespace),
    (
        "consumerRef",
        Dropped("names the Kubernetes object (e.g. a Cluster API Machine) using the host"),
    ),
    (
        "hardwareProfile",
        Dropped("deprecated by Metal3; the hardware is inspected instead"),
    ),
    (
        "architecture",
        Dropped("Metal3 picks a deploy ramdisk by it; Ironic's configured ramdisk is used here"),
    ),
    (
        "raid.hardwareRAIDVolumes[].name",
        Argument(&[H.raid, RA.hardware_raid_volumes, HV.name]),
    ),
    (
        "raid.hardwareRAIDVolumes[].level",
        Argument(&[H.raid, RA.hardware_raid_volumes, HV.level]),
    ),
    // Metal3's 0 ("the largest") is the argument left unset.
    (
        "raid.hardwareRAIDVolumes[].sizeGibibytes",
        Argument(&[H.raid, RA.hardware_raid_volumes, HV.size_gibibytes]),
    ),
    (
        "raid.hardwareRAIDVolumes[].rotational",
        Argument(&[H.raid, RA.hardware_raid_volumes, HV.rotational]),
    ),
    (
        "raid.hardwareRAIDVolumes[].numberOfPhysicalDisks",
        Argument(&[
            H.raid,
            RA.hardware_raid_volumes,
            HV.number_of_physical_disks,
        ]),
    ),
    (
        "raid.hardwareRAIDVolumes[].controller",
        Argument(&[H.raid, RA.hardware_raid_volumes, HV.controller]),
    ),
    (
        "raid.hardwareRAIDVolumes[].physicalDisks",
        Argument(&[H.raid, RA.hardware_raid_volumes, HV.physical_disks]),
    ),
    (
        "raid.softwareRAIDVolumes[].level",
        Argument(&[H.raid, RA.software_raid_volumes, SV.level]),
    ),
    (
        "raid.softwareRAIDVolumes[].sizeGibibytes",
        Argument(&[H.raid, RA.software_raid_volumes, SV.size_gibibytes]),
    ),
    // Root device hints in Metal3, device names here: `{deviceName: /dev/sda}` both ways, any
    // other hint refused by name (hardware_mapping::device_name).
    (
        "raid.softwareRAIDVolumes[].physicalDisks",
        Argument(&[H.raid, RA.software_raid_volumes, SV.physical_disks]),
    ),
    (
        "raid.softwareRAIDVolumes[].rootVolume",
        Implied(
            "the first software volume holds the root file system here; `rootVolume: true` is \
             accepted on the first volume only",
        ),
    ),
    (
        "firmware.simultaneousMultithreadingEnabled",
        Argument(&[H.firmware, F.simultaneous_multithreading_enabled]),
    ),
    (
        "firmware.sriovEnabled",
        Argument(&[H.firmware, F.sriov_enabled]),
    ),
    (
        "firmware.virtualizationEnabled",
        Argument(&[H.firmware, F.virtualization_enabled]),
    ),
    (
        "taints",
        Refused("taints schedule Kubernetes workloads and mean nothing here; remove them"),
    ),
    (
        "preprovisioningNetworkDataName",
        Refused("the inspection ramdisk's network comes from DHCP here; remove it"),
    ),
    (
        "disablePowerOff",
        Refused("hosts that must never be powered off cannot be managed here; remove it"),
    ),
    (
        "networkInterfaces",
        Refused(
            "switch port configuration is not supported; configure the switches out of band, \
             then remove it",
        ),
    ),
];

/// The fields of the objects Metal3 pairs with a host by its name and namespace
/// (`firmware_objects`): kind, path in the object, and handling. Their `metadata` is the host's.
pub const FIRMWARE_OBJECT_FIELDS: &[(&str, &str, Handling)] = &[
    (SETTINGS_KIND, "spec.settings", Argument(&[H.bios_settings])),
    (
        COMPONENTS_KIND,
        "spec.updates[].component",
        Argument(&[H.firmware_components, FC.component]),
    ),
    (
        COMPONENTS_KIND,
        "spec.updates[].url",
        Argument(&[H.firmware_components, FC.url]),
    ),
];

/// Arguments of `metal3_baremetal_host` a BareMetalHost has no field for, with why. The host
/// object `baremetalhosts` returns leaves them out; `baremetalhost_manifest` ignores them.
pub const NOT_CARRIED: &[(&[&str], &str)] = &[
    (
        &[H.bmc, B.username],
        "a BareMetalHost keeps the BMC credentials in the Secret `bmc.credentialsName` names",
    ),
    (
        &[H.bmc, B.password],
        "a BareMetalHost keeps the BMC credentials in the Secret `bmc.credentialsName` names",
    ),
    (
        &[H.bmc, B.password_wo],
        "a BareMetalHost keeps the BMC credentials in the Secret `bmc.credentialsName` names",
    ),
    (
        &[H.bmc, B.password_wo_version],
        "a Secret's content is rotated by changing the Secret, with no version in the host",
    ),
    (
        &[H.user_data],
        "the content of the Secret `spec.userData` names (`user_data_secret`)",
    ),
    (
        &[H.network_data],
        "the content of the Secret `spec.networkData` names (`network_data_secret`)",
    ),
    (
        &[H.meta_data],
        "the content of the Secret `spec.metaData` names (`meta_data_secret`)",
    ),
    (
        &[H.conductor_group],
        "Metal3 has no conductor groups: its Ironic's conductors manage every host",
    ),
    (
        &[H.deploy_image],
        "Metal3 keeps a host's agent in a PreprovisioningImage of its own, not in the \
         BareMetalHost",
    ),
    (
        &[H.update_policy],
        "Metal3 keeps it in a HostUpdatePolicy of its own, which the functions do not read yet",
    ),
    (
        &[H.power_off_on_destroy],
        "what Terraform's destroy does; a BareMetalHost has no such setting",
    ),
    (
        &[H.timeouts],
        "Terraform's time limits for operations on the resource",
    ),
];

/// The top-level arguments in [`NOT_CARRIED`] other than Secret contents, for the manifest
/// function's description: `` `conductor_group`, `power_off_on_destroy`, `timeouts` ``.
pub fn left_out() -> String {
    let secrets: Vec<&str> = SECRET_KEYS.iter().map(|(_, content)| *content).collect();
    NOT_CARRIED
        .iter()
        .filter_map(|(path, _)| match path {
            [name] if !secrets.contains(name) => Some(format!("`{name}`")),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the argument at `path` is one a BareMetalHost carries.
pub fn is_carried(path: &[&str]) -> bool {
    !NOT_CARRIED.iter().any(|(carried, _)| *carried == path)
}

/// Checks the `spec` of a BareMetalHost against [`SPEC_FIELDS`] and takes out the fields read
/// no further: a refused field that is set is an error naming it (`spec.<field> ...: why`),
/// dropped ones and refused ones left at their zero value are removed. What is left is read by
/// the typed model, which refuses any other field by name.
pub fn refuse_or_drop(spec: &mut Json) -> Result<(), String> {
    for (path, handling) in SPEC_FIELDS {
        let reason = match handling {
            Refused(reason) => Some(*reason),
            Dropped(_) => None,
            _ => continue,
        };
        let (parent, field) = match path.rsplit_once('.') {
            Some((parent, field)) => (object_at(spec, parent), field),
            None => (spec.as_object_mut(), *path),
        };
        let Some(parent) = parent else { continue };
        let Some(value) = parent.remove(field) else {
            continue;
        };
        if let Some(reason) = reason.filter(|_| !is_zero(&value)) {
            return Err(format!(
                "spec.{path} is not supported by this provider: {reason}"
            ));
        }
    }
    Ok(())
}

fn object_at<'a>(spec: &'a mut Json, dotted: &str) -> Option<&'a mut Map<String, Json>> {
    dotted
        .split('.')
        .try_fold(spec, |value, key| value.get_mut(key))?
        .as_object_mut()
}

/// Go's zero value, which the operator leaves out (`omitempty`); `kubectl` may print unset
/// optional fields as null, `{}` or `[]`.
fn is_zero(value: &Json) -> bool {
    match value {
        Json::Null => true,
        Json::Bool(b) => !b,
        Json::Number(n) => n.as_f64() == Some(0.0),
        Json::String(s) => s.is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.values().all(is_zero),
    }
}
