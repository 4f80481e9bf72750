//! The Rust types a model's fields may have, and what each is in Terraform: its schema type,
//! how it is read from a value and written back. Wrappers say what a value may be besides
//! itself: `Option` null, [`Known`] unknown.

use std::collections::BTreeMap;

use super::error::{DecodeError, DecodeErrorKind};
use super::Model;
use crate::codec::{AttributePath, Number, Type, Value};
use crate::schema::{
    AttributeType, Block, BlockNesting, NestedAttributes, NestedBlock, ObjectNesting,
};

/// A value that may not be known until apply: a computed attribute in a plan, or an argument
/// set from another resource's computed attribute. Null is `Option`'s business:
/// `Option<Known<T>>` ([`Computed`]) is null, unknown or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known<T> {
    Unknown,
    Known(T),
}

/// A computed attribute as config, plan and state have it: null (config), unknown (plan, before
/// apply sets it) or a value (state).
pub type Computed<T> = Option<Known<T>>;

impl<T> Known<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Known::Known(v) => Some(v),
            Known::Unknown => None,
        }
    }

    pub fn into_known(self) -> Option<T> {
        match self {
            Known::Known(v) => Some(v),
            Known::Unknown => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Known::Unknown)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U> {
        match self {
            Known::Known(v) => Known::Known(f(v)),
            Known::Unknown => Known::Unknown,
        }
    }

    /// Both values, known when both are.
    pub fn zip<U>(self, other: Known<U>) -> Known<(T, U)> {
        match (self, other) {
            (Known::Known(a), Known::Known(b)) => Known::Known((a, b)),
            _ => Known::Unknown,
        }
    }

    pub fn as_ref(&self) -> Known<&T> {
        match self {
            Known::Known(v) => Known::Known(v),
            Known::Unknown => Known::Unknown,
        }
    }
}

impl<T> From<T> for Known<T> {
    fn from(value: T) -> Known<T> {
        Known::Known(value)
    }
}

/// A field type of a model: its schema type, and its reading from and writing to a value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Terraform attribute type",
    note = "a field is String, bool, an integer, f64, Number, Option<_>, Known<_>, Vec<_>, \
            BTreeMap<String, _>, or a #[derive(Model)] struct without blocks"
)]
pub trait AttrValue: Sized {
    /// The type without its `Option` and `Known` wrappers: what a custom validator receives
    /// (validators run on known, non-null values only).
    type Plain: AttrValue;

    fn attribute_type() -> AttributeType;

    /// `path` names the value in errors.
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError>;

    fn to_value(&self) -> Value;
}

/// Types that hold null: what an optional (without default), computed or write-only
/// attribute needs, since its value is null in some configuration, plan or state.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be null, but this attribute is null in some config, plan or state",
    label = "an optional attribute without default, a computed or a write-only one is an `Option<_>`"
)]
pub trait Nullable {}

impl<T> Nullable for Option<T> {}

/// Types `one_of` judges: strings, and collections of them.
#[diagnostic::on_unimplemented(
    message = "`one_of` judges strings, and `{Self}` is not a string or a collection of strings"
)]
pub trait Textual {}

/// Types `min` and `max` judge: numbers, and collections of them.
#[diagnostic::on_unimplemented(
    message = "`min` and `max` judge numbers, and `{Self}` is not a number or a collection of them"
)]
pub trait Numeric {}

/// Types `min_length` and `max_length` judge: strings and collections.
#[diagnostic::on_unimplemented(
    message = "`min_length` and `max_length` judge strings and collections, not `{Self}`"
)]
pub trait Measured {}

impl Textual for String {}
impl<T: Textual> Textual for Vec<T> {}
impl<T: Textual> Textual for BTreeMap<String, T> {}
impl<T: Textual> Textual for Option<T> {}
impl<T: Textual> Textual for Known<T> {}
impl<T: Numeric> Numeric for Vec<T> {}
impl<T: Numeric> Numeric for BTreeMap<String, T> {}
impl<T: Numeric> Numeric for Option<T> {}
impl<T: Numeric> Numeric for Known<T> {}
impl Measured for String {}
impl<T> Measured for Vec<T> {}
impl<T> Measured for BTreeMap<String, T> {}

