//! BMC addresses to Ironic driver settings.
//!
//! A BareMetalHost-style address (`scheme://host[:port][/path]`) plus credentials becomes the
//! Ironic hardware type, the node's interface fields and its `driver_info`. Each scheme family
//! lives in its own module; this one parses, dispatches and holds the shared types.
//!
//! The mapping follows metal3-io/baremetal-operator (`pkg/hardwareutils/bmc/`), with this
//! project's differences: inspection is in-band (`inspect_interface = agent`), deployment uses
//! `direct`, and `fake://` exists for tests and demos.

mod address;
mod fake;
mod idrac;
mod ilo;
mod ipmi;
mod irmc;
mod observed;
mod redfish;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::Secret;

pub use address::parse_address;
pub use observed::ObservedBmc;

/// The form every error about a malformed address shows.
pub const EXPECTED_FORM: &str = "scheme://host[:port][/path]";

/// Every scheme accepted in a BMC address, transport variants included.
const ACCEPTED_SCHEMES: &[&str] = &[
    "ipmi",
    "libvirt",
    "redfish",
    "redfish+http",
    "redfish+https",
    "redfish-virtualmedia",
    "redfish-virtualmedia+http",
    "redfish-virtualmedia+https",
    "redfish-uefihttp",
    "redfish-uefihttp+http",
    "redfish-uefihttp+https",
    "idrac-redfish",
    "idrac-redfish+http",
    "idrac-redfish+https",
    "idrac-virtualmedia",
    "idrac-virtualmedia+http",
    "idrac-virtualmedia+https",
    "ilo4",
    "ilo4+https",
    "ilo4-virtualmedia",
    "ilo4-virtualmedia+https",
    "ilo5",
    "ilo5+https",
    "ilo5-redfish",
    "ilo5-redfish+http",
    "ilo5-redfish+https",
    "ilo5-virtualmedia",
    "ilo5-virtualmedia+http",
    "ilo5-virtualmedia+https",
    "irmc",
    "fake",
];

/// One kind of BMC address, as documented: its form and what it drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemeDoc {
    /// The scheme (without `+transport`).
    pub scheme: &'static str,
    /// The address form, transports included.
    pub form: &'static str,
    pub drives: &'static str,
}

/// Every accepted scheme, documented once: the provider's schema descriptions and docs are
/// built from this table (a test checks it covers `accepted_schemes`).
pub const SCHEMES: &[SchemeDoc] = &[
    SchemeDoc {
        scheme: "ipmi",
        form: "ipmi://host[:port]",
        drives: "IPMI (port 623 by default); network boot (iPXE)",
    },
    SchemeDoc {
        scheme: "libvirt",
        form: "libvirt://host[:port]",
        drives: "IPMI to a virtual BMC, as `ipmi`",
    },
    SchemeDoc {
        scheme: "redfish",
        form: redfish_forms::REDFISH,
        drives: "Redfish power and management; network boot (iPXE)",
    },
    SchemeDoc {
        scheme: "redfish-virtualmedia",
        form: redfish_forms::REDFISH_VIRTUALMEDIA,
        drives: "Redfish; boots the agent from virtual media",
    },
    SchemeDoc {
        scheme: "redfish-uefihttp",
        form: redfish_forms::REDFISH_UEFIHTTP,
        drives: "Redfish; UEFI HTTP boot",
    },
    SchemeDoc {
        scheme: "idrac-redfish",
        form: redfish_forms::IDRAC_REDFISH,
        drives: "Dell iDRAC over Redfish; network boot (iPXE)",
    },
    SchemeDoc {
        scheme: "idrac-virtualmedia",
        form: redfish_forms::IDRAC_VIRTUALMEDIA,
        drives: "Dell iDRAC over Redfish; virtual media",
    },
    SchemeDoc {
        scheme: "ilo4",
        form: "ilo4[+https]://host[:port]",
        drives: "HPE iLO 4; network boot (iPXE)",
    },
    SchemeDoc {
        scheme: "ilo4-virtualmedia",
        form: "ilo4-virtualmedia[+https]://host[:port]",
        drives: "HPE iLO 4; virtual media",
    },
    SchemeDoc {
        scheme: "ilo5",
        form: "ilo5[+https]://host[:port]",
        drives: "HPE iLO 5 (its own driver); network boot (iPXE)",
    },
    SchemeDoc {
        scheme: "ilo5-redfish",
        form: redfish_forms::ILO5_REDFISH,
        drives: "HPE iLO 5 over Redfish, as `redfish`; network boot (iPXE)",
    },
    SchemeDoc {
        scheme: "ilo5-virtualmedia",
        form: redfish_forms::ILO5_VIRTUALMEDIA,
        drives: "HPE iLO 5 over Redfish, as `redfish-virtualmedia`; virtual media",
    },
    SchemeDoc {
        scheme: "irmc",
        form: "irmc://host[:port]",
        drives: "Fujitsu iRMC; network boot (iPXE)",
    },
    SchemeDoc {
        scheme: "fake",
        form: "fake://<anything>",
        drives:
            "Ironic's `fake-hardware`, for tests and demos: no real machine, every Ironic state",
    },
];

