"""What happens to the disks: every starting state of a host x every operation an operator can run
on it, asserted from Ironic itself (its log of cleaning and deployment steps, and the node history
where the node still exists) and compared with what the plan said. Also: no `terraform plan`, in
any of these states, sends a mutating request to Ironic.

All 36 cells live in one working directory (one host each), so the whole matrix costs three
applies. The table is docs/resources/baremetal_host.md's "What happens to the disks".

Starting states (fake-hardware hosts, automated cleaning `metadata` unless said):
- available: inspected, no image;
- provisioned: deployed with an image;
- externally: adopted (`externally_provisioned = true`), image recorded only;
- live_iso: booted from a live ISO (cleaning `disabled`, as the live-iso example);
- failed_deploy: its deploy failed (`deploy failed`; injected into Ironic's database, since the
  fake deploy interface never fails);
- failed_create: its create timed out during inspection, so Terraform tainted it.

Operations: destroy (removed from the configuration), rename (a replacement), image removed,
image changed (for the available host: image set), taint + apply, and Ironic database lost (the
node deleted behind Terraform's back) + plan + apply.
"""

import json
import re
from datetime import datetime, timezone
import sqlite3
import time
from pathlib import Path

import pytest

from hostkit import (Workspace, delete_node, fake_host, json_diagnostics, purge_namespace,
                     random_mac, resource, unique_namespace)
from ironic_log import IronicLog, history_events

STATES = ["available", "provisioned", "externally", "live_iso", "failed_deploy", "failed_create"]
OPERATIONS = ["destroy", "rename", "image_removed", "image_changed", "taint", "database_lost"]

# (cleaning ran, a deployment ran) on the machine during the operation.
CLEAN, DEPLOY, BOTH, NOTHING = (True, False), (False, True), (True, True), (False, False)
EXPECTED = {
    "available": {"destroy": NOTHING, "rename": CLEAN, "image_removed": NOTHING,
                  "image_changed": DEPLOY, "taint": CLEAN, "database_lost": CLEAN},
    "provisioned": {"destroy": CLEAN, "rename": BOTH, "image_removed": CLEAN,
                    "image_changed": DEPLOY, "taint": BOTH, "database_lost": NOTHING},
    "externally": {op: NOTHING for op in OPERATIONS},
    "live_iso": {"destroy": NOTHING, "rename": DEPLOY, "image_removed": NOTHING,
                 "image_changed": DEPLOY, "taint": DEPLOY, "database_lost": NOTHING},
    "failed_deploy": {"destroy": CLEAN, "rename": BOTH, "image_removed": CLEAN,
                      "image_changed": BOTH, "taint": BOTH, "database_lost": BOTH},
    "failed_create": {"destroy": NOTHING, "rename": BOTH, "image_removed": CLEAN,
                      "image_changed": BOTH, "taint": BOTH, "database_lost": BOTH},
}
SHORT = {"available": "av", "provisioned": "pr", "externally": "ex", "live_iso": "li",
         "failed_deploy": "fd", "failed_create": "fc"}
OP_SHORT = {"destroy": "destroy", "rename": "rename", "image_removed": "noimg",
            "image_changed": "newimg", "taint": "taint", "database_lost": "lost"}

DEPLOY_WORDS = re.compile(r"\b(DEPLOYED|REDEPLOYED)\b")


def host_name(state: str, op: str, renamed: bool = False) -> str:
    return f"{SHORT[state]}-{OP_SHORT[op]}" + ("-r" if renamed else "")


def address(state: str, op: str) -> str:
    return f"metal3_baremetal_host.{SHORT[state]}_{OP_SHORT[op]}"


