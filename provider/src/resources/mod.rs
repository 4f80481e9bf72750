//! Managed resources: each one module holding its schema, its typed configuration, its plan and
//! its CRUD, listed once in [`all`].

pub mod baremetal_host;

use std::sync::Arc;

use crate::provider_config::ProviderState;
use crate::server::handlers::ResourceHandler;

/// Every managed resource type this provider serves: adding one is one line here.
pub fn all(state: &Arc<ProviderState>) -> Vec<Arc<dyn ResourceHandler>> {
    vec![Arc::new(baremetal_host::BaremetalHostResource::new(
        state.clone(),
    ))]
}
