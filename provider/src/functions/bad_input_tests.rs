//! Bad input to the functions, through `FunctionHandler::call` as the server calls them: each
//! refusal names the argument and the field, says what is allowed, and never quotes a secret.

use serde_json::{json, Value as Json};

use crate::codec::{Type, Value};
use tfplugin::function::FunctionError;

const SECRET: &str = "hunter2-s3cret";
const INSPECTED: &str = include_str!("../../tests/fixtures/baremetalhosts/inspected-fleet.yaml");

/// A JSON value as Terraform passes a dynamic argument: the value with its inferred type.
pub fn dynamic(json: &Json) -> Value {
    let (ty, value) = infer(json);
    Value::Dynamic(ty, Box::new(value))
}

fn infer(json: &Json) -> (Type, Value) {
    match json {
        Json::Null => (Type::String, Value::Null),
        Json::Bool(b) => (Type::Bool, Value::from(*b)),
        Json::Number(n) => (Type::Number, Value::from(n.as_f64().unwrap())),
        Json::String(s) => (Type::String, Value::from(s.as_str())),
        Json::Array(items) => {
            let typed: Vec<(Type, Value)> = items.iter().map(infer).collect();
            let ty = typed
                .first()
                .map(|(t, _)| t.clone())
                .unwrap_or(Type::String);
            (
                Type::list(ty),
                Value::List(typed.into_iter().map(|(_, v)| v).collect()),
            )
        }
        Json::Object(map) => {
            let typed: Vec<(String, (Type, Value))> =
                map.iter().map(|(k, v)| (k.clone(), infer(v))).collect();
            (
                Type::object(typed.iter().map(|(k, (t, _))| (k.clone(), t.clone()))),
                Value::object(typed.into_iter().map(|(k, (_, v))| (k, v))),
            )
        }
    }
}

fn hosts(yaml: &str) -> Result<Value, FunctionError> {
    super::baremetalhosts::function().call(&[Value::from(yaml)])
}

fn hosts_with(yaml: &str, options: Json) -> Result<Value, FunctionError> {
    super::baremetalhosts::function().call(&[Value::from(yaml), dynamic(&options)])
}

fn refused(result: Result<Value, FunctionError>) -> FunctionError {
    let error = result.expect_err("must be refused");
    assert!(
        !error.text.contains(SECRET),
        "secret echoed: {}",
        error.text
    );
    error
}

fn host_doc(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata:\n  name: {name}\n  \
         namespace: metal3\nspec:\n  online: true\n  bmc:\n    address: ipmi://10.0.0.1\n{spec}"
    )
}

const SECRET_DOC: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bmc\nstringData:\n  \
     username: admin\n  password: hunter2-s3cret\n";

// ---- finding 3: YAML errors give a line and a column, never the text ---------------------

#[test]
fn a_syntax_error_gives_line_and_column_without_the_text_around_it() {
    let yaml = format!("{SECRET_DOC}  extra: [unclosed\n---\n{}", host_doc("a", ""));
    let error = refused(hosts(&yaml));
    assert_eq!(error.argument, Some(0));
    assert!(error.text.contains("not valid YAML"), "{}", error.text);
    assert!(error.text.contains("line ") && error.text.contains("column "));
    for text in ["password", "stringData", "unclosed"] {
        assert!(!error.text.contains(text), "{text} echoed: {}", error.text);
    }
}

#[test]
fn every_parse_error_path_keeps_the_text_out() {
    let cases = [
        // duplicate key, tab indentation, unknown alias, bad flow, unterminated quote
        format!("password: {SECRET}\npassword: {SECRET}\n"),
        format!("a:\n\t- {SECRET}\n"),
        format!("a: *{SECRET}\n"),
        format!("a: {{b: {SECRET}\n"),
        format!("a: \"{SECRET}\n"),
        format!("- {SECRET}\n: x: y: z\n"),
        format!("{SECRET}: 1e999999\n"),
        format!("a: !!binary {SECRET}\n"),
        format!("%YAML 9.9\n--- {SECRET}\n"),
    ];
    for yaml in cases {
        let error = refused(hosts(&yaml));
        assert!(
            error.text.contains("not valid YAML"),
            "{yaml}: {}",
            error.text
        );
    }
}

