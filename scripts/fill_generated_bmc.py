#!/usr/bin/env python3
"""Fill in the BMC settings `terraform query -generate-config-out` leaves null.

    fill_generated_bmc.py HOSTS_TF [--username-var NAME] [--password-var NAME]
                                   [--fake-addresses]

Ironic never returns BMC passwords, and fake-hardware nodes carry no BMC address or user name,
so the generated `metal3_baremetal_host` blocks hold `null` there. In each block this sets:
`password_wo = var.<password-var>` and `password_wo_version = 1`; `username = var.<username-var>`
where it is null; with --fake-addresses, `address = "fake://<name>"` where it is null. Values
Ironic did return are left alone. Rewrites the file in place; prints how many blocks it filled.
"""

import argparse
import re
import sys
from pathlib import Path

BLOCK = re.compile(r'^resource "metal3_baremetal_host" "[^"]+" \{\n.*?^\}\n', re.S | re.M)


def fill(block: str, username_var: str, password_var: str, fake_addresses: bool) -> str:
    name = re.search(r'^\s+name\s+= "([^"]+)"', block, re.M)
    if fake_addresses and name:
        block = re.sub(r'(\baddress\s+)= null', rf'\1= "fake://{name.group(1)}"', block)
    block = re.sub(r'(\busername\s+)= null', rf'\1= var.{username_var}', block)
    block = re.sub(r'(\bpassword_wo\s+)= null # sensitive', rf'\1= var.{password_var}', block)
    return re.sub(r'(\bpassword_wo_version\s+)= null', r'\1= 1', block)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hosts_tf", type=Path)
    parser.add_argument("--username-var", default="bmc_username")
    parser.add_argument("--password-var", default="bmc_password")
    parser.add_argument("--fake-addresses", action="store_true",
                        help='address "fake://<name>" where Ironic returned none (fake-hardware)')
    args = parser.parse_args(argv)
    text = args.hosts_tf.read_text()
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        count += 1
        return fill(match.group(0), args.username_var, args.password_var, args.fake_addresses)

    args.hosts_tf.write_text(BLOCK.sub(one, text))
    print(f"filled the BMC settings of {count} host(s) in {args.hosts_tf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
