//! What the resource, the data sources, the list resource and the functions share about a
//! host: its arguments (the model), its names, its status and hardware (models too). Nothing here belongs to one
//! resource, so none of them imports from another's module.

pub mod arguments;
pub mod doc_text;
#[cfg(test)]
pub mod fake;
pub mod fault;
pub mod field;
pub mod filter_checks;
pub mod hardware;
pub mod hardware_settings;
pub mod imported;
pub mod lifecycle;
pub mod names;
pub mod schema;
pub mod shown;
pub mod status;
