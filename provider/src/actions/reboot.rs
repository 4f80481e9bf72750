//! `action "metal3_reboot"`: reboots a host now, soft (through the operating system) or hard.

use std::sync::Arc;

use async_trait::async_trait;
use metal3_core::lifecycle::PowerAction;

use super::host_power::{host_id_attribute, one_of, run, target, timeout_attribute};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::provider_config::ProviderState;
use crate::schema::{Attribute, Block, Schema};
use crate::server::handlers::{ActionHandler, ActionProgress, InvokeRequest};

pub const TYPE_NAME: &str = "metal3_reboot";
const MODES: &[&str] = &["soft", "hard"];

pub struct HostReboot {
    state: Arc<ProviderState>,
    schema: Schema,
}

impl HostReboot {
    pub fn new(state: Arc<ProviderState>) -> Self {
        let attributes = vec![
            host_id_attribute(),
            Attribute::string(
                "mode",
                "`soft`: ask the operating system to restart (ACPI), as Metal3's reboot \
                 annotation does by default; `hard`: cut power and power on again. Defaults to \
                 `soft`.",
            )
            .optional(),
            timeout_attribute(),
        ];
        HostReboot {
            state,
            schema: Schema::new(
                0,
                Block::new(
                    "Reboots a host now, through Ironic, and waits until it is powered on \
                     again. Nothing is deployed or cleaned, and the resource's state is not \
                     changed.",
                )
                .with_attributes(attributes),
            ),
        }
    }
}

fn action(config: &Value) -> Result<PowerAction, Vec<Diagnostic>> {
    match one_of(config, "mode", MODES, "soft").map_err(|d| vec![d])? {
        "hard" => Ok(PowerAction::Reboot),
        _ => Ok(PowerAction::SoftReboot),
    }
}

#[async_trait]
impl ActionHandler for HostReboot {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn doc_template(&self) -> Option<&str> {
        Some(include_str!("reboot.md"))
    }

    async fn validate(&self, config: &Value) -> Vec<Diagnostic> {
        let mut found = target(config).err().unwrap_or_default();
        found.extend(action(config).err().unwrap_or_default());
        found
    }

    async fn invoke(&self, request: InvokeRequest, progress: ActionProgress) -> Vec<Diagnostic> {
        let (host_id, timeout) = match target(&request.config) {
            Ok((Some(id), timeout)) => (id, timeout),
            Ok((None, _)) => return vec![Diagnostic::error("Invalid host", "`host_id` is not known.")],
            Err(errors) => return errors,
        };
        let action = match action(&request.config) {
            Ok(action) => action,
            Err(errors) => return errors,
        };
        let what = if action == PowerAction::Reboot { "hard reboot" } else { "soft reboot" };
        run(&self.state, &host_id, action, what, timeout, request.cancel, &progress).await
    }
}
