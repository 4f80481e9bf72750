"""Nothing happens to a machine that the plan did not announce: one test per way it used to go
wrong, each asserted from Ironic (node fields, its API log and provision moves), not only from
Terraform's output. The whole matrix of states x operations is test_safety_matrix.py."""

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from hostkit import (PARALLELISM, fake_host, flat, free_mac, node_name, random_mac,  # noqa: F401
                     resource, workspaces, ws)
from ironic_log import IronicLog

pytestmark = pytest.mark.needs_resource


def qcow2(stack: dict) -> dict:
    return {"url": stack["images"]["qcow2_url"], "checksum": stack["images"]["qcow2_sha256"]}


def raw(stack: dict) -> dict:
    images = stack["images"]
    return {"url": images["raw_url"], "checksum": images["raw_md5"], "checksum_type": "md5",
            "disk_format": "raw"}


def power_requests(requests, uuid: str) -> list:
    return [r for r in requests if r.method == "PUT" and r.path == f"/v1/nodes/{uuid}/states/power"]


@pytest.mark.parametrize("power_off", [True, False])
def test_destroying_an_externally_provisioned_host_never_cleans_it(ws, stack, ironic, power_off):
    args = fake_host("adopted-0", random_mac(), externally_provisioned=True,
                     inspection_mode="disabled", image=qcow2(stack), power_off_on_destroy=power_off)
    ws.configure(resource("host", args))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    assert ironic.node(uuid)["provision_state"] == "active"

    ws.configure("")
    plan = ws.plan()
    assert "its disks are not touched (no deprovisioning, no cleaning)" in plan.stdout, plan.stdout
    assert ("powered off and removed" if power_off else "left powered as it is") in plan.stdout
    log = IronicLog(stack)
    mark = log.mark()
    ws.apply()
    assert ironic.request("GET", f"/v1/nodes/{uuid}", expect=(200, 404)).status_code == 404
    assert log.disk_events_since(mark, {uuid}) == {"cleaned": False, "deployed": False}
    moves = log.moves_since(mark, {uuid})
    assert moves == [], f"destroy moved the node through {moves}: it must only be deleted"
    assert bool(power_requests(log.requests_since(mark), uuid)) == power_off


def test_a_second_workspace_cannot_take_over_a_host(tmp_path, stack, ironic, provider_bin):
    mac = random_mac()
    with workspaces(tmp_path, stack, ironic, "probe") as (first, second):
        namespace = first.namespace
        first.configure(resource("host", fake_host("adopt-me", mac, image=qcow2(stack),
                                                   description="first")))
        first.apply()
        uuid = first.resources()["metal3_baremetal_host.host"]["id"]
        before = ironic.node(uuid)

        # Another working directory declares the same host with another image.
        second.configure(resource("host", fake_host("adopt-me", random_mac(), image=raw(stack),
                                                    description="second")))
        plan = second.plan()
        assert f"Ironic already has a node named {namespace}~adopt-me" in " ".join(plan.stdout.split())
        log = IronicLog(stack)
        mark = log.mark()
        refused = second.apply(check=False)
        assert refused.returncode != 0
        out = flat(refused)  # Terraform wraps lines
        assert "already exists" in out and f"terraform import <this resource's address> {namespace}/adopt-me" in out, out
        assert log.mutating_requests_since(mark) == [], "the refused create changed Ironic"
        after = ironic.node(uuid)
        for field in ("description", "driver_info", "extra", "instance_info", "updated_at",
                      "provision_updated_at"):
            assert after[field] == before[field], field
        assert second.resources() == {}, "nothing recorded for the refused create"
        # Destroying the second workspace touches nothing.
        second.destroy()
        assert ironic.node(uuid)["updated_at"] == before["updated_at"]

        # Two resources in one configuration with one name: refused at plan, nothing created.
        first.configure(resource("host", fake_host("adopt-me", mac, image=qcow2(stack),
                                                   description="first"))
                        + resource("twin", fake_host("twin-0", random_mac()))
                        + resource("twin_again", fake_host("twin-0", random_mac())))
        both = first.apply(check=False)
        out = flat(both)
        assert both.returncode != 0 and "Host declared twice" in out, out
        twins = [n for n in ironic.get("/v1/nodes", params={"fields": "name"})["nodes"]
                 if n["name"] == node_name(namespace, "twin-0")]
        assert twins == []


