//! The host's status as the resource and the data sources report it: the core's `HostStatus`
//! seen as attribute values (`provisioning_state`, `provisioned_image`, `hardware`, ...).

use metal3_core::hardware::HardwareDetails;
use metal3_core::lifecycle::{HostStatus, ImageSpec};

use super::names::split_node_name;
use crate::codec::shape::{complete_object, unknowns_to_null};
use crate::codec::Value;
use crate::schema::values::null_write_only;
use crate::schema::Schema;

/// A state of the resource `schema`: the arguments of `arguments` with the status attributes
/// replaced by `status`. Unknowns left in the arguments become null and write-only values are
/// cleared, so the result is a valid state.
pub fn state_with_status(schema: &Schema, arguments: &Value, status: &StatusView) -> Value {
    let mut state = complete_object(arguments, &schema.block.value_type());
    for (name, value) in status.values() {
        state.set_attr(name, value);
    }
    null_write_only(&schema.block, &mut state);
    unknowns_to_null(&state)
}

/// The host's status as the provider sees it; the wiring converts the core's `HostStatus`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusView {
    /// Ironic node UUID; `None` when no node exists (yet).
    pub id: Option<String>,
    pub provisioning_state: Option<String>,
    pub ironic_provision_state: Option<String>,
    pub operational_status: Option<String>,
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub maintenance_reason: Option<String>,
    pub powered_on: Option<bool>,
    pub provisioned_image: Option<ProvisionedImage>,
    pub hardware: Option<HardwareDetails>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvisionedImage {
    pub url: String,
    pub checksum: Option<String>,
    pub checksum_type: Option<String>,
    pub disk_format: Option<String>,
}

/// The computed-only attributes apply fills, i.e. the host's status.
pub const STATUS_ATTRIBUTES: &[&str] = &[
    "id",
    "provisioning_state",
    "ironic_provision_state",
    "operational_status",
    "error_type",
    "error_message",
    "maintenance_reason",
    "powered_on",
    "provisioned_image",
    "hardware",
];

impl StatusView {
    /// `(attribute, value)` for every status attribute.
    pub fn values(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("id", self.id.clone().into()),
            ("provisioning_state", self.provisioning_state.clone().into()),
            (
                "ironic_provision_state",
                self.ironic_provision_state.clone().into(),
            ),
            ("operational_status", self.operational_status.clone().into()),
            ("error_type", self.error_type.clone().into()),
            ("error_message", self.error_message.clone().into()),
            ("maintenance_reason", self.maintenance_reason.clone().into()),
            ("powered_on", self.powered_on.into()),
            (
                "provisioned_image",
                self.provisioned_image
                    .as_ref()
                    .map(provisioned_image_value)
                    .unwrap_or(Value::Null),
            ),
            (
                "hardware",
                self.hardware
                    .as_ref()
                    .map(hardware_value)
                    .unwrap_or(Value::Null),
            ),
        ]
    }

    /// The value of one status attribute (`Null` for names that are not status attributes).
    pub fn value_of(&self, attribute: &str) -> Value {
        self.values()
            .into_iter()
            .find(|(name, _)| *name == attribute)
            .map(|(_, v)| v)
            .unwrap_or(Value::Null)
    }
}

pub fn provisioned_image_value(image: &ProvisionedImage) -> Value {
    Value::object([
        ("url", Value::from(&image.url)),
        ("checksum", image.checksum.clone().into()),
        ("checksum_type", image.checksum_type.clone().into()),
        ("disk_format", image.disk_format.clone().into()),
    ])
}

fn non_empty(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        Value::from(text)
    }
}

