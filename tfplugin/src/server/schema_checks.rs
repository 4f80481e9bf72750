//! Schema-driven checks the server runs for every resource and data source: the configuration
//! against its schema (required attributes, write-only rules), and the default state upgrade.
//! What a schema decides about values in plans and states is in `schema::values`.

use crate::codec::{json, AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::schema::{Attribute, AttributeType, Block, BlockNesting, ObjectNesting, Schema};

/// Required attributes that are null, and write-only attributes set when Terraform cannot
/// handle them. Unknown values pass (they get checked again at apply).
pub fn check_config(block: &Block, config: &Value, write_only_allowed: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_block(
        block,
        config,
        &AttributePath::root(),
        write_only_allowed,
        &mut out,
    );
    out
}

fn check_block(
    block: &Block,
    value: &Value,
    path: &AttributePath,
    wo_allowed: bool,
    out: &mut Vec<Diagnostic>,
) {
    if !value.is_known() || value.is_null() {
        return;
    }
    check_attributes(&block.attributes, value, path, wo_allowed, out);
    for nested in &block.block_types {
        let child = value.get(&nested.type_name).unwrap_or(&Value::Null);
        let child_path = path.clone().attribute(&nested.type_name);
        match nested.nesting {
            BlockNesting::Single | BlockNesting::Group => {
                check_block(&nested.block, child, &child_path, wo_allowed, out)
            }
            _ => for_each_element(child, &child_path, |v, p| {
                check_block(&nested.block, v, &p, wo_allowed, out)
            }),
        }
    }
}

fn check_attributes(
    attributes: &[Attribute],
    object: &Value,
    path: &AttributePath,
    wo_allowed: bool,
    out: &mut Vec<Diagnostic>,
) {
    // A null or unknown nested object has no arguments to check (required ones included).
    if !object.is_known() || object.is_null() {
        return;
    }
    for attr in attributes {
        let value = object.get(&attr.name).unwrap_or(&Value::Null);
        let attr_path = path.clone().attribute(&attr.name);
        if attr.required && value.is_null() {
            out.push(
                Diagnostic::error(
                    "Missing required argument",
                    format!(
                        "The argument \"{attr_path}\" is required, but no definition was found."
                    ),
                )
                .at(attr_path.clone()),
            );
        }
        if attr.write_only && !wo_allowed && !value.is_null() {
            out.push(
                Diagnostic::error(
                    "Write-only attribute not supported",
                    format!(
                        "\"{attr_path}\" is write-only, which needs Terraform 1.11 or later. \
                         Upgrade Terraform or use the non-write-only argument instead."
                    ),
                )
                .at(attr_path.clone()),
            );
        }
        // An absent or not-yet-known object has no children to check.
        if value.is_null() || !value.is_known() {
            continue;
        }
        if let AttributeType::Nested(nested) = &attr.r#type {
            match nested.nesting {
                ObjectNesting::Single => {
                    check_attributes(&nested.attributes, value, &attr_path, wo_allowed, out)
                }
                _ => for_each_element(value, &attr_path, |v, p| {
                    check_attributes(&nested.attributes, v, &p, wo_allowed, out)
                }),
            }
        }
    }
}

/// Calls `f` for every element of a known list/set (by position) or map (by key).
fn for_each_element(value: &Value, path: &AttributePath, mut f: impl FnMut(&Value, AttributePath)) {
    if let Some(elements) = value.as_elements() {
        for (i, v) in elements.iter().enumerate() {
            f(v, path.clone().index(i as i64));
        }
    } else if let Value::Map(m) = value {
        for (k, v) in m {
            f(v, path.clone().key(k));
        }
    }
}

/// Default UpgradeResourceState: the stored JSON read with the current schema, dropping
/// attributes it no longer declares. State from a newer provider is refused.
pub fn upgrade_json_state(
    schema: &Schema,
    raw_json: &[u8],
    version: i64,
) -> Result<Value, Vec<Diagnostic>> {
    if version > schema.version {
        return Err(vec![Diagnostic::error(
            "State written by a newer provider",
            format!(
                "The stored state has schema version {version}, but this provider knows only up \
                 to {}. Use the provider version that wrote it.",
                schema.version
            ),
        )]);
    }
    json::decode_lenient(raw_json, &schema.block.value_type()).map_err(|e| {
        vec![Diagnostic::error(
            "Stored state does not match the schema",
            format!("The resource's stored state could not be read: {e}."),
        )
        .at(e.path.clone())]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::schema::test_schema::host;

    #[test]
    fn missing_required_nested_attribute_is_named() {
        let s = host();
        let mut config = Value::object_of_nulls(&s.block.value_type());
        config.set_attr("name", "h1");
        let diags = check_config(&s.block, &config, true);
        assert!(diags
            .iter()
            .any(|d| d.attribute.as_ref().map(|p| p.to_string()) == Some("bmc".into())));
        assert!(!diags
            .iter()
            .any(|d| d.attribute.as_ref().map(|p| p.to_string()) == Some("name".into())));
        // `image` is optional and absent: its required `url` is not asked for.
        assert!(
            !diags.iter().any(|d| d.detail.contains("image.url")),
            "{diags:?}"
        );
    }

    #[test]
    fn null_or_unknown_optional_object_needs_no_nested_arguments() {
        let s = host();
        for image in [Value::Null, Value::unknown()] {
            let mut config = Value::object_of_nulls(&s.block.value_type());
            config.set_attr("name", "h1");
            config.set_attr("image", image);
            let diags = check_config(&s.block, &config, true);
            assert!(
                diags.iter().all(|d| !d.detail.contains("image")),
                "{diags:?}"
            );
        }
    }

    #[test]
    fn write_only_refused_without_capability_and_nulled() {
        let s = host();
        let bmc_ty = s.block.attribute("bmc").unwrap().value_type();
        let mut bmc = Value::object_of_nulls(&bmc_ty);
        bmc.set_attr("password_wo", "secret");
        let mut config = Value::object_of_nulls(&s.block.value_type());
        config.set_attr("bmc", bmc);
        let diags = check_config(&s.block, &config, false);
        assert!(diags.iter().any(|d| d.summary.contains("Write-only")));
        assert!(check_config(&s.block, &config, true)
            .iter()
            .all(|d| !d.summary.contains("Write-only")));
        crate::schema::values::null_write_only(&s.block, &mut config);
        assert!(config
            .get("bmc")
            .unwrap()
            .get("password_wo")
            .unwrap()
            .is_null());
    }

    #[test]
    fn upgrade_drops_removed_attributes_and_refuses_newer() {
        let s = host();
        let state = upgrade_json_state(&s, br#"{"name":"h1","gone":1}"#, 0).unwrap();
        assert_eq!(state.get("name"), Some(&Value::from("h1")));
        assert!(state.get("gone").is_none());
        assert!(upgrade_json_state(&s, b"{}", 99).is_err());
    }
}
