"""Shared pieces of the `metal3_baremetal_host` acceptance tests.

- `Workspace`: one Terraform working directory bound to one test namespace, with the provider
  block pointing at the test stack; thin wrappers for init/plan/apply/destroy/show/output.
- HCL helpers to write resources without string soup.
- Ironic views: the nodes of a namespace, and a purge that removes them whatever their state (so a
  failed test leaves nothing behind on the shared stack).

Every test uses its own namespace (`unique_namespace`), so tests can share one stack.
"""

import json
import secrets
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from m3stack.inventory import generate_inventory
from m3stack.testkit import PROVIDER_SOURCE, PROVIDER_VERSION, Ironic, IronicError, Terraform

PARALLELISM = "-parallelism=10"
HEADER = f"""terraform {{
  required_providers {{
    metal3 = {{
      source  = "{PROVIDER_SOURCE}"
      version = "{PROVIDER_VERSION}"
    }}
  }}
}}
"""


def unique_namespace(prefix: str = "acc") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def random_mac() -> str:
    # 52:54:02 keeps clear of the stack's own MACs (52:54:00 sushy, 52:54:01 test_stack).
    return "52:54:02:" + ":".join(f"{b:02x}" for b in secrets.token_bytes(3))


def hcl(value, indent: int = 0) -> str:
    """A Python value as an HCL expression (strings are JSON-quoted, which HCL accepts)."""
    pad = "  " * (indent + 1)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, str):
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, dict):
        lines = [f"{pad}{k} = {hcl(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(hcl(v, indent) for v in value) + "]"
    raise TypeError(f"no HCL for {value!r}")


class Raw:
    """An HCL expression written as is (references, function calls)."""

    def __init__(self, text: str):
        self.text = text


def resource(name: str, args: dict, blocks: dict | None = None, kind: str = "metal3_baremetal_host") -> str:
    body = "\n".join(f"  {k} = {hcl(v, 1)}" for k, v in args.items())
    for block_name, block_args in (blocks or {}).items():
        inner = "\n".join(f"    {k} = {hcl(v, 2)}" for k, v in block_args.items())
        body += f"\n  {block_name} {{\n{inner}\n  }}"
    return f'resource "{kind}" "{name}" {{\n{body}\n}}\n'


def fake_host(name: str, mac: str, **extra) -> dict:
    """Arguments of a fake-hardware host inspected by the stand-in agent."""
    args = {
        "name": name,
        "boot_mac_address": mac,
        "bmc": {"address": f"fake://{name}", "username": "admin", "password": "fake-secret"},
    }
    args.update(extra)
    return args


def enroll_fake_node(ironic: Ironic, name: str, mac: str) -> dict:
    """A fake-hardware node (agent inspection) with a boot port for `mac`, made directly in
    Ironic, in `enroll`: for tests of the stack itself, without the provider."""
    node = ironic.post("/v1/nodes", {
        "name": name,
        "driver": "fake-hardware",
        "boot_interface": "ipxe",
        "inspect_interface": "agent",
        "deploy_interface": "fake",
        "power_interface": "fake",
        "management_interface": "fake",
    })
    ironic.post("/v1/ports", {"node_uuid": node["uuid"], "address": mac, "pxe_enabled": True})
    return node


def write_inventory(stack: dict, mac: str, **changes) -> dict:
    """Pins what the agent posts for `mac` (inventories_dir/<mac>.json) and returns it."""
    doc = generate_inventory(mac)
    inv = doc["inventory"]
    if "ram_mb" in changes:
        inv["memory"]["physical_mb"] = changes["ram_mb"]
    if "hostname" in changes:
        inv["hostname"] = changes["hostname"]
    (Path(stack["inventories_dir"]) / f"{mac}.json").write_text(json.dumps(doc))
    return doc


def posted_inventory(stack: dict, mac: str) -> dict:
    doc = json.loads((Path(stack["posted_dir"]) / f"{mac.lower()}.json").read_text())
    return doc.get("inventory", doc)


