//! An attribute is named in one place, its model: code that names it elsewhere does so through
//! the model's `NAMES` constants (or its field), so that a rename or a removal is a compile error,
//! not a string that silently stops matching. This test reads the provider's own code and fails
//! on any string literal equal to an attribute name of any schema the provider serves, outside
//! test code; `ALLOWED` lists the few literals that are the same word for another thing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use terraform_provider_metal3::provider::registry;
use tfplugin::schema::{Attribute, Block};

/// The folders whose code maps attributes (resources, data sources, list resources, actions,
/// the shared host code, the provider block, the functions).
const SCANNED: &[&str] = &[
    "resources",
    "data_sources",
    "list_resources",
    "actions",
    "host",
    "provider_config",
    "functions",
];

/// `(file, literal, why)`: the word is not the attribute there.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "actions/reboot.rs",
        "soft",
        "a value of `mode` (soft or hard), not the power action's argument",
    ),
    (
        "functions/bmc_address.rs",
        "address",
        "the function's parameter, not `bmc.address`",
    ),
    (
        "functions/bmh/documents.rs",
        "name",
        "a Kubernetes object's `metadata.name`",
    ),
    (
        "functions/bmh/documents.rs",
        "namespace",
        "a Kubernetes object's `metadata.namespace`",
    ),
    (
        "functions/bmh/firmware_objects.rs",
        "name",
        "a HostFirmwareSettings' or HostFirmwareComponents' `metadata.name`",
    ),
    (
        "functions/bmh/firmware_objects.rs",
        "namespace",
        "a HostFirmwareSettings' or HostFirmwareComponents' `metadata.namespace`",
    ),
    (
        "functions/bmh/fields.rs",
        "name",
        "the BareMetalHost's `metadata.name` field",
    ),
    (
        "functions/bmh/fields.rs",
        "namespace",
        "the BareMetalHost's `metadata.namespace` field",
    ),
    (
        "functions/bmh/fields.rs",
        "online",
        "the operator's `spec.online` field",
    ),
    (
        "functions/bmh/fields.rs",
        "description",
        "the operator's `spec.description` field",
    ),
    (
        "functions/bmh/status.rs",
        "image",
        "a key of Metal3's status annotation",
    ),
    (
        "functions/bmh/status.rs",
        "hardware",
        "a key of Metal3's status annotation",
    ),
];

fn names_of_block(block: &Block, out: &mut BTreeSet<String>) {
    names_of_attributes(&block.attributes, out);
    for nested in &block.block_types {
        out.insert(nested.type_name.clone());
        names_of_block(&nested.block, out);
    }
}

fn names_of_attributes(attributes: &[Attribute], out: &mut BTreeSet<String>) {
    for attribute in attributes {
        out.insert(attribute.name.clone());
        if let Some(nested) = attribute.nested_type() {
            names_of_attributes(&nested.attributes, out);
        }
    }
}

/// Every attribute name of every schema the provider serves.
fn attribute_names() -> BTreeSet<String> {
    let registry = registry();
    let mut names = BTreeSet::new();
    names_of_block(&registry.provider_schema.block, &mut names);
    for r in registry.resources() {
        names_of_block(&r.declaration().schema().block, &mut names);
    }
    for d in registry.data_sources() {
        names_of_block(&d.declaration().schema().block, &mut names);
    }
    for l in registry.list_resources() {
        names_of_block(&l.declaration().schema().block, &mut names);
    }
    for a in registry.actions() {
        names_of_block(&a.declaration().schema().block, &mut names);
    }
    names
}

/// Files compiled only for tests (`#[cfg(test)] mod ...;` in their parent).
const TEST_ONLY: &[&str] = &["host/fake.rs"];

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || name == "test_values.rs"
        || TEST_ONLY.iter().any(|file| path.ends_with(file))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !is_test_file(&path) {
            out.push(path);
        }
    }
}

/// The code without its inline test module and comments.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.trim_start().starts_with("//") {
            true => "",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The contents of the plain string literals in `code` (raw strings and escapes are rare in
/// names and are left alone: a name has neither).
fn literals(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('"') else { break };
            let content = &after[..end];
            if !content.contains('\\') {
                found.push((number + 1, content.to_owned()));
            }
            rest = &after[end + 1..];
        }
    }
    found
}

#[test]
fn no_attribute_name_is_a_string_literal_outside_its_model() {
    let names = attribute_names();
    assert!(names.contains("boot_mode") && names.contains("hardware"));
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for folder in SCANNED {
        rust_files(&src.join(folder), &mut files);
    }
    files.sort();
    let mut found = Vec::new();
    let mut allowed_used = BTreeSet::new();
    for file in &files {
        let relative = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for (line, literal) in literals(&code) {
            if !names.contains(&literal) {
                continue;
            }
            match ALLOWED
                .iter()
                .position(|(f, l, _)| *f == relative && *l == literal)
            {
                Some(i) => {
                    allowed_used.insert(i);
                }
                None => found.push(format!("src/{relative}:{line}: \"{literal}\"")),
            }
        }
    }
    assert!(
        found.is_empty(),
        "attribute names written as strings; use the model's NAMES (or add the literal to \
         ALLOWED with why it is another thing):\n{}",
        found.join("\n")
    );
    let stale: Vec<_> = ALLOWED
        .iter()
        .enumerate()
        .filter(|(i, _)| !allowed_used.contains(i))
        .map(|(_, (f, l, _))| format!("{f}: \"{l}\""))
        .collect();
    assert!(
        stale.is_empty(),
        "ALLOWED entries no longer needed: {stale:?}"
    );
}

#[test]
fn the_scanner_finds_a_literal_and_skips_comments_and_tests() {
    let code = code_of(
        "let a = get(\"boot_mode\");\n// \"hardware\"\n#[cfg(test)]\nmod tests {\n \"online\"\n}",
    );
    let found: Vec<String> = literals(&code).into_iter().map(|(_, l)| l).collect();
    assert_eq!(found, ["boot_mode"]);
}
