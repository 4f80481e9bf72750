//! `redfish`, `redfish-virtualmedia`, `redfish-uefihttp` (each with `+http`/`+https`): the
//! generic Redfish hardware type. iDRAC and the iLO 5 Redfish schemes reuse its `driver_info`.

use serde_json::{Map, Value};

use super::error::BmcError;
use super::family::{Boot, Family, Identity, Scheme, HTTP, HTTPS};
use super::parsed::BmcAddress;
use super::support::Day2Support;

pub(super) const FAMILY: Family = Family {
    schemes: &[
        Scheme {
            scheme: "redfish",
            form: "redfish[+http|+https]://host[:port]/redfish/v1/Systems/<id>",
            drives: "Redfish power and management; network boot (iPXE)",
            boot_interface: "ipxe",
            boot: Boot::Network,
        },
        Scheme {
            scheme: "redfish-virtualmedia",
            form: "redfish-virtualmedia[+http|+https]://host[:port]/redfish/v1/Systems/<id>",
            drives: "Redfish; boots the agent from virtual media",
            boot_interface: "redfish-virtual-media",
            boot: Boot::Iso,
        },
        Scheme {
            scheme: "redfish-uefihttp",
            form: "redfish-uefihttp[+http|+https]://host[:port]/redfish/v1/Systems/<id>",
            drives: "Redfish; UEFI HTTP boot",
            boot_interface: "redfish-https",
            boot: Boot::Iso,
        },
    ],
    transports: &[HTTP, HTTPS],
    default_port: HTTPS.default_port,
    driver: "redfish",
    interfaces: &[
        ("power_interface", "redfish"),
        ("management_interface", "redfish"),
        ("raid_interface", "redfish"),
        ("firmware_interface", "redfish"),
    ],
    credential_keys: CREDENTIAL_KEYS,
    verify_ca_key: VERIFY_CA_KEY,
    driver_info,
    identity: Identity::RedfishSystem,
    read_back: Some(read_back),
    day2: Day2Support {
        hardware_raid: Some("redfish"),
        software_raid: true,
        bios: Some("redfish"),
        firmware: Some("redfish"),
        // Generic Redfish has no vendor names for the `firmware` switches.
        firmware_names: None,
        note: None,
    },
};

/// Shared with the families that speak Redfish under another hardware type (iDRAC).
pub(super) const CREDENTIAL_KEYS: &[(&str, &str)] = &[("redfish_username", "redfish_password")];
pub(super) const VERIFY_CA_KEY: Option<&str> = Some("redfish_verify_ca");

/// Transport used when the scheme has no `+http`/`+https` suffix.
const DEFAULT_TRANSPORT: &str = "https";

/// `redfish_address` (transport://host[:port]) and, when the address names one,
/// `redfish_system_id`.
pub(super) fn driver_info(
    address: &BmcAddress,
    _raw: &str,
) -> Result<Map<String, Value>, BmcError> {
    let transport = address.transport.as_deref().unwrap_or(DEFAULT_TRANSPORT);
    let mut info = Map::new();
    info.insert(
        "redfish_address".to_owned(),
        format!("{transport}://{}", address.url_authority()).into(),
    );
    if let Some(system) = system_id(&address.path) {
        info.insert("redfish_system_id".to_owned(), system.into());
    }
    Ok(info)
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

/// The address from `redfish_address` and `redfish_system_id`, its scheme from the boot
/// interface (the plain `redfish` scheme for any other).
fn read_back(info: &Map<String, Value>, boot_interface: Option<&str>) -> Option<String> {
    let base = info.get("redfish_address")?.as_str()?.trim_end_matches('/');
    let scheme = FAMILY
        .schemes
        .iter()
        .find(|s| Some(s.boot_interface) == boot_interface)
        .map_or("redfish", |s| s.scheme);
    let (transport, authority) = match base.split_once("://") {
        Some((transport, rest)) => (Some(transport), rest),
        None => (None, base),
    };
    let system = info
        .get("redfish_system_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    Some(match transport {
        Some(t) => format!("{scheme}+{t}://{authority}{system}"),
        None => format!("{scheme}://{authority}{system}"),
    })
}
