//! The tfplugin6 `Provider` service: each RPC handed to the module of its protocol feature
//! (`provider.rs`, `resources.rs`, `state.rs`, `data_sources.rs`, `list_resources.rs`,
//! `actions.rs`, `functions.rs`, `unsupported.rs`), and its result or failure answered through
//! `answer.rs`, the same way for every RPC. StopProvider is here: it cancels what the others run.

use std::sync::Arc;

use tonic::{Request, Streaming};

use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider;

use super::answer::{answer, answer_stream, ok, BoxStream, Rpc};
use super::registry::Registry;
use super::stop::StopSignal;
use super::unsupported;
use super::{actions, data_sources, functions, list_resources, provider, resources, state};

pub struct ProviderService {
    registry: Arc<Registry>,
    stop: StopSignal,
}

impl ProviderService {
    pub fn new(registry: Arc<Registry>, stop: StopSignal) -> ProviderService {
        ProviderService { registry, stop }
    }
}

#[tonic::async_trait]
impl Provider for ProviderService {
    // The provider itself.

    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Rpc<pb::get_metadata::Response> {
        ok(provider::metadata(&self.registry))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Rpc<pb::get_provider_schema::Response> {
        ok(provider::schema(&self.registry))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Rpc<pb::get_resource_identity_schemas::Response> {
        ok(provider::identity_schemas(&self.registry))
    }

    async fn validate_provider_config(
        &self,
        r: Request<pb::validate_provider_config::Request>,
    ) -> Rpc<pb::validate_provider_config::Response> {
        answer(provider::validate(&self.registry, r.into_inner()).await)
    }

    async fn configure_provider(
        &self,
        r: Request<pb::configure_provider::Request>,
    ) -> Rpc<pb::configure_provider::Response> {
        answer(provider::configure(&self.registry, r.into_inner()).await)
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

    // Managed resources.

    async fn validate_resource_config(
        &self,
        r: Request<pb::validate_resource_config::Request>,
    ) -> Rpc<pb::validate_resource_config::Response> {
        answer(resources::validate(&self.registry, r.into_inner()).await)
    }

    async fn read_resource(
        &self,
        r: Request<pb::read_resource::Request>,
    ) -> Rpc<pb::read_resource::Response> {
        answer(resources::read(&self.registry, r.into_inner(), self.stop.token()).await)
    }

    async fn plan_resource_change(
        &self,
        r: Request<pb::plan_resource_change::Request>,
    ) -> Rpc<pb::plan_resource_change::Response> {
        answer(resources::plan(&self.registry, r.into_inner()).await)
    }

    async fn apply_resource_change(
        &self,
        r: Request<pb::apply_resource_change::Request>,
    ) -> Rpc<pb::apply_resource_change::Response> {
        answer(resources::apply(&self.registry, r.into_inner(), self.stop.token()).await)
    }

    async fn import_resource_state(
        &self,
        r: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        answer(resources::import(&self.registry, r.into_inner(), self.stop.token()).await)
    }

    async fn generate_resource_config(
        &self,
        _: Request<pb::generate_resource_config::Request>,
    ) -> Rpc<pb::generate_resource_config::Response> {
        answer(Err(unsupported::generate_resource_config()))
    }

    // A resource's stored state.

    async fn upgrade_resource_state(
        &self,
        r: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        answer(state::upgrade(&self.registry, r.into_inner()).await)
    }

    async fn upgrade_resource_identity(
        &self,
        r: Request<pb::upgrade_resource_identity::Request>,
    ) -> Rpc<pb::upgrade_resource_identity::Response> {
        answer(state::upgrade_identity(&self.registry, r.into_inner()).await)
    }

    async fn move_resource_state(
        &self,
        _: Request<pb::move_resource_state::Request>,
    ) -> Rpc<pb::move_resource_state::Response> {
        answer(state::moved())
    }

    // Data sources.

    async fn validate_data_resource_config(
        &self,
        r: Request<pb::validate_data_resource_config::Request>,
    ) -> Rpc<pb::validate_data_resource_config::Response> {
        answer(data_sources::validate(&self.registry, r.into_inner()).await)
    }

    async fn read_data_source(
        &self,
        r: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        answer(data_sources::read(&self.registry, r.into_inner(), self.stop.token()).await)
    }

    // List resources.

    type ListResourceStream = BoxStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        r: Request<pb::list_resource::Request>,
    ) -> Rpc<Self::ListResourceStream> {
        answer_stream(
            list_resources::stream(&self.registry, r.into_inner(), self.stop.token()).await,
        )
    }

    async fn validate_list_resource_config(
        &self,
        r: Request<pb::validate_list_resource_config::Request>,
    ) -> Rpc<pb::validate_list_resource_config::Response> {
        answer(list_resources::validate(&self.registry, r.into_inner()).await)
    }

    // Actions.

    async fn validate_action_config(
        &self,
        r: Request<pb::validate_action_config::Request>,
    ) -> Rpc<pb::validate_action_config::Response> {
        answer(actions::validate(&self.registry, r.into_inner()).await)
    }

    async fn plan_action(
        &self,
        r: Request<pb::plan_action::Request>,
    ) -> Rpc<pb::plan_action::Response> {
        answer(actions::plan(&self.registry, r.into_inner()).await)
    }

    type InvokeActionStream = BoxStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        r: Request<pb::invoke_action::Request>,
    ) -> Rpc<Self::InvokeActionStream> {
        answer_stream(actions::invoke(&self.registry, r.into_inner(), self.stop.token()).await)
    }

    // Functions.

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Rpc<pb::get_functions::Response> {
        ok(functions::get(&self.registry))
    }

    async fn call_function(
        &self,
        r: Request<pb::call_function::Request>,
    ) -> Rpc<pb::call_function::Response> {
        ok(functions::call(&self.registry, r.get_ref()))
    }

    // Features no handler provides.

    async fn validate_ephemeral_resource_config(
        &self,
        r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        answer(Err(unsupported::ephemeral(&r.get_ref().type_name)))
    }

    async fn open_ephemeral_resource(
        &self,
        r: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        answer(Err(unsupported::ephemeral(&r.get_ref().type_name)))
    }

    async fn renew_ephemeral_resource(
        &self,
        r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        answer(Err(unsupported::ephemeral(&r.get_ref().type_name)))
    }

    async fn close_ephemeral_resource(
        &self,
        r: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        answer(Err(unsupported::ephemeral(&r.get_ref().type_name)))
    }

    async fn validate_state_store_config(
        &self,
        r: Request<pb::validate_state_store::Request>,
    ) -> Rpc<pb::validate_state_store::Response> {
        answer(Err(unsupported::state_store(&r.get_ref().type_name)))
    }

    async fn configure_state_store(
        &self,
        r: Request<pb::configure_state_store::Request>,
    ) -> Rpc<pb::configure_state_store::Response> {
        answer(Err(unsupported::state_store(&r.get_ref().type_name)))
    }

    type ReadStateBytesStream = BoxStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        r: Request<pb::read_state_bytes::Request>,
    ) -> Rpc<Self::ReadStateBytesStream> {
        answer_stream(Err(unsupported::state_store(&r.get_ref().type_name)))
    }

    async fn write_state_bytes(
        &self,
        _: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Rpc<pb::write_state_bytes::Response> {
        answer(Err(unsupported::state_storage()))
    }

    async fn get_states(
        &self,
        r: Request<pb::get_states::Request>,
    ) -> Rpc<pb::get_states::Response> {
        answer(Err(unsupported::state_store(&r.get_ref().type_name)))
    }

    async fn delete_state(
        &self,
        r: Request<pb::delete_state::Request>,
    ) -> Rpc<pb::delete_state::Response> {
        answer(Err(unsupported::state_store(&r.get_ref().type_name)))
    }
}

#[cfg(test)]
#[path = "provider_service_tests.rs"]
mod tests;
