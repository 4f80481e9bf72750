//! The host's status as the resource and the data sources report it: the core's `HostStatus`
//! seen as attribute values (`provisioning_state`, `provisioned_image`, `hardware`, ...).

use metal3_core::hardware::HardwareDetails;
use metal3_core::lifecycle::{HostStatus, ImageSpec};

use metal3_core::lifecycle::{ErrorType, OperationalStatus, ProvisioningState};
use metal3_core::Vocabulary;
use tfplugin::model::Model;

use super::arguments::HostConfig;
use super::doc_text::code_list;
use super::hardware::Hardware;
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

/// The host's status as the provider sees it, and the status attributes of the resource and
/// both data sources (declared once, here); the wiring converts the core's `HostStatus`.
#[derive(Debug, Clone, Default, PartialEq, Model)]
pub struct StatusView {
    /// Ironic node UUID; `None` when no node exists (yet). Each schema declares `id` itself,
    /// as its flags differ.
    #[tf(skip)]
    pub id: Option<String>,
    #[tf(
        computed,
        description = format!(
            "Where the host is in its lifecycle, using Metal3's BareMetalHost names: {}.",
            code_list(&ProvisioningState::names())
        )
    )]
    pub provisioning_state: Option<String>,
    /// The Ironic node's raw `provision_state` (e.g. `enroll`, `manageable`, `available`,
    /// `active`, `deploy failed`), for troubleshooting; null when Ironic has no node for the
    /// host any more.
    #[tf(computed)]
    pub ironic_provision_state: Option<String>,
    #[tf(
        computed,
        description = format!(
            "Health of the host: {}. `OK`: working as intended; `discovered`: known but its \
             BMC credentials are missing or not yet verified; `error`: see `error_type` and \
             `error_message`; `detached`: Ironic is not managing the host, because its node \
             is in maintenance (see `maintenance_reason`) or Ironic no longer has a node for \
             it (`ironic_provision_state` is null: its database was lost or the node was \
             deleted outside Terraform). The next apply takes the node out of maintenance, \
             or registers the host again as what it was (a provisioned host is adopted: no \
             disk is written), as the plan says.",
            code_list(&OperationalStatus::names())
        )
    )]
    pub operational_status: Option<String>,
    #[tf(
        computed,
        description = format!(
            "Class of the last failure: {}. Null when the host has no error.",
            code_list(&ErrorType::names())
        )
    )]
    pub error_type: Option<String>,
    /// Details of the last failure, usually Ironic's `last_error` for the node. Null when the
    /// host has no error.
    #[tf(computed)]
    pub error_message: Option<String>,
    /// Why the Ironic node is in maintenance (empty when no reason was given); null when it is
    /// not. A node in maintenance is not managed by Ironic; the plan warns, and the next apply
    /// takes it out of maintenance before acting, as Metal3 does.
    #[tf(computed)]
    pub maintenance_reason: Option<String>,
    /// Whether the host was powered on when last read (Ironic's `power_state`).
    #[tf(computed)]
    pub powered_on: Option<bool>,
    /// The image on the host's disk (or booted, for a live ISO) as Ironic tells it: the one
    /// deployed, being deployed, or whose deployment failed; what Ironic says an active node
    /// runs when that differs from what this provider recorded. Null while the host is not
    /// deployed. Differs from `image` while a redeployment is pending or has failed.
    #[tf(computed)]
    pub provisioned_image: Option<ProvisionedImage>,
    /// Hardware inventory collected by inspection. Null until the host has been inspected, and
    /// when `inspection_mode = "disabled"`.
    #[tf(computed)]
    pub hardware: Option<Hardware>,
}

/// The image on the host's disk, as Ironic tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Model)]
pub struct ProvisionedImage {
    /// URL of the deployed image.
    #[tf(computed)]
    pub url: Option<String>,
    /// Checksum (or checksum URL) the image was verified with.
    #[tf(computed)]
    pub checksum: Option<String>,
    /// Algorithm of `checksum` (`md5`, `sha256`, `sha512`); null when detected automatically.
    #[tf(computed)]
    pub checksum_type: Option<String>,
    /// Disk format of the deployed image (`raw`, `qcow2`, `vdi`, `vmdk`, `live-iso`); null when
    /// not given.
    #[tf(computed)]
    pub disk_format: Option<String>,
}

/// The host's node UUID, which each schema declares itself (see [`StatusView::id`]).
const ID: &str = HostConfig::NAMES.id;

/// The computed-only attributes apply fills, i.e. the host's status: `id` and the
/// [`StatusView`] attributes (a test checks the list is exactly those).
pub const STATUS_ATTRIBUTES: &[&str] = &[
    ID,
    StatusView::NAMES.provisioning_state,
    StatusView::NAMES.ironic_provision_state,
    StatusView::NAMES.operational_status,
    StatusView::NAMES.error_type,
    StatusView::NAMES.error_message,
    StatusView::NAMES.maintenance_reason,
    StatusView::NAMES.powered_on,
    StatusView::NAMES.provisioned_image,
    StatusView::NAMES.hardware,
];

impl StatusView {
    /// `(attribute, value)` for every status attribute, `id` first, then by name.
    pub fn values(&self) -> Vec<(String, Value)> {
        let mut values = vec![(ID.to_owned(), Value::from(self.id.clone()))];
        if let Value::Object(attributes) = self.encode() {
            values.extend(attributes);
        }
        values
    }
}

pub fn provisioned_image_value(image: &ProvisionedImage) -> Value {
    image.encode()
}

/// `hardware` as the schema declares it: every attribute present.
pub fn hardware_value(hw: &HardwareDetails) -> Value {
    Hardware::from(hw).encode()
}

pub fn provisioned_image(image: &ImageSpec) -> ProvisionedImage {
    ProvisionedImage {
        url: Some(image.url.clone()),
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
            hardware: status.hardware.as_ref().map(Hardware::from),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_list_is_id_and_the_models_attributes() {
        let declared: Vec<String> = StatusView::block()
            .attributes
            .into_iter()
            .map(|a| a.name)
            .collect();
        let mut expected = vec!["id".to_owned()];
        expected.extend(declared);
        assert_eq!(STATUS_ATTRIBUTES, expected);
        let mut names: Vec<String> = StatusView::default()
            .values()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        names.sort();
        expected.sort();
        assert_eq!(names, expected);
    }
}
