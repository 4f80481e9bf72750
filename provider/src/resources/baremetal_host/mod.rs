//! `metal3_baremetal_host`: validation, planning, state building and import, as pure functions
//! over [`crate::codec::Value`]s.

pub mod config;
pub mod convert;
pub mod handler;
pub mod import;
pub mod names;
pub mod plan;
pub mod private;
pub mod refresh;
pub mod state;
pub mod validate;

pub use config::{Field, HostConfig};
pub use import::{parse_import_id, ImportTarget};
pub use plan::{describe_update, plan, PlanInput, PlanOutput};
pub use state::{hardware_value, host_state, merge_apply_result, StatusView};
pub use validate::validate_config;
