//! The rules a schema declares, run over values: what the plugin framework's server does for
//! every resource before and after the resource's own code. Pure functions of a [`Block`] and
//! [`Value`]s, so that the server can run them for any schema, derived or written by hand.
//!
//! - [`validate_config`]: each attribute's [`Rule`]s on the configuration (ValidateResourceConfig);
//! - [`plan`]: defaults written where the configuration is unset, computed values left unset
//!   made unknown when anything changes, write-only values nulled, and the paths whose change
//!   replaces the object (PlanResourceChange, before the resource's own plan);
//! - [`finish_state`]: write-only values nulled and unknowns refused in a new state (after
//!   ApplyResourceChange and ReadResource).
//!
//! [`Rule`]: crate::schema::Rule

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::schema::values::{null_write_only, requires_replace};
use crate::schema::{Attribute, Block, BlockNesting, NestedBlock, ObjectNesting};

/// How objects sit in an attribute or block value.
#[derive(Clone, Copy)]
enum Shape {
    One,
    List,
    /// Elements have no position to pair a configuration's with a plan's.
    Set,
    Map,
}

impl From<ObjectNesting> for Shape {
    fn from(nesting: ObjectNesting) -> Shape {
        match nesting {
            ObjectNesting::Single => Shape::One,
            ObjectNesting::List => Shape::List,
            ObjectNesting::Set => Shape::Set,
            ObjectNesting::Map => Shape::Map,
        }
    }
}

impl From<BlockNesting> for Shape {
    fn from(nesting: BlockNesting) -> Shape {
        match nesting {
            BlockNesting::Single | BlockNesting::Group => Shape::One,
            BlockNesting::List => Shape::List,
            BlockNesting::Set => Shape::Set,
            BlockNesting::Map => Shape::Map,
        }
    }
}

/// The objects of a nested value, each with its path.
fn objects<'v>(
    shape: Shape,
    value: &'v Value,
    path: &AttributePath,
) -> Vec<(&'v Value, AttributePath)> {
    match (shape, value.unwrap_dynamic()) {
        (Shape::One, v) => vec![(v, path.clone())],
        (Shape::List | Shape::Set, Value::List(xs) | Value::Set(xs)) => xs
            .iter()
            .zip(0..)
            .map(|(x, i)| (x, path.clone().index(i)))
            .collect(),
        (Shape::Map, Value::Map(m)) => m
            .iter()
            .map(|(k, v)| (v, path.clone().key(k.as_str())))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every attribute's rules on a configuration (which may hold unknowns): rules judge only
/// known, non-null values; whether a required attribute is set is Terraform's check.
pub fn validate_config(block: &Block, config: &Value) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    validate_object(
        &block.attributes,
        &block.block_types,
        config,
        &AttributePath::root(),
        &mut diagnostics,
    );
    diagnostics
}

fn validate_object(
    attributes: &[Attribute],
    blocks: &[NestedBlock],
    object: &Value,
    path: &AttributePath,
    out: &mut Vec<Diagnostic>,
) {
    let Some(fields) = object.as_map() else {
        return;
    };
    for attr in attributes {
        let Some(value) = fields.get(&attr.name) else {
            continue;
        };
        if value.is_null() || value.is_unknown() {
            continue;
        }
        let path = path.clone().attribute(attr.name.as_str());
        let shown = !(attr.sensitive || attr.write_only);
        for rule in &attr.rules {
            out.extend(rule.check(value, &path, shown));
        }
        if let Some(nested) = attr.nested_type() {
            for (object, path) in objects(nested.nesting.into(), value, &path) {
                validate_object(&nested.attributes, &[], object, &path, out);
            }
        }
    }
    for nested in blocks {
        let Some(value) = fields.get(&nested.type_name) else {
            continue;
        };
        let path = path.clone().attribute(nested.type_name.as_str());
        for (object, path) in objects(nested.nesting.into(), value, &path) {
            validate_object(
                &nested.block.attributes,
                &nested.block.block_types,
                object,
                &path,
                out,
            );
        }
    }
}

/// The schema's part of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub planned_state: Value,
    /// Attributes declared `requires_replace` whose planned value differs from the prior one.
    pub requires_replace: Vec<AttributePath>,
}

