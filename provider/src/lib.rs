//! terraform-provider-metal3: the Terraform plugin protocol v6 server and the resources that
//! translate between Terraform values and metal3-core.

pub mod codec;
pub mod diagnostics;
pub mod docs;
pub mod proto;
pub mod provider;
pub mod provider_config;
pub mod resources;
pub mod schema;
pub mod server;
