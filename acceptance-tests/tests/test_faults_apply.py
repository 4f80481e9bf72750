"""Under faults, apply keeps the plan's word, read from Ironic itself: an operator's maintenance
set after the plan (or during a create) stops apply without undoing it, and a destroy whose
planned power-off fails keeps the host instead of reporting a clean removal."""

import signal
import socket
import sqlite3
import time
from pathlib import Path

import pytest

from hostkit import (PARALLELISM, background_apply, fake_host, flat, free_mac, held_inspection,  # noqa: F401,E501
                     node_name, random_mac, resource, wait_for_state, ws)
from ironic_log import IronicLog
from m3stack.stack import Stack


def qcow2(stack: dict) -> dict:
    return {"url": stack["images"]["qcow2_url"], "checksum": stack["images"]["qcow2_sha256"]}


def maintenance_ended(requests, uuid: str) -> list:
    return [r for r in requests if r.method == "DELETE" and r.path == f"/v1/nodes/{uuid}/maintenance"]


def provision_requests(requests, uuid: str) -> list:
    return [r for r in requests if r.path == f"/v1/nodes/{uuid}/states/provision"]


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_maintenance_set_after_the_plan_stops_apply_and_stays(ws, stack, ironic):
    mac = random_mac()
    ws.configure(resource("host", fake_host("dimm-0", mac, inspection_mode="disabled")))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    assert ironic.node(uuid)["provision_state"] == "available"

    # The plan deploys an image; then an operator takes the host for a bad DIMM.
    ws.configure(resource("host", fake_host("dimm-0", mac, inspection_mode="disabled", image=qcow2(stack))))
    saved = ws.saved_plan()
    assert "maintenance" not in saved["_stdout"]
    ironic.request("PUT", f"/v1/nodes/{uuid}/maintenance", json={"reason": "bad DIMM"}, expect=(202,))
    log = IronicLog(stack)
    mark = log.mark()
    proc = ws.run("apply", "-input=false", PARALLELISM, "tfplan", check=False)
    out = flat(proc)
    assert proc.returncode != 0, out
    assert "in maintenance (bad DIMM)" in out and "stopped" in out, out
    requests = log.requests_since(mark)
    assert maintenance_ended(requests, uuid) == [], "apply undid the operator's maintenance"
    assert provision_requests(requests, uuid) == [], "apply acted on a host in maintenance"
    node = ironic.node(uuid)
    assert node["maintenance"] is True and node["maintenance_reason"] == "bad DIMM"
    assert node["provision_state"] == "available" and not node["instance_info"].get("image_source")

    # A new plan sees the maintenance and says it ends it: only that apply may.
    plan = " ".join(ws.plan().stdout.split())
    assert "in maintenance (bad DIMM)" in plan, plan
    ws.apply()
    node = ironic.node(uuid)
    assert node["maintenance"] is False and node["provision_state"] == "active"
    ws.destroy()


def test_maintenance_set_during_a_create_stops_it_promptly(ws, stack, ironic):
    mac = random_mac()
    with held_inspection(stack, mac):  # the stand-in agent leaves this node in `inspect wait`
        ws.configure(resource("host", fake_host("held-0", mac), blocks={"timeouts": {"create": "5m"}}))
        with background_apply(ws) as apply:
            uuid = wait_for_state(ironic, node_name(ws.namespace, "held-0"), "inspect wait", apply)["uuid"]
            log = IronicLog(stack)
            mark = log.mark()
            ironic.request("PUT", f"/v1/nodes/{uuid}/maintenance", json={"reason": "bad DIMM"},
                           expect=(202,))
            set_at = time.monotonic()
            output, _ = apply.communicate(timeout=120)
            took = time.monotonic() - set_at
        assert apply.returncode != 0, output
        assert "in maintenance (bad DIMM)" in " ".join(output.split()), output
        assert "Creation complete" not in output, output
        assert took < 30, f"apply took {took:.0f}s to stop after maintenance was set"
        assert maintenance_ended(log.requests_since(mark), uuid) == []
        node = ironic.node(uuid)
        assert node["maintenance"] is True and node["maintenance_reason"] == "bad DIMM"
        assert node["provision_state"] == "inspect wait"
    # Cleanup: the tainted host's replacement is what the next plan says; here, just destroy.
    ironic.request("DELETE", f"/v1/nodes/{uuid}/maintenance", expect=(202,))
    ws.destroy()


