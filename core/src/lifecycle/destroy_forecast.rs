//! The destroy forecast: the steps deleting a host takes from where its node stands, and what
//! each does to the machine. Pure. The engine decides each delete step with
//! [`plan::delete_decision`] (through `plan::delete_step`), and [`destroy`] runs the same
//! function over a model of Ironic's transitions, so the destroy plan's words and the engine's
//! steps come from one decision.

use crate::client::ProvisionState;

use super::forecast::{resting_state, Effect, Forecast, ForecastStep};
use super::plan::{self, DeleteOptions, DeleteSituation, DeleteStep};

/// Longest destroy: end maintenance, abort a wait, manage, ... power off, maintenance, delete;
/// anything longer means the model loops.
const MAX_DESTROY_STEPS: usize = 12;

/// The steps deleting the node in `situation` takes with `options`, each with its effects,
/// ending with `Delete` (or `StopForMaintenance`, which stops the destroy).
pub fn destroy(situation: &DeleteSituation, options: &DeleteOptions) -> Forecast<DeleteStep> {
    let mut s = situation.clone();
    let mut options = options.clone();
    let mut steps = Vec::new();
    for _ in 0..MAX_DESTROY_STEPS {
        let step = plan::delete_decision(&s, &options);
        steps.push(ForecastStep {
            step,
            effects: effects(step, &options),
        });
        if matches!(step, DeleteStep::Delete | DeleteStep::StopForMaintenance) {
            break;
        }
        // The engine sends the power off once, as this does.
        if step == DeleteStep::PowerOff {
            options.power_off = false;
        }
        s = after(step, s);
    }
    Forecast { steps }
}

/// What delete step `step` does to the machine.
pub fn effects(step: DeleteStep, options: &DeleteOptions) -> Vec<Effect> {
    match step {
        DeleteStep::Deprovision => {
            let mut effects = vec![Effect::RemovesDeployment];
            if options.cleaning.automated_clean() {
                effects.push(Effect::CleansDisks);
            }
            // Ironic's tear-down powers the machine off (and cleaning ends with it off).
            effects.push(Effect::PowersOff);
            effects
        }
        DeleteStep::PowerOff => vec![Effect::PowersOff],
        DeleteStep::Maintenance | DeleteStep::EndMaintenance => vec![Effect::Bookkeeping],
        DeleteStep::Delete => vec![Effect::RemovesNode],
        DeleteStep::Settle
        | DeleteStep::Abort
        | DeleteStep::Manage
        | DeleteStep::StopForMaintenance => Vec::new(),
    }
}

/// Where `step` leaves the node, as far as the delete decision reads it.
fn after(step: DeleteStep, mut s: DeleteSituation) -> DeleteSituation {
    use ProvisionState as S;
    match step {
        DeleteStep::Settle => {
            s.state = resting_state(&s.state);
            s.transition_pending = false;
            s.power_pending = false;
        }
        DeleteStep::Abort => {
            s.state = match s.state {
                S::InspectWait => S::InspectFailed,
                S::CleanWait => S::CleanFailed,
                S::RescueWait => S::RescueFailed,
                other => other,
            };
            s.transition_pending = false;
        }
        DeleteStep::Deprovision => {
            s.state = S::Available;
            s.transition_pending = false;
            s.powered = Some(false);
            s.adopted = false;
        }
        DeleteStep::Manage => s.state = S::Manageable,
        DeleteStep::PowerOff => s.powered = Some(false),
        DeleteStep::Maintenance => {
            s.maintenance = true;
            s.maintenance_reason = Some(plan::DELETE_MAINTENANCE_REASON.to_owned());
        }
        DeleteStep::EndMaintenance => {
            s.maintenance = false;
            s.maintenance_reason = None;
        }
        DeleteStep::Delete | DeleteStep::StopForMaintenance => {}
    }
    s
}

#[cfg(test)]
#[path = "destroy_forecast_tests.rs"]
mod tests;
