//! Schemas of the provider configuration, the resource, the data sources and the resource identity.

pub mod model;

pub use model::{
    Attribute, AttributeType, Block, BlockNesting, NestedAttributes, NestedBlock, ObjectNesting,
    Schema,
};
