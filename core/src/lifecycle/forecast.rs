//! The forecast: the provisioning steps an apply takes from where a host stands, and what each
//! does to the machine, as typed effects. Pure. The engine decides each step with
//! [`provisioning_step`] (through `plan::next_step`), and [`forecast`] runs the same function
//! over a model of Ironic's transitions, so the provider's plan words and the engine's steps
//! come from one decision.
//!
//! A [`Situation`] is the planner's input reduced to what the provisioning decision reads: the
//! engine builds it from the spec and the node ([`Situation::of`]), the provider from its
//! planned arguments and the host as last read.

use std::collections::BTreeMap;

use crate::bmc::{DeployMode, DriverSettings};
use crate::client::{Node, ProvisionState};

use super::deploy::deploy_mode;
use super::deployment::{
    inspected, recorded_deployment, running_image_url, stops_unwanted_deployment, wanted_deployment,
};
use super::hardware_settings::{Preparation, RaidChange};
use super::persist;
use super::spec::{AutomatedCleaningMode, HostSpec, KnownHost};
use super::step::Step;

/// What is recorded (in the node's `extra`) as deployed on an `active` node, next to what the
/// spec wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// No deployment recorded (imported, or adopted before the spec had an image).
    Nothing,
    /// The deployment the spec wants.
    AsWanted,
    /// Another deployment.
    Other,
}

/// Everything the provisioning decision reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Situation {
    /// Ironic's provision state.
    pub state: ProvisionState,
    /// How the spec deploys the host (`None`: nothing to deploy, or adopted).
    pub deploy: Option<DeployMode>,
    /// The spec adopts the host as externally provisioned.
    pub externally_provisioned: bool,
    /// The spec names an image or a custom deploy (recorded even when adopted).
    pub names_deployment: bool,
    pub wants_inspection: bool,
    pub online: bool,
    pub cleaning: AutomatedCleaningMode,
    /// Agent inspection finished, or hardware details kept from before.
    pub inspected: bool,
    /// Power as Ironic read it (`None`: not read).
    pub powered: Option<bool>,
    /// The node is recorded as adopted (externally provisioned).
    pub adopted: bool,
    pub recorded: Recorded,
    /// `instance_info` names an image written to disk (`image_source`).
    pub image_source: bool,
    /// Ironic runs another image than the spec's (drift behind the engine's back).
    pub runs_other_image: bool,
    /// The node's deploy interface is the one the spec's deployment uses (a rebuild in place is
    /// possible only then).
    pub same_deploy_interface: bool,
    /// What applying the spec's RAID, BIOS settings and firmware would do (empty: nothing is
    /// pending). `Situation::of` reads it from the node's record alone; `Situation::read`
    /// (the engine's `plan::next_step`) and the provider's plan add the BIOS as read.
    pub preparation: Preparation,
    /// The part of `preparation` a provisioned host takes by servicing (its update policy).
    pub servicing: Preparation,
}

impl Situation {
    /// The situation of `node` for `spec`; `settings` from `plan::desired_settings`.
    pub fn of(spec: &HostSpec, node: &Node, settings: &DriverSettings) -> Situation {
        Situation::read(spec, node, settings, None)
    }

