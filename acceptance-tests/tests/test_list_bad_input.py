"""Bad input to the list resource `metal3_baremetal_host` (`terraform query`), as a table, in real
Terraform: every filter's bad forms, limits, unicode, empty and huge values and wrong types, and
the list block's own arguments. A filter no host could match is refused, never answered with a
silently empty list.

Each case says the step at which it is refused (`validate`, i.e. `terraform validate -query`, or
`query` when the value comes from a variable), the attribute the diagnostic points at and a
phrase saying what is allowed; every case checks that the query read no node and changed
nothing in Ironic, that no secret shows in any output or in the provider's log, and that the
provider did not panic. The cases of one step share one query file and one Terraform run.
"""

import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from hostkit import Workspace, json_diagnostics, purge_namespace, unique_namespace
from ironic_log import IronicLog

TROUBLESHOOTING = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "troubleshooting.md").read_text()
# Terraform's own diagnostics (types, required and unknown arguments): not the provider's to document.
TERRAFORM_SUMMARIES = {"Incorrect attribute value type", "Missing required argument", "Unsupported argument",
                       "Invalid limit argument", "Incorrect value type"}
SECRET = "list-bmc-" + secrets.token_hex(8)
DNS_NAME = "DNS-1123 subdomain"
DNS_LABEL = "DNS-1123 label"
STATES = "it must be one of"
HUGE = "x" * 100_000
CONNECTION_CHECK = "/v1/nodes?limit=1&fields=uuid"


class Expr:
    """An HCL expression written as is."""

    def __init__(self, text: str):
        self.text = text


@dataclass
class Case:
    config: dict              # the list's `config` arguments
    step: str                 # validate | query
    attribute: str            # where the diagnostic points
    says: str                 # a phrase of the message
    meta: dict | None = None  # the list block's own arguments (limit, include_resource)


CASES = {
    # --- namespace ----------------------------------------------------------------------------
    **{f"namespace-{label}": Case({"namespace": value}, "validate", "namespace", says)
       for label, (value, says) in {
           "uppercase": ("Lab", DNS_LABEL), "dot": ("lab.one", DNS_LABEL), "64-chars": ("n" * 64, "1 to 63"),
           "empty": ("", "1 to 63"), "tilde": ("lab~x", DNS_LABEL), "slash": ("lab/x", DNS_LABEL),
           "leading-space": (" lab", DNS_LABEL), "unicode": ("läb", DNS_LABEL), "huge": (HUGE, "1 to 63"),
           "control": ("lab\u0007", DNS_LABEL), "dash-start": ("-lab", "start and end"),
           "underscore": ("lab_1", DNS_LABEL),
       }.items()},
    "namespace-list": Case({"namespace": Expr('["lab"]')}, "validate", "namespace", "string required"),
    # --- name_prefix: the start of a host name, without the namespace -------------------------
    **{f"prefix-{label}": Case({"name_prefix": value}, "validate", "name_prefix", says)
       for label, (value, says) in {
           "uppercase": ("Worker", DNS_NAME), "with-namespace": ("lab~worker", "without its namespace"),
           "slash": ("lab/worker", DNS_NAME), "dash-start": ("-w", "start and end"),
           "dot-start": (".w", "empty parts"), "double-dot": ("w..", "empty parts"),
           "dot-dash": ("w.-", "start and end"), "underscore": ("w_0", DNS_NAME),
           "unicode": ("wörker", DNS_NAME), "leading-space": (" w", DNS_NAME), "newline": ("w\n", DNS_NAME),
           "glob": ("worker-*", DNS_NAME), "percent": ("w%", DNS_NAME), "254-chars": ("w" * 254, "1 to 253"),
           "huge": (HUGE, "1 to 253"), "emoji": ("\U0001F47E", DNS_NAME), "dot": (".", "empty parts"),
       }.items()},
    "prefix-list": Case({"name_prefix": Expr('["w"]')}, "validate", "name_prefix", "string required"),
    # --- provisioning_state -------------------------------------------------------------------
    **{f"state-{label}": Case({"provisioning_state": value}, "validate", "provisioning_state", STATES)
       for label, value in {"word": "deployed", "case": "Available", "empty": "", "ironic-name": "active",
                            "typo": "avaiable", "unicode": "provisiönéd", "huge": HUGE,
                            "trailing-space": "available ", "space": " "}.items()},
    "state-list": Case({"provisioning_state": Expr('["available"]')}, "validate", "provisioning_state",
                       "string required"),
    # --- flags --------------------------------------------------------------------------------
    "externally-provisioned-word": Case({"externally_provisioned": "maybe"}, "validate",
                                        "externally_provisioned", "bool"),
    "externally-provisioned-list": Case({"externally_provisioned": Expr("[true]")}, "validate",
                                        "externally_provisioned", "bool"),
    "unmanaged-only-word": Case({"unmanaged_only": "perhaps"}, "validate", "unmanaged_only", "bool"),
    "unknown-argument": Case({"name": "worker-0"}, "validate", "name", "Unsupported argument"),
    # --- the list block's own arguments -------------------------------------------------------
    "limit-negative": Case({}, "validate", "limit", "greater than or equal to zero", meta={"limit": Expr("-1")}),
    "limit-word": Case({}, "validate", "limit", "number", meta={"limit": "many"}),
    "include-resource-word": Case({}, "validate", "include_resource", "bool", meta={"include_resource": "yes"}),
    # --- values known only when the query runs (from variables) -------------------------------
    "query-prefix-from-variable": Case({"name_prefix": Expr("var.prefix")}, "query", "name_prefix",
                                       "without its namespace"),
    "query-namespace-from-variable": Case({"namespace": Expr("var.namespace")}, "query", "namespace", DNS_LABEL),
    "query-state-from-variable": Case({"provisioning_state": Expr("var.state")}, "query", "provisioning_state",
                                      STATES),
}
VARIABLES = "".join(f'variable "{n}" {{\n  type    = string\n  default = {json.dumps(v)}\n}}\n' for n, v in {
    "prefix": "lab~worker", "namespace": "Lab", "state": "deployed"}.items())


