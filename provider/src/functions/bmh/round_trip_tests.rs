//! The functions' tables (`fields.rs`) held to both sides: every field of the operator's
//! BareMetalHostSpec (tests/fixtures/baremetalhosts/operator-spec-fields.txt) is mapped or
//! listed with its handling, and every argument of `metal3_baremetal_host` (from its schema)
//! round-trips through `baremetalhost_manifest` and `baremetalhosts` or is listed in
//! `fields::NOT_CARRIED` with its reason. A new field or argument fails here until taught.

use serde_json::{json, Value as Json};

use super::fields::{Handling, FIRMWARE_OBJECT_FIELDS, METADATA_FIELDS, NOT_CARRIED, SPEC_FIELDS};
use super::host::host_type;
use crate::codec::json as cty_json;
use crate::functions::bad_input_tests::dynamic;
use crate::functions::baremetalhost_manifest::write;
use crate::functions::baremetalhosts::read;
use crate::functions::baremetalhosts_options::ReadOptions;
use crate::resources::baremetal_host::schema::schema;
use crate::schema::Attribute;

const OPERATOR_SPEC_FIELDS: &str =
    include_str!("../../../tests/fixtures/baremetalhosts/operator-spec-fields.txt");

fn operator_spec_fields() -> Vec<&'static str> {
    OPERATOR_SPEC_FIELDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn every_operator_spec_field_is_mapped_dropped_or_refused_by_name() {
    let operator = operator_spec_fields();
    assert!(
        operator.len() > 30,
        "the fixture lists {} fields",
        operator.len()
    );
    let known: Vec<&str> = SPEC_FIELDS.iter().map(|(path, _)| *path).collect();
    let missing: Vec<&&str> = operator.iter().filter(|f| !known.contains(f)).collect();
    assert!(
        missing.is_empty(),
        "operator spec fields neither mapped nor listed in fields::SPEC_FIELDS: {missing:?}"
    );
    let stale: Vec<&&str> = known.iter().filter(|f| !operator.contains(f)).collect();
    assert!(
        stale.is_empty(),
        "fields::SPEC_FIELDS lists fields the operator no longer has: {stale:?}"
    );
    let mut unique = known.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), known.len(), "a field is listed twice");
}

/// A valid host document whose spec sets `path` (dotted, under `spec`) to `value`.
fn document_setting(path: &str, value: Json) -> String {
    let mut spec = json!({"online": true, "bootMACAddress": "52:54:00:00:00:01",
                          "bmc": {"address": "ipmi://10.0.0.1", "credentialsName": "c"},
                          "image": {"url": "http://i/os.qcow2", "checksum": "0123456789abcdef0123456789abcdef"}});
    let keys: Vec<&str> = path.split('.').collect();
    let (last, parents) = keys.split_last().unwrap();
    let mut at = &mut spec;
    for key in parents {
        at = at
            .as_object_mut()
            .unwrap()
            .entry(*key)
            .or_insert_with(|| json!({}));
    }
    at[*last] = value;
    let document = json!({"apiVersion": "metal3.io/v1alpha1", "kind": "BareMetalHost",
                          "metadata": {"name": "h", "namespace": "metal3"}, "spec": spec});
    serde_json::to_string(&document).unwrap()
}

#[test]
fn dropped_fields_are_read_and_refused_ones_are_errors_naming_them() {
    for (path, handling) in SPEC_FIELDS {
        let set = document_setting(path, json!("set"));
        let zero = document_setting(path, Json::Null);
        match handling {
            Handling::Dropped(_) => {
                let hosts = read(&set, &ReadOptions::default());
                assert!(hosts.is_ok(), "spec.{path} (dropped): {hosts:?}");
            }
            Handling::Refused(reason) => {
                let error = read(&set, &ReadOptions::default()).unwrap_err();
                assert!(
                    error.contains(&format!("spec.{path} is not supported"))
                        && error.contains(reason),
                    "spec.{path}: {error}"
                );
                // Left at its zero value (as `kubectl` may print it), it is no request.
                let hosts = read(&zero, &ReadOptions::default());
                assert!(hosts.is_ok(), "spec.{path}: null: {hosts:?}");
            }
            _ => {}
        }
    }
}

