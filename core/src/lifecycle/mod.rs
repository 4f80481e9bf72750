//! Host lifecycle: drives an Ironic node to a BareMetalHost-style spec (enroll, manage,
//! inspect, provide, deploy, adopt, power, deprovision, delete) and reports its status in
//! Metal3's terms.
//!
//! - `spec`: HostSpec, HostStatus, OpContext and the BMO vocabulary;
//! - `status`: Ironic states to BMO provisioning state / error type;
//! - `persist`: what is recorded in the node's `extra` to recover status from Ironic alone;
//! - `observe`: arguments read back from a node this engine did not create (import);
//! - `deploy`: instance_info, config drive and deploy steps;
//! - `plan`: the pure decision of the next step;
//! - `wait`: polling with deadline, cancellation and fail-fast on failed states;
//! - `engine`: `Lifecycle`, which takes the steps.

pub mod deploy;
pub mod engine;
pub mod error;
pub mod observe;
pub mod persist;
pub mod plan;
pub mod spec;
pub mod status;
pub mod wait;

pub use engine::{host_status, Lifecycle, LifecycleConfig};
pub use error::{LifecycleError, LifecycleFailure};
pub use spec::{
    AutomatedCleaningMode, BmcSpec, BootMode, ChecksumType, CustomDeploy, DiskFormat, ErrorType,
    HostSpec, HostStatus, ImageSpec, InspectionMode, OpContext, OperationalStatus,
    ProvisioningState, RootDeviceHints,
};
