use super::*;
use crate::bmc::DeployMode;
use crate::lifecycle::spec::{
    AutomatedCleaningMode, BmcSpec, DiskFormat, ImageSpec, InspectionMode,
};
use crate::Secret;
use serde_json::json;

pub(in crate::lifecycle) fn spec() -> HostSpec {
    let mut spec = HostSpec::new(
        "ns",
        "h1",
        BmcSpec {
            address: "fake://h1".into(),
            username: "u".into(),
            password: Secret::new("p"),
            disable_certificate_verification: false,
        },
    );
    spec.boot_mac_address = Some("52:54:00:00:00:01".into());
    spec
}

pub(in crate::lifecycle) fn image() -> ImageSpec {
    ImageSpec {
        url: "http://f/img.qcow2".into(),
        checksum: Some("a".repeat(64)),
        checksum_type: None,
        disk_format: Some(DiskFormat::Qcow2),
    }
}

/// A bare node in `state` (moving to `target`) with `power`: what the delete decision reads.
pub(in crate::lifecycle) fn node_at(state: &str, target: Option<&str>, power: &str) -> Node {
    Node {
        uuid: "u-1".into(),
        provision_state: Some(state.into()),
        target_provision_state: target.map(Into::into),
        power_state: Some(power.into()),
        ..Node::default()
    }
}

/// A node already matching the spec's fields in `state`.
fn node(spec: &HostSpec, state: &str) -> Node {
    let settings =
        desired_settings(spec, &ProvisionState::parse(state), &AgentImages::default()).unwrap();
    let mut node = Node {
        uuid: "u-1".into(),
        name: Some(spec.node_name()),
        driver: settings.driver.clone(),
        driver_info: settings.driver_info.clone(),
        provision_state: Some(state.into()),
        power_state: Some("power on".into()),
        automated_clean: Some(true),
        ..Node::default()
    };
    node.properties.insert(
        "capabilities".into(),
        capabilities_with_boot_mode("", spec).into(),
    );
    node.extra = identity_extra(spec);
    let mut value = serde_json::to_value(&node).unwrap();
    for (field, iface) in &settings.interfaces {
        value[field] = json!(iface);
    }
    serde_json::from_value(value).unwrap()
}

/// An `active` node recording (in `extra`) that it was deployed with [`image`].
fn recorded_active(spec: &HostSpec) -> Node {
    let mut active = node(spec, "active");
    active
        .extra
        .insert(persist::IMAGE.into(), persist::image_to_extra(&image()));
    active
}

/// An `active` node with no record, whose instance_info says it runs `url`.
fn running(spec: &HostSpec, url: &str) -> Node {
    let mut active = node(spec, "active");
    active
        .instance_info
        .insert("image_source".into(), url.into());
    active
}

fn step(spec: &HostSpec, node: &Node) -> Step {
    let settings = desired_settings(spec, &node.state(), &AgentImages::default()).unwrap();
    next_step(spec, node, &settings, &Attempts::default())
}

#[test]
fn a_new_host_goes_manage_inspect_provide() {
    let spec = spec();
    assert_eq!(step(&spec, &node(&spec, "enroll")), Step::Manage);
    assert_eq!(step(&spec, &node(&spec, "manageable")), Step::Inspect);
    let mut inspected = node(&spec, "manageable");
    inspected.inspection_finished_at = Some("2026-01-01T00:00:00".into());
    assert_eq!(step(&spec, &inspected), Step::Provide);
    assert_eq!(step(&spec, &node(&spec, "available")), Step::Done);
}

#[test]
fn inspection_disabled_skips_inspect() {
    let mut spec = spec();
    spec.inspection_mode = InspectionMode::Disabled;
    assert_eq!(step(&spec, &node(&spec, "manageable")), Step::Provide);
}

#[test]
fn transitions_in_progress_are_waited_for() {
    let spec = spec();
    let mut busy = node(&spec, "cleaning");
    busy.target_provision_state = Some("available".into());
    assert_eq!(step(&spec, &busy), Step::Settle);
}

