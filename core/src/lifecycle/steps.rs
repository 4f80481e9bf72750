//! The steps `Lifecycle` takes on Ironic: each one request (or a short sequence) plus the wait
//! for Ironic to finish it. Which step comes next is decided in `plan`.

use serde_json::{Map, Value};

use crate::bmc::{DeployMode, DriverSettings};
use crate::client::{
    Node, NodeCreate, PatchOp, PortCreate, PowerTarget, ProvisionOptions, ProvisionState,
    ProvisionTarget,
};

use super::create_once;
use super::deploy;
use super::engine::{Lifecycle, Result};
use super::error::LifecycleError;
use super::persist;
use super::plan;
use super::spec::{AutomatedCleaningMode, HostSpec, KnownHost, OpContext};
use super::state_change;
use super::status as state_map;
use super::wait::{at_rest_in, wait_for, WaitGoal};

impl Lifecycle {
    pub(super) async fn enroll(
        &self,
        spec: &HostSpec,
        settings: &DriverSettings,
        hardware_kept: bool,
    ) -> Result<Node> {
        let host = spec.node_name();
        let mut properties = Map::new();
        properties.insert(
            "capabilities".into(),
            plan::capabilities_with_boot_mode("", spec).into(),
        );
        if let Some(hints) = spec.root_device_hints.as_ref().map(|h| h.to_ironic()) {
            if !hints.is_empty() {
                properties.insert("root_device".into(), Value::Object(hints));
            }
        }
        let mut extra = plan::identity_extra(spec);
        let token = create_once::new_token();
        extra.insert(persist::CREATION_TOKEN.into(), token.clone().into());
        if hardware_kept {
            extra.insert(persist::HARDWARE_KEPT.into(), true.into());
        }
        let mut create = NodeCreate::new(settings.driver.clone())
            .name(host.clone())
            .driver_info(settings.driver_info.clone())
            .properties(properties)
            .extra(extra)
            .automated_clean(spec.automated_cleaning_mode.automated_clean());
        if let Some(description) = spec.description.as_deref().filter(|d| !d.is_empty()) {
            create = create.description(description);
        }
        if let Some(group) = spec.conductor_group.as_deref().filter(|g| !g.is_empty()) {
            create = create.conductor_group(group);
        }
        create.interfaces = settings.interfaces.clone();
        tracing::info!(
            "host {host}: enrolling (driver {}, interfaces {:?}, driver_info {:?})",
            settings.driver,
            settings.interfaces,
            settings.redacted_driver_info()
        );
        let node = create_once::create_node(&self.client, &host, &create, &token).await?;
        tracing::info!("host {host}: enrolled as node {}", node.uuid);
        Ok(node)
    }

    /// Ironic lost the host's node (database lost, node deleted outside the engine): enroll it
    /// again as what it was. A provisioned host is adopted (no inspection, cleaning or deploy:
    /// its disk is not written); any other host is registered with its hardware details kept
    /// by the caller when it has them, so it is not inspected again.
    pub(super) async fn reregister(
        &self,
        spec: &HostSpec,
        known: &KnownHost,
        node_id: &mut Option<String>,
        ctx: &OpContext,
    ) -> Result<Node> {
        let host = spec.node_name();
        // The same decision as the plan's forecast (`forecast::reregistered`).
        let how = super::forecast::reregistration(known, spec.wants_inspection());
        let provisioned = how.adopts;
        tracing::info!(
            "host {host}: node {} is gone from Ironic; registering it again{}",
            known.id,
            if provisioned {
                " and adopting it (its disk is not touched)"
            } else {
                ""
            }
        );
        // A deployed host gets its deploy interfaces now: adoption validates them.
        let state = if provisioned && !how.externally_provisioned {
            ProvisionState::Active
        } else {
            ProvisionState::Enroll
        };
        let settings = self.settings(spec, &state)?;
        let node = self.enroll(spec, &settings, how.keeps_hardware).await?;
        *node_id = Some(node.uuid.clone());
        self.sync_boot_port(spec, &node, true).await?;
        let node = self.manage(&host, &node, ctx).await?;
        if !provisioned {
            return Ok(node);
        }
        let image = if how.externally_provisioned {
            spec.image.clone()
        } else {
            known.provisioned_image.clone()
        };
        self.adopt_as(spec, &node, image.as_ref(), how.externally_provisioned, ctx)
            .await
    }

