//! `ilo5-redfish` and `ilo5-virtualmedia` (each with `+http`/`+https`): iLO 5 names that BMO maps
//! to the generic Redfish hardware type, so everything but the schemes is redfish.rs's.

use super::family::{Boot, Family, Scheme};
use super::redfish;
use super::support::{self, Day2Support};

pub(super) const FAMILY: Family = Family {
    schemes: &[
        Scheme {
            scheme: "ilo5-redfish",
            form: "ilo5-redfish[+http|+https]://host[:port]/redfish/v1/Systems/<id>",
            drives: "HPE iLO 5 over Redfish, as `redfish`; network boot (iPXE)",
            boot_interface: "ipxe",
            boot: Boot::Network,
        },
        Scheme {
            scheme: "ilo5-virtualmedia",
            form: "ilo5-virtualmedia[+http|+https]://host[:port]/redfish/v1/Systems/<id>",
            drives: "HPE iLO 5 over Redfish, as `redfish-virtualmedia`; virtual media",
            boot_interface: "redfish-virtual-media",
            boot: Boot::Iso,
        },
    ],
    day2: Day2Support {
        firmware_names: Some(&support::ILO_NAMES),
        ..redfish::FAMILY.day2
    },
    ..redfish::FAMILY
};
