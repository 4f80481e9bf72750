//! The plan's view of the day-2 hardware arguments (`raid`, `firmware`, `bios_settings`,
//! `firmware_components`): what apply would prepare, judged from the planned arguments and the
//! host as last read (its arguments, `hardware_settings_pending`, `bios_settings_current`), the
//! refusals of the BMC family, and the words for the plan.

use std::collections::BTreeMap;

use metal3_core::bmc;
use metal3_core::lifecycle::hardware_settings::{
    self, HardwareSettings, Preparation, RaidChange, Setting,
};
use metal3_core::lifecycle::HardwareReadings;

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::host::arguments::{BmcConfig, HostConfig};
use crate::host::hardware_settings::{hardware_settings, update_policy, FirmwareVersions};
use tfplugin::model::Model;

/// The resource's computed hardware attributes: readings and bookkeeping, never a reason for
/// work. Read per host, and only for hosts with hardware arguments, so the data sources (which
/// list a fleet in a few requests) do not have them.
pub const COMPUTED: &[&str] = &[
    HostConfig::NAMES.bios_settings_current,
    HostConfig::NAMES.firmware_components_current,
    HostConfig::NAMES.hardware_settings_pending,
];

/// Whether any hardware argument is set (or unknown) in a config, plan or state value.
pub fn has_hardware_arguments(value: &Value) -> bool {
    let names = HostConfig::NAMES;
    [
        names.raid,
        names.firmware,
        names.bios_settings,
        names.firmware_components,
    ]
    .iter()
    .any(|name| value.get(name).is_some_and(|v| !v.is_null()))
}

/// The hardware settings of a config, plan or state value (empty when it cannot be read).
pub fn settings_of(value: &Value) -> HardwareSettings {
    // Most hosts have none: no decoding for them (a plan of a fleet asks this per host).
    if !has_hardware_arguments(value) {
        return HardwareSettings::default();
    }
    let Ok(config) = HostConfig::decode(value) else {
        return HardwareSettings::default();
    };
    hardware_settings(
        &config.raid,
        &config.firmware,
        &config.bios_settings,
        &config.firmware_components,
    )
}

fn address(value: &Value) -> Option<String> {
    value
        .get_path(&AttributePath::attributes(&[
            HostConfig::NAMES.bmc,
            BmcConfig::NAMES.address,
        ]))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The vendor names of the `firmware` switches for the value's BMC address.
fn firmware_names_of(value: &Value) -> Option<&'static bmc::FirmwareNames> {
    address(value)
        .as_deref()
        .and_then(bmc::day2_support)
        .and_then(|(support, _)| support.firmware_names)
}

/// The BIOS as last read (`None`: not read).
fn bios_current(prior: &Value) -> Option<BTreeMap<String, String>> {
    let map = prior
        .get(HostConfig::NAMES.bios_settings_current)?
        .as_map()?;
    let values: BTreeMap<String, String> = map
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
        .collect();
    (!values.is_empty()).then_some(values)
}

/// The arguments the host as last read has not applied yet.
pub fn pending_of(prior: &Value) -> Vec<String> {
    prior
        .get(HostConfig::NAMES.hardware_settings_pending)
        .and_then(Value::as_elements)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What the host had applied, as far as the state tells: its arguments, less the ones still
/// pending.
fn applied_of(prior: &Value) -> HardwareSettings {
    let mut applied = settings_of(prior);
    for name in pending_of(prior) {
        match name.as_str() {
            n if n == HostConfig::NAMES.raid => applied.raid = None,
            n if n == HostConfig::NAMES.bios_settings || n == HostConfig::NAMES.firmware => {
                applied.bios_settings.clear();
                applied.firmware = Default::default();
            }
            n if n == HostConfig::NAMES.firmware_components => applied.firmware_components.clear(),
            _ => {}
        }
    }
    applied
}

/// What apply would prepare on the host last read as `prior` (`None`: a new host) for
/// `planned`.
pub fn preparation(prior: Option<&Value>, planned: &Value) -> Preparation {
    let wanted = settings_of(planned);
    if wanted.is_empty() {
        return Preparation::default();
    }
    let names = firmware_names_of(planned);
    match prior {
        None => wanted.preparation(&HardwareSettings::default(), None, names),
        Some(prior) => wanted.preparation(&applied_of(prior), bios_current(prior).as_ref(), names),
    }
}

/// What apply would service on a provisioned host: the part of [`preparation`] the planned
/// `update_policy` allows.
pub fn servicing(prior: Option<&Value>, planned: &Value) -> Preparation {
    if !has_hardware_arguments(planned) {
        return Preparation::default();
    }
    let policy = HostConfig::decode(planned)
        .map(|config| update_policy(&config.update_policy))
        .unwrap_or_default();
    policy.servicing(&preparation(prior, planned))
}

/// What the forecast's apply does with the hardware arguments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applies {
    /// The preparing step runs (a host that is not provisioned).
    pub prepares: bool,
    /// The servicing step runs (a provisioned host, as its update policy allows).
    pub services: bool,
}