    /// Creates the boot port when missing; replaces the port of a previous boot MAC. A node
    /// just created (`new_node`) has no ports: nothing to read.
    pub(super) async fn sync_boot_port(
        &self,
        spec: &HostSpec,
        node: &Node,
        new_node: bool,
    ) -> Result<()> {
        let host = spec.node_name();
        let Some(mac) = spec
            .boot_mac_address
            .as_deref()
            .map(str::to_ascii_lowercase)
            .filter(|m| !m.is_empty())
        else {
            return Ok(());
        };
        let ports = if new_node {
            Vec::new()
        } else {
            self.client
                .list_ports(&node.uuid)
                .await
                .map_err(|e| LifecycleError::ironic(&host, e))?
        };
        if ports.iter().any(|p| p.address.eq_ignore_ascii_case(&mac)) {
            return Ok(());
        }
        // Ports that were boot ports of this host before (pxe_enabled) give way to the new MAC.
        for port in ports.iter().filter(|p| p.pxe_enabled == Some(true)) {
            tracing::info!("host {host}: removing old boot port {}", port.address);
            self.client
                .delete_port(&port.uuid)
                .await
                .map_err(|e| LifecycleError::ironic(&host, e))?;
        }
        tracing::info!("host {host}: creating boot port {mac}");
        let port = PortCreate {
            node_uuid: node.uuid.clone(),
            address: mac.clone(),
            pxe_enabled: Some(true),
        };
        let created = match self.client.create_port(&port).await {
            // Lost before Ironic made it (nothing found by its MAC): sent once more.
            Err(error)
                if error.is_answer_lost()
                    && self
                        .client
                        .find_port(&mac)
                        .await
                        .is_ok_and(|found| found.is_none()) =>
            {
                tracing::info!("host {host}: boot port {mac} was not created; sending it again");
                self.client.create_port(&port).await
            }
            other => other,
        };
        match created {
            Ok(_) => Ok(()),
            // The answer was lost (or a resend found it made): a MAC names one port, so the
            // port on this node with this MAC is the one just created.
            Err(error) if error.is_answer_lost() || error.is_already_exists() => {
                let port = self
                    .client
                    .find_port(&mac)
                    .await
                    .map_err(|e| LifecycleError::ironic(&host, e))?;
                if port.is_some_and(|p| p.node_uuid == node.uuid) {
                    tracing::info!("host {host}: boot port {mac} was created; its answer was lost");
                    Ok(())
                } else {
                    Err(LifecycleError::ironic(&host, error))
                }
            }
            Err(error) => Err(LifecycleError::ironic(&host, error)),
        }
    }

    pub(super) async fn patch(&self, host: &str, node: &Node, ops: &[PatchOp]) -> Result<Node> {
        if ops.is_empty() {
            return Ok(node.clone());
        }
        tracing::info!("host {host}: updating {}", patch_paths(ops));
        self.client
            .patch_node(&node.uuid, ops)
            .await
            .map_err(|e| LifecycleError::ironic(host, e))
    }

    pub(super) async fn provision(
        &self,
        host: &str,
        node: &Node,
        target: ProvisionTarget,
        options: &ProvisionOptions,
    ) -> Result<()> {
        tracing::info!("host {host}: {target} (from {})", node.state());
        let moved = |now: &Node| state_change::provision_moved(node, now);
        state_change::send_state_change(
            &self.client,
            host,
            &target.to_string(),
            node,
            &moved,
            || self.client.set_provision_state(&node.uuid, target, options),
        )
        .await
        .map_err(|e| LifecycleError::ironic(host, e))
    }

    pub(super) async fn end_maintenance(&self, host: &str, node: &Node) -> Result<Node> {
        tracing::info!(
            "host {host}: taking the node out of maintenance (reason was: {})",
            node.maintenance_reason.as_deref().unwrap_or("none given")
        );
        self.client
            .set_maintenance(&node.uuid, None)
            .await
            .map_err(|e| LifecycleError::ironic(host, e))?;
        self.reread(host, node).await
    }

    pub(super) async fn start_maintenance_for_delete(&self, host: &str, node: &Node) -> Result<()> {
        tracing::info!(
            "host {host}: setting maintenance to delete from {}",
            node.state()
        );
        self.client
            .set_maintenance(&node.uuid, Some(plan::DELETE_MAINTENANCE_REASON))
            .await
            .map_err(|e| LifecycleError::ironic(host, e))
    }

