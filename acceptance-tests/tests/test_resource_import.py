"""Import: a machine already `active` in Ironic (installed outside Terraform) is taken over
with an `import {}` block, with `terraform import ADDR namespace/name` and by node UUID. The
imported host is recorded as (externally) provisioned and NOTHING happens to it: it stays active,
its provision_updated_at does not move, no deployment runs; afterwards the plan is empty."""

import importlib.util
import json

from hostkit import node_name, random_mac, resource, ws  # noqa: F401  (ws is a fixture)
from m3stack.testkit import PROJECT_ROOT


def _load_script():
    path = PROJECT_ROOT / "scripts" / "precreate_active_node.py"
    spec = importlib.util.spec_from_file_location("precreate_active_node", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _load_script()


def precreate_active_node(ironic, namespace: str, name: str, mac: str, image_url: str) -> dict:
    """What scripts/precreate_active_node.py does, plus a port: enroll, manage, adopt -> active."""
    node = ironic.post("/v1/nodes", SCRIPT.installed_node(
        node_name(namespace, name), image_url, "installed outside Terraform"))
    ironic.post("/v1/ports", {"node_uuid": node["uuid"], "address": mac, "pxe_enabled": True})
    ironic.move(node["uuid"], "manage", "manageable")
    return ironic.move(node["uuid"], "adopt", "active")


def imported_host(name: str, mac: str, stack: dict, write_only: bool) -> dict:
    bmc = {"address": f"fake://{name}", "username": "admin"}
    if write_only:
        bmc.update(password_wo="fake-secret", password_wo_version=1)
    else:
        bmc["password"] = "fake-secret"
    return {
        "name": name,
        "boot_mac_address": mac,
        "bmc": bmc,
        "externally_provisioned": True,
        "inspection_mode": "disabled",
        "description": "installed outside Terraform",
        "image": {"url": stack["images"]["qcow2_url"], "checksum": stack["images"]["qcow2_sha256"]},
    }


def assert_untouched(ironic, before: dict) -> None:
    after = ironic.node(before["uuid"])
    assert after["provision_state"] == "active", (after["provision_state"], after["last_error"])
    assert after["target_provision_state"] is None
    assert after["provision_updated_at"] == before["provision_updated_at"], "the node went through a transition"
    assert after["instance_info"].get("image_source") == before["instance_info"]["image_source"]
    assert after["last_error"] is None
    # Unset is Ironic's default, which `automated_cleaning_mode = "metadata"` means: not rewritten.
    assert after["automated_clean"] == before["automated_clean"], "a write no plan showed"


def actions_by_address(plan: dict) -> dict:
    return {c["address"]: c["change"]["actions"] for c in plan.get("resource_changes", [])}


def apply_then_settle(ws) -> None:
    """Apply what the import plan holds (at most an in-place credential update) and expect no drift."""
    ws.apply()
    ws.assert_no_drift()


def test_import_block_with_write_only_password(ws, stack, ironic):
    mac = random_mac()
    before = precreate_active_node(ironic, ws.namespace, "legacy-0", mac, stack["images"]["qcow2_url"])
    body = f'import {{\n  to = metal3_baremetal_host.legacy\n  id = "{ws.namespace}/legacy-0"\n}}\n\n'
    body += resource("legacy", imported_host("legacy-0", mac, stack, write_only=True))
    ws.configure(body)

    plan = ws.saved_plan()
    changes = [c for c in plan["resource_changes"] if c["address"] == "metal3_baremetal_host.legacy"]
    assert changes and changes[0]["change"].get("importing"), plan["resource_changes"]
    # Importing never creates, replaces or deletes; at most it updates in place.
    assert changes[0]["change"]["actions"] in (["no-op"], ["update"]), changes[0]["change"]["actions"]
    ws.apply()
    state = ws.resources()["metal3_baremetal_host.legacy"]
    assert state["id"] == before["uuid"]
    assert state["provisioning_state"] == "externally provisioned"
    assert state["bmc"]["password_wo"] is None, "write-only values are never stored"
    assert_untouched(ironic, before)

    ws.assert_no_drift()
    assert_untouched(ironic, before)


def test_cli_import_by_name_and_by_uuid(ws, stack, ironic):
    macs = {"legacy-1": random_mac(), "legacy-2": random_mac()}
    before = {name: precreate_active_node(ironic, ws.namespace, name, mac, stack["images"]["qcow2_url"])
              for name, mac in macs.items()}
    ws.configure(resource("by_name", imported_host("legacy-1", macs["legacy-1"], stack, write_only=False))
                 + resource("by_uuid", imported_host("legacy-2", macs["legacy-2"], stack, write_only=False)))
    ws.init()
    ws.run("import", "-input=false", "metal3_baremetal_host.by_name", f"{ws.namespace}/legacy-1")
    ws.run("import", "-input=false", "metal3_baremetal_host.by_uuid", before["legacy-2"]["uuid"])
    state = ws.resources()
    assert state["metal3_baremetal_host.by_name"]["id"] == before["legacy-1"]["uuid"]
    assert state["metal3_baremetal_host.by_uuid"]["id"] == before["legacy-2"]["uuid"]
    for address in state:
        assert state[address]["namespace"] == ws.namespace
        assert state[address]["provisioning_state"] == "externally provisioned"
    assert state["metal3_baremetal_host.by_uuid"]["name"] == "legacy-2"

    # The stored password cannot be read back from Ironic: the first plan re-sends it, which is
    # an in-place credential update and nothing more.
    plan = ws.saved_plan()
    for address, actions in actions_by_address(plan).items():
        assert actions in (["no-op"], ["update"]), (address, actions)
    for node in before.values():
        assert_untouched(ironic, node)
    apply_then_settle(ws)
    for node in before.values():
        assert_untouched(ironic, node)


def test_import_without_externally_provisioned_records_the_running_image(ws, stack, ironic):
    """The same active node, configured as an ordinary provisioned host: the import plan warns
    about nothing destructive, apply records the image it already runs, and nothing is deployed."""
    mac = random_mac()
    before = precreate_active_node(ironic, ws.namespace, "legacy-3", mac, stack["images"]["qcow2_url"])
    args = imported_host("legacy-3", mac, stack, write_only=False)
    args.pop("externally_provisioned")
    body = f'import {{\n  to = metal3_baremetal_host.legacy\n  id = "{ws.namespace}/legacy-3"\n}}\n\n'
    ws.configure(body + resource("legacy", args))
    plan = ws.saved_plan()
    assert actions_by_address(plan)["metal3_baremetal_host.legacy"] in (["no-op"], ["update"])
    assert "DEPLOYED" not in plan["_stdout"] and "REDEPLOYED" not in plan["_stdout"], plan["_stdout"]
    apply_then_settle(ws)
    state = ws.resources()["metal3_baremetal_host.legacy"]
    assert state["provisioning_state"] == "provisioned"
    assert_untouched(ironic, before)


def test_import_block_by_identity_records_identity(ws, stack, ironic):
    """Terraform >= 1.12: `import { identity = { namespace, name } }`; the state then carries the
    resource identity, and the host is taken over untouched like any other import."""
    mac = random_mac()
    before = precreate_active_node(ironic, ws.namespace, "legacy-4", mac, stack["images"]["qcow2_url"])
    body = ("import {\n  to = metal3_baremetal_host.legacy\n  identity = {\n"
            f'    namespace = "{ws.namespace}"\n    name      = "legacy-4"\n  }}\n}}\n\n')
    body += resource("legacy", imported_host("legacy-4", mac, stack, write_only=True))
    ws.configure(body)

    plan = ws.saved_plan()
    actions = actions_by_address(plan)["metal3_baremetal_host.legacy"]
    assert actions in (["no-op"], ["update"]), actions
    ws.apply()
    state = ws.resources()["metal3_baremetal_host.legacy"]
    assert state["id"] == before["uuid"]
    assert state["provisioning_state"] == "externally provisioned"
    assert_untouched(ironic, before)

    # The state file (format 4) keeps each instance's identity beside its attributes.
    tfstate = json.loads((ws.workdir / "terraform.tfstate").read_text())
    identities = [inst.get("identity") for r in tfstate["resources"] if r["name"] == "legacy"
                  for inst in r["instances"]]
    assert identities == [{"namespace": ws.namespace, "name": "legacy-4"}], identities
    ws.assert_no_drift()
    assert_untouched(ironic, before)


def test_import_with_another_image_than_the_node_runs_is_redeployed(ws, stack, ironic):
    """An imported active node whose config names another image than Ironic says it runs: the
    plan announces the disk being written, and apply does exactly that (a rebuild in Ironic)."""
    mac = random_mac()
    before = precreate_active_node(ironic, ws.namespace, "legacy-5", mac, stack["images"]["qcow2_url"])
    args = imported_host("legacy-5", mac, stack, write_only=True)
    args.pop("externally_provisioned")
    args["image"] = {"url": stack["images"]["raw_url"], "checksum": stack["images"]["raw_md5"],
                     "checksum_type": "md5", "disk_format": "raw"}
    body = f'import {{\n  to = metal3_baremetal_host.legacy\n  id = "{ws.namespace}/legacy-5"\n}}\n\n'
    ws.configure(body + resource("legacy", args))
    plan = ws.saved_plan()
    assert actions_by_address(plan)["metal3_baremetal_host.legacy"] == ["update"]
    assert "DEPLOYED" in plan["_stdout"], plan["_stdout"]
    ws.apply()
    after = ironic.node(before["uuid"])
    assert after["provision_state"] == "active", (after["provision_state"], after["last_error"])
    assert after["instance_info"].get("image_source") == stack["images"]["raw_url"]
    assert after["provision_updated_at"] != before["provision_updated_at"], "no redeploy happened"
    assert ws.resources()["metal3_baremetal_host.legacy"]["provisioning_state"] == "provisioned"
    ws.assert_no_drift()


def test_a_node_whose_power_ironic_never_read_is_never_switched(ws, stack, ironic):
    """Ironic holds no power state (null) for a node it has not read yet: a real BMC that did not
    answer, or a fake-hardware node nobody powered. Import takes such a host as running
    (`online = true`, never `false`), and no `online` value sends a power request until Ironic
    knows the power; once it does, the difference is a planned change like any other."""
    from ironic_log import IronicLog

    mac = random_mac()
    before = precreate_active_node(ironic, ws.namespace, "legacy-8", mac, stack["images"]["qcow2_url"])
    assert before["power_state"] is None, "the scenario needs a node whose power Ironic never read"
    host = imported_host("legacy-8", mac, stack, write_only=True)
    body = f'import {{\n  to = metal3_baremetal_host.legacy\n  id = "{ws.namespace}/legacy-8"\n}}\n\n'
    ws.configure(body + resource("legacy", host))
    change = next(c["change"] for c in ws.saved_plan()["resource_changes"]
                  if c["address"] == "metal3_baremetal_host.legacy")
    assert change["before"]["online"] is True and change["after"]["online"] is True, change

    log = IronicLog(stack)
    mark = log.mark()
    ws.apply()
    state = ws.resources()["metal3_baremetal_host.legacy"]
    assert state["online"] is True and state["powered_on"] is None, state
    ws.assert_no_drift()

    # `online = false` while the power is unknown: the plan shows it, the apply sends no power.
    ws.configure(body + resource("legacy", {**host, "online": False}))
    ws.apply()
    power = [r for r in log.mutating_requests_since(mark) if r.path.endswith("/states/power")]
    assert not power, power
    assert ironic.node(before["uuid"])["power_state"] is None
    assert_untouched(ironic, before)

    # Ironic learns the host runs (here set directly, as its power sync would): the next plan
    # shows `online` going back to false, and only applying it powers the host off.
    ironic.request("PUT", f"/v1/nodes/{before['uuid']}/states/power", json={"target": "power on"},
                   expect=(202,))
    ironic.wait_power(before["uuid"], "power on")
    change = next(c["change"] for c in ws.saved_plan()["resource_changes"]
                  if c["address"] == "metal3_baremetal_host.legacy")
    assert change["actions"] == ["update"], change
    assert (change["before"]["online"], change["after"]["online"]) == (True, False), change
    ws.apply()
    assert ironic.node(before["uuid"])["power_state"] == "power off"
    ws.assert_no_drift()
