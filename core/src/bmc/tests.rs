use serde_json::{json, Value};

use super::*;

const PASSWORD: &str = "s3cr3t-pa55";

fn creds() -> BmcCredentials {
    BmcCredentials {
        username: "admin".to_owned(),
        password: Secret::new(PASSWORD),
    }
}

fn settings(address: &str) -> DriverSettings {
    driver_settings(address, &creds(), false).unwrap_or_else(|e| panic!("{address}: {e}"))
}

struct Expect {
    address: &'static str,
    driver: &'static str,
    boot: &'static str,
    needs_boot_mac: bool,
    virtual_media: bool,
    /// Non-credential driver_info, exactly.
    info: Value,
    /// Interface fields checked in addition to boot/inspect/deploy.
    extra_interfaces: &'static [(&'static str, &'static str)],
}

fn expectations() -> Vec<Expect> {
    let redfish_ifaces: &'static [(&str, &str)] = &[
        ("power_interface", "redfish"),
        ("management_interface", "redfish"),
        ("raid_interface", "redfish"),
        ("firmware_interface", "redfish"),
    ];
    let idrac_ifaces: &'static [(&str, &str)] = &[
        ("power_interface", "idrac-redfish"),
        ("management_interface", "idrac-redfish"),
        ("bios_interface", "idrac-redfish"),
        ("raid_interface", "idrac-redfish"),
        ("vendor_interface", "idrac-redfish"),
        ("firmware_interface", "redfish"),
    ];
    let ipmi_ifaces: &'static [(&str, &str)] = &[
        ("power_interface", "ipmitool"),
        ("management_interface", "ipmitool"),
        ("raid_interface", "no-raid"),
    ];
    vec![
        Expect {
            address: "ipmi://192.168.122.1",
            driver: "ipmi",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"ipmi_address": "192.168.122.1", "ipmi_port": 623, "ipmi_priv_level": "ADMINISTRATOR"}),
            extra_interfaces: ipmi_ifaces,
        },
        Expect {
            address: "ipmi://192.168.122.1:6230?privilegelevel=operator",
            driver: "ipmi",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"ipmi_address": "192.168.122.1", "ipmi_port": 6230, "ipmi_priv_level": "OPERATOR"}),
            extra_interfaces: ipmi_ifaces,
        },
        Expect {
            address: "libvirt://[fd00::5]:6233/",
            driver: "ipmi",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"ipmi_address": "fd00::5", "ipmi_port": 6233, "ipmi_priv_level": "ADMINISTRATOR"}),
            extra_interfaces: ipmi_ifaces,
        },
        Expect {
            address: "10.1.1.1",
            driver: "ipmi",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"ipmi_address": "10.1.1.1", "ipmi_port": 623, "ipmi_priv_level": "ADMINISTRATOR"}),
            extra_interfaces: ipmi_ifaces,
        },
        Expect {
            address: "redfish://192.168.122.1/redfish/v1/Systems/1",
            driver: "redfish",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"redfish_address": "https://192.168.122.1", "redfish_system_id": "/redfish/v1/Systems/1"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "redfish+http://127.0.0.1:8000/redfish/v1/Systems/abc/",
            driver: "redfish",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"redfish_address": "http://127.0.0.1:8000", "redfish_system_id": "/redfish/v1/Systems/abc"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "redfish+https://[fe80::fc33:62ff:fe83:8a76]:8443/redfish/v1/",
            driver: "redfish",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"redfish_address": "https://[fe80::fc33:62ff:fe83:8a76]:8443"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "ilo5-redfish://bmc.example.com/redfish/v1/Systems/1",
            driver: "redfish",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"redfish_address": "https://bmc.example.com", "redfish_system_id": "/redfish/v1/Systems/1"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "redfish-virtualmedia://192.168.122.1/redfish/v1/Systems/1",
            driver: "redfish",
            boot: "redfish-virtual-media",
            needs_boot_mac: false,
            virtual_media: true,
            info: json!({"redfish_address": "https://192.168.122.1", "redfish_system_id": "/redfish/v1/Systems/1"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "redfish-virtualmedia+http://192.168.122.1:8000/redfish/v1/Systems/1",
            driver: "redfish",
            boot: "redfish-virtual-media",
            needs_boot_mac: false,
            virtual_media: true,
            info: json!({"redfish_address": "http://192.168.122.1:8000", "redfish_system_id": "/redfish/v1/Systems/1"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "ilo5-virtualmedia+https://192.168.122.1/redfish/v1/Systems/1",
            driver: "redfish",
            boot: "redfish-virtual-media",
            needs_boot_mac: false,
            virtual_media: true,
            info: json!({"redfish_address": "https://192.168.122.1", "redfish_system_id": "/redfish/v1/Systems/1"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "redfish-uefihttp+https://192.168.122.1/redfish/v1/Systems/1",
            driver: "redfish",
            boot: "redfish-https",
            needs_boot_mac: false,
            virtual_media: true,
            info: json!({"redfish_address": "https://192.168.122.1", "redfish_system_id": "/redfish/v1/Systems/1"}),
            extra_interfaces: redfish_ifaces,
        },
        Expect {
            address: "idrac-redfish://192.168.122.1/redfish/v1/Systems/System.Embedded.1",
            driver: "idrac",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"redfish_address": "https://192.168.122.1", "redfish_system_id": "/redfish/v1/Systems/System.Embedded.1"}),
            extra_interfaces: idrac_ifaces,
        },
        Expect {
            address:
                "idrac-virtualmedia+http://192.168.122.1:8080/redfish/v1/Systems/System.Embedded.1",
            driver: "idrac",
            boot: "idrac-redfish-virtual-media",
            needs_boot_mac: false,
            virtual_media: true,
            info: json!({"redfish_address": "http://192.168.122.1:8080", "redfish_system_id": "/redfish/v1/Systems/System.Embedded.1"}),
            extra_interfaces: idrac_ifaces,
        },
        Expect {
            address: "ilo4://192.168.122.1",
            driver: "ilo",
            boot: "ilo-ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"ilo_address": "192.168.122.1"}),
            extra_interfaces: &[("raid_interface", "no-raid")],
        },
        Expect {
            address: "ilo4-virtualmedia+https://192.168.122.1:4443",
            driver: "ilo",
            boot: "ilo-virtual-media",
            needs_boot_mac: false,
            virtual_media: true,
            info: json!({"ilo_address": "192.168.122.1", "client_port": 4443}),
            extra_interfaces: &[("raid_interface", "no-raid")],
        },
        Expect {
            address: "ilo5://[fd00::7]",
            driver: "ilo5",
            boot: "ilo-ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"ilo_address": "fd00::7"}),
            extra_interfaces: &[("raid_interface", "ilo5")],
        },
        Expect {
            address: "irmc://192.168.122.1:8443",
            driver: "irmc",
            boot: "ipxe",
            needs_boot_mac: true,
            virtual_media: false,
            info: json!({"irmc_address": "192.168.122.1", "ipmi_address": "192.168.122.1", "irmc_port": 8443}),
            extra_interfaces: &[("power_interface", "ipmitool"), ("raid_interface", "irmc")],
        },
    ]
}

#[test]
fn every_scheme_maps_to_its_driver_interfaces_and_driver_info() {
    for e in expectations() {
        let s = settings(e.address);
        let a = e.address;
        assert_eq!(s.driver, e.driver, "{a}");
        assert_eq!(s.interfaces["boot_interface"], e.boot, "{a}");
        assert_eq!(s.interfaces["inspect_interface"], "agent", "{a}");
        assert_eq!(s.interfaces["deploy_interface"], "direct", "{a}");
        for (field, value) in e.extra_interfaces {
            assert_eq!(
                s.interfaces.get(*field).map(String::as_str),
                Some(*value),
                "{a} {field}"
            );
        }
        assert_eq!(s.needs_boot_mac, e.needs_boot_mac, "{a}");
        assert_eq!(s.uses_virtual_media, e.virtual_media, "{a}");

        let mut expected = e.info.as_object().unwrap().clone();
        expected.extend(credential_driver_info(&s.driver, &creds()));
        assert_eq!(
            Value::Object(s.driver_info.clone()),
            Value::Object(expected),
            "{a}"
        );
        let (user_key, password_key) = credential_keys(&s.driver).unwrap();
        assert_eq!(s.driver_info[user_key], "admin", "{a}");
        assert_eq!(s.driver_info[password_key], PASSWORD, "{a}");
    }
}

#[test]
fn every_accepted_scheme_is_supported() {
    for scheme in accepted_schemes() {
        let address = format!("{scheme}://10.0.0.1/redfish/v1/Systems/1");
        let s = settings(&address);
        assert!(!s.driver.is_empty(), "{address}");
        assert!(s.interfaces.contains_key("boot_interface"), "{address}");
    }
}

#[test]
fn disabling_certificate_verification_sets_the_family_verify_ca_key() {
    let cases = [
        (
            "redfish://h/redfish/v1/Systems/1",
            Some("redfish_verify_ca"),
        ),
        (
            "redfish-virtualmedia+https://h/x",
            Some("redfish_verify_ca"),
        ),
        ("idrac-virtualmedia://h/x", Some("redfish_verify_ca")),
        ("ilo4://h", Some("ilo_verify_ca")),
        ("ilo5://h", Some("ilo_verify_ca")),
        ("irmc://h", Some("irmc_verify_ca")),
        ("ipmi://h", None),
        ("fake://h", None),
    ];
    for (address, key) in cases {
        let verified = settings(address);
        let insecure = driver_settings(address, &creds(), true).unwrap();
        assert!(
            !verified
                .driver_info
                .keys()
                .any(|k| k.ends_with("verify_ca")),
            "{address}"
        );
        match key {
            Some(key) => assert_eq!(insecure.driver_info[key], false, "{address}"),
            None => assert_eq!(insecure.driver_info, verified.driver_info, "{address}"),
        }
    }
}

#[test]
fn fake_hardware_defaults_and_phase_overrides() {
    let s = settings("fake://node-1");
    assert_eq!(s.driver, "fake-hardware");
    assert!(s.is_fake());
    let expected: BTreeMap<String, String> = [
        ("boot_interface", "ipxe"),
        ("power_interface", "fake"),
        ("management_interface", "fake"),
        ("inspect_interface", "agent"),
        ("deploy_interface", "fake"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(s.interfaces, expected);
    assert!(s.needs_boot_mac);
    assert!(!s.uses_virtual_media);
    // Only the harmless fake_* credential keys; Ironic ignores them for fake-hardware.
    let mut keys: Vec<_> = s.driver_info.keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["fake_password", "fake_username"]);

    let no_inspect = s.clone().with_inspection(false);
    assert_eq!(no_inspect.interfaces["inspect_interface"], "no-inspect");
    assert_eq!(no_inspect.interfaces["boot_interface"], "fake");
    assert!(!no_inspect.needs_boot_mac);
    let back = no_inspect.with_inspection(true);
    assert_eq!(back.interfaces, expected);
    assert!(back.needs_boot_mac);

    let live = s.clone().with_deploy_mode(DeployMode::LiveIso);
    assert_eq!(live.interfaces["deploy_interface"], "ramdisk");
    assert_eq!(live.interfaces["boot_interface"], "ipxe");
    let image = s.clone().with_deploy_mode(DeployMode::Image);
    assert_eq!(image.interfaces, expected);
    let custom = s.with_deploy_mode(DeployMode::CustomDeploy);
    assert_eq!(custom.interfaces["deploy_interface"], "fake");
}

#[test]
fn fake_needs_no_credentials() {
    let empty = BmcCredentials {
        username: String::new(),
        password: Secret::default(),
    };
    assert!(driver_settings("fake://x", &empty, false).is_ok());
}

#[test]
fn real_drivers_phase_overrides() {
    let s = settings("redfish-virtualmedia://h/redfish/v1/Systems/1");
    let off = s.clone().with_inspection(false);
    assert_eq!(off.interfaces["inspect_interface"], "no-inspect");
    assert_eq!(off.interfaces["boot_interface"], "redfish-virtual-media");
    assert_eq!(off.needs_boot_mac, s.needs_boot_mac);
    assert_eq!(
        s.clone().with_deploy_mode(DeployMode::LiveIso).interfaces["deploy_interface"],
        "ramdisk"
    );
    assert_eq!(
        s.clone()
            .with_deploy_mode(DeployMode::CustomDeploy)
            .interfaces["deploy_interface"],
        "custom-agent"
    );
    let live = s.with_deploy_mode(DeployMode::LiveIso);
    assert_eq!(live.interfaces["boot_interface"], "redfish-virtual-media");
    assert_eq!(
        live.with_deploy_mode(DeployMode::Image).interfaces["deploy_interface"],
        "direct"
    );
}

#[test]
fn unknown_scheme_error_lists_every_accepted_scheme() {
    let err = driver_settings("foo://10.0.0.1", &creds(), false).unwrap_err();
    assert_eq!(
        err,
        BmcError::UnknownScheme {
            scheme: "foo".into(),
            accepted: accepted_schemes(),
        }
    );
    let text = err.to_string();
    assert!(text.contains("\"foo\""), "{text}");
    for scheme in accepted_schemes() {
        assert!(text.contains(scheme), "{scheme} missing from: {text}");
    }
    // A transport the family does not support is an unknown scheme too.
    assert!(matches!(
        parse_address("ipmi+https://h"),
        Err(BmcError::UnknownScheme { .. })
    ));
    assert!(matches!(
        parse_address("ilo4+http://h"),
        Err(BmcError::UnknownScheme { .. })
    ));
}

#[test]
fn missing_credentials_are_errors_for_real_bmcs() {
    let no_user = BmcCredentials {
        username: String::new(),
        password: Secret::new(PASSWORD),
    };
    let err = driver_settings("redfish://h/x", &no_user, false).unwrap_err();
    assert!(err.to_string().contains("username"), "{err}");
    let no_password = BmcCredentials {
        username: "admin".into(),
        password: Secret::default(),
    };
    let err = driver_settings("ipmi://h", &no_password, false).unwrap_err();
    assert!(err.to_string().contains("password"), "{err}");
}

#[test]
fn bad_ipmi_privilege_level_is_rejected() {
    let err = driver_settings("ipmi://h?privilegelevel=ROOT", &creds(), false).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("ROOT") && text.contains("ADMINISTRATOR"),
        "{text}"
    );
}

#[test]
fn errors_never_contain_the_password() {
    let bad = [
        "foo://h",
        "redfish://h:99999/x",
        "redfish://",
        "ipmi://h?privilegelevel=x",
        "redfish://admin:s3cr3t-pa55@h/x",
    ];
    for address in bad {
        let err = driver_settings(address, &creds(), false).unwrap_err();
        assert!(!err.to_string().contains(PASSWORD), "{address}: {err}");
        assert!(!format!("{err:?}").contains(PASSWORD), "{address}: {err:?}");
    }
}

#[test]
fn debug_and_redacted_driver_info_hide_passwords() {
    for address in [
        "redfish://h/x",
        "ipmi://h",
        "ilo5://h",
        "irmc://h",
        "fake://h",
        "idrac-redfish://h/x",
    ] {
        let s = settings(address);
        let debug = format!("{s:?}");
        assert!(!debug.contains(PASSWORD), "{address}: {debug}");
        assert!(debug.contains("admin"), "{address}: {debug}");
        assert!(debug.contains("<redacted>"), "{address}: {debug}");
        let redacted = s.redacted_driver_info();
        assert_eq!(redacted.len(), s.driver_info.len());
        for (key, value) in &redacted {
            if key.ends_with("_password") {
                assert_eq!(value, "<redacted>", "{address} {key}");
            } else {
                assert_eq!(value, &s.driver_info[key], "{address} {key}");
            }
        }
    }
    let c = creds();
    assert!(!format!("{c:?}").contains(PASSWORD));
}

#[test]
fn credential_keys_per_driver() {
    assert_eq!(
        credential_keys("redfish"),
        Some(("redfish_username", "redfish_password"))
    );
    assert_eq!(
        credential_keys("idrac"),
        Some(("redfish_username", "redfish_password"))
    );
    assert_eq!(
        credential_keys("ipmi"),
        Some(("ipmi_username", "ipmi_password"))
    );
    assert_eq!(
        credential_keys("ilo5"),
        Some(("ilo_username", "ilo_password"))
    );
    assert_eq!(
        credential_keys("irmc"),
        Some(("irmc_username", "irmc_password"))
    );
    assert_eq!(credential_key_pairs("irmc").len(), 2);
    assert_eq!(
        credential_keys("fake-hardware"),
        Some(("fake_username", "fake_password"))
    );
    assert_eq!(credential_keys("nonsense"), None);
    let irmc = credential_driver_info("irmc", &creds());
    assert_eq!(irmc["ipmi_password"], PASSWORD);
    assert_eq!(irmc["irmc_username"], "admin");
    assert!(credential_driver_info("nonsense", &creds()).is_empty());
}

#[test]
fn machine_identity_separates_machines_not_schemes() {
    let same = [
        (
            "redfish://10.0.0.1/redfish/v1/Systems/1",
            "redfish-virtualmedia+https://10.0.0.1:443/redfish/v1/Systems/1/",
        ),
        (
            "redfish+http://H.example.com/x",
            "idrac-redfish+http://h.example.com:80/x",
        ),
        ("ipmi://10.0.0.1", "libvirt://10.0.0.1:623"),
        ("10.0.0.1", "ipmi://10.0.0.1"),
        ("redfish://10.0.0.1", "redfish://10.0.0.1/redfish/v1/"),
        ("redfish://[FD00:0:0::1]/x", "redfish://[fd00::1]:443/x"),
        ("ilo4://h", "ilo4-virtualmedia+https://h:443"),
        ("fake://a", "fake://a"),
        ("ipmi://10.0.0.1", "redfish://10.0.0.1"),
        ("redfish+http://10.0.0.1/x", "redfish+https://10.0.0.1/x"),
    ];
    for (a, b) in same {
        assert_eq!(
            machine_identity(a).unwrap(),
            machine_identity(b).unwrap(),
            "{a} vs {b}"
        );
    }
    let different = [
        (
            "redfish://10.0.0.1/redfish/v1/Systems/1",
            "redfish://10.0.0.1/redfish/v1/Systems/2",
        ),
        ("redfish://10.0.0.1/x", "redfish://10.0.0.2/x"),
        ("redfish://10.0.0.1:8000/x", "redfish://10.0.0.1:8001/x"),
        ("ipmi://10.0.0.1", "ipmi://10.0.0.1:6230"),
        ("ipmi://10.0.0.1:6230", "ipmi://10.0.0.1:6231"),
        ("ipmi://10.0.0.1", "redfish://10.0.0.1/redfish/v1/Systems/1"),
        ("fake://a", "fake://b"),
        ("fake://10.0.0.1", "ipmi://10.0.0.1"),
    ];
    for (a, b) in different {
        assert_ne!(
            machine_identity(a).unwrap(),
            machine_identity(b).unwrap(),
            "{a} vs {b}"
        );
    }
    assert_eq!(
        machine_identity("redfish+http://127.0.0.1:8000/redfish/v1/Systems/abc").unwrap(),
        "127.0.0.1:8000/redfish/v1/Systems/abc"
    );
    assert_eq!(machine_identity("ipmi://h:623").unwrap(), "h");
    assert_eq!(
        machine_identity("redfish://[fd00::1]:8443/x").unwrap(),
        "[fd00::1]:8443/x"
    );
    assert!(machine_identity("bogus://h").is_err());
}

#[test]
fn every_accepted_scheme_is_documented_once() {
    let documented: Vec<&str> = SCHEMES.iter().map(|doc| doc.scheme).collect();
    for scheme in accepted_schemes() {
        let base = scheme.split('+').next().unwrap();
        assert_eq!(
            documented.iter().filter(|d| **d == base).count(),
            1,
            "{scheme}"
        );
    }
    for doc in SCHEMES {
        assert!(doc.form.starts_with(doc.scheme), "{doc:?}");
        assert!(
            accepted_schemes().iter().any(|s| s == doc.scheme),
            "{doc:?}"
        );
    }
}

/// Every family keeps the rules the lookups rely on; a new family that breaks one fails here.
#[test]
fn every_family_keeps_the_invariants() {
    let mut seen: Vec<String> = Vec::new();
    for family in FAMILIES {
        let name = family.driver;
        assert!(!family.schemes.is_empty(), "{name}: no scheme");
        for accepted in family.accepted() {
            assert!(!seen.contains(&accepted), "{accepted} in two families");
            assert_eq!(
                lookup(&accepted).map(|(f, _)| f.driver),
                Some(name),
                "{accepted}"
            );
            seen.push(accepted);
        }
        for scheme in family.schemes {
            let s = scheme.scheme;
            assert!(scheme.form.starts_with(s), "{s}: form {}", scheme.form);
            for transport in family.transports {
                assert!(scheme.form.contains(&format!("+{}", transport.name)), "{s}");
            }
            assert!(!scheme.drives.is_empty(), "{s}");
            // Every spelling parses and drives the family's hardware type and this boot.
            for accepted in family.accepted().filter(|a| a.split('+').next() == Some(s)) {
                let address = format!("{accepted}://10.0.0.1/redfish/v1/Systems/1");
                let settings = settings(&address);
                assert_eq!(settings.driver, name, "{address}");
                assert_eq!(settings.interfaces["boot_interface"], scheme.boot_interface);
                assert_eq!(settings.needs_boot_mac, scheme.boot == Boot::Network);
                assert_eq!(settings.uses_virtual_media, scheme.boot == Boot::Iso);
                assert_eq!(parse_address(&address).unwrap().full_scheme(), accepted);
            }
        }
        assert!(
            family
                .interfaces
                .iter()
                .all(|(field, _)| field.ends_with("_interface") && *field != "boot_interface"),
            "{name}: boot_interface is per scheme"
        );
        // Credentials: a user key that is not secret and a password key that is (so redaction
        // hides it), never one of the address keys.
        assert!(!family.credential_keys.is_empty(), "{name}");
        let address_keys = (family.driver_info)(&parse_address("ipmi://10.0.0.1").unwrap(), "")
            .unwrap()
            .into_iter()
            .map(|(key, _)| key)
            .collect::<Vec<_>>();
        for (user, password) in family.credential_keys {
            assert!(
                user.ends_with("_username") && !is_secret_key(user),
                "{name} {user}"
            );
            assert!(
                password.ends_with("_password") && is_secret_key(password),
                "{name}"
            );
            assert!(
                !address_keys.iter().any(|k| k == user || k == password),
                "{name}"
            );
        }
        assert!(address_keys.iter().all(|k| !is_secret_key(k)), "{name}");
        // Ports: a contacted family has a default, each transport its own; TLS means a key to
        // turn verification off.
        if family.needs_credentials() {
            assert_ne!(family.default_port, 0, "{name}");
            assert!(
                family.transports.iter().all(|t| t.default_port != 0),
                "{name}"
            );
        }
        let tls = family.transports.iter().any(|t| t.name == "https");
        if tls {
            assert!(
                family.verify_ca_key.is_some(),
                "{name}: TLS without a verify_ca key"
            );
        }
        if let Some(key) = family.verify_ca_key {
            assert!(key.ends_with("_verify_ca"), "{name} {key}");
        }
        // Families sharing a hardware type share what is looked up by it.
        let first = family_of_driver(name).unwrap();
        assert_eq!(first.credential_keys, family.credential_keys, "{name}");
        assert_eq!(first.verify_ca_key, family.verify_ca_key, "{name}");
    }
    assert_eq!(
        seen,
        accepted_schemes(),
        "accepted_schemes is every family's, in order"
    );
}

#[test]
fn addresses_read_back_from_driver_info_name_the_same_machine() {
    for address in [
        "redfish+http://10.0.0.1:8000/redfish/v1/Systems/1",
        "redfish-virtualmedia+https://10.0.0.1/redfish/v1/Systems/1",
        "redfish-uefihttp://10.0.0.1/redfish/v1/Systems/1",
        "ipmi://10.0.0.2:6230",
        "ipmi://[fd00::2]",
    ] {
        let s = settings(address);
        let back = address_from_driver_info(
            &s.driver,
            &s.driver_info,
            s.interfaces.get("boot_interface").map(String::as_str),
        )
        .unwrap_or_else(|| panic!("{address}"));
        assert_eq!(
            machine_identity(&back).unwrap(),
            machine_identity(address).unwrap(),
            "{address} -> {back}"
        );
        assert_eq!(
            parse_address(&back).unwrap().scheme,
            parse_address(address).unwrap().scheme,
            "{back}"
        );
    }
    let idrac = settings("idrac-redfish://10.0.0.1/redfish/v1/Systems/1");
    assert_eq!(
        address_from_driver_info(&idrac.driver, &idrac.driver_info, None),
        None
    );
}
