//! Answers to the RPCs of features no handler provides (ephemeral resources, list resources,
//! actions, state stores, moving state, generating configuration): an error
//! diagnostic naming what was asked, in the shape each RPC needs. Streams always end, and an
//! action's stream ends with `Completed` (Terraform panics on an event without a type).

use crate::proto::tfplugin6 as pb;

use super::convert::{not_supported, unknown_type};
use super::provider_service::BoxStream;

pub fn ephemeral(type_name: &str) -> Vec<pb::Diagnostic> {
    unknown_type("ephemeral resource", type_name)
}

pub fn list(type_name: &str) -> Vec<pb::Diagnostic> {
    unknown_type("list resource", type_name)
}

pub fn action(type_name: &str) -> Vec<pb::Diagnostic> {
    unknown_type("action", type_name)
}

pub fn state_store(type_name: &str) -> Vec<pb::Diagnostic> {
    unknown_type("state store", type_name)
}

pub fn move_resource_state() -> pb::move_resource_state::Response {
    pb::move_resource_state::Response {
        diagnostics: not_supported("moving resource state between types"),
        ..Default::default()
    }
}

pub fn generate_resource_config() -> pb::generate_resource_config::Response {
    pb::generate_resource_config::Response {
        diagnostics: not_supported("generating resource configuration"),
        ..Default::default()
    }
}

pub fn read_state_bytes(type_name: &str) -> BoxStream<pb::read_state_bytes::Response> {
    let response = pb::read_state_bytes::Response {
        diagnostics: state_store(type_name),
        ..Default::default()
    };
    Box::pin(futures::stream::iter([Ok(response)]))
}
