//! What a node records of its deployment and what a spec wants, and the other facts of a node
//! both deciders (`plan` and `forecast`) read.

use serde_json::Value;

use crate::client::{Node, ProvisionState};

use super::persist;
use super::spec::{HostSpec, ImageSpec};

/// Whether agent inspection has completed on the node, or is not needed because the caller
/// kept the host's hardware details from before Ironic lost it (see `persist::HARDWARE_KEPT`).
pub fn inspected(node: &Node) -> bool {
    node.inspection_finished_at.is_some() || persist::hardware_kept(&node.extra)
}

/// The deployment recorded on an active node: image, custom deploy method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedDeployment {
    pub image: Option<ImageSpec>,
    pub custom_deploy: Option<String>,
}

pub fn recorded_deployment(node: &Node) -> Option<RecordedDeployment> {
    let image = persist::image_from_extra(&node.extra);
    let custom = persist::custom_deploy_from_extra(&node.extra).map(|c| c.method);
    if image.is_none() && custom.is_none() {
        return None;
    }
    Some(RecordedDeployment {
        image,
        custom_deploy: custom,
    })
}

pub fn wanted_deployment(spec: &HostSpec) -> RecordedDeployment {
    RecordedDeployment {
        image: spec.image.clone(),
        custom_deploy: spec.custom_deploy.as_ref().map(|c| c.method.clone()),
    }
}

/// The image Ironic says the node runs: `instance_info.image_source`, or `boot_iso` for a live
/// ISO.
pub fn running_image_url(node: &Node) -> Option<&str> {
    ["image_source", "boot_iso"]
        .iter()
        .find_map(|key| node.instance_info.get(*key).and_then(Value::as_str))
}

/// A deployment the spec no longer wants, waiting for an agent: stopped now (undeployed) rather
/// than waited for, which would write a disk that is then cleaned. The forecast decides with
/// it too.
pub fn stops_unwanted_deployment(state: &ProvisionState, deploying_as_wanted: bool) -> bool {
    *state == ProvisionState::WaitCallBack && !deploying_as_wanted
}
