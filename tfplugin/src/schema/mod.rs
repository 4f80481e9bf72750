//! Schemas as a provider declares them (`model`), and the rules Terraform enforces on them
//! (`validate`), checked before any schema is served.

pub mod model;
pub mod validate;

pub use model::{
    Attribute, AttributeType, Block, BlockNesting, IdentityAttribute, IdentitySchema,
    NestedAttributes, NestedBlock, ObjectNesting, Schema,
};
pub use validate::{validate_identity_schema, validate_schema, validate_schema_as, SchemaKind};
