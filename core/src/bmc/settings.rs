//! An address and credentials turned into Ironic's driver settings, and the machine an address
//! names: the parser (`address.rs`) and the family registry (`mod.rs`) put together.

use super::{
    accepted_schemes, credential_driver_info, family, lookup, parse_address, redfish, BmcAddress,
    BmcCredentials, BmcError, Boot, DriverSettings, Family, Identity, Scheme,
};

fn family_of(scheme: &str) -> Result<(&'static Family, &'static Scheme), BmcError> {
    lookup(scheme).ok_or_else(|| BmcError::UnknownScheme {
        scheme: scheme.to_owned(),
        accepted: accepted_schemes(),
    })
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

/// The day-2 capabilities of the family an address belongs to, with its scheme (without
/// transport) for messages; `None` for an address no family accepts.
pub fn day2_support(address: &str) -> Option<(&'static super::Day2Support, &'static str)> {
    let parsed = parse_address(address).ok()?;
    let (family, scheme) = super::lookup(&parsed.full_scheme())?;
    Some((&family.day2, scheme.scheme))
}
