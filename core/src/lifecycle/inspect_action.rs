//! Re-inspection asked by an operator (a Terraform action). Ironic inspects only hosts that are
//! not provisioned, from `manageable`: an `available` host is taken to `manageable`, inspected
//! and provided again. Providing runs Ironic's automated cleaning when the host has it on, which
//! erases its disks, so that host is inspected only when the caller says cleaning is wanted.
//! Its power is put back as it was: inspection leaves a host off.

use crate::client::{Node, ProvisionState};

use super::engine::{Lifecycle, Result, StaleAfter};
use super::error::LifecycleError;
use super::observe;
use super::observe::display_name;
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
    if !matches!(
        node.state(),
        S::Manageable | S::InspectFailed | S::Available
    ) {
        return Err("Ironic inspects hosts that are \"manageable\" or \"available\"".into());
    }
    if node.inspect_interface.as_deref() == Some("no-inspect") {
        return Err(
            "its inspection is disabled; set the host's inspection_mode = \"agent\" \
                    first"
                .into(),
        );
    }
    if node.state() != S::Available {
        return Ok(Route::Inspect);
    }
    if node.automated_clean.unwrap_or(true) && !options.allow_cleaning {
        return Err(
            "an available host returns to available through Ironic's automated cleaning, which \
             erases its disks; set automated_cleaning_mode = \"disabled\" on the host, or \
             allow_cleaning = true on the action to have it cleaned"
                .into(),
        );
    }
    Ok(Route::ThroughManageable)
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
        match self.inspect_by(&host, &node, route, ctx).await {
            Ok(now) => self.status_of(&now).await,
            Err(e @ LifecycleError::NodeGone { .. }) => Err(e),
            Err(cause) => {
                let now = self.find_by_id(&node.uuid).await;
                Err(LifecycleError::LeftPartWay {
                    cause: Box::new(cause),
                    left: match now {
                        Ok(Some(now)) => where_left(&node, &now),
                        Ok(None) => "The node is gone from Ironic.".into(),
                        Err(e) => format!("Where the host is now could not be read: {e}."),
                    },
                })
            }
        }
    }

    async fn inspect_by(
        &self,
        host: &str,
        node: &Node,
        route: Route,
        ctx: &OpContext,
    ) -> Result<Node> {
        match route {
            Route::Inspect => self.inspect(host, node, ctx).await,
            Route::ThroughManageable => {
                let was_on = observe::power(node) == Some(true);
                let node = self.manage(host, node, ctx).await?;
                let node = self.inspect(host, &node, ctx).await?;
                let node = self.provide(host, &node, ctx).await?;
                // Inspection ends with the host off; a host that was on (`online = true`) is
                // put back so that the action leaves no drift behind.
                if was_on && observe::power(&node) != Some(true) {
                    self.power(host, &node, true, ctx).await
                } else {
                    Ok(node)
                }
            }
        }
    }
}

fn powered(node: &Node) -> &'static str {
    match observe::power(node) {
        Some(true) => "powered on",
        Some(false) => "powered off",
        None => "power not known",
    }
}

/// Where an inspection that stopped part-way left the host (`now`; `before` is where it
/// started), and the way back: Ironic finishes what it started, and the next apply of the
/// host's resource, which resumes any unsettled host, takes it to its configuration.
fn where_left(before: &Node, now: &Node) -> String {
    use ProvisionState as S;
    let moving = now
        .target_provision_state
        .as_deref()
        .map(|target| format!(" (Ironic moving it to \"{target}\")"))
        .unwrap_or_default();
    let mut text = format!(
        "The host is left in \"{}\"{moving}, {} (before the action: \"{}\", {}).",
        now.state(),
        powered(now),
        before.state(),
        powered(before),
    );
    match now.state() {
        S::Inspecting | S::InspectWait => text.push_str(
            " Ironic goes on inspecting it: it ends in \"manageable\", powered off, or in \
             \"inspect failed\" if no agent reports within Ironic's own inspection timeout.",
        ),
        S::Cleaning | S::CleanWait => {
            text.push_str(" Ironic goes on cleaning it, to \"available\".");
        }
        _ => {}
    }
    text.push_str(
        " The next apply of the host's `metal3_baremetal_host` resumes from there: it waits \
         for Ironic to finish, then takes the host back to what its configuration asks \
         (`available` by Ironic's provide, which cleans the disks when its \
         automated_cleaning_mode is metadata, or deployed when it has an image) and powers it \
         as `online` says.",
    );
    if before.state() == S::Available {
        text.push_str(
            " Running this action again, with a longer `timeout`, once the host is at rest \
             inspects it where it is: from \"manageable\" it stays \"manageable\".",
        );
    }
    text
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
        // As Ironic leaves it: the failed inspection's target kept.
        let failed = node(
            "inspect failed",
            json!({"target_provision_state": "manageable"}),
        );
        assert_eq!(route(&failed, options), Ok(Route::Inspect));
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

    #[test]
    fn an_inspection_stopped_part_way_says_where_the_host_is_and_the_way_back() {
        let before = node("available", json!({"power_state": "power on"}));
        let waiting = node(
            "inspect wait",
            json!({"target_provision_state": "manageable", "power_state": "power on"}),
        );
        let text = where_left(&before, &waiting);
        for needle in [
            "left in \"inspect wait\" (Ironic moving it to \"manageable\"), powered on",
            "before the action: \"available\", powered on",
            "ends in \"manageable\", powered off",
            "next apply of the host's `metal3_baremetal_host`",
            "powers it as `online` says",
            "from \"manageable\" it stays \"manageable\"",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
        let left = node("manageable", json!({"power_state": "power off"}));
        let text = where_left(&before, &left);
        assert!(
            text.contains("left in \"manageable\", powered off"),
            "{text}"
        );
        assert!(!text.contains("goes on inspecting"), "{text}");

        let timeout = LifecycleError::LeftPartWay {
            cause: Box::new(LifecycleError::Timeout {
                host: "lab~w0".into(),
                waiting_for: "manageable".into(),
                state: "inspect wait".into(),
                limit: std::time::Duration::from_secs(20),
            }),
            left: text,
        };
        let message = timeout.to_string();
        assert!(
            message.starts_with("host lab~w0: the action's timeout of 20s ran out"),
            "{message}"
        );
        assert!(
            message.contains("a longer `timeout` lets it finish; otherwise no agent"),
            "{message}"
        );
        assert!(message.contains("The host is left in"), "{message}");
    }
}
