"""Bad input to the provider functions, as a table, in real Terraform: bad YAML forms, empty,
huge and unicode input, wrong types, every argument of each function. Each case says at which
step Terraform must stop (`validate` for literal arguments and files, `plan` for arguments only
known then), which parameter the error names, a phrase of the message that says what is allowed
and, where the input holds a secret, that it appears in no output. Every case also checks that
no mutating request reached Ironic and that the provider did not panic (its TRACE log).

All cases share one working directory; manifests and host objects come from files, so that
Terraform's own snippet of the call never holds their text.
"""

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from hostkit import Workspace, json_diagnostics, unique_namespace
from ironic_log import IronicLog

SECRET = "pw-Zq81-secret"
TROUBLESHOOTING = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "troubleshooting.md"
                   ).read_text()
FIXTURES = Path(__file__).resolve().parents[2] / "provider" / "tests" / "fixtures" / "baremetalhosts"
SECRET_DOC = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: bmc\nstringData:\n  password: {SECRET}\n"


def bmh(name="worker-0", spec="", kind="BareMetalHost", api="metal3.io/v1alpha1", namespace="metal3"):
    return (f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
            f"spec:\n  online: true\n  bootMACAddress: 52:54:00:00:00:01\n  bmc:\n"
            f"    address: ipmi://10.0.0.1\n    credentialsName: bmc\n{spec}")


@dataclass
class Case:
    step: str                 # validate | plan
    call: str                 # the call, e.g. 'baremetalhosts(file("${path.module}/in.yaml"))'
    parameter: str            # the parameter Terraform's message names
    says: str                 # a phrase of the message
    file: str | None = None   # written to in.yaml (or in.json for a host object)
    secret: str | None = None


HOSTS = 'baremetalhosts(file("${path.module}/in.yaml"))'
HOST_VAR = 'baremetalhost_manifest(var.host)'
HOST_FILE = 'baremetalhost_manifest(jsondecode(file("${path.module}/in.json")))'


def host(**changes) -> str:
    value = {"name": "worker-0", "namespace": "metal3", "boot_mac_address": "52:54:00:00:00:01",
             "bmc": {"address": "ipmi://10.0.0.1", "password": SECRET}}
    for key, change in changes.items():
        if isinstance(change, dict) and isinstance(value.get(key), dict):
            value[key] = value[key] | change
        else:
            value[key] = change
    return json.dumps(value)


