//! The list's filters, and which nodes can be listed at all: those with a name a host can have.

use metal3_core::lifecycle::HostStatus;
use metal3_core::Vocabulary;

use tfplugin::model::{Known, Model};

use super::schema::ListConfig;
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::host::filter_checks;
use crate::host::names::{check_name, check_namespace, split_node_name};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub namespace: Option<String>,
    pub name_prefix: Option<String>,
    pub provisioning_state: Option<String>,
    pub externally_provisioned: Option<bool>,
    pub unmanaged_only: bool,
}

/// A node as a host: its names, and the status they come from.
pub struct Listed<'a> {
    pub namespace: String,
    pub name: String,
    pub status: &'a HostStatus,
}

impl<'a> Listed<'a> {
    /// A node named `<namespace>~<name>` (as this provider and Metal3 name them) is that host;
    /// a node with a plain name valid for a host is that host in the provider's namespace
    /// (import by identity finds it there, and the first apply renames the node). Other nodes
    /// (no name, or one no host can have) cannot be imported by identity and are left out.
    pub fn of(status: &'a HostStatus, default_ns: &str) -> Option<Listed<'a>> {
        let node_name = status.name.as_deref()?;
        let (namespace, name) = split_node_name(node_name).unwrap_or((default_ns, node_name));
        check_namespace(namespace).ok()?;
        check_name(name).ok()?;
        Some(Listed {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            status,
        })
    }
}

impl Filters {
    /// The filters of a configuration, checked. A filter not known yet (`terraform validate`
    /// with variables) is not judged; a query's configuration is known when it runs.
    pub fn parse(config: &Value) -> Result<Filters, Vec<Diagnostic>> {
        let config = ListConfig::decode_all(config)
            .map_err(|errors| errors.iter().map(|e| e.to_diagnostic()).collect::<Vec<_>>())?;
        fn known<T: Clone>(value: &Option<Known<T>>) -> Option<T> {
            value.as_ref().and_then(Known::known).cloned()
        }
        let filters = Filters {
            namespace: known(&config.namespace),
            name_prefix: known(&config.name_prefix),
            provisioning_state: known(&config.provisioning_state),
            externally_provisioned: known(&config.externally_provisioned),
            unmanaged_only: known(&config.unmanaged_only).unwrap_or(false),
        };
        let mut errors = Vec::new();
        filter_checks::namespace(
            ListConfig::NAMES.namespace,
            filters.namespace.as_deref(),
            &mut errors,
        );
        filter_checks::name_prefix(
            ListConfig::NAMES.name_prefix,
            filters.name_prefix.as_deref(),
            &mut errors,
        );
        filter_checks::provisioning_state(
            ListConfig::NAMES.provisioning_state,
            filters.provisioning_state.as_deref(),
            &mut errors,
        );
        if errors.is_empty() {
            Ok(filters)
        } else {
            Err(errors)
        }
    }

    pub fn matches(&self, host: &Listed<'_>) -> bool {
        let status = host.status;
        self.namespace
            .as_ref()
            .is_none_or(|ns| *ns == host.namespace)
            && self
                .name_prefix
                .as_ref()
                .is_none_or(|prefix| host.name.starts_with(prefix.as_str()))
            && self
                .provisioning_state
                .as_ref()
                .is_none_or(|state| status.provisioning_state.name() == state)
            && self
                .externally_provisioned
                .is_none_or(|flag| status.externally_provisioned == flag)
            && (!self.unmanaged_only || status.recorded_identity.is_none())
    }
}
