//! metal3-core: the engine that drives OpenStack Ironic nodes to a Metal3 BareMetalHost spec.
//! It knows nothing about Terraform.

pub mod bmc;
pub mod client;
pub mod hardware;
pub mod lifecycle;
pub mod secret;
pub mod vocabulary;

pub use secret::Secret;
pub use vocabulary::Vocabulary;
