//! Property tests of the three functions over generated manifests, mutated YAML, arbitrary text,
//! host objects and BMC addresses: no panic, no secret in an error, and every error names a
//! field (or, for text that is no YAML, a line and a column).
//!
//! `cargo test` runs a bounded number of cases; `METAL3_FUZZ_SECONDS=<n>` runs each property
//! for about n/4 seconds with fresh seeds (printed, to replay). A failing input is written to
//! `provider/tests/fuzz_corpus/functions/<function>/` and replayed by every later run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{json, Map, Value as Json};

use super::bad_input_tests::dynamic;
use crate::codec::Value;
use tfplugin::function::FunctionError;

/// Put only where the functions never quote a value: any error holding it leaked a secret.
const MARKER: &str = "ZQ_SECRET_7f3a";
const QUICK_CASES: u32 = 48;

fn corpus(function: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus/functions")
        .join(function)
}

// ---- properties ---------------------------------------------------------------------------------

fn check_hosts(yaml: &str) -> Result<(), TestCaseError> {
    let result = super::baremetalhosts::function().call(&[Value::from(yaml)]);
    let Err(error) = result else { return Ok(()) };
    prop_assert_eq!(error.argument, Some(0));
    prop_assert!(
        !error.text.contains(MARKER),
        "secret echoed: {}",
        error.text
    );
    let text = &error.text;
    if text.starts_with("the manifest is not valid YAML") {
        // Fixed words and a position only: nothing quoted from the input.
        prop_assert!(!text.contains('"'), "input quoted: {}", text);
    } else {
        let names_a_place = ["document ", "BareMetalHost", "no BareMetalHost", "`"]
            .iter()
            .any(|p| text.contains(p));
        prop_assert!(names_a_place, "names no document or field: {}", text);
    }
    Ok(())
}

fn check_manifest(host: &Json) -> Result<(), TestCaseError> {
    let result = super::baremetalhost_manifest::function().call(&[dynamic(host)]);
    match result {
        Ok(manifest) => {
            let text = manifest.as_str().unwrap_or_default();
            prop_assert!(!text.contains(MARKER), "secret written: {}", text);
        }
        Err(FunctionError { text, argument }) => {
            prop_assert_eq!(argument, Some(0));
            prop_assert!(!text.contains(MARKER), "secret echoed: {}", text);
            prop_assert!(
                text.contains('`') || text.contains("expected a metal3_baremetal_host"),
                "names no argument: {}",
                text
            );
        }
    }
    Ok(())
}

fn check_bmc(address: &str) -> Result<(), TestCaseError> {
    if let Err(error) = super::bmc_address::function().call(&[Value::from(address)]) {
        prop_assert_eq!(error.argument, Some(0));
        prop_assert!(
            !error.text.contains(MARKER),
            "secret echoed: {}",
            error.text
        );
    }
    Ok(())
}

// ---- generators ---------------------------------------------------------------------------------

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &[T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items.to_vec())
}

/// A leaf where the functions never quote the value: secrets may go there.
fn quiet_leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(json!(MARKER)),
        Just(json!(format!("{MARKER} \n\"quoted\" 'x' : - [ {{ # &a *a"))),
        any::<i64>().prop_map(Json::from),
        any::<bool>().prop_map(Json::from),
        Just(Json::Null),
        Just(json!([MARKER, 1])),
        Just(json!({"name": MARKER, "namespace": MARKER})),
        Just(json!(-1.5)),
    ]
}

const SPEC_KEYS: &[&str] = &[
    "online",
    "bootMode",
    "bootMACAddress",
    "image",
    "rootDeviceHints",
    "externallyProvisioned",
    "automatedCleaningMode",
    "description",
    "customDeploy",
    "userData",
    "networkData",
    "metaData",
    "consumerRef",
    "hardwareProfile",
    "architecture",
    "raid",
    "firmware",
    "taints",
    "disablePowerOff",
    "networkInterfaces",
    "inspectionMode",
    "onlin",
    "BootMode",
    "userdata",
    "imag",
];

fn spec() -> impl Strategy<Value = Json> {
    let bmc = (
        pick(&[
            "ipmi://10.0.0.1",
            "redfish://h/redfish/v1/Systems/1",
            "bogus://h",
            "",
            "idrac://[::1]:70000",
        ]),
        prop_oneof![Just(json!("bmc-secret")), quiet_leaf()],
    )
        .prop_map(
            |(address, credentials)| json!({"address": address, "credentialsName": credentials}),
        );
    (
        prop_oneof![bmc.prop_map(Some), Just(None)],
        proptest::collection::vec((pick(SPEC_KEYS), quiet_leaf()), 0..5),
        pick(&[None, Some("agent"), Some("disabled"), Some("Agent")]),
    )
        .prop_map(|(bmc, fields, inspection)| {
            let mut spec = Map::new();
            if let Some(bmc) = bmc {
                spec.insert("bmc".into(), bmc);
            }
            for (key, value) in fields {
                spec.insert(key.into(), value);
            }
            if let Some(mode) = inspection {
                spec.insert("inspectionMode".into(), json!(mode));
            }
            Json::Object(spec)
        })
}

