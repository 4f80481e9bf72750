"""`terraform query` with the list resource `metal3_baremetal_host`: what each filter finds
among nodes made by the provider and outside it, that a query changes nothing in Ironic, and the
fleet workflow it exists for: `-generate-config-out`, then `apply` adopting running nodes made
outside Terraform without a deployment or cleaning in any node's history, then an empty plan."""

import json
import re
from concurrent.futures import ThreadPoolExecutor

from hostkit import enroll_fake_node, fake_host, node_name, random_mac, resource, ws  # noqa: F401
from ironic_log import IronicLog, history_events
from test_resource_import import precreate_active_node


def list_block(label: str, config: dict, include: bool = False, limit: int = 1000) -> str:
    def hcl_value(v):
        return json.dumps(v) if not isinstance(v, bool) else str(v).lower()
    body = "\n".join(f"    {k} = {hcl_value(v)}" for k, v in config.items())
    return (f'list "metal3_baremetal_host" "{label}" {{\n  provider = metal3\n'
            f'  include_resource = {str(include).lower()}\n  limit = {limit}\n'
            f'  config {{\n{body}\n  }}\n}}\n')


def query(ws, *extra: str) -> dict:
    """Results per list block: {label: [display names]}, from `terraform query -json`."""
    ws.init()
    proc = ws.run("query", "-json", *extra, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found: dict = {}
    for line in proc.stdout.splitlines():
        event = json.loads(line)
        if event.get("type") == "list_start":
            found.setdefault(event["list_start"]["address"].split(".")[-1], [])
        if event.get("type") == "list_resource_found":
            hit = event["list_resource_found"]
            found.setdefault(hit["address"].split(".")[-1], []).append(hit)
    return found


def test_query_finds_hosts_by_each_filter_and_changes_nothing(ws, ironic, stack):
    ns = ws.namespace
    ws.configure(resource("managed", fake_host("managed-0", random_mac(), inspection_mode="disabled")))
    ws.apply()
    enroll_fake_node(ironic, node_name(ns, "free-0"), random_mac())
    running = precreate_active_node(ironic, ns, "running-0", random_mac(), stack["images"]["qcow2_url"])
    plain = enroll_fake_node(ironic, f"{ns}-plain", random_mac())
    try:
        ws.tf.write("hosts.tfquery.hcl", "".join([
            list_block("all", {"namespace": ns}),
            list_block("prefix", {"namespace": ns, "name_prefix": "run"}),
            list_block("state", {"namespace": ns, "provisioning_state": "externally provisioned"}),
            list_block("adopted", {"namespace": ns, "externally_provisioned": True}, include=True),
            list_block("not_adopted", {"namespace": ns, "externally_provisioned": False}),
            list_block("unmanaged", {"namespace": ns, "unmanaged_only": True}),
            list_block("first_two", {"namespace": ns}, limit=2),
        ]))
        log = IronicLog(stack)
        mark = log.mark()
        found = query(ws)
        names = {label: sorted(h["display_name"] for h in hits) for label, hits in found.items()}
        assert names["all"] == sorted([f"{ns}/managed-0", f"{ns}/free-0", f"{ns}/running-0", f"{ns}/{ns}-plain"])
        assert names["prefix"] == [f"{ns}/running-0"]
        assert names["state"] == [f"{ns}/running-0"]
        assert names["adopted"] == [f"{ns}/running-0"]
        assert names["not_adopted"] == sorted([f"{ns}/managed-0", f"{ns}/free-0", f"{ns}/{ns}-plain"])
        assert names["unmanaged"] == sorted([f"{ns}/free-0", f"{ns}/running-0", f"{ns}/{ns}-plain"])
        # A limit keeps the first results, in the order listed (Ironic's name order).
        in_order = {label: [h["display_name"] for h in hits] for label, hits in found.items()}
        assert in_order["first_two"] == in_order["all"][:2]
        hit = found["adopted"][0]
        assert hit["identity"] == {"namespace": ns, "name": "running-0"}
        assert hit["resource_object"]["id"] == running["uuid"]
        assert hit["resource_object"]["externally_provisioned"] is True
        assert not found["all"][0].get("resource_object"), "only include_resource asks for objects"
        assert not log.mutating_requests_since(mark), "a query changes nothing in Ironic"
    finally:
        ironic.request("DELETE", f"/v1/nodes/{plain['uuid']}", expect=(204, 404))


def test_a_bad_filter_fails_the_query_naming_it(ws):
    ws.configure("")
    ws.tf.write("bad.tfquery.hcl", list_block("bad", {"provisioning_state": "deployed"}))
    ws.init()
    proc = ws.run("query", check=False)
    text = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode == 1, text
    assert '`provisioning_state` is "deployed"; it must be one of' in text, text
    assert "`externally provisioned`" in text, text


FLEET = 20


def test_generated_configuration_adopts_running_nodes_untouched(ws, ironic, stack):
    """The fleet workflow: query, generate, fill in the BMC details, apply, empty plan."""
    ns = ws.namespace
    image = stack["images"]["qcow2_url"]
    with ThreadPoolExecutor(max_workers=10) as pool:
        nodes = list(pool.map(lambda i: precreate_active_node(ironic, ns, f"rack-{i:02d}", random_mac(), image),
                              range(FLEET)))
    before = {n["uuid"]: ironic.node(n["uuid"]) for n in nodes}
    since = max(n["provision_updated_at"] for n in before.values())
    ws.configure('variable "bmc_password" {\n  type      = string\n  sensitive = true\n  default   = "fake-secret"\n}\n')
    ws.tf.write("adopt.tfquery.hcl", list_block("fleet", {"namespace": ns, "unmanaged_only": True}))
    found = query(ws, "-generate-config-out=hosts.tf")
    assert len(found["fleet"]) == FLEET
    generated = (ws.workdir / "hosts.tf").read_text()
    assert generated.count("resource \"metal3_baremetal_host\"") == FLEET
    assert generated.count("import {") == FLEET
    assert generated.count("externally_provisioned = true") == FLEET
    # Ironic never read these fake nodes' power (null): they come out running, not switched off.
    assert all(node["power_state"] is None for node in before.values())
    assert len(re.findall(r"\bonline\s+= true", generated)) == FLEET, generated

    # What an operator fills in: Ironic returns no BMC password (and fake-hardware nodes no
    # address or user name), so the generated blocks leave them null.
    def fill(block: re.Match) -> str:
        text = block.group(0)
        name = re.search(r'\bname\s+= "([^"]+)"', text).group(1)
        text = re.sub(r'address(\s+)= null', rf'address\1= "fake://{name}"', text)
        text = re.sub(r'username(\s+)= null', r'username\1= "admin"', text)
        text = re.sub(r'password_wo(\s+)= null # sensitive', r'password_wo\1= var.bmc_password', text)
        return re.sub(r'password_wo_version(\s+)= null', r'password_wo_version\1= 1', text)
    filled = re.sub(r'resource "metal3_baremetal_host" "[^"]+" \{.*?\n\}\n', fill, generated, flags=re.S)
    (ws.workdir / "hosts.tf").write_text(filled)

    log = IronicLog(stack)
    mark = log.mark()
    ws.apply()
    ws.assert_no_drift()
    uuids = set(before)
    assert log.disk_events_since(mark, uuids) == {"cleaned": False, "deployed": False}
    assert not log.moves_since(mark, uuids), "no node changed provision state"
    for uuid, node in before.items():
        after = ironic.node(uuid)
        assert after["provision_state"] == "active" and after["last_error"] is None
        assert after["provision_updated_at"] == node["provision_updated_at"]
        events = history_events(ironic, uuid)
        assert not [e for e in events if "deploy" in e.lower() or "clean" in e.lower()], events
    state = ws.resources()
    assert len(state) == FLEET
    assert {r["id"] for r in state.values()} == uuids
    assert all(r["provisioning_state"] == "externally provisioned" for r in state.values())
    del since
