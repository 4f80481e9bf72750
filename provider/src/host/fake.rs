//! An in-memory stand-in for the host lifecycle, for handler tests: it holds node statuses,
//! answers `ensure` and `delete` (or fails them once, as told), and records every call so a
//! test can assert that a read or a plan asked nothing but reads.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use futures::stream::{BoxStream, StreamExt};
use metal3_core::bmc::ObservedBmc;
use metal3_core::lifecycle::{
    AutomatedCleaningMode, DeleteOptions, HostSpec, HostStatus, InspectOptions, KnownHost,
    LifecycleError, LifecycleFailure, OpContext, OperationalStatus, PowerAction, ProvisioningState,
};

use super::lifecycle::Hosts;

#[derive(Debug, Default)]
pub struct FakeHosts {
    /// By node id.
    nodes: Mutex<BTreeMap<String, HostStatus>>,
    calls: Mutex<Vec<String>>,
    next_ensure_failure: Mutex<Option<LifecycleFailure>>,
    deleted_with: Mutex<Option<DeleteOptions>>,
}

/// An available host named `<namespace>~<name>` with node id `id`.
pub fn host(id: &str, node_name: &str) -> HostStatus {
    HostStatus {
        id: id.to_owned(),
        name: Some(node_name.to_owned()),
        recorded_identity: crate::host::names::split_node_name(node_name)
            .map(|(ns, name)| (ns.to_owned(), name.to_owned())),
        inspection_finished_at: None,
        provisioning_state: ProvisioningState::Available,
        ironic_provision_state: "available".to_owned(),
        operational_status: OperationalStatus::Ok,
        error_type: None,
        error_message: None,
        powered_on: Some(true),
        provisioned_image: None,
        externally_provisioned: false,
        hardware: None,
        description: None,
        conductor_group: None,
        deploy_image: Default::default(),
        hardware_settings_applied: Default::default(),
        bmc_address: None,
        bmc_username: None,
        boot_mac_address: None,
        boot_mode: None,
        automated_cleaning_mode: AutomatedCleaningMode::Metadata,
        inspection_mode: None,
        maintenance_reason: None,
        online: Some(true),
        root_device_hints: None,
        bmc: ObservedBmc::default(),
    }
}

impl FakeHosts {
    pub fn with(nodes: impl IntoIterator<Item = HostStatus>) -> FakeHosts {
        let fake = FakeHosts::default();
        for node in nodes {
            fake.put(node);
        }
        fake
    }

    pub fn put(&self, node: HostStatus) {
        self.nodes.lock().unwrap().insert(node.id.clone(), node);
    }

    /// The next `ensure` fails with `failure`.
    pub fn fail_next_ensure(&self, failure: LifecycleFailure) {
        *self.next_ensure_failure.lock().unwrap() = Some(failure);
    }

    /// Every call so far, e.g. `status metal3~w0`, `ensure metal3~w0`, `delete <id>`.
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    /// Whether any call could have changed a node.
    pub fn wrote(&self) -> bool {
        self.calls()
            .iter()
            .any(|c| c.starts_with("ensure") || c.starts_with("delete") || c.starts_with("power"))
    }

    /// The options of the last `delete`.
    pub fn deleted_with(&self) -> Option<DeleteOptions> {
        self.deleted_with.lock().unwrap().clone()
    }

    fn record(&self, call: String) {
        self.calls.lock().unwrap().push(call);
    }

    fn find(&self, id_or_name: &str) -> Option<HostStatus> {
        let nodes = self.nodes.lock().unwrap();
        nodes.get(id_or_name).cloned().or_else(|| {
            nodes
                .values()
                .find(|n| n.name.as_deref() == Some(id_or_name))
                .cloned()
        })
    }
}

#[async_trait]
impl Hosts for FakeHosts {
    async fn status(&self, id_or_name: &str) -> Result<Option<HostStatus>, LifecycleError> {
        self.record(format!("status {id_or_name}"));
        Ok(self.find(id_or_name))
    }