#[test]
fn type_errors_name_the_field_without_the_value() {
    let cases = [
        ("  online: x\n", "spec.online"),
        ("  bootMode: [a]\n", "spec.bootMode"),
        (
            "  rootDeviceHints:\n    minSizeGigabytes: -1\n",
            "spec.rootDeviceHints.minSizeGigabytes",
        ),
        ("  image: s\n", "spec.image"),
        ("  userData:\n    nam: x\n", "spec.userData"),
    ];
    for (spec, field) in cases {
        let yaml = host_doc("a", &spec.replace(" x\n", &format!(" {SECRET}\n")))
            .replace("  online: true\n", "");
        let yaml = yaml.replace(": s\n", &format!(": {SECRET}\n"));
        let error = refused(hosts(&yaml));
        assert!(error.text.contains(field), "{field}: {}", error.text);
    }
    let labels = host_doc("a", "").replace(
        "namespace: metal3\n",
        &format!("namespace: metal3\n  labels:\n    rack: [{SECRET}]\n"),
    );
    let error = refused(hosts(&labels));
    assert!(
        error.text.contains("metadata.labels.rack"),
        "{}",
        error.text
    );
}

// ---- finding 6: real fleets are read -------------------------------------------------------

/// `count` inspected hosts as `kubectl get bmh -o yaml` prints them: one List.
pub fn fleet(count: usize) -> String {
    let (head, item) = INSPECTED.split_once("items:\n").unwrap();
    let mut out = format!("{head}items:\n");
    for i in 0..count {
        out.push_str(&item.replace("worker-0", &format!("worker-{i}")).replace(
            "b8:ca:3a:6e:00:10",
            &format!("b8:ca:3a:{:02x}:{:02x}:10", i / 256 % 256, i % 256),
        ));
    }
    out
}

#[test]
fn a_fleet_beyond_the_parser_defaults_is_read() {
    // More than the parser's default budget: 1,000,000 events, ~770 such hosts.
    let hosts_read = hosts(&fleet(1_200)).unwrap();
    assert_eq!(hosts_read.as_elements().unwrap().len(), 1_200);
    // More than its default 1,024 documents.
    let documents: String = (0..1_100)
        .map(|i| format!("---\n{}", host_doc(&format!("h{i}"), "")))
        .collect();
    assert_eq!(
        hosts(&documents).unwrap().as_elements().unwrap().len(),
        1_100
    );
}

#[test]
fn the_limits_left_are_stated_truly() {
    let deep = format!("a: {}{}\n", "[".repeat(70), "]".repeat(70));
    let error = refused(hosts(&deep));
    assert!(error.text.contains("more than 64 levels"), "{}", error.text);
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
        g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let error = refused(hosts(bomb));
    assert!(error.text.contains("aliases"), "{}", error.text);
}

// ---- finding 7: nothing read is an error unless allowed ------------------------------------

#[test]
fn a_manifest_without_hosts_is_refused_unless_empty_is_allowed() {
    for yaml in [
        SECRET_DOC.to_owned(),
        String::new(),
        "---\n".into(),
        "apiVersion: v1\nkind: List\nitems: []\n".into(),
    ] {
        let error = refused(hosts(&yaml));
        assert_eq!(error.argument, Some(0));
        assert!(error.text.contains("no BareMetalHost"), "{}", error.text);
        assert!(error.text.contains("allow_empty = true"), "{}", error.text);
        let empty = hosts_with(&yaml, json!({"allow_empty": true})).unwrap();
        assert_eq!(empty.as_elements().map(<[Value]>::len), Some(0));
    }
    let error = refused(hosts(SECRET_DOC));
    assert!(error.text.contains("\"Secret\""), "{}", error.text);
}

