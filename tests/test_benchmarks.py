"""The performance harness runs end to end at tiny sizes, so it cannot rot (figures: docs/benchmarks.md)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench_module(name: str):
    """benchmarks/<name>.py loaded as a module (benchmarks/ is not a package the tests import)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_perf_harness_measures_all_five_rows_at_quick_size(tmp_path, capsys):
    perf = bench_module("perf")
    got = perf.main(["--quick", "--out", str(tmp_path / "perf.json")])
    assert got["import"][0]["rows"] == 20_000
    assert got["import"][0]["ratio"] > 0
    assert got["cli"]["help_s"] > 0
    assert got["first_open"]["cold_s"] > 0
    assert got["demo_load"]["peak_mb"] > 0
    assert set(got["pages"]) == set(perf.PAGES)
    assert "| rows | import | DuckDB read_csv |" in capsys.readouterr().out
    assert (tmp_path / "perf.json").exists()


@pytest.mark.slow
def test_pages_by_size_measures_every_page_and_renders_its_table():
    bench = bench_module("pages_by_size")
    from tests.pages_demo import demo_db

    got = bench.measure(demo_db(), rounds=1)
    assert set(got) == set(bench.PAGES)
    assert all(run["warm_s"] > 0 and run["cold_s"] > 0 for run in got.values())
    table = bench.table([got], [got]).splitlines()
    assert table[0] == "| page | default demo: warm (cold) | big: warm (cold) | warm ratio |"
    assert all(line.endswith("| 1.00× |") for line in table[2:])  # a database against itself


@pytest.mark.slow
def test_typed_lookup_runs_both_ways_and_both_keep_the_file_order(capsys):
    bench = bench_module("typed_lookup")
    got = bench.main(["--rows", "20000", "--rounds", "1"])
    assert set(got) == set(bench.MODES)
    assert all(
        r["out_of_order"] == 0 and r["wrong"] == 0 and r["seconds"] > 0 for runs in got.values() for r in runs
    )
    assert "| join_and_sort |" in capsys.readouterr().out


@pytest.mark.slow
def test_import_floor_times_the_reader_the_byte_scan_and_the_insert(capsys):
    bench = bench_module("import_floor")
    got = bench.main(["--rows", "20000", "--rounds", "1"])
    assert set(got) == set(bench.STEPS)
    assert all(len(times) == 1 and times[0] > 0 for times in got.values())
    assert "floor: (byte scan + insert) / reader = " in capsys.readouterr().out


def test_browser_floor_pages_draw_the_headings_and_links_the_benchmark_waits_for():
    """`browser_load.py --floor` waits for each floor page's heading and clicks its sidebar title."""
    from streamlit.testing.v1 import AppTest

    floor_app = bench_module("browser_floor_app")
    expected = bench_module("browser_load").FLOOR
    assert [path for _, _, path in floor_app.PAGES] == list(expected)
    for page, title, path in floor_app.PAGES:
        heading, link = expected[path]
        assert link == title
        script = (
            f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            f"from benchmarks.browser_floor_app import {page.__name__}\n{page.__name__}()\n"
        )
        at = AppTest.from_string(script, default_timeout=60).run()
        assert not at.exception, path
        assert [t.value for t in at.title] == [heading], path
        if path == "trajectory":  # Trajectoire's first screen: four cards, its chart and what-if
            assert len(at.metric) == 4
            assert [b.label for b in at.button].count("Voir sa courbe") == 4
            assert len(at.number_input) == 1
            assert len(at.toggle) == 1


@pytest.mark.slow
def test_import_floor_times_a_per_call_log_against_group_by(capsys):
    bench = bench_module("import_floor")
    got = bench.main(["--calls", "20000", "--rounds", "2"])
    assert set(got) == set(bench.CALL_STEPS)
    assert all(len(times) == 2 and all(t > 0 for t in times) for times in got.values())
    printed = capsys.readouterr().out
    assert "| archive, streamed |" in printed
    assert "/ group by = min(" in printed


@pytest.mark.slow
def test_per_call_yardstick_groups_the_log_into_its_team_days(tmp_path):
    """`import_vs_reader.py --calls`: DuckDB's GROUP BY stores one row per day and queue of the log."""
    import csv

    import duckdb

    bench = bench_module("import_vs_reader")
    got = bench.calls_against_group_by(tmp_path, 5_000, 1)
    assert got["duckdb_group_by"][0][0] > 0
    assert got["import_per_call"][0][0] > 0
    with (tmp_path / "calls_5000.csv").open(encoding="utf-8") as fh:
        team_days = {(row["date"], row["queue"]) for row in csv.DictReader(fh, delimiter=";")}
    with duckdb.connect(str(tmp_path / "raw.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(calls) FROM t").fetchone() == (len(team_days), 5_000)