class Workspace:
    """Terraform in one directory, configured for the test stack and one namespace."""

    def __init__(self, workdir: Path, stack: dict, namespace: str, env: dict | None = None):
        self.stack = stack
        self.namespace = namespace
        self.tf = Terraform(workdir, env=env)
        self.initialized = False

    @property
    def workdir(self) -> Path:
        return self.tf.workdir

    def provider_args(self, **overrides) -> dict:
        args = {
            "ironic_url": self.stack["ironic_url"],
            "namespace": self.namespace,
            "deploy_kernel_url": self.stack["deploy_kernel_url"],
            "deploy_ramdisk_url": self.stack["deploy_ramdisk_url"],
            "deploy_iso_url": self.stack["deploy_iso_url"],
        }
        args.update(overrides)
        return {k: v for k, v in args.items() if v is not None}

    def configure(self, body: str, provider: dict | None = None) -> Path:
        """Writes main.tf: header, provider block (defaults + `provider`), then `body`."""
        args = self.provider_args(**(provider or {}))
        provider_block = 'provider "metal3" {\n' + "\n".join(
            f"  {k} = {hcl(v, 1)}" for k, v in args.items()) + "\n}\n"
        return self.tf.write("main.tf", HEADER + "\n" + provider_block + "\n" + body)

    def run(self, *args: str, check: bool = True, timeout: float = 600):
        return self.tf.run(*args, "-no-color", check=check, timeout=timeout)

    def init(self):
        if not self.initialized:
            self.run("init", "-input=false")
            self.initialized = True

    def apply(self, *extra: str, check: bool = True, timeout: float = 600):
        self.init()
        return self.run("apply", "-input=false", "-auto-approve", PARALLELISM, *extra, check=check,
                        timeout=timeout)

    def plan(self, *extra: str, check: bool = False, timeout: float = 600):
        self.init()
        return self.run("plan", "-input=false", PARALLELISM, *extra, check=check, timeout=timeout)

    def assert_no_drift(self):
        proc = self.plan("-detailed-exitcode")
        assert proc.returncode == 0, (f"expected no changes (exit 0), got exit {proc.returncode}\n"
                                      f"{proc.stdout}\n{proc.stderr}")

    def saved_plan(self, *extra: str) -> dict:
        """`terraform plan -out` then `show -json` of that plan."""
        proc = self.plan("-out=tfplan", *extra)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        doc = json.loads(self.tf.run("show", "-json", "tfplan").stdout)
        doc["_stdout"] = proc.stdout
        return doc

    def destroy(self, check: bool = True, timeout: float = 600):
        self.init()
        return self.run("destroy", "-input=false", "-auto-approve", PARALLELISM, check=check,
                        timeout=timeout)

    def outputs(self) -> dict:
        out = json.loads(self.tf.run("output", "-json").stdout)
        return {k: v["value"] for k, v in out.items()}

    def show(self) -> dict:
        return json.loads(self.tf.run("show", "-json").stdout)

    def resources(self) -> dict:
        """State resources by address: their attribute values."""
        values = self.show().get("values") or {}
        return {r["address"]: r["values"] for r in values.get("root_module", {}).get("resources", [])}

    def has_state(self) -> bool:
        return (self.workdir / "terraform.tfstate").exists()


def node_name(namespace: str, name: str) -> str:
    return f"{namespace}~{name}"


def nodes_in(ironic: Ironic, namespace: str) -> list:
    nodes = ironic.get("/v1/nodes", params={"fields": "uuid,name,provision_state", "limit": 1000})["nodes"]
    return [n for n in nodes if (n.get("name") or "").startswith(f"{namespace}~")]


def purge_namespace(ironic: Ironic, namespace: str) -> None:
    """Deletes every node of the namespace, in whatever state (maintenance first if needed)."""
    for node in nodes_in(ironic, namespace):
        delete_node(ironic, node["uuid"])


