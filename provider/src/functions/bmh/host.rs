//! A host as the BareMetalHost functions exchange it with configuration: the resource's own
//! model ([`HostConfig`]) for the arguments a BareMetalHost carries, plus what a BareMetalHost
//! has beyond the resource (the Secrets it refers to, by name, and its labels; see
//! [`fields`]). Its object type is derived from the model, so an argument added to the resource
//! appears here unless `fields::NOT_CARRIED` says why a BareMetalHost cannot carry it.

use std::collections::BTreeMap;

use super::fields::{self, Handling, CREDENTIALS_NAME, LABELS};
use crate::codec::{Type, Value};
use crate::host::arguments::{Field, HostConfig};
use crate::schema::{Attribute, ObjectNesting};
use tfplugin::model::Model;

const H: crate::host::arguments::HostConfigNames = HostConfig::NAMES;

#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    /// The resource's arguments. One left null that has a default reads as the default, as the
    /// resource would apply it; [`Host::given`] tells the two apart.
    pub config: HostConfig,
    /// Paths of the arguments with a default that the host object left null.
    pub defaulted: Vec<Vec<String>>,
    /// `bmc.credentials_name`: the Secret holding the BMC credentials.
    pub credentials_name: Option<String>,
    pub user_data_secret: Option<String>,
    pub network_data_secret: Option<String>,
    pub meta_data_secret: Option<String>,
    pub labels: BTreeMap<String, String>,
}

impl Host {
    /// A host object (the resource itself, or an object of its arguments) already checked by
    /// `arguments::check`.
    pub fn from_value(value: &Value) -> Result<Host, String> {
        let config = HostConfig::from_value(value).map_err(|errors| {
            errors
                .first()
                .map_or_else(String::new, |d| d.detail.clone())
        })?;
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
        let labels = value
            .get(LABELS)
            .and_then(Value::as_map)
            .map(|map| {
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Host {
            config,
            defaulted: defaulted(&HostConfig::block().attributes, value, &[]),
            credentials_name: text(value.get(H.bmc).and_then(|b| b.get(CREDENTIALS_NAME))),
            user_data_secret: text(value.get(fields::USER_DATA_SECRET)),
            network_data_secret: text(value.get(fields::NETWORK_DATA_SECRET)),
            meta_data_secret: text(value.get(fields::META_DATA_SECRET)),
            labels,
        })
    }

    /// The host object: the carried arguments (`host_type`'s keys), then the keys beyond them.
    pub fn to_value(&self) -> Value {
        let mut value = project(&self.config.encode(), &host_type());
        let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::from);
        if let Some(bmc) = value.get_mut(H.bmc).filter(|b| b.as_map().is_some()) {
            bmc.set_attr(CREDENTIALS_NAME, text(&self.credentials_name));
        }
        value.set_attr(fields::USER_DATA_SECRET, text(&self.user_data_secret));
        value.set_attr(fields::NETWORK_DATA_SECRET, text(&self.network_data_secret));
        value.set_attr(fields::META_DATA_SECRET, text(&self.meta_data_secret));
        value.set_attr(
            LABELS,
            Value::map(self.labels.iter().map(|(k, v)| (k.clone(), v.as_str()))),
        );
        value
    }

    /// `field`, the argument at `path`, unless the host left it null and it holds the default:
    /// a manifest then leaves the field out, so that Metal3's default applies as the
    /// resource's would, and reading the manifest back gives null again.
    pub fn given<'a, T>(&self, field: &'a Field<T>, path: &[&str]) -> Option<&'a T> {
        let defaulted = self.defaulted.iter().any(|p| p.iter().eq(path.iter()));
        field.known().filter(|_| !defaulted)
    }
}

/// The arguments under `at` with a default that `value` leaves null or out.
fn defaulted(attributes: &[Attribute], value: &Value, at: &[&str]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for attribute in attributes {
        let inner = value.get(&attribute.name).unwrap_or(&Value::Null);
        let path: Vec<&str> = at
            .iter()
            .copied()
            .chain([attribute.name.as_str()])
            .collect();
        if attribute.default.is_some() && inner.is_null() {
            out.push(path.iter().map(|s| (*s).to_owned()).collect());
        }
        if let Some(nested) = attribute.nested_type() {
            out.extend(defaulted(&nested.attributes, inner, &path));
        }
    }
    out
}

/// The object type `baremetalhosts` returns (one element of its list) and
/// `baremetalhost_manifest` reads: every argument of the resource but the computed-only ones
/// and those in `fields::NOT_CARRIED`, and the keys beyond the resource.
pub fn host_type() -> Type {
    let block = HostConfig::block();
    let mut attributes = carried(&block.attributes, &[]);
    for nested in &block.block_types {
        if fields::is_carried(&[nested.type_name.as_str()]) {
            attributes.insert(nested.type_name.clone(), nested.block.value_type());
        }
    }
    object(attributes)
}

fn carried(attributes: &[Attribute], at: &[&str]) -> BTreeMap<String, Type> {
    let mut out = BTreeMap::new();
    for attribute in attributes {
        let path: Vec<&str> = at
            .iter()
            .copied()
            .chain([attribute.name.as_str()])
            .collect();
        if attribute.is_computed_only() || !fields::is_carried(&path) {
            continue;
        }
        let ty = match attribute.nested_type() {
            Some(nested) if nested.nesting == ObjectNesting::Single => {
                object(carried(&nested.attributes, &path))
            }
            _ => attribute.value_type(),
        };
        out.insert(attribute.name.clone(), ty);
    }
    out.extend(host_keys(at));
    out
}

/// The keys beyond the resource's arguments directly under `at`, with their types.
pub fn host_keys(at: &[&str]) -> Vec<(String, Type)> {
    fields::METADATA_FIELDS
        .iter()
        .chain(fields::SPEC_FIELDS)
        .filter_map(|(_, handling)| match handling {
            Handling::HostKey(path) => Some(*path),
            _ => None,
        })
        .filter_map(|path| {
            let (key, parent) = path.split_last()?;
            (parent == at).then(|| {
                let ty = match *key == LABELS {
                    true => Type::map(Type::String),
                    false => Type::String,
                };
                ((*key).to_owned(), ty)
            })
        })
        .collect()
}

fn object(attributes: BTreeMap<String, Type>) -> Type {
    Type::Object {
        attributes,
        optional: Default::default(),
    }
}

/// `value` with only the attributes of `ty` (absent ones null), recursively into objects.
fn project(value: &Value, ty: &Type) -> Value {
    match (value, ty) {
        (Value::Object(fields), Type::Object { attributes, .. }) => Value::Object(
            attributes
                .iter()
                .map(|(key, ty)| {
                    let inner = fields.get(key).map_or(Value::Null, |v| project(v, ty));
                    (key.clone(), inner)
                })
                .collect(),
        ),
        _ => value.clone(),
    }
}
