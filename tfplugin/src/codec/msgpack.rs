//! The msgpack form of DynamicValue (what Terraform sends and what we must reply with).
//!
//! Follows go-cty's `cty/msgpack`: objects are maps with every attribute (nil for null), numbers
//! are int64 / float64 / decimal string (whichever is exact), `dynamic` is
//! `[bin(type JSON), value]`, unknowns are extensions (`d4 00 00`, or code 12 with refinements).
//! Decoding never trusts lengths in the input for allocation and bounds nesting depth.

use std::collections::BTreeMap;

use rmp::Marker;

use super::error::{CodecError, ErrorKind};
use super::number::Number;
use super::path::PathStep;
use super::types::Type;
use super::value::MAX_DEPTH;
use super::value::{
    check_number, describe_type, encode_mismatch, undeclared_attributes, Refinements, Value,
};

/// The extension code Terraform uses for unknowns carrying refinements.
const REFINED_UNKNOWN_EXT: i8 = 12;
/// Terraform refuses refinement payloads larger than this; we ignore them.
const MAX_REFINEMENT_PAYLOAD: usize = 1024;
/// A wholly unknown value, exactly as Terraform writes it.
pub const PLAIN_UNKNOWN: [u8; 3] = [0xd4, 0x00, 0x00];

const REFINE_NULLNESS: i64 = 1;
const REFINE_STRING_PREFIX: i64 = 2;
const REFINE_NUMBER_LOWER: i64 = 3;
const REFINE_NUMBER_UPPER: i64 = 4;
const REFINE_LENGTH_LOWER: i64 = 5;
const REFINE_LENGTH_UPPER: i64 = 6;

/// Decodes a value of `ty`. Empty input is null (Terraform sends that for absent values).
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let mut decoder = Decoder {
        reader: Reader { buf: bytes, pos: 0 },
        path: Vec::new(),
    };
    let value = decoder.value(ty, 0)?;
    let rest = bytes.len() - decoder.reader.pos;
    if rest > 0 {
        return Err(CodecError::new(Vec::new(), ErrorKind::TrailingData(rest)));
    }
    Ok(value)
}

/// Encodes `value` as `ty`; fails (naming the path) if the value does not conform.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut encoder = Encoder {
        out: Vec::new(),
        path: Vec::new(),
    };
    encoder.value(value, ty)?;
    Ok(encoder.out)
}

