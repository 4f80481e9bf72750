//! Actions (Terraform >= 1.14): ValidateActionConfig, PlanAction (the configuration checked;
//! nothing happens) and InvokeAction, which streams the handler's progress messages and ends
//! with one `Completed` event holding its diagnostics. Terraform reads until the stream ends and
//! cannot handle an event without a type, so every stream ends with `Completed` (the action
//! event's [`Reply`](super::answer::Reply)), a failure before the handler runs included.

use std::sync::Arc;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::codec::Value;
use crate::diagnostics::{has_errors, Diagnostic};
use crate::proto::tfplugin6 as pb;

use super::answer::{BoxStream, Failure, Reply};
use super::convert::{self, diagnostics};
use super::handlers::{ActionHandler, InvokeRequest};
use super::registry::Registry;

use pb::invoke_action::event::{Progress, Type as EventType};

/// Progress messages an action may queue ahead of Terraform reading them.
const BUFFER: usize = 16;

fn find(registry: &Registry, type_name: &str) -> Result<Arc<dyn ActionHandler>, Failure> {
    registry
        .action(type_name)
        .cloned()
        .ok_or_else(|| Failure::unknown_type("action", type_name))
}

/// The decoded configuration and its warnings, after the schema's and the handler's checks;
/// any error is a failure.
async fn checked_config(
    handler: &dyn ActionHandler,
    config: Option<&pb::DynamicValue>,
) -> Result<(Value, Vec<Diagnostic>), Failure> {
    let block = &handler.declaration().schema().block;
    let (value, mut found) = convert::decode_config(config, block, "action configuration", true)?;
    found.extend(handler.declaration().validate(&value));
    if has_errors(&found) {
        return Err(found.into());
    }
    Ok((value, found))
}

/// The configuration's diagnostics: an unknown type, a value the schema refuses, the handler's.
async fn check(
    registry: &Registry,
    type_name: &str,
    config: Option<&pb::DynamicValue>,
) -> Result<Vec<pb::Diagnostic>, Failure> {
    let handler = find(registry, type_name)?;
    let (_, warnings) = checked_config(handler.as_ref(), config).await?;
    Ok(diagnostics(&warnings))
}

pub async fn validate(
    registry: &Registry,
    request: pb::validate_action_config::Request,
) -> Result<pb::validate_action_config::Response, Failure> {
    let found = check(registry, &request.type_name, request.config.as_ref()).await?;
    Ok(pb::validate_action_config::Response { diagnostics: found })
}

pub async fn plan(
    registry: &Registry,
    request: pb::plan_action::Request,
) -> Result<pb::plan_action::Response, Failure> {
    let found = check(registry, &request.action_type, request.config.as_ref()).await?;
    Ok(pb::plan_action::Response {
        diagnostics: found,
        deferred: None,
    })
}

pub async fn invoke(
    registry: &Registry,
    request: pb::invoke_action::Request,
    cancel: CancellationToken,
) -> Result<BoxStream<pb::invoke_action::Event>, Failure> {
    let handler = find(registry, &request.action_type)?;
    let (config, _) = checked_config(handler.as_ref(), request.config.as_ref()).await?;
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
        let found = outcome.await.unwrap_or_else(|e| {
            vec![Diagnostic::error(
                "Action failed",
                format!("the action stopped unexpectedly: {e}"),
            )]
        });
        Ok(pb::invoke_action::Event::with_diagnostics(diagnostics(
            &found,
        )))
    });
    Ok(Box::pin(messages.chain(end)))
}
