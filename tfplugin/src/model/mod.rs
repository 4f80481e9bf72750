//! A resource's model, declared once as a Rust struct: `#[derive(Model)]` makes it the schema,
//! the decoder of configuration, plan and state, the encoder of new state, and the carrier of
//! its attributes' rules, which [`rules`] runs over values for any schema.
//!
//! ```
//! use tfplugin::model::{Computed, Known, Model};
//!
//! const LANGUAGES: &[&str] = &["en", "fr"];
//!
//! /// A greeting.
//! #[derive(Model)]
//! struct Greeting {
//!     /// Who to greet.
//!     #[tf(required)]
//!     name: Known<String>,
//!     /// The language; changing it replaces the greeting.
//!     #[tf(default = "en", one_of = LANGUAGES, requires_replace)]
//!     language: String,
//!     /// The greeting.
//!     #[tf(computed)]
//!     text: Computed<String>,
//! }
//!
//! let schema = Greeting::schema(0);
//! assert!(schema.block.attribute("language").unwrap().requires_replace);
//! ```
//!
//! Like the plugin framework's `tfsdk` structs, one type is read from config, plan and state
//! and written to state; unlike them, the mapping is code written at compile time, not
//! reflection at run time, and the Rust type says what a value can be:
//!
//! | field type              | Terraform                                        |
//! |-------------------------|--------------------------------------------------|
//! | `String`, `bool`        | `string`, `bool`                                 |
//! | `i64` `i32` `u64` `u32` `f64` [`Number`] | `number` (integers refuse fractions and out-of-range numbers) |
//! | `Option<T>`             | `T`, or null                                     |
//! | [`Known<T>`]            | `T`, or unknown (plan time)                      |
//! | [`Computed<T>`]         | `Option<Known<T>>`: null, unknown or a value     |
//! | `Vec<T>`, `BTreeMap<String, T>` | list, map; of a model: nested attributes  |
//! | a `#[derive(Model)]` struct | a single nested attribute                    |
//! | `#[tf(block)]` `Option<M>`, `Vec<M>`, `BTreeMap<String, M>` | a single, list, map block |
//!
//! Field options, `#[tf(...)]`: `required`, `optional`, `computed` (one is needed, or a
//! `default`), `sensitive`, `write_only`, `requires_replace`, `deprecated` or
//! `deprecated = "use x"`, `name = "..."` (else the field's name), `description = "..."` (else
//! the `///` comment, which is required), `default = <expr>` (anything `Into<Value>`; implies
//! optional and computed), `one_of = <&'static [&'static str]>` (a vocabulary's list),
//! `min`/`max = <i64>`, `min_length`/`max_length = <u64>`, `validate = path::to::check` (a
//! `fn(&T) -> Result<(), String>` where `T` is the field's type without `Option`/`Known`;
//! repeatable), `block`, `skip` (not an attribute: the model's own data, `Default` when
//! decoded). Each model also gets `<Model>::NAMES`, its attribute names as constants. On the struct: `#[tf(deprecated)]`.
//!
//! What the compiler refuses: an unknown option, required with optional/computed/default, a
//! computed or defaulted write-only attribute, an attribute or struct without description, a
//! field type that is not a Terraform type, an optional (without default), computed or
//! write-only field whose type cannot be null, a default that is not a value, a `one_of` that
//! is not a list of strings or judges a field that is not text, limits on a field they cannot
//! measure, a validator whose argument is not the field's type, a model with
//! blocks used as a nested attribute (Terraform nests only attributes there). A type of the
//! provider's own (a vocabulary enum) becomes a field type by implementing [`AttrValue`] (and
//! [`Textual`], for `one_of`).
//!
//! [`Number`]: crate::codec::Number

mod error;
mod field;
pub mod rules;

#[doc(hidden)]
pub mod __private;

pub use error::{DecodeError, DecodeErrorKind};
pub use field::{AttrValue, BlockValue, Computed, Known, Measured, Nullable, Numeric, Textual};
pub use rules::{finish_state, plan, validate_config, Planned};
pub use tfplugin_derive::Model;

use crate::codec::{AttributePath, Value};
use crate::schema::{Block, Schema};

/// A struct that is a schema block: `#[derive(Model)]` implements it.
pub trait Model: Sized {
    /// The block: attributes in field order, then blocks; each with its flags and rules.
    fn block() -> Block;

    fn schema(version: i64) -> Schema {
        Schema::new(version, Self::block())
    }

    /// The model of an object value (config, plan or state); `path` names it in errors.
    fn decode_at(value: &Value, path: &AttributePath) -> Result<Self, DecodeError>;

    /// The model of a whole configuration, plan or state. An attribute left null that has a
    /// default decodes as the default, as the plan will have it.
    fn decode(value: &Value) -> Result<Self, DecodeError> {
        Self::decode_at(value, &AttributePath::root())
    }

    /// Like [`Model::decode`], but reporting every attribute at fault, not only the first:
    /// each one found is read as null and the value decoded again, so that a diagnostic list
    /// names them all (a function's argument can be wrong in several places at once).
    fn decode_all(value: &Value) -> Result<Self, Vec<DecodeError>> {
        let mut value = value.clone();
        let mut errors: Vec<DecodeError> = Vec::new();
        loop {
            match Self::decode(&value) {
                Ok(model) if errors.is_empty() => return Ok(model),
                Ok(_) => return Err(errors),
                Err(error) => {
                    // Each round nulls one more value, so this ends; a null that is itself
                    // the fault (a required value) stops it at once.
                    let slot = value.get_path_mut(&error.path).filter(|v| !v.is_null());
                    let again = slot.is_some() && !errors.contains(&error);
                    if let Some(slot) = slot {
                        *slot = Value::Null;
                    }
                    errors.push(error);
                    if !again {
                        return Err(errors);
                    }
                }
            }
        }
    }

    /// The object value of this model, every attribute present: a new state or plan, before
    /// [`rules::finish_state`] nulls its write-only values.
    fn encode(&self) -> Value;
}

#[cfg(test)]
mod tests;

#[cfg(doctest)]
mod compile_fail;
