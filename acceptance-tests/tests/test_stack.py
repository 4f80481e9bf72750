"""The test stack itself behaves as the other tests rely on (the stack.json contract)."""

import hashlib
import json
import secrets
from pathlib import Path

import pytest
import requests

from m3stack.inventory import generate_inventory
from m3stack.testkit import Ironic

from hostkit import enroll_fake_node


def random_mac() -> str:
    return "52:54:01:" + ":".join(f"{b:02x}" for b in secrets.token_bytes(3))


def version_tuple(text: str) -> tuple:
    major, minor = text.split(".")
    return int(major), int(minor)


def create_fake_node(ironic: Ironic, mac: str) -> dict:
    return enroll_fake_node(ironic, f"m3test-{mac.replace(':', '')}", mac)


def test_stack_json_has_the_contract_keys(stack):
    for key in ("ironic_url", "ironic_basic_url", "ironic_basic_username", "ironic_basic_password",
                "redfish_url", "redfish_username", "redfish_password", "redfish_systems",
                "file_server_url", "deploy_kernel_url", "deploy_ramdisk_url", "deploy_iso_url",
                "images", "inventories_dir", "posted_dir", "log_dir"):
        assert key in stack, key
        if key.endswith("_url"):
            assert not stack[key].endswith("/"), key
    assert set(stack["images"]) == {"qcow2_url", "qcow2_sha256", "qcow2_sha256_url", "raw_url", "raw_md5",
                                    "iso_url"}
    assert len(stack["redfish_systems"]) == 3
    for system in stack["redfish_systems"]:
        assert set(system) == {"uuid", "name", "mac"}


def test_ironic_serves_recent_microversions(stack):
    root = requests.get(stack["ironic_url"] + "/", timeout=10).json()
    assert version_tuple(root["default_version"]["version"]) >= (1, 90)
    assert root["default_version"]["min_version"] == "1.1"


def test_basic_auth_ironic_requires_credentials(stack):
    url = stack["ironic_basic_url"] + "/v1/nodes"
    user, password = stack["ironic_basic_username"], stack["ironic_basic_password"]
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, auth=(user, password + "x"), timeout=10).status_code == 401
    assert requests.get(url, auth=(user, password), timeout=10).status_code == 200
    assert requests.get(stack["ironic_basic_url"] + "/", timeout=10).status_code == 200


def test_file_server_images_match_their_checksums(stack):
    images = stack["images"]
    qcow2 = requests.get(images["qcow2_url"], timeout=10).content
    assert qcow2[:4] == b"QFI\xfb"
    assert hashlib.sha256(qcow2).hexdigest() == images["qcow2_sha256"]
    assert requests.get(images["qcow2_sha256_url"], timeout=10).text.split()[0] == images["qcow2_sha256"]
    raw = requests.get(images["raw_url"], timeout=10).content
    assert hashlib.md5(raw).hexdigest() == images["raw_md5"]
    for key in ("iso_url",):
        assert requests.get(images[key], timeout=10).status_code == 200
    for key in ("deploy_kernel_url", "deploy_ramdisk_url", "deploy_iso_url"):
        assert requests.get(stack[key], timeout=10).status_code == 200


def test_fake_node_full_lifecycle_with_agent_inspection(stack, ironic):
    mac = random_mac()
    node = create_fake_node(ironic, mac)
    uuid = node["uuid"]
    assert node["provision_state"] == "enroll"

    ironic.move(uuid, "manage", "manageable")
    inspected = ironic.move(uuid, "inspect", "manageable")
    assert inspected["properties"].get("cpu_arch") == "x86_64"

    posted = json.loads((Path(stack["posted_dir"]) / f"{mac}.json").read_text())
    served = ironic.get(f"/v1/nodes/{uuid}/inventory")
    assert served["inventory"] == posted["inventory"]
    assert served["inventory"]["interfaces"][0]["mac_address"] == mac
    assert {d["rotational"] for d in served["inventory"]["disks"]} == {True, False}

    ironic.move(uuid, "provide", "available")
    ironic.patch(f"/v1/nodes/{uuid}", [
        {"op": "add", "path": "/instance_info/image_source", "value": stack["images"]["qcow2_url"]},
        {"op": "add", "path": "/instance_info/image_checksum", "value": stack["images"]["qcow2_sha256"]},
    ])
    active = ironic.move(uuid, "active", "active")
    assert active["instance_info"]["image_source"] == stack["images"]["qcow2_url"]
    ironic.move(uuid, "deleted", "available")
    ironic.delete(f"/v1/nodes/{uuid}")
    assert ironic.request("GET", f"/v1/nodes/{uuid}", expect=(404,)).status_code == 404


def test_agent_posts_inventory_file_when_present(stack, ironic):
    mac = random_mac()
    custom = {"inventory": generate_inventory(mac)["inventory"]}
    custom["inventory"]["hostname"] = "from-inventories-dir"
    (Path(stack["inventories_dir"]) / f"{mac}.json").write_text(json.dumps(custom))
    uuid = create_fake_node(ironic, mac)["uuid"]
    try:
        ironic.move(uuid, "manage", "manageable")
        ironic.move(uuid, "inspect", "manageable")
        assert ironic.get(f"/v1/nodes/{uuid}/inventory")["inventory"]["hostname"] == "from-inventories-dir"
    finally:
        ironic.delete(f"/v1/nodes/{uuid}")


def test_basic_auth_ironic_inspects_too(stack, ironic_basic):
    mac = random_mac()
    uuid = create_fake_node(ironic_basic, mac)["uuid"]
    ironic_basic.move(uuid, "manage", "manageable")
    ironic_basic.move(uuid, "inspect", "manageable")
    assert (Path(stack["posted_dir"]) / f"{mac}.json").exists()
    ironic_basic.delete(f"/v1/nodes/{uuid}")


@pytest.mark.parametrize("right_password", [True, False])
def test_redfish_node_manages_against_sushy(stack, ironic, right_password):
    system = stack["redfish_systems"][0 if right_password else 1]
    password = stack["redfish_password"] if right_password else "wrong-password"
    node = ironic.post("/v1/nodes", {
        "driver": "redfish",
        "driver_info": {
            "redfish_address": stack["redfish_url"],
            "redfish_system_id": f"/redfish/v1/Systems/{system['uuid']}",
            "redfish_username": stack["redfish_username"],
            "redfish_password": password,
        },
        "inspect_interface": "no-inspect",
    })
    uuid = node["uuid"]
    try:
        ironic.set_provision_state(uuid, "manage")
        if right_password:
            managed = ironic.wait_provision_state(uuid, "manageable")
            assert managed["power_state"] in ("power off", "power on")
        else:
            failed = ironic.wait_provision_state(uuid, "enroll", timeout=90)
            assert failed["last_error"], "a wrong BMC password must leave an error"
    finally:
        ironic.delete(f"/v1/nodes/{uuid}")


def test_terraform_launcher_is_terraform_1_15_5(terraform):
    out = terraform.run("version").stdout
    assert out.splitlines()[0] == "Terraform v1.15.5"
