//! Registry documentation (`docs/index.md`, `docs/resources/*.md`, `docs/data-sources/*.md`,
//! `docs/list-resources/*.md`, `docs/actions/*.md`, `docs/functions/*.md`) rendered from the registered types and functions: each schema's own
//! descriptions plus the prose its handler gives as `doc_template` (a `doc.md` beside the
//! type's code).
//!
//! Templates are Markdown with `{{name}}` placeholders; an unknown or unfilled placeholder is an
//! error, so a typo cannot ship. Regenerate with
//! `cargo run -p terraform-provider-metal3 --bin metal3-docgen -- docs/`.

// Renders the provider's own schemas and templates, never user or Ironic values: a panic here
// is a bug in this repository, caught by the test that regenerates docs/ and compares it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

pub use tfplugin::docs as reference;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::provider::registry;
use crate::provider_config::schema::{self as provider_config, ENV_FALLBACKS};
use crate::schema::{IdentitySchema, Schema};
use crate::server::handlers::Declaration;

/// The command that rewrites the committed docs, for error messages.
pub const REGENERATE_COMMAND: &str =
    "cargo run -p terraform-provider-metal3 --bin metal3-docgen -- docs/";

/// One generated file, its path relative to the docs directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub content: String,
}

const INDEX_TEMPLATE: &str = include_str!("../provider_config/doc.md");

/// What a page without its own prose shows: the generated reference alone.
const REFERENCE_ONLY: &str = "{{reference}}";

/// Where a kind of type is documented: `(directory, title suffix)`.
const RESOURCE: (&str, &str) = ("resources", "Resource");
const DATA_SOURCE: (&str, &str) = ("data-sources", "Data Source");
const LIST_RESOURCE: (&str, &str) = ("list-resources", "List Resource");
const ACTION: (&str, &str) = ("actions", "Action");

/// Every page, rendered in memory: the index, then each registered type and function.
pub fn render_all() -> Result<Vec<Page>, String> {
    let registry = registry();
    fn about(d: &Declaration) -> (&str, &Schema, Option<&str>) {
        (d.type_name(), d.schema(), d.doc_template())
    }
    let resources = registry
        .resources()
        .map(|h| (RESOURCE, about(h.declaration()), h.identity_schema()));
    let data_sources = registry
        .data_sources()
        .map(|h| (DATA_SOURCE, about(h.declaration()), None));
    let lists = registry
        .list_resources()
        .map(|h| (LIST_RESOURCE, about(h.declaration()), None));
    let actions = registry
        .actions()
        .map(|h| (ACTION, about(h.declaration()), None));
    let mut pages = vec![index()?];
    for ((dir, kind), (type_name, schema, template), identity) in
        resources.chain(data_sources).chain(lists).chain(actions)
    {
        let path = format!("{dir}/{}.md", short_name(type_name));
        let template = template.unwrap_or(REFERENCE_ONLY);
        pages.push(page(path, type_name, kind, schema, template, identity)?);
    }
    for function in registry.functions() {
        pages.push(function_page(function.as_ref())?);
    }
    Ok(pages)
}

