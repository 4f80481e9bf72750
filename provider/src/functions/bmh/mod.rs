//! Metal3 BareMetalHost manifests, for moving fleets between a Metal3 cluster and this provider:
//! the manifest model, reading hosts out of YAML, and the mapping to this resource's model.

pub mod arguments;
pub mod documents;
pub mod field_error;
pub mod fields;
pub mod firmware_objects;
pub mod hardware_mapping;
pub mod host;
pub mod mapping;
pub mod model;
pub mod status;
pub mod yaml;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod round_trip_tests;
