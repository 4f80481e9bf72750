//! Provider functions (`provider::metal3::<name>(...)`): pure, so they need neither the provider
//! configuration nor Ironic. Adding one is its module and one line in `all`.

pub mod baremetalhost_manifest;
pub mod baremetalhosts;
pub mod baremetalhosts_options;
pub mod bmc_address;
pub mod bmh;
pub mod suggest;

use std::sync::Arc;

use tfplugin::function::FunctionHandler;

/// Every function the provider serves.
pub fn all() -> Vec<Arc<dyn FunctionHandler>> {
    vec![
        Arc::new(bmc_address::function()),
        Arc::new(baremetalhosts::function()),
        Arc::new(baremetalhost_manifest::function()),
    ]
}

#[cfg(test)]
#[path = "bad_input_tests.rs"]
mod bad_input_tests;

#[cfg(test)]
#[path = "fuzz_tests.rs"]
mod fuzz_tests;
