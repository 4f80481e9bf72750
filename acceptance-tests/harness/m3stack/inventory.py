"""Deterministic ironic-python-agent inventories, derived from a boot MAC address.

The same MAC always gives the same document, so tests can predict hardware facts; the numbers vary
between MACs so that filters (e.g. minimum RAM) have something to select on.
"""

import hashlib


def normalize_mac(mac: str) -> str:
    return mac.strip().lower()


def _seed(mac: str) -> bytes:
    return hashlib.sha256(normalize_mac(mac).encode()).digest()


def generate_inventory(mac: str) -> dict:
    """Return `{"inventory": ..., "root_disk": ...}` as the agent would post it."""
    mac = normalize_mac(mac)
    seed = _seed(mac)
    suffix = mac.replace(":", "")[-6:]
    octet = 10 + seed[0] % 200
    cpu_count = (2, 4, 8, 16)[seed[1] % 4]
    memory_mb = (8192, 16384, 32768, 65536)[seed[2] % 4]
    hdd_size = (500 + seed[3] % 500) * 1_000_000_000
    ssd_size = (200 + seed[4] % 200) * 1_000_000_000
    serial = seed.hex()[:12].upper()

    ssd = {
        "name": "/dev/sda",
        "model": "M3FAKE SSD",
        "vendor": "M3Fake",
        "serial": f"SSD{serial}",
        "size": ssd_size,
        "rotational": False,
        "wwn": f"0x5000{seed[5:11].hex()}",
        "wwn_with_extension": f"0x5000{seed[5:11].hex()}",
        "wwn_vendor_extension": None,
        "hctl": "0:0:0:0",
        "by_path": "/dev/disk/by-path/pci-0000:00:1f.2-ata-1",
        "tran": "sata",
    }
    hdd = {
        "name": "/dev/sdb",
        "model": "M3FAKE HDD",
        "vendor": "M3Fake",
        "serial": f"HDD{serial}",
        "size": hdd_size,
        "rotational": True,
        "wwn": f"0x5001{seed[11:17].hex()}",
        "wwn_with_extension": f"0x5001{seed[11:17].hex()}",
        "wwn_vendor_extension": None,
        "hctl": "1:0:0:0",
        "by_path": "/dev/disk/by-path/pci-0000:00:1f.2-ata-2",
        "tran": "sata",
    }
    inventory = {
        "interfaces": [
            {
                "name": "eth0",
                "mac_address": mac,
                "ipv4_address": f"192.168.111.{octet}",
                "ipv6_address": None,
                "has_carrier": True,
                "lldp": None,
                "vendor": "0x8086",
                "product": "0x1572",
                "client_id": None,
                "speed_mbps": 10000,
                "pci_address": "0000:01:00.0",
                "driver": "i40e",
            }
        ],
        "cpu": {
            "model_name": "M3Fake CPU @ 2.40GHz",
            "frequency": "2400.0000",
            "count": cpu_count,
            "architecture": "x86_64",
            "flags": ["fpu", "vmx", "sse4_2", "aes", "avx2"],
            "socket_count": 1,
        },
        "memory": {"physical_mb": memory_mb, "total": memory_mb * 1024 * 1024 - 268435456},
        "disks": [ssd, hdd],
        "bmc_address": f"192.168.110.{octet}",
        "bmc_v6address": "::/0",
        "system_vendor": {
            "manufacturer": "M3Fake Inc.",
            "product_name": "M3Fake Server 1000",
            "serial_number": f"SN{serial}",
            "firmware": {"vendor": "M3Fake BIOS", "version": "1.2.3", "build_date": "01/15/2024"},
        },
        "boot": {"current_boot_mode": "uefi", "pxe_interface": mac},
        "hostname": f"host-{suffix}",
    }
    return {"inventory": inventory, "root_disk": ssd}
