//! terraform-provider-metal3: the resources and data sources that translate between Terraform
//! values and metal3-core, served by the `tfplugin` protocol layer.

pub use tfplugin::{codec, diagnostics, proto, server};

pub mod docs;
pub mod provider;
pub mod provider_config;
pub mod resources;
pub mod schema;
