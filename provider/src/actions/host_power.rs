//! What the power actions share: the host they act on, their time limit, and running one power
//! operation through the lifecycle with progress and a clear failure.

use std::time::Duration;

use metal3_core::lifecycle::{OpContext, PowerAction};
use tokio_util::sync::CancellationToken;

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::duration::parse_duration;
use crate::provider_config::ProviderState;
use crate::schema::Attribute;
use crate::server::handlers::{ActionProgress, InvokeRequest};

pub const DEFAULT_TIMEOUT: &str = "5m";

pub fn host_id_attribute() -> Attribute {
    Attribute::string(
        "host_id",
        "The host: the `id` of its `metal3_baremetal_host` (the Ironic node UUID), e.g. \
         `metal3_baremetal_host.worker_0.id`.",
    )
    .required()
}

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

fn at(name: &str) -> AttributePath {
    AttributePath::root().attribute(name)
}

/// `host_id` and `timeout` when known; errors name the attribute.
pub fn target(config: &Value) -> Result<(Option<String>, Duration), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let host_id = config
        .get("host_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if host_id.as_deref().is_some_and(|id| id.trim().is_empty()) {
        errors.push(
            Diagnostic::error("Invalid host", "`host_id` is empty; give the host's `id`.")
                .at(at("host_id")),
        );
    }
    let text = config
        .get("timeout")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_TIMEOUT);
    let timeout = match parse_duration(text) {
        Ok(d) if d >= Duration::from_secs(1) => d,
        _ => {
            errors.push(
                Diagnostic::error(
                    "Invalid timeout",
                    format!(
                        "`timeout` is \"{text}\"; use a duration of at least 1s such as `90s` \
                         or `10m`."
                    ),
                )
                .at(at("timeout")),
            );
            Duration::ZERO
        }
    };
    if errors.is_empty() {
        Ok((host_id, timeout))
    } else {
        Err(errors)
    }
}

/// `name`'s value when known: one of `allowed`, or an error naming the attribute.
pub fn one_of<'a>(
    config: &'a Value,
    name: &str,
    allowed: &[&str],
    default: &'a str,
) -> Result<&'a str, Diagnostic> {
    let value = match config.get(name) {
        Some(v) if v.is_null() => default,
        Some(v) => match v.as_str() {
            Some(text) => text,
            None => return Ok(default), // unknown: checked when it is known
        },
        None => default,
    };
    if allowed.contains(&value) {
        Ok(value)
    } else {
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Err(Diagnostic::error(
            format!("Invalid {name}"),
            format!("`{name}` is \"{value}\"; use one of {list}."),
        )
        .at(at(name)))
    }
}

/// Which operation an action's configuration asks for, and its name in messages.
pub type Choice = fn(&Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>>;

/// The action's configuration checks: the host and time limit, and the operation.
pub fn validate(config: &Value, choose: Choice) -> Vec<Diagnostic> {
    let mut found = target(config).err().unwrap_or_default();
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
    let (host_id, timeout) = match target(&request.config) {
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

fn humantime(d: Duration) -> String {
    format!("{}s", d.as_secs())
}
