use super::*;
use crate::codec::AttributePath;
use crate::host::status::{hardware_value, ProvisionedImage, StatusView};
use metal3_core::hardware::HardwareDetails;
use metal3_core::hardware::{Nic, Storage};

/// Every object carries exactly the attributes of its type, at every depth.
fn exact_shape(value: &Value, ty: &Type, path: &str) {
    match (value, ty) {
        (Value::Object(m), Type::Object { attributes, .. }) => {
            let have: Vec<&String> = m.keys().collect();
            let want: Vec<&String> = attributes.keys().collect();
            assert_eq!(have, want, "attributes at {path}");
            for (k, v) in m {
                exact_shape(v, &attributes[k], &format!("{path}.{k}"));
            }
        }
        (Value::List(xs), Type::List(ety)) => {
            for (i, x) in xs.iter().enumerate() {
                exact_shape(x, ety, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

fn sample_hardware() -> HardwareDetails {
    let mut hw = HardwareDetails {
        ram_mebibytes: 16384,
        hostname: "node-0".into(),
        ..Default::default()
    };
    hw.cpu.arch = "x86_64".into();
    hw.cpu.count = 8;
    hw.cpu.clock_megahertz = 2400.0;
    hw.cpu.flags = vec!["avx".into(), "sse4_2".into()];
    hw.nics.push(Nic {
        name: "eth0".into(),
        mac: "52:54:00:aa:bb:cc".into(),
        ip: String::new(),
        model: "0x1af4 0x0001".into(),
        speed_gbps: 10,
        pxe: true,
    });
    hw.storage.push(Storage {
        name: "/dev/sda".into(),
        alternate_names: vec!["/dev/disk/by-path/pci-0".into()],
        hctl: "0:0:0:0".into(),
        size_bytes: 53_687_091_200,
        rotational: true,
        r#type: "HDD".into(),
        ..Default::default()
    });
    hw
}

fn sample_status() -> StatusView {
    StatusView {
        id: Some("1be26c0b-03f2-4d2e-ae87-c02d7f33c123".into()),
        provisioning_state: Some("provisioned".into()),
        ironic_provision_state: Some("active".into()),
        operational_status: Some("OK".into()),
        error_type: None,
        error_message: None,
        maintenance_reason: None,
        powered_on: Some(true),
        provisioned_image: Some(ProvisionedImage {
            url: Some("http://img/os.qcow2".into()),
            checksum: Some("abc".into()),
            checksum_type: None,
            disk_format: Some("qcow2".into()),
        }),
        hardware: Some((&sample_hardware()).into()),
    }
}

#[test]
fn hardware_value_matches_the_schema_type_exactly() {
    let ty = <crate::host::hardware::Hardware as tfplugin::model::Model>::block().value_type();
    for hw in [sample_hardware(), HardwareDetails::default()] {
        let value = hardware_value(&hw);
        value.conforms(&ty).unwrap();
        exact_shape(&value, &ty, "hardware");
        assert!(value.is_known());
    }
    let value = hardware_value(&sample_hardware());
    let at = |p: AttributePath| value.get_path(&p).cloned().unwrap();
    let nic0 = AttributePath::root().attribute("nics").index(0);
    assert_eq!(at(nic0.clone().attribute("ip")), Value::Null);
    assert_eq!(at(nic0.attribute("speed_gbps")), Value::from(10));
    let disk0 = AttributePath::root().attribute("storage").index(0);
    assert_eq!(at(disk0.clone().attribute("hctl")), Value::from("0:0:0:0"));
    assert_eq!(
        at(disk0.attribute("size_bytes")),
        Value::from(53_687_091_200i64)
    );
    assert_eq!(
        at(AttributePath::root().attribute("cpu").attribute("flags")),
        Value::list(["avx", "sse4_2"])
    );
}

fn planned_update() -> Value {
    Value::object([
        ("name", Value::from("w0")),
        ("namespace", Value::from("metal3")),
        (
            "bmc",
            Value::object([
                ("address", Value::from("fake://w0")),
                ("username", Value::from("u")),
                ("password_wo", Value::from("secret")),
            ]),
        ),
        ("online", Value::from(true)),
        ("id", Value::from("kept-id")),
        ("powered_on", Value::from(false)),
        ("provisioning_state", Value::unknown()),
        ("ironic_provision_state", Value::unknown()),
        ("hardware", Value::unknown()),
    ])
}

#[test]
fn merge_resolves_unknowns_and_keeps_known_planned_values() {
    let state = merge_apply_result(&planned_update(), &sample_status());
    let ty = resource_type();
    state.conforms(&ty).unwrap();
    exact_shape(&state, &ty, "");
    assert!(state.is_known(), "unknowns left");
    // Known planned values are kept even where the status differs.
    assert_eq!(state.get("id"), Some(&Value::from("kept-id")));
    assert_eq!(state.get("powered_on"), Some(&Value::from(false)));
    // Unknowns are filled from the status.
    assert_eq!(
        state.get("provisioning_state"),
        Some(&Value::from("provisioned"))
    );
    assert_eq!(
        state.get("hardware"),
        Some(&hardware_value(&sample_hardware()))
    );
    // Computed attributes absent from the plan are null; the write-only password is cleared.
    assert_eq!(state.get("provisioned_image"), Some(&Value::Null));
    let bmc = state.get("bmc").unwrap();
    assert_eq!(bmc.get("password_wo"), Some(&Value::Null));
    assert_eq!(bmc.get("address"), Some(&Value::from("fake://w0")));
}

#[test]
fn merge_fills_nested_unknowns() {
    let mut planned = planned_update();
    planned.set_attr(
        "provisioned_image",
        Value::object([
            ("url", Value::from("http://img/os.qcow2")),
            ("checksum", Value::unknown()),
            ("checksum_type", Value::Null),
            ("disk_format", Value::unknown()),
        ]),
    );
    let state = merge_apply_result(&planned, &StatusView::default());
    assert!(state.is_known());
    let image = state.get("provisioned_image").unwrap();
    assert_eq!(image.get("checksum"), Some(&Value::Null));
    assert_eq!(image.get("url"), Some(&Value::from("http://img/os.qcow2")));
}

#[test]
fn host_state_takes_the_status() {
    let state = host_state(&planned_update(), &sample_status());
    state.conforms(&resource_type()).unwrap();
    assert!(state.is_known());
    assert_eq!(
        state.get("id"),
        Some(&Value::from("1be26c0b-03f2-4d2e-ae87-c02d7f33c123"))
    );
    assert_eq!(state.get("powered_on"), Some(&Value::from(true)));
    assert_eq!(
        state
            .get("provisioned_image")
            .and_then(|i| i.get("disk_format")),
        Some(&Value::from("qcow2"))
    );
    assert_eq!(
        state.get("bmc").unwrap().get("password_wo"),
        Some(&Value::Null)
    );
    // An error status is carried over.
    let failed = StatusView {
        operational_status: Some("error".into()),
        error_type: Some("provisioning error".into()),
        error_message: Some("deploy failed: boom".into()),
        ..StatusView::default()
    };
    let state = host_state(&planned_update(), &failed);
    assert_eq!(
        state.get("error_type"),
        Some(&Value::from("provisioning error"))
    );
    assert_eq!(state.get("id"), Some(&Value::Null));
}