#[test]
fn a_misspelt_kind_or_group_is_refused_naming_the_document() {
    let good = host_doc("good", "");
    for (bad, says) in [
        (
            host_doc("w-1", "").replace("kind: BareMetalHost", "kind: BaremetalHost"),
            "\"BaremetalHost\"",
        ),
        (
            host_doc("w-1", "").replace("kind: BareMetalHost", "kind: baremetalhost"),
            "\"baremetalhost\"",
        ),
        (
            host_doc("w-1", "").replace("kind: BareMetalHost", "kind: BareMetalHosts"),
            "\"BareMetalHosts\"",
        ),
        (
            host_doc("w-1", "")
                .replace("metal3.io/", "metal3.i0/")
                .replace("kind: BareMetalHost", "kind: HardwareData"),
            "metal3.i0",
        ),
    ] {
        let error = refused(hosts(&format!("{good}---\n{bad}")));
        assert!(error.text.contains("document 2"), "{}", error.text);
        assert!(error.text.contains("\"w-1\""), "{}", error.text);
        assert!(error.text.contains(says), "{}", error.text);
    }
    let list = "apiVersion: v1\nkind: list\nitems: []\n";
    assert!(refused(hosts(list)).text.contains("\"list\""));
    // Metal3's other kinds and other groups' objects are not near misses.
    let others = format!(
        "{good}---\napiVersion: metal3.io/v1alpha1\nkind: HardwareData\nmetadata: {{name: x}}\n---\n\
         apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {{name: y}}\n"
    );
    assert_eq!(hosts(&others).unwrap().as_elements().unwrap().len(), 1);
}

#[test]
fn options_are_checked_naming_the_option() {
    let yaml = host_doc("a", "");
    let error = refused(hosts_with(&yaml, json!({"allow_empy": true})));
    assert_eq!(error.argument, Some(1));
    assert!(
        error.text.contains("did you mean `allow_empty`"),
        "{}",
        error.text
    );
    let error = refused(hosts_with(&yaml, json!({"allow_empty": "yes"})));
    assert!(error.text.contains("`true` or `false`"), "{}", error.text);
    let error = refused(hosts_with(&yaml, json!(true)));
    assert!(error.text.contains("must be an object"), "{}", error.text);
    let twice = super::baremetalhosts::function().call(&[
        Value::from(yaml.as_str()),
        dynamic(&json!({})),
        dynamic(&json!({})),
    ]);
    assert!(refused(twice).text.contains("more than once"));
}

// ---- finding 8: Secrets of another namespace ------------------------------------------------

#[test]
fn a_secret_in_another_namespace_is_refused_naming_the_field() {
    for field in ["userData", "networkData", "metaData"] {
        let yaml = host_doc(
            "a",
            &format!("  {field}:\n    name: s\n    namespace: other\n"),
        );
        let error = refused(hosts(&yaml));
        assert!(
            error.text.contains(&format!("spec.{field}.namespace")),
            "{}",
            error.text
        );
        // The host's own namespace is what the argument means: accepted.
        let same = host_doc(
            "a",
            &format!("  {field}:\n    name: s\n    namespace: metal3\n"),
        );
        hosts(&same).unwrap();
    }
}

// ---- day-2 hardware: spec.raid, spec.firmware and the firmware objects -----------------------

fn firmware_doc(kind: &str, name: &str, namespace: &str, spec: &str) -> String {
    format!(
        "apiVersion: metal3.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n  \
         namespace: {namespace}\nspec:\n{spec}"
    )
}

