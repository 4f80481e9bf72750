//! `idrac-redfish` and `idrac-virtualmedia` (each with `+http`/`+https`): Dell iDRAC through its
//! Redfish implementation. The vendor interface is set explicitly because the `idrac` hardware
//! type would otherwise default to WS-Man.

use super::family::{Boot, Family, Identity, Scheme, HTTP, HTTPS};
use super::redfish;
use super::support::{self, Day2Support};

pub(super) const FAMILY: Family = Family {
    schemes: &[
        Scheme {
            scheme: "idrac-redfish",
            form: "idrac-redfish[+http|+https]://host[:port]/redfish/v1/Systems/<id>",
            drives: "Dell iDRAC over Redfish; network boot (iPXE)",
            boot_interface: "ipxe",
            boot: Boot::Network,
        },
        Scheme {
            scheme: "idrac-virtualmedia",
            form: "idrac-virtualmedia[+http|+https]://host[:port]/redfish/v1/Systems/<id>",
            drives: "Dell iDRAC over Redfish; virtual media",
            boot_interface: "idrac-redfish-virtual-media",
            boot: Boot::Iso,
        },
    ],
    transports: &[HTTP, HTTPS],
    default_port: HTTPS.default_port,
    driver: "idrac",
    interfaces: &[
        ("power_interface", "idrac-redfish"),
        ("management_interface", "idrac-redfish"),
        ("bios_interface", "idrac-redfish"),
        ("raid_interface", "idrac-redfish"),
        ("vendor_interface", "idrac-redfish"),
        ("firmware_interface", "redfish"),
    ],
    credential_keys: redfish::CREDENTIAL_KEYS,
    verify_ca_key: redfish::VERIFY_CA_KEY,
    driver_info: redfish::driver_info,
    identity: Identity::RedfishSystem,
    read_back: None,
    day2: Day2Support {
        hardware_raid: Some("idrac-redfish"),
        software_raid: true,
        bios: Some("idrac-redfish"),
        firmware: Some("redfish"),
        firmware_names: Some(&support::IDRAC_NAMES),
        note: None,
    },
};