def test_a_refused_redeploy_leaves_ironic_and_state_as_they_were(ws, stack, ironic):
    ws.configure(resource("host", fake_host("protected-0", random_mac(), image=qcow2(stack))))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    # Ironic refuses to rebuild a protected node.
    ironic.patch(f"/v1/nodes/{uuid}", [{"op": "replace", "path": "/protected", "value": True}])
    try:
        ws.configure(resource("host", fake_host("protected-0", ironic.get(
            "/v1/ports", params={"node": uuid})["ports"][0]["address"], image=raw(stack))))
        failed = ws.apply(check=False)
        assert failed.returncode != 0 and "protected" in failed.stdout + failed.stderr, failed.stdout
        node = ironic.node(uuid)
        assert node["provision_state"] == "active"
        assert node["instance_info"]["image_source"] == stack["images"]["qcow2_url"]
        assert node["extra"]["metal3_image"]["url"] == stack["images"]["qcow2_url"]
        state = ws.resources()["metal3_baremetal_host.host"]
        assert state["provisioned_image"]["url"] == stack["images"]["qcow2_url"]
        # The change is still pending...
        assert ws.plan("-detailed-exitcode").returncode == 2
        # ...and reverting the configuration leaves nothing to do.
        ws.configure(resource("host", fake_host("protected-0", ironic.get(
            "/v1/ports", params={"node": uuid})["ports"][0]["address"], image=qcow2(stack))))
        ws.assert_no_drift()
    finally:
        ironic.patch(f"/v1/nodes/{uuid}", [{"op": "replace", "path": "/protected", "value": False}])


def test_a_description_can_be_cleared(ws, ironic):
    mac = random_mac()
    ws.configure(resource("host", fake_host("desc-0", mac, description="rack 7",
                                            inspection_mode="disabled")))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    ws.configure(resource("host", fake_host("desc-0", mac, inspection_mode="disabled")))
    ws.apply()
    assert ironic.node(uuid)["description"] is None
    ws.assert_no_drift()


def test_a_refused_live_iso_leaves_no_deployment_recorded(ws, stack, ironic):
    """A live ISO Ironic will not boot (here: its URL answers 404): whatever Ironic does with it,
    the state is what Ironic holds, and nothing claims an ISO is running on an undeployed host."""
    iso = {"url": stack["images"]["iso_url"] + ".missing", "disk_format": "live-iso"}
    ws.configure(resource("host", fake_host("iso-404", random_mac(), image=iso,
                                            inspection_mode="disabled",
                                            automated_cleaning_mode="disabled")))
    failed = ws.apply(check=False)
    assert failed.returncode != 0, failed.stdout
    host = ws.resources()["metal3_baremetal_host.host"]
    node = ironic.node(host["id"])
    if node["provision_state"] == "available":  # refused before anything started
        assert host["provisioned_image"] is None
        assert "boot_iso" not in node["instance_info"]
        assert "metal3_image" not in node["extra"]
    assert host["ironic_provision_state"] == node["provision_state"]


def redfish_host(stack: dict, index: int, name: str, **extra) -> dict:
    system = stack["redfish_systems"][index]
    args = {
        "name": name,
        "boot_mac_address": system["mac"].lower(),
        "bmc": {"address": f"redfish+{stack['redfish_url']}/redfish/v1/Systems/{system['uuid']}",
                "username": stack["redfish_username"], "password": stack["redfish_password"]},
        "inspection_mode": "disabled",
        "automated_cleaning_mode": "disabled",
    }
    args.update(extra)
    return args


