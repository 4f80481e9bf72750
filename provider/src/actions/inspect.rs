//! `action "metal3_inspect"`: inspects a host again, so that its hardware attributes follow a
//! changed machine (a disk or NIC added) at the next refresh.

use std::sync::Arc;

use async_trait::async_trait;
use metal3_core::lifecycle::InspectOptions;

use super::host_target::{begin, host_id_attribute, target};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::provider_config::ProviderState;
use crate::schema::{Attribute, Block, Schema};
use crate::server::handlers::{ActionHandler, ActionProgress, Declaration, InvokeRequest};

pub const TYPE_NAME: &str = "metal3_inspect";
const DEFAULT_TIMEOUT: &str = "30m";

pub struct HostInspect {
    state: Arc<ProviderState>,
    declaration: Declaration,
}

impl HostInspect {
    pub fn new(state: Arc<ProviderState>) -> Self {
        let attributes = vec![
            host_id_attribute(),
            Attribute::bool(
                "allow_cleaning",
                "An `available` host goes back to `available` through Ironic's automated \
                 cleaning when its `automated_cleaning_mode` is `metadata`, which erases its \
                 disks. `true` lets that happen; the default, `false`, refuses such a host \
                 (set `automated_cleaning_mode = \"disabled\"` on it to inspect without \
                 cleaning).",
            )
            .optional(),
            Attribute::string(
                "timeout",
                format!(
                    "Longest time for the whole inspection (and cleaning, if allowed), as a \
                     duration such as `20m`, from `1s` to `24h`. Defaults to `{DEFAULT_TIMEOUT}`."
                ),
            )
            .optional(),
        ];
        HostInspect {
            state,
            declaration: Declaration::new(
                TYPE_NAME,
                Schema::new(
                    0,
                    Block::new(
                        "Inspects a host again through Ironic and waits until it is back in \
                     `available` or `manageable`; the host's `hardware` attributes change at \
                     the next refresh. Provisioned hosts are refused: Ironic inspects only \
                     hosts that are not provisioned.",
                    )
                    .with_attributes(attributes),
                ),
            )
            .with_doc(include_str!("inspect.md"))
            .with_validator(|config| target(config, DEFAULT_TIMEOUT).err().unwrap_or_default()),
        }
    }
}

fn options(config: &Value) -> InspectOptions {
    InspectOptions {
        allow_cleaning: config
            .get("allow_cleaning")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

#[async_trait]
impl ActionHandler for HostInspect {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn invoke(&self, request: InvokeRequest, progress: ActionProgress) -> Vec<Diagnostic> {
        let run = match begin(
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
            .inspect_action(&run.host_id, options(&request.config), &run.ctx)
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
