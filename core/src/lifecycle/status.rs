//! Ironic node state to BareMetalHost status: BMO's provisioning state names, error type and
//! operational status.

use crate::client::ProvisionState;

use super::spec::{ErrorType, OperationalStatus, ProvisioningState};

/// Whether Ironic is still moving the node. A failed state is at rest even though Ironic keeps
/// the failed operation's target (e.g. `inspect failed` with target `manageable`).
pub fn transition_pending(node: &crate::client::Node) -> bool {
    node.target_provision_state.is_some() && !node.state().is_failed()
}

/// The node facts the mapping reads.
#[derive(Debug, Clone, Copy)]
pub struct NodeState<'a> {
    pub provision_state: &'a ProvisionState,
    pub target_provision_state: Option<&'a str>,
    pub last_error: Option<&'a str>,
    /// Ironic's `fault` (e.g. `power failure`), set when the conductor lost the BMC.
    pub fault: Option<&'a str>,
    /// Recorded by this engine: the host was adopted, not deployed.
    pub externally_provisioned: bool,
    /// Recorded by this engine: an image or custom deploy is (or was until the current
    /// deprovision completes) on the host.
    pub deployment_recorded: bool,
}

/// The BareMetalHost view of a node state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MappedState {
    pub provisioning_state: ProvisioningState,
    pub error_type: Option<ErrorType>,
    pub operational_status: OperationalStatus,
}

pub fn map_state(node: NodeState<'_>) -> MappedState {
    use ProvisionState as S;
    use ProvisioningState as P;
    let has_error = node.last_error.is_some_and(|e| !e.trim().is_empty());
    let active = if node.externally_provisioned {
        P::ExternallyProvisioned
    } else {
        P::Provisioned
    };
    let (state, error) = match node.provision_state {
        // `enroll` after a failed `manage` keeps last_error: the credentials or BMC are wrong.
        S::Enroll => (P::Registering, has_error.then_some(ErrorType::Registration)),
        S::Verifying => (P::Registering, None),
        // Between inspection and provide (BMO's preparing step).
        S::Manageable => (P::Preparing, None),
        S::Inspecting | S::InspectWait => (P::Inspecting, None),
        S::InspectFailed => (P::Inspecting, Some(ErrorType::Inspection)),
        S::Cleaning | S::CleanWait | S::CleanHold => (cleaning_state(node), None),
        S::CleanFailed => (P::Preparing, Some(ErrorType::Preparation)),
        S::Available => (P::Available, None),
        S::Deploying | S::WaitCallBack | S::DeployHold => (P::Provisioning, None),
        S::DeployFailed => (P::Provisioning, Some(ErrorType::Provisioning)),
        S::Active => (active, None),
        S::Adopting => (P::ExternallyProvisioned, None),
        S::AdoptFailed => (active, Some(ErrorType::ProvisionedRegistration)),
        S::Deleting => (P::Deprovisioning, None),
        // Ironic's `error` is a failed undeploy.
        S::Error => (P::Deprovisioning, Some(ErrorType::Provisioning)),
        S::Servicing | S::ServiceWait | S::ServiceHold => (active, None),
        S::ServiceFailed => (active, Some(ErrorType::Servicing)),
        S::Rescuing | S::RescueWait | S::Rescue | S::Unrescuing => (active, None),
        S::RescueFailed | S::UnrescueFailed => (active, Some(ErrorType::Provisioning)),
        S::Other(_) => (P::None, None),
    };
    let error = error.or_else(|| {
        (node.fault == Some("power failure") && has_error).then_some(ErrorType::PowerManagement)
    });
    MappedState {
        provisioning_state: state,
        error_type: error,
        operational_status: if error.is_some() {
            OperationalStatus::Error
        } else {
            OperationalStatus::Ok
        },
    }
}

/// The error type of an operation that ran out of time in `state` (Ironic itself reports no
/// error then: the node is still waiting).
pub fn timeout_error_type(state: &str) -> ErrorType {
    use ProvisionState as S;
    match ProvisionState::parse(state) {
        S::Enroll | S::Verifying => ErrorType::Registration,
        S::Inspecting | S::InspectWait => ErrorType::Inspection,
        S::Manageable | S::Cleaning | S::CleanWait | S::CleanHold => ErrorType::Preparation,
        S::Adopting => ErrorType::ProvisionedRegistration,
        _ => ErrorType::Provisioning,
    }
}

/// Cleaning on the way out of `active` (undeploy) is deprovisioning; on the way from
/// `manageable` (provide) it is preparing. Ironic does not say which, but the engine removes
/// its deployment record only after a deprovision completes, so a record means deprovisioning.
fn cleaning_state(node: NodeState<'_>) -> ProvisioningState {
    if node.deployment_recorded {
        ProvisioningState::Deprovisioning
    } else {
        ProvisioningState::Preparing
    }
}

