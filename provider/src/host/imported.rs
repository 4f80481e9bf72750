//! What an import records of an existing Ironic node, for the resource's import and the list
//! resource's results alike: the node's arguments as Ironic holds them, the resource identity,
//! and the state of both.

use metal3_core::lifecycle::HostStatus;

use super::status::{provisioned_image_value, state_with_status, StatusView};
use crate::codec::Value;
use crate::schema::{values, Schema};

/// The resource identity value.
pub fn identity_value(namespace: &str, name: &str) -> Value {
    Value::object([("namespace", namespace), ("name", name)])
}

/// What can be recovered from an existing Ironic node besides its status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedNode {
    pub namespace: String,
    pub name: String,
    /// The BMC address as this provider (or Metal3) recorded it, when it can be rebuilt.
    pub bmc_address: Option<String>,
    pub bmc_username: Option<String>,
    pub disable_certificate_verification: bool,
    pub boot_mac_address: Option<String>,
    /// `None`: not recorded on the node; the default applies.
    pub boot_mode: Option<String>,
    pub automated_cleaning_mode: Option<String>,
    pub inspection_mode: Option<String>,
    pub externally_provisioned: bool,
    pub description: Option<String>,
    pub conductor_group: Option<String>,
}

/// What import records of a node besides its status.
pub fn imported_node(status: &HostStatus, namespace: String, name: String) -> ImportedNode {
    ImportedNode {
        namespace,
        name,
        bmc_address: status.bmc_address.clone(),
        bmc_username: status.bmc_username.clone(),
        disable_certificate_verification: false,
        boot_mac_address: status.boot_mac_address.clone(),
        boot_mode: status.boot_mode.map(|m| m.as_str().to_owned()),
        automated_cleaning_mode: Some(status.automated_cleaning_mode.as_str().to_owned()),
        inspection_mode: status.inspection_mode.map(|m| m.as_str().to_owned()),
        externally_provisioned: status.externally_provisioned,
        description: status.description.clone(),
        conductor_group: status.conductor_group.clone(),
    }
}

/// The state an import records, of the resource's `schema`: the arguments Ironic holds, the
/// schema's declared defaults for those it holds nothing of, and the status. Passwords cannot
/// be read back, so they are null (the next plan shows the configured password as a change,
/// which re-sends it to Ironic); `online` follows the current power state; `image` is what is
/// deployed.
pub fn imported_state(node: &ImportedNode, status: &StatusView, schema: &Schema) -> Value {
    let bmc = Value::object([
        ("address", Value::from(node.bmc_address.clone())),
        ("username", Value::from(node.bmc_username.clone())),
        ("password", Value::Null),
        ("password_wo", Value::Null),
        ("password_wo_version", Value::Null),
        (
            "disable_certificate_verification",
            Value::from(node.disable_certificate_verification),
        ),
    ]);
    let image = status
        .provisioned_image
        .as_ref()
        .map(provisioned_image_value)
        .unwrap_or(Value::Null);
    let mut arguments = Value::object([
        ("name", Value::from(&node.name)),
        ("namespace", Value::from(&node.namespace)),
        ("bmc", bmc),
        ("boot_mac_address", node.boot_mac_address.clone().into()),
        ("boot_mode", node.boot_mode.clone().into()),
        // Unknown power (Ironic has not read it) is taken as running: `false` would have the next
        // apply switch off a host that may be serving.
        ("online", Value::from(status.powered_on.unwrap_or(true))),
        ("image", image),
        (
            "externally_provisioned",
            Value::from(node.externally_provisioned),
        ),
        (
            "automated_cleaning_mode",
            node.automated_cleaning_mode.clone().into(),
        ),
        ("inspection_mode", node.inspection_mode.clone().into()),
        ("description", node.description.clone().into()),
        ("conductor_group", node.conductor_group.clone().into()),
    ]);
    values::apply_defaults(&schema.block, &arguments.clone(), &mut arguments);
    state_with_status(schema, &arguments, status)
}
