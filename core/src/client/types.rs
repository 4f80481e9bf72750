//! Ironic's resources as serde types. Reading is tolerant: unknown fields are ignored and missing
//! or null ones take their default, so a newer Ironic does not break us.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::ProvisionState;

/// A JSON object as Ironic stores free-form dicts (driver_info, properties, ...).
pub type JsonObject = Map<String, Value>;

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<JsonObject, D::Error> {
    Ok(Option::<JsonObject>::deserialize(d)?.unwrap_or_default())
}

/// A node as Ironic sends it, for unit tests.
#[cfg(test)]
pub(crate) fn node_from_json(value: serde_json::Value) -> Node {
    serde_json::from_value(value).expect("a node in Ironic's JSON")
}

/// A node as `GET /v1/nodes/{id}` returns it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Node {
    pub uuid: String,
    pub name: Option<String>,
    pub driver: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub driver_info: JsonObject,
    #[serde(deserialize_with = "null_as_empty")]
    pub instance_info: JsonObject,
    #[serde(deserialize_with = "null_as_empty")]
    pub properties: JsonObject,
    #[serde(deserialize_with = "null_as_empty")]
    pub extra: JsonObject,
    pub provision_state: Option<String>,
    pub target_provision_state: Option<String>,
    pub power_state: Option<String>,
    pub target_power_state: Option<String>,
    /// Scrubbed of tokens and passwords, as every text read from Ironic.
    #[serde(deserialize_with = "super::scrub::scrubbed")]
    pub last_error: Option<String>,
    pub maintenance: bool,
    #[serde(deserialize_with = "super::scrub::scrubbed")]
    pub maintenance_reason: Option<String>,
    /// Why Ironic put the node in maintenance itself (e.g. `power failure`).
    pub fault: Option<String>,
    pub automated_clean: Option<bool>,
    pub resource_class: Option<String>,
    pub description: Option<String>,
    pub instance_uuid: Option<String>,
    pub conductor: Option<String>,
    /// The conductors that may manage the node (`""`: any conductor without a group).
    pub conductor_group: Option<String>,
    pub reservation: Option<String>,
    pub boot_interface: Option<String>,
    pub deploy_interface: Option<String>,
    pub inspect_interface: Option<String>,
    pub management_interface: Option<String>,
    pub power_interface: Option<String>,
    pub network_interface: Option<String>,
    pub raid_interface: Option<String>,
    pub bios_interface: Option<String>,
    pub console_interface: Option<String>,
    pub rescue_interface: Option<String>,
    pub storage_interface: Option<String>,
    pub vendor_interface: Option<String>,
    pub firmware_interface: Option<String>,
    pub provision_updated_at: Option<String>,
    pub inspection_started_at: Option<String>,
    pub inspection_finished_at: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

impl Node {
    /// The current provision state (`Other("")` when Ironic did not report one).
    pub fn state(&self) -> ProvisionState {
        ProvisionState::parse(self.provision_state.as_deref().unwrap_or(""))
    }

    /// True while Ironic is moving the node between provision states.
    pub fn in_transition(&self) -> bool {
        self.target_provision_state.is_some()
    }
}

/// Body of `POST /v1/nodes`. Only set fields are sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NodeCreate {
    pub driver: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub driver_info: JsonObject,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub properties: JsonObject,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub instance_info: JsonObject,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extra: JsonObject,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automated_clean: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conductor_group: Option<String>,
    /// Hardware interfaces by field name, e.g. `boot_interface` -> `ipxe`.
    #[serde(flatten)]
    pub interfaces: std::collections::BTreeMap<String, String>,
}

impl NodeCreate {
    pub fn new(driver: impl Into<String>) -> Self {
        NodeCreate {
            driver: driver.into(),
            ..NodeCreate::default()
        }
    }

    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub fn driver_info(mut self, driver_info: JsonObject) -> Self {
        self.driver_info = driver_info;
        self
    }

    pub fn properties(mut self, properties: JsonObject) -> Self {
        self.properties = properties;
        self
    }

    pub fn instance_info(mut self, instance_info: JsonObject) -> Self {
        self.instance_info = instance_info;
        self
    }

    pub fn extra(mut self, extra: JsonObject) -> Self {
        self.extra = extra;
        self
    }

    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub fn automated_clean(mut self, enabled: bool) -> Self {
        self.automated_clean = Some(enabled);
        self
    }

    pub fn conductor_group(mut self, group: impl Into<String>) -> Self {
        self.conductor_group = Some(group.into());
        self
    }

    pub fn resource_class(mut self, class: impl Into<String>) -> Self {
        self.resource_class = Some(class.into());
        self
    }

    /// Sets `<kind>_interface`, e.g. `interface("boot", "ipxe")`.
    pub fn interface(mut self, kind: &str, name: impl Into<String>) -> Self {
        self.interfaces
            .insert(format!("{kind}_interface"), name.into());
        self
    }
}

/// A port as `GET /v1/ports/detail` returns it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Port {
    pub uuid: String,
    pub address: String,
    pub node_uuid: String,
    pub pxe_enabled: Option<bool>,
    #[serde(deserialize_with = "null_as_empty")]
    pub extra: JsonObject,
}

/// Body of `POST /v1/ports`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortCreate {
    pub node_uuid: String,
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pxe_enabled: Option<bool>,
}

/// One operation of a JSON patch (RFC 6902) as Ironic's PATCH endpoints take it.
/// Paths look like `/driver_info/redfish_password` or `/description`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PatchOp {
    Add { path: String, value: Value },
    Replace { path: String, value: Value },
    Remove { path: String },
}