#[test]
fn an_image_deploys_then_is_done_then_changes_rebuild() {
    let mut spec = spec();
    spec.image = Some(image());
    assert_eq!(
        step(&spec, &node(&spec, "available")),
        Step::Deploy(DeployMode::Image)
    );
    let active = recorded_active(&spec);
    assert_eq!(step(&spec, &active), Step::Done);
    spec.image.as_mut().unwrap().url = "http://f/other.qcow2".into();
    assert_eq!(step(&spec, &active), Step::Rebuild);
    spec.image = None;
    assert_eq!(step(&spec, &active), Step::Deprovision);
}

#[test]
fn image_to_live_iso_deprovisions_first() {
    let mut spec = spec();
    spec.image = Some(image());
    let active = recorded_active(&spec);
    spec.image = Some(ImageSpec {
        url: "http://f/live.iso".into(),
        checksum: None,
        checksum_type: None,
        disk_format: Some(DiskFormat::LiveIso),
    });
    assert_eq!(step(&spec, &active), Step::Deprovision);
}

#[test]
fn an_active_node_without_record_is_taken_as_is() {
    let mut spec = spec();
    spec.image = Some(image());
    assert_eq!(step(&spec, &node(&spec, "active")), Step::RecordDeployment);
    // Running the spec's image, as Ironic's instance_info says: still only recorded.
    let running = running(&spec, &image().url);
    assert_eq!(step(&spec, &running), Step::RecordDeployment);
}

#[test]
fn an_active_node_without_record_running_another_image_is_redeployed() {
    let mut spec = spec();
    spec.image = Some(image());
    let other = running(&spec, "http://f/old.qcow2");
    assert_eq!(step(&spec, &other), Step::Rebuild);
}

#[test]
fn externally_provisioned_adopts_and_never_deploys() {
    let mut spec = spec();
    spec.externally_provisioned = true;
    spec.image = Some(image());
    assert_eq!(step(&spec, &node(&spec, "manageable")), Step::Adopt);
    assert_eq!(step(&spec, &node(&spec, "available")), Step::Manage);
    // Active without a record (imported): the adoption and image are recorded, nothing more.
    let mut active = node(&spec, "active");
    assert_eq!(step(&spec, &active), Step::RecordDeployment);
    active
        .extra
        .insert(persist::EXTERNALLY_PROVISIONED.into(), true.into());
    active
        .extra
        .insert(persist::IMAGE.into(), persist::image_to_extra(&image()));
    assert_eq!(step(&spec, &active), Step::Done);
    // An image change on an adopted host is recorded only.
    spec.image = Some(ImageSpec {
        url: "http://f/other.qcow2".into(),
        ..image()
    });
    assert_eq!(step(&spec, &active), Step::RecordDeployment);
}

#[test]
fn power_follows_online_when_stable() {
    let mut spec = spec();
    spec.inspection_mode = InspectionMode::Disabled;
    spec.online = false;
    assert_eq!(step(&spec, &node(&spec, "available")), Step::Power(false));
    let mut moving = node(&spec, "available");
    moving.target_power_state = Some("power off".into());
    assert_eq!(step(&spec, &moving), Step::Settle);
}

#[test]
fn unknown_power_is_changed_only_on_unprovisioned_hosts() {
    // An adopted node Ironic has not read the power of yet: neither `online` value sends a
    // power change until Ironic knows whether the host runs. An `available` one (cleaned,
    // nothing running) is powered as the spec says.
    let mut spec = spec();
    spec.inspection_mode = InspectionMode::Disabled;
    for online in [false, true] {
        spec.online = online;
        for state in ["available", "active"] {
            spec.externally_provisioned = state == "active";
            spec.image = (state == "active").then(image);
            let mut unknown = node(&spec, state);
            if state == "active" {
                unknown
                    .extra
                    .insert(persist::EXTERNALLY_PROVISIONED.into(), true.into());
                unknown
                    .extra
                    .insert(persist::IMAGE.into(), persist::image_to_extra(&image()));
            }
            unknown.power_state = None;
            let expected = if state == "active" {
                Step::Done
            } else {
                Step::Power(online)
            };
            assert_eq!(step(&spec, &unknown), expected, "{state} online={online}");
        }
    }
}

