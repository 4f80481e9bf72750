//! What one BMC family declares: its schemes, the Ironic hardware type and interfaces they
//! drive, where the address and credentials go in `driver_info`, its ports and its TLS key.
//! Each family is one file holding one `FAMILY` constant; `mod.rs` lists them (see `families!`)
//! and derives every lookup, the accepted schemes and their docs from that list.

use serde_json::{Map, Value};

use super::error::BmcError;
use super::parsed::BmcAddress;
use super::support::Day2Support;

#[derive(Debug)]
pub struct Family {
    /// Its schemes (without `+transport`), in the order the docs list them.
    pub schemes: &'static [Scheme],
    /// The transports a scheme may name after `+`; none for a family without TLS.
    pub transports: &'static [Transport],
    /// The port of an address that names neither a port nor a transport.
    pub default_port: u16,
    /// Ironic hardware type.
    pub driver: &'static str,
    /// Interface fields besides `boot_interface` (which is per scheme), over
    /// `DEFAULT_INTERFACES`. Interfaces not named are left to Ironic's defaults.
    pub interfaces: &'static [(&'static str, &'static str)],
    /// The `driver_info` keys (username, password) of the credentials; a family that drives two
    /// protocols keeps them twice, and rotating credentials updates every pair.
    pub credential_keys: &'static [(&'static str, &'static str)],
    /// The `driver_info` key that turns certificate verification off; `None` without TLS.
    pub verify_ca_key: Option<&'static str>,
    /// The address part of `driver_info` (never credentials). Gets the parsed address and the
    /// text it came from (errors quote it).
    pub driver_info: DriverInfoFn,
    /// What in the address names the machine.
    pub identity: Identity,
    /// The address rebuilt from a node's `driver_info` alone (for nodes enrolled by others), when
    /// the family can: gets `driver_info` and the node's `boot_interface`.
    pub read_back: Option<ReadBackFn>,
    /// RAID, BIOS and firmware support (the docs' capability table).
    pub day2: Day2Support,
}

/// The address part of `driver_info` from the parsed address and its text.
pub type DriverInfoFn = fn(&BmcAddress, &str) -> Result<Map<String, Value>, BmcError>;

/// An address from `driver_info` and the node's `boot_interface`.
pub type ReadBackFn = fn(&Map<String, Value>, Option<&str>) -> Option<String>;

/// One scheme of a family, documented: the provider's schema descriptions and docs list these.
#[derive(Debug, PartialEq, Eq)]
pub struct Scheme {
    /// The scheme (without `+transport`).
    pub scheme: &'static str,
    /// The address form, transports included.
    pub form: &'static str,
    /// What it drives, for the docs.
    pub drives: &'static str,
    pub boot_interface: &'static str,
    pub boot: Boot,
}

/// How the agent reaches the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boot {
    /// Network boot from a port: the host's boot MAC must be enrolled.
    Network,
    /// From an ISO (virtual media or UEFI HTTP): `deploy_iso` applies and no boot port is needed.
    Iso,
}

/// What part of an address identifies the machine (see `machine_identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// Nothing is contacted: the text after the scheme, not validated beyond the scheme, and no
    /// credentials are needed.
    Text,
    /// The host, and the port when it is not the default.
    Host,
    /// As `Host`, plus the Redfish system path.
    RedfishSystem,
}

/// A `+transport` suffix and the port it implies.
#[derive(Debug, PartialEq, Eq)]
pub struct Transport {
    pub name: &'static str,
    pub default_port: u16,
}

pub const HTTP: Transport = Transport {
    name: "http",
    default_port: 80,
};

pub const HTTPS: Transport = Transport {
    name: "https",
    default_port: 443,
};

/// The interfaces every family gets unless it names them: in-band agent inspection and the
/// `direct` deploy (`DriverSettings::with_*` switch them per host).
pub const DEFAULT_INTERFACES: &[(&str, &str)] = &[
    ("inspect_interface", "agent"),
    ("deploy_interface", "direct"),
];

impl Family {
    /// The port an address without one reaches, for a transport (`None`: none named).
    pub fn default_port(&self, transport: Option<&str>) -> u16 {
        self.transports
            .iter()
            .find(|t| Some(t.name) == transport)
            .map_or(self.default_port, |t| t.default_port)
    }

    /// Whether the family needs BMC credentials (it contacts a BMC).
    pub fn needs_credentials(&self) -> bool {
        self.identity != Identity::Text
    }

    /// The scheme named `base` (without `+transport`).
    pub fn scheme(&self, base: &str) -> Option<&'static Scheme> {
        self.schemes.iter().find(|s| s.scheme == base)
    }

    /// Every scheme as an address may spell it: each alone, then with each transport.
    pub fn accepted(&self) -> impl Iterator<Item = String> + '_ {
        self.schemes.iter().flat_map(|s| {
            std::iter::once(s.scheme.to_owned()).chain(
                self.transports
                    .iter()
                    .map(move |t| format!("{}+{}", s.scheme, t.name)),
            )
        })
    }
}
