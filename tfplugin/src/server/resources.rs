//! Managed resources: ValidateResourceConfig, ReadResource, PlanResourceChange,
//! ApplyResourceChange and ImportResourceState. Every resource's values pass through
//! [`Resource`] on their way to and from its handler, so what the server decides for every
//! resource from its schema is applied here, once, as the plugin framework does: each
//! attribute's rules judge the configuration (`validate`, before the resource's own checks);
//! defaults, unknown computed values and requires-replace are planned before the resource's
//! plan sees the proposal (`plan`); write-only values are nulled in every state sent back and
//! unknowns refused in new states (`apply`, `read`, `import`).

use std::sync::Arc;

use crate::codec::{Type, Value};
use crate::diagnostics::Diagnostic;
use crate::model::rules;
use crate::proto::tfplugin6 as pb;
use crate::schema::values::null_write_only;

use super::answer::Failure;
use super::convert::{self, diagnostics};
use super::handlers::*;
use super::registry::Registry;
use super::schema_checks::check_config;

/// A resource type's handler with the types its values travel in.
pub(super) struct Resource {
    pub handler: Arc<dyn ResourceHandler>,
    state: Type,
    pub identity: Option<Type>,
}

impl Resource {
    pub fn find(registry: &Registry, type_name: &str) -> Result<Resource, Failure> {
        let handler = registry
            .resource(type_name)
            .cloned()
            .ok_or_else(|| Failure::unknown_type("resource", type_name))?;
        Ok(Resource {
            state: handler.declaration().schema().block.value_type(),
            identity: handler.identity_schema().map(|i| i.value_type()),
            handler,
        })
    }

    fn decode(&self, value: Option<&pb::DynamicValue>, what: &str) -> Result<Value, Diagnostic> {
        convert::decode(value, &self.state, what)
    }

    fn decode_identity(
        &self,
        identity: Option<&pb::ResourceIdentityData>,
    ) -> Result<Option<Value>, Diagnostic> {
        convert::decode_identity(identity, self.identity.as_ref())
    }

    /// A state for Terraform. Write-only values never leave the provider: Terraform rejects
    /// states that carry them.
    pub fn encode(&self, mut value: Value, what: &str) -> Result<pb::DynamicValue, Diagnostic> {
        null_write_only(&self.handler.declaration().schema().block, &mut value);
        convert::encode(&value, &self.state, what)
    }

    /// A new state as Terraform may store it ([`rules::finish_state`]), and the unknowns the
    /// resource left in it, as errors.
    fn finish(&self, mut state: Value) -> (Value, Vec<Diagnostic>) {
        let found = rules::finish_state(&self.handler.declaration().schema().block, &mut state);
        (state, found)
    }

    pub fn encode_identity(
        &self,
        identity: Option<&Value>,
    ) -> Result<Option<pb::ResourceIdentityData>, Diagnostic> {
        convert::encode_identity(identity, self.identity.as_ref())
    }
}

pub async fn validate(
    registry: &Registry,
    req: pb::validate_resource_config::Request,
) -> Result<pb::validate_resource_config::Response, Failure> {
    let resource = Resource::find(registry, &req.type_name)?;
    let config = resource.decode(req.config.as_ref(), "resource configuration")?;
    let caps = convert::capabilities(req.client_capabilities.as_ref());
    let block = &resource.handler.declaration().schema().block;
    let mut found = check_config(block, &config, caps.write_only_attributes_allowed);
    found.extend(rules::validate_config(block, &config));
    found.extend(resource.handler.declaration().validate(&config));
    Ok(pb::validate_resource_config::Response {
        diagnostics: diagnostics(&found),
    })
}

