"""Inventory: fake and Redfish hosts are enrolled and inspected; the hardware Terraform
shows is what the (stand-in) agent posted to Ironic; destroy leaves no node behind."""

from hostkit import (fake_host, free_mac, node_name, nodes_in, posted_inventory, random_mac,
                     resource, ws)  # noqa: F401  (ws is a fixture)

FAKE_COUNT = 3


def assert_hardware_matches(hw: dict, inv: dict, where: str) -> None:
    assert hw, f"{where}: hardware is null after inspection"
    assert hw["cpu"]["count"] == inv["cpu"]["count"], where
    assert hw["cpu"]["arch"] == inv["cpu"]["architecture"], where
    assert hw["cpu"]["model"] == inv["cpu"]["model_name"], where
    assert hw["ram_mebibytes"] == inv["memory"]["physical_mb"], where
    assert {n["mac"] for n in hw["nics"]} == {i["mac_address"].lower() for i in inv["interfaces"]}, where
    # As BMO does, a disk is named by its stable by-path link when the agent reports one; its
    # kernel name (/dev/sda) is then among alternate_names.
    assert len(hw["storage"]) == len(inv["disks"]), where
    by_name = {n: d for d in hw["storage"] for n in [d["name"], *(d.get("alternate_names") or [])]}
    for disk in inv["disks"]:
        assert disk["name"] in by_name, (where, disk["name"], hw["storage"])
        got = by_name[disk["name"]]
        assert got["name"] == (disk.get("by_path") or disk["name"]), (where, disk["name"])
        assert got["size_bytes"] == disk["size"], (where, disk["name"])
        assert got["rotational"] == disk["rotational"], (where, disk["name"])
        assert got["serial_number"] == disk["serial"], (where, disk["name"])
        assert got["type"] == ("HDD" if disk["rotational"] else "SSD"), (where, disk["name"])
    vendor = inv["system_vendor"]
    assert hw["system_vendor"]["manufacturer"] == vendor["manufacturer"], where
    assert hw["system_vendor"]["serial_number"] == vendor["serial_number"], where
    assert hw["firmware"]["bios"]["version"] == vendor["firmware"]["version"], where
    assert hw["hostname"] == inv["hostname"], where


def test_fake_and_redfish_hosts_inventory_then_destroy(ws, stack, ironic):
    fakes = {f"fake-{i}": random_mac() for i in range(FAKE_COUNT)}
    system = stack["redfish_systems"][-1]
    redfish_mac = system["mac"].lower()
    free_mac(ironic, redfish_mac)  # a leftover of an earlier run would hold the port

    body = "".join(resource(f"f{i}", fake_host(name, mac, description=f"inventory {name}"))
                   for i, (name, mac) in enumerate(fakes.items()))
    # redfish_url is http://127.0.0.1:PORT: the plain-HTTP Redfish form of BareMetalHost.
    address = "redfish+" + stack["redfish_url"] + "/redfish/v1/Systems/" + system["uuid"]
    body += resource("rf", {
        "name": "redfish-0",
        "boot_mac_address": redfish_mac,
        "bmc": {"address": address, "username": stack["redfish_username"],
                "password": stack["redfish_password"]},
        # sushy-tools emulates the BMC only: no ironic-python-agent ever boots on this system to
        # run automated cleaning (the stand-in agent answers inspection alone), so with cleaning
        # on the node would sit in `clean wait` until Ironic's callback timeout. The fake hosts
        # above keep the default cleaning (instant with the fake deploy interface).
        "automated_cleaning_mode": "disabled",
    })
    addresses = [f"f{i}" for i in range(FAKE_COUNT)] + ["rf"]
    body += 'output "hosts" {\n  value = {\n' + "".join(
        f"    {a} = {{ id = metal3_baremetal_host.{a}.id, name = metal3_baremetal_host.{a}.name, "
        f"state = metal3_baremetal_host.{a}.provisioning_state, "
        f"hardware = metal3_baremetal_host.{a}.hardware }}\n" for a in addresses) + "  }\n}\n"
    ws.configure(body)

    ws.apply(timeout=900)
    hosts = ws.outputs()["hosts"]
    macs = {f"f{i}": mac for i, mac in enumerate(fakes.values())} | {"rf": redfish_mac}
    for addr, host in hosts.items():
        where = f"{addr} ({host['name']})"
        assert host["state"] == "available", where
        node = ironic.node(node_name(ws.namespace, host["name"]))
        assert node["uuid"] == host["id"], where
        assert node["provision_state"] == "available", (where, node["provision_state"], node["last_error"])
        assert node["driver"] == ("redfish" if addr == "rf" else "fake-hardware"), where
        posted = posted_inventory(stack, macs[addr])
        # Ironic's own view agrees with what the agent posted, and Terraform's with both.
        assert ironic.get(f"/v1/nodes/{host['id']}/inventory")["inventory"] == posted, where
        assert_hardware_matches(host["hardware"], posted, where)
        ports = ironic.get("/v1/ports", params={"node_uuid": host["id"]})["ports"]
        assert [p["address"] for p in ports] == [macs[addr]], where
    assert ironic.node(node_name(ws.namespace, "fake-0"))["description"] == "inventory fake-0"

    ws.assert_no_drift()

    ws.destroy(timeout=900)
    assert nodes_in(ironic, ws.namespace) == []
    for host in hosts.values():
        assert ironic.request("GET", f"/v1/nodes/{host['id']}", expect=(404,)).status_code == 404
    assert ws.resources() == {}
