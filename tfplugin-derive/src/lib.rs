//! `#[derive(Model)]`: a struct declared once is a Terraform schema block, a decoder from
//! Terraform values, an encoder into state, and the rules of its attributes. The trait it
//! implements, the field types it understands and the rules it declares are documented in
//! `tfplugin::model`; this crate only reads the struct and writes the code.
//!
//! Everything the macro can check is checked while compiling: a misspelt option, a flag
//! combination Terraform refuses (required and computed, a computed write-only), an attribute
//! without a description, a default of the wrong type, an optional attribute whose Rust type
//! cannot be null, a validator whose argument is not the field's type. Nothing is looked up at
//! run time.

mod expand;
mod spec;

use proc_macro::TokenStream;

/// Implements `tfplugin::model::Model` (and `AttrValue`, when the struct has no blocks, so that it
/// can be a nested attribute of another model). See `tfplugin::model` for the `#[tf(...)]`
/// options.
#[proc_macro_derive(Model, attributes(tf))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    spec::ModelSpec::parse(&input)
        .map(|model| expand::model(&model))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
