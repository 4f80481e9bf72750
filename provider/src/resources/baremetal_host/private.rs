//! The provider's private data kept by Terraform beside each host's state (never shown in a
//! plan): what was last applied, where the state alone cannot tell after a refresh.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Private {
    /// `bmc.address` as last applied or imported. A refresh may read another address back from
    /// Ironic (changed behind Terraform's back); the host is replaced only when the
    /// configuration names another machine than this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bmc_address: Option<String>,
}

impl Private {
    /// Decodes what an earlier version wrote; anything unreadable counts as nothing recorded.
    pub fn decode(bytes: &[u8]) -> Private {
        if bytes.is_empty() {
            return Private::default();
        }
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn encode(&self) -> Vec<u8> {
        if *self == Private::default() {
            return Vec::new();
        }
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn with_bmc_address(address: Option<&str>) -> Private {
        Private {
            bmc_address: address.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_garbage() {
        let private = Private::with_bmc_address(Some("redfish://10.0.0.1/redfish/v1/Systems/1"));
        assert_eq!(Private::decode(&private.encode()), private);
        assert_eq!(Private::decode(b""), Private::default());
        assert_eq!(Private::decode(b"not json"), Private::default());
        assert!(Private::default().encode().is_empty());
    }
}
