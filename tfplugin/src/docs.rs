//! Markdown argument/attribute reference rendered from a schema block, in the Terraform registry
//! style: grouped lists (`Required`, `Optional`, `Read-Only`) of `` `name` (Type, Flags) text ``,
//! with one anchored section per nested attribute or block, linked from its parent.

use std::fmt::Write as _;

use crate::codec::Type;
use crate::schema::{Attribute, AttributeType, Block, BlockNesting, NestedBlock, ObjectNesting};

/// An attribute or nested block, seen uniformly for rendering.
enum Item<'a> {
    Attribute(&'a Attribute),
    Block(&'a NestedBlock),
}

impl Item<'_> {
    fn name(&self) -> &str {
        match self {
            Item::Attribute(a) => &a.name,
            Item::Block(b) => &b.type_name,
        }
    }

    fn is_argument(&self) -> bool {
        match self {
            Item::Attribute(a) => a.required || a.optional,
            Item::Block(_) => true,
        }
    }

    fn group(&self) -> Group {
        match self {
            Item::Attribute(a) if a.required => Group::Required,
            Item::Attribute(a) if a.optional => Group::Optional,
            Item::Attribute(_) => Group::ReadOnly,
            Item::Block(b) if b.min_items > 0 => Group::Required,
            Item::Block(_) => Group::Optional,
        }
    }

    /// Children that get their own section: nested attributes and blocks.
    fn children(&self) -> Option<Vec<Item<'_>>> {
        match self {
            Item::Attribute(a) => a
                .nested_type()
                .map(|n| n.attributes.iter().map(Item::Attribute).collect()),
            Item::Block(b) => Some(items(&b.block)),
        }
    }

    fn label(&self) -> String {
        let mut parts = vec![match self {
            Item::Attribute(a) => match &a.r#type {
                AttributeType::Type(t) => type_label(t),
                AttributeType::Nested(n) => match n.nesting {
                    ObjectNesting::Single => "Attributes".to_owned(),
                    ObjectNesting::List => "List of Attributes".to_owned(),
                    ObjectNesting::Set => "Set of Attributes".to_owned(),
                    ObjectNesting::Map => "Map of Attributes".to_owned(),
                },
            },
            Item::Block(b) => match b.nesting {
                BlockNesting::Single | BlockNesting::Group => "Block".to_owned(),
                BlockNesting::List => "Block List".to_owned(),
                BlockNesting::Set => "Block Set".to_owned(),
                BlockNesting::Map => "Block Map".to_owned(),
            },
        }];
        if let Item::Attribute(a) = self {
            if a.sensitive {
                parts.push("Sensitive".to_owned());
            }
            if a.write_only {
                parts.push("Write-only".to_owned());
            }
            if a.deprecated {
                parts.push("Deprecated".to_owned());
            }
        }
        parts.join(", ")
    }

    fn description(&self) -> &str {
        match self {
            Item::Attribute(a) => &a.description,
            Item::Block(b) => &b.block.description,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Required,
    Optional,
    ReadOnly,
}

impl Group {
    const ALL: [Group; 3] = [Group::Required, Group::Optional, Group::ReadOnly];

    fn title(self) -> &'static str {
        match self {
            Group::Required => "Required",
            Group::Optional => "Optional",
            Group::ReadOnly => "Read-Only",
        }
    }
}

fn items(block: &Block) -> Vec<Item<'_>> {
    block
        .attributes
        .iter()
        .map(Item::Attribute)
        .chain(block.block_types.iter().map(Item::Block))
        .collect()
}

fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_label(e)),
        Type::Set(e) => format!("Set of {}", type_label(e)),
        Type::Map(e) => format!("Map of {}", type_label(e)),
        Type::Tuple(_) => "Tuple".into(),
        Type::Object { .. } => "Object".into(),
    }
}

/// `nested--hardware--cpu` for `hardware.cpu`.
fn anchor(path: &str) -> String {
    format!("nested--{}", path.replace('.', "--"))
}

