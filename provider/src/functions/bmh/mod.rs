//! Metal3 BareMetalHost manifests, for moving fleets between a Metal3 cluster and this provider:
//! the manifest model, reading hosts out of YAML, and the mapping to this resource's arguments.

pub mod arguments;
pub mod documents;
pub mod field_error;
pub mod host;
pub mod model;
pub mod yaml;

#[cfg(test)]
mod tests;
