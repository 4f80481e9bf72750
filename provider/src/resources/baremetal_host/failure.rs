//! What a failed apply tells the user: one diagnostic with the engine's message, where the host
//! stands and what to do, pointing at the argument at fault (never at a password), and for a
//! timeout, which limit ran out.

use metal3_core::lifecycle::error::stage_of;
use metal3_core::lifecycle::{LifecycleError, LifecycleFailure, Remedy, SpecInput};

use super::config::{HostConfig, Operation, Timeouts};
use crate::codec::AttributePath;
use crate::diagnostics::Diagnostic;
use crate::host::fault::{attribute_of, message_of, remedy_words};

/// What follows a create that ended in an error after the node was made: Terraform taints it.
const TAINTED_CREATE: &str = "Terraform has tainted the resource: the next plan replaces it \
     (deletes this node and enrolls the host again) and says what that does to its disks. To keep \
     the node and continue from where it stands instead, run `terraform untaint` on this resource \
     first: the next plan then shows what is left.";

/// Diagnostics for a failed lifecycle operation: the engine's message (which carries Ironic's
/// last_error and never a credential), and where the host stands.
pub fn failure_diagnostic(what: &str, label: &str, failure: &LifecycleFailure) -> Diagnostic {
    let state = failure
        .partial
        .as_ref()
        .map(|s| s.provisioning_state.as_str().to_owned())
        .filter(|s| !s.is_empty());
    if failure.error.is_cancelled() {
        // An error, so Terraform never reports the host complete; for a create that also
        // means Terraform taints it.
        let next = if what == "Create" {
            TAINTED_CREATE
        } else {
            "The next plan shows what is left and the next apply continues from there."
        };
        return Diagnostic::error(
            format!("{what} of {label} interrupted"),
            format!(
                "interrupted: {}; the host is in state {} (Ironic: {}). {next}",
                failure.error,
                state.as_deref().unwrap_or("unknown"),
                failure
                    .partial
                    .as_ref()
                    .map_or("unknown", |p| p.ironic_provision_state.as_str()),
            ),
        );
    }
    if failure.error.is_already_exists() {
        let id = label;
        return Diagnostic::error(
            format!("{what} of {label} failed: the host already exists in Ironic"),
            format!(
                "{}.\nThis resource does not manage that node, so nothing was changed. If it is \
                 the machine this resource describes, import it instead of creating it: add \
                 `import {{ to = <this resource's address>, id = \"{id}\" }}` to the \
                 configuration, or run `terraform import <this resource's address> {id}`. If \
                 another configuration manages it, give this host another name or namespace.",
                failure.error
            ),
        )
        .at(attribute_of(SpecInput::Name));
    }
    if let LifecycleError::InMaintenance { .. } = failure.error {
        let state = state.as_deref().unwrap_or("unknown");
        return Diagnostic::error(
            format!("{what} of {label} stopped: the node is in maintenance"),
            format!(
                "{}. Someone (an operator, or Ironic after a fault) put the node in maintenance \
                 after the plan was made; apply does not undo that. The host is in state \
                 {state}. When it may be managed again, end the maintenance in Ironic, or run \
                 a new plan: it shows the maintenance and that apply ends it first.",
                failure.error
            ),
        );
    }
    if let LifecycleError::PowerOffBeforeDelete { .. } = failure.error {
        return Diagnostic::error(
            format!("{what} of {label} failed: the machine could not be powered off"),
            format!(
                "{}. The host stays in Terraform's state and in Ironic. Check that Ironic \
                 reaches the BMC (its address and credentials in `bmc`), then destroy again. To \
                 remove the host from Ironic while the machine keeps running, unmanaged, set \
                 `power_off_on_destroy = false`, apply, then destroy.",
                failure.error
            ),
        )
        .at(attribute_of(SpecInput::PowerOffOnDelete));
    }
    if let LifecycleError::MacInUse { .. } = failure.error {
        return Diagnostic::error(
            format!("{what} of {label} failed: the boot MAC address is taken"),
            format!(
                "{}. Nothing was created. Check `boot_mac_address`: if that node is this \
                 machine, import it instead.",
                failure.error
            ),
        )
        .at(attribute_of(SpecInput::BootMacAddress));
    }
    let mut detail = message_of(&failure.error);
    if let Some(partial) = &failure.partial {
        if let Some(message) = &partial.error_message {
            if !detail.contains(message.as_str()) {
                detail.push_str(&format!("\nIronic's last error: {message}"));
            }
        }
        detail.push_str(&format!(
            "\nThe host is in state {} (Ironic: {}).",
            state.as_deref().unwrap_or("unknown"),
            partial.ironic_provision_state
        ));
    } else if matches!(failure.error, LifecycleError::Registration { .. }) {
        // The engine deletes the node it made only to ask the BMC (no partial state left).
        detail.push_str(
            "\nThe node made to register it was deleted again, so nothing was kept in Ironic: \
             fix the BMC settings and apply again.",
        );
    }
    let diagnostic = Diagnostic::error(format!("{what} of {label} failed"), detail);
    match failure.error.input_at_fault() {
        Some(input) => diagnostic.at(attribute_of(input)),
        None => diagnostic,
    }
}

