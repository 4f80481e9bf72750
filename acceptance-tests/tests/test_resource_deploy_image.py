"""`deploy_image`: a host's own agent in place of the provider's, as Ironic holds it (the node's
driver_info), through create, change, drift behind Terraform's back and removal; nothing is
rebooted or re-provisioned by any of it."""

import json

from hostkit import fake_host, random_mac, resource, ws  # noqa: F401 (fixture)

OWN = {"kernel_url": "http://127.0.0.1:9/own/agent.kernel",
       "ramdisk_url": "http://127.0.0.1:9/own/agent.initramfs"}


def host(mac: str, **extra) -> str:
    return resource("host", fake_host("agent-0", mac, inspection_mode="disabled",
                                      automated_cleaning_mode="disabled", **extra))


def agent(node: dict) -> tuple:
    info = node["driver_info"]
    return info.get("deploy_kernel"), info.get("deploy_ramdisk")


def test_a_hosts_own_agent_is_set_changed_kept_and_given_back(ws, stack, ironic):
    mac = random_mac()
    ws.configure(host(mac, deploy_image=OWN))
    ws.apply()
    state = ws.resources()["metal3_baremetal_host.host"]
    uuid = state["id"]
    assert agent(ironic.node(uuid)) == (OWN["kernel_url"], OWN["ramdisk_url"])
    assert state["deploy_image"] == OWN | {"iso_url": None}
    ws.assert_no_drift()
    before = ironic.node(uuid)

    # A new kernel: an in-place update of the node, nothing else.
    newer = OWN | {"kernel_url": "http://127.0.0.1:9/own/agent-2.kernel"}
    ws.configure(host(mac, deploy_image=newer))
    plan = ws.saved_plan()
    change = next(c for c in plan["resource_changes"] if c["address"] == "metal3_baremetal_host.host")
    assert change["change"]["actions"] == ["update"], json.dumps(change["change"])
    ws.apply()
    after = ironic.node(uuid)
    assert agent(after) == (newer["kernel_url"], newer["ramdisk_url"])
    assert (after["provision_state"], after["power_state"]) == \
        (before["provision_state"], before["power_state"])

    # Changed in Ironic behind Terraform's back: the plan shows it, apply puts it back.
    ironic.patch(f"/v1/nodes/{uuid}", [{"op": "add", "path": "/driver_info/deploy_ramdisk",
                                        "value": "http://127.0.0.1:9/someone-else.initramfs"}])
    drift = ws.plan("-detailed-exitcode")
    assert drift.returncode == 2, drift.stdout + drift.stderr
    assert "someone-else.initramfs" in drift.stdout and "ramdisk_url" in drift.stdout
    ws.apply()
    assert agent(ironic.node(uuid)) == (newer["kernel_url"], newer["ramdisk_url"])
    ws.assert_no_drift()

    # Removed: the provider's agent again.
    ws.configure(host(mac))
    ws.apply()
    assert agent(ironic.node(uuid)) == (stack["deploy_kernel_url"], stack["deploy_ramdisk_url"])
    assert ws.resources()["metal3_baremetal_host.host"]["deploy_image"] is None
    ws.assert_no_drift()
