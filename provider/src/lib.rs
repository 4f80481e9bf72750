//! terraform-provider-metal3: the resource, data sources, list resource, actions and functions
//! that translate between Terraform values and metal3-core, served by the `tfplugin` protocol
//! layer.
//!
//! - [`provider`]: the provider's identity and its registry (each kind lists its types in its
//!   `mod.rs`, one line each, through `registration.rs`);
//! - [`provider_config`]: the `provider "metal3"` block and the shared connection to Ironic;
//! - [`resources`], [`data_sources`], [`list_resources`], [`actions`]: one module per type
//!   (its declaration, its checks, its operations);
//! - [`functions`]: the provider functions (`provider::metal3::...`), pure, one module each;
//! - [`host`]: what those share about a host (names, status attributes, the `Hosts` trait they
//!   reach Ironic through);
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
