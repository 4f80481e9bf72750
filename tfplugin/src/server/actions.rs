//! Actions (Terraform >= 1.14): ValidateActionConfig, PlanAction (the configuration checked;
//! nothing happens) and InvokeAction, which streams the handler's progress messages and ends
//! with one `Completed` event holding its diagnostics. Terraform reads until the stream ends and
//! cannot handle an event without a type, so every stream ends with `Completed`.

use std::sync::Arc;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::codec::Value;
use crate::diagnostics::has_errors;
use crate::proto::tfplugin6 as pb;

use super::convert::{self, diagnostics};
use super::handlers::{ActionHandler, InvokeRequest};
use super::provider_service::BoxStream;
use super::registry::Registry;
use super::unsupported;

use pb::invoke_action::event::{Completed, Progress, Type as EventType};

/// Progress messages an action may queue ahead of Terraform reading them.
const BUFFER: usize = 16;

fn handler(
    registry: &Registry,
    type_name: &str,
) -> Result<Arc<dyn ActionHandler>, Vec<pb::Diagnostic>> {
    registry
        .action(type_name)
        .cloned()
        .ok_or_else(|| unsupported::action(type_name))
}

/// The decoded configuration, with the schema's and the handler's checks.
async fn checked_config(
    handler: &dyn ActionHandler,
    config: Option<&pb::DynamicValue>,
) -> Result<(Value, Vec<pb::Diagnostic>), Vec<pb::Diagnostic>> {
    let block = &handler.schema().block;
    let (value, mut found) = convert::decode_config(config, block, "action configuration", true)
        .map_err(|d| diagnostics(&[d]))?;
    found.extend(handler.validate(&value).await);
    if has_errors(&found) {
        return Err(diagnostics(&found));
    }
    Ok((value, diagnostics(&found)))
}

/// The configuration's diagnostics: an unknown type, a value the schema refuses, the handler's.
async fn check(
    registry: &Registry,
    type_name: &str,
    config: Option<&pb::DynamicValue>,
) -> Vec<pb::Diagnostic> {
    let handler = match handler(registry, type_name) {
        Ok(handler) => handler,
        Err(errors) => return errors,
    };
    match checked_config(handler.as_ref(), config).await {
        Ok((_, warnings)) => warnings,
        Err(errors) => errors,
    }
}

pub async fn validate(
    registry: &Registry,
    request: &pb::validate_action_config::Request,
) -> pb::validate_action_config::Response {
    pb::validate_action_config::Response {
        diagnostics: check(registry, &request.type_name, request.config.as_ref()).await,
    }
}

pub async fn plan(
    registry: &Registry,
    request: &pb::plan_action::Request,
) -> pb::plan_action::Response {
    pb::plan_action::Response {
        diagnostics: check(registry, &request.action_type, request.config.as_ref()).await,
        deferred: None,
    }
}

fn completed(diagnostics: Vec<pb::Diagnostic>) -> pb::invoke_action::Event {
    pb::invoke_action::Event {
        r#type: Some(EventType::Completed(Completed { diagnostics })),
    }
}

pub async fn invoke(
    registry: &Registry,
    request: pb::invoke_action::Request,
    cancel: CancellationToken,
) -> BoxStream<pb::invoke_action::Event> {
    let ended = |found: Vec<pb::Diagnostic>| -> BoxStream<pb::invoke_action::Event> {
        Box::pin(futures::stream::iter([Ok(completed(found))]))
    };
    let handler = match handler(registry, &request.action_type) {
        Ok(handler) => handler,
        Err(errors) => return ended(errors),
    };
    let config = match checked_config(handler.as_ref(), request.config.as_ref()).await {
        Ok((config, _)) => config,
        Err(errors) => return ended(errors),
    };
    let (progress, messages) = tokio::sync::mpsc::channel(BUFFER);
    let outcome = tokio::spawn(async move {
        handler
            .invoke(InvokeRequest { config, cancel }, progress)
            .await
    });
    let messages = futures::stream::unfold(messages, |mut messages| async move {
        messages.recv().await.map(|message| {
            let event = pb::invoke_action::Event {
                r#type: Some(EventType::Progress(Progress { message })),
            };
            (Ok(event), messages)
        })
    });
    // The progress channel closes when the handler returns; its outcome follows.
    let end = futures::stream::once(async move {
        let found = match outcome.await {
            Ok(found) => diagnostics(&found),
            Err(e) => diagnostics(&[crate::diagnostics::Diagnostic::error(
                "Action failed",
                format!("the action stopped unexpectedly: {e}"),
            )]),
        };
        Ok(completed(found))
    });
    Box::pin(messages.chain(end))
}
