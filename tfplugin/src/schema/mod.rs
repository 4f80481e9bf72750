//! Schemas as a provider declares them (`model`), and the rules Terraform enforces on them
//! (`validate`), checked before any schema is served, and what a schema decides about values in plans and states (`values`).

pub mod model;
#[cfg(test)]
pub(crate) mod test_schema;
pub mod validate;
pub mod values;

pub use model::{
    Attribute, AttributeType, Block, BlockNesting, IdentityAttribute, IdentitySchema,
    NestedAttributes, NestedBlock, ObjectNesting, Schema,
};
pub use validate::{validate_identity_schema, validate_schema, validate_schema_as, SchemaKind};
