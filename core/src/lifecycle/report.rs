//! What a node tells of its host: `HostStatus`, built from the node, its ports and inventory.
//! Reads only.

use serde_json::Value;

use crate::bmc::ObservedBmc;
use crate::client::{IronicClient, Node, Port, ProvisionState};
use crate::hardware::HardwareDetails;

use super::error::LifecycleError;
use super::observe::{self, display_name};
use super::persist;
use super::spec::{HostStatus, ImageSpec, OperationalStatus};
use super::status::{self as state_map, NodeState};
use super::wait::explain_failure;

/// HostStatus of a node: reads its ports and, once inspected, its inventory (unless the caller
/// holds that inspection's: see [`status_with_ports`]).
pub async fn status_of(
    client: &IronicClient,
    node: &Node,
    known_inspection: Option<&str>,
) -> Result<HostStatus, LifecycleError> {
    let host = display_name(node);
    let ports = client
        .list_ports(&node.uuid)
        .await
        .map_err(|e| LifecycleError::ironic(&host, e))?;
    status_with_ports(client, node, &ports, known_inspection).await
}

/// HostStatus of a node whose ports were read already. The inventory is read once the node was
/// inspected, unless the caller has the hardware details of that very inspection
/// (`known_inspection` equals the node's `inspection_finished_at`): `hardware` is then `None`
/// and the caller keeps its own.
pub async fn status_with_ports(
    client: &IronicClient,
    node: &Node,
    ports: &[Port],
    known_inspection: Option<&str>,
) -> Result<HostStatus, LifecycleError> {
    let host = display_name(node);
    let mut node = node.clone();
    node.last_error = explain_failure(client, &node).await;
    let node = &node;
    let inspected_at = node.inspection_finished_at.as_deref();
    let unchanged = inspected_at.is_some() && inspected_at == known_inspection;
    let hardware = if inspected_at.is_some() && !unchanged {
        match client
            .get_inventory(&node.uuid)
            .await
            .map_err(|e| LifecycleError::ironic(&host, e))?
        {
            Some(inventory) => Some(HardwareDetails::from_inventory(&inventory).map_err(
                |source| LifecycleError::Hardware {
                    host: host.clone(),
                    source,
                },
            )?),
            None => None,
        }
    } else {
        None
    };
    let boot_mac = ports
        .iter()
        .find(|p| p.pxe_enabled == Some(true))
        .or(ports.first())
        .map(|p| p.address.to_ascii_lowercase());
    Ok(host_status(node, hardware, boot_mac))
}

/// HostStatus from a node and what was read beside it (pure).
pub fn host_status(
    node: &Node,
    hardware: Option<HardwareDetails>,
    boot_mac_address: Option<String>,
) -> HostStatus {
    let state = node.state();
    let recorded_image = persist::image_from_extra(&node.extra);
    let deployment_recorded =
        recorded_image.is_some() || persist::custom_deploy_from_extra(&node.extra).is_some();
    let externally = match persist::externally_provisioned_record(&node.extra) {
        Some(flag) => flag,
        // Active with nothing recorded by this engine: provisioned outside it (imported).
        None => state == ProvisionState::Active && !deployment_recorded,
    };
    let mapped = state_map::map_state(NodeState {
        provision_state: &state,
        target_provision_state: node.target_provision_state.as_deref(),
        last_error: node.last_error.as_deref(),
        fault: node.fault.as_deref(),
        externally_provisioned: externally,
        deployment_recorded,
    });
    let maintenance_reason = node
        .maintenance
        .then(|| node.maintenance_reason.clone().unwrap_or_default());
    let operational_status = match mapped.operational_status {
        // Ironic does not manage a node in maintenance: nothing happens to it until it leaves.
        OperationalStatus::Ok if node.maintenance => OperationalStatus::Detached,
        other => other,
    };
    let username_key = crate::bmc::credential_keys(&node.driver).map(|(user, _)| user);
    HostStatus {
        id: node.uuid.clone(),
        name: node.name.clone(),
        recorded_identity: persist::identity(&node.extra),
        inspection_finished_at: node.inspection_finished_at.clone(),
        provisioning_state: mapped.provisioning_state,
        ironic_provision_state: state.to_string(),
        operational_status,
        error_type: mapped.error_type,
        error_message: mapped
            .error_type
            .and(node.last_error.clone())
            .filter(|e| !e.is_empty()),
        powered_on: observe::power(node),
        provisioned_image: provisioned_image(node, recorded_image),
        externally_provisioned: externally,
        hardware,
        description: node.description.clone().filter(|d| !d.is_empty()),
        conductor_group: node.conductor_group.clone().filter(|g| !g.is_empty()),
        deploy_image: observe::deploy_image(node),
        hardware_settings_applied: super::hardware_settings::HardwareSettings::applied(&node.extra),
        bmc_address: observe::bmc_address(node),
        bmc_username: username_key
            .and_then(|key| node.driver_info.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned),
        boot_mac_address,
        boot_mode: observe::boot_mode(node),
        automated_cleaning_mode: observe::automated_cleaning_mode(node),
        inspection_mode: observe::inspection_mode(node),
        maintenance_reason,
        online: observe::online(node),
        root_device_hints: observe::root_device_hints(node),
        bmc: ObservedBmc::new(
            &node.driver,
            &node.driver_info,
            observe::bmc_address_from_driver_info(node),
        ),
    }
}

