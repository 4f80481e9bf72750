//! A protocol-independent schema model. The server converts it to tfplugin6 messages, the codec
//! derives value types from it, and the docs generator renders it.

use crate::codec::Type;

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
