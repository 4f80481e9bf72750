//! What every data source answers when Terraform stops a read.

use crate::diagnostics::Diagnostic;

pub(super) fn cancelled() -> Diagnostic {
    Diagnostic::error("Read interrupted", "Terraform asked the provider to stop.")
}
