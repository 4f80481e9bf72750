use super::*;
use metal3_core::bmc::ObservedBmc;
use metal3_core::lifecycle::{AutomatedCleaningMode, BootMode, ImageSpec, ProvisioningState};
use serde_json::json;

use crate::host::fake::host;
use crate::resources::baremetal_host::test_values::{
    bmc, image, IMAGE_CHECKSUM_URL, IMAGE_URL, REDFISH,
};

fn bmc_checking_certificates() -> Value {
    let mut b = bmc(REDFISH, "admin", "pw");
    b.set_attr("disable_certificate_verification", false);
    b
}

fn state() -> Value {
    Value::object([
        ("id", Value::from("u-1")),
        ("name", Value::from("w0")),
        ("namespace", Value::from("metal3")),
        ("bmc", bmc_checking_certificates()),
        ("boot_mac_address", Value::from("52:54:00:AA:BB:CC")),
        ("boot_mode", Value::from("UEFI")),
        ("online", Value::from(true)),
        ("image", image(IMAGE_URL, IMAGE_CHECKSUM_URL)),
        ("externally_provisioned", Value::from(false)),
        ("automated_cleaning_mode", Value::from("metadata")),
        ("inspection_mode", Value::from("agent")),
        ("description", Value::from("rack 1")),
        ("provisioning_state", Value::from("provisioned")),
    ])
}

/// What Ironic reports for a host matching `state()` exactly.
fn status() -> HostStatus {
    let driver_info = json!({"redfish_address": "https://10.0.0.1",
                             "redfish_system_id": "/redfish/v1/Systems/1",
                             "redfish_username": "admin", "redfish_password": "******"});
    HostStatus {
        provisioning_state: ProvisioningState::Provisioned,
        ironic_provision_state: "active".into(),
        provisioned_image: Some(ImageSpec {
            url: IMAGE_URL.into(),
            checksum: Some(IMAGE_CHECKSUM_URL.into()),
            checksum_type: None,
            disk_format: None,
        }),
        description: Some("rack 1".into()),
        bmc_address: Some(REDFISH.into()),
        bmc_username: Some("admin".into()),
        boot_mac_address: Some("52:54:00:aa:bb:cc".into()),
        boot_mode: Some(BootMode::Uefi),
        bmc: ObservedBmc::new(
            "redfish",
            driver_info.as_object().unwrap(),
            Some("redfish+https://10.0.0.1/redfish/v1/Systems/1".into()),
        ),
        ..host("u-1", "metal3~w0")
    }
}

fn at<'a>(value: &'a Value, steps: &[&str]) -> &'a Value {
    value.get_path(&AttributePath::attributes(steps)).unwrap()
}

/// Arguments only (status attributes differ by design).
fn arguments(value: &Value) -> Value {
    let mut v = value.clone();
    for name in crate::host::status::STATUS_ATTRIBUTES {
        v.set_attr(*name, Value::Null);
    }
    v
}

#[test]
fn a_host_as_applied_reads_back_unchanged() {
    let refreshed = refreshed_state(&state(), &status());
    let expected = host_state(&state(), &StatusView::from(&status()));
    assert_eq!(arguments(&refreshed), arguments(&expected));
    // The MAC's spelling is the user's.
    assert_eq!(
        at(&refreshed, &["boot_mac_address"]),
        &Value::from("52:54:00:AA:BB:CC")
    );
}

#[test]
fn every_stored_argument_changed_in_ironic_is_read_back() {
    let mut drifted = status();
    drifted.online = Some(false);
    drifted.boot_mac_address = Some("52:54:00:00:00:99".into());
    drifted.boot_mode = Some(BootMode::Legacy);
    drifted.automated_cleaning_mode = AutomatedCleaningMode::Disabled;
    drifted.description = None;
    drifted.bmc_username = Some("root".into());
    drifted.provisioned_image = Some(ImageSpec {
        url: "http://img/someone-elses.qcow2".into(),
        checksum: Some("abc".into()),
        checksum_type: None,
        disk_format: None,
    });
    let info = json!({"redfish_address": "https://10.0.0.99",
                      "redfish_system_id": "/redfish/v1/Systems/1"});
    drifted.bmc = ObservedBmc::new(
        "redfish",
        info.as_object().unwrap(),
        Some("redfish+https://10.0.0.99/redfish/v1/Systems/1".into()),
    );
    let refreshed = refreshed_state(&state(), &drifted);
    assert_eq!(at(&refreshed, &["online"]), &Value::from(false));
    assert_eq!(
        at(&refreshed, &["boot_mac_address"]),
        &Value::from("52:54:00:00:00:99")
    );
    assert_eq!(at(&refreshed, &["boot_mode"]), &Value::from("legacy"));
    assert_eq!(
        at(&refreshed, &["automated_cleaning_mode"]),
        &Value::from("disabled")
    );
    assert_eq!(at(&refreshed, &["description"]), &Value::Null);
    assert_eq!(at(&refreshed, &["bmc", "username"]), &Value::from("root"));
    assert_eq!(
        at(&refreshed, &["bmc", "address"]),
        &Value::from("redfish+https://10.0.0.99/redfish/v1/Systems/1")
    );
    assert_eq!(
        at(&refreshed, &["image", "url"]),
        &Value::from("http://img/someone-elses.qcow2")
    );
    // Never read back: Ironic masks it.
    assert_eq!(at(&refreshed, &["bmc", "password"]), &Value::from("pw"));
}

