//! The struct as the macro understands it: its fields and their `#[tf(...)]` options, checked
//! for the combinations Terraform refuses before any code is written.

use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Expr, Fields, Ident, LitStr, Path, Type};

pub struct ModelSpec {
    pub ident: Ident,
    pub vis: syn::Visibility,
    pub description: String,
    pub deprecated: bool,
    pub fields: Vec<FieldSpec>,
}

#[derive(Default)]
pub struct Flags {
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub write_only: bool,
    pub requires_replace: bool,
    pub block: bool,
    /// Not an attribute: the model's own data, `Default` when decoded, never encoded.
    pub skip: bool,
}

pub struct FieldSpec {
    pub ident: Ident,
    pub ty: Type,
    /// The attribute's name in Terraform.
    pub name: String,
    pub description: String,
    /// `description = <expression>`: text made when the schema is (e.g. a vocabulary's list).
    pub description_expr: Option<Expr>,
    pub flags: Flags,
    /// `Some(None)`: deprecated without a message.
    pub deprecated: Option<Option<LitStr>>,
    pub default: Option<Expr>,
    pub one_of: Option<Expr>,
    pub min: Option<Expr>,
    pub max: Option<Expr>,
    pub min_length: Option<Expr>,
    pub max_length: Option<Expr>,
    pub validators: Vec<Path>,
}

const OPTIONS: &str = "required, optional, computed, sensitive, write_only, requires_replace, \
     block, skip, deprecated, name, description, default, one_of, min, max, min_length, max_length, \
     validate";

impl ModelSpec {
    pub fn parse(input: &DeriveInput) -> syn::Result<ModelSpec> {
        if !input.generics.params.is_empty() {
            return Err(syn::Error::new(
                input.generics.span(),
                "Model cannot be derived for a generic struct: a schema is one fixed shape",
            ));
        }
        let Data::Struct(data) = &input.data else {
            return Err(syn::Error::new(
                input.ident.span(),
                "Model is derived for structs with named fields (one per attribute)",
            ));
        };
        let Fields::Named(named) = &data.fields else {
            return Err(syn::Error::new(
                input.ident.span(),
                "Model is derived for structs with named fields (one per attribute)",
            ));
        };
        let mut deprecated = false;
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("tf")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("deprecated") {
                    deprecated = true;
                    Ok(())
                } else {
                    Err(meta.error("on a struct, `#[tf(...)]` takes only `deprecated`"))
                }
            })?;
        }
        let description = doc_of(&input.attrs).ok_or_else(|| {
            syn::Error::new(
                input.ident.span(),
                "document the struct: its `///` comment is the block's description",
            )
        })?;
        let mut fields = Vec::new();
        let mut errors: Option<syn::Error> = None;
        for field in &named.named {
            match FieldSpec::parse(field) {
                Ok(spec) => fields.push(spec),
                Err(e) => match &mut errors {
                    Some(all) => all.combine(e),
                    None => errors = Some(e),
                },
            }
        }
        if let Some(e) = errors {
            return Err(e);
        }
        Ok(ModelSpec {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            description,
            deprecated,
            fields,
        })
    }
}