def test_a_failed_power_off_fails_the_destroy_and_keeps_the_host(ws, stack, ironic):
    system = stack["redfish_systems"][-1]
    free_mac(ironic, system["mac"])
    bmc = {"address": f"redfish+{stack['redfish_url']}/redfish/v1/Systems/{system['uuid']}",
           "username": stack["redfish_username"], "password": stack["redfish_password"]}
    args = {"name": "poweroff-0", "bmc": bmc, "boot_mac_address": system["mac"],
            "inspection_mode": "disabled", "automated_cleaning_mode": "disabled", "online": True}
    ws.configure(resource("host", args, blocks={"timeouts": {"delete": "4m"}}))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    assert ironic.node(uuid)["power_state"] == "power on"
    good = ironic.node(uuid)["driver_info"]["redfish_address"]
    # The BMC stops answering (behind Terraform's back).
    ironic.patch(f"/v1/nodes/{uuid}", [{"op": "replace", "path": "/driver_info/redfish_address",
                                        "value": closed_port_url()}])
    try:
        proc = ws.destroy(check=False)
        out = flat(proc)
        assert proc.returncode != 0, out
        assert "could not be powered off" in out and "Destroy complete" not in out, out
        assert "power_off_on_destroy = false" in out, out
        assert stack["redfish_password"] not in proc.stdout + proc.stderr
        # Still in Ironic and in Terraform's state: nothing was removed.
        assert ironic.request("GET", f"/v1/nodes/{uuid}", expect=(200, 404)).status_code == 200
        assert "metal3_baremetal_host.host" in ws.resources()
    finally:
        node = ironic.node(uuid)
        ironic.patch(f"/v1/nodes/{uuid}", [{"op": "replace", "path": "/driver_info/redfish_address",
                                            "value": good}])
        if node["maintenance"]:
            ironic.request("DELETE", f"/v1/nodes/{uuid}/maintenance", expect=(202,))
    # With the BMC back, the destroy the plan announced happens: powered off, then removed.
    log = IronicLog(stack)
    mark = log.mark()
    ws.destroy()
    assert ironic.request("GET", f"/v1/nodes/{uuid}", expect=(200, 404)).status_code == 404
    powers = [r for r in log.requests_since(mark) if r.path == f"/v1/nodes/{uuid}/states/power"]
    assert powers, "the destroy did not power the host off"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_ironic_restarted_while_a_create_waits_is_waited_for_not_tainted(ws, stack, ironic, sig):
    """Ironic stops (gracefully, or killed) and comes back while the host waits for its
    inspection: the apply waits it out and finishes with the same node, nothing tainted."""
    mac = random_mac()
    name = node_name(ws.namespace, "restart-0")
    with held_inspection(stack, mac) as hold:
        ws.configure(resource("host", fake_host("restart-0", mac)))
        with background_apply(ws) as apply:
            uuid = wait_for_state(ironic, name, "inspect wait", apply)["uuid"]
            Stack(Path(stack["log_dir"]).parent).restart_ironic("noauth", sig, down_for=3)
            hold.unlink()
            output, _ = apply.communicate(timeout=300)
        assert apply.returncode == 0, output
    host = ws.resources()["metal3_baremetal_host.host"]
    assert host["id"] == uuid and host["provisioning_state"] == "available"
    tainted = [r for r in ws.show()["values"]["root_module"]["resources"] if r.get("tainted")]
    assert tainted == []
    assert [n["uuid"] for n in ironic.get("/v1/nodes", params={"fields": "uuid,name"})["nodes"]
            if n["name"] == name] == [uuid], "a second node was made"
    ws.assert_no_drift()
    ws.destroy()


