use metal3_core::hardware::HardwareDetails;
use metal3_core::lifecycle::{
    AutomatedCleaningMode, BootMode, ChecksumType, DiskFormat, ErrorType, HostStatus,
    OperationalStatus, ProvisioningState,
};

use super::*;
use crate::codec::Value;
use crate::host::fake::host;
use crate::host::imported::imported_node;
use crate::host::status::{host_names, StatusView};
use crate::resources::baremetal_host::test_values::bmc;

fn planned() -> Value {
    Value::object([
        ("name", Value::from("worker-0")),
        ("namespace", Value::from("lab")),
        ("bmc", {
            let mut b = bmc("fake://w0", "admin", "s3cret");
            b.set_attr("disable_certificate_verification", true);
            b
        }),
        ("boot_mac_address", Value::from("AA:BB:CC:DD:EE:01")),
        ("boot_mode", Value::from("legacy")),
        ("online", Value::from(false)),
        (
            "image",
            Value::object([
                ("url", Value::from("http://x/os.qcow2")),
                ("checksum", Value::from("abc")),
                ("checksum_type", Value::from("sha256")),
                ("disk_format", Value::from("qcow2")),
            ]),
        ),
        (
            "root_device_hints",
            Value::object([
                ("device_name", Value::from("/dev/sda")),
                ("min_size_gigabytes", Value::from(20)),
            ]),
        ),
        ("automated_cleaning_mode", Value::from("disabled")),
        ("inspection_mode", Value::from("agent")),
        ("description", Value::from("rack 1")),
        ("user_data", Value::from("#cloud-config")),
    ])
}

#[test]
fn host_config_to_spec() {
    let config = HostConfig::from_value(&planned()).unwrap();
    let spec = host_spec(&config, None, "metal3").unwrap();
    assert_eq!(spec.node_name(), "lab~worker-0");
    assert_eq!(spec.bmc.address, "fake://w0");
    assert_eq!(spec.bmc.password.expose(), "s3cret");
    assert!(spec.bmc.disable_certificate_verification);
    assert_eq!(spec.boot_mac_address.as_deref(), Some("aa:bb:cc:dd:ee:01"));
    assert_eq!(spec.boot_mode, BootMode::Legacy);
    assert!(!spec.online);
    let image = spec.image.unwrap();
    assert_eq!(image.checksum_type, Some(ChecksumType::Sha256));
    assert_eq!(image.disk_format, Some(DiskFormat::Qcow2));
    let hints = spec.root_device_hints.unwrap();
    assert_eq!(hints.device_name.as_deref(), Some("/dev/sda"));
    assert_eq!(hints.min_size_gigabytes, Some(20));
    assert_eq!(
        spec.automated_cleaning_mode,
        AutomatedCleaningMode::Disabled
    );
    assert_eq!(spec.description.as_deref(), Some("rack 1"));
    assert_eq!(spec.user_data.unwrap().expose(), "#cloud-config");
}

#[test]
fn write_only_password_comes_from_config_and_namespace_defaults() {
    let mut value = planned();
    value.set_attr("namespace", Value::Null);
    value.set_attr("image", Value::Null);
    let bmc = value.get_mut("bmc").unwrap();
    bmc.set_attr("password", Value::Null);
    let planned = HostConfig::from_value(&value).unwrap();
    // Without the config the write-only password is missing: an error at bmc.password.
    let errors = host_spec(&planned, None, "metal3").unwrap_err();
    assert_eq!(
        errors[0].attribute.as_ref().unwrap().to_string(),
        "bmc.password"
    );
    let mut config_value = value.clone();
    config_value
        .get_mut("bmc")
        .unwrap()
        .set_attr("password_wo", Value::from("wo-secret"));
    let config = HostConfig::from_value(&config_value).unwrap();
    let spec = host_spec(&planned, Some(&config), "metal3").unwrap();
    assert_eq!(spec.bmc.password.expose(), "wo-secret");
    assert_eq!(spec.namespace, "metal3");
    assert!(spec.image.is_none());
    assert!(!format!("{spec:?}").contains("wo-secret"));
}

#[test]
fn auto_checksum_type_and_unknowns() {
    let mut value = planned();
    value
        .get_mut("image")
        .unwrap()
        .set_attr("checksum_type", Value::from("auto"));
    value.set_attr("description", Value::unknown());
    let config = HostConfig::from_value(&value).unwrap();
    let errors = host_spec(&config, None, "metal3").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].attribute.as_ref().unwrap().to_string(),
        "description"
    );
    value.set_attr("description", Value::Null);
    let spec = host_spec(&HostConfig::from_value(&value).unwrap(), None, "m").unwrap();
    assert_eq!(spec.image.unwrap().checksum_type, None);
}

fn status() -> HostStatus {
    HostStatus {
        provisioning_state: ProvisioningState::Provisioning,
        ironic_provision_state: "deploy failed".into(),
        operational_status: OperationalStatus::Error,
        error_type: Some(ErrorType::Provisioning),
        error_message: Some("image download failed".into()),
        provisioned_image: Some(ImageSpec {
            url: "http://x/os.qcow2".into(),
            checksum: Some("abc".into()),
            checksum_type: Some(ChecksumType::Sha256),
            disk_format: None,
        }),
        hardware: Some(HardwareDetails {
            ram_mebibytes: 4096,
            ..HardwareDetails::default()
        }),
        bmc_address: Some("fake://w0".into()),
        bmc_username: Some("admin".into()),
        boot_mac_address: Some("aa:bb:cc:dd:ee:01".into()),
        boot_mode: Some(BootMode::Legacy),
        automated_cleaning_mode: AutomatedCleaningMode::Disabled,
        online: None,
        ..host("1be26c0b-03f2-4d2e-ae87-c02d7f33c123", "lab~worker-0")
    }
}

#[test]
fn host_status_to_view() {
    let view = StatusView::from(&status());
    assert_eq!(
        view.id.as_deref(),
        Some("1be26c0b-03f2-4d2e-ae87-c02d7f33c123")
    );
    assert_eq!(view.provisioning_state.as_deref(), Some("provisioning"));
    assert_eq!(
        view.ironic_provision_state.as_deref(),
        Some("deploy failed")
    );
    assert_eq!(view.operational_status.as_deref(), Some("error"));
    assert_eq!(view.error_type.as_deref(), Some("provisioning error"));
    assert_eq!(view.error_message.as_deref(), Some("image download failed"));
    assert_eq!(view.powered_on, Some(true));
    let image = view.provisioned_image.unwrap();
    assert_eq!(image.checksum_type.as_deref(), Some("sha256"));
    assert_eq!(image.disk_format, None);
    assert_eq!(view.hardware.unwrap().ram_mebibytes, Some(4096));
}

#[test]
fn names_and_imported_node() {
    let s = status();
    assert_eq!(
        host_names(&s, ("x", "y")),
        ("lab".into(), "worker-0".into())
    );
    let mut other = status();
    other.name = Some("plain".into());
    assert_eq!(
        host_names(&other, ("metal3", "plain")),
        ("metal3".into(), "plain".into())
    );
    let node = imported_node(&s, "lab".into(), "worker-0".into());
    assert_eq!(node.bmc_address.as_deref(), Some("fake://w0"));
    assert_eq!(node.boot_mac_address.as_deref(), Some("aa:bb:cc:dd:ee:01"));
    // Read from the node, not defaulted.
    assert_eq!(node.boot_mode.as_deref(), Some("legacy"));
    assert_eq!(node.automated_cleaning_mode.as_deref(), Some("disabled"));
    assert_eq!(node.inspection_mode, None);
}