pub async fn read(
    registry: &Registry,
    req: pb::read_resource::Request,
    cancel: tokio_util::sync::CancellationToken,
) -> Result<pb::read_resource::Response, Failure> {
    let resource = Resource::find(registry, &req.type_name)?;
    let resp = resource
        .handler
        .read(ReadRequest {
            current_state: resource.decode(req.current_state.as_ref(), "current state")?,
            private: req.private,
            current_identity: resource.decode_identity(req.current_identity.as_ref())?,
            client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
            cancel,
        })
        .await;
    let (new_state, mut found) = resource.finish(resp.new_state);
    found.extend(resp.diagnostics);
    Ok(pb::read_resource::Response {
        new_state: Some(resource.encode(new_state, "state after read")?),
        new_identity: resource.encode_identity(resp.new_identity.as_ref())?,
        diagnostics: diagnostics(&found),
        private: resp.private,
        deferred: None,
    })
}

pub async fn plan(
    registry: &Registry,
    req: pb::plan_resource_change::Request,
) -> Result<pb::plan_resource_change::Response, Failure> {
    let resource = Resource::find(registry, &req.type_name)?;
    let prior_state = resource.decode(req.prior_state.as_ref(), "prior state")?;
    let proposed = resource.decode(req.proposed_new_state.as_ref(), "proposed new state")?;
    let config = resource.decode(req.config.as_ref(), "configuration")?;
    let schema_plan = rules::plan(
        &resource.handler.declaration().schema().block,
        &prior_state,
        &proposed,
        &config,
    );
    let resp = resource
        .handler
        .plan(PlanRequest {
            prior_state,
            proposed_new_state: schema_plan.planned_state,
            requires_replace: schema_plan.requires_replace,
            config,
            prior_private: req.prior_private,
            prior_identity: resource.decode_identity(req.prior_identity.as_ref())?,
            client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
        })
        .await;
    Ok(pb::plan_resource_change::Response {
        planned_state: Some(resource.encode(resp.planned_state, "planned state")?),
        planned_identity: resource.encode_identity(resp.planned_identity.as_ref())?,
        requires_replace: resp.requires_replace.iter().map(convert::path).collect(),
        planned_private: resp.planned_private,
        diagnostics: diagnostics(&resp.diagnostics),
        legacy_type_system: false,
        deferred: None,
    })
}

pub async fn apply(
    registry: &Registry,
    req: pb::apply_resource_change::Request,
    cancel: tokio_util::sync::CancellationToken,
) -> Result<pb::apply_resource_change::Response, Failure> {
    let resource = Resource::find(registry, &req.type_name)?;
    let resp = resource
        .handler
        .apply(ApplyRequest {
            prior_state: resource.decode(req.prior_state.as_ref(), "prior state")?,
            planned_state: resource.decode(req.planned_state.as_ref(), "planned state")?,
            config: resource.decode(req.config.as_ref(), "configuration")?,
            planned_private: req.planned_private,
            planned_identity: resource.decode_identity(req.planned_identity.as_ref())?,
            cancel,
        })
        .await;
    let (new_state, mut found) = resource.finish(resp.new_state);
    found.extend(resp.diagnostics);
    Ok(pb::apply_resource_change::Response {
        new_state: Some(resource.encode(new_state, "new state")?),
        new_identity: resource.encode_identity(resp.new_identity.as_ref())?,
        private: resp.private,
        diagnostics: diagnostics(&found),
        legacy_type_system: false,
    })
}

pub async fn import(
    registry: &Registry,
    req: pb::import_resource_state::Request,
    cancel: tokio_util::sync::CancellationToken,
) -> Result<pb::import_resource_state::Response, Failure> {
    let resource = Resource::find(registry, &req.type_name)?;
    let by = match resource.decode_identity(req.identity.as_ref())? {
        Some(identity) if req.id.is_empty() => ImportBy::Identity(identity),
        _ => ImportBy::Id(req.id),
    };
    let resp = resource
        .handler
        .import(ImportRequest {
            by,
            client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
            cancel,
        })
        .await;
    let imported_resources = resp
        .imported
        .into_iter()
        .map(|r| {
            Ok(pb::import_resource_state::ImportedResource {
                type_name: req.type_name.clone(),
                identity: resource.encode_identity(r.identity.as_ref())?,
                state: Some(resource.encode(r.state, "imported state")?),
                private: r.private,
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    Ok(pb::import_resource_state::Response {
        imported_resources,
        diagnostics: diagnostics(&resp.diagnostics),
        deferred: None,
    })
}
