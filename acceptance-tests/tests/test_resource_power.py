"""Power: `online = false` powers the host off and `true` on again, in place; Ironic's
power_state follows and the next plan is empty."""

from hostkit import fake_host, node_name, random_mac, resource, ws  # noqa: F401  (ws is a fixture)

ADDR = "metal3_baremetal_host.host"


def test_online_false_then_true(ws, ironic):
    mac = random_mac()
    ws.configure(resource("host", fake_host("power-0", mac, online=False)))
    ws.apply()
    state = ws.resources()[ADDR]
    node = ironic.node(node_name(ws.namespace, "power-0"))
    assert node["uuid"] == state["id"]
    assert node["power_state"] == "power off"
    assert state["powered_on"] is False
    assert state["provisioning_state"] == "available"
    ws.assert_no_drift()

    ws.configure(resource("host", fake_host("power-0", mac, online=True)))
    plan = ws.saved_plan()
    change = next(c["change"] for c in plan["resource_changes"] if c["address"] == ADDR)
    assert change["actions"] == ["update"]
    ws.apply()
    node = ironic.node(state["id"])
    assert node["power_state"] == "power on"
    assert node["provision_state"] == "available"
    assert ws.resources()[ADDR]["powered_on"] is True
    assert ws.resources()[ADDR]["id"] == state["id"], "power change must not replace the host"
    ws.assert_no_drift()

    ws.configure(resource("host", fake_host("power-0", mac, online=False)))
    ws.apply()
    assert ironic.node(state["id"])["power_state"] == "power off"
    ws.assert_no_drift()