/// The null and unknown cases every decoder shares; `None` for anything else.
fn absent(value: &Value, path: &AttributePath) -> Option<DecodeError> {
    match value.unwrap_dynamic() {
        Value::Null => Some(DecodeError::new(path, DecodeErrorKind::Null)),
        Value::Unknown(_) => Some(DecodeError::new(path, DecodeErrorKind::Unknown)),
        _ => None,
    }
}

fn mismatch(value: &Value, path: &AttributePath, expected: &'static str) -> DecodeError {
    absent(value, path).unwrap_or_else(|| {
        DecodeError::new(
            path,
            DecodeErrorKind::Mismatch {
                expected,
                found: value.kind_name(),
            },
        )
    })
}

impl AttrValue for String {
    type Plain = Self;
    fn attribute_type() -> AttributeType {
        AttributeType::Type(Type::String)
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| mismatch(value, path, "a string"))
    }
    fn to_value(&self) -> Value {
        Value::from(self.as_str())
    }
}

impl AttrValue for bool {
    type Plain = Self;
    fn attribute_type() -> AttributeType {
        AttributeType::Type(Type::Bool)
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        value
            .as_bool()
            .ok_or_else(|| mismatch(value, path, "a bool"))
    }
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}

impl AttrValue for Number {
    type Plain = Self;
    fn attribute_type() -> AttributeType {
        AttributeType::Type(Type::Number)
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        value
            .as_number()
            .cloned()
            .ok_or_else(|| mismatch(value, path, "a number"))
    }
    fn to_value(&self) -> Value {
        Value::Number(self.clone())
    }
}

/// The nearest `f64`; infinities stay infinite.
impl AttrValue for f64 {
    type Plain = Self;
    fn attribute_type() -> AttributeType {
        AttributeType::Type(Type::Number)
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        value
            .as_number()
            .map(Number::as_f64)
            .ok_or_else(|| mismatch(value, path, "a number"))
    }
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}

/// Integers: a number that is not a whole number in the type's range is an error, never
/// rounded.
macro_rules! integer {
    ($($ty:ty: $what:literal),*) => {$(
        impl AttrValue for $ty {
            type Plain = Self;
            fn attribute_type() -> AttributeType {
                AttributeType::Type(Type::Number)
            }
            fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
                let number = value.as_number().ok_or_else(|| mismatch(value, path, "a number"))?;
                number
                    .as_i64()
                    .and_then(|n| <$ty>::try_from(n).ok())
                    .or_else(|| number.as_u64().and_then(|n| <$ty>::try_from(n).ok()))
                    .ok_or_else(|| {
                        DecodeError::new(path, DecodeErrorKind::OutOfRange { expected: $what })
                    })
            }
            fn to_value(&self) -> Value {
                Value::Number(Number::from(*self))
            }
        }
    )*};
}

impl Numeric for Number {}
impl Numeric for f64 {}
impl Numeric for i64 {}
impl Numeric for i32 {}
impl Numeric for u64 {}
impl Numeric for u32 {}

integer!(
    i64: "a whole number in i64's range",
    i32: "a whole number in i32's range",
    u64: "a whole number in u64's range",
    u32: "a whole number in u32's range"
);

impl<T: AttrValue> AttrValue for Option<T> {
    type Plain = T::Plain;
    fn attribute_type() -> AttributeType {
        T::attribute_type()
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        match value.is_null() {
            true => Ok(None),
            false => T::from_value(value, path).map(Some),
        }
    }
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
}

impl<T: AttrValue> AttrValue for Known<T> {
    type Plain = T::Plain;
    fn attribute_type() -> AttributeType {
        T::attribute_type()
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        match value.is_unknown() {
            true => Ok(Known::Unknown),
            false => T::from_value(value, path).map(Known::Known),
        }
    }
    fn to_value(&self) -> Value {
        match self {
            Known::Known(v) => v.to_value(),
            Known::Unknown => Value::unknown(),
        }
    }
}

/// The collection type of elements of type `element`: nested attributes when the elements are
/// a model's objects, else a plain collection type.
fn collection(
    element: AttributeType,
    nesting: ObjectNesting,
    plain: fn(Type) -> Type,
) -> AttributeType {
    match element {
        AttributeType::Nested(NestedAttributes {
            nesting: ObjectNesting::Single,
            attributes,
        }) => AttributeType::Nested(NestedAttributes {
            nesting,
            attributes,
        }),
        AttributeType::Nested(nested) => AttributeType::Type(plain(nested.value_type())),
        AttributeType::Type(ty) => AttributeType::Type(plain(ty)),
    }
}

