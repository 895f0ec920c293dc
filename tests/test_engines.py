"""DuckDB and Spark give the same figures from the same declarations: value, n, low and high to 1e-9.

The demo database is exported to Parquet (`python -m metrics export`) and Spark queries the warehouse
through the same `metric_frame`. pyspark and Java 17 are required: `python3 dev.py test` installs
pyspark and CI installs Java, so a missing engine fails here rather than being skipped.
"""

from __future__ import annotations

import datetime as dt

import pyspark  # noqa: F401 - no importorskip: without requirements-spark.txt this file fails
import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.engines.duckdb import export
from metrics.engines.spark import SparkStore
from metrics.semantic.definitions import METRICS, RESOLUTION_DAYS
from metrics.semantic.query import dimensions_of
from tests.figures_grid import GRAINS, SPLITS, case_id, compute, demo_store, differences

pytestmark = pytest.mark.spark  # deselect with -m "not spark" for a fast inner loop


@pytest.fixture(scope="session")
def engines(tmp_path_factory):
    """(duckdb store, spark store, warehouse dir) on one small demo; one Spark session for the run."""
    root = tmp_path_factory.mktemp("engines")
    store = demo_store(root)
    warehouse = root / "warehouse"
    export(store, warehouse)
    yield store, SparkStore(warehouse), warehouse
    store.close()


def _grid():
    for key, m in METRICS.items():
        for grain in GRAINS:
            for by in SPLITS:
                if set(by) <= set(dimensions_of(m)):
                    yield key, grain, by


def test_export_writes_every_dataset_by_month_and_the_reference_tables_whole(engines):
    _, _, warehouse = engines
    months = sorted(p.name for p in (warehouse / "ds_responses").iterdir())
    assert months[0] == "part_month=2025-01"
    assert months[-1] == "part_month=2026-10"
    assert len(months) == 22  # January 2025 to October 2026
    assert (warehouse / "rollup_responses" / "part_month=2025-01").is_dir()
    assert [p.name for p in (warehouse / "ds_sites").iterdir()] == ["data.parquet"]


@pytest.mark.parametrize("grain", GRAINS)
def test_every_metric_split_and_grain_gives_the_same_figures_on_spark(engines, grain):
    store, spark, _ = engines
    problems = []
    for key, g, by in _grid():
        if g != grain:
            continue
        want = compute(store, key, grain, by, None, None)
        got = compute(spark, key, grain, by, None, None)
        assert isinstance(want, list), want
        problems += [f"{case_id(key, grain, by, None, None)}: {p}" for p in differences(want, got)]
    assert problems == []


def test_a_bounded_range_a_filter_and_the_privacy_rule_hold_on_spark(engines):
    store, spark, _ = engines
    cases = [
        ("complaints_per_1000_customers", "week", (), dt.date(2026, 9, 3), dt.date(2026, 9, 20), {}),
        ("resolution_days_median", "total", ("region",), dt.date(2026, 1, 1), dt.date(2026, 6, 30), {}),
        ("nps", "month", ("channel",), None, None, {"region": ["Nord"]}),
        ("occupancy", "quarter", ("team",), None, None, {"site": ["IDF-PLT01", "IDF-PLT02"]}),
        ("open_backlog", "month", ("region",), None, dt.date(2026, 6, 30), {}),
    ]
    for key, grain, by, start, end, where in cases:
        want = compute(store, key, grain, by, start, end, where=where)
        got = compute(spark, key, grain, by, start, end, where=where)
        assert isinstance(want, list), (key, want)
        assert want, key
        assert differences(want, got) == [], key


def test_a_workload_group_under_the_threshold_is_suppressed_on_both_engines(engines):
    store, spark, _ = engines
    want = compute(store, "occupancy", "month", ("team",), None, None)
    got = compute(spark, "occupancy", "month", ("team",), None, None)
    assert differences(want, got) == []
    assert all(row["n"] is None or row["n"] >= 5 or row["suppressed"] for row in got)


def test_the_rollup_and_the_raw_rows_agree_on_spark(engines):
    _, spark, _ = engines
    fast = compute(spark, "nps", "quarter", ("region",), None, None, use_rollup=True)
    raw = compute(spark, "nps", "quarter", ("region",), None, None, use_rollup=False)
    assert differences(fast, raw) == []


def test_the_cli_prints_the_same_csv_with_either_engine(engines):
    store, _, warehouse = engines
    args = ["query", "nps", "--grain", "quarter", "--by", "region", "--format", "csv"]
    duck = CliRunner().invoke(cli, ["--db", str(store.path), *args], obj={})
    spark = CliRunner().invoke(
        cli, ["--db", str(store.path), "--engine", "spark", "--warehouse", str(warehouse), *args], obj={}
    )
    assert duck.exit_code == 0, duck.output
    assert spark.exit_code == 0, spark.output
    assert spark.output == duck.output


def test_spark_without_a_warehouse_says_how_to_write_one(tmp_path):
    got = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "cx.duckdb"), "--engine", "spark", "query", "nps"],
        obj={},
        env={"CX_WAREHOUSE": ""},
    )
    assert got.exit_code == 1
    assert "give --warehouse DIR or CX_WAREHOUSE (write one with: python -m metrics export DIR)" in got.output


def test_a_resolution_time_with_seconds_is_the_same_on_both_engines(engines):
    """Resolution days count the clock minutes crossed, as DuckDB's date_diff does, on Spark too.

    opened              closed               minutes crossed   Spark's whole minutes (before)
    10:00:59            10:01:01             1                 0  (2 seconds elapsed)
    10:00:30            10:02:10             2                 1  (1 min 40 s)
    2 Mar 09:00:50      12 Mar 09:01:10      14,401            14,400 (10 days 20 s)
    The third is 14,401 / 1,440 = 10.0007 days: outside a 10-day SLA on both engines, where Spark's
    14,400 / 1,440 = 10.0 would have counted it inside.
    """
    store, spark, _ = engines
    sql = (
        f"SELECT {RESOLUTION_DAYS} AS days, CASE WHEN {RESOLUTION_DAYS} <= 10 THEN 1 ELSE 0 END AS within "
        "FROM (VALUES "
        "(TIMESTAMP '2026-03-02 10:00:59', TIMESTAMP '2026-03-02 10:01:01', 1), "
        "(TIMESTAMP '2026-03-02 10:00:30', TIMESTAMP '2026-03-02 10:02:10', 2), "
        "(TIMESTAMP '2026-03-02 09:00:50', TIMESTAMP '2026-03-12 09:01:10', 3)"
        ") AS t(opened_at, closed_at, id) ORDER BY id"
    )
    for engine in (store, spark):
        with engine.cursor() as cur:
            rows = cur.execute(sql).fetchall()
        assert [float(r[0]) for r in rows] == pytest.approx([1 / 1440, 2 / 1440, 14401 / 1440], rel=1e-12)
        assert [int(r[1]) for r in rows] == [1, 1, 0]
