//! What `#[derive(Model)]`'s code calls; not an API.

use std::collections::BTreeMap;

pub use super::error::DecodeError;
use super::error::DecodeErrorKind;
pub use super::field::{AttrValue, BlockValue, Measured, Nullable, Numeric, Textual};
use super::Model;
pub use crate::codec::{AttributePath, Value};
pub use crate::schema::{Attribute, AttributeType, Block, NestedBlock, Rule, Validator};
use crate::schema::{NestedAttributes, ObjectNesting};

static NULL: Value = Value::Null;

/// The attributes of an object value, or why it is not one.
pub fn object_fields<'v>(
    value: &'v Value,
    path: &AttributePath,
) -> Result<&'v BTreeMap<String, Value>, DecodeError> {
    match value.unwrap_dynamic() {
        Value::Object(fields) => Ok(fields),
        Value::Null => Err(DecodeError::new(path, DecodeErrorKind::Null)),
        Value::Unknown(_) => Err(DecodeError::new(path, DecodeErrorKind::Unknown)),
        other => Err(DecodeError::new(
            path,
            DecodeErrorKind::Mismatch {
                expected: "an object",
                found: other.kind_name(),
            },
        )),
    }
}

/// One attribute of an object: absent is null, and null is the default when there is one.
pub fn field<T: AttrValue>(
    fields: &BTreeMap<String, Value>,
    name: &str,
    path: &AttributePath,
    default: Option<Value>,
) -> Result<T, DecodeError> {
    let path = path.clone().attribute(name);
    let value = fields.get(name).unwrap_or(&NULL);
    match default {
        Some(default) if value.is_null() => T::from_value(&default, &path),
        _ => T::from_value(value, &path),
    }
}

pub fn block_field<T: BlockValue>(
    fields: &BTreeMap<String, Value>,
    name: &str,
    path: &AttributePath,
) -> Result<T, DecodeError> {
    let value = fields.get(name).unwrap_or(&NULL);
    T::from_block_value(value, &path.clone().attribute(name))
}

pub fn object(attributes: Vec<(&str, Value)>) -> Value {
    Value::Object(
        attributes
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
    )
}

/// A model as a single nested attribute.
pub fn nested_single<M: Model>() -> AttributeType {
    AttributeType::Nested(NestedAttributes {
        nesting: ObjectNesting::Single,
        attributes: M::block().attributes,
    })
}

/// Compiles only for a type that holds null (see [`Nullable`]).
pub fn nullable<T: Nullable>() {}

/// Compiles only for a type `one_of` can judge.
pub fn textual<T: Textual>() {}

/// Compiles only for a type `min` and `max` can judge.
pub fn numeric<T: Numeric>() {}

/// Compiles only for a type `min_length` and `max_length` can judge.
pub fn measured<T: Measured>() {}
