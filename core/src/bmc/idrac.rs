//! `idrac-redfish` and `idrac-virtualmedia` (each with `+http`/`+https`): Dell iDRAC through its
//! Redfish implementation. The vendor interface is set explicitly because the `idrac` hardware
//! type would otherwise default to WS-Man.

use super::{interfaces, redfish, BmcAddress, DriverSettings};

pub(super) fn settings(address: &BmcAddress, virtual_media: bool) -> DriverSettings {
    let boot_interface = if virtual_media {
        "idrac-redfish-virtual-media"
    } else {
        "ipxe"
    };
    DriverSettings {
        driver: "idrac".to_owned(),
        interfaces: interfaces(&[
            ("boot_interface", boot_interface),
            ("power_interface", "idrac-redfish"),
            ("management_interface", "idrac-redfish"),
            ("bios_interface", "idrac-redfish"),
            ("raid_interface", "idrac-redfish"),
            ("vendor_interface", "idrac-redfish"),
            ("firmware_interface", "redfish"),
        ]),
        driver_info: redfish::driver_info(address),
        needs_boot_mac: !virtual_media,
        uses_virtual_media: virtual_media,
    }
}
