"""Host names, MACs and the configurations that declare them."""

import dataclasses
import json

from m3bench.hosts import MAIN_TF, hosts, host_vars, namespace, terraform_data_vars
from m3bench.profiles import FULL, QUICK

STACK = {"ironic_url": "http://127.0.0.1:1", "deploy_kernel_url": "http://k", "deploy_ramdisk_url": "http://r"}


def test_macs_are_unique_within_and_across_namespaces():
    a, b = hosts(namespace("a"), 1000), hosts(namespace("b"), 1000)
    macs = [h.mac for h in a + b]
    assert len(set(macs)) == 2000
    assert all(len(m.split(":")) == 6 for m in macs)


def test_a_namespace_grows_by_keeping_its_first_hosts():
    assert hosts("bench-plan", 200)[:50] == hosts("bench-plan", 50)


def test_node_names_and_bmc_addresses():
    host = hosts("bench-x", 2)[1]
    assert host.node_name == "bench-x~h0001"
    assert host.bmc_address == "fake://h0001"


def test_host_vars_switch_inspection_cleaning_and_image():
    doc = json.loads(host_vars(STACK, "bench-x", hosts("bench-x", 3), inspect=False, clean=False))
    assert (doc["inspection_mode"], doc["cleaning_mode"], doc["image"]) == ("disabled", "disabled", None)
    assert len(doc["hosts"]) == 3
    for name in ("inspection_mode", "cleaning_mode", "hosts", "image", "bmc_password"):
        assert f'variable "{name}"' in MAIN_TF


def test_terraform_data_vars_carry_each_hosts_values():
    doc = json.loads(terraform_data_vars(hosts("bench-x", 2)))
    assert doc["hosts"]["h0000"]["bmc"] == "fake://h0000"


def test_profiles_apply_at_the_narrow_width_and_at_n_up_to_the_wide_cap():
    assert FULL.widths(50) == (10, 50)
    assert FULL.widths(200) == (10, 200)
    assert dataclasses.replace(FULL, wide_cap=50).widths(200) == (10, 50)
    assert QUICK.widths(6) == (3, 6)
    assert FULL.plan_sizes[-1] == 1000
