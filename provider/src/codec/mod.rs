//! The value codec: Terraform's cty types and values, and their msgpack/JSON wire forms
//! (hashicorp/terraform docs/plugin-protocol/object-wire-format.md).

pub mod error;
pub mod json;
pub mod msgpack;
pub mod number;
pub mod path;
pub mod types;
pub mod value;

pub use error::{CodecError, ErrorKind};
pub use number::{Number, NumberError};
pub use path::{AttributePath, PathStep};
pub use types::{Type, TypeError};
pub use value::{Refinements, Value};

/// How deeply values may nest (containers and `dynamic` wrappers). Decoding stops with an error
/// beyond this, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;