class Matrix:
    def __init__(self, stack: dict, ws: Workspace):
        self.stack = stack
        self.ws = ws
        self.macs = {(s, o): random_mac() for s in STATES for o in OPERATIONS}
        images = stack["images"]
        self.qcow2 = {"url": images["qcow2_url"], "checksum": images["qcow2_sha256"]}
        self.raw = {"url": images["raw_url"], "checksum": images["raw_md5"], "checksum_type": "md5",
                    "disk_format": "raw"}
        self.iso = {"url": images["iso_url"], "disk_format": "live-iso"}
        self.iso2 = {"url": images["iso_url"] + "?v=2", "disk_format": "live-iso"}

    def args(self, state: str, op: str, after: bool) -> dict | None:
        """The host's arguments before (`after=False`) or after the operation; None: removed."""
        if after and op == "destroy":
            return None
        name = host_name(state, op, renamed=after and op == "rename")
        mac = self.macs[(state, op)]
        extra: dict = {}
        image = None if state == "available" else self.qcow2
        if state == "externally":
            extra.update(externally_provisioned=True, inspection_mode="disabled")
        if state == "live_iso":
            image = self.iso
            extra.update(inspection_mode="disabled", automated_cleaning_mode="disabled")
        if after and op == "image_removed":
            image = None
        if after and op == "image_changed":
            image = {"live_iso": self.iso2}.get(state, self.raw)
        if image:
            extra["image"] = image
        return fake_host(name, mac, **extra)

    def config(self, after: bool) -> str:
        body = ""
        for state in STATES:
            for op in OPERATIONS:
                args = self.args(state, op, after)
                if args is None:
                    continue
                blocks = None
                if state == "failed_create" and not after:
                    blocks = {"timeouts": {"create": "15s"}}
                body += resource(address(state, op).split(".")[1], args, blocks=blocks)
        return body


def hold_file(stack: dict, mac: str) -> Path:
    return Path(stack["inventories_dir"]) / f"{mac}.hold"


def inject_deploy_failure(stack: dict, uuid: str) -> None:
    """Ironic's fake deploy never fails: write the outcome of a failed deployment into its
    database, as its conductor would (state, no target, last_error)."""
    db = Path(stack["log_dir"]).parent / "ironic-noauth" / "ironic.sqlite"
    with sqlite3.connect(db, timeout=30) as conn:
        conn.execute(
            "UPDATE nodes SET provision_state = 'deploy failed', target_provision_state = NULL, "
            "last_error = 'Injected by the safety matrix: image write failed' WHERE uuid = ?",
            (uuid,))


def words_for(diagnostics: list[dict], namespace: str, name: str) -> str:
    """Every warning the plan gave about one host (warnings are prefixed `<ns>/<name>: `)."""
    prefix = f"{namespace}/{name}:"
    return "\n".join(d["summary"] + " " + d.get("detail", "") for d in diagnostics
                     if d["summary"].startswith(prefix))


def state_ids(ws: Workspace) -> dict:
    return {addr: values["id"] for addr, values in ws.resources().items()}


class Run:
    """What one run of the matrix observed: the plans' writes to Ironic, the operation plan's
    actions and warnings, and Ironic's log and node history around the operation's apply."""

    def __init__(self):
        self.writes_in_plans: dict = {}
        self.actions: dict = {}
        self.cells: dict = {}
        self.apply_output = ""
        self.apply_code = None
        self.converged = None


