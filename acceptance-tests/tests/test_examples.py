"""The examples/ directory: every example is valid Terraform for this provider, formatted, and
the helper scripts of `make demo` do what they say. The quickstart apply (marked
`needs_resource`) enrolls and inspects real Ironic nodes in the test stack.

Inputs (as everywhere in acceptance-tests): METAL3_PROVIDER_BIN, the provider binary;
METAL3_TEST_STACK, the stack.json of a running test stack (only for the apply test);
.work/bin/terraform from scripts/bootstrap.sh.
"""

import importlib.util
import json
import os
import pathlib
import shutil
import subprocess

import pytest

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
}
PROVIDER_DIR = "registry.terraform.io/metal3-io/metal3/0.1.0/linux_amd64"


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
def tf_env(tmp_path_factory, provider_bin):
    """Environment for Terraform with the provider in a private filesystem mirror."""
    base = tmp_path_factory.mktemp("tf-mirror")
    mirror = base / "mirror"
    target = mirror / PROVIDER_DIR / "terraform-provider-metal3_v0.1.0"
    target.parent.mkdir(parents=True)
    shutil.copy2(provider_bin, target)
    rc = base / "cli.tfrc"
    rc.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path = "{mirror}"\n'
        '    include = ["registry.terraform.io/metal3-io/metal3"]\n  }\n}\n'
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
    assert 'source  = "metal3-io/metal3"' in text
    assert 'version = "0.1.0"' in text
    assert 'variable "ironic_url"' in text
    # Stack ports are free ports: never written into an example (descriptions may show one).
    for line in text.splitlines():
        if "description" not in line and not line.lstrip().startswith("#"):
            assert "127.0.0.1:" not in line and "localhost:" not in line, line


# Examples that manage hosts (the data-source example only reads them and has no BMC password).
HOST_EXAMPLES = [n for n in EXAMPLES if "bmc = {" in (EXAMPLES_DIR / n / "main.tf").read_text()]


def test_most_examples_manage_hosts():
    assert set(HOST_EXAMPLES) == EXPECTED_EXAMPLES - {"inventory-data-source"}


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


# --- quickstart apply against the test stack (needs the resource implementation) ---------------


@pytest.fixture(scope="module")
def stack():
    path = os.environ.get("METAL3_TEST_STACK")
    if not path:
        if os.environ.get("METAL3_REQUIRE_STACK") == "1":
            pytest.fail("METAL3_REQUIRE_STACK=1 but METAL3_TEST_STACK is not set")
        pytest.skip("skipped: no METAL3_TEST_STACK")
    return json.loads(pathlib.Path(path).read_text())


@pytest.mark.needs_resource
def test_quickstart_apply_inventories_every_host(tmp_path, terraform_bin, tf_env, stack):
    workdir = copy_example("quickstart", tmp_path)
    # Own namespace and MACs so a quickstart run by `make demo` on the same stack is untouched.
    tfvars = example_tfvars.tfvars_for(stack, workdir)
    tfvars["namespace"] = f"qs-test-{os.getpid()}"
    tfvars["fake_hosts"] = [{"name": f"fake-{i}", "mac": f"02:6d:33:7e:00:0{i}"} for i in range(2)]
    (workdir / "stack.auto.tfvars.json").write_text(json.dumps(tfvars))
    terraform(terraform_bin, workdir, tf_env, "init", "-input=false")
    try:
        terraform(terraform_bin, workdir, tf_env, "apply", "-input=false", "-auto-approve",
                  timeout=1800)
        outputs = json.loads(terraform(terraform_bin, workdir, tf_env, "output", "-json").stdout)
        inventory = outputs["inventory"]["value"]
        expected_hosts = len(tfvars["fake_hosts"]) + len(stack.get("redfish_systems", []))
        assert len(inventory) == expected_hosts, inventory
        macs = {h["mac"] for h in tfvars["fake_hosts"]} | {
            s["mac"].lower() for s in stack.get("redfish_systems", [])}
        posted_dir = pathlib.Path(stack["posted_dir"])
        for host, summary in inventory.items():
            assert summary["provisioning_state"] == "available", (host, summary)
            assert summary["cpu_count"] and summary["cpu_count"] > 0, (host, summary)
            assert summary["ram_mebibytes"] and summary["ram_mebibytes"] > 0, (host, summary)
            assert summary["disks"] and summary["nics"], (host, summary)
            host_macs = {n["mac"] for n in summary["nics"]} & macs
            assert len(host_macs) == 1, (host, summary["nics"])
            # What Terraform shows is what the (stand-in) agent reported to Ironic.
            posted = json.loads((posted_dir / f"{host_macs.pop()}.json").read_text())
            posted_inventory = posted.get("inventory", posted)
            assert summary["cpu_count"] == posted_inventory["cpu"]["count"]
            assert len(summary["disks"]) == len(posted_inventory["disks"])
        # The table of `make demo` prints every host.
        table = inventory_table.render(inventory)
        assert all(host in table for host in inventory)
        # Second run: nothing to do.
        plan = terraform(terraform_bin, workdir, tf_env, "plan", "-input=false",
                         "-detailed-exitcode", check=False)
        assert plan.returncode == 0, plan.stdout + plan.stderr
    finally:
        terraform(terraform_bin, workdir, tf_env, "destroy", "-input=false", "-auto-approve",
                  check=False, timeout=1800)