/// A host setting every argument, each to a valid value other than its default; the keys
/// beyond the resource's arguments too.
fn sample_host() -> Json {
    json!({
        "name": "worker-7",
        "namespace": "lab",
        "bmc": {
            "address": "redfish://10.0.0.9/redfish/v1/Systems/7",
            "username": "admin",
            "password": "pw-never-written",
            "password_wo_version": 3,
            "disable_certificate_verification": true,
            "credentials_name": "worker-7-creds",
        },
        "boot_mac_address": "52:54:00:12:34:56",
        "boot_mode": "legacy",
        "online": false,
        "root_device_hints": {
            "device_name": "/dev/sdb",
            "hctl": "0:0:0:1",
            "model": "PERC H730",
            "vendor": "DELL",
            "serial_number": "S123",
            "min_size_gigabytes": 120,
            "wwn": "0x5000c500a0b1c2d3",
            "wwn_with_extension": "0x5000c500a0b1c2d3s0",
            "wwn_vendor_extension": "0x1234",
            "rotational": false,
        },
        "image": {
            "url": "https://images.example/os.qcow2",
            "checksum": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "checksum_type": "sha256",
            "disk_format": "qcow2",
        },
        "user_data": "#cloud-config never-written",
        "network_data": "{\"links\": []}",
        "meta_data": "{\"role\": \"worker\"}",
        "custom_deploy": {"method": "install_coreos"},
        "externally_provisioned": true,
        "automated_cleaning_mode": "disabled",
        "inspection_mode": "disabled",
        "description": "rack 7, slot 3",
        "conductor_group": "rack-7",
        "raid": {
            "hardware_raid_volumes": [{
                "name": "data",
                "level": "5",
                "size_gibibytes": 500,
                "rotational": false,
                "number_of_physical_disks": 3,
                "physical_disks": ["Disk.Bay.0", "Disk.Bay.1", "Disk.Bay.2"],
                "controller": "RAID.Integrated.1-1",
            }],
        },
        "firmware": {
            "simultaneous_multithreading_enabled": false,
            "sriov_enabled": true,
            "virtualization_enabled": true,
        },
        "bios_settings": {"ProcTurboMode": "Disabled", "LogicalProc": "Enabled"},
        "firmware_components": [
            {"component": "bmc", "url": "https://files.example/bmc-1.3.bin"},
            {"component": "nic:NIC.Integrated.1", "url": "http://files.example/nic.bin"},
        ],
        "power_off_on_destroy": false,
        "timeouts": {"create": "2h", "read": "5m", "update": "90m", "delete": "30m"},
        "user_data_secret": "worker-7-ud",
        "network_data_secret": "worker-7-nd",
        "meta_data_secret": "worker-7-md",
        "labels": {"rack": "r7"},
    })
}

/// The arguments a host cannot set beside [`sample_host`]'s (software RAID excludes hardware
/// RAID), each to a valid value.
fn sample_host_with_software_raid() -> Json {
    let mut host = sample_host();
    host["raid"] = json!({
        "software_raid_volumes": [
            {"level": "1", "size_gibibytes": 100, "physical_disks": ["/dev/sda", "/dev/sdb"]},
            {"level": "0"},
        ],
    });
    host
}

/// Every argument's path: each attribute a practitioner can set, recursively into nested
/// attributes, and each attribute of each block.
fn argument_paths() -> Vec<Vec<String>> {
    fn walk(attributes: &[Attribute], at: &[String], out: &mut Vec<Vec<String>>) {
        for attribute in attributes.iter().filter(|a| !a.is_computed_only()) {
            let mut path = at.to_vec();
            path.push(attribute.name.clone());
            match attribute.nested_type() {
                Some(nested) => walk(&nested.attributes, &path, out),
                None => out.push(path),
            }
        }
    }
    let block = schema().block;
    let mut out = Vec::new();
    walk(&block.attributes, &[], &mut out);
    for nested in &block.block_types {
        walk(
            &nested.block.attributes,
            std::slice::from_ref(&nested.type_name),
            &mut out,
        );
    }
    out
}

/// The value at `path`; into a list, its first element (`volumes[]` and `volumes` alike).
fn at<'a>(json: &'a Json, path: &[impl AsRef<str>]) -> &'a Json {
    let first = |v: &'a Json| match v {
        Json::Array(items) => items.first(),
        other => Some(other),
    };
    path.iter()
        .try_fold(json, |v, key| {
            first(v)?.get(key.as_ref().trim_end_matches("[]"))
        })
        .unwrap_or(&Json::Null)
}

/// Every table entry whose handling names `path`: the document's kind (the host's, or a
/// firmware object's) and the path in it.
fn bmh_path(path: &[String]) -> Vec<(&'static str, String)> {
    let names = |handling: &Handling| match handling {
        Handling::Argument(p) | Handling::HostKey(p) => Some(p.to_vec()),
        _ => None,
    };
    let spec = SPEC_FIELDS
        .iter()
        .map(|(f, h)| ("BareMetalHost", format!("spec.{f}"), h));
    let metadata = METADATA_FIELDS
        .iter()
        .map(|(f, h)| ("BareMetalHost", format!("metadata.{f}"), h));
    let firmware = FIRMWARE_OBJECT_FIELDS
        .iter()
        .map(|(kind, f, h)| (*kind, f.to_string(), h));
    spec.chain(metadata)
        .chain(firmware)
        .filter(|(_, _, h)| names(h).is_some_and(|p| p.iter().eq(path.iter())))
        .map(|(kind, field, _)| (kind, field))
        .collect()
}

