//! Re-inspection asked by an operator (a Terraform action). Ironic inspects only hosts that are
//! not provisioned, from `manageable`: an `available` host is taken to `manageable`, inspected
//! and provided again. Providing runs Ironic's automated cleaning when the host has it on, which
//! erases its disks, so that host is inspected only when the caller says cleaning is wanted.
//! Its power is put back as it was: inspection leaves a host off.

use crate::client::{Node, ProvisionState};

use super::engine::{display_name, Lifecycle, Result, StaleAfter};
use super::error::LifecycleError;
use super::observe;
use super::power_action::{busy, existing};
use super::spec::{HostStatus, OpContext};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InspectOptions {
    /// An `available` host with automated cleaning on may be cleaned on its way back.
    pub allow_cleaning: bool,
}

/// What re-inspecting the node takes, or why it is not started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// `manageable` or `inspect failed`: inspect, and the host stays `manageable`.
    Inspect,
    /// `available`: manage, inspect, provide.
    ThroughManageable,
}

fn route(node: &Node, options: InspectOptions) -> std::result::Result<Route, String> {
    use ProvisionState as S;
    if let Some(why) = busy(node) {
        return Err(format!("{why}; try again once it is at rest"));
    }
    if node.state() == S::Active {
        return Err(
            "Ironic inspects only hosts that are not provisioned; inspecting this one \
                    would mean deprovisioning it, which erases its disks"
                .into(),
        );
    }
    if node.inspect_interface.as_deref() == Some("no-inspect") {
        return Err(
            "its inspection is disabled; set the host's inspection_mode = \"agent\" \
                    first"
                .into(),
        );
    }
    match node.state() {
        S::Manageable | S::InspectFailed => Ok(Route::Inspect),
        S::Available if node.automated_clean.unwrap_or(true) && !options.allow_cleaning => Err(
            "an available host returns to available through Ironic's automated cleaning, which \
             erases its disks; set automated_cleaning_mode = \"disabled\" on the host, or \
             allow_cleaning = true on the action to have it cleaned"
                .into(),
        ),
        S::Available => Ok(Route::ThroughManageable),
        _ => Err("Ironic inspects hosts that are \"manageable\" or \"available\"".into()),
    }
}

impl Lifecycle {
    /// Inspects the host again and waits until it is back where it was (`manageable`, or
    /// `available` by way of `manageable`); the new inventory is the one the next read returns.
    pub async fn inspect_action(
        &self,
        id: &str,
        options: InspectOptions,
        ctx: &OpContext,
    ) -> Result<HostStatus> {
        let _stale = StaleAfter::new(self.snapshots());
        let node = existing(self.find_by_id(id).await?, id)?;
        let host = display_name(&node);
        let route = route(&node, options).map_err(|reason| LifecycleError::Refused {
            host: host.clone(),
            operation: "inspection".into(),
            state: node.state().to_string(),
            reason,
        })?;
        tracing::info!("host {host}: inspection (asked by an action)");
        let node = match route {
            Route::Inspect => self.inspect(&host, &node, ctx).await?,
            Route::ThroughManageable => {
                let was_on = observe::power(&node) == Some(true);
                let node = self.manage(&host, &node, ctx).await?;
                let node = self.inspect(&host, &node, ctx).await?;
                let node = self.provide(&host, &node, ctx).await?;
                // Inspection ends with the host off; a host that was on (`online = true`) is
                // put back so that the action leaves no drift behind.
                if was_on && observe::power(&node) != Some(true) {
                    self.power(&host, &node, true, ctx).await?
                } else {
                    node
                }
            }
        };
        self.status_of(&node).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(state: &str, extra: serde_json::Value) -> Node {
        let mut value = json!({"uuid": "u-1", "provision_state": state, "maintenance": false});
        value
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(value).unwrap()
    }

    fn refused(node: &Node, options: InspectOptions) -> String {
        route(node, options).expect_err("refused")
    }

    #[test]
    fn manageable_hosts_are_inspected_where_they_are() {
        let options = InspectOptions::default();
        assert_eq!(
            route(&node("manageable", json!({})), options),
            Ok(Route::Inspect)
        );
        assert_eq!(
            route(&node("inspect failed", json!({})), options),
            Ok(Route::Inspect)
        );
    }

    #[test]
    fn available_hosts_are_cleaned_on_the_way_back_only_when_allowed() {
        let cleaning = node("available", json!({"automated_clean": true}));
        assert!(refused(&cleaning, InspectOptions::default()).contains("erases its disks"));
        let allowed = InspectOptions {
            allow_cleaning: true,
        };
        assert_eq!(route(&cleaning, allowed), Ok(Route::ThroughManageable));
        // Unset is Ironic's default: cleaning on.
        let unset = node("available", json!({}));
        assert!(route(&unset, InspectOptions::default()).is_err());
        let no_cleaning = node("available", json!({"automated_clean": false}));
        assert_eq!(
            route(&no_cleaning, InspectOptions::default()),
            Ok(Route::ThroughManageable)
        );
    }

    #[test]
    fn provisioned_moving_and_uninspectable_hosts_are_refused() {
        let allowed = InspectOptions {
            allow_cleaning: true,
        };
        assert!(refused(&node("active", json!({})), allowed).contains("not provisioned"));
        let adopted = node("active", json!({"inspect_interface": "no-inspect"}));
        assert!(refused(&adopted, allowed).contains("not provisioned"));
        let moving = node("available", json!({"target_provision_state": "manageable"}));
        assert!(refused(&moving, allowed).contains("moving it"));
        let maintenance = node(
            "manageable",
            json!({"maintenance": true, "maintenance_reason": "disk swap"}),
        );
        assert!(refused(&maintenance, allowed).contains("maintenance (disk swap)"));
        let disabled = node("manageable", json!({"inspect_interface": "no-inspect"}));
        assert!(refused(&disabled, allowed).contains("inspection_mode"));
        assert!(refused(&node("enroll", json!({})), allowed).contains("\"manageable\""));
    }
}
