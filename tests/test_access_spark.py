"""A scoped reader gets the same figures on Spark as on DuckDB, and nothing outside their scope.

On DuckDB a scoped cursor shadows each table with a view of the caller's rows; a Spark session's views
are shared by every reader, so each scope reads views of its own names. Same rows, same figures.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyspark  # noqa: F401 - no importorskip: without requirements-spark.txt this file fails
import pytest

from metrics import demo
from metrics.access.caller import Caller
from metrics.access.scoped import scoped
from metrics.engines.duckdb import export
from metrics.engines.spark import SparkStore
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store

pytestmark = pytest.mark.spark

DIRECTOR = Caller(who="marie", roles=("regional_director",), regions=("Bretagne", "Normandie"))
STAFF = Caller(who="rep", roles=("staff_representative",))  # every region's workload, no survey row


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    root = tmp_path_factory.mktemp("access-spark")
    store = open_store(root / "cx.duckdb")
    demo.load_direct(store, responses=2000, as_of=dt.date(2025, 9, 30))
    export(store, root / "warehouse")
    yield store, SparkStore(root / "warehouse")
    store.close()


def _same(a: pd.DataFrame, b: pd.DataFrame, by: tuple[str, ...]) -> None:
    cols = ["period", *by, "value", "n"]
    left = a[cols].sort_values(cols[:-2]).reset_index(drop=True)
    right = b[cols].sort_values(cols[:-2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False, atol=1e-9)


@pytest.mark.parametrize(
    ("key", "by"),
    [("nps", ("site",)), ("complaints", ("region",)), ("first_time_fix_rate", ("region", "site")),
     ("contacts_per_agent_day", ("site",))],
)
def test_a_regional_director_reads_the_same_scoped_figures_on_spark(engines, key, by):
    duck, spark = engines
    on_duck = metric_frame(scoped(duck, DIRECTOR), metric(key), grain="year", by=by)
    on_spark = metric_frame(scoped(spark, DIRECTOR), metric(key), grain="year", by=by)
    assert not on_duck.empty
    _same(on_duck, on_spark, by)
    if "region" in on_spark:
        assert set(on_spark["region"]) <= {"Bretagne", "Normandie"}
    # and the scope bites: the unscoped answer has more groups
    assert len(metric_frame(spark, metric(key), grain="year", by=by)) > len(on_spark)


def test_a_staff_representative_reads_no_survey_row_on_spark_and_the_same_workload(engines):
    duck, spark = engines
    theirs = scoped(spark, STAFF)
    assert metric_frame(theirs, metric("nps"), grain="year").empty
    with theirs.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM ds_responses").fetchall() == [(0,)]
        assert cur.execute("SELECT count(comment) FROM ds_responses").fetchall() == [(0,)]
    _same(
        metric_frame(scoped(duck, STAFF), metric("contacts_per_agent_day"), grain="year", by=("site",)),
        metric_frame(theirs, metric("contacts_per_agent_day"), grain="year", by=("site",)),
        ("site",),
    )


def test_two_scopes_in_one_spark_session_do_not_read_each_others_views(engines):
    _, spark = engines
    other = Caller(who="paul", roles=("regional_director",), regions=("Sud-Est",))
    mine = metric_frame(scoped(spark, DIRECTOR), metric("nps"), grain="year", by=("region",))
    theirs = metric_frame(scoped(spark, other), metric("nps"), grain="year", by=("region",))
    assert set(mine["region"]) == {"Bretagne", "Normandie"}
    assert set(theirs["region"]) == {"Sud-Est"}
    # and the unscoped reader still reads every region from the shared session
    assert metric_frame(spark, metric("nps"), grain="year", by=("region",))["region"].nunique() == 9