fn document() -> impl Strategy<Value = Json> {
    (
        pick(&[
            "metal3.io/v1alpha1",
            "metal3.io/v1beta1",
            "metal3.i0/v1alpha1",
            "v1",
            "",
        ]),
        pick(&[
            "BareMetalHost",
            "BaremetalHost",
            "Secret",
            "HardwareData",
            "List",
            "",
        ]),
        pick(&["worker-0", "worker-1", "Bad_Name", "", "a.b.c"]),
        pick(&[None, Some("metal3"), Some("Other_NS")]),
        spec(),
        quiet_leaf(),
    )
        .prop_map(|(api, kind, name, namespace, spec, status)| {
            let mut doc = json!({
                "apiVersion": api, "kind": kind,
                "metadata": {"name": name, "labels": {"rack": MARKER}},
                "spec": spec, "status": status,
                "stringData": {"password": MARKER},
            });
            if let Some(ns) = namespace {
                doc["metadata"]["namespace"] = json!(ns);
            }
            doc
        })
}

fn manifest_text() -> impl Strategy<Value = String> {
    (proptest::collection::vec(document(), 0..4), any::<bool>()).prop_map(|(docs, as_list)| {
        if as_list {
            serde_saphyr::to_string(&json!({"apiVersion": "v1", "kind": "List", "items": docs}))
                .unwrap_or_default()
        } else {
            docs.iter()
                .map(|d| serde_saphyr::to_string(d).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("---\n")
        }
    })
}

/// A manifest with a Secret on top, then a few edits with YAML's significant characters.
fn mutated_text() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        pick(&[
            ":", "-", " ", "\n", "\t", "[", "]", "{", "}", "\"", "'", "&a", "*a", "!", "#", "|",
            ">", "%", "@", "`", ",", "?", "<<: ", "---\n", "...\n", "\u{feff}", "\0", "é",
        ]),
        0..3u8,
    );
    (manifest_text(), proptest::collection::vec(edit, 1..5)).prop_map(|(body, edits)| {
        let mut text: Vec<char> = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bmc\nstringData:\n  password: {MARKER}\n---\n{body}"
        )
        .chars()
        .collect();
        for (at, insert, op) in edits {
            let i = at.index(text.len().max(1)).min(text.len());
            match op {
                0 => text.splice(i..i, insert.chars()).for_each(drop),
                1 if i < text.len() => {
                    text.remove(i);
                }
                _ if i < text.len() => {
                    text.splice(i..=i, insert.chars()).for_each(drop);
                }
                _ => {}
            }
        }
        text.into_iter().collect()
    })
}

const HOST_KEYS: &[&str] = &[
    "name",
    "namespace",
    "boot_mac_address",
    "boot_mode",
    "online",
    "image",
    "root_device_hints",
    "custom_deploy",
    "externally_provisioned",
    "automated_cleaning_mode",
    "inspection_mode",
    "description",
    "conductor_group",
    "labels",
    "user_data_secret",
    "timeouts",
    "id",
    "boot_mod",
    "Name",
    "imge",
    "hardware",
    "power_off_on_destroy",
];

fn echoing_leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        pick(&[
            "worker-0",
            "Bad_Name",
            "",
            "UEFI",
            "bios",
            "52:54:00:00:00:01",
            "zz",
            "/dev/sda",
            "http://i/x"
        ])
        .prop_map(Json::from),
        any::<i32>().prop_map(Json::from),
        any::<bool>().prop_map(Json::from),
        Just(Json::Null),
        Just(json!({"url": "http://i/x", "checksum": "0", "disk_format": "raw"})),
        Just(json!({"device_name": "sda", "min_size_gigabytes": -1})),
        Just(json!(["a"])),
    ]
}

