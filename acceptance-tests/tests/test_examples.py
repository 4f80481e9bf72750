"""The examples/ directory: every example is valid Terraform for this provider, formatted, and
the helper scripts of `make demo` do what they say. The example runs (marked `needs_resource`)
run every example the way the README does, `scripts/example.sh NAME apply`, then `plan
-detailed-exitcode` (must be empty) and `destroy`, against the test stack, each in its own
namespace, and check the outcome in Ironic.

Inputs (as everywhere in acceptance-tests): METAL3_PROVIDER_BIN, the provider binary;
METAL3_TEST_STACK, the stack.json of a running test stack (only for the example runs);
.work/bin/terraform from scripts/bootstrap.sh.
"""

import importlib.util
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

import pytest
from hostkit import free_mac, nodes_in, posted_inventory, purge_namespace, random_mac, unique_namespace
from m3stack.testkit import PROVIDER_ADDRESS, PROVIDER_SOURCE, PROVIDER_VERSION, Ironic

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
SCRIPTS_DIR = ROOT / "scripts"
EXAMPLES = sorted(p.name for p in EXAMPLES_DIR.iterdir() if (p / "main.tf").is_file())
EXPECTED_EXAMPLES = {
    "quickstart",
    "provision-image",
    "live-iso",
    "import-externally-provisioned",
    "inventory-data-source",
    "adopt-fleet",
    "raid-bios-firmware",
}
PROVIDER_DIR = f"{PROVIDER_ADDRESS}/{PROVIDER_VERSION}/linux_amd64"


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


inventory_table = load_script("inventory_table")
example_tfvars = load_script("example_tfvars")


# --- fixtures (local: harness's conftest may offer equivalents) --------------------------------


@pytest.fixture(scope="session")
def terraform_bin():
    path = pathlib.Path(os.environ.get("METAL3_TERRAFORM", ROOT / ".work/bin/terraform"))
    if not path.exists():
        pytest.fail(f"{path} missing: run scripts/bootstrap.sh")
    return path


@pytest.fixture(scope="session")
def provider_bin():
    value = os.environ.get("METAL3_PROVIDER_BIN")
    if not value:
        pytest.fail("METAL3_PROVIDER_BIN is not set (make test sets it)")
    path = pathlib.Path(value)
    assert path.is_file(), f"METAL3_PROVIDER_BIN={path} is not a file"
    return path


@pytest.fixture(scope="session")
def private_mirror(tmp_path_factory, provider_bin):
    """A filesystem mirror of this session only, holding a copy of the provider taken once: a
    rebuild of the binary, or another session installing its own, cannot swap it mid-test.
    Returns (mirror directory, provider binary in it)."""
    mirror = tmp_path_factory.mktemp("tf-mirror") / "mirror"
    target = mirror / PROVIDER_DIR / f"terraform-provider-metal3_v{PROVIDER_VERSION}"
    target.parent.mkdir(parents=True)
    shutil.copy2(provider_bin, target)
    return mirror, target


