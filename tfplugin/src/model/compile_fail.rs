//! What `#[derive(Model)]` refuses through Rust's types, each a doctest that must fail to
//! compile with the error code given (the option-level refusals are tfplugin-derive's unit
//! tests). The first one compiles: the rest differ from it in one place.
//!
//! ```
//! use tfplugin::model::{Computed, Model};
//! fn no_x(s: &str) -> Result<(), String> { if s == "x" { Err("x".into()) } else { Ok(()) } }
//! /// A nested object.
//! #[derive(Model)]
//! struct Inner {
//!     /// Set.
//!     #[tf(required)]
//!     a: String,
//! }
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Optional.
//!     #[tf(optional, validate = no_x)]
//!     o: Option<String>,
//!     /// Computed.
//!     #[tf(computed)]
//!     c: Computed<String>,
//!     /// Defaulted.
//!     #[tf(default = "y", one_of = &["y"], min_length = 1)]
//!     d: String,
//!     /// Counted.
//!     #[tf(optional, min = 0, max = 9)]
//!     e: Option<Vec<u32>>,
//!     /// Nested.
//!     #[tf(optional)]
//!     n: Option<Inner>,
//!     /// Blocks.
//!     #[tf(block)]
//!     b: Vec<Inner>,
//! }
//! ```
//!
//! An optional attribute without default is null when unset: its type must hold null.
//! ```compile_fail,E0277
//! use tfplugin::model::Model;
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Optional.
//!     #[tf(optional)]
//!     o: String,
//! }
//! ```
//!
//! A computed one is null in the configuration.
//! ```compile_fail,E0277
//! use tfplugin::model::{Known, Model};
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Computed.
//!     #[tf(computed)]
//!     c: Known<String>,
//! }
//! ```
//!
//! A field type that is not a Terraform type.
//! ```compile_fail,E0277
//! use tfplugin::model::Model;
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// A duration.
//!     #[tf(required)]
//!     t: std::time::Duration,
//! }
//! ```
//!
//! A validator of another type than the field's.
//! ```compile_fail,E0308
//! use tfplugin::model::Model;
//! fn positive(n: &i64) -> Result<(), String> { if *n > 0 { Ok(()) } else { Err("no".into()) } }
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Text.
//!     #[tf(required, validate = positive)]
//!     s: String,
//! }
//! ```
//!
//! A default that is not a Terraform value.
//! ```compile_fail,E0277
//! use tfplugin::model::Model;
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Defaulted.
//!     #[tf(default = std::time::Duration::ZERO)]
//!     d: String,
//! }
//! ```
//!
//! Allowed values that are not strings.
//! ```compile_fail,E0308
//! use tfplugin::model::Model;
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Chosen.
//!     #[tf(required, one_of = &[1, 2])]
//!     s: String,
//! }
//! ```
//!
//! Allowed values for a field that is not text.
//! ```compile_fail,E0277
//! use tfplugin::model::Model;
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Counted.
//!     #[tf(required, one_of = &["1"])]
//!     n: i64,
//! }
//! ```
//!
//! Numeric limits for a field that is not a number.
//! ```compile_fail,E0277
//! use tfplugin::model::Model;
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Text.
//!     #[tf(optional, max = 3)]
//!     s: Option<String>,
//! }
//! ```
//!
//! A model with blocks cannot be a nested attribute (Terraform nests attributes only there).
//! ```compile_fail,E0277
//! use tfplugin::model::Model;
//! /// A nested object.
//! #[derive(Model)]
//! struct Inner {
//!     /// Blocks.
//!     #[tf(block)]
//!     b: Vec<Leaf>,
//! }
//! /// A leaf.
//! #[derive(Model)]
//! struct Leaf {
//!     /// Set.
//!     #[tf(required)]
//!     a: String,
//! }
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Nested.
//!     #[tf(required)]
//!     n: Inner,
//! }
//! ```
//!
//! A block of a type that is not a model.
//! ```compile_fail,E0277
//! use tfplugin::model::Model;
//! /// A thing.
//! #[derive(Model)]
//! struct Thing {
//!     /// Blocks.
//!     #[tf(block)]
//!     b: Vec<String>,
//! }
//! ```
