//! What an import records of an existing Ironic node, for the resource's import and the list
//! resource's results alike: the node's arguments as Ironic holds them, the resource identity,
//! and the state of both.

use metal3_core::lifecycle::HostStatus;

use tfplugin::model::Model;

use super::arguments::{BmcConfig, Field, HostConfig, ImageConfig};
use super::status::{state_with_status, StatusView};
use crate::codec::Value;
use crate::schema::Schema;

/// The resource identity value.
pub fn identity_value(namespace: &str, name: &str) -> Value {
    Value::object([
        (HostConfig::NAMES.namespace, namespace),
        (HostConfig::NAMES.name, name),
    ])
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
    let known = |text: &str| Field::Known(text.to_owned());
    let image = status.provisioned_image.as_ref().map(|image| ImageConfig {
        url: image.url.clone().into(),
        checksum: image.checksum.clone().into(),
        checksum_type: image.checksum_type.clone().into(),
        disk_format: image.disk_format.clone().into(),
    });
    let arguments = HostConfig {
        id: Field::Null,
        name: known(&node.name),
        namespace: known(&node.namespace),
        bmc: Field::Known(BmcConfig {
            address: node.bmc_address.clone().into(),
            username: node.bmc_username.clone().into(),
            password: Field::Null,
            password_wo: Field::Null,
            password_wo_version: Field::Null,
            disable_certificate_verification: Field::Known(node.disable_certificate_verification),
        }),
        boot_mac_address: node.boot_mac_address.clone().into(),
        boot_mode: node.boot_mode.clone().into(),
        // Unknown power (Ironic has not read it) is taken as running: `false` would have the
        // next apply switch off a host that may be serving.
        online: Field::Known(status.powered_on.unwrap_or(true)),
        root_device_hints: Field::Null,
        image: image.into(),
        user_data: Field::Null,
        network_data: Field::Null,
        meta_data: Field::Null,
        custom_deploy: Field::Null,
        externally_provisioned: Field::Known(node.externally_provisioned),
        automated_cleaning_mode: node.automated_cleaning_mode.clone().into(),
        inspection_mode: node.inspection_mode.clone().into(),
        description: node.description.clone().into(),
        conductor_group: node.conductor_group.clone().into(),
        // Ironic cannot tell a host's own agent from the provider's: the provider's it is.
        deploy_image: Field::Null,
        raid: Field::Null,
        firmware: Field::Null,
        bios_settings: Field::Null,
        firmware_components: Field::Null,
        update_policy: Field::Null,
        bios_settings_current: Field::Null,
        firmware_components_current: Field::Null,
        hardware_settings_pending: Field::Null,
        power_off_on_destroy: Field::Null,
        timeouts: None,
    }
    .encode();
    // Decoding writes the declared defaults where Ironic holds nothing.
    let arguments = HostConfig::decode(&arguments).map_or(arguments, |args| args.encode());
    state_with_status(schema, &arguments, status)
}