/// The encoding of an object of `ty` whose attributes are all unknown except `known`
/// (see [`Value::object_unknown_except`]).
pub fn encode_unknown_except<I, K>(ty: &Type, known: I) -> Result<Vec<u8>, CodecError>
where
    I: IntoIterator<Item = (K, Value)>,
    K: Into<String>,
{
    encode(&Value::object_unknown_except(ty, known)?, ty)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// One msgpack item: scalars complete, containers as their element counts.
enum Item<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    F32(f32),
    F64(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Ext(i8, &'a [u8]),
}

impl Item<'_> {
    fn describe(&self) -> String {
        match self {
            Item::Nil => "nil".into(),
            Item::Bool(_) => "a bool".into(),
            Item::Int(_) | Item::Uint(_) => "an integer".into(),
            Item::F32(_) | Item::F64(_) => "a float".into(),
            Item::Str(_) => "a string".into(),
            Item::Bin(_) => "binary data".into(),
            Item::Array(n) => format!("an array of {n} elements"),
            Item::Map(n) => format!("a map of {n} entries"),
            Item::Ext(..) => "an extension".into(),
        }
    }
}

enum ReadError {
    Truncated,
    Reserved,
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        if n > self.remaining() {
            return Err(ReadError::Truncated);
        }
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<usize, ReadError> {
        Ok(u16::from_be_bytes(self.array()?) as usize)
    }

    fn u32(&mut self) -> Result<usize, ReadError> {
        Ok(u32::from_be_bytes(self.array()?) as usize)
    }

    fn item(&mut self) -> Result<Item<'a>, ReadError> {
        let item = match Marker::from_u8(self.u8()?) {
            Marker::FixPos(n) => Item::Int(n as i64),
            Marker::FixNeg(n) => Item::Int(n as i64),
            Marker::Null => Item::Nil,
            Marker::True => Item::Bool(true),
            Marker::False => Item::Bool(false),
            Marker::U8 => Item::Uint(self.u8()? as u64),
            Marker::U16 => Item::Uint(self.u16()? as u64),
            Marker::U32 => Item::Uint(self.u32()? as u64),
            Marker::U64 => Item::Uint(u64::from_be_bytes(self.array()?)),
            Marker::I8 => Item::Int(i8::from_be_bytes(self.array()?) as i64),
            Marker::I16 => Item::Int(i16::from_be_bytes(self.array()?) as i64),
            Marker::I32 => Item::Int(i32::from_be_bytes(self.array()?) as i64),
            Marker::I64 => Item::Int(i64::from_be_bytes(self.array()?)),
            Marker::F32 => Item::F32(f32::from_be_bytes(self.array()?)),
            Marker::F64 => Item::F64(f64::from_be_bytes(self.array()?)),
            Marker::FixStr(n) => Item::Str(self.take(n as usize)?),
            Marker::Str8 => {
                let n = self.u8()? as usize;
                Item::Str(self.take(n)?)
            }
            Marker::Str16 => {
                let n = self.u16()?;
                Item::Str(self.take(n)?)
            }
            Marker::Str32 => {
                let n = self.u32()?;
                Item::Str(self.take(n)?)
            }
            Marker::Bin8 => {
                let n = self.u8()? as usize;
                Item::Bin(self.take(n)?)
            }
            Marker::Bin16 => {
                let n = self.u16()?;
                Item::Bin(self.take(n)?)
            }
            Marker::Bin32 => {
                let n = self.u32()?;
                Item::Bin(self.take(n)?)
            }
            Marker::FixArray(n) => Item::Array(n as usize),
            Marker::Array16 => Item::Array(self.u16()?),
            Marker::Array32 => Item::Array(self.u32()?),
            Marker::FixMap(n) => Item::Map(n as usize),
            Marker::Map16 => Item::Map(self.u16()?),
            Marker::Map32 => Item::Map(self.u32()?),
            Marker::FixExt1 => self.ext(1)?,
            Marker::FixExt2 => self.ext(2)?,
            Marker::FixExt4 => self.ext(4)?,
            Marker::FixExt8 => self.ext(8)?,
            Marker::FixExt16 => self.ext(16)?,
            Marker::Ext8 => {
                let n = self.u8()? as usize;
                self.ext(n)?
            }
            Marker::Ext16 => {
                let n = self.u16()?;
                self.ext(n)?
            }
            Marker::Ext32 => {
                let n = self.u32()?;
                self.ext(n)?
            }
            Marker::Reserved => return Err(ReadError::Reserved),
        };
        Ok(item)
    }

    fn ext(&mut self, len: usize) -> Result<Item<'a>, ReadError> {
        let code = self.u8()? as i8;
        Ok(Item::Ext(code, self.take(len)?))
    }

    /// Skips one complete item (for refinement keys we do not know).
    fn skip(&mut self, depth: usize) -> Result<(), ReadError> {
        if depth > MAX_DEPTH {
            return Err(ReadError::Reserved);
        }
        let count = match self.item()? {
            Item::Array(n) => n,
            Item::Map(n) => n.saturating_mul(2),
            _ => 0,
        };
        for _ in 0..count {
            self.skip(depth + 1)?;
        }
        Ok(())
    }
}

struct Decoder<'a> {
    reader: Reader<'a>,
    path: Vec<PathStep>,
}

