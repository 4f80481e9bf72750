//! BMC addresses to Ironic driver settings.
//!
//! A BareMetalHost-style address (`scheme://host[:port][/path]`) plus credentials becomes the
//! Ironic hardware type, the node's interface fields and its `driver_info`. Each family is one
//! file declaring a `FAMILY` (see family.rs) and one line in `families!`; this module derives
//! every lookup from that list and holds the shared types.
//!
//! The mapping follows metal3-io/baremetal-operator (`pkg/hardwareutils/bmc/`), with this
//! project's differences: inspection is in-band (`inspect_interface = agent`), deployment uses
//! `direct`, and `fake://` exists for tests and demos.

mod address;
mod family;
mod observed;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::Secret;

pub use address::parse_address;
pub use family::{Boot, Family, Identity, Scheme, Transport};
pub use observed::ObservedBmc;

/// Declares each family's module and lists its `FAMILY`. The order is the one the docs and the
/// unknown-scheme error list the schemes in. Adding a family: its file, and a line here.
macro_rules! families {
    ($($family:ident),+ $(,)?) => {
        $(mod $family;)+
        /// Every BMC family this crate drives.
        pub const FAMILIES: &[&Family] = &[$(&$family::FAMILY),+];
    };
}

families! {
    ipmi,
    redfish,
    idrac,
    ilo4,
    ilo5,
    ilo5_redfish,
    irmc,
    fake,
}

/// The form every error about a malformed address shows.
pub const EXPECTED_FORM: &str = "scheme://host[:port][/path]";

/// Every scheme accepted in a BMC address, transport variants included, in the families' order.
static ACCEPTED_SCHEMES: LazyLock<Vec<String>> =
    LazyLock::new(|| FAMILIES.iter().flat_map(|f| f.accepted()).collect());

/// Every scheme of every family, documented once: the provider's schema descriptions and docs
/// are built from it (`SCHEMES.iter()`, or `for scheme in SCHEMES`).
pub const SCHEMES: Schemes = Schemes;

/// The schemes of all `FAMILIES`, in order.
#[derive(Debug, Clone, Copy)]
pub struct Schemes;

impl Schemes {
    pub fn iter(self) -> impl Iterator<Item = &'static Scheme> {
        FAMILIES.iter().flat_map(|family| family.schemes)
    }
}

impl IntoIterator for Schemes {
    type Item = &'static Scheme;
    type IntoIter = Box<dyn Iterator<Item = &'static Scheme>>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Ironic hardware type used for `fake://` addresses.
pub const FAKE_DRIVER: &str = fake::DRIVER;

/// Every accepted scheme, transport variants included (`redfish`, `redfish+https`, ...).
pub fn accepted_schemes() -> &'static [String] {
    &ACCEPTED_SCHEMES
}

/// The family and scheme of a scheme as written in an address (`base[+transport]`, lowercase),
/// or `None` when no family accepts it (a transport the family lacks included).
pub fn lookup(full_scheme: &str) -> Option<(&'static Family, &'static Scheme)> {
    let (base, transport) = match full_scheme.split_once('+') {
        Some((base, transport)) => (base, Some(transport)),
        None => (full_scheme, None),
    };
    FAMILIES.iter().find_map(|family| {
        let scheme = family.scheme(base)?;
        let transport_ok =
            transport.is_none_or(|t| family.transports.iter().any(|known| known.name == t));
        transport_ok.then_some((*family, scheme))
    })
}

/// The family that produces an Ironic hardware type (the first, when several share it: they
/// share its keys too, which a test checks).
pub fn family_of_driver(driver: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .copied()
        .find(|family| family.driver == driver)
}

fn family_of(scheme: &str) -> Result<(&'static Family, &'static Scheme), BmcError> {
    lookup(scheme).ok_or_else(|| BmcError::UnknownScheme {
        scheme: scheme.to_owned(),
    })
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum BmcError {
    #[error("the BMC address is empty; expected {EXPECTED_FORM}, e.g. redfish://192.168.0.10/redfish/v1/Systems/1")]
    EmptyAddress,
    #[error("unknown BMC address scheme \"{scheme}\"; accepted schemes: {}", accepted_schemes().join(", "))]
    UnknownScheme { scheme: String },
    #[error("malformed BMC address \"{address}\": {reason}; expected {EXPECTED_FORM}")]
    Malformed { address: String, reason: String },
    #[error("BMC address \"{address}\" has no host; expected {EXPECTED_FORM}")]
    MissingHost { address: String },
    #[error("port \"{port}\" in BMC address \"{address}\" is not a number from 1 to 65535; expected {EXPECTED_FORM}")]
    BadPort { address: String, port: String },
    #[error("the BMC address must not contain credentials (user:password@host); set the BMC username and password instead")]
    CredentialsInAddress,
    #[error("the BMC {field} is empty; the {scheme} scheme needs BMC credentials")]
    MissingCredential { field: &'static str, scheme: String },
    #[error("IPMI privilege level \"{value}\" in BMC address \"{address}\" is not one of {}", ipmi::PRIVILEGE_LEVELS.join(", "))]
    BadPrivilegeLevel { address: String, value: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BmcCredentials {
    pub username: String,
    pub password: Secret,
}

/// A parsed BMC address. `host` is lowercase and without IPv6 brackets; `path` keeps its
/// leading `/` (empty when absent); `query` is the raw text after `?` (only IPMI reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BmcAddress {
    pub scheme: String,
    pub transport: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
    pub query: Option<String>,
}

impl BmcAddress {
    /// The scheme as written, with its transport: `redfish+https`.
    pub fn full_scheme(&self) -> String {
        match &self.transport {
            Some(transport) => format!("{}+{transport}", self.scheme),
            None => self.scheme.clone(),
        }
    }

    /// The host as it appears in a URL: IPv6 addresses in brackets.
    pub fn url_host(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// `host[:port]` as it appears in a URL.
    pub fn url_authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.url_host()),
            None => self.url_host(),
        }
    }
}

/// How the node will be deployed; picks `deploy_interface`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployMode {
    /// Write an image to disk: `direct` (`fake` for fake://).
    Image,
    /// Boot a live ISO: `ramdisk` (for fake://, with the `fake` boot interface).
    LiveIso,
    /// A custom deploy step: `custom-agent` (`fake` for fake://).
    CustomDeploy,
}

