//! The host `baremetalhost_manifest` is given, checked by the resource's own rules before a
//! manifest is written: its keys (a misspelt one is refused with the nearest valid key), the
//! type of each argument, and the values `metal3_baremetal_host` would refuse. The BMC
//! credentials are left out: a BareMetalHost refers to them in a Secret.

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::functions::suggest::{nearest, quoted};
use crate::host::names::check_name;
use crate::resources::baremetal_host::config::HostConfig;
use crate::resources::baremetal_host::schema::schema;
use crate::resources::baremetal_host::validate::validate_arguments;
use crate::schema::{Attribute, AttributeType};

/// Keys an element of `baremetalhosts` has that the resource does not: Secrets by name.
const SECRET_NAMES: &[&str] = &[
    "user_data_secret",
    "network_data_secret",
    "meta_data_secret",
];
const BMC_SECRET_NAME: &str = "credentials_name";
/// Nested objects whose keys are checked (the resource's computed ones are written by it).
const CHECKED_OBJECTS: &[&str] = &["bmc", "image", "root_device_hints", "custom_deploy"];

/// Every problem with `host`, one a line, each naming its argument; empty when it is valid.
pub fn check(host: &Value) -> Vec<String> {
    if host.as_map().is_none() {
        return vec![format!(
            "expected a metal3_baremetal_host or an object of its arguments (at least `name` \
             and `bmc.address`), found {}",
            host.kind_name()
        )];
    }
    let mut problems = unknown_keys(host);
    problems.extend(function_only(host));
    match HostConfig::from_value(host) {
        Ok(config) => {
            if config.name.is_null() {
                problems.push("`name` is required".into());
            }
            if config.bmc.known().is_none_or(|bmc| bmc.address.is_null()) {
                problems.push("`bmc.address` is required".into());
            }
            problems.extend(
                validate_arguments(&config)
                    .iter()
                    .filter(|d| d.is_error())
                    .map(describe),
            );
        }
        Err(errors) => problems.extend(errors.iter().map(describe)),
    }
    problems
}

fn describe(diagnostic: &Diagnostic) -> String {
    let detail = diagnostic.detail.trim_end_matches('.');
    match &diagnostic.attribute {
        Some(path) if !detail.contains(&format!("`{path}`")) => {
            format!("`{path}`: {}: {detail}", diagnostic.summary)
        }
        _ => format!("{}: {detail}", diagnostic.summary),
    }
}

/// Keys neither the resource nor `baremetalhosts` has, at the top and in the checked objects.
fn unknown_keys(host: &Value) -> Vec<String> {
    let resource = schema();
    let block = &resource.block;
    let mut top: Vec<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
    top.extend(block.block_types.iter().map(|b| b.type_name.as_str()));
    top.extend(SECRET_NAMES);
    top.push("labels");
    let mut problems = unknown_in(host, &top, &AttributePath::root());
    for name in CHECKED_OBJECTS {
        let Some(inner) = host.get(name).filter(|v| v.as_map().is_some()) else {
            continue;
        };
        let mut allowed = nested_names(block.attribute(name));
        if *name == "bmc" {
            allowed.push(BMC_SECRET_NAME);
        }
        problems.extend(unknown_in(
            inner,
            &allowed,
            &AttributePath::root().attribute(*name),
        ));
    }
    problems
}

fn nested_names(attribute: Option<&Attribute>) -> Vec<&str> {
    match attribute.map(|a| &a.r#type) {
        Some(AttributeType::Nested(nested)) => {
            nested.attributes.iter().map(|a| a.name.as_str()).collect()
        }
        _ => Vec::new(),
    }
}

fn unknown_in(object: &Value, allowed: &[&str], at: &AttributePath) -> Vec<String> {
    let Some(map) = object.as_map() else {
        return Vec::new();
    };
    map.keys()
        .filter(|key| !allowed.contains(&key.as_str()))
        .map(|key| {
            let place = if at.0.is_empty() {
                "the host".to_owned()
            } else {
                format!("`{at}`")
            };
            let hint = nearest(key, allowed.iter().copied())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            let mut sorted = allowed.to_vec();
            sorted.sort_unstable();
            format!(
                "{place} has no argument {}{hint} Valid: {}",
                quoted(key, 64),
                sorted
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect()
}

/// `labels` (strings) and the Secret names (Kubernetes object names) `baremetalhosts` returns.
fn function_only(host: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut secret = |path: String, value: Option<&Value>| {
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return;
        };
        match value.as_str().map(check_name) {
            Some(Ok(())) => {}
            Some(Err(why)) => {
                problems.push(format!("`{path}` names a Kubernetes Secret, so it {why}"))
            }
            None => problems.push(format!(
                "`{path}`: expected a string (a Secret's name), found {}",
                value.kind_name()
            )),
        }
    };
    for name in SECRET_NAMES {
        secret((*name).to_owned(), host.get(name));
    }
    secret(
        format!("bmc.{BMC_SECRET_NAME}"),
        host.get("bmc").and_then(|b| b.get(BMC_SECRET_NAME)),
    );
    if let Some(labels) = host.get("labels").filter(|v| !v.is_null()) {
        match labels.as_map() {
            Some(map) => problems.extend(map.iter().filter(|(_, v)| v.as_str().is_none()).map(
                |(key, v)| {
                    format!(
                        "`labels[{}]`: expected a string, found {}",
                        quoted(key, 64),
                        v.kind_name()
                    )
                },
            )),
            None => problems.push(format!(
                "`labels`: expected a map of strings, found {}",
                labels.kind_name()
            )),
        }
    }
    problems
}
