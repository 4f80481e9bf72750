"""The apply and destroy floor: a minimal Ironic client with one thread per host in flight.

It sends the calls a client cannot do without to bring fake hosts to the same end state as the
provider (enroll the node and its boot port, manage, inspect, provide, deploy the image when
there is one, power on; deprovision when deployed, power off and delete), reading each node at once after a request and
then every POLL seconds, with as many hosts in flight as Terraform's -parallelism. No
Terraform, no state, no validation: what is left is Ironic's own time plus the waits any client
has.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from m3stack.testkit import API_VERSION, FAILED_STATES

POLL = 0.5
RETRY = (409, 503)  # node locked by the conductor: come back shortly
IDEMPOTENT = {"GET", "DELETE", "PATCH"}  # (PATCH here only sets whole values)
NODE_FIELDS = "uuid,provision_state,target_provision_state,power_state,target_power_state,last_error"
FAKE_INTERFACES = {"boot_interface": "ipxe", "power_interface": "fake", "management_interface": "fake",
                   "inspect_interface": "agent", "deploy_interface": "fake"}
BARE_INTERFACES = dict(FAKE_INTERFACES, boot_interface="fake", inspect_interface="no-inspect")


class DirectError(RuntimeError):
    pass


class DirectClient:
    def __init__(self, stack: dict, width: int, timeout: float = 1800):
        self.url = stack["ironic_url"].rstrip("/")
        self.driver_info = {"deploy_kernel": stack["deploy_kernel_url"],
                            "deploy_ramdisk": stack["deploy_ramdisk_url"]}
        self.width = width
        self.timeout = timeout
        self._local = threading.local()

    # ---- what is measured -----------------------------------------------------------------
    def create(self, members: list, image: dict | None = None, inspect: bool = True,
               clean: bool = True) -> list:
        """Brings every host to `available` (powered on), or `active` with `image`; returns
        the node UUIDs."""
        return self._each(members, lambda h: self._create(h, image, inspect, clean))

    def deploy(self, uuids: list, image: dict) -> None:
        """Deploys `image` to available nodes and powers them on (the provider's update of an
        available host given an image)."""
        self._each(uuids, lambda uuid: self._deploy(uuid, image))

    def destroy(self, uuids: list, deployed: bool = False) -> None:
        """Deprovisions each node when `deployed` (cleaning it back to available), powers it off
        and deletes it (the provider's destroy)."""
        self._each(uuids, lambda uuid: self._destroy(uuid, deployed))

    # ---- not measured: clearing up between measurements -------------------------------------
    def purge(self, prefix: str) -> int:
        """Deletes every node whose name starts with `prefix`, whatever its state."""
        deleted = 0
        while True:  # one page (Ironic pages by its max_limit) at a time
            nodes = self._call("GET", "/v1/nodes", params={"fields": "uuid,name"}).json()["nodes"]
            doomed = [n["uuid"] for n in nodes if (n.get("name") or "").startswith(prefix)]
            if not doomed:
                return deleted
            self._each(doomed, self._force_delete)
            deleted += len(doomed)

    def list_all(self) -> tuple:
        """Lists every node with details, page by page, as one refresh of all hosts would;
        returns (nodes, pages)."""
        count, pages, path, params = 0, 0, "/v1/nodes/detail", None
        while path:
            page = self._call("GET", path, params=params).json()
            count, pages = count + len(page["nodes"]), pages + 1
            following = page.get("next")
            path, params = (following.split(self.url, 1)[-1], None) if following else (None, None)
        return count, pages

    # ---- one host ---------------------------------------------------------------------------
    def _create(self, host, image, inspect, clean) -> str:
        interfaces = FAKE_INTERFACES if inspect else BARE_INTERFACES
        created = self._call("POST", "/v1/nodes", json={
            "name": host.node_name, "driver": "fake-hardware", "driver_info": self.driver_info,
            "properties": {"capabilities": "boot_mode:uefi"}, "automated_clean": clean, **interfaces,
        }, resend_if=lambda: self._node(host.node_name) is None)
        uuid = created.json()["uuid"] if created is not None else self._node(host.node_name)["uuid"]
        self._call("POST", "/v1/ports", json={"node_uuid": uuid, "address": host.mac, "pxe_enabled": True},
                   resend_if=lambda: not self._ports(host.mac))
        self._move(uuid, "manage", "enroll", "manageable")
        if inspect:
            self._move(uuid, "inspect", "manageable", "manageable")
        self._move(uuid, "provide", "manageable", "available")
        if image:
            self._deploy(uuid, image)
        else:
            self._power(uuid, "power on")
        return uuid

    def _deploy(self, uuid: str, image: dict) -> None:
        self._call("PATCH", f"/v1/nodes/{uuid}", json=[{"op": "add", "path": "/instance_info", "value": {
            "image_source": image["url"], "image_os_hash_algo": image["checksum_type"],
            "image_os_hash_value": image["checksum"], "image_disk_format": image["disk_format"],
            "capabilities": {"boot_mode": "uefi"}}}])
        self._move(uuid, "active", "available", "active")
        # The provider's hosts end powered on (`online` defaults to true); fake deploys leave
        # the node off.
        self._power(uuid, "power on")

    def _destroy(self, uuid: str, deployed: bool) -> None:
        if deployed:
            self._move(uuid, "deleted", "active", "available")
        self._power(uuid, "power off")
        self._call("DELETE", f"/v1/nodes/{uuid}", ok=(204, 404))

    def _force_delete(self, uuid: str) -> None:
        if self._call("DELETE", f"/v1/nodes/{uuid}", ok=(204, 404, 400, 409)).status_code in (204, 404):
            return
        self._call("PATCH", f"/v1/nodes/{uuid}", json=[
            {"op": "add", "path": "/maintenance", "value": True}])
        self._call("DELETE", f"/v1/nodes/{uuid}", ok=(204, 404))

    def _move(self, uuid: str, target: str, source: str, wanted: str) -> None:
        def not_taken():
            node = self._node(uuid)
            return node["provision_state"] == source and not node["target_provision_state"]

        self._call("PUT", f"/v1/nodes/{uuid}/states/provision", json={"target": target}, resend_if=not_taken)
        self._wait(uuid, lambda n: n["provision_state"] == wanted and not n["target_provision_state"],
                   f"provision state {wanted!r}")

    def _power(self, uuid: str, target: str) -> None:
        def not_taken():
            node = self._node(uuid)
            return node["power_state"] != target and not node["target_power_state"]

        self._call("PUT", f"/v1/nodes/{uuid}/states/power", json={"target": target}, resend_if=not_taken)
        self._wait(uuid, lambda n: n["power_state"] == target and not n["target_power_state"],
                   f"power {target!r}")

    def _wait(self, uuid: str, done, what: str) -> None:
        """Reads the node at once (fake interfaces often finish within the request), then every
        POLL seconds."""
        deadline = time.monotonic() + self.timeout
        while True:
            node = self._node(uuid)
            if done(node):
                return
            if node["provision_state"] in FAILED_STATES:
                raise DirectError(f"node {uuid} in {node['provision_state']!r}: {node['last_error']}")
            if time.monotonic() > deadline:
                raise DirectError(f"node {uuid} not at {what} after {self.timeout:.0f}s")
            time.sleep(POLL)

    def _ports(self, mac: str) -> list:
        return self._call("GET", "/v1/ports", params={"address": mac}).json()["ports"]

    def _node(self, ident: str) -> dict | None:
        resp = self._call("GET", f"/v1/nodes/{ident}", ok=(200, 404), params={"fields": NODE_FIELDS})
        return resp.json() if resp.status_code == 200 else None

    # ---- plumbing ---------------------------------------------------------------------------
    def _each(self, items: list, work) -> list:
        if not items:
            return []
        with ThreadPoolExecutor(max_workers=min(self.width, len(items))) as pool:
            return list(pool.map(work, items))

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            session = requests.Session()
            session.headers["X-OpenStack-Ironic-API-Version"] = API_VERSION
            self._local.session = session
        return self._local.session

    def _call(self, method: str, path: str, ok=(200, 201, 202, 204), resend_if=None,
              **kwargs) -> requests.Response | None:
        """One request, sent again when Ironic is busy (409, 503) or dropped the connection.
        After a dropped connection Ironic may or may not have taken the request: idempotent
        ones are resent; others only when `resend_if()` finds the first did not arrive, else
        None is returned (taken, answer lost)."""
        deadline = time.monotonic() + 120
        while True:
            try:
                resp = self._session().request(method, self.url + path, timeout=120, **kwargs)
            except requests.ConnectionError:
                # Ironic's API server may drop connections under a burst (cheroot's defaults
                # allow a listen backlog of 5 and 10 kept-alive connections).
                if time.monotonic() > deadline:
                    raise
                time.sleep(POLL)
                if method in IDEMPOTENT or (resend_if is not None and resend_if()):
                    continue
                return None
            if resp.status_code in RETRY and resp.status_code not in ok and time.monotonic() < deadline:
                time.sleep(POLL)
                continue
            if resp.status_code not in ok:
                raise DirectError(f"{method} {path} -> {resp.status_code}: {resp.text[:300]}")
            return resp
