//! `Lifecycle`: reads the node, asks `plan` for the next step, takes it, waits for Ironic, and
//! repeats until the node matches the spec. Every Ironic mutation is logged at info with the
//! node name; secrets are never logged.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::bmc::DeployMode;
use crate::client::{
    IronicClient, Node, NodeCreate, PatchOp, PortCreate, PowerTarget, ProvisionOptions,
    ProvisionTarget,
};
use crate::hardware::HardwareDetails;

use super::deploy;
use super::error::{LifecycleError, LifecycleFailure};
use super::observe;
use super::persist;
use super::plan::{self, AgentImages, Attempts, Step};
use super::spec::{
    node_name, AutomatedCleaningMode, HostSpec, HostStatus, OpContext, DEFAULT_POLL_INTERVAL,
};
use super::status::{self as state_map, NodeState};
use super::wait::{at_rest_in, wait_for, WaitGoal};

/// Most steps one `ensure` takes; the longest path (failed deploy -> deprovision -> deploy)
/// needs about a dozen, so hitting this means two steps undo each other.
const MAX_STEPS: usize = 40;

#[derive(Debug, Clone, Default)]
pub struct LifecycleConfig {
    pub deploy_kernel_url: Option<String>,
    pub deploy_ramdisk_url: Option<String>,
    pub deploy_iso_url: Option<String>,
    /// Poll interval of waits (bounded by `OpContext`); default 1 s.
    pub poll_interval: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct Lifecycle {
    client: IronicClient,
    images: AgentImages,
    poll_interval: Duration,
}

type Result<T, E = LifecycleError> = std::result::Result<T, E>;

impl Lifecycle {
    pub fn new(client: IronicClient, config: LifecycleConfig) -> Self {
        Lifecycle {
            client,
            images: AgentImages {
                deploy_kernel_url: config.deploy_kernel_url,
                deploy_ramdisk_url: config.deploy_ramdisk_url,
                deploy_iso_url: config.deploy_iso_url,
            },
            poll_interval: config.poll_interval.unwrap_or(DEFAULT_POLL_INTERVAL),
        }
    }

    pub fn client(&self) -> &IronicClient {
        &self.client
    }

