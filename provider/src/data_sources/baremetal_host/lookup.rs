//! Data source `metal3_baremetal_host`: one host by `id` or by `namespace` + `name`.

use tfplugin::model::{Known, Model};

use super::schema::HostQuery;
use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::host::names::{check_name, check_namespace, is_uuid};
use crate::host::status::StatusView;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostLookup {
    ById(String),
    ByName { namespace: String, name: String },
}

const NAMES: super::schema::HostQueryNames = HostQuery::NAMES;

fn at(name: &str) -> AttributePath {
    AttributePath::root().attribute(name)
}

/// Which host the configuration asks for. Exactly one of `id` and `name`; `namespace` only with
/// `name` (defaulting to the provider's). `Ok(None)`: some argument is unknown, so the read
/// must wait until apply.
pub fn lookup(
    config: &Value,
    default_namespace: &str,
) -> Result<Option<HostLookup>, Vec<Diagnostic>> {
    let query = HostQuery::decode_all(config)
        .map_err(|errors| errors.iter().map(|e| e.to_diagnostic()).collect::<Vec<_>>())?;
    let fields = [&query.id, &query.namespace, &query.name];
    if fields
        .iter()
        .any(|v| v.as_ref().is_some_and(Known::is_unknown))
    {
        return Ok(None);
    }
    let known = |v: &Option<Known<String>>| v.as_ref().and_then(Known::known).cloned();
    let (id, namespace, name) = (
        known(&query.id),
        known(&query.namespace),
        known(&query.name),
    );
    let mut errors = Vec::new();
    match (id, name) {
        (Some(_), Some(_)) => errors.push(
            Diagnostic::error(
                "Conflicting lookup arguments",
                "Set either `id` or `name` (with an optional `namespace`), not both.",
            )
            .at(at(NAMES.name)),
        ),
        (None, None) => errors.push(Diagnostic::error(
            "Missing lookup argument",
            "Set `id` (the Ironic node UUID) or `name` (with an optional `namespace`).",
        )),
        (Some(id), None) => {
            if !is_uuid(&id) {
                errors.push(
                    Diagnostic::error(
                        "Invalid host ID",
                        format!("`id` \"{id}\" is not a UUID (8-4-4-4-12 hex digits)."),
                    )
                    .at(at(NAMES.id)),
                );
            }
            if namespace.is_some() {
                errors.push(
                    Diagnostic::error(
                        "`namespace` without `name`",
                        "`namespace` only applies when looking up by `name`; remove it.",
                    )
                    .at(at(NAMES.namespace)),
                );
            }
            if errors.is_empty() {
                return Ok(Some(HostLookup::ById(id.to_ascii_lowercase())));
            }
        }
        (None, Some(name)) => {
            let namespace = namespace.unwrap_or_else(|| default_namespace.to_owned());
            if let Err(e) = check_name(&name) {
                errors.push(
                    Diagnostic::error("Invalid host name", format!("`name` {e}."))
                        .at(at(NAMES.name)),
                );
            }
            if let Err(e) = check_namespace(&namespace) {
                errors.push(
                    Diagnostic::error("Invalid namespace", format!("`namespace` {e}."))
                        .at(at(NAMES.namespace)),
                );
            }
            if errors.is_empty() {
                return Ok(Some(HostLookup::ByName { namespace, name }));
            }
        }
    }
    Err(errors)
}

/// The data source's state: the lookup arguments as found, then every status attribute.
pub fn host_value(namespace: &str, name: &str, status: &StatusView) -> Value {
    let query = HostQuery {
        id: status.id.clone().map(Known::Known),
        namespace: Some(Known::Known(namespace.to_owned())),
        name: Some(Known::Known(name.to_owned())),
    };
    let mut value = query.encode();
    for (attribute, v) in status.values() {
        value.set_attr(attribute, v);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::super::schema;
    use super::*;

    const UUID: &str = "1be26c0b-03f2-4d2e-ae87-c02d7f33c123";

    fn config(id: Value, namespace: Value, name: Value) -> Value {
        Value::object([("id", id), ("namespace", namespace), ("name", name)])
    }

    #[test]
    fn lookups() {
        assert_eq!(
            lookup(&config(UUID.into(), Value::Null, Value::Null), "metal3"),
            Ok(Some(HostLookup::ById(UUID.into())))
        );
        assert_eq!(
            lookup(&config(Value::Null, Value::Null, "w0".into()), "metal3"),
            Ok(Some(HostLookup::ByName {
                namespace: "metal3".into(),
                name: "w0".into()
            }))
        );
        assert_eq!(
            lookup(&config(Value::Null, "lab".into(), "w0".into()), "metal3"),
            Ok(Some(HostLookup::ByName {
                namespace: "lab".into(),
                name: "w0".into()
            }))
        );
        assert_eq!(
            lookup(&config(Value::unknown(), Value::Null, Value::Null), "m"),
            Ok(None)
        );
    }

    #[test]
    fn bad_lookups_name_the_attribute() {
        let cases = [
            (config(UUID.into(), Value::Null, "w0".into()), Some("name")),
            (config(Value::Null, Value::Null, Value::Null), None),
            (config("nope".into(), Value::Null, Value::Null), Some("id")),
            (
                config(UUID.into(), "lab".into(), Value::Null),
                Some("namespace"),
            ),
            (config(Value::Null, Value::Null, "W0".into()), Some("name")),
            (
                config(Value::Null, "a.b".into(), "w0".into()),
                Some("namespace"),
            ),
        ];
        for (cfg, path) in cases {
            let errors = lookup(&cfg, "metal3").unwrap_err();
            assert_eq!(errors.len(), 1, "{cfg:?}");
            assert_eq!(
                errors[0]
                    .attribute
                    .as_ref()
                    .map(|p| p.to_string())
                    .as_deref(),
                path
            );
        }
    }

    #[test]
    fn value_conforms_to_the_schema() {
        let status = StatusView {
            id: Some(UUID.into()),
            powered_on: Some(true),
            ..Default::default()
        };
        let value = host_value("metal3", "w0", &status);
        value
            .conforms(&schema::schema().block.value_type())
            .unwrap();
        assert_eq!(value.get("id").and_then(Value::as_str), Some(UUID));
    }
}
