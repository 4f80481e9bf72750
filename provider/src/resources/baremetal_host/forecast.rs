//! Core's forecasts for a plan: the planner's inputs read from the planned arguments and the
//! host as last read (the prior state), so the plan's words about the disks are the steps
//! apply takes (`metal3_core::lifecycle::forecast`, `destroy_forecast`), not a second copy of
//! the decision. A destroy's options are read here once, for its plan and for its apply.

use metal3_core::bmc::DeployMode;
use metal3_core::client::ProvisionState;
use metal3_core::lifecycle::destroy_forecast;
use metal3_core::lifecycle::forecast::{self, Forecast, Recorded, Situation};
use metal3_core::lifecycle::plan::{DeleteSituation, DeleteStep};
use metal3_core::lifecycle::{AutomatedCleaningMode, DeleteOptions, DiskFormat};
use metal3_core::Vocabulary;

use crate::codec::{AttributePath, Value};
use crate::host::arguments::{HostConfig, ImageConfig};
use crate::host::status::StatusView;

fn get<'a>(value: &'a Value, steps: &[&str]) -> Option<&'a Value> {
    let path = steps
        .iter()
        .fold(AttributePath::root(), |p, s| p.attribute(*s));
    value.get_path(&path)
}

fn present(value: &Value, steps: &[&str]) -> bool {
    get(value, steps).is_some_and(|v| !v.is_null())
}

fn flag(value: &Value, name: &str) -> bool {
    get(value, &[name]).and_then(Value::as_bool) == Some(true)
}

/// How the arguments deploy the host, ignoring `externally_provisioned` (which decides whether
/// they are deployed, not how).
fn kind(state: &Value) -> Option<DeployMode> {
    if present(state, &[HostConfig::NAMES.custom_deploy]) {
        Some(DeployMode::CustomDeploy)
    } else if get(
        state,
        &[HostConfig::NAMES.image, ImageConfig::NAMES.disk_format],
    )
    .and_then(Value::as_str)
        == Some(DiskFormat::LiveIso.name())
    {
        Some(DeployMode::LiveIso)
    } else if present(state, &[HostConfig::NAMES.image]) {
        Some(DeployMode::Image)
    } else {
        None
    }
}

