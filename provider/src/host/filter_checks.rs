//! Checks the host filters of the list resource and the data sources share, with one wording:
//! each diagnostic names the attribute and says what is allowed.

use metal3_core::lifecycle::ProvisioningState;
use metal3_core::Vocabulary;

use crate::codec::AttributePath;
use crate::diagnostics::Diagnostic;
use crate::host::names::check_namespace;
use crate::host::schema::code_list;

fn invalid(name: &str, detail: String) -> Diagnostic {
    Diagnostic::error("Invalid filter", detail).at(AttributePath::root().attribute(name))
}

/// A `namespace` filter must be a namespace a host can have.
pub fn namespace(value: Option<&str>, errors: &mut Vec<Diagnostic>) {
    if let Some(ns) = value {
        if let Err(e) = check_namespace(ns) {
            errors.push(invalid("namespace", format!("`namespace` \"{ns}\" {e}.")));
        }
    }
}

/// A `provisioning_state` filter must name a provisioning state.
pub fn provisioning_state(value: Option<&str>, errors: &mut Vec<Diagnostic>) {
    one_of(
        "provisioning_state",
        value,
        &ProvisioningState::names(),
        errors,
    );
}

/// A filter `name` whose value must be one of `allowed` (e.g. the operational statuses).
pub fn one_of(name: &str, value: Option<&str>, allowed: &[&str], errors: &mut Vec<Diagnostic>) {
    if let Some(v) = value.filter(|v| !allowed.contains(v)) {
        errors.push(invalid(
            name,
            format!(
                "`{name}` is \"{v}\"; it must be one of {}.",
                code_list(allowed)
            ),
        ));
    }
}
