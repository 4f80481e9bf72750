//! Ironic's provision states as a type. Each state's name is written once, in the table below;
//! each set of states the engine reasons about has one name, a predicate here.

use std::fmt;

/// Declares [`ProvisionState`], its list of known states and their names from one table, so a
/// state cannot be added without a name or left out of [`ProvisionState::KNOWN`].
macro_rules! provision_states {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)+) => {
        /// A node's `provision_state`: the states of Ironic's state machine
        /// (`ironic/common/states.py`, `ironic/common/state_machine.py`), and
        /// [`ProvisionState::Other`] for any other name, so that a newer Ironic does not break
        /// us.
        ///
        /// Build it with [`ProvisionState::parse`]: `Other` never holds a known name.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum ProvisionState {
            $($(#[doc = $doc])* $variant,)+
            /// A name this crate does not know (a newer Ironic), kept as Ironic wrote it; also
            /// the empty name of a node whose state Ironic did not report.
            Other(String),
        }

        impl ProvisionState {
            /// Every state this crate knows, in Ironic's order.
            pub const KNOWN: &'static [ProvisionState] = &[$(ProvisionState::$variant,)+];

            /// The name Ironic uses (for `Other`, the name as Ironic wrote it).
            pub fn as_str(&self) -> &str {
                match self {
                    $(ProvisionState::$variant => $name,)+
                    ProvisionState::Other(name) => name,
                }
            }
        }
    };
}

provision_states! {
    /// Ironic knows the node but does not manage it yet.
    Enroll = "enroll",
    /// Ironic checks the BMC credentials (`manage`).
    Verifying = "verifying",
    /// Ironic manages the node; not available for deployment.
    Manageable = "manageable",
    Inspecting = "inspecting",
    /// Inspection waits for the agent to report the hardware.
    InspectWait = "inspect wait",
    InspectFailed = "inspect failed",
    Cleaning = "cleaning",
    /// Cleaning waits for the agent to run a clean step.
    CleanWait = "clean wait",
    /// Held by a clean step.
    CleanHold = "clean hold",
    CleanFailed = "clean failed",
    /// Ready to be deployed.
    Available = "available",
    Deploying = "deploying",
    /// Deployment waits for the agent to call back.
    WaitCallBack = "wait call-back",
    /// Held by a deploy step.
    DeployHold = "deploy hold",
    DeployFailed = "deploy failed",
    /// Deployed (or adopted).
    Active = "active",
    /// Being undeployed.
    Deleting = "deleting",
    /// Undeploying failed.
    Error = "error",
    Adopting = "adopting",
    AdoptFailed = "adopt failed",
    Rescuing = "rescuing",
    RescueWait = "rescue wait",
    /// Running the rescue ramdisk.
    Rescue = "rescue",
    RescueFailed = "rescue failed",
    Unrescuing = "unrescuing",
    UnrescueFailed = "unrescue failed",
    Servicing = "servicing",
    ServiceWait = "service wait",
    ServiceHold = "service hold",
    ServiceFailed = "service failed",
}

impl ProvisionState {
    /// The state named `name`; `Other` when it is not one of [`ProvisionState::KNOWN`].
    pub fn parse(name: &str) -> Self {
        ProvisionState::KNOWN
            .iter()
            .find(|state| state.as_str() == name)
            .cloned()
            .unwrap_or_else(|| ProvisionState::Other(name.to_owned()))
    }

    /// An operation failed: Ironic's failure states, and `error` (a failed undeploy). Ironic
    /// stays there until asked to do something else.
    pub fn is_failed(&self) -> bool {
        use ProvisionState as S;
        matches!(
            self,
            S::InspectFailed
                | S::CleanFailed
                | S::DeployFailed
                | S::AdoptFailed
                | S::RescueFailed
                | S::UnrescueFailed
                | S::ServiceFailed
                | S::Error
        )
    }

    /// Nothing is in progress and nothing failed.
    pub fn is_stable(&self) -> bool {
        use ProvisionState as S;
        matches!(self, S::Enroll | S::Manageable | S::Available | S::Active)
    }

    /// Ironic waits for the agent ramdisk to boot and call back (it may never come).
    pub fn waits_for_agent(&self) -> bool {
        use ProvisionState as S;
        matches!(
            self,
            S::InspectWait | S::CleanWait | S::WaitCallBack | S::RescueWait | S::ServiceWait
        )
    }

    /// Registered or being inspected: no deployment yet, no cleaning under way.
    fn is_registered_or_inspecting(&self) -> bool {
        use ProvisionState as S;
        matches!(
            self,
            S::Enroll
                | S::Verifying
                | S::Manageable
                | S::Inspecting
                | S::InspectWait
                | S::InspectFailed
        )
    }