/// The situation apply starts from: Ironic's state as last read (a transition under way
/// included) or `enroll` for a new node. `None` while the deployment is unknown.
pub fn situation(prior: Option<&Value>, planned: &Value) -> Option<Situation> {
    if get(planned, &[HostConfig::NAMES.image]).is_some_and(|v| !v.is_known())
        || get(planned, &[HostConfig::NAMES.custom_deploy]).is_some_and(|v| !v.is_known())
    {
        return None;
    }
    let externally_provisioned = flag(planned, HostConfig::NAMES.externally_provisioned);
    let text = |value: &Value, name: &str| {
        get(value, &[name])
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let cleaning = match text(planned, HostConfig::NAMES.automated_cleaning_mode).as_deref() {
        Some("disabled") => AutomatedCleaningMode::Disabled,
        _ => AutomatedCleaningMode::Metadata,
    };
    let changed = |steps: &[&str]| match prior {
        Some(prior) => get(prior, steps) != get(planned, steps),
        None => true,
    };
    let (state, inspected, powered, adopted, recorded, prior_kind) = match prior {
        None => (
            ProvisionState::Enroll,
            false,
            None,
            false,
            Recorded::Nothing,
            None,
        ),
        Some(prior) => {
            let state =
                ProvisionState::parse(&text(prior, StatusView::NAMES.ironic_provision_state)?);
            let adopted = flag(prior, HostConfig::NAMES.externally_provisioned);
            // An adopted host's record is its image URL (an imported one has no checksum to
            // read back); a deployed host's is its whole deployment.
            let as_wanted = !changed(&[HostConfig::NAMES.custom_deploy])
                && if adopted {
                    !changed(&[HostConfig::NAMES.image, ImageConfig::NAMES.url])
                } else {
                    !changed(&[HostConfig::NAMES.image])
                };
            let recorded = match kind(prior) {
                None => Recorded::Nothing,
                Some(_) if as_wanted => Recorded::AsWanted,
                Some(_) => Recorded::Other,
            };
            (
                // Core's forecast settles a transition under way as the engine does.
                state,
                present(prior, &[StatusView::NAMES.hardware]),
                get(prior, &[StatusView::NAMES.powered_on]).and_then(Value::as_bool),
                adopted,
                recorded,
                kind(prior),
            )
        }
    };
    let planned_kind = kind(planned);
    Some(Situation {
        preparation: super::hardware_plan::preparation(prior, planned),
        servicing: super::hardware_plan::servicing(prior, planned),
        state,
        deploy: planned_kind.filter(|_| !externally_provisioned),
        externally_provisioned,
        names_deployment: planned_kind.is_some(),
        wants_inspection: !externally_provisioned
            && text(planned, HostConfig::NAMES.inspection_mode).as_deref() != Some("disabled"),
        // Power has its own words (known or not); the forecast is about provisioning.
        online: get(planned, &[HostConfig::NAMES.online])
            .and_then(Value::as_bool)
            .or(powered)
            .unwrap_or(true),
        cleaning,
        inspected,
        powered,
        adopted,
        recorded,
        image_source: prior_kind == Some(DeployMode::Image),
        // Refresh reads what Ironic runs into the prior state: a drift is a changed argument.
        runs_other_image: false,
        same_deploy_interface: prior_kind.is_some() && prior_kind == planned_kind,
    })
}

/// The forecast of apply from `prior` to `planned`; `None` while the deployment is unknown.
pub fn of(prior: Option<&Value>, planned: &Value) -> Option<Forecast> {
    situation(prior, planned).map(|s| forecast::forecast(&s))
}

/// How destroying the host last read as `prior` removes it: the destroy plan forecasts with
/// these options and the destroy's apply hands the engine the same.
pub fn delete_options(prior: &Value) -> DeleteOptions {
    let text = |name: &str| get(prior, &[name]).and_then(Value::as_str);
    DeleteOptions {
        cleaning: text(HostConfig::NAMES.automated_cleaning_mode)
            .and_then(AutomatedCleaningMode::parse)
            .unwrap_or_default(),
        power_off: get(prior, &[HostConfig::NAMES.power_off_on_destroy]).and_then(Value::as_bool)
            != Some(false),
        // An adopted host's disks are never touched.
        externally_provisioned: flag(prior, HostConfig::NAMES.externally_provisioned)
            || text(StatusView::NAMES.provisioning_state) == Some("externally provisioned"),
        // The destroy plan ends the maintenance it saw, and only that one.
        maintenance_to_end: text(StatusView::NAMES.maintenance_reason).map(str::to_owned),
    }
}

/// The node as last read, in what the delete decision reads of it. `None` when Ironic had no
/// node for the host (nothing to delete) or no state was read.
fn delete_situation(prior: &Value) -> Option<DeleteSituation> {
    if super::refresh::node_missing(prior) {
        return None;
    }
    let text = |name: &str| get(prior, &[name]).and_then(Value::as_str);
    let state = ProvisionState::parse(text(StatusView::NAMES.ironic_provision_state)?);
    let maintenance_reason = text(StatusView::NAMES.maintenance_reason).map(str::to_owned);
    Some(DeleteSituation {
        // The state is all a plan has of a transition under way.
        transition_pending: !state.is_stable() && !state.is_failed(),
        state,
        power_pending: false,
        maintenance: maintenance_reason.is_some(),
        maintenance_reason,
        powered: get(prior, &[StatusView::NAMES.powered_on]).and_then(Value::as_bool),
        adopted: text(StatusView::NAMES.provisioning_state) == Some("externally provisioned"),
    })
}

/// The forecast of destroying the host last read as `prior`; `None` when Ironic has no node
/// for it (destroy only forgets it).
pub fn destroy(prior: &Value) -> Option<Forecast<DeleteStep>> {
    delete_situation(prior).map(|s| destroy_forecast::destroy(&s, &delete_options(prior)))
}

/// The forecast of registering again a host whose node Ironic lost (`prior` says so), to
/// `planned`; `None` while the deployment is unknown.
pub fn reregistration(prior: &Value, planned: &Value) -> Option<Forecast> {
    let known = super::convert::known_host(prior)?;
    // The lost node's records, from a node that is registered again.
    let mut lost = prior.clone();
    lost.set_attr(
        StatusView::NAMES.ironic_provision_state,
        ProvisionState::Enroll.as_str(),
    );
    let situation = situation(Some(&lost), planned)?;
    let how = forecast::reregistration(&known, situation.wants_inspection);
    Some(forecast::reregistered(&situation, &how))
}
