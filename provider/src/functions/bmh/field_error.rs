//! serde's errors about a field of a value, reworded to name the field and say what it takes,
//! without the value found: serde quotes values ("invalid type: string \"hunter2\""), and a
//! value may be a secret.

use serde_json::Value as Json;
use serde_path_to_error::{Path, Segment};

use crate::functions::suggest::{nearest, quoted};

/// The message for `error` about `value` (the JSON it was read from): `<path>: <what is
/// wrong>`, the path dotted from `value`'s root, prefixed with `root` (e.g. `spec`).
pub fn describe<E: std::fmt::Display>(
    error: &serde_path_to_error::Error<E>,
    value: &Json,
    root: &str,
) -> String {
    let message = error.inner().to_string();
    let found = at(value, error.path());
    let what = reword(&message, found);
    if let Some(field) = unknown_field(&message) {
        // The path ends at the unknown key itself: name the object that lacks it.
        let segments: Vec<&Segment> = error.path().iter().collect();
        let parent = segments.split_last().map_or(&[][..], |(_, rest)| rest);
        let path = dotted(parent.iter().copied(), root);
        let place = if path.is_empty() {
            "the object".to_owned()
        } else {
            format!("`{path}`")
        };
        return format!("{place} has no field {}{what}", quoted(field, 64));
    }
    let path = dotted(error.path().iter(), root);
    if path.is_empty() {
        what
    } else {
        format!("`{path}`: {what}")
    }
}

/// The path `a.b[2].c` under `root`.
fn dotted<'a>(path: impl Iterator<Item = &'a Segment>, root: &str) -> String {
    let mut out = root.to_owned();
    for segment in path {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(variant);
            }
            Segment::Unknown => {}
        }
    }
    out
}

fn at<'a>(value: &'a Json, path: &Path) -> Option<&'a Json> {
    path.iter().try_fold(value, |v, segment| match segment {
        Segment::Seq { index } => v.get(*index),
        Segment::Map { key } => v.get(key.as_str()),
        _ => Some(v),
    })
}

/// What kind of value `json` is, in YAML's words.
pub fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

/// `unknown field `x`, expected ...`: the field's name.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    let end = rest
        .rfind("`, expected")
        .or_else(|| rest.rfind("`, there are no fields"))?;
    rest.get(..end)
}

fn reword(message: &str, found: Option<&Json>) -> String {
    if let Some(field) = unknown_field(message) {
        let allowed = expected_fields(message);
        let hint = nearest(field, allowed.iter().map(String::as_str))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        let list = if allowed.is_empty() {
            String::new()
        } else {
            format!(
                " It takes: {}.",
                allowed
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return format!("{hint}{list}");
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.strip_suffix('`').unwrap_or(rest);
        return format!("`{field}` is required");
    }
    let typed = message.starts_with("invalid type:")
        || message.starts_with("invalid value:")
        || message.starts_with("invalid length");
    if typed {
        let expected = message
            .rsplit_once(", expected ")
            .map(|(_, e)| plain_expected(e))
            .unwrap_or_else(|| "another value".to_owned());
        return match found {
            Some(found) => format!("expected {expected}, found {}", kind(found)),
            None => format!("expected {expected}"),
        };
    }
    if message == "invalid number" {
        // serde_json's word for a number its target cannot hold (a negative or fractional
        // number for a count).
        return "expected a whole number, at least 0, found another number".to_owned();
    }
    "this value is not valid here".to_owned()
}

/// serde's name of an expected type, in YAML's words.
fn plain_expected(expected: &str) -> String {
    match expected {
        "u64" | "u32" | "u16" | "u8" | "usize" => "a whole number, at least 0".to_owned(),
        "i64" | "i32" => "a whole number".to_owned(),
        "a map" => "a mapping".to_owned(),
        "a sequence" => "a list".to_owned(),
        "a boolean" => "`true` or `false`".to_owned(),
        e if e.starts_with("struct ") || e.starts_with("map") => "a mapping".to_owned(),
        e if e.starts_with("a ") || e.starts_with("an ") => e.to_owned(),
        _ => "another value".to_owned(),
    }
}

/// `expected one of `a`, `b`` or `expected `a``: the field names.
fn expected_fields(message: &str) -> Vec<String> {
    let Some((_, list)) = message.rsplit_once(", expected ") else {
        return Vec::new();
    };
    let list = list.strip_prefix("one of ").unwrap_or(list);
    list.split(", ")
        .flat_map(|f| f.split(" or "))
        .map(|f| f.trim_matches('`').to_owned())
        .filter(|f| !f.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Spec {
        online: Option<bool>,
        min_size: Option<u64>,
        bmc: Option<Bmc>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Bmc {
        address: String,
        credentials_name: Option<String>,
    }

    fn error(json: Json) -> String {
        let e = serde_path_to_error::deserialize::<_, Spec>(json.clone()).unwrap_err();
        describe(&e, &json, "spec")
    }

    #[test]
    fn type_errors_name_the_field_and_never_the_value() {
        let text = error(serde_json::json!({"online": "hunter2"}));
        assert_eq!(
            text,
            "`spec.online`: expected `true` or `false`, found a string"
        );
        let text = error(serde_json::json!({"minSize": -5}));
        assert_eq!(
            text,
            "`spec.minSize`: expected a whole number, at least 0, found another number"
        );
        let text = error(serde_json::json!({"bmc": "s3cret"}));
        assert_eq!(text, "`spec.bmc`: expected a mapping, found a string");
    }

    #[test]
    fn unknown_and_missing_fields_are_named_with_a_suggestion() {
        let text = error(serde_json::json!({"bmc": {"address": "x", "credentialName": "s"}}));
        assert_eq!(
            text,
            "`spec.bmc` has no field \"credentialName\"; did you mean `credentialsName`? It \
             takes: `address`, `credentialsName`."
        );
        let text = error(serde_json::json!({"bmc": {}}));
        assert_eq!(text, "`spec.bmc`: `address` is required");
    }
}
