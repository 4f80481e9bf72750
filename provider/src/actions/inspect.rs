//! `action "metal3_inspect"`: inspects a host again, so that its hardware attributes follow a
//! changed machine (a disk or NIC added) at the next refresh.

use std::sync::Arc;

use async_trait::async_trait;
use metal3_core::lifecycle::InspectOptions;

use tfplugin::model::{Known, Model};

use super::host_target::{begin, decode, on_host, target, HOST_ID_DESCRIPTION};
use crate::diagnostics::Diagnostic;
use crate::provider_config::ProviderState;
use crate::server::handlers::{ActionHandler, ActionProgress, Declaration, InvokeRequest};

pub const TYPE_NAME: &str = "metal3_inspect";
const DEFAULT_TIMEOUT: &str = "30m";

/// Inspects a host again through Ironic and waits until it is back in `available` or
/// `manageable`; the host's `hardware` attributes change at the next refresh. Provisioned hosts
/// are refused: Ironic inspects only hosts that are not provisioned.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct InspectConfig {
    #[tf(required, description = HOST_ID_DESCRIPTION)]
    pub host_id: Known<String>,
    /// An `available` host goes back to `available` through Ironic's automated cleaning when
    /// its `automated_cleaning_mode` is `metadata`, which erases its disks. `true` lets that
    /// happen; the default, `false`, refuses such a host (set `automated_cleaning_mode =
    /// "disabled"` on it to inspect without cleaning).
    #[tf(optional)]
    pub allow_cleaning: Option<Known<bool>>,
    #[tf(
        optional,
        description = format!(
            "Longest time for the whole inspection (and cleaning, if allowed), as a duration \
             such as `20m`, from `1s` to `24h`. Defaults to `{DEFAULT_TIMEOUT}`."
        )
    )]
    pub timeout: Option<Known<String>>,
}

on_host!(InspectConfig);

pub struct HostInspect {
    state: Arc<ProviderState>,
    declaration: Declaration,
}

impl HostInspect {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostInspect {
            state,
            declaration: Declaration::new(TYPE_NAME, InspectConfig::schema(0))
                .with_doc(include_str!("inspect.md"))
                .with_validator(|config| {
                    target::<InspectConfig>(config, DEFAULT_TIMEOUT)
                        .err()
                        .unwrap_or_default()
                }),
        }
    }
}

fn options(config: &InspectConfig) -> InspectOptions {
    InspectOptions {
        allow_cleaning: config
            .allow_cleaning
            .as_ref()
            .and_then(Known::known)
            .copied()
            .unwrap_or(false),
    }
}

#[async_trait]
impl ActionHandler for HostInspect {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn invoke(&self, request: InvokeRequest, progress: ActionProgress) -> Vec<Diagnostic> {
        let config: InspectConfig = match decode(&request.config) {
            Ok(config) => config,
            Err(errors) => return errors,
        };
        let run = match begin::<InspectConfig>(
            &self.state,
            &request,
            DEFAULT_TIMEOUT,
            "inspecting",
            &progress,
        )
        .await
        {
            Ok(run) => run,
            Err(errors) => return errors,
        };
        match run
            .engine
            .inspect_action(&run.host_id, options(&config), &run.ctx)
            .await
        {
            Ok(status) => {
                let name = status.name.unwrap_or(status.id);
                let finished = status.inspection_finished_at.unwrap_or_default();
                let _ = progress
                    .send(format!(
                        "host {name}: inspected (finished {finished}), now \"{}\"",
                        status.ironic_provision_state
                    ))
                    .await;
                Vec::new()
            }
            Err(e) => {
                let mut detail = e.to_string();
                if !detail.ends_with('.') {
                    detail.push('.');
                }
                vec![Diagnostic::error("Host inspection failed", detail)]
            }
        }
    }
}