/// The argument a core setting is declared by.
pub fn attribute(setting: Setting) -> &'static str {
    match setting {
        Setting::Raid => HostConfig::NAMES.raid,
        Setting::Firmware => HostConfig::NAMES.firmware,
        Setting::BiosSettings => HostConfig::NAMES.bios_settings,
        Setting::FirmwareComponents => HostConfig::NAMES.firmware_components,
    }
}

/// Settings the host's BMC family cannot apply in Ironic: errors at the argument, naming the
/// scheme.
pub fn unsupported(planned: &Value) -> Vec<Diagnostic> {
    let wanted = settings_of(planned);
    if wanted.is_empty() {
        return Vec::new();
    }
    let Some((support, scheme)) = address(planned).as_deref().and_then(bmc::day2_support) else {
        return Vec::new();
    };
    wanted
        .unsupported(support, scheme)
        .into_iter()
        .map(|u| {
            Diagnostic::error(
                "Hardware setting not supported by this BMC",
                format!(
                    "{}; see the capability table in the resource's documentation.",
                    u.message
                ),
            )
            .at(AttributePath::root().attribute(attribute(u.setting)))
        })
        .collect()
}

/// What the preparation does, in the plan's words (`None`: nothing).
pub fn prepare_words(preparation: &Preparation, planned: &Value) -> Option<String> {
    change_words(preparation, planned).map(|work| {
        format!("the host is prepared before it is made available: {work}; the host REBOOTS")
    })
}

/// What `preparation` changes, in words (`None`: nothing).
fn change_words(preparation: &Preparation, planned: &Value) -> Option<String> {
    if preparation.is_empty() {
        return None;
    }
    let wanted = settings_of(planned);
    let mut parts = Vec::new();
    // In the order the steps run.
    match preparation.raid {
        RaidChange::None => {}
        RaidChange::Delete => parts.push("RAID volumes DELETED: their disks are ERASED".into()),
        RaidChange::Rebuild => {
            let disks = wanted
                .raid
                .as_ref()
                .map(|r| r.named_disks())
                .unwrap_or_default();
            let which = if disks.is_empty() {
                "the disks of the RAID controller".to_owned()
            } else {
                format!("disks {}", disks.join(", "))
            };
            parts.push(format!("RAID rebuilt: {which} ERASED"));
        }
    }
    if preparation.firmware {
        let components: Vec<String> = wanted
            .firmware_components
            .iter()
            .map(|c| format!("{} from {}", c.component, c.url))
            .collect();
        parts.push(format!("firmware FLASHED ({})", components.join(", ")));
    }
    if preparation.bios {
        let names = firmware_names_of(planned);
        let settings: Vec<String> = wanted
            .wanted_bios(names)
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        parts.push(format!("BIOS settings applied ({})", settings.join(", ")));
    }
    Some(parts.join("; "))
}

/// Which readings a state's hardware attributes need: the BIOS (for `bios_settings` or
/// `firmware`) and the firmware versions (for `firmware_components`).
pub fn wanted_readings(state: &Value) -> (bool, bool) {
    let settings = settings_of(state);
    (
        !settings.bios_settings.is_empty() || !settings.firmware.is_empty(),
        !settings.firmware_components.is_empty(),
    )
}

/// The computed hardware attributes of `state` from what Ironic holds: the BIOS and firmware
/// as read, and the arguments not yet applied (against the node's record of what was). All
/// null for a host without hardware arguments.
pub fn hardware_attributes(
    state: &Value,
    applied: &HardwareSettings,
    readings: &HardwareReadings,
) -> Vec<(&'static str, Value)> {
    let names = HostConfig::NAMES;
    let wanted = settings_of(state);
    if wanted.is_empty() {
        return vec![
            (names.bios_settings_current, Value::Null),
            (names.firmware_components_current, Value::Null),
            (names.hardware_settings_pending, Value::Null),
        ];
    }
    let current = readings
        .bios
        .as_deref()
        .map(hardware_settings::current_values);
    let bios_value = current.as_ref().map_or(Value::Null, |map| {
        Value::map(
            map.iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str()))),
        )
    });
    let firmware_value = readings.firmware.as_ref().map_or(Value::Null, |list| {
        Value::list(list.iter().map(|c| FirmwareVersions::from(c).encode()))
    });
    let firmware_names = firmware_names_of(state);
    let preparation = wanted.preparation(
        applied,
        current.as_ref().filter(|c| !c.is_empty()),
        firmware_names,
    );
    let pending: Vec<Value> = pending_names(&preparation, &wanted)
        .into_iter()
        .map(Value::from)
        .collect();
    vec![
        (names.bios_settings_current, bios_value),
        (names.firmware_components_current, firmware_value),
        (names.hardware_settings_pending, Value::list(pending)),
    ]
}

