//! What every action on one host shares: the `host_id` attribute, the time limit, and a choice
//! among named values, each checked with a diagnostic that names the attribute.

use std::sync::Arc;
use std::time::Duration;

use metal3_core::lifecycle::OpContext;

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::duration::parse_duration;
use crate::host::lifecycle::Hosts;
use crate::provider_config::ProviderState;
use crate::schema::Attribute;
use crate::server::handlers::{ActionProgress, InvokeRequest};

pub fn host_id_attribute() -> Attribute {
    Attribute::string(
        "host_id",
        "The host: the `id` of its `metal3_baremetal_host` (the Ironic node UUID), e.g. \
         `metal3_baremetal_host.worker_0.id`. Any node UUID Ironic knows is accepted: the \
         action acts on that node whichever workspace (if any) manages it.",
    )
    .required()
}

fn at(name: &str) -> AttributePath {
    AttributePath::root().attribute(name)
}

/// `host_id` and `timeout` (`default_timeout` when unset) when known; errors name the attribute.
pub fn target(
    config: &Value,
    default_timeout: &str,
) -> Result<(Option<String>, Duration), Vec<Diagnostic>> {
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
        .unwrap_or(default_timeout);
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

pub fn humantime(d: Duration) -> String {
    format!("{}s", d.as_secs())
}

/// What an invoked action on one host starts from.
pub struct Invocation {
    pub host_id: String,
    pub timeout: Duration,
    pub engine: Arc<dyn Hosts>,
    /// The time limit and Terraform's cancellation, for the lifecycle.
    pub ctx: OpContext,
}

/// The host and time limit of an invoked action (`default_timeout` when unset) and the
/// configured engine; reports "host <id>: <what>, waiting up to <limit>" as progress.
pub async fn begin(
    state: &ProviderState,
    request: &InvokeRequest,
    default_timeout: &str,
    what: &str,
    progress: &ActionProgress,
) -> Result<Invocation, Vec<Diagnostic>> {
    let (host_id, timeout) = match target(&request.config, default_timeout)? {
        (Some(id), timeout) => (id, timeout),
        (None, _) => {
            return Err(vec![Diagnostic::error(
                "Invalid host",
                "`host_id` is not known.",
            )])
        }
    };
    let engine = state.engine().await.map_err(|d| vec![d])?;
    let _ = progress
        .send(format!(
            "host {host_id}: {what}, waiting up to {}",
            humantime(timeout)
        ))
        .await;
    Ok(Invocation {
        host_id,
        timeout,
        engine,
        ctx: OpContext::new(timeout, request.cancel.clone()),
    })
}
