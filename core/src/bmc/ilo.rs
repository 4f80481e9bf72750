//! `ilo4`, `ilo4-virtualmedia` and `ilo5` (each also with `+https`): HPE iLO through the
//! proliantutils-based `ilo`/`ilo5` hardware types. (`ilo5-virtualmedia` is Redfish, see
//! redfish.rs.)

use serde_json::Map;

use super::{interfaces, BmcAddress, DriverSettings, IloKind};

pub(super) fn settings(address: &BmcAddress, kind: IloKind) -> DriverSettings {
    let (driver, boot_interface, raid_interface) = match kind {
        IloKind::Ilo4 => ("ilo", "ilo-ipxe", "no-raid"),
        IloKind::Ilo4VirtualMedia => ("ilo", "ilo-virtual-media", "no-raid"),
        IloKind::Ilo5 => ("ilo5", "ilo-ipxe", "ilo5"),
    };
    let mut driver_info = Map::new();
    driver_info.insert("ilo_address".to_owned(), address.host.clone().into());
    if let Some(port) = address.port {
        driver_info.insert("client_port".to_owned(), port.into());
    }
    let virtual_media = kind == IloKind::Ilo4VirtualMedia;
    DriverSettings {
        driver: driver.to_owned(),
        interfaces: interfaces(&[
            ("boot_interface", boot_interface),
            ("raid_interface", raid_interface),
        ]),
        driver_info,
        needs_boot_mac: !virtual_media,
        uses_virtual_media: virtual_media,
    }
}
