//! `fake://<anything>`: Ironic's `fake-hardware` for tests and demos. Power and management are
//! fake; inspection is the real agent flow (which needs the `ipxe` boot interface and a boot
//! port), deployment the `fake` interface. `DriverSettings::with_inspection` and
//! `with_deploy_mode` switch these per host.

use serde_json::Map;

use super::{BmcAddress, DriverSettings, FAKE_DRIVER};

pub(super) fn settings(_address: &BmcAddress) -> DriverSettings {
    let interfaces = [
        ("boot_interface", "ipxe"),
        ("power_interface", "fake"),
        ("management_interface", "fake"),
        ("inspect_interface", "agent"),
        ("deploy_interface", "fake"),
    ]
    .iter()
    .map(|(field, value)| ((*field).to_owned(), (*value).to_owned()))
    .collect();
    DriverSettings {
        driver: FAKE_DRIVER.to_owned(),
        interfaces,
        driver_info: Map::new(),
        needs_boot_mac: true,
        uses_virtual_media: false,
    }
}