    async fn read(
        &self,
        id_or_name: &str,
        known_inspection: Option<&str>,
    ) -> Result<Option<HostStatus>, LifecycleError> {
        self.record(format!("read {id_or_name}"));
        // As the real one: the hardware of an inspection the caller knows is not read again.
        Ok(self.find(id_or_name).map(|mut status| {
            if known_inspection.is_some()
                && status.inspection_finished_at.as_deref() == known_inspection
            {
                status.hardware = None;
            }
            status
        }))
    }

    async fn list(&self) -> Result<Vec<HostStatus>, LifecycleError> {
        self.record("list".to_owned());
        Ok(self.nodes.lock().unwrap().values().cloned().collect())
    }

    /// Pages of two nodes, so that callers are tested across pages.
    fn list_pages(
        &self,
        with_hardware: bool,
    ) -> BoxStream<'_, Result<Vec<HostStatus>, LifecycleError>> {
        self.record(format!("list_pages hardware={with_hardware}"));
        let nodes: Vec<HostStatus> = self.nodes.lock().unwrap().values().cloned().collect();
        let pages: Vec<_> = nodes.chunks(2).map(|page| Ok(page.to_vec())).collect();
        futures::stream::iter(pages).boxed()
    }

    async fn ensure(
        &self,
        spec: &HostSpec,
        known: Option<&KnownHost>,
        new_credentials: bool,
        _ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        let name = spec.node_name();
        let credentials = if new_credentials {
            " new-credentials"
        } else {
            ""
        };
        self.record(format!("ensure {name}{credentials}"));
        if let Some(failure) = self.next_ensure_failure.lock().unwrap().take() {
            if let Some(partial) = &failure.partial {
                self.put(partial.clone());
            }
            return Err(failure);
        }
        let existing = known.and_then(|k| self.find(&k.id));
        let mut node = existing.unwrap_or_else(|| {
            let id = format!(
                "00000000-0000-4000-8000-{:012}",
                self.nodes.lock().unwrap().len()
            );
            host(&id, &name)
        });
        node.description = spec.description.clone();
        node.conductor_group = spec.conductor_group.clone().filter(|g| !g.is_empty());
        self.put(node.clone());
        Ok(node)
    }

    async fn delete(
        &self,
        id: &str,
        options: &DeleteOptions,
        _ctx: &OpContext,
    ) -> Result<(), LifecycleError> {
        self.record(format!("delete {id}"));
        *self.deleted_with.lock().unwrap() = Some(options.clone());
        self.nodes.lock().unwrap().remove(id);
        Ok(())
    }

    async fn hardware_readings(
        &self,
        id: &str,
        bios: bool,
        firmware: bool,
    ) -> Result<metal3_core::lifecycle::HardwareReadings, LifecycleError> {
        self.record(format!(
            "hardware readings {id} bios={bios} firmware={firmware}"
        ));
        Ok(Default::default())
    }

    async fn power_action(
        &self,
        id: &str,
        action: PowerAction,
        _timeout_secs: Option<u32>,
        _ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleError> {
        self.record(format!("power {action:?} {id}"));
        let mut node = self.find(id).ok_or_else(|| LifecycleError::InvalidSpec {
            host: id.to_owned(),
            message: "Ironic has no such node".into(),
            input: None,
        })?;
        node.powered_on = Some(!matches!(action, PowerAction::Off | PowerAction::SoftOff));
        self.put(node.clone());
        Ok(node)
    }

    async fn inspect_action(
        &self,
        id: &str,
        options: InspectOptions,
        _ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleError> {
        self.record(format!("inspect {id} {options:?}"));
        let mut node = self.find(id).ok_or_else(|| LifecycleError::InvalidSpec {
            host: id.to_owned(),
            message: "Ironic has no such node".into(),
            input: None,
        })?;
        node.inspection_finished_at = Some("2026-12-06T00:00:00+00:00".into());
        self.put(node.clone());
        Ok(node)
    }
}
