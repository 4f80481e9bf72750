//! List resources (`terraform query`, Terraform >= 1.14): each one module, listing the remote
//! objects of the managed resource type of the same name. Adding one is its module and one line
//! here.

crate::registration::register!(
    crate::server::handlers::ListResourceHandler;
    baremetal_host::HostList,
);