/// What Ironic needs to drive one BMC.
#[derive(Clone, PartialEq)]
pub struct DriverSettings {
    /// Ironic hardware type, e.g. `redfish`.
    pub driver: String,
    /// Ironic node field -> value, e.g. `boot_interface` -> `ipxe`. Interfaces not listed are
    /// left to Ironic's defaults for the hardware type.
    pub interfaces: BTreeMap<String, String>,
    /// Address and credentials under the family's keys. The caller adds the deploy images
    /// (`deploy_kernel`/`deploy_ramdisk`, or `deploy_iso` when `uses_virtual_media`).
    pub driver_info: Map<String, Value>,
    /// A boot port with the host's MAC must be created at enrollment.
    pub needs_boot_mac: bool,
    /// The agent boots from an ISO (virtual media or UEFI HTTP), so `deploy_iso` applies.
    pub uses_virtual_media: bool,
}

impl DriverSettings {
    pub fn is_fake(&self) -> bool {
        self.driver == FAKE_DRIVER
    }

    /// `driver_info` with every secret value replaced, safe to log.
    pub fn redacted_driver_info(&self) -> Map<String, Value> {
        redact_driver_info(&self.driver_info)
    }

    /// Inspection on (`agent`) or off (`no-inspect`). fake:// nodes need the `ipxe` boot
    /// interface and a boot port only for agent inspection; without it they boot `fake`.
    pub fn with_inspection(mut self, enabled: bool) -> Self {
        let inspect = if enabled { "agent" } else { "no-inspect" };
        self.set_interface("inspect_interface", inspect);
        if self.is_fake() {
            self.set_interface("boot_interface", if enabled { "ipxe" } else { "fake" });
            self.needs_boot_mac = enabled;
        }
        self
    }

    /// Sets `deploy_interface` for the way the host is deployed. Apply it when deploying, after
    /// inspection: for fake:// live ISOs it also switches the boot interface to `ipxe`.
    pub fn with_deploy_mode(mut self, mode: DeployMode) -> Self {
        let deploy = match (mode, self.is_fake()) {
            (DeployMode::LiveIso, _) => "ramdisk",
            (DeployMode::Image | DeployMode::CustomDeploy, true) => "fake",
            (DeployMode::Image, false) => "direct",
            (DeployMode::CustomDeploy, false) => "custom-agent",
        };
        self.set_interface("deploy_interface", deploy);
        // Ironic 39's `ramdisk` deploy needs a boot interface with the `ramdisk_boot`
        // capability, which `fake` lacks; `ipxe` has it (and with fake power nothing boots).
        if mode == DeployMode::LiveIso && self.is_fake() {
            self.set_interface("boot_interface", "ipxe");
            // iPXE boots from a port: Ironic refuses the deploy of a node without one.
            self.needs_boot_mac = true;
        }
        self
    }

    fn set_interface(&mut self, field: &str, value: &str) {
        self.interfaces.insert(field.to_owned(), value.to_owned());
    }
}

impl fmt::Debug for DriverSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DriverSettings")
            .field("driver", &self.driver)
            .field("interfaces", &self.interfaces)
            .field("driver_info", &self.redacted_driver_info())
            .field("needs_boot_mac", &self.needs_boot_mac)
            .field("uses_virtual_media", &self.uses_virtual_media)
            .finish()
    }
}

/// Whether a `driver_info` key holds a secret (passwords, tokens).
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["password", "passwd", "secret", "token"]
        .iter()
        .any(|word| key.contains(word))
}

/// A copy of `driver_info` with the values of secret keys replaced by `<redacted>`.
pub fn redact_driver_info(driver_info: &Map<String, Value>) -> Map<String, Value> {
    driver_info
        .iter()
        .map(|(key, value)| {
            let value = if is_secret_key(key) {
                Value::String("<redacted>".to_owned())
            } else {
                value.clone()
            };
            (key.clone(), value)
        })
        .collect()
}

