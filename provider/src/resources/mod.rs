//! Managed resources: each one module holding its schema, its typed configuration, its plan and
//! its CRUD. Adding one is its module and one line here.

crate::registration::register!(
    crate::server::handlers::ResourceHandler;
    baremetal_host::BaremetalHostResource,
);