impl<'a> Decoder<'a> {
    fn item(&mut self) -> Result<Item<'a>, CodecError> {
        let path = &self.path;
        self.reader.item().map_err(|e| match e {
            ReadError::Truncated => CodecError::new(path.clone(), ErrorKind::Truncated),
            ReadError::Reserved => {
                CodecError::invalid(path.clone(), "invalid msgpack (reserved byte 0xc1)")
            }
        })
    }

    fn mismatch(&self, ty: &Type, found: &Item) -> CodecError {
        CodecError::mismatch(self.path.clone(), describe_type(ty), found.describe())
    }

    /// Room for at most as many elements as bytes remain: every element takes at least one.
    fn capacity(&self, n: usize) -> usize {
        n.min(self.reader.remaining())
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, CodecError> {
        if depth > MAX_DEPTH {
            return Err(CodecError::new(
                self.path.clone(),
                ErrorKind::TooDeep(MAX_DEPTH),
            ));
        }
        let item = self.item()?;
        if let Item::Ext(code, payload) = item {
            return Ok(Value::Unknown(refinements(code, payload, ty)));
        }
        if *ty == Type::Dynamic {
            return self.dynamic(item, depth);
        }
        if let Item::Nil = item {
            return Ok(Value::Null);
        }
        match (ty, item) {
            (Type::Bool, Item::Bool(b)) => Ok(Value::Bool(b)),
            (Type::String, Item::Str(bytes) | Item::Bin(bytes)) => match std::str::from_utf8(bytes)
            {
                Ok(s) => Ok(Value::String(s.to_owned())),
                Err(_) => Err(CodecError::mismatch(
                    self.path.clone(),
                    "string",
                    "a string that is not valid UTF-8",
                )),
            },
            (Type::Number, item) => number(&item)
                .map(Value::Number)
                .map_err(|found| CodecError::mismatch(self.path.clone(), "number", found)),
            (Type::List(ety), Item::Array(n)) => self.elements(ety, n, depth).map(Value::List),
            (Type::Set(ety), Item::Array(n)) => self.elements(ety, n, depth).map(Value::Set),
            (Type::Tuple(etys), Item::Array(n)) => {
                if n != etys.len() {
                    return Err(CodecError::mismatch(
                        self.path.clone(),
                        format!("an array of {} elements", etys.len()),
                        format!("an array of {n} elements"),
                    ));
                }
                let mut out = Vec::with_capacity(etys.len());
                for (i, ety) in etys.iter().enumerate() {
                    self.path.push(PathStep::ElementKeyInt(i as i64));
                    out.push(self.value(ety, depth + 1)?);
                    self.path.pop();
                }
                Ok(Value::Tuple(out))
            }
            (Type::Map(ety), Item::Map(n)) => {
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let key = self.key()?;
                    self.path.push(PathStep::ElementKeyString(key.clone()));
                    let v = self.value(ety, depth + 1)?;
                    self.path.pop();
                    if out.insert(key.clone(), v).is_some() {
                        return Err(CodecError::new(
                            self.path.clone(),
                            ErrorKind::DuplicateKey(key),
                        ));
                    }
                }
                Ok(Value::Map(out))
            }
            (Type::Object { attributes, .. }, Item::Map(n)) => {
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let key = self.key()?;
                    let Some(aty) = attributes.get(&key) else {
                        return Err(CodecError::new(
                            self.path.clone(),
                            ErrorKind::UnsupportedAttributes(vec![key]),
                        ));
                    };
                    self.path.push(PathStep::Attribute(key.clone()));
                    let v = self.value(aty, depth + 1)?;
                    self.path.pop();
                    if out.insert(key.clone(), v).is_some() {
                        return Err(CodecError::new(
                            self.path.clone(),
                            ErrorKind::DuplicateKey(key),
                        ));
                    }
                }
                let missing: Vec<String> = attributes
                    .keys()
                    .filter(|k| !out.contains_key(*k))
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    return Err(CodecError::new(
                        self.path.clone(),
                        ErrorKind::MissingAttributes(missing),
                    ));
                }
                Ok(Value::Object(out))
            }
            (ty, item) => Err(self.mismatch(ty, &item)),
        }
    }

    fn elements(&mut self, ety: &Type, n: usize, depth: usize) -> Result<Vec<Value>, CodecError> {
        let mut out = Vec::with_capacity(self.capacity(n));
        for i in 0..n {
            self.path.push(PathStep::ElementKeyInt(i as i64));
            out.push(self.value(ety, depth + 1)?);
            self.path.pop();
        }
        Ok(out)
    }

    fn key(&mut self) -> Result<String, CodecError> {
        match self.item()? {
            Item::Str(bytes) => match std::str::from_utf8(bytes) {
                Ok(s) => Ok(s.to_owned()),
                Err(_) => Err(CodecError::mismatch(
                    self.path.clone(),
                    "a string key",
                    "a key that is not valid UTF-8",
                )),
            },
            other => {
                let found = other.describe();
                Err(CodecError::mismatch(
                    self.path.clone(),
                    "a string key",
                    found,
                ))
            }
        }
    }

    /// `[bin(type JSON), value]`, or nil for the null of the dynamic pseudo-type.
    fn dynamic(&mut self, item: Item<'a>, depth: usize) -> Result<Value, CodecError> {
        match item {
            Item::Nil => Ok(Value::Null),
            Item::Array(2) => {
                let type_json = match self.item()? {
                    Item::Bin(b) | Item::Str(b) => b,
                    other => {
                        let found = other.describe();
                        return Err(CodecError::mismatch(
                            self.path.clone(),
                            "the value's type as binary JSON",
                            found,
                        ));
                    }
                };
                let ty = Type::from_json_bytes(type_json).map_err(|e| {
                    CodecError::invalid(self.path.clone(), format!("dynamic value: {e}"))
                })?;
                let inner = self.value(&ty, depth + 1)?;
                Ok(match ty {
                    // A value typed "dynamic" is itself a dynamic-position value.
                    Type::Dynamic => inner,
                    ty => Value::Dynamic(ty, Box::new(inner)),
                })
            }
            other => Err(CodecError::mismatch(
                self.path.clone(),
                "a dynamic value ([type, value] array)",
                other.describe(),
            )),
        }
    }
}

