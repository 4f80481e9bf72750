//! The value codec: Terraform's cty types and values, and their msgpack/JSON wire forms.

pub mod types;

pub use types::{Type, TypeError};
