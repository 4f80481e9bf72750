//! BIOS settings: the operator's vendor-independent `firmware` switches, mapped to each
//! vendor's attribute names, plus raw `bios_settings` (HostFirmwareSettings), checked against the
//! BIOS registry Ironic reads from the BMC.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bmc::FirmwareNames;

/// Metal3's `spec.firmware`: three switches every vendor has under its own name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmwareConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simultaneous_multithreading_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sriov_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtualization_enabled: Option<bool>,
}

impl FirmwareConfig {
    pub fn is_empty(&self) -> bool {
        *self == FirmwareConfig::default()
    }

    /// The BIOS settings these switches are on a machine with `names`.
    pub fn bios_settings(&self, names: &FirmwareNames) -> BTreeMap<String, String> {
        let word = |on: bool| if on { names.enabled } else { names.disabled }.to_owned();
        [
            (
                names.simultaneous_multithreading,
                self.simultaneous_multithreading_enabled,
            ),
            (names.sriov, self.sriov_enabled),
            (names.virtualization, self.virtualization_enabled),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.map(|on| (name.to_owned(), word(on))))
        .collect()
    }
}

/// One BIOS setting as Ironic's `/v1/nodes/{node}/bios?detail=true` reports it: its value and,
/// when the BMC publishes a registry, what it allows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BiosSetting {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowable_values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_bound: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

impl BiosSetting {
    /// Ironic knows this setting's registry entry (fake BIOS settings have none).
    fn has_registry(&self) -> bool {
        self.attribute_type.is_some()
    }

    /// The entry without its current value: what a registry check needs.
    pub fn registry_entry(&self) -> BiosSetting {
        BiosSetting {
            value: None,
            ..self.clone()
        }
    }
}

/// The registry part of `settings` (values dropped), or `None` when Ironic knows no registry.
pub fn registry_of(settings: &[BiosSetting]) -> Option<Vec<BiosSetting>> {
    settings
        .iter()
        .any(BiosSetting::has_registry)
        .then(|| settings.iter().map(BiosSetting::registry_entry).collect())
}

/// The settings of Ironic's BIOS API answer (`{"bios": [...]}`); entries it cannot read are
/// skipped.
pub fn parse_bios(body: &Value) -> Vec<BiosSetting> {
    body.get("bios")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| serde_json::from_value(item.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Name → current value.
pub fn current_values(settings: &[BiosSetting]) -> BTreeMap<String, String> {
    settings
        .iter()
        .map(|s| (s.name.clone(), s.value.clone().unwrap_or_default()))
        .collect()
}

/// Why the registry refuses a wanted setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BiosProblem {
    pub name: String,
    pub message: String,
}

/// The wanted settings the host's BIOS registry refuses: unknown names, read-only attributes,
/// values outside the allowed list, range or length. Nothing is refused when Ironic knows no
/// registry (no setting carries an `attribute_type`).
pub fn check_against_registry(
    wanted: &BTreeMap<String, String>,
    registry: &[BiosSetting],
) -> Vec<BiosProblem> {
    if !registry.iter().any(BiosSetting::has_registry) {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for (name, value) in wanted {
        let problem = |message: String| BiosProblem {
            name: name.clone(),
            message,
        };
        let Some(entry) = registry.iter().find(|s| &s.name == name) else {
            problems.push(problem(format!(
                "is not a BIOS attribute of this host (its registry has {} attributes; \
                 bios_settings_current lists them)",
                registry.len()
            )));
            continue;
        };
        if entry.read_only == Some(true) {
            problems.push(problem("is read-only in this host's BIOS".into()));
            continue;
        }
        if let Some(message) = value_problem(entry, value) {
            problems.push(problem(message));
        }
    }
    problems
}

fn value_problem(entry: &BiosSetting, value: &str) -> Option<String> {
    match entry.attribute_type.as_deref() {
        Some("Enumeration") => {
            let allowed = entry.allowable_values.as_deref().unwrap_or_default();
            (!allowed.is_empty() && !allowed.iter().any(|a| a == value)).then(|| {
                let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
                format!("\"{value}\" is not allowed; allowed: {}", quoted.join(", "))
            })
        }
        Some("Integer") => match value.trim().parse::<i64>() {
            Err(_) => Some(format!("\"{value}\" is not a whole number")),
            Ok(n)
                if entry.lower_bound.is_some_and(|low| n < low)
                    || entry.upper_bound.is_some_and(|high| n > high) =>
            {
                Some(format!(
                    "{n} is out of range; allowed: {} to {}",
                    bound(entry.lower_bound),
                    bound(entry.upper_bound)
                ))
            }
            Ok(_) => None,
        },
        Some("Boolean") => (!matches!(value, "true" | "false"))
            .then(|| format!("\"{value}\" is not allowed; allowed: \"true\", \"false\"")),
        Some("String") => {
            let length = u64::try_from(value.chars().count()).unwrap_or(u64::MAX);
            let short = entry.min_length.is_some_and(|min| length < min);
            let long = entry.max_length.is_some_and(|max| length > max);
            (short || long).then(|| {
                format!(
                    "is {length} characters long; allowed: {} to {} characters",
                    bound(entry.min_length.and_then(|n| i64::try_from(n).ok())),
                    bound(entry.max_length.and_then(|n| i64::try_from(n).ok()))
                )
            })
        }
        _ => None,
    }
}

fn bound(value: Option<i64>) -> String {
    value.map_or_else(|| "any".to_owned(), |n| n.to_string())
}

#[cfg(test)]
#[path = "bios_tests.rs"]
mod tests;