impl PatchOp {
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        PatchOp::Add {
            path: path.into(),
            value: value.into(),
        }
    }

    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        PatchOp::Replace {
            path: path.into(),
            value: value.into(),
        }
    }

    pub fn remove(path: impl Into<String>) -> Self {
        PatchOp::Remove { path: path.into() }
    }
}

/// Targets of `PUT /v1/nodes/{id}/states/provision` (Ironic's verbs, not states).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProvisionTarget {
    Manage,
    Provide,
    Inspect,
    /// Deploy.
    Active,
    /// Undeploy (the classic verb; `Undeploy` is its newer alias).
    Deleted,
    Rebuild,
    Adopt,
    Clean,
    Abort,
    Undeploy,
    Unhold,
    /// Servicing (API 1.87+): steps run on a provisioned node, which stays provisioned.
    Service,
}

impl ProvisionTarget {
    /// The value Ironic expects in `target`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionTarget::Manage => "manage",
            ProvisionTarget::Provide => "provide",
            ProvisionTarget::Inspect => "inspect",
            ProvisionTarget::Active => "active",
            ProvisionTarget::Deleted => "deleted",
            ProvisionTarget::Rebuild => "rebuild",
            ProvisionTarget::Adopt => "adopt",
            ProvisionTarget::Clean => "clean",
            ProvisionTarget::Abort => "abort",
            ProvisionTarget::Undeploy => "undeploy",
            ProvisionTarget::Unhold => "unhold",
            ProvisionTarget::Service => "service",
        }
    }
}

impl std::fmt::Display for ProvisionTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProvisionTarget {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Optional arguments of a provision state change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProvisionOptions {
    /// Config drive: a JSON object (`meta_data`, `user_data`, `network_data`) or a gzipped,
    /// base64 ISO string / URL. May hold user secrets: never logged.
    pub configdrive: Option<Value>,
    /// Steps for `clean` (manual cleaning).
    pub clean_steps: Option<Vec<Value>>,
    /// Steps for `active`/`rebuild` (custom deploy).
    pub deploy_steps: Option<Vec<Value>>,
    /// Steps for `service`.
    pub service_steps: Option<Vec<Value>>,
    /// Clean without booting the agent ramdisk (only out-of-band steps).
    pub disable_ramdisk: Option<bool>,
}

#[derive(Serialize)]
pub(crate) struct ProvisionBody<'a> {
    pub target: ProvisionTarget,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configdrive: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean_steps: Option<&'a Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deploy_steps: Option<&'a Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_steps: Option<&'a Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_ramdisk: Option<bool>,
}

/// Targets of `PUT /v1/nodes/{id}/states/power`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PowerTarget {
    On,
    Off,
    Reboot,
    SoftOff,
    SoftReboot,
}

impl PowerTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            PowerTarget::On => "power on",
            PowerTarget::Off => "power off",
            PowerTarget::Reboot => "rebooting",
            PowerTarget::SoftOff => "soft power off",
            PowerTarget::SoftReboot => "soft rebooting",
        }
    }
}

impl std::fmt::Display for PowerTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PowerTarget {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Filters for `list_nodes`; unset fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeFilter {
    pub provision_state: Option<String>,
    pub driver: Option<String>,
    pub maintenance: Option<bool>,
    pub resource_class: Option<String>,
    /// Page size asked of Ironic (it caps it at its own `max_limit`).
    pub page_size: Option<u32>,
}

/// One interface's answer in `GET /v1/nodes/{id}/validate`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct InterfaceValidation {
    /// `Some(true)` valid, `Some(false)` invalid, `None` not applicable / not supported.
    pub result: Option<bool>,
    pub reason: Option<String>,
}

/// Validation results by interface name (`power`, `management`, `deploy`, ...).
pub type NodeValidation = std::collections::BTreeMap<String, InterfaceValidation>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn node_tolerates_unknown_missing_and_null_fields() {
        let node: Node = serde_json::from_value(json!({
            "uuid": "u1", "driver": "fake-hardware", "provision_state": "enroll",
            "driver_info": null, "some_future_field": {"x": 1}, "maintenance": false
        }))
        .unwrap();
        assert_eq!(node.uuid, "u1");
        assert!(node.driver_info.is_empty());
        assert_eq!(node.state(), ProvisionState::Enroll);
        assert!(!node.in_transition());
    }

    #[test]
    fn node_create_sends_only_set_fields_and_interfaces_flat() {
        let body = serde_json::to_value(
            NodeCreate::new("fake-hardware")
                .name("metal3~h1")
                .interface("boot", "ipxe"),
        )
        .unwrap();
        assert_eq!(
            body,
            json!({"driver": "fake-hardware", "name": "metal3~h1", "boot_interface": "ipxe"})
        );
    }

    #[test]
    fn patch_and_targets_serialize_as_ironic_expects() {
        let ops = vec![
            PatchOp::replace("/description", "d"),
            PatchOp::remove("/extra/x"),
        ];
        assert_eq!(
            serde_json::to_value(ops).unwrap(),
            json!([{"op": "replace", "path": "/description", "value": "d"},
                   {"op": "remove", "path": "/extra/x"}])
        );
        assert_eq!(
            serde_json::to_value(PowerTarget::Off).unwrap(),
            json!("power off")
        );
        let body = ProvisionBody {
            target: ProvisionTarget::Active,
            configdrive: None,
            clean_steps: None,
            deploy_steps: None,
            service_steps: None,
            disable_ramdisk: Some(true),
        };
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"target": "active", "disable_ramdisk": true})
        );
        let steps = vec![json!({"interface": "bios", "step": "apply_configuration"})];
        let body = ProvisionBody {
            target: ProvisionTarget::Service,
            configdrive: None,
            clean_steps: None,
            deploy_steps: None,
            service_steps: Some(&steps),
            disable_ramdisk: None,
        };
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"target": "service", "service_steps": steps})
        );
    }
}
