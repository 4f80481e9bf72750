"""Bad input to the actions (`metal3_power`, `metal3_reboot`, `metal3_inspect`), as a table, in
real Terraform: every argument's bad forms, limits, unicode, empty and huge values and wrong
types, and hosts in every state an action can meet (enroll, inspect wait, clean wait, wait
call-back, deploy/clean/inspect failed, maintenance, active, unknown, deleted during the call).

Each case says the step at which it is refused (`validate`; `plan` when the value comes from a
variable; `invoke` when only Ironic's node tells), the attribute the diagnostic points at, a
phrase saying what is allowed or what to do; and every case checks that no mutating request
reached Ironic, that no secret shows in any output or in the provider's log, and that the
provider did not panic. Argument cases share one configuration per step (one `validate` for all,
one `plan -invoke` each); state cases share one working directory and nodes made through Ironic's
API. A `done` case is a state where the action must work, and the power Ironic reports is checked.
"""

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from hostkit import (Raw, Workspace, delete_node, fake_host, flat, hcl, json_diagnostics, purge_namespace,
                     random_mac, resource, unique_namespace)
from ironic_log import IronicLog
from m3stack.testkit import Ironic

TROUBLESHOOTING = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "troubleshooting.md").read_text()
# Terraform's own diagnostics (types, required and unknown arguments): not the provider's to document.
TERRAFORM_SUMMARIES = {"Incorrect attribute value type", "Missing required argument", "Unsupported argument",
                       "Invalid limit argument", "Incorrect value type"}
SECRET = "act-bmc-" + secrets.token_hex(8)
MISSING_UUID = "00000000-0000-4000-8000-00000000abcd"
UUID_FORM = "node UUID"          # every host_id message says what is allowed
TIMEOUT_RANGE = "from 1s to 24h"
BASE = {
    "metal3_power": {"host_id": MISSING_UUID, "power": "off"},
    "metal3_reboot": {"host_id": MISSING_UUID},
    "metal3_inspect": {"host_id": MISSING_UUID},
}
DROP = object()  # removes an argument of the base configuration


@dataclass
class Case:
    kind: str                 # the action type
    config: dict              # changes to BASE[kind] (DROP removes; Raw for expressions)
    step: str                 # validate | plan | invoke | done (invoke succeeds)
    attribute: str | None     # where the diagnostic points (None: the host's state is at fault)
    says: str                 # a phrase of the message
    node: str | None = None   # invoke cases: the state of the host acted on


