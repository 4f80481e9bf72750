"""What a no-op plan costs Ironic: the refresh of many hosts shares one list of nodes and ports
instead of three GETs per host, and a host's inventory is read again only after Ironic inspected
it again. Counted from Ironic's own API log."""

from hostkit import fake_host, random_mac, resource, ws  # noqa: F401 (ws is a fixture)
from ironic_log import IronicLog

HOSTS = 6


def inventory_reads(requests) -> list:
    return [r for r in requests if r.method == "GET" and r.path.endswith("/inventory")]


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
    # The provider's connect (the version document, one node to check the credentials), then one
    # page of nodes and one of ports: nothing per host.
    paths = sorted(r.path.split("?")[0] for r in requests)
    assert paths == ["/", "/v1/nodes", "/v1/nodes/detail", "/v1/ports/detail"], requests
    assert not [r for r in requests if r.method != "GET"], requests

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
