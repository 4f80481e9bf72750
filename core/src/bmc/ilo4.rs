//! `ilo4` and `ilo4-virtualmedia` (each also with `+https`): HPE iLO 4 through the
//! proliantutils-based `ilo` hardware type. iLO 5 reuses its `driver_info` (ilo5.rs).

use serde_json::{Map, Value};

use super::error::BmcError;
use super::family::{Boot, Family, Identity, Scheme, HTTPS};
use super::parsed::BmcAddress;
use super::support::{self, Day2Support};

pub(super) const FAMILY: Family = Family {
    schemes: &[
        Scheme {
            scheme: "ilo4",
            form: "ilo4[+https]://host[:port]",
            drives: "HPE iLO 4; network boot (iPXE)",
            boot_interface: "ilo-ipxe",
            boot: Boot::Network,
        },
        Scheme {
            scheme: "ilo4-virtualmedia",
            form: "ilo4-virtualmedia[+https]://host[:port]",
            drives: "HPE iLO 4; virtual media",
            boot_interface: "ilo-virtual-media",
            boot: Boot::Iso,
        },
    ],
    transports: &[HTTPS],
    default_port: HTTPS.default_port,
    driver: "ilo",
    interfaces: &[("raid_interface", "no-raid")],
    credential_keys: &[("ilo_username", "ilo_password")],
    verify_ca_key: Some("ilo_verify_ca"),
    driver_info,
    identity: Identity::Host,
    read_back: None,
    day2: Day2Support {
        note: Some("Ironic 39 ships no iLO hardware type: use an ilo5-redfish address"),
        ..support::NONE
    },
};

/// `ilo_address` and, when the address names one, `client_port`.
pub(super) fn driver_info(
    address: &BmcAddress,
    _raw: &str,
) -> Result<Map<String, Value>, BmcError> {
    let mut info = Map::new();
    info.insert("ilo_address".to_owned(), address.host.clone().into());
    if let Some(port) = address.port {
        info.insert("client_port".to_owned(), port.into());
    }
    Ok(info)
}
