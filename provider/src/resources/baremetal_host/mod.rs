//! `resource "metal3_baremetal_host"`: one bare-metal machine, BareMetalHost's spec as arguments
//! and its status as computed attributes. `handler` wires the pure parts (validation, planning,
//! state building, import) to the core's lifecycle.

pub mod convert;
pub mod failure;
mod forecast;
pub mod handler;
pub mod hardware_plan;
pub mod import;
pub mod plan;
pub mod private;
pub mod refresh;
pub mod schema;
pub mod state;
#[cfg(test)]
mod test_values;
pub mod validate;

/// The host's arguments, declared once in `host::arguments` (the resource, the list resource's
/// imports and the manifest functions share them).
pub use crate::host::arguments as config;
pub use config::{Field, HostConfig};
pub use handler::BaremetalHostResource;
pub use import::{parse_import_id, ImportTarget};
pub use plan::{describe_update, plan, PlanInput, PlanOutput};
pub use state::{host_state, merge_apply_result};
pub use validate::validate_config;
