//! Arguments read back from a node's own fields, for nodes this engine did not create (import):
//! boot mode from `properties.capabilities`, cleaning mode from `automated_clean`, inspection
//! mode from the inspect interface, and the BMC address rebuilt from `driver_info` when the
//! engine's own record (`extra.metal3_bmc_address`) is missing. `None` means "cannot tell".

use serde_json::Value;

use super::persist;
use super::spec::{AutomatedCleaningMode, BootMode, ChecksumType, ImageSpec, InspectionMode};
use super::spec::{DeployImage, DiskFormat, RootDeviceHints};
use crate::client::{Node, ProvisionState};

/// The agent images the node's driver_info names; empty text is none.
pub fn deploy_image(node: &Node) -> DeployImage {
    let text = |key: &str| {
        node.driver_info
            .get(key)
            .and_then(Value::as_str)
            .filter(|url| !url.is_empty())
            .map(str::to_owned)
    };
    DeployImage {
        kernel_url: text("deploy_kernel"),
        ramdisk_url: text("deploy_ramdisk"),
        iso_url: text("deploy_iso"),
    }
}

/// The boot mode the host boots with: a deployed node's `instance_info.capabilities` (what
/// Ironic uses for it, over the node's own), else `properties.capabilities`.
pub fn boot_mode(node: &Node) -> Option<BootMode> {
    deployed_boot_mode(node).or_else(|| boot_mode_of(node.properties.get("capabilities")?))
}

/// The boot mode in `instance_info.capabilities`, when the node has one (it was deployed or
/// adopted with it).
pub fn deployed_boot_mode(node: &Node) -> Option<BootMode> {
    boot_mode_of(node.instance_info.get("capabilities")?)
}

/// `boot_mode:uefi` (with `secure_boot:true`: UEFISecureBoot) or `boot_mode:bios`, from
/// capabilities written as Ironic's `key:value,...` text or as a JSON object.
pub fn boot_mode_of(caps: &Value) -> Option<BootMode> {
    let capability = |name: &str| match caps {
        Value::String(text) => text
            .split(',')
            .filter_map(|entry| entry.split_once(':'))
            .find(|(key, _)| key.trim() == name)
            .map(|(_, value)| value.trim().to_ascii_lowercase()),
        Value::Object(map) => map
            .get(name)
            .and_then(Value::as_str)
            .map(|value| value.trim().to_ascii_lowercase()),
        _ => None,
    };
    match capability("boot_mode")?.as_str() {
        "bios" => Some(BootMode::Legacy),
        "uefi" if capability("secure_boot").as_deref() == Some("true") => {
            Some(BootMode::UefiSecureBoot)
        }
        "uefi" => Some(BootMode::Uefi),
        _ => None,
    }
}

/// `automated_clean = false` disables cleaning; `true` or unset (Ironic's default, on) is
/// BMO's `metadata`.
pub fn automated_cleaning_mode(node: &Node) -> AutomatedCleaningMode {
    match node.automated_clean {
        Some(false) => AutomatedCleaningMode::Disabled,
        _ => AutomatedCleaningMode::Metadata,
    }
}

/// `no-inspect` disables inspection; any other inspect interface inspects.
pub fn inspection_mode(node: &Node) -> Option<InspectionMode> {
    match node.inspect_interface.as_deref()? {
        "no-inspect" => Some(InspectionMode::Disabled),
        _ => Some(InspectionMode::Agent),
    }
}

/// The power state as a value of `online`: only when the node is at rest in a state where
/// the engine keeps the power as asked (`available`, `active`) and Ironic manages it (no
/// maintenance), so a transient power change during inspection or cleaning is not drift.
pub fn online(node: &Node) -> Option<bool> {
    let at_rest = node.target_provision_state.is_none()
        && node.target_power_state.is_none()
        && !node.maintenance
        && matches!(
            node.state(),
            ProvisionState::Available | ProvisionState::Active
        );
    if !at_rest {
        return None;
    }
    power(node)
}

/// Ironic's power state as on/off; `None` while Ironic has not read it (a node it has not
/// synced yet, or whose BMC did not answer): unknown is never taken for "off".
pub fn power(node: &Node) -> Option<bool> {
    match node.power_state.as_deref() {
        Some("power on") => Some(true),
        Some("power off") => Some(false),
        _ => None,
    }
}

/// `properties.root_device` back in the spec's terms (operators `s==`, `<in>`, `>=` and the
/// `by_path` key undone); `None` when the node has no hints.
pub fn root_device_hints(node: &Node) -> Option<RootDeviceHints> {
    let hints = node.properties.get("root_device")?.as_object()?;
    let text = |key: &str| {
        hints.get(key).and_then(Value::as_str).map(|value| {
            ["s== ", "<in> ", "== ", ">= "]
                .iter()
                .find_map(|op| value.strip_prefix(op))
                .unwrap_or(value)
                .to_owned()
        })
    };
    let min_size_gigabytes = match hints.get("size") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim_start_matches(">= ").trim().parse().ok(),
        _ => None,
    };
    Some(RootDeviceHints {
        device_name: text("by_path").or_else(|| text("name")),
        hctl: text("hctl"),
        model: text("model"),
        vendor: text("vendor"),
        serial_number: text("serial"),
        min_size_gigabytes,
        wwn: text("wwn"),
        wwn_with_extension: text("wwn_with_extension"),
        wwn_vendor_extension: text("wwn_vendor_extension"),
        rotational: hints.get("rotational").and_then(|v| match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }),
    })
}

