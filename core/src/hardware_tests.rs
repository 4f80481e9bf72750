use serde_json::json;

use super::*;

const FIXTURE: &str = include_str!("../tests/fixtures/ironic_inventory.json");

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("fixture is JSON")
}

fn details(body: &Value) -> HardwareDetails {
    HardwareDetails::from_inventory(body).expect("inventory maps")
}

#[test]
fn realistic_inventory_maps_every_section() {
    let hw = details(&fixture());

    assert_eq!(
        hw.cpu,
        Cpu {
            arch: "x86_64".into(),
            model: "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz".into(),
            clock_megahertz: 2100.0,
            count: 80,
            flags: vec![
                "aes".into(),
                "avx512f".into(),
                "fpu".into(),
                "sse4_2".into(),
                "vmx".into()
            ],
        }
    );
    assert_eq!(hw.ram_mebibytes, 393216);
    assert_eq!(hw.hostname, "worker-0.ocp.example.com");
    assert_eq!(
        hw.system_vendor,
        SystemVendor {
            manufacturer: "Dell Inc.".into(),
            product_name: "PowerEdge R640".into(),
            serial_number: "8Z1XYZ2".into(),
        }
    );
    assert_eq!(
        hw.firmware.bios,
        Bios {
            vendor: "Dell Inc.".into(),
            version: "2.17.1".into(),
            date: "11/21/2022".into(),
        }
    );

    let nics: Vec<(&str, &str, &str, &str, i64, bool)> = hw
        .nics
        .iter()
        .map(|n| {
            (
                n.name.as_str(),
                n.mac.as_str(),
                n.ip.as_str(),
                n.model.as_str(),
                n.speed_gbps,
                n.pxe,
            )
        })
        .collect();
    assert_eq!(
        nics,
        vec![
            // Both address families: two entries.
            (
                "eno1",
                "3c:fd:fe:9c:2a:10",
                "192.168.111.20",
                "0x8086 0x1572",
                10,
                true
            ),
            (
                "eno1",
                "3c:fd:fe:9c:2a:10",
                "fd2e:6f44:5dd8:c956::14",
                "0x8086 0x1572",
                10,
                true
            ),
            // IPv6 only, zone suffix dropped.
            (
                "eno2",
                "3c:fd:fe:9c:2a:11",
                "fe80::3efd:feff:fe9c:2a11",
                "0x8086 0x1572",
                25,
                false
            ),
            // No address, no speed, empty product.
            ("enp94s0f0", "b4:96:91:4a:03:c0", "", "0x15b3", 0, false),
        ]
    );

    assert_eq!(hw.storage.len(), 3);
    let sda = &hw.storage[0];
    assert_eq!(
        sda,
        &Storage {
            name: "/dev/disk/by-path/pci-0000:3b:00.0-scsi-0:2:0:0".into(),
            alternate_names: vec![
                "/dev/sda".into(),
                "/dev/disk/by-path/pci-0000:3b:00.0-scsi-0:2:0:0".into()
            ],
            hctl: "0:2:0:0".into(),
            model: "PERC H730P Adp".into(),
            vendor: "DELL".into(),
            serial_number: "006330f0ef60f6812500c9c4d3a0b1c2".into(),
            size_bytes: 479559942144,
            rotational: true,
            r#type: "HDD".into(),
            wwn: "0x6c81f660ef0f6300".into(),
            wwn_with_extension: "0x6c81f660ef0f63002500c9c4d3a0b1c2".into(),
            wwn_vendor_extension: "0x2500c9c4d3a0b1c2".into(),
        }
    );
    let sdb = &hw.storage[1];
    assert_eq!(sdb.name, "/dev/sdb");
    assert_eq!(sdb.alternate_names, vec!["/dev/sdb".to_owned()]);
    assert_eq!(sdb.r#type, "SSD");
    assert_eq!(sdb.wwn_vendor_extension, "");
    let nvme = &hw.storage[2];
    assert_eq!(nvme.r#type, "NVME");
    assert_eq!(nvme.size_bytes, 1600321314816);
    assert_eq!(nvme.vendor, "");
    assert_eq!(nvme.hctl, "");
}

#[test]
fn bare_inventory_equals_wrapper_except_plugin_data() {
    let body = fixture();
    let bare = details(&body["inventory"]);
    let wrapped = details(&body);
    assert_eq!(bare.storage, wrapped.storage);
    assert_eq!(bare.cpu, wrapped.cpu);
    // Without plugin_data, pxe comes from boot.pxe_interface (pxelinux "01-..." form).
    let pxe: Vec<_> = bare.nics.iter().map(|n| (n.name.as_str(), n.pxe)).collect();
    assert_eq!(
        pxe,
        vec![
            ("eno1", true),
            ("eno1", true),
            ("eno2", false),
            ("enp94s0f0", false)
        ]
    );
}

#[test]
fn pxe_interface_as_plain_mac() {
    let body = json!({
        "interfaces": [
            {"name": "a", "mac_address": "52:54:00:AA:BB:01", "ipv4_address": "10.0.0.2"},
            {"name": "b", "mac_address": "52:54:00:aa:bb:02"}
        ],
        "boot": {"pxe_interface": "52:54:00:aa:bb:01"}
    });
    let hw = details(&body);
    assert!(hw.nics[0].pxe);
    assert!(!hw.nics[1].pxe);
    assert_eq!(
        pxe_mac("01-52-54-00-AA-BB-01").as_deref(),
        Some("52:54:00:aa:bb:01")
    );
    assert_eq!(pxe_mac(""), None);
}

#[test]
fn missing_sections_give_empty_details() {
    for body in [
        json!({}),
        json!(null),
        json!({"inventory": {}, "plugin_data": null}),
        json!({"inventory": null}),
        json!({"cpu": null, "memory": null, "interfaces": null, "disks": null, "system_vendor": null, "boot": null}),
    ] {
        assert_eq!(details(&body), HardwareDetails::default(), "{body}");
    }
    let partial = details(&json!({
        "system_vendor": {"manufacturer": "QEMU"},
        "disks": [{"name": "/dev/vda"}],
        "interfaces": [{"name": "eth0"}]
    }));
    assert_eq!(partial.system_vendor.manufacturer, "QEMU");
    assert_eq!(partial.firmware, Firmware::default());
    assert_eq!(partial.storage[0].name, "/dev/vda");
    assert_eq!(partial.storage[0].r#type, "SSD");
    assert_eq!(partial.storage[0].size_bytes, 0);
    assert_eq!(partial.nics.len(), 1);
    assert_eq!(partial.nics[0].ip, "");
    assert!(!partial.nics[0].pxe);
}

#[test]
fn ram_falls_back_to_total_bytes() {
    let hw = details(&json!({"memory": {"total": 8589934592_i64}}));
    assert_eq!(hw.ram_mebibytes, 8192);
    let hw = details(&json!({"memory": {"total": 8589934592_i64, "physical_mb": 8200}}));
    assert_eq!(hw.ram_mebibytes, 8200);
}

#[test]
fn scalar_representations_are_tolerated() {
    let hw = details(&json!({
        "cpu": {"frequency": 2399.6, "count": "4", "flags": []},
        "memory": {"physical_mb": "4096"},
        "disks": [{"name": "nvme1n1", "size": "1000", "rotational": "false"},
                  {"name": "/dev/sdc", "size": 5.0e11, "rotational": 1}],
        "interfaces": [{"name": "e", "speed_mbps": "1000", "vendor": "Intel", "product": null}],
        "hostname": 42
    }));
    assert_eq!(hw.cpu.clock_megahertz, 2400.0);
    assert_eq!(hw.cpu.count, 4);
    assert_eq!(hw.ram_mebibytes, 4096);
    assert_eq!(hw.storage[0].r#type, "NVME");
    assert_eq!(hw.storage[0].size_bytes, 1000);
    assert_eq!(hw.storage[1].r#type, "HDD");
    assert_eq!(hw.storage[1].size_bytes, 500_000_000_000);
    assert_eq!(hw.nics[0].speed_gbps, 1);
    assert_eq!(hw.nics[0].model, "Intel");
    assert_eq!(hw.hostname, "42");
}

#[test]
fn wrong_shapes_are_errors_naming_the_field() {
    let cases = [
        (json!([1, 2]), "inventory", "an object"),
        (json!({"inventory": "x"}), "inventory", "an object"),
        (
            json!({"inventory": {}, "plugin_data": []}),
            "plugin_data",
            "an object",
        ),
        (json!({"cpu": []}), "inventory.cpu", "an object"),
        (
            json!({"cpu": {"flags": "vmx"}}),
            "inventory.cpu.flags",
            "a list",
        ),
        (
            json!({"cpu": {"frequency": "fast"}}),
            "inventory.cpu.frequency",
            "a number",
        ),
        (
            json!({"disks": [{"name": {"x": 1}}]}),
            "inventory.disks[0].name",
            "a string",
        ),
        (
            json!({"disks": [{"rotational": "maybe"}]}),
            "inventory.disks[0].rotational",
            "a boolean",
        ),
        (
            json!({"interfaces": [7]}),
            "inventory.interfaces[0]",
            "an object",
        ),
        (
            json!({"inventory": {"interfaces": [{"name": "a"}]}, "plugin_data": {"all_interfaces": {"a": {"pxe_enabled": []}}}}),
            "pxe_enabled",
            "a boolean",
        ),
    ];
    for (body, field, expected) in cases {
        let err = HardwareDetails::from_inventory(&body).expect_err(&body.to_string());
        let text = err.to_string();
        assert!(text.contains(&format!("\"{field}\"")), "{body}: {text}");
        assert!(text.contains(expected), "{body}: {text}");
    }
}

#[test]
fn serializes_with_plain_type_key() {
    let hw = details(&fixture());
    let json = serde_json::to_value(&hw).unwrap();
    assert_eq!(json["storage"][2]["type"], "NVME");
    assert_eq!(json["nics"][0]["speed_gbps"], 10);
    let back: HardwareDetails = serde_json::from_value(json).unwrap();
    assert_eq!(back, hw);
}

/// A response recorded from Ironic 39's `GET /v1/nodes/{id}/inventory` after a fake-hardware
/// node's agent inspection was continued with the hand-written fixture's inventory.
#[test]
fn recorded_ironic_response_maps_like_the_fixture() {
    let recorded: Value = serde_json::from_str(include_str!(
        "../tests/fixtures/ironic39_inventory_response.json"
    ))
    .unwrap();
    assert!(recorded["plugin_data"]["all_interfaces"].is_object());
    assert_eq!(details(&recorded), details(&fixture()));
}