/// The image on the host's disk as far as Ironic tells: none while the node is not deployed
/// ([`ProvisionState::is_undeployed`]: a recorded image there is left over from a refused or
/// undone deployment, not on the disk); what `instance_info` says runs when an active node runs
/// another image than the recorded one (deployed behind the engine's back); else the engine's
/// record.
fn provisioned_image(node: &Node, recorded: Option<ImageSpec>) -> Option<ImageSpec> {
    let state = node.state();
    if state.is_undeployed() {
        return None;
    }
    let running = super::deployment::running_image_url(node)
        .filter(|_| state == ProvisionState::Active)
        .map(|url| observe::image_from_instance_info(node, url));
    match (recorded, running) {
        (Some(recorded), Some(running)) if running.url != recorded.url => Some(running),
        (Some(recorded), _) => Some(recorded),
        (None, running) => running,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::spec::{ErrorType, ProvisioningState};
    use serde_json::json;

    use crate::client::node_from_json as node;

    #[test]
    fn status_of_an_imported_active_node_reports_its_image() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "name": "ns~h1", "driver": "redfish",
                "provision_state": "active", "power_state": "power on",
                "driver_info": {"redfish_username": "admin", "redfish_password": "******"},
                "instance_info": {"image_source": "http://img"},
                "extra": {"metal3_bmc_address": "redfish://bmc/redfish/v1/Systems/1"}
            })),
            None,
            Some("52:54:00:00:00:01".into()),
        );
        // Nothing recorded by this engine: provisioned outside it.
        assert_eq!(
            status.provisioning_state,
            ProvisioningState::ExternallyProvisioned
        );
        assert!(status.externally_provisioned);
        assert_eq!(status.provisioned_image.unwrap().url, "http://img");
        assert_eq!(status.bmc_username.as_deref(), Some("admin"));
        assert_eq!(
            status.bmc_address.as_deref(),
            Some("redfish://bmc/redfish/v1/Systems/1")
        );
        assert_eq!(status.powered_on, Some(true));
        assert_eq!(status.online, Some(true));
    }

    #[test]
    fn active_nodes_deployed_by_the_engine_are_provisioned() {
        for extra in [
            json!({"metal3_image": {"url": "http://img"}}),
            json!({"metal3_externally_provisioned": false}),
        ] {
            let status = host_status(
                &node(json!({"uuid": "u1", "driver": "fake-hardware",
                             "provision_state": "active", "extra": extra})),
                None,
                None,
            );
            assert_eq!(status.provisioning_state, ProvisioningState::Provisioned);
            assert!(!status.externally_provisioned);
        }
    }

    #[test]
    fn status_of_a_failed_deploy_carries_last_error() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "driver": "fake-hardware", "provision_state": "deploy failed",
                "last_error": "image download failed",
                "extra": {"metal3_image": {"url": "http://img"}}
            })),
            None,
            None,
        );
        assert_eq!(status.error_type, Some(ErrorType::Provisioning));
        assert_eq!(status.operational_status, OperationalStatus::Error);
        assert_eq!(
            status.error_message.as_deref(),
            Some("image download failed")
        );
        assert_eq!(status.provisioned_image.unwrap().url, "http://img");
    }

    #[test]
    fn an_undeployed_node_has_no_provisioned_image_whatever_is_recorded() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "driver": "fake-hardware", "provision_state": "available",
                "extra": {"metal3_image": {"url": "http://live.iso", "disk_format": "live-iso"}}
            })),
            None,
            None,
        );
        assert_eq!(status.provisioned_image, None);
        assert_eq!(status.provisioning_state, ProvisioningState::Available);
    }

    #[test]
    fn another_image_deployed_behind_the_engines_back_is_reported() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "driver": "fake-hardware", "provision_state": "active",
                "instance_info": {"image_source": "http://other", "image_checksum": "abc"},
                "extra": {"metal3_image": {"url": "http://mine"}, "metal3_externally_provisioned": false}
            })),
            None,
            None,
        );
        let image = status.provisioned_image.unwrap();
        assert_eq!(image.url, "http://other");
        assert_eq!(image.checksum.as_deref(), Some("abc"));
    }

    #[test]
    fn maintenance_detaches_the_host() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "driver": "fake-hardware", "provision_state": "active",
                "maintenance": true, "maintenance_reason": "disk swap",
                "power_state": "power on",
                "extra": {"metal3_externally_provisioned": true}
            })),
            None,
            None,
        );
        assert_eq!(status.operational_status, OperationalStatus::Detached);
        assert_eq!(status.maintenance_reason.as_deref(), Some("disk swap"));
        // Power is not managed in maintenance: not reported as the wanted state.
        assert_eq!(status.online, None);
    }

    #[test]
    fn stale_last_error_is_not_an_error_message() {
        let status = host_status(
            &node(json!({
                "uuid": "u1", "driver": "fake-hardware", "provision_state": "available",
                "last_error": "old failure"
            })),
            None,
            None,
        );
        assert_eq!(status.error_type, None);
        assert_eq!(status.error_message, None);
    }
}
