"""Issue #4, bad input: every invalid configuration fails at `terraform plan`, with a diagnostic
that points at the offending attribute (its source line, its name in the message), and nothing is
created in Ironic."""

import json
import re

import pytest

from hostkit import Workspace, fake_host, nodes_in, purge_namespace, random_mac, resource, unique_namespace

GOOD_IMAGE = {"url": "http://127.0.0.1:9/os.qcow2", "checksum": "0" * 64, "checksum_type": "sha256",
              "disk_format": "qcow2"}


def with_bmc(**bmc):
    base = {"address": "fake://bad-0", "username": "admin", "password": "fake-secret"}
    base.update(bmc)
    return {k: v for k, v in base.items() if v is not None}


# id -> (resource arguments beyond a valid fake host, attribute path, `timeouts` block or None)
CASES = {
    "bmc-scheme": ({"bmc": with_bmc(address="foo://10.0.0.1")}, "bmc.address", None),
    "bmc-not-url": ({"bmc": with_bmc(address="redfish://")}, "bmc.address", None),
    "mac-malformed": ({"boot_mac_address": "52:54:zz:00:00:01"}, "boot_mac_address", None),
    "mac-short": ({"boot_mac_address": "52:54:00:00:01"}, "boot_mac_address", None),
    "checksum-type": ({"image": GOOD_IMAGE | {"checksum_type": "crc32"}}, "image.checksum_type", None),
    "disk-format": ({"image": GOOD_IMAGE | {"disk_format": "iso9660"}}, "image.disk_format", None),
    "image-url": ({"image": GOOD_IMAGE | {"url": "ftp://images/os.qcow2"}}, "image.url", None),
    "missing-checksum": ({"image": {"url": "http://127.0.0.1:9/os.raw", "disk_format": "raw"}},
                         "image.checksum", "image"),
    "live-iso-checksum": ({"image": {"url": "http://127.0.0.1:9/live.iso", "disk_format": "live-iso",
                                     "checksum": "0" * 64}}, "image.checksum", None),
    "boot-mode": ({"boot_mode": "bios"}, "boot_mode", None),
    "inspection-mode": ({"inspection_mode": "redfish"}, "inspection_mode", None),
    "cleaning-mode": ({"automated_cleaning_mode": "full"}, "automated_cleaning_mode", None),
    "timeout-duration": ({}, "timeouts.create", {"create": "ten minutes"}),
    "timeout-zero": ({}, "timeouts.delete", {"delete": "0s"}),
    "both-passwords": ({"bmc": with_bmc(password_wo="other-secret", password_wo_version=1)},
                       "bmc.password_wo", None),
    "missing-password": ({"bmc": with_bmc(password=None)}, "bmc", "bmc"),
    "wo-without-version": ({"bmc": with_bmc(password=None, password_wo="wo-secret")},
                           "bmc.password_wo_version", "bmc"),
    "name-characters": ({"name": "Worker_0"}, "name", None),
    "namespace-characters": ({"namespace": "Lab.One"}, "namespace", None),
    "network-data-not-json": ({"network_data": "links: []"}, "network_data", None),
    "hctl-hint": ({"root_device_hints": {"hctl": "0:0"}}, "root_device_hints.hctl", None),
    "device-name-hint": ({"root_device_hints": {"device_name": "sda"}}, "root_device_hints.device_name", None),
    # Attribute absent: the diagnostic cannot point at a line, but must name it.
    "fake-agent-needs-mac": ({"boot_mac_address": None}, "boot_mac_address", "resource"),
}


@pytest.fixture(scope="module")
def bad_ws(tmp_path_factory, stack, ironic, provider_bin):
    workspace = Workspace(tmp_path_factory.mktemp("bad-input") / "tf", stack, unique_namespace("bad"))
    try:
        yield workspace
    finally:
        purge_namespace(ironic, workspace.namespace)


def line_of(text: str, pattern: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line):
            return number
    raise AssertionError(f"{pattern!r} not in\n{text}")


def expected_line(main_tf: str, path: str, anchor: str | None) -> int | None:
    """Source line Terraform should point at: the attribute's own line, or for an attribute that is
    absent (anchor) the line of the object/resource that lacks it."""
    if anchor == "resource":
        return None
    if anchor:
        return line_of(main_tf, rf"^\s*{anchor} = \{{")
    leaf = path.split(".")[-1]
    start = line_of(main_tf, r'^resource "') - 1  # not the provider block's own `namespace`
    if "." in path:  # look inside the parent object/block
        parent = path.split(".")[0]
        start = line_of(main_tf, rf"^\s*{parent}( = )?\s*\{{") - 1
    lines = main_tf.splitlines()
    for number in range(start, len(lines)):
        if re.match(rf"^\s*{leaf} = ", lines[number]):
            return number + 1
    raise AssertionError(f"{path} not in\n{main_tf}")


def diagnostics(stdout: str) -> list:
    out = []
    for line in stdout.splitlines():
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if doc.get("type") == "diagnostic":
            out.append(doc["diagnostic"])
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_configuration_fails_at_plan_naming_the_attribute(case, bad_ws, ironic):
    extra, path, anchor_or_timeouts = CASES[case]
    timeouts = anchor_or_timeouts if isinstance(anchor_or_timeouts, dict) else None
    anchor = anchor_or_timeouts if isinstance(anchor_or_timeouts, str) else None
    args = fake_host("bad-0", random_mac())
    args.update(extra)
    args = {k: v for k, v in args.items() if v is not None}
    main_tf = bad_ws.configure(resource("host", args, blocks={"timeouts": timeouts} if timeouts else None)
                               ).read_text()

    proc = bad_ws.plan("-json")
    assert proc.returncode == 1, f"{case}: plan must fail\n{proc.stdout}\n{proc.stderr}"
    errors = [d for d in diagnostics(proc.stdout) if d["severity"] == "error"]
    assert errors, f"{case}: no error diagnostic\n{proc.stdout}\n{proc.stderr}"
    leaf = path.split(".")[-1]
    line = expected_line(main_tf, path, anchor)

    def points_at_attribute(d: dict) -> bool:
        text = " ".join([d.get("summary", ""), d.get("detail", ""),
                         (d.get("snippet") or {}).get("code", "")])
        named = path in text or re.search(rf"\b{re.escape(leaf)}\b", text) is not None
        located = line is None or (d.get("range") or {}).get("start", {}).get("line") == line
        return named and located

    assert any(points_at_attribute(d) for d in errors), (
        f"{case}: no error names `{path}` at line {line} of main.tf:\n"
        + json.dumps(errors, indent=2) + "\n" + main_tf)
    # Validation happens before anything is touched.
    assert nodes_in(ironic, bad_ws.namespace) == []
    assert nodes_in(ironic, "Lab.One") == []
