//! Metal3's HostFirmwareSettings (`spec.settings`: BIOS settings by name) and
//! HostFirmwareComponents (`spec.updates`: firmware images to flash): objects of their own,
//! paired with the BareMetalHost of the same name and namespace. `baremetalhosts` reads them
//! into the host's `bios_settings` and `firmware_components`; `baremetalhost_manifest` writes
//! them after the host. Their `status` (what the host runs now) is Metal3's reading, not asked
//! for, and is skipped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use metal3_core::lifecycle::hardware_settings::FirmwareComponent;

use super::field_error;
use super::model::API_VERSION;
use crate::functions::suggest::quoted;
use crate::host::names::{check_name, check_namespace};

pub const SETTINGS_KIND: &str = "HostFirmwareSettings";
pub const COMPONENTS_KIND: &str = "HostFirmwareComponents";
/// The kinds read beside hosts.
pub const KINDS: &[&str] = &[SETTINGS_KIND, COMPONENTS_KIND];

/// One firmware update of a HostFirmwareComponents (`bios`, `bmc` or `nic:<id>`, and the URL
/// the BMC downloads the image from).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FirmwareUpdate {
    pub component: String,
    pub url: String,
}

/// What a host's firmware objects ask for; `None` where the stream has no such object, or one
/// that asks for nothing (Metal3 creates an empty HostFirmwareSettings for every host).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostFirmware {
    pub settings: Option<BTreeMap<String, String>>,
    pub updates: Option<Vec<FirmwareUpdate>>,
}

/// One firmware object read from a manifest, with the host it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct FirmwareObject {
    pub kind: &'static str,
    pub name: String,
    pub namespace: Option<String>,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Settings(BTreeMap<String, String>),
    Updates(Vec<FirmwareUpdate>),
}

impl FirmwareObject {
    /// `HostFirmwareSettings "worker-0" (namespace "metal3")`, for messages.
    pub fn label(&self) -> String {
        label(self.kind, &self.name, self.namespace.as_deref())
    }
}

fn label(kind: &str, name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("{kind} {name:?} (namespace {ns:?})"),
        None => format!("{kind} {name:?}"),
    }
}

/// A HostFirmwareSettings or HostFirmwareComponents document (`kind` one of [`KINDS`]); `at`
/// says where it is (`document 3`). Errors name the object and the field, never a value.
pub fn read(
    kind: &'static str,
    api_version: Option<&str>,
    metadata: Option<Json>,
    spec: Option<Json>,
    at: &str,
) -> Result<FirmwareObject, String> {
    if api_version != Some(API_VERSION) {
        return Err(format!(
            "{kind} in {at}: apiVersion must be {API_VERSION:?}, found {}",
            api_version.map_or("none".to_owned(), |v| quoted(v, 63))
        ));
    }
    let metadata = metadata.unwrap_or(Json::Null);
    let name = match metadata.get("name") {
        Some(Json::String(name)) => name.clone(),
        _ => {
            return Err(format!(
                "{kind} in {at}: metadata.name is required (the name of its BareMetalHost)"
            ))
        }
    };
    check_name(&name).map_err(|why| format!("{kind} in {at}: metadata.name {why}"))?;
    let namespace = match metadata.get("namespace") {
        None | Some(Json::Null) => None,
        Some(Json::String(ns)) => {
            check_namespace(ns)
                .map_err(|why| format!("{kind} {name:?}: metadata.namespace {why}"))?;
            Some(ns.clone())
        }
        Some(other) => {
            return Err(format!(
                "{kind} {name:?}: metadata.namespace: expected a string, found {}",
                field_error::kind(other)
            ))
        }
    };
    let who = label(kind, &name, namespace.as_deref());
    let spec = spec.unwrap_or(Json::Null);
    let content = if kind == SETTINGS_KIND {
        Content::Settings(settings(&spec).map_err(|e| format!("{who}: {e}"))?)
    } else {
        Content::Updates(updates(&spec).map_err(|e| format!("{who}: {e}"))?)
    };
    Ok(FirmwareObject {
        kind,
        name,
        namespace,
        content,
    })
}

