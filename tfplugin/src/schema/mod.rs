//! Schemas as a provider declares them (`model`), with their attributes' checks of configured
//! values (`rule`); the rules Terraform enforces on schemas (`validate`), checked before any
//! schema is served; and what a schema decides about values in plans and states (`values`).

pub mod model;
pub mod rule;
#[cfg(test)]
pub(crate) mod test_schema;
pub mod validate;
pub mod values;

pub use model::{
    Attribute, AttributeType, Block, BlockNesting, IdentityAttribute, IdentitySchema,
    NestedAttributes, NestedBlock, ObjectNesting, Schema,
};
pub use rule::{Rule, Validator};
pub use validate::{validate_identity_schema, validate_schema, validate_schema_as, SchemaKind};
