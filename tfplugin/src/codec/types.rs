//! cty types and their compact JSON form, as Terraform writes them in schemas and `dynamic` values:
//! `"string"`, `["list","string"]`, `["object",{"a":"number"},["a"]]`, ...

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value as Json};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    Number,
    Bool,
    /// cty's "dynamic pseudo-type": the value carries its own type on the wire.
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// Attribute types, and the names of attributes that are optional (the `["opt"]` list).
    Object {
        attributes: BTreeMap<String, Type>,
        optional: BTreeSet<String>,
    },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid cty type JSON: {0}")]
pub struct TypeError(pub String);

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    pub fn object<I, K>(attributes: I) -> Type
    where
        I: IntoIterator<Item = (K, Type)>,
        K: Into<String>,
    {
        Type::Object {
            attributes: attributes.into_iter().map(|(k, t)| (k.into(), t)).collect(),
            optional: BTreeSet::new(),
        }
    }

    /// The compact JSON form Terraform expects in `Schema.Attribute.type`.
    pub fn to_json(&self) -> Json {
        match self {
            Type::String => json!("string"),
            Type::Number => json!("number"),
            Type::Bool => json!("bool"),
            Type::Dynamic => json!("dynamic"),
            Type::List(e) => json!(["list", e.to_json()]),
            Type::Set(e) => json!(["set", e.to_json()]),
            Type::Map(e) => json!(["map", e.to_json()]),
            Type::Tuple(es) => json!(["tuple", es.iter().map(Type::to_json).collect::<Vec<_>>()]),
            Type::Object {
                attributes,
                optional,
            } => {
                let attrs: serde_json::Map<String, Json> = attributes
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect();
                if optional.is_empty() {
                    json!(["object", attrs])
                } else {
                    json!(["object", attrs, optional.iter().collect::<Vec<_>>()])
                }
            }
        }
    }

    pub fn to_json_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.to_json()).expect("a JSON value always serializes")
    }

    pub fn from_json(json: &Json) -> Result<Type, TypeError> {
        let bad = || TypeError(json.to_string());
        match json {
            Json::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                _ => Err(bad()),
            },
            Json::Array(parts) => {
                let kind = parts.first().and_then(Json::as_str).ok_or_else(bad)?;
                let arg = parts.get(1).ok_or_else(bad)?;
                match (kind, parts.len()) {
                    ("list", 2) => Ok(Type::list(Type::from_json(arg)?)),
                    ("set", 2) => Ok(Type::set(Type::from_json(arg)?)),
                    ("map", 2) => Ok(Type::map(Type::from_json(arg)?)),
                    ("tuple", 2) => {
                        let elems = arg.as_array().ok_or_else(bad)?;
                        Ok(Type::Tuple(
                            elems
                                .iter()
                                .map(Type::from_json)
                                .collect::<Result<_, _>>()?,
                        ))
                    }
                    ("object", 2 | 3) => {
                        let attrs = arg.as_object().ok_or_else(bad)?;
                        let attributes = attrs
                            .iter()
                            .map(|(k, v)| Ok((k.clone(), Type::from_json(v)?)))
                            .collect::<Result<BTreeMap<_, _>, TypeError>>()?;
                        let mut optional = BTreeSet::new();
                        if let Some(opt) = parts.get(2) {
                            for name in opt.as_array().ok_or_else(bad)? {
                                let name = name.as_str().ok_or_else(bad)?;
                                if !attributes.contains_key(name) {
                                    return Err(bad());
                                }
                                optional.insert(name.to_owned());
                            }
                        }
                        Ok(Type::Object {
                            attributes,
                            optional,
                        })
                    }
                    _ => Err(bad()),
                }
            }
            _ => Err(bad()),
        }
    }

    pub fn from_json_bytes(bytes: &[u8]) -> Result<Type, TypeError> {
        let json: Json =
            serde_json::from_slice(bytes).map_err(|e| TypeError(format!("not JSON: {e}")))?;
        Type::from_json(&json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_kind() {
        let ty = Type::Object {
            attributes: [
                ("s".to_string(), Type::String),
                ("n".to_string(), Type::list(Type::Number)),
                ("m".to_string(), Type::map(Type::set(Type::Bool))),
                (
                    "t".to_string(),
                    Type::Tuple(vec![Type::Dynamic, Type::String]),
                ),
            ]
            .into_iter()
            .collect(),
            optional: ["m".to_string()].into_iter().collect(),
        };
        let json = ty.to_json();
        assert_eq!(
            json.to_string(),
            r#"["object",{"m":["map",["set","bool"]],"n":["list","number"],"s":"string","t":["tuple",["dynamic","string"]]},["m"]]"#
        );
        assert_eq!(Type::from_json(&json).unwrap(), ty);
    }

    #[test]
    fn rejects_malformed_types() {
        for bad in [
            r#""str""#,
            r#"["list"]"#,
            r#"["object",{"a":"string"},["b"]]"#,
            "42",
        ] {
            assert!(
                Type::from_json_bytes(bad.as_bytes()).is_err(),
                "{bad} accepted"
            );
        }
    }
}
