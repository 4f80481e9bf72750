"""Data sources: `metal3_baremetal_host` by namespace+name and by id, and
`metal3_baremetal_hosts` filtered by namespace and minimum RAM returning exactly the expected
hosts."""

from hostkit import fake_host, random_mac, resource, write_inventory, ws  # noqa: F401  (ws is a fixture)

RAM = {"small-0": 8192, "mid-0": 32768, "big-0": 65536}

DATA = """
data "metal3_baremetal_host" "by_name" {
  namespace = metal3_baremetal_host.mid-0.namespace
  name      = metal3_baremetal_host.mid-0.name
}

data "metal3_baremetal_host" "by_id" {
  id = metal3_baremetal_host.big-0.id
}

data "metal3_baremetal_hosts" "roomy" {
  namespace         = "%(ns)s"
  min_ram_mebibytes = 32768
  depends_on        = [metal3_baremetal_host.small-0, metal3_baremetal_host.mid-0, metal3_baremetal_host.big-0]
}

data "metal3_baremetal_hosts" "elsewhere" {
  namespace  = "%(ns)s-none"
  depends_on = [metal3_baremetal_host.small-0]
}

output "by_name" {
  value = { id = data.metal3_baremetal_host.by_name.id, ram = data.metal3_baremetal_host.by_name.hardware.ram_mebibytes,
            state = data.metal3_baremetal_host.by_name.provisioning_state }
}
output "by_id" {
  value = { name = data.metal3_baremetal_host.by_id.name, namespace = data.metal3_baremetal_host.by_id.namespace,
            ram = data.metal3_baremetal_host.by_id.hardware.ram_mebibytes }
}
output "roomy" {
  value = [for h in data.metal3_baremetal_hosts.roomy.hosts : { name = h.name, id = h.id, ram = h.hardware.ram_mebibytes }]
}
output "elsewhere" {
  value = length(data.metal3_baremetal_hosts.elsewhere.hosts)
}
output "ids" {
  value = {
    "small-0" = metal3_baremetal_host.small-0.id
    "mid-0"   = metal3_baremetal_host.mid-0.id
    "big-0"   = metal3_baremetal_host.big-0.id
  }
}
"""


def test_single_host_and_filtered_inventory(ws, stack):
    body = ""
    for name, ram in RAM.items():
        mac = random_mac()
        write_inventory(stack, mac, ram_mb=ram)
        body += resource(name, fake_host(name, mac))
    ws.configure(body + DATA % {"ns": ws.namespace})
    ws.apply()
    out = ws.outputs()
    ids = out["ids"]
    assert out["by_name"] == {"id": ids["mid-0"], "ram": 32768, "state": "available"}
    assert out["by_id"] == {"name": "big-0", "namespace": ws.namespace, "ram": 65536}
    # Sorted by namespace then name; small-0 (8 GiB) is filtered out.
    assert out["roomy"] == [{"name": "big-0", "id": ids["big-0"], "ram": 65536},
                            {"name": "mid-0", "id": ids["mid-0"], "ram": 32768}]
    assert out["elsewhere"] == 0
    ws.assert_no_drift()
