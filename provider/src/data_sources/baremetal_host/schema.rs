//! `data "metal3_baremetal_host"`: one host by `id` or `namespace` + `name`, with the
//! resource's computed attributes (never its secrets).

use tfplugin::model::{Computed, Model};

use crate::host::schema::status_attributes;
use crate::schema::Schema;

// The lookup arguments; `schema` adds the status attributes of `StatusView` after them.
/// Reads one bare-metal host from Ironic, whether or not this configuration manages it: its
/// state, power and inspected hardware. Fails when no host matches.
#[derive(Debug, Clone, Default, PartialEq, Model)]
pub struct HostQuery {
    /// UUID of the Ironic node. Set either this or `name`.
    #[tf(optional, computed)]
    pub id: Computed<String>,
    /// Namespace of the host. Defaults to the provider's `namespace` when looking up by
    /// `name`.
    #[tf(optional, computed)]
    pub namespace: Computed<String>,
    /// Name of the host within its namespace. Set either this or `id`.
    #[tf(optional, computed)]
    pub name: Computed<String>,
}

/// One host, looked up by `id` or by `namespace` + `name`: the model's arguments, then the
/// status attributes the resource shares.
pub fn schema() -> Schema {
    let mut schema = HostQuery::schema(0);
    schema.block.attributes.extend(status_attributes());
    schema
}
