//! `redfish`, `redfish-virtualmedia`, `redfish-uefihttp` (each with `+http`/`+https`), and the
//! iLO 5 aliases `ilo5-redfish` and `ilo5-virtualmedia` that BMO maps to the same hardware type.

use serde_json::{Map, Value};

use super::{interfaces, BmcAddress, DriverSettings, RedfishBoot};

/// Transport used when the scheme has no `+http`/`+https` suffix.
const DEFAULT_TRANSPORT: &str = "https";

pub(super) fn settings(address: &BmcAddress, boot: RedfishBoot) -> DriverSettings {
    let boot_interface = match boot {
        RedfishBoot::Ipxe => "ipxe",
        RedfishBoot::VirtualMedia => "redfish-virtual-media",
        RedfishBoot::UefiHttp => "redfish-https",
    };
    DriverSettings {
        driver: "redfish".to_owned(),
        interfaces: interfaces(&[
            ("boot_interface", boot_interface),
            ("power_interface", "redfish"),
            ("management_interface", "redfish"),
            ("raid_interface", "redfish"),
            ("firmware_interface", "redfish"),
        ]),
        driver_info: driver_info(address),
        needs_boot_mac: boot == RedfishBoot::Ipxe,
        uses_virtual_media: boot != RedfishBoot::Ipxe,
    }
}

/// `redfish_address` (transport://host[:port]) and, when the address names one,
/// `redfish_system_id`. Shared with iDRAC, which speaks Redfish too.
pub(super) fn driver_info(address: &BmcAddress) -> Map<String, Value> {
    let transport = address.transport.as_deref().unwrap_or(DEFAULT_TRANSPORT);
    let mut info = Map::new();
    info.insert(
        "redfish_address".to_owned(),
        format!("{transport}://{}", address.url_authority()).into(),
    );
    if let Some(system) = system_id(&address.path) {
        info.insert("redfish_system_id".to_owned(), system.into());
    }
    info
}

/// The Redfish system path, or `None` when the address names no system (empty, or only the
/// service root `/redfish/v1`): Ironic then uses the BMC's only system.
pub(super) fn system_id(path: &str) -> Option<String> {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() || trimmed == "redfish/v1" {
        None
    } else {
        Some(format!("/{trimmed}"))
    }
}
