//! The host `baremetalhost_manifest` is given, checked by the resource's own rules before a
//! manifest is written: its keys (a misspelt one is refused with the nearest valid key), the
//! type of each argument, and the values `metal3_baremetal_host` would refuse. The BMC
//! credentials are left out: a BareMetalHost refers to them in a Secret.

use super::fields::{CREDENTIALS_NAME, LABELS, SECRET_KEYS};
use super::host::host_keys;
use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::functions::suggest::{nearest, quoted};
use crate::host::arguments::{BmcConfig, HostConfig};
use crate::host::names::check_name;
use crate::resources::baremetal_host::schema::schema;
use crate::resources::baremetal_host::validate::validate_arguments;
use crate::schema::{Attribute, AttributeType};
use tfplugin::model::{rules, Model};

const H: crate::host::arguments::HostConfigNames = HostConfig::NAMES;
const B: crate::host::arguments::BmcConfigNames = BmcConfig::NAMES;

/// Every problem with `host`, one a line, each naming its argument; empty when it is valid.
pub fn check(host: &Value) -> Vec<String> {
    if host.as_map().is_none() {
        return vec![format!(
            "expected a metal3_baremetal_host or an object of its arguments (at least `{}` and \
             `{}.{}`), found {}",
            H.name,
            H.bmc,
            B.address,
            host.kind_name()
        )];
    }
    let mut problems = unknown_keys(host);
    problems.extend(function_only(host));
    match HostConfig::from_value(host) {
        Ok(config) => {
            if config.name.is_null() {
                problems.push(format!("`{}` is required", H.name));
            }
            if config.bmc.known().is_none_or(|bmc| bmc.address.is_null()) {
                problems.push(format!("`{}.{}` is required", H.bmc, B.address));
            }
            problems.extend(
                validate_arguments(&config)
                    .iter()
                    .filter(|d| d.is_error())
                    .map(describe),
            );
            // The rules each attribute carries in the schema (RAID levels, sizes, firmware
            // components...), which Terraform checks before the resource's own rules. On the
            // typed arguments: a host from `jsondecode` holds tuples where the schema has lists.
            for rule in rules::validate_config(&schema().block, &config.encode())
                .iter()
                .filter(|d| d.is_error())
                .map(describe)
            {
                if !problems.contains(&rule) {
                    problems.push(rule);
                }
            }
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

/// Keys neither the resource nor `baremetalhosts` has, at the top and in the nested objects of
/// arguments (the resource's computed ones are written by it).
fn unknown_keys(host: &Value) -> Vec<String> {
    let resource = schema();
    let block = &resource.block;
    let mut top: Vec<String> = block.attributes.iter().map(|a| a.name.clone()).collect();
    top.extend(block.block_types.iter().map(|b| b.type_name.clone()));
    top.extend(host_keys(&[]).into_iter().map(|(key, _)| key));
    let top: Vec<&str> = top.iter().map(String::as_str).collect();
    let mut problems = unknown_in(host, &top, &AttributePath::root());
    let objects = block
        .attributes
        .iter()
        .filter(|a| !a.is_computed_only() && a.nested_type().is_some());
    for attribute in objects {
        let name = attribute.name.as_str();
        let Some(inner) = host.get(name).filter(|v| v.as_map().is_some()) else {
            continue;
        };
        let extra = host_keys(&[name]);
        let mut allowed = nested_names(Some(attribute));
        allowed.extend(extra.iter().map(|(key, _)| key.as_str()));
        problems.extend(unknown_in(
            inner,
            &allowed,
            &AttributePath::root().attribute(name),
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
    for (key, _) in SECRET_KEYS {
        secret((*key).to_owned(), host.get(key));
    }
    secret(
        format!("{}.{CREDENTIALS_NAME}", H.bmc),
        host.get(H.bmc).and_then(|b| b.get(CREDENTIALS_NAME)),
    );
    if let Some(labels) = host.get(LABELS).filter(|v| !v.is_null()) {
        match labels.as_map() {
            Some(map) => problems.extend(map.iter().filter(|(_, v)| v.as_str().is_none()).map(
                |(key, v)| {
                    format!(
                        "`{LABELS}[{}]`: expected a string, found {}",
                        quoted(key, 64),
                        v.kind_name()
                    )
                },
            )),
            None => problems.push(format!(
                "`{LABELS}`: expected a map of strings, found {}",
                labels.kind_name()
            )),
        }
    }
    problems
}