    /// On the way to `available`: registering, inspecting and cleaning (these boot the agent
    /// with the agent's boot and deploy interfaces).
    pub fn is_before_available(&self) -> bool {
        use ProvisionState as S;
        self.is_registered_or_inspecting()
            || matches!(
                self,
                S::Cleaning | S::CleanWait | S::CleanHold | S::CleanFailed
            )
    }

    /// No deployment is on the host as far as Ironic is concerned (never deployed, or undeployed
    /// and cleaned). Cleaning is not among them: it may be the end of an undeploy.
    pub fn is_undeployed(&self) -> bool {
        self.is_registered_or_inspecting() || *self == ProvisionState::Available
    }

    /// Ironic lets the node's driver and hardware interfaces be changed.
    pub fn allows_interface_changes(&self) -> bool {
        use ProvisionState as S;
        matches!(
            self,
            S::Enroll | S::Manageable | S::Available | S::InspectFailed | S::CleanFailed
        )
    }

    /// Ironic deletes the node without maintenance mode.
    pub fn is_deletable(&self) -> bool {
        use ProvisionState as S;
        matches!(
            self,
            S::Enroll | S::Manageable | S::Available | S::AdoptFailed
        )
    }
}

impl fmt::Display for ProvisionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ProvisionState as S;

    /// The states of Ironic 39's state machine (`ironic/common/state_machine.py`), by name.
    const IRONIC_STATES: &[&str] = &[
        "enroll",
        "verifying",
        "manageable",
        "inspecting",
        "inspect wait",
        "inspect failed",
        "cleaning",
        "clean wait",
        "clean hold",
        "clean failed",
        "available",
        "deploying",
        "wait call-back",
        "deploy hold",
        "deploy failed",
        "active",
        "deleting",
        "error",
        "adopting",
        "adopt failed",
        "rescuing",
        "rescue wait",
        "rescue",
        "rescue failed",
        "unrescuing",
        "unrescue failed",
        "servicing",
        "service wait",
        "service hold",
        "service failed",
    ];

    #[test]
    fn every_ironic_state_is_known_once_and_round_trips() {
        let names: Vec<&str> = S::KNOWN.iter().map(S::as_str).collect();
        assert_eq!(names, IRONIC_STATES);
        for state in S::KNOWN {
            assert!(!matches!(state, S::Other(_)), "{state:?}");
            assert_eq!(&S::parse(state.as_str()), state);
            assert_eq!(state.to_string(), state.as_str());
        }
    }

    #[test]
    fn unknown_names_are_kept_verbatim() {
        for name in [
            "future state",
            "",
            "Active",
            " active",
            "deleted",
            "deploy complete",
        ] {
            let state = S::parse(name);
            assert_eq!(state, S::Other(name.to_owned()));
            assert_eq!(state.as_str(), name);
            assert_eq!(S::parse(state.as_str()), state);
            assert!(!state.is_failed() && !state.is_stable() && !state.waits_for_agent());
            assert!(!state.is_before_available() && !state.is_undeployed());
            assert!(!state.allows_interface_changes() && !state.is_deletable());
        }
    }

    /// The states for which `predicate` holds, by name.
    fn names(predicate: fn(&S) -> bool) -> Vec<&'static str> {
        S::KNOWN
            .iter()
            .filter(|state| predicate(state))
            .map(S::as_str)
            .collect()
    }

    #[test]
    fn predicates_name_their_sets() {
        assert_eq!(
            names(S::is_failed),
            [
                "inspect failed",
                "clean failed",
                "deploy failed",
                "error",
                "adopt failed",
                "rescue failed",
                "unrescue failed",
                "service failed"
            ]
        );
        assert_eq!(
            names(S::is_stable),
            ["enroll", "manageable", "available", "active"]
        );
        assert_eq!(
            names(S::waits_for_agent),
            [
                "inspect wait",
                "clean wait",
                "wait call-back",
                "rescue wait",
                "service wait"
            ]
        );
        // Everything Ironic's state machine lists before `available`.
        let available = IRONIC_STATES
            .iter()
            .position(|s| *s == "available")
            .unwrap();
        assert_eq!(names(S::is_before_available), IRONIC_STATES[..available]);
        assert_eq!(
            names(S::is_undeployed),
            [
                "enroll",
                "verifying",
                "manageable",
                "inspecting",
                "inspect wait",
                "inspect failed",
                "available"
            ]
        );
        assert_eq!(
            names(S::allows_interface_changes),
            [
                "enroll",
                "manageable",
                "inspect failed",
                "clean failed",
                "available"
            ]
        );
        assert_eq!(
            names(S::is_deletable),
            ["enroll", "manageable", "available", "adopt failed"]
        );
    }

    #[test]
    fn stable_failed_and_waiting_do_not_overlap() {
        for state in S::KNOWN {
            let sets = [
                state.is_stable(),
                state.is_failed(),
                state.waits_for_agent(),
            ];
            assert!(sets.iter().filter(|&&b| b).count() <= 1, "{state}");
        }
    }
}
