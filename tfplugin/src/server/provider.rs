//! The provider itself: what it serves (GetMetadata, GetProviderSchema,
//! GetResourceIdentitySchemas, with the server's capabilities), and its own block
//! (ValidateProviderConfig, ConfigureProvider).

use crate::proto::tfplugin6 as pb;

use super::answer::Failure;
use super::convert::{self, diagnostics};
use super::functions;
use super::handlers::{ConfigureRequest, Declaration};
use super::registry::Registry;
use super::schema_proto;

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

fn names<'a, T>(
    declared: impl Iterator<Item = &'a Declaration>,
    metadata: impl Fn(String) -> T,
) -> Vec<T> {
    declared.map(|d| metadata(d.type_name().into())).collect()
}

fn schemas<'a>(
    declared: impl Iterator<Item = &'a Declaration>,
) -> std::collections::HashMap<String, pb::Schema> {
    declared
        .map(|d| (d.type_name().to_string(), schema_proto::schema(d.schema())))
        .collect()
}

pub fn metadata(registry: &Registry) -> pb::get_metadata::Response {
    use pb::get_metadata::{
        ActionMetadata, DataSourceMetadata, FunctionMetadata, ListResourceMetadata,
        ResourceMetadata,
    };
    pb::get_metadata::Response {
        server_capabilities: Some(capabilities()),
        resources: names(registry.resources().map(|h| h.declaration()), |type_name| {
            ResourceMetadata { type_name }
        }),
        data_sources: names(
            registry.data_sources().map(|h| h.declaration()),
            |type_name| DataSourceMetadata { type_name },
        ),
        functions: registry
            .functions()
            .map(|f| FunctionMetadata {
                name: f.declaration().name().into(),
            })
            .collect(),
        list_resources: names(
            registry.list_resources().map(|h| h.declaration()),
            |type_name| ListResourceMetadata { type_name },
        ),
        actions: names(registry.actions().map(|h| h.declaration()), |type_name| {
            ActionMetadata { type_name }
        }),
        ..Default::default()
    }
}

pub fn schema(registry: &Registry) -> pb::get_provider_schema::Response {
    pb::get_provider_schema::Response {
        provider: Some(schema_proto::schema(&registry.provider_schema)),
        resource_schemas: schemas(registry.resources().map(|h| h.declaration())),
        data_source_schemas: schemas(registry.data_sources().map(|h| h.declaration())),
        functions: functions::definitions(registry),
        list_resource_schemas: schemas(registry.list_resources().map(|h| h.declaration())),
        action_schemas: schemas(registry.actions().map(|h| h.declaration()))
            .into_iter()
            .map(|(name, schema)| {
                let schema = Some(schema);
                (name, pb::ActionSchema { schema })
            })
            .collect(),
        server_capabilities: Some(capabilities()),
        ..Default::default()
    }
}

pub fn identity_schemas(registry: &Registry) -> pb::get_resource_identity_schemas::Response {
    pb::get_resource_identity_schemas::Response {
        identity_schemas: registry
            .resources()
            .filter_map(|r| {
                let identity = schema_proto::identity_schema(r.identity_schema()?);
                Some((r.declaration().type_name().to_string(), identity))
            })
            .collect(),
        diagnostics: Vec::new(),
    }
}

pub async fn validate(
    registry: &Registry,
    req: pb::validate_provider_config::Request,
) -> Result<pb::validate_provider_config::Response, Failure> {
    let block = &registry.provider_schema.block;
    let what = "provider configuration";
    let (config, mut found) = convert::decode_config(req.config.as_ref(), block, what, true)?;
    found.extend(registry.hooks.validate_provider_config(&config).await);
    Ok(pb::validate_provider_config::Response {
        diagnostics: diagnostics(&found),
    })
}

pub async fn configure(
    registry: &Registry,
    req: pb::configure_provider::Request,
) -> Result<pb::configure_provider::Response, Failure> {
    let ty = registry.provider_schema.block.value_type();
    let config = convert::decode(req.config.as_ref(), &ty, "provider configuration")?;
    let found = registry
        .hooks
        .configure(ConfigureRequest {
            terraform_version: req.terraform_version,
            config,
            client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
        })
        .await;
    Ok(pb::configure_provider::Response {
        diagnostics: diagnostics(&found),
    })
}
