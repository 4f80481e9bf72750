//! Data sources: each one module holding its schema, its arguments' parsing and its read.
//! Adding one is its module and one line here.

crate::registration::register!(
    crate::server::handlers::DataSourceHandler;
    baremetal_host::HostDataSource,
    baremetal_hosts::HostsDataSource,
);

mod interrupted;