/// A host through `baremetalhost_manifest` and back through `baremetalhosts`: the sample, the
/// manifest, its documents, and the host read back.
struct RoundTrip {
    sample: Json,
    manifest: String,
    documents: Vec<Json>,
    back: Json,
}

fn round_trip(sample: Json) -> RoundTrip {
    let manifest = write(&dynamic(&sample)).unwrap();
    assert!(
        !manifest.contains("never-written"),
        "a secret was written: {manifest}"
    );
    let documents: Vec<Json> = serde_saphyr::from_multiple(&manifest).unwrap();
    let hosts = read(&manifest, &ReadOptions::default()).unwrap();
    let elements = hosts.as_elements().unwrap();
    assert_eq!(elements.len(), 1, "{manifest}");
    let back: Json =
        serde_json::from_slice(&cty_json::encode(&elements[0], &host_type()).unwrap()).unwrap();
    RoundTrip {
        sample,
        manifest,
        documents,
        back,
    }
}

fn not_carried(path: &[String]) -> Option<&'static str> {
    NOT_CARRIED
        .iter()
        .find(|(listed, _)| {
            path.starts_with(&listed.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        })
        .map(|(_, why)| *why)
}

#[test]
fn every_argument_round_trips_through_both_functions_or_is_listed_as_not_carried() {
    let trips = [
        round_trip(sample_host()),
        round_trip(sample_host_with_software_raid()),
    ];
    let back = &trips[0].back;
    let sample = &trips[0].sample;

    let mut problems = Vec::new();
    let arguments = argument_paths();
    for path in &arguments {
        let dotted = path.join(".");
        if let Some(why) = not_carried(path) {
            assert!(!why.is_empty());
            if back.pointer(&format!("/{}", path.join("/"))).is_some() {
                problems.push(format!(
                    "`{dotted}` is listed as not carried but baremetalhosts returns it"
                ));
            }
            continue;
        }
        let Some(trip) = trips.iter().find(|t| !at(&t.sample, path).is_null()) else {
            problems.push(format!(
                "`{dotted}` is neither round-tripped nor in fields::NOT_CARRIED: map it \
                 (fields::SPEC_FIELDS, mapping.rs) and set it in sample_host(), or list it in \
                 fields::NOT_CARRIED with the reason"
            ));
            continue;
        };
        let set = at(&trip.sample, path);
        let came_back = at(&trip.back, path);
        if !same(came_back, set) {
            problems.push(format!("`{dotted}`: set {set}, came back {came_back}"));
        }
        let fields = bmh_path(path);
        match fields.as_slice() {
            [(kind, field)] => {
                let document = trip
                    .documents
                    .iter()
                    .find(|d| d["kind"] == *kind)
                    .unwrap_or(&Json::Null);
                let written = at(document, &field.split('.').collect::<Vec<_>>());
                if written.is_null() {
                    problems.push(format!(
                        "`{dotted}` is not written to {kind} {field}: {}",
                        trip.manifest
                    ));
                }
            }
            _ => problems.push(format!(
                "`{dotted}` is mapped by {} entries of fields::SPEC_FIELDS/METADATA_FIELDS/\
                 FIRMWARE_OBJECT_FIELDS, not one: {fields:?}",
                fields.len()
            )),
        }
    }
    // The keys beyond the resource's arguments come back too.
    let firmware = FIRMWARE_OBJECT_FIELDS.iter().map(|(_, f, h)| (*f, *h));
    let entries = SPEC_FIELDS
        .iter()
        .chain(METADATA_FIELDS)
        .map(|(f, h)| (*f, *h))
        .chain(firmware);
    for (field, handling) in entries {
        match handling {
            Handling::HostKey(path) => {
                let (set, came_back) = (at(sample, path), at(back, path));
                if set.is_null() || !same(came_back, set) {
                    problems.push(format!(
                        "`{}` ({field}): set {set}, came back {came_back}",
                        path.join(".")
                    ));
                }
            }
            Handling::Argument(path) => {
                let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
                if !arguments.contains(&path) || not_carried(&path).is_some() {
                    problems.push(format!(
                        "{field} maps to `{}`, no carried argument",
                        path.join(".")
                    ));
                }
            }
            _ => {}
        }
    }
    for (path, _) in NOT_CARRIED {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        if !arguments.iter().any(|a| a.starts_with(&path)) {
            problems.push(format!(
                "fields::NOT_CARRIED lists `{}`, no argument",
                path.join(".")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Equal as JSON, numbers by value (`120` and `120.0`).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}