/// Terraform's proposed new state with the schema's decisions applied, in the plugin
/// framework's order: defaults where the configuration is unset; write-only values nulled;
/// then, if the object is created or changes, computed attributes that are unset in both the
/// configuration and the proposal made unknown (apply will set them; a computed value the
/// prior state holds is kept, so an unchanged object plans no change); replacement paths last,
/// against the prior state. A destroy (null proposal) plans null.
pub fn plan(block: &Block, prior: &Value, proposed: &Value, config: &Value) -> Planned {
    if proposed.is_null() {
        return Planned {
            planned_state: Value::Null,
            requires_replace: Vec::new(),
        };
    }
    let mut planned = proposed.clone();
    plan_object(
        &block.attributes,
        &block.block_types,
        config,
        &mut planned,
        false,
    );
    null_write_only(block, &mut planned);
    if prior.is_null() || planned != *prior {
        plan_object(
            &block.attributes,
            &block.block_types,
            config,
            &mut planned,
            true,
        );
    }
    Planned {
        requires_replace: requires_replace(block, prior, &planned),
        planned_state: planned,
    }
}

/// Defaults, or (`mark_unknown`) unknowns for unset computed values, through nested objects
/// that the configuration has (a null or unknown one gets nothing invented inside it).
fn plan_object(
    attributes: &[Attribute],
    blocks: &[NestedBlock],
    config: &Value,
    planned: &mut Value,
    mark_unknown: bool,
) {
    let Some(configured) = config.as_map() else {
        return;
    };
    let Value::Object(fields) = planned else {
        return;
    };
    for attr in attributes {
        let config = configured.get(&attr.name).unwrap_or(&Value::Null);
        let slot = fields.entry(attr.name.clone()).or_insert(Value::Null);
        if config.is_null() {
            match &attr.default {
                Some(default) => *slot = default.clone(),
                None if mark_unknown && attr.computed && slot.is_null() => *slot = Value::unknown(),
                None => {}
            }
            continue;
        }
        if let Some(nested) = attr.nested_type() {
            each_pair(
                nested.nesting.into(),
                config,
                slot,
                &mut |config, planned| {
                    plan_object(&nested.attributes, &[], config, planned, mark_unknown)
                },
            );
        }
    }
    for nested in blocks {
        let config = configured.get(&nested.type_name).unwrap_or(&Value::Null);
        if let Some(slot) = fields.get_mut(&nested.type_name) {
            each_pair(
                nested.nesting.into(),
                config,
                slot,
                &mut |config, planned| {
                    plan_object(
                        &nested.block.attributes,
                        &nested.block.block_types,
                        config,
                        planned,
                        mark_unknown,
                    )
                },
            );
        }
    }
}

/// Calls `f` on each configured object and its planned counterpart.
fn each_pair(
    shape: Shape,
    config: &Value,
    planned: &mut Value,
    f: &mut dyn FnMut(&Value, &mut Value),
) {
    match (shape, config.unwrap_dynamic(), planned) {
        (Shape::One, config, planned) => f(config, planned),
        (Shape::List, Value::List(c), Value::List(p)) if c.len() == p.len() => {
            c.iter().zip(p.iter_mut()).for_each(|(c, p)| f(c, p))
        }
        (Shape::Map, Value::Map(c), Value::Map(p)) => {
            for (key, p) in p.iter_mut() {
                if let Some(c) = c.get(key) {
                    f(c, p)
                }
            }
        }
        _ => {}
    }
}

/// A new state as Terraform may store it: write-only values nulled, and any unknown left by
/// the provider nulled and reported as an error at its path (Terraform refuses a state with
/// unknowns and would not say where).
pub fn finish_state(block: &Block, state: &mut Value) -> Vec<Diagnostic> {
    null_write_only(block, state);
    let mut left = Vec::new();
    null_unknowns(state, AttributePath::root(), &mut left);
    left.into_iter()
        .map(|path| {
            Diagnostic::error(
                "Value unknown after apply",
                format!(
                    "The provider left `{path}` unknown in the new state; it is stored as null. \
                     This is a bug in the provider."
                ),
            )
            .at(path)
        })
        .collect()
}

fn null_unknowns(value: &mut Value, path: AttributePath, found: &mut Vec<AttributePath>) {
    match value {
        Value::Unknown(_) => {
            *value = Value::Null;
            found.push(path);
        }
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                null_unknowns(v, path.clone().attribute(k.as_str()), found);
            }
        }
        Value::Map(m) => {
            for (k, v) in m.iter_mut() {
                null_unknowns(v, path.clone().key(k.as_str()), found);
            }
        }
        Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => {
            for (x, i) in xs.iter_mut().zip(0..) {
                null_unknowns(x, path.clone().index(i), found);
            }
        }
        Value::Dynamic(_, inner) => null_unknowns(inner, path, found),
        _ => {}
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
