//! Building the resource's state from what the core reports: a read's state, and the merge of a
//! plan with an apply's result.

use tfplugin::codec::shape::{complete_object, fill_unknowns, unknowns_to_null};
use tfplugin::schema::values::null_write_only;

use super::schema;
use crate::codec::{Type, Value};
use crate::host::status::{state_with_status, StatusView};

/// The cty type of the resource's state.
pub fn resource_type() -> Type {
    schema::schema().block.value_type()
}

fn clear_write_only(state: &mut Value) {
    null_write_only(&schema::schema().block, state);
}

/// State after a read: the arguments of `config_or_planned` (normally the prior state) with the
/// status attributes replaced by `status`, as a valid state.
pub fn host_state(config_or_planned: &Value, status: &StatusView) -> Value {
    state_with_status(&schema::schema(), config_or_planned, status)
}

/// State after an apply: the plan with every unknown resolved from `status`. Known planned
/// values are kept even where the status differs (Terraform requires it; the next refresh
/// shows the difference), and nothing is left unknown.
pub fn merge_apply_result(planned: &Value, status: &StatusView) -> Value {
    merge_apply_result_with(planned, status, Vec::new())
}

/// [`merge_apply_result`], with other computed attributes read after the apply (`read`).
pub fn merge_apply_result_with(
    planned: &Value,
    status: &StatusView,
    read: Vec<(&'static str, Value)>,
) -> Value {
    let ty = resource_type();
    let planned = complete_object(planned, &ty);
    let mut actual = planned.clone();
    let read = read
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value));
    for (name, value) in status.values().into_iter().chain(read) {
        actual.set_attr(name, value);
    }
    let mut state = fill_unknowns(&planned, &actual);
    clear_write_only(&mut state);
    unknowns_to_null(&state)
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
