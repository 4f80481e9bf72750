//! Resource `metal3_baremetal_host`'s schema: BareMetalHost's spec as arguments (the model in
//! `config.rs`, with their defaults, which the plan writes in so that it always shows the exact
//! value that will be applied) and its status as computed attributes. `namespace` defaults to
//! the provider's `namespace`, known only once the provider is configured.

use super::config::HostConfig;
use crate::codec::Type;
use crate::host::schema::status_attributes;
use crate::schema::{IdentityAttribute, IdentitySchema, Schema};
use tfplugin::model::Model;

pub const TYPE_NAME: &str = "metal3_baremetal_host";

/// The model's arguments, then the status attributes the data sources share.
pub fn schema() -> Schema {
    let mut schema = HostConfig::schema(0);
    schema.block.attributes.extend(status_attributes());
    schema
}

/// Identity (Terraform >= 1.12): `import { to = ..., identity = { namespace = "metal3", name =
/// "worker-0" } }`.
pub fn identity() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![
            IdentityAttribute {
                name: HostConfig::NAMES.namespace.into(),
                r#type: Type::String,
                required_for_import: true,
                optional_for_import: false,
                description: "Namespace of the host.".into(),
            },
            IdentityAttribute {
                name: HostConfig::NAMES.name.into(),
                r#type: Type::String,
                required_for_import: true,
                optional_for_import: false,
                description: "Name of the host within its namespace.".into(),
            },
        ],
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
