//! A self-check of schemas against the rules Terraform (configschema `InternalValidate`) and the
//! plugin framework enforce, so a mistake fails a unit test instead of a user's `terraform plan`.

use super::model::{
    Attribute, AttributeType, Block, BlockNesting, IdentitySchema, NestedAttributes, ObjectNesting,
    Schema,
};
use crate::codec::Type;

/// Where a schema is used: the rules differ slightly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Provider,
    Resource,
    DataSource,
}

impl SchemaKind {
    /// Root names Terraform reserves for meta-arguments in this kind of block.
    fn reserved_root_names(self) -> &'static [&'static str] {
        match self {
            SchemaKind::Provider => &["alias", "version"],
            SchemaKind::Resource | SchemaKind::DataSource => &[
                "count",
                "depends_on",
                "for_each",
                "lifecycle",
                "provider",
                "provisioner",
                "connection",
            ],
        }
    }
}

/// Checks a resource schema. See [`validate_schema_as`].
pub fn validate_schema(schema: &Schema) -> Result<(), String> {
    validate_schema_as(SchemaKind::Resource, schema)
}

/// Checks `schema` and reports every violation at once, one per line, each prefixed by the
/// attribute path.
pub fn validate_schema_as(kind: SchemaKind, schema: &Schema) -> Result<(), String> {
    let mut errors = Vec::new();
    if schema.version < 0 {
        errors.push(format!("schema version {} is negative", schema.version));
    }
    for name in kind.reserved_root_names() {
        if schema.block.attribute(name).is_some() || schema.block.block_type(name).is_some() {
            errors.push(format!("{name}: reserved by Terraform as a meta-argument"));
        }
    }
    let mut checker = Checker { kind, errors };
    checker.block("", &schema.block);
    finish(checker.errors)
}

/// Checks a resource identity schema: valid names, at least one attribute, each attribute either
/// required or optional for import, and only primitive types or lists of them (what Terraform
/// accepts in identities).
pub fn validate_identity_schema(schema: &IdentitySchema) -> Result<(), String> {
    let mut errors = Vec::new();
    if schema.version < 0 {
        errors.push(format!("identity version {} is negative", schema.version));
    }
    if schema.attributes.is_empty() {
        errors.push("an identity needs at least one attribute".to_owned());
    }
    let mut seen = Vec::new();
    for attr in &schema.attributes {
        let name = &attr.name;
        if !valid_name(name) {
            errors.push(format!("{name}: name may contain only a-z, 0-9 and _"));
        }
        if seen.contains(&name) {
            errors.push(format!("{name}: declared twice"));
        }
        seen.push(name);
        if attr.required_for_import == attr.optional_for_import {
            errors.push(format!(
                "{name}: exactly one of required_for_import and optional_for_import must be set"
            ));
        }
        let primitive = |t: &Type| matches!(t, Type::String | Type::Number | Type::Bool);
        let ok = match &attr.r#type {
            Type::List(e) => primitive(e),
            t => primitive(t),
        };
        if !ok {
            errors.push(format!(
                "{name}: identity attributes must be string, number, bool or a list of those"
            ));
        }
        if attr.description.trim().is_empty() {
            errors.push(format!("{name}: missing description"));
        }
    }
    finish(errors)
}

fn finish(errors: Vec<String>) -> Result<(), String> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

struct Checker {
    kind: SchemaKind,
    errors: Vec<String>,
}

impl Checker {
    fn error(&mut self, path: &str, message: impl AsRef<str>) {
        let at = if path.is_empty() { "(root)" } else { path };
        self.errors.push(format!("{at}: {}", message.as_ref()));
    }

    fn block(&mut self, prefix: &str, block: &Block) {
        let mut names: Vec<&str> = Vec::new();
        for attr in &block.attributes {
            let path = format!("{prefix}{}", attr.name);
            self.name(&path, &attr.name, &mut names);
            self.attribute(&path, attr, false);
        }
        for nested in &block.block_types {
            let path = format!("{prefix}{}", nested.type_name);
            self.name(&path, &nested.type_name, &mut names);
            if nested.block.description.trim().is_empty() {
                self.error(&path, "missing description");
            }
            let (min, max) = (nested.min_items, nested.max_items);
            if min < 0 || max < 0 {
                self.error(&path, "min_items and max_items must not be negative");
            }
            match nested.nesting {
                BlockNesting::Single if min != max || min > 1 => self.error(
                    &path,
                    "single blocks need min_items == max_items, both 0 or 1",
                ),
                BlockNesting::Group | BlockNesting::Map if min != 0 || max != 0 => {
                    self.error(&path, "group and map blocks take no min_items/max_items")
                }
                BlockNesting::List | BlockNesting::Set if max != 0 && min > max => {
                    self.error(&path, "min_items exceeds max_items")
                }
                _ => {}
            }
            if nested.nesting == BlockNesting::Set {
                if has_dynamic(&nested.block.value_type()) {
                    self.error(&path, "set blocks may not contain dynamic attributes");
                }
                if block_contains_write_only(&nested.block) {
                    self.error(&path, "set blocks may not contain write-only attributes");
                }
            }
            self.block(&format!("{path}."), &nested.block);
        }
    }

