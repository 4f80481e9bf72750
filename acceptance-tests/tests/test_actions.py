"""Actions in real Terraform: `metal3_reboot`, `metal3_power` and `metal3_inspect` run with
`apply -invoke` and from a resource's `action_trigger`, their effect read from Ironic (its log of
power changes, the node's power state, its inspection timestamp and history), a host that is not
at rest (or, for inspection, would be cleaned or deprovisioned) refused with its state and left
alone, and bad settings refused at plan time naming the attribute."""

from hostkit import fake_host, random_mac, resource, write_inventory, ws  # noqa: F401 (ws is a fixture)
from ironic_log import IronicLog


def actions(*blocks: tuple) -> str:
    out = []
    for kind, label, settings in blocks:
        body = "\n".join(f"    {k} = {v}" for k, v in settings.items())
        out.append(f'action "{kind}" "{label}" {{\n  config {{\n{body}\n  }}\n}}\n')
    return "".join(out)


HOST_ID = "metal3_baremetal_host.h.id"


def power_log(log: IronicLog, mark: int, uuid: str) -> list:
    return [line for line in log.lines_since(mark) if uuid in line and "power state to" in line]


def test_invoked_actions_reboot_and_power_the_host_in_ironic(ws, ironic, stack):
    ws.configure(resource("h", fake_host("act-0", random_mac(), inspection_mode="disabled")) + actions(
        ("metal3_reboot", "hard", {"host_id": HOST_ID, "mode": '"hard"'}),
        ("metal3_reboot", "soft", {"host_id": HOST_ID, "timeout": '"2m"'}),
        ("metal3_power", "off", {"host_id": HOST_ID, "power": '"off"'}),
    ))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.h"]["id"]
    before = ironic.node(uuid)
    log = IronicLog(stack)

    mark = log.mark()
    proc = ws.apply("-invoke=action.metal3_reboot.hard")
    assert "hard reboot done, power on" in proc.stdout, proc.stdout
    assert any("by rebooting" in line for line in power_log(log, mark, uuid)), log.lines_since(mark)

    mark = log.mark()
    proc = ws.apply("-invoke=action.metal3_reboot.soft")
    assert "soft reboot done, power on" in proc.stdout, proc.stdout
    assert any("soft rebooting" in line for line in power_log(log, mark, uuid)), log.lines_since(mark)
    after = ironic.node(uuid)
    assert after["power_state"] == "power on"
    assert (after["provision_state"], after["provision_updated_at"]) == \
        (before["provision_state"], before["provision_updated_at"]), "a reboot moves no provision state"

    proc = ws.apply("-invoke=action.metal3_power.off")
    assert ironic.node(uuid)["power_state"] == "power off"
    # `online = true` still: the next plan puts the power back, as the action's page says.
    proc = ws.plan("-detailed-exitcode")
    assert proc.returncode == 2 and "online                  = false -> true" in proc.stdout, proc.stdout
    ws.apply()
    assert ironic.node(uuid)["power_state"] == "power on"
    ws.assert_no_drift()


