"""Provisioning: deploy an image verified by a checksum URL, redeploy another image in
place, deprovision by removing the image, then boot a live ISO with config drive data. After each
step Ironic's instance_info holds the image and `plan -detailed-exitcode` finds nothing to do."""

import json

from hostkit import fake_host, node_name, random_mac, resource, ws  # noqa: F401  (ws is a fixture)

ADDR = "metal3_baremetal_host.host"


def host_config(ws, mac: str, **extra) -> str:
    return resource("host", fake_host("prov-0", mac, **extra))


def change_of(plan: dict, address: str = ADDR) -> dict:
    changes = {c["address"]: c["change"] for c in plan.get("resource_changes", [])}
    assert address in changes, f"{address} not in the plan: {list(changes)}"
    return changes[address]


def instance_info_values(node: dict) -> set:
    return {v for v in node["instance_info"].values() if isinstance(v, str)}


def test_image_deploy_redeploy_deprovision_live_iso(ws, stack, ironic):
    images = stack["images"]
    mac = random_mac()

    # 1. Provision with a checksum URL.
    qcow2 = {"url": images["qcow2_url"], "checksum": images["qcow2_sha256_url"], "checksum_type": "sha256",
             "disk_format": "qcow2"}
    ws.configure(host_config(ws, mac, image=qcow2))
    ws.apply()
    state = ws.resources()[ADDR]
    node = ironic.node(node_name(ws.namespace, "prov-0"))
    assert node["uuid"] == state["id"]
    assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
    assert node["instance_info"]["image_source"] == images["qcow2_url"]
    assert images["qcow2_sha256_url"] in instance_info_values(node) or \
        node["instance_info"].get("image_os_hash_value") == images["qcow2_sha256"], node["instance_info"]
    assert state["provisioning_state"] == "provisioned"
    assert state["ironic_provision_state"] == "active"
    assert state["provisioned_image"]["url"] == images["qcow2_url"]
    deployed_at = node["provision_updated_at"]
    ws.assert_no_drift()

    # 2. Another image: an in-place update that redeploys (the plan says so), never a replace.
    raw = {"url": images["raw_url"], "checksum": images["raw_md5"], "checksum_type": "md5", "disk_format": "raw"}
    ws.configure(host_config(ws, mac, image=raw))
    plan = ws.saved_plan()
    change = change_of(plan)
    assert change["actions"] == ["update"], change["actions"]
    assert change["after_unknown"].get("provisioned_image") is True, change["after_unknown"]
    assert change["after_unknown"].get("provisioning_state") is True, change["after_unknown"]
    assert "REDEPLOY" in plan["_stdout"].upper(), plan["_stdout"]
    assert ironic.node(state["id"])["provision_updated_at"] == deployed_at, "plan must not touch the node"
    ws.apply()
    node = ironic.node(state["id"])
    assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
    assert node["instance_info"]["image_source"] == images["raw_url"]
    assert images["raw_md5"] in instance_info_values(node), node["instance_info"]
    state = ws.resources()[ADDR]
    assert state["provisioned_image"]["url"] == images["raw_url"]
    assert state["provisioned_image"]["checksum"] == images["raw_md5"]
    ws.assert_no_drift()

    # 3. No image: deprovisioned, back to available, same node.
    ws.configure(host_config(ws, mac))
    change = change_of(ws.saved_plan())
    assert change["actions"] == ["update"], change["actions"]
    ws.apply()
    node = ironic.node(state["id"])
    assert node["provision_state"] == "available", (node["provision_state"], node["last_error"])
    assert "image_source" not in node["instance_info"], node["instance_info"]
    state = ws.resources()[ADDR]
    assert state["provisioning_state"] == "available"
    assert state["provisioned_image"] is None
    ws.assert_no_drift()

    # 4. Live ISO with config drive data: Ironic's ramdisk deploy boots the ISO.
    network_data = json.dumps({"links": [], "networks": [], "services": []})
    ws.configure(host_config(ws, mac, image={"url": images["iso_url"], "disk_format": "live-iso"},
                             user_data="#cloud-config\nhostname: prov-0\n", network_data=network_data))
    ws.apply()
    node = ironic.node(state["id"])
    assert node["provision_state"] == "active", (node["provision_state"], node["last_error"])
    # As BMO does: Ironic's ramdisk deploy boots `boot_iso`; no image_source is left behind.
    assert node["instance_info"].get("boot_iso") == images["iso_url"], node["instance_info"]
    assert "image_source" not in node["instance_info"], node["instance_info"]
    assert node["deploy_interface"] == "ramdisk"
    assert node["instance_info"].get("configdrive"), f"no config drive given to Ironic: {node['instance_info']}"
    state = ws.resources()[ADDR]
    assert state["provisioning_state"] == "provisioned"
    assert state["provisioned_image"]["url"] == images["iso_url"]
    assert state["provisioned_image"]["disk_format"] == "live-iso"
    ws.assert_no_drift()
