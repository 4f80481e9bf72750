//! The go-plugin handshake: the magic cookie, the protocol version, and the line on stdout.

use base64::Engine;

pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
pub const PROTOCOL_VERSION: u32 = 6;

/// What a person running the binary by hand sees.
pub fn not_a_command(info: &super::info::ProviderInfo) -> String {
    format!(
        "This binary is a plugin: {}, {}. It is not meant to be executed directly. Use it from \
         Terraform or OpenTofu (source \"{}\"), which starts it automatically. Run it with \
         --version to print its version, or --debug to start it for TF_REATTACH_PROVIDERS.",
        info.binary,
        info.about,
        info.address
            .split_once('/')
            .map_or(info.address, |(_, source)| source)
    )
}

pub fn cookie_ok(value: Option<&str>) -> bool {
    value == Some(MAGIC_COOKIE_VALUE)
}

/// Checks that Terraform offers protocol 6 (PLUGIN_PROTOCOL_VERSIONS, e.g. "5,6" in any order).
/// Unset means the client predates version negotiation; we answer 6 and let it decide.
pub fn negotiate(offered: Option<&str>) -> Result<u32, String> {
    let Some(offered) = offered else {
        return Ok(PROTOCOL_VERSION);
    };
    let wanted = PROTOCOL_VERSION.to_string();
    if offered.split(',').any(|v| v.trim() == wanted) {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(format!(
            "This provider speaks plugin protocol {PROTOCOL_VERSION} (Terraform 1.0 or later), \
             but the client offered only \"{offered}\"."
        ))
    }
}

/// `1|6|unix|/path|grpc|<base64 DER, standard alphabet, no padding>`; empty cert without TLS.
pub fn line(version: u32, socket: &std::path::Path, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("1|{version}|unix|{}|grpc|{cert}", socket.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_six_in_any_order() {
        assert_eq!(negotiate(Some("6,5")), Ok(6));
        assert_eq!(negotiate(Some("5, 6")), Ok(6));
        assert!(negotiate(Some("5")).is_err());
        assert!(negotiate(Some("")).is_err());
    }

    #[test]
    fn line_has_no_padding() {
        let l = line(6, std::path::Path::new("/tmp/p"), Some(&[1, 2, 3, 4]));
        assert_eq!(l, "1|6|unix|/tmp/p|grpc|AQIDBA");
        assert_eq!(
            line(6, std::path::Path::new("/s"), None),
            "1|6|unix|/s|grpc|"
        );
    }

    #[test]
    fn cookie_must_match_exactly() {
        assert!(cookie_ok(Some(MAGIC_COOKIE_VALUE)));
        assert!(!cookie_ok(None));
        assert!(!cookie_ok(Some("x")));
    }
}