HUGE = "n" * 100_000
CASES = {
    # --- host_id: a node UUID or a name Ironic takes; never a path -----------------------------
    **{f"power-host-id-{label}": Case("metal3_power", {"host_id": value}, "validate", "host_id", UUID_FORM)
       for label, value in {
           "empty": "", "dot": ".", "dotdot": "..", "slash": "/", "up-two": "../..", "path": "a/b",
           "space": " ", "inner-space": "worker 0", "tab": "\t", "newline": "w\n", "bell": "w\u0007",
           "nul-escape": "w\\u0000", "256-chars": "n" * 256, "huge": HUGE, "umlaut": "wörker",
           "emoji": "\U0001F47E", "percent-dotdot": "%2e%2e", "query": "node?fields=uuid",
           "fragment": "node#x", "backslash": "a\\b", "uuid-with-slash": MISSING_UUID + "/x",
       }.items()},
    "reboot-host-id-dotdot": Case("metal3_reboot", {"host_id": ".."}, "validate", "host_id", UUID_FORM),
    "reboot-host-id-empty": Case("metal3_reboot", {"host_id": ""}, "validate", "host_id", UUID_FORM),
    "inspect-host-id-dotdot": Case("metal3_inspect", {"host_id": ".."}, "validate", "host_id", UUID_FORM),
    "inspect-host-id-path": Case("metal3_inspect", {"host_id": "v1/nodes"}, "validate", "host_id", UUID_FORM),
    "host-id-list": Case("metal3_power", {"host_id": Raw('["x"]')}, "validate", "host_id", "string required"),
    "host-id-object": Case("metal3_reboot", {"host_id": Raw("{ a = 1 }")}, "validate", "host_id", "string required"),
    "host-id-missing": Case("metal3_inspect", {"host_id": DROP}, "validate", "host_id", '"host_id" is required'),
    "host-id-null": Case("metal3_power", {"host_id": None}, "validate", "host_id", '"host_id" is required'),
    # --- power and soft -----------------------------------------------------------------------
    **{f"power-{label}": Case("metal3_power", {"power": value}, "validate", "power", "use one of `on`, `off`")
       for label, value in {"uppercase": "ON", "empty": "", "word": "sideways", "leading-space": " on",
                            "unicode": "öff", "huge": HUGE, "number": Raw("1"), "bool": Raw("true")}.items()},
    "power-missing": Case("metal3_power", {"power": DROP}, "validate", "power", '"power" is required'),
    "power-list": Case("metal3_power", {"power": Raw('["on"]')}, "validate", "power", "string required"),
    "soft-with-power-on": Case("metal3_power", {"power": "on", "soft": Raw("true")}, "validate", "soft",
                               'applies only to `power = "off"`'),
    "soft-not-bool": Case("metal3_power", {"soft": "maybe"}, "validate", "soft", "bool"),
    # --- reboot mode --------------------------------------------------------------------------
    **{f"mode-{label}": Case("metal3_reboot", {"mode": value}, "validate", "mode", "use one of `soft`, `hard`")
       for label, value in {"uppercase": "HARD", "empty": "", "word": "gentle", "trailing-space": "soft ",
                            "unicode": "härd", "huge": HUGE}.items()},
    # --- inspect allow_cleaning ---------------------------------------------------------------
    "allow-cleaning-not-bool": Case("metal3_inspect", {"allow_cleaning": "perhaps"}, "validate",
                                    "allow_cleaning", "bool"),
    "allow-cleaning-list": Case("metal3_inspect", {"allow_cleaning": Raw("[true]")}, "validate",
                                "allow_cleaning", "bool"),
    # --- timeout: a duration from 1s to 24h, on every action ----------------------------------
    **{f"{kind.split('_')[1]}-timeout-{label}": Case(kind, {"timeout": value}, "validate", "timeout", TIMEOUT_RANGE)
       for kind in BASE
       for label, value in {"overflow": "2562047788015216h", "25h": "25h", "day-and-a-second": "86401s",
                            "zero": "0s", "bare-zero": "0", "empty": "", "negative": "-1m", "days": "1d",
                            "words": "soon", "no-unit": "90", "sub-second": "500ms",
                            "nines": "9" * 30 + "h", "fullwidth": "5\uff4d", "trailing-space": "1h ",
                            "huge": "1" * 100_000 + "s", "number": Raw("5")}.items()
       if kind == "metal3_power" or label in ("overflow", "25h", "zero", "words")},
    "unknown-argument": Case("metal3_reboot", {"hostid": MISSING_UUID}, "validate", "hostid",
                             "Unsupported argument"),
    # --- values known only at plan (from variables) -------------------------------------------
    "plan-host-id-dotdot": Case("metal3_power", {"host_id": Raw("var.dotdot")}, "plan", "host_id", UUID_FORM),
    "plan-host-id-slash": Case("metal3_inspect", {"host_id": Raw("var.slash")}, "plan", "host_id", UUID_FORM),
    "plan-timeout-overflow": Case("metal3_reboot", {"timeout": Raw("var.overflow")}, "plan", "timeout",
                                  TIMEOUT_RANGE),
    "plan-soft-with-on": Case("metal3_power", {"power": Raw("var.on"), "soft": Raw("true")}, "plan", "soft",
                              'applies only to `power = "off"`'),
    # --- hosts in every state an action can meet ----------------------------------------------
    "enroll-power-on": Case("metal3_power", {"power": "on"}, "invoke", None, "not verified its BMC", "enroll"),
    "enroll-power-off": Case("metal3_power", {}, "invoke", None, "not verified its BMC", "enroll"),
    "enroll-reboot": Case("metal3_reboot", {"mode": "hard"}, "invoke", None, "not verified its BMC", "enroll"),
    "enroll-inspect": Case("metal3_inspect", {}, "invoke", None, '"manageable" or "available"', "enroll"),
    "inspecting-power-off": Case("metal3_power", {}, "invoke", None, "try again once it is at rest", "inspect wait"),
    "inspecting-reboot": Case("metal3_reboot", {}, "invoke", None, "try again once it is at rest", "inspect wait"),
    "inspecting-inspect": Case("metal3_inspect", {}, "invoke", None, "try again once it is at rest", "inspect wait"),
    "cleaning-power-on": Case("metal3_power", {"power": "on"}, "invoke", None, "try again once it is at rest",
                              "clean wait"),
    "cleaning-reboot": Case("metal3_reboot", {"mode": "hard"}, "invoke", None, "try again once it is at rest",
                            "clean wait"),
    "cleaning-inspect": Case("metal3_inspect", {"allow_cleaning": Raw("true")}, "invoke", None,
                             "try again once it is at rest", "clean wait"),
    "deploying-power-off": Case("metal3_power", {"soft": Raw("true")}, "invoke", None,
                                "try again once it is at rest", "wait call-back"),
    "deploying-reboot": Case("metal3_reboot", {}, "invoke", None, "try again once it is at rest", "wait call-back"),
    "deploying-inspect": Case("metal3_inspect", {}, "invoke", None, "try again once it is at rest",
                              "wait call-back"),
    "maintenance-power-off": Case("metal3_power", {}, "invoke", None, "maintenance (fan replaced)", "maintenance"),
    "maintenance-reboot": Case("metal3_reboot", {}, "invoke", None, "maintenance (fan replaced)", "maintenance"),
    "maintenance-inspect": Case("metal3_inspect", {}, "invoke", None, "maintenance (fan replaced)", "maintenance"),
    "active-inspect": Case("metal3_inspect", {"allow_cleaning": Raw("true")}, "invoke", None,
                           "not provisioned", "active"),
    "deploy-failed-inspect": Case("metal3_inspect", {}, "invoke", None, '"manageable" or "available"',
                                  "deploy failed"),
    "unknown-uuid-power": Case("metal3_power", {}, "invoke", None, "Ironic has no such node", "missing"),
    "unknown-name-reboot": Case("metal3_reboot", {"host_id": "nobody~here"}, "invoke", None,
                                "Ironic has no such node", None),
    "number-as-host-id": Case("metal3_inspect", {"host_id": Raw("12")}, "invoke", None,
                              "Ironic has no such node", None),
    "deleted-during-inspect": Case("metal3_inspect", {"timeout": "10m"}, "invoke", None, "disappeared", "gone"),
    # At rest, failed or not: Ironic takes the power request, and the action ends with the host there.
    "deploy-failed-power-off": Case("metal3_power", {}, "done", None, "power off done, power off", "deploy failed"),
    "active-reboot": Case("metal3_reboot", {"mode": "hard"}, "done", None, "hard reboot done, power on", "active"),
    "clean-failed-power-off": Case("metal3_power", {}, "done", None, "power off done, power off", "clean failed"),
    "inspect-failed-power-on": Case("metal3_power", {"power": "on"}, "done", None, "power on done, power on",
                                    "inspect failed"),
    "clean-failed-inspect": Case("metal3_inspect", {"allow_cleaning": Raw("true")}, "invoke", None,
                                 '"manageable" or "available"', "clean failed"),
}


