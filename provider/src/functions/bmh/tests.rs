//! Round trips of the fixtures (provider/tests/fixtures/baremetalhosts) through both functions.

use crate::codec::Value;
use crate::functions::bad_input_tests::dynamic;
use crate::functions::baremetalhost_manifest::write;
use crate::functions::baremetalhosts::read as read_with;
use crate::functions::baremetalhosts_options::ReadOptions;

fn read(yaml: &str) -> Result<Value, String> {
    read_with(yaml, &ReadOptions::default())
}

use super::host::host_type;

const FIXTURES: &[(&str, &str)] = &[
    (
        "redfish",
        include_str!("../../../tests/fixtures/baremetalhosts/redfish.yaml"),
    ),
    (
        "idrac",
        include_str!("../../../tests/fixtures/baremetalhosts/idrac.yaml"),
    ),
    (
        "ilo",
        include_str!("../../../tests/fixtures/baremetalhosts/ilo.yaml"),
    ),
    (
        "live-iso",
        include_str!("../../../tests/fixtures/baremetalhosts/live-iso.yaml"),
    ),
    (
        "externally-provisioned",
        include_str!("../../../tests/fixtures/baremetalhosts/externally-provisioned.yaml"),
    ),
    (
        "custom-deploy",
        include_str!("../../../tests/fixtures/baremetalhosts/custom-deploy.yaml"),
    ),
    (
        "inspected-fleet",
        include_str!("../../../tests/fixtures/baremetalhosts/inspected-fleet.yaml"),
    ),
    (
        "raid",
        include_str!("../../../tests/fixtures/baremetalhosts/raid.yaml"),
    ),
    (
        "firmware",
        include_str!("../../../tests/fixtures/baremetalhosts/firmware.yaml"),
    ),
];

fn hosts(yaml: &str) -> Vec<Value> {
    read(yaml).unwrap().as_elements().unwrap().to_vec()
}

