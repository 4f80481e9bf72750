//! `Lifecycle`: reads the node, asks `plan` for the next step, takes it (`steps`), waits for
//! Ironic, and repeats until the node matches the spec. Every Ironic mutation is logged at info
//! with the node name; secrets are never logged.
//!
//! Reading (`find`, `status`) never changes anything in Ironic: a Terraform plan is built from
//! reads only.

use std::time::Duration;

use futures::stream::{self, StreamExt, TryStreamExt};

use std::sync::Arc;

use crate::client::{IronicClient, Node, ProvisionState};

use super::error::{LifecycleError, LifecycleFailure};
use super::fault::SpecInput;
use super::observe::display_name;
use super::plan::{self, AgentImages, Attempts, DeleteOptions, DeleteStep};
use super::report::{status_of, status_with_ports};
use super::snapshot::{Snapshots, DIRECT_READS, PAGE_SIZE};
use super::spec::{node_name, HostSpec, HostStatus, KnownHost, OpContext, DEFAULT_POLL_INTERVAL};
use super::step::Step;

/// Most steps one `ensure` takes; the longest path (failed deploy -> deprovision -> deploy)
/// needs about a dozen, so hitting this means two steps undo each other.
const MAX_STEPS: usize = 40;

/// Node statuses `list` reads at once.
pub(super) const LIST_CONCURRENCY: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct LifecycleConfig {
    pub deploy_kernel_url: Option<String>,
    pub deploy_ramdisk_url: Option<String>,
    pub deploy_iso_url: Option<String>,
    /// Longest pause between polls of a wait (bounded by `OpContext`; a wait looks twice in its
    /// first second); default 1 s.
    pub poll_interval: Option<Duration>,
    /// How long one list of all nodes serves host reads (`read`); default
    /// [`DEFAULT_READ_WINDOW`], zero to read each host on its own.
    pub read_window: Option<Duration>,
    /// In an Ironic of more than one page of nodes, the reads of one `Lifecycle` (and its
    /// clones) that read their host on their own before reads share a list; default
    /// [`DIRECT_READS`].
    pub direct_reads: Option<u64>,
    /// Nodes (and ports) per page of the shared list; default [`PAGE_SIZE`] (500).
    pub list_page_size: Option<u32>,
}

/// Reads of many hosts within this long share one node list: a plan's reads arrive within a
/// few seconds, and a change in Ironic shows in the next plan at the latest.
pub const DEFAULT_READ_WINDOW: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct Lifecycle {
    pub(super) client: IronicClient,
    pub(super) images: AgentImages,
    poll_interval: Duration,
    snapshots: Arc<Snapshots>,
}

