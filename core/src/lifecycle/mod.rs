//! Host lifecycle: drives an Ironic node to a BareMetalHost-style spec (enroll, manage,
//! inspect, provide, deploy, adopt, power, deprovision, delete) and reports its status in
//! Metal3's terms.
//!
//! - `spec`: HostSpec, HostStatus, OpContext and the BMO vocabulary;
//! - `status`: Ironic states to BMO provisioning state / error type;
//! - `persist`: what is recorded in the node's `extra` to recover status from Ironic alone;
//! - `observe`: arguments read back from a node this engine did not create (import);
//! - `deploy`: instance_info, config drive and deploy steps;
//! - `hardware_settings`: RAID, BIOS settings and firmware updates, and the cleaning steps that
//!   apply them;
//! - `step`: `Step`, the next thing to do to a node;
//! - `deployment`: the deployment a node records and a spec wants, and other node facts the
//!   deciders share;
//! - `plan`: the pure decision of the next step (creating, updating and deleting);
//! - `forecast`: the provisioning decision, and the steps apply takes with their effects;
//! - `destroy_forecast`: the same for deleting a host (the delete decision is in `plan`);
//! - `wait`: polling with deadline, cancellation and fail-fast on failed states;
//! - `report`: `HostStatus` from a node (reads only);
//! - `snapshot`: one list of all nodes and ports shared by a plan's reads;
//! - `listing`: all statuses page by page, for listing a fleet in bounded memory;
//! - `steps`: the Ironic requests of each step (`prepare`: the preparing step's);
//! - `power_action`, `inspect_action`: one-off operations an operator asks for (actions);
//! - `state_change`: provision and power requests whose answer was lost;
//! - `engine`: `Lifecycle`, which loops over plan and steps.

mod create_once;
pub mod deploy;
pub mod deployment;
pub mod destroy_forecast;
pub mod engine;
pub mod error;
pub mod fault;
pub mod forecast;
pub mod hardware_settings;
pub mod inspect_action;
pub mod listing;
pub mod observe;
pub mod persist;
pub mod plan;
pub mod power_action;
mod prepare;
pub mod report;
pub mod snapshot;
pub mod spec;
mod state_change;
pub mod status;
pub mod step;
mod steps;
pub mod wait;

pub use engine::{Lifecycle, LifecycleConfig, DEFAULT_READ_WINDOW};
pub use error::{LifecycleError, LifecycleFailure};
pub use fault::{Remedy, SpecInput};
pub use inspect_action::InspectOptions;
pub use plan::DeleteOptions;
pub use power_action::PowerAction;
pub use prepare::HardwareReadings;
pub use report::host_status;
pub use snapshot::{DIRECT_READS, PAGE_SIZE};
pub use spec::{
    AutomatedCleaningMode, BmcSpec, BootMode, ChecksumType, CustomDeploy, DeployImage, DiskFormat,
    ErrorType, HostSpec, HostStatus, ImageSpec, InspectionMode, KnownHost, OpContext,
    OperationalStatus, ProvisioningState, RootDeviceHints,
};