    fn name<'a>(&mut self, path: &str, name: &'a str, seen: &mut Vec<&'a str>) {
        if !valid_name(name) {
            self.error(path, "name may contain only a-z, 0-9 and _");
        }
        if seen.contains(&name) {
            self.error(
                path,
                "name declared twice (attributes and blocks share one namespace)",
            );
        }
        seen.push(name);
    }

    /// `under_computed_only`: the parent is a computed-only nested attribute, so this attribute
    /// must be computed-only too (the practitioner cannot write into a value they cannot set).
    fn attribute(&mut self, path: &str, attr: &Attribute, under_computed_only: bool) {
        let (r, o, c) = (attr.required, attr.optional, attr.computed);
        match (r, o, c) {
            (true, false, false) | (false, true, _) | (false, false, true) => {}
            (false, false, false) => self.error(path, "must be required, optional or computed"),
            (true, true, _) => self.error(path, "cannot be both required and optional"),
            (true, false, true) => self.error(path, "cannot be both required and computed"),
        }
        if under_computed_only && !attr.is_computed_only() {
            self.error(
                path,
                "children of a computed-only nested attribute must be computed-only",
            );
        }
        if attr.write_only {
            if attr.computed {
                self.error(path, "write-only attributes cannot be computed");
            }
            if self.kind != SchemaKind::Resource {
                self.error(
                    path,
                    "write-only attributes exist only in managed resources",
                );
            }
        }
        if let Some(default) = &attr.default {
            if !(attr.optional && attr.computed) {
                self.error(path, "a default needs an optional and computed attribute");
            }
            if default.is_null() || default.conforms(&attr.value_type()).is_err() {
                self.error(
                    path,
                    "the default is not a known value of the attribute's type",
                );
            }
        }
        if attr.requires_replace && self.kind != SchemaKind::Resource {
            self.error(path, "only managed resources are replaced");
        }
        if attr.description.trim().is_empty() {
            self.error(path, "missing description");
        }
        match &attr.r#type {
            AttributeType::Type(ty) => {
                if let Some(problem) = type_problem(ty) {
                    self.error(path, problem);
                }
            }
            AttributeType::Nested(nested) => self.nested(path, attr, nested),
        }
    }

    fn nested(&mut self, path: &str, parent: &Attribute, nested: &NestedAttributes) {
        if nested.attributes.is_empty() {
            self.error(path, "nested attribute declares no attributes");
        }
        if nested.nesting == ObjectNesting::Set {
            if has_dynamic(&nested.value_type()) {
                self.error(
                    path,
                    "set nested attributes may not contain dynamic attributes",
                );
            }
            if nested.attributes.iter().any(attribute_contains_write_only) {
                self.error(
                    path,
                    "set nested attributes may not contain write-only attributes",
                );
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for child in &nested.attributes {
            let child_path = format!("{path}.{}", child.name);
            self.name(&child_path, &child.name, &mut names);
            self.attribute(&child_path, child, parent.is_computed_only());
        }
    }
}

/// Sets of dynamic values cannot be hashed by cty; an object type's `["opt"]` markers are not
/// allowed in schemas.
fn type_problem(ty: &Type) -> Option<String> {
    match ty {
        Type::String | Type::Number | Type::Bool | Type::Dynamic => None,
        Type::List(e) | Type::Map(e) => type_problem(e),
        Type::Set(e) if has_dynamic(e) => Some("sets may not contain dynamic values".to_owned()),
        Type::Set(e) => type_problem(e),
        Type::Tuple(es) => es.iter().find_map(type_problem),
        Type::Object {
            attributes,
            optional,
        } => {
            if !optional.is_empty() {
                return Some("object types in schemas may not mark attributes optional".into());
            }
            attributes.values().find_map(type_problem)
        }
    }
}

fn has_dynamic(ty: &Type) -> bool {
    match ty {
        Type::Dynamic => true,
        Type::String | Type::Number | Type::Bool => false,
        Type::List(e) | Type::Set(e) | Type::Map(e) => has_dynamic(e),
        Type::Tuple(es) => es.iter().any(has_dynamic),
        Type::Object { attributes, .. } => attributes.values().any(has_dynamic),
    }
}

fn attribute_contains_write_only(attr: &Attribute) -> bool {
    attr.write_only
        || attr
            .nested_type()
            .is_some_and(|n| n.attributes.iter().any(attribute_contains_write_only))
}

fn block_contains_write_only(block: &Block) -> bool {
    block.attributes.iter().any(attribute_contains_write_only)
        || block
            .block_types
            .iter()
            .any(|b| block_contains_write_only(&b.block))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::model::{IdentityAttribute, NestedBlock};

    fn schema(attributes: Vec<Attribute>) -> Schema {
        Schema::new(0, Block::new("test").with_attributes(attributes))
    }

    fn assert_rejected(schema: &Schema, needle: &str) {
        let err = validate_schema(schema).expect_err("schema accepted");
        assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    }

    #[test]
    fn accepts_the_four_flag_combinations() {
        let s = schema(vec![
            Attribute::string("a", "d").required(),
            Attribute::string("b", "d").optional(),
            Attribute::string("c", "d").optional().computed(),
            Attribute::string("e", "d").computed(),
        ]);
        validate_schema(&s).unwrap();
    }

    #[test]
    fn rejects_bad_flag_combinations() {
        assert_rejected(
            &schema(vec![Attribute::string("a", "d")]),
            "a: must be required, optional or computed",
        );
        assert_rejected(
            &schema(vec![Attribute::string("a", "d").required().optional()]),
            "a: cannot be both required and optional",
        );
        assert_rejected(
            &schema(vec![Attribute::string("a", "d").required().computed()]),
            "a: cannot be both required and computed",
        );
        assert_rejected(
            &schema(vec![Attribute::string("a", "d")
                .optional()
                .computed()
                .write_only()]),
            "a: write-only attributes cannot be computed",
        );
    }

    #[test]
    fn rejects_bad_names_duplicates_and_reserved_words() {
        assert_rejected(
            &schema(vec![Attribute::string("Bad-Name", "d").optional()]),
            "Bad-Name: name",
        );
        let dup = Schema::new(
            0,
            Block::new("t")
                .with_attributes(vec![Attribute::string("x", "d").optional()])
                .with_block(NestedBlock::single("x", Block::new("b"))),
        );
        assert_rejected(&dup, "x: name declared twice");
        assert_rejected(
            &schema(vec![Attribute::string("count", "d").optional()]),
            "count: reserved",
        );
    }

    #[test]
    fn children_of_computed_only_nested_attributes_must_be_computed_only() {
        let s = schema(vec![Attribute::nested(
            "hw",
            ObjectNesting::Single,
            vec![Attribute::string("cpu", "d").optional().computed()],
            "d",
        )
        .computed()]);
        assert_rejected(&s, "hw.cpu: children of a computed-only nested attribute");
    }

    #[test]
    fn write_only_is_for_resources_only_and_not_in_sets() {
        let wo = || Attribute::string("secret", "d").optional().write_only();
        let s = schema(vec![wo()]);
        validate_schema(&s).unwrap();
        let err = validate_schema_as(SchemaKind::DataSource, &s).unwrap_err();
        assert!(err.contains("secret: write-only attributes exist only in managed resources"));
        let set = schema(vec![Attribute::nested(
            "s",
            ObjectNesting::Set,
            vec![wo()],
            "d",
        )
        .optional()]);
        assert_rejected(&set, "s: set nested attributes may not contain write-only");
    }

    #[test]
    fn rejects_missing_descriptions_and_bad_single_blocks() {
        assert_rejected(
            &schema(vec![Attribute::string("a", " ").optional()]),
            "a: missing description",
        );
        let mut block = NestedBlock::single("t", Block::new("b"));
        block.max_items = 2;
        let s = Schema::new(0, Block::new("t").with_block(block));
        assert_rejected(&s, "t: single blocks need");
    }

    #[test]
    fn identity_rules() {
        let attr = |name: &str, ty: Type, req: bool, opt: bool| IdentityAttribute {
            name: name.into(),
            r#type: ty,
            required_for_import: req,
            optional_for_import: opt,
            description: "d".into(),
        };
        let good = IdentitySchema {
            version: 0,
            attributes: vec![attr("a", Type::String, true, false)],
        };
        validate_identity_schema(&good).unwrap();
        let bad = IdentitySchema {
            version: 0,
            attributes: vec![
                attr("a", Type::map(Type::String), true, false),
                attr("b", Type::String, true, true),
            ],
        };
        let err = validate_identity_schema(&bad).unwrap_err();
        assert!(err.contains("a: identity attributes must be"), "{err}");
        assert!(err.contains("b: exactly one of"), "{err}");
    }
}