/// A number from any of the encodings Terraform accepts; on failure, what was found instead.
fn number(item: &Item) -> Result<Number, String> {
    let result = match item {
        Item::Int(i) => Ok(Number::from(*i)),
        Item::Uint(u) => Ok(Number::from(*u)),
        Item::F32(f) => Number::from_f64(*f as f64),
        Item::F64(f) => Number::from_f64(*f),
        Item::Str(bytes) => {
            let text = std::str::from_utf8(bytes).map_err(|_| "a non-UTF-8 string".to_string())?;
            Number::parse(text)
        }
        other => return Err(other.describe()),
    };
    result.map_err(|e| match item {
        Item::Str(_) => format!("a string that is not a usable number ({e})"),
        _ => e.to_string(),
    })
}

/// The refinements in an unknown's extension payload, kept where they apply to `ty`.
/// Refinements are optional knowledge, so anything malformed is dropped rather than refused:
/// a payload of at most one byte, another extension code, an oversized or unparsable payload
/// all mean "wholly unknown"; so do contradictory bounds (which Terraform never sends).
fn refinements(code: i8, payload: &[u8], ty: &Type) -> Refinements {
    if payload.len() <= 1 || code != REFINED_UNKNOWN_EXT || payload.len() > MAX_REFINEMENT_PAYLOAD {
        return Refinements::default();
    }
    parse_refinements(payload)
        .filter(|r| r.inconsistency().is_none())
        .map(|r| r.retain_applicable(ty))
        .unwrap_or_default()
}

