use super::*;
use crate::codec::Value;
use crate::resources::baremetal_host::test_values::redfish_config;

fn base() -> Value {
    redfish_config()
}

fn with(steps: &[&str], value: Value) -> Value {
    let mut config = base();
    let (last, parents) = steps.split_last().unwrap();
    let mut target = &mut config;
    for step in parents {
        if target.get(step).is_none_or(Value::is_null) {
            target.set_attr(*step, Value::object(Vec::<(String, Value)>::new()));
        }
        target = target.get_mut(step).unwrap();
    }
    target.set_attr(*last, value);
    config
}

fn errors(config: &Value) -> Vec<(String, String)> {
    validate_config(config)
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let path = d.attribute.map(|p| p.to_string()).unwrap_or_default();
            (path, format!("{} {}", d.summary, d.detail))
        })
        .collect()
}

#[test]
fn a_good_config_has_no_diagnostics() {
    assert!(validate_config(&base()).is_empty());
    // Unknown values are never errors.
    for steps in [
        &["name"][..],
        &["bmc", "address"],
        &["bmc", "password"],
        &["boot_mac_address"],
        &["boot_mode"],
        &["image", "disk_format"],
        &["image", "checksum"],
        &["inspection_mode"],
    ] {
        let config = with(steps, Value::unknown());
        assert!(
            errors(&config).is_empty(),
            "{steps:?}: {:?}",
            errors(&config)
        );
    }
}

/// Each bad input: the attribute path reported and a phrase of the message naming what is
/// allowed.
#[test]
fn bad_inputs_name_the_attribute_and_what_is_allowed() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(&["name"], "Worker_0".into()),
            "name",
            "DNS-1123 subdomain",
        ),
        (
            with(&["namespace"], "a.b".into()),
            "namespace",
            "DNS-1123 label",
        ),
        (
            with(&["bmc", "address"], "foo://10.0.0.1".into()),
            "bmc.address",
            "accepted schemes: ipmi, libvirt, redfish",
        ),
        (
            with(&["bmc", "address"], "redfish://:99999/x".into()),
            "bmc.address",
            "scheme://host[:port][/path]",
        ),
        (
            with(&["bmc", "username"], "".into()),
            "bmc.username",
            "must not be empty",
        ),
        (
            with(&["boot_mac_address"], "52:54:00:aa:bb".into()),
            "boot_mac_address",
            "aa:bb:cc:dd:ee:ff",
        ),
        (
            with(&["boot_mac_address"], Value::Null),
            "boot_mac_address",
            "`redfish` scheme boots the host from the network",
        ),
        (
            with(&["boot_mode"], "uefi".into()),
            "boot_mode",
            "`UEFI`, `UEFISecureBoot`, `legacy`",
        ),
        (
            with(&["automated_cleaning_mode"], "full".into()),
            "automated_cleaning_mode",
            "`metadata`, `disabled`",
        ),
        (
            with(&["inspection_mode"], "redfish".into()),
            "inspection_mode",
            "`agent`, `disabled`",
        ),
        (
            with(&["image", "checksum_type"], "sha1".into()),
            "image.checksum_type",
            "`md5`, `sha256`, `sha512`",
        ),
        (
            with(&["image", "disk_format"], "iso".into()),
            "image.disk_format",
            "`raw`, `qcow2`, `vdi`, `vmdk`, `live-iso`",
        ),
        (
            with(&["image", "disk_format"], "live-iso".into()),
            "image.checksum",
            "must be unset when `image.disk_format = \"live-iso\"`",
        ),
        (
            with(&["image", "checksum"], Value::Null),
            "image.checksum",
            "a checksum, or the URL",
        ),
        (
            with(&["image", "url"], "ftp://img/os.qcow2".into()),
            "image.url",
            "`http` / `https` / `file`",
        ),
        (
            with(&["image", "url"], "os.qcow2".into()),
            "image.url",
            "not a URL",
        ),
        (
            with(&["image", "url"], "file://relative".into()),
            "image.url",
            "file:///path",
        ),
        (
            {
                let c = with(&["image", "checksum_type"], "md5".into());
                let mut c = c;
                c.get_mut("image").unwrap().set_attr("checksum", "abcd");
                c
            },
            "image.checksum",
            "md5 checksum has 32",
        ),
        (
            with(
                &["root_device_hints", "min_size_gigabytes"],
                Value::from(-1),
            ),
            "root_device_hints.min_size_gigabytes",
            "whole number of GiB, at least 0",
        ),
        (
            with(
                &["root_device_hints", "min_size_gigabytes"],
                Value::from(1.5),
            ),
            "root_device_hints.min_size_gigabytes",
            "whole number",
        ),
        (
            with(&["root_device_hints", "device_name"], "sda".into()),
            "root_device_hints.device_name",
            "starting with `/dev/`",
        ),
        (
            with(&["root_device_hints", "hctl"], "0:0:0".into()),
            "root_device_hints.hctl",
            "`host:channel:target:lun`",
        ),
        (
            with(&["root_device_hints", "rotational"], "yes".into()),
            "root_device_hints.rotational",
            "expected a bool",
        ),
        (
            with(&["network_data"], "[1]".into()),
            "network_data",
            "JSON object",
        ),
        (with(&["meta_data"], "{".into()), "meta_data", "JSON object"),
        (
            with(&["custom_deploy", "method"], " ".into()),
            "custom_deploy.method",
            "deploy step",
        ),
        (
            with(&["timeouts", "create"], "10".into()),
            "timeouts.create",
            "\"1h30m\"",
        ),
        (
            with(&["timeouts", "delete"], "0s".into()),
            "timeouts.delete",
            "positive duration",
        ),
        (
            with(&["timeouts", "create"], "2562047788015216h".into()),
            "timeouts.create",
            "longest duration",
        ),
        (
            with(&["timeouts", "read"], "200h".into()),
            "timeouts.read",
            "at most 168h",
        ),
        (
            with(&["timeouts", "update"], "-5m".into()),
            "timeouts.update",
            "must be positive",
        ),
        (
            with(&["bmc", "password"], Value::Null),
            "bmc",
            "exactly one of `bmc.password` and `bmc.password_wo`",
        ),
        (
            {
                let mut c = with(&["bmc", "password_wo"], "x".into());
                c.get_mut("bmc").unwrap().set_attr("password_wo_version", 1);
                c
            },
            "bmc.password_wo",
            "set exactly one",
        ),
        (
            with(&["bmc", "password_wo_version"], Value::from(1)),
            "bmc.password_wo_version",
            "only applies to `bmc.password_wo`",
        ),
        (
            with(&["conductor_group"], "Rack A".into()),
            "conductor_group",
            "use lowercase letters, digits, `.`, `_` and `-` (e.g. \"rack-a\")",
        ),
        (
            with(&["conductor_group"], "g".repeat(256).into()),
            "conductor_group",
            "at most 255",
        ),
    ];
    for (config, path, phrase) in cases {
        let found = errors(&config);
        assert!(
            found.iter().any(|(p, m)| p == path && m.contains(phrase)),
            "expected an error at {path} containing {phrase:?}, got {found:?}"
        );
        assert_eq!(
            found.len(),
            1,
            "only one error expected for {path}: {found:?}"
        );
    }
}