fn host(yaml: &str) -> Value {
    let mut all = hosts(yaml);
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn manifest_of(host: &Value) -> String {
    write(&Value::Dynamic(host_type(), Box::new(host.clone()))).unwrap()
}

#[test]
fn every_fixture_round_trips_to_the_same_arguments() {
    for (name, yaml) in FIXTURES {
        let read_back = hosts(yaml);
        assert!(!read_back.is_empty(), "{name}: no hosts");
        for original in &read_back {
            let manifest = manifest_of(original);
            let again = host(&manifest);
            assert_eq!(&again, original, "{name}: {manifest}");
        }
    }
}

#[test]
fn fields_map_to_the_resource_arguments() {
    let worker = host(FIXTURES[0].1);
    assert_eq!(str_at(&worker, &["name"]), Some("worker-0"));
    assert_eq!(str_at(&worker, &["namespace"]), Some("metal3"));
    assert_eq!(
        str_at(&worker, &["bmc", "credentials_name"]),
        Some("worker-0-bmc-secret")
    );
    assert_eq!(str_at(&worker, &["image", "disk_format"]), Some("qcow2"));
    assert_eq!(str_at(&worker, &["labels", "rack"]), Some("r12"));
    let hints = worker.get("root_device_hints").unwrap();
    assert_eq!(
        hints.get("min_size_gigabytes").and_then(Value::as_i64),
        Some(100)
    );
    assert_eq!(
        hints.get("rotational").and_then(Value::as_bool),
        Some(false)
    );
    assert!(hints.get("hctl").unwrap().is_null());

    let iso = host(FIXTURES[3].1);
    assert_eq!(str_at(&iso, &["image", "disk_format"]), Some("live-iso"));
    assert!(iso.get("image").unwrap().get("checksum").unwrap().is_null());

    let adopted = host(FIXTURES[4].1);
    assert_eq!(
        adopted
            .get("externally_provisioned")
            .and_then(Value::as_bool),
        Some(true)
    );
    assert!(adopted.get("image").unwrap().is_null());

    let coreos = host(FIXTURES[5].1);
    assert_eq!(
        str_at(&coreos, &["custom_deploy", "method"]),
        Some("install_coreos")
    );
    assert_eq!(
        str_at(&coreos, &["user_data_secret"]),
        Some("coreos-0-user-data")
    );
    assert_eq!(
        str_at(&coreos, &["meta_data_secret"]),
        Some("coreos-0-meta-data")
    );
    // Unset values are null so the resource's defaults apply.
    assert!(coreos.get("boot_mode").unwrap().is_null());
}

#[test]
fn raid_and_firmware_map_to_the_hardware_arguments() {
    let raid = hosts(FIXTURES[7].1);
    let hardware = raid[0].get("raid").unwrap();
    let volumes = hardware
        .get("hardware_raid_volumes")
        .unwrap()
        .as_elements()
        .unwrap();
    assert_eq!(volumes.len(), 2);
    assert_eq!(str_at(&volumes[0], &["level"]), Some("1"));
    assert_eq!(
        volumes[0].get("size_gibibytes").and_then(Value::as_i64),
        Some(200)
    );
    assert_eq!(
        volumes[1]
            .get("number_of_physical_disks")
            .and_then(Value::as_i64),
        Some(3)
    );
    assert_eq!(
        str_at(&volumes[1], &["controller"]),
        Some("RAID.Integrated.1-1")
    );
    assert!(hardware.get("software_raid_volumes").unwrap().is_null());
    let software = raid[1]
        .get("raid")
        .and_then(|r| r.get("software_raid_volumes"))
        .and_then(Value::as_elements)
        .unwrap();
    let disks: Vec<&str> = software[0]
        .get("physical_disks")
        .and_then(Value::as_elements)
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(disks, ["/dev/sda", "/dev/sdb"]);
    assert!(software[1].get("physical_disks").unwrap().is_null());

    let firmware = hosts(FIXTURES[8].1);
    assert_eq!(firmware.len(), 2);
    let fw = &firmware[0];
    let switches = fw.get("firmware").unwrap();
    assert_eq!(
        switches
            .get("simultaneous_multithreading_enabled")
            .and_then(Value::as_bool),
        Some(false)
    );
    assert_eq!(
        switches.get("sriov_enabled").and_then(Value::as_bool),
        Some(true)
    );
    // spec.settings, never status.settings; a whole number (IntOrString) as text.
    assert_eq!(
        str_at(fw, &["bios_settings", "ProcTurboMode"]),
        Some("Disabled")
    );
    assert_eq!(str_at(fw, &["bios_settings", "MemFrequency"]), Some("2933"));
    assert!(fw
        .get("bios_settings")
        .unwrap()
        .get("SriovGlobalEnable")
        .is_none());
    let updates = fw
        .get("firmware_components")
        .and_then(Value::as_elements)
        .unwrap();
    assert_eq!(str_at(&updates[0], &["component"]), Some("bios"));
    assert_eq!(str_at(&updates[1], &["component"]), Some("bmc"));
    // The empty HostFirmwareSettings Metal3 creates for every host asks for nothing.
    let plain = &firmware[1];
    for key in ["firmware", "bios_settings", "firmware_components", "raid"] {
        assert!(plain.get(key).unwrap().is_null(), "{key}");
    }
    // Written back: the host, then its HostFirmwareSettings and HostFirmwareComponents.
    let manifest = manifest_of(fw);
    let kinds: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    assert_eq!(
        kinds,
        [
            "BareMetalHost",
            "HostFirmwareSettings",
            "HostFirmwareComponents"
        ]
    );
    assert!(!manifest_of(plain).contains("HostFirmware"));
}

#[test]
fn unsupported_features_and_unknown_fields_are_errors_naming_host_and_field() {
    let hinted = FIXTURES[7]
        .1
        .replacen("- deviceName: /dev/sdb", "- model: PERC", 1);
    let error = read(&hinted).unwrap_err();
    assert!(
        error.contains("\"swraid-host\"")
            && error.contains("spec.raid.softwareRAIDVolumes[0].physicalDisks[1]")
            && error.contains("`model`"),
        "{error}"
    );

    let unknown = FIXTURES[3].1.replace("credentialsName:", "credentialName:");
    let error = read(&unknown).unwrap_err();
    assert!(
        error.contains("spec.bmc") && error.contains("credentialName"),
        "{error}"
    );

    let error = read("apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: a}\nspec: {online: true, bmc: {address: 'bogus://x'}}\n")
        .unwrap_err();
    assert!(
        error.contains("spec.bmc.address") && error.contains("accepted schemes"),
        "{error}"
    );

    let twice = format!("{}---\n{}", FIXTURES[3].1, FIXTURES[3].1);
    assert!(read(&twice).unwrap_err().contains("appears twice"));
    assert!(read("a: [unclosed").unwrap_err().contains("not valid YAML"));
}

#[test]
fn an_inspected_host_carries_metal3_status_and_no_secret() {
    let state = serde_json::json!({
        "name": "worker-0", "namespace": "metal3", "id": "8a4b5c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d",
        "online": true, "provisioning_state": "provisioned", "powered_on": true,
        "boot_mac_address": "52:54:00:00:00:01",
        "user_data": "#cloud-config secret-token",
        "bmc": {"address": "redfish://10.0.0.1/redfish/v1/Systems/1", "username": "admin",
                "password": "hunter2-secret", "password_wo": null},
        "image": {"url": "http://i/x.qcow2", "checksum": "abc", "checksum_type": null, "disk_format": "qcow2"},
        "hardware": {"ram_mebibytes": 16384, "hostname": null,
                     "cpu": {"arch": "x86_64", "count": 8, "clock_megahertz": 2400.5, "flags": ["vmx"], "model": "EPYC"},
                     "system_vendor": {"manufacturer": "Dell Inc.", "product_name": "R640", "serial_number": "ABC"}},
        "timeouts": null
    });
    let manifest = write(&dynamic(&state)).unwrap();
    assert!(
        !manifest.contains("hunter2") && !manifest.contains("secret-token"),
        "{manifest}"
    );
    assert!(
        manifest.contains("credentialsName: worker-0-bmc-secret"),
        "{manifest}"
    );
    assert!(manifest.contains("name: worker-0-user-data"), "{manifest}");
    let parsed: Vec<serde_json::Value> = serde_saphyr::from_multiple(&manifest).unwrap();
    let status = parsed[0]
        .pointer("/metadata/annotations/baremetalhost.metal3.io~1status")
        .and_then(serde_json::Value::as_str)
        .expect("status annotation");
    let status: serde_json::Value = serde_json::from_str(status).unwrap();
    assert_eq!(
        status
            .pointer("/hardware/ramMebibytes")
            .and_then(|v| v.as_u64()),
        Some(16384)
    );
    assert_eq!(
        status
            .pointer("/hardware/systemVendor/productName")
            .and_then(|v| v.as_str()),
        Some("R640")
    );
    assert_eq!(
        status
            .pointer("/provisioning/state")
            .and_then(|v| v.as_str()),
        Some("provisioned")
    );
    assert_eq!(
        status.pointer("/provisioning/ID").and_then(|v| v.as_str()),
        Some("8a4b5c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d")
    );
    assert!(status.pointer("/hardware/hostname").is_none());

    // Never inspected: no status, Metal3 inspects it.
    let bare = serde_json::json!({"name": "n", "bmc": {"address": "redfish-virtualmedia://10.0.0.2/redfish/v1/Systems/1"}});
    let manifest = write(&dynamic(&bare)).unwrap();
    assert!(
        !manifest.contains("baremetalhost.metal3.io/status"),
        "{manifest}"
    );
    assert!(write(&dynamic(
        &serde_json::json!({"bmc": {"address": "ipmi://h"}})
    ))
    .unwrap_err()
    .contains("name"));
}
