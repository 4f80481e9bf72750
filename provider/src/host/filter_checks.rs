//! Checks the host filters of the list resource and the data sources share, with one wording:
//! each diagnostic names the attribute and says what is allowed.

use metal3_core::lifecycle::ProvisioningState;
use metal3_core::Vocabulary;

use crate::codec::AttributePath;
use crate::diagnostics::Diagnostic;
use crate::host::doc_text::code_list;
use crate::host::names::{check_name, check_namespace};
use crate::host::shown::shown;

fn invalid(name: &str, detail: String) -> Diagnostic {
    Diagnostic::error("Invalid filter", detail).at(AttributePath::root().attribute(name))
}

/// A `namespace` filter must be a namespace a host can have.
pub fn namespace(attribute: &str, value: Option<&str>, errors: &mut Vec<Diagnostic>) {
    if let Some(ns) = value {
        if let Err(e) = check_namespace(ns) {
            errors.push(invalid(
                attribute,
                format!("`{attribute}` {} {e}.", shown(ns)),
            ));
        }
    }
}

/// A `name_prefix` filter must be the start of a name a host can have: any other lists nothing,
/// which would read as "no such hosts". Empty is the start of every name.
pub fn name_prefix(attribute: &str, value: Option<&str>, errors: &mut Vec<Diagnostic>) {
    let Some(prefix) = value.filter(|p| !p.is_empty()) else {
        return;
    };
    // A prefix stopping after `-` or `.` is the start of a name going on with a digit.
    let completed = if prefix.ends_with(['-', '.']) {
        format!("{prefix}0")
    } else {
        prefix.to_owned()
    };
    if let Err(e) = check_name(&completed) {
        errors.push(invalid(
            attribute,
            format!(
                "`{attribute}` {} cannot begin any host name: a host name {e}. The prefix is \
                 matched against the name without its namespace (filter that with \
                 `namespace`).",
                shown(prefix)
            ),
        ));
    }
}

/// A `provisioning_state` filter must name a provisioning state.
pub fn provisioning_state(attribute: &str, value: Option<&str>, errors: &mut Vec<Diagnostic>) {
    one_of(attribute, value, &ProvisioningState::names(), errors);
}

/// A filter `name` whose value must be one of `allowed` (e.g. the operational statuses).
pub fn one_of(name: &str, value: Option<&str>, allowed: &[&str], errors: &mut Vec<Diagnostic>) {
    if let Some(v) = value.filter(|v| !allowed.contains(v)) {
        errors.push(invalid(
            name,
            format!(
                "`{name}` is {}; it must be one of {}.",
                shown(v),
                code_list(allowed)
            ),
        ));
    }
}