@pytest.fixture(scope="session")
def tf_env(private_mirror):
    """Environment for Terraform with the provider in a private filesystem mirror."""
    mirror, _ = private_mirror
    base = mirror.parent
    rc = base / "cli.tfrc"
    rc.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path = "{mirror}"\n'
        f'    include = ["{PROVIDER_ADDRESS}"]\n  }}\n}}\n'
    )
    env = dict(os.environ)
    env.update(TF_CLI_CONFIG_FILE=str(rc), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
    env.pop("TF_LOG", None)
    return env


def terraform(terraform_bin, workdir, env, *args, check=True, timeout=600):
    result = subprocess.run(
        [str(terraform_bin), f"-chdir={workdir}", *args, "-no-color"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"terraform {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def copy_example(name, tmp_path):
    workdir = tmp_path / name
    shutil.copytree(EXAMPLES_DIR / name, workdir, ignore=shutil.ignore_patterns(
        ".terraform", "*.tfstate*", ".terraform.lock.hcl", "*.auto.tfvars.json"))
    return workdir


# --- static checks ------------------------------------------------------------------------------


def test_every_example_of_issue_5_is_present():
    assert EXPECTED_EXAMPLES <= set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_is_self_contained(name):
    example = EXAMPLES_DIR / name
    for required in ("main.tf", "variables.tf", "README.md"):
        assert (example / required).is_file(), f"examples/{name}/{required} missing"
    text = "\n".join(p.read_text() for p in example.glob("*.tf"))
    assert f'source  = "{PROVIDER_SOURCE}"' in text
    assert f'version = "{PROVIDER_VERSION}"' in text, "examples pin the version in Cargo.toml"
    assert 'variable "ironic_url"' in text
    # Stack ports are free ports: never written into an example (descriptions may show one).
    for line in text.splitlines():
        if "description" not in line and not line.lstrip().startswith("#"):
            assert "127.0.0.1:" not in line and "localhost:" not in line, line


# Examples that manage hosts (the data-source example only reads them and has no BMC password).
HOST_EXAMPLES = [n for n in EXAMPLES if "bmc = {" in (EXAMPLES_DIR / n / "main.tf").read_text()]


def test_most_examples_manage_hosts():
    # The fleet example's hosts are written by `terraform query` when it runs.
    assert set(HOST_EXAMPLES) == EXPECTED_EXAMPLES - {"inventory-data-source", "adopt-fleet"}


@pytest.mark.parametrize("name", HOST_EXAMPLES)
def test_bmc_passwords_come_from_sensitive_variables(name):
    text = (EXAMPLES_DIR / name / "variables.tf").read_text()
    blocks = text.split('variable "')[1:]
    password_vars = [b for b in blocks if b.split('"')[0].endswith("password")]
    assert password_vars, f"examples/{name} declares no password variable"
    for block in password_vars:
        assert "sensitive   = true" in block, f"variable {block.split(chr(34))[0]} not sensitive"


def test_examples_are_formatted(terraform_bin):
    env = dict(os.environ, CHECKPOINT_DISABLE="1", TF_CLI_CONFIG_FILE=os.devnull)
    result = subprocess.run(
        [str(terraform_bin), "fmt", "-check", "-recursive", "-diff", "-no-color", str(EXAMPLES_DIR)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"terraform fmt -check failed:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_with_the_provider(name, tmp_path, terraform_bin, tf_env):
    """init installs the provider from the mirror; validate checks every attribute name and type
    against the provider's real schema (GetProviderSchema over plugin protocol 6)."""
    workdir = copy_example(name, tmp_path)
    terraform(terraform_bin, workdir, tf_env, "init", "-input=false", "-backend=false")
    result = terraform(terraform_bin, workdir, tf_env, "validate", "-json", check=False)
    report = json.loads(result.stdout or "{}")
    assert report.get("valid") is True, json.dumps(report.get("diagnostics"), indent=2) + result.stderr
    assert report.get("warning_count") == 0, json.dumps(report.get("diagnostics"), indent=2)


# --- scripts ------------------------------------------------------------------------------------

SAMPLE_OUTPUT = {
    "inventory": {
        "sensitive": False,
        "type": ["map", "dynamic"],
        "value": {
            "quickstart/fake-1": {
                "id": "7f0c5f6e-0000-4000-8000-000000000001",
                "provisioning_state": "available",
                "powered_on": True,
                "cpu_arch": "x86_64",
                "cpu_model": "Intel Xeon Gold 6338",
                "cpu_count": 64,
                "ram_mebibytes": 262144,
                "disks": [
                    {"name": "/dev/nvme0n1", "size_bytes": 960197124096, "type": "NVME"},
                    {"name": "/dev/sda", "size_bytes": 4000787030016, "type": "HDD"},
                ],
                "nics": [
                    {"name": "eno1", "mac": "02:6d:33:01:00:01", "speed_gbps": 25},
                    {"name": "eno2", "mac": "02:6d:33:01:00:11", "speed_gbps": 0},
                ],
            },
            "quickstart/fake-0": {
                "provisioning_state": "inspecting",
                "cpu_count": None,
                "cpu_model": None,
                "ram_mebibytes": None,
                "disks": [],
                "nics": [],
            },
        },
    },
    "host_count": {"sensitive": False, "type": "number", "value": 2},
}


def test_inventory_table_formats_terraform_output(tmp_path, capsys):
    document = tmp_path / "out.json"
    document.write_text(json.dumps(SAMPLE_OUTPUT))
    assert inventory_table.main([str(document)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["HOST", "STATE", "CPUS", "CPU", "MODEL", "RAM", "DISKS", "NICS"]
    assert set(lines[1]) <= {"-", " "}
    # Sorted by host; an uninspected host shows dashes, not "None".
    assert lines[2].startswith("quickstart/fake-0") and "None" not in lines[2]
    assert lines[2].split()[1:] == ["inspecting", "-", "-", "-", "-", "-"]
    row = lines[3]
    assert row.startswith("quickstart/fake-1")
    for cell in ("available", "64", "Intel Xeon Gold 6338", "256 GiB",
                 "/dev/nvme0n1 894.3 GiB NVME, /dev/sda 3.6 TiB HDD",
                 "eno1 02:6d:33:01:00:01 25G, eno2 02:6d:33:01:00:11"):
        assert cell in row, f"{cell!r} not in {row!r}"
    # Columns line up: every cell of a column starts at the header's offset.
    assert row.index("available") == lines[0].index("STATE")
    assert row.index("256 GiB") == lines[0].index("RAM")
    assert len(lines) == 4


def test_inventory_table_without_hosts_or_output(tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"inventory": {"sensitive": False, "value": {}}}))
    assert inventory_table.main([str(empty)]) == 0
    assert capsys.readouterr().out == "(no hosts)\n"
    none = tmp_path / "none.json"
    none.write_text("{}")
    assert inventory_table.main([str(none)]) == 1
    assert "no output named 'inventory'" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    assert inventory_table.main([str(bad)]) == 1


@pytest.mark.parametrize("size,text", [
    (0, "0 B"), (1023, "1023 B"), (1024, "1 KiB"), (1536, "1.5 KiB"),
    (10 * 1024**3, "10 GiB"), (None, "-"),
])
def test_human_bytes(size, text):
    assert inventory_table.human_bytes(size) == text


STACK_SAMPLE = {
    "ironic_url": "http://127.0.0.1:40001",
    "deploy_kernel_url": "http://127.0.0.1:40002/ipa.kernel",
    "deploy_ramdisk_url": "http://127.0.0.1:40002/ipa.initramfs",
    "deploy_iso_url": "http://127.0.0.1:40002/ipa.iso",
    "redfish_url": "http://127.0.0.1:40003",
    "redfish_username": "admin",
    "redfish_password": "s3cret",
    "redfish_systems": [{"uuid": "u-1", "name": "node-1", "mac": "52:54:00:AB:CD:01"}],
    "images": {"qcow2_url": "http://127.0.0.1:40002/img.qcow2", "qcow2_sha256": "ab12",
               "qcow2_sha256_url": "http://127.0.0.1:40002/img.qcow2.sha256sum",
               "iso_url": "http://127.0.0.1:40002/live.iso"},
}


def test_tfvars_hold_only_what_each_example_declares():
    quickstart = example_tfvars.tfvars_for(STACK_SAMPLE, EXAMPLES_DIR / "quickstart")
    assert quickstart["ironic_url"] == "http://127.0.0.1:40001"
    assert quickstart["redfish_systems"] == [{"uuid": "u-1", "name": "node-1", "mac": "52:54:00:ab:cd:01"}]
    assert "image_url" not in quickstart and "live_iso_url" not in quickstart
    live = example_tfvars.tfvars_for(STACK_SAMPLE, EXAMPLES_DIR / "live-iso")
    assert live == {"ironic_url": "http://127.0.0.1:40001", "live_iso_url": "http://127.0.0.1:40002/live.iso"}
    image = example_tfvars.tfvars_for(STACK_SAMPLE, EXAMPLES_DIR / "provision-image")
    assert image["image_checksum_url"].endswith(".sha256sum")
    assert "redfish_password" not in image
    for name in EXAMPLES:
        declared = example_tfvars.declared_variables(EXAMPLES_DIR / name)
        assert set(example_tfvars.tfvars_for(STACK_SAMPLE, EXAMPLES_DIR / name)) <= declared



def test_example_vars_override_the_stack_for_declared_variables():
    overrides = {"namespace": "ex-1", "boot_mac_address": "52:54:02:00:00:01",
                 "fake_hosts": [], "live_iso_url": "http://elsewhere/live.iso"}
    live = example_tfvars.tfvars_for(STACK_SAMPLE, EXAMPLES_DIR / "live-iso", overrides)
    assert live == {"ironic_url": "http://127.0.0.1:40001", "namespace": "ex-1",
                    "boot_mac_address": "52:54:02:00:00:01",
                    "live_iso_url": "http://elsewhere/live.iso"}
    quickstart = example_tfvars.tfvars_for(STACK_SAMPLE, EXAMPLES_DIR / "quickstart", overrides)
    assert quickstart["fake_hosts"] == [] and "boot_mac_address" not in quickstart
    assert example_tfvars.overrides_from_env({}) == {}
    assert example_tfvars.overrides_from_env({"METAL3_EXAMPLE_VARS": ' {"a": 1} '}) == {"a": 1}
    for bad in ("[1]", "{not json"):
        with pytest.raises(ValueError, match="METAL3_EXAMPLE_VARS"):
            example_tfvars.overrides_from_env({"METAL3_EXAMPLE_VARS": bad})


def test_examples_with_fake_hosts_take_their_macs_from_variables():
    """A test (or a second run beside the demo) gives each run its own MACs: no fake host of an
    example has a MAC only in main.tf."""
    for name in ("provision-image", "live-iso"):
        assert "boot_mac_address = var.boot_mac_address" in (EXAMPLES_DIR / name / "main.tf").read_text()
    assert "mac     = h.mac" in (EXAMPLES_DIR / "quickstart" / "main.tf").read_text()
    for name in HOST_EXAMPLES + ["inventory-data-source"]:
        assert "namespace" in example_tfvars.declared_variables(EXAMPLES_DIR / name), name


# --- every example against the test stack, run as the README runs it ---------------------------

README_EXAMPLE_COMMAND = re.compile(r"^scripts/example\.sh ([a-z0-9-]+)", re.MULTILINE)


def test_the_readme_names_the_version_in_cargo_toml():
    """The version lives in Cargo.toml: the README's status line, configuration snippets and
    mirror paths follow it."""
    readme = (ROOT / "README.md").read_text()
    named = (re.findall(r'(?<![_a-z])version\s*=\s*"([^"]+)"', readme)
             + re.findall(r"/metal3/(\d+\.\d+\.\d+)/", readme)
             + re.findall(r"Status: (\d+\.\d+\.\d+)", readme))
    assert len(named) >= 3 and set(named) == {PROVIDER_VERSION}, named


def test_every_example_and_readme_command_has_a_run_test():
    """A README example command, or an example, without a test that runs it would go stale."""
    readme = (ROOT / "README.md").read_text()
    named = set(README_EXAMPLE_COMMAND.findall(readme))
    assert named, "README.md shows no scripts/example.sh command"
    assert named <= set(EXAMPLES), named - set(EXAMPLES)
    for name in set(EXAMPLES) | named:
        test = globals().get("test_example_" + name.replace("-", "_"))
        assert callable(test), f"no test runs scripts/example.sh {name}"
#
# For each example: `scripts/example.sh NAME apply`, `scripts/example.sh NAME plan
# -detailed-exitcode` (must exit 0: nothing to change) and `scripts/example.sh NAME destroy`, with
# the test stack (METAL3_DEMO_STACK_DIR), the provider under test (METAL3_PROVIDER_BIN, copied once
# into the session's own mirror METAL3_TF_MIRROR: no cargo build), a temporary working directory
# (METAL3_RUN_DIR: a user's .work/run is never touched) and the test's own namespace and random
# MACs (METAL3_EXAMPLE_VARS). What happened is checked in Ironic itself, not only in Terraform's
# output. Whatever the outcome, the namespace's nodes are destroyed and then purged from Ironic,
# which also releases the stack's shared Redfish systems.

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MOVE = re.compile(r'Node (?P<uuid>[0-9a-f-]{36}) moved to provision state "(?P<new>[^"]+)" '
                  r'from state "(?P<old>[^"]+)"')
SCRIPT_TIMEOUT_S = 900
TIMINGS: dict = {}  # example -> {action: seconds}


@pytest.fixture(scope="module")
def stack():
    path = os.environ.get("METAL3_TEST_STACK")
    if not path:
        if os.environ.get("METAL3_REQUIRE_STACK") == "1":
            pytest.fail("METAL3_REQUIRE_STACK=1 but METAL3_TEST_STACK is not set")
        pytest.skip("skipped: no METAL3_TEST_STACK")
    return json.loads(pathlib.Path(path).read_text())


@pytest.fixture(scope="module")
def ironic(stack):
    return Ironic(stack["ironic_url"])


@pytest.fixture(scope="module", autouse=True)
def report_timings(request):
    """Prints the wall time of every example action at the end of the module (also with -q)."""
    yield
    if not TIMINGS:
        return
    lines = ["", "examples, wall time of scripts/example.sh (s):"]
    for name, actions in TIMINGS.items():
        lines.append(f"  {name:32s} " + "  ".join(f"{a} {t:6.1f}" for a, t in actions.items()))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print("\n".join(lines))
        return
    with capture.global_and_fixture_disabled():
        for line in lines:
            reporter.write_line(line)


class Examples:
    """`scripts/example.sh` as a user runs it, bound to the test stack, a temporary run directory,
    one namespace and the test's variables."""

    def __init__(self, stack: dict, run_dir: pathlib.Path, mirror: tuple,
                 namespace: str, variables: dict, owner: str = ""):
        self.stack = stack
        self.owner = owner  # the example the test is about (for the timings report)
        self.run_dir = run_dir
        self.namespace = namespace
        self.variables = {"namespace": namespace, **variables}
        self.ran: list = []  # examples run, in order (cleanup destroys them in reverse)
        self.extra_namespaces: list = []  # further namespaces the test made nodes in (purged)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TF_LOG", "TF_CLI_ARGS", "TF_VAR_", "TF_DATA_DIR"))}
        env.update(
            METAL3_DEMO_STACK_DIR=str(pathlib.Path(os.environ["METAL3_TEST_STACK"]).resolve().parent),
            METAL3_RUN_DIR=str(run_dir),
            METAL3_TF_MIRROR=str(mirror[0]),
            METAL3_PROVIDER_BIN=str(mirror[1]),
        )
        self.env = env

    def script(self, name: str, action: str, *args: str, expect=(0,)) -> tuple:
        """Runs `scripts/example.sh NAME ACTION ARGS...`; returns (exit code, output without colours)."""
        if name not in self.ran:
            self.ran.append(name)
        env = dict(self.env, METAL3_EXAMPLE_VARS=json.dumps(self.variables))
        command = [str(SCRIPTS_DIR / "example.sh"), name, action, *args]
        started = time.monotonic()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            output, _ = proc.communicate(timeout=SCRIPT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
            pytest.fail(f"{' '.join(command[1:])} still running after {SCRIPT_TIMEOUT_S}s\n"
                        f"{ANSI.sub('', output)[-8000:]}")
        elapsed = time.monotonic() - started
        label = name if name == self.owner or not self.owner else f"{name} (for {self.owner})"
        TIMINGS.setdefault(label, {})[action] = elapsed
        output = ANSI.sub("", output)
        if proc.returncode not in expect:
            pytest.fail(f"scripts/example.sh {name} {action} {' '.join(args)} exited {proc.returncode} "
                        f"after {elapsed:.1f}s (namespace {self.namespace})\n{output[-8000:]}")
        return proc.returncode, output

    def apply(self, name: str) -> str:
        return self.script(name, "apply")[1]

    def assert_plan_empty(self, name: str) -> str:
        code, output = self.script(name, "plan", "-detailed-exitcode", expect=(0, 2))
        assert code == 0, f"the plan after apply is not empty (exit {code}):\n{output[-8000:]}"
        assert "No changes." in output, output
        return output

    def destroy(self, name: str) -> str:
        return self.script(name, "destroy")[1]

    def state(self, name: str) -> dict:
        path = self.run_dir / name / "terraform.tfstate"
        return json.loads(path.read_text()) if path.exists() else {}

    def outputs(self, name: str) -> dict:
        return {k: v["value"] for k, v in self.state(name).get("outputs", {}).items()}

    def cleanup(self, ironic) -> None:
        for name in reversed(self.ran):
            if self.state(name).get("resources"):
                try:
                    self.script(name, "destroy", expect=range(256))
                except BaseException as exc:  # the purge must still run (pytest.fail included)
                    print(f"destroy of {name} during cleanup failed: {exc}")
        for namespace in (self.namespace, *self.extra_namespaces):
            purge_namespace(ironic, namespace)


@pytest.fixture
def examples(request, tmp_path, stack, ironic, private_mirror):
    """Examples in a fresh namespace (named after the test); always cleaned up."""
    example = request.node.name.removeprefix("test_example_").replace("_", "-")
    runner = Examples(stack, tmp_path / "run", private_mirror,
                      unique_namespace(f"ex-{example.split('-')[0][:8]}"), {}, owner=example)
    try:
        yield runner
    finally:
        runner.cleanup(ironic)


def namespace_nodes(ironic, namespace: str) -> dict:
    """The namespace's Ironic nodes (full documents) by host name."""
    return {n["name"].split("~", 1)[1]: ironic.node(n["uuid"]) for n in nodes_in(ironic, namespace)}


def port_macs(ironic, uuid: str) -> set:
    return {p["address"].lower() for p in ironic.get("/v1/ports", params={"node": uuid})["ports"]}


def provision_moves(stack: dict, uuid: str) -> list:
    """(from, to) of every provision state change of the node, from the Ironic log."""
    log = pathlib.Path(stack["log_dir"]) / "ironic-noauth.log"
    return [(m["old"], m["new"]) for m in MOVE.finditer(log.read_text(errors="replace"))
            if m["uuid"] == uuid]


def assert_namespace_empty(ironic, namespace: str) -> None:
    left = nodes_in(ironic, namespace)
    assert not left, f"nodes left in namespace {namespace} after destroy: {left}"


@pytest.mark.needs_resource
def test_example_quickstart(examples, stack, ironic):
    """`scripts/example.sh quickstart`: fake hosts (own MACs) and every Redfish system of the stack
    are enrolled and inspected, and end up `available`."""
    fake_hosts = [{"name": f"fake-{i}", "mac": random_mac()} for i in range(3)]
    systems = stack.get("redfish_systems", [])
    for system in systems:
        free_mac(ironic, system["mac"])  # a leftover of an earlier run would hold the port
    examples.variables["fake_hosts"] = fake_hosts
    output = examples.apply("quickstart")

    expected = {h["name"]: h["mac"] for h in fake_hosts}
    expected.update({f"redfish-{s['name'].lower().replace('_', '-')}": s["mac"].lower() for s in systems})
    nodes = namespace_nodes(ironic, examples.namespace)
    assert set(nodes) == set(expected), nodes.keys()
    for name, node in nodes.items():
        assert (node["provision_state"], node["target_provision_state"]) == ("available", None), (
            name, node["provision_state"], node["last_error"])
        assert node["driver"] == ("fake-hardware" if name.startswith("fake-") else "redfish"), name
        assert expected[name] in port_macs(ironic, node["uuid"]), name

    inventory = examples.outputs("quickstart")["inventory"]
    assert set(inventory) == {f"{examples.namespace}/{n}" for n in expected}, inventory.keys()
    for host, summary in inventory.items():
        name = host.split("/", 1)[1]
        assert summary["id"] == nodes[name]["uuid"]
        assert summary["provisioning_state"] == "available", (host, summary)
        assert summary["disks"] and summary["nics"], (host, summary)
        # What Terraform shows is what the (stand-in) agent reported to Ironic.
        posted = posted_inventory(stack, expected[name])
        assert summary["cpu_count"] == posted["cpu"]["count"], host
        assert summary["ram_mebibytes"] == posted["memory"]["physical_mb"], host
        assert len(summary["disks"]) == len(posted["disks"]), host
        assert expected[name] in {n["mac"] for n in summary["nics"]}, host
        # The script printed the inventory table with every host.
        assert host in output, f"{host} missing from the printed table"

    examples.assert_plan_empty("quickstart")
    examples.destroy("quickstart")
    assert_namespace_empty(ironic, examples.namespace)
    for system in systems:  # the shared Redfish systems are free for the next test
        assert not ironic.get("/v1/ports", params={"address": system["mac"]})["ports"], system


def apply_one_active_host(examples, ironic, example: str, host: str):
    """Applies `example` with a fresh boot MAC; its one host must end `active` in Ironic.
    Returns the MAC and the node."""
    mac = random_mac()
    examples.variables["boot_mac_address"] = mac
    examples.apply(example)
    nodes = namespace_nodes(ironic, examples.namespace)
    assert set(nodes) == {host}, nodes.keys()
    node = nodes[host]
    assert (node["provision_state"], node["target_provision_state"]) == ("active", None), node["last_error"]
    return mac, node


@pytest.mark.needs_resource
def test_example_provision_image(examples, stack, ironic):
    """`scripts/example.sh provision-image`: one fake host inspected, cleaned and deployed with
    the stack's qcow2 image and a config drive: `active` in Ironic."""
    mac, node = apply_one_active_host(examples, ironic, "provision-image", "server-0")
    assert node["power_state"] == "power on"
    assert node["instance_info"]["image_source"] == stack["images"]["qcow2_url"]
    assert port_macs(ironic, node["uuid"]) == {mac}
    outputs = examples.outputs("provision-image")
    assert outputs["provisioning_state"] == "provisioned"
    assert outputs["id"] == node["uuid"]
    assert outputs["provisioned_image"]["url"] == stack["images"]["qcow2_url"]

    examples.assert_plan_empty("provision-image")
    examples.destroy("provision-image")
    assert_namespace_empty(ironic, examples.namespace)


@pytest.mark.needs_resource
def test_example_live_iso(examples, stack, ironic):
    """`scripts/example.sh live-iso`: a fake host boots the stack's ISO (ramdisk deploy, booted
    over the network from its boot MAC): `active` in Ironic, nothing inspected or cleaned."""
    mac, node = apply_one_active_host(examples, ironic, "live-iso", "live-0")
    assert node["deploy_interface"] == "ramdisk"
    assert stack["images"]["iso_url"] in json.dumps(node["instance_info"]), node["instance_info"]
    assert port_macs(ironic, node["uuid"]) == {mac}
    moves = provision_moves(stack, node["uuid"])
    assert not {s for move in moves for s in move} & {"inspecting", "inspect wait"}, moves
    outputs = examples.outputs("live-iso")
    assert outputs["provisioning_state"] == "provisioned"
    assert outputs["provisioned_image"]["disk_format"] == "live-iso"

    examples.assert_plan_empty("live-iso")
    examples.destroy("live-iso")
    assert_namespace_empty(ironic, examples.namespace)


@pytest.mark.needs_resource
def test_example_raid_bios_firmware(examples, stack, ironic):
    """`scripts/example.sh raid-bios-firmware`: one fake host inspected, then prepared by one
    manual cleaning (RAID, firmware, BIOS, in that order) and made available; Ironic holds the
    RAID volumes and BIOS settings the example declares."""
    mac = random_mac()
    examples.variables["boot_mac_address"] = mac
    examples.apply("raid-bios-firmware")
    nodes = namespace_nodes(ironic, examples.namespace)
    assert set(nodes) == {"worker-0"}, nodes.keys()
    node = nodes["worker-0"]
    assert (node["provision_state"], node["target_provision_state"]) == ("available", None)
    history = ironic.get(f"/v1/nodes/{node['uuid']}/history?detail=true")["history"]
    manual = [e["event"] for e in history if e["event"].startswith("Starting manual cleaning")]
    assert len(manual) == 1, manual
    steps = re.findall(r"'interface': '(\w+)', 'step': '(\w+)'", manual[0])
    assert steps == [("raid", "delete_configuration"), ("raid", "create_configuration"),
                     ("firmware", "update"), ("bios", "apply_configuration")], steps
    disks = node["raid_config"]["logical_disks"]
    assert [(d["raid_level"], d.get("volume_name")) for d in disks] == [("1", "root"), ("5", "data")]
    bios = {s["name"]: s["value"] for s in ironic.get(f"/v1/nodes/{node['uuid']}/bios")["bios"]}
    assert bios == {"ProcHyperthreading": "Enabled", "ProcTurboMode": "Disabled",
                    "ProcVirtualization": "Enabled"}, bios
    outputs = examples.outputs("raid-bios-firmware")
    assert outputs["bios_settings_current"] == bios
    assert outputs["hardware_settings_pending"] == []
    assert outputs["provisioning_state"] == "available"

    examples.assert_plan_empty("raid-bios-firmware")
    examples.destroy("raid-bios-firmware")
    assert_namespace_empty(ironic, examples.namespace)


ACTIVE_SINCE = re.compile(r"node (?P<node>\S+) is (?:already )?active \(?since (?P<since>[^\s)]+)")
ADOPTION = [("enroll", "verifying"), ("verifying", "manageable"), ("manageable", "adopting"),
            ("adopting", "active")]


@pytest.mark.needs_resource
def test_example_import_externally_provisioned(examples, stack, ironic):
    """`scripts/example.sh import-externally-provisioned`: the script adopts a node in Ironic
    (as if installed by hand), Terraform imports it and records it as externally provisioned.

    Nothing happens to the machine on apply or plan: the node stays `active` with the same
    provision_updated_at, and the Ironic log has no provision state change for it beyond the
    adoption. Destroy removes it from Ironic without cleaning: an externally provisioned host's
    disks are never touched, so destroy powers it off and deletes the node, and the log shows no
    `cleaning`/`clean wait` for it."""
    output = examples.apply("import-externally-provisioned")
    precreated = ACTIVE_SINCE.search(output)
    assert precreated, f"no precreated node in the output:\n{output}"
    assert precreated["node"] == f"{examples.namespace}~legacy-db-0"

    nodes = namespace_nodes(ironic, examples.namespace)
    assert set(nodes) == {"legacy-db-0"}, nodes.keys()
    node = nodes["legacy-db-0"]
    assert (node["provision_state"], node["target_provision_state"]) == ("active", None), node["last_error"]
    assert node["provision_updated_at"] == precreated["since"]
    assert provision_moves(stack, node["uuid"]) == ADOPTION
    outputs = examples.outputs("import-externally-provisioned")
    assert outputs["provisioning_state"] == "externally provisioned"
    assert outputs["id"] == node["uuid"]

    plan = examples.assert_plan_empty("import-externally-provisioned")
    assert f"already active (since {precreated['since']})" in plan
    node = ironic.node(node["uuid"])
    assert (node["provision_state"], node["provision_updated_at"]) == ("active", precreated["since"])
    assert provision_moves(stack, node["uuid"]) == ADOPTION

    examples.destroy("import-externally-provisioned")
    assert_namespace_empty(ironic, examples.namespace)
    moves = provision_moves(stack, node["uuid"])
    cleaning = [m for m in moves if {"cleaning", "clean wait"} & set(m)]
    assert not cleaning, f"destroy cleaned the externally provisioned node {node['uuid']}: {moves}"


def test_example_adopt_fleet(examples, stack, ironic):
    """`scripts/example.sh adopt-fleet`: three machines Ironic already runs (made by the script as
    if installed by hand) are found by `terraform query`, their configuration generated and
    filled in, and imported by the apply without any provision state change beyond their
    adoption; the plan after is empty; destroy removes them without cleaning."""
    output = examples.apply("adopt-fleet")
    assert "filled the BMC settings of 3 host(s)" in output, output
    generated = (examples.run_dir / "adopt-fleet" / "hosts.generated.tf").read_text()
    assert generated.count("import {") == 3 and generated.count("externally_provisioned = true") == 3
    nodes = namespace_nodes(ironic, examples.namespace)
    assert set(nodes) == {"rack-0", "rack-1", "rack-2"}, nodes.keys()
    for node in nodes.values():
        assert (node["provision_state"], node["target_provision_state"]) == ("active", None), node["last_error"]
        assert provision_moves(stack, node["uuid"]) == ADOPTION
    resources = examples.state("adopt-fleet")["resources"]
    assert len(resources) == 3
    assert {r["instances"][0]["attributes"]["provisioning_state"] for r in resources} == {"externally provisioned"}

    examples.assert_plan_empty("adopt-fleet")
    examples.destroy("adopt-fleet")
    assert_namespace_empty(ironic, examples.namespace)
    for node in nodes.values():
        moves = provision_moves(stack, node["uuid"])
        assert not [m for m in moves if {"cleaning", "clean wait"} & set(m)], moves


def create_available_node(ironic, name: str) -> dict:
    """An `available` fake-hardware node made directly in Ironic (no inspection, no agent)."""
    node = ironic.post("/v1/nodes", {
        "name": name, "driver": "fake-hardware", "boot_interface": "fake", "deploy_interface": "fake",
        "inspect_interface": "no-inspect", "management_interface": "fake", "power_interface": "fake",
    })
    ironic.move(node["uuid"], "manage", "manageable")
    return ironic.move(node["uuid"], "provide", "available")


@pytest.mark.needs_resource
def test_example_inventory_data_source(examples, stack, ironic):
    """`scripts/example.sh inventory-data-source` after the quickstart, as its README runs it, in
    the test's namespace: it lists exactly the namespace's available hosts, with the hardware the
    agent reported, and not a node of another namespace nor one that is not available."""
    fake_hosts = [{"name": f"fake-{i}", "mac": random_mac()} for i in range(2)]
    examples.variables.update(fake_hosts=fake_hosts, redfish_systems=[])
    other_namespace = unique_namespace("ex-other")
    examples.extra_namespaces.append(other_namespace)
    # Decoys: available in another namespace; in this namespace but only enrolled.
    create_available_node(ironic, f"{other_namespace}~fake-0")
    ironic.post("/v1/nodes", {"name": f"{examples.namespace}~enrolled-0", "driver": "fake-hardware"})

    examples.apply("quickstart")
    nodes = namespace_nodes(ironic, examples.namespace)
    assert {n: nodes[n]["provision_state"] for n in nodes} == {
        "fake-0": "available", "fake-1": "available", "enrolled-0": "enroll"}

    output = examples.apply("inventory-data-source")
    outputs = examples.outputs("inventory-data-source")
    assert outputs["host_count"] == 2, outputs
    inventory = outputs["inventory"]
    assert set(inventory) == {f"{examples.namespace}/fake-0", f"{examples.namespace}/fake-1"}, inventory
    for host in fake_hosts:
        summary = inventory[f"{examples.namespace}/{host['name']}"]
        assert summary["id"] == nodes[host["name"]]["uuid"]
        assert summary["provisioning_state"] == "available"
        posted = posted_inventory(stack, host["mac"])
        assert summary["cpu_count"] == posted["cpu"]["count"]
        assert summary["ram_mebibytes"] == posted["memory"]["physical_mb"]
        assert host["mac"] in {n["mac"] for n in summary["nics"]}
        assert f"{examples.namespace}/{host['name']}" in output  # the printed table

    examples.assert_plan_empty("inventory-data-source")
    examples.destroy("inventory-data-source")
    # Reading hosts owns nothing: its destroy leaves them as they were.
    nodes_after = namespace_nodes(ironic, examples.namespace)
    assert {n: (v["uuid"], v["provision_state"]) for n, v in nodes_after.items()} == {
        n: (v["uuid"], v["provision_state"]) for n, v in nodes.items()}
    examples.destroy("quickstart")
    assert set(namespace_nodes(ironic, examples.namespace)) == {"enrolled-0"}
