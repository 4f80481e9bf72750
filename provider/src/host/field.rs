//! `Field<T>`: a model field that is known, unknown (decided at apply) or null. Its own module so
//! that every model (the arguments, the hardware settings) shares it without importing each
//! other.

use tfplugin::model::{AttrValue, DecodeError, Measured, Nullable, Numeric, Textual};
use tfplugin::schema::AttributeType;

use crate::codec::{AttributePath, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Field<T> {
    Known(T),
    Unknown,
    Null,
}

impl<T> Field<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Field::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown)
    }

    /// Set (or will be set): known non-null, or unknown.
    pub fn is_set_or_unknown(&self) -> bool {
        !self.is_null()
    }
}

/// A value that is known or null (what Ironic reports), as a field.
impl<T> From<Option<T>> for Field<T> {
    fn from(value: Option<T>) -> Field<T> {
        value.map_or(Field::Null, Field::Known)
    }
}

impl Field<String> {
    pub fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
}

/// A field of any Terraform type: null and unknown are its own variants.
impl<T: AttrValue> AttrValue for Field<T> {
    type Plain = T::Plain;
    fn attribute_type() -> AttributeType {
        T::attribute_type()
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        if value.is_null() {
            Ok(Field::Null)
        } else if value.is_unknown() {
            Ok(Field::Unknown)
        } else {
            T::from_value(value, path).map(Field::Known)
        }
    }
    fn to_value(&self) -> Value {
        match self {
            Field::Known(v) => v.to_value(),
            Field::Unknown => Value::unknown(),
            Field::Null => Value::Null,
        }
    }
}

impl<T> Nullable for Field<T> {}
impl<T: Textual> Textual for Field<T> {}
impl<T: Numeric> Numeric for Field<T> {}
impl<T: Measured> Measured for Field<T> {}
