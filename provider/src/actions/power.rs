//! `action "metal3_power"`: powers a host on or off now, hard or soft.

use metal3_core::lifecycle::PowerAction;

use tfplugin::model::{Known, Model};

use super::host_power::{timeout_description, HostPowerAction, PowerKind};
use super::host_target::{decode, on_host, one_of, HOST_ID_DESCRIPTION};
use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::server::handlers::Declaration;

pub const TYPE_NAME: &str = "metal3_power";
const STATES: &[&str] = &["on", "off"];

/// Powers a host on or off now, through Ironic, and waits until it is. The host's `online`
/// stays what the configuration says: see below.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct PowerConfig {
    #[tf(required, description = HOST_ID_DESCRIPTION)]
    pub host_id: Known<String>,
    /// `on` or `off`.
    #[tf(required)]
    pub power: Known<String>,
    /// With `power = "off"`: ask the operating system to shut down (ACPI) instead of cutting
    /// power. Defaults to `false`; `true` with `power = "on"` is refused (there is no soft power
    /// on).
    #[tf(optional)]
    pub soft: Option<Known<bool>>,
    #[tf(optional, description = timeout_description())]
    pub timeout: Option<Known<String>>,
}

on_host!(PowerConfig);

/// `power`'s part of a power action.
pub struct Power;

pub type HostPower = HostPowerAction<Power>;

impl PowerKind for Power {
    type Config = PowerConfig;

    fn declaration() -> Declaration {
        Declaration::new(TYPE_NAME, PowerConfig::schema(0)).with_doc(include_str!("power.md"))
    }

    fn choose(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>> {
        action(config)
    }
}

fn action(config: &Value) -> Result<(PowerAction, &'static str), Vec<Diagnostic>> {
    let config: PowerConfig = decode(config)?;
    let names = PowerConfig::NAMES;
    let power = one_of(Some(&config.power), names.power, STATES, "on").map_err(|d| vec![d])?;
    let soft = config
        .soft
        .as_ref()
        .and_then(Known::known)
        .copied()
        .unwrap_or(false);
    // `power` known to be "on" (an unknown one is checked when it is known).
    let powering_on = config.power.known().map(String::as_str) == Some("on");
    Ok(match (power, soft) {
        ("off", true) => (PowerAction::SoftOff, "soft power off"),
        ("off", false) => (PowerAction::Off, "power off"),
        (_, true) if powering_on => {
            return Err(vec![Diagnostic::error(
                "Invalid soft",
                "`soft = true` applies only to `power = \"off\"` (a soft power off asks the \
                 operating system to shut down; there is no soft power on): remove `soft` or \
                 set it to `false`, or set `power = \"off\"`.",
            )
            .at(AttributePath::root().attribute(names.soft))])
        }
        _ => (PowerAction::On, "power on"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_applies_only_to_power_off() {
        let config = |power: Value, soft: bool| {
            let names = PowerConfig::NAMES;
            Value::object([
                (names.host_id, Value::from("metal3~w0")),
                (names.power, power),
                (names.soft, Value::from(soft)),
            ])
        };
        let errors = action(&config(Value::from("on"), true)).expect_err("refused");
        assert_eq!(errors.len(), 1);
        let refused = errors
            .first()
            .map(|d| (d.attribute.clone(), d.detail.clone()));
        let (attribute, detail) = refused.unwrap_or_default();
        assert_eq!(attribute.map(|a| a.to_string()).as_deref(), Some("soft"));
        assert!(
            detail.contains("applies only to `power = \"off\"`"),
            "{detail}"
        );
        assert!(matches!(
            action(&config(Value::from("off"), true)),
            Ok((PowerAction::SoftOff, _))
        ));
        assert!(matches!(
            action(&config(Value::from("on"), false)),
            Ok((PowerAction::On, _))
        ));
        // `power` not known yet: checked once it is.
        assert!(action(&config(Value::unknown(), true)).is_ok());
    }
}
