//! `action "metal3_reboot"`: reboots a host now, soft (through the operating system) or hard.

use std::sync::Arc;

use async_trait::async_trait;
use metal3_core::lifecycle::PowerAction;

use super::host_power::{self, timeout_attribute};
use super::host_target::{host_id_attribute, one_of};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::provider_config::ProviderState;
use crate::schema::{Attribute, Block, Schema};
use crate::server::handlers::{ActionHandler, ActionProgress, Declaration, InvokeRequest, TypeHandler};

pub const TYPE_NAME: &str = "metal3_reboot";
const MODES: &[&str] = &["soft", "hard"];

pub struct HostReboot {
    state: Arc<ProviderState>,
    declaration: Declaration,
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
            declaration: Declaration::new(TYPE_NAME, Schema::new(
                0,
                Block::new(
                    "Reboots a host now, through Ironic, and waits until it is powered on \
                     again. Nothing is deployed or cleaned, and the resource's state is not \
                     changed.",
                )
                .with_attributes(attributes),
            )).with_doc(include_str!("reboot.md")),
        }
    }
}

fn action(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>> {
    match one_of(config, "mode", MODES, "soft").map_err(|d| vec![d])? {
        "hard" => Ok((PowerAction::Reboot, "hard reboot")),
        _ => Ok((PowerAction::SoftReboot, "soft reboot")),
    }
}

#[async_trait]
impl TypeHandler for HostReboot {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn validate(&self, config: &Value) -> Vec<Diagnostic> {
        host_power::validate(config, action)
    }
}

#[async_trait]
impl ActionHandler for HostReboot {
    async fn invoke(&self, request: InvokeRequest, progress: ActionProgress) -> Vec<Diagnostic> {
        host_power::invoke(&self.state, request, &progress, action).await
    }
}
