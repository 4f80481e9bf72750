"""The results as a table: plain text for the terminal, Markdown for docs/performance.md."""

from m3bench.results import Results, checks


def num(value, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def rate(value) -> str:
    """Requests per host: two decimals below one (a shared list is a fraction per host)."""
    return num(value, ".2f" if value is not None and value < 1 else ".1f")


HEADER = ("measure", "N", "p", "time s", "floor s", "ratio", "goal", "req/host", "floor req/host",
          "peak RSS MiB")


def rows(results: Results) -> list:
    out = []
    for m in results.measurements:
        verdict = ""
        if m.goal_ratio is not None and m.ratio is not None:
            verdict = f"<= {m.goal_ratio:g} " + ("ok" if m.ratio <= m.goal_ratio else "MISSED")
        out.append((m.measure, num(m.n, "d"), num(m.parallelism, "d"), num(m.seconds, ".2f"),
                    num(m.floor_seconds, ".2f"), num(m.ratio, ".2f"), verdict,
                    rate(m.requests_per_host), rate(m.floor_requests_per_host),
                    num(m.peak_rss_mib, ".1f")))
    return out


def check_lines(results: Results) -> list:
    lines = []
    for c in checks(results.measurements):
        verdict = {True: "ok", False: "MISSED", None: "not measured"}[c.met]
        lines.append(f"{c.goal}: {num(c.value, '.2f')} {c.unit} (goal <= {c.limit:g}) {verdict}")
    return lines


def text(results: Results) -> str:
    body = rows(results)
    widths = [max(len(str(r[i])) for r in [HEADER, *body]) for i in range(len(HEADER))]
    numeric = {1, 2, 3, 4, 5, 7, 8, 9}

    def line(cells):
        return "  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    provider = results.provider
    out = [f"{results.mode} run; provider {provider['path']} ({provider['size_bytes'] / 2**20:.1f} MiB, "
           f"commit {(provider.get('commit') or 'unknown')[:12]}{'+changes' if provider.get('dirty') else ''})",
           "", line(HEADER), line("-" * w for w in widths)] + [line(r) for r in body]
    out += ["", "Goals (reported, not asserted):"] + [f"  {c}" for c in check_lines(results)]
    return "\n".join(out) + "\n"


def markdown(results: Results) -> str:
    out = ["| " + " | ".join(HEADER) + " |",
           "|" + "|".join("---" if i == 0 or i == 6 else "---:" for i in range(len(HEADER))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows(results)]
    return "\n".join(out) + "\n"


def one_line(m) -> str:
    """A measurement as one progress line."""
    where = (f" N={m.n}" if m.n else "") + (f" p={m.parallelism}" if m.parallelism else "")
    floor = f", floor {m.floor_seconds:.2f} s ({m.ratio:.2f}x)" if m.floor_seconds else ""
    return f"{m.measure}{where}: {m.seconds:.2f} s{floor}"
