"""What a no-op plan costs Ironic: the refresh shares one list of nodes and ports instead of
three GETs per host, and a host's inventory is read again only after Ironic inspected it again.
Counted from Ironic's own API log. (In an Ironic of more than one page of nodes, the first ten
reads of a plan read their host on their own instead: core/tests/reads_ironic.rs covers that
against the real Ironic with pages of 2; this stack holds fewer than 500 nodes.)"""

import re
from collections import Counter

from hostkit import fake_host, random_mac, resource, ws  # noqa: F401 (ws is a fixture)
from ironic_log import IronicLog

HOSTS = 6


def inventory_reads(requests) -> list:
    return [r for r in requests if r.method == "GET" and r.path.endswith("/inventory")]


def kinds(requests) -> dict:
    """How many requests of each kind (any other request counts under its path)."""
    def kind(path: str) -> str:
        if path == "/":
            return "version"
        if path.startswith("/v1/nodes?limit=1&"):
            return "credentials check"
        if path.startswith("/v1/nodes?limit=501&"):
            return "size probe"
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


def test_a_no_op_plan_reads_the_fleet_once_and_inventories_only_after_a_new_inspection(ws, stack, ironic):
    names = [f"r{i}" for i in range(HOSTS)]
    ws.configure("".join(resource(n, fake_host(n, random_mac())) for n in names))
    ws.apply()
    log = IronicLog(stack)

    # The first refresh after the apply: nothing inspected since, so no inventory is read.
    mark = log.mark()
    ws.assert_no_drift()
    requests = log.provider_requests_since(mark)
    assert not inventory_reads(requests), requests
    # The provider's connect (the version document, one node to check the credentials), one page
    # of UUIDs that tells Ironic holds less than 500 nodes, then one page of nodes and one of
    # ports: nothing per host.
    one_list = {"version": 1, "credentials check": 1, "size probe": 1, "node list": 1, "port list": 1}
    assert kinds(requests) == one_list, requests
    assert not [r for r in requests if r.method != "GET"], requests

    # A plan of two hosts costs the same.
    mark = log.mark()
    ws.plan("-target=metal3_baremetal_host.r0", "-target=metal3_baremetal_host.r1")
    assert kinds(log.provider_requests_since(mark)) == one_list

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
