//! `action "metal3_reboot"`: reboots a host now, soft (through the operating system) or hard.

use metal3_core::lifecycle::PowerAction;

use tfplugin::model::{Known, Model};

use super::host_power::{timeout_description, HostPowerAction, PowerKind};
use super::host_target::{decode, on_host, one_of, HOST_ID_DESCRIPTION};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::server::handlers::Declaration;

pub const TYPE_NAME: &str = "metal3_reboot";
const MODES: &[&str] = &["soft", "hard"];

/// Reboots a host now, through Ironic, and waits until it is powered on again. Nothing is
/// deployed or cleaned, and the resource's state is not changed.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct RebootConfig {
    #[tf(required, description = HOST_ID_DESCRIPTION)]
    pub host_id: Known<String>,
    /// `soft`: ask the operating system to restart (ACPI), as Metal3's reboot annotation does
    /// by default; `hard`: cut power and power on again. Defaults to `soft`.
    #[tf(optional)]
    pub mode: Option<Known<String>>,
    #[tf(optional, description = timeout_description())]
    pub timeout: Option<Known<String>>,
}

on_host!(RebootConfig);

/// `reboot`'s part of a power action.
pub struct Reboot;

pub type HostReboot = HostPowerAction<Reboot>;

impl PowerKind for Reboot {
    type Config = RebootConfig;

    fn declaration() -> Declaration {
        Declaration::new(TYPE_NAME, RebootConfig::schema(0)).with_doc(include_str!("reboot.md"))
    }

    fn choose(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>> {
        action(config)
    }
}

fn action(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>> {
    let config: RebootConfig = decode(config)?;
    let mode = one_of(
        config.mode.as_ref(),
        RebootConfig::NAMES.mode,
        MODES,
        "soft",
    );
    match mode.map_err(|d| vec![d])? {
        "hard" => Ok((PowerAction::Reboot, "hard reboot")),
        _ => Ok((PowerAction::SoftReboot, "soft reboot")),
    }
}
