//! The computed side of a host (BareMetalHost's status): shared by the resource and both data
//! sources so the three never drift apart. Everything here is computed-only.

use super::doc_text::code_list;
use super::status::StatusView;
use crate::schema::Attribute;
use metal3_core::lifecycle::ProvisioningState;
use metal3_core::Vocabulary;
use tfplugin::model::Model;

/// The description of the `provisioning_state` filter of the list resource and the data
/// sources (checked by `filter_checks::provisioning_state`).
pub fn provisioning_state_filter_doc() -> String {
    format!(
        "Only hosts in this provisioning state: {}.",
        code_list(&ProvisioningState::names())
    )
}

/// Status attributes, in documentation order: state, errors, power, deployed image, hardware.
/// `id`, `namespace` and `name` are declared by each schema, as their flags differ.
pub fn status_attributes() -> Vec<Attribute> {
    StatusView::block().attributes
}
