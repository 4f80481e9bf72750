//! Text shared by schema descriptions and diagnostics.

/// `` `a`, `b`, `c` `` for descriptions.
pub fn code_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
