//! The forecast against the engine's own decisions: an in-process fake Ironic takes each step
//! `plan::next_step` decides (as Ironic would: states, records, instance_info, power) and the
//! steps taken must be the forecast's, for every starting state of the safety matrix.

use super::*;
use crate::client::Node;
use crate::lifecycle::deploy;
use crate::lifecycle::plan::{
    capabilities_with_boot_mode, desired_settings, identity_extra, next_step, AgentImages, Attempts,
};
use crate::lifecycle::spec::{DiskFormat, ImageSpec, InspectionMode};
use serde_json::json;

// The planner's tests' host and image: the forecast is checked on the same cases.
use crate::lifecycle::plan::tests::{image as qcow2, spec};

fn raw() -> ImageSpec {
    ImageSpec {
        url: "http://f/img.raw".into(),
        disk_format: Some(DiskFormat::Raw),
        ..qcow2()
    }
}

fn iso(url: &str) -> ImageSpec {
    ImageSpec {
        url: url.into(),
        checksum: None,
        checksum_type: None,
        disk_format: Some(DiskFormat::LiveIso),
    }
}

/// The node's fields as the field patch leaves them for `spec` (interfaces only where Ironic
/// allows changing them), keeping its provisioning records.
fn patched(spec: &HostSpec, node: &Node) -> Node {
    let settings = desired_settings(spec, &node.state(), &AgentImages::default()).unwrap();
    let mut value = serde_json::to_value(node).unwrap();
    value["name"] = json!(spec.node_name());
    value["driver"] = json!(settings.driver);
    value["automated_clean"] = json!(spec.automated_cleaning_mode.automated_clean());
    if node.state().allows_interface_changes() {
        for (field, iface) in &settings.interfaces {
            value[field] = json!(iface);
        }
    }
    let mut node: Node = serde_json::from_value(value).unwrap();
    node.driver_info.extend(settings.driver_info.clone());
    node.properties.insert(
        "capabilities".into(),
        capabilities_with_boot_mode("", spec).into(),
    );
    node.extra.extend(identity_extra(spec));
    node
}

fn node(spec: &HostSpec, state: &str) -> Node {
    patched(
        spec,
        &Node {
            uuid: "u-1".into(),
            provision_state: Some(state.into()),
            power_state: Some("power on".into()),
            ..Node::default()
        },
    )
}

/// Records a deployment as the engine's deploy, adopt and record steps do.
fn record(spec: &HostSpec, node: &mut Node) {
    for key in [persist::IMAGE, persist::CUSTOM_DEPLOY] {
        node.extra.remove(key);
    }
    if let Some(image) = &spec.image {
        node.extra
            .insert(persist::IMAGE.into(), persist::image_to_extra(image));
    }
    if let Some(custom) = &spec.custom_deploy {
        node.extra
            .insert(persist::CUSTOM_DEPLOY.into(), custom.method.clone().into());
    }
    node.extra.insert(
        persist::EXTERNALLY_PROVISIONED.into(),
        spec.externally_provisioned.into(),
    );
}

