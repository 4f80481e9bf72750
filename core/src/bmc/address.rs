//! Parsing of BMC addresses (`scheme://host[:port][/path][?query]`).
//!
//! Besides the canonical form, the forms BareMetalHost accepts are accepted too, so manifests move
//! over unchanged: `scheme:host` without the slashes, and a bare `host[:port]` meaning IPMI.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::error::BmcError;
use super::family::Identity;
use super::parsed::BmcAddress;
use super::{accepted_schemes, lookup};

/// Scheme used by BareMetalHost when an address has none.
const DEFAULT_SCHEME: &str = "ipmi";

pub fn parse_address(address: &str) -> Result<BmcAddress, BmcError> {
    if address.is_empty() {
        return Err(BmcError::EmptyAddress);
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(malformed(
            address,
            "it contains whitespace or control characters",
        ));
    }

    let (scheme_text, rest) = split_scheme(address)?;
    let full_scheme = scheme_text.to_ascii_lowercase();
    let Some((family, _)) = lookup(&full_scheme) else {
        return Err(BmcError::UnknownScheme {
            scheme: full_scheme,
            accepted: accepted_schemes(),
        });
    };
    let (scheme, transport) = match full_scheme.split_once('+') {
        Some((base, transport)) => (base.to_owned(), Some(transport.to_owned())),
        None => (full_scheme.clone(), None),
    };

    if family.identity == Identity::Text {
        // fake://<anything>: nothing is contacted, so nothing is validated beyond the scheme.
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        return Ok(BmcAddress {
            scheme,
            transport,
            host: host.to_owned(),
            port: None,
            path: path.to_owned(),
            query: None,
        });
    }

    if rest.contains('#') {
        return Err(malformed(address, "a '#' fragment is not allowed"));
    }
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (path, query) = match tail.split_once('?') {
        Some((path, query)) => (path, Some(query.to_owned())),
        None => (tail, None),
    };
    if authority.contains('@') {
        // Deliberately does not echo the address: it holds a password.
        return Err(BmcError::CredentialsInAddress);
    }

    let (host, port) = split_host_port(address, authority)?;
    Ok(BmcAddress {
        scheme,
        transport,
        host,
        port,
        path: path.to_owned(),
        query,
    })
}

/// Splits off the scheme; returns (scheme, rest after the separator).
fn split_scheme(address: &str) -> Result<(&str, &str), BmcError> {
    if let Some((scheme, rest)) = address.split_once("://") {
        if scheme.is_empty() {
            return Err(malformed(address, "the scheme before \"://\" is missing"));
        }
        return Ok((scheme, rest));
    }
    if let Some((scheme, rest)) = address.split_once(':') {
        if lookup(&scheme.to_ascii_lowercase()).is_some() {
            return Ok((scheme, rest));
        }
    }
    Ok((DEFAULT_SCHEME, address))
}

fn split_host_port(address: &str, authority: &str) -> Result<(String, Option<u16>), BmcError> {
    let (host, port_text) = if let Some(bracketed) = authority.strip_prefix('[') {
        let Some((inside, after)) = bracketed.split_once(']') else {
            return Err(malformed(
                address,
                "the '[' of an IPv6 host has no closing ']'",
            ));
        };
        if inside.parse::<Ipv6Addr>().is_err() {
            return Err(malformed(
                address,
                &format!("\"{inside}\" is not a valid IPv6 address"),
            ));
        }
        let port_text = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => {
                    return Err(malformed(
                        address,
                        "only \":port\" may follow the ']' of an IPv6 host",
                    ))
                }
            },
        };
        (inside.to_ascii_lowercase(), port_text)
    } else {
        if authority.matches(':').count() > 1 {
            return Err(malformed(
                address,
                "an IPv6 host must be written in brackets, e.g. redfish://[fd00::1]:8000/redfish/v1/Systems/1",
            ));
        }
        let (host, port_text) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err(BmcError::MissingHost {
                address: shown(address),
            });
        }
        if host.parse::<Ipv4Addr>().is_err() && !is_dns_name(host) {
            return Err(malformed(
                address,
                &format!("\"{host}\" is neither an IP address nor a valid host name"),
            ));
        }
        (host.to_ascii_lowercase(), port_text)
    };
    if host.is_empty() {
        return Err(BmcError::MissingHost {
            address: shown(address),
        });
    }
    let port = port_text
        .map(|text| parse_port(address, text))
        .transpose()?;
    Ok((host, port))
}

fn parse_port(address: &str, text: &str) -> Result<u16, BmcError> {
    let bad = || BmcError::BadPort {
        address: shown(address),
        port: text.to_owned(),
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(bad()),
        Ok(port) => Ok(port),
    }
}

/// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
fn is_dns_name(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn malformed(address: &str, reason: &str) -> BmcError {
    BmcError::Malformed {
        address: shown(address),
        reason: reason.to_owned(),
    }
}

/// The address as an error quotes it: whatever precedes the last `@` after the scheme (a
/// `user:password`, even one holding `/` or a space) is replaced by `***`, because the errors
/// about the rest of the address can come before credentials are looked for.
fn shown(address: &str) -> String {
    let (prefix, rest) = match address.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), address),
    };
    match rest.rfind('@').and_then(|at| rest.get(at..)) {
        Some(host) => format!("{prefix}***{host}"),
        None => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(address: &str) -> BmcAddress {
        parse_address(address).unwrap_or_else(|e| panic!("{address}: {e}"))
    }

    #[test]
    fn parses_canonical_and_bmo_forms() {
        // (address, scheme, transport, host, port, path, query)
        type Row = (
            &'static str,
            &'static str,
            Option<&'static str>,
            &'static str,
            Option<u16>,
            &'static str,
            Option<&'static str>,
        );
        let rows: &[Row] = &[
            (
                "ipmi://192.168.122.1:6233",
                "ipmi",
                None,
                "192.168.122.1",
                Some(6233),
                "",
                None,
            ),
            (
                "192.168.122.1",
                "ipmi",
                None,
                "192.168.122.1",
                None,
                "",
                None,
            ),
            (
                "bmc.example.com:623",
                "ipmi",
                None,
                "bmc.example.com",
                Some(623),
                "",
                None,
            ),
            (
                "[fe80::fc33:62ff:fe83:8a76]:6233",
                "ipmi",
                None,
                "fe80::fc33:62ff:fe83:8a76",
                Some(6233),
                "",
                None,
            ),
            (
                "ipmi:192.168.122.1:6233",
                "ipmi",
                None,
                "192.168.122.1",
                Some(6233),
                "",
                None,
            ),
            (
                "libvirt://192.168.122.1:6233/?abc=def",
                "libvirt",
                None,
                "192.168.122.1",
                Some(6233),
                "/",
                Some("abc=def"),
            ),
            (
                "redfish://192.168.122.1",
                "redfish",
                None,
                "192.168.122.1",
                None,
                "",
                None,
            ),
            (
                "redfish:192.168.122.1",
                "redfish",
                None,
                "192.168.122.1",
                None,
                "",
                None,
            ),
            (
                "REDFISH+HTTP://BMC.example.com:8000/redfish/v1/Systems/1",
                "redfish",
                Some("http"),
                "bmc.example.com",
                Some(8000),
                "/redfish/v1/Systems/1",
                None,
            ),
            (
                "redfish-virtualmedia+https://[fd00::1]/redfish/v1/Systems/abc",
                "redfish-virtualmedia",
                Some("https"),
                "fd00::1",
                None,
                "/redfish/v1/Systems/abc",
                None,
            ),
            (
                "ilo4+https://10.0.0.1:4443",
                "ilo4",
                Some("https"),
                "10.0.0.1",
                Some(4443),
                "",
                None,
            ),
            (
                "fake://anything-goes/here",
                "fake",
                None,
                "anything-goes",
                None,
                "/here",
                None,
            ),
            ("fake://", "fake", None, "", None, "", None),
        ];
        for (address, scheme, transport, host, port, path, query) in rows {
            let a = parsed(address);
            assert_eq!(a.scheme, *scheme, "{address}");
            assert_eq!(a.transport.as_deref(), *transport, "{address}");
            assert_eq!(a.host, *host, "{address}");
            assert_eq!(a.port, *port, "{address}");
            assert_eq!(a.path, *path, "{address}");
            assert_eq!(a.query.as_deref(), *query, "{address}");
        }
    }

    #[test]
    fn rejects_bad_addresses_with_reasons() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("redfish://", "no host"),
            ("redfish://:443/x", "no host"),
            ("redfish://[fe80::1/x", "closing ']'"),
            ("redfish://[fe80::zz]:443", "not a valid IPv6"),
            ("redfish://[fe80::1]x", "may follow the ']'"),
            ("redfish://fe80::1/x", "in brackets"),
            ("redfish://host:0/x", "port \"0\""),
            ("redfish://host:70000/x", "port \"70000\""),
            ("redfish://host:https/x", "port \"https\""),
            ("redfish://host:/x", "port \"\""),
            (
                "redfish://my-.host/x",
                "neither an IP address nor a valid host name",
            ),
            (
                "redfish://host_1/x",
                "neither an IP address nor a valid host name",
            ),
            ("redfish://host/x#frag", "fragment"),
            ("redfish://host /x", "whitespace"),
            ("://host", "scheme"),
        ];
        for (address, needle) in cases {
            let err = parse_address(address).expect_err(address).to_string();
            assert!(err.contains(needle), "{address}: {err}");
        }
    }

    #[test]
    fn malformed_errors_show_the_expected_form() {
        let err = parse_address("redfish://host:99999")
            .unwrap_err()
            .to_string();
        assert!(err.contains("scheme://host[:port][/path]"), "{err}");
        let err = parse_address("redfish://a..b").unwrap_err().to_string();
        assert!(err.contains("scheme://host[:port][/path]"), "{err}");
    }

    #[test]
    fn errors_found_before_the_credentials_never_quote_them() {
        for address in [
            "redfish://admin:pw-secret@10.0.0.1 /x",
            "redfish://admin:pw secret@10.0.0.1/x",
            "redfish://admin:pw/secret@10.0.0.1#frag",
            "ipmi://admin:pw-secret@h\t",
        ] {
            let error = parse_address(address).unwrap_err().to_string();
            assert!(!error.contains("secret"), "{address}: {error}");
        }
    }

    #[test]
    fn embedded_credentials_are_rejected_without_echoing_them() {
        let err = parse_address("redfish://admin:hunter2@10.0.0.1/redfish/v1/Systems/1")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("username"), "{err}");
    }

    #[test]
    fn host_names_follow_rfc1123() {
        assert!(is_dns_name("bmc-01.rack3.example.com"));
        assert!(is_dns_name("a"));
        assert!(!is_dns_name("-a"));
        assert!(!is_dns_name("a."));
        assert!(!is_dns_name(&"a".repeat(64)));
    }
}
