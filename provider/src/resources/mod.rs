//! Translation between Terraform values and host semantics for the resource and data sources:
//! pure functions, no protocol and no Ironic calls (the server and the core wire them up).

pub mod baremetal_host;
pub mod data_sources;
pub use tfplugin::duration;