/// The Redfish-family forms, spelled out (a `const` cannot concatenate at compile time).
mod redfish_forms {
    pub const REDFISH: &str = "redfish[+http|+https]://host[:port]/redfish/v1/Systems/<id>";
    pub const REDFISH_VIRTUALMEDIA: &str =
        "redfish-virtualmedia[+http|+https]://host[:port]/redfish/v1/Systems/<id>";
    pub const REDFISH_UEFIHTTP: &str =
        "redfish-uefihttp[+http|+https]://host[:port]/redfish/v1/Systems/<id>";
    pub const IDRAC_REDFISH: &str =
        "idrac-redfish[+http|+https]://host[:port]/redfish/v1/Systems/<id>";
    pub const IDRAC_VIRTUALMEDIA: &str =
        "idrac-virtualmedia[+http|+https]://host[:port]/redfish/v1/Systems/<id>";
    pub const ILO5_REDFISH: &str =
        "ilo5-redfish[+http|+https]://host[:port]/redfish/v1/Systems/<id>";
    pub const ILO5_VIRTUALMEDIA: &str =
        "ilo5-virtualmedia[+http|+https]://host[:port]/redfish/v1/Systems/<id>";
}

/// Ironic hardware type used for `fake://` addresses.
pub const FAKE_DRIVER: &str = "fake-hardware";

