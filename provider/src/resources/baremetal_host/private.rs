//! The provider's private data kept by Terraform beside each host's state (never shown in a
//! plan): what was last applied, where the state alone cannot tell after a refresh.

use crate::host::arguments::{BmcConfig, HostConfig};
use metal3_core::lifecycle::hardware_settings::BiosSetting;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Private {
    /// `bmc.address` as last applied or imported. A refresh may read another address back from
    /// Ironic (changed behind Terraform's back); the host is replaced only when the
    /// configuration names another machine than this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bmc_address: Option<String>,
    /// `namespace` and `name` as last applied or imported: a node renamed in Ironic is read
    /// back, and named back in place, never replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Ironic's `inspection_finished_at` of the inspection the state's hardware details come
    /// from: a refresh reads the inventory again only after a newer inspection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspected_at: Option<String>,
    /// The host's BIOS registry as Ironic last read it (kept only for hosts with BIOS settings
    /// whose BMC publishes one): the next plan refuses `bios_settings` it does not allow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bios_registry: Option<Vec<BiosSetting>>,
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

    /// What a state or plan says was applied.
    pub fn of(state: &crate::codec::Value) -> Private {
        let text =
            |value: Option<&crate::codec::Value>| value.and_then(|v| v.as_str()).map(str::to_owned);
        Private {
            bmc_address: text(
                state
                    .get(HostConfig::NAMES.bmc)
                    .and_then(|b| b.get(BmcConfig::NAMES.address)),
            ),
            namespace: text(state.get(HostConfig::NAMES.namespace)),
            name: text(state.get(HostConfig::NAMES.name)),
            inspected_at: None,
            bios_registry: None,
        }
    }

    /// The same, with the BIOS registry last read.
    pub fn bios_registry(mut self, registry: Option<Vec<BiosSetting>>) -> Private {
        self.bios_registry = registry;
        self
    }

    /// The same, noting which inspection the state's hardware details come from.
    pub fn inspected_at(mut self, at: Option<&str>) -> Private {
        self.inspected_at = at.map(str::to_owned);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_garbage() {
        let private = Private {
            bmc_address: Some("redfish://10.0.0.1/redfish/v1/Systems/1".into()),
            namespace: Some("lab".into()),
            name: Some("w0".into()),
            inspected_at: Some("2026-12-01T10:00:00+00:00".into()),
            bios_registry: None,
        };
        assert_eq!(Private::decode(&private.encode()), private);
        assert_eq!(Private::decode(b""), Private::default());
        assert_eq!(Private::decode(b"not json"), Private::default());
        assert!(Private::default().encode().is_empty());
    }
}
