//! What the resource and the data sources share about a host: its names, its status as
//! attribute values, and the schema of those computed attributes. Nothing here belongs to one
//! resource, so none of them imports from another's module.

#[cfg(test)]
pub mod fake;
pub mod fault;
pub mod filter_checks;
pub mod hardware;
pub mod imported;
pub mod lifecycle;
pub mod names;
pub mod schema;
pub mod shown;
pub mod status;