    /// The node of a host: by name `<namespace>~<name>`.
    pub async fn find(&self, namespace: &str, name: &str) -> Result<Option<Node>> {
        let host = node_name(namespace, name);
        self.client
            .get_node(&host)
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))
    }

    /// The node by UUID (or name).
    pub async fn find_by_id(&self, id: &str) -> Result<Option<Node>> {
        self.client
            .get_node(id)
            .await
            .map_err(|e| LifecycleError::ironic(id, e))
    }

    /// Status of a node by UUID or name; `None` when Ironic does not know it. Reads the
    /// inventory when the node was inspected.
    pub async fn status(&self, id_or_name: &str) -> Result<Option<HostStatus>> {
        match self.find_by_id(id_or_name).await? {
            Some(node) => self.status_of(&node).await.map(Some),
            None => Ok(None),
        }
    }

    /// Drives the host to the spec. On failure the error comes with the host's status as far
    /// as it got (`partial`), when the node exists.
    pub async fn ensure(
        &self,
        spec: &HostSpec,
        known_id: Option<&str>,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        let ctx = self.bounded(ctx);
        let host = spec.node_name();
        let mut node_id: Option<String> = None;
        let outcome = self.ensure_inner(spec, known_id, &ctx, &mut node_id).await;
        self.conclude(&host, outcome, node_id.as_deref()).await
    }

    async fn ensure_inner(
        &self,
        spec: &HostSpec,
        known_id: Option<&str>,
        ctx: &OpContext,
        node_id: &mut Option<String>,
    ) -> Result<Node> {
        let host = spec.node_name();
        deploy::check(spec).map_err(|message| LifecycleError::InvalidSpec {
            host: host.clone(),
            message,
        })?;
        // Validates the BMC address and credentials before anything is created.
        let initial = plan::desired_settings(spec, "enroll", &self.images).map_err(|source| {
            LifecycleError::Bmc {
                host: host.clone(),
                source,
            }
        })?;
        if initial.needs_boot_mac && spec.boot_mac_address.as_deref().unwrap_or("").is_empty() {
            return Err(LifecycleError::InvalidSpec {
                host,
                message: format!(
                    "boot_mac_address is required for the BMC address {} with inspection_mode \"{}\"",
                    spec.bmc.address,
                    spec.inspection_mode.as_str()
                ),
            });
        }
        let mut node = match self.locate(spec, known_id).await? {
            Some(node) => node,
            None => self.enroll(spec, &initial).await?,
        };
        *node_id = Some(node.uuid.clone());
        self.sync_boot_port(spec, &node).await?;
        let mut attempts = Attempts::default();
        for _ in 0..MAX_STEPS {
            self.check_ctx(&host, &node, ctx)?;
            let settings = plan::desired_settings(spec, node.provision_state(), &self.images)
                .map_err(|source| LifecycleError::Bmc {
                    host: host.clone(),
                    source,
                })?;
            let step = plan::next_step(spec, &node, &settings, &attempts);
            tracing::debug!("host {host}: next step {step:?}");
            node = match step {
                Step::Done => return self.finish(&host, node),
                Step::Settle => self.settle(&host, &node, ctx).await?,
                Step::Patch(ops) => self.patch(&host, &node, &ops).await?,
                Step::RetryRegistration => {
                    attempts.registration_retried = true;
                    let ops = plan::credential_patch(&settings);
                    self.patch(&host, &node, &ops).await?;
                    self.manage(&host, &node, ctx).await?
                }
                Step::Manage => self.manage(&host, &node, ctx).await?,
                Step::Inspect => {
                    self.provision(&host, &node, ProvisionTarget::Inspect, &Default::default())
                        .await?;
                    self.wait_state(&host, &node, &["manageable"], "inspection", ctx)
                        .await?
                }
                Step::Provide => {
                    self.provision(&host, &node, ProvisionTarget::Provide, &Default::default())
                        .await?;
                    self.wait_state(&host, &node, &["available"], "cleaning", ctx)
                        .await?
                }
                Step::Adopt => self.adopt(spec, &node, ctx).await?,
                Step::Deploy(mode) => self.deploy(spec, &node, mode, false, ctx).await?,
                Step::Rebuild => {
                    let mode = deploy::deploy_mode(spec).unwrap_or(DeployMode::Image);
                    self.deploy(spec, &node, mode, true, ctx).await?
                }
                Step::RecordDeployment => {
                    let ops = record_deployment_ops(spec, &node);
                    self.patch(&host, &node, &ops).await?
                }
                Step::Deprovision => {
                    self.deprovision(&host, &node, spec.automated_cleaning_mode, ctx)
                        .await?
                }
                Step::Power(on) => self.power(&host, &node, on, ctx).await?,
            };
        }
        Err(LifecycleError::NoProgress {
            host,
            state: node.provision_state().to_owned(),
            steps: MAX_STEPS,
        })
    }

    /// Removes the host: deprovision if deployed (cleaning per `cleaning`), power off, delete
    /// the node. Done when the node is already gone.
    pub async fn delete(
        &self,
        id: &str,
        cleaning: AutomatedCleaningMode,
        ctx: &OpContext,
    ) -> Result<()> {
        let ctx = self.bounded(ctx);
        for _ in 0..MAX_STEPS {
            let Some(node) = self.find_by_id(id).await? else {
                return Ok(());
            };
            let host = display_name(&node);
            self.check_ctx(&host, &node, &ctx)?;
            if state_map::transition_pending(&node) {
                match node.provision_state() {
                    // Waiting on an agent that may never come: abort.
                    "inspect wait" | "clean wait" | "wait call-back" | "rescue wait" => {
                        self.provision(&host, &node, ProvisionTarget::Abort, &Default::default())
                            .await?;
                    }
                    _ => {}
                }
                self.settle(&host, &node, &ctx).await?;
                continue;
            }
            match node.provision_state() {
                "active" | "deploy failed" | "error" => {
                    self.deprovision(&host, &node, cleaning, &ctx).await?;
                }
                "inspect failed" | "clean failed" => {
                    self.provision(&host, &node, ProvisionTarget::Manage, &Default::default())
                        .await?;
                    self.wait_state(&host, &node, &["manageable"], "deletion", &ctx)
                        .await?;
                }
                state => {
                    // Powering off needs a working BMC; a node still in enroll may not have one.
                    if state != "enroll" && node.power_state.as_deref() == Some("power on") {
                        tracing::info!("host {host}: powering off before delete");
                        if let Err(error) = self.power(&host, &node, false, &ctx).await {
                            tracing::warn!("host {host}: power off before delete failed: {error}");
                        }
                    }
                    if !["enroll", "manageable", "available", "adopt failed"].contains(&state) {
                        tracing::info!("host {host}: setting maintenance to delete from {state}");
                        self.patch(&host, &node, &[PatchOp::replace("/maintenance", true)])
                            .await?;
                    }
                    tracing::info!("host {host}: deleting node {}", node.uuid);
                    self.client
                        .delete_node(&node.uuid)
                        .await
                        .map_err(|e| LifecycleError::ironic(&host, e))?;
                    return Ok(());
                }
            }
        }
        Err(LifecycleError::NoProgress {
            host: id.to_owned(),
            state: "unknown".into(),
            steps: MAX_STEPS,
        })
    }

    /// Re-enrolls a provisioned host that Ironic lost and adopts it back: the disk and the
    /// power state are not touched (no inspection, no cleaning, no deploy). The spec's image
    /// is recorded as the provisioned image.
    pub async fn reenroll_provisioned(
        &self,
        spec: &HostSpec,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        let ctx = self.bounded(ctx);
        let host = spec.node_name();
        let mut node_id = None;
        let result: Result<Node> =
            async {
                let mut adopt_spec = spec.clone();
                adopt_spec.inspection_mode = super::spec::InspectionMode::Disabled;
                let settings = plan::desired_settings(&adopt_spec, "enroll", &self.images)
                    .map_err(|source| LifecycleError::Bmc {
                        host: host.clone(),
                        source,
                    })?;
                let node = match self.find(&spec.namespace, &spec.name).await? {
                    Some(node) => node,
                    None => self.enroll(&adopt_spec, &settings).await?,
                };
                node_id = Some(node.uuid.clone());
                self.sync_boot_port(spec, &node).await?;
                let node = match node.provision_state() {
                    "enroll" => self.manage(&host, &node, &ctx).await?,
                    _ => node,
                };
                match node.provision_state() {
                    "manageable" | "adopt failed" => self.adopt(spec, &node, &ctx).await,
                    _ => Ok(node),
                }
            }
            .await;
        self.conclude(&host, result, node_id.as_deref()).await
    }

    /// Turns an operation's outcome into the host's status, or into a failure that carries
    /// whatever status the node has now (so the caller can record what is true so far).
    async fn conclude(
        &self,
        host: &str,
        outcome: Result<Node>,
        node_id: Option<&str>,
    ) -> Result<HostStatus, LifecycleFailure> {
        match outcome {
            Ok(node) => self
                .status_of(&node)
                .await
                .map_err(|error| LifecycleFailure {
                    error,
                    partial: None,
                }),
            Err(error) => {
                let partial = match node_id {
                    Some(id) => self.status(id).await.ok().flatten(),
                    None => None,
                };
                tracing::warn!("host {host}: {error}");
                Err(LifecycleFailure { error, partial })
            }
        }
    }

    /// Sends new BMC credentials (call it when the password changed: Ironic masks passwords, so
    /// `ensure` cannot see that) and checks them with the BMC: for a node in enroll by
    /// re-running `manage`; otherwise by re-asserting the current power state, which makes
    /// Ironic talk to the BMC with the new credentials.
    pub async fn rotate_credentials(
        &self,
        spec: &HostSpec,
        id: &str,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        let ctx = self.bounded(ctx);
        let host = spec.node_name();
        let result: Result<Node> = async {
            let node = self.find_by_id(id).await?.ok_or(LifecycleError::NodeGone {
                host: host.clone(),
                operation: "rotating credentials".into(),
            })?;
            let settings = plan::desired_settings(spec, node.provision_state(), &self.images)
                .map_err(|source| LifecycleError::Bmc {
                    host: host.clone(),
                    source,
                })?;
            let node = self
                .patch(&host, &node, &plan::credential_patch(&settings))
                .await?;
            if node.provision_state() == "enroll" {
                return self.manage(&host, &node, &ctx).await;
            }
            // A round trip to the BMC with the new credentials: re-assert the current power
            // state (no change for the machine; Ironic reads the state from the BMC first).
            let on = match node.power_state.as_deref() {
                Some("power on") => true,
                Some("power off") => false,
                _ => spec.online,
            };
            let node = match self.power(&host, &node, on, &ctx).await {
                Err(LifecycleError::Failed { last_error, .. }) => {
                    return Err(LifecycleError::Registration {
                        host: host.clone(),
                        last_error,
                    })
                }
                other => other?,
            };
            Ok(node)
        }
        .await;
        match result {
            Ok(node) => self
                .status_of(&node)
                .await
                .map_err(|error| LifecycleFailure {
                    error,
                    partial: None,
                }),
            Err(error) => Err(LifecycleFailure {
                partial: self.status(id).await.ok().flatten(),
                error,
            }),
        }
    }

    // ---- steps -------------------------------------------------------------------------

    async fn locate(&self, spec: &HostSpec, known_id: Option<&str>) -> Result<Option<Node>> {
        if let Some(id) = known_id.filter(|id| !id.is_empty()) {
            if let Some(node) = self.find_by_id(id).await? {
                return Ok(Some(node));
            }
        }
        self.find(&spec.namespace, &spec.name).await
    }

    async fn enroll(&self, spec: &HostSpec, settings: &crate::bmc::DriverSettings) -> Result<Node> {
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
        let mut create = NodeCreate::new(settings.driver.clone())
            .name(host.clone())
            .driver_info(settings.driver_info.clone())
            .properties(properties)
            .extra(plan::identity_extra(spec))
            .automated_clean(spec.automated_cleaning_mode.automated_clean());
        if let Some(description) = spec.description.as_deref().filter(|d| !d.is_empty()) {
            create = create.description(description);
        }
        create.interfaces = settings.interfaces.clone();
        tracing::info!(
            "host {host}: enrolling (driver {}, interfaces {:?}, driver_info {:?})",
            settings.driver,
            settings.interfaces,
            settings.redacted_driver_info()
        );
        let node = self
            .client
            .create_node(&create)
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?;
        tracing::info!("host {host}: enrolled as node {}", node.uuid);
        Ok(node)
    }

    /// Creates the boot port when missing; replaces the port of a previous boot MAC.
    async fn sync_boot_port(&self, spec: &HostSpec, node: &Node) -> Result<()> {
        let host = spec.node_name();
        let Some(mac) = spec
            .boot_mac_address
            .as_deref()
            .map(str::to_ascii_lowercase)
            .filter(|m| !m.is_empty())
        else {
            return Ok(());
        };
        let ports = self
            .client
            .list_ports(&node.uuid)
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?;
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
        self.client
            .create_port(&PortCreate {
                node_uuid: node.uuid.clone(),
                address: mac,
                pxe_enabled: Some(true),
            })
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?;
        Ok(())
    }

    async fn patch(&self, host: &str, node: &Node, ops: &[PatchOp]) -> Result<Node> {
        if ops.is_empty() {
            return Ok(node.clone());
        }
        tracing::info!("host {host}: updating {}", patch_paths(ops));
        self.client
            .patch_node(&node.uuid, ops)
            .await
            .map_err(|e| LifecycleError::ironic(host, e))
    }

    async fn provision(
        &self,
        host: &str,
        node: &Node,
        target: ProvisionTarget,
        options: &ProvisionOptions,
    ) -> Result<()> {
        tracing::info!("host {host}: {target} (from {})", node.provision_state());
        self.client
            .set_provision_state(&node.uuid, target, options)
            .await
            .map_err(|e| LifecycleError::ironic(host, e))
    }

    async fn manage(&self, host: &str, node: &Node, ctx: &OpContext) -> Result<Node> {
        self.provision(host, node, ProvisionTarget::Manage, &Default::default())
            .await?;
        match self
            .wait_state(host, node, &["manageable"], "registration", ctx)
            .await
        {
            Err(LifecycleError::Failed {
                state, last_error, ..
            }) if state == "enroll" => Err(LifecycleError::Registration {
                host: host.to_owned(),
                last_error,
            }),
            other => other,
        }
    }

    async fn adopt(&self, spec: &HostSpec, node: &Node, ctx: &OpContext) -> Result<Node> {
        let host = spec.node_name();
        let mut ops = vec![PatchOp::add(
            format!("/extra/{}", persist::EXTERNALLY_PROVISIONED),
            spec.externally_provisioned,
        )];
        if let Some(image) = &spec.image {
            ops.extend(instance_info_ops(spec));
            ops.push(PatchOp::add(
                format!("/extra/{}", persist::IMAGE),
                persist::image_to_extra(image),
            ));
        }
        let node = self.patch(&host, node, &ops).await?;
        self.provision(&host, &node, ProvisionTarget::Adopt, &Default::default())
            .await?;
        self.wait_state(&host, &node, &["active"], "adoption", ctx)
            .await
    }

    async fn deploy(
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
        let node = self.patch(&host, node, &ops).await?;
        let options = ProvisionOptions {
            configdrive: deploy::config_drive(spec, &node.uuid),
            deploy_steps: deploy::deploy_steps(spec, node.driver == crate::bmc::FAKE_DRIVER),
            ..Default::default()
        };
        let target = if rebuild {
            ProvisionTarget::Rebuild
        } else {
            ProvisionTarget::Active
        };
        tracing::info!("host {host}: deploying ({mode:?})");
        self.provision(&host, &node, target, &options).await?;
        self.wait_state(&host, &node, &["active"], "provisioning", ctx)
            .await
    }

    async fn deprovision(
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
        let node = if node.automated_clean != Some(automated_clean) {
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
        let node = self
            .wait_state(host, &node, &["available"], "deprovisioning", ctx)
            .await?;
        let ops: Vec<PatchOp> = [
            persist::IMAGE,
            persist::CUSTOM_DEPLOY,
            persist::EXTERNALLY_PROVISIONED,
        ]
        .iter()
        .filter(|key| node.extra.contains_key(**key))
        .map(|key| PatchOp::remove(format!("/extra/{key}")))
        .collect();
        self.patch(host, &node, &ops).await
    }

    async fn power(&self, host: &str, node: &Node, on: bool, ctx: &OpContext) -> Result<Node> {
        let target = if on {
            PowerTarget::On
        } else {
            PowerTarget::Off
        };
        tracing::info!("host {host}: {target}");
        // Ironic sets target_power_state and clears last_error before answering, so a
        // settled node with last_error means this power action failed.
        self.client
            .set_power_state(&node.uuid, target, None)
            .await
            .map_err(|e| LifecycleError::ironic(host, e))?;
        let want = if on { "power on" } else { "power off" };
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
            &node.uuid,
            WaitGoal {
                description: want,
                operation: "power change",
                done: &settled,
            },
            ctx,
        )
        .await?;
        if failed(&node) || node.power_state.as_deref() != Some(want) {
            return Err(LifecycleError::Failed {
                host: host.to_owned(),
                operation: format!("{target}"),
                state: node.power_state.clone().unwrap_or_default(),
                last_error: node.last_error.clone().unwrap_or_default(),
            });
        }
        Ok(node)
    }

    /// Waits until no provision or power transition is pending.
    async fn settle(&self, host: &str, node: &Node, ctx: &OpContext) -> Result<Node> {
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
            },
            ctx,
        )
        .await
    }

    async fn wait_state(
        &self,
        host: &str,
        node: &Node,
        states: &[&str],
        operation: &str,
        ctx: &OpContext,
    ) -> Result<Node> {
        let done = at_rest_in(states);
        let description = states.join(" or ");
        wait_for(
            &self.client,
            host,
            &node.uuid,
            WaitGoal {
                description: &description,
                operation,
                done: &done,
            },
            ctx,
        )
        .await
    }

    fn finish(&self, host: &str, node: Node) -> Result<Node> {
        // A registration retry that failed again ends here with the node in enroll.
        if node.provision_state() == "enroll" {
            return Err(LifecycleError::Registration {
                host: host.to_owned(),
                last_error: node.last_error.clone().unwrap_or_default(),
            });
        }
        Ok(node)
    }

    fn check_ctx(&self, host: &str, node: &Node, ctx: &OpContext) -> Result<()> {
        if ctx.cancel.is_cancelled() {
            return Err(LifecycleError::Cancelled {
                host: host.to_owned(),
                waiting_for: "the next step".into(),
                state: node.provision_state().to_owned(),
                elapsed: Duration::ZERO,
            });
        }
        if ctx.remaining().is_zero() {
            return Err(LifecycleError::Timeout {
                host: host.to_owned(),
                waiting_for: "the next step".into(),
                state: node.provision_state().to_owned(),
                elapsed: Duration::ZERO,
            });
        }
        Ok(())
    }

    /// The caller's context with this engine's poll interval unless the caller set one.
    fn bounded(&self, ctx: &OpContext) -> OpContext {
        if ctx.poll_interval() == DEFAULT_POLL_INTERVAL {
            ctx.clone().with_poll_interval(self.poll_interval)
        } else {
            ctx.clone()
        }
    }

    /// HostStatus of a node (reads its ports and, once inspected, its inventory).
    pub async fn status_of(&self, node: &Node) -> Result<HostStatus> {
        let host = display_name(node);
        let mut node = node.clone();
        node.last_error = super::wait::explain_failure(&self.client, &node).await;
        let node = &node;
        let hardware = if plan::inspected(node) {
            match self
                .client
                .get_inventory(&node.uuid)
                .await
                .map_err(|e| LifecycleError::ironic(&host, e))?
            {
                Some(inventory) => Some(HardwareDetails::from_inventory(&inventory).map_err(
                    |source| LifecycleError::Hardware {
                        host: host.clone(),
                        source,
                    },
                )?),
                None => None,
            }
        } else {
            None
        };
        let ports = self
            .client
            .list_ports(&node.uuid)
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?;
        let boot_mac = ports
            .iter()
            .find(|p| p.pxe_enabled == Some(true))
            .or(ports.first())
            .map(|p| p.address.to_ascii_lowercase());
        Ok(host_status(node, hardware, boot_mac))
    }
}

