//! Terraform values in memory: what the msgpack and JSON codecs produce and consume.
//!
//! Values carry no type of their own; the schema's [`Type`] travels beside them (encode, decode
//! and [`Value::conforms`] all take one). One exception: a value in a `dynamic`-typed position
//! must say what it is, so it is one of
//! - [`Value::Null`]: the null of the dynamic pseudo-type (wire: nil),
//! - [`Value::Unknown`] with no refinements: not even the type is known (wire: a bare extension),
//! - [`Value::Dynamic`]`(concrete_type, value)`: a value of `concrete_type`, which may itself be
//!   null or unknown (wire: `[bin(type JSON), value]`). The type is never `Type::Dynamic` itself.
//!
//! Sets are kept as the element sequence received; decoding does not remove duplicates. Equality
//! (`==`) compares sets as multisets, so order never matters.

use std::collections::BTreeMap;
use std::fmt;

use super::error::{CodecError, ErrorKind};
use super::path::{AttributePath, PathStep};
use super::types::Type;

/// How deeply values may nest (containers and `dynamic` wrappers). Decoding stops with an error
/// beyond this, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

pub use super::number::Number;

/// What Terraform knows about an unknown value (wire: extension 12). `default()` = nothing.
/// `Debug` hides the string prefix, which may be the start of a secret.
#[derive(Clone, Default, PartialEq)]
pub struct Refinements {
    /// `Some(false)`: definitely not null. `Some(true)` (definitely null) is legal on the wire but
    /// pointless, since that value is simply null.
    pub nullness: Option<bool>,
    /// Strings only: the final value starts with this.
    pub string_prefix: Option<String>,
    /// Numbers only: `(bound, inclusive)`.
    pub number_lower: Option<(Number, bool)>,
    pub number_upper: Option<(Number, bool)>,
    /// Lists, sets and maps only: inclusive bounds on the element count.
    pub length_lower: Option<u64>,
    pub length_upper: Option<u64>,
}

impl Refinements {
    /// The most common refinement: the value will not be null.
    pub fn not_null() -> Refinements {
        Refinements {
            nullness: Some(false),
            ..Refinements::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }

    /// Why Terraform would refuse these refinements (go-cty panics on them), if it would:
    /// bounds that contradict each other, or a length bound beyond int64.
    pub fn inconsistency(&self) -> Option<&'static str> {
        if let (Some((lower, lower_inclusive)), Some((upper, upper_inclusive))) =
            (&self.number_lower, &self.number_upper)
        {
            // go-cty's rule: strict when exactly one bound is inclusive.
            let consistent = if lower_inclusive != upper_inclusive {
                lower < upper
            } else {
                lower <= upper
            };
            if !consistent {
                return Some("number lower bound is above the upper bound");
            }
        }
        let lengths = [self.length_lower, self.length_upper];
        if lengths.iter().flatten().any(|&n| i64::try_from(n).is_err()) {
            return Some("collection length bound beyond int64");
        }
        if let [Some(lower), Some(upper)] = lengths {
            if upper < lower {
                return Some("collection length upper bound is below the lower bound");
            }
        }
        None
    }

    /// Drops refinements that cannot apply to `ty` (decoders keep only what makes sense).
    pub(crate) fn retain_applicable(mut self, ty: &Type) -> Refinements {
        if *ty == Type::Dynamic {
            return Refinements::default();
        }
        if *ty != Type::String {
            self.string_prefix = None;
        }
        if *ty != Type::Number {
            self.number_lower = None;
            self.number_upper = None;
        }
        if !matches!(ty, Type::List(_) | Type::Set(_) | Type::Map(_)) {
            self.length_lower = None;
            self.length_upper = None;
        }
        self
    }

    /// An error if any refinement cannot apply to `ty`.
    pub(crate) fn check(&self, ty: &Type, path: &[PathStep]) -> Result<(), CodecError> {
        if let Some(problem) = self.inconsistency() {
            return Err(CodecError::invalid(path.to_vec(), problem));
        }
        if self.clone().retain_applicable(ty) == *self {
            for (bound, _) in [&self.number_lower, &self.number_upper]
                .into_iter()
                .flatten()
            {
                check_number(bound, path)?;
            }
            return Ok(());
        }
        let what = if *ty == Type::Dynamic {
            "an unknown of dynamic type cannot carry refinements".to_string()
        } else {
            format!("refinements that do not apply to {}", describe_type(ty))
        };
        Err(CodecError::invalid(path.to_vec(), what))
    }
}

