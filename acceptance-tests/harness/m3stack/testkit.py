"""Helpers for tests that use the stack: an Ironic REST helper and a Terraform runner."""

import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import requests

PROJECT_ROOT = Path(__file__).resolve().parents[3]
API_VERSION = "1.95"
_WORKSPACE = tomllib.loads((PROJECT_ROOT / "Cargo.toml").read_text())["workspace"]
PROVIDER_ADDRESS = _WORKSPACE["metadata"]["provider"]["address"]
PROVIDER_VERSION = _WORKSPACE["package"]["version"]
# `source` in required_providers: the address without the default registry host.
PROVIDER_SOURCE = PROVIDER_ADDRESS.removeprefix("registry.terraform.io/")
FAILED_STATES = {"inspect failed", "clean failed", "deploy failed", "error",
                 "adopt failed", "rescue failed", "unrescue failed", "service failed"}


class IronicError(AssertionError):
    pass


class Ironic:
    """Thin requests wrapper: base URL, microversion header, optional basic auth, 409 retries."""

    def __init__(self, url: str, auth=None, version: str = API_VERSION):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        self.http.auth = auth
        self.http.headers["X-OpenStack-Ironic-API-Version"] = version

    def request(self, method: str, path: str, expect=(200,), **kwargs) -> requests.Response:
        deadline = time.monotonic() + 30
        while True:
            resp = self.http.request(method, f"{self.url}{path}", timeout=30, **kwargs)
            # Busy node ("transition in progress", locked): Ironic wants us to come back.
            if resp.status_code in (409, 503) and time.monotonic() < deadline and resp.status_code not in expect:
                time.sleep(0.5)
                continue
            if resp.status_code not in expect:
                raise IronicError(f"{method} {path} -> {resp.status_code}: {resp.text[:500]}")
            return resp

    def get(self, path: str, **kw) -> dict:
        return self.request("GET", path, **kw).json()

    def post(self, path: str, body: dict, expect=(201,)) -> dict:
        return self.request("POST", path, json=body, expect=expect).json()

    def patch(self, path: str, ops: list) -> dict:
        return self.request("PATCH", path, json=ops).json()

    def delete(self, path: str) -> None:
        self.request("DELETE", path, expect=(204,))

    def node(self, ident: str) -> dict:
        return self.get(f"/v1/nodes/{ident}")

    def set_provision_state(self, ident: str, target: str, **extra) -> None:
        self.request("PUT", f"/v1/nodes/{ident}/states/provision", json={"target": target, **extra},
                     expect=(202,))

    def wait_provision_state(self, ident: str, wanted: str, timeout: float = 60.0) -> dict:
        """Poll until the node is in `wanted` and has no target; fail at once on a failed state."""
        deadline = time.monotonic() + timeout
        while True:
            node = self.node(ident)
            state = node["provision_state"]
            if state == wanted and not node.get("target_provision_state"):
                return node
            if state in FAILED_STATES and state != wanted:
                raise IronicError(f"node {ident} is in {state!r}: {node.get('last_error')}")
            if time.monotonic() > deadline:
                raise IronicError(f"node {ident} still {state!r} (target {node.get('target_provision_state')!r}) "
                                  f"after {timeout:.0f}s waiting for {wanted!r}; last_error: {node.get('last_error')}")
            time.sleep(0.3)

    def wait_power(self, ident: str, wanted: str, timeout: float = 60.0) -> dict:
        """Poll until the node's power state is `wanted` with no power change pending."""
        deadline = time.monotonic() + timeout
        while True:
            node = self.node(ident)
            if node["power_state"] == wanted and not node.get("target_power_state"):
                return node
            if time.monotonic() > deadline:
                raise IronicError(f"node {ident} power {node['power_state']!r} after {timeout:.0f}s, "
                                  f"waiting for {wanted!r}; last_error: {node.get('last_error')}")
            time.sleep(0.3)

    def move(self, ident: str, target: str, wanted: str, timeout: float = 60.0, **extra) -> dict:
        self.set_provision_state(ident, target, **extra)
        return self.wait_provision_state(ident, wanted, timeout)


def terraform_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({
        "CHECKPOINT_DISABLE": "1",
        # Always our own CLI config: this machine has a stray TF_CLI_CONFIG_FILE.
        "TF_CLI_CONFIG_FILE": str(PROJECT_ROOT / ".work" / "terraformrc"),
        "TF_IN_AUTOMATION": "1",
    })
    env.pop("TF_PLUGIN_CACHE_DIR", None)
    env.update(extra or {})
    return env


def install_provider(binary: Path) -> Path:
    """Copy the provider binary into the filesystem mirror Terraform installs from."""
    dest_dir = (PROJECT_ROOT / ".work" / "tf-mirror" / PROVIDER_ADDRESS / PROVIDER_VERSION / "linux_amd64")
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"terraform-provider-metal3_v{PROVIDER_VERSION}"
    # One temporary name per process: the lab tests run one pytest per VM side by side.
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
    shutil.copyfile(binary, tmp)
    tmp.chmod(0o755)
    tmp.replace(dest)
    return dest


class Terraform:
    """Runs the project's Terraform launcher in one working directory."""

    def __init__(self, workdir: Path, env: dict | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.binary = PROJECT_ROOT / ".work" / "bin" / "terraform"
        self.env = terraform_env(env)

    def write(self, name: str, text: str) -> Path:
        path = self.workdir / name
        path.write_text(text)
        return path

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(self.binary), *args], cwd=self.workdir, env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"terraform {' '.join(args)} exited {proc.returncode}\n"
                                 f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
        return proc
