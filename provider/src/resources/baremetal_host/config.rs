//! A typed view of the resource's configuration (or planned state): each argument is
//! [`Field::Known`], [`Field::Unknown`] (not decided until apply) or [`Field::Null`] (unset).
//! Type errors (impossible once Terraform has type-checked the config, but values may come from
//! anywhere) become diagnostics at the attribute's path.

use metal3_core::Secret;

use crate::codec::{AttributePath, Number, Value};
use crate::diagnostics::Diagnostic;

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

impl Field<String> {
    pub fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
}

/// The `bmc` attributes that carry the credentials: a change to any of them sends the
/// credentials to Ironic again, which verifies them with the BMC.
pub const BMC_CREDENTIALS: &[&str] = &["username", "password", "password_wo_version"];

#[derive(Debug, Clone, PartialEq)]
pub struct BmcConfig {
    pub address: Field<String>,
    pub username: Field<String>,
    pub password: Field<Secret>,
    pub password_wo: Field<Secret>,
    pub password_wo_version: Field<Number>,
    pub disable_certificate_verification: Field<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RootDeviceHints {
    pub device_name: Field<String>,
    pub hctl: Field<String>,
    pub model: Field<String>,
    pub vendor: Field<String>,
    pub serial_number: Field<String>,
    pub min_size_gigabytes: Field<Number>,
    pub wwn: Field<String>,
    pub wwn_with_extension: Field<String>,
    pub wwn_vendor_extension: Field<String>,
    pub rotational: Field<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageConfig {
    pub url: Field<String>,
    pub checksum: Field<String>,
    pub checksum_type: Field<String>,
    pub disk_format: Field<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomDeploy {
    pub method: Field<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeouts {
    pub create: Field<String>,
    pub read: Field<String>,
    pub update: Field<String>,
    pub delete: Field<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HostConfig {
    pub name: Field<String>,
    pub namespace: Field<String>,
    pub bmc: Field<BmcConfig>,
    pub boot_mac_address: Field<String>,
    pub boot_mode: Field<String>,
    pub online: Field<bool>,
    pub root_device_hints: Field<RootDeviceHints>,
    pub image: Field<ImageConfig>,
    pub user_data: Field<Secret>,
    pub network_data: Field<String>,
    pub meta_data: Field<String>,
    pub custom_deploy: Field<CustomDeploy>,
    pub externally_provisioned: Field<bool>,
    pub automated_cleaning_mode: Field<String>,
    pub inspection_mode: Field<String>,
    pub description: Field<String>,
    pub conductor_group: Field<String>,
    pub power_off_on_destroy: Field<bool>,
    pub timeouts: Field<Timeouts>,
}

impl HostConfig {
    /// Reads a config or plan value. Null or unknown as a whole is an error: a resource's config
    /// is always an object (null only for destroy, which has no config to read).
    pub fn from_value(value: &Value) -> Result<HostConfig, Vec<Diagnostic>> {
        let mut reader = Reader::default();
        let root = AttributePath::root();
        if value.is_null() || value.is_unknown() || value.as_map().is_none() {
            return Err(vec![Diagnostic::error(
                "Invalid resource configuration",
                format!(
                    "expected an object with the host's arguments, found {}",
                    value.kind_name()
                ),
            )]);
        }
        let config = HostConfig {
            name: reader.string(value, &root, "name"),
            namespace: reader.string(value, &root, "namespace"),
            bmc: reader.object(value, &root, "bmc", |r, v, p| BmcConfig {
                address: r.string(v, p, "address"),
                username: r.string(v, p, "username"),
                password: r.secret(v, p, "password"),
                password_wo: r.secret(v, p, "password_wo"),
                password_wo_version: r.number(v, p, "password_wo_version"),
                disable_certificate_verification: r.bool(v, p, "disable_certificate_verification"),
            }),
            boot_mac_address: reader.string(value, &root, "boot_mac_address"),
            boot_mode: reader.string(value, &root, "boot_mode"),
            online: reader.bool(value, &root, "online"),
            root_device_hints: reader.object(value, &root, "root_device_hints", |r, v, p| {
                RootDeviceHints {
                    device_name: r.string(v, p, "device_name"),
                    hctl: r.string(v, p, "hctl"),
                    model: r.string(v, p, "model"),
                    vendor: r.string(v, p, "vendor"),
                    serial_number: r.string(v, p, "serial_number"),
                    min_size_gigabytes: r.number(v, p, "min_size_gigabytes"),
                    wwn: r.string(v, p, "wwn"),
                    wwn_with_extension: r.string(v, p, "wwn_with_extension"),
                    wwn_vendor_extension: r.string(v, p, "wwn_vendor_extension"),
                    rotational: r.bool(v, p, "rotational"),
                }
            }),
            image: reader.object(value, &root, "image", |r, v, p| ImageConfig {
                url: r.string(v, p, "url"),
                checksum: r.string(v, p, "checksum"),
                checksum_type: r.string(v, p, "checksum_type"),
                disk_format: r.string(v, p, "disk_format"),
            }),
            user_data: reader.secret(value, &root, "user_data"),
            network_data: reader.string(value, &root, "network_data"),
            meta_data: reader.string(value, &root, "meta_data"),
            custom_deploy: reader.object(value, &root, "custom_deploy", |r, v, p| CustomDeploy {
                method: r.string(v, p, "method"),
            }),
            externally_provisioned: reader.bool(value, &root, "externally_provisioned"),
            automated_cleaning_mode: reader.string(value, &root, "automated_cleaning_mode"),
            inspection_mode: reader.string(value, &root, "inspection_mode"),
            description: reader.string(value, &root, "description"),
            conductor_group: reader.string(value, &root, "conductor_group"),
            power_off_on_destroy: reader.bool(value, &root, "power_off_on_destroy"),
            timeouts: reader.object(value, &root, "timeouts", |r, v, p| Timeouts {
                create: r.string(v, p, "create"),
                read: r.string(v, p, "read"),
                update: r.string(v, p, "update"),
                delete: r.string(v, p, "delete"),
            }),
        };
        if reader.errors.is_empty() {
            Ok(config)
        } else {
            Err(reader.errors)
        }
    }
}

/// The operations a `timeouts` block limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl HostConfig {
    /// The time limit for `operation`: the configured duration, or the schema's default when
    /// unset, unknown or invalid (validation reports invalid ones before any apply).
    pub fn timeout(&self, operation: Operation) -> std::time::Duration {
        let (_, configured, default) = self.timeout_setting(operation);
        let parse = crate::duration::parse_duration;
        configured
            .and_then(|text| parse(text).ok())
            .filter(|d| !d.is_zero())
            .or_else(|| parse(default).ok())
            .unwrap_or(std::time::Duration::from_secs(3600))
    }

    /// `timeouts.<field>` for `operation`: the field's name, its configured text (if known), and
    /// the schema's default.
    pub fn timeout_setting(
        &self,
        operation: Operation,
    ) -> (&'static str, Option<&str>, &'static str) {
        use super::schema;
        let t = self.timeouts.known();
        let (field, configured, default) = match operation {
            Operation::Create => (
                "create",
                t.map(|t| &t.create),
                schema::DEFAULT_CREATE_TIMEOUT,
            ),
            Operation::Read => ("read", t.map(|t| &t.read), schema::DEFAULT_READ_TIMEOUT),
            Operation::Update => (
                "update",
                t.map(|t| &t.update),
                schema::DEFAULT_UPDATE_TIMEOUT,
            ),
            Operation::Delete => (
                "delete",
                t.map(|t| &t.delete),
                schema::DEFAULT_DELETE_TIMEOUT,
            ),
        };
        (field, configured.and_then(Field::as_deref), default)
    }
}

/// Reads fields, collecting one diagnostic per ill-typed attribute.
#[derive(Default)]
struct Reader {
    errors: Vec<Diagnostic>,
}

impl Reader {
    fn field<T>(
        &mut self,
        parent: &Value,
        path: &AttributePath,
        name: &str,
        expected: &str,
        convert: impl FnOnce(&Value) -> Option<T>,
    ) -> Field<T> {
        let Some(value) = parent.get(name) else {
            return Field::Null;
        };
        if value.is_null() {
            return Field::Null;
        }
        if value.is_unknown() {
            return Field::Unknown;
        }
        match convert(value) {
            Some(v) => Field::Known(v),
            None => {
                self.errors.push(
                    Diagnostic::error(
                        "Invalid attribute type",
                        format!("expected {expected}, found {}", value.kind_name()),
                    )
                    .at(path.clone().attribute(name)),
                );
                Field::Null
            }
        }
    }

    fn string(&mut self, parent: &Value, path: &AttributePath, name: &str) -> Field<String> {
        self.field(parent, path, name, "a string", |v| {
            v.as_str().map(str::to_owned)
        })
    }

    fn secret(&mut self, parent: &Value, path: &AttributePath, name: &str) -> Field<Secret> {
        self.field(parent, path, name, "a string", |v| {
            v.as_str().map(Secret::new)
        })
    }

    fn bool(&mut self, parent: &Value, path: &AttributePath, name: &str) -> Field<bool> {
        self.field(parent, path, name, "a bool", Value::as_bool)
    }

    fn number(&mut self, parent: &Value, path: &AttributePath, name: &str) -> Field<Number> {
        self.field(parent, path, name, "a number", |v| v.as_number().cloned())
    }

    fn object<T>(
        &mut self,
        parent: &Value,
        path: &AttributePath,
        name: &str,
        read: impl FnOnce(&mut Reader, &Value, &AttributePath) -> T,
    ) -> Field<T> {
        let inner_path = path.clone().attribute(name);
        let value = match self.field(parent, path, name, "an object", |v| {
            v.as_map().map(|_| v.clone())
        }) {
            Field::Known(v) => v,
            Field::Unknown => return Field::Unknown,
            Field::Null => return Field::Null,
        };
        Field::Known(read(self, &value, &inner_path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_unknown_and_null_fields() {
        let value = Value::object([
            ("name", Value::from("worker-0")),
            ("namespace", Value::unknown()),
            (
                "bmc",
                Value::object([
                    (
                        "address",
                        Value::from("redfish://10.0.0.1/redfish/v1/Systems/1"),
                    ),
                    ("username", Value::from("admin")),
                    ("password", Value::from("s3cret")),
                    ("password_wo_version", Value::from(2)),
                ]),
            ),
            ("online", Value::from(false)),
            ("image", Value::Null),
        ]);
        let config = HostConfig::from_value(&value).unwrap();
        assert_eq!(config.name, Field::Known("worker-0".into()));
        assert_eq!(config.namespace, Field::Unknown);
        assert_eq!(config.online, Field::Known(false));
        assert_eq!(config.image, Field::Null);
        assert_eq!(config.timeouts, Field::Null);
        let bmc = config.bmc.known().unwrap();
        assert_eq!(bmc.password.known().unwrap().expose(), "s3cret");
        assert_eq!(bmc.password_wo, Field::Null);
        assert_eq!(
            bmc.password_wo_version.known().and_then(Number::as_i64),
            Some(2)
        );
        // Debug never shows the password.
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn type_errors_name_the_attribute() {
        let value = Value::object([
            ("name", Value::from(5)),
            ("bmc", Value::object([("username", Value::from(true))])),
        ]);
        let errors = HostConfig::from_value(&value).unwrap_err();
        let paths: Vec<String> = errors
            .iter()
            .map(|d| d.attribute.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(paths, ["name", "bmc.username"]);
        assert!(errors[0].detail.contains("expected a string"));
        assert!(HostConfig::from_value(&Value::Null).is_err());
    }

    #[test]
    fn timeouts_default_when_unset() {
        use std::time::Duration;
        let value = Value::object([(
            "timeouts",
            Value::object([("create", Value::from("90m")), ("read", Value::unknown())]),
        )]);
        let config = HostConfig::from_value(&value).unwrap();
        assert_eq!(config.timeout(Operation::Create), Duration::from_secs(5400));
        assert_eq!(config.timeout(Operation::Read), Duration::from_secs(1200));
        assert_eq!(config.timeout(Operation::Delete), Duration::from_secs(3600));
        let none = HostConfig::from_value(&Value::object([("name", "w0")])).unwrap();
        assert_eq!(none.timeout(Operation::Update), Duration::from_secs(3600));
    }
}