/// The arguments a preparation would apply, by name.
fn pending_names(preparation: &Preparation, wanted: &HardwareSettings) -> Vec<&'static str> {
    let names = HostConfig::NAMES;
    let mut out = Vec::new();
    if preparation.raid != RaidChange::None {
        out.push(names.raid);
    }
    if preparation.bios {
        if !wanted.firmware.is_empty() {
            out.push(names.firmware);
        }
        if !wanted.bios_settings.is_empty() {
            out.push(names.bios_settings);
        }
    }
    if preparation.firmware {
        out.push(names.firmware_components);
    }
    out
}

/// The planned values of the computed hardware attributes: unknown where apply changes them
/// (settings applied, a new host), the last read values otherwise, null without hardware
/// arguments. `prepares`: the forecast takes the preparing step.
pub fn plan_attributes(prior: Option<&Value>, planned: &mut Value, applies: Applies) {
    let names = HostConfig::NAMES;
    let wanted = settings_of(planned);
    let (bios, firmware) = wanted_readings(planned);
    let prior_value = |name: &str| {
        prior
            .and_then(|p| p.get(name))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let Applies { prepares, services } = applies;
    let preparation = preparation(prior, planned);
    let serviced = servicing(prior, planned);
    let args_changed = prior.is_none_or(|p| settings_of(p) != wanted);
    let value = |wanted: bool, changes: bool, name: &str| {
        let before = prior_value(name);
        if !wanted {
            Value::Null
        } else if changes || before.is_null() {
            Value::unknown()
        } else {
            before
        }
    };
    let bios_value = value(
        bios,
        prepares && preparation.bios || services && serviced.bios,
        names.bios_settings_current,
    );
    let firmware_value = value(
        firmware,
        prepares && preparation.firmware || services && serviced.firmware,
        names.firmware_components_current,
    );
    let pending_value = value(
        !wanted.is_empty(),
        args_changed || prepares || services,
        names.hardware_settings_pending,
    );
    planned.set_attr(names.bios_settings_current, bios_value);
    planned.set_attr(names.firmware_components_current, firmware_value);
    planned.set_attr(names.hardware_settings_pending, pending_value);
}

/// The plan's words about the hardware arguments: what the preparing step does, or, on a
/// provisioned host, that a change waits.
pub fn words(prior: Option<&Value>, planned: &Value, applies: Applies) -> Option<String> {
    let preparation = preparation(prior, planned);
    if applies.prepares {
        return prepare_words(&preparation, planned);
    }
    let mut left = preparation;
    let mut serviced = None;
    if applies.services {
        let servicing = servicing(prior, planned);
        serviced = change_words(&servicing, planned).map(|work| {
            format!("the provisioned host is serviced (update_policy): {work}; the host REBOOTS")
        });
        left.bios &= !servicing.bios;
        left.firmware &= !servicing.firmware;
    }
    let changed = prior.is_some_and(|p| settings_of(p) != settings_of(planned));
    let pending = pending_names(&left, &settings_of(planned));
    if !changed || pending.is_empty() {
        return serviced;
    }
    let waits = format!(
        "{} change on a provisioned host: nothing is applied now; the change is applied when \
         the host is next deprovisioned (hardware_settings_pending lists it)",
        pending.join(", ")
    );
    Some(match serviced {
        Some(serviced) => format!("{serviced}; {waits}"),
        None => waits,
    })
}

/// The planned BIOS settings the host's BIOS registry (as last read) refuses: errors at the
/// setting (`bios_settings["X"]`, or `firmware` for its switches). Nothing without a registry.
pub fn registry_refusals(
    planned: &Value,
    registry: Option<&[hardware_settings::BiosSetting]>,
) -> Vec<Diagnostic> {
    let Some(registry) = registry else {
        return Vec::new();
    };
    let wanted = settings_of(planned);
    let names = firmware_names_of(planned);
    hardware_settings::check_against_registry(&wanted.wanted_bios(names), registry)
        .into_iter()
        .map(|problem| {
            let path = if wanted.bios_settings.contains_key(&problem.name) {
                AttributePath::root()
                    .attribute(HostConfig::NAMES.bios_settings)
                    .key(problem.name.clone())
            } else {
                AttributePath::root().attribute(HostConfig::NAMES.firmware)
            };
            Diagnostic::error(
                "Invalid BIOS setting",
                format!(
                    "BIOS setting \"{}\" {} (the host's BIOS registry, as Ironic last read it).",
                    problem.name, problem.message
                ),
            )
            .at(path)
        })
        .collect()
}
