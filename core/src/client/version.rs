//! API microversion negotiation: Ironic's root document says which microversions it serves; we
//! pick the newest both sides know and send it as `X-OpenStack-Ironic-API-Version`.

use serde::Deserialize;

use super::api_version::ApiVersion;
use super::error::IronicError;

/// The oldest microversion we can work with. 1.81 added `GET /v1/nodes/{node}/inventory`, which
/// hardware details are built from; everything else we use is older (automated_clean 1.47,
/// configdrive as JSON 1.56, deploy_steps 1.69, disable_ramdisk 1.70). Ironic 2023.1 (Antelope)
/// and later serve it.
pub const MIN_API_VERSION: ApiVersion = ApiVersion::new(1, 81);

/// The newest microversion this client was written and tested against. Newer servers are asked for
/// this one, so a future change of a response format cannot surprise us.
pub const MAX_API_VERSION: ApiVersion = ApiVersion::new(1, 95);

/// The microversion range a server announces in its root document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerVersions {
    pub min: ApiVersion,
    pub max: ApiVersion,
}

#[derive(Deserialize)]
struct RootDocument {
    #[serde(default)]
    versions: Vec<VersionEntry>,
    #[serde(default)]
    default_version: Option<VersionEntry>,
}

#[derive(Deserialize)]
struct VersionEntry {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    min_version: Option<String>,
}

/// Reads the v1 entry of Ironic's root document (`GET /`).
pub fn parse_root_document(body: &[u8]) -> Result<ServerVersions, String> {
    let doc: RootDocument = serde_json::from_slice(body)
        .map_err(|e| format!("the root document is not Ironic's version document: {e}"))?;
    let entry = doc
        .versions
        .iter()
        .find(|v| v.id.as_deref() == Some("v1"))
        .or(doc.versions.first())
        .or(doc.default_version.as_ref())
        .ok_or("the root document lists no API versions (is this an Ironic API?)")?;
    let max = entry
        .version
        .as_deref()
        .ok_or("the root document has no maximum microversion (`version`)")?
        .parse()?;
    // Very old servers omit min_version; 1.1 is where microversions started.
    let min = match entry.min_version.as_deref() {
        Some(v) => v.parse()?,
        None => ApiVersion::new(1, 1),
    };
    Ok(ServerVersions { min, max })
}

/// Picks the newest microversion both sides know, or explains why there is none.
pub fn negotiate(server: ServerVersions) -> Result<ApiVersion, IronicError> {
    if server.max < MIN_API_VERSION {
        return Err(IronicError::VersionTooOld {
            server_max: server.max,
            required: MIN_API_VERSION,
        });
    }
    let chosen = server.max.min(MAX_API_VERSION);
    if chosen < server.min {
        return Err(IronicError::VersionTooNew {
            server_min: server.min,
            known_max: MAX_API_VERSION,
        });
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ApiVersion {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_orders_numerically() {
        assert!(v("1.100") > v("1.95"));
        assert_eq!(v("1.81").to_string(), "1.81");
        assert!("1".parse::<ApiVersion>().is_err());
        assert!("1.x".parse::<ApiVersion>().is_err());
    }

    #[test]
    fn reads_ironic_root_document() {
        let body = br#"{"name":"OpenStack Ironic API","versions":[{"id":"v1","links":[],
            "status":"CURRENT","version":"1.115","min_version":"1.1"}],
            "default_version":{"id":"v1","version":"1.115","min_version":"1.1"}}"#;
        let s = parse_root_document(body).unwrap();
        assert_eq!(s.min, v("1.1"));
        assert_eq!(s.max, v("1.115"));
        assert!(parse_root_document(b"<html>").is_err());
        assert!(parse_root_document(b"{}").is_err());
    }

    #[test]
    fn picks_the_lower_of_both_maxima() {
        let newer = ServerVersions {
            min: v("1.1"),
            max: v("1.115"),
        };
        assert_eq!(negotiate(newer).unwrap(), MAX_API_VERSION);
        let between = ServerVersions {
            min: v("1.1"),
            max: v("1.87"),
        };
        assert_eq!(negotiate(between).unwrap(), v("1.87"));
    }

    #[test]
    fn refuses_too_old_server_naming_both_versions() {
        let old = ServerVersions {
            min: v("1.1"),
            max: v("1.58"),
        };
        let msg = negotiate(old).unwrap_err().to_string();
        assert!(msg.contains("1.58") && msg.contains("1.81"), "{msg}");
    }
}