def hcl_text(v) -> str:
    """`v` in HCL; strings keep their characters (HCL has no surrogate-pair escapes)."""
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")
    return hcl(v)


def block(label: str, case: Case) -> str:
    config = dict(BASE[case.kind])
    for key, value in case.config.items():
        if value is DROP:
            config.pop(key, None)
        else:
            config[key] = value
    body = "\n".join(f"    {k} = {hcl_text(v)}" for k, v in config.items())
    return f'action "{case.kind}" "{label}" {{\n  config {{\n{body}\n  }}\n}}\n'


def label_of(name: str) -> str:
    return "c_" + re.sub(r"[^a-z0-9]", "_", name)


VARIABLES = "".join(f'variable "{n}" {{\n  type    = string\n  default = {hcl(v)}\n}}\n' for n, v in {
    "dotdot": "..", "slash": "a/b", "overflow": "2562047788015216h", "on": "on"}.items())


class Suite:
    """Shared working directories (one per step), the provider's log, and the nodes in each state."""

    def __init__(self, tmp: Path, stack: dict, ironic: Ironic):
        self.stack, self.ironic = stack, ironic
        self.namespace = unique_namespace("actbad")
        self.log_path = tmp / "provider.log"
        self.log_read = 0
        self.log = IronicLog(stack)
        env = {"TF_LOG_PROVIDER": "DEBUG", "TF_LOG_PATH": str(self.log_path)}
        self.spaces = {step: Workspace(tmp / step, stack, self.namespace, env=dict(env))
                       for step in ("validate", "plan", "invoke", "resource")}
        self.nodes: dict = {}
        self.ready = False
        self.holds: list[Path] = []
        self.results: dict = {}

    def provider_log(self) -> str:
        """What the provider logged since the last call."""
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as f:
            f.seek(self.log_read)
            text = f.read().decode(errors="replace")
        self.log_read += len(text.encode(errors="replace"))
        return text

    # --- nodes in every state, through Ironic's API -------------------------------------------
    def node(self, key: str, **fields) -> dict:
        body = {"name": f"{self.namespace}~{re.sub(r'[^a-z0-9]+', '-', key)}", "driver": "fake-hardware",
                "boot_interface": "fake", "deploy_interface": "fake", "power_interface": "fake",
                "management_interface": "fake", "inspect_interface": "no-inspect",
                "driver_info": {"redfish_password": SECRET}}
        body.update(fields)
        node = self.ironic.post("/v1/nodes", body)
        self.nodes[key] = node
        return node

    def provision(self, uuid: str, target: str, **extra) -> None:
        self.ironic.request("PUT", f"/v1/nodes/{uuid}/states/provision", json={"target": target, **extra},
                            expect=(202,))

    def wait_state(self, uuid: str, *states: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            node = self.ironic.get(f"/v1/nodes/{uuid}")
            if node["provision_state"] in states:
                return node
            assert time.monotonic() < deadline, f"node {uuid} stuck in {node['provision_state']}"
            time.sleep(0.5)

    def held_inspectable(self, key: str) -> dict:
        """A manageable node inspected by the stand-in agent, which holds it in `inspect wait`."""
        mac = random_mac()
        node = self.node(key, boot_interface="ipxe", inspect_interface="agent")
        self.ironic.post("/v1/ports", {"node_uuid": node["uuid"], "address": mac, "pxe_enabled": True})
        hold = Path(self.stack["inventories_dir"]) / f"{mac}.hold"
        hold.touch()
        self.holds.append(hold)
        self.provision(node["uuid"], "manage")
        self.wait_state(node["uuid"], "manageable")
        return node

    def make_nodes(self) -> None:
        self.node("enroll")
        self.nodes["missing"] = {"uuid": MISSING_UUID}
        keys = ("maintenance", "active", "clean wait", "clean failed", "wait call-back", "deploy failed")
        for key in keys:
            direct = key in ("clean wait", "clean failed", "wait call-back", "deploy failed")
            node = self.node(key, deploy_interface="direct" if direct else "fake",
                             automated_clean=key.startswith("clean"))
            self.provision(node["uuid"], "manage")
        for key in keys:
            uuid = self.nodes[key]["uuid"]
            self.wait_state(uuid, "manageable")
            if key == "maintenance":
                self.ironic.request("PUT", f"/v1/nodes/{uuid}/maintenance", json={"reason": "fan replaced"},
                                    expect=(202,))
                continue
            self.provision(uuid, "provide")
            if key.startswith("clean"):
                self.wait_state(uuid, "clean wait")
                if key == "clean failed":
                    self.provision(uuid, "abort")
                    self.wait_state(uuid, "clean failed")
                continue
            self.wait_state(uuid, "available")
            images = self.stack["images"]
            self.ironic.request("PATCH", f"/v1/nodes/{uuid}", json=[{"op": "add", "path": "/instance_info", "value": {
                "image_source": images["qcow2_url"], "image_os_hash_algo": "sha256",
                "image_os_hash_value": images["qcow2_sha256"]}}])
            self.provision(uuid, "active")
            self.wait_state(uuid, "active" if key == "active" else "wait call-back")
            if key == "deploy failed":  # aborting a deployment needs a recent API version
                Ironic(self.stack["ironic_url"], version="latest").request(
                    "PUT", f"/v1/nodes/{uuid}/states/provision", json={"target": "abort"}, expect=(202,))
                self.wait_state(uuid, "deploy failed")
        self.held_inspectable("inspect wait")
        self.held_inspectable("gone")
        failed = self.held_inspectable("inspect failed")["uuid"]
        self.provision(failed, "inspect")
        self.wait_state(failed, "inspect wait")
        self.provision(failed, "abort")
        self.wait_state(failed, "inspect failed")

    def ensure(self, key: str) -> None:
        """The node in its state again (a held inspection fails after Ironic's timeout)."""
        node = self.nodes[key]
        if key == "inspect wait":
            now = self.ironic.get(f"/v1/nodes/{node['uuid']}")
            if now["provision_state"] != "inspect wait":
                if now["provision_state"] != "manageable":
                    self.provision(node["uuid"], "manage")
                    self.wait_state(node["uuid"], "manageable")
                self.provision(node["uuid"], "inspect")
                self.wait_state(node["uuid"], "inspect wait")

    def cleanup(self) -> None:
        for hold in self.holds:
            hold.unlink(missing_ok=True)
        for workspace in self.spaces.values():
            if workspace.initialized and workspace.has_state():
                workspace.destroy(check=False)
        purge_namespace(self.ironic, self.namespace)


@pytest.fixture(scope="module")
def suite(tmp_path_factory, stack, ironic, provider_bin):
    s = Suite(tmp_path_factory.mktemp("actions-bad"), stack, ironic)
    try:
        yield s
    finally:
        s.cleanup()


def batch(suite: Suite, step: str, name: str) -> dict:
    """Runs the cases of `step` in one configuration: `validate` once for all of them, `plan` once
    per case (`-invoke`: an action's configuration is planned only when invoked). Their
    diagnostics and the lines of each case's block."""
    key = step if step == "validate" else name
    if key in suite.results:
        return suite.results[key]
    ws = suite.spaces[step]
    names = [n for n, c in CASES.items() if c.step == step]
    text = VARIABLES if step == "plan" else ""
    blocks = {}
    for other in names:
        start = text.count("\n") + 1
        text += block(label_of(other), CASES[other])
        blocks[other] = (start, text.count("\n"))
    main_tf = ws.configure(text).read_text()
    ws.init()
    mark = suite.log.mark()
    if step == "plan":
        # Refused at plan, not before: the variables' values are not known to validate.
        valid = ws.run("validate", "-json", check=False)
        assert valid.returncode == 0, valid.stdout
    if step == "plan":
        case = CASES[name]
        proc = ws.run("plan", "-json", "-input=false", f"-invoke=action.{case.kind}.{label_of(name)}",
                      check=False)
    else:
        proc = ws.run("validate", "-json", check=False)
    suite.results[key] = {
        "proc": proc, "main_tf": main_tf, "blocks": blocks,
        "header": main_tf[:main_tf.index(text)].count("\n"),
        "diagnostics": [d for d in json_diagnostics(proc.stdout) if d["severity"] == "error"],
        "mutating": suite.log.mutating_requests_since(mark),
        "provider_log": suite.provider_log(),
    }
    return suite.results[key]


def acting_on(suite: Suite, case: Case) -> Case:
    """The case with `host_id` the UUID of the node in its state, unless it sets its own."""
    if case.node is None or "host_id" in case.config:
        return case
    return Case(case.kind, {**case.config, "host_id": suite.nodes[case.node]["uuid"]}, case.step,
                case.attribute, case.says, case.node)


def assert_clean(name: str, outputs: list, provider_log: str) -> None:
    for text in outputs + [provider_log]:
        assert SECRET not in text, f"{name}: the secret leaked"
    assert not any("panicked" in text for text in outputs), f"{name}: Terraform reports a panic"
    assert "panicked" not in provider_log, f"{name}: the provider panicked:\n" + "\n".join(
        line for line in provider_log.splitlines() if "panick" in line)


def diagnostic_text(d: dict) -> str:
    return " ".join(" ".join([d.get("summary", ""), d.get("detail", "")]).split())


@pytest.mark.parametrize("name", list(CASES))
def test_bad_action_input_is_refused_at_its_step(name, suite, stack, ironic):
    case = CASES[name]
    if case.step in ("validate", "plan"):
        result = batch(suite, case.step, name)
        proc = result["proc"]
        assert proc.returncode != 0, f"{name}: {case.step} must fail"
        offset = result["header"]
        first, last = result["blocks"][name]
        mine = [d for d in result["diagnostics"]
                if first <= (d.get("range") or {}).get("start", {}).get("line", 0) - offset <= last]
        assert mine, f"{name}: no error in its block (lines {first}-{last} after {offset}):\n" + \
            json.dumps(result["diagnostics"], indent=1)[:4000]
        matching = [d for d in mine if case.says in diagnostic_text(d)]
        assert matching, f"{name}: no error says {case.says!r}: {[diagnostic_text(d) for d in mine]}"
        d = matching[0]
        line = d["range"]["start"]["line"]
        source = result["main_tf"].splitlines()[line - 1]
        written = re.match(rf"^\s*{re.escape(case.attribute)} = ", source)
        assert written or case.config.get(case.attribute, "") in (DROP, None), \
            f"{name}: points at line {line} ({source.strip()!r}), not at `{case.attribute}`"
        assert case.attribute in diagnostic_text(d) + " " + (d.get("snippet") or {}).get("code", ""), \
            f"{name}: the error does not name `{case.attribute}`: {d}"
        assert len(d.get("detail", "")) < 2000, f"{name}: the message repeats a huge value"
        assert d["summary"] in TERRAFORM_SUMMARIES or f"| {d['summary']} |" in TROUBLESHOOTING, \
            f"{name}: {d['summary']!r} is not in docs/guides/troubleshooting.md"
        assert not result["mutating"], f"{name}: {case.step} sent {result['mutating']}"
        assert_clean(name, [proc.stdout, proc.stderr], result["provider_log"])
        return

    ws = suite.spaces["invoke"]
    if not suite.ready:
        suite.make_nodes()
        suite.ready = True
        ws.configure("".join(block(label_of(n), acting_on(suite, c))
                             for n, c in CASES.items() if c.step in ("invoke", "done")))
        ws.init()
    if case.node:
        suite.ensure(case.node)
    before = ironic.get(f"/v1/nodes/{suite.nodes[case.node]['uuid']}") if case.node not in (None, "missing") else None
    deleter = None
    if case.node == "gone":
        uuid = suite.nodes["gone"]["uuid"]

        def delete_when_inspecting():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if ironic.get(f"/v1/nodes/{uuid}")["provision_state"] == "inspect wait":
                    delete_node(ironic, uuid)
                    return
                time.sleep(0.3)
        deleter = threading.Thread(target=delete_when_inspecting)
        deleter.start()
    mark = suite.log.mark()
    started = time.monotonic()
    proc = ws.apply(f"-invoke=action.{case.kind}.{label_of(name)}", check=False, timeout=300)
    elapsed = time.monotonic() - started
    if deleter:
        deleter.join()
    text = flat(proc)
    provider_log = suite.provider_log()
    assert_clean(name, [proc.stdout, proc.stderr], provider_log)
    if case.step == "done":
        assert proc.returncode == 0, text
        assert case.says in text, text
        node = ironic.get(f"/v1/nodes/{before['uuid']}")
        assert node["power_state"] == case.says.rsplit(", ", 1)[1], node
        assert (node["provision_state"], node["maintenance"]) == \
            (before["provision_state"], before["maintenance"]), "only the power changed"
        return
    assert proc.returncode == 1, f"{name}: the action must fail: {text}"
    assert case.says in text, f"{name}: the message does not say {case.says!r}: {text}"
    # Never the whole time limit (10m here for the deleted host; 5m by default): refused up
    # front, or failed as soon as Ironic showed why.
    assert elapsed < 60, f"{name}: took {elapsed:.0f}s"
    if case.node == "gone":  # deleted by the test while the provider waited for its inspection
        ironic.request("GET", f"/v1/nodes/{before['uuid']}", expect=(404,))
        return
    if before is not None:
        state = before["provision_state"]
        assert f'(node in "{state}")' in text, f"{name}: the message does not name the state: {text}"
    # Requests about this node, or about no node at all (`/v1/nodes//...` from an empty id).
    uuid = before["uuid"] if before else None
    mutating = [r for r in suite.log.mutating_requests_since(mark)
                if (uuid and uuid in r.path) or "/v1/nodes//" in r.path or r.path.rstrip("/") == "/v1/nodes"
                or (uuid is None and r.path.startswith("/v1/nodes"))]
    assert not mutating, f"{name}: requests reached Ironic: {mutating}"
    if before is not None:
        after = ironic.get(f"/v1/nodes/{before['uuid']}")
        assert (after["provision_state"], after["power_state"], after["maintenance"]) == \
            (before["provision_state"], before["power_state"], before["maintenance"]), name


def test_an_inspection_cut_short_says_where_it_left_the_host_and_the_next_apply_brings_it_back(
        suite, stack, ironic):
    """An `available` host inspected with a short timeout: the error names the state and power
    the host is left in and the way back; the next plan shows the change and its apply returns
    the host to `available`, powered on (`online`), as the message says."""
    ws = suite.spaces["resource"]
    mac = random_mac()
    host = fake_host("cut-short", mac, automated_cleaning_mode="disabled", namespace=suite.namespace)
    host["bmc"]["password"] = SECRET
    ws.configure(resource("h", host) + block("short", Case(
        "metal3_inspect", {"host_id": Raw("metal3_baremetal_host.h.id"), "timeout": "5s"}, "invoke", None, "")))
    ws.apply()
    uuid = ws.resources()["metal3_baremetal_host.h"]["id"]
    assert ironic.node(uuid)["provision_state"] == "available"
    hold = Path(stack["inventories_dir"]) / f"{mac}.hold"
    hold.touch()
    try:
        proc = ws.apply("-invoke=action.metal3_inspect.short", check=False)
        text = flat(proc)
        assert proc.returncode == 1, text
        for needle in ("the action's timeout of 5s ran out", "a longer `timeout`",
                       'left in "inspect wait"', 'before the action: "available", powered on',
                       'ends in "manageable", powered off',
                       "next apply of the host's `metal3_baremetal_host`", "powers it as `online` says"):
            assert needle in text, f"{needle!r} not in: {text}"
        assert_clean("cut-short", [proc.stdout, proc.stderr], suite.provider_log())
    finally:
        hold.unlink(missing_ok=True)
    # As the message says: Ironic ends the inspection in manageable, powered off...
    node = suite.wait_state(uuid, "manageable", "inspect failed", timeout=90)
    assert (node["provision_state"], node["power_state"]) == ("manageable", "power off"), node
    # ... and the next apply brings the host back: the plan shows it, the apply does it.
    plan = ws.plan("-detailed-exitcode")
    assert plan.returncode == 2, flat(plan)
    ws.apply()
    node = ironic.node(uuid)
    assert (node["provision_state"], node["power_state"]) == ("available", "power on"), node
    ws.assert_no_drift()
    assert "panicked" not in suite.provider_log()


def test_the_table_covers_every_argument_and_state():
    arguments = {a for c in CASES.values() for a in c.config if c.step == "validate"}
    assert {"host_id", "power", "soft", "mode", "allow_cleaning", "timeout"} <= arguments
    states = {c.node for c in CASES.values() if c.node}
    assert {"enroll", "inspect wait", "clean wait", "wait call-back", "deploy failed", "maintenance",
            "active", "missing", "gone", "clean failed", "inspect failed"} <= states
    assert len(CASES) >= 100, len(CASES)