    pub(super) async fn delete_node(&self, host: &str, node: &Node) -> Result<()> {
        tracing::info!("host {host}: deleting node {}", node.uuid);
        self.client
            .delete_node(&node.uuid)
            .await
            .map_err(|e| LifecycleError::ironic(host, e))?;
        Ok(())
    }

    pub(super) async fn manage(&self, host: &str, node: &Node, ctx: &OpContext) -> Result<Node> {
        self.provision(host, node, ProvisionTarget::Manage, &Default::default())
            .await?;
        match self
            .wait_state(
                host,
                node,
                &[ProvisionState::Manageable],
                "registration",
                ctx,
            )
            .await
        {
            Err(LifecycleError::Failed {
                state, last_error, ..
            }) if ProvisionState::parse(&state) == ProvisionState::Enroll => {
                Err(LifecycleError::Registration {
                    host: host.to_owned(),
                    last_error,
                })
            }
            other => other,
        }
    }

    pub(super) async fn manage_for_delete(
        &self,
        host: &str,
        node: &Node,
        ctx: &OpContext,
    ) -> Result<Node> {
        self.provision(host, node, ProvisionTarget::Manage, &Default::default())
            .await?;
        self.wait_state(host, node, &[ProvisionState::Manageable], "deletion", ctx)
            .await
    }

    pub(super) async fn inspect(&self, host: &str, node: &Node, ctx: &OpContext) -> Result<Node> {
        self.provision(host, node, ProvisionTarget::Inspect, &Default::default())
            .await?;
        self.wait_state(host, node, &[ProvisionState::Manageable], "inspection", ctx)
            .await
    }

    pub(super) async fn provide(&self, host: &str, node: &Node, ctx: &OpContext) -> Result<Node> {
        self.provision(host, node, ProvisionTarget::Provide, &Default::default())
            .await?;
        self.wait_state(host, node, &[ProvisionState::Available], "cleaning", ctx)
            .await
    }

    /// Sends the spec's credentials and makes Ironic check them with the BMC: for a node in
    /// enroll by re-running `manage`; otherwise by re-asserting the current power state, which
    /// makes Ironic talk to the BMC with the new credentials (no change for the machine).
    pub(super) async fn rotate_credentials(
        &self,
        spec: &HostSpec,
        node: &Node,
        settings: &DriverSettings,
        ctx: &OpContext,
    ) -> Result<Node> {
        let host = spec.node_name();
        tracing::info!("host {host}: sending the new BMC credentials");
        let node = self
            .patch(&host, node, &plan::credential_patch(settings))
            .await?;
        if node.state() == ProvisionState::Enroll {
            return self.manage(&host, &node, ctx).await;
        }
        // The credentials are proven by setting the power state Ironic reads now. While it has
        // read none, a provisioned host gets no power request (it may be running a workload);
        // an unprovisioned one gets the spec's.
        let on = match super::observe::power(&node) {
            Some(on) => on,
            None if node.state() == ProvisionState::Active => return Ok(node),
            None => spec.online,
        };
        match self.power(&host, &node, on, ctx).await {
            Err(LifecycleError::Failed { last_error, .. }) => {
                Err(LifecycleError::CredentialsRefused {
                    host: host.clone(),
                    last_error,
                })
            }
            other => other,
        }
    }

    /// Adopts an active host as the spec describes it (externally provisioned, or a deployed
    /// image recorded without deploying).
    pub(super) async fn adopt(
        &self,
        spec: &HostSpec,
        node: &Node,
        ctx: &OpContext,
    ) -> Result<Node> {
        self.adopt_as(
            spec,
            node,
            spec.image.as_ref(),
            spec.externally_provisioned,
            ctx,
        )
        .await
    }

    pub(super) async fn adopt_as(
        &self,
        spec: &HostSpec,
        node: &Node,
        image: Option<&super::spec::ImageSpec>,
        externally_provisioned: bool,
        ctx: &OpContext,
    ) -> Result<Node> {
        let host = spec.node_name();
        let mut ops = vec![PatchOp::add(
            format!("/extra/{}", persist::EXTERNALLY_PROVISIONED),
            externally_provisioned,
        )];
        if let Some(image) = image {
            let mut as_deployed = spec.clone();
            as_deployed.image = Some(image.clone());
            ops.extend(instance_info_ops(&as_deployed));
            ops.push(PatchOp::add(
                format!("/extra/{}", persist::IMAGE),
                persist::image_to_extra(image),
            ));
        }
        let node = self.patch(&host, node, &ops).await?;
        self.provision(&host, &node, ProvisionTarget::Adopt, &Default::default())
            .await?;
        self.wait_state(&host, &node, &[ProvisionState::Active], "adoption", ctx)
            .await
    }