    /// As [`Situation::of`], with the node's BIOS as read (`None`: not read).
    pub fn read(
        spec: &HostSpec,
        node: &Node,
        settings: &DriverSettings,
        bios_current: Option<&BTreeMap<String, String>>,
    ) -> Situation {
        let wanted = wanted_deployment(spec);
        let recorded = match recorded_deployment(node) {
            None => Recorded::Nothing,
            Some(recorded) if recorded == wanted => Recorded::AsWanted,
            Some(_) => Recorded::Other,
        };
        Situation {
            state: node.state(),
            deploy: deploy_mode(spec),
            externally_provisioned: spec.externally_provisioned,
            names_deployment: spec.image.is_some() || spec.custom_deploy.is_some(),
            wants_inspection: spec.wants_inspection(),
            online: spec.online,
            cleaning: spec.automated_cleaning_mode,
            inspected: inspected(node),
            powered: super::observe::power(node),
            adopted: persist::externally_provisioned(&node.extra),
            recorded,
            image_source: node.instance_info.contains_key("image_source"),
            runs_other_image: match (running_image_url(node), spec.image.as_ref()) {
                (Some(running), Some(wanted)) => running != wanted.url,
                _ => false,
            },
            same_deploy_interface: node.deploy_interface.as_deref()
                == settings
                    .interfaces
                    .get("deploy_interface")
                    .map(String::as_str),
            preparation: Preparation::default(),
            servicing: Preparation::default(),
        }
        .with_preparation(
            super::hardware_settings::for_host::preparation(spec, node, bios_current),
            spec,
        )
    }

    /// With `preparation` pending, and the part `spec`'s update policy lets servicing apply.
    pub fn with_preparation(mut self, preparation: Preparation, spec: &HostSpec) -> Situation {
        self.preparation = preparation;
        self.servicing = spec.update_policy.servicing(&preparation);
        self
    }

    /// A rebuild (Ironic `rebuild`, no cleaning) can replace the deployment: only an image
    /// written by the same deploy interface. Live ISOs and custom deploys are deprovisioned and
    /// deployed again (Ironic 39's rebuild fails with HTTP 500 when `instance_info` has no
    /// `image_source`, and a deploy interface cannot change on an active node).
    fn rebuilds_in_place(&self) -> bool {
        self.deploy == Some(DeployMode::Image) && self.same_deploy_interface
    }
}

/// The provisioning step for a node whose fields, maintenance, credentials and transitions are
/// settled (`plan::next_step` decides those first). `Step::Done` when nothing is left.
pub fn provisioning_step(s: &Situation) -> Step {
    let power = || match s.powered {
        Some(on) if on == s.online => Step::Done,
        // A provisioned host whose power Ironic has not read (null) may be running a workload
        // (an import adopted it): nothing is known to differ from the spec, so nothing is sent.
        None if s.state == ProvisionState::Active => Step::Done,
        _ => Step::Power(s.online),
    };
    let redeploy = || {
        if s.rebuilds_in_place() {
            Step::Rebuild
        } else {
            Step::Deprovision
        }
    };
    use ProvisionState as S;
    match s.state {
        S::Enroll | S::InspectFailed | S::CleanFailed => Step::Manage,
        S::AdoptFailed => Step::Adopt,
        S::DeployFailed | S::Error => Step::Deprovision,
        S::Manageable if s.externally_provisioned => Step::Adopt,
        S::Manageable if s.wants_inspection && !s.inspected => Step::Inspect,
        // Metal3's "preparing": RAID, BIOS and firmware are applied before the host is
        // available (and so before it is deployed).
        S::Manageable if !s.preparation.is_empty() => Step::Prepare,
        S::Manageable => Step::Provide,
        S::Available if s.externally_provisioned => Step::Manage,
        // Back to `manageable` to prepare; provided (and cleaned) again afterwards.
        S::Available if !s.preparation.is_empty() => Step::Manage,
        S::Available => match s.deploy {
            Some(mode) => Step::Deploy(mode),
            None => power(),
        },
        S::Active if s.externally_provisioned => {
            // Record the adoption (an imported node has no record) and image changes; nothing
            // is deployed.
            let recorded_as_wanted = match s.recorded {
                Recorded::Nothing => !s.names_deployment,
                Recorded::AsWanted => true,
                Recorded::Other => false,
            };
            if s.adopted && recorded_as_wanted {
                power()
            } else {
                Step::RecordDeployment
            }
        }
        S::Active => match (s.deploy, s.recorded) {
            (None, _) => Step::Deprovision,
            // Imported, or adopted before the user gave an image: take the host as is, unless
            // it visibly runs another image than the spec's (the plan announces a redeploy
            // then, so apply must do one).
            (Some(_), Recorded::Nothing) if !s.adopted || s.image_source => {
                if s.runs_other_image {
                    redeploy()
                } else {
                    Step::RecordDeployment
                }
            }
            (Some(_), Recorded::Nothing) => Step::Deprovision,
            // Recorded as wanted, but Ironic says another image runs (deployed behind this
            // engine's back): the plan showed the drift, so redeploy.
            (Some(_), Recorded::AsWanted) if s.runs_other_image => redeploy(),
            (Some(_), Recorded::AsWanted) if s.adopted => Step::RecordDeployment,
            // Settings the update policy lets a provisioned host take (Ironic servicing).
            (Some(_), Recorded::AsWanted) if !s.servicing.is_empty() => Step::Service,
            (Some(_), Recorded::AsWanted) => power(),
            // A different deploy interface (image <-> live ISO) cannot be changed on an active
            // node: deprovision, then deploy afresh.
            (Some(_), Recorded::Other) => redeploy(),
        },
        _ => Step::Done,
    }
}

