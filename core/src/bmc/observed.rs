//! A node's BMC settings as Ironic holds them, compared with an address: refresh uses it to see
//! a BMC changed in Ironic behind the engine's back (the plan then shows it).

use serde_json::{Map, Value};

use super::{driver_settings, is_credential_key, is_secret_key, lookup, parse_address};
use super::{BmcCredentials, FAKE_DRIVER};
use crate::Secret;

/// driver_info keys that do not come from the BMC address (agent images, set per provider).
const NOT_FROM_ADDRESS: &[&str] = &["deploy_kernel", "deploy_ramdisk", "deploy_iso"];

/// The driver and the address part of `driver_info` (never a secret) of a node.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObservedBmc {
    pub driver: String,
    driver_info: Map<String, Value>,
    /// The address rebuilt from `driver_info` alone (Redfish and IPMI), when possible.
    pub rebuilt_address: Option<String>,
}

impl ObservedBmc {
    pub fn new(
        driver: &str,
        driver_info: &Map<String, Value>,
        rebuilt_address: Option<String>,
    ) -> Self {
        let driver_info = driver_info
            .iter()
            .filter(|(key, _)| {
                !is_secret_key(key)
                    && !is_credential_key(driver, key)
                    && !NOT_FROM_ADDRESS.contains(&key.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        ObservedBmc {
            driver: driver.to_owned(),
            driver_info,
            rebuilt_address,
        }
    }

    /// Whether `address` (with the certificate setting) gives the driver and address settings
    /// the node holds. Credentials are not compared (Ironic masks passwords).
    pub fn matches(&self, address: &str, disable_certificate_verification: bool) -> bool {
        let placeholder = BmcCredentials {
            username: "-".into(),
            password: Secret::new("-"),
        };
        let Ok(settings) = driver_settings(address, &placeholder, disable_certificate_verification)
        else {
            return false;
        };
        if settings.driver != self.driver {
            return false;
        }
        let wanted = ObservedBmc::new(&settings.driver, &settings.driver_info, None).driver_info;
        let verify_key = parse_address(address)
            .ok()
            .and_then(|parsed| lookup(&parsed.full_scheme()))
            .and_then(|(family, _)| family.verify_ca_key);
        let same = |key: &str| {
            let held = self.driver_info.get(key);
            match (wanted.get(key), held) {
                (Some(want), Some(have)) => want == have || same_text(want, have),
                // Verification is on unless the key says false.
                (None, Some(have)) if Some(key) == verify_key => {
                    have != &Value::Bool(false) && have.as_str() != Some("false")
                }
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => true,
            }
        };
        wanted
            .keys()
            .chain(self.driver_info.keys())
            .all(|k| same(k))
    }

    /// Whether the node is Ironic's fake hardware (no address to compare beyond the driver).
    pub fn is_fake(&self) -> bool {
        self.driver == FAKE_DRIVER
    }
}

/// Ironic may hand back numbers as strings (e.g. `ipmi_port`).
fn same_text(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text(a) == text(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn observed(driver: &str, info: Value) -> ObservedBmc {
        ObservedBmc::new(driver, info.as_object().unwrap(), None)
    }

    #[test]
    fn the_same_address_matches_whatever_the_credentials_and_agent_images() {
        let node = observed(
            "redfish",
            json!({"redfish_address": "https://10.0.0.1", "redfish_system_id": "/redfish/v1/Systems/1",
                   "redfish_username": "admin", "redfish_password": "******",
                   "deploy_kernel": "http://k", "deploy_ramdisk": "http://r"}),
        );
        assert!(node.matches("redfish://10.0.0.1/redfish/v1/Systems/1", false));
        assert!(!node.matches("redfish://10.0.0.2/redfish/v1/Systems/1", false));
        assert!(!node.matches("redfish://10.0.0.1/redfish/v1/Systems/2", false));
        assert!(!node.matches("redfish://10.0.0.1/redfish/v1/Systems/1", true));
        assert!(!node.matches("ipmi://10.0.0.1", false));
    }

    #[test]
    fn disabled_verification_is_seen() {
        let node = observed(
            "redfish",
            json!({"redfish_address": "https://10.0.0.1", "redfish_verify_ca": false}),
        );
        assert!(node.matches("redfish://10.0.0.1", true));
        assert!(!node.matches("redfish://10.0.0.1", false));
    }

    #[test]
    fn fake_hosts_compare_the_driver_only() {
        let node = observed("fake-hardware", json!({"deploy_kernel": "http://k"}));
        assert!(node.matches("fake://anything", false));
        assert!(!observed("redfish", json!({})).matches("fake://x", false));
        assert!(node.is_fake());
    }

    #[test]
    fn ipmi_ports_may_come_back_as_strings() {
        let node = observed(
            "ipmi",
            json!({"ipmi_address": "10.0.0.3", "ipmi_port": "6230", "ipmi_priv_level": "ADMINISTRATOR"}),
        );
        assert!(node.matches("ipmi://10.0.0.3:6230", false));
    }
}
