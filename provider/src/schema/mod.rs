//! Schemas of the provider configuration, the resource, the data sources and the resource identity.
//!
//! Type names include the `metal3_` prefix. Schemas are built on each call (cheap, a few hundred
//! small allocations); callers that serve them often may cache the result.

pub mod baremetal_host;
pub mod data_sources;
pub mod host_status;
pub mod provider_config;

pub use tfplugin::schema::{model, validate};
pub use tfplugin::schema::{
    validate_identity_schema, validate_schema, validate_schema_as, SchemaKind,
};
pub use tfplugin::schema::{
    Attribute, AttributeType, Block, BlockNesting, IdentityAttribute, IdentitySchema,
    NestedAttributes, NestedBlock, ObjectNesting, Schema,
};

/// `provider "metal3" {}`.
pub fn provider_config() -> Schema {
    provider_config::schema()
}

/// Managed resources by type name.
pub fn resources() -> Vec<(&'static str, Schema)> {
    vec![(baremetal_host::TYPE_NAME, baremetal_host::schema())]
}

/// Data sources by type name.
pub fn data_sources() -> Vec<(&'static str, Schema)> {
    vec![
        (data_sources::HOST_TYPE_NAME, data_sources::host()),
        (data_sources::HOSTS_TYPE_NAME, data_sources::hosts()),
    ]
}

/// Resource identity schemas by resource type name.
pub fn resource_identities() -> Vec<(&'static str, IdentitySchema)> {
    vec![(baremetal_host::TYPE_NAME, baremetal_host::identity())]
}

pub fn resource_schema(type_name: &str) -> Option<Schema> {
    resources()
        .into_iter()
        .find(|(name, _)| *name == type_name)
        .map(|(_, schema)| schema)
}

pub fn data_source_schema(type_name: &str) -> Option<Schema> {
    data_sources()
        .into_iter()
        .find(|(name, _)| *name == type_name)
        .map(|(_, schema)| schema)
}

pub fn resource_identity(type_name: &str) -> Option<IdentitySchema> {
    resource_identities()
        .into_iter()
        .find(|(name, _)| *name == type_name)
        .map(|(_, schema)| schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Type;
    use std::collections::BTreeSet;

    fn host() -> Schema {
        resource_schema("metal3_baremetal_host").expect("resource declared")
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
                description.contains(&host_status::code_list(&names)),
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
    fn every_schema_passes_terraforms_rules() {
        validate_schema_as(SchemaKind::Provider, &provider_config()).unwrap();
        for (name, schema) in resources() {
            validate_schema_as(SchemaKind::Resource, &schema)
                .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        }
        for (name, schema) in data_sources() {
            validate_schema_as(SchemaKind::DataSource, &schema)
                .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        }
        for (name, identity) in resource_identities() {
            validate_identity_schema(&identity).unwrap_or_else(|e| panic!("{name}:\n{e}"));
            assert!(
                resource_schema(name).is_some(),
                "identity for unknown {name}"
            );
        }
    }

    #[test]
    fn every_type_json_parses_back() {
        fn walk(attrs: &[Attribute]) {
            for a in attrs {
                let ty = a.value_type();
                assert_eq!(Type::from_json_bytes(&ty.to_json_bytes()).unwrap(), ty);
                if let Some(n) = a.nested_type() {
                    walk(&n.attributes);
                }
            }
        }
        for (_, s) in resources().into_iter().chain(data_sources()) {
            walk(&s.block.attributes);
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
        let expected: BTreeSet<&str> = [
            "id",
            "name",
            "namespace",
            "bmc",
            "boot_mac_address",
            "boot_mode",
            "online",
            "root_device_hints",
            "image",
            "user_data",
            "network_data",
            "meta_data",
            "custom_deploy",
            "externally_provisioned",
            "automated_cleaning_mode",
            "inspection_mode",
            "description",
            "power_off_on_destroy",
            "timeouts",
            "provisioning_state",
            "ironic_provision_state",
            "operational_status",
            "error_type",
            "error_message",
            "maintenance_reason",
            "powered_on",
            "provisioned_image",
            "hardware",
        ]
        .into_iter()
        .collect();
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
        assert!(
            bmc.required && matches!(bmc.nested_type().unwrap().nesting, ObjectNesting::Single)
        );
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
        let mut with_defaults: Vec<String> = baremetal_host::PLAN_DEFAULTS
            .iter()
            .map(|(path, _)| path.join("."))
            .collect();
        with_defaults.push("namespace".into());
        optional_computed.sort();
        with_defaults.sort();
        assert_eq!(optional_computed, with_defaults);
        for path in baremetal_host::REQUIRES_REPLACE {
            assert!(s.block.attribute_at(path).is_some(), "{path:?}");
        }
        for (path, default) in baremetal_host::PLAN_DEFAULTS {
            let a = attr(&s, path);
            let shown = match default {
                baremetal_host::PlanDefault::Bool(b) => format!("`{b}`"),
                baremetal_host::PlanDefault::String(v) => format!("`{v}`"),
            };
            assert!(
                a.description.contains(&format!("efaults to {shown}")),
                "{path:?}"
            );
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
    fn data_sources_expose_status_but_no_secrets() {
        fn has_secret(attrs: &[Attribute]) -> bool {
            attrs.iter().any(|a| {
                a.sensitive
                    || a.write_only
                    || a.nested_type().is_some_and(|n| has_secret(&n.attributes))
            })
        }
        let resource = host();
        for (name, s) in data_sources() {
            assert!(!has_secret(&s.block.attributes), "{name} exposes a secret");
        }
        let one = data_source_schema("metal3_baremetal_host").unwrap();
        for a in resource
            .block
            .attributes
            .iter()
            .filter(|a| a.is_computed_only())
        {
            let b = one
                .block
                .attribute(&a.name)
                .unwrap_or_else(|| panic!("{} missing", a.name));
            assert_eq!(a.value_type(), b.value_type(), "{}", a.name);
        }
        let many = data_source_schema("metal3_baremetal_hosts").unwrap();
        let hosts = many.block.attribute("hosts").unwrap();
        assert!(hosts.is_computed_only());
        assert_eq!(hosts.nested_type().unwrap().nesting, ObjectNesting::List);
        assert!(hosts.nested_attribute("hardware").is_some());
        assert!(many.block.attribute("min_ram_mebibytes").unwrap().optional);
    }

    #[test]
    fn identity_is_namespace_and_name() {
        let id = resource_identity("metal3_baremetal_host").unwrap();
        assert_eq!(id.version, 0);
        let names: Vec<_> = id.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["namespace", "name"]);
        assert!(id
            .attributes
            .iter()
            .all(|a| a.required_for_import && a.r#type == Type::String));
    }

    #[test]
    fn provider_config_arguments() {
        let p = provider_config();
        let names: Vec<_> = p.block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ironic_url",
                "username",
                "password",
                "token",
                "ca_file",
                "insecure",
                "namespace",
                "deploy_kernel_url",
                "deploy_ramdisk_url",
                "deploy_iso_url"
            ]
        );
        assert!(p.block.attributes.iter().all(|a| a.optional && !a.required));
        assert!(p.block.attribute("password").unwrap().sensitive);
        assert!(p.block.attribute("token").unwrap().sensitive);
        for (arg, env) in provider_config::ENV_FALLBACKS {
            assert!(p.block.attribute(arg).unwrap().description.contains(env));
        }
    }
}
