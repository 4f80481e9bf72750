//! Host lifecycle: drives an Ironic node to a BareMetalHost-style spec (enroll, manage,
//! inspect, provide, deploy, adopt, power, deprovision, delete) and reports its status in
//! Metal3's terms.

pub mod persist;
pub mod spec;
pub mod status;

pub use spec::{
    AutomatedCleaningMode, BmcSpec, BootMode, ChecksumType, CustomDeploy, DiskFormat, ErrorType,
    HostSpec, HostStatus, ImageSpec, InspectionMode, OpContext, OperationalStatus,
    ProvisioningState, RootDeviceHints,
};
