//! What a BMC family can do beyond power and provisioning in Ironic 39: RAID (hardware or
//! software), BIOS settings and firmware updates. Each family declares its row; the docs'
//! capability table and the plan's refusals come from it.

/// One family's day-2 capabilities: the Ironic interface for each, `None` when it has none.
#[derive(Debug, PartialEq, Eq)]
pub struct Day2Support {
    /// RAID built by the BMC's controller.
    pub hardware_raid: Option<&'static str>,
    /// Software RAID built by the agent (Ironic's `agent` RAID interface).
    pub software_raid: bool,
    pub bios: Option<&'static str>,
    pub firmware: Option<&'static str>,
    /// The vendor's names for the `firmware` switches; `None`: not mapped.
    pub firmware_names: Option<&'static FirmwareNames>,
    /// Why the family lacks what it lacks, for errors and docs.
    pub note: Option<&'static str>,
}

/// Nothing beyond power and provisioning.
pub const NONE: Day2Support = Day2Support {
    hardware_raid: None,
    software_raid: false,
    bios: None,
    firmware: None,
    firmware_names: None,
    note: None,
};

/// A vendor's BIOS attribute names for the `firmware` switches, and its words for on and off.
#[derive(Debug, PartialEq, Eq)]
pub struct FirmwareNames {
    pub simultaneous_multithreading: &'static str,
    pub sriov: &'static str,
    pub virtualization: &'static str,
    pub enabled: &'static str,
    pub disabled: &'static str,
}

/// Dell iDRAC's names.
pub const IDRAC_NAMES: FirmwareNames = FirmwareNames {
    simultaneous_multithreading: "LogicalProc",
    sriov: "SriovGlobalEnable",
    virtualization: "ProcVirtualization",
    enabled: "Enabled",
    disabled: "Disabled",
};

/// HPE iLO's names (also `fake://`'s, so that tests see a mapping).
pub const ILO_NAMES: FirmwareNames = FirmwareNames {
    simultaneous_multithreading: "ProcHyperthreading",
    sriov: "Sriov",
    virtualization: "ProcVirtualization",
    enabled: "Enabled",
    disabled: "Disabled",
};