def test_maintenance_set_after_a_destroy_plan_stops_the_destroy(ws, stack, ironic):
    ws.configure(resource("host", fake_host("gone-0", random_mac(), inspection_mode="disabled")))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    ws.init()
    proc = ws.run("plan", "-destroy", "-out=destroy.tfplan", "-input=false")
    assert "maintenance" not in proc.stdout
    ironic.request("PUT", f"/v1/nodes/{uuid}/maintenance", json={"reason": "bad DIMM"}, expect=(202,))
    log = IronicLog(stack)
    mark = log.mark()
    proc = ws.run("apply", "-input=false", "destroy.tfplan", check=False)
    out = flat(proc)
    assert proc.returncode != 0 and "in maintenance (bad DIMM)" in out, out
    assert [r for r in log.mutating_requests_since(mark) if uuid in r.path] == []
    node = ironic.node(uuid)
    assert node["maintenance"] is True and node["maintenance_reason"] == "bad DIMM"
    assert "metal3_baremetal_host.host" in ws.resources()
    # A destroy planned now shows the maintenance, and ends it: the host goes.
    ws.destroy()
    assert ironic.request("GET", f"/v1/nodes/{uuid}", expect=(200, 404)).status_code == 404


def test_a_step_ironic_fails_on_restart_is_taken_again_in_place(ws, stack, ironic):
    """Ironic crashes while the host is inspecting and, restarted, fails the node ("The
    inspecting state can't be resumed by conductor ..."), as it does for every transient state:
    the apply takes the inspection again on the same node instead of tainting it."""
    mac = random_mac()
    name = node_name(ws.namespace, "crash-0")

    def mid_inspection(db: Path) -> None:
        # What a crash leaves: the node in a transient state, its lock gone with the process.
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE nodes SET provision_state = 'inspecting', "
                         "target_provision_state = 'manageable', reservation = NULL WHERE name = ?",
                         (name,))

    with held_inspection(stack, mac) as hold:
        ws.configure(resource("host", fake_host("crash-0", mac)))
        with background_apply(ws) as apply:
            uuid = wait_for_state(ironic, name, "inspect wait", apply)["uuid"]
            log = IronicLog(stack)
            mark = log.mark()
            Stack(Path(stack["log_dir"]).parent).restart_ironic("noauth", signal.SIGKILL,
                                                                while_down=mid_inspection)
            hold.unlink()
            output, _ = apply.communicate(timeout=300)
        assert apply.returncode == 0, output
    # The restarted Ironic failed the node: its history says why. (Read afterwards: under load
    # the apply may take the inspection again before a read right after the restart.)
    events = ironic.get(f"/v1/nodes/{uuid}/history?detail=true")["history"]
    assert any("can't be resumed" in e["event"] for e in events), [e["event"] for e in events]
    host = ws.resources()["metal3_baremetal_host.host"]
    assert host["id"] == uuid and host["provisioning_state"] == "available"
    assert [r for r in ws.show()["values"]["root_module"]["resources"] if r.get("tainted")] == []
    # Recovered in place: manage and inspect again on the same node, one node in all.
    moves = [(m.previous, m.state) for m in log.moves_since(mark, {uuid})]
    assert ("inspecting", "inspect failed") in moves or ("inspect wait", "inspect failed") in moves \
        or any(new == "inspect failed" for _, new in moves), moves
    assert ("inspect failed", "manageable") in moves and ("manageable", "inspecting") in moves, moves
    assert [n["uuid"] for n in ironic.get("/v1/nodes", params={"fields": "uuid,name"})["nodes"]
            if n["name"] == name] == [uuid]
    ws.destroy()
