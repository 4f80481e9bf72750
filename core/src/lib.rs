//! metal3-core: the engine that drives OpenStack Ironic nodes to a Metal3 BareMetalHost spec.
//! It knows nothing about Terraform.

// Values from users and from Ironic never panic the engine: no unwrap/expect, no unchecked
// indexing or arithmetic outside tests (clippy denies them; CONTRIBUTING.md "Panics").
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub mod bmc;
pub mod client;
pub mod hardware;
pub mod lifecycle;
pub mod secret;
pub mod vocabulary;

pub use secret::Secret;
pub use vocabulary::Vocabulary;
