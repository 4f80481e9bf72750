//! Core's typed facts about a failure in this provider's terms: the attribute a spec input is,
//! and the way out of a timeout worded with the attributes that change it. Core names neither.

use metal3_core::lifecycle::{LifecycleError, Remedy, SpecInput};

use super::arguments::{BmcConfig, HostConfig};
use crate::codec::AttributePath;

/// The `metal3_baremetal_host` attribute an input of the spec is. Never a password: Terraform
/// quotes the configuration the attribute path points at (for the `bmc` object: all of it,
/// password included), so the credentials point at `bmc.username`.
pub fn attribute_of(input: SpecInput) -> AttributePath {
    let (host, bmc) = (HostConfig::NAMES, BmcConfig::NAMES);
    let steps: &[&str] = match input {
        SpecInput::Name => &[host.name],
        SpecInput::BmcAddress => &[host.bmc, bmc.address],
        SpecInput::BmcCredentials => &[host.bmc, bmc.username],
        SpecInput::BootMacAddress => &[host.boot_mac_address],
        SpecInput::Image => &[host.image],
        SpecInput::CustomDeploy => &[host.custom_deploy],
        SpecInput::NetworkData => &[host.network_data],
        SpecInput::BiosSettings => &[host.bios_settings],
        SpecInput::MetaData => &[host.meta_data],
        SpecInput::InspectionMode => &[host.inspection_mode],
        SpecInput::AutomatedCleaningMode => &[host.automated_cleaning_mode],
        SpecInput::ConductorGroup => &[host.conductor_group],
        SpecInput::PowerOffOnDelete => &[host.power_off_on_destroy],
    };
    steps
        .iter()
        .fold(AttributePath::root(), |path, step| path.attribute(*step))
}

/// The likely way out of a timeout, naming the arguments (of the host and of the provider) that
/// change it.
pub fn remedy_words(remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::InspectionAgent => {
            "no agent reported the hardware: check that the host network-boots the Ironic Python \
             Agent (deploy_kernel_url/deploy_ramdisk_url, or deploy_iso_url for virtual media) \
             and reaches Ironic, or set inspection_mode = \"disabled\""
        }
        Remedy::CleaningAgent => {
            "no agent called back to clean the disks: check that the host boots the Ironic Python \
             Agent and reaches Ironic, or set automated_cleaning_mode = \"disabled\""
        }
        Remedy::DeployAgent => {
            "no agent called back to write the image: check that the host boots the Ironic Python \
             Agent and reaches Ironic and the image URL"
        }
        Remedy::BmcUnreachable => {
            "Ironic could not get an answer from the BMC: check bmc.address and that Ironic reaches \
             the BMC"
        }
        Remedy::Slow => "the host may only be slow: raise the time limit",
    }
}

/// The engine's message, a timeout's remedy in this provider's words.
pub fn message_of(error: &LifecycleError) -> String {
    match (error, error.timeout_headline()) {
        (LifecycleError::Timeout { state, .. }, Some(headline)) => {
            format!("{headline}; {}", remedy_words(Remedy::for_state(state)))
        }
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn remedies_name_the_arguments_that_change_them() {
        let words = |state: &str| remedy_words(Remedy::for_state(state));
        assert!(words("inspect wait").contains("inspection_mode"));
        assert!(words("inspect wait").contains("deploy_kernel_url"));
        assert!(words("clean wait").contains("automated_cleaning_mode"));
        assert!(words("wait call-back").contains("image URL"));
        assert!(words("enroll").contains("bmc.address"));
        assert!(words("some future state").contains("raise the time limit"));
    }

    #[test]
    fn a_timeout_message_is_the_engine_headline_and_these_words() {
        let error = LifecycleError::Timeout {
            host: "lab~h".into(),
            waiting_for: "manageable".into(),
            state: "inspect wait".into(),
            limit: Duration::from_secs(8),
        };
        assert_eq!(
            message_of(&error),
            "host lab~h: the time limit of 8s ran out while waiting for manageable (node in \
             \"inspect wait\": inspecting); no agent reported the hardware: check that the host \
             network-boots the Ironic Python Agent (deploy_kernel_url/deploy_ramdisk_url, or \
             deploy_iso_url for virtual media) and reaches Ironic, or set inspection_mode = \
             \"disabled\""
        );
        let other = LifecycleError::NodeGone {
            host: "lab~h".into(),
            operation: "deploying".into(),
        };
        assert_eq!(message_of(&other), other.to_string());
    }

    #[test]
    fn credentials_never_point_at_the_password() {
        assert_eq!(
            attribute_of(SpecInput::BmcCredentials).to_string(),
            "bmc.username"
        );
    }
}