    /// Writes the image (instance_info and the engine's record) and asks Ironic to deploy it.
    /// When Ironic refuses (e.g. the node is in maintenance, or lacks a port), both are put
    /// back as they were, so nothing claims a deployment that never started. Whatever the
    /// error, the node is read first: a deployment that started (an error whose effect was
    /// unknown, a 500 after the conductor took it) keeps its records and is waited for.
    pub(super) async fn deploy(
        &self,
        spec: &HostSpec,
        node: &Node,
        mode: DeployMode,
        rebuild: bool,
        ctx: &OpContext,
    ) -> Result<Node> {
        let host = spec.node_name();
        let mut ops = instance_info_ops(spec);
        ops.extend(record_deployment_ops(spec, node));
        let patched = self.patch(&host, node, &ops).await?;
        let options = ProvisionOptions {
            configdrive: deploy::config_drive(spec, &patched.uuid),
            deploy_steps: deploy::deploy_steps(spec, patched.driver == crate::bmc::FAKE_DRIVER),
            ..Default::default()
        };
        let target = if rebuild {
            ProvisionTarget::Rebuild
        } else {
            ProvisionTarget::Active
        };
        tracing::info!("host {host}: deploying ({mode:?})");
        if let Err(error) = self.provision(&host, &patched, target, &options).await {
            let now = self.reread(&host, &patched).await?;
            if state_change::provision_moved(&patched, &now) {
                tracing::warn!(
                    "host {host}: the deploy request failed ({error}) but Ironic is deploying: \
                     waiting for it"
                );
                return self
                    .wait_state(&host, &now, &[ProvisionState::Active], "provisioning", ctx)
                    .await;
            }
            // A conflict is decided again by the caller from a fresh read; the records stay
            // until then (a redo writes the same ones).
            if refused(&error) && !is_conflict(&error) {
                let undo = restore_ops(node, &now);
                if let Err(undo_error) = self.patch(&host, &now, &undo).await {
                    tracing::warn!(
                        "host {host}: could not restore instance_info after the refused deploy: \
                         {undo_error}"
                    );
                }
            }
            return Err(error);
        }
        self.wait_state(
            &host,
            &patched,
            &[ProvisionState::Active],
            "provisioning",
            ctx,
        )
        .await
    }

    pub(super) async fn record_deployment(&self, spec: &HostSpec, node: &Node) -> Result<Node> {
        let ops = record_deployment_ops(spec, node);
        self.patch(&spec.node_name(), node, &ops).await
    }

    /// Undeploys (Ironic `deleted`) with cleaning per `cleaning`, then removes the engine's
    /// deployment record: the host stays, with nothing deployed.
    pub(super) async fn deprovision(
        &self,
        host: &str,
        node: &Node,
        cleaning: AutomatedCleaningMode,
        ctx: &OpContext,
    ) -> Result<Node> {
        let node = self.undeploy(host, node, cleaning, ctx).await?;
        let mut ops: Vec<PatchOp> = [
            persist::IMAGE,
            persist::CUSTOM_DEPLOY,
            persist::EXTERNALLY_PROVISIONED,
        ]
        .iter()
        .filter(|key| node.extra.contains_key(**key))
        .map(|key| PatchOp::remove(format!("/extra/{key}")))
        .collect();
        // The cleaning setting the host is configured with, not the one of this deprovision.
        if node.automated_clean != Some(cleaning.automated_clean()) {
            ops.push(PatchOp::replace(
                "/automated_clean",
                cleaning.automated_clean(),
            ));
        }
        self.patch(host, &node, &ops).await
    }