#[test]
fn destroy_powers_off_a_host_whose_power_is_unknown_when_asked() {
    let spec = spec();
    let mut adopted = node(&spec, "active");
    adopted
        .extra
        .insert(persist::EXTERNALLY_PROVISIONED.into(), true.into());
    adopted.power_state = None;
    let options = |power_off| DeleteOptions {
        cleaning: AutomatedCleaningMode::Metadata,
        power_off,
        externally_provisioned: true,
        maintenance_to_end: None,
    };
    assert_eq!(delete_step(&adopted, &options(true)), DeleteStep::PowerOff);
    assert_ne!(delete_step(&adopted, &options(false)), DeleteStep::PowerOff);
    adopted.power_state = Some("power off".into());
    assert_ne!(delete_step(&adopted, &options(true)), DeleteStep::PowerOff);
}

#[test]
fn unset_automated_clean_is_metadata_and_not_written() {
    let spec = spec();
    assert_eq!(
        spec.automated_cleaning_mode,
        AutomatedCleaningMode::Metadata
    );
    let mut adopted = node(&spec, "available");
    adopted.automated_clean = None;
    assert_eq!(step(&spec, &adopted), Step::Done);
}

#[test]
fn failed_states_recover() {
    let spec = spec();
    assert_eq!(step(&spec, &node(&spec, "inspect failed")), Step::Manage);
    assert_eq!(step(&spec, &node(&spec, "clean failed")), Step::Manage);
    assert_eq!(
        step(&spec, &node(&spec, "deploy failed")),
        Step::Deprovision
    );
    let mut failed = node(&spec, "enroll");
    failed.last_error = Some("401".into());
    assert_eq!(step(&spec, &failed), Step::RetryRegistration);
    let settings =
        desired_settings(&spec, &ProvisionState::Enroll, &AgentImages::default()).unwrap();
    let tried = Attempts {
        registration_retried: true,
        ..Attempts::default()
    };
    assert_eq!(next_step(&spec, &failed, &settings, &tried), Step::Done);
}

#[test]
fn field_changes_are_patched_without_secrets() {
    let mut spec = spec();
    let mut current = node(&spec, "available");
    spec.description = Some("rack 4".into());
    spec.automated_cleaning_mode = AutomatedCleaningMode::Disabled;
    let Step::Patch(ops) = step(&spec, &current) else {
        panic!("expected a patch");
    };
    let text = serde_json::to_string(&ops).unwrap();
    assert!(text.contains("/description"), "{text}");
    assert!(text.contains("/automated_clean"), "{text}");
    assert!(!text.contains("fake_password"), "{text}");
    current.description = Some("rack 4".into());
    current.automated_clean = Some(false);
    assert_eq!(step(&spec, &current), Step::Done);
}

#[test]
fn live_iso_interfaces_wait_until_available() {
    let mut spec = spec();
    spec.image = Some(ImageSpec {
        url: "http://f/live.iso".into(),
        checksum: None,
        checksum_type: None,
        disk_format: Some(DiskFormat::LiveIso),
    });
    let images = AgentImages::default();
    let early = desired_settings(&spec, &ProvisionState::Manageable, &images).unwrap();
    assert_eq!(early.interfaces["boot_interface"], "ipxe");
    assert_eq!(early.interfaces["deploy_interface"], "fake");
    let late = desired_settings(&spec, &ProvisionState::Available, &images).unwrap();
    assert_eq!(late.interfaces["boot_interface"], "ipxe");
    assert_eq!(late.interfaces["deploy_interface"], "ramdisk");
}

#[test]
fn boot_mode_keeps_other_capabilities() {
    let mut spec = spec();
    spec.boot_mode = crate::lifecycle::spec::BootMode::Legacy;
    assert_eq!(
        capabilities_with_boot_mode("cpu_vt:true,boot_mode:uefi", &spec),
        "cpu_vt:true,boot_mode:bios"
    );
}