/// The `timeouts` field an operation runs under, as configured (or its default).
pub struct TimeLimit {
    field: &'static str,
    text: String,
}

impl TimeLimit {
    pub fn of(config: &HostConfig, operation: Operation) -> TimeLimit {
        let (field, configured, default) = config.timeout_setting(operation);
        let text = configured
            .map(|t| format!("\"{t}\""))
            .unwrap_or_else(|| format!("\"{default}\" (the default)"));
        TimeLimit { field, text }
    }
}

/// A timed-out operation: which limit, where the host stood, what to do about it.
pub fn timeout_diagnostic(
    what: &str,
    label: &str,
    limit: &TimeLimit,
    failure: &LifecycleFailure,
) -> Diagnostic {
    let LifecycleError::Timeout {
        waiting_for, state, ..
    } = &failure.error
    else {
        return failure_diagnostic(what, label, failure);
    };
    let field = limit.field;
    // Terraform taints every create that ends in an error; other operations keep the resource.
    let next = if field == Timeouts::NAMES.create {
        TAINTED_CREATE
    } else {
        "The state records where the host stands; the next apply continues from there."
    };
    Diagnostic::error(
        format!("{what} of {label} timed out"),
        format!(
            "timeouts.{field} = {} was reached while the host was {} (Ironic: \"{state}\"), \
             waiting for {waiting_for}. Likely cause: {}. {next}",
            limit.text,
            stage_of(state),
            remedy_words(Remedy::for_state(state))
        ),
    )
    .at(AttributePath::root()
        .attribute(HostConfig::NAMES.timeouts)
        .attribute(field))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn timed_out() -> LifecycleFailure {
        LifecycleFailure {
            error: LifecycleError::Timeout {
                host: "lab~h".into(),
                waiting_for: "manageable".into(),
                state: "inspect wait".into(),
                limit: Duration::from_secs(8),
            },
            partial: None,
            credentials_sent: false,
        }
    }

    fn limit(field: &'static str) -> TimeLimit {
        TimeLimit {
            field,
            text: "\"8s\"".into(),
        }
    }

    #[test]
    fn a_timed_out_create_says_it_is_replaced_not_continued() {
        let d = timeout_diagnostic("Create", "lab/h", &limit("create"), &timed_out());
        assert!(d.detail.contains("tainted"), "{}", d.detail);
        assert!(d.detail.contains("terraform untaint"), "{}", d.detail);
        assert!(!d.detail.contains("continues from there"), "{}", d.detail);
        let d = timeout_diagnostic("Update", "lab/h", &limit("update"), &timed_out());
        assert!(d.detail.contains("continues from there"), "{}", d.detail);
        assert!(!d.detail.contains("tainted"), "{}", d.detail);
    }

    #[test]
    fn a_failed_registration_says_one_thing_about_the_node() {
        let failure = LifecycleFailure {
            error: LifecycleError::Registration {
                host: "lab~h".into(),
                last_error: "connection refused".into(),
            },
            partial: None,
            credentials_sent: true,
        };
        let d = failure_diagnostic("Create", "lab/h", &failure);
        assert!(
            d.detail.contains("nothing was kept in Ironic"),
            "{}",
            d.detail
        );
        assert!(!d.detail.contains("left in enroll"), "{}", d.detail);
    }
}