def test_action_triggers_reboot_and_power_cycle_the_host_after_an_update(ws, ironic, stack):
    """One trigger runs a hard reboot, then `metal3_power` off and on (a power cycle that ends
    where `online` says), in that order, on an update and not on create."""
    def config(description: str) -> str:
        host = fake_host("act-1", "52:54:00:7a:00:01", inspection_mode="disabled", description=description)
        block = resource("h", host).rstrip()
        assert block.endswith("}")
        trigger = ("\n  lifecycle {\n    action_trigger {\n      events  = [after_update]\n"
                   "      actions = [action.metal3_reboot.r, action.metal3_power.off, action.metal3_power.on]\n"
                   "    }\n  }\n}\n")
        return block[:-1] + trigger + actions(
            ("metal3_reboot", "r", {"host_id": HOST_ID, "mode": '"hard"'}),
            ("metal3_power", "off", {"host_id": HOST_ID, "power": '"off"'}),
            ("metal3_power", "on", {"host_id": HOST_ID, "power": '"on"'}),
        )

    ws.configure(config("first"))
    log = IronicLog(stack)
    mark = log.mark()
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.h"]["id"]
    assert not power_log(log, mark, uuid) or not any("by rebooting" in line for line in power_log(log, mark, uuid)), \
        "creating the host triggers nothing (after_update only)"
    ws.configure(config("second"))
    mark = log.mark()
    proc = ws.apply()
    for address in ("metal3_reboot.r", "metal3_power.off", "metal3_power.on"):
        assert f"Action complete: action.{address}" in proc.stdout, proc.stdout
    changes = power_log(log, mark, uuid)
    order = [next((i for i, line in enumerate(changes) if needle in line), None)
             for needle in ("by rebooting", "by power off", "by power on")]
    assert None not in order and order == sorted(order), changes
    node = ironic.node(uuid)
    assert (node["description"], node["power_state"]) == ("second", "power on")
    ws.assert_no_drift()


def test_a_host_in_maintenance_is_refused_with_its_state_and_left_alone(ws, ironic, stack):
    ws.configure(resource("h", fake_host("act-2", random_mac(), inspection_mode="disabled")) + actions(
        ("metal3_reboot", "r", {"host_id": HOST_ID, "mode": '"hard"'}),
        ("metal3_power", "missing", {"host_id": '"00000000-0000-4000-8000-000000000000"', "power": '"on"'}),
    ))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.h"]["id"]
    ironic.request("PUT", f"/v1/nodes/{uuid}/maintenance", json={"reason": "fan replaced"}, expect=(202,))
    try:
        log = IronicLog(stack)
        mark = log.mark()
        proc = ws.apply("-invoke=action.metal3_reboot.r", check=False)
        text = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode == 1, text
        assert "Host hard reboot failed" in text and "maintenance (fan replaced)" in text, text
        assert not log.mutating_requests_since(mark), "nothing was asked of Ironic"
    finally:
        ironic.request("DELETE", f"/v1/nodes/{uuid}/maintenance", expect=(202,))
    proc = ws.apply("-invoke=action.metal3_power.missing", check=False)
    text = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode == 1 and "Ironic has no such node" in text, text


def test_bad_action_settings_fail_at_plan_naming_the_attribute(ws):
    ws.configure(actions(
        ("metal3_reboot", "r", {"host_id": '"00000000-0000-4000-8000-000000000000"', "mode": '"gentle"'}),
        ("metal3_power", "p", {"host_id": '"x"', "power": '"sideways"', "timeout": '"soon"'}),
    ))
    for address, needles in (
        ("action.metal3_reboot.r", ['`mode` is "gentle"; use one of `soft`, `hard`']),
        ("action.metal3_power.p", ['`power` is "sideways"; use one of `on`, `off`',
                                  '`timeout` is "soon"; use a duration']),
    ):
        proc = ws.plan(f"-invoke={address}")
        text = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode == 1, text
        for needle in needles:
            assert needle in text, text


def with_trigger(block: str, action: str) -> str:
    """A resource block with `action` triggered after each update."""
    block = block.rstrip()
    assert block.endswith("}")
    return block[:-1] + ("\n  lifecycle {\n    action_trigger {\n      events  = [after_update]\n"
                         f"      actions = [{action}]\n    }}\n  }}\n}}\n")