/// Where a node mid-transition comes to rest (the engine waits for it first: `Step::Settle`),
/// for a forecast made before it does.
pub fn resting_state(state: &ProvisionState) -> ProvisionState {
    use ProvisionState as S;
    match state {
        S::Verifying | S::Inspecting | S::InspectWait => S::Manageable,
        S::Cleaning | S::CleanWait | S::CleanHold | S::Deleting => S::Available,
        S::Deploying | S::WaitCallBack | S::DeployHold | S::Adopting => S::Active,
        other => other.clone(),
    }
}

/// What a step does to the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Ironic verifies the BMC (`manage`).
    VerifiesBmc,
    /// The agent boots and reads the hardware.
    Inspects,
    /// Automated cleaning erases the disks.
    CleansDisks,
    /// An image (or a custom deploy step) overwrites the root disk.
    WritesRootDisk,
    /// A live ISO is booted: nothing is written to disk.
    BootsLiveIso,
    /// The deployment is removed (Ironic `deleted`).
    RemovesDeployment,
    PowersOn,
    PowersOff,
    /// Only Ironic's records change: the hardware is not touched.
    Bookkeeping,
    /// Ironic forgets the node (deleted): the machine is not touched.
    RemovesNode,
    /// The host is rebooted (to apply settings or boot the agent for them).
    Reboots,
    /// RAID volumes are deleted (and the wanted ones built): the disks' data is lost.
    RebuildsRaid,
    /// BIOS settings are changed.
    AppliesBiosSettings,
    /// Firmware is flashed.
    UpdatesFirmware,
}

/// One step of a forecast and what it does: a provisioning [`Step`], or a
/// [`DeleteStep`](crate::lifecycle::plan::DeleteStep) in a destroy forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastStep<S = Step> {
    pub step: S,
    pub effects: Vec<Effect>,
}

/// The steps apply takes, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast<S = Step> {
    pub steps: Vec<ForecastStep<S>>,
}

impl<S> Default for Forecast<S> {
    fn default() -> Self {
        Forecast { steps: Vec::new() }
    }
}

impl<S: PartialEq> Forecast<S> {
    /// Some step has `effect`.
    pub fn has(&self, effect: Effect) -> bool {
        self.steps.iter().any(|s| s.effects.contains(&effect))
    }

    /// Some step is `step`.
    pub fn takes(&self, step: &S) -> bool {
        self.steps.iter().any(|s| &s.step == step)
    }
}

impl Forecast {
    /// The deploy (or rebuild) step, if any.
    pub fn deployment(&self) -> Option<&ForecastStep> {
        self.steps
            .iter()
            .find(|s| matches!(s.step, Step::Deploy(_) | Step::Rebuild))
    }

    /// The deprovisioning step, if any.
    pub fn deprovisioning(&self) -> Option<&ForecastStep> {
        self.steps.iter().find(|s| s.step == Step::Deprovision)
    }
}