#[test]
fn clearing_a_description_removes_it() {
    let spec = spec();
    let mut described = node(&spec, "available");
    described.description = Some("old".into());
    let Step::Patch(ops) = step(&spec, &described) else {
        panic!("expected a patch");
    };
    // `replace` with null gives HTTP 500 in Ironic 39.
    assert_eq!(
        serde_json::to_value(&ops).unwrap(),
        json!([{"op": "remove", "path": "/description"}])
    );
}

#[test]
fn maintenance_is_left_before_anything_else() {
    let mut spec = spec();
    spec.description = Some("changed".into());
    let mut held = node(&spec, "active");
    held.maintenance = true;
    held.maintenance_reason = Some("bad DIMM".into());
    held.target_provision_state = Some("active".into());
    let settings = desired_settings(&spec, &held.state(), &AgentImages::default()).unwrap();
    let announced = Attempts {
        maintenance_to_end: Some("bad DIMM".into()),
        ..Attempts::default()
    };
    assert_eq!(
        next_step(&spec, &held, &settings, &announced),
        Step::EndMaintenance
    );
}

#[test]
fn maintenance_the_plan_did_not_see_stops_everything() {
    let mut spec = spec();
    spec.description = Some("changed".into());
    let mut held = node(&spec, "available");
    held.maintenance = true;
    held.maintenance_reason = Some("bad DIMM".into());
    // Set while a create ran, or after `plan -out`: nothing announced ending it.
    assert_eq!(step(&spec, &held), Step::StopForMaintenance);
    let settings = desired_settings(&spec, &held.state(), &AgentImages::default()).unwrap();
    let other = Attempts {
        maintenance_to_end: Some("fan".into()),
        ..Attempts::default()
    };
    assert_eq!(
        next_step(&spec, &held, &settings, &other),
        Step::StopForMaintenance
    );
}

#[test]
fn new_credentials_go_after_the_fields_and_before_power() {
    let mut spec = spec();
    spec.inspection_mode = InspectionMode::Disabled;
    spec.description = Some("changed".into());
    spec.online = false;
    let current = node(&spec, "available");
    let settings =
        desired_settings(&spec, &ProvisionState::Available, &AgentImages::default()).unwrap();
    let rotate = Attempts {
        rotate_credentials: true,
        ..Attempts::default()
    };
    let mut described = current.clone();
    assert!(matches!(
        next_step(&spec, &described, &settings, &rotate),
        Step::Patch(_)
    ));
    described.description = Some("changed".into());
    assert_eq!(
        next_step(&spec, &described, &settings, &rotate),
        Step::RotateCredentials
    );
    assert_eq!(
        next_step(&spec, &described, &settings, &Attempts::default()),
        Step::Power(false)
    );
}

#[test]
fn another_image_deployed_outside_the_engine_is_redeployed() {
    let mut spec = spec();
    spec.image = Some(image());
    let mut active = recorded_active(&spec);
    active
        .instance_info
        .insert("image_source".into(), image().url.into());
    assert_eq!(step(&spec, &active), Step::Done);
    active
        .instance_info
        .insert("image_source".into(), "http://f/someone-elses.qcow2".into());
    assert_eq!(step(&spec, &active), Step::Rebuild);
}

#[test]
fn a_kept_inspection_is_not_repeated() {
    let spec = spec();
    let mut reregistered = node(&spec, "manageable");
    reregistered
        .extra
        .insert(persist::HARDWARE_KEPT.into(), true.into());
    assert_eq!(step(&spec, &reregistered), Step::Provide);
}

mod delete {
    use super::*;
    use crate::lifecycle::spec::AutomatedCleaningMode;

    fn options(externally_provisioned: bool) -> DeleteOptions {
        DeleteOptions {
            cleaning: AutomatedCleaningMode::Metadata,
            power_off: true,
            externally_provisioned,
            maintenance_to_end: None,
        }
    }

    use super::node_at as at;

    #[test]
    fn a_deployed_host_is_deprovisioned_first() {
        for state in ["active", "deploy failed", "error"] {
            assert_eq!(
                delete_step(&at(state, None, "power on"), &options(false)),
                DeleteStep::Deprovision,
                "{state}"
            );
        }
    }

