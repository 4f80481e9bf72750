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
mod error;
mod family;
mod observed;
mod parsed;
mod settings;
mod support;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::Secret;

pub use address::parse_address;
pub use error::{BmcError, EXPECTED_FORM};
pub use family::{Boot, Family, Identity, Scheme, Transport};
pub use observed::ObservedBmc;
pub use parsed::BmcAddress;
pub use settings::{day2_support, driver_settings, machine_identity};
pub use support::{Day2Support, FirmwareNames, IDRAC_NAMES, ILO_NAMES};

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BmcCredentials {
    pub username: String,
    pub password: Secret,
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

#[cfg(test)]
mod tests;
