//! Data sources: each one module holding its schema, its arguments' parsing and its read.
//! Adding one is its module and one line here.

crate::registration::register!(
    crate::server::handlers::DataSourceHandler;
    baremetal_host::HostDataSource,
    baremetal_hosts::HostsDataSource,
);

use crate::diagnostics::Diagnostic;

fn cancelled() -> Diagnostic {
    Diagnostic::error("Read interrupted", "Terraform asked the provider to stop.")
}
