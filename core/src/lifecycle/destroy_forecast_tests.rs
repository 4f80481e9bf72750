//! The destroy forecast against the engine's own decisions: an in-process fake Ironic takes
//! each step `plan::delete_step` decides, and the steps taken must be the forecast's, for every
//! starting state of the safety matrix's destroy column and more.

use super::*;
use crate::client::Node;
use crate::lifecycle::persist;
use crate::lifecycle::plan::tests::node_at as at;
use crate::lifecycle::spec::AutomatedCleaningMode;

fn options(cleaning: AutomatedCleaningMode, power_off: bool) -> DeleteOptions {
    DeleteOptions {
        cleaning,
        power_off,
        externally_provisioned: false,
        maintenance_to_end: None,
    }
}

fn adopted(power: &str) -> Node {
    let mut node = at("active", None, power);
    node.extra
        .insert(persist::EXTERNALLY_PROVISIONED.into(), true.into());
    node
}

fn in_maintenance(mut node: Node, reason: &str) -> Node {
    node.maintenance = true;
    node.maintenance_reason = Some(reason.into());
    node
}

/// What Ironic makes of `node` after the engine's `step`.
fn ironic_does(step: DeleteStep, mut node: Node) -> Node {
    let state = |node: &mut Node, state: &str| {
        node.provision_state = Some(state.into());
        node.target_provision_state = None;
    };
    match step {
        DeleteStep::Settle => {
            let rested = resting_state(&node.state());
            state(&mut node, rested.as_str());
            node.target_power_state = None;
        }
        DeleteStep::Abort => {
            let failed = match node.state() {
                ProvisionState::InspectWait => "inspect failed",
                ProvisionState::CleanWait => "clean failed",
                _ => "rescue failed",
            };
            state(&mut node, failed);
        }
        DeleteStep::Deprovision => {
            state(&mut node, "available");
            node.extra.remove(persist::EXTERNALLY_PROVISIONED);
            node.power_state = Some("power off".into());
        }
        DeleteStep::Manage => state(&mut node, "manageable"),
        DeleteStep::PowerOff => node.power_state = Some("power off".into()),
        DeleteStep::Maintenance => {
            node.maintenance = true;
            node.maintenance_reason = Some(plan::DELETE_MAINTENANCE_REASON.into());
        }
        DeleteStep::EndMaintenance => {
            node.maintenance = false;
            node.maintenance_reason = None;
        }
        DeleteStep::Delete | DeleteStep::StopForMaintenance => {}
    }
    node
}

/// The steps the engine's delete loop takes from `node`, as `Lifecycle::delete` does (the
/// power off is sent once).
fn engine_steps(mut node: Node, options: &DeleteOptions) -> Vec<DeleteStep> {
    let mut options = options.clone();
    let mut taken = Vec::new();
    for _ in 0..30 {
        let step = plan::delete_step(&node, &options);
        taken.push(step);
        if matches!(step, DeleteStep::Delete | DeleteStep::StopForMaintenance) {
            return taken;
        }
        if step == DeleteStep::PowerOff {
            options.power_off = false;
        }
        node = ironic_does(step, node);
    }
    panic!("no convergence: {taken:?}");
}

/// (cell, node, options, cleans, powers off)
fn cells() -> Vec<(&'static str, Node, DeleteOptions, bool, bool)> {
    use AutomatedCleaningMode::{Disabled, Metadata};
    let adopting = DeleteOptions {
        externally_provisioned: true,
        ..options(Metadata, true)
    };
    let keep_power = options(Metadata, false);
    let announced = DeleteOptions {
        maintenance_to_end: Some("bad DIMM".into()),
        ..options(Metadata, true)
    };
    vec![
        (
            "available",
            at("available", None, "power off"),
            options(Metadata, true),
            false,
            false,
        ),
        (
            "available, on",
            at("available", None, "power on"),
            options(Metadata, true),
            false,
            true,
        ),
        (
            "available, kept on",
            at("available", None, "power on"),
            keep_power.clone(),
            false,
            false,
        ),
        (
            "provisioned",
            at("active", None, "power on"),
            options(Metadata, true),
            true,
            true,
        ),
        (
            "provisioned, power kept: the tear-down powers off",
            at("active", None, "power on"),
            keep_power,
            true,
            true,
        ),
        (
            "live ISO, cleaning disabled",
            at("active", None, "power on"),
            options(Disabled, true),
            false,
            true,
        ),
        (
            "failed deploy",
            at("deploy failed", None, "power on"),
            options(Metadata, true),
            true,
            true,
        ),
        (
            "failed create",
            at("inspect failed", None, "power off"),
            options(Metadata, true),
            false,
            false,
        ),
        (
            "enroll",
            at("enroll", None, "power on"),
            options(Metadata, true),
            false,
            false,
        ),
        (
            "adopted, told so",
            at("active", None, "power on"),
            adopting.clone(),
            false,
            true,
        ),
        (
            "adopted, recorded",
            adopted("power on"),
            options(Metadata, true),
            false,
            true,
        ),
        (
            "adopted, power unknown",
            {
                let mut node = adopted("x");
                node.power_state = None;
                node
            },
            adopting,
            false,
            true,
        ),
        (
            "waiting for a deploy agent",
            at("wait call-back", Some("active"), "power on"),
            options(Metadata, true),
            true,
            true,
        ),
        (
            "deploying",
            at("deploying", Some("active"), "power on"),
            options(Metadata, true),
            true,
            true,
        ),
        (
            "cleaning wait",
            at("clean wait", Some("available"), "power on"),
            options(Metadata, true),
            false,
            true,
        ),
        (
            "provisioned in an announced maintenance",
            in_maintenance(at("active", None, "power on"), "bad DIMM"),
            announced.clone(),
            true,
            true,
        ),
        (
            "provisioned in an unannounced maintenance",
            in_maintenance(at("active", None, "power on"), "bad DIMM"),
            options(Metadata, true),
            false,
            false,
        ),
    ]
}

#[test]
fn the_engine_takes_the_destroy_forecast_steps() {
    for (cell, node, options, _, _) in cells() {
        let forecast = destroy(&DeleteSituation::of(&node), &options);
        let forecast_steps: Vec<DeleteStep> = forecast.steps.iter().map(|s| s.step).collect();
        assert_eq!(engine_steps(node, &options), forecast_steps, "{cell}");
    }
}

#[test]
fn the_destroy_forecast_cleans_and_powers_off_as_the_safety_matrix_says() {
    for (cell, node, options, cleans, powers_off) in cells() {
        let forecast = destroy(&DeleteSituation::of(&node), &options);
        assert_eq!(
            (
                forecast.has(Effect::CleansDisks),
                forecast.has(Effect::PowersOff)
            ),
            (cleans, powers_off),
            "{cell}: {forecast:?}"
        );
        assert!(!forecast.has(Effect::WritesRootDisk), "{cell}");
        let stopped = forecast.takes(&DeleteStep::StopForMaintenance);
        assert_eq!(forecast.has(Effect::RemovesNode), !stopped, "{cell}");
    }
}

#[test]
fn an_adopted_host_is_never_deprovisioned() {
    let forecast = destroy(
        &DeleteSituation::of(&adopted("power on")),
        &options(AutomatedCleaningMode::Metadata, false),
    );
    assert!(!forecast.has(Effect::RemovesDeployment));
    assert!(!forecast.has(Effect::PowersOff));
    assert_eq!(
        forecast.steps.last().map(|s| s.step),
        Some(DeleteStep::Delete)
    );
}