/// What Ironic (and the engine's records) make of `node` after `step`.
fn ironic_does(spec: &HostSpec, step: &Step, mut node: Node) -> Node {
    let state = |node: &mut Node, state: &str| node.provision_state = Some(state.into());
    match step {
        Step::Manage => state(&mut node, "manageable"),
        Step::Inspect => node.inspection_finished_at = Some("2026-01-01T00:00:00".into()),
        Step::Provide => {
            state(&mut node, "available");
            if node.automated_clean != Some(false) {
                node.power_state = Some("power off".into());
            }
        }
        Step::Deploy(_) | Step::Rebuild => {
            state(&mut node, "active");
            node.instance_info = deploy::instance_info(spec);
            record(spec, &mut node);
            node.power_state = Some("power on".into());
        }
        Step::Adopt => {
            state(&mut node, "active");
            if spec.image.is_some() {
                node.instance_info = deploy::instance_info(spec);
            }
            record(spec, &mut node);
        }
        Step::RecordDeployment => record(spec, &mut node),
        // Servicing: the node stays active; what it applied is recorded as the engine does.
        Step::Service => {
            let pending =
                crate::lifecycle::hardware_settings::for_host::preparation(spec, &node, None);
            let done = spec.update_policy.servicing(&pending);
            let applied =
                crate::lifecycle::hardware_settings::HardwareSettings::applied(&node.extra);
            node.extra.insert(
                crate::lifecycle::hardware_settings::APPLIED.into(),
                spec.hardware_settings
                    .applied_after(&applied, &done)
                    .record(),
            );
        }
        // Manual cleaning back to manageable, the settings recorded as the engine does.
        Step::Prepare => {
            node.power_state = Some("power off".into());
            node.extra.insert(
                crate::lifecycle::hardware_settings::APPLIED.into(),
                spec.hardware_settings.record(),
            );
        }
        Step::Deprovision => {
            state(&mut node, "available");
            node.instance_info.clear();
            for key in [
                persist::IMAGE,
                persist::CUSTOM_DEPLOY,
                persist::EXTERNALLY_PROVISIONED,
            ] {
                node.extra.remove(key);
            }
            node.power_state = Some("power off".into());
        }
        Step::Power(on) => {
            node.power_state = Some(if *on { "power on" } else { "power off" }.into());
        }
        // The transition under way finishes (an inspection reads the hardware).
        Step::Settle => {
            let rested = resting_state(&node.state());
            if matches!(
                node.state(),
                ProvisionState::Inspecting | ProvisionState::InspectWait
            ) {
                node.inspection_finished_at = Some("2026-01-01T00:00:00".into());
            }
            if rested == ProvisionState::Active {
                node.power_state = Some("power on".into());
            }
            node.provision_state = Some(rested.as_str().into());
            node.target_provision_state = None;
        }
        other => panic!("the fake Ironic does not take {other:?}"),
    }
    node
}

/// The provisioning steps the engine takes from `node` (field patches applied on the way and
/// left out: the forecast is about provisioning).
fn engine_steps(spec: &HostSpec, mut node: Node) -> Vec<Step> {
    let mut taken = Vec::new();
    for _ in 0..30 {
        let settings = desired_settings(spec, &node.state(), &AgentImages::default()).unwrap();
        match next_step(spec, &node, &settings, &Attempts::default()) {
            Step::Done => return taken,
            Step::Patch(_) => node = patched(spec, &node),
            // Waiting is not a step of the forecast: it settles the node first.
            Step::Settle => node = ironic_does(spec, &Step::Settle, node),
            step => {
                node = ironic_does(spec, &step, node);
                taken.push(step);
            }
        }
    }
    panic!("no convergence: {taken:?}");
}

fn forecast_of(spec: &HostSpec, node: &Node) -> Forecast {
    let settings = desired_settings(spec, &node.state(), &AgentImages::default()).unwrap();
    forecast(&Situation::of(spec, node, &settings))
}

/// A node deployed (or adopted) by the engine with `spec`, as apply leaves it.
fn deployed(spec: &HostSpec) -> Node {
    let mut node = node(spec, "enroll");
    for step in engine_steps(spec, node.clone()) {
        node = patched(spec, &ironic_does(spec, &step, node));
    }
    node
}

/// `node` moving to `target`.
fn mid(mut node: Node, target: &str) -> Node {
    node.target_provision_state = Some(target.into());
    node
}

/// A deployment of `spec` waiting for its agent (records written, as the engine's deploy does).
fn waiting_for_agent(spec: &HostSpec) -> Node {
    let mut node = deployed(spec);
    node.provision_state = Some("wait call-back".into());
    node
}

