"""Hosts spread over the conductor groups of a scaled-out Ironic (`m3stack cluster`: one API, a
conductor per group, PostgreSQL), with `conductor_group`.

Ironic only lets a conductor of a node's group act on it. With every conductor up, each host lands
in its group and is managed by a conductor of that group; with one group's conductor stopped, a
change to a host of that group is refused by Ironic and reported as such, while the other group
carries on; once the conductor is back, the same apply goes through.
"""

import time
from pathlib import Path

import pytest

from hostkit import Workspace, fake_host, flat, nodes_in, node_name, purge_namespace, random_mac, resource, \
    unique_namespace
from m3stack.cluster import Cluster
from m3stack.testkit import Ironic

HOSTS = 20
GROUPS = ("rack-a", "rack-b")


def group_of(index: int) -> str:
    return GROUPS[index % len(GROUPS)]


def host_name(index: int) -> str:
    return f"host-{index:02d}"


def config(macs: list, changed: dict | None = None) -> str:
    """The HOSTS hosts, alternating between the groups; `changed` maps a host index to extra arguments."""
    body = ""
    for i, mac in enumerate(macs):
        args = fake_host(host_name(i), mac, conductor_group=group_of(i), description=f"{group_of(i)} host")
        args.update((changed or {}).get(i, {}))
        body += resource(host_name(i).replace("-", "_"), args)
    return body


def wait_unrouted(ironic: Ironic, ident: str, timeout: float = 90.0) -> None:
    """Until the API no longer routes the node to any conductor: it rebuilds its map of conductors
    every `hash_ring_reset_interval`, so it may still name the stopped one for a few seconds."""
    deadline = time.monotonic() + timeout
    while ironic.node(ident).get("conductor") is not None:
        if time.monotonic() > deadline:
            raise AssertionError(f"node {ident} still routed to {ironic.node(ident)['conductor']} after {timeout:.0f}s")
        time.sleep(0.5)


@pytest.fixture
def cluster_ws(tmp_path, cluster, provider_bin):
    ironic = Ironic(cluster["ironic_url"])
    workspace = Workspace(tmp_path / "tf", cluster, unique_namespace("scale"))
    try:
        yield workspace, ironic
    finally:
        # Whatever happened, leave every conductor running and nothing of ours in Ironic.
        handle = Cluster(Path(cluster["state_dir"]))
        for conductor in cluster["conductors"]:
            handle.start_conductor(conductor["name"])
        if workspace.initialized and workspace.has_state():
            workspace.destroy(check=False)
        purge_namespace(ironic, workspace.namespace)


def test_hosts_follow_their_conductor_group(cluster, cluster_ws):
    ws, ironic = cluster_ws
    handle = Cluster(Path(cluster["state_dir"]))
    hostnames = {group: {c["hostname"] for c in cluster["conductors"] if c["group"] == group} for group in GROUPS}
    assert all(hostnames.values()), f"the cluster needs a conductor in each of {GROUPS}: {cluster['conductors']}"

    macs = [random_mac() for _ in range(HOSTS)]
    ws.configure(config(macs))
    ws.apply()

    # Each node in the group its configuration names, managed by a conductor of that group.
    state = ws.resources()
    for i in range(HOSTS):
        node = ironic.node(node_name(ws.namespace, host_name(i)))
        assert node["provision_state"] == "available", node
        assert node["conductor_group"] == group_of(i), node
        assert node["conductor"] in hostnames[group_of(i)], (node["conductor"], hostnames)
        assert state[f"metal3_baremetal_host.{host_name(i).replace('-', '_')}"]["conductor_group"] == group_of(i)
    ws.assert_no_drift()

    # Stop rack-a's conductor; change one host of each group (description and power).
    down = next(c for c in cluster["conductors"] if c["group"] == "rack-a")
    stranded, other = 0, 1  # host-00 is in rack-a, host-01 in rack-b
    stranded_node = node_name(ws.namespace, host_name(stranded))
    other_node = node_name(ws.namespace, host_name(other))
    handle.stop_conductor(down["name"])
    wait_unrouted(ironic, stranded_node)
    change = {"description": "changed while rack-a was down", "online": False}
    ws.configure(config(macs, {stranded: change, other: change}))
    failed = ws.apply(check=False)
    said = flat(failed)
    print(f"provider with {down['name']} stopped:\n{failed.stdout}\n{failed.stderr}")

    assert failed.returncode != 0, said
    assert f"Update of {ws.namespace}/{host_name(stranded)} failed" in said, said
    assert "No valid host was found" in said and '"rack-a"' in said, said
    assert said.count("Error:") == 1, said  # the other group's host is not in error
    assert f"{host_name(other).replace('-', '_')}: Modifications complete" in said, said
    # Ironic: the stranded host is as it was, the other group's host changed.
    node = ironic.node(stranded_node)
    assert node["description"] == "rack-a host" and node["power_state"] == "power on", node
    node = ironic.node(other_node)
    assert node["description"] == change["description"] and node["power_state"] == "power off", node

    # Back up: the same configuration applies, and rack-a's conductor manages its hosts again.
    handle.start_conductor(down["name"])
    ws.apply()
    node = ironic.node(stranded_node)
    assert node["description"] == change["description"] and node["power_state"] == "power off", node
    assert node["conductor"] == down["hostname"], node
    ws.assert_no_drift()

    ws.destroy()
    assert nodes_in(ironic, ws.namespace) == []
