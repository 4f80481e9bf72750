//! What every action on one host shares: the `host_id` attribute, the time limit, and a choice
//! among named values, each checked with a diagnostic that names the attribute.

use std::sync::Arc;
use std::time::Duration;

use metal3_core::lifecycle::OpContext;
use tfplugin::model::{Known, Model};

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::duration::parse_duration;
use crate::host::lifecycle::Hosts;
use crate::host::names::check_node_reference;
use crate::host::shown::shown;
use crate::provider_config::ProviderState;
use crate::server::handlers::{ActionProgress, InvokeRequest};

/// The longest time an action may wait: a day covers the slowest inspection and cleaning of
/// real hardware, and keeps every deadline far from the clock's range.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);
const TIMEOUT_RANGE: &str = "from 1s to 24h";
/// What `host_id` may be, said by every diagnostic about it.
const HOST_ID_FORM: &str = "give the host's `id` (a node UUID, e.g. \
    `metal3_baremetal_host.worker_0.id`) or its Ironic node name, e.g. `metal3~worker-0` (1 to \
    255 letters, digits, `-`, `.`, `_` and `~`, not dots only).";

/// The description of every action's `host_id`.
pub const HOST_ID_DESCRIPTION: &str = "The host: the `id` of its `metal3_baremetal_host` (the \
    Ironic node UUID), e.g. `metal3_baremetal_host.worker_0.id`, or its Ironic node name \
    (`<namespace>~<name>` for this provider's hosts; at most 255 letters, digits, `-`, `.`, `_` \
    and `~`). Any node Ironic knows is accepted: the action acts on it whichever workspace (if \
    any) manages it.";

/// The configuration of an action on one host: a model with a `host_id` and a `timeout`.
pub trait OnHost: Model {
    /// The names of those two attributes (the model's `NAMES`).
    const HOST_ID: &'static str;
    const TIMEOUT: &'static str;
    fn host_id(&self) -> &Known<String>;
    fn timeout(&self) -> Option<&Known<String>>;
}

/// `impl OnHost` for an action's model whose fields are `host_id` and `timeout`.
macro_rules! on_host {
    ($model:ty) => {
        impl $crate::actions::host_target::OnHost for $model {
            const HOST_ID: &'static str = <$model>::NAMES.host_id;
            const TIMEOUT: &'static str = <$model>::NAMES.timeout;
            fn host_id(&self) -> &::tfplugin::model::Known<String> {
                &self.host_id
            }
            fn timeout(&self) -> Option<&::tfplugin::model::Known<String>> {
                self.timeout.as_ref()
            }
        }
    };
}
pub(crate) use on_host;

/// An action's configuration as its model; a value the model cannot hold is the provider's bug.
pub fn decode<M: Model>(config: &Value) -> Result<M, Vec<Diagnostic>> {
    M::decode_all(config).map_err(|errors| errors.iter().map(|e| e.to_diagnostic()).collect())
}

fn at(name: &str) -> AttributePath {
    AttributePath::root().attribute(name)
}