/// Every cell: a starting host, the spec after the operation, and whether the disks are cleaned
/// and written (the safety matrix's table for in-place updates and creates).
fn cells() -> Vec<(&'static str, HostSpec, Node, bool, bool)> {
    let plain = spec();
    let mut with_image = spec();
    with_image.image = Some(qcow2());
    let mut with_raw = spec();
    with_raw.image = Some(raw());
    let mut adopted = spec();
    adopted.externally_provisioned = true;
    adopted.inspection_mode = InspectionMode::Disabled;
    adopted.image = Some(qcow2());
    let mut adopted_raw = adopted.clone();
    adopted_raw.image = Some(raw());
    let mut live = spec();
    live.inspection_mode = InspectionMode::Disabled;
    live.automated_cleaning_mode = AutomatedCleaningMode::Disabled;
    live.image = Some(iso("http://f/live.iso"));
    let mut live2 = live.clone();
    live2.image = Some(iso("http://f/live.iso?v=2"));
    let mut live_removed = live.clone();
    live_removed.image = None;
    let mut failed = deployed(&with_image);
    failed.provision_state = Some("deploy failed".into());
    let mut unadopted = adopted.clone();
    unadopted.externally_provisioned = false;
    vec![
        (
            "create, no image",
            plain.clone(),
            node(&plain, "enroll"),
            true,
            false,
        ),
        (
            "create, image",
            with_image.clone(),
            node(&with_image, "enroll"),
            true,
            true,
        ),
        (
            "create, adopted",
            adopted.clone(),
            node(&adopted, "enroll"),
            false,
            false,
        ),
        (
            "available, image set",
            with_image.clone(),
            deployed(&plain),
            false,
            true,
        ),
        (
            "available, unchanged",
            plain.clone(),
            deployed(&plain),
            false,
            false,
        ),
        (
            "provisioned, image removed",
            plain.clone(),
            deployed(&with_image),
            true,
            false,
        ),
        (
            "provisioned, image changed",
            with_raw.clone(),
            deployed(&with_image),
            false,
            true,
        ),
        (
            "provisioned, unchanged",
            with_image.clone(),
            deployed(&with_image),
            false,
            false,
        ),
        (
            "externally, image changed",
            adopted_raw,
            deployed(&adopted),
            false,
            false,
        ),
        (
            "externally, unadopted",
            unadopted,
            deployed(&adopted),
            false,
            false,
        ),
        (
            "live ISO, image changed",
            live2,
            deployed(&live),
            false,
            true,
        ),
        (
            "live ISO, image removed",
            live_removed,
            deployed(&live),
            false,
            false,
        ),
        (
            "failed deploy, unchanged",
            with_image.clone(),
            failed.clone(),
            true,
            true,
        ),
        (
            "failed deploy, image removed",
            plain.clone(),
            failed,
            true,
            false,
        ),
        (
            "failed create",
            with_image.clone(),
            node(&with_image, "inspect failed"),
            true,
            true,
        ),
        (
            "interrupted create, inspecting",
            with_image.clone(),
            mid(node(&with_image, "inspect wait"), "manageable"),
            true,
            true,
        ),
        (
            "interrupted deploy, unchanged",
            with_image.clone(),
            mid(waiting_for_agent(&with_image), "active"),
            false,
            false,
        ),
        (
            "interrupted deploy, image changed",
            with_raw.clone(),
            mid(waiting_for_agent(&with_image), "active"),
            true,
            true,
        ),
        (
            "interrupted deploy, image removed",
            plain.clone(),
            mid(waiting_for_agent(&with_image), "active"),
            true,
            false,
        ),
    ]
}

#[test]
fn the_engine_takes_the_forecast_steps() {
    for (cell, spec, node, _, _) in cells() {
        let forecast = forecast_of(&spec, &node);
        let forecast_steps: Vec<Step> = forecast.steps.iter().map(|s| s.step.clone()).collect();
        assert_eq!(engine_steps(&spec, node), forecast_steps, "{cell}");
    }
}

#[test]
fn the_forecast_cleans_and_writes_disks_as_the_safety_matrix_says() {
    for (cell, spec, node, cleans, writes) in cells() {
        let forecast = forecast_of(&spec, &node);
        assert_eq!(
            (
                forecast.has(Effect::CleansDisks),
                forecast.has(Effect::WritesRootDisk) || forecast.has(Effect::BootsLiveIso)
            ),
            (cleans, writes),
            "{cell}: {forecast:?}"
        );
    }
}

#[test]
fn a_live_iso_is_booted_not_written_and_an_adoption_only_records() {
    let mut live = spec();
    live.image = Some(iso("http://f/live.iso"));
    let forecast = forecast_of(&live, &node(&live, "available"));
    assert!(forecast.has(Effect::BootsLiveIso));
    assert!(!forecast.has(Effect::WritesRootDisk));
    let mut adopted = spec();
    adopted.externally_provisioned = true;
    let forecast = forecast_of(&adopted, &node(&adopted, "manageable"));
    assert_eq!(forecast.steps.len(), 1);
    assert_eq!(forecast.steps[0].effects, vec![Effect::Bookkeeping]);
}

#[test]
fn cleaning_follows_the_mode() {
    let mut spec = spec();
    spec.image = Some(qcow2());
    let node = deployed(&spec);
    spec.image = None;
    assert!(forecast_of(&spec, &node).has(Effect::CleansDisks));
    spec.automated_cleaning_mode = AutomatedCleaningMode::Disabled;
    let forecast = forecast_of(&spec, &node);
    assert!(!forecast.has(Effect::CleansDisks));
    assert!(forecast.has(Effect::RemovesDeployment));
}

