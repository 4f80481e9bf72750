#!/usr/bin/env python3
"""Create an `active` node directly in Ironic, as if the machine had been installed outside it.

Used by scripts/example.sh before the import-externally-provisioned example: the node gets
Metal3's name `<namespace>~<name>`, Ironic's fake-hardware driver, and is adopted (manageable ->
active) without any deployment. Idempotent: an existing active node is left alone.

Usage: precreate_active_node.py STACK_JSON NAMESPACE NAME IMAGE_URL [DESCRIPTION]
"""

import json
import sys
import time
import urllib.error
import urllib.request

API_VERSION = "1.81"
TIMEOUT_S = 120


def installed_node(node_name: str, image_url: str, description: str) -> dict:
    """The body of `POST /v1/nodes` for a fake-hardware machine installed from `image_url`
    outside Ironic (the acceptance tests create theirs with it too)."""
    return {
        "name": node_name,
        "driver": "fake-hardware",
        "boot_interface": "fake",
        "deploy_interface": "fake",
        "inspect_interface": "no-inspect",
        "management_interface": "fake",
        "power_interface": "fake",
        "instance_info": {"image_source": image_url},
        "description": description,
    }


class Ironic:
    def __init__(self, url: str):
        self.url = url.rstrip("/")

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("X-OpenStack-Ironic-API-Version", API_VERSION)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return None
            raise RuntimeError(f"{method} {path}: HTTP {err.code}: {err.read()[:500]!r}") from None
        return json.loads(text) if text else {}

    def set_state(self, node: str, target: str):
        # 409 while a previous transition is still running: retry.
        for _ in range(30):
            try:
                return self.call("PUT", f"/v1/nodes/{node}/states/provision", {"target": target})
            except RuntimeError as err:
                if "HTTP 409" not in str(err):
                    raise
                time.sleep(1)
        raise RuntimeError(f"node {node} stayed locked; could not {target}")

    def wait_for(self, node: str, wanted: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            state = self.call("GET", f"/v1/nodes/{node}")
            current = state["provision_state"]
            if current == wanted and not state.get("target_provision_state"):
                return state
            if current.endswith("failed"):
                raise RuntimeError(f"node {node} is {current}: {state.get('last_error')}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"node {node} still {current} after {TIMEOUT_S}s")
            time.sleep(0.5)


def main(argv) -> int:
    if len(argv) not in (5, 6):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    stack_json, namespace, name, image_url = argv[1:5]
    description = argv[5] if len(argv) == 6 else \
        "installed outside Terraform (examples/import-externally-provisioned)"
    with open(stack_json, encoding="utf-8") as f:
        ironic = Ironic(json.load(f)["ironic_url"])
    node_name = f"{namespace}~{name}"
    node = ironic.call("GET", f"/v1/nodes/{node_name}")
    if node is None:
        node = ironic.call("POST", "/v1/nodes", installed_node(node_name, image_url, description))
        print(f"created node {node_name} ({node['uuid']})")
    if node["provision_state"] == "active":
        print(f"node {node_name} is already active (since {node['provision_updated_at']})")
        return 0
    if node["provision_state"] == "enroll":
        ironic.set_state(node_name, "manage")
        ironic.wait_for(node_name, "manageable")
    ironic.set_state(node_name, "adopt")
    node = ironic.wait_for(node_name, "active")
    print(f"node {node_name} is active since {node['provision_updated_at']} (adopted, nothing deployed)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, RuntimeError, KeyError, ValueError) as err:
        print(f"precreate_active_node: {err}", file=sys.stderr)
        sys.exit(1)
