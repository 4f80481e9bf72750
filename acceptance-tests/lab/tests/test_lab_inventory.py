"""Inventory in real Terraform: a lab VM behind its emulated Redfish BMC, inspected by the real
Ironic Python Agent; the host's `hardware` equals the libvirt domain's definition and Ironic's
inventory; no drift; destroy leaves no node and the VM powered off. With
`automated_cleaning_mode = "disabled"` the disks are never written: a partition table and an ext4
filesystem seeded on each disk beforehand are still there, byte for byte, after apply and after
destroy, and Ironic's history has no cleaning."""

from hostkit import node_name
from labkit import domain, flows, history, raw_copy, seed_disks, seed_state, virsh, vm_host
from m3lab.e2e import check_inventory


def assert_seeds_intact(seeds: dict, tmp_path, when: str):
    for path, seed in seeds.items():
        raw = raw_copy(path, tmp_path / "disk.raw")
        try:
            assert seed_state(raw) == "intact", f"{path} {when}: the seed is {seed_state(raw)}"
            with open(raw, "rb") as f:
                assert f.read(len(seed)) == seed, f"{path} {when}: the seed's bytes changed"
        finally:
            raw.unlink()


def test_inventory_matches_the_domain(lab_ws, lab, vm, ironic, timed, tmp_path):
    with timed("seed the disks (offline)"):
        seeds = seed_disks(vm, tmp_path)
    dom = domain(vm["name"])
    lab_ws.configure(vm_host(lab, vm, "inventory", automated_cleaning_mode="disabled"))

    with timed("apply (enroll, inspect with the agent)"):
        lab_ws.apply(timeout=1500)
    host = lab_ws.outputs()["host"]
    assert host["provisioning_state"] == "available", host
    node = ironic.node(node_name(lab_ws.namespace, "inventory"))
    assert node["uuid"] == host["id"]
    assert node["provision_state"] == "available", (node["provision_state"], node["last_error"])
    assert node["driver"] == "redfish" and node["boot_interface"] == "redfish-virtual-media"
    assert node["inspect_interface"] == "agent"
    assert node["driver_info"]["redfish_system_id"] == vm["redfish_system_id"]

    # Ironic's inventory is what the real agent saw in the VM: it equals the domain's XML.
    inv = ironic.get(f"/v1/nodes/{node['uuid']}/inventory")["inventory"]
    assert check_inventory(inv, dom) == [], dom
    # and Terraform's hardware equals both.
    hw = host["hardware"]
    assert hw["cpu"]["count"] == dom["vcpus"] == inv["cpu"]["count"]
    assert hw["ram_mebibytes"] == dom["memory_mib"] == inv["memory"]["physical_mb"]
    assert sorted((d["serial_number"], d["size_bytes"]) for d in hw["storage"]) == \
        sorted((d["serial"], d["size_bytes"]) for d in dom["disks"])
    # One entry per address, as BMO lists them (IPv4 from the lab's dnsmasq, IPv6 link-local).
    assert sorted({n["mac"].lower() for n in hw["nics"]}) == dom["macs"], hw["nics"]
    assert {n["mac"].lower() for n in hw["nics"] if (n.get("ip") or "").startswith("192.168.222.")} \
        == set(dom["macs"]), hw["nics"]
    assert hw["cpu"]["arch"] == inv["cpu"]["architecture"] == "x86_64"
    assert hw["hostname"] == inv["hostname"]
    ports = ironic.get("/v1/ports/detail", params={"node_uuid": node["uuid"]})["ports"]
    # A port for each of the domain's NICs (the boot MAC's made before inspection).
    assert sorted(p["address"] for p in ports) == dom["macs"], ports

    # Cleaning disabled: no cleaning flow in Ironic's history, and the disks are as seeded.
    events = history(ironic, node["uuid"])
    assert not [e for e in events if "cleaning" in e["event_type"]], flows(events)
    assert_seeds_intact(seeds, tmp_path, "after apply")

    with timed("plan (no drift)"):
        lab_ws.assert_no_drift()

    with timed("destroy"):
        lab_ws.destroy(timeout=1500)
    assert ironic.request("GET", f"/v1/nodes/{node['uuid']}", expect=(404,)).status_code == 404
    for mac in dom["macs"]:
        assert ironic.get("/v1/ports", params={"address": mac})["ports"] == []
    assert virsh("domstate", vm["name"]).strip() == "shut off"  # power_off_on_destroy
    assert_seeds_intact(seeds, tmp_path, "after destroy")
    assert lab_ws.resources() == {}
