//! Why an operation on a host stopped. Messages name the host and, for Ironic failures, carry
//! Ironic's `last_error`; they never contain credentials.

use std::time::Duration;

use crate::bmc::BmcError;
use crate::client::{IronicError, ProvisionState};
use crate::hardware::HardwareError;

use super::fault::{Remedy, SpecInput};
use super::spec::HostStatus;

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("host {host}: Ironic request failed: {source}")]
    Ironic {
        host: String,
        #[source]
        source: IronicError,
    },
    #[error("host {host}: {source}")]
    Bmc {
        host: String,
        #[source]
        source: BmcError,
    },
    #[error("host {host}: {message}")]
    InvalidSpec {
        host: String,
        message: String,
        /// The input at fault, when the error is about one.
        input: Option<SpecInput>,
    },
    /// The BMC rejected the credentials or could not be reached while Ironic verified it
    /// (`manage` fell back to `enroll`). The node is kept so the next apply can fix them.
    #[error("host {host}: registration failed: Ironic could not verify the BMC: {last_error}")]
    Registration { host: String, last_error: String },
    /// New BMC credentials were sent to Ironic, and the BMC refused them when Ironic tried
    /// them: Ironic now holds the refused credentials.
    #[error("host {host}: the BMC refused the new credentials (Ironic now holds them; correct them and apply again): {last_error}")]
    CredentialsRefused { host: String, last_error: String },
    /// An operator's one-off operation (a Terraform action) that was not started: nothing was
    /// sent to Ironic.
    #[error("host {host}: {operation} not started (node in \"{state}\"): {reason}")]
    Refused {
        host: String,
        operation: String,
        state: String,
        reason: String,
    },
    #[error("host {host}: {operation} failed: Ironic moved the node to \"{state}\": {last_error}")]
    Failed {
        host: String,
        operation: String,
        state: String,
        last_error: String,
    },
    /// The operation's time limit (`limit`, as the caller set it) ran out.
    #[error("{}; {}", timeout_headline(host, waiting_for, state, *limit), Remedy::for_state(state))]
    Timeout {
        host: String,
        waiting_for: String,
        state: String,
        limit: Duration,
    },
    #[error("host {host}: cancelled after {:.1}s while waiting for {waiting_for} (node is in \"{state}\")", elapsed.as_secs_f64())]
    Cancelled {
        host: String,
        waiting_for: String,
        state: String,
        elapsed: Duration,
    },
    /// A node with the host's name exists that is not the one the caller manages.
    #[error("host {host}: Ironic already has a node named \"{host}\"{}; it is not managed by this resource and is left untouched", describe_other(id, state))]
    AlreadyExists {
        host: String,
        /// The other node's UUID and provision state (empty when Ironic only said "exists").
        id: String,
        state: String,
    },
    /// The boot MAC address is the port of another node: it is someone else's NIC.
    #[error("host {host}: the boot MAC address {mac} already belongs to another Ironic node ({other}); a MAC identifies one machine")]
    MacInUse {
        host: String,
        mac: String,
        other: String,
    },
    /// Removing a host whose power-off was asked for, the power-off failed: the node is kept
    /// (deleting it would leave a running machine nobody manages).
    #[error("host {host}: the machine could not be powered off before its removal (BMC {bmc}): {source}; the node is kept in Ironic")]
    PowerOffBeforeDelete {
        host: String,
        /// The BMC address as recorded on the node (never credentials).
        bmc: String,
        #[source]
        source: Box<LifecycleError>,
    },
    /// The node went into maintenance after the caller's plan (an operator's stop sign, or
    /// Ironic's own after a fault): nothing more is done to it.
    #[error("host {host}: the Ironic node is in maintenance ({}) that the plan did not see: stopped without changing it", if reason.is_empty() { "no reason given" } else { reason.as_str() })]
    InMaintenance { host: String, reason: String },
    #[error("host {host}: the Ironic node disappeared while {operation}")]
    NodeGone { host: String, operation: String },
    #[error("host {host}: hardware details: {source}")]
    Hardware {
        host: String,
        #[source]
        source: HardwareError,
    },
    /// An operator's one-off operation (a Terraform action) that stopped part-way, after it
    /// moved the host: why, then where the host is now and what brings it back.
    #[error("{}. {left}", part_way_cause(cause))]
    LeftPartWay {
        cause: Box<LifecycleError>,
        left: String,
    },
    #[error(
        "host {host}: gave up after {steps} steps without reaching the spec (node in \"{state}\")"
    )]
    NoProgress {
        host: String,
        state: String,
        steps: usize,
    },
}