#[test]
fn disabled_certificate_verification_is_read_back() {
    let mut drifted = status();
    let info = json!({"redfish_address": "https://10.0.0.1",
                      "redfish_system_id": "/redfish/v1/Systems/1", "redfish_verify_ca": false});
    drifted.bmc = ObservedBmc::new("redfish", info.as_object().unwrap(), None);
    let refreshed = refreshed_state(&state(), &drifted);
    assert_eq!(
        at(&refreshed, &["bmc", "disable_certificate_verification"]),
        &Value::from(true)
    );
    assert_eq!(at(&refreshed, &["bmc", "address"]), &Value::from(REDFISH));
}

#[test]
fn an_undeployed_host_has_no_image() {
    let mut undeployed = status();
    undeployed.ironic_provision_state = "available".into();
    undeployed.provisioning_state = ProvisioningState::Available;
    undeployed.provisioned_image = None;
    undeployed.online = Some(true);
    let refreshed = refreshed_state(&state(), &undeployed);
    assert_eq!(at(&refreshed, &["image"]), &Value::Null);
}

#[test]
fn hosts_in_motion_keep_their_arguments() {
    let mut busy = status();
    busy.ironic_provision_state = "clean wait".into();
    busy.online = None;
    busy.automated_cleaning_mode = AutomatedCleaningMode::Disabled;
    busy.provisioned_image = None;
    let refreshed = refreshed_state(&state(), &busy);
    assert_eq!(arguments(&refreshed), arguments(&state_completed()));
}

fn state_completed() -> Value {
    host_state(&state(), &StatusView::default())
}

#[test]
fn an_externally_provisioned_hosts_image_is_bookkeeping() {
    let mut adopted_state = state();
    adopted_state.set_attr("externally_provisioned", true);
    let mut adopted = status();
    adopted.externally_provisioned = true;
    adopted.provisioned_image = Some(ImageSpec {
        url: "http://img/what-runs.qcow2".into(),
        checksum: None,
        checksum_type: None,
        disk_format: None,
    });
    let refreshed = refreshed_state(&adopted_state, &adopted);
    assert_eq!(
        at(&refreshed, &["image", "url"]),
        &Value::from("http://img/os.qcow2")
    );
}

#[test]
fn a_missing_node_keeps_the_state_and_says_detached() {
    let mut prior = state();
    prior.set_attr("ironic_provision_state", "active");
    prior.set_attr("operational_status", "OK");
    let missing = missing_node_state(&prior);
    assert!(node_missing(&missing));
    assert!(!node_missing(&prior));
    assert_eq!(at(&missing, &["id"]), &Value::from("u-1"));
    assert_eq!(
        at(&missing, &["provisioning_state"]),
        &Value::from("provisioned")
    );
    assert_eq!(arguments(&missing), arguments(&prior));
}

#[test]
fn a_fake_hosts_recorded_address_changed_in_ironic_is_drift() {
    let mut fake = status();
    fake.bmc = ObservedBmc::new("fake-hardware", &serde_json::Map::new(), None);
    let mut prior = state();
    prior.set_attr("bmc", bmc("fake://w0", "admin", "pw"));
    fake.bmc_address = Some("fake://w0".into());
    let refreshed = refreshed_state(&prior, &fake);
    assert_eq!(
        at(&refreshed, &["bmc", "address"]),
        &Value::from("fake://w0")
    );
    fake.bmc_address = Some("fake://other".into());
    let refreshed = refreshed_state(&prior, &fake);
    assert_eq!(
        at(&refreshed, &["bmc", "address"]),
        &Value::from("fake://other")
    );
}