def test_inspect_reads_a_changed_machine_without_cleaning_it(ws, ironic, stack):
    """-invoke and action_trigger: Ironic inspects again (new inspection_finished_at, the new
    inventory in the next refresh), the host returns to `available`, and nothing is cleaned."""
    mac = random_mac()
    write_inventory(stack, mac, ram_mb=16384, hostname="before")

    def config(description: str) -> str:
        host = fake_host("insp-0", mac, automated_cleaning_mode="disabled", description=description)
        return (with_trigger(resource("h", host), "action.metal3_inspect.i")
                + actions(("metal3_inspect", "i", {"host_id": HOST_ID, "timeout": '"10m"'})))

    ws.configure(config("first"))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.h"]["id"]
    assert ws.resources()["metal3_baremetal_host.h"]["hardware"]["ram_mebibytes"] == 16384
    first = ironic.node(uuid)["inspection_finished_at"]
    assert first

    write_inventory(stack, mac, ram_mb=32768, hostname="after")
    log = IronicLog(stack)
    mark = log.mark()
    proc = ws.apply("-invoke=action.metal3_inspect.i")
    assert "inspected (finished" in proc.stdout and 'now \"available\"' in proc.stdout, proc.stdout
    node = ironic.node(uuid)
    assert node["provision_state"] == "available" and node["inspection_finished_at"] > first, node
    states = [m.state for m in log.moves_since(mark, {uuid})]
    assert "manageable" in states and "inspect wait" in states and states[-1] == "available", states
    assert log.disk_events_since(mark, {uuid}) == {"cleaned": False, "deployed": False}
    ws.apply("-refresh-only")
    hardware = ws.resources()["metal3_baremetal_host.h"]["hardware"]
    assert (hardware["ram_mebibytes"], hardware["hostname"]) == (32768, "after"), hardware
    ws.assert_no_drift()

    # The same action from the resource's lifecycle, after an update.
    second = node["inspection_finished_at"]
    write_inventory(stack, mac, ram_mb=65536, hostname="again")
    ws.configure(config("second"))
    proc = ws.apply()
    assert "Action complete: action.metal3_inspect.i" in proc.stdout, proc.stdout
    node = ironic.node(uuid)
    assert node["inspection_finished_at"] > second and node["description"] == "second"
    ws.apply("-refresh-only")
    assert ws.resources()["metal3_baremetal_host.h"]["hardware"]["ram_mebibytes"] == 65536
    ws.assert_no_drift()


def test_inspect_refuses_hosts_it_would_clean_or_deprovision(ws, ironic, stack):
    """An `available` host with cleaning on, and a provisioned one: refused with the reason and
    nothing sent to Ironic. `allow_cleaning = true` inspects the first, through cleaning."""
    ws.configure(
        resource("h", fake_host("insp-1", random_mac()))
        + resource("p", fake_host("insp-2", random_mac(), inspection_mode="disabled", image={
            "url": stack["images"]["qcow2_url"], "checksum": stack["images"]["qcow2_sha256"]}))
        + actions(
            ("metal3_inspect", "cleaning", {"host_id": HOST_ID}),
            ("metal3_inspect", "provisioned", {"host_id": "metal3_baremetal_host.p.id"}),
            ("metal3_inspect", "allowed", {"host_id": HOST_ID, "allow_cleaning": "true"}),
        ))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.h"]["id"]
    first = ironic.node(uuid)["inspection_finished_at"]
    log = IronicLog(stack)
    for address, needles in (
        ("action.metal3_inspect.cleaning", ['(node in "available")', "erases its disks", "allow_cleaning = true"]),
        ("action.metal3_inspect.provisioned", ['(node in "active")', "not provisioned"]),
    ):
        mark = log.mark()
        proc = ws.apply(f"-invoke={address}", check=False)
        text = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode == 1 and "Host inspection failed" in text, text
        for needle in needles:
            assert needle in text, text
        assert not log.mutating_requests_since(mark), "nothing was asked of Ironic"

    mark = log.mark()
    ws.apply("-invoke=action.metal3_inspect.allowed")
    node = ironic.node(uuid)
    assert node["provision_state"] == "available" and node["inspection_finished_at"] > first
    assert log.disk_events_since(mark, {uuid})["cleaned"] is True, "allowed, and announced by the setting"
    ws.assert_no_drift()
