//! `Step`, the next thing the engine does to a node: decided by `plan` (and, for provisioning,
//! by `forecast`), taken by `steps`. Its own file so that the deciders share it without
//! importing each other.

use crate::bmc::DeployMode;
use crate::client::PatchOp;

/// The next thing to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Ironic is mid-transition: wait for it to settle.
    Settle,
    Patch(Vec<PatchOp>),
    /// Take the node out of maintenance (set outside this engine, and seen by the caller's
    /// plan): Ironic refuses provisioning actions and stops timing out waits in maintenance.
    /// Metal3 does the same before acting.
    EndMaintenance,
    /// The node is in a maintenance the caller did not announce ending (an operator set it
    /// since): stop, touching nothing.
    StopForMaintenance,
    /// Re-send the credentials, then `manage` (recovery from a registration error).
    RetryRegistration,
    /// Send changed credentials and have Ironic verify them with the BMC.
    RotateCredentials,
    Manage,
    Inspect,
    Provide,
    /// Apply the spec's RAID, BIOS settings and firmware (Ironic manual cleaning) on a
    /// `manageable` node, then record them as applied.
    Prepare,
    /// Apply the part of the spec's BIOS settings and firmware its update policy allows to a
    /// provisioned node (Ironic servicing), then record them as applied.
    Service,
    Adopt,
    Deploy(DeployMode),
    Rebuild,
    /// Record the spec's deployment on an active node that has none recorded (imported or
    /// adopted by Read): the hardware is not touched.
    RecordDeployment,
    Deprovision,
    Power(bool),
    Done,
}
