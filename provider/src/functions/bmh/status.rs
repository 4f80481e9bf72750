//! Metal3's status annotation: what was read of an inspected host, so that Metal3 takes it over
//! without inspecting or provisioning it again.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::model::Spec;

/// Metal3 restores a moved host's status from this annotation instead of inspecting it again.
pub const STATUS_ANNOTATION: &str = "baremetalhost.metal3.io/status";

/// The status attributes of a `metal3_baremetal_host` the manifest takes (computed ones; the
/// arguments come from the model).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct HostState {
    pub provisioning_state: Option<String>,
    pub powered_on: Option<bool>,
    pub hardware: Option<Json>,
}

/// Metal3's status for an inspected host (JSON, as Metal3 writes the annotation): its hardware
/// details, power, and where it is in its lifecycle, so that Metal3 neither inspects nor
/// provisions it again. `None` for a host never inspected: Metal3 then inspects it itself.
pub fn status_annotation(spec: &Spec, id: Option<&String>, state: &HostState) -> Option<String> {
    let hardware = state.hardware.as_ref().filter(|h| !h.is_null())?;
    let mut provisioning = serde_json::Map::new();
    let lifecycle = state
        .provisioning_state
        .clone()
        .unwrap_or_else(|| "available".to_owned());
    provisioning.insert("state".into(), Json::from(lifecycle));
    provisioning.insert("ID".into(), Json::from(id.cloned().unwrap_or_default()));
    if let Some(mode) = &spec.boot_mode {
        provisioning.insert("bootMode".into(), Json::from(mode.clone()));
    }
    if let Some(image) = &spec.image {
        provisioning.insert("image".into(), to_json(image));
    }
    if let Some(hints) = &spec.root_device_hints {
        provisioning.insert("rootDeviceHints".into(), to_json(hints));
    }
    let status = serde_json::json!({
        "operationalStatus": "OK",
        "hardware": camel_case_keys(hardware),
        "provisioning": provisioning,
        "poweredOn": state.powered_on.unwrap_or(false),
        "goodCredentials": {},
        "triedCredentials": {},
        "errorMessage": "",
        "operationHistory": {},
    });
    serde_json::to_string(&status).ok()
}

fn to_json(value: &impl Serialize) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// This resource's `hardware` attribute and Metal3's `status.hardware` hold the same fields,
/// named in snake_case here and camelCase there; nulls are left out, as Metal3 does.
fn camel_case_keys(value: &Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (camel_case(k), camel_case_keys(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(camel_case_keys).collect()),
        other => other.clone(),
    }
}

fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