#[test]
fn password_wo_needs_a_version() {
    let mut config = with(&["bmc", "password"], Value::Null);
    config.get_mut("bmc").unwrap().set_attr("password_wo", "pw");
    let found = errors(&config);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "bmc.password_wo_version");
    config
        .get_mut("bmc")
        .unwrap()
        .set_attr("password_wo_version", 1);
    assert!(errors(&config).is_empty());
}

#[test]
fn live_iso_without_checksum_is_fine() {
    let mut config = with(&["image", "disk_format"], "live-iso".into());
    config
        .get_mut("image")
        .unwrap()
        .set_attr("checksum", Value::Null);
    assert!(errors(&config).is_empty());
}

#[test]
fn an_adopted_hosts_image_is_a_record_and_needs_no_checksum() {
    let mut config = with(&["image", "checksum"], Value::Null);
    config
        .get_mut("image")
        .unwrap()
        .set_attr("checksum_type", Value::Null);
    let found = errors(&config);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "image.checksum");
    config.set_attr("externally_provisioned", true);
    assert!(errors(&config).is_empty());
}

#[test]
fn boot_mac_depends_on_the_scheme_and_inspection() {
    let no_mac = |address: &str, inspection: Option<&str>| {
        let mut config = with(&["boot_mac_address"], Value::Null);
        config.get_mut("bmc").unwrap().set_attr("address", address);
        if let Some(mode) = inspection {
            config.set_attr("inspection_mode", mode);
        }
        errors(&config)
    };
    assert!(no_mac("redfish-virtualmedia://10.0.0.1/redfish/v1/Systems/1", None).is_empty());
    assert!(no_mac("fake://w0", Some("disabled")).is_empty());
    let found = no_mac("fake://w0", None);
    assert_eq!(found.len(), 1);
    assert!(found[0].1.contains("`fake` hosts network-boot"));
    assert_eq!(no_mac("ipmi://10.0.0.1", None).len(), 1);
    assert!(no_mac("ipmi://10.0.0.1", Some("disabled")).len() == 1);
}

#[test]
fn risky_settings_are_warned_about() {
    let config = with(&["bmc", "disable_certificate_verification"], true.into());
    let diagnostics = validate_config(&config);
    assert_eq!(diagnostics.len(), 1);
    assert!(!diagnostics[0].is_error());
    assert_eq!(
        diagnostics[0].attribute.as_ref().unwrap().to_string(),
        "bmc.disable_certificate_verification"
    );
    let config = with(
        &["bmc", "address"],
        "redfish+http://10.0.0.1/redfish/v1/Systems/1".into(),
    );
    let diagnostics = validate_config(&config);
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].summary.contains("unencrypted"));
}

#[test]
fn image_with_custom_deploy_or_adoption_is_allowed() {
    let config = with(&["custom_deploy", "method"], "install_coreos".into());
    assert!(validate_config(&config).is_empty());
    let config = with(&["externally_provisioned"], true.into());
    assert!(validate_config(&config).is_empty());
}

#[test]
fn diagnostics_never_show_the_password() {
    let config = with(&["bmc", "password_wo"], "hunter2".into());
    for d in validate_config(&config) {
        assert!(!d.detail.contains("hunter2") && !d.summary.contains("hunter2"));
    }
}