pub fn accepted_schemes() -> &'static [&'static str] {
    ACCEPTED_SCHEMES
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum BmcError {
    #[error("the BMC address is empty; expected {EXPECTED_FORM}, e.g. redfish://192.168.0.10/redfish/v1/Systems/1")]
    EmptyAddress,
    #[error("unknown BMC address scheme \"{scheme}\"; accepted schemes: {}", ACCEPTED_SCHEMES.join(", "))]
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
/// hardware type, or `None` for a hardware type this module does not produce.
pub fn credential_keys(driver: &str) -> Option<(&'static str, &'static str)> {
    credential_key_pairs(driver).first().copied()
}

/// Every (username, password) key pair of a hardware type: iRMC also drives IPMI, so it keeps
/// the credentials twice. Rotating credentials must update all of them.
pub fn credential_key_pairs(driver: &str) -> &'static [(&'static str, &'static str)] {
    match driver {
        "ipmi" => &[("ipmi_username", "ipmi_password")],
        "redfish" | "idrac" => &[("redfish_username", "redfish_password")],
        "ilo" | "ilo5" => &[("ilo_username", "ilo_password")],
        "irmc" => &[
            ("irmc_username", "irmc_password"),
            ("ipmi_username", "ipmi_password"),
        ],
        // Ironic ignores these for fake-hardware (and masks the password when read back);
        // keeping them lets credential changes be exercised on fake hosts.
        FAKE_DRIVER => &[("fake_username", "fake_password")],
        _ => &[],
    }
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
    if parsed.scheme != "fake" {
        require_credentials(&parsed, credentials)?;
    }
    let family = Family::of(&parsed.scheme)?;
    let mut settings = match family {
        Family::Ipmi => ipmi::settings(address, &parsed)?,
        Family::Redfish(boot) => redfish::settings(&parsed, boot),
        Family::Idrac { virtual_media } => idrac::settings(&parsed, virtual_media),
        Family::Ilo(kind) => ilo::settings(&parsed, kind),
        Family::Irmc => irmc::settings(&parsed),
        Family::Fake => fake::settings(&parsed),
    };
    settings
        .driver_info
        .extend(credential_driver_info(&settings.driver, credentials));
    if disable_certificate_verification {
        if let Some(key) = family.verify_ca_key() {
            settings.driver_info.insert(key.to_owned(), false.into());
        }
    }
    Ok(settings)
}

/// The part of the address that identifies the machine: host, port (when not the scheme's
/// default) and, for Redfish-family schemes, the system path. Two addresses with the same
/// identity reach the same machine (a scheme or credential change is then an in-place update);
/// a different identity means a different machine, i.e. a replacement.
pub fn machine_identity(address: &str) -> Result<String, BmcError> {
    let parsed = parse_address(address)?;
    let family = Family::of(&parsed.scheme)?;
    if family == Family::Fake {
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
    let path = match family {
        Family::Redfish(_) | Family::Idrac { .. } => {
            redfish::system_id(&parsed.path).unwrap_or_default()
        }
        _ => String::new(),
    };
    Ok(format!("{host}{port}{path}"))
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

/// How a Redfish-family host boots the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RedfishBoot {
    Ipxe,
    VirtualMedia,
    UefiHttp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IloKind {
    Ilo4,
    Ilo4VirtualMedia,
    Ilo5,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Ipmi,
    Redfish(RedfishBoot),
    Idrac { virtual_media: bool },
    Ilo(IloKind),
    Irmc,
    Fake,
}

impl Family {
    /// The family of a base scheme (without `+transport`).
    fn of(scheme: &str) -> Result<Family, BmcError> {
        Ok(match scheme {
            "ipmi" | "libvirt" => Family::Ipmi,
            "redfish" | "ilo5-redfish" => Family::Redfish(RedfishBoot::Ipxe),
            // BMO drives iLO 5 virtual media through the generic Redfish hardware type.
            "redfish-virtualmedia" | "ilo5-virtualmedia" => {
                Family::Redfish(RedfishBoot::VirtualMedia)
            }
            "redfish-uefihttp" => Family::Redfish(RedfishBoot::UefiHttp),
            "idrac-redfish" => Family::Idrac {
                virtual_media: false,
            },
            "idrac-virtualmedia" => Family::Idrac {
                virtual_media: true,
            },
            "ilo4" => Family::Ilo(IloKind::Ilo4),
            "ilo4-virtualmedia" => Family::Ilo(IloKind::Ilo4VirtualMedia),
            "ilo5" => Family::Ilo(IloKind::Ilo5),
            "irmc" => Family::Irmc,
            "fake" => Family::Fake,
            other => {
                return Err(BmcError::UnknownScheme {
                    scheme: other.to_owned(),
                })
            }
        })
    }

    fn verify_ca_key(self) -> Option<&'static str> {
        match self {
            Family::Redfish(_) | Family::Idrac { .. } => Some("redfish_verify_ca"),
            Family::Ilo(_) => Some("ilo_verify_ca"),
            Family::Irmc => Some("irmc_verify_ca"),
            // IPMI has no TLS; fake contacts nothing.
            Family::Ipmi | Family::Fake => None,
        }
    }

    fn default_port(self, transport: Option<&str>) -> u16 {
        match self {
            Family::Ipmi => ipmi::DEFAULT_PORT,
            Family::Redfish(_) | Family::Idrac { .. } if transport == Some("http") => 80,
            _ => 443,
        }
    }
}

/// Interface map from (field, value) pairs, plus the interfaces every real BMC shares: in-band
/// agent inspection and the `direct` deploy (see `DriverSettings::with_*` to change them).
fn interfaces(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    [
        ("inspect_interface", "agent"),
        ("deploy_interface", "direct"),
    ]
    .iter()
    .chain(pairs)
    .map(|(field, value)| ((*field).to_owned(), (*value).to_owned()))
    .collect()
}

#[cfg(test)]
mod tests;
