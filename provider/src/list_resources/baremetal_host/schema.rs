//! The `config` of `list "metal3_baremetal_host"`: filters, every one optional, combined with AND.

use crate::host::schema::provisioning_state_filter;
use crate::schema::{Attribute, Block, Schema};

pub fn schema() -> Schema {
    let attributes = vec![
        Attribute::string(
            "namespace",
            "Only hosts in this namespace. Unset: every namespace, and the nodes whose name \
             carries none (listed in the provider's namespace).",
        )
        .optional(),
        Attribute::string(
            "name_prefix",
            "Only hosts whose name (within its namespace, without it) starts with this: the \
             start of a host name (lowercase letters, digits, `-` and `.`, beginning with a \
             letter or digit). Anything else is refused, as it could match no host.",
        )
        .optional(),
        provisioning_state_filter(),
        Attribute::bool(
            "externally_provisioned",
            "`true`: only hosts that run an operating system this provider did not deploy \
             (adopted, or active nodes provisioned elsewhere); `false`: only the others.",
        )
        .optional(),
        Attribute::bool(
            "unmanaged_only",
            "`true`: only Ironic nodes this provider has never managed (enrolled by hand, by \
             Metal3's operator or by another tool), the ones to adopt.",
        )
        .optional(),
    ];
    Schema::new(
        0,
        Block::new(
            "Finds the Ironic nodes that can be managed as `metal3_baremetal_host`, for \
             `terraform query`: each with its resource identity and, with `include_resource` \
             or `-generate-config-out`, the state an import records, so the generated \
             configuration and `import` blocks adopt running hosts without touching their \
             disks.",
        )
        .with_attributes(attributes),
    )
}
