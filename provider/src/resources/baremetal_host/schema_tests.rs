use super::*;
use crate::codec::{Type, Value};
use crate::host::doc_text::code_list;
use crate::schema::{Attribute, BlockNesting, ObjectNesting};
use std::collections::BTreeSet;
use tfplugin::model::Model;

fn host() -> Schema {
    schema()
}

fn attr<'a>(schema: &'a Schema, path: &[&str]) -> &'a Attribute {
    schema
        .block
        .attribute_at(path)
        .unwrap_or_else(|| panic!("{} missing", path.join(".")))
}

/// Value lists are written once, in core's enums: what the schema documents is derived.
#[test]
fn documented_value_lists_come_from_the_core_vocabularies() {
    use metal3_core::lifecycle::{
        AutomatedCleaningMode, BootMode, ChecksumType, DiskFormat, ErrorType, InspectionMode,
        OperationalStatus, ProvisioningState,
    };
    use metal3_core::Vocabulary;
    let s = host();
    let cases: [(&[&str], Vec<&str>); 8] = [
        (&["boot_mode"], BootMode::names()),
        (&["automated_cleaning_mode"], AutomatedCleaningMode::names()),
        (&["inspection_mode"], InspectionMode::names()),
        (&["image", "checksum_type"], ChecksumType::names()),
        (&["image", "disk_format"], DiskFormat::names()),
        (&["provisioning_state"], ProvisioningState::names()),
        (&["operational_status"], OperationalStatus::names()),
        (&["error_type"], ErrorType::names()),
    ];
    for (path, names) in cases {
        let description = &attr(&s, path).description;
        assert!(
            description.contains(&code_list(&names)),
            "{}: {description}",
            path.join(".")
        );
    }
    let address = &attr(&s, &["bmc", "address"]).description;
    for doc in metal3_core::bmc::SCHEMES {
        assert!(address.contains(doc.form), "{}", doc.scheme);
    }
}

#[test]
fn resource_top_level_value_type() {
    let Type::Object {
        attributes,
        optional,
    } = host().block.value_type()
    else {
        panic!("a block's value is an object");
    };
    assert!(optional.is_empty());
    let names: BTreeSet<&str> = attributes.keys().map(String::as_str).collect();
    // Exactly the model's arguments and the shared status, which meet only in `id`.
    let model = crate::host::arguments::HostConfig::block();
    let arguments: BTreeSet<&str> = model
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .chain(model.block_types.iter().map(|b| b.type_name.as_str()))
        .collect();
    let status: BTreeSet<&str> = crate::host::status::STATUS_ATTRIBUTES
        .iter()
        .copied()
        .collect();
    assert_eq!(
        arguments.intersection(&status).copied().collect::<Vec<_>>(),
        ["id"]
    );
    assert!(arguments.contains("boot_mode") && status.contains("hardware"));
    let expected: BTreeSet<&str> = arguments.union(&status).copied().collect();
    assert_eq!(names, expected);
    assert_eq!(
        attributes["timeouts"],
        Type::object([
            ("create", Type::String),
            ("read", Type::String),
            ("update", Type::String),
            ("delete", Type::String),
        ])
    );
    let Type::Object { attributes: hw, .. } = &attributes["hardware"] else {
        panic!("hardware is an object");
    };
    assert_eq!(hw["ram_mebibytes"], Type::Number);
    assert!(matches!(&hw["nics"], Type::List(_)));
    assert!(matches!(&hw["storage"], Type::List(_)));
}

#[test]
fn bmc_credentials_flags() {
    let s = host();
    let bmc = attr(&s, &["bmc"]);
    assert!(bmc.required && matches!(bmc.nested_type().unwrap().nesting, ObjectNesting::Single));
    let password = attr(&s, &["bmc", "password"]);
    assert!(password.sensitive && password.optional && !password.write_only);
    let wo = attr(&s, &["bmc", "password_wo"]);
    assert!(wo.write_only && wo.sensitive && wo.optional && !wo.computed);
    assert_eq!(
        attr(&s, &["bmc", "password_wo_version"]).value_type(),
        Type::Number
    );
    let dcv = attr(&s, &["bmc", "disable_certificate_verification"]);
    assert!(dcv.optional && dcv.computed && dcv.value_type() == Type::Bool);
    assert!(attr(&s, &["bmc", "address"])
        .description
        .contains("redfish-virtualmedia"));
    assert!(attr(&s, &["user_data"]).sensitive);
}

