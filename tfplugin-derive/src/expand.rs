//! The code a model becomes: `impl Model` (schema block, decoder, encoder) and, for a struct
//! without blocks, `impl AttrValue` so that it can nest as an attribute; plus the trait bounds
//! that turn a wrong field type into a compile error at the field.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::spec::{FieldSpec, ModelSpec};

pub fn model(model: &ModelSpec) -> TokenStream {
    let ident = &model.ident;
    let description = &model.description;
    let deprecated = model.deprecated;
    let declared = || model.fields.iter().filter(|f| !f.flags.skip);
    let (blocks, attributes): (Vec<&FieldSpec>, Vec<&FieldSpec>) =
        declared().partition(|f| f.flags.block);
    let attribute_schemas = attributes.iter().map(|f| attribute_schema(f));
    let block_schemas = blocks.iter().map(|f| block_schema(f));
    let decoders = model.fields.iter().map(decoder);
    let encoders = declared().map(encoder);
    let checks = declared().map(type_checks);
    // A nested attribute holds attributes only: a model with blocks can only be a block.
    let as_attribute = blocks.is_empty().then(|| {
        quote! {
            impl ::tfplugin::model::AttrValue for #ident {
                type Plain = Self;
                fn attribute_type() -> __tf::AttributeType {
                    __tf::nested_single::<Self>()
                }
                fn from_value(
                    value: &__tf::Value,
                    path: &__tf::AttributePath,
                ) -> ::std::result::Result<Self, __tf::DecodeError> {
                    <Self as ::tfplugin::model::Model>::decode_at(value, path)
                }
                fn to_value(&self) -> __tf::Value {
                    <Self as ::tfplugin::model::Model>::encode(self)
                }
            }
        }
    });
    let names = names(model);
    quote! {
        #names

        const _: () = {
            use ::tfplugin::model::__private as __tf;

            impl ::tfplugin::model::Model for #ident {
                fn block() -> __tf::Block {
                    let mut block = __tf::Block::new(#description);
                    block.deprecated = #deprecated;
                    block.attributes = ::std::vec![#(#attribute_schemas),*];
                    block.block_types = ::std::vec![#(#block_schemas),*];
                    block
                }

                fn decode_at(
                    value: &__tf::Value,
                    path: &__tf::AttributePath,
                ) -> ::std::result::Result<Self, __tf::DecodeError> {
                    let fields = __tf::object_fields(value, path)?;
                    ::std::result::Result::Ok(Self { #(#decoders),* })
                }

                fn encode(&self) -> __tf::Value {
                    __tf::object(::std::vec![#(#encoders),*])
                }
            }

            #as_attribute

            #(#checks)*
        };
    }
}

fn default_value(field: &FieldSpec) -> TokenStream {
    match &field.default {
        Some(expr) => quote_spanned! {expr.span()=>
            ::std::option::Option::Some(__tf::Value::from(#expr))
        },
        None => quote!(::std::option::Option::None),
    }
}

fn some_or_none<T: quote::ToTokens>(expr: Option<&T>, ty: TokenStream) -> TokenStream {
    match expr {
        Some(e) => quote_spanned! {e.span()=> ::std::option::Option::Some::<#ty>(#e)},
        None => quote!(::std::option::Option::None),
    }
}

/// The description: the `///` text or literal, or the expression that makes it.
fn description(field: &FieldSpec) -> TokenStream {
    match &field.description_expr {
        Some(expr) => quote!(#expr),
        None => {
            let text = &field.description;
            quote!(#text)
        }
    }
}

fn attribute_schema(field: &FieldSpec) -> TokenStream {
    let (name, ty, description) = (&field.name, &field.ty, description(field));
    let f = &field.flags;
    let (required, optional, computed) = (f.required, f.optional, f.computed);
    let (sensitive, write_only, requires_replace) = (f.sensitive, f.write_only, f.requires_replace);
    let deprecated = field.deprecated.is_some();
    let default = default_value(field);
    let mut rules = Vec::new();
    if let Some(Some(message)) = &field.deprecated {
        rules.push(quote!(__tf::Rule::Deprecated(#message)));
    }
    if let Some(values) = &field.one_of {
        rules.push(quote_spanned! {values.span()=> __tf::Rule::OneOf(#values)});
    }
    if field.min.is_some() || field.max.is_some() {
        let min = some_or_none(field.min.as_ref(), quote!(i64));
        let max = some_or_none(field.max.as_ref(), quote!(i64));
        rules.push(quote!(__tf::Rule::Range { min: #min, max: #max }));
    }
    if field.min_length.is_some() || field.max_length.is_some() {
        let min = some_or_none(field.min_length.as_ref(), quote!(u64));
        let max = some_or_none(field.max_length.as_ref(), quote!(u64));
        rules.push(quote!(__tf::Rule::Length { min: #min, max: #max }));
    }
    for validator in &field.validators {
        let name = quote!(#validator).to_string().replace(' ', "");
        // A closure that captures nothing is a fn pointer; the user's function is called with
        // the field's plain type, so its signature is checked here, at its path.
        rules.push(quote_spanned! {validator.span()=>
            __tf::Rule::Custom(__tf::Validator {
                name: #name,
                check: |value: &__tf::Value| -> ::std::result::Result<(), ::std::string::String> {
                    let plain = <<#ty as __tf::AttrValue>::Plain as __tf::AttrValue>::from_value(
                        value,
                        &__tf::AttributePath::root(),
                    )
                    .map_err(|e| e.to_string())?;
                    #validator(&plain)
                },
            })
        });
    }
    quote_spanned! {ty.span()=>
        {
            let mut attribute = __tf::Attribute::new(
                #name,
                <#ty as __tf::AttrValue>::attribute_type(),
                #description,
            );
            attribute.required = #required;
            attribute.optional = #optional;
            attribute.computed = #computed;
            attribute.sensitive = #sensitive;
            attribute.write_only = #write_only;
            attribute.deprecated = #deprecated;
            attribute.requires_replace = #requires_replace;
            attribute.default = #default;
            attribute.rules = ::std::vec![#(#rules),*];
            attribute
        }
    }
}

fn block_schema(field: &FieldSpec) -> TokenStream {
    let (name, ty, description) = (&field.name, &field.ty, description(field));
    let deprecated = field.deprecated.is_some();
    quote_spanned! {ty.span()=>
        <#ty as __tf::BlockValue>::nested_block(#name, ::std::convert::AsRef::<str>::as_ref(&#description), #deprecated)
    }
}

fn decoder(field: &FieldSpec) -> TokenStream {
    let (ident, name, ty) = (&field.ident, &field.name, &field.ty);
    if field.flags.skip {
        return quote_spanned! {ty.span()=> #ident: ::std::default::Default::default()};
    }
    if field.flags.block {
        return quote_spanned! {ty.span()=>
            #ident: __tf::block_field::<#ty>(fields, #name, path)?
        };
    }
    let default = default_value(field);
    quote_spanned! {ty.span()=>
        #ident: __tf::field::<#ty>(fields, #name, path, #default)?
    }
}

fn encoder(field: &FieldSpec) -> TokenStream {
    let (ident, name) = (&field.ident, &field.name);
    if field.flags.block {
        return quote!((#name, __tf::BlockValue::to_block_value(&self.#ident)));
    }
    quote!((#name, __tf::AttrValue::to_value(&self.#ident)))
}

/// Bounds checked by the compiler, reported at the field's type (or the rule's value).
fn type_checks(field: &FieldSpec) -> TokenStream {
    let ty = &field.ty;
    let mut checks = TokenStream::new();
    if field.nullable() {
        checks.extend(quote_spanned! {ty.span()=>
            const _: fn() = __tf::nullable::<#ty>;
        });
    }
    let plain = quote!(<#ty as __tf::AttrValue>::Plain);
    if let Some(values) = &field.one_of {
        checks.extend(quote_spanned! {values.span()=>
            const _: fn() = __tf::textual::<#plain>;
        });
    }
    if let Some(limit) = field.min.as_ref().or(field.max.as_ref()) {
        checks.extend(quote_spanned! {limit.span()=>
            const _: fn() = __tf::numeric::<#plain>;
        });
    }
    if let Some(limit) = field.min_length.as_ref().or(field.max_length.as_ref()) {
        checks.extend(quote_spanned! {limit.span()=>
            const _: fn() = __tf::measured::<#plain>;
        });
    }
    checks
}

/// `<Model>Names` and `<Model>::NAMES`: each field's attribute name as a constant, so that code
/// naming an attribute (a diagnostic's path, a plan's words) is checked by the compiler and
/// follows a rename, instead of repeating the name as a string.
fn names(model: &ModelSpec) -> TokenStream {
    let (ident, vis) = (&model.ident, &model.vis);
    let names = quote::format_ident!("{}Names", ident);
    let declared = || model.fields.iter().filter(|f| !f.flags.skip);
    let fields: Vec<_> = declared().map(|f| &f.ident).collect();
    let values = declared().map(|f| &f.name);
    let doc = format!("The attribute names of [`{ident}`], one per field.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        #vis struct #names {
            #(pub #fields: &'static str,)*
        }

        impl #ident {
            /// The attribute name of each field.
            #vis const NAMES: #names = #names { #(#fields: #values,)* };
        }
    }
}
