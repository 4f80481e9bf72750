use std::collections::BTreeMap;

use serde_json::{json, Map};

use super::*;
use crate::bmc::ILO_NAMES;

fn settings() -> HardwareSettings {
    HardwareSettings {
        raid: Some(RaidConfig {
            hardware_raid_volumes: vec![HardwareVolume {
                level: "1".into(),
                ..Default::default()
            }],
            ..Default::default()
        }),
        firmware: FirmwareConfig {
            virtualization_enabled: Some(true),
            ..Default::default()
        },
        bios_settings: [("ProcTurboMode".to_string(), "Disabled".to_string())].into(),
        firmware_components: vec![FirmwareComponent {
            component: "bmc".into(),
            url: "http://files/bmc-1.3.bin".into(),
        }],
    }
}

#[test]
fn a_fresh_node_has_everything_pending_and_its_record_clears_it() {
    let wanted = settings();
    let nothing = HardwareSettings::default();
    let all = wanted.preparation(&nothing, None, Some(&ILO_NAMES));
    assert_eq!(
        all,
        Preparation {
            raid: RaidChange::Rebuild,
            bios: true,
            firmware: true
        }
    );
    let mut extra = Map::new();
    extra.insert(APPLIED.into(), wanted.record());
    let applied = HardwareSettings::applied(&extra);
    assert_eq!(applied, wanted);
    assert!(wanted
        .preparation(&applied, None, Some(&ILO_NAMES))
        .is_empty());
}

#[test]
fn bios_read_from_the_host_shows_drift_the_record_does_not() {
    let wanted = settings();
    let drifted: BTreeMap<String, String> = [
        ("ProcTurboMode".to_string(), "Enabled".to_string()),
        ("ProcVirtualization".to_string(), "Enabled".to_string()),
    ]
    .into();
    let p = wanted.preparation(&wanted, Some(&drifted), Some(&ILO_NAMES));
    assert_eq!(
        p,
        Preparation {
            bios: true,
            ..Default::default()
        }
    );
    let mut in_place = drifted.clone();
    in_place.insert("ProcTurboMode".into(), "Disabled".into());
    in_place.insert("Unrelated".into(), "x".into());
    assert!(wanted
        .preparation(&wanted, Some(&in_place), Some(&ILO_NAMES))
        .is_empty());
}

#[test]
fn raid_left_out_is_kept_and_empty_raid_is_deleted() {
    let applied = settings();
    let mut wanted = applied.clone();
    wanted.raid = None;
    assert_eq!(
        wanted.preparation(&applied, None, None).raid,
        RaidChange::None
    );
    wanted.raid = Some(RaidConfig::default());
    let p = wanted.preparation(&applied, None, None);
    assert_eq!(p.raid, RaidChange::Delete);
    assert_eq!(
        wanted.clean_steps(&p, None),
        vec![json!({"interface": "raid", "step": "delete_configuration"})]
    );
}

#[test]
fn clean_steps_build_raid_then_flash_then_set_the_bios() {
    let wanted = settings();
    let p = wanted.preparation(&HardwareSettings::default(), None, Some(&ILO_NAMES));
    let steps = wanted.clean_steps(&p, Some(&ILO_NAMES));
    let names: Vec<String> = steps
        .iter()
        .map(|s| {
            format!(
                "{}.{}",
                s["interface"].as_str().unwrap(),
                s["step"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            "raid.delete_configuration",
            "raid.create_configuration",
            "firmware.update",
            "bios.apply_configuration",
        ]
    );
    assert_eq!(
        steps[2]["args"],
        json!({"settings": [{"component": "bmc", "url": "http://files/bmc-1.3.bin"}]})
    );
    assert_eq!(
        steps[3]["args"],
        json!({"settings": [
            {"name": "ProcTurboMode", "value": "Disabled"},
            {"name": "ProcVirtualization", "value": "Enabled"},
        ]})
    );
}

#[test]
fn each_family_refuses_what_ironic_cannot_do_and_names_the_scheme() {
    let wanted = settings();
    let (ipmi, scheme) = crate::bmc::day2_support("ipmi://10.0.0.1").unwrap();
    let refused: Vec<Setting> = wanted
        .unsupported(ipmi, scheme)
        .into_iter()
        .map(|u| u.setting)
        .collect();
    assert_eq!(
        refused,
        vec![
            Setting::Raid,
            Setting::Firmware,
            Setting::BiosSettings,
            Setting::FirmwareComponents
        ]
    );
    let message = &wanted.unsupported(ipmi, scheme)[0].message;
    assert!(message.contains("\"ipmi\""), "{message}");

    let (redfish, scheme) = crate::bmc::day2_support("redfish://bmc/redfish/v1/Systems/1").unwrap();
    let refused: Vec<Setting> = wanted
        .unsupported(redfish, scheme)
        .into_iter()
        .map(|u| u.setting)
        .collect();
    // Generic Redfish has no vendor names for the `firmware` switches.
    assert_eq!(refused, vec![Setting::Firmware]);

    let (idrac, scheme) =
        crate::bmc::day2_support("idrac-virtualmedia://bmc/redfish/v1/Systems/1").unwrap();
    assert_eq!(wanted.unsupported(idrac, scheme), vec![]);
    assert_eq!(wanted.raid_interface(idrac), Some("idrac-redfish"));
    let software = HardwareSettings {
        raid: Some(RaidConfig {
            software_raid_volumes: vec![SoftwareVolume {
                level: "1".into(),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(software.raid_interface(idrac), Some("agent"));
    let (fake, scheme) = crate::bmc::day2_support("fake://x").unwrap();
    assert_eq!(software.unsupported(fake, scheme).len(), 1);
}

#[test]
fn firmware_component_names_follow_ironic() {
    let component = |name: &str| FirmwareComponent {
        component: name.into(),
        url: "http://x".into(),
    };
    for ok in ["bios", "bmc", "nic:NIC.Integrated.1"] {
        assert_eq!(component(ok).component_problem(), None, "{ok}");
    }
    for bad in ["BMC", "nic:", "cpld", ""] {
        assert!(component(bad).component_problem().is_some(), "{bad}");
    }
}

#[test]
fn a_software_raid_is_built_on_disks_erased_of_their_old_partitions() {
    let wanted = HardwareSettings {
        raid: Some(RaidConfig {
            software_raid_volumes: vec![SoftwareVolume {
                level: "1".into(),
                size_gibibytes: None,
                physical_disks: vec!["/dev/vda".into(), "/dev/vdb".into()],
            }],
            ..Default::default()
        }),
        ..Default::default()
    };
    let p = wanted.preparation(&HardwareSettings::default(), None, None);
    let steps: Vec<String> = wanted
        .clean_steps(&p, None)
        .iter()
        .map(|s| {
            format!(
                "{}.{}",
                s["interface"].as_str().unwrap(),
                s["step"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            "raid.delete_configuration",
            "deploy.erase_devices_metadata",
            "raid.create_configuration"
        ]
    );
}