pub(super) type Result<T, E = LifecycleError> = std::result::Result<T, E>;

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
            snapshots: Arc::new(Snapshots::new(
                config.read_window.unwrap_or(DEFAULT_READ_WINDOW),
                config.direct_reads.unwrap_or(DIRECT_READS),
                config.list_page_size.unwrap_or(PAGE_SIZE),
            )),
        }
    }

    /// The node list shared by reads (how many lists were read, for tests and benchmarks).
    pub fn snapshots(&self) -> &Snapshots {
        &self.snapshots
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
    /// inventory when the node was inspected. Sends no mutating request.
    pub async fn status(&self, id_or_name: &str) -> Result<Option<HostStatus>> {
        self.read_one(id_or_name, None).await
    }

    /// HostStatus of a node already read (reads its ports and, once inspected, its inventory).
    pub async fn status_of(&self, node: &Node) -> Result<HostStatus> {
        status_of(&self.client, node, None).await
    }

    /// Status of a host for a refresh: like [`Lifecycle::status`], but reads within the read
    /// window share one list of all nodes and ports (in an Ironic of more than one page, past the
    /// first [`DIRECT_READS`] reads of this `Lifecycle`), so a plan of N hosts costs a few
    /// requests instead of 3 N. `known_inspection`: the `inspection_finished_at` of the hardware
    /// details the caller holds; the inventory is read only when Ironic inspected since
    /// (`hardware` is `None` otherwise). Sends no mutating request.
    pub async fn read(
        &self,
        id_or_name: &str,
        known_inspection: Option<&str>,
    ) -> Result<Option<HostStatus>> {
        if !self.snapshots.enabled()
            || self
                .snapshots
                .read_directly(&self.client)
                .await
                .map_err(|e| LifecycleError::ironic(id_or_name, e))?
        {
            return self.read_one(id_or_name, known_inspection).await;
        }
        let snapshot = self
            .snapshots
            .get(&self.client)
            .await
            .map_err(|e| LifecycleError::ironic(id_or_name, e))?;
        match snapshot.node(id_or_name) {
            Some(node) => status_with_ports(
                &self.client,
                node,
                snapshot.ports_of(&node.uuid),
                known_inspection,
            )
            .await
            .map(Some),
            // Created since the list, or gone: ask for this one node.
            None => self.read_one(id_or_name, known_inspection).await,
        }
    }

    /// One host on its own: its node, its ports and, when inspected since `known_inspection`,
    /// its inventory.
    async fn read_one(
        &self,
        id_or_name: &str,
        known_inspection: Option<&str>,
    ) -> Result<Option<HostStatus>> {
        match self.find_by_id(id_or_name).await? {
            Some(node) => status_of(&self.client, &node, known_inspection)
                .await
                .map(Some),
            None => Ok(None),
        }
    }

    /// Every node Ironic knows, with its status, in Ironic's order. Reads only: one
    /// shared list of nodes and ports, and the inventories of inspected nodes, a few at once
    /// (`LIST_CONCURRENCY`) to hide latency without flooding Ironic.
    pub async fn list(&self) -> Result<Vec<HostStatus>> {
        let snapshot = self
            .snapshots
            .get(&self.client)
            .await
            .map_err(|e| LifecycleError::ironic("(inventory)", e))?;
        let nodes: Vec<Node> = snapshot.nodes().cloned().collect();
        stream::iter(nodes)
            .map(|node| {
                let snapshot = snapshot.clone();
                async move {
                    let ports = snapshot.ports_of(&node.uuid);
                    status_with_ports(&self.client, &node, ports, None).await
                }
            })
            .buffered(LIST_CONCURRENCY)
            .try_collect()
            .await
    }

    /// Drives the host to the spec. `known`: `None` for a new host (a node that already has the
    /// host's name is then an error, never taken over); otherwise the host as the caller last
    /// knew it, which is re-registered as what it was if Ironic lost its node. On failure the
    /// error comes with the host's status as far as it got (`partial`), when a node exists.
    pub async fn ensure(
        &self,
        spec: &HostSpec,
        known: Option<&KnownHost>,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        self.run_ensure(spec, known, false, ctx).await
    }

    /// `ensure` after the BMC credentials changed (Ironic masks passwords, so the engine cannot
    /// see that): they are sent once the node's other fields are updated, then verified with the
    /// BMC, before any power or provisioning action.
    pub async fn ensure_with_new_credentials(
        &self,
        spec: &HostSpec,
        known: Option<&KnownHost>,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        self.run_ensure(spec, known, true, ctx).await
    }

    async fn run_ensure(
        &self,
        spec: &HostSpec,
        known: Option<&KnownHost>,
        rotate_credentials: bool,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        // Reads after this operation (or during it) must not be served from before it.
        let _stale = StaleAfter::new(&self.snapshots);
        let ctx = self.bounded(ctx);
        let engine = self.for_operation(&ctx);
        let host = spec.node_name();
        let mut node_id: Option<String> = None;
        let mut attempts = Attempts {
            rotate_credentials,
            maintenance_to_end: known.and_then(|k| k.maintenance_to_end.clone()),
            ..Attempts::default()
        };
        let outcome = engine
            .ensure_inner(spec, known, &mut attempts, &ctx, &mut node_id)
            .await;
        // With the default retry budget: reading what is left must not outlast an interrupt.
        let result = self
            .conclude(&host, outcome, node_id.as_deref())
            .await
            .map_err(|failure| LifecycleFailure {
                credentials_sent: attempts.credentials_sent,
                ..failure
            });
        match result {
            // A new host whose BMC refused (or never answered) registration: the node was only
            // created to ask the BMC; it goes again, so nothing half-made is left behind.
            Err(failure)
                if known.is_none()
                    && matches!(failure.error, LifecycleError::Registration { .. })
                    && failure.partial.as_ref().is_some_and(|p| {
                        ProvisionState::parse(&p.ironic_provision_state) == ProvisionState::Enroll
                    }) =>
            {
                let id = failure
                    .partial
                    .as_ref()
                    .map(|p| p.id.clone())
                    .unwrap_or_default();
                tracing::info!("host {host}: registration failed; deleting node {id} again");
                match self.client.delete_node(&id).await {
                    Ok(_) => Err(LifecycleFailure {
                        partial: None,
                        ..failure
                    }),
                    Err(error) => {
                        tracing::warn!("host {host}: could not delete node {id}: {error}");
                        Err(failure)
                    }
                }
            }
            other => other,
        }
    }

    async fn ensure_inner(
        &self,
        spec: &HostSpec,
        known: Option<&KnownHost>,
        attempts: &mut Attempts,
        ctx: &OpContext,
        node_id: &mut Option<String>,
    ) -> Result<Node> {
        let host = spec.node_name();
        super::deploy::check(spec).map_err(|(input, message)| LifecycleError::InvalidSpec {
            host: host.clone(),
            message,
            input: Some(input),
        })?;
        // RAID, BIOS and firmware the host's BMC family cannot apply, or that break the
        // operator's RAID rules, are refused before anything is created or changed.
        if let Some(message) = hardware_settings_refusal(spec) {
            return Err(LifecycleError::InvalidSpec {
                host,
                message,
                input: None,
            });
        }
        // Validates the BMC address and credentials before anything is created.
        let initial = self.settings(spec, &ProvisionState::Enroll)?;
        let deploying = self.settings(spec, &ProvisionState::Active)?;
        let needs_boot_mac = initial.needs_boot_mac || deploying.needs_boot_mac;
        if needs_boot_mac && spec.boot_mac_address.as_deref().unwrap_or("").is_empty() {
            return Err(LifecycleError::InvalidSpec {
                host,
                message: format!(
                    "boot_mac_address is required for the BMC address {} with inspection_mode \"{}\"",
                    spec.bmc.address,
                    spec.inspection_mode.as_str()
                ),
                input: Some(SpecInput::BootMacAddress),
            });
        }
        let mut node = match known {
            None => {
                self.refuse_taken_name(spec, None).await?;
                self.refuse_taken_mac(spec, None).await?;
                let node = self.enroll(spec, &initial, false).await?;
                self.port_or_undo(spec, &node).await?;
                node
            }
            Some(known) => match self.find_by_id(&known.id).await? {
                Some(node) => {
                    self.sync_boot_port(spec, &node, false).await?;
                    node
                }
                None => {
                    self.refuse_taken_name(spec, Some(&known.id)).await?;
                    self.refuse_taken_mac(spec, Some(&known.id)).await?;
                    self.reregister(spec, known, node_id, ctx).await?
                }
            },
        };
        *node_id = Some(node.uuid.clone());
        attempts.bios_current = self.bios_for_spec(spec, &node).await?;
        for _ in 0..MAX_STEPS {
            self.check_ctx(&host, &node, ctx)?;
            let settings = self.settings(spec, &node.state())?;
            let step = plan::next_step(spec, &node, &settings, attempts);
            tracing::debug!("host {host}: next step {step:?}");
            let outcome = match step {
                Step::Done => return self.finish(&host, node),
                Step::StopForMaintenance => {
                    return Err(LifecycleError::in_maintenance(&host, &node))
                }
                // A node already in a failed state (Ironic still powering it off after a failed
                // inspection, say) is waited for without failing again: the next step recovers it.
                Step::Settle => {
                    let failed_before = node.state().is_failed();
                    self.settle(&host, &node, ctx, failed_before).await
                }
                Step::Patch(ops) => self.patch(&host, &node, &ops).await,
                Step::EndMaintenance => self.end_maintenance(&host, &node).await,
                Step::RetryRegistration => {
                    attempts.registration_retried = true;
                    attempts.rotate_credentials = false;
                    attempts.credentials_sent = true;
                    let ops = plan::credential_patch(&settings);
                    match self.patch(&host, &node, &ops).await {
                        Ok(_) => self.manage(&host, &node, ctx).await,
                        Err(error) => Err(error),
                    }
                }
                Step::RotateCredentials => {
                    attempts.rotate_credentials = false;
                    attempts.credentials_sent = true;
                    self.rotate_credentials(spec, &node, &settings, ctx).await
                }
                Step::Manage => self.manage(&host, &node, ctx).await,
                Step::Inspect => self.inspect(&host, &node, ctx).await,
                Step::Provide => self.provide(&host, &node, ctx).await,
                Step::Prepare => self.prepare(spec, &node, attempts, ctx).await,
                Step::Service => self.service(spec, &node, attempts, ctx).await,
                Step::Adopt => self.adopt(spec, &node, ctx).await,
                Step::Deploy(mode) => self.deploy(spec, &node, mode, false, ctx).await,
                Step::Rebuild => {
                    let mode =
                        super::deploy::deploy_mode(spec).unwrap_or(crate::bmc::DeployMode::Image);
                    self.deploy(spec, &node, mode, true, ctx).await
                }
                Step::RecordDeployment => self.record_deployment(spec, &node).await,
                Step::Deprovision => {
                    self.deprovision(&host, &node, spec.automated_cleaning_mode, ctx)
                        .await
                }
                Step::Power(on) => self.power(&host, &node, on, ctx).await,
            };
            node = match outcome {
                Ok(node) => node,
                Err(error) => match recovery(&error, attempts) {
                    // Decide again from what the node is now (the step is repeated only if
                    // it is still what the spec needs).
                    Some(why) => {
                        tracing::warn!("host {host}: {why} ({error}); reading the node again");
                        self.reread(&host, &node).await?
                    }
                    None => return Err(error),
                },
            };
        }
        Err(LifecycleError::NoProgress {
            host,
            state: node.state().to_string(),
            steps: MAX_STEPS,
        })
    }

    /// A node named like the host that is not the one the caller knows belongs to someone
    /// else (another working directory, another resource, or a machine enrolled by hand): it
    /// is never taken over.
    async fn refuse_taken_name(&self, spec: &HostSpec, known_id: Option<&str>) -> Result<()> {
        match self.find(&spec.namespace, &spec.name).await? {
            Some(other) if Some(other.uuid.as_str()) != known_id => {
                Err(LifecycleError::AlreadyExists {
                    host: spec.node_name(),
                    id: other.uuid.clone(),
                    state: other.state().to_string(),
                })
            }
            _ => Ok(()),
        }
    }

    /// A boot MAC that is another node's port names another machine (or a typo): refused
    /// before anything is created, rather than left half-enrolled.
    async fn refuse_taken_mac(&self, spec: &HostSpec, known_id: Option<&str>) -> Result<()> {
        let Some(mac) = spec.boot_mac_address.as_deref().filter(|m| !m.is_empty()) else {
            return Ok(());
        };
        let host = spec.node_name();
        let port = self
            .client
            .find_port(&mac.to_ascii_lowercase())
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?;
        match port {
            Some(port) if Some(port.node_uuid.as_str()) != known_id => {
                let other = match self.find_by_id(&port.node_uuid).await? {
                    Some(node) => format!("{} {}", display_name(&node), node.uuid),
                    None => port.node_uuid.clone(),
                };
                Err(LifecycleError::MacInUse {
                    host,
                    mac: mac.to_ascii_lowercase(),
                    other,
                })
            }
            _ => Ok(()),
        }
    }

    /// The boot port of a node this call just enrolled; when Ironic refuses it (the MAC was
    /// taken in between), the new node is deleted again: nothing half-made is left behind.
    async fn port_or_undo(&self, spec: &HostSpec, node: &Node) -> Result<()> {
        let Err(error) = self.sync_boot_port(spec, node, true).await else {
            return Ok(());
        };
        tracing::warn!(
            "host {}: the boot port could not be created; deleting the node just enrolled",
            spec.node_name()
        );
        if let Err(undo) = self.client.delete_node(&node.uuid).await {
            tracing::warn!(
                "host {}: could not delete node {}: {undo}",
                spec.node_name(),
                node.uuid
            );
        }
        Err(error)
    }

    /// Removes the host: deprovision if deployed (never for an externally provisioned host),
    /// power off (when asked), delete the node. Done when the node is already gone.
    pub async fn delete(&self, id: &str, options: &DeleteOptions, ctx: &OpContext) -> Result<()> {
        let _stale = StaleAfter::new(&self.snapshots);
        let ctx = self.bounded(ctx);
        let engine = self.for_operation(&ctx);
        let mut options = options.clone();
        let mut attempts = Attempts::default();
        for _ in 0..MAX_STEPS {
            let Some(node) = engine.find_by_id(id).await? else {
                return Ok(());
            };
            let host = display_name(&node);
            engine.check_ctx(&host, &node, &ctx)?;
            let step = plan::delete_step(&node, &options);
            tracing::debug!("host {host}: next delete step {step:?}");
            let outcome: Result<bool> = async {
                match step {
                    DeleteStep::Settle => {
                        engine.settle(&host, &node, &ctx, true).await?;
                    }
                    DeleteStep::Abort => {
                        engine
                            .provision(
                                &host,
                                &node,
                                crate::client::ProvisionTarget::Abort,
                                &Default::default(),
                            )
                            .await?;
                        engine.settle(&host, &node, &ctx, true).await?;
                    }
                    DeleteStep::Deprovision => {
                        engine
                            .undeploy(&host, &node, options.cleaning, &ctx)
                            .await?;
                    }
                    DeleteStep::Manage => {
                        engine.manage_for_delete(&host, &node, &ctx).await?;
                    }
                    DeleteStep::EndMaintenance => {
                        engine.end_maintenance(&host, &node).await?;
                    }
                    DeleteStep::StopForMaintenance => {
                        return Err(LifecycleError::in_maintenance(&host, &node))
                    }
                    DeleteStep::PowerOff => {
                        // The caller asked for the machine off: a failed power-off stops the
                        // removal, never leaving a running machine that Ironic forgot.
                        options.power_off = false;
                        tracing::info!("host {host}: powering off before delete");
                        if let Err(error) = engine.power(&host, &node, false, &ctx).await {
                            if error.is_cancelled() {
                                return Err(error);
                            }
                            let bmc = super::persist::bmc_address(&node.extra)
                                .unwrap_or_else(|| node.driver.clone());
                            return Err(LifecycleError::PowerOffBeforeDelete {
                                host: host.clone(),
                                bmc,
                                source: Box::new(error),
                            });
                        }
                    }
                    DeleteStep::Maintenance => {
                        engine.start_maintenance_for_delete(&host, &node).await?;
                    }
                    DeleteStep::Delete => {
                        engine.delete_node(&host, &node).await?;
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            .await;
            match outcome {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                // Decided again from a fresh read at the top of the loop.
                Err(error) => match recovery(&error, &mut attempts) {
                    Some(why) => {
                        tracing::warn!("host {host}: {why} ({error}); reading the node again")
                    }
                    None => return Err(error),
                },
            }
        }
        Err(LifecycleError::NoProgress {
            host: id.to_owned(),
            state: "unknown".into(),
            steps: MAX_STEPS,
        })
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
            Ok(node) => {
                status_of(&self.client, &node, None)
                    .await
                    .map_err(|error| LifecycleFailure {
                        error,
                        partial: None,
                        credentials_sent: false,
                    })
            }
            Err(error) => {
                let partial = match node_id {
                    Some(id) => self.status(id).await.ok().flatten(),
                    None => None,
                };
                tracing::warn!("host {host}: {error}");
                Err(LifecycleFailure {
                    error,
                    partial,
                    credentials_sent: false,
                })
            }
        }
    }

    pub(super) fn settings(
        &self,
        spec: &HostSpec,
        state: &ProvisionState,
    ) -> Result<crate::bmc::DriverSettings> {
        plan::desired_settings(spec, state, &self.images).map_err(|source| LifecycleError::Bmc {
            host: spec.node_name(),
            source,
        })
    }

    fn finish(&self, host: &str, node: Node) -> Result<Node> {
        // A registration retry that failed again ends here with the node in enroll.
        if node.state() == ProvisionState::Enroll {
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
                state: node.state().to_string(),
                elapsed: Duration::ZERO,
            });
        }
        if ctx.remaining().is_zero() {
            return Err(LifecycleError::Timeout {
                host: host.to_owned(),
                waiting_for: "the next step".into(),
                state: node.state().to_string(),
                limit: ctx.limit,
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

    /// This engine with a client whose retries (an Ironic outage, a locked node) last as long
    /// as the operation may, not just the client's default budget.
    fn for_operation(&self, ctx: &OpContext) -> Lifecycle {
        Lifecycle {
            client: self.client.retrying_until(ctx.deadline),
            ..self.clone()
        }
    }
}

/// Makes the shared node list stale when an operation starts and again when it ends (however it
/// ends), so no read is served a list from before the operation's changes.
pub(super) struct StaleAfter<'a>(&'a Snapshots);

impl<'a> StaleAfter<'a> {
    pub(super) fn new(snapshots: &'a Snapshots) -> StaleAfter<'a> {
        snapshots.invalidate();
        StaleAfter(snapshots)
    }
}

impl Drop for StaleAfter<'_> {
    fn drop(&mut self) {
        self.0.invalidate();
    }
}

/// Step failures that are no fault of the host, after which the engine reads the node and
/// decides again rather than failing: a conductor restart that failed the node's transient
/// state ("can't be resumed"), and a state change refused because someone else was changing
/// the node (409). Each is bounded so a persistent cause still ends the operation.
fn recovery(error: &LifecycleError, attempts: &mut Attempts) -> Option<&'static str> {
    const MAX_RESTART_RECOVERIES: u32 = 2;
    const MAX_CONFLICT_RECOVERIES: u32 = 5;
    match error {
        LifecycleError::Failed { last_error, .. }
            if super::status::failed_by_restart(last_error)
                && attempts.restart_recoveries < MAX_RESTART_RECOVERIES =>
        {
            attempts.restart_recoveries = attempts.restart_recoveries.saturating_add(1);
            Some("Ironic failed the step because its conductor restarted, not because of the host")
        }
        LifecycleError::Ironic { source, .. }
            if source.is_conflict() && attempts.conflict_recoveries < MAX_CONFLICT_RECOVERIES =>
        {
            attempts.conflict_recoveries = attempts.conflict_recoveries.saturating_add(1);
            Some("the node changed while the step waited for it")
        }
        _ => None,
    }
}

/// Why the spec's hardware settings cannot be applied, if they cannot.
fn hardware_settings_refusal(spec: &HostSpec) -> Option<String> {
    let wanted = &spec.hardware_settings;
    if let Some(problem) = wanted
        .raid
        .as_ref()
        .and_then(|r| r.problems().into_iter().next())
    {
        return Some(format!("raid: {} {}", problem.path, problem.message));
    }
    let (support, scheme) = crate::bmc::day2_support(&spec.bmc.address)?;
    wanted
        .unsupported(support, scheme)
        .into_iter()
        .next()
        .map(|u| u.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::IronicError;

    fn failed(last_error: &str) -> LifecycleError {
        LifecycleError::Failed {
            host: "h".into(),
            operation: "inspection".into(),
            state: "inspect failed".into(),
            last_error: last_error.into(),
        }
    }

    #[test]
    fn a_restart_failure_is_recovered_in_place_a_bounded_number_of_times() {
        let restart =
            failed("The inspecting state can't be resumed by conductor c1. Moving to fail state.");
        let mut attempts = Attempts::default();
        assert!(recovery(&restart, &mut attempts).is_some());
        assert!(recovery(&restart, &mut attempts).is_some());
        assert!(recovery(&restart, &mut attempts).is_none(), "unbounded");
        // The host's own failure is reported, not retried.
        let mut attempts = Attempts::default();
        assert!(recovery(&failed("agent said: disk error"), &mut attempts).is_none());
    }

    #[test]
    fn a_conflict_is_decided_again_a_bounded_number_of_times() {
        let conflict = LifecycleError::ironic(
            "h",
            IronicError::Conflict {
                request: "PUT /v1/nodes/n/states/provision".into(),
                message: "locked".into(),
            },
        );
        let mut attempts = Attempts::default();
        let recovered = (0..10)
            .filter(|_| recovery(&conflict, &mut attempts).is_some())
            .count();
        assert_eq!(recovered, 5);
    }
}