/// HostStatus from a node and what was read beside it (pure).
pub fn host_status(
    node: &Node,
    hardware: Option<HardwareDetails>,
    boot_mac_address: Option<String>,
) -> HostStatus {
    let recorded_image = persist::image_from_extra(&node.extra);
    let deployment_recorded =
        recorded_image.is_some() || persist::custom_deploy_from_extra(&node.extra).is_some();
    let externally = match persist::externally_provisioned_record(&node.extra) {
        Some(flag) => flag,
        // Active with nothing recorded by this engine: provisioned outside it (imported).
        None => node.provision_state() == "active" && !deployment_recorded,
    };
    let mapped = state_map::map_state(NodeState {
        provision_state: node.provision_state(),
        target_provision_state: node.target_provision_state.as_deref(),
        last_error: node.last_error.as_deref(),
        fault: None,
        externally_provisioned: externally,
        deployment_recorded,
    });
    let provisioned_image = recorded_image.or_else(|| {
        (node.provision_state() == "active")
            .then(|| {
                node.instance_info
                    .get("image_source")
                    .and_then(Value::as_str)
            })
            .flatten()
            .map(|url| super::spec::ImageSpec {
                url: url.to_owned(),
                checksum: None,
                checksum_type: None,
                disk_format: None,
            })
    });
    let username_key = crate::bmc::credential_keys(&node.driver).map(|(user, _)| user);
    HostStatus {
        id: node.uuid.clone(),
        name: node.name.clone(),
        provisioning_state: mapped.provisioning_state,
        ironic_provision_state: node.provision_state().to_owned(),
        operational_status: mapped.operational_status,
        error_type: mapped.error_type,
        error_message: mapped
            .error_type
            .and(node.last_error.clone())
            .filter(|e| !e.is_empty()),
        powered_on: node.power_state.as_deref() == Some("power on"),
        provisioned_image,
        externally_provisioned: externally,
        hardware,
        description: node.description.clone().filter(|d| !d.is_empty()),
        bmc_address: observe::bmc_address(node),
        bmc_username: username_key
            .and_then(|key| node.driver_info.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned),
        boot_mac_address,
        boot_mode: observe::boot_mode(node),
        automated_cleaning_mode: observe::automated_cleaning_mode(node),
        inspection_mode: observe::inspection_mode(node),
    }
}

