//! What a schema decides about values, like the plugin framework's plan modifiers: declared
//! defaults written into the plan, computed values left unknown for apply, the attributes whose
//! change replaces the object, and write-only values kept out of plans and states.

use super::model::{Attribute, AttributeType, Block, ObjectNesting};
use crate::codec::{AttributePath, Value};

/// Writes each attribute's declared default into `planned` where the configuration leaves it
/// unset (null), so the plan shows the exact value apply will use. Defaults inside a single
/// nested attribute apply only when the configuration has that object (known and not null): an
/// unknown parent may still set them.
pub fn apply_defaults(block: &Block, config: &Value, planned: &mut Value) {
    defaults_in(&block.attributes, config, planned);
}

fn defaults_in(attributes: &[Attribute], config: &Value, planned: &mut Value) {
    if config.as_map().is_none() {
        return;
    }
    for attr in attributes {
        let configured = config.get(&attr.name).unwrap_or(&Value::Null);
        if let Some(default) = &attr.default {
            if configured.is_null() {
                planned.set_attr(attr.name.clone(), default.clone());
            }
            continue;
        }
        let Some(nested) = attr.nested_type() else {
            continue;
        };
        if nested.nesting != ObjectNesting::Single {
            continue;
        }
        if let Some(child) = planned.get_mut(&attr.name) {
            defaults_in(&nested.attributes, configured, child);
        }
    }
}

/// The proposal with every computed-only attribute that is null (nothing known yet) made
/// unknown, so apply may fill it in.
pub fn plan_unknown_computed(block: &Block, proposed: &Value) -> Value {
    let mut planned = proposed.clone();
    if let Value::Object(fields) = &mut planned {
        for attr in &block.attributes {
            if attr.is_computed_only() {
                let slot = fields.entry(attr.name.clone()).or_insert(Value::Null);
                if slot.is_null() {
                    *slot = Value::unknown();
                }
            }
        }
    }
    planned
}

/// The attributes declared `requires_replace`, as attribute names from the root (through single
/// nested attributes).
pub fn requires_replace_paths(block: &Block) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    collect_replace(&block.attributes, &mut Vec::new(), &mut paths);
    paths
}

fn collect_replace(attributes: &[Attribute], prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    for attr in attributes {
        prefix.push(attr.name.clone());
        if attr.requires_replace {
            out.push(prefix.clone());
        } else if let Some(nested) = attr.nested_type() {
            if nested.nesting == ObjectNesting::Single {
                collect_replace(&nested.attributes, prefix, out);
            }
        }
        prefix.pop();
    }
}

/// The `requires_replace` attributes whose planned value differs from the prior state's; none
/// on create or destroy (null prior or planned state). Unknown planned values count as changed.
pub fn requires_replace(block: &Block, prior: &Value, planned: &Value) -> Vec<AttributePath> {
    if prior.is_null() || planned.is_null() {
        return Vec::new();
    }
    requires_replace_paths(block)
        .into_iter()
        .filter(|steps| value_at(prior, steps) != value_at(planned, steps))
        .map(|steps| {
            steps
                .into_iter()
                .fold(AttributePath::root(), AttributePath::attribute)
        })
        .collect()
}

fn value_at<'v>(value: &'v Value, steps: &[String]) -> &'v Value {
    steps
        .iter()
        .try_fold(value, |v, name| v.get(name))
        .unwrap_or(&Value::Null)
}

/// Sets every write-only attribute to null: Terraform rejects plans and states that carry them.
pub fn null_write_only(block: &Block, value: &mut Value) {
    let Value::Object(fields) = value else { return };
    null_write_only_attributes(&block.attributes, fields);
    for nested in &block.block_types {
        if let Some(child) = fields.get_mut(&nested.type_name) {
            each_element_mut(child, |v| null_write_only(&nested.block, v));
        }
    }
}

fn null_write_only_attributes(
    attributes: &[Attribute],
    fields: &mut std::collections::BTreeMap<String, Value>,
) {
    for attr in attributes {
        let Some(value) = fields.get_mut(&attr.name) else {
            continue;
        };
        if attr.write_only {
            *value = Value::Null;
            continue;
        }
        if let AttributeType::Nested(nested) = &attr.r#type {
            each_element_mut(value, |v| {
                if let Value::Object(inner) = v {
                    null_write_only_attributes(&nested.attributes, inner);
                }
            });
        }
    }
}

/// Applies `f` to an object itself, or to each element of a list/set/map of objects.
fn each_element_mut(value: &mut Value, mut f: impl FnMut(&mut Value)) {
    match value {
        Value::Object(_) => f(value),
        Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => xs.iter_mut().for_each(f),
        Value::Map(m) => m.values_mut().for_each(f),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::model::Schema;

    fn schema() -> Schema {
        crate::schema::test_schema::host()
    }

    fn config(bmc: Value) -> Value {
        let ty = schema().block.value_type();
        let mut c = Value::object_of_nulls(&ty);
        c.set_attr("name", "h1");
        c.set_attr("bmc", bmc);
        c
    }

    #[test]
    fn defaults_fill_unset_attributes_only() {
        let s = schema();
        let bmc = Value::object([("address", Value::from("x")), ("insecure", Value::Null)]);
        let c = config(bmc);
        let mut planned = c.clone();
        apply_defaults(&s.block, &c, &mut planned);
        assert_eq!(planned.get("online"), Some(&Value::from(true)));
        assert_eq!(
            planned.get("bmc").unwrap().get("insecure"),
            Some(&Value::from(false))
        );

        let mut c = config(Value::Null);
        c.set_attr("online", false);
        let mut planned = c.clone();
        apply_defaults(&s.block, &c, &mut planned);
        assert_eq!(planned.get("online"), Some(&Value::from(false)));
        assert!(planned.get("bmc").unwrap().is_null(), "no object invented");
    }

    #[test]
    fn an_unknown_parent_gets_no_defaults() {
        let s = schema();
        let c = config(Value::unknown());
        let mut planned = c.clone();
        apply_defaults(&s.block, &c, &mut planned);
        assert!(planned.get("bmc").unwrap().is_unknown());
    }

    #[test]
    fn computed_only_nulls_become_unknown() {
        let s = schema();
        let planned = plan_unknown_computed(&s.block, &config(Value::Null));
        assert!(planned.get("id").unwrap().is_unknown());
        assert!(planned.get("online").unwrap().is_null(), "optional stays");
    }

    #[test]
    fn replacement_only_for_changed_declared_attributes() {
        let s = schema();
        assert_eq!(
            requires_replace_paths(&s.block),
            vec![vec!["name".to_owned()]]
        );
        let prior = config(Value::Null);
        let mut planned = prior.clone();
        planned.set_attr("online", true);
        assert!(requires_replace(&s.block, &prior, &planned).is_empty());
        planned.set_attr("name", "h2");
        assert_eq!(
            requires_replace(&s.block, &prior, &planned),
            vec![AttributePath::root().attribute("name")]
        );
        assert!(requires_replace(&s.block, &Value::Null, &planned).is_empty());
    }
}