def delete_node(ironic: Ironic, uuid: str) -> None:
    resp = ironic.request("DELETE", f"/v1/nodes/{uuid}", expect=(204, 404, 400, 409))
    if resp.status_code in (204, 404):
        return
    ironic.request("PUT", f"/v1/nodes/{uuid}/maintenance", json={"reason": "acceptance test cleanup"},
                   expect=(202, 404))
    deadline = time.monotonic() + 30
    while True:
        resp = ironic.request("DELETE", f"/v1/nodes/{uuid}", expect=(204, 404, 400, 409))
        if resp.status_code in (204, 404) or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def free_mac(ironic: Ironic, mac: str) -> None:
    """Deletes a leftover node holding a port with `mac` (e.g. a Redfish system's NIC)."""
    ports = ironic.get("/v1/ports", params={"address": mac, "fields": "node_uuid"})["ports"]
    for port in ports:
        delete_node(ironic, port["node_uuid"])


def json_diagnostics(stdout: str) -> list:
    """Diagnostics of `terraform validate -json` (one document) or `plan`/`apply -json` (one
    message a line)."""
    try:
        return json.loads(stdout).get("diagnostics", [])
    except ValueError:
        pass
    out = []
    for line in stdout.splitlines():
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if doc.get("type") == "diagnostic":
            out.append(doc["diagnostic"])
    return out


def flat(proc) -> str:
    """A run's output on one line: Terraform wraps long messages."""
    return " ".join((proc.stdout + proc.stderr).split())


@contextmanager
def workspaces(tmp_path: Path, stack: dict, ironic: Ironic, prefix: str, count: int = 2):
    """`count` working directories sharing one namespace (two configurations declaring the same
    hosts); destroyed and purged afterwards."""
    namespace = unique_namespace(prefix)
    spaces = [Workspace(tmp_path / f"ws{i}", stack, namespace) for i in range(count)]
    try:
        yield spaces
    finally:
        for workspace in reversed(spaces):
            if workspace.initialized and workspace.has_state():
                workspace.destroy(check=False)
        purge_namespace(ironic, namespace)


@pytest.fixture
def ws(tmp_path, stack, ironic, provider_bin):
    """A Workspace in a fresh namespace; destroys and purges the namespace afterwards."""
    workspace = Workspace(tmp_path / "tf", stack, unique_namespace())
    try:
        yield workspace
    finally:
        if workspace.initialized and workspace.has_state():
            try:
                workspace.destroy(check=False)
            except Exception as exc:  # cleanup must go on to the purge
                print(f"destroy during cleanup failed: {exc}")
        purge_namespace(ironic, workspace.namespace)


__all__ = ["IronicError", "Raw", "Workspace", "enroll_fake_node", "fake_host", "flat", "free_mac", "hcl", "json_diagnostics",
           "node_name", "nodes_in", "posted_inventory", "purge_namespace", "random_mac", "resource",
           "unique_namespace", "workspaces", "write_inventory", "ws", "PARALLELISM"]


@contextmanager
def held_inspection(stack: dict, mac: str):
    """The stand-in agent leaves the host with boot MAC `mac` in `inspect wait` until the block
    ends (or the yielded hold file is removed)."""
    hold = Path(stack["inventories_dir"]) / f"{mac}.hold"
    hold.touch()
    try:
        yield hold
    finally:
        hold.unlink(missing_ok=True)


@contextmanager
def background_apply(ws: "Workspace"):
    """`terraform apply` of `ws` running while the block runs (a Popen whose output is text);
    killed if it is still running when the block ends."""
    ws.init()
    apply = subprocess.Popen(
        [str(ws.tf.binary), "apply", "-input=false", "-auto-approve", "-no-color", PARALLELISM],
        cwd=ws.workdir, env=ws.tf.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield apply
    finally:
        if apply.poll() is None:
            apply.kill()
            apply.communicate()


def wait_for_state(ironic: Ironic, ident: str, wanted: str, apply: subprocess.Popen,
                   timeout: float = 90) -> dict:
    """The node `ident` once in provision state `wanted`, while `apply` still runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if apply.poll() is not None:
            raise AssertionError(f"terraform apply ended before the node reached {wanted!r}:\n"
                                 + apply.communicate()[0])
        resp = ironic.request("GET", f"/v1/nodes/{ident}", expect=(200, 404))
        if resp.status_code == 200 and resp.json()["provision_state"] == wanted:
            return resp.json()
        time.sleep(0.3)
    raise AssertionError(f"node {ident} never reached {wanted!r}")