/// One list entry; continuation lines of multi-line descriptions are indented under the bullet.
fn entry(out: &mut String, item: &Item<'_>, path: &str) {
    let description = item.description().trim().replace("\n", "\n  ");
    let description = description.replace("\n  \n", "\n\n");
    write!(
        out,
        "- `{}` ({}) {}",
        item.name(),
        item.label(),
        description
    )
    .unwrap();
    if item.children().is_some() {
        write!(out, " See [below](#{}).", anchor(path)).unwrap();
    }
    out.push('\n');
}

fn grouped_list(out: &mut String, entries: &[(&Item<'_>, String)], heading: &str) {
    for group in Group::ALL {
        let members: Vec<_> = entries.iter().filter(|(i, _)| i.group() == group).collect();
        if members.is_empty() {
            continue;
        }
        if heading.is_empty() {
            writeln!(out, "{}:\n", group.title()).unwrap();
        } else {
            writeln!(out, "{heading} {}\n", group.title()).unwrap();
        }
        for (item, path) in members {
            entry(out, item, path);
        }
        out.push('\n');
    }
}

/// Sections for every nested attribute/block under `items`, depth first.
fn nested_sections(out: &mut String, items: &[(&Item<'_>, String)]) {
    for (item, path) in items {
        let Some(children) = item.children() else {
            continue;
        };
        let children_with_paths: Vec<_> = children
            .iter()
            .map(|c| (c, format!("{path}.{}", c.name())))
            .collect();
        writeln!(out, "<a id=\"{}\"></a>", anchor(path)).unwrap();
        writeln!(out, "### Nested Schema for `{path}`\n").unwrap();
        grouped_list(out, &children_with_paths, "");
        nested_sections(out, &children_with_paths);
    }
}

/// `## Argument Reference` (arguments and their nested sections) and `## Attribute Reference`
/// (read-only attributes and theirs); a section without entries is left out.
pub fn render(block: &Block) -> String {
    let all = items(block);
    let with_paths = |pred: &dyn Fn(&Item<'_>) -> bool| {
        all.iter()
            .filter(|i| pred(i))
            .map(|i| (i, i.name().to_owned()))
            .collect::<Vec<_>>()
    };
    let arguments = with_paths(&|i| i.is_argument());
    let read_only = with_paths(&|i| !i.is_argument());

    let mut out = String::new();
    if !arguments.is_empty() {
        out.push_str("## Argument Reference\n\n");
        grouped_list(&mut out, &arguments, "###");
        nested_sections(&mut out, &arguments);
    }
    if !read_only.is_empty() {
        out.push_str("## Attribute Reference\n\n");
        for (item, path) in &read_only {
            entry(&mut out, item, path);
        }
        out.push('\n');
        nested_sections(&mut out, &read_only);
    }
    out.trim_end().to_owned()
}

/// A type as Terraform writes a type constraint, objects and tuples shortened.
fn type_constraint(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Number => "number".into(),
        Type::Bool => "bool".into(),
        Type::Dynamic => "any".into(),
        Type::List(e) => format!("list({})", type_constraint(e)),
        Type::Set(e) => format!("set({})", type_constraint(e)),
        Type::Map(e) => format!("map({})", type_constraint(e)),
        Type::Tuple(_) => "tuple".into(),
        Type::Object { .. } => "object".into(),
    }
}

/// The attributes of an object type (or of the objects in a collection), one entry each.
fn object_attributes(out: &mut String, ty: &Type) {
    match ty {
        Type::List(e) | Type::Set(e) | Type::Map(e) => object_attributes(out, e),
        Type::Object { attributes, .. } => {
            for (name, attribute) in attributes {
                writeln!(out, "- `{name}` ({})", type_constraint(attribute)).unwrap();
            }
        }
        _ => {}
    }
}

/// A function's reference: its signature as called from configuration, its arguments and what
/// it returns. `provider`: the provider's local name (`metal3` in `provider::metal3::...`).
pub fn render_function(
    provider: &str,
    name: &str,
    signature: &crate::function::Signature,
) -> String {
    let mut parameters: Vec<String> = signature
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.name, type_constraint(&p.r#type)))
        .collect();
    if let Some(v) = &signature.variadic {
        parameters.push(format!("{}... {}", v.name, type_constraint(&v.r#type)));
    }
    let mut out = String::new();
    writeln!(
        out,
        "## Signature
"
    )
    .unwrap();
    writeln!(
        out,
        "```text\nprovider::{provider}::{name}({}) {}\n```\n",
        parameters.join(", "),
        type_constraint(&signature.returns)
    )
    .unwrap();
    writeln!(
        out,
        "## Arguments
"
    )
    .unwrap();
    for (i, p) in signature
        .parameters
        .iter()
        .chain(&signature.variadic)
        .enumerate()
    {
        let null = if p.allow_null { ", may be null" } else { "" };
        let description = p.description.trim().replace('\n', "\n   ");
        writeln!(
            out,
            "{}. `{}` ({}{null}) {description}",
            i + 1,
            p.name,
            type_label(&p.r#type)
        )
        .unwrap();
    }
    writeln!(out, "\n## Return Type\n").unwrap();
    let mut attributes = String::new();
    object_attributes(&mut attributes, &signature.returns);
    let label = type_label(&signature.returns);
    if attributes.is_empty() {
        writeln!(out, "{label}").unwrap();
    } else {
        writeln!(out, "{label} with these attributes:\n\n{attributes}").unwrap();
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, NestedBlock};

    #[test]
    fn renders_a_function_signature_arguments_and_return_attributes() {
        use crate::function::{Parameter, Signature};
        let signature = Signature {
            summary: "s".into(),
            description: "d".into(),
            parameters: vec![Parameter::new("address", Type::String, "A BMC URL.")],
            variadic: None,
            returns: Type::object([("host", Type::String), ("port", Type::Number)]),
        };
        let page = render_function("metal3", "bmc_address", &signature);
        assert!(
            page.contains("provider::metal3::bmc_address(address string) object\n"),
            "{page}"
        );
        assert!(page.contains("1. `address` (String) A BMC URL."), "{page}");
        assert!(
            page.contains("- `host` (string)\n- `port` (number)"),
            "{page}"
        );
    }

    #[test]
    fn renders_groups_flags_and_nested_sections() {
        let block = Block::new("b")
            .with_attributes(vec![
                Attribute::string("name", "The name.").required(),
                Attribute::nested(
                    "bmc",
                    ObjectNesting::Single,
                    vec![
                        Attribute::string("address", "Where.\n\n- `a`: x").required(),
                        Attribute::string("password_wo", "Secret.")
                            .optional()
                            .sensitive()
                            .write_only(),
                    ],
                    "The BMC.",
                )
                .required(),
                Attribute::nested(
                    "hw",
                    ObjectNesting::List,
                    vec![Attribute::typed("flags", Type::list(Type::String), "F.").computed()],
                    "Hardware.",
                )
                .computed(),
            ])
            .with_block(NestedBlock::single(
                "timeouts",
                Block::new("Limits.")
                    .with_attributes(vec![Attribute::string("create", "C.").optional()]),
            ));
        let md = render(&block);
        assert!(
            md.contains("### Required\n\n- `name` (String) The name.\n"),
            "{md}"
        );
        assert!(md.contains("- `bmc` (Attributes) The BMC. See [below](#nested--bmc).\n"));
        assert!(md.contains(
            "### Optional\n\n- `timeouts` (Block) Limits. See [below](#nested--timeouts)."
        ));
        assert!(
            md.contains("- `address` (String) Where.\n\n  - `a`: x\n"),
            "{md}"
        );
        assert!(md.contains("- `password_wo` (String, Sensitive, Write-only) Secret."));
        assert!(md.contains("## Attribute Reference\n\n- `hw` (List of Attributes) Hardware."));
        assert!(md.contains("<a id=\"nested--hw\"></a>\n### Nested Schema for `hw`\n\nRead-Only:\n\n- `flags` (List of String) F."));
        let args = md.find("## Argument Reference").unwrap();
        let attrs = md.find("## Attribute Reference").unwrap();
        let bmc_section = md.find("### Nested Schema for `bmc`").unwrap();
        assert!(args < bmc_section && bmc_section < attrs);
    }
}
