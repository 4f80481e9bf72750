//! The JSON form of values: `DynamicValue.json` and the stored state in `RawState.json`
//! (UpgradeResourceState, UpgradeResourceIdentity, MoveResourceState). Follows go-cty's
//! `cty/json`: objects and maps are JSON objects, lists/sets/tuples arrays, numbers JSON numbers
//! of any size, `dynamic` is `{"value": V, "type": T}`. JSON has no unknowns.
//!
//! Like cty, decoding converts between primitives where the text is unambiguous (a number or
//! bool where a string is expected, `"12"` for a number, `"true"` for a bool), and fills
//! attributes missing from an object with null.

use std::collections::BTreeMap;

use serde_json::{Map as JsonMap, Value as Json};

use super::error::{CodecError, ErrorKind};
use super::number::Number;
use super::path::PathStep;
use super::types::Type;
use super::value::MAX_DEPTH;
use super::value::{check_number, describe_type, encode_mismatch, Value};

/// Decodes a value of `ty`; an object key the type does not declare is an error naming it.
/// Empty input is null.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    decode_with(bytes, ty, false)
}

/// Like [`decode`], but drops object keys the type does not declare (at any depth): for state
/// written by an older schema that had attributes since removed.
pub fn decode_lenient(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    decode_with(bytes, ty, true)
}

/// Encodes `value` as `ty`. Fails on unknowns and infinities, which JSON cannot carry.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let json = Encoder { path: Vec::new() }.value(value, ty)?;
    serde_json::to_vec(&json).map_err(|e| CodecError::invalid(Vec::new(), e.to_string()))
}

fn decode_with(bytes: &[u8], ty: &Type, lenient: bool) -> Result<Value, CodecError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    // serde_json refuses nesting beyond 128 levels itself, so parsing cannot overflow the stack.
    let json: Json = serde_json::from_slice(bytes)
        .map_err(|e| CodecError::invalid(Vec::new(), format!("invalid JSON: {e}")))?;
    Decoder {
        lenient,
        path: Vec::new(),
    }
    .value(&json, ty, 0)
}

fn describe(json: &Json) -> String {
    match json {
        Json::Null => "null".into(),
        Json::Bool(_) => "a bool".into(),
        Json::Number(_) => "a number".into(),
        Json::String(_) => "a string".into(),
        Json::Array(xs) => format!("an array of {} elements", xs.len()),
        Json::Object(_) => "an object".into(),
    }
}

struct Decoder {
    lenient: bool,
    path: Vec<PathStep>,
}

impl Decoder {
    fn mismatch(&self, ty: &Type, found: &Json) -> CodecError {
        CodecError::mismatch(self.path.clone(), describe_type(ty), describe(found))
    }

    fn value(&mut self, json: &Json, ty: &Type, depth: usize) -> Result<Value, CodecError> {
        if depth > MAX_DEPTH {
            return Err(CodecError::new(
                self.path.clone(),
                ErrorKind::TooDeep(MAX_DEPTH),
            ));
        }
        match (ty, json) {
            (_, Json::Null) => Ok(Value::Null),
            (Type::Dynamic, Json::Object(fields)) => self.dynamic(fields, depth),
            (Type::String, Json::String(s)) => Ok(Value::String(s.clone())),
            (Type::String, Json::Number(n)) => Ok(Value::String(n.to_string())),
            (Type::String, Json::Bool(b)) => Ok(Value::String(b.to_string())),
            (Type::Number, Json::Number(n)) => self.number(&n.to_string(), "a number"),
            (Type::Number, Json::String(s)) => self.number(s, "a string"),
            (Type::Bool, Json::Bool(b)) => Ok(Value::Bool(*b)),
            (Type::Bool, Json::String(s)) if s == "true" || s == "false" => {
                Ok(Value::Bool(s == "true"))
            }
            (Type::List(ety), Json::Array(xs)) => self.elements(xs, ety, depth).map(Value::List),
            (Type::Set(ety), Json::Array(xs)) => self.elements(xs, ety, depth).map(Value::Set),
            (Type::Tuple(etys), Json::Array(xs)) => {
                if xs.len() != etys.len() {
                    return Err(CodecError::mismatch(
                        self.path.clone(),
                        format!("an array of {} elements", etys.len()),
                        describe(json),
                    ));
                }
                let mut out = Vec::with_capacity(xs.len());
                for (i, (x, ety)) in xs.iter().zip(etys).enumerate() {
                    self.path.push(PathStep::ElementKeyInt(i as i64));
                    out.push(self.value(x, ety, depth + 1)?);
                    self.path.pop();
                }
                Ok(Value::Tuple(out))
            }
            (Type::Map(ety), Json::Object(fields)) => {
                let mut out = BTreeMap::new();
                for (k, x) in fields {
                    self.path.push(PathStep::ElementKeyString(k.clone()));
                    out.insert(k.clone(), self.value(x, ety, depth + 1)?);
                    self.path.pop();
                }
                Ok(Value::Map(out))
            }
            (Type::Object { attributes, .. }, Json::Object(fields)) => {
                let unsupported: Vec<String> = fields
                    .keys()
                    .filter(|k| !attributes.contains_key(*k))
                    .cloned()
                    .collect();
                if !unsupported.is_empty() && !self.lenient {
                    return Err(CodecError::new(
                        self.path.clone(),
                        ErrorKind::UnsupportedAttributes(unsupported),
                    ));
                }
                let mut out = BTreeMap::new();
                for (k, aty) in attributes {
                    let v = match fields.get(k) {
                        None => Value::Null,
                        Some(x) => {
                            self.path.push(PathStep::Attribute(k.clone()));
                            let v = self.value(x, aty, depth + 1)?;
                            self.path.pop();
                            v
                        }
                    };
                    out.insert(k.clone(), v);
                }
                Ok(Value::Object(out))
            }
            (ty, json) => Err(self.mismatch(ty, json)),
        }
    }