#[test]
fn defaults_are_optional_computed_and_replacements_documented() {
    let s = host();
    for name in [
        "namespace",
        "boot_mode",
        "online",
        "automated_cleaning_mode",
        "inspection_mode",
        "externally_provisioned",
        "power_off_on_destroy",
    ] {
        let a = attr(&s, &[name]);
        assert!(
            a.optional && a.computed,
            "{name} should be optional+computed"
        );
    }
    for name in ["name", "namespace"] {
        assert!(attr(&s, &[name]).description.contains("replaces the host"));
    }
    assert!(attr(&s, &["image"]).description.contains("redeploys"));
    assert!(attr(&s, &["image"]).description.contains("deprovisions"));
    assert!(attr(&s, &["name"]).required);
}

#[test]
fn plan_defaults_cover_exactly_the_optional_computed_arguments() {
    fn walk(attrs: &[Attribute], prefix: &mut Vec<String>, out: &mut Vec<String>) {
        for a in attrs {
            prefix.push(a.name.clone());
            if a.optional && a.computed {
                out.push(prefix.join("."));
            }
            if let Some(n) = a.nested_type() {
                walk(&n.attributes, prefix, out);
            }
            prefix.pop();
        }
    }
    let s = host();
    let mut optional_computed = Vec::new();
    walk(&s.block.attributes, &mut Vec::new(), &mut optional_computed);
    let mut with_defaults = Vec::new();
    walk_defaults(&s.block.attributes, &mut Vec::new(), &mut with_defaults);
    let mut with_defaults: Vec<String> =
        with_defaults.iter().map(|(path, _)| path.clone()).collect();
    with_defaults.push("namespace".into());
    optional_computed.sort();
    with_defaults.sort();
    assert_eq!(optional_computed, with_defaults);
    let replaced = tfplugin::schema::values::requires_replace_paths(&s.block);
    assert_eq!(replaced, [["name"], ["namespace"]]);
    let mut defaults = Vec::new();
    walk_defaults(&s.block.attributes, &mut Vec::new(), &mut defaults);
    for (path, default) in defaults {
        let steps: Vec<&str> = path.split('.').collect();
        let a = attr(&s, &steps);
        let shown = match (default.as_bool(), default.as_str()) {
            (Some(b), _) => format!("`{b}`"),
            (_, Some(v)) => format!("`{v}`"),
            _ => panic!("{path}: defaults are booleans or strings"),
        };
        assert!(
            a.description.contains(&format!("efaults to {shown}")),
            "{path:?}"
        );
    }
}

/// `(dotted path, default)` of every attribute declaring a default.
fn walk_defaults(attrs: &[Attribute], prefix: &mut Vec<String>, out: &mut Vec<(String, Value)>) {
    for a in attrs {
        prefix.push(a.name.clone());
        if let Some(default) = &a.default {
            out.push((prefix.join("."), default.clone()));
        }
        if let Some(n) = a.nested_type() {
            walk_defaults(&n.attributes, prefix, out);
        }
        prefix.pop();
    }
}

#[test]
fn status_is_computed_only_and_timeouts_is_a_block() {
    let s = host();
    for name in [
        "id",
        "provisioning_state",
        "powered_on",
        "provisioned_image",
        "hardware",
    ] {
        assert!(attr(&s, &[name]).is_computed_only(), "{name}");
    }
    let storage = attr(&s, &["hardware", "storage"]);
    assert_eq!(storage.nested_type().unwrap().nesting, ObjectNesting::List);
    assert!(attr(&s, &["hardware", "firmware", "bios", "vendor"]).is_computed_only());
    assert_eq!(
        attr(&s, &["hardware", "cpu", "flags"]).value_type(),
        Type::list(Type::String)
    );
    let timeouts = s.block.block_type("timeouts").expect("timeouts block");
    assert_eq!(timeouts.nesting, BlockNesting::Single);
    assert!(s.block.attribute("timeouts").is_none());
    for op in ["create", "read", "update", "delete"] {
        let a = timeouts.block.attribute(op).unwrap();
        assert!(a.optional && !a.computed && a.value_type() == Type::String);
    }
}

#[test]
fn identity_is_namespace_and_name() {
    let id = identity();
    assert_eq!(id.version, 0);
    let names: Vec<_> = id.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["namespace", "name"]);
    assert!(id
        .attributes
        .iter()
        .all(|a| a.required_for_import && a.r#type == Type::String));
}

/// The credential list the plan and the apply share names attributes of `bmc`, the password
/// among them.
#[test]
fn the_credential_list_names_bmc_attributes() {
    let s = host();
    for field in crate::host::arguments::BMC_CREDENTIALS {
        attr(&s, &["bmc", field]);
    }
    assert!(attr(&s, &["bmc", "password"]).sensitive);
    assert!(crate::host::arguments::BMC_CREDENTIALS.contains(&"password"));
}
