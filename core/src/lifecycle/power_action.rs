//! One-off power operations asked by an operator (Terraform actions), apart from the spec's
//! `online`: power on or off, hard or soft, and reboots. The node must be at rest: a host being
//! provisioned, cleaned or inspected is Ironic's to power, and a second power request would
//! fight it.

use crate::client::{Node, PowerTarget, ProvisionState};

use super::engine::{Lifecycle, Result, StaleAfter};
use super::error::LifecycleError;
use super::observe::display_name;
use super::report::status_of;
use super::spec::{HostStatus, OpContext};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerAction {
    On,
    Off,
    /// Asks the operating system to shut down (ACPI); Ironic gives up after its timeout.
    SoftOff,
    Reboot,
    /// Asks the operating system to restart.
    SoftReboot,
}

impl PowerAction {
    fn target(self) -> PowerTarget {
        match self {
            PowerAction::On => PowerTarget::On,
            PowerAction::Off => PowerTarget::Off,
            PowerAction::SoftOff => PowerTarget::SoftOff,
            PowerAction::Reboot => PowerTarget::Reboot,
            PowerAction::SoftReboot => PowerTarget::SoftReboot,
        }
    }

    /// The power state the host ends in.
    fn ends(self) -> &'static str {
        match self {
            PowerAction::Off | PowerAction::SoftOff => "power off",
            _ => "power on",
        }
    }
}

/// Why a node cannot take an operator's operation now (maintenance, moving); `None` when it
/// can.
pub(super) fn busy(node: &Node) -> Option<String> {
    if node.maintenance {
        return Some(format!(
            "the node is in maintenance ({})",
            node.maintenance_reason
                .as_deref()
                .unwrap_or("no reason given")
        ));
    }
    // A failed state keeps the failed operation's target but is at rest: Ironic takes power
    // requests and a new inspection there.
    if let Some(target) = node
        .target_provision_state
        .as_ref()
        .filter(|_| super::status::transition_pending(node))
    {
        return Some(format!(
            "Ironic is moving it from \"{}\" to \"{target}\"",
            node.state()
        ));
    }
    if let Some(target) = &node.target_power_state {
        return Some(format!("a change to \"{target}\" is already under way"));
    }
    None
}

/// Why a node cannot take a power operation now; `None` when it can. A node in `enroll` has a
/// BMC Ironic never verified: a power request to it would hold the node's lock for as long as
/// Ironic waits for a BMC that may never answer.
fn power_refusal(node: &Node) -> Option<String> {
    if let Some(why) = busy(node) {
        return Some(format!("{why}; try again once it is at rest"));
    }
    if node.state() == ProvisionState::Enroll {
        return Some(
            "Ironic has not verified its BMC yet, so a power request could wait for a BMC that \
             never answers; register the host first (applying its host resource has Ironic \
             verify the BMC address and credentials)"
                .into(),
        );
    }
    None
}

/// The node, or the error for an id Ironic does not know.
pub(super) fn existing(node: Option<Node>, id: &str) -> Result<Node> {
    node.ok_or_else(|| LifecycleError::InvalidSpec {
        host: id.to_owned(),
        message: "Ironic has no such node".into(),
        input: None,
    })
}

impl Lifecycle {
    /// Powers the host as asked and waits until Ironic reports the end state. `timeout_secs`
    /// bounds Ironic's own wait for the BMC (soft actions fall back to nothing: they fail).
    /// The request is sent once: a reboot whose answer was lost is not repeated.
    pub async fn power_action(
        &self,
        id: &str,
        action: PowerAction,
        timeout_secs: Option<u32>,
        ctx: &OpContext,
    ) -> Result<HostStatus> {
        let _stale = StaleAfter::new(self.snapshots());
        let node = existing(self.find_by_id(id).await?, id)?;
        let host = display_name(&node);
        let target = action.target();
        if let Some(reason) = power_refusal(&node) {
            return Err(LifecycleError::Refused {
                host,
                operation: target.to_string(),
                state: node.state().to_string(),
                reason,
            });
        }
        tracing::info!("host {host}: {target} (asked by an action)");
        self.client
            .set_power_state(&node.uuid, target, timeout_secs)
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?;
        let now = self
            .await_power(&host, &node.uuid, target, action.ends(), ctx)
            .await?;
        status_of(&self.client, &now, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(value: serde_json::Value) -> Node {
        serde_json::from_value(value).expect("a node")
    }

    #[test]
    fn power_is_refused_before_the_bmc_is_verified_and_while_moving() {
        let enroll =
            node(json!({"uuid": "u-1", "provision_state": "enroll", "maintenance": false}));
        assert!(power_refusal(&enroll).is_some_and(|why| why.contains("not verified its BMC")));
        let moving = node(json!({"uuid": "u-1", "provision_state": "inspect wait",
            "target_provision_state": "manageable", "maintenance": false}));
        assert!(power_refusal(&moving).is_some_and(|why| why.contains("moving it")));
        for at_rest in [
            "manageable",
            "available",
            "active",
            "deploy failed",
            "error",
        ] {
            let n = node(json!({"uuid": "u-1", "provision_state": at_rest, "maintenance": false}));
            assert_eq!(power_refusal(&n), None, "{at_rest}");
        }
        // Ironic keeps a failed operation's target: the node is at rest all the same.
        for (failed, target) in [
            ("deploy failed", "active"),
            ("inspect failed", "manageable"),
        ] {
            let n = node(json!({"uuid": "u-1", "provision_state": failed,
                "target_provision_state": target, "maintenance": false}));
            assert_eq!(power_refusal(&n), None, "{failed}");
        }
    }
}
