"""Drift: every argument Ironic stores, changed through Ironic's API behind Terraform's back, shows
in the next plan (an in-place update, never a replacement), apply puts it back as configured
(checked in Ironic), and the plan after that is empty.

One host per argument, all in one working directory: one plan and one apply for all of them.
"""

import json

import pytest

from hostkit import (Workspace, fake_host, free_mac, purge_namespace, random_mac, resource,  # noqa: F401
                     unique_namespace, ws)
from ironic_log import IronicLog

ARGUMENTS = ["power", "boot_mac", "boot_mode", "cleaning", "image", "description", "bmc_address",
             "maintenance", "deployed_boot_mode", "fake_bmc_address"]


def changes_by_address(plan: dict) -> dict:
    return {c["address"]: c["change"] for c in plan.get("resource_changes", [])}


def changed_paths(change: dict) -> set[str]:
    """Top-level (and bmc.*) arguments whose value differs between before and after."""
    before, after = change.get("before") or {}, change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    out = set()
    for key in set(before) | set(after):
        if unknown.get(key) is True:
            continue
        if key == "bmc":
            for sub in set(before.get("bmc") or {}) | set(after.get("bmc") or {}):
                if (before.get("bmc") or {}).get(sub) != (after.get("bmc") or {}).get(sub):
                    out.add(f"bmc.{sub}")
        elif before.get(key) != after.get(key):
            out.add(key)
    return out