/// The driver_info keys (username, password) holding the BMC credentials of an Ironic
/// hardware type, or `None` for a hardware type no family produces.
pub fn credential_keys(driver: &str) -> Option<(&'static str, &'static str)> {
    credential_key_pairs(driver).first().copied()
}

/// Every (username, password) key pair of a hardware type (see `Family::credential_keys`):
/// rotating credentials must update all of them. Empty for an unknown hardware type.
pub fn credential_key_pairs(driver: &str) -> &'static [(&'static str, &'static str)] {
    family_of_driver(driver).map_or(&[], |family| family.credential_keys)
}

/// Whether `key` holds a BMC credential of the hardware type.
pub fn is_credential_key(driver: &str, key: &str) -> bool {
    credential_key_pairs(driver)
        .iter()
        .any(|(user, password)| key == *user || key == *password)
}

/// The driver_info entries carrying `credentials` for a hardware type, e.g. for a PATCH that
/// rotates them. Empty for an unknown hardware type.
pub fn credential_driver_info(driver: &str, credentials: &BmcCredentials) -> Map<String, Value> {
    let mut info = Map::new();
    for (user_key, password_key) in credential_key_pairs(driver) {
        info.insert((*user_key).to_owned(), credentials.username.clone().into());
        info.insert(
            (*password_key).to_owned(),
            credentials.password.expose().to_owned().into(),
        );
    }
    info
}

/// Turns an address plus credentials into the Ironic driver, interfaces and driver_info.
/// `disable_certificate_verification` sets the family's `*_verify_ca` to false.
pub fn driver_settings(
    address: &str,
    credentials: &BmcCredentials,
    disable_certificate_verification: bool,
) -> Result<DriverSettings, BmcError> {
    let parsed = parse_address(address)?;
    let (family, scheme) = family_of(&parsed.full_scheme())?;
    if family.needs_credentials() {
        require_credentials(&parsed, credentials)?;
    }
    let mut driver_info = (family.driver_info)(&parsed, address)?;
    driver_info.extend(credential_driver_info(family.driver, credentials));
    if disable_certificate_verification {
        if let Some(key) = family.verify_ca_key {
            driver_info.insert(key.to_owned(), false.into());
        }
    }
    let interfaces = family::DEFAULT_INTERFACES
        .iter()
        .chain(family.interfaces)
        .chain(&[("boot_interface", scheme.boot_interface)])
        .map(|(field, value)| ((*field).to_owned(), (*value).to_owned()))
        .collect();
    Ok(DriverSettings {
        driver: family.driver.to_owned(),
        interfaces,
        driver_info,
        needs_boot_mac: scheme.boot == Boot::Network,
        uses_virtual_media: scheme.boot == Boot::Iso,
    })
}

/// The part of the address that identifies the machine: host, port (when not the scheme's
/// default) and, for Redfish-family schemes, the system path. Two addresses with the same
/// identity reach the same machine (a scheme or credential change is then an in-place update);
/// a different identity means a different machine, i.e. a replacement.
pub fn machine_identity(address: &str) -> Result<String, BmcError> {
    let parsed = parse_address(address)?;
    let (family, _) = family_of(&parsed.full_scheme())?;
    if family.identity == Identity::Text {
        return Ok(format!("fake:{}{}", parsed.host, parsed.path));
    }
    let host = match parsed.host.parse::<std::net::Ipv6Addr>() {
        Ok(v6) => format!("[{v6}]"),
        Err(_) => parsed.host.clone(),
    };
    // A port only distinguishes machines when it is not the protocol's default (several
    // virtual BMCs on one host); that keeps a protocol change on one BMC (ipmi -> redfish,
    // +http -> +https) the same machine.
    let port = match parsed.port {
        Some(port) if port != family.default_port(parsed.transport.as_deref()) => {
            format!(":{port}")
        }
        _ => String::new(),
    };
    let path = match family.identity {
        Identity::RedfishSystem => redfish::system_id(&parsed.path).unwrap_or_default(),
        Identity::Host | Identity::Text => String::new(),
    };
    Ok(format!("{host}{port}{path}"))
}

/// The address of a node rebuilt from its `driver_info` alone (enough to identify the machine;
/// the scheme variant may differ from what the user wrote), for the families that can.
pub fn address_from_driver_info(
    driver: &str,
    driver_info: &Map<String, Value>,
    boot_interface: Option<&str>,
) -> Option<String> {
    let read_back = family_of_driver(driver)?.read_back?;
    read_back(driver_info, boot_interface)
}

fn require_credentials(parsed: &BmcAddress, credentials: &BmcCredentials) -> Result<(), BmcError> {
    let missing = if credentials.username.is_empty() {
        Some("username")
    } else if credentials.password.is_empty() {
        Some("password")
    } else {
        None
    };
    match missing {
        Some(field) => Err(BmcError::MissingCredential {
            field,
            scheme: parsed.scheme.clone(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
