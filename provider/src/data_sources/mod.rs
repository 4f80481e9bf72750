//! Data sources: each one module holding its schema, its arguments' parsing and its read,
//! listed once in [`all`].

pub mod baremetal_host;
pub mod baremetal_hosts;

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::provider_config::ProviderState;
use crate::server::handlers::DataSourceHandler;

/// Every data source type this provider serves: adding one is one line here.
pub fn all(state: &Arc<ProviderState>) -> Vec<Arc<dyn DataSourceHandler>> {
    vec![
        Arc::new(baremetal_host::HostDataSource::new(state.clone())),
        Arc::new(baremetal_hosts::HostsDataSource::new(state.clone())),
    ]
}

fn cancelled() -> Diagnostic {
    Diagnostic::error("Read interrupted", "Terraform asked the provider to stop.")
}
