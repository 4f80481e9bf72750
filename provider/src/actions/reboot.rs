//! `action "metal3_reboot"`: reboots a host now, soft (through the operating system) or hard.

use metal3_core::lifecycle::PowerAction;

use super::host_power::{timeout_attribute, HostPowerAction, PowerKind};
use super::host_target::{host_id_attribute, one_of};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::schema::{Attribute, Block, Schema};
use crate::server::handlers::Declaration;

pub const TYPE_NAME: &str = "metal3_reboot";
const MODES: &[&str] = &["soft", "hard"];

/// `reboot`'s part of a power action.
pub struct Reboot;

pub type HostReboot = HostPowerAction<Reboot>;

impl PowerKind for Reboot {
    fn declaration() -> Declaration {
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
        let schema = Schema::new(
            0,
            Block::new(
                "Reboots a host now, through Ironic, and waits until it is powered on \
                 again. Nothing is deployed or cleaned, and the resource's state is not \
                 changed.",
            )
            .with_attributes(attributes),
        );
        Declaration::new(TYPE_NAME, schema).with_doc(include_str!("reboot.md"))
    }

    fn choose(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>> {
        action(config)
    }
}

fn action(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>> {
    match one_of(config, "mode", MODES, "soft").map_err(|d| vec![d])? {
        "hard" => Ok((PowerAction::Reboot, "hard reboot")),
        _ => Ok((PowerAction::SoftReboot, "soft reboot")),
    }
}
