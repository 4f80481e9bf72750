//! The tfplugin6 `Provider` service: decodes requests, calls the registered handlers, encodes
//! replies. Failures travel as diagnostics, never as gRPC errors (Terraform shows those as
//! "Plugin error" without detail). RPCs we do not implement answer with an error diagnostic.

use std::pin::Pin;
use std::sync::Arc;

use futures::Stream;
use tonic::{Request, Response, Status, Streaming};

use crate::diagnostics::Diagnostic;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider;

use super::convert::{self, diagnostics, not_supported, unknown_type};
use super::handlers::*;
use super::registry::Registry;
use super::schema_checks::check_config;
use super::schema_proto;
use super::stop::StopSignal;
use crate::schema::values::null_write_only;

pub struct ProviderService {
    registry: Arc<Registry>,
    stop: StopSignal,
}

impl ProviderService {
    pub fn new(registry: Arc<Registry>, stop: StopSignal) -> ProviderService {
        ProviderService { registry, stop }
    }

    fn capabilities() -> pb::ServerCapabilities {
        pb::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: false,
            generate_resource_config: false,
        }
    }

    fn resource(&self, type_name: &str) -> Result<Arc<dyn ResourceHandler>, Vec<pb::Diagnostic>> {
        self.registry
            .resource(type_name)
            .cloned()
            .ok_or_else(|| unknown_type("resource", type_name))
    }
}

type Rpc<T> = Result<Response<T>, Status>;
type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

fn ok<T>(t: T) -> Rpc<T> {
    Ok(Response::new(t))
}

/// Unwraps a `Result<_, Diagnostic>` or answers the RPC with that diagnostic.
macro_rules! try_diag {
    ($e:expr, $resp:ty) => {
        match $e {
            Ok(v) => v,
            Err(d) => {
                let mut response = <$resp>::default();
                response.diagnostics = diagnostics(&[d]);
                return ok(response);
            }
        }
    };
}

