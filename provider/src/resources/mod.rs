//! Managed resources: each one module holding its schema, its typed configuration, its plan and
//! its CRUD (`handler.rs`), registered in [`crate::provider::registry`].

pub mod baremetal_host;
