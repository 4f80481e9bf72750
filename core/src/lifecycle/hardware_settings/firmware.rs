//! Firmware updates (Metal3's HostFirmwareComponents): a firmware image per component, flashed
//! by the firmware interface's `update` step; and the versions Ironic reports per component.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Components Ironic's firmware interface updates by name; NICs are `nic:<id>`.
pub const NAMED_COMPONENTS: &[&str] = &["bios", "bmc"];
pub const NIC_PREFIX: &str = "nic:";

/// One firmware image to flash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmwareComponent {
    pub component: String,
    pub url: String,
}

impl FirmwareComponent {
    /// Why Ironic would refuse this component name, if it would.
    pub fn component_problem(&self) -> Option<String> {
        let name = self.component.as_str();
        let nic = name
            .strip_prefix(NIC_PREFIX)
            .is_some_and(|id| !id.trim().is_empty());
        (!NAMED_COMPONENTS.contains(&name) && !nic).then(|| {
            format!(
                "\"{name}\" is not a firmware component; allowed: \"bios\", \"bmc\", \
                 \"nic:<id>\" (a network adapter's Redfish id)"
            )
        })
    }

    /// The entry of the `update` step's `settings`.
    pub fn to_ironic(&self) -> Value {
        json!({ "component": self.component, "url": self.url })
    }
}

/// A component's versions as Ironic's `/v1/nodes/{node}/firmware` reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ComponentVersions {
    pub component: String,
    #[serde(default)]
    pub initial_version: Option<String>,
    #[serde(default)]
    pub current_version: Option<String>,
    #[serde(default)]
    pub last_version_flashed: Option<String>,
}

/// The components of Ironic's firmware API answer (`{"firmware": [...]}`).
pub fn parse_firmware(body: &Value) -> Vec<ComponentVersions> {
    body.get("firmware")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| serde_json::from_value(item.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}