@pytest.mark.needs_resource
def test_changes_made_in_ironic_show_in_the_plan_and_apply_corrects_them(tmp_path, stack, ironic,
                                                                           provider_bin):
    ws = Workspace(tmp_path / "tf", stack, unique_namespace("drift"))
    log = IronicLog(stack)
    images = stack["images"]
    image = {"url": images["qcow2_url"], "checksum": images["qcow2_sha256"]}
    system = stack["redfish_systems"][1]
    free_mac(ironic, system["mac"])
    macs = {arg: random_mac() for arg in ARGUMENTS}
    hosts = {}
    for arg in ARGUMENTS:
        extra = {"inspection_mode": "disabled", "description": "as configured"}
        if arg in ("power", "image", "deployed_boot_mode"):
            extra["image"] = image
        hosts[arg] = fake_host(f"d-{arg.replace('_', '-')}", macs[arg], **extra)
    # The BMC address of a Redfish host is in Ironic's driver_info, where it can drift.
    hosts["bmc_address"] = {
        "name": "d-bmc-address",
        "boot_mac_address": system["mac"].lower(),
        "bmc": {"address": f"redfish+{stack['redfish_url']}/redfish/v1/Systems/{system['uuid']}",
                "username": stack["redfish_username"], "password": stack["redfish_password"]},
        "inspection_mode": "disabled",
        "automated_cleaning_mode": "disabled",
        "description": "as configured",
    }
    address = {arg: f"metal3_baremetal_host.{arg}" for arg in ARGUMENTS}
    try:
        ws.configure("".join(resource(arg, hosts[arg]) for arg in ARGUMENTS))
        ws.apply(timeout=900)
        ids = {arg: ws.resources()[address[arg]]["id"] for arg in ARGUMENTS}
        node = {arg: ironic.node(ids[arg]) for arg in ARGUMENTS}

        # Behind Terraform's back, one change per host.
        ironic.request("PUT", f"/v1/nodes/{ids['power']}/states/power", json={"target": "power off"},
                       expect=(202,))
        port = ironic.get("/v1/ports", params={"node": ids["boot_mac"]})["ports"][0]
        ironic.delete(f"/v1/ports/{port['uuid']}")
        ironic.post("/v1/ports", {"node_uuid": ids["boot_mac"], "address": random_mac(), "pxe_enabled": True})
        ironic.patch(f"/v1/nodes/{ids['boot_mode']}",
                     [{"op": "add", "path": "/properties/capabilities", "value": "boot_mode:bios"}])
        ironic.patch(f"/v1/nodes/{ids['cleaning']}", [{"op": "replace", "path": "/automated_clean", "value": False}])
        ironic.patch(f"/v1/nodes/{ids['image']}", [{"op": "add", "path": "/instance_info", "value": {
            "image_source": images["raw_url"], "image_checksum": images["raw_md5"]}}])
        ironic.move(ids["image"], "rebuild", "active")
        ironic.patch(f"/v1/nodes/{ids['description']}",
                     [{"op": "replace", "path": "/description", "value": "edited by hand"}])
        wrong = stack["redfish_url"].rsplit(":", 1)[0] + ":1"
        ironic.patch(f"/v1/nodes/{ids['bmc_address']}",
                     [{"op": "add", "path": "/driver_info/redfish_address", "value": wrong}])
        ironic.request("PUT", f"/v1/nodes/{ids['maintenance']}/maintenance",
                       json={"reason": "hands on the hardware"}, expect=(202,))
        # A deployed host boots with its instance_info's boot mode.
        ironic.patch(f"/v1/nodes/{ids['deployed_boot_mode']}",
                     [{"op": "add", "path": "/instance_info/capabilities", "value": {"boot_mode": "bios"}}])
        # A fake host's address lives only in the provider's record.
        ironic.patch(f"/v1/nodes/{ids['fake_bmc_address']}",
                     [{"op": "add", "path": "/extra/metal3_bmc_address", "value": "fake://somewhere-else"}])
        ironic.wait_power(ids["power"], "power off")

        mark = log.mark()
        plan = ws.saved_plan()
        assert log.mutating_requests_since(mark) == [], "a plan never writes to Ironic"
        changes = changes_by_address(plan)
        expected = {
            "power": {"online"}, "boot_mac": {"boot_mac_address"}, "boot_mode": {"boot_mode"},
            "cleaning": {"automated_cleaning_mode"}, "image": {"image"},
            "description": {"description"}, "bmc_address": {"bmc.address"}, "maintenance": set(),
            "deployed_boot_mode": {"boot_mode"}, "fake_bmc_address": {"bmc.address"},
        }
        for arg in ARGUMENTS:
            change = changes[address[arg]]
            assert change["actions"] == ["update"], (arg, change["actions"], plan["_stdout"])
            assert changed_paths(change) == expected[arg], (arg, changed_paths(change))
        assert "maintenance (hands on the hardware)" in plan["_stdout"], plan["_stdout"]
        assert "REDEPLOYED with " + images["qcow2_url"] in plan["_stdout"]
        assert "POWERED ON" in plan["_stdout"]

        ws.run("apply", "-input=false", "-auto-approve", "tfplan", timeout=900)
        now = {arg: ironic.node(ids[arg]) for arg in ARGUMENTS}
        assert now["power"]["power_state"] == "power on"
        ports = ironic.get("/v1/ports", params={"node": ids["boot_mac"]})["ports"]
        assert [p["address"] for p in ports] == [macs["boot_mac"]]
        assert now["boot_mode"]["properties"]["capabilities"] == node["boot_mode"]["properties"]["capabilities"]
        assert now["cleaning"]["automated_clean"] is True
        assert now["image"]["instance_info"]["image_source"] == images["qcow2_url"]
        assert now["description"]["description"] == "as configured"
        assert now["bmc_address"]["driver_info"]["redfish_address"] == \
            node["bmc_address"]["driver_info"]["redfish_address"]
        assert now["maintenance"]["maintenance"] is False
        assert now["deployed_boot_mode"]["instance_info"]["capabilities"] == {"boot_mode": "uefi"}
        assert now["deployed_boot_mode"]["provision_state"] == "active"
        assert now["fake_bmc_address"]["extra"]["metal3_bmc_address"] == "fake://d-fake-bmc-address"
        state = ws.resources()
        assert state[address["maintenance"]]["operational_status"] == "OK"
        assert state[address["maintenance"]]["maintenance_reason"] is None
        for arg in ARGUMENTS:  # same nodes: nothing was replaced
            assert state[address[arg]]["id"] == ids[arg]

        mark = log.mark()
        ws.assert_no_drift()
        assert log.mutating_requests_since(mark) == []
    finally:
        if ws.initialized and ws.has_state():
            ws.destroy(check=False, timeout=900)
        purge_namespace(ironic, ws.namespace)


@pytest.mark.needs_resource
def test_maintenance_reads_as_detached(ws, ironic):
    ws.configure(resource("host", fake_host("m-0", random_mac(), inspection_mode="disabled")))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    ironic.request("PUT", f"/v1/nodes/{uuid}/maintenance", json={"reason": ""}, expect=(202,))
    ws.run("apply", "-refresh-only", "-auto-approve", "-input=false")
    host = ws.resources()["metal3_baremetal_host.host"]
    assert host["operational_status"] == "detached"
    assert host["maintenance_reason"] == ""
    proc = ws.plan("-detailed-exitcode")
    assert proc.returncode == 2, proc.stdout
    assert "maintenance (no reason given)" in proc.stdout
    ws.apply()
    assert ironic.node(uuid)["maintenance"] is False
    ws.assert_no_drift()
