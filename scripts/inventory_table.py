#!/usr/bin/env python3
"""Print the hardware inventory of `terraform output -json` as a table.

Reads the JSON document from a file argument or stdin and prints the `inventory` output
(name -> {provisioning_state, cpu_count, cpu_model, ram_mebibytes, disks, nics, ...}), the
shape used by examples/quickstart and examples/inventory-data-source.

Usage: terraform output -json | inventory_table.py [--output NAME] [FILE]
"""

import argparse
import json
import sys

COLUMNS = ("HOST", "STATE", "CPUS", "CPU MODEL", "RAM", "DISKS", "NICS")
MISSING = "-"


def human_bytes(size) -> str:
    """1073741824 -> '1 GiB'; binary units, at most one decimal."""
    if size is None:
        return MISSING
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            text = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{text} {unit}"
        value /= 1024
    return MISSING  # unreachable


def ram(mebibytes) -> str:
    if mebibytes is None:
        return MISSING
    return human_bytes(int(mebibytes) * 1024 * 1024)


def disks(items) -> str:
    if not items:
        return MISSING
    parts = []
    for disk in items:
        words = [disk.get("name") or "?", human_bytes(disk.get("size_bytes"))]
        if disk.get("type"):
            words.append(disk["type"])
        parts.append(" ".join(words))
    return ", ".join(parts)


def nics(items) -> str:
    if not items:
        return MISSING
    parts = []
    for nic in items:
        text = f"{nic.get('name') or '?'} {nic.get('mac') or '?'}"
        speed = nic.get("speed_gbps")
        if speed:
            text += f" {speed:g}G"
        parts.append(text)
    return ", ".join(parts)


def text(value) -> str:
    return MISSING if value is None or value == "" else str(value)


def rows(inventory: dict) -> list:
    result = []
    for host in sorted(inventory):
        h = inventory[host] or {}
        result.append(
            (
                host,
                text(h.get("provisioning_state")),
                text(h.get("cpu_count")),
                text(h.get("cpu_model")),
                ram(h.get("ram_mebibytes")),
                disks(h.get("disks")),
                nics(h.get("nics")),
            )
        )
    return result


def render(inventory: dict) -> str:
    body = rows(inventory)
    if not body:
        return "(no hosts)\n"
    table = [COLUMNS, *body]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]

    def line(row):
        return "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()

    out = [line(COLUMNS), line(tuple("-" * w for w in widths))]
    out.extend(line(row) for row in body)
    return "\n".join(out) + "\n"


def inventory_from(document: dict, name: str) -> dict:
    """The value of output `name` from `terraform output -json` (or the bare value)."""
    if name in document and isinstance(document[name], dict) and "value" in document[name]:
        return document[name]["value"] or {}
    raise KeyError(f"no output named {name!r}; outputs: {', '.join(sorted(document)) or 'none'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("file", nargs="?", help="terraform output -json document (default: stdin)")
    parser.add_argument("--output", default="inventory", help="output name (default: inventory)")
    args = parser.parse_args(argv)
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as f:
                document = json.load(f)
        else:
            document = json.load(sys.stdin)
        inventory = inventory_from(document, args.output)
    except (OSError, ValueError, KeyError) as err:
        message = err.args[0] if isinstance(err, KeyError) else err
        print(f"inventory_table: {message}", file=sys.stderr)
        return 1
    sys.stdout.write(render(inventory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