fn parse_refinements(payload: &[u8]) -> Option<Refinements> {
    let mut reader = Reader {
        buf: payload,
        pos: 0,
    };
    let Ok(Item::Map(n)) = reader.item() else {
        return None;
    };
    let mut out = Refinements::default();
    for _ in 0..n {
        let key = match reader.item().ok()? {
            Item::Int(i) => i,
            Item::Uint(u) => i64::try_from(u).unwrap_or(i64::MAX),
            _ => return None,
        };
        match key {
            REFINE_NULLNESS => match reader.item().ok()? {
                Item::Bool(b) => out.nullness = Some(b),
                _ => return None,
            },
            REFINE_STRING_PREFIX => match reader.item().ok()? {
                Item::Str(b) => out.string_prefix = Some(std::str::from_utf8(b).ok()?.to_owned()),
                _ => return None,
            },
            REFINE_NUMBER_LOWER | REFINE_NUMBER_UPPER => {
                let Ok(Item::Array(2)) = reader.item() else {
                    return None;
                };
                let bound = number(&reader.item().ok()?).ok()?;
                let Ok(Item::Bool(inclusive)) = reader.item() else {
                    return None;
                };
                let slot = if key == REFINE_NUMBER_LOWER {
                    &mut out.number_lower
                } else {
                    &mut out.number_upper
                };
                *slot = Some((bound, inclusive));
            }
            REFINE_LENGTH_LOWER | REFINE_LENGTH_UPPER => {
                let bound = match reader.item().ok()? {
                    Item::Int(i) => u64::try_from(i).ok()?,
                    Item::Uint(u) => u,
                    _ => return None,
                };
                if key == REFINE_LENGTH_LOWER {
                    out.length_lower = Some(bound);
                } else {
                    out.length_upper = Some(bound);
                }
            }
            // Later Terraform versions may add refinements; they are safe to ignore.
            _ => reader.skip(0).ok()?,
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Writing

struct Encoder {
    out: Vec<u8>,
    path: Vec<PathStep>,
}

/// Writing to a `Vec` cannot fail; this keeps the signatures honest without panicking.
fn written<T, E>(result: Result<T, E>) -> Result<(), CodecError> {
    result
        .map(|_| ())
        .map_err(|_| CodecError::invalid(Vec::new(), "msgpack write failed"))
}

impl Encoder {
    fn len(&self, n: usize) -> Result<u32, CodecError> {
        u32::try_from(n)
            .map_err(|_| CodecError::invalid(self.path.clone(), "too many elements for msgpack"))
    }

    fn value(&mut self, value: &Value, ty: &Type) -> Result<(), CodecError> {
        if self.path.len() > MAX_DEPTH {
            return Err(CodecError::new(
                self.path.clone(),
                ErrorKind::TooDeep(MAX_DEPTH),
            ));
        }
        match (value, ty) {
            (Value::Null, _) => written(rmp::encode::write_nil(&mut self.out)),
            (Value::Unknown(refinements), ty) => {
                refinements.check(ty, &self.path)?;
                self.unknown(refinements)
            }
            (Value::Dynamic(inner_ty, inner), Type::Dynamic) if *inner_ty != Type::Dynamic => {
                written(rmp::encode::write_array_len(&mut self.out, 2))?;
                let type_json = inner_ty.to_json_bytes();
                let n = self.len(type_json.len())?;
                written(rmp::encode::write_bin_len(&mut self.out, n))?;
                self.out.extend_from_slice(&type_json);
                self.value(inner, inner_ty)
            }
            (Value::Bool(b), Type::Bool) => written(rmp::encode::write_bool(&mut self.out, *b)),
            (Value::String(s), Type::String) => {
                let n = self.len(s.len())?;
                written(rmp::encode::write_str_len(&mut self.out, n))?;
                self.out.extend_from_slice(s.as_bytes());
                Ok(())
            }
            (Value::Number(n), Type::Number) => {
                check_number(n, &self.path)?;
                write_number(&mut self.out, n)
            }
            (Value::List(xs), Type::List(ety)) | (Value::Set(xs), Type::Set(ety)) => {
                let n = self.len(xs.len())?;
                written(rmp::encode::write_array_len(&mut self.out, n))?;
                for (i, x) in xs.iter().enumerate() {
                    self.path.push(PathStep::ElementKeyInt(i as i64));
                    self.value(x, ety)?;
                    self.path.pop();
                }
                Ok(())
            }
            (Value::Tuple(xs), Type::Tuple(etys)) if xs.len() == etys.len() => {
                let n = self.len(xs.len())?;
                written(rmp::encode::write_array_len(&mut self.out, n))?;
                for (i, (x, ety)) in xs.iter().zip(etys).enumerate() {
                    self.path.push(PathStep::ElementKeyInt(i as i64));
                    self.value(x, ety)?;
                    self.path.pop();
                }
                Ok(())
            }
            (Value::Map(m), Type::Map(ety)) => {
                let n = self.len(m.len())?;
                written(rmp::encode::write_map_len(&mut self.out, n))?;
                for (k, x) in m {
                    self.key(k)?;
                    self.path.push(PathStep::ElementKeyString(k.clone()));
                    self.value(x, ety)?;
                    self.path.pop();
                }
                Ok(())
            }
            (Value::Object(m), Type::Object { attributes, .. }) => {
                undeclared_attributes(&self.path, m, attributes)?;
                let n = self.len(attributes.len())?;
                written(rmp::encode::write_map_len(&mut self.out, n))?;
                for (k, aty) in attributes {
                    self.key(k)?;
                    self.path.push(PathStep::Attribute(k.clone()));
                    self.value(m.get(k).unwrap_or(&Value::Null), aty)?;
                    self.path.pop();
                }
                Ok(())
            }
            // Everything else is a mismatch; conforms() words it (and checks the inner cases).
            (value, ty) => Err(encode_mismatch(&self.path, value, ty)),
        }
    }

    fn key(&mut self, key: &str) -> Result<(), CodecError> {
        let n = self.len(key.len())?;
        written(rmp::encode::write_str_len(&mut self.out, n))?;
        self.out.extend_from_slice(key.as_bytes());
        Ok(())
    }

    /// `d4 00 00`, or extension 12 with the refinement map (never an empty map).
    fn unknown(&mut self, r: &Refinements) -> Result<(), CodecError> {
        if r.is_empty() {
            self.out.extend_from_slice(&PLAIN_UNKNOWN);
            return Ok(());
        }
        let mut body = Vec::new();
        let mut entries = 0u32;
        if let Some(is_null) = r.nullness {
            entries += 1;
            written(rmp::encode::write_sint(&mut body, REFINE_NULLNESS))?;
            written(rmp::encode::write_bool(&mut body, is_null))?;
        }
        if let Some(prefix) = &r.string_prefix {
            entries += 1;
            written(rmp::encode::write_sint(&mut body, REFINE_STRING_PREFIX))?;
            written(rmp::encode::write_str(&mut body, prefix))?;
        }
        for (key, bound) in [
            (REFINE_NUMBER_LOWER, &r.number_lower),
            (REFINE_NUMBER_UPPER, &r.number_upper),
        ] {
            if let Some((n, inclusive)) = bound {
                entries += 1;
                written(rmp::encode::write_sint(&mut body, key))?;
                written(rmp::encode::write_array_len(&mut body, 2))?;
                write_number(&mut body, n)?;
                written(rmp::encode::write_bool(&mut body, *inclusive))?;
            }
        }
        for (key, bound) in [
            (REFINE_LENGTH_LOWER, r.length_lower),
            (REFINE_LENGTH_UPPER, r.length_upper),
        ] {
            if let Some(n) = bound {
                entries += 1;
                written(rmp::encode::write_sint(&mut body, key))?;
                written(rmp::encode::write_uint(&mut body, n))?;
            }
        }
        let mut payload = Vec::with_capacity(body.len() + 5);
        written(rmp::encode::write_map_len(&mut payload, entries))?;
        payload.extend_from_slice(&body);
        if payload.len() > MAX_REFINEMENT_PAYLOAD {
            // Terraform would refuse it; refinements are optional, so say less instead.
            self.out.extend_from_slice(&PLAIN_UNKNOWN);
            return Ok(());
        }
        let n = self.len(payload.len())?;
        written(rmp::encode::write_ext_meta(
            &mut self.out,
            n,
            REFINED_UNKNOWN_EXT,
        ))?;
        self.out.extend_from_slice(&payload);
        Ok(())
    }
}

/// int64 if an integer in range, float64 if exactly one, else the decimal string; ±Inf as
/// float64. This is the order go-cty tries.
fn write_number(out: &mut Vec<u8>, n: &Number) -> Result<(), CodecError> {
    if let Some(i) = n.as_i64() {
        written(rmp::encode::write_sint(out, i))
    } else if let Some(f) = n.as_exact_f64() {
        written(rmp::encode::write_f64(out, f))
    } else {
        written(rmp::encode::write_str(out, &n.to_string()))
    }
}
