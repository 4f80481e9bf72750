"""What a no-op plan costs Ironic: past the first few hosts (read on their own, so a small
workspace never lists a large Ironic), the refresh shares one list of nodes and ports instead of
three GETs per host, and a host's inventory is read again only after Ironic inspected it again.
Counted from Ironic's own API log."""

import re
from collections import Counter

from hostkit import fake_host, random_mac, resource, ws  # noqa: F401 (ws is a fixture)
from ironic_log import IronicLog

# The provider's first reads of a command that read their host on their own
# (core/src/lifecycle/snapshot.rs, DIRECT_READS).
DIRECT_READS = 10
HOSTS = DIRECT_READS + 2


def inventory_reads(requests) -> list:
    return [r for r in requests if r.method == "GET" and r.path.endswith("/inventory")]


def kinds(requests) -> dict:
    """How many requests of each kind (any other request counts under its path)."""
    def kind(path: str) -> str:
        if path == "/":
            return "version"
        if path.startswith("/v1/nodes?limit=1&"):
            return "credentials check"
        if re.fullmatch(r"/v1/nodes/[0-9a-f-]{36}", path):
            return "node"
        if path.startswith("/v1/ports/detail?node="):
            return "ports of a node"
        if path.startswith("/v1/nodes/detail?"):
            return "node list"
        if path.startswith("/v1/ports/detail?limit="):
            return "port list"
        return path
    return dict(Counter(kind(r.path) for r in requests))


def test_a_no_op_plan_reads_its_first_hosts_alone_the_rest_from_one_list_and_inventories_after_inspection(ws, stack, ironic):
    names = [f"r{i}" for i in range(HOSTS)]
    ws.configure("".join(resource(n, fake_host(n, random_mac())) for n in names))
    ws.apply()
    log = IronicLog(stack)

    # The first refresh after the apply: nothing inspected since, so no inventory is read.
    mark = log.mark()
    ws.assert_no_drift()
    requests = log.provider_requests_since(mark)
    assert not inventory_reads(requests), requests
    # The provider's connect (the version document, one node to check the credentials), the first
    # hosts' node and ports each, then one page of nodes and one of ports for all the others.
    assert kinds(requests) == {
        "version": 1, "credentials check": 1, "node": DIRECT_READS, "ports of a node": DIRECT_READS,
        "node list": 1, "port list": 1,
    }, requests
    assert not [r for r in requests if r.method != "GET"], requests

    # A plan of a few hosts reads just those, never the list of every node Ironic has.
    mark = log.mark()
    ws.plan("-target=metal3_baremetal_host.r0", "-target=metal3_baremetal_host.r1")
    assert kinds(log.provider_requests_since(mark)) == {
        "version": 1, "credentials check": 1, "node": 2, "ports of a node": 2,
    }

    # Ironic inspects one host again behind Terraform's back: the next plan reads that host's
    # inventory, and only that one.
    uuid = ironic.node(f"{ws.namespace}~r0")["uuid"]
    ironic.move(uuid, "manage", "manageable")
    ironic.move(uuid, "inspect", "manageable", timeout=90)
    ironic.move(uuid, "provide", "available", timeout=90)
    mark = log.mark()
    ws.plan()
    reads = inventory_reads(log.provider_requests_since(mark))
    assert [r.path for r in reads] == [f"/v1/nodes/{uuid}/inventory"], reads

    # That plan's refresh was not saved (plan only): an apply records the new inspection, and
    # the plan after reads no inventory again.
    ws.apply("-refresh-only")
    mark = log.mark()
    ws.plan()
    assert not inventory_reads(log.provider_requests_since(mark))