/// `Debug` shows the structure but not string contents (they may be passwords); use
/// [`Value::as_str`] when the text is needed.
#[derive(Clone)]
pub enum Value {
    Null,
    Unknown(Refinements),
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Tuple(Vec<Value>),
    Map(BTreeMap<String, Value>),
    /// Attributes absent here are null when encoded.
    Object(BTreeMap<String, Value>),
    /// A value in a `dynamic` position, with its concrete type (see the module docs).
    Dynamic(Type, Box<Value>),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Unknown(r) => f.debug_tuple("Unknown").field(r).finish(),
            Value::Bool(b) => f.debug_tuple("Bool").field(b).finish(),
            Value::Number(n) => write!(f, "Number({n})"),
            Value::String(s) => write!(f, "String(<{} bytes>)", s.len()),
            Value::List(xs) => f.debug_tuple("List").field(xs).finish(),
            Value::Set(xs) => f.debug_tuple("Set").field(xs).finish(),
            Value::Tuple(xs) => f.debug_tuple("Tuple").field(xs).finish(),
            Value::Map(m) => f.debug_tuple("Map").field(m).finish(),
            Value::Object(m) => f.debug_tuple("Object").field(m).finish(),
            Value::Dynamic(ty, v) => f.debug_tuple("Dynamic").field(ty).field(v).finish(),
        }
    }
}

impl fmt::Debug for Refinements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = |b: &Option<(Number, bool)>| {
            b.as_ref().map(|(n, inclusive)| {
                format!(
                    "{n} ({})",
                    if *inclusive { "inclusive" } else { "exclusive" }
                )
            })
        };
        f.debug_struct("Refinements")
            .field("nullness", &self.nullness)
            .field(
                "string_prefix",
                &self
                    .string_prefix
                    .as_ref()
                    .map(|p| format!("<{} bytes>", p.len())),
            )
            .field("number_lower", &bound(&self.number_lower))
            .field("number_upper", &bound(&self.number_upper))
            .field("length_lower", &self.length_lower)
            .field("length_upper", &self.length_upper)
            .finish()
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Unknown(a), Unknown(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (String(a), String(b)) => a == b,
            (List(a), List(b)) | (Tuple(a), Tuple(b)) => a == b,
            (Set(a), Set(b)) => same_multiset(a, b),
            (Map(a), Map(b)) | (Object(a), Object(b)) => a == b,
            (Dynamic(ta, a), Dynamic(tb, b)) => ta == tb && a == b,
            _ => false,
        }
    }
}

fn same_multiset(a: &[Value], b: &[Value]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    a.iter().all(|x| {
        let found = (0..b.len()).find(|&i| !used[i] && b[i] == *x);
        if let Some(i) = found {
            used[i] = true;
        }
        found.is_some()
    })
}