/// `spec.settings`: names to values, each a string or a whole number (Metal3's IntOrString),
/// read as text as `bios_settings` holds it.
fn settings(spec: &Json) -> Result<BTreeMap<String, String>, String> {
    let spec = match spec {
        Json::Null => return Ok(BTreeMap::new()),
        Json::Object(spec) => spec,
        other => {
            return Err(format!(
                "spec: expected a mapping, found {}",
                field_error::kind(other)
            ))
        }
    };
    if let Some(field) = spec.keys().find(|k| *k != "settings") {
        return Err(format!(
            "`spec` has no field {}. It takes: `settings`.",
            quoted(field, 64)
        ));
    }
    let settings = match spec.get("settings") {
        None | Some(Json::Null) => return Ok(BTreeMap::new()),
        Some(Json::Object(settings)) => settings,
        Some(other) => {
            return Err(format!(
                "`spec.settings`: expected a mapping of BIOS setting names to values, found {}",
                field_error::kind(other)
            ))
        }
    };
    let mut out = BTreeMap::new();
    for (name, value) in settings {
        let text = match value {
            Json::String(text) => text.clone(),
            Json::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
            other => {
                return Err(format!(
                    "`spec.settings.{}`: expected a string or a whole number, found {} (quote \
                     the value: BIOS settings are text)",
                    quoted(name, 64),
                    field_error::kind(other)
                ))
            }
        };
        out.insert(name.clone(), text);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdatesSpec {
    #[serde(default)]
    updates: Option<Vec<FirmwareUpdate>>,
}

/// `spec.updates`: the images to flash, in order.
fn updates(spec: &Json) -> Result<Vec<FirmwareUpdate>, String> {
    if spec.is_null() {
        return Ok(Vec::new());
    }
    let parsed: UpdatesSpec = serde_path_to_error::deserialize(spec)
        .map_err(|e| field_error::describe(&e, spec, "spec"))?;
    let updates = parsed.updates.unwrap_or_default();
    for (index, update) in updates.iter().enumerate() {
        let probe = FirmwareComponent {
            component: update.component.clone(),
            url: update.url.clone(),
        };
        if let Some(problem) = probe.component_problem() {
            return Err(format!("`spec.updates[{index}].component`: {problem}"));
        }
    }
    Ok(updates)
}

/// The firmware objects of a host named `name` in `namespace`, as manifest documents (YAML,
/// each ending in a newline): none for settings or updates that are unset or empty.
pub fn write(
    name: &str,
    namespace: Option<&str>,
    firmware: &HostFirmware,
) -> Result<Vec<String>, String> {
    let metadata = ObjectMeta {
        name: name.to_owned(),
        namespace: namespace.map(str::to_owned),
    };
    let mut out = Vec::new();
    if let Some(settings) = firmware.settings.as_ref().filter(|s| !s.is_empty()) {
        out.push(to_yaml(&Object {
            api_version: API_VERSION,
            kind: SETTINGS_KIND,
            metadata: metadata.clone(),
            spec: SettingsSpec { settings },
        })?);
    }
    if let Some(updates) = firmware.updates.as_ref().filter(|u| !u.is_empty()) {
        out.push(to_yaml(&Object {
            api_version: API_VERSION,
            kind: COMPONENTS_KIND,
            metadata,
            spec: UpdatesOut { updates },
        })?);
    }
    Ok(out)
}

fn to_yaml(value: &impl Serialize) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Object<S> {
    api_version: &'static str,
    kind: &'static str,
    metadata: ObjectMeta,
    spec: S,
}

#[derive(Clone, Serialize)]
struct ObjectMeta {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
}

#[derive(Serialize)]
struct SettingsSpec<'a> {
    settings: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct UpdatesOut<'a> {
    updates: &'a [FirmwareUpdate],
}
