//! What the power actions share: their handler (each action is a [`PowerKind`]: its declaration
//! and the operation its configuration chooses), their time limit, and running one power
//! operation through the lifecycle with progress and a clear failure.

use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use metal3_core::lifecycle::PowerAction;

use super::host_target::{begin, target, OnHost};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::host::fault::message_of;
use crate::provider_config::ProviderState;
use crate::server::handlers::{ActionHandler, ActionProgress, Declaration, InvokeRequest};

/// What one power action is beyond what they all share.
pub trait PowerKind: Send + Sync + 'static {
    /// Its configuration's model: the schema, with `host_id` and `timeout`.
    type Config: OnHost;
    /// Its name, schema and docs (the checks are added by [`HostPowerAction`]).
    fn declaration() -> Declaration;
    /// The operation the configuration asks for, and its name in messages (the configuration
    /// as [`Self::Config`] decodes it).
    fn choose(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>>;
}

/// The handler of every power action: checks the host, the time limit and the kind's choice,
/// and runs the chosen operation.
pub struct HostPowerAction<K> {
    state: Arc<ProviderState>,
    declaration: Declaration,
    kind: PhantomData<K>,
}

impl<K: PowerKind> HostPowerAction<K> {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostPowerAction {
            state,
            declaration: K::declaration().with_validator(validate::<K>),
            kind: PhantomData,
        }
    }
}

#[async_trait]
impl<K: PowerKind> ActionHandler for HostPowerAction<K> {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn invoke(&self, request: InvokeRequest, progress: ActionProgress) -> Vec<Diagnostic> {
        invoke::<K>(&self.state, request, &progress).await
    }
}

pub const DEFAULT_TIMEOUT: &str = "5m";

/// The description of the power actions' `timeout`.
pub fn timeout_description() -> String {
    format!(
        "Longest time to wait for the host to reach its power state, as a duration such as \
         `90s` or `10m`, from `1s` to `24h`. Defaults to `{DEFAULT_TIMEOUT}`. A soft operation is \
         Ironic's soft power off or reboot with this as its own limit."
    )
}

/// The action's configuration checks: the host and time limit, and the operation.
fn validate<K: PowerKind>(config: &Value) -> Vec<Diagnostic> {
    let mut found = target::<K::Config>(config, DEFAULT_TIMEOUT)
        .err()
        .unwrap_or_default();
    found.extend(K::choose(config).err().unwrap_or_default());
    found
}

/// Invokes the operation `K` picks on the configured host, and reports how it went.
async fn invoke<K: PowerKind>(
    state: &ProviderState,
    request: InvokeRequest,
    progress: &ActionProgress,
) -> Vec<Diagnostic> {
    let (action, what) = match K::choose(&request.config) {
        Ok(chosen) => chosen,
        Err(errors) => return errors,
    };
    let run = match begin::<K::Config>(state, &request, DEFAULT_TIMEOUT, what, progress).await {
        Ok(run) => run,
        Err(errors) => return errors,
    };
    let ironic_limit = u32::try_from(run.timeout.as_secs()).ok();
    let soft = matches!(action, PowerAction::SoftOff | PowerAction::SoftReboot);
    match run
        .engine
        .power_action(
            &run.host_id,
            action,
            soft.then_some(ironic_limit).flatten(),
            &run.ctx,
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
                format!("{}.{hint}", message_of(&e)),
            )]
        }
    }
}