/// Looks up a handler or answers the RPC with an "unknown type" diagnostic.
macro_rules! try_handler {
    ($e:expr, $resp:ty) => {
        match $e {
            Ok(v) => v,
            Err(diags) => {
                let mut response = <$resp>::default();
                response.diagnostics = diags;
                return ok(response);
            }
        }
    };
}

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Rpc<pb::get_metadata::Response> {
        use pb::get_metadata::{DataSourceMetadata, ResourceMetadata};
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
            server_capabilities: Some(Self::capabilities()),
            ..Default::default()
        })
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Rpc<pb::validate_provider_config::Response> {
        let block = &self.registry.provider_schema.block;
        let config = try_diag!(
            convert::decode(
                request.get_ref().config.as_ref(),
                &block.value_type(),
                "provider configuration"
            ),
            pb::validate_provider_config::Response
        );
        let mut diags = check_config(block, &config, true);
        diags.extend(self.registry.hooks.validate_provider_config(&config).await);
        ok(pb::validate_provider_config::Response {
            diagnostics: diagnostics(&diags),
        })
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Rpc<pb::validate_resource_config::Response> {
        let req = request.into_inner();
        let handler = try_handler!(
            self.resource(&req.type_name),
            pb::validate_resource_config::Response
        );
        let block = &handler.schema().block;
        let config = try_diag!(
            convert::decode(
                req.config.as_ref(),
                &block.value_type(),
                "resource configuration"
            ),
            pb::validate_resource_config::Response
        );
        let caps = convert::capabilities(req.client_capabilities.as_ref());
        let mut diags = check_config(block, &config, caps.write_only_attributes_allowed);
        diags.extend(handler.validate(&config).await);
        ok(pb::validate_resource_config::Response {
            diagnostics: diagnostics(&diags),
        })
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Rpc<pb::validate_data_resource_config::Response> {
        let req = request.into_inner();
        let Some(handler) = self.registry.data_source(&req.type_name).cloned() else {
            return ok(pb::validate_data_resource_config::Response {
                diagnostics: unknown_type("data source", &req.type_name),
            });
        };
        let block = &handler.schema().block;
        let config = try_diag!(
            convert::decode(
                req.config.as_ref(),
                &block.value_type(),
                "data source configuration"
            ),
            pb::validate_data_resource_config::Response
        );
        let mut diags = check_config(block, &config, true);
        diags.extend(handler.validate(&config).await);
        ok(pb::validate_data_resource_config::Response {
            diagnostics: diagnostics(&diags),
        })
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        let req = request.into_inner();
        let handler = try_handler!(
            self.resource(&req.type_name),
            pb::upgrade_resource_state::Response
        );
        let raw = req.raw_state.unwrap_or_default();
        if raw.json.is_empty() && !raw.flatmap.is_empty() {
            return ok(pb::upgrade_resource_state::Response {
                diagnostics: diagnostics(&[Diagnostic::error("Unsupported state format", "State in the pre-0.12 flatmap format cannot be read; this provider never wrote it.")]),
                ..Default::default()
            });
        }
        let ty = handler.schema().block.value_type();
        let state = match handler.upgrade_state(&raw.json, req.version).await {
            Ok(v) => v,
            Err(diags) => {
                return ok(pb::upgrade_resource_state::Response {
                    diagnostics: diagnostics(&diags),
                    ..Default::default()
                })
            }
        };
        let encoded = try_diag!(
            convert::encode(&state, &ty, "upgraded state"),
            pb::upgrade_resource_state::Response
        );
        ok(pb::upgrade_resource_state::Response {
            upgraded_state: Some(encoded),
            diagnostics: Vec::new(),
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
                    Some((
                        r.type_name().to_string(),
                        schema_proto::identity_schema(r.identity_schema()?),
                    ))
                })
                .collect(),
            diagnostics: Vec::new(),
        })
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Rpc<pb::upgrade_resource_identity::Response> {
        let req = request.into_inner();
        let handler = try_handler!(
            self.resource(&req.type_name),
            pb::upgrade_resource_identity::Response
        );
        let Some(identity) = handler.identity_schema() else {
            return ok(pb::upgrade_resource_identity::Response {
                diagnostics: not_supported("resource identity for this type"),
                ..Default::default()
            });
        };
        let ty = identity.value_type();
        let raw = req.raw_identity.unwrap_or_default();
        let value = try_diag!(
            crate::codec::json::decode_lenient(&raw.json, &ty)
                .map_err(|e| Diagnostic::error("Invalid stored identity", e.to_string())),
            pb::upgrade_resource_identity::Response
        );
        let upgraded = try_diag!(
            convert::encode_identity(Some(&value), Some(&ty)),
            pb::upgrade_resource_identity::Response
        );
        ok(pb::upgrade_resource_identity::Response {
            upgraded_identity: upgraded,
            diagnostics: Vec::new(),
        })
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Rpc<pb::configure_provider::Response> {
        let req = request.into_inner();
        let ty = self.registry.provider_schema.block.value_type();
        let config = try_diag!(
            convert::decode(req.config.as_ref(), &ty, "provider configuration"),
            pb::configure_provider::Response
        );
        let diags = self
            .registry
            .hooks
            .configure(ConfigureRequest {
                terraform_version: req.terraform_version,
                config,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
            })
            .await;
        ok(pb::configure_provider::Response {
            diagnostics: diagnostics(&diags),
        })
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Rpc<pb::read_resource::Response> {
        let req = request.into_inner();
        let handler = try_handler!(self.resource(&req.type_name), pb::read_resource::Response);
        let ty = handler.schema().block.value_type();
        let id_ty = handler.identity_schema().map(|i| i.value_type());
        let current_state = try_diag!(
            convert::decode(req.current_state.as_ref(), &ty, "current state"),
            pb::read_resource::Response
        );
        let current_identity = try_diag!(
            convert::decode_identity(req.current_identity.as_ref(), id_ty.as_ref()),
            pb::read_resource::Response
        );
        let mut resp = handler
            .read(ReadRequest {
                current_state,
                private: req.private,
                current_identity,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
                cancel: self.stop.token(),
            })
            .await;
        null_write_only(&handler.schema().block, &mut resp.new_state);
        let new_state = try_diag!(
            convert::encode(&resp.new_state, &ty, "state after read"),
            pb::read_resource::Response
        );
        let new_identity = try_diag!(
            convert::encode_identity(resp.new_identity.as_ref(), id_ty.as_ref()),
            pb::read_resource::Response
        );
        ok(pb::read_resource::Response {
            new_state: Some(new_state),
            diagnostics: diagnostics(&resp.diagnostics),
            private: resp.private,
            deferred: None,
            new_identity,
        })
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Rpc<pb::plan_resource_change::Response> {
        let req = request.into_inner();
        let handler = try_handler!(
            self.resource(&req.type_name),
            pb::plan_resource_change::Response
        );
        let ty = handler.schema().block.value_type();
        let id_ty = handler.identity_schema().map(|i| i.value_type());
        let prior_state = try_diag!(
            convert::decode(req.prior_state.as_ref(), &ty, "prior state"),
            pb::plan_resource_change::Response
        );
        let proposed_new_state = try_diag!(
            convert::decode(req.proposed_new_state.as_ref(), &ty, "proposed new state"),
            pb::plan_resource_change::Response
        );
        let config = try_diag!(
            convert::decode(req.config.as_ref(), &ty, "configuration"),
            pb::plan_resource_change::Response
        );
        let prior_identity = try_diag!(
            convert::decode_identity(req.prior_identity.as_ref(), id_ty.as_ref()),
            pb::plan_resource_change::Response
        );
        let mut resp = handler
            .plan(PlanRequest {
                prior_state,
                proposed_new_state,
                config,
                prior_private: req.prior_private,
                prior_identity,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
            })
            .await;
        null_write_only(&handler.schema().block, &mut resp.planned_state);
        let planned_state = try_diag!(
            convert::encode(&resp.planned_state, &ty, "planned state"),
            pb::plan_resource_change::Response
        );
        let planned_identity = try_diag!(
            convert::encode_identity(resp.planned_identity.as_ref(), id_ty.as_ref()),
            pb::plan_resource_change::Response
        );
        ok(pb::plan_resource_change::Response {
            planned_state: Some(planned_state),
            requires_replace: resp.requires_replace.iter().map(convert::path).collect(),
            planned_private: resp.planned_private,
            diagnostics: diagnostics(&resp.diagnostics),
            legacy_type_system: false,
            deferred: None,
            planned_identity,
        })
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Rpc<pb::apply_resource_change::Response> {
        let req = request.into_inner();
        let handler = try_handler!(
            self.resource(&req.type_name),
            pb::apply_resource_change::Response
        );
        let ty = handler.schema().block.value_type();
        let id_ty = handler.identity_schema().map(|i| i.value_type());
        let prior_state = try_diag!(
            convert::decode(req.prior_state.as_ref(), &ty, "prior state"),
            pb::apply_resource_change::Response
        );
        let planned_state = try_diag!(
            convert::decode(req.planned_state.as_ref(), &ty, "planned state"),
            pb::apply_resource_change::Response
        );
        let config = try_diag!(
            convert::decode(req.config.as_ref(), &ty, "configuration"),
            pb::apply_resource_change::Response
        );
        let planned_identity = try_diag!(
            convert::decode_identity(req.planned_identity.as_ref(), id_ty.as_ref()),
            pb::apply_resource_change::Response
        );
        let mut resp = handler
            .apply(ApplyRequest {
                prior_state,
                planned_state,
                config,
                planned_private: req.planned_private,
                planned_identity,
                cancel: self.stop.token(),
            })
            .await;
        null_write_only(&handler.schema().block, &mut resp.new_state);
        let new_state = try_diag!(
            convert::encode(&resp.new_state, &ty, "new state"),
            pb::apply_resource_change::Response
        );
        let new_identity = try_diag!(
            convert::encode_identity(resp.new_identity.as_ref(), id_ty.as_ref()),
            pb::apply_resource_change::Response
        );
        ok(pb::apply_resource_change::Response {
            new_state: Some(new_state),
            private: resp.private,
            diagnostics: diagnostics(&resp.diagnostics),
            legacy_type_system: false,
            new_identity,
        })
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        let req = request.into_inner();
        let handler = try_handler!(
            self.resource(&req.type_name),
            pb::import_resource_state::Response
        );
        let ty = handler.schema().block.value_type();
        let id_ty = handler.identity_schema().map(|i| i.value_type());
        let identity = try_diag!(
            convert::decode_identity(req.identity.as_ref(), id_ty.as_ref()),
            pb::import_resource_state::Response
        );
        let by = match identity {
            Some(identity) if req.id.is_empty() => ImportBy::Identity(identity),
            _ => ImportBy::Id(req.id),
        };
        let resp = handler
            .import(ImportRequest {
                by,
                client_capabilities: convert::capabilities(req.client_capabilities.as_ref()),
                cancel: self.stop.token(),
            })
            .await;
        let mut imported = Vec::new();
        for mut r in resp.imported {
            null_write_only(&handler.schema().block, &mut r.state);
            imported.push(pb::import_resource_state::ImportedResource {
                type_name: req.type_name.clone(),
                state: Some(try_diag!(
                    convert::encode(&r.state, &ty, "imported state"),
                    pb::import_resource_state::Response
                )),
                private: r.private,
                identity: try_diag!(
                    convert::encode_identity(r.identity.as_ref(), id_ty.as_ref()),
                    pb::import_resource_state::Response
                ),
            });
        }
        ok(pb::import_resource_state::Response {
            imported_resources: imported,
            diagnostics: diagnostics(&resp.diagnostics),
            deferred: None,
        })
    }

    async fn move_resource_state(
        &self,
        _: Request<pb::move_resource_state::Request>,
    ) -> Rpc<pb::move_resource_state::Response> {
        ok(pb::move_resource_state::Response {
            diagnostics: not_supported("moving resource state between types"),
            ..Default::default()
        })
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        let req = request.into_inner();
        let Some(handler) = self.registry.data_source(&req.type_name).cloned() else {
            return ok(pb::read_data_source::Response {
                diagnostics: unknown_type("data source", &req.type_name),
                ..Default::default()
            });
        };
        let ty = handler.schema().block.value_type();
        let config = try_diag!(
            convert::decode(req.config.as_ref(), &ty, "data source configuration"),
            pb::read_data_source::Response
        );
        let (state, diags) = handler.read(config, self.stop.token()).await;
        let state = if state.is_null() {
            None
        } else {
            Some(try_diag!(
                convert::encode(&state, &ty, "data source state"),
                pb::read_data_source::Response
            ))
        };
        ok(pb::read_data_source::Response {
            state,
            diagnostics: diagnostics(&diags),
            deferred: None,
        })
    }

    async fn generate_resource_config(
        &self,
        _: Request<pb::generate_resource_config::Request>,
    ) -> Rpc<pb::generate_resource_config::Response> {
        ok(pb::generate_resource_config::Response {
            diagnostics: not_supported("generating resource configuration"),
            ..Default::default()
        })
    }

    async fn validate_ephemeral_resource_config(
        &self,
        r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        ok(pb::validate_ephemeral_resource_config::Response {
            diagnostics: unknown_type("ephemeral resource", &r.get_ref().type_name),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        r: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        ok(pb::open_ephemeral_resource::Response {
            diagnostics: unknown_type("ephemeral resource", &r.get_ref().type_name),
            ..Default::default()
        })
    }

    async fn renew_ephemeral_resource(
        &self,
        r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        ok(pb::renew_ephemeral_resource::Response {
            diagnostics: unknown_type("ephemeral resource", &r.get_ref().type_name),
            ..Default::default()
        })
    }

    async fn close_ephemeral_resource(
        &self,
        r: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        ok(pb::close_ephemeral_resource::Response {
            diagnostics: unknown_type("ephemeral resource", &r.get_ref().type_name),
        })
    }

    type ListResourceStream = BoxStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        r: Request<pb::list_resource::Request>,
    ) -> Rpc<Self::ListResourceStream> {
        let event = pb::list_resource::Event {
            diagnostic: unknown_type("list resource", &r.get_ref().type_name),
            ..Default::default()
        };
        ok(Box::pin(futures::stream::iter([Ok(event)])))
    }

    async fn validate_list_resource_config(
        &self,
        r: Request<pb::validate_list_resource_config::Request>,
    ) -> Rpc<pb::validate_list_resource_config::Response> {
        ok(pb::validate_list_resource_config::Response {
            diagnostics: unknown_type("list resource", &r.get_ref().type_name),
        })
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Rpc<pb::get_functions::Response> {
        ok(pb::get_functions::Response::default())
    }

    async fn call_function(
        &self,
        r: Request<pb::call_function::Request>,
    ) -> Rpc<pb::call_function::Response> {
        ok(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!(
                    "This provider has no function named \"{}\".",
                    r.get_ref().name
                ),
                function_argument: None,
            }),
        })
    }

    async fn validate_state_store_config(
        &self,
        r: Request<pb::validate_state_store::Request>,
    ) -> Rpc<pb::validate_state_store::Response> {
        ok(pb::validate_state_store::Response {
            diagnostics: unknown_type("state store", &r.get_ref().type_name),
        })
    }

    async fn configure_state_store(
        &self,
        r: Request<pb::configure_state_store::Request>,
    ) -> Rpc<pb::configure_state_store::Response> {
        ok(pb::configure_state_store::Response {
            diagnostics: unknown_type("state store", &r.get_ref().type_name),
        })
    }

    type ReadStateBytesStream = BoxStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        r: Request<pb::read_state_bytes::Request>,
    ) -> Rpc<Self::ReadStateBytesStream> {
        let resp = pb::read_state_bytes::Response {
            diagnostics: unknown_type("state store", &r.get_ref().type_name),
            ..Default::default()
        };
        ok(Box::pin(futures::stream::iter([Ok(resp)])))
    }

    async fn write_state_bytes(
        &self,
        _: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Rpc<pb::write_state_bytes::Response> {
        ok(pb::write_state_bytes::Response {
            diagnostics: not_supported("state storage"),
        })
    }

    async fn get_states(
        &self,
        r: Request<pb::get_states::Request>,
    ) -> Rpc<pb::get_states::Response> {
        ok(pb::get_states::Response {
            diagnostics: unknown_type("state store", &r.get_ref().type_name),
            ..Default::default()
        })
    }

    async fn delete_state(
        &self,
        r: Request<pb::delete_state::Request>,
    ) -> Rpc<pb::delete_state::Response> {
        ok(pb::delete_state::Response {
            diagnostics: unknown_type("state store", &r.get_ref().type_name),
        })
    }

    async fn plan_action(
        &self,
        r: Request<pb::plan_action::Request>,
    ) -> Rpc<pb::plan_action::Response> {
        ok(pb::plan_action::Response {
            diagnostics: unknown_type("action", &r.get_ref().action_type),
            deferred: None,
        })
    }

    type InvokeActionStream = BoxStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        r: Request<pb::invoke_action::Request>,
    ) -> Rpc<Self::InvokeActionStream> {
        // Terraform panics on an event with no `type`: always finish with Completed.
        let event = pb::invoke_action::Event {
            r#type: Some(pb::invoke_action::event::Type::Completed(
                pb::invoke_action::event::Completed {
                    diagnostics: unknown_type("action", &r.get_ref().action_type),
                },
            )),
        };
        ok(Box::pin(futures::stream::iter([Ok(event)])))
    }

    async fn validate_action_config(
        &self,
        r: Request<pb::validate_action_config::Request>,
    ) -> Rpc<pb::validate_action_config::Response> {
        ok(pb::validate_action_config::Response {
            diagnostics: unknown_type("action", &r.get_ref().type_name),
        })
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
}