@pytest.fixture(scope="module")
def run(tmp_path_factory, stack, ironic, provider_bin):
    ws = Workspace(tmp_path_factory.mktemp("matrix") / "tf", stack, unique_namespace("matrix"))
    log = IronicLog(stack)
    matrix = Matrix(stack, ws)
    result = Run()
    holds = [hold_file(stack, matrix.macs[("failed_create", op)]) for op in OPERATIONS]
    try:
        for hold in holds:
            hold.touch()
        # 1. Every host in its starting state. The failed creates time out in inspection.
        ws.configure(matrix.config(after=False))
        first = ws.apply(check=False, timeout=900)
        assert first.returncode != 0, "the failed creates must fail"
        tainted = {r["address"] for r in ws.show()["values"]["root_module"]["resources"]
                   if r.get("tainted")}
        assert tainted == {address("failed_create", op) for op in OPERATIONS}, first.stdout[-3000:]
        before = state_ids(ws)
        for op in OPERATIONS:
            inject_deploy_failure(stack, before[address("failed_deploy", op)])
        # As if the failed deploy had been an apply: the state records it.
        ws.run("apply", "-refresh-only", "-auto-approve", "-input=false")
        for hold in holds:
            hold.unlink()

        mark = log.mark()
        ws.plan()
        result.writes_in_plans["every starting state"] = log.mutating_requests_since(mark)

        # 2. Every operation at once.
        ws.configure(matrix.config(after=True))
        for state in STATES:
            if state != "failed_create":  # already tainted
                ws.run("taint", address(state, "taint"))
        for state in STATES:
            delete_node(ironic, before[address(state, "database_lost")])
        mark = log.mark()
        since = datetime.now(timezone.utc).isoformat()
        plan = ws.plan("-out=tfplan", "-json", check=True)
        result.writes_in_plans["every operation, database lost included"] = \
            log.mutating_requests_since(mark)
        diagnostics = json_diagnostics(plan.stdout)
        planned = json.loads(ws.tf.run("show", "-json", "tfplan").stdout)
        result.actions = {c["address"]: c["change"]["actions"] for c in planned["resource_changes"]}
        applied = ws.run("apply", "-input=false", "-auto-approve", "-parallelism=10", "tfplan",
                         check=False, timeout=900)
        result.apply_code = applied.returncode
        result.apply_output = applied.stdout[-4000:] + applied.stderr[-2000:]
        after = state_ids(ws)

        # 3. Per cell: what Ironic did (log, and history where the node still exists) and what
        # the plan said.
        for state in STATES:
            for op in OPERATIONS:
                nodes = {before[address(state, op)]}
                if address(state, op) in after:
                    nodes.add(after[address(state, op)])
                logged = {node: log.disk_events_since(mark, {node}) for node in nodes}
                history = {node: set(history_events(ironic, node, since)) for node in nodes}
                said = words_for(diagnostics, ws.namespace,
                                 host_name(state, op, renamed=op == "rename"))
                result.cells[(state, op)] = {"logged": logged, "history": history, "said": said}

        # 4. Converged: the next plan is empty and, again, reads only.
        mark = log.mark()
        result.converged = ws.plan("-detailed-exitcode").returncode
        result.writes_in_plans["after the operations"] = log.mutating_requests_since(mark)
        yield result
    finally:
        for hold in holds:
            hold.unlink(missing_ok=True)
        if ws.initialized and ws.has_state():
            ws.destroy(check=False, timeout=900)
        purge_namespace(ironic, ws.namespace)


CELLS = [(state, op) for state in STATES for op in OPERATIONS]


@pytest.mark.needs_resource
@pytest.mark.parametrize("state,op", CELLS, ids=[f"{s}-{o}" for s, o in CELLS])
def test_disks_are_touched_only_as_the_plan_said(run, state, op):
    cell = run.cells[(state, op)]
    cleaned, deployed = EXPECTED[state][op]
    expected = {"cleaned": cleaned, "deployed": deployed}
    did = {key: any(events[key] for events in cell["logged"].values())
           for key in ("cleaned", "deployed")}
    said = {"cleaned": "are CLEANED" in cell["said"],
            "deployed": bool(DEPLOY_WORDS.search(cell["said"]))}
    assert did == expected, f"Ironic did {did}; the plan said: {cell['said']!r}"
    assert said == expected, f"the plan said {said}: {cell['said']!r}"
    for node, events in cell["history"].items():
        if events:  # the node still exists: its history tells the same
            assert {"cleaned": "automated_cleaning_start" in events,
                    "deployed": "deployment_start" in events} == cell["logged"][node], (node, events)


@pytest.mark.needs_resource
def test_no_plan_writes_to_ironic(run):
    assert run.writes_in_plans and all(w == [] for w in run.writes_in_plans.values()), \
        run.writes_in_plans


@pytest.mark.needs_resource
def test_ironic_forgetting_a_host_never_replaces_it(run):
    for state in STATES:
        expected = ["delete", "create"] if state == "failed_create" else ["update"]  # tainted
        assert run.actions[address(state, "database_lost")] == expected, state


@pytest.mark.needs_resource
def test_the_operations_apply_and_converge(run):
    assert run.apply_code == 0, run.apply_output
    assert run.converged == 0, "the plan after the operations is not empty"