impl<T: AttrValue> AttrValue for Vec<T> {
    type Plain = Self;
    fn attribute_type() -> AttributeType {
        collection(T::attribute_type(), ObjectNesting::List, Type::list)
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let elements = value
            .as_elements()
            .ok_or_else(|| mismatch(value, path, "a list"))?;
        elements
            .iter()
            .zip(0..)
            .map(|(element, i)| T::from_value(element, &path.clone().index(i)))
            .collect()
    }
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(T::to_value).collect())
    }
}

impl<T: AttrValue> AttrValue for BTreeMap<String, T> {
    type Plain = Self;
    fn attribute_type() -> AttributeType {
        collection(T::attribute_type(), ObjectNesting::Map, Type::map)
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let map = value
            .as_map()
            .ok_or_else(|| mismatch(value, path, "a map"))?;
        map.iter()
            .map(|(k, v)| Ok((k.clone(), T::from_value(v, &path.clone().key(k.as_str()))?)))
            .collect()
    }
    fn to_value(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(k, v)| (k.clone(), v.to_value()))
                .collect(),
        )
    }
}

/// A field declared `#[tf(block)]`: `Option<M>` is a single block (null when absent),
/// `Vec<M>` a list of blocks, `BTreeMap<String, M>` a map of them (empty when absent).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a block type",
    note = "a block is Option<M> (single), Vec<M> (list) or BTreeMap<String, M> (map) of a \
            #[derive(Model)] struct M"
)]
pub trait BlockValue: Sized {
    fn nested_block(name: &str, description: &str, deprecated: bool) -> NestedBlock;
    fn from_block_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError>;
    fn to_block_value(&self) -> Value;
}

fn nested_block<M: Model>(
    name: &str,
    description: &str,
    deprecated: bool,
    nesting: BlockNesting,
) -> NestedBlock {
    let block = M::block();
    let block = Block {
        description: description.to_owned(),
        deprecated: deprecated || block.deprecated,
        ..block
    };
    NestedBlock {
        type_name: name.to_owned(),
        block,
        nesting,
        min_items: 0,
        max_items: 0,
    }
}

impl<M: Model> BlockValue for Option<M> {
    fn nested_block(name: &str, description: &str, deprecated: bool) -> NestedBlock {
        nested_block::<M>(name, description, deprecated, BlockNesting::Single)
    }
    fn from_block_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        match value.is_null() {
            true => Ok(None),
            false => M::decode_at(value, path).map(Some),
        }
    }
    fn to_block_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, M::encode)
    }
}

impl<M: Model> BlockValue for Vec<M> {
    fn nested_block(name: &str, description: &str, deprecated: bool) -> NestedBlock {
        nested_block::<M>(name, description, deprecated, BlockNesting::List)
    }
    fn from_block_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        if value.is_null() {
            return Ok(Vec::new());
        }
        let elements = value
            .as_elements()
            .ok_or_else(|| mismatch(value, path, "a list of blocks"))?;
        elements
            .iter()
            .zip(0..)
            .map(|(element, i)| M::decode_at(element, &path.clone().index(i)))
            .collect()
    }
    fn to_block_value(&self) -> Value {
        Value::List(self.iter().map(M::encode).collect())
    }
}

impl<M: Model> BlockValue for BTreeMap<String, M> {
    fn nested_block(name: &str, description: &str, deprecated: bool) -> NestedBlock {
        nested_block::<M>(name, description, deprecated, BlockNesting::Map)
    }
    fn from_block_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        if value.is_null() {
            return Ok(BTreeMap::new());
        }
        let map = value
            .as_map()
            .ok_or_else(|| mismatch(value, path, "a map of blocks"))?;
        map.iter()
            .map(|(k, v)| Ok((k.clone(), M::decode_at(v, &path.clone().key(k.as_str()))?)))
            .collect()
    }
    fn to_block_value(&self) -> Value {
        Value::Map(self.iter().map(|(k, v)| (k.clone(), v.encode())).collect())
    }
}
