//! The provider as Terraform sees it: configuration hooks plus the real resource and data
//! source handlers, all sharing one [`ProviderState`].

use std::sync::Arc;

use crate::provider_config::{Metal3Provider, ProviderState};
use crate::resources::baremetal_host::handler::BaremetalHostResource;
use crate::resources::data_sources::handlers::{HostDataSource, HostsDataSource};
use crate::schema;
use crate::server::registry::Registry;

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