/// Longest forecast: a failed deployment is deprovisioned, deployed and powered; anything
/// longer means the model loops.
const MAX_FORECAST_STEPS: usize = 12;

/// The provisioning steps apply takes from `situation`, each with its effects: the engine's
/// decision ([`provisioning_step`]) run over a model of where each step leaves the node.
pub fn forecast(situation: &Situation) -> Forecast {
    let mut s = situation.clone();
    let mut steps = Vec::new();
    // A node mid-transition: the engine stops a deployment it no longer wants, or waits.
    let as_wanted = s.deploy.is_some() && s.recorded == Recorded::AsWanted;
    if stops_unwanted_deployment(&s.state, as_wanted) {
        let step = Step::Deprovision;
        let effects = effects(&step, &s);
        s = after(&step, s);
        steps.push(ForecastStep { step, effects });
    } else {
        s = settled(s);
    }
    for _ in 0..MAX_FORECAST_STEPS {
        let step = provisioning_step(&s);
        if step == Step::Done {
            break;
        }
        let effects = effects(&step, &s);
        s = after(&step, s);
        steps.push(ForecastStep { step, effects });
    }
    Forecast { steps }
}

/// How a host whose node Ironic lost is registered again. The engine's re-registration
/// (`Lifecycle::reregister`) follows it, and [`reregistered`] forecasts from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reregistration {
    /// Adopted as what it was (provisioned or externally provisioned): nothing is inspected,
    /// cleaned or written.
    pub adopts: bool,
    /// Adopted as externally provisioned (else as deployed by this engine).
    pub externally_provisioned: bool,
    /// Registered with the hardware details the caller kept: not inspected again.
    pub keeps_hardware: bool,
}

/// How `known`, lost by Ironic, is registered again for a spec that does (or does not) want
/// inspection.
pub fn reregistration(known: &KnownHost, wants_inspection: bool) -> Reregistration {
    Reregistration {
        adopts: known.provisioned || known.externally_provisioned,
        externally_provisioned: known.externally_provisioned,
        keeps_hardware: known.hardware_known && wants_inspection,
    }
}

/// The forecast of registering again a host Ironic lost: enrolled and verified (`manage`),
/// adopted as what it was or not, then the steps from there. `situation` is the spec's, with
/// the lost node's records (what it ran, its power).
pub fn reregistered(situation: &Situation, how: &Reregistration) -> Forecast {
    let mut s = situation.clone();
    let mut steps = vec![ForecastStep {
        step: Step::Manage,
        effects: vec![Effect::VerifiesBmc],
    }];
    s.state = ProvisionState::Manageable;
    if how.adopts {
        steps.push(ForecastStep {
            step: Step::Adopt,
            effects: vec![Effect::Bookkeeping],
        });
        s.state = ProvisionState::Active;
        s.adopted = how.externally_provisioned;
    } else {
        s.inspected = how.keeps_hardware;
    }
    steps.extend(forecast(&s).steps);
    Forecast { steps }
}

