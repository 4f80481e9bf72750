//! `irmc`: Fujitsu iRMC. Power goes through IPMI (as in BMO), so the address is also written
//! under the `ipmi_*` keys; the credentials are too (see `credential_key_pairs`).

use serde_json::Map;

use super::{interfaces, BmcAddress, DriverSettings};

pub(super) fn settings(address: &BmcAddress) -> DriverSettings {
    let mut driver_info = Map::new();
    driver_info.insert("irmc_address".to_owned(), address.host.clone().into());
    driver_info.insert("ipmi_address".to_owned(), address.host.clone().into());
    if let Some(port) = address.port {
        driver_info.insert("irmc_port".to_owned(), port.into());
    }
    DriverSettings {
        driver: "irmc".to_owned(),
        interfaces: interfaces(&[
            ("boot_interface", "ipxe"),
            ("power_interface", "ipmitool"),
            ("raid_interface", "irmc"),
        ]),
        driver_info,
        needs_boot_mac: true,
        uses_virtual_media: false,
    }
}