    fn number(&self, text: &str, found: &str) -> Result<Value, CodecError> {
        Number::parse(text).map(Value::Number).map_err(|e| {
            CodecError::mismatch(
                self.path.clone(),
                "number",
                format!("{found} that is not a usable number ({e})"),
            )
        })
    }

    fn elements(
        &mut self,
        xs: &[Json],
        ety: &Type,
        depth: usize,
    ) -> Result<Vec<Value>, CodecError> {
        let mut out = Vec::with_capacity(xs.len());
        for (i, x) in xs.iter().enumerate() {
            self.path.push(PathStep::ElementKeyInt(i as i64));
            out.push(self.value(x, ety, depth + 1)?);
            self.path.pop();
        }
        Ok(out)
    }

    /// `{"value": V, "type": T}`; both keys required, no others.
    fn dynamic(
        &mut self,
        fields: &JsonMap<String, Json>,
        depth: usize,
    ) -> Result<Value, CodecError> {
        if let Some(other) = fields.keys().find(|k| *k != "type" && *k != "value") {
            return Err(CodecError::invalid(
                self.path.clone(),
                format!("invalid key {other:?} in a dynamic value (only \"value\" and \"type\")"),
            ));
        }
        let (Some(type_json), Some(value)) = (fields.get("type"), fields.get("value")) else {
            return Err(CodecError::invalid(
                self.path.clone(),
                "a dynamic value needs both \"value\" and \"type\"",
            ));
        };
        let ty = Type::from_json(type_json)
            .map_err(|e| CodecError::invalid(self.path.clone(), format!("dynamic value: {e}")))?;
        let inner = self.value(value, &ty, depth + 1)?;
        Ok(match ty {
            Type::Dynamic => inner,
            ty => Value::Dynamic(ty, Box::new(inner)),
        })
    }
}

struct Encoder {
    path: Vec<PathStep>,
}

impl Encoder {
    fn value(&mut self, value: &Value, ty: &Type) -> Result<Json, CodecError> {
        if self.path.len() > MAX_DEPTH {
            return Err(CodecError::new(
                self.path.clone(),
                ErrorKind::TooDeep(MAX_DEPTH),
            ));
        }
        match (value, ty) {
            (Value::Null, _) => Ok(Json::Null),
            (Value::Unknown(_), _) => Err(CodecError::invalid(
                self.path.clone(),
                "an unknown value cannot be written as JSON",
            )),
            (Value::Dynamic(inner_ty, inner), Type::Dynamic) if *inner_ty != Type::Dynamic => {
                let mut fields = JsonMap::new();
                fields.insert("value".into(), self.value(inner, inner_ty)?);
                fields.insert("type".into(), inner_ty.to_json());
                Ok(Json::Object(fields))
            }
            (Value::Bool(b), Type::Bool) => Ok(Json::Bool(*b)),
            (Value::String(s), Type::String) => Ok(Json::String(s.clone())),
            (Value::Number(n), Type::Number) => {
                check_number(n, &self.path)?;
                if n.is_infinite() {
                    return Err(CodecError::invalid(
                        self.path.clone(),
                        "an infinite number cannot be written as JSON",
                    ));
                }
                // The canonical text is valid JSON number syntax; arbitrary_precision keeps it.
                serde_json::from_str::<serde_json::Number>(&n.to_string())
                    .map(Json::Number)
                    .map_err(|e| CodecError::invalid(self.path.clone(), e.to_string()))
            }
            (Value::List(xs), Type::List(ety)) | (Value::Set(xs), Type::Set(ety)) => {
                self.elements(xs.iter().zip(std::iter::repeat(&**ety)))
            }
            (Value::Tuple(xs), Type::Tuple(etys)) if xs.len() == etys.len() => {
                self.elements(xs.iter().zip(etys))
            }
            (Value::Map(m), Type::Map(ety)) => {
                let mut fields = JsonMap::new();
                for (k, x) in m {
                    self.path.push(PathStep::ElementKeyString(k.clone()));
                    fields.insert(k.clone(), self.value(x, ety)?);
                    self.path.pop();
                }
                Ok(Json::Object(fields))
            }
            (Value::Object(m), Type::Object { attributes, .. })
                if m.keys().all(|k| attributes.contains_key(k)) =>
            {
                let mut fields = JsonMap::new();
                for (k, aty) in attributes {
                    self.path.push(PathStep::Attribute(k.clone()));
                    fields.insert(
                        k.clone(),
                        self.value(m.get(k).unwrap_or(&Value::Null), aty)?,
                    );
                    self.path.pop();
                }
                Ok(Json::Object(fields))
            }
            // Everything else is a mismatch; conforms() words it.
            (value, ty) => Err(encode_mismatch(&self.path, value, ty)),
        }
    }

    fn elements<'v>(
        &mut self,
        items: impl Iterator<Item = (&'v Value, &'v Type)>,
    ) -> Result<Json, CodecError> {
        let mut out = Vec::new();
        for (i, (x, ety)) in items.enumerate() {
            self.path.push(PathStep::ElementKeyInt(i as i64));
            out.push(self.value(x, ety)?);
            self.path.pop();
        }
        Ok(Json::Array(out))
    }
}