    #[test]
    fn an_externally_provisioned_host_is_never_deprovisioned() {
        let adopted = at("active", None, "power on");
        assert_eq!(delete_step(&adopted, &options(true)), DeleteStep::PowerOff);
        let mut off = at("active", None, "power off");
        assert_eq!(delete_step(&off, &options(true)), DeleteStep::Maintenance);
        // The engine's own maintenance, set to delete.
        off.maintenance = true;
        off.maintenance_reason = Some(DELETE_MAINTENANCE_REASON.into());
        assert_eq!(delete_step(&off, &options(true)), DeleteStep::Delete);
        // An operator's, set after the destroy plan: a stop sign, even for deleting.
        off.maintenance_reason = Some("bad DIMM".into());
        assert_eq!(
            delete_step(&off, &options(true)),
            DeleteStep::StopForMaintenance
        );
        // The node's own record says so too, whatever the caller believes.
        let mut recorded = at("active", None, "power off");
        recorded
            .extra
            .insert(persist::EXTERNALLY_PROVISIONED.into(), true.into());
        assert_eq!(
            delete_step(&recorded, &options(false)),
            DeleteStep::Maintenance
        );
    }

    #[test]
    fn power_is_left_alone_when_asked() {
        let mut keep_on = options(true);
        keep_on.power_off = false;
        assert_eq!(
            delete_step(&at("active", None, "power on"), &keep_on),
            DeleteStep::Maintenance
        );
        assert_eq!(
            delete_step(&at("available", None, "power on"), &keep_on),
            DeleteStep::Delete
        );
    }

    #[test]
    fn waits_on_an_agent_are_ended() {
        for state in ["inspect wait", "clean wait", "rescue wait"] {
            assert_eq!(
                delete_step(&at(state, Some("x"), "power on"), &options(false)),
                DeleteStep::Abort,
                "{state}"
            );
        }
        // `abort` in wait call-back needs API 1.110: undeploy instead.
        assert_eq!(
            delete_step(
                &at("wait call-back", Some("active"), "power on"),
                &options(false)
            ),
            DeleteStep::Deprovision
        );
        assert_eq!(
            delete_step(
                &at("deploying", Some("active"), "power on"),
                &options(false)
            ),
            DeleteStep::Settle
        );
    }

    #[test]
    fn failed_inspection_or_cleaning_goes_back_to_manageable() {
        for state in ["inspect failed", "clean failed"] {
            assert_eq!(
                delete_step(&at(state, None, "power off"), &options(false)),
                DeleteStep::Manage
            );
        }
        assert_eq!(
            delete_step(&at("enroll", None, "power on"), &options(false)),
            DeleteStep::Delete,
            "a node in enroll may have no working BMC to power off with"
        );
    }

    #[test]
    fn maintenance_set_outside_is_left_before_a_deprovision_only_when_announced() {
        let mut held = at("active", None, "power on");
        held.maintenance = true;
        held.maintenance_reason = Some("bad DIMM".into());
        let announced = |reason: &str| DeleteOptions {
            maintenance_to_end: Some(reason.into()),
            ..options(false)
        };
        assert_eq!(
            delete_step(&held, &announced("bad DIMM")),
            DeleteStep::EndMaintenance
        );
        // Set after the plan, or with another reason than the plan saw: a stop sign.
        assert_eq!(
            delete_step(&held, &options(false)),
            DeleteStep::StopForMaintenance
        );
        assert_eq!(
            delete_step(&held, &announced("fan")),
            DeleteStep::StopForMaintenance
        );
        // The engine's own maintenance (set to delete) is always its to end.
        held.maintenance_reason = Some(DELETE_MAINTENANCE_REASON.into());
        assert_eq!(
            delete_step(&held, &options(false)),
            DeleteStep::EndMaintenance
        );
        assert_eq!(delete_step(&held, &options(true)), DeleteStep::PowerOff);
    }
}

#[test]
fn a_live_iso_change_deprovisions_then_deploys() {
    let live = |url: &str| ImageSpec {
        url: url.into(),
        checksum: None,
        checksum_type: None,
        disk_format: Some(DiskFormat::LiveIso),
    };
    let mut spec = spec();
    spec.image = Some(live("http://f/a.iso"));
    let mut active = node(&spec, "active");
    active.extra.insert(
        persist::IMAGE.into(),
        persist::image_to_extra(&live("http://f/a.iso")),
    );
    assert_eq!(step(&spec, &active), Step::Done);
    spec.image = Some(live("http://f/b.iso"));
    assert_eq!(step(&spec, &active), Step::Deprovision);
}

