//! The value codec: Terraform's cty types and values, and their msgpack/JSON wire forms
//! (hashicorp/terraform docs/plugin-protocol/object-wire-format.md).

pub mod error;
pub mod json;
pub mod msgpack;
pub mod number;
pub mod path;
pub mod shape;
pub mod types;
pub mod value;

pub use error::{CodecError, ErrorKind};
pub use number::{Number, NumberError};
pub use path::{AttributePath, PathStep};
pub use types::{Type, TypeError};
pub use value::{Refinements, Value, MAX_DEPTH};

/// Decodes a protocol `DynamicValue`: msgpack when present, else JSON, else null (the protocol
/// lets Terraform send either; replies are always msgpack).
pub fn decode_dynamic_value(msgpack: &[u8], json: &[u8], ty: &Type) -> Result<Value, CodecError> {
    if !msgpack.is_empty() {
        msgpack::decode(msgpack, ty)
    } else {
        json::decode(json, ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_values_prefer_msgpack_then_json() {
        let ty = Type::String;
        assert_eq!(
            decode_dynamic_value(&[0xa1, b'm'], b"\"j\"", &ty).unwrap(),
            Value::from("m")
        );
        assert_eq!(
            decode_dynamic_value(&[], b"\"j\"", &ty).unwrap(),
            Value::from("j")
        );
        assert_eq!(decode_dynamic_value(&[], &[], &ty).unwrap(), Value::Null);
    }
}
