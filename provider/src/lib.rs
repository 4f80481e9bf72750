//! terraform-provider-metal3: the resources and data sources that translate between Terraform
//! values and metal3-core, served by the `tfplugin` protocol layer.
//!
//! - [`provider`]: the provider's identity and its registry (the types are listed in
//!   `resources/mod.rs` and `data_sources/mod.rs`);
//! - [`provider_config`]: the `provider "metal3"` block and the shared connection to Ironic;
//! - [`resources`], [`data_sources`]: one module per type (schema, model, CRUD);
//! - [`functions`]: the provider functions (`provider::metal3::...`), one module each;
//! - [`host`]: what those share about a host (names, status attributes);
//! - [`docs`]: the registry documentation, rendered from the registered types.

// Values from users, Terraform and Ironic never panic the provider: no unwrap/expect, no
// unchecked indexing or arithmetic outside tests (clippy denies them; CONTRIBUTING.md "Panics").
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub use tfplugin::{codec, diagnostics, duration, proto, schema, server};

pub mod actions;
pub mod data_sources;
pub mod docs;
pub mod functions;
pub mod host;
pub mod list_resources;
pub mod provider;
pub mod provider_config;
mod registration;
pub mod resources;