/// Writes every page under `dir`, creating subdirectories; returns the paths written.
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for page in render_all()? {
        let path = dir.join(&page.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &page.content)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `baremetal_host` for `metal3_baremetal_host` (the registry's file naming).
fn short_name(type_name: &str) -> &str {
    type_name.strip_prefix("metal3_").unwrap_or(type_name)
}

fn front_matter(title: &str, description: &str) -> String {
    let mut out = format!("---\npage_title: \"{title}\"\nsubcategory: \"\"\ndescription: |-\n");
    for line in description.trim().lines() {
        writeln!(out, "  {line}").unwrap();
    }
    out.push_str("---\n\n");
    out
}

fn index() -> Result<Page, String> {
    let schema = provider_config::schema();
    let mut env_vars = String::from("| Argument | Environment variable |\n|---|---|\n");
    for (argument, env) in ENV_FALLBACKS {
        writeln!(env_vars, "| `{argument}` | `{env}` |").unwrap();
    }
    let body = fill(
        INDEX_TEMPLATE,
        &[
            ("env_vars", env_vars.trim_end()),
            ("reference", &reference::render(&schema.block)),
        ],
    )?;
    let content = format!(
        "{}# metal3 Provider\n\n{}",
        front_matter("Provider: metal3", &schema.block.description),
        body
    );
    Ok(Page {
        path: "index.md".to_owned(),
        content: finish(content),
    })
}

fn page(
    path: String,
    type_name: &str,
    kind: &str,
    schema: &Schema,
    template: &str,
    identity: Option<&IdentitySchema>,
) -> Result<Page, String> {
    let identity_md = identity.map(identity_reference).unwrap_or_default();
    let mut values = vec![("reference", reference::render(&schema.block))];
    if identity.is_some() {
        values.push(("identity", identity_md));
    }
    if template.contains("{{bmc_capabilities}}") {
        values.push((
            "bmc_capabilities",
            crate::host::doc_text::capability_table(),
        ));
    }
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = fill(template, &values).map_err(|e| format!("{path}: {e}"))?;
    let description = schema.block.description.trim();
    let content = format!(
        "{}# {type_name} ({kind})\n\n{description}\n\n{body}",
        front_matter(&format!("{type_name} {kind} - metal3"), description),
    );
    Ok(Page {
        path,
        content: finish(content),
    })
}

/// `functions/<name>.md`: the summary, the function's prose and its generated reference.
fn function_page(function: &dyn tfplugin::function::FunctionHandler) -> Result<Page, String> {
    let name = function.declaration().name();
    let path = format!("functions/{name}.md");
    let signature = function.declaration().signature();
    let reference = reference::render_function("metal3", name, signature);
    let template = function
        .declaration()
        .doc_template()
        .unwrap_or(REFERENCE_ONLY);
    let body = fill(template, &[("reference", &reference)]).map_err(|e| format!("{path}: {e}"))?;
    let content = format!(
        "{}# {name} (Function)\n\n{}\n\n{body}",
        front_matter(&format!("{name} function - metal3"), &signature.summary),
        signature.description.trim(),
    );
    Ok(Page {
        path,
        content: finish(content),
    })
}

fn identity_reference(identity: &IdentitySchema) -> String {
    let mut out = String::new();
    for attr in &identity.attributes {
        let role = if attr.required_for_import {
            "Required for import"
        } else {
            "Optional for import"
        };
        let label = match attr.r#type {
            crate::codec::Type::Number => "Number",
            crate::codec::Type::Bool => "Boolean",
            _ => "String",
        };
        writeln!(
            out,
            "- `{}` ({label}, {role}) {}",
            attr.name, attr.description
        )
        .unwrap();
    }
    out.trim_end().to_owned()
}

/// Exactly one trailing newline, no trailing spaces.
fn finish(content: String) -> String {
    let mut out: String = content
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}

/// Replaces each `{{key}}` by its value. Every placeholder must be known and every value used.
pub fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() * 2);
    let mut used = vec![false; values.len()];
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "unterminated `{{` in template".to_owned())?;
        let key = after[..end].trim();
        let index = values
            .iter()
            .position(|(k, _)| *k == key)
            .ok_or_else(|| format!("unknown placeholder `{{{{{key}}}}}`"))?;
        used[index] = true;
        out.push_str(values[index].1);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(format!(
            "placeholder `{{{{{}}}}}` missing from template",
            values[i].0
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_and_rejects_unknown_or_unused() {
        assert_eq!(fill("a {{x}} b {{ x }}", &[("x", "1")]).unwrap(), "a 1 b 1");
        assert!(fill("{{y}}", &[("x", "1")])
            .unwrap_err()
            .contains("`{{y}}`"));
        assert!(fill("none", &[("x", "1")])
            .unwrap_err()
            .contains("`{{x}}` missing"));
        assert!(fill("{{x", &[("x", "1")]).is_err());
    }

    #[test]
    fn renders_the_registry_layout() {
        let pages = render_all().unwrap();
        let paths: Vec<_> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths[0], "index.md");
        for expected in [
            "resources/baremetal_host.md",
            "data-sources/baremetal_host.md",
            "data-sources/baremetal_hosts.md",
            "list-resources/baremetal_host.md",
        ] {
            assert!(paths.contains(&expected), "{expected} in {paths:?}");
        }
        let registry = registry();
        assert!(paths.contains(&"functions/bmc_address.md"), "{paths:?}");
        assert_eq!(
            paths.len(),
            1 + registry.resources().count()
                + registry.data_sources().count()
                + registry.list_resources().count()
                + registry.actions().count()
                + registry.functions().count(),
            "one page per registered type and function"
        );
        for p in &pages {
            assert!(p.content.starts_with("---\npage_title: "), "{}", p.path);
            assert!(
                !p.content.contains("{{"),
                "{} has an unfilled placeholder",
                p.path
            );
        }
    }

    #[test]
    fn resource_page_has_every_section() {
        let pages = render_all().unwrap();
        let host = &pages
            .iter()
            .find(|p| p.path == "resources/baremetal_host.md")
            .unwrap()
            .content;
        for needle in [
            "# metal3_baremetal_host (Resource)",
            "## Example Usage",
            "## Argument Reference",
            "### Nested Schema for `bmc`",
            "### Nested Schema for `image`",
            "### Nested Schema for `root_device_hints`",
            "### Nested Schema for `custom_deploy`",
            "### Nested Schema for `timeouts`",
            "## Attribute Reference",
            "### Nested Schema for `hardware.storage`",
            "### Nested Schema for `hardware.firmware.bios`",
            "- `password_wo` (String, Sensitive, Write-only)",
            "terraform import metal3_baremetal_host.worker_0 metal3/worker-0",
            "identity = {",
            "- `namespace` (String, Required for import)",
        ] {
            assert!(host.contains(needle), "missing {needle:?}");
        }
        let index = &pages[0].content;
        assert!(index.contains("| `ironic_url` | `IRONIC_ENDPOINT` |"));
        assert!(index.contains("- `token` (String, Sensitive)"));
    }
}