/// The image `instance_info` describes under `url` (checksum read back from where the engine
/// and BMO put it).
pub fn image_from_instance_info(node: &Node, url: &str) -> ImageSpec {
    let info = |key: &str| node.instance_info.get(key).and_then(Value::as_str);
    let (checksum, checksum_type) = match (info("image_os_hash_value"), info("image_checksum")) {
        (Some(value), _) => (
            Some(value.to_owned()),
            info("image_os_hash_algo").and_then(ChecksumType::parse),
        ),
        (None, Some(md5)) => (Some(md5.to_owned()), None),
        (None, None) => (None, None),
    };
    let disk_format = if info("boot_iso") == Some(url) {
        Some(DiskFormat::LiveIso)
    } else {
        info("image_disk_format").and_then(DiskFormat::parse)
    };
    ImageSpec {
        url: url.to_owned(),
        checksum,
        checksum_type,
        disk_format,
    }
}

/// The name messages give a node's host: its node name, else its UUID.
pub(super) fn display_name(node: &Node) -> String {
    node.name.clone().unwrap_or_else(|| node.uuid.clone())
}

/// The BMC address: as recorded by this engine, else rebuilt from the Redfish or IPMI
/// `driver_info` (enough to identify the machine; the scheme variant may differ from what the
/// user writes). `fake-hardware` and other drivers have no address to rebuild.
pub fn bmc_address(node: &Node) -> Option<String> {
    persist::bmc_address(&node.extra).or_else(|| bmc_address_from_driver_info(node))
}

/// The BMC address rebuilt from the `driver_info` alone (Redfish and IPMI can).
pub fn bmc_address_from_driver_info(node: &Node) -> Option<String> {
    crate::bmc::address_from_driver_info(
        &node.driver,
        &node.driver_info,
        node.boot_interface.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bmc::machine_identity;
    use serde_json::json;

    use crate::client::node_from_json as node;

    #[test]
    fn boot_mode_from_capabilities() {
        let with = |caps: &str| boot_mode(&node(json!({"properties": {"capabilities": caps}})));
        assert_eq!(with("boot_mode:bios"), Some(BootMode::Legacy));
        assert_eq!(with("cpu_vt:true,boot_mode:uefi"), Some(BootMode::Uefi));
        assert_eq!(
            with("boot_mode:uefi,secure_boot:true"),
            Some(BootMode::UefiSecureBoot)
        );
        assert_eq!(with("cpu_vt:true"), None);
        assert_eq!(boot_mode(&node(json!({}))), None);
    }

    #[test]
    fn cleaning_and_inspection_modes() {
        let n = node(json!({"automated_clean": false, "inspect_interface": "no-inspect"}));
        assert_eq!(automated_cleaning_mode(&n), AutomatedCleaningMode::Disabled);
        assert_eq!(inspection_mode(&n), Some(InspectionMode::Disabled));
        let n = node(json!({"automated_clean": null, "inspect_interface": "agent"}));
        assert_eq!(automated_cleaning_mode(&n), AutomatedCleaningMode::Metadata);
        assert_eq!(inspection_mode(&n), Some(InspectionMode::Agent));
        assert_eq!(inspection_mode(&node(json!({}))), None);
    }

    #[test]
    fn addresses_rebuilt_from_driver_info_identify_the_machine() {
        let redfish = node(json!({
            "driver": "redfish",
            "boot_interface": "redfish-virtual-media",
            "driver_info": {"redfish_address": "http://10.0.0.1:8000",
                            "redfish_system_id": "/redfish/v1/Systems/abc"}
        }));
        let address = bmc_address(&redfish).unwrap();
        assert_eq!(
            address,
            "redfish-virtualmedia+http://10.0.0.1:8000/redfish/v1/Systems/abc"
        );
        assert_eq!(
            machine_identity(&address).unwrap(),
            machine_identity("redfish+http://10.0.0.1:8000/redfish/v1/Systems/abc").unwrap()
        );
        let ipmi = node(json!({"driver": "ipmi",
                               "driver_info": {"ipmi_address": "10.0.0.2", "ipmi_port": 6230}}));
        assert_eq!(bmc_address(&ipmi).unwrap(), "ipmi://10.0.0.2:6230");
        let fake = node(json!({"driver": "fake-hardware"}));
        assert_eq!(bmc_address(&fake), None);
        let recorded = node(json!({"driver": "fake-hardware",
                                   "extra": {"metal3_bmc_address": "fake://w0"}}));
        assert_eq!(bmc_address(&recorded).as_deref(), Some("fake://w0"));
    }
}