    /// Undeploys (Ironic `deleted`) with cleaning per `cleaning` and waits for `available`.
    /// Deleting a host stops here: its records go with the node.
    pub(super) async fn undeploy(
        &self,
        host: &str,
        node: &Node,
        cleaning: AutomatedCleaningMode,
        ctx: &OpContext,
    ) -> Result<Node> {
        // A fake:// live ISO deploys with `ramdisk`, whose cleaning waits for an agent that
        // never boots; real hosts run the agent, so only the cleaning mode decides there.
        let fake_ramdisk = node.driver == crate::bmc::FAKE_DRIVER
            && node.deploy_interface.as_deref() == Some("ramdisk");
        let automated_clean = cleaning.automated_clean() && !fake_ramdisk;
        // Mid-transition (stopping a deploy in `wait call-back`) Ironic refuses patches; the
        // node then keeps the cleaning setting the spec gave it.
        let patchable = !state_map::transition_pending(node);
        let node = if patchable && node.automated_clean != Some(automated_clean) {
            self.patch(
                host,
                node,
                &[PatchOp::replace("/automated_clean", automated_clean)],
            )
            .await?
        } else {
            node.clone()
        };
        self.provision(host, &node, ProvisionTarget::Deleted, &Default::default())
            .await?;
        self.wait_state(
            host,
            &node,
            &[ProvisionState::Available],
            "deprovisioning",
            ctx,
        )
        .await
    }

    pub(super) async fn power(
        &self,
        host: &str,
        node: &Node,
        on: bool,
        ctx: &OpContext,
    ) -> Result<Node> {
        let target = if on {
            PowerTarget::On
        } else {
            PowerTarget::Off
        };
        tracing::info!("host {host}: {target}");
        // Ironic sets target_power_state and clears last_error before answering, so a
        // settled node with last_error means this power action failed.
        let want = if on { "power on" } else { "power off" };
        let moved = |now: &Node| state_change::power_moved(node, now, want);
        state_change::send_state_change(
            &self.client,
            host,
            &target.to_string(),
            node,
            &moved,
            || self.client.set_power_state(&node.uuid, target, None),
        )
        .await
        .map_err(|e| LifecycleError::ironic(host, e))?;
        self.await_power(host, &node.uuid, target, want, ctx).await
    }

    /// Waits until Ironic has ended a power change (`target`) and checks that the host reached
    /// `want`. Ironic sets target_power_state and clears last_error before answering a power
    /// request, so a settled node with last_error means this change failed.
    pub(super) async fn await_power(
        &self,
        host: &str,
        uuid: &str,
        target: PowerTarget,
        want: &'static str,
        ctx: &OpContext,
    ) -> Result<Node> {
        let failed = |n: &Node| {
            n.last_error
                .as_deref()
                .is_some_and(|e| !e.trim().is_empty())
        };
        let settled = move |n: &Node| {
            n.target_power_state.is_none() && (n.power_state.as_deref() == Some(want) || failed(n))
        };
        let node = wait_for(
            &self.client,
            host,
            uuid,
            WaitGoal {
                description: want,
                operation: "power change",
                done: &settled,
                // A power change does not depend on the provision state: a host at rest in a
                // failed state (`deploy failed`) is powered like any other, and the change's
                // own failure shows in last_error.
                stop_on_failure: false,
            },
            ctx,
        )
        .await?;
        if failed(&node) || node.power_state.as_deref() != Some(want) {
            return Err(LifecycleError::Failed {
                host: host.to_owned(),
                operation: target.to_string(),
                state: node.power_state.clone().unwrap_or_default(),
                last_error: node
                    .last_error
                    .clone()
                    .unwrap_or_else(|| format!("the host did not reach \"{want}\"")),
            });
        }
        Ok(node)
    }

    /// Waits until no provision or power transition is pending; a node landing in a failed
    /// state is an error unless `failure_is_fine` (deleting: any outcome will do).
    pub(super) async fn settle(
        &self,
        host: &str,
        node: &Node,
        ctx: &OpContext,
        failure_is_fine: bool,
    ) -> Result<Node> {
        let settled =
            |n: &Node| !state_map::transition_pending(n) && n.target_power_state.is_none();
        wait_for(
            &self.client,
            host,
            &node.uuid,
            WaitGoal {
                description: "the current operation to finish",
                operation: "the current operation",
                done: &settled,
                stop_on_failure: !failure_is_fine,
            },
            ctx,
        )
        .await
    }

    pub(super) async fn wait_state(
        &self,
        host: &str,
        node: &Node,
        states: &[ProvisionState],
        operation: &str,
        ctx: &OpContext,
    ) -> Result<Node> {
        let done = at_rest_in(states);
        let description = states
            .iter()
            .map(ProvisionState::as_str)
            .collect::<Vec<_>>()
            .join(" or ");
        wait_for(
            &self.client,
            host,
            &node.uuid,
            WaitGoal {
                description: &description,
                operation,
                done: &done,
                stop_on_failure: true,
            },
            ctx,
        )
        .await
    }

