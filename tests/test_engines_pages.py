"""The dashboard's pages show the same figures on Spark as on DuckDB (issue 17).

A small demo is loaded into a DuckDB file, exported as a Parquet warehouse, and each page runs twice
through AppTest: `CX_ENGINE=duckdb`, then `CX_ENGINE=spark CX_WAREHOUSE=...`. Everything the page
shows as a value (cards, sentences, tables, captions, texts) must be the same. One Spark session
serves the whole run (`metrics.engines.spark.session`), started by the first Spark page.
"""

from __future__ import annotations

import pandas as pd
import pyspark  # noqa: F401 - no importorskip: without requirements-spark.txt this file fails
import pytest
from streamlit.testing.v1 import AppTest

from metrics import demo
from metrics.engines.duckdb import export
from metrics.engines.spark import SparkStore
from metrics.insights.alerts import weekly
from metrics.semantic.definitions import metric
from metrics.store import open_store

pytestmark = pytest.mark.spark  # deselect with -m "not spark" for a fast inner loop

PAGES = "../dashboard/pages/"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """(DuckDB file, its Parquet warehouse) on a 3,000-answer demo ending last month."""
    root = tmp_path_factory.mktemp("engine-pages")
    store = open_store(root / "cx.duckdb")
    try:
        demo.load(store, demo.generate(root / "files", responses=3_000, seed=11))
        export(store, root / "warehouse")
    finally:
        store.close()
    return root / "cx.duckdb", root / "warehouse"


def shown(at):
    """Every value the page drew, element by element, in page order (charts aside: no accessor)."""
    got = {
        "exception": [e.value for e in at.exception],
        "error": [e.value for e in at.error],
        "markdown": [m.value for m in at.markdown],
        "caption": [c.value for c in at.caption],
        "text": [x.value for x in at.text],
        "metric": [(m.label, m.value, m.delta) for m in at.metric],
        "dataframe": [d.value.astype(str).to_dict("split") for d in at.dataframe],
        "info": [i.value for i in at.info],
        "chart": [c.proto.spec for c in at.get("plotly_chart")],
    }
    return got


def run_on(monkeypatch, page, db, engine, wh, params=None):
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.setenv("CX_ENGINE", engine)
    monkeypatch.setenv("CX_WAREHOUSE", str(wh))
    at = AppTest.from_file(PAGES + page, default_timeout=300)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def both(monkeypatch, warehouse, page, params=None):
    db, wh = warehouse
    duck = shown(run_on(monkeypatch, page, db, "duckdb", wh, params))
    spark = shown(run_on(monkeypatch, page, db, "spark", wh, params))
    return duck, spark


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("trajectory.py", None),
        ("trajectory.py", {"region": "Nord"}),
        ("regions.py", None),
        ("regions.py", {"league": "first_time_fix_rate"}),
        ("regions.py", {"drill": "Nord"}),
        ("operations.py", None),
        ("verbatims.py", None),
        ("workload.py", None),
    ],
)
def test_the_page_shows_the_same_figures_on_spark_as_on_duckdb(monkeypatch, warehouse, page, params):
    duck, spark = both(monkeypatch, warehouse, page, params)
    assert duck["exception"] == []
    assert duck["error"] == []
    assert any(duck[k] for k in ("metric", "dataframe", "markdown", "text", "chart"))  # not only a message
    assert spark == duck


def test_the_alerts_page_runs_on_spark_as_on_duckdb(monkeypatch, warehouse):
    duck, spark = both(monkeypatch, warehouse, "alerts.py")
    assert duck["info"] == ["Aucune alerte sur cette période."]  # a small demo: no week stands out
    assert spark == duck


def test_the_weekly_figures_behind_the_alerts_are_the_same_on_spark(warehouse):
    # the small demo raises no alert, so the page only says so: compare the weeks its charts are drawn from
    db, wh = warehouse
    store = open_store(db)
    try:
        end = demo.default_as_of()
        want, got = (
            weekly(s, metric("nps"), "region", end).sort_values(["period", "region"], ignore_index=True)
            for s in (store, SparkStore(wh))
        )
    finally:
        store.close()
    assert want["period"].nunique() == 52  # a year of weeks up to the as-of date
    pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-9)


@pytest.mark.parametrize("page", ["data.py", "targets.py"])
def test_pages_that_write_the_duckdb_file_say_so_on_spark_and_still_work(monkeypatch, warehouse, page):
    duck, spark = both(monkeypatch, warehouse, page)
    note = "Cette page lit et modifie le fichier DuckDB."
    assert spark["exception"] == []
    assert spark["error"] == []
    assert [i for i in spark["info"] if i.startswith(note)] != []
    assert not any(i.startswith(note) for i in duck["info"])
    # the rest of the page (import history, the targets being edited) is the DuckDB file's, as on DuckDB
    assert {**spark, "info": []} == {**duck, "info": []}
