//! The tfplugin6 `Provider` service: every RPC goes decode -> handler -> encode along one path.
//! A step that fails yields a [`Failure`], and [`answer`] turns it into the response's
//! diagnostics: failures travel as diagnostics, never as gRPC errors (Terraform shows those as
//! "Plugin error" without detail). Features no handler provides (ephemeral resources, list
//! resources, actions, state stores) answer from `unsupported.rs`; functions are served by
//! `functions.rs`.

use std::pin::Pin;
use std::sync::Arc;

use futures::Stream;
use tonic::{Request, Response, Status, Streaming};

use crate::codec::{Type, Value};
use crate::diagnostics::Diagnostic;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider;
use crate::schema::values::null_write_only;

use super::actions;
use super::convert::{self, diagnostics, unknown_type};
use super::functions;
use super::handlers::*;
use super::list;
use super::registry::Registry;
use super::schema_checks::check_config;
use super::schema_proto;
use super::stop::StopSignal;
use super::unsupported;

pub struct ProviderService {
    registry: Arc<Registry>,
    stop: StopSignal,
}

pub(super) type Rpc<T> = Result<Response<T>, Status>;
pub(super) type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

pub(super) fn ok<T>(t: T) -> Rpc<T> {
    Ok(Response::new(t))
}

/// Why an RPC answers with diagnostics only.
#[derive(Debug)]
struct Failure(Vec<pb::Diagnostic>);

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure(diagnostics(&[d]))
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(ds: Vec<Diagnostic>) -> Failure {
        Failure(diagnostics(&ds))
    }
}

/// A response with a `diagnostics` field, which [`answer`] fills when a step failed.
trait Reply: Default {
    fn with_diagnostics(diagnostics: Vec<pb::Diagnostic>) -> Self;
}

macro_rules! replies {
    ($($response:ty),+ $(,)?) => {
        $(impl Reply for $response {
            // Some responses have no other field.
            #[allow(clippy::needless_update)]
            fn with_diagnostics(diagnostics: Vec<pb::Diagnostic>) -> Self {
                Self { diagnostics, ..Self::default() }
            }
        })+
    };
}

replies!(
    pb::validate_provider_config::Response,
    pb::validate_resource_config::Response,
    pb::validate_data_resource_config::Response,
    pb::upgrade_resource_state::Response,
    pb::upgrade_resource_identity::Response,
    pb::configure_provider::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::read_data_source::Response,
);

fn answer<T: Reply>(result: Result<T, Failure>) -> Rpc<T> {
    ok(result.unwrap_or_else(|Failure(diagnostics)| T::with_diagnostics(diagnostics)))
}

/// A resource type's handler with the types its values travel in.
struct Typed {
    handler: Arc<dyn ResourceHandler>,
    state: Type,
    identity: Option<Type>,
}

impl Typed {
    fn decode(&self, value: Option<&pb::DynamicValue>, what: &str) -> Result<Value, Diagnostic> {
        convert::decode(value, &self.state, what)
    }

    fn decode_identity(
        &self,
        identity: Option<&pb::ResourceIdentityData>,
    ) -> Result<Option<Value>, Diagnostic> {
        convert::decode_identity(identity, self.identity.as_ref())
    }

    /// Write-only values never leave the provider: Terraform rejects states that carry them.
    fn encode(&self, mut value: Value, what: &str) -> Result<pb::DynamicValue, Diagnostic> {
        null_write_only(&self.handler.schema().block, &mut value);
        convert::encode(&value, &self.state, what)
    }

    fn encode_identity(
        &self,
        identity: Option<&Value>,
    ) -> Result<Option<pb::ResourceIdentityData>, Diagnostic> {
        convert::encode_identity(identity, self.identity.as_ref())
    }
}

impl ProviderService {
    pub fn new(registry: Arc<Registry>, stop: StopSignal) -> ProviderService {
        ProviderService { registry, stop }
    }

    fn function_definitions(&self) -> std::collections::HashMap<String, pb::Function> {
        self.registry
            .functions()
            .map(|f| (f.name().to_string(), functions::definition(f.signature())))
            .collect()
    }

