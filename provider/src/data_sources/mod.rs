//! Data sources: each one module holding its schema, its arguments' parsing and its read.

pub mod baremetal_host;
pub mod baremetal_hosts;

use crate::diagnostics::Diagnostic;

fn cancelled() -> Diagnostic {
    Diagnostic::error("Read interrupted", "Terraform asked the provider to stop.")
}
