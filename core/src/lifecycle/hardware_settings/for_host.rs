//! The hardware settings of one host: what applying its spec's settings to its node does, and
//! its BMC vendor's names for the `firmware` switches.

use std::collections::BTreeMap;

use crate::bmc;
use crate::client::Node;
use crate::lifecycle::spec::HostSpec;

use super::{HardwareSettings, Preparation};

/// What applying the spec's hardware settings to `node` does (`bios_current`: its BIOS as read
/// in this call, `None` when not read).
pub fn preparation(
    spec: &HostSpec,
    node: &Node,
    bios_current: Option<&BTreeMap<String, String>>,
) -> Preparation {
    let applied = HardwareSettings::applied(&node.extra);
    spec.hardware_settings
        .preparation(&applied, bios_current, firmware_names(spec))
}

/// The vendor names of the `firmware` switches for the spec's BMC.
pub fn firmware_names(spec: &HostSpec) -> Option<&'static bmc::FirmwareNames> {
    bmc::day2_support(&spec.bmc.address).and_then(|(support, _)| support.firmware_names)
}