/// Ironic's `last_error` when a conductor restart failed a node in a transient state
/// (deploying, cleaning, inspecting, ...): "The <state> state can't be resumed by conductor
/// <host>. Moving to fail state." The host did nothing wrong.
pub fn failed_by_restart(last_error: &str) -> bool {
    last_error.contains("can't be resumed by conductor")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(state: &str, last_error: Option<&str>) -> NodeState<'static> {
        let state: &'static ProvisionState = Box::leak(Box::new(ProvisionState::parse(state)));
        let last_error = last_error.map(|e| &*Box::leak(e.to_owned().into_boxed_str()));
        NodeState {
            provision_state: state,
            target_provision_state: None,
            last_error,
            fault: None,
            externally_provisioned: false,
            deployment_recorded: false,
        }
    }

    #[test]
    fn stable_states_map_to_bmo_names() {
        let cases = [
            ("enroll", ProvisioningState::Registering),
            ("verifying", ProvisioningState::Registering),
            ("inspect wait", ProvisioningState::Inspecting),
            ("manageable", ProvisioningState::Preparing),
            ("available", ProvisioningState::Available),
            ("wait call-back", ProvisioningState::Provisioning),
            ("active", ProvisioningState::Provisioned),
            ("deleting", ProvisioningState::Deprovisioning),
        ];
        for (ironic, bmo) in cases {
            let mapped = map_state(node(ironic, None));
            assert_eq!(mapped.provisioning_state, bmo, "{ironic}");
            assert_eq!(mapped.error_type, None, "{ironic}");
            assert_eq!(mapped.operational_status, OperationalStatus::Ok);
        }
    }

    #[test]
    fn failed_states_carry_an_error_type() {
        let cases = [
            ("inspect failed", ErrorType::Inspection),
            ("clean failed", ErrorType::Preparation),
            ("deploy failed", ErrorType::Provisioning),
            ("adopt failed", ErrorType::ProvisionedRegistration),
            ("error", ErrorType::Provisioning),
        ];
        for (ironic, error) in cases {
            let mapped = map_state(node(ironic, Some("boom")));
            assert_eq!(mapped.error_type, Some(error), "{ironic}");
            assert_eq!(mapped.operational_status, OperationalStatus::Error);
            assert!(ProvisionState::parse(ironic).is_failed());
        }
    }

    #[test]
    fn unknown_states_map_to_no_bmo_state() {
        for ironic in ["some future state", ""] {
            let mapped = map_state(node(ironic, Some("boom")));
            assert_eq!(mapped.provisioning_state, ProvisioningState::None);
            assert_eq!(mapped.error_type, None);
        }
    }

    #[test]
    fn timeouts_are_typed_by_the_state_they_stopped_in() {
        let cases = [
            ("verifying", ErrorType::Registration),
            ("inspect wait", ErrorType::Inspection),
            ("manageable", ErrorType::Preparation),
            ("clean wait", ErrorType::Preparation),
            ("adopting", ErrorType::ProvisionedRegistration),
            ("wait call-back", ErrorType::Provisioning),
            ("some future state", ErrorType::Provisioning),
        ];
        for (ironic, error) in cases {
            assert_eq!(timeout_error_type(ironic), error, "{ironic}");
        }
    }

    #[test]
    fn enroll_with_last_error_is_a_registration_error() {
        let mapped = map_state(node("enroll", Some("Failed to get power state: 401")));
        assert_eq!(mapped.error_type, Some(ErrorType::Registration));
        assert_eq!(map_state(node("enroll", Some("  "))).error_type, None);
    }

    #[test]
    fn adopted_hosts_are_externally_provisioned() {
        let mut adopted = node("active", None);
        adopted.externally_provisioned = true;
        assert_eq!(
            map_state(adopted).provisioning_state,
            ProvisioningState::ExternallyProvisioned
        );
    }

    #[test]
    fn cleaning_after_a_deployment_is_deprovisioning() {
        let mut cleaning = node("clean wait", None);
        assert_eq!(
            map_state(cleaning).provisioning_state,
            ProvisioningState::Preparing
        );
        cleaning.deployment_recorded = true;
        assert_eq!(
            map_state(cleaning).provisioning_state,
            ProvisioningState::Deprovisioning
        );
    }

    #[test]
    fn power_failure_is_a_power_management_error() {
        let mut lost = node("active", Some("power state sync failed"));
        lost.fault = Some("power failure");
        assert_eq!(map_state(lost).error_type, Some(ErrorType::PowerManagement));
    }
}
