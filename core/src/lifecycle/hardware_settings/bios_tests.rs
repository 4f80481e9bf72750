use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::bmc::{IDRAC_NAMES, ILO_NAMES};

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn firmware_switches_take_each_vendors_names() {
    let firmware = FirmwareConfig {
        simultaneous_multithreading_enabled: Some(false),
        sriov_enabled: None,
        virtualization_enabled: Some(true),
    };
    assert_eq!(
        firmware.bios_settings(&IDRAC_NAMES),
        map(&[
            ("LogicalProc", "Disabled"),
            ("ProcVirtualization", "Enabled")
        ])
    );
    assert_eq!(
        firmware.bios_settings(&ILO_NAMES),
        map(&[
            ("ProcHyperthreading", "Disabled"),
            ("ProcVirtualization", "Enabled")
        ])
    );
}

/// Ironic's `GET /v1/nodes/{node}/bios?detail=true` for a Redfish node whose BMC publishes
/// the DMTF example registry (the one sushy-tools serves): the fields Ironic 39 returns.
fn registry() -> Vec<BiosSetting> {
    parse_bios(&json!({"bios": [
        {"name": "ProcTurboMode", "value": "Enabled", "attribute_type": "Enumeration",
         "allowable_values": ["Enabled", "Disabled"], "lower_bound": null, "upper_bound": null,
         "min_length": null, "max_length": null, "read_only": false, "reset_required": null,
         "unique": null},
        {"name": "ProcCoreDisable", "value": "0", "attribute_type": "Integer",
         "allowable_values": null, "lower_bound": 0, "upper_bound": 16, "min_length": null,
         "max_length": null, "read_only": false},
        {"name": "AdminPhone", "value": "", "attribute_type": "String",
         "allowable_values": null, "min_length": 0, "max_length": 20, "read_only": false},
        {"name": "SerialNumber", "value": "437XR1138R2", "attribute_type": "String",
         "read_only": true},
        {"name": "not an entry"}
    ]}))
}

#[test]
fn the_registry_refuses_unknown_read_only_and_out_of_range_values() {
    let registry = registry();
    assert_eq!(registry.len(), 5);
    let wanted = map(&[
        ("ProcTurboMode", "Maybe"),
        ("ProcCoreDisable", "17"),
        ("AdminPhone", "+1 555 0100 0100 0100 0100"),
        ("SerialNumber", "x"),
        ("NoSuchThing", "1"),
    ]);
    let problems = check_against_registry(&wanted, &registry);
    let by_name: BTreeMap<&str, &str> = problems
        .iter()
        .map(|p| (p.name.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(by_name.len(), 5, "{problems:?}");
    assert!(by_name["ProcTurboMode"].contains("allowed: \"Enabled\", \"Disabled\""));
    assert!(by_name["ProcCoreDisable"].contains("allowed: 0 to 16"));
    assert!(by_name["AdminPhone"].contains("0 to 20 characters"));
    assert!(by_name["SerialNumber"].contains("read-only"));
    assert!(by_name["NoSuchThing"].contains("not a BIOS attribute"));

    let fine = map(&[("ProcTurboMode", "Disabled"), ("ProcCoreDisable", "16")]);
    assert_eq!(check_against_registry(&fine, &registry), vec![]);
}

#[test]
fn without_a_registry_nothing_is_refused() {
    // Ironic's fake BIOS interface keeps names and values only.
    let fake = parse_bios(&json!({"bios": [{"name": "ProcVirtualization", "value": "Enabled"}]}));
    let wanted = map(&[("Anything", "at all")]);
    assert_eq!(check_against_registry(&wanted, &fake), vec![]);
    assert_eq!(
        current_values(&fake),
        map(&[("ProcVirtualization", "Enabled")])
    );
}