/// What the host was doing in an Ironic state, for timeout messages.
pub fn stage_of(state: &str) -> &'static str {
    use ProvisionState as S;
    match ProvisionState::parse(state) {
        S::Enroll | S::Verifying => "registering: Ironic checks the BMC",
        S::Manageable => "registered",
        S::Inspecting | S::InspectWait => "inspecting",
        S::Cleaning | S::CleanWait | S::CleanHold => "cleaning",
        S::Available => "available",
        S::Deploying | S::WaitCallBack | S::DeployHold => "deploying",
        S::Deleting => "undeploying",
        S::Adopting => "adopting",
        S::Active => "deployed",
        _ => "busy",
    }
}

/// What a timeout message says before its remedy: which limit, waiting for what, where.
fn timeout_headline(host: &str, waiting_for: &str, state: &str, limit: Duration) -> String {
    format!(
        "host {host}: the time limit of {} ran out while waiting for {waiting_for} (node in \"{state}\": {})",
        humantime::format_duration(limit),
        stage_of(state)
    )
}

/// Why an operation stopped part-way, as its message starts. A timeout names the action's own
/// limit first (it may only be too short for the host), then what else can hold the host.
fn part_way_cause(cause: &LifecycleError) -> String {
    let LifecycleError::Timeout {
        host,
        waiting_for,
        state,
        limit,
    } = cause
    else {
        return cause.to_string();
    };
    use ProvisionState as S;
    // What else holds the host in a wait (the host's own settings are not the action's to
    // change, so unlike `Remedy` nothing suggests disabling inspection or cleaning).
    let otherwise = match ProvisionState::parse(state) {
        S::InspectWait => {
            "; otherwise no agent reported the hardware: check that the host network-boots the \
             Ironic Python Agent and reaches Ironic"
        }
        S::CleanWait => {
            "; otherwise no agent called back to clean the disks: check that the host boots the \
             Ironic Python Agent and reaches Ironic"
        }
        S::Enroll | S::Verifying => {
            "; otherwise Ironic could not get an answer from the BMC: check the host's BMC \
             address and that Ironic reaches the BMC"
        }
        _ => "",
    };
    format!(
        "host {host}: the action's timeout of {} ran out while waiting for {waiting_for} (node \
         in \"{state}\": {}); if the host is only slow, a longer `timeout` lets it \
         finish{otherwise}",
        humantime::format_duration(*limit),
        stage_of(state),
    )
}

/// The input an Ironic refusal is about: a port request is the boot MAC's; Ironic's "No
/// conductor service registered ... for conductor group" is the conductor group's.
fn ironic_input(source: &IronicError) -> Option<SpecInput> {
    if source.request().is_some_and(|r| r.contains("/ports")) {
        Some(SpecInput::BootMacAddress)
    } else if source.to_string().contains("conductor group") {
        Some(SpecInput::ConductorGroup)
    } else {
        None
    }
}

fn describe_other(id: &str, state: &str) -> String {
    match (id.is_empty(), state.is_empty()) {
        (true, _) => String::new(),
        (false, true) => format!(" (node {id})"),
        (false, false) => format!(" (node {id}, provision state \"{state}\")"),
    }
}

impl LifecycleError {
    /// The node is in a maintenance nobody announced ending (see `InMaintenance`).
    pub fn in_maintenance(host: &str, node: &crate::client::Node) -> Self {
        LifecycleError::InMaintenance {
            host: host.to_owned(),
            reason: node.maintenance_reason.clone().unwrap_or_default(),
        }
    }

    /// A timeout's message without its remedy, for a caller that words the remedy itself
    /// (`Remedy::for_state` of the state); `None` for any other error.
    pub fn timeout_headline(&self) -> Option<String> {
        match self {
            LifecycleError::Timeout {
                host,
                waiting_for,
                state,
                limit,
            } => Some(timeout_headline(host, waiting_for, state, *limit)),
            _ => None,
        }
    }