@pytest.mark.parametrize("stuck", ["wait call-back", "clean wait"])
def test_a_host_stuck_waiting_for_an_agent_is_destroyed_in_one_go(ws, stack, ironic, stuck):
    """No agent ever calls back (sushy's systems boot nothing): a deploy waits in `wait call-back`
    (where `abort` is refused before API 1.110: destroy undeploys instead), automated cleaning in
    `clean wait` (aborted, after which Ironic powers the host off: destroy waits for that)."""
    free_mac(ironic, stack["redfish_systems"][0]["mac"])
    if stuck == "wait call-back":
        args = redfish_host(stack, 0, "stuck-0", image=qcow2(stack))
    else:
        args = redfish_host(stack, 0, "stuck-0", automated_cleaning_mode="metadata")
    ws.configure(resource("host", args))
    ws.init()
    apply = subprocess.Popen([str(ws.tf.binary), "apply", "-input=false", "-auto-approve", "-no-color"],
                             cwd=ws.workdir, env=ws.tf.env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        name = node_name(ws.namespace, "stuck-0")
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            resp = ironic.request("GET", f"/v1/nodes/{name}", expect=(200, 404))
            if resp.status_code == 200 and resp.json()["provision_state"] == stuck:
                break
            assert apply.poll() is None, apply.communicate()[0]
            time.sleep(0.5)
        else:
            raise AssertionError(f"the host never reached {stuck}")
        apply.send_signal(signal.SIGINT)
        apply.communicate(timeout=60)
    finally:
        if apply.poll() is None:
            apply.kill()
            apply.communicate()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    log = IronicLog(stack)
    mark = log.mark()
    ws.destroy(timeout=300)  # one destroy, which must succeed
    assert ironic.request("GET", f"/v1/nodes/{uuid}", expect=(200, 404)).status_code == 404
    provision = [r for r in log.requests_since(mark) if r.path == f"/v1/nodes/{uuid}/states/provision"]
    # Accepted, or busy and retried (409); never refused (406: `abort` in wait call-back).
    assert provision and all(r.status in (202, 409) for r in provision), provision
    assert provision[-1].status == 202, provision


def test_unadopting_a_host_without_an_image_is_announced_as_a_deprovision(ws, stack, ironic):
    mac = random_mac()
    adopted = fake_host("unadopt-0", mac, externally_provisioned=True, inspection_mode="disabled")
    ws.configure(resource("host", adopted))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    ws.configure(resource("host", adopted | {"externally_provisioned": False}))
    plan = " ".join(ws.plan().stdout.split())
    assert "externally_provisioned = false without an image: the host is DEPROVISIONED: its " \
           "disks are CLEANED" in plan, plan
    log = IronicLog(stack)
    mark = log.mark()
    ws.apply()
    assert log.disk_events_since(mark, {uuid}) == {"cleaned": True, "deployed": False}
    assert ironic.node(uuid)["provision_state"] == "available"
    ws.assert_no_drift()


def test_refused_bmc_credentials_are_what_the_state_then_holds(ws, stack, ironic):
    """New BMC credentials reach Ironic and the BMC refuses them: Ironic holds the wrong ones, so
    does the state, and putting the right ones back is a change the next plan shows."""
    free_mac(ironic, stack["redfish_systems"][2]["mac"])
    good = redfish_host(stack, 2, "creds-0")
    ws.configure(resource("host", good))
    ws.apply(timeout=300)
    uuid = ws.resources()["metal3_baremetal_host.host"]["id"]
    wrong = good | {"bmc": good["bmc"] | {"password": "Wr0ng-Pa55-XYZ"}}
    ws.configure(resource("host", wrong))
    failed = ws.apply(check=False, timeout=300)
    out = flat(failed)
    assert failed.returncode != 0 and "the BMC refused the new credentials" in out, out
    assert "Wr0ng-Pa55-XYZ" not in out
    ws.configure(resource("host", good))
    plan = ws.plan("-detailed-exitcode")
    assert plan.returncode == 2, "putting the right password back must be a change\n" + plan.stdout
    assert "BMC credentials change" in " ".join(plan.stdout.split())
    ws.apply(timeout=300)
    ironic.request("PUT", f"/v1/nodes/{uuid}/states/power", json={"target": "power off"}, expect=(202,))
    assert ironic.wait_power(uuid, "power off")["last_error"] is None
    ws.run("apply", "-refresh-only", "-auto-approve", "-input=false")


def test_a_node_renamed_in_ironic_is_named_back_and_keeps_its_mac(tmp_path, stack, ironic, provider_bin):
    mac = random_mac()
    config = resource("host", fake_host("named-0", mac, inspection_mode="disabled"))
    with workspaces(tmp_path, stack, ironic, "rename") as (first, second):
        namespace = first.namespace
        first.configure(config)
        first.apply()
        uuid = first.resources()["metal3_baremetal_host.host"]["id"]
        ironic.patch(f"/v1/nodes/{uuid}", [{"op": "replace", "path": "/name",
                                             "value": f"{namespace}~named-0-renamed"}])
        plan = first.saved_plan()
        [change] = [c for c in plan["resource_changes"] if c["address"] == "metal3_baremetal_host.host"]
        assert change["change"]["actions"] == ["update"], change["change"]["actions"]
        assert f"renamed to {namespace}~named-0-renamed outside Terraform" in " ".join(plan["_stdout"].split())

        # Meanwhile the name is free, but the machine is not: a second configuration cannot
        # enroll it again.
        second.configure(config)
        log = IronicLog(stack)
        mark = log.mark()
        refused = second.apply(check=False)
        out = flat(refused)
        assert refused.returncode != 0 and "already belongs to another Ironic node" in out, out
        assert log.mutating_requests_since(mark) == [], "nothing is created"
        assert second.resources() == {}

        first.run("apply", "-input=false", "-auto-approve", "tfplan")
        assert ironic.node(uuid)["name"] == f"{namespace}~named-0"
        first.assert_no_drift()


def test_a_lost_available_host_keeps_its_hardware_and_is_not_inspected_again(ws, stack, ironic):
    mac = random_mac()
    ws.configure(resource("host", fake_host("lost-0", mac)))
    ws.apply()
    before = ws.resources()["metal3_baremetal_host.host"]
    assert before["hardware"]["cpu"]["count"] > 0
    posted = Path(stack["posted_dir"]) / f"{mac}.json"
    posted_at = posted.stat().st_mtime
    ironic.patch(f"/v1/nodes/{before['id']}", [{"op": "replace", "path": "/maintenance", "value": True}])
    ironic.delete(f"/v1/nodes/{before['id']}")

    log = IronicLog(stack)
    mark = log.mark()
    ws.run("apply", "-refresh-only", "-auto-approve", "-input=false")
    kept = ws.resources()["metal3_baremetal_host.host"]
    assert kept["id"] == before["id"] and kept["operational_status"] == "detached"
    assert kept["ironic_provision_state"] is None and kept["hardware"] == before["hardware"]
    plan = ws.saved_plan()
    assert log.mutating_requests_since(mark) == []
    [change] = [c for c in plan["resource_changes"] if c["address"] == "metal3_baremetal_host.host"]
    assert change["change"]["actions"] == ["update"], change["change"]["actions"]
    assert "keeping its hardware details (no inspection)" in plan["_stdout"], plan["_stdout"]

    ws.run("apply", "-input=false", "-auto-approve", "tfplan")
    after = ws.resources()["metal3_baremetal_host.host"]
    assert after["id"] != before["id"]
    assert after["hardware"] == before["hardware"]
    assert after["provisioning_state"] == "available"
    node = ironic.node(after["id"])
    # The spec's interfaces, not a reduced set for re-registration.
    assert node["inspect_interface"] == "agent" and node["boot_interface"] == "ipxe"
    assert not any(m.state in ("inspecting", "inspect wait") for m in log.moves_since(mark, {after["id"]}))
    assert posted.stat().st_mtime == posted_at, "the agent inspected the host again"
    ws.assert_no_drift()