/// What `step` does to the machine in situation `s`.
pub fn effects(step: &Step, s: &Situation) -> Vec<Effect> {
    let cleaned = |mut effects: Vec<Effect>| {
        if s.cleaning.automated_clean() {
            effects.push(Effect::CleansDisks);
        }
        effects
    };
    let deployed = |mode: DeployMode| match mode {
        DeployMode::LiveIso => vec![Effect::BootsLiveIso, Effect::PowersOn],
        DeployMode::Image | DeployMode::CustomDeploy => {
            vec![Effect::WritesRootDisk, Effect::PowersOn]
        }
    };
    match step {
        Step::Manage => vec![Effect::VerifiesBmc],
        Step::Inspect => vec![Effect::Inspects],
        // Only from `manageable`: cleaning runs when the host is made available.
        Step::Provide => cleaned(Vec::new()),
        Step::Deploy(mode) => deployed(*mode),
        Step::Rebuild => deployed(s.deploy.unwrap_or(DeployMode::Image)),
        // Ironic's tear-down powers the machine off (and cleaning ends with it off).
        Step::Deprovision => {
            let mut effects = cleaned(vec![Effect::RemovesDeployment]);
            effects.push(Effect::PowersOff);
            effects
        }
        Step::Power(true) => vec![Effect::PowersOn],
        Step::Power(false) => vec![Effect::PowersOff],
        Step::Adopt | Step::RecordDeployment => vec![Effect::Bookkeeping],
        Step::Prepare | Step::Service => {
            let p = if *step == Step::Service {
                &s.servicing
            } else {
                &s.preparation
            };
            let mut effects = vec![Effect::Reboots];
            if p.firmware {
                effects.push(Effect::UpdatesFirmware);
            }
            if p.bios {
                effects.push(Effect::AppliesBiosSettings);
            }
            if p.raid != RaidChange::None {
                effects.push(Effect::RebuildsRaid);
            }
            effects
        }
        _ => Vec::new(),
    }
}

/// Where a transition under way leaves the node once Ironic finishes it (the engine waits:
/// `Step::Settle`). A node at rest is left as it is.
fn settled(mut s: Situation) -> Situation {
    use ProvisionState as S;
    match s.state {
        // The inspection under way reads the hardware.
        S::Inspecting | S::InspectWait => s.inspected = true,
        // Cleaning (or the undeploy before it) ends with the machine off.
        S::Cleaning | S::CleanWait | S::CleanHold => s.powered = Some(false),
        S::Deleting => {
            s.recorded = Recorded::Nothing;
            s.image_source = false;
            s.adopted = false;
            s.powered = Some(false);
        }
        // The deployment under way (the one recorded) finishes, and the host runs it.
        S::Deploying | S::WaitCallBack | S::DeployHold => s.powered = Some(true),
        _ => {}
    }
    s.state = resting_state(&s.state);
    s
}

/// Where `step` leaves the node, as far as the decision reads it.
fn after(step: &Step, mut s: Situation) -> Situation {
    use ProvisionState as S;
    let deployed = |mut s: Situation| {
        s.state = S::Active;
        s.recorded = Recorded::AsWanted;
        s.runs_other_image = false;
        s.same_deploy_interface = true;
        s.image_source = s.deploy == Some(DeployMode::Image);
        s.adopted = false;
        s.powered = Some(true);
        s
    };
    match step {
        Step::Manage => s.state = S::Manageable,
        Step::Inspect => s.inspected = true,
        Step::Provide => {
            s.state = S::Available;
            // Cleaning ends with the machine powered off.
            if s.cleaning.automated_clean() {
                s.powered = Some(false);
            }
        }
        Step::Deploy(_) | Step::Rebuild => return deployed(s),
        Step::Deprovision => {
            // Undeployed (and cleaned per the mode) back to `available`, powered off.
            s.state = S::Available;
            s.recorded = Recorded::Nothing;
            s.image_source = false;
            s.runs_other_image = false;
            s.adopted = false;
            s.powered = Some(false);
        }
        Step::Adopt => {
            s.state = S::Active;
            s.adopted = true;
            s.recorded = Recorded::AsWanted;
        }
        Step::RecordDeployment => {
            s.adopted = s.externally_provisioned;
            s.recorded = Recorded::AsWanted;
            s.runs_other_image = false;
        }
        Step::Power(on) => s.powered = Some(*on),
        Step::Service => {
            // Servicing reboots the host and leaves it provisioned and running; RAID stays
            // pending.
            s.preparation.bios &= !s.servicing.bios;
            s.preparation.firmware &= !s.servicing.firmware;
            s.servicing = Preparation::default();
        }
        Step::Prepare => {
            // Manual cleaning ends with the machine powered off.
            s.preparation = Preparation::default();
            s.powered = Some(false);
        }
        _ => {}
    }
    s
}

#[cfg(test)]
#[path = "forecast_tests.rs"]
mod tests;
