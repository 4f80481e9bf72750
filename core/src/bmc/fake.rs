//! `fake://<anything>`: Ironic's `fake-hardware` for tests and demos. Power and management are
//! fake; inspection is the real agent flow (which needs the `ipxe` boot interface and a boot
//! port), deployment the `fake` interface. `DriverSettings::with_inspection` and
//! `with_deploy_mode` switch these per host.

use serde_json::{Map, Value};

use super::error::BmcError;
use super::family::{Boot, Family, Identity, Scheme};
use super::parsed::BmcAddress;
use super::support::{self, Day2Support};

/// Ironic hardware type used for `fake://` addresses.
pub const DRIVER: &str = "fake-hardware";

pub(super) const FAMILY: Family = Family {
    schemes: &[Scheme {
        scheme: "fake",
        form: "fake://<anything>",
        drives:
            "Ironic's `fake-hardware`, for tests and demos: no real machine, every Ironic state",
        boot_interface: "ipxe",
        boot: Boot::Network,
    }],
    transports: &[],
    // Nothing is contacted, so no port is ever used.
    default_port: 0,
    driver: DRIVER,
    interfaces: &[
        ("power_interface", "fake"),
        ("management_interface", "fake"),
        ("deploy_interface", "fake"),
    ],
    // Ironic ignores these for fake-hardware (and masks the password when read back); keeping
    // them lets credential changes be exercised on fake hosts.
    credential_keys: &[("fake_username", "fake_password")],
    verify_ca_key: None,
    driver_info,
    identity: Identity::Text,
    read_back: None,
    day2: Day2Support {
        // Ironic's fake RAID, BIOS and firmware interfaces record what they are asked; fake
        // hosts boot no agent, so there is no software RAID.
        hardware_raid: Some("fake"),
        software_raid: false,
        bios: Some("fake"),
        firmware: Some("fake"),
        firmware_names: Some(&support::ILO_NAMES),
        note: Some("fake hosts boot no agent to build software RAID"),
    },
};

fn driver_info(_address: &BmcAddress, _raw: &str) -> Result<Map<String, Value>, BmcError> {
    Ok(Map::new())
}
