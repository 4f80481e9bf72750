//! The seam between the handlers and the core: what the resource and the data sources ask of
//! the host lifecycle. The provider connects a real [`Lifecycle`]; handler tests put a fake in
//! its place (`host::fake`), so taint avoidance, partial state and missing nodes are tested
//! without an Ironic.

use async_trait::async_trait;
use futures::stream::BoxStream;
use metal3_core::lifecycle::{
    DeleteOptions, HardwareReadings, HostSpec, HostStatus, InspectOptions, KnownHost, Lifecycle,
    LifecycleError, LifecycleFailure, OpContext, PowerAction,
};

#[async_trait]
pub trait Hosts: Send + Sync + std::fmt::Debug {
    /// Status of a node by UUID or name; `None` when Ironic has no such node. Reads only.
    async fn status(&self, id_or_name: &str) -> Result<Option<HostStatus>, LifecycleError>;

    /// Status of a host for a refresh (see [`Lifecycle::read`]): reads of many hosts share one
    /// node list; the inventory is read only when Ironic inspected the host since
    /// `known_inspection` (`hardware` is `None` then). Reads only.
    async fn read(
        &self,
        id_or_name: &str,
        known_inspection: Option<&str>,
    ) -> Result<Option<HostStatus>, LifecycleError>;

    /// Every node Ironic knows, with its status. Reads only.
    async fn list(&self) -> Result<Vec<HostStatus>, LifecycleError>;

    /// Every node's status, a page at a time (see [`Lifecycle::list_pages`]).
    fn list_pages(
        &self,
        with_hardware: bool,
    ) -> BoxStream<'_, Result<Vec<HostStatus>, LifecycleError>>;

    /// Drives the host to `spec` (see [`Lifecycle::ensure`]). `new_credentials`: the BMC
    /// credentials changed, so they are sent and verified before anything else.
    async fn ensure(
        &self,
        spec: &HostSpec,
        known: Option<&KnownHost>,
        new_credentials: bool,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure>;

    /// Deprovisions (as `options` say) and deletes the node; a missing node is not an error.
    async fn delete(
        &self,
        id: &str,
        options: &DeleteOptions,
        ctx: &OpContext,
    ) -> Result<(), LifecycleError>;

    /// A one-off power operation (see [`Lifecycle::power_action`]).
    async fn power_action(
        &self,
        id: &str,
        action: PowerAction,
        timeout_secs: Option<u32>,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleError>;

    /// Inspects the host again (see [`Lifecycle::inspect_action`]).
    async fn inspect_action(
        &self,
        id: &str,
        options: InspectOptions,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleError>;

    /// The node's BIOS settings and firmware versions, each read only when asked (see
    /// [`Lifecycle::hardware_readings`]). Reads only.
    async fn hardware_readings(
        &self,
        id: &str,
        bios: bool,
        firmware: bool,
    ) -> Result<HardwareReadings, LifecycleError>;
}

#[async_trait]
impl Hosts for Lifecycle {
    async fn status(&self, id_or_name: &str) -> Result<Option<HostStatus>, LifecycleError> {
        Lifecycle::status(self, id_or_name).await
    }

    async fn read(
        &self,
        id_or_name: &str,
        known_inspection: Option<&str>,
    ) -> Result<Option<HostStatus>, LifecycleError> {
        Lifecycle::read(self, id_or_name, known_inspection).await
    }

    async fn list(&self) -> Result<Vec<HostStatus>, LifecycleError> {
        Lifecycle::list(self).await
    }

    fn list_pages(
        &self,
        with_hardware: bool,
    ) -> BoxStream<'_, Result<Vec<HostStatus>, LifecycleError>> {
        Lifecycle::list_pages(self, with_hardware)
    }

    async fn ensure(
        &self,
        spec: &HostSpec,
        known: Option<&KnownHost>,
        new_credentials: bool,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleFailure> {
        if new_credentials {
            self.ensure_with_new_credentials(spec, known, ctx).await
        } else {
            Lifecycle::ensure(self, spec, known, ctx).await
        }
    }

    async fn delete(
        &self,
        id: &str,
        options: &DeleteOptions,
        ctx: &OpContext,
    ) -> Result<(), LifecycleError> {
        Lifecycle::delete(self, id, options, ctx).await
    }

    async fn hardware_readings(
        &self,
        id: &str,
        bios: bool,
        firmware: bool,
    ) -> Result<HardwareReadings, LifecycleError> {
        Lifecycle::hardware_readings(self, id, bios, firmware).await
    }

    async fn power_action(
        &self,
        id: &str,
        action: PowerAction,
        timeout_secs: Option<u32>,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleError> {
        Lifecycle::power_action(self, id, action, timeout_secs, ctx).await
    }

    async fn inspect_action(
        &self,
        id: &str,
        options: InspectOptions,
        ctx: &OpContext,
    ) -> Result<HostStatus, LifecycleError> {
        Lifecycle::inspect_action(self, id, options, ctx).await
    }
}
