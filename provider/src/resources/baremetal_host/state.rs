//! Building the resource's state from what the core reports: the status attributes, the
//! `hardware` object, and the merge of a plan with an apply's result.

use std::collections::BTreeMap;

use metal3_core::hardware::HardwareDetails;

use crate::codec::{Type, Value};
use crate::schema::baremetal_host;

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

/// The cty type of the resource's state.
pub fn resource_type() -> Type {
    baremetal_host::schema().block.value_type()
}

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

/// The value with every attribute of `ty` present (absent ones null) and unknown attributes
/// of the input dropped.
pub(crate) fn complete_object(value: &Value, ty: &Type) -> Value {
    let Type::Object { attributes, .. } = ty else {
        return value.clone();
    };
    let Some(map) = value.as_map() else {
        return value.clone();
    };
    let object: BTreeMap<String, Value> = attributes
        .iter()
        .map(|(name, attr_ty)| {
            let v = map
                .get(name)
                .map(|v| complete_object(v, attr_ty))
                .unwrap_or(Value::Null);
            (name.clone(), v)
        })
        .collect();
    Value::Object(object)
}

/// Every unknown, at any depth, replaced by null.
pub(crate) fn unknowns_to_null(value: &Value) -> Value {
    match value {
        Value::Unknown(_) => Value::Null,
        Value::List(xs) => Value::List(xs.iter().map(unknowns_to_null).collect()),
        Value::Set(xs) => Value::Set(xs.iter().map(unknowns_to_null).collect()),
        Value::Tuple(xs) => Value::Tuple(xs.iter().map(unknowns_to_null).collect()),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), unknowns_to_null(v)))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), unknowns_to_null(v)))
                .collect(),
        ),
        Value::Dynamic(t, v) => Value::Dynamic(t.clone(), Box::new(unknowns_to_null(v))),
        other => other.clone(),
    }
}

/// `planned` with its unknowns taken from `actual` (recursively, where the shapes agree); known
/// planned values always win, so the result is consistent with the plan.
pub(crate) fn fill_unknowns(planned: &Value, actual: &Value) -> Value {
    match (planned, actual) {
        (Value::Unknown(_), _) => actual.clone(),
        (Value::Object(p), Value::Object(a)) => Value::Object(
            p.iter()
                .map(|(k, v)| {
                    let filled = match a.get(k) {
                        Some(av) => fill_unknowns(v, av),
                        None => v.clone(),
                    };
                    (k.clone(), filled)
                })
                .collect(),
        ),
        (Value::List(p), Value::List(a)) if p.len() == a.len() => Value::List(
            p.iter()
                .zip(a)
                .map(|(pv, av)| fill_unknowns(pv, av))
                .collect(),
        ),
        _ => planned.clone(),
    }
}

fn clear_write_only(state: &mut Value) {
    if let Some(bmc) = state.get_mut("bmc") {
        if bmc.as_map().is_some() {
            bmc.set_attr("password_wo", Value::Null);
        }
    }
}

/// State after a read: the arguments of `config_or_planned` (normally the prior state) with the
/// status attributes replaced by `status`. Unknowns left in the arguments become null and the
/// write-only password is cleared, so the result is a valid state.
pub fn host_state(config_or_planned: &Value, status: &StatusView) -> Value {
    let ty = resource_type();
    let mut state = complete_object(config_or_planned, &ty);
    for (name, value) in status.values() {
        state.set_attr(name, value);
    }
    clear_write_only(&mut state);
    unknowns_to_null(&state)
}

/// State after an apply: the plan with every unknown resolved from `status`. Known planned
/// values are kept even where the status differs (Terraform requires it; the next refresh
/// shows the difference), and nothing is left unknown.
pub fn merge_apply_result(planned: &Value, status: &StatusView) -> Value {
    let ty = resource_type();
    let planned = complete_object(planned, &ty);
    let mut actual = planned.clone();
    for (name, value) in status.values() {
        actual.set_attr(name, value);
    }
    let mut state = fill_unknowns(&planned, &actual);
    clear_write_only(&mut state);
    unknowns_to_null(&state)
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
