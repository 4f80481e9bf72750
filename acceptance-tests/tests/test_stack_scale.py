"""The test stack at fleet scale: the stand-in agent answers many waiting nodes at once, a held MAC
still waits, Ironic's API serves clients that keep connections open, and an idle stack stays idle."""

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import requests

from hostkit import delete_node, enroll_fake_node, random_mac
from m3stack.idle_cpu import measure
from m3stack.inventory import generate_inventory
from m3stack.testkit import Ironic

FLEET = 20


def fake_node(ironic: Ironic, name: str, mac: str) -> str:
    uuid = enroll_fake_node(ironic, name, mac)["uuid"]
    ironic.move(uuid, "manage", "manageable")
    return uuid


def states(ironic: Ironic, uuids: list) -> dict:
    nodes = ironic.get("/v1/nodes", params={"fields": "uuid,provision_state", "limit": 1000})["nodes"]
    return {n["uuid"]: n["provision_state"] for n in nodes if n["uuid"] in uuids}


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} after {timeout:.0f}s")
        time.sleep(0.5)


def test_agent_answers_many_waiting_nodes_at_once_and_a_held_mac_waits(stack, ironic):
    """All nodes enter `inspect wait` while held, then every hold but one is lifted at once."""
    inventories = Path(stack["inventories_dir"])
    macs = [random_mac() for _ in range(FLEET)]
    holds = [inventories / f"{mac}.hold" for mac in macs]
    for hold in holds:
        hold.touch()
    uuids: list = []
    try:
        with ThreadPoolExecutor(8) as pool:
            uuids = list(pool.map(lambda m: fake_node(ironic, f"m3scale-{m.replace(':', '')}", m), macs))
        for uuid in uuids:
            ironic.set_provision_state(uuid, "inspect")
        wait_until(lambda: set(states(ironic, uuids).values()) == {"inspect wait"}, 60,
                   f"all {FLEET} nodes in inspect wait")

        held_mac, held_uuid = macs[0], uuids[0]
        for hold in holds[1:]:
            hold.unlink()
        released = uuids[1:]
        # Ironic's inspect_wait_timeout (60 s) counts from the start of inspection: all must be
        # answered well within it.
        wait_until(lambda: all(s == "manageable" for s in states(ironic, released).values()), 45,
                   f"{len(released)} released nodes manageable")
        for uuid, mac in zip(released, macs[1:]):
            served = ironic.get(f"/v1/nodes/{uuid}/inventory")["inventory"]
            assert served == generate_inventory(mac)["inventory"], uuid
        assert ironic.node(held_uuid)["provision_state"] == "inspect wait"
        assert not (Path(stack["posted_dir"]) / f"{held_mac}.json").exists()

        holds[0].unlink()
        inspected = ironic.wait_provision_state(held_uuid, "manageable", timeout=30)
        assert inspected["properties"].get("cpu_arch") == "x86_64"
    finally:
        for hold in holds:
            hold.unlink(missing_ok=True)
        for uuid in uuids:
            delete_node(ironic, uuid)


def test_idle_stack_stays_idle(stack, ironic):
    """With hosts enrolled and nothing happening, the whole stack uses a small part of a core
    (it used most of one when the agent polled twice a second and Redfish calls were costly)."""
    macs = [random_mac() for _ in range(3)]
    uuids = [fake_node(ironic, f"m3idle-{mac.replace(':', '')}", mac) for mac in macs]
    try:
        time.sleep(2)  # the enrolments' own work settles
        usage = measure(Path(stack["log_dir"]).parent, seconds=10)
        total = sum(pct for _, _, pct in usage.values())
        assert total < 25.0, f"idle stack used {total:.1f}% of a core: {usage}"
    finally:
        for uuid in uuids:
            delete_node(ironic, uuid)


def test_connections_without_a_request_do_not_hold_up_the_api(stack):
    """Pooled clients open connections they use later or never; Ironic's API server used to give
    each a thread that waited 10 s for a request, so ten of them stopped it for 10 s."""
    url = urlsplit(stack["ironic_url"])
    silent = [socket.create_connection((url.hostname, url.port), timeout=5) for _ in range(30)]
    try:
        time.sleep(0.5)  # all accepted
        # 30 s with a thread per silent connection; the timeout leaves the answer ample time.
        resp = requests.get(f"{stack['ironic_url']}/v1/nodes", params={"limit": 1}, timeout=8,
                            headers={"X-OpenStack-Ironic-API-Version": "latest"})
        assert resp.status_code == 200
    finally:
        for sock in silent:
            sock.close()
