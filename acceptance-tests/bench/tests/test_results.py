"""Ratios, goal checks, the JSON round trip, the table and the performance page."""

from m3bench import perfdoc, table
from m3bench.results import APPLY, PLAN, SCHEMA, Measurement, Results, checks


def measurements():
    return [
        Measurement(SCHEMA, "providers schema -json", 0.5, floor_seconds=0.4, floor="no provider",
                    peak_rss_mib=9.0),
        Measurement(APPLY, "apply -> available", 33.0, 50, 10, 30.0, "direct client", 1.1,
                    requests_per_host=20.0, floor_requests_per_host=12.0, peak_rss_mib=12.0),
        Measurement(PLAN, "plan no-op (enrolled hosts)", 3.0, 50, 10, 2.5, "terraform_data plan + one node list",
                    1.5, requests_per_host=2.0, floor_requests_per_host=0.02, peak_rss_mib=11.0),
        Measurement(PLAN, "plan no-op (enrolled hosts)", 30.0, 1000, 10, 15.0, "terraform_data plan + one node list",
                    1.5, requests_per_host=0.5, floor_requests_per_host=0.001, peak_rss_mib=30.0),
    ]


def results() -> Results:
    return Results(mode="quick", provider={"path": "/x", "size_bytes": 8 * 2**20, "sha256": "0", "commit": "abc",
                                           "dirty": False},
                   machine={"cpu_model": "Test CPU", "cores": 2, "memory_mib": 4096, "kernel": "6.1"},
                   started="2026-12-01T19:00:00+00:00", seconds=600.0,
                   checkout={"commit": "def", "dirty": True}, measurements=measurements())


def test_ratio_is_time_over_floor_and_absent_without_a_floor():
    apply = measurements()[1]
    assert abs(apply.ratio - 1.1) < 1e-9
    assert Measurement(APPLY, "x", 1.0).ratio is None


def test_checks_cover_ratio_goals_plan_requests_and_rss_at_the_largest_n():
    found = {c.goal: c for c in checks(measurements())}
    assert found["apply -> available N=50 p=10: time / floor"].met is True  # 1.1 <= 1.1
    assert found["plan no-op (enrolled hosts) N=1000 p=10: time / floor"].met is False  # 2.0 > 1.5
    assert found["plan no-op (enrolled hosts) N=50 p=10: Ironic requests per host"].met is False
    assert found["plan no-op (enrolled hosts) N=1000 p=10: Ironic requests per host"].met is True
    rss = found["provider peak RSS at N=1000"]
    assert (rss.value, rss.met) == (30.0, False)
    assert not any("schema" in goal for goal in found)


def test_json_round_trip_keeps_measurements_and_records_ratios_and_checks(tmp_path):
    path = tmp_path / "results.json"
    original = results()
    original.write(path)
    loaded = Results.load(path)
    assert loaded.measurements == original.measurements
    assert loaded.machine == original.machine
    assert '"ratio": 1.1' in path.read_text()
    assert '"met": false' in path.read_text()


def test_text_table_has_a_row_per_measurement_and_the_goal_verdicts():
    text = table.text(results())
    assert text.startswith("quick run; provider /x (8.0 MiB, commit abc)")
    rows = text.split("Goals")[0].splitlines()[2:]
    assert rows[0].split()[:3] == ["measure", "N", "p"]
    assert len([r for r in rows if r.strip()]) == 2 + 4
    assert sum("plan no-op" in row and "MISSED" in row for row in rows) == 1  # the N=1000 row
    assert "provider peak RSS at N=1000: 30.00 MiB (goal <= 25) MISSED" in text
    assert "<= 1.1 ok" in text


def test_performance_page_labels_a_quick_run_and_shows_machine_commit_and_scaling():
    page = perfdoc.render(results())
    assert "**quick run**" in page
    assert "Test CPU, 2 cores, 4.0 GiB" in page
    assert "commit abc" in page and "commit def (with uncommitted changes)" in page
    unknown = results()
    unknown.provider["commit"] = None
    assert "commit not known (outside a git work tree)" in perfdoc.render(unknown)
    # 27 s more over 950 more hosts: 28.4 ms per added host; the floor 12.5 s: 13.2 ms.
    assert "| plan no-op (enrolled hosts), p=10 | 1000 | 30.00 | 28.4 | 15.00 | 13.2 | 2.00 | 0.50 | 30.0 |" in page
    assert "| apply -> available, p=10 | 50 | 33.00 | - |" in page


def test_a_full_run_is_not_labelled_as_quick_and_a_note_is_shown():
    full = results()
    full.mode = "full"
    assert "quick run" not in perfdoc.render(full)
    full.note = "Measured while a build ran."
    assert "> Measured while a build ran." in perfdoc.render(full)
