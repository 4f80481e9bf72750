//! tfplugin: write a Terraform (or OpenTofu) provider in Rust.
//!
//! - [`server`]: the plugin protocol v6 server (go-plugin handshake, AutoMTLS over a unix socket,
//!   tfplugin6 over tonic, stdio, stop), serving a [`server::registry::Registry`] of handlers:
//!   [`server::serve`] with a [`server::ProviderInfo`] saying which provider it is;
//! - [`codec`]: Terraform values (msgpack and JSON, unknowns and refinements, arbitrary precision
//!   numbers) and their types;
//! - [`schema`]: schemas as the provider declares them, and Terraform's rules for them;
//! - [`model`]: a resource declared once as a Rust struct (`#[derive(Model)]`): its schema, its
//!   decoding from config, plan and state, its encoding into state, and its rules, run over
//!   values by [`model::rules`] (defaults, validators, replacement, unknowns, write-only values);
//! - [`diagnostics`]: what handlers report, pointing at attributes;
//! - [`docs`]: a registry-style Markdown reference rendered from a schema;
//! - [`duration`]: Go durations, as users write them in `timeouts`.
//!
//! Handlers never see protobuf: they get and return [`codec::Value`]s. See
//! `examples/hello_provider.rs` for a whole provider in one file.

// `#[derive(Model)]` writes `::tfplugin::...` paths; this lets the crate's own tests use it.
extern crate self as tfplugin;

pub mod codec;
pub mod diagnostics;
pub mod docs;
pub mod duration;
pub mod function;
pub mod model;
pub mod proto;
pub mod schema;
pub mod server;