#[test]
fn hardware_fields_and_firmware_objects_are_refused_naming_the_field() {
    let software = |disks: &str| {
        format!(
            "  raid:\n    softwareRAIDVolumes:\n    - level: \"1\"\n      physicalDisks:\n{disks}"
        )
    };
    let settings = "  settings:\n    LogicalProc: Enabled\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            host_doc("a", &software(&format!("      - model: {SECRET}\n      - deviceName: /dev/sdb\n"))),
            "spec.raid.softwareRAIDVolumes[0].physicalDisks[0]",
            "only `deviceName` is supported",
        ),
        (
            host_doc("a", &software("      - deviceName: /dev/sda\n        rotational: false\n")),
            "physicalDisks[0]",
            "`rotational` cannot be matched",
        ),
        (
            host_doc("a", &software("      - {}\n")),
            "physicalDisks[0]",
            "`deviceName` is required",
        ),
        (
            host_doc(
                "a",
                "  raid:\n    softwareRAIDVolumes:\n    - level: \"1\"\n    - level: \"0\"\n      \
                 rootVolume: true\n",
            ),
            "spec.raid.softwareRAIDVolumes[1].rootVolume",
            "first software volume",
        ),
        (
            host_doc(
                "a",
                "  raid:\n    hardwareRAIDVolumes:\n    - level: \"1\"\n    \
                 softwareRAIDVolumes:\n    - level: \"1\"\n",
            ),
            "spec.raid cannot be applied",
            "not both",
        ),
        (
            host_doc("a", "  raid:\n    hardwareRAIDVolumes:\n    - level: \"7\"\n"),
            "spec.raid",
            "level",
        ),
        (
            host_doc(
                "a",
                &format!("  raid:\n    hardwareRAIDVolumes:\n    - level: \"1\"\n      sizeGigabytes: {SECRET}\n"),
            ),
            "spec.raid.hardwareRAIDVolumes[0]",
            "did you mean `sizeGibibytes`",
        ),
        (
            host_doc("a", &format!("  firmware:\n    sriovEnabled: {SECRET}\n")),
            "spec.firmware.sriovEnabled",
            "`true` or `false`",
        ),
        (
            host_doc("a", "  firmware:\n    hyperthreadingEnabled: true\n"),
            "spec.firmware",
            "simultaneousMultithreadingEnabled",
        ),
        (
            format!("{}---\n{}", host_doc("a", ""), firmware_doc("HostFirmwareSettings", "b", "metal3", settings)),
            "HostFirmwareSettings \"b\" (namespace \"metal3\")",
            "names no BareMetalHost",
        ),
        (
            format!("{}---\n{}", host_doc("a", ""), firmware_doc("HostFirmwareComponents", "a", "lab", "  updates: []\n")),
            "HostFirmwareComponents \"a\" (namespace \"lab\")",
            "names no BareMetalHost",
        ),
        (
            format!(
                "{}---\n{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareSettings", "a", "metal3", settings),
                firmware_doc("HostFirmwareSettings", "a", "metal3", settings)
            ),
            "HostFirmwareSettings \"a\"",
            "appears twice",
        ),
        (
            format!(
                "{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareSettings", "a", "metal3", &format!("  settings:\n    LogicalProc: [{SECRET}]\n"))
            ),
            "`spec.settings.\"LogicalProc\"`",
            "expected a string or a whole number, found a list",
        ),
        (
            format!(
                "{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareSettings", "a", "metal3", "  settings:\n    LogicalProc: true\n")
            ),
            "`spec.settings.\"LogicalProc\"`",
            "quote the value",
        ),
        (
            format!(
                "{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareSettings", "a", "metal3", &format!("  setting:\n    A: {SECRET}\n"))
            ),
            "has no field \"setting\"",
            "`settings`",
        ),
        (
            format!(
                "{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareComponents", "a", "metal3", &format!("  updates:\n  - component: bios\n    uri: {SECRET}\n"))
            ),
            "`spec.updates[0]` has no field \"uri\"",
            "did you mean `url`",
        ),
        (
            format!(
                "{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareComponents", "a", "metal3", "  updates:\n  - component: cpld\n    url: https://f/x.bin\n")
            ),
            "`spec.updates[0].component`",
            "not a firmware component",
        ),
        (
            format!(
                "{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareSetting", "a", "metal3", settings)
            ),
            "document 2",
            "is not `HostFirmwareSettings`",
        ),
        (
            format!(
                "{}---\n{}",
                host_doc("a", ""),
                firmware_doc("HostFirmwareSettings", "a", "metal3", settings).replace("v1alpha1", "v1beta1")
            ),
            "HostFirmwareSettings in document 2",
            "apiVersion must be \"metal3.io/v1alpha1\"",
        ),
    ];
    for (yaml, field, says) in cases {
        let error = refused(hosts(&yaml));
        assert_eq!(error.argument, Some(0));
        assert!(error.text.contains(field), "no {field}: {}", error.text);
        assert!(error.text.contains(says), "no {says}: {}", error.text);
    }
    // What Metal3 means by an unset RAID, and the firmware objects of a host, are read.
    let read = hosts(&format!(
        "{}---\n{}",
        host_doc("a", "  raid: {}\n  firmware: {}\n"),
        firmware_doc("HostFirmwareSettings", "a", "metal3", settings)
    ))
    .unwrap();
    let host = &read.as_elements().unwrap()[0];
    assert!(host.get("raid").unwrap().is_null());
    assert_eq!(
        host.get("bios_settings")
            .and_then(|b| b.get("LogicalProc"))
            .and_then(Value::as_str),
        Some("Enabled")
    );
}