impl FieldSpec {
    fn parse(field: &syn::Field) -> syn::Result<FieldSpec> {
        let ident = field
            .ident
            .clone()
            .ok_or_else(|| syn::Error::new(field.span(), "a field needs a name"))?;
        let mut spec = FieldSpec {
            name: ident.to_string().trim_start_matches("r#").to_owned(),
            ident,
            ty: field.ty.clone(),
            description: String::new(),
            description_expr: None,
            flags: Flags::default(),
            deprecated: None,
            default: None,
            one_of: None,
            min: None,
            max: None,
            min_length: None,
            max_length: None,
            validators: Vec::new(),
        };
        let mut description = None;
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("tf")) {
            attr.parse_nested_meta(|meta| {
                let path = &meta.path;
                let flag = |set: &mut bool| {
                    if std::mem::replace(set, true) {
                        Err(meta.error("given twice"))
                    } else {
                        Ok(())
                    }
                };
                let f = &mut spec.flags;
                if path.is_ident("required") {
                    flag(&mut f.required)
                } else if path.is_ident("optional") {
                    flag(&mut f.optional)
                } else if path.is_ident("computed") {
                    flag(&mut f.computed)
                } else if path.is_ident("sensitive") {
                    flag(&mut f.sensitive)
                } else if path.is_ident("write_only") {
                    flag(&mut f.write_only)
                } else if path.is_ident("requires_replace") {
                    flag(&mut f.requires_replace)
                } else if path.is_ident("block") {
                    flag(&mut f.block)
                } else if path.is_ident("skip") {
                    flag(&mut f.skip)
                } else if path.is_ident("deprecated") {
                    let message = match meta.input.peek(syn::Token![=]) {
                        true => Some(meta.value()?.parse::<LitStr>()?),
                        false => None,
                    };
                    once(&meta, &mut spec.deprecated, message)
                } else if path.is_ident("name") {
                    let name: LitStr = meta.value()?.parse()?;
                    spec.name = name.value();
                    Ok(())
                } else if path.is_ident("description") {
                    match meta.value()?.parse::<Expr>()? {
                        Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(text),
                            ..
                        }) => once(&meta, &mut description, text.value()),
                        expr => {
                            spec.description_expr = Some(expr);
                            once(&meta, &mut description, String::new())
                        }
                    }
                } else if path.is_ident("validate") {
                    spec.validators.push(meta.value()?.parse()?);
                    Ok(())
                } else {
                    let slot = if path.is_ident("default") {
                        &mut spec.default
                    } else if path.is_ident("one_of") {
                        &mut spec.one_of
                    } else if path.is_ident("min") {
                        &mut spec.min
                    } else if path.is_ident("max") {
                        &mut spec.max
                    } else if path.is_ident("min_length") {
                        &mut spec.min_length
                    } else if path.is_ident("max_length") {
                        &mut spec.max_length
                    } else {
                        return Err(
                            meta.error(format!("unknown option; the options are {OPTIONS}"))
                        );
                    };
                    let value: Expr = meta.value()?.parse()?;
                    once(&meta, slot, value)
                }
            })?;
        }
        spec.description = description
            .or_else(|| doc_of(&field.attrs))
            .or_else(|| spec.flags.skip.then(String::new))
            .ok_or_else(|| {
                syn::Error::new(
                spec.ident.span(),
                "document the attribute: its `///` comment is its description in the schema and \
                 the docs",
            )
            })?;
        spec.check()?;
        Ok(spec)
    }

    /// The flag combinations Terraform refuses, refused here first, where the mistake is.
    fn check(&mut self) -> syn::Result<()> {
        let err = |message: &str| Err(syn::Error::new(self.ident.span(), message));
        let f = &self.flags;
        if f.skip {
            let only = !(f.required
                || f.optional
                || f.computed
                || f.sensitive
                || f.write_only
                || f.requires_replace
                || f.block
                || self.default.is_some()
                || self.one_of.is_some()
                || self.deprecated.is_some()
                || !self.validators.is_empty());
            return match only {
                true => Ok(()),
                false => err("a skipped field is not an attribute: it takes no other option"),
            };
        }
        if f.block {
            let has_rules = self.default.is_some()
                || self.one_of.is_some()
                || self.min.is_some()
                || self.max.is_some()
                || self.min_length.is_some()
                || self.max_length.is_some()
                || !self.validators.is_empty();
            if f.required
                || f.optional
                || f.computed
                || f.sensitive
                || f.write_only
                || f.requires_replace
                || has_rules
            {
                return err(
                    "a block takes only `name`, `description` and `deprecated`; its \
                     attributes carry the rest",
                );
            }
            return Ok(());
        }
        if !(f.required || f.optional || f.computed || self.default.is_some()) {
            return err(
                "say whether the attribute is `required`, `optional` or `computed` (or \
                 give it a `default`)",
            );
        }
        if f.required && (f.optional || f.computed || self.default.is_some()) {
            return err("a required attribute is neither optional, computed nor defaulted");
        }
        if f.write_only && (f.computed || self.default.is_some()) {
            return err(
                "a write-only attribute is never stored, so it cannot be computed or defaulted",
            );
        }
        if f.write_only && f.requires_replace {
            return err(
                "a write-only attribute is not in the state, so its change cannot be seen \
                 to replace anything",
            );
        }
        if self.default.is_some() {
            // Terraform plans a default only for an attribute the provider may set.
            self.flags.optional = true;
            self.flags.computed = true;
        }
        Ok(())
    }

    /// Whether the attribute's value is null in some value the model is decoded from: an
    /// optional attribute without default (config, state), a computed one (config), a
    /// write-only one (plan, state).
    pub fn nullable(&self) -> bool {
        let f = &self.flags;
        !f.block && self.default.is_none() && (f.optional || f.computed || f.write_only)
    }
}