/// A host with RAID, BIOS settings and firmware.
fn with_hardware_settings(mut spec: HostSpec) -> HostSpec {
    use crate::lifecycle::hardware_settings::{FirmwareComponent, HardwareVolume, RaidConfig};
    spec.hardware_settings.raid = Some(RaidConfig {
        hardware_raid_volumes: vec![HardwareVolume {
            level: "1".into(),
            ..Default::default()
        }],
        ..Default::default()
    });
    spec.hardware_settings
        .bios_settings
        .insert("ProcTurboMode".into(), "Disabled".into());
    spec.hardware_settings.firmware_components = vec![FirmwareComponent {
        component: "bmc".into(),
        url: "http://f/bmc.bin".into(),
    }];
    spec
}

#[test]
fn hardware_settings_are_prepared_before_the_host_is_available_and_only_once() {
    let mut wanted = with_hardware_settings(spec());
    wanted.image = Some(qcow2());
    let plain = spec();
    let spec = wanted;
    let all = [
        Effect::Reboots,
        Effect::UpdatesFirmware,
        Effect::AppliesBiosSettings,
        Effect::RebuildsRaid,
    ];
    // A new host: inspected, prepared, then provided and deployed.
    let fresh = node(&spec, "enroll");
    let forecast = forecast_of(&spec, &fresh);
    let steps: Vec<Step> = forecast.steps.iter().map(|s| s.step.clone()).collect();
    assert_eq!(
        steps,
        vec![
            Step::Manage,
            Step::Inspect,
            Step::Prepare,
            Step::Provide,
            Step::Deploy(crate::bmc::DeployMode::Image),
        ]
    );
    assert_eq!(forecast.steps[2].effects, all.to_vec());
    assert_eq!(engine_steps(&spec, fresh), steps);

    // An available host given settings goes back to manageable for them.
    let mut available = node(&plain, "available");
    available.inspection_finished_at = Some("2026-01-01T00:00:00".into());
    let mut later = with_hardware_settings(plain);
    later.hardware_settings.raid = None;
    let forecast = forecast_of(&later, &available);
    let steps: Vec<Step> = forecast.steps.iter().map(|s| s.step.clone()).collect();
    assert_eq!(
        steps,
        vec![
            Step::Manage,
            Step::Prepare,
            Step::Provide,
            Step::Power(true)
        ]
    );
    assert!(!forecast.has(Effect::RebuildsRaid));
    assert_eq!(engine_steps(&later, available), steps);

    // Applied once: nothing left, and a deployed host is never prepared (no servicing).
    let done = deployed(&spec);
    assert!(forecast_of(&spec, &done).steps.is_empty());
    let mut changed = spec.clone();
    changed
        .hardware_settings
        .bios_settings
        .insert("ProcTurboMode".into(), "Enabled".into());
    assert!(!forecast_of(&changed, &done).takes(&Step::Prepare));
}

#[test]
fn a_provisioned_host_is_serviced_only_as_its_update_policy_allows() {
    let mut wanted = with_hardware_settings(spec());
    wanted.image = Some(qcow2());
    let done = deployed(&wanted);
    let mut changed = wanted.clone();
    changed
        .hardware_settings
        .bios_settings
        .insert("ProcTurboMode".into(), "Enabled".into());
    changed.hardware_settings.firmware_components[0].url = "http://f/bmc-2.bin".into();
    // No policy: nothing (the change waits for the next deprovision).
    assert!(forecast_of(&changed, &done).steps.is_empty());
    // BIOS settings allowed: one servicing step that applies them and reboots, nothing else.
    changed.update_policy.firmware_settings = true;
    let forecast = forecast_of(&changed, &done);
    let steps: Vec<Step> = forecast.steps.iter().map(|s| s.step.clone()).collect();
    assert_eq!(steps, vec![Step::Service]);
    assert_eq!(
        forecast.steps[0].effects,
        vec![Effect::Reboots, Effect::AppliesBiosSettings]
    );
    assert_eq!(engine_steps(&changed, done.clone()), steps);
    // Both allowed: firmware too; RAID never (it would erase the running system's disks).
    changed.update_policy.firmware_updates = true;
    changed.hardware_settings.raid = None;
    let forecast = forecast_of(&changed, &done);
    assert_eq!(
        forecast.steps[0].effects,
        vec![
            Effect::Reboots,
            Effect::UpdatesFirmware,
            Effect::AppliesBiosSettings
        ]
    );
    assert!(!forecast.has(Effect::RebuildsRaid) && !forecast.has(Effect::CleansDisks));
}