CASES = {
    # --- baremetalhosts: YAML that is not YAML ------------------------------------------------
    "yaml-syntax-below-a-secret": Case("validate", HOSTS, "manifest", "line 7, column",
                                       SECRET_DOC + "  extra: [unclosed\n---\n" + bmh(), SECRET),
    "yaml-tab-indent": Case("validate", HOSTS, "manifest", "not valid YAML", f"a:\n\t- {SECRET}\n", SECRET),
    "yaml-duplicate-key": Case("validate", HOSTS, "manifest", "a key appears twice",
                               f"password: {SECRET}\npassword: {SECRET}\n", SECRET),
    "yaml-unclosed-quote": Case("validate", HOSTS, "manifest", "not valid YAML", f'a: "{SECRET}\n', SECRET),
    "yaml-unknown-alias": Case("validate", HOSTS, "manifest", "refers to no anchor", "a: *nothing\n"),
    "yaml-deep": Case("validate", HOSTS, "manifest", "more than 64 levels", "a: " + "[" * 70 + "]" * 70 + "\n"),
    "yaml-alias-bomb": Case("validate", HOSTS, "manifest", "aliases", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdef", "bcdefg"))),
    "yaml-binary-garbage": Case("validate", HOSTS, "manifest", "not valid YAML", "\x00\x01: [\x7f\n"),
    "yaml-scalar-document": Case("validate", HOSTS, "manifest", "not a Kubernetes object", "just text\n"),
    # --- baremetalhosts: nothing, or nearly a host ----------------------------------------------
    "empty-file": Case("validate", HOSTS, "manifest", "allow_empty = true", ""),
    "only-comments": Case("validate", HOSTS, "manifest", "no BareMetalHost", "# hosts go here\n---\n"),
    "only-a-secret": Case("validate", HOSTS, "manifest", 'of kind "Secret"', SECRET_DOC, SECRET),
    "empty-list": Case("validate", HOSTS, "manifest", "no BareMetalHost", "apiVersion: v1\nkind: List\nitems: []\n"),
    "kind-misspelt": Case("validate", HOSTS, "manifest", 'document 2 (metadata.name "w-1"): kind "BaremetalHost"',
                          bmh() + "---\n" + bmh("w-1", kind="BaremetalHost")),
    "kind-lowercase": Case("validate", HOSTS, "manifest", 'kind "baremetalhost"', bmh(kind="baremetalhost")),
    "kind-plural": Case("validate", HOSTS, "manifest", 'kind "BareMetalHosts"', bmh(kind="BareMetalHosts")),
    "group-misspelt": Case("validate", HOSTS, "manifest", '"metal3.i0/v1alpha1" is not in the `metal3.io` group',
                           bmh(api="metal3.i0/v1alpha1", kind="HardwareData")),
    "list-lowercase": Case("validate", HOSTS, "manifest", 'kind "list"', "apiVersion: v1\nkind: list\nitems: []\n"),
    "version-wrong": Case("validate", HOSTS, "manifest", 'apiVersion must be "metal3.io/v1alpha1"',
                          bmh(api="metal3.io/v1beta1")),
    "no-kind": Case("validate", HOSTS, "manifest", "has no `kind`", "apiVersion: v1\nmetadata: {name: a}\n"),
    # --- baremetalhosts: fields ----------------------------------------------------------------
    "name-uppercase": Case("validate", HOSTS, "manifest", "metadata.name must not contain 'W'", bmh("Worker-0")),
    "name-unicode": Case("validate", HOSTS, "manifest", "metadata.name must not contain 'ö'", bmh("wörker-0")),
    "namespace-bad": Case("validate", HOSTS, "manifest", "metadata.namespace", bmh(namespace="Lab_1")),
    "online-not-bool": Case("validate", HOSTS, "manifest", "`spec.online`: expected `true` or `false`, found a string",
                            bmh(spec=f"  online: {SECRET}\n").replace("  online: true\n", "", 1), SECRET),
    "field-misspelt": Case("validate", HOSTS, "manifest", "did you mean `credentialsName`",
                           bmh().replace("credentialsName", "credentialName")),
    "hints-negative": Case("validate", HOSTS, "manifest", "spec.rootDeviceHints.minSizeGigabytes",
                           bmh(spec="  rootDeviceHints:\n    minSizeGigabytes: -1\n")),
    "user-data-other-namespace": Case("validate", HOSTS, "manifest", "spec.userData.namespace",
                                      bmh(spec="  userData:\n    name: ud\n    namespace: other\n")),
    "network-data-other-namespace": Case("validate", HOSTS, "manifest", "spec.networkData.namespace",
                                         bmh(spec="  networkData:\n    name: nd\n    namespace: other\n")),
    "inspection-mode-bad": Case("validate", HOSTS, "manifest", "spec.inspectionMode",
                                bmh(spec="  inspectionMode: Agent\n")),
    "bmc-credentials-in-address": Case("validate", HOSTS, "manifest", "must not contain credentials",
                                       bmh().replace("ipmi://10.0.0.1", f"redfish://admin:{SECRET}@h/x"), SECRET),
    "host-twice": Case("validate", HOSTS, "manifest", "appears twice", bmh() + "---\n" + bmh()),
    # --- baremetalhosts: RAID, BIOS switches and the firmware objects ---------------------------
    "raid-software-disk-by-model": Case(
        "validate", HOSTS, "manifest",
        'BareMetalHost "swraid-host": spec.raid.softwareRAIDVolumes[0].physicalDisks[1]: only `deviceName`',
        (FIXTURES / "raid.yaml").read_text().replace("- deviceName: /dev/sdb", f"- model: {SECRET}"), SECRET),
    "raid-root-volume-second": Case(
        "validate", HOSTS, "manifest", "spec.raid.softwareRAIDVolumes[1].rootVolume",
        bmh(spec='  raid:\n    softwareRAIDVolumes:\n    - level: "1"\n    - level: "0"\n      rootVolume: true\n')),
    "raid-level-bad": Case("validate", HOSTS, "manifest", '"7" is not a RAID level',
                           bmh(spec='  raid:\n    hardwareRAIDVolumes:\n    - level: "7"\n')),
    "firmware-not-bool": Case("validate", HOSTS, "manifest", "`spec.firmware.sriovEnabled`: expected `true` or `false`",
                              bmh(spec=f"  firmware:\n    sriovEnabled: {SECRET}\n"), SECRET),
    "firmware-settings-orphan": Case(
        "validate", HOSTS, "manifest",
        'HostFirmwareSettings "worker-1" (namespace "metal3") names no BareMetalHost in the manifest',
        bmh() + "---\napiVersion: metal3.io/v1alpha1\nkind: HostFirmwareSettings\n"
        "metadata:\n  name: worker-1\n  namespace: metal3\nspec:\n  settings:\n    LogicalProc: Enabled\n"),
    "firmware-settings-not-text": Case(
        "validate", HOSTS, "manifest", '`spec.settings."LogicalProc"`: expected a string or a whole number',
        bmh() + "---\napiVersion: metal3.io/v1alpha1\nkind: HostFirmwareSettings\n"
        f"metadata:\n  name: worker-0\n  namespace: metal3\nspec:\n  settings:\n    LogicalProc: [{SECRET}]\n",
        SECRET),
    "firmware-components-kind-misspelt": Case(
        "validate", HOSTS, "manifest", 'kind "HostFirmwareComponent" is not `HostFirmwareComponents`',
        bmh() + "---\napiVersion: metal3.io/v1alpha1\nkind: HostFirmwareComponent\n"
        "metadata:\n  name: worker-0\nspec:\n  updates: []\n"),
    "firmware-component-unknown": Case(
        "validate", HOSTS, "manifest", '`spec.updates[0].component`: "cpld" is not a firmware component',
        bmh() + "---\napiVersion: metal3.io/v1alpha1\nkind: HostFirmwareComponents\n"
        "metadata:\n  name: worker-0\n  namespace: metal3\nspec:\n  updates:\n  - component: cpld\n"
        "    url: https://f.example/cpld.bin\n"),
    # --- baremetalhosts: arguments ---------------------------------------------------------------
    "manifest-null": Case("validate", "baremetalhosts(null)", "manifest", "null"),
    "manifest-list": Case("validate", 'baremetalhosts(["a"])', "manifest", "string required"),
    "options-misspelt": Case("validate", 'baremetalhosts(file("${path.module}/in.yaml"), { allow_empy = true })',
                             "options", "did you mean `allow_empty`", bmh()),
    "options-not-bool": Case("validate", 'baremetalhosts(file("${path.module}/in.yaml"), { allow_empty = "yes" })',
                             "options", "`true` or `false`", bmh()),
    "options-not-object": Case("validate", 'baremetalhosts(file("${path.module}/in.yaml"), true)',
                               "options", "must be an object", bmh()),
    "options-twice": Case("validate", 'baremetalhosts(file("${path.module}/in.yaml"), {}, {})',
                          "options", "more than once", bmh()),
    # --- baremetalhost_manifest ---------------------------------------------------------------------
    "host-name": Case("validate", HOST_FILE, "host", "`name` must not contain", host(name="Worker_0"), SECRET),
    "host-namespace": Case("validate", HOST_FILE, "host", "DNS-1123 label", host(namespace="Lab"), SECRET),
    "host-bmc-address": Case("validate", HOST_FILE, "host", "accepted schemes", host(bmc={"address": "bogus://h"}), SECRET),
    "host-mac": Case("validate", HOST_FILE, "host", "six pairs of hex digits", host(boot_mac_address="52-54"), SECRET),
    "host-boot-mode": Case("validate", HOST_FILE, "host", "`UEFI`, `UEFISecureBoot`, `legacy`", host(boot_mode="bios"), SECRET),
    "host-cleaning-mode": Case("validate", HOST_FILE, "host", "`metadata`, `disabled`",
                               host(automated_cleaning_mode="full"), SECRET),
    "host-key-misspelt": Case("validate", HOST_FILE, "host", 'no argument "boot_mod"; did you mean `boot_mode`?',
                              host(boot_mod="UEFI"), SECRET),
    "host-nested-key-misspelt": Case("validate", HOST_FILE, "host", 'no argument "adress"; did you mean `address`?',
                                     host(bmc={"adress": "ipmi://h"}), SECRET),
    "host-online-type": Case("validate", HOST_FILE, "host", "`online`: Invalid attribute type: expected a bool",
                             host(online="yes"), SECRET),
    "host-secret-name": Case("validate", HOST_FILE, "host", "`user_data_secret` names a Kubernetes Secret",
                             host(user_data_secret="Bad_Name"), SECRET),
    "host-not-object": Case("validate", 'baremetalhost_manifest("worker-0")', "host", "at least `name` and `bmc.address`"),
    "host-no-name": Case("validate", HOST_FILE, "host", "`name` is required", host(name=None), SECRET),
    "host-from-variable": Case("plan", HOST_VAR, "host", "`boot_mode`", host(boot_mode="bios"), SECRET),
    "host-raid-level": Case("validate", HOST_FILE, "host", '"7" is not a RAID level',
                            host(raid={"hardware_raid_volumes": [{"level": "7"}]}), SECRET),
    "host-firmware-component": Case("validate", HOST_FILE, "host", '"cpld" is not a firmware component',
                                    host(firmware_components=[{"component": "cpld", "url": "https://f/x.bin"}]),
                                    SECRET),
    # --- bmc_address --------------------------------------------------------------------------------
    "bmc-scheme": Case("validate", 'bmc_address("bogus://10.0.0.5")', "address", "accepted schemes: ipmi"),
    "bmc-port": Case("validate", 'bmc_address("ipmi://10.0.0.5:70000")', "address", "1 to 65535"),
    "bmc-empty": Case("validate", 'bmc_address("")', "address", "is empty"),
    "bmc-null": Case("validate", "bmc_address(null)", "address", "null"),
    "bmc-credentials-and-space": Case("validate", 'bmc_address(file("${path.module}/in.yaml"))', "address",
                                      "whitespace", f"redfish://admin:{SECRET}@10.0.0.5 /x", SECRET),
}


@pytest.fixture(scope="module")
def bench(tmp_path_factory, stack, provider_bin):
    ws = Workspace(tmp_path_factory.mktemp("fn-bad") / "tf", stack, unique_namespace("fnbad"))
    log = ws.workdir.parent / "provider-trace.log"
    ws.tf.env.update({"TF_LOG_PROVIDER": "TRACE", "TF_LOG_PATH": str(log)})
    return ws, log


def configure(ws: Workspace, case: Case) -> None:
    for name in ("in.yaml", "in.json"):
        (ws.workdir / name).unlink(missing_ok=True)
    if case.file is not None:
        target = "in.json" if case.call in (HOST_FILE,) else "in.yaml"
        (ws.workdir / target).write_text(case.file)
    body = ""
    if case.call == HOST_VAR:
        body += ('variable "host" {\n  type      = any\n  sensitive = true\n  default   = '
                 + case.file.replace("${", "$${") + "\n}\n")
    body += f'output "result" {{\n  value     = provider::metal3::{case.call}\n  sensitive = true\n}}\n'
    ws.configure(body)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_function_input_is_refused_at_the_step_naming_the_parameter(name, bench, stack):
    case = CASES[name]
    ws, log = bench
    configure(ws, case)
    ws.init()
    ironic_log = IronicLog(stack)
    mark = ironic_log.mark()
    log_start = log.stat().st_size if log.exists() else 0
    validate = ws.run("validate", "-json", check=False)
    if case.step == "validate":
        proc = validate
    else:
        assert validate.returncode == 0, f"{name}: must pass validate, refused at plan:\n{validate.stdout}"
        proc = ws.run("plan", "-json", "-input=false", check=False)
    assert proc.returncode != 0, f"{name}: {case.step} must fail\n{proc.stdout[-3000:]}"
    errors = [d for d in json_diagnostics(proc.stdout) if d["severity"] == "error"]
    assert errors, f"{name}: no error\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"

    def text(d):
        return " ".join(" ".join([d.get("summary", ""), d.get("detail", "")]).split())

    matching = [d for d in errors if case.says in text(d)]
    assert matching, f"{name}: no error says {case.says!r}:\n" + json.dumps(errors, indent=2)
    assert f'"{case.parameter}" parameter' in text(matching[0]), \
        f"{name}: the error does not name the `{case.parameter}` parameter: {matching[0]}"
    # Terraform's own refusals (a null, a wrong type) have other summaries; the provider's are
    # all "Invalid function argument", which the troubleshooting guide explains.
    if "null" not in case.call and "[" not in case.call:
        assert matching[0]["summary"] == "Invalid function argument", matching[0]
        assert "**Invalid function argument**" in TROUBLESHOOTING
    if case.secret:
        assert case.secret not in proc.stdout + proc.stderr + validate.stdout, f"{name}: the secret leaked"
    trace = log.read_text(errors="replace")[log_start:] if log.exists() else ""
    assert "panicked" not in trace, f"{name}: the provider panicked:\n{trace[-3000:]}"
    if case.secret:
        assert case.secret not in trace, f"{name}: the secret is in the provider's log"
    mutating = ironic_log.mutating_requests_since(mark)
    assert mutating == [], f"{name}: functions must not reach Ironic: {mutating}"


def test_a_fleet_beyond_the_old_parser_limits_is_read(bench):
    """`kubectl get bmh -o yaml` of inspected hosts (one List): 2,000 by default, more than the
    ~770 the parser's default budget refused; METAL3_FLEET_HOSTS=10000 for a large fleet (about
    85 MB, a couple of minutes with a debug provider). The time is printed for the record."""
    ws, log = bench
    count = int(os.environ.get("METAL3_FLEET_HOSTS", "2000"))
    unit = (FIXTURES / "inspected-fleet.yaml").read_text()
    head, item = unit.split("items:\n", 1)
    items = "".join(item.replace("worker-0", f"worker-{i}")
                    .replace("b8:ca:3a:6e:00:10", f"b8:ca:3a:{i // 256 % 256:02x}:{i % 256:02x}:10")
                    for i in range(count))
    (ws.workdir / "in.yaml").write_text(head + "items:\n" + items)
    ws.configure('locals {\n  hosts = provider::metal3::baremetalhosts(file("${path.module}/in.yaml"))\n}\n'
                 'output "count" {\n  value = length(local.hosts)\n}\n'
                 'output "last" {\n  value = local.hosts[length(local.hosts) - 1].name\n}\n')
    ws.init()
    started = time.monotonic()
    ws.apply()
    elapsed = time.monotonic() - started
    out = ws.outputs()
    assert out["count"] == count and out["last"] == f"worker-{count - 1}"
    print(f"{count} hosts ({len(items) // 1_000_000} MB): apply {elapsed:.1f}s")
    assert "panicked" not in log.read_text(errors="replace")


def test_an_empty_fleet_is_read_when_allowed(bench):
    ws, _ = bench
    (ws.workdir / "in.yaml").write_text(SECRET_DOC)
    ws.configure('output "hosts" {\n  value = provider::metal3::baremetalhosts('
                 'file("${path.module}/in.yaml"), { allow_empty = true })\n}\n')
    ws.apply()
    assert ws.outputs()["hosts"] == []


def test_the_table_covers_every_function_and_parameter():
    calls = " ".join(c.call for c in CASES.values())
    for function in ("baremetalhosts(", "baremetalhost_manifest(", "bmc_address("):
        assert function in calls
    assert {c.parameter for c in CASES.values()} == {"manifest", "options", "host", "address"}
    assert len(CASES) >= 50, len(CASES)