fn host_object() -> impl Strategy<Value = Json> {
    (
        proptest::collection::vec((pick(HOST_KEYS), echoing_leaf()), 0..6),
        pick(&["ipmi://10.0.0.1", "bogus://h", "redfish://u:p@h/x", ""]),
        proptest::collection::vec(
            (
                pick(&["password", "password_wo", "username", "adress"]),
                quiet_leaf(),
            ),
            0..3,
        ),
        proptest::collection::vec(
            (
                pick(&["user_data", "network_data", "meta_data", "unknown_key"]),
                quiet_leaf(),
            ),
            0..3,
        ),
    )
        .prop_map(|(fields, address, bmc_fields, secrets)| {
            let mut host = Map::new();
            for (k, v) in fields {
                host.insert(k.into(), v);
            }
            let mut bmc = json!({"address": address});
            for (k, v) in bmc_fields {
                bmc[k] = v;
            }
            host.insert("bmc".into(), bmc);
            for (k, v) in secrets {
                host.insert(k.into(), v);
            }
            Json::Object(host)
        })
}

fn bmc_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            pick(&[
                "ipmi",
                "redfish",
                "redfish-virtualmedia+https",
                "idrac",
                "ilo5",
                "bogus",
                "fake",
                ""
            ]),
            pick(&["admin", "", "a:b"]),
            pick(&["10.0.0.1", "[fd00::1]", "h:0", "h:99999", "", "%zz"]),
            pick(&[
                "",
                "/redfish/v1/Systems/1",
                "?privilegelevel=god",
                "/../..",
                " x"
            ]),
        )
            .prop_map(|(s, user, host, path)| format!("{s}://{user}:{MARKER}@{host}{path}")),
        any::<String>(),
    ]
}

// ---- running ------------------------------------------------------------------------------------

/// Runs `property` over `strategy` for the quick count, or for `METAL3_FUZZ_SECONDS / 4`; a
/// failure's (shrunk) input is saved to the corpus as `<function>/found-<hash>.<ext>`.
fn fuzz<S: Strategy>(
    function: &str,
    ext: &str,
    strategy: S,
    property: impl Fn(&S::Value) -> Result<(), TestCaseError>,
    save: impl Fn(&S::Value) -> String,
) where
    S::Value: std::fmt::Debug,
{
    let seconds: u64 = std::env::var("METAL3_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(seconds / 4);
    let mut total = 0u64;
    loop {
        let mut runner = TestRunner::new(Config {
            cases: QUICK_CASES,
            failure_persistence: None,
            ..Config::default()
        });
        match runner.run(&strategy, |value| property(&value)) {
            Ok(()) => {}
            Err(TestError::Fail(why, value)) => {
                let text = save(&value);
                let hash = text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
                });
                let dir = corpus(function);
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join(format!("found-{hash:016x}.{ext}"));
                std::fs::write(&path, &text).unwrap();
                panic!("{function}: {why}\ninput saved to {}", path.display());
            }
            Err(other) => panic!("{function}: {other}"),
        }
        total += u64::from(QUICK_CASES);
        if Instant::now() >= deadline {
            break;
        }
    }
    if seconds > 0 {
        eprintln!("fuzz {function}: {total} cases in {}s", seconds / 4);
    }
}

fn replay(function: &str, property: impl Fn(&str) -> Result<(), TestCaseError>) -> usize {
    let mut count = 0;
    let Ok(entries) = std::fs::read_dir(corpus(function)) else {
        return 0;
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if let Err(why) = property(&text) {
            panic!("{}: {why}", entry.path().display());
        }
        count += 1;
    }
    count
}

#[test]
fn fuzz_baremetalhosts_over_generated_manifests() {
    fuzz(
        "baremetalhosts",
        "yaml",
        manifest_text(),
        |t| check_hosts(t),
        String::clone,
    );
}

#[test]
fn fuzz_baremetalhosts_over_mutated_and_arbitrary_text() {
    fuzz(
        "baremetalhosts",
        "yaml",
        mutated_text(),
        |t| check_hosts(t),
        String::clone,
    );
    fuzz(
        "baremetalhosts",
        "yaml",
        any::<String>(),
        |t| check_hosts(t),
        String::clone,
    );
}

#[test]
fn fuzz_baremetalhost_manifest_over_host_objects() {
    fuzz(
        "baremetalhost_manifest",
        "json",
        host_object(),
        check_manifest,
        |v| serde_json::to_string_pretty(v).unwrap_or_default(),
    );
}

#[test]
fn fuzz_bmc_address() {
    fuzz(
        "bmc_address",
        "txt",
        bmc_text(),
        |t| check_bmc(t),
        String::clone,
    );
}

#[test]
fn the_corpus_of_past_failures_still_passes() {
    let hosts = replay("baremetalhosts", check_hosts);
    let manifests = replay("baremetalhost_manifest", |text| {
        check_manifest(&serde_json::from_str(text).unwrap())
    });
    let addresses = replay("bmc_address", |text| check_bmc(text.trim_end_matches('\n')));
    assert!(
        hosts > 0 && manifests > 0 && addresses > 0,
        "the corpus is missing"
    );
}
