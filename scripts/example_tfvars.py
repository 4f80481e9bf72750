#!/usr/bin/env python3
"""Write an example's stack.auto.tfvars.json from the local test stack's stack.json.

Only the variables the example declares are written (Terraform warns about undeclared ones),
so every example keeps its own small set of inputs and no port is ever hard-coded.

METAL3_EXAMPLE_VARS, when set, is a JSON object of further variable values that win over the
stack's, e.g. '{"namespace": "try-2", "boot_mac_address": "52:54:02:00:00:01"}' to run an example
a second time beside the first (the acceptance tests give each run its own namespace and MACs).
As for the stack's values, only the variables the example declares are written.

Usage: example_tfvars.py STACK_JSON EXAMPLE_DIR OUT_FILE
"""

import json
import os
import pathlib
import re
import sys

VARIABLE = re.compile(r'^\s*variable\s+"([A-Za-z0-9_-]+)"', re.MULTILINE)


def stack_values(stack: dict) -> dict:
    """Every example variable the stack can provide, by variable name."""
    images = stack.get("images", {})
    values = {
        key: stack.get(key)
        for key in (
            "ironic_url",
            "deploy_kernel_url",
            "deploy_ramdisk_url",
            "deploy_iso_url",
            "redfish_url",
            "redfish_username",
            "redfish_password",
        )
    }
    values["redfish_systems"] = [
        {"uuid": s["uuid"], "name": s["name"], "mac": s["mac"].lower()}
        for s in stack.get("redfish_systems", [])
    ]
    # sushy-tools emulates BMCs only: no agent boots on its systems to run automated cleaning
    # (the stack's stand-in agent answers inspection alone), so cleaning would never finish.
    values["redfish_cleaning_mode"] = "disabled"
    values["image_url"] = images.get("qcow2_url")
    values["image_checksum_url"] = images.get("qcow2_sha256_url")
    values["live_iso_url"] = images.get("iso_url")
    values["installed_image_url"] = images.get("qcow2_url")
    values["installed_image_checksum"] = images.get("qcow2_sha256")
    return {k: v for k, v in values.items() if v is not None}


def declared_variables(example_dir: pathlib.Path) -> set:
    names = set()
    for tf in sorted(example_dir.glob("*.tf")):
        names.update(VARIABLE.findall(tf.read_text()))
    return names


def tfvars_for(stack: dict, example_dir: pathlib.Path, overrides: dict | None = None) -> dict:
    declared = declared_variables(example_dir)
    values = {**stack_values(stack), **(overrides or {})}
    return {k: v for k, v in sorted(values.items()) if k in declared}


def overrides_from_env(environ=os.environ) -> dict:
    """The METAL3_EXAMPLE_VARS object ({} when unset); ValueError when it is not one."""
    text = environ.get("METAL3_EXAMPLE_VARS", "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"METAL3_EXAMPLE_VARS is not JSON: {err}") from None
    if not isinstance(value, dict):
        raise ValueError("METAL3_EXAMPLE_VARS must be a JSON object of variable values")
    return value


def main(argv: list) -> int:
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    stack = json.loads(pathlib.Path(argv[1]).read_text())
    try:
        overrides = overrides_from_env()
    except ValueError as err:
        print(f"example_tfvars: {err}", file=sys.stderr)
        return 2
    tfvars = tfvars_for(stack, pathlib.Path(argv[2]), overrides)
    out = pathlib.Path(argv[3])
    out.write_text(json.dumps(tfvars, indent=2) + "\n")
    out.chmod(0o600)  # holds BMC passwords of the local stack
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
