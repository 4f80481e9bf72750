//! `ipmi` and `libvirt` (the latter is IPMI to a virtual BMC, as in BMO). An optional
//! `?privilegelevel=OPERATOR` query sets `ipmi_priv_level` (default ADMINISTRATOR).

use serde_json::{Map, Value};

use super::error::BmcError;
use super::family::{Boot, Family, Identity, Scheme};
use super::parsed::BmcAddress;
use super::support::{self, Day2Support};

pub(super) const FAMILY: Family = Family {
    schemes: &[
        Scheme {
            scheme: "ipmi",
            form: "ipmi://host[:port]",
            drives: "IPMI (port 623 by default); network boot (iPXE)",
            boot_interface: "ipxe",
            boot: Boot::Network,
        },
        Scheme {
            scheme: "libvirt",
            form: "libvirt://host[:port]",
            drives: "IPMI to a virtual BMC, as `ipmi`",
            boot_interface: "ipxe",
            boot: Boot::Network,
        },
    ],
    transports: &[],
    default_port: DEFAULT_PORT,
    driver: "ipmi",
    interfaces: &[
        ("power_interface", "ipmitool"),
        ("management_interface", "ipmitool"),
        ("raid_interface", "no-raid"),
    ],
    credential_keys: &[("ipmi_username", "ipmi_password")],
    // IPMI has no TLS.
    verify_ca_key: None,
    driver_info,
    identity: Identity::Host,
    read_back: Some(read_back),
    day2: Day2Support {
        software_raid: true,
        note: Some("IPMI has no RAID controller, BIOS or firmware update interface"),
        ..support::NONE
    },
};

const DEFAULT_PORT: u16 = 623;
const DEFAULT_PRIVILEGE_LEVEL: &str = "ADMINISTRATOR";
const PRIVILEGE_LEVELS: &[&str] = &["ADMINISTRATOR", "OPERATOR", "USER", "CALLBACK"];

fn driver_info(address: &BmcAddress, raw: &str) -> Result<Map<String, Value>, BmcError> {
    let mut info = Map::new();
    info.insert("ipmi_address".to_owned(), address.host.clone().into());
    info.insert(
        "ipmi_port".to_owned(),
        address.port.unwrap_or(DEFAULT_PORT).into(),
    );
    info.insert(
        "ipmi_priv_level".to_owned(),
        privilege_level(raw, address)?.into(),
    );
    Ok(info)
}

fn privilege_level(raw: &str, address: &BmcAddress) -> Result<String, BmcError> {
    let requested = address.query.as_deref().and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "privilegelevel")
            .map(|(_, value)| value)
    });
    let Some(value) = requested else {
        return Ok(DEFAULT_PRIVILEGE_LEVEL.to_owned());
    };
    let level = value.to_ascii_uppercase();
    if PRIVILEGE_LEVELS.contains(&level.as_str()) {
        Ok(level)
    } else {
        Err(BmcError::BadPrivilegeLevel {
            address: raw.to_owned(),
            value: value.to_owned(),
            allowed: PRIVILEGE_LEVELS,
        })
    }
}

/// `ipmi://host[:port]` from `ipmi_address` and `ipmi_port` (Ironic may return the port as a
/// string).
fn read_back(info: &Map<String, Value>, _boot_interface: Option<&str>) -> Option<String> {
    let host = info.get("ipmi_address")?.as_str()?;
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    let port = match info.get("ipmi_port") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    Some(match port {
        Some(port) => format!("ipmi://{host}:{port}"),
        None => format!("ipmi://{host}"),
    })
}