    fn capabilities() -> pb::ServerCapabilities {
        pb::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: false,
            generate_resource_config: false,
        }
    }

    fn resource(&self, type_name: &str) -> Result<Typed, Failure> {
        let handler = self
            .registry
            .resource(type_name)
            .cloned()
            .ok_or_else(|| Failure(unknown_type("resource", type_name)))?;
        Ok(Typed {
            state: handler.schema().block.value_type(),
            identity: handler.identity_schema().map(|i| i.value_type()),
            handler,
        })
    }

    fn data_source(&self, type_name: &str) -> Result<Arc<dyn DataSourceHandler>, Failure> {
        self.registry
            .data_source(type_name)
            .cloned()
            .ok_or_else(|| Failure(unknown_type("data source", type_name)))
    }

    async fn validate_provider(
        &self,
        req: pb::validate_provider_config::Request,
    ) -> Result<pb::validate_provider_config::Response, Failure> {
        let block = &self.registry.provider_schema.block;
        let what = "provider configuration";
        let (config, mut diags) = convert::decode_config(req.config.as_ref(), block, what, true)?;
        diags.extend(self.registry.hooks.validate_provider_config(&config).await);
        Ok(Reply::with_diagnostics(diagnostics(&diags)))
    }

    async fn validate_resource(
        &self,
        req: pb::validate_resource_config::Request,
    ) -> Result<pb::validate_resource_config::Response, Failure> {
        let typed = self.resource(&req.type_name)?;
        let config = typed.decode(req.config.as_ref(), "resource configuration")?;
        let caps = convert::capabilities(req.client_capabilities.as_ref());
        let block = &typed.handler.schema().block;
        let mut diags = check_config(block, &config, caps.write_only_attributes_allowed);
        diags.extend(typed.handler.validate(&config).await);
        Ok(Reply::with_diagnostics(diagnostics(&diags)))
    }

    async fn validate_data_source(
        &self,
        req: pb::validate_data_resource_config::Request,
    ) -> Result<pb::validate_data_resource_config::Response, Failure> {
        let handler = self.data_source(&req.type_name)?;
        let block = &handler.schema().block;
        let what = "data source configuration";
        let (config, mut diags) = convert::decode_config(req.config.as_ref(), block, what, true)?;
        diags.extend(handler.validate(&config).await);
        Ok(Reply::with_diagnostics(diagnostics(&diags)))
    }

    async fn upgrade_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> Result<pb::upgrade_resource_state::Response, Failure> {
        let typed = self.resource(&req.type_name)?;
        let raw = req.raw_state.unwrap_or_default();
        if raw.json.is_empty() && !raw.flatmap.is_empty() {
            return Err(Diagnostic::error(
                "Unsupported state format",
                "State in the pre-0.12 flatmap format cannot be read; this provider never \
                 wrote it.",
            )
            .into());
        }
        let state = typed.handler.upgrade_state(&raw.json, req.version).await?;
        Ok(pb::upgrade_resource_state::Response {
            upgraded_state: Some(typed.encode(state, "upgraded state")?),
            diagnostics: Vec::new(),
        })
    }

    async fn upgrade_identity(
        &self,
        req: pb::upgrade_resource_identity::Request,
    ) -> Result<pb::upgrade_resource_identity::Response, Failure> {
        let typed = self.resource(&req.type_name)?;
        let Some(ty) = &typed.identity else {
            return Err(Failure(convert::not_supported(
                "resource identity for this type",
            )));
        };
        let raw = req.raw_identity.unwrap_or_default();
        let value = crate::codec::json::decode_lenient(&raw.json, ty)
            .map_err(|e| Diagnostic::error("Invalid stored identity", e.to_string()))?;
        Ok(pb::upgrade_resource_identity::Response {
            upgraded_identity: typed.encode_identity(Some(&value))?,
            diagnostics: Vec::new(),
        })
    }

    async fn configure(
        &self,
        req: pb::configure_provider::Request,
    ) -> Result<pb::configure_provider::Response, Failure> {
        let ty = self.registry.provider_schema.block.value_type();
        let config = convert::decode(req.config.as_ref(), &ty, "provider configuration")?;
        let diags = self
            .registry
            .hooks
            .configure(ConfigureRequest {
                terraform_version: req.terraform_version,
                config,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
            })
            .await;
        Ok(Reply::with_diagnostics(diagnostics(&diags)))
    }

    async fn read(
        &self,
        req: pb::read_resource::Request,
    ) -> Result<pb::read_resource::Response, Failure> {
        let typed = self.resource(&req.type_name)?;
        let resp = typed
            .handler
            .read(ReadRequest {
                current_state: typed.decode(req.current_state.as_ref(), "current state")?,
                private: req.private,
                current_identity: typed.decode_identity(req.current_identity.as_ref())?,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
                cancel: self.stop.token(),
            })
            .await;
        Ok(pb::read_resource::Response {
            new_state: Some(typed.encode(resp.new_state, "state after read")?),
            new_identity: typed.encode_identity(resp.new_identity.as_ref())?,
            diagnostics: diagnostics(&resp.diagnostics),
            private: resp.private,
            deferred: None,
        })
    }

    async fn plan(
        &self,
        req: pb::plan_resource_change::Request,
    ) -> Result<pb::plan_resource_change::Response, Failure> {
        let typed = self.resource(&req.type_name)?;
        let resp = typed
            .handler
            .plan(PlanRequest {
                prior_state: typed.decode(req.prior_state.as_ref(), "prior state")?,
                proposed_new_state: typed
                    .decode(req.proposed_new_state.as_ref(), "proposed new state")?,
                config: typed.decode(req.config.as_ref(), "configuration")?,
                prior_private: req.prior_private,
                prior_identity: typed.decode_identity(req.prior_identity.as_ref())?,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
            })
            .await;
        Ok(pb::plan_resource_change::Response {
            planned_state: Some(typed.encode(resp.planned_state, "planned state")?),
            planned_identity: typed.encode_identity(resp.planned_identity.as_ref())?,
            requires_replace: resp.requires_replace.iter().map(convert::path).collect(),
            planned_private: resp.planned_private,
            diagnostics: diagnostics(&resp.diagnostics),
            legacy_type_system: false,
            deferred: None,
        })
    }

    async fn apply(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> Result<pb::apply_resource_change::Response, Failure> {
        let typed = self.resource(&req.type_name)?;
        let resp = typed
            .handler
            .apply(ApplyRequest {
                prior_state: typed.decode(req.prior_state.as_ref(), "prior state")?,
                planned_state: typed.decode(req.planned_state.as_ref(), "planned state")?,
                config: typed.decode(req.config.as_ref(), "configuration")?,
                planned_private: req.planned_private,
                planned_identity: typed.decode_identity(req.planned_identity.as_ref())?,
                cancel: self.stop.token(),
            })
            .await;
        Ok(pb::apply_resource_change::Response {
            new_state: Some(typed.encode(resp.new_state, "new state")?),
            new_identity: typed.encode_identity(resp.new_identity.as_ref())?,
            private: resp.private,
            diagnostics: diagnostics(&resp.diagnostics),
            legacy_type_system: false,
        })
    }

    async fn import(
        &self,
        req: pb::import_resource_state::Request,
    ) -> Result<pb::import_resource_state::Response, Failure> {
        let typed = self.resource(&req.type_name)?;
        let by = match typed.decode_identity(req.identity.as_ref())? {
            Some(identity) if req.id.is_empty() => ImportBy::Identity(identity),
            _ => ImportBy::Id(req.id),
        };
        let resp = typed
            .handler
            .import(ImportRequest {
                by,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
                cancel: self.stop.token(),
            })
            .await;
        let imported_resources = resp
            .imported
            .into_iter()
            .map(|r| {
                Ok(pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    identity: typed.encode_identity(r.identity.as_ref())?,
                    state: Some(typed.encode(r.state, "imported state")?),
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

    async fn read_data(
        &self,
        req: pb::read_data_source::Request,
    ) -> Result<pb::read_data_source::Response, Failure> {
        let handler = self.data_source(&req.type_name)?;
        let ty = handler.schema().block.value_type();
        let config = convert::decode(req.config.as_ref(), &ty, "data source configuration")?;
        let (state, diags) = handler.read(config, self.stop.token()).await;
        let state = match state.is_null() {
            true => None,
            false => Some(convert::encode(&state, &ty, "data source state")?),
        };
        Ok(pb::read_data_source::Response {
            state,
            diagnostics: diagnostics(&diags),
            deferred: None,
        })
    }
}

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Rpc<pb::get_metadata::Response> {
        use pb::get_metadata::{
            ActionMetadata, DataSourceMetadata, FunctionMetadata, ListResourceMetadata,
            ResourceMetadata,
        };
        ok(pb::get_metadata::Response {
            server_capabilities: Some(Self::capabilities()),
            resources: self
                .registry
                .resources()
                .map(|r| ResourceMetadata {
                    type_name: r.type_name().into(),
                })
                .collect(),
            data_sources: self
                .registry
                .data_sources()
                .map(|d| DataSourceMetadata {
                    type_name: d.type_name().into(),
                })
                .collect(),
            functions: self
                .registry
                .functions()
                .map(|f| FunctionMetadata {
                    name: f.name().into(),
                })
                .collect(),
            list_resources: self
                .registry
                .list_resources()
                .map(|l| ListResourceMetadata {
                    type_name: l.type_name().into(),
                })
                .collect(),
            actions: self
                .registry
                .actions()
                .map(|a| ActionMetadata {
                    type_name: a.type_name().into(),
                })
                .collect(),
            ..Default::default()
        })
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Rpc<pb::get_provider_schema::Response> {
        ok(pb::get_provider_schema::Response {
            provider: Some(schema_proto::schema(&self.registry.provider_schema)),
            resource_schemas: self
                .registry
                .resources()
                .map(|r| (r.type_name().to_string(), schema_proto::schema(r.schema())))
                .collect(),
            data_source_schemas: self
                .registry
                .data_sources()
                .map(|d| (d.type_name().to_string(), schema_proto::schema(d.schema())))
                .collect(),
            functions: self.function_definitions(),
            list_resource_schemas: self
                .registry
                .list_resources()
                .map(|l| (l.type_name().to_string(), schema_proto::schema(l.schema())))
                .collect(),
            action_schemas: self
                .registry
                .actions()
                .map(|a| {
                    let schema = pb::ActionSchema {
                        schema: Some(schema_proto::schema(a.schema())),
                    };
                    (a.type_name().to_string(), schema)
                })
                .collect(),
            server_capabilities: Some(Self::capabilities()),
            ..Default::default()
        })
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Rpc<pb::get_resource_identity_schemas::Response> {
        ok(pb::get_resource_identity_schemas::Response {
            identity_schemas: self
                .registry
                .resources()
                .filter_map(|r| {
                    let identity = schema_proto::identity_schema(r.identity_schema()?);
                    Some((r.type_name().to_string(), identity))
                })
                .collect(),
            diagnostics: Vec::new(),
        })
    }

    async fn validate_provider_config(
        &self,
        r: Request<pb::validate_provider_config::Request>,
    ) -> Rpc<pb::validate_provider_config::Response> {
        answer(self.validate_provider(r.into_inner()).await)
    }

    async fn validate_resource_config(
        &self,
        r: Request<pb::validate_resource_config::Request>,
    ) -> Rpc<pb::validate_resource_config::Response> {
        answer(self.validate_resource(r.into_inner()).await)
    }

    async fn validate_data_resource_config(
        &self,
        r: Request<pb::validate_data_resource_config::Request>,
    ) -> Rpc<pb::validate_data_resource_config::Response> {
        answer(self.validate_data_source(r.into_inner()).await)
    }

    async fn upgrade_resource_state(
        &self,
        r: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        answer(self.upgrade_state(r.into_inner()).await)
    }

    async fn upgrade_resource_identity(
        &self,
        r: Request<pb::upgrade_resource_identity::Request>,
    ) -> Rpc<pb::upgrade_resource_identity::Response> {
        answer(self.upgrade_identity(r.into_inner()).await)
    }

    async fn configure_provider(
        &self,
        r: Request<pb::configure_provider::Request>,
    ) -> Rpc<pb::configure_provider::Response> {
        answer(self.configure(r.into_inner()).await)
    }

    async fn read_resource(
        &self,
        r: Request<pb::read_resource::Request>,
    ) -> Rpc<pb::read_resource::Response> {
        answer(self.read(r.into_inner()).await)
    }

    async fn plan_resource_change(
        &self,
        r: Request<pb::plan_resource_change::Request>,
    ) -> Rpc<pb::plan_resource_change::Response> {
        answer(self.plan(r.into_inner()).await)
    }

    async fn apply_resource_change(
        &self,
        r: Request<pb::apply_resource_change::Request>,
    ) -> Rpc<pb::apply_resource_change::Response> {
        answer(self.apply(r.into_inner()).await)
    }

    async fn import_resource_state(
        &self,
        r: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        answer(self.import(r.into_inner()).await)
    }

    async fn read_data_source(
        &self,
        r: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        answer(self.read_data(r.into_inner()).await)
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Rpc<pb::stop_provider::Response> {
        tracing::info!("StopProvider: cancelling in-flight operations");
        self.stop.stop();
        ok(pb::stop_provider::Response {
            error: String::new(),
        })
    }

    // Features no handler provides: the answers are in `unsupported.rs`.

    async fn move_resource_state(
        &self,
        _: Request<pb::move_resource_state::Request>,
    ) -> Rpc<pb::move_resource_state::Response> {
        ok(unsupported::move_resource_state())
    }

    async fn generate_resource_config(
        &self,
        _: Request<pb::generate_resource_config::Request>,
    ) -> Rpc<pb::generate_resource_config::Response> {
        ok(unsupported::generate_resource_config())
    }

    async fn validate_ephemeral_resource_config(
        &self,
        r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        ok(pb::validate_ephemeral_resource_config::Response {
            diagnostics: unsupported::ephemeral(&r.get_ref().type_name),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        r: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        ok(pb::open_ephemeral_resource::Response {
            diagnostics: unsupported::ephemeral(&r.get_ref().type_name),
            ..Default::default()
        })
    }

    async fn renew_ephemeral_resource(
        &self,
        r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        ok(pb::renew_ephemeral_resource::Response {
            diagnostics: unsupported::ephemeral(&r.get_ref().type_name),
            ..Default::default()
        })
    }

    async fn close_ephemeral_resource(
        &self,
        r: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        ok(pb::close_ephemeral_resource::Response {
            diagnostics: unsupported::ephemeral(&r.get_ref().type_name),
        })
    }

    type ListResourceStream = BoxStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        r: Request<pb::list_resource::Request>,
    ) -> Rpc<Self::ListResourceStream> {
        ok(list::stream(&self.registry, r.into_inner(), self.stop.token()).await)
    }

    async fn validate_list_resource_config(
        &self,
        r: Request<pb::validate_list_resource_config::Request>,
    ) -> Rpc<pb::validate_list_resource_config::Response> {
        ok(list::validate(&self.registry, r.get_ref()).await)
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Rpc<pb::get_functions::Response> {
        ok(pb::get_functions::Response {
            functions: self.function_definitions(),
            diagnostics: Vec::new(),
        })
    }

    async fn call_function(
        &self,
        r: Request<pb::call_function::Request>,
    ) -> Rpc<pb::call_function::Response> {
        ok(functions::call(&self.registry, r.get_ref()))
    }

    async fn validate_state_store_config(
        &self,
        r: Request<pb::validate_state_store::Request>,
    ) -> Rpc<pb::validate_state_store::Response> {
        ok(pb::validate_state_store::Response {
            diagnostics: unsupported::state_store(&r.get_ref().type_name),
        })
    }

    async fn configure_state_store(
        &self,
        r: Request<pb::configure_state_store::Request>,
    ) -> Rpc<pb::configure_state_store::Response> {
        ok(pb::configure_state_store::Response {
            diagnostics: unsupported::state_store(&r.get_ref().type_name),
        })
    }

    type ReadStateBytesStream = BoxStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        r: Request<pb::read_state_bytes::Request>,
    ) -> Rpc<Self::ReadStateBytesStream> {
        ok(unsupported::read_state_bytes(&r.get_ref().type_name))
    }

    async fn write_state_bytes(
        &self,
        _: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Rpc<pb::write_state_bytes::Response> {
        ok(pb::write_state_bytes::Response {
            diagnostics: convert::not_supported("state storage"),
        })
    }

    async fn get_states(
        &self,
        r: Request<pb::get_states::Request>,
    ) -> Rpc<pb::get_states::Response> {
        ok(pb::get_states::Response {
            diagnostics: unsupported::state_store(&r.get_ref().type_name),
            ..Default::default()
        })
    }

    async fn delete_state(
        &self,
        r: Request<pb::delete_state::Request>,
    ) -> Rpc<pb::delete_state::Response> {
        ok(pb::delete_state::Response {
            diagnostics: unsupported::state_store(&r.get_ref().type_name),
        })
    }

    async fn plan_action(
        &self,
        r: Request<pb::plan_action::Request>,
    ) -> Rpc<pb::plan_action::Response> {
        ok(actions::plan(&self.registry, r.get_ref()).await)
    }

    type InvokeActionStream = BoxStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        r: Request<pb::invoke_action::Request>,
    ) -> Rpc<Self::InvokeActionStream> {
        ok(actions::invoke(&self.registry, r.into_inner(), self.stop.token()).await)
    }

    async fn validate_action_config(
        &self,
        r: Request<pb::validate_action_config::Request>,
    ) -> Rpc<pb::validate_action_config::Response> {
        ok(actions::validate(&self.registry, r.get_ref()).await)
    }
}

#[cfg(test)]
#[path = "provider_service_tests.rs"]
mod tests;
