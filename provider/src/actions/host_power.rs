//! What the power actions share: their time limit, and running one power operation through the
//! lifecycle with progress and a clear failure.

use std::time::Duration;

use metal3_core::lifecycle::{OpContext, PowerAction};
use tokio_util::sync::CancellationToken;

use super::host_target::{humantime, target};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::provider_config::ProviderState;
use crate::schema::Attribute;
use crate::server::handlers::{ActionProgress, InvokeRequest};

pub const DEFAULT_TIMEOUT: &str = "5m";

pub fn timeout_attribute() -> Attribute {
    Attribute::string(
        "timeout",
        format!(
            "Longest time to wait for the host to reach its power state, as a duration such as \
             `90s` or `10m`. Defaults to `{DEFAULT_TIMEOUT}`. A soft operation is Ironic's soft \
             power off or reboot with this as its own limit."
        ),
    )
    .optional()
}

/// Which operation an action's configuration asks for, and its name in messages.
pub type Choice = fn(&Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>>;

/// The action's configuration checks: the host and time limit, and the operation.
pub fn validate(config: &Value, choose: Choice) -> Vec<Diagnostic> {
    let mut found = target(config, DEFAULT_TIMEOUT).err().unwrap_or_default();
    found.extend(choose(config).err().unwrap_or_default());
    found
}

/// Invokes the operation `choose` picks on the configured host.
pub async fn invoke(
    state: &ProviderState,
    request: InvokeRequest,
    progress: &ActionProgress,
    choose: Choice,
) -> Vec<Diagnostic> {
    let (host_id, timeout) = match target(&request.config, DEFAULT_TIMEOUT) {
        Ok((Some(id), timeout)) => (id, timeout),
        Ok((None, _)) => return vec![Diagnostic::error("Invalid host", "`host_id` is not known.")],
        Err(errors) => return errors,
    };
    let (action, what) = match choose(&request.config) {
        Ok(chosen) => chosen,
        Err(errors) => return errors,
    };
    run(
        state,
        &host_id,
        action,
        what,
        timeout,
        request.cancel,
        progress,
    )
    .await
}

/// Runs `action` on the host and reports how it went.
async fn run(
    state: &ProviderState,
    host_id: &str,
    action: PowerAction,
    what: &str,
    timeout: Duration,
    cancel: CancellationToken,
    progress: &ActionProgress,
) -> Vec<Diagnostic> {
    let engine = match state.engine().await {
        Ok(engine) => engine,
        Err(d) => return vec![d],
    };
    let _ = progress
        .send(format!(
            "host {host_id}: {what}, waiting up to {}",
            humantime(timeout)
        ))
        .await;
    let ironic_limit = u32::try_from(timeout.as_secs()).ok();
    let soft = matches!(action, PowerAction::SoftOff | PowerAction::SoftReboot);
    let ctx = OpContext::new(timeout, cancel);
    match engine
        .power_action(
            host_id,
            action,
            soft.then_some(ironic_limit).flatten(),
            &ctx,
        )
        .await
    {
        Ok(status) => {
            let power = match status.powered_on {
                Some(true) => "on",
                Some(false) => "off",
                None => "unknown",
            };
            let name = status.name.unwrap_or(status.id);
            let _ = progress
                .send(format!("host {name}: {what} done, power {power}"))
                .await;
            Vec::new()
        }
        Err(e) => {
            let hint = if soft {
                " A soft operation needs the operating system to answer ACPI; the `hard` form \
                 does not."
            } else {
                ""
            };
            vec![Diagnostic::error(
                format!("Host {what} failed"),
                format!("{e}.{hint}"),
            )]
        }
    }
}
