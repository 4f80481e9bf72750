//! The provider as Terraform sees it: configuration hooks plus the real resource and data
//! source handlers, all sharing one [`ProviderState`].

use std::sync::Arc;

use crate::provider_config::{Metal3Provider, ProviderState};
use crate::resources::baremetal_host::handler::BaremetalHostResource;
use crate::resources::data_sources::handlers::{HostDataSource, HostsDataSource};
use crate::schema;
use crate::server::registry::Registry;

/// Which provider this is, for the protocol layer.
pub const INFO: tfplugin::server::ProviderInfo = tfplugin::server::ProviderInfo {
    address: "registry.terraform.io/metal3-io/metal3",
    binary: "terraform-provider-metal3",
    version: env!("CARGO_PKG_VERSION"),
    about: "the Terraform provider for bare-metal hosts managed through OpenStack Ironic",
    log_targets: &["terraform_provider_metal3", "metal3_core", "tfplugin"],
};

pub fn registry() -> Registry {
    let state = ProviderState::new();
    Registry::new(
        schema::provider_config(),
        Arc::new(Metal3Provider {
            state: state.clone(),
        }),
    )
    .with_resource(Arc::new(BaremetalHostResource::new(state.clone())))
    .with_data_source(Arc::new(HostDataSource::new(state.clone())))
    .with_data_source(Arc::new(HostsDataSource::new(state)))
}
