//! The `config` of `list "metal3_baremetal_host"`: filters, every one optional, combined with AND.

use tfplugin::model::{Known, Model};

use crate::host::schema::provisioning_state_filter_doc;
use crate::schema::Schema;

/// Finds the Ironic nodes that can be managed as `metal3_baremetal_host`, for `terraform query`:
/// each with its resource identity and, with `include_resource` or `-generate-config-out`, the
/// state an import records, so the generated configuration and `import` blocks adopt running
/// hosts without touching their disks.
#[derive(Debug, Clone, Default, PartialEq, Model)]
pub struct ListConfig {
    /// Only hosts in this namespace. Unset: every namespace, and the nodes whose name carries
    /// none (listed in the provider's namespace).
    #[tf(optional)]
    pub namespace: Option<Known<String>>,
    /// Only hosts whose name (within its namespace, without it) starts with this: the start of
    /// a host name (lowercase letters, digits, `-` and `.`, beginning with a letter or digit).
    /// Anything else is refused, as it could match no host.
    #[tf(optional)]
    pub name_prefix: Option<Known<String>>,
    #[tf(optional, description = provisioning_state_filter_doc())]
    pub provisioning_state: Option<Known<String>>,
    /// `true`: only hosts that run an operating system this provider did not deploy (adopted,
    /// or active nodes provisioned elsewhere); `false`: only the others.
    #[tf(optional)]
    pub externally_provisioned: Option<Known<bool>>,
    /// `true`: only Ironic nodes this provider has never managed (enrolled by hand, by Metal3's
    /// operator or by another tool), the ones to adopt.
    #[tf(optional)]
    pub unmanaged_only: Option<Known<bool>>,
}

pub fn schema() -> Schema {
    ListConfig::schema(0)
}
