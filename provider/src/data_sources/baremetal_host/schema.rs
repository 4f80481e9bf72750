//! `data "metal3_baremetal_host"`: one host by `id` or `namespace` + `name`, with the
//! resource's computed attributes (never its secrets).

use crate::host::schema::status_attributes;
use crate::schema::{Attribute, Block, Schema};

/// One host, looked up by `id` or by `namespace` + `name`.
pub fn schema() -> Schema {
    let mut attributes = vec![
        Attribute::string("id", "UUID of the Ironic node. Set either this or `name`.")
            .optional()
            .computed(),
        Attribute::string(
            "namespace",
            "Namespace of the host. Defaults to the provider's `namespace` when looking up by \
             `name`.",
        )
        .optional()
        .computed(),
        Attribute::string(
            "name",
            "Name of the host within its namespace. Set either this or `id`.",
        )
        .optional()
        .computed(),
    ];
    attributes.extend(status_attributes());
    Schema::new(
        0,
        Block::new(
            "Reads one bare-metal host from Ironic, whether or not this configuration manages \
             it: its state, power and inspected hardware. Fails when no host matches.",
        )
        .with_attributes(attributes),
    )
}