/// `host_id` and `timeout` (`default_timeout` when unset) when known; errors name the attribute.
pub fn target<M: OnHost>(
    config: &Value,
    default_timeout: &str,
) -> Result<(Option<String>, Duration), Vec<Diagnostic>> {
    let config: M = decode(config)?;
    let mut errors = Vec::new();
    let host_id = config.host_id().known().cloned();
    // Checked before any request: the value becomes a segment of Ironic URLs.
    if let Some(Err(why)) = host_id.as_deref().map(check_node_reference) {
        errors.push(
            Diagnostic::error("Invalid host", format!("`host_id` {why}; {HOST_ID_FORM}"))
                .at(at(M::HOST_ID)),
        );
    }
    // Unknown: judged once known; the default stands in meanwhile.
    let text = config
        .timeout()
        .and_then(Known::known)
        .map_or(default_timeout, String::as_str);
    let timeout = match parse_duration(text) {
        Ok(d) if (Duration::from_secs(1)..=MAX_TIMEOUT).contains(&d) => d,
        _ => {
            errors.push(
                Diagnostic::error(
                    "Invalid timeout",
                    format!(
                        "`timeout` is {}; use a duration {TIMEOUT_RANGE} such as `90s`, `10m` \
                         or `2h`.",
                        shown(text)
                    ),
                )
                .at(at(M::TIMEOUT)),
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

/// The value of attribute `name` when known: one of `allowed` (`default` when null or not yet
/// known), or an error naming the attribute.
pub fn one_of<'a>(
    value: Option<&'a Known<String>>,
    name: &str,
    allowed: &[&str],
    default: &'a str,
) -> Result<&'a str, Diagnostic> {
    let value = value.and_then(Known::known).map_or(default, String::as_str);
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
            format!("`{name}` is {}; use one of {list}.", shown(value)),
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
pub async fn begin<M: OnHost>(
    state: &ProviderState,
    request: &InvokeRequest,
    default_timeout: &str,
    what: &str,
    progress: &ActionProgress,
) -> Result<Invocation, Vec<Diagnostic>> {
    let (host_id, timeout) = match target::<M>(&request.config, default_timeout)? {
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

#[cfg(test)]
mod tests {
    use super::super::inspect::{InspectConfig, InspectConfigNames};
    use super::*;

    const N: InspectConfigNames = InspectConfig::NAMES;

    fn target(
        config: &Value,
        default: &str,
    ) -> Result<(Option<String>, Duration), Vec<Diagnostic>> {
        super::target::<InspectConfig>(config, default)
    }

    fn config(pairs: &[(&str, &str)]) -> Value {
        Value::object(pairs.iter().map(|(k, v)| (*k, Value::from(*v))))
    }

    fn refusal(pairs: &[(&str, &str)], attribute: &str) -> String {
        let errors = target(&config(pairs), "5m").expect_err("refused");
        let found = errors
            .iter()
            .find(|d| d.attribute.as_ref().map(|a| a.to_string()) == Some(attribute.into()))
            .unwrap_or_else(|| panic!("no error at {attribute}: {errors:?}"));
        found.detail.clone()
    }

    #[test]
    fn timeouts_beyond_a_day_are_refused_with_the_range() {
        let uuid = "8b1c0f4e-2d9a-4e57-9c1b-1f2e3d4c5b6a";
        for bad in [
            "2562047788015216h",
            "25h",
            "86401s",
            "0s",
            "500ms",
            "soon",
            "",
        ] {
            let detail = refusal(&[(N.host_id, uuid), (N.timeout, bad)], N.timeout);
            assert!(detail.contains("from 1s to 24h"), "{bad}: {detail}");
        }
        let (_, limit) = target(&config(&[(N.host_id, uuid), (N.timeout, "24h")]), "5m").unwrap();
        assert_eq!(limit, MAX_TIMEOUT);
        let huge = refusal(
            &[(N.host_id, uuid), (N.timeout, &"9".repeat(5000))],
            N.timeout,
        );
        assert!(
            huge.len() < 300,
            "a huge value is not repeated whole: {huge}"
        );
    }

    #[test]
    fn host_ids_must_be_uuids_or_node_names() {
        for bad in ["..", ".", "", "/", "a/b", " ", "a b", "a\u{1}b", "wörker"] {
            let detail = refusal(&[(N.host_id, bad)], N.host_id);
            assert!(
                detail.contains("node UUID") && detail.contains("Ironic node name"),
                "{bad:?}: {detail}"
            );
        }
        let too_long = refusal(&[(N.host_id, &"n".repeat(256))], N.host_id);
        assert!(too_long.contains("256 characters"), "{too_long}");
        for good in ["metal3~worker-0", "8b1c0f4e-2d9a-4e57-9c1b-1f2e3d4c5b6a"] {
            assert!(
                target(&config(&[(N.host_id, good)]), "5m").is_ok(),
                "{good}"
            );
        }
    }
}
