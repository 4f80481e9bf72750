use serde_json::json;

use super::*;

fn hw(level: &str) -> HardwareVolume {
    HardwareVolume {
        level: level.into(),
        ..Default::default()
    }
}

fn sw(level: &str, disks: &[&str]) -> SoftwareVolume {
    SoftwareVolume {
        level: level.into(),
        size_gibibytes: None,
        physical_disks: disks.iter().map(|d| d.to_string()).collect(),
    }
}

fn paths(raid: &RaidConfig) -> Vec<String> {
    raid.problems().into_iter().map(|p| p.path).collect()
}

#[test]
fn the_operators_rules_refuse_what_the_operator_refuses() {
    let both = RaidConfig {
        hardware_raid_volumes: vec![hw("1")],
        software_raid_volumes: vec![sw("1", &[])],
    };
    assert_eq!(paths(&both), vec![String::new()]);

    let mut disks_without_controller = hw("1");
    disks_without_controller.physical_disks = vec!["Disk.0".into(), "Disk.1".into()];
    disks_without_controller.number_of_physical_disks = Some(3);
    let raid = RaidConfig {
        hardware_raid_volumes: vec![disks_without_controller, hw("7")],
        ..Default::default()
    };
    assert_eq!(
        paths(&raid),
        vec![
            "hardware_raid_volumes[0].physical_disks",
            "hardware_raid_volumes[0].number_of_physical_disks",
            "hardware_raid_volumes[1].level",
        ]
    );

    let software = RaidConfig {
        software_raid_volumes: vec![sw("0", &[]), sw("5", &[]), sw("1", &[])],
        ..Default::default()
    };
    assert_eq!(
        paths(&software),
        vec![
            "software_raid_volumes",
            "software_raid_volumes[0].level",
            "software_raid_volumes[1].level",
        ]
    );
    let first = &software.problems()[1].message;
    assert!(first.contains("must be RAID-1"), "{first}");
}

#[test]
fn valid_configurations_have_no_problems() {
    let mut volume = hw("5");
    volume.controller = Some("RAID.Integrated.1-1".into());
    volume.physical_disks = vec!["a".into(), "b".into(), "c".into()];
    volume.number_of_physical_disks = Some(3);
    for raid in [
        RaidConfig::default(),
        RaidConfig {
            hardware_raid_volumes: vec![volume, hw("1+0")],
            ..Default::default()
        },
        RaidConfig {
            software_raid_volumes: vec![sw("1", &["/dev/sda", "/dev/sdb"]), sw("0", &[])],
            ..Default::default()
        },
    ] {
        assert_eq!(raid.problems(), vec![], "{raid:?}");
    }
}

#[test]
fn target_raid_config_is_ironics_logical_disks() {
    let mut first = hw("1");
    first.name = Some("root".into());
    first.size_gibibytes = Some(100);
    first.rotational = Some(false);
    first.controller = Some("RAID.Integrated.1-1".into());
    first.physical_disks = vec!["Disk.0".into(), "Disk.1".into()];
    let raid = RaidConfig {
        hardware_raid_volumes: vec![first, hw("5")],
        ..Default::default()
    };
    assert_eq!(
        raid.target_raid_config(),
        json!({"logical_disks": [
            {"raid_level": "1", "size_gb": 100, "is_root_volume": true, "volume_name": "root",
             "disk_type": "ssd", "physical_disks": ["Disk.0", "Disk.1"],
             "controller": "RAID.Integrated.1-1"},
            {"raid_level": "5", "size_gb": "MAX", "is_root_volume": false},
        ]})
    );
    let software = RaidConfig {
        software_raid_volumes: vec![sw("1", &["/dev/vda", "/dev/vdb"])],
        ..Default::default()
    };
    assert_eq!(
        software.target_raid_config(),
        json!({"logical_disks": [
            {"raid_level": "1", "size_gb": "MAX", "is_root_volume": true, "controller": "software",
             "physical_disks": [{"name": "/dev/vda"}, {"name": "/dev/vdb"}]},
        ]})
    );
    assert_eq!(software.named_disks(), vec!["/dev/vda", "/dev/vdb"]);
}