/// `hardware` as the schema declares it (`schema::host_status::hardware`): every attribute
/// present; `ip` and `hctl` null when empty, as documented.
pub fn hardware_value(hw: &HardwareDetails) -> Value {
    let cpu = Value::object([
        ("arch", Value::from(&hw.cpu.arch)),
        ("model", Value::from(&hw.cpu.model)),
        ("clock_megahertz", Value::from(hw.cpu.clock_megahertz)),
        ("count", Value::from(hw.cpu.count)),
        ("flags", Value::list(hw.cpu.flags.iter())),
    ]);
    let nics = Value::list(hw.nics.iter().map(|nic| {
        Value::object([
            ("name", Value::from(&nic.name)),
            ("mac", Value::from(&nic.mac)),
            ("ip", non_empty(&nic.ip)),
            ("model", Value::from(&nic.model)),
            ("speed_gbps", Value::from(nic.speed_gbps)),
            ("pxe", Value::from(nic.pxe)),
        ])
    }));
    let storage = Value::list(hw.storage.iter().map(|disk| {
        Value::object([
            ("name", Value::from(&disk.name)),
            ("alternate_names", Value::list(disk.alternate_names.iter())),
            ("hctl", non_empty(&disk.hctl)),
            ("model", Value::from(&disk.model)),
            ("vendor", Value::from(&disk.vendor)),
            ("serial_number", Value::from(&disk.serial_number)),
            ("size_bytes", Value::from(disk.size_bytes)),
            ("rotational", Value::from(disk.rotational)),
            ("type", Value::from(&disk.r#type)),
            ("wwn", Value::from(&disk.wwn)),
            ("wwn_with_extension", Value::from(&disk.wwn_with_extension)),
            (
                "wwn_vendor_extension",
                Value::from(&disk.wwn_vendor_extension),
            ),
        ])
    }));
    let bios = &hw.firmware.bios;
    let firmware = Value::object([(
        "bios",
        Value::object([
            ("vendor", Value::from(&bios.vendor)),
            ("version", Value::from(&bios.version)),
            ("date", Value::from(&bios.date)),
        ]),
    )]);
    let vendor = &hw.system_vendor;
    let system_vendor = Value::object([
        ("manufacturer", Value::from(&vendor.manufacturer)),
        ("product_name", Value::from(&vendor.product_name)),
        ("serial_number", Value::from(&vendor.serial_number)),
    ]);
    Value::object([
        ("cpu", cpu),
        ("ram_mebibytes", Value::from(hw.ram_mebibytes)),
        ("nics", nics),
        ("storage", storage),
        ("firmware", firmware),
        ("system_vendor", system_vendor),
        ("hostname", Value::from(&hw.hostname)),
    ])
}

pub fn provisioned_image(image: &ImageSpec) -> ProvisionedImage {
    ProvisionedImage {
        url: image.url.clone(),
        checksum: image.checksum.clone(),
        checksum_type: image.checksum_type.map(|t| t.as_str().to_owned()),
        disk_format: image.disk_format.map(|f| f.as_str().to_owned()),
    }
}

impl From<&HostStatus> for StatusView {
    fn from(status: &HostStatus) -> StatusView {
        StatusView {
            id: Some(status.id.clone()),
            provisioning_state: Some(status.provisioning_state.as_str().to_owned())
                .filter(|s| !s.is_empty()),
            ironic_provision_state: Some(status.ironic_provision_state.clone()),
            operational_status: Some(status.operational_status.as_str().to_owned()),
            error_type: status.error_type.map(|e| e.as_str().to_owned()),
            error_message: status.error_message.clone(),
            maintenance_reason: status.maintenance_reason.clone(),
            powered_on: status.powered_on,
            provisioned_image: status.provisioned_image.as_ref().map(provisioned_image),
            hardware: status.hardware.clone(),
        }
    }
}

/// `(namespace, name)` of a node: from its name `<namespace>~<name>`, else `fallback`.
pub fn host_names(status: &HostStatus, fallback: (&str, &str)) -> (String, String) {
    match status.name.as_deref().and_then(split_node_name) {
        Some((ns, name)) => (ns.to_owned(), name.to_owned()),
        None => (fallback.0.to_owned(), fallback.1.to_owned()),
    }
}