    pub(super) async fn reread(&self, host: &str, node: &Node) -> Result<Node> {
        self.find_by_id(&node.uuid)
            .await?
            .ok_or_else(|| LifecycleError::NodeGone {
                host: host.to_owned(),
                operation: "re-reading the node".into(),
            })
    }
}

fn is_conflict(error: &LifecycleError) -> bool {
    matches!(error, LifecycleError::Ironic { source, .. } if source.is_conflict())
}

/// Ironic answered and said no: the request changed nothing (unlike an outage, after which
/// it may or may not have been carried out).
fn refused(error: &LifecycleError) -> bool {
    match error {
        LifecycleError::Ironic { source, .. } => !source.is_outage(),
        _ => false,
    }
}

/// The patch that puts back `instance_info` and the engine's records of `before` on a node that
/// now looks like `after`.
fn restore_ops(before: &Node, after: &Node) -> Vec<PatchOp> {
    let mut ops = vec![PatchOp::add(
        "/instance_info",
        Value::Object(before.instance_info.clone()),
    )];
    for key in [
        persist::IMAGE,
        persist::CUSTOM_DEPLOY,
        persist::EXTERNALLY_PROVISIONED,
    ] {
        match (before.extra.get(key), after.extra.contains_key(key)) {
            (Some(value), _) => ops.push(PatchOp::add(format!("/extra/{key}"), value.clone())),
            (None, true) => ops.push(PatchOp::remove(format!("/extra/{key}"))),
            (None, false) => {}
        }
    }
    ops
}

/// Paths a patch touches, for logs (values may be secrets: never logged).
fn patch_paths(ops: &[PatchOp]) -> String {
    ops.iter()
        .map(|op| match op {
            PatchOp::Add { path, .. }
            | PatchOp::Replace { path, .. }
            | PatchOp::Remove { path } => path.as_str(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn instance_info_ops(spec: &HostSpec) -> Vec<PatchOp> {
    // Replace the whole dict so keys of a previous image (e.g. boot_iso) do not linger.
    vec![PatchOp::add(
        "/instance_info",
        Value::Object(deploy::instance_info(spec)),
    )]
}

/// Records the spec's deployment and `externally_provisioned` in `extra`, removing what it does
/// not have (Ironic refuses to remove an absent key, so only present ones are removed).
fn record_deployment_ops(spec: &HostSpec, node: &Node) -> Vec<PatchOp> {
    let mut ops = Vec::new();
    let remove = |ops: &mut Vec<PatchOp>, key: &str| {
        if node.extra.contains_key(key) {
            ops.push(PatchOp::remove(format!("/extra/{key}")));
        }
    };
    match &spec.image {
        Some(image) => ops.push(PatchOp::add(
            format!("/extra/{}", persist::IMAGE),
            persist::image_to_extra(image),
        )),
        None => remove(&mut ops, persist::IMAGE),
    }
    match &spec.custom_deploy {
        Some(custom) => ops.push(PatchOp::add(
            format!("/extra/{}", persist::CUSTOM_DEPLOY),
            custom.method.clone(),
        )),
        None => remove(&mut ops, persist::CUSTOM_DEPLOY),
    }
    ops.push(PatchOp::add(
        format!("/extra/{}", persist::EXTERNALLY_PROVISIONED),
        spec.externally_provisioned,
    ));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::client::node_from_json as node;

    #[test]
    fn patch_paths_never_show_values() {
        let ops = [PatchOp::add("/driver_info/redfish_password", "hunter2")];
        assert_eq!(patch_paths(&ops), "/driver_info/redfish_password");
    }

    #[test]
    fn a_refused_deploy_is_undone_to_the_previous_records() {
        let before = node(json!({
            "uuid": "u1", "instance_info": {"image_source": "http://old"},
            "extra": {"metal3_image": {"url": "http://old"}}
        }));
        let after = node(json!({
            "uuid": "u1", "instance_info": {"image_source": "http://new"},
            "extra": {"metal3_image": {"url": "http://new"}, "metal3_externally_provisioned": false}
        }));
        let ops = serde_json::to_value(restore_ops(&before, &after)).unwrap();
        assert_eq!(
            ops,
            json!([
                {"op": "add", "path": "/instance_info", "value": {"image_source": "http://old"}},
                {"op": "add", "path": "/extra/metal3_image", "value": {"url": "http://old"}},
                {"op": "remove", "path": "/extra/metal3_externally_provisioned"}
            ])
        );
    }
}
