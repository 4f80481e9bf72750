//! `ilo5` (also with `+https`): HPE iLO 5 through its own `ilo5` hardware type, otherwise as iLO
//! 4. (`ilo5-redfish` and `ilo5-virtualmedia` are Redfish, see ilo5_redfish.rs.)

use super::family::{Boot, Family, Scheme};
use super::ilo4;

pub(super) const FAMILY: Family = Family {
    schemes: &[Scheme {
        scheme: "ilo5",
        form: "ilo5[+https]://host[:port]",
        drives: "HPE iLO 5 (its own driver); network boot (iPXE)",
        boot_interface: "ilo-ipxe",
        boot: Boot::Network,
    }],
    driver: "ilo5",
    interfaces: &[("raid_interface", "ilo5")],
    ..ilo4::FAMILY
};
