//! Facts about a failure that its caller words in its own terms: which input of the host's spec
//! it is about, and the likely way out of a wait that ran out of time. Core names them as enums
//! and leaves the names users know (the provider's attributes) to the caller.

use crate::client::ProvisionState;

/// The part of a host's spec (or of its removal's options) an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecInput {
    /// The host's name (its Ironic node name).
    Name,
    BmcAddress,
    /// The BMC username and password (pointing at them must never show the password).
    BmcCredentials,
    BootMacAddress,
    Image,
    CustomDeploy,
    NetworkData,
    MetaData,
    InspectionMode,
    AutomatedCleaningMode,
    ConductorGroup,
    /// BIOS settings (and the `firmware` switches, which are BIOS settings).
    BiosSettings,
    /// `DeleteOptions::power_off`.
    PowerOffOnDelete,
}

/// The likely way out of a wait that ran out of time, by the Ironic state it stopped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// `inspect wait`: no agent reported the hardware (its images, the network, or inspection
    /// itself are to check).
    InspectionAgent,
    /// `clean wait`: no agent called back to clean the disks.
    CleaningAgent,
    /// `wait call-back`: no agent called back to write the image.
    DeployAgent,
    /// `enroll`/`verifying`: the BMC did not answer Ironic.
    BmcUnreachable,
    /// Anything else: the host may only be slow.
    Slow,
}

impl Remedy {
    pub fn for_state(state: &str) -> Remedy {
        use ProvisionState as S;
        match ProvisionState::parse(state) {
            S::InspectWait => Remedy::InspectionAgent,
            S::CleanWait => Remedy::CleaningAgent,
            S::WaitCallBack => Remedy::DeployAgent,
            S::Enroll | S::Verifying => Remedy::BmcUnreachable,
            _ => Remedy::Slow,
        }
    }
}

/// In the spec's own terms, for messages that reach no user through a caller's wording.
impl std::fmt::Display for Remedy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Remedy::InspectionAgent => {
                "no agent reported the hardware: check that the host network-boots the Ironic \
                 Python Agent (the deploy kernel and ramdisk, or the deploy ISO for virtual \
                 media) and reaches Ironic, or disable inspection"
            }
            Remedy::CleaningAgent => {
                "no agent called back to clean the disks: check that the host boots the Ironic \
                 Python Agent and reaches Ironic, or disable automated cleaning"
            }
            Remedy::DeployAgent => {
                "no agent called back to write the image: check that the host boots the Ironic \
                 Python Agent and reaches Ironic and the image URL"
            }
            Remedy::BmcUnreachable => {
                "Ironic could not get an answer from the BMC: check the BMC address and that \
                 Ironic reaches the BMC"
            }
            Remedy::Slow => "the host may only be slow: raise the time limit",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remedies_read_ironic_state_names() {
        assert_eq!(Remedy::for_state("inspect wait"), Remedy::InspectionAgent);
        assert_eq!(Remedy::for_state("clean wait"), Remedy::CleaningAgent);
        assert_eq!(Remedy::for_state("wait call-back"), Remedy::DeployAgent);
        assert_eq!(Remedy::for_state("enroll"), Remedy::BmcUnreachable);
        assert_eq!(Remedy::for_state("verifying"), Remedy::BmcUnreachable);
        assert_eq!(Remedy::for_state("some future state"), Remedy::Slow);
        assert!(Remedy::InspectionAgent
            .to_string()
            .contains("disable inspection"));
        assert!(Remedy::Slow.to_string().contains("raise the time limit"));
    }
}