fn once<T>(meta: &syn::meta::ParseNestedMeta, slot: &mut Option<T>, value: T) -> syn::Result<()> {
    match slot.replace(value) {
        Some(_) => Err(meta.error("given twice")),
        None => Ok(()),
    }
}

/// The `///` comment: lines joined, the one space after `///` dropped, blank edges trimmed.
fn doc_of(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let text = unwrap_lines(&lines);
    (!text.is_empty()).then_some(text)
}

/// Lines as a schema's description reads them: a paragraph's lines joined by spaces (the
/// wrapping is the source's, not the text's), paragraphs by a blank line, and a list item or
/// table row kept on its own line.
fn unwrap_lines(lines: &[String]) -> String {
    let mut text = String::new();
    let mut blank = false;
    for line in lines {
        if line.is_empty() {
            blank = !text.is_empty();
            continue;
        }
        let own_line = line.starts_with("- ") || line.starts_with("* ") || line.starts_with('|');
        if blank {
            text.push_str("\n\n");
        } else if !text.is_empty() {
            text.push(if own_line { '\n' } else { ' ' });
        }
        blank = false;
        text.push_str(line);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(input: DeriveInput) -> String {
        match ModelSpec::parse(&input) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn descriptions_unwrap_the_source_lines() {
        let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            unwrap_lines(&lines("A long\nsentence.\n\nNext.")),
            "A long sentence.\n\nNext."
        );
        assert_eq!(
            unwrap_lines(&lines("Items:\n- a\n- b\ncontinued")),
            "Items:\n- a\n- b continued"
        );
        assert_eq!(unwrap_lines(&lines("\nOne.\n\n")), "One.");
    }

    #[test]
    fn reads_docs_names_and_flags() {
        let spec = ModelSpec::parse(&syn::parse_quote! {
            /// A host.
            ///
            /// Second paragraph.
            struct Host {
                /// The name.
                #[tf(required, requires_replace)]
                r#type: String,
                /// Power.
                #[tf(default = true, name = "online")]
                on: bool,
            }
        })
        .unwrap();
        assert_eq!(spec.description, "A host.\n\nSecond paragraph.");
        let [ty, on] = &spec.fields[..] else {
            panic!("two fields")
        };
        assert_eq!((ty.name.as_str(), on.name.as_str()), ("type", "online"));
        assert!(ty.flags.required && ty.flags.requires_replace && !ty.nullable());
        assert!(on.flags.optional && on.flags.computed && !on.nullable());
    }

    #[test]
    fn refuses_what_terraform_refuses() {
        let cases: Vec<(DeriveInput, &str)> = vec![
            (
                syn::parse_quote! { /// d
                struct A { /// x
                #[tf(required, computed)] x: String } },
                "neither optional, computed",
            ),
            (
                syn::parse_quote! { /// d
                struct A { /// x
                #[tf(optional, write_only, computed)] x: Option<String> } },
                "never stored",
            ),
            (
                syn::parse_quote! { /// d
                struct A { /// x
                x: String } },
                "say whether",
            ),
            (
                syn::parse_quote! { /// d
                struct A { #[tf(required)] x: String } },
                "document the attribute",
            ),
            (
                syn::parse_quote! { /// d
                struct A { /// x
                #[tf(required, colour = 3)] x: String } },
                "unknown option",
            ),
            (
                syn::parse_quote! { /// d
                struct A { /// x
                #[tf(required, required)] x: String } },
                "given twice",
            ),
            (
                syn::parse_quote! { /// d
                struct A { /// x
                #[tf(block, required)] x: Vec<B> } },
                "a block takes only",
            ),
            (
                syn::parse_quote! { struct A { /// x
                #[tf(required)] x: String } },
                "document the struct",
            ),
            (
                syn::parse_quote! { /// d
                struct A<T> { /// x
                #[tf(required)] x: T } },
                "generic",
            ),
        ];
        for (input, expected) in cases {
            let error = error_of(input);
            assert!(error.contains(expected), "{error:?} lacks {expected:?}");
        }
    }
}