// ---- inspectionMode ----------------------------------------------------------------------------

#[test]
fn inspection_mode_is_mapped_both_ways() {
    let yaml = host_doc(
        "a",
        "  inspectionMode: disabled\n  bootMACAddress: 52:54:00:00:00:01\n",
    );
    let read = hosts(&yaml).unwrap();
    let host = &read.as_elements().unwrap()[0];
    assert_eq!(
        host.get("inspection_mode").and_then(Value::as_str),
        Some("disabled")
    );
    let manifest = super::baremetalhost_manifest::function()
        .call(&[Value::Dynamic(
            super::bmh::host::host_type(),
            Box::new(host.clone()),
        )])
        .unwrap();
    assert!(manifest
        .as_str()
        .unwrap()
        .contains("inspectionMode: disabled"));
    let error = refused(hosts(&host_doc("a", "  inspectionMode: Agent\n")));
    assert!(error.text.contains("spec.inspectionMode") && error.text.contains("`agent`"));
}

// ---- finding 9: baremetalhost_manifest checks its input by the resource's rules -------------

fn manifest(host: Json) -> Result<Value, FunctionError> {
    super::baremetalhost_manifest::function().call(&[dynamic(&host)])
}

fn valid_host() -> Json {
    json!({"name": "worker-0", "namespace": "metal3", "boot_mac_address": "52:54:00:00:00:01",
           "bmc": {"address": "ipmi://10.0.0.1", "password": SECRET}})
}

fn with(changes: Json) -> Json {
    let mut host = valid_host();
    merge(&mut host, changes);
    host
}

fn merge(into: &mut Json, changes: Json) {
    if let (Some(into), Json::Object(changes)) = (into.as_object_mut(), changes) {
        for (k, v) in changes {
            match (into.get_mut(&k), v) {
                (Some(existing @ Json::Object(_)), v @ Json::Object(_)) => merge(existing, v),
                (_, v) => {
                    into.insert(k, v);
                }
            }
        }
    }
}

#[test]
fn a_valid_host_is_written_without_its_password() {
    let written = manifest(valid_host()).unwrap();
    assert!(!written.as_str().unwrap().contains(SECRET));
}

