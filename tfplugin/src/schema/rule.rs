//! An attribute's rules on configured values, as data: allowed values, numeric and length
//! limits, deprecation, custom validators. They travel in the schema ([`super::Attribute::rules`])
//! and [`crate::model::validate_config`] runs them; `#[derive(Model)]` writes them from
//! `#[tf(one_of = ..., min = ..., validate = ...)]`.

use std::fmt;

use crate::codec::{AttributePath, Number, Value};
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A string, or each string of a collection, is one of these (a vocabulary's list, written
    /// once).
    OneOf(&'static [&'static str]),
    /// A number, or each number of a collection, within these inclusive bounds.
    Range { min: Option<i64>, max: Option<i64> },
    /// A string's length in characters, or a collection's in elements, within these inclusive
    /// bounds.
    Length { min: Option<u64>, max: Option<u64> },
    /// Setting the attribute warns with this message (what to use instead).
    Deprecated(&'static str),
    /// A check of the provider's own, run on wholly known values.
    Custom(Validator),
}

/// A provider's check of one attribute's value: `Err` carries the detail shown to the user.
#[derive(Clone, Copy)]
pub struct Validator {
    /// The function's path, for debugging and equality.
    pub name: &'static str,
    pub check: fn(&Value) -> Result<(), String>,
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Validator({})", self.name)
    }
}

/// Two validators are the same when they name the same function (function addresses are not
/// stable enough to compare).
impl PartialEq for Validator {
    fn eq(&self, other: &Validator) -> bool {
        self.name == other.name
    }
}

impl Rule {
    /// What this rule says of a configured `value` (not null, not unknown) at `path`. `shown`:
    /// whether messages may quote the value (never for sensitive or write-only attributes).
    pub fn check(&self, value: &Value, path: &AttributePath, shown: bool) -> Vec<Diagnostic> {
        let invalid =
            |detail: String| Diagnostic::error("Invalid attribute value", detail).at(path.clone());
        let quoted = |s: &str| match shown {
            true => format!("{s:?}"),
            false => "The value".to_owned(),
        };
        match self {
            Rule::OneOf(allowed) => scalars(value)
                .filter_map(Value::as_str)
                .filter(|s| !allowed.contains(s))
                .map(|s| {
                    invalid(format!(
                        "{} is not one of {}.",
                        quoted(s),
                        allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
                .collect(),
            Rule::Range { min, max } => scalars(value)
                .filter_map(Value::as_number)
                .filter(|n| !within(n, *min, *max))
                .map(|n| {
                    let shown = match shown {
                        true => n.to_string(),
                        false => "The value".to_owned(),
                    };
                    invalid(format!("{shown} is not {}.", bounds(*min, *max, "")))
                })
                .collect(),
            Rule::Length { min, max } => {
                let (length, unit) = match value.unwrap_dynamic() {
                    Value::String(s) => (s.chars().count(), " characters"),
                    Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => (xs.len(), " elements"),
                    Value::Map(m) => (m.len(), " elements"),
                    _ => return Vec::new(),
                };
                let length = u64::try_from(length).unwrap_or(u64::MAX);
                let fits = min.is_none_or(|m| length >= m) && max.is_none_or(|m| length <= m);
                match fits {
                    true => Vec::new(),
                    false => vec![invalid(format!(
                        "The length, {length}, is not {}.",
                        bounds(*min, *max, unit)
                    ))],
                }
            }
            Rule::Deprecated(message) => {
                vec![Diagnostic::warning("Deprecated attribute", *message).at(path.clone())]
            }
            Rule::Custom(validator) if value.is_known() => match (validator.check)(value) {
                Ok(()) => Vec::new(),
                Err(detail) => vec![invalid(detail)],
            },
            Rule::Custom(_) => Vec::new(),
        }
    }
}

/// The value itself, or the known elements of a collection: what `OneOf` and `Range` judge.
fn scalars(value: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value.unwrap_dynamic() {
        Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => Box::new(xs.iter()),
        Value::Map(m) => Box::new(m.values()),
        other => Box::new(std::iter::once(other)),
    }
}

fn within(n: &Number, min: Option<i64>, max: Option<i64>) -> bool {
    min.is_none_or(|m| *n >= Number::from(m)) && max.is_none_or(|m| *n <= Number::from(m))
}

fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>, unit: &str) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}{unit}"),
        (Some(min), None) => format!("at least {min}{unit}"),
        (None, Some(max)) => format!("at most {max}{unit}"),
        (None, None) => "anything".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(rule: &Rule, value: Value, shown: bool) -> Vec<String> {
        let path = AttributePath::root().attribute("x");
        rule.check(&value, &path, shown)
            .into_iter()
            .inspect(|d| assert_eq!(d.attribute.as_ref(), Some(&path)))
            .map(|d| d.detail)
            .collect()
    }

    #[test]
    fn one_of_judges_strings_and_their_collections() {
        let rule = Rule::OneOf(&["en", "fr"]);
        assert!(details(&rule, "en".into(), true).is_empty());
        assert_eq!(
            details(&rule, "de".into(), true),
            [r#""de" is not one of `en`, `fr`."#]
        );
        assert_eq!(
            details(&rule, Value::list(["en", "xx"]), false),
            ["The value is not one of `en`, `fr`."],
            "a hidden value is not quoted"
        );
    }

    #[test]
    fn limits_are_inclusive() {
        let range = Rule::Range {
            min: Some(1),
            max: Some(3),
        };
        assert!(details(&range, 3.into(), true).is_empty());
        assert_eq!(
            details(&range, 4.into(), true),
            ["4 is not between 1 and 3."]
        );
        let length = Rule::Length {
            min: None,
            max: Some(2),
        };
        assert!(details(&length, "éé".into(), true).is_empty());
        assert_eq!(
            details(&length, Value::list([1, 2, 3]), true),
            ["The length, 3, is not at most 2 elements."]
        );
    }

    #[test]
    fn custom_validators_see_only_known_values() {
        fn no_x(v: &Value) -> Result<(), String> {
            match v.as_str() {
                Some("x") => Err("not x".into()),
                _ => Ok(()),
            }
        }
        let rule = Rule::Custom(Validator {
            name: "no_x",
            check: no_x,
        });
        assert_eq!(details(&rule, "x".into(), true), ["not x"]);
        assert!(details(&rule, Value::list([Value::unknown()]), true).is_empty());
    }
}