def hcl_text(value) -> str:
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")
    return json.dumps(value)


def list_block(label: str, case: Case) -> str:
    meta = {"provider": Expr("metal3"), "include_resource": False, "limit": 100} | (case.meta or {})
    head = "\n".join(f"  {k} = {hcl_text(v)}" for k, v in meta.items())
    body = "\n".join(f"    {k} = {hcl_text(v)}" for k, v in case.config.items())
    return f'list "metal3_baremetal_host" "{label}" {{\n{head}\n  config {{\n{body}\n  }}\n}}\n'


def label_of(name: str) -> str:
    return "c_" + re.sub(r"[^a-z0-9]", "_", name)


class Suite:
    def __init__(self, tmp: Path, stack: dict, ironic):
        self.stack, self.ironic = stack, ironic
        self.namespace = unique_namespace("listbad")
        self.log_path = tmp / "provider.log"
        self.log = IronicLog(stack)
        env = {"TF_LOG_PROVIDER": "DEBUG", "TF_LOG_PATH": str(self.log_path)}
        self.spaces = {step: Workspace(tmp / step, stack, self.namespace, env=dict(env))
                       for step in ("validate", "query", "good")}
        self.results: dict = {}
        # A node with a BMC password in Ironic: it must never come out of a query.
        self.ironic.post("/v1/nodes", {"name": f"{self.namespace}~worker-0", "driver": "fake-hardware",
                                       "driver_info": {"redfish_password": SECRET}})

    def provider_log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture(scope="module")
def suite(tmp_path_factory, stack, ironic, provider_bin):
    s = Suite(tmp_path_factory.mktemp("list-bad"), stack, ironic)
    try:
        yield s
    finally:
        purge_namespace(ironic, s.namespace)


def run_step(suite: Suite, step: str) -> dict:
    """All cases of `step` in one query file, one Terraform run: its diagnostics, the lines of
    each case's block, and what reached Ironic meanwhile."""
    if step in suite.results:
        return suite.results[step]
    ws = suite.spaces[step]
    ws.configure(VARIABLES if step == "query" else "")
    text, blocks = "", {}
    for name, case in CASES.items():
        if case.step == step:
            start = text.count("\n") + 1
            text += list_block(label_of(name), case)
            blocks[name] = (start, text.count("\n"))
    ws.tf.write("bad.tfquery.hcl", text)
    ws.init()
    mark = suite.log.mark()
    if step == "query":
        # Refused when the query runs, not before: validate does not know the variables' values.
        valid = ws.run("validate", "-json", "-query", check=False)
        assert valid.returncode == 0, valid.stdout
        proc = ws.run("query", "-json", check=False)
    else:
        proc = ws.run("validate", "-json", "-query", check=False)
    diagnostics = [d for d in json_diagnostics(proc.stdout) if d["severity"] == "error"]
    if step == "query":  # `query -json` prints diagnostics as events, some inside list results
        for line in proc.stdout.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            for key in ("list_complete", "list_resource_found"):
                diagnostics += [d for d in (event.get(key) or {}).get("diagnostics", [])
                                if d.get("severity") == "error"]
    suite.results[step] = {"proc": proc, "text": text, "blocks": blocks, "diagnostics": diagnostics,
                           "requests": suite.log.provider_requests_since(mark)}
    return suite.results[step]