    /// The input of the host's spec the error is about, when it is about one; the caller points
    /// at it in its own terms.
    pub fn input_at_fault(&self) -> Option<SpecInput> {
        use LifecycleError as E;
        match self {
            E::Registration { .. } | E::CredentialsRefused { .. } => {
                Some(SpecInput::BmcCredentials)
            }
            E::Bmc { .. } => Some(SpecInput::BmcAddress),
            E::MacInUse { .. } => Some(SpecInput::BootMacAddress),
            E::AlreadyExists { .. } => Some(SpecInput::Name),
            E::InvalidSpec { input, .. } => *input,
            E::PowerOffBeforeDelete { .. } => Some(SpecInput::PowerOffOnDelete),
            E::Failed { operation, .. } => match operation.as_str() {
                "provisioning" => Some(SpecInput::Image),
                "inspection" => Some(SpecInput::InspectionMode),
                "cleaning" => Some(SpecInput::AutomatedCleaningMode),
                _ => None,
            },
            E::Ironic { source, .. } => ironic_input(source),
            _ => None,
        }
    }

    pub fn is_already_exists(&self) -> bool {
        matches!(self, LifecycleError::AlreadyExists { .. })
    }

    pub fn ironic(host: &str, source: IronicError) -> Self {
        LifecycleError::Ironic {
            host: host.to_owned(),
            source,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, LifecycleError::Cancelled { .. })
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, LifecycleError::Timeout { .. })
    }
}

/// A failed `ensure`: the error plus the host's status when it could still be read, so the
/// caller can record what was reached (Terraform keeps partial state).
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct LifecycleFailure {
    pub error: LifecycleError,
    pub partial: Option<HostStatus>,
    /// The spec's BMC credentials reached Ironic before the failure: Ironic holds them now,
    /// whether or not the BMC accepted them.
    pub credentials_sent: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_remedies_read_ironic_state_names() {
        assert_eq!(stage_of("verifying"), "registering: Ironic checks the BMC");
        assert_eq!(stage_of("clean hold"), "cleaning");
        assert_eq!(stage_of("wait call-back"), "deploying");
        assert_eq!(stage_of("active"), "deployed");
        assert_eq!(stage_of("some future state"), "busy");
        assert_eq!(stage_of(""), "busy");
    }

    #[test]
    fn a_timeout_says_its_headline_then_its_remedy() {
        let error = LifecycleError::Timeout {
            host: "ns~h".into(),
            waiting_for: "manageable".into(),
            state: "inspect wait".into(),
            limit: Duration::from_secs(90),
        };
        let headline = error.timeout_headline().unwrap();
        assert_eq!(
            headline,
            "host ns~h: the time limit of 1m 30s ran out while waiting for manageable (node in \
             \"inspect wait\": inspecting)"
        );
        assert_eq!(
            error.to_string(),
            format!("{headline}; {}", Remedy::InspectionAgent)
        );
        assert_eq!(error.input_at_fault(), None);
    }

    #[test]
    fn errors_name_the_input_at_fault() {
        let failed = |operation: &str| LifecycleError::Failed {
            host: "h".into(),
            operation: operation.into(),
            state: "x".into(),
            last_error: "y".into(),
        };
        assert_eq!(
            failed("provisioning").input_at_fault(),
            Some(SpecInput::Image)
        );
        assert_eq!(
            failed("inspection").input_at_fault(),
            Some(SpecInput::InspectionMode)
        );
        assert_eq!(
            failed("cleaning").input_at_fault(),
            Some(SpecInput::AutomatedCleaningMode)
        );
        assert_eq!(failed("power").input_at_fault(), None);
        let ironic = |request: &str, message: &str| {
            LifecycleError::ironic(
                "h",
                IronicError::Http {
                    status: 400,
                    request: request.into(),
                    message: message.into(),
                },
            )
        };
        assert_eq!(
            ironic("POST /v1/ports", "bad MAC").input_at_fault(),
            Some(SpecInput::BootMacAddress)
        );
        assert_eq!(
            ironic(
                "POST /v1/nodes",
                "No conductor service registered which supports driver ipmi for conductor group \"x\"."
            )
            .input_at_fault(),
            Some(SpecInput::ConductorGroup)
        );
        assert_eq!(ironic("GET /v1/nodes", "boom").input_at_fault(), None);
        let registration = LifecycleError::Registration {
            host: "h".into(),
            last_error: "refused".into(),
        };
        assert_eq!(
            registration.input_at_fault(),
            Some(SpecInput::BmcCredentials)
        );
    }
}