#[test]
fn an_unwanted_deployment_waiting_for_its_agent_is_stopped() {
    let mut spec = spec();
    spec.image = Some(image());
    let mut waiting = node(&spec, "wait call-back");
    waiting.target_provision_state = Some("active".into());
    waiting
        .extra
        .insert(persist::IMAGE.into(), persist::image_to_extra(&image()));
    assert_eq!(step(&spec, &waiting), Step::Settle);
    spec.image = None;
    assert_eq!(step(&spec, &waiting), Step::Deprovision);
}

#[test]
fn a_deployed_boot_mode_changed_in_ironic_is_put_back() {
    let spec = spec();
    let mut active = node(&spec, "active");
    active.instance_info = crate::lifecycle::deploy::instance_info(&spec);
    let settings = desired_settings(&spec, &active.state(), &AgentImages::default()).unwrap();
    let sets_boot_mode = |ops: &[PatchOp]| {
        ops.iter().find_map(|op| match op {
            PatchOp::Add { path, value } if path == "/instance_info/capabilities" => {
                Some(value.clone())
            }
            _ => None,
        })
    };
    assert_eq!(
        sets_boot_mode(&field_patch(&spec, &active, &settings)),
        None
    );
    // Someone set legacy BIOS boot on the deployed node: read back (the plan shows it) and
    // put back by apply.
    active
        .instance_info
        .insert("capabilities".into(), json!({"boot_mode": "bios"}));
    assert_eq!(
        crate::lifecycle::observe::boot_mode(&active),
        Some(crate::lifecycle::spec::BootMode::Legacy)
    );
    assert_eq!(
        sets_boot_mode(&field_patch(&spec, &active, &settings)),
        Some(json!({"boot_mode": "uefi"}))
    );
}

#[test]
fn a_hosts_own_agent_replaces_the_callers_and_is_put_back_when_changed() {
    let callers = AgentImages {
        deploy_kernel_url: Some("http://all/k".into()),
        deploy_ramdisk_url: Some("http://all/r".into()),
        deploy_iso_url: None,
    };
    let mut own = spec();
    own.deploy_image = Some(crate::lifecycle::spec::DeployImage {
        kernel_url: Some("http://own/k".into()),
        ramdisk_url: Some("http://own/r".into()),
        iso_url: None,
    });
    let state = ProvisionState::parse("manageable");
    let settings = desired_settings(&own, &state, &callers).unwrap();
    assert_eq!(settings.driver_info["deploy_kernel"], json!("http://own/k"));
    assert_eq!(
        settings.driver_info["deploy_ramdisk"],
        json!("http://own/r")
    );
    // Without its own, the host has the caller's.
    let settings_all = desired_settings(&spec(), &state, &callers).unwrap();
    assert_eq!(
        settings_all.driver_info["deploy_kernel"],
        json!("http://all/k")
    );
    // A node set up with the caller's images is patched to the host's own, and reads back so.
    let mut node = node(&spec(), "manageable");
    node.driver_info = settings_all.driver_info.clone();
    let ops = field_patch(&own, &node, &settings);
    let patched: Vec<String> = ops
        .iter()
        .map(|op| match op {
            PatchOp::Add { path, .. }
            | PatchOp::Replace { path, .. }
            | PatchOp::Remove { path } => path.clone(),
        })
        .collect();
    assert!(
        patched.contains(&"/driver_info/deploy_kernel".to_owned()),
        "{patched:?}"
    );
    assert!(
        patched.contains(&"/driver_info/deploy_ramdisk".to_owned()),
        "{patched:?}"
    );
    node.driver_info = settings.driver_info.clone();
    assert_eq!(
        crate::lifecycle::observe::deploy_image(&node),
        own.deploy_image.clone().unwrap()
    );
    assert!(field_patch(&own, &node, &settings).is_empty());
}
