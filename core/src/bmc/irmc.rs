//! `irmc`: Fujitsu iRMC. Power goes through IPMI (as in BMO), so the address is also written
//! under the `ipmi_*` keys, and the credentials are too.

use serde_json::{Map, Value};

use super::error::BmcError;
use super::family::{Boot, Family, Identity, Scheme, HTTPS};
use super::parsed::BmcAddress;
use super::support::{self, Day2Support};

pub(super) const FAMILY: Family = Family {
    schemes: &[Scheme {
        scheme: "irmc",
        form: "irmc://host[:port]",
        drives: "Fujitsu iRMC; network boot (iPXE)",
        boot_interface: "ipxe",
        boot: Boot::Network,
    }],
    transports: &[],
    default_port: HTTPS.default_port,
    driver: "irmc",
    interfaces: &[("power_interface", "ipmitool"), ("raid_interface", "irmc")],
    credential_keys: &[
        ("irmc_username", "irmc_password"),
        ("ipmi_username", "ipmi_password"),
    ],
    verify_ca_key: Some("irmc_verify_ca"),
    driver_info,
    identity: Identity::Host,
    read_back: None,
    day2: Day2Support {
        note: Some("Ironic 39 ships no iRMC hardware type"),
        ..support::NONE
    },
};

fn driver_info(address: &BmcAddress, _raw: &str) -> Result<Map<String, Value>, BmcError> {
    let mut info = Map::new();
    info.insert("irmc_address".to_owned(), address.host.clone().into());
    info.insert("ipmi_address".to_owned(), address.host.clone().into());
    if let Some(port) = address.port {
        info.insert("irmc_port".to_owned(), port.into());
    }
    Ok(info)
}