impl Value {
    /// A wholly unknown value (wire `d4 00 00`).
    pub fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }

    /// An unknown value known not to be null.
    pub fn unknown_not_null() -> Value {
        Value::Unknown(Refinements::not_null())
    }

    /// The null of `ty`. Null carries no type in this model (the schema supplies it), so this is
    /// `Value::Null` for every type; it exists so call sites read as intended.
    pub fn null_for(_ty: &Type) -> Value {
        Value::Null
    }

    /// The plain unknown of `ty` (see [`Value::null_for`]).
    pub fn unknown_for(_ty: &Type) -> Value {
        Value::unknown()
    }

    /// An object of `ty` with every attribute null (Terraform's empty GROUP block); `Null` for
    /// other types.
    pub fn object_of_nulls(ty: &Type) -> Value {
        match ty {
            Type::Object { attributes, .. } => Value::Object(
                attributes
                    .keys()
                    .map(|k| (k.clone(), Value::Null))
                    .collect(),
            ),
            _ => Value::Null,
        }
    }

    /// An object of `ty` whose attributes are all unknown except those given: the shape of a
    /// planned new state where the provider computes everything it was not told.
    pub fn object_unknown_except<I, K>(ty: &Type, known: I) -> Result<Value, CodecError>
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        let Type::Object { attributes, .. } = ty else {
            return Err(CodecError::mismatch(
                AttributePath::root(),
                "an object type",
                describe_type(ty),
            ));
        };
        let mut object: BTreeMap<String, Value> = attributes
            .keys()
            .map(|k| (k.clone(), Value::unknown()))
            .collect();
        let mut unsupported = Vec::new();
        for (name, value) in known {
            let name = name.into();
            match object.get_mut(&name) {
                Some(slot) => *slot = value,
                None => unsupported.push(name),
            }
        }
        if !unsupported.is_empty() {
            return Err(CodecError::new(
                AttributePath::root(),
                ErrorKind::UnsupportedAttributes(unsupported),
            ));
        }
        let value = Value::Object(object);
        value.conforms(ty)?;
        Ok(value)
    }

    pub fn object<I, K, V>(attributes: I) -> Value
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<Value>,
    {
        Value::Object(
            attributes
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    pub fn map<I, K, V>(elements: I) -> Value
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<Value>,
    {
        Value::Map(
            elements
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    pub fn list<I: IntoIterator<Item = V>, V: Into<Value>>(elements: I) -> Value {
        Value::List(elements.into_iter().map(Into::into).collect())
    }

    pub fn set<I: IntoIterator<Item = V>, V: Into<Value>>(elements: I) -> Value {
        Value::Set(elements.into_iter().map(Into::into).collect())
    }

    pub fn tuple<I: IntoIterator<Item = V>, V: Into<Value>>(elements: I) -> Value {
        Value::Tuple(elements.into_iter().map(Into::into).collect())
    }

    /// A value for a `dynamic` position. `ty` must be concrete (not `Type::Dynamic`).
    pub fn dynamic(ty: Type, value: impl Into<Value>) -> Value {
        Value::Dynamic(ty, Box::new(value.into()))
    }

    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Dynamic(_, inner) => inner.is_null(),
            _ => false,
        }
    }

    /// True if this value itself is unknown (not: contains an unknown; see [`Value::is_known`]).
    pub fn is_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::Dynamic(_, inner) => inner.is_unknown(),
            _ => false,
        }
    }

    /// True if no unknown appears anywhere in this value.
    pub fn is_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => xs.iter().all(Value::is_known),
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_known),
            Value::Dynamic(_, inner) => inner.is_known(),
        }
    }

    /// This value without its `Dynamic` wrapper (if any).
    pub fn unwrap_dynamic(&self) -> &Value {
        match self {
            Value::Dynamic(_, inner) => inner.unwrap_dynamic(),
            other => other,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.unwrap_dynamic() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.unwrap_dynamic() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self.unwrap_dynamic() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The number as the nearest `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    /// Elements of a list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self.unwrap_dynamic() {
            Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => Some(xs),
            _ => None,
        }
    }

    /// Entries of a map or attributes of an object.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self.unwrap_dynamic() {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// An object attribute (or map element). `None` if absent or this is not an object/map.
    pub fn get(&self, attribute: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(attribute))
    }

    /// Mutable access to an object attribute or map element.
    pub fn get_mut(&mut self, attribute: &str) -> Option<&mut Value> {
        match self {
            Value::Map(m) | Value::Object(m) => m.get_mut(attribute),
            Value::Dynamic(_, inner) => inner.get_mut(attribute),
            _ => None,
        }
    }

    /// Sets an object attribute (or map element); `false` if this is not an object or map.
    pub fn set_attr(&mut self, attribute: impl Into<String>, value: impl Into<Value>) -> bool {
        match self {
            Value::Map(m) | Value::Object(m) => {
                m.insert(attribute.into(), value.into());
                true
            }
            Value::Dynamic(_, inner) => inner.set_attr(attribute, value),
            _ => false,
        }
    }

    /// The value at `path`, if every step exists.
    pub fn get_path(&self, path: &AttributePath) -> Option<&Value> {
        path.0.iter().try_fold(self, |v, step| match step {
            PathStep::Attribute(name) | PathStep::ElementKeyString(name) => v.get(name),
            PathStep::ElementKeyInt(i) => v
                .as_elements()
                .and_then(|xs| xs.get(usize::try_from(*i).ok()?)),
        })
    }

    /// Mutable access to the value at `path`, if every step exists.
    pub fn get_path_mut(&mut self, path: &AttributePath) -> Option<&mut Value> {
        path.0.iter().try_fold(self, |v, step| match step {
            PathStep::Attribute(name) | PathStep::ElementKeyString(name) => v.get_mut(name),
            PathStep::ElementKeyInt(i) => match v {
                Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => {
                    xs.get_mut(usize::try_from(*i).ok()?)
                }
                _ => None,
            },
        })
    }

    /// Whether this value can be encoded as `ty` (msgpack; JSON additionally refuses unknowns
    /// and infinities). The error names the first offending path.
    pub fn conforms(&self, ty: &Type) -> Result<(), CodecError> {
        conforms_at(self, ty, &mut Vec::new())
    }

    /// A short description of what kind of value this is, for error messages (never the content).
    pub fn kind_name(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Unknown(_) => "an unknown value".into(),
            Value::Bool(_) => "a bool".into(),
            Value::Number(_) => "a number".into(),
            Value::String(_) => "a string".into(),
            Value::List(_) => "a list".into(),
            Value::Set(_) => "a set".into(),
            Value::Tuple(_) => "a tuple".into(),
            Value::Map(_) => "a map".into(),
            Value::Object(_) => "an object".into(),
            Value::Dynamic(ty, _) => format!("a dynamic value of type {}", describe_type(ty)),
        }
    }
}

fn conforms_at(value: &Value, ty: &Type, path: &mut Vec<PathStep>) -> Result<(), CodecError> {
    if path.len() > MAX_DEPTH {
        return Err(CodecError::new(path.clone(), ErrorKind::TooDeep(MAX_DEPTH)));
    }
    match (value, ty) {
        (Value::Null, _) => Ok(()),
        (Value::Unknown(refinements), ty) => refinements.check(ty, path),
        (Value::Dynamic(inner_ty, inner), Type::Dynamic) => {
            if *inner_ty == Type::Dynamic {
                return Err(CodecError::invalid(
                    path.clone(),
                    "Value::Dynamic must carry a concrete type, not dynamic",
                ));
            }
            // Depth stays bounded: a concrete type nests further only through its elements,
            // each of which extends the path.
            conforms_at(inner, inner_ty, path)
        }
        (_, Type::Dynamic) => Err(CodecError::mismatch(
            path.clone(),
            "a value with its type (Value::Dynamic), null or unknown",
            value.kind_name(),
        )),
        (Value::Bool(_), Type::Bool) | (Value::String(_), Type::String) => Ok(()),
        (Value::Number(n), Type::Number) => check_number(n, path),
        (Value::List(xs), Type::List(ety)) | (Value::Set(xs), Type::Set(ety)) => {
            for (i, x) in xs.iter().enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                conforms_at(x, ety, path)?;
                path.pop();
            }
            Ok(())
        }
        (Value::Tuple(xs), Type::Tuple(etys)) => {
            if xs.len() != etys.len() {
                return Err(CodecError::mismatch(
                    path.clone(),
                    format!("a tuple of {} elements", etys.len()),
                    format!("a tuple of {} elements", xs.len()),
                ));
            }
            for (i, (x, ety)) in xs.iter().zip(etys).enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                conforms_at(x, ety, path)?;
                path.pop();
            }
            Ok(())
        }
        (Value::Map(m), Type::Map(ety)) => {
            for (k, x) in m {
                path.push(PathStep::ElementKeyString(k.clone()));
                conforms_at(x, ety, path)?;
                path.pop();
            }
            Ok(())
        }
        (Value::Object(m), Type::Object { attributes, .. }) => {
            undeclared_attributes(path, m, attributes)?;
            for (k, x) in m {
                path.push(PathStep::Attribute(k.clone()));
                conforms_at(x, &attributes[k], path)?;
                path.pop();
            }
            Ok(())
        }
        (value, ty) => Err(CodecError::mismatch(
            path.clone(),
            describe_type(ty),
            value.kind_name(),
        )),
    }
}

pub(crate) fn check_number(n: &Number, path: &[PathStep]) -> Result<(), CodecError> {
    match n {
        Number::Finite(d) => super::number::check_range(d)
            .map_err(|e| CodecError::invalid(path.to_vec(), e.to_string())),
        _ => Ok(()),
    }
}

/// An error naming the attributes of `object` its type does not declare, if there are any.
pub(crate) fn undeclared_attributes(
    path: &[PathStep],
    object: &BTreeMap<String, Value>,
    declared: &BTreeMap<String, Type>,
) -> Result<(), CodecError> {
    let undeclared: Vec<String> = object
        .keys()
        .filter(|k| !declared.contains_key(*k))
        .cloned()
        .collect();
    match undeclared.is_empty() {
        true => Ok(()),
        false => Err(CodecError::new(
            path.to_vec(),
            ErrorKind::UnsupportedAttributes(undeclared),
        )),
    }
}

/// The error for a value an encoder at `path` cannot write as `ty`: what `conforms` says, with
/// its path under `path`, else a plain mismatch.
pub(crate) fn encode_mismatch(path: &[PathStep], value: &Value, ty: &Type) -> CodecError {
    match value.conforms(ty) {
        Err(mut e) => {
            let mut full = path.to_vec();
            full.extend(e.path.0);
            e.path.0 = full;
            e
        }
        Ok(()) => CodecError::mismatch(path.to_vec(), describe_type(ty), value.kind_name()),
    }
}

/// A short human description of a type ("list of string", "object with attributes a, b").
pub fn describe_type(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Number => "number".into(),
        Type::Bool => "bool".into(),
        Type::Dynamic => "dynamic".into(),
        Type::List(e) => format!("list of {}", describe_type(e)),
        Type::Set(e) => format!("set of {}", describe_type(e)),
        Type::Map(e) => format!("map of {}", describe_type(e)),
        Type::Tuple(es) => format!("tuple of {} elements", es.len()),
        Type::Object { attributes, .. } if attributes.is_empty() => "empty object".into(),
        Type::Object { attributes, .. } => format!(
            "object with attributes {}",
            attributes.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::String(s.clone())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(Number::from(n))
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::Number(Number::from(n))
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Number(Number::from(n))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Number(Number::from(n))
    }
}

/// The exact value of the float (see [`Number`]); NaN, which Terraform cannot represent,
/// becomes `Null`.
impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

/// `None` becomes `Null`.
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

/// Null: the value of anything not yet set.
impl Default for Value {
    fn default() -> Self {
        Value::Null
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host_type() -> Type {
        Type::object([
            ("name", Type::String),
            ("id", Type::String),
            ("tags", Type::map(Type::String)),
            ("nics", Type::list(Type::object([("mac", Type::String)]))),
            ("extra", Type::Dynamic),
        ])
    }

    #[test]
    fn debug_hides_string_contents() {
        let v = Value::object([
            ("password", Value::from("hunter2")),
            ("port", Value::from(623)),
            (
                "token",
                Value::Unknown(Refinements {
                    string_prefix: Some("hunt".into()),
                    ..Refinements::default()
                }),
            ),
        ]);
        let debug = format!("{v:?}");
        assert!(!debug.contains("hunt"), "{debug}");
        assert!(
            debug.contains("password") && debug.contains("623"),
            "{debug}"
        );
    }

    #[test]
    fn sets_compare_as_multisets() {
        assert_eq!(Value::set(["a", "b"]), Value::set(["b", "a"]));
        assert_ne!(Value::set(["a", "a"]), Value::set(["a", "b"]));
        assert_ne!(Value::list(["a", "b"]), Value::list(["b", "a"]));
        assert_ne!(Value::set(["a"]), Value::list(["a"]));
    }

    #[test]
    fn knownness_is_recursive() {
        let v = Value::object([("a", Value::list([Value::from(1), Value::unknown()]))]);
        assert!(!v.is_known());
        assert!(!v.is_unknown());
        assert!(v.get("a").unwrap().as_elements().unwrap()[1].is_unknown());
        assert!(Value::dynamic(Type::String, Value::Null).is_null());
        assert!(Value::Null.is_known());
    }

    #[test]
    fn accessors_see_through_dynamic() {
        let v = Value::dynamic(Type::String, "x");
        assert_eq!(v.as_str(), Some("x"));
        assert_eq!(Value::from(7).as_i64(), Some(7));
        assert_eq!(Value::from(1.5).as_f64(), Some(1.5));
        assert_eq!(Value::from(Some(true)).as_bool(), Some(true));
        assert_eq!(Value::from(None::<bool>), Value::Null);
        assert_eq!(Value::from(f64::NAN), Value::Null);
        let v = Value::object([("nics", Value::list([Value::object([("mac", "aa")])]))]);
        let path = AttributePath::root()
            .attribute("nics")
            .index(0)
            .attribute("mac");
        assert_eq!(v.get_path(&path).and_then(Value::as_str), Some("aa"));
        assert_eq!(
            v.get_path(&AttributePath::root().attribute("nics").index(3)),
            None
        );
    }

    #[test]
    fn conforms_names_the_offending_path() {
        let ty = host_type();
        let good = Value::object([
            ("name", Value::from("h1")),
            ("tags", Value::map([("rack", "r1")])),
            (
                "extra",
                Value::dynamic(Type::list(Type::Number), Value::list([1, 2])),
            ),
        ]);
        good.conforms(&ty).unwrap();

        let bad = Value::object([("nics", Value::list([Value::object([("mac", 5)])]))]);
        let err = bad.conforms(&ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            "nics[0].mac: expected string, found a number"
        );

        let bad = Value::object([("nmae", "x")]);
        let err = bad.conforms(&ty).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::UnsupportedAttributes(vec!["nmae".into()])
        );

        let bad = Value::object([("extra", "bare string")]);
        assert_eq!(bad.conforms(&ty).unwrap_err().path.to_string(), "extra");

        let bad = Value::object([(
            "extra",
            Value::dynamic(Type::list(Type::Number), Value::list(["x"])),
        )]);
        assert_eq!(bad.conforms(&ty).unwrap_err().path.to_string(), "extra[0]");

        let prefix_on_number = Value::Unknown(Refinements {
            string_prefix: Some("a".into()),
            ..Refinements::default()
        });
        assert!(prefix_on_number.conforms(&Type::Number).is_err());
        assert!(prefix_on_number.conforms(&Type::String).is_ok());
        assert!(Value::unknown_not_null().conforms(&Type::Dynamic).is_err());

        let bounds = |lower: i64, lower_inc: bool, upper: i64, upper_inc: bool| {
            Value::Unknown(Refinements {
                number_lower: Some((Number::from(lower), lower_inc)),
                number_upper: Some((Number::from(upper), upper_inc)),
                ..Refinements::default()
            })
        };
        assert!(bounds(1, true, 1, true).conforms(&Type::Number).is_ok());
        assert!(bounds(1, false, 1, false).conforms(&Type::Number).is_ok());
        let err = bounds(1, true, 1, false)
            .conforms(&Type::Number)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "number lower bound is above the upper bound"
        );
        assert!(bounds(2, true, 1, true).conforms(&Type::Number).is_err());
        let lengths = |lower: u64, upper: u64| {
            Value::Unknown(Refinements {
                length_lower: Some(lower),
                length_upper: Some(upper),
                ..Refinements::default()
            })
        };
        let list = Type::list(Type::String);
        assert!(lengths(2, 2).conforms(&list).is_ok());
        assert!(lengths(3, 2).conforms(&list).is_err());
        assert!(lengths(0, u64::MAX).conforms(&list).is_err());
        assert!(Value::unknown().conforms(&Type::Dynamic).is_ok());
    }

    #[test]
    fn object_helpers() {
        let ty = host_type();
        let planned = Value::object_unknown_except(&ty, [("name", Value::from("h1"))]).unwrap();
        assert_eq!(planned.get("name").and_then(Value::as_str), Some("h1"));
        assert!(planned.get("id").unwrap().is_unknown());
        assert_eq!(planned.as_map().unwrap().len(), 5);
        let err = Value::object_unknown_except(&ty, [("nope", Value::Null)]).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::UnsupportedAttributes(vec!["nope".into()])
        );
        assert!(
            Value::object_unknown_except(&Type::String, Vec::<(String, Value)>::new()).is_err()
        );

        let nulls = Value::object_of_nulls(&ty);
        assert!(nulls.as_map().unwrap().values().all(Value::is_null));
        assert_eq!(nulls.as_map().unwrap().len(), 5);

        let mut v = Value::object([("name", "a")]);
        assert!(v.set_attr("id", "i-1"));
        assert_eq!(v.get("id").and_then(Value::as_str), Some("i-1"));
        assert!(!Value::from(1).set_attr("x", 1));
    }
}
