//! The provider as Terraform sees it: configuration hooks plus the resource and data source
//! handlers, all sharing one [`ProviderState`].

use std::sync::Arc;

use crate::provider_config::{self, Metal3Provider, ProviderState};
use crate::server::registry::Registry;
use crate::{actions, data_sources, functions, list_resources, resources};

/// Which provider this is, for the protocol layer.
pub const INFO: tfplugin::server::ProviderInfo = tfplugin::server::ProviderInfo {
    address: "registry.terraform.io/metal3-io/metal3",
    binary: "terraform-provider-metal3",
    version: env!("CARGO_PKG_VERSION"),
    about: "the Terraform provider for bare-metal hosts managed through OpenStack Ironic",
    log_targets: &["terraform_provider_metal3", "metal3_core", "tfplugin"],
};

/// Everything this provider serves: the provider block, every type in [`resources::all`] and
/// [`data_sources::all`], and the functions in [`functions::all`].
pub fn registry() -> Registry {
    let state = ProviderState::new();
    let registry = Registry::new(
        provider_config::schema::schema(),
        Arc::new(Metal3Provider {
            state: state.clone(),
        }),
    );
    let registry = resources::all(&state)
        .into_iter()
        .fold(registry, Registry::with_resource);
    let registry = data_sources::all(&state)
        .into_iter()
        .fold(registry, Registry::with_data_source);
    let registry = list_resources::all(&state)
        .into_iter()
        .fold(registry, Registry::with_list_resource);
    let registry = actions::all(&state)
        .into_iter()
        .fold(registry, Registry::with_action);
    functions::all()
        .into_iter()
        .fold(registry, Registry::with_function)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Type;
    use crate::schema::{
        validate_identity_schema, validate_schema_as, Attribute, ObjectNesting, Schema, SchemaKind,
    };

    /// `(type name, schema)` of every registered resource (`true`) or data source (`false`).
    fn schemas(resources: bool) -> Vec<(String, Schema)> {
        let r = registry();
        let named = |name: &str, schema: &Schema| (name.to_owned(), schema.clone());
        match resources {
            true => r
                .resources()
                .map(|h| named(h.declaration().type_name(), h.declaration().schema()))
                .collect(),
            false => r
                .data_sources()
                .map(|h| named(h.declaration().type_name(), h.declaration().schema()))
                .collect(),
        }
    }

    fn resources() -> Vec<(String, Schema)> {
        schemas(true)
    }

    fn data_sources() -> Vec<(String, Schema)> {
        schemas(false)
    }

    fn data_source_schema(type_name: &str) -> Option<Schema> {
        registry()
            .data_source(type_name)
            .map(|h| h.declaration().schema().clone())
    }

    fn host() -> Schema {
        crate::resources::baremetal_host::schema::schema()
    }

    /// The registry address is written in Cargo.toml for the scripts and tests, and here.
    #[test]
    fn the_address_is_the_one_in_cargo_toml() {
        let manifest = include_str!("../../Cargo.toml");
        let line = format!("address = \"{}\"", INFO.address);
        let section = manifest
            .split("[workspace.metadata.provider]")
            .nth(1)
            .expect("Cargo.toml declares [workspace.metadata.provider]");
        assert!(section.lines().any(|l| l.trim() == line), "{line}");
    }

    #[test]
    fn every_schema_passes_terraforms_rules() {
        let r = registry();
        validate_schema_as(SchemaKind::Provider, &r.provider_schema).unwrap();
        for (name, schema) in resources() {
            validate_schema_as(SchemaKind::Resource, &schema)
                .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        }
        for (name, schema) in data_sources() {
            validate_schema_as(SchemaKind::DataSource, &schema)
                .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        }
        for handler in r.resources() {
            if let Some(identity) = handler.identity_schema() {
                validate_identity_schema(identity)
                    .unwrap_or_else(|e| panic!("{}:\n{e}", handler.declaration().type_name()));
            }
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
            .filter(|a| {
                !crate::resources::baremetal_host::hardware_plan::COMPUTED
                    .contains(&a.name.as_str())
            })
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
}