def flat_text(d: dict) -> str:
    return " ".join(" ".join([d.get("summary", ""), d.get("detail", "")]).split())


@pytest.mark.parametrize("name", list(CASES))
def test_bad_list_input_is_refused_at_its_step(name, suite):
    case = CASES[name]
    result = run_step(suite, case.step)
    proc = result["proc"]
    assert proc.returncode != 0, f"{name}: {case.step} must fail\n{proc.stdout[-2000:]}"
    first, last = result["blocks"][name]
    label = label_of(name)
    mine = [d for d in result["diagnostics"]
            if first <= ((d.get("range") or {}).get("start") or {}).get("line", 0) <= last
            and (d.get("range") or {}).get("filename", "").endswith(".tfquery.hcl")
            or label in d.get("address", "") or f'"{label}"' in (d.get("snippet") or {}).get("context", "")]
    assert mine, f"{name}: no error for its block:\n" + json.dumps(result["diagnostics"], indent=1)[:4000]
    matching = [d for d in mine if case.says in flat_text(d)]
    assert matching, f"{name}: no error says {case.says!r}: {[flat_text(d) for d in mine]}"
    d = matching[0]
    line = ((d.get("range") or {}).get("start") or {}).get("line")
    if line is not None:
        source = result["text"].splitlines()[line - 1]
        assert re.match(rf"^\s*{case.attribute} = ", source), \
            f"{name}: points at line {line} ({source.strip()!r}), not at `{case.attribute}`"
    assert case.attribute in flat_text(d) + " " + (d.get("snippet") or {}).get("code", ""), \
        f"{name}: the error does not name `{case.attribute}`: {d}"
    assert len(d.get("detail", "")) < 2000, f"{name}: the message repeats a huge value"
    assert d["summary"] in TERRAFORM_SUMMARIES or f"| {d['summary']} |" in TROUBLESHOOTING, \
        f"{name}: {d['summary']!r} is not in docs/guides/troubleshooting.md"
    # Refused before the listing: not one node read, nothing changed.
    # A listing reads the node and port lists (the one request a refused query makes is the
    # provider's connection check when it is configured).
    node_reads = [r for r in result["requests"] if r.path != CONNECTION_CHECK and (
        r.method != "GET" or r.path.startswith(("/v1/nodes?", "/v1/nodes/detail", "/v1/ports")))]
    assert not node_reads, f"{name}: Ironic was asked {node_reads}"
    outputs = proc.stdout + proc.stderr
    log = suite.provider_log()
    assert SECRET not in outputs and SECRET not in log, f"{name}: the secret leaked"
    assert "panicked" not in outputs and "panicked" not in log, f"{name}: the provider panicked"


def test_good_filters_still_list_and_never_show_the_bmc_password(suite):
    """The control: the same filters, well formed, find the node (with its resource object),
    and neither the output nor the provider's log holds its BMC password."""
    ws = suite.spaces["good"]
    ws.configure("")
    good = Case({"namespace": suite.namespace, "name_prefix": "worker-", "provisioning_state": "registering",
                 "unmanaged_only": True}, "query", "", "", meta={"include_resource": True})
    ws.tf.write("good.tfquery.hcl", list_block("good", good))
    ws.init()
    mark = suite.log.mark()
    proc = ws.run("query", "-json", check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    found = [json.loads(line)["list_resource_found"] for line in proc.stdout.splitlines()
             if '"list_resource_found"' in line]
    assert [f["display_name"] for f in found] == [f"{suite.namespace}/worker-0"], proc.stdout[-3000:]
    assert found[0]["resource_object"]["name"] == "worker-0"
    assert not suite.log.mutating_requests_since(mark)
    log = suite.provider_log()
    assert SECRET not in proc.stdout + proc.stderr and SECRET not in log
    assert "panicked" not in log


def test_the_table_covers_every_argument():
    covered = {a for c in CASES.values() for a in list(c.config) + list(c.meta or {})}
    assert {"namespace", "name_prefix", "provisioning_state", "externally_provisioned", "unmanaged_only",
            "limit", "include_resource"} <= covered
    assert len(CASES) >= 50, len(CASES)