fn display_name(node: &Node) -> String {
    node.name.clone().unwrap_or_else(|| node.uuid.clone())
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
    use crate::lifecycle::spec::{ErrorType, OperationalStatus, ProvisioningState};
    use serde_json::json;

    fn node(value: Value) -> Node {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn status_of_an_imported_active_node_reports_its_image() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "name": "ns~h1", "driver": "redfish",
                "provision_state": "active", "power_state": "power on",
                "driver_info": {"redfish_username": "admin", "redfish_password": "******"},
                "instance_info": {"image_source": "http://img"},
                "extra": {"metal3_bmc_address": "redfish://bmc/redfish/v1/Systems/1"}
            })),
            None,
            Some("52:54:00:00:00:01".into()),
        );
        // Nothing recorded by this engine: provisioned outside it.
        assert_eq!(
            status.provisioning_state,
            ProvisioningState::ExternallyProvisioned
        );
        assert!(status.externally_provisioned);
        assert_eq!(status.provisioned_image.unwrap().url, "http://img");
        assert_eq!(status.bmc_username.as_deref(), Some("admin"));
        assert_eq!(
            status.bmc_address.as_deref(),
            Some("redfish://bmc/redfish/v1/Systems/1")
        );
        assert!(status.powered_on);
    }

    #[test]
    fn active_nodes_deployed_by_the_engine_are_provisioned() {
        for extra in [
            json!({"metal3_image": {"url": "http://img"}}),
            json!({"metal3_externally_provisioned": false}),
        ] {
            let status = host_status(
                &node(json!({"uuid": "u1", "driver": "fake-hardware",
                             "provision_state": "active", "extra": extra})),
                None,
                None,
            );
            assert_eq!(status.provisioning_state, ProvisioningState::Provisioned);
            assert!(!status.externally_provisioned);
        }
    }

    #[test]
    fn status_of_a_failed_deploy_carries_last_error() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "driver": "fake-hardware", "provision_state": "deploy failed",
                "last_error": "image download failed",
                "extra": {"metal3_image": {"url": "http://img"}}
            })),
            None,
            None,
        );
        assert_eq!(status.error_type, Some(ErrorType::Provisioning));
        assert_eq!(status.operational_status, OperationalStatus::Error);
        assert_eq!(
            status.error_message.as_deref(),
            Some("image download failed")
        );
        assert_eq!(status.provisioned_image.unwrap().url, "http://img");
    }

    #[test]
    fn stale_last_error_is_not_an_error_message() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "driver": "fake-hardware", "provision_state": "available",
                "last_error": "old failure"
            })),
            None,
            None,
        );
        assert_eq!(status.error_type, None);
        assert_eq!(status.error_message, None);
    }

    #[test]
    fn patch_paths_never_show_values() {
        let ops = [PatchOp::add("/driver_info/redfish_password", "hunter2")];
        assert_eq!(patch_paths(&ops), "/driver_info/redfish_password");
    }
}
