//! `ipmi` and `libvirt` (the latter is IPMI to a virtual BMC, as in BMO). An optional
//! `?privilegelevel=OPERATOR` query sets `ipmi_priv_level` (default ADMINISTRATOR).

use serde_json::Map;

use super::{interfaces, BmcAddress, BmcError, DriverSettings};

pub(super) const DEFAULT_PORT: u16 = 623;
const DEFAULT_PRIVILEGE_LEVEL: &str = "ADMINISTRATOR";
pub(super) const PRIVILEGE_LEVELS: &[&str] = &["ADMINISTRATOR", "OPERATOR", "USER", "CALLBACK"];

pub(super) fn settings(raw: &str, address: &BmcAddress) -> Result<DriverSettings, BmcError> {
    let mut driver_info = Map::new();
    driver_info.insert("ipmi_address".to_owned(), address.host.clone().into());
    driver_info.insert(
        "ipmi_port".to_owned(),
        address.port.unwrap_or(DEFAULT_PORT).into(),
    );
    driver_info.insert(
        "ipmi_priv_level".to_owned(),
        privilege_level(raw, address)?.into(),
    );
    Ok(DriverSettings {
        driver: "ipmi".to_owned(),
        interfaces: interfaces(&[
            ("boot_interface", "ipxe"),
            ("power_interface", "ipmitool"),
            ("management_interface", "ipmitool"),
            ("raid_interface", "no-raid"),
        ]),
        driver_info,
        needs_boot_mac: true,
        uses_virtual_media: false,
    })
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
        })
    }
}
