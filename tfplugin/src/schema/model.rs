//! A protocol-independent schema model. The server converts it to tfplugin6 messages, the codec
//! derives value types from it, and the docs generator renders it.

use super::rule::Rule;
use crate::codec::{Type, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub block_types: Vec<NestedBlock>,
    /// Markdown.
    pub description: String,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AttributeType {
    /// A plain cty type (`type` in the protocol).
    Type(Type),
    /// Nested attributes (`nested_type` in the protocol), written `attr = { ... }` in HCL.
    Nested(NestedAttributes),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub r#type: AttributeType,
    /// Markdown.
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub write_only: bool,
    pub deprecated: bool,
    /// Written into the plan when the configuration leaves this optional+computed attribute
    /// unset, so the plan shows the exact value apply will use ([`super::values::apply_defaults`]).
    pub default: Option<Value>,
    /// A change of this attribute replaces the object ([`super::values::requires_replace`]).
    pub requires_replace: bool,
    /// Checks of configured values ([`crate::model::validate_config`] runs them).
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectNesting {
    Single,
    List,
    Set,
    Map,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NestedAttributes {
    pub nesting: ObjectNesting,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockNesting {
    Single,
    Group,
    List,
    Set,
    Map,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: BlockNesting,
    pub min_items: i64,
    pub max_items: i64,
}

impl Attribute {
    /// The cty type of this attribute's value.
    pub fn value_type(&self) -> Type {
        match &self.r#type {
            AttributeType::Type(t) => t.clone(),
            AttributeType::Nested(n) => n.value_type(),
        }
    }
}

impl NestedAttributes {
    pub fn value_type(&self) -> Type {
        let object = Type::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.value_type())),
        );
        match self.nesting {
            ObjectNesting::Single => object,
            ObjectNesting::List => Type::list(object),
            ObjectNesting::Set => Type::set(object),
            ObjectNesting::Map => Type::map(object),
        }
    }
}

impl Block {
    /// The cty object type of a value conforming to this block.
    pub fn value_type(&self) -> Type {
        let attrs = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.value_type()));
        let blocks = self.block_types.iter().map(|b| {
            let object = b.block.value_type();
            let ty = match b.nesting {
                BlockNesting::Single | BlockNesting::Group => object,
                BlockNesting::List => Type::list(object),
                BlockNesting::Set => Type::set(object),
                BlockNesting::Map => Type::map(object),
            };
            (b.type_name.clone(), ty)
        });
        Type::object(attrs.chain(blocks))
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn block_type(&self, name: &str) -> Option<&NestedBlock> {
        self.block_types.iter().find(|b| b.type_name == name)
    }
}

/// The schema of a managed resource's identity (protocol 6.9+, Terraform >= 1.12): the attributes
/// that name one remote object, used by `import {}` blocks with `identity = {...}` and by list
/// resources.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IdentityAttribute {
    pub name: String,
    pub r#type: Type,
    pub required_for_import: bool,
    pub optional_for_import: bool,
    /// Markdown.
    pub description: String,
}

impl IdentitySchema {
    /// The cty object type of an identity value.
    pub fn value_type(&self) -> Type {
        Type::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.r#type.clone())),
        )
    }

    pub fn attribute(&self, name: &str) -> Option<&IdentityAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

// Builders: schema declarations read as `Attribute::string("name", "...").required()`.

impl Schema {
    pub fn new(version: i64, block: Block) -> Schema {
        Schema { version, block }
    }
}

impl Attribute {
    /// An attribute with no flags set; chain `.required()`, `.optional()`, `.computed()`, ...
    pub fn new(
        name: impl Into<String>,
        r#type: AttributeType,
        description: impl Into<String>,
    ) -> Attribute {
        Attribute {
            name: name.into(),
            r#type,
            description: description.into(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
            default: None,
            requires_replace: false,
            rules: Vec::new(),
        }
    }

    pub fn typed(name: impl Into<String>, ty: Type, description: impl Into<String>) -> Attribute {
        Attribute::new(name, AttributeType::Type(ty), description)
    }

    pub fn string(name: impl Into<String>, description: impl Into<String>) -> Attribute {
        Attribute::typed(name, Type::String, description)
    }

    pub fn number(name: impl Into<String>, description: impl Into<String>) -> Attribute {
        Attribute::typed(name, Type::Number, description)
    }

    pub fn bool(name: impl Into<String>, description: impl Into<String>) -> Attribute {
        Attribute::typed(name, Type::Bool, description)
    }

    /// A nested attribute (`nested_type`), written `name = { ... }` (single) or
    /// `name = [{ ... }]` (list/set).
    pub fn nested(
        name: impl Into<String>,
        nesting: ObjectNesting,
        attributes: Vec<Attribute>,
        description: impl Into<String>,
    ) -> Attribute {
        Attribute::new(
            name,
            AttributeType::Nested(NestedAttributes {
                nesting,
                attributes,
            }),
            description,
        )
    }

    pub fn required(mut self) -> Attribute {
        self.required = true;
        self
    }

    pub fn optional(mut self) -> Attribute {
        self.optional = true;
        self
    }

    pub fn computed(mut self) -> Attribute {
        self.computed = true;
        self
    }

    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }

    pub fn write_only(mut self) -> Attribute {
        self.write_only = true;
        self
    }

    pub fn deprecated(mut self) -> Attribute {
        self.deprecated = true;
        self
    }

    /// Optional and computed, with `value` planned when the configuration leaves it unset.
    pub fn default(mut self, value: impl Into<Value>) -> Attribute {
        self.optional = true;
        self.computed = true;
        self.default = Some(value.into());
        self
    }

    pub fn requires_replace(mut self) -> Attribute {
        self.requires_replace = true;
        self
    }

    /// A check of configured values ([`Rule`]).
    pub fn rule(mut self, rule: Rule) -> Attribute {
        self.rules.push(rule);
        self
    }

    /// Computed and neither required nor optional: the practitioner cannot set it.
    pub fn is_computed_only(&self) -> bool {
        self.computed && !self.optional && !self.required
    }

    pub fn nested_type(&self) -> Option<&NestedAttributes> {
        match &self.r#type {
            AttributeType::Nested(n) => Some(n),
            AttributeType::Type(_) => None,
        }
    }

    /// A child of a nested attribute.
    pub fn nested_attribute(&self, name: &str) -> Option<&Attribute> {
        self.nested_type()?
            .attributes
            .iter()
            .find(|a| a.name == name)
    }
}

impl Block {
    pub fn new(description: impl Into<String>) -> Block {
        Block {
            description: description.into(),
            ..Block::default()
        }
    }

    pub fn with_attributes(mut self, attributes: Vec<Attribute>) -> Block {
        self.attributes.extend(attributes);
        self
    }

    pub fn with_block(mut self, block: NestedBlock) -> Block {
        self.block_types.push(block);
        self
    }

    /// An attribute reached through nested attributes, e.g. `["bmc", "password"]`.
    pub fn attribute_at(&self, path: &[&str]) -> Option<&Attribute> {
        let (first, rest) = path.split_first()?;
        rest.iter().try_fold(self.attribute(first)?, |attr, name| {
            attr.nested_attribute(name)
        })
    }
}

impl NestedBlock {
    /// A block that appears at most once (`timeouts { ... }`), null when absent.
    pub fn single(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock {
            type_name: type_name.into(),
            block,
            nesting: BlockNesting::Single,
            min_items: 0,
            max_items: 0,
        }
    }
}