#[test]
fn invalid_arguments_are_refused_naming_each_with_what_is_allowed() {
    let cases = [
        (json!({"name": "Worker_0"}), "`name`", "DNS-1123"),
        (json!({"name": ""}), "`name`", "1 to 253"),
        (json!({"namespace": "Lab"}), "`namespace`", "DNS-1123 label"),
        (
            json!({"bmc": {"address": "bogus://10.0.0.1"}}),
            "bmc.address",
            "accepted schemes",
        ),
        (
            json!({"bmc": {"address": format!("redfish://admin:{SECRET}@h/x")}}),
            "bmc.address",
            "username",
        ),
        (
            json!({"boot_mac_address": "52:54:zz:00:00:01"}),
            "boot_mac_address",
            "six pairs",
        ),
        (json!({"boot_mode": "bios"}), "boot_mode", "`UEFI`"),
        (
            json!({"automated_cleaning_mode": "full"}),
            "automated_cleaning_mode",
            "`metadata`",
        ),
        (
            json!({"inspection_mode": "redfish"}),
            "inspection_mode",
            "`agent`",
        ),
        (
            json!({"image": {"url": "ftp://x/os.qcow2", "checksum": "0"}}),
            "image.url",
            "https://",
        ),
        (
            json!({"root_device_hints": {"device_name": "sda"}}),
            "root_device_hints.device_name",
            "/dev/",
        ),
        (
            json!({"description": "d".repeat(4097)}),
            "description",
            "4096",
        ),
        (json!({"online": "yes"}), "online", "expected a bool"),
        (
            json!({"bmc": {"address": 5}}),
            "bmc.address",
            "expected a string",
        ),
        (
            json!({"boot_mod": "UEFI"}),
            "\"boot_mod\"",
            "did you mean `boot_mode`",
        ),
        (
            json!({"bmc": {"adress": "ipmi://h"}}),
            "\"adress\"",
            "did you mean `address`",
        ),
        (
            json!({"image": {"url": "http://i/x", "checksum": "0", "diskformat": "raw"}}),
            "\"diskformat\"",
            "`disk_format`",
        ),
        (
            json!({"user_data_secret": "Bad_Name"}),
            "user_data_secret",
            "DNS-1123",
        ),
        (
            json!({"bmc": {"credentials_name": 7}}),
            "bmc.credentials_name",
            "expected a string",
        ),
        (
            json!({"labels": {"rack": 12}}),
            "labels",
            "expected a string",
        ),
        (
            json!({"raid": {"hardware_raid_volumes": [{"level": "7"}]}}),
            "raid",
            "\"1+0\"",
        ),
        (
            json!({"raid": {"software_raid_volumes": [{"level": "0"}]}}),
            "raid",
            "RAID-1",
        ),
        (
            json!({"firmware": {"sriov": true}}),
            "`firmware` has no argument \"sriov\"",
            "`sriov_enabled`",
        ),
        (
            json!({"firmware_components": [{"component": "cpld", "url": "https://f/x.bin"}]}),
            "firmware_components",
            "not a firmware component",
        ),
        (
            json!({"firmware_components": [{"component": "bmc", "url": "ftp://f/x.bin"}]}),
            "firmware_components",
            "http or https",
        ),
    ];
    for (changes, field, says) in cases {
        let error = refused(manifest(with(changes.clone())));
        assert_eq!(error.argument, Some(0));
        assert!(
            error.text.contains(field),
            "{changes}: no {field}: {}",
            error.text
        );
        assert!(
            error.text.contains(says),
            "{changes}: no {says}: {}",
            error.text
        );
    }
    let error = refused(manifest(json!({"bmc": {"address": "ipmi://h"}})));
    assert!(error.text.contains("`name` is required"), "{}", error.text);
    let error = refused(manifest(json!({"name": "a"})));
    assert!(
        error.text.contains("`bmc.address` is required"),
        "{}",
        error.text
    );
    let error = refused(manifest(json!("worker-0")));
    assert!(error.text.contains("at least `name`"), "{}", error.text);
}
