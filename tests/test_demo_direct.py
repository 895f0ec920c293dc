"""The demo written straight into DuckDB holds the same figures as its CSV files imported.

Both databases are built from one seed and date; every comparison is between them, so a difference
in parsing (a date read month first, a decimal comma lost, a customer id left unhashed) shows up.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.demo import DATASET_ORDER, generate, load, load_direct
from metrics.ingest.history import demo_import_ids, rollback
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import Store

AS_OF = dt.date(2026, 10, 31)
SIZE = 3_000
# one metric of each kind and dataset: NPS, a mean, a proportion, a count, a rate against the
# customer base, a median, and a private workload metric read through the privacy units
COMPARED = ("nps", "effort_avg", "first_time_fix_rate", "complaints", "complaints_per_1000_customers",
            "resolution_days_median", "contacts_per_agent_day", "absence_rate")


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("direct")
    # one salt for both databases, so their hashed customer ids can be compared
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CX_SALT_FILE", str(folder / "shared.salt"))
        yield from _built(folder)


def _built(folder):
    via_csv = Store(folder / "csv.duckdb")
    load(via_csv, generate(folder / "files", responses=SIZE, seed=5, as_of=AS_OF))
    direct = Store(folder / "direct.duckdb")
    reports = load_direct(direct, responses=SIZE, seed=5, as_of=AS_OF)
    yield via_csv, direct, reports
    via_csv.close()
    direct.close()


def rows(store: Store, sql: str) -> list[tuple]:
    with store.cursor() as cur:
        return cur.execute(sql).fetchall()


@pytest.mark.parametrize("key", COMPARED)
@pytest.mark.parametrize(("grain", "by"), [("month", ("region",)), ("quarter", ()), ("year", ("region",))])
def test_each_metric_gives_the_same_frame_on_both_databases(stores, key, grain, by):
    via_csv, direct, _ = stores
    if key in ("contacts_per_agent_day", "absence_rate") and by:
        by = ("site",)
    expected = metric_frame(via_csv, metric(key), grain=grain, by=by)
    got = metric_frame(direct, metric(key), grain=grain, by=by)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))


def test_every_table_holds_the_same_rows_including_hashed_customer_ids_and_text(stores):
    via_csv, direct, _ = stores
    for key in DATASET_ORDER:
        table = f"ds_{key}"
        sql = f"SELECT * EXCLUDE (_import_id) FROM {table} ORDER BY ALL"
        assert rows(direct, sql) == rows(via_csv, sql), key
    # the ids are stored hashed: '#' and 20 hex digits, never the generated 'CL...' text
    ids = rows(direct, "SELECT DISTINCT left(customer_id, 1) FROM ds_responses")
    assert ids == [("#",)]


def test_each_dataset_is_one_demo_import_that_rolls_back(stores, tmp_path):
    _, direct, reports = stores
    assert [r.dataset for r in reports] == list(DATASET_ORDER)
    assert reports[5].dataset == "responses"
    assert reports[5].rows_read == SIZE == reports[5].accepted
    assert sorted(demo_import_ids(direct)) == sorted(r.import_id for r in reports)
    rolled = Store(tmp_path / "rolled.duckdb")
    load_direct(rolled, responses=200, seed=1, as_of=AS_OF)
    for import_id in demo_import_ids(rolled):
        rollback(rolled, import_id)
    assert rows(rolled, "SELECT count(*) FROM ds_responses") == [(0,)]
    rolled.close()


def test_a_big_demo_commits_in_pieces_with_the_same_figures(stores, tmp_path, monkeypatch):
    """COMMIT_ROWS of 1,000 splits the 3,000 answers over several transactions: same rows, same NPS."""
    from metrics.demo import direct

    via_csv, _, _ = stores
    monkeypatch.setattr(direct, "COMMIT_ROWS", 1_000)
    monkeypatch.setattr(direct, "CHUNK_ROWS", 1_000)
    pieces = Store(tmp_path / "pieces.duckdb")
    versions_before = pieces.data_version()
    load_direct(pieces, responses=SIZE, seed=5, as_of=AS_OF)
    # 3,000 answers, 600 complaints, 900 interventions and the workload rows: more than 5 commits
    assert pieces.data_version() - versions_before > 5
    expected = metric_frame(via_csv, metric("nps"), grain="month", by=("region",))
    got = metric_frame(pieces, metric("nps"), grain="month", by=("region",))
    pd.testing.assert_frame_equal(got, expected)
    assert rows(pieces, "SELECT count(*) FROM imports WHERE status = 'done'") == [(len(DATASET_ORDER),)]
    pieces.close()


def test_a_load_that_fails_part_way_leaves_no_demo_row(tmp_path, monkeypatch):
    from metrics.demo import direct

    monkeypatch.setattr(direct, "COMMIT_ROWS", 500)
    monkeypatch.setattr(direct, "CHUNK_ROWS", 500)
    real = direct._insert_sql

    def failing(ds, header, zone):
        if ds.key == "workload":
            raise OSError("disk full")
        return real(ds, header, zone)

    monkeypatch.setattr(direct, "_insert_sql", failing)
    store = Store(tmp_path / "cut.duckdb")
    with pytest.raises(OSError, match="disk full"):
        load_direct(store, responses=2_000, seed=1, as_of=AS_OF)
    for key in DATASET_ORDER:
        assert rows(store, f"SELECT count(*) FROM ds_{key}") == [(0,)], key
    assert demo_import_ids(store) == []
    assert not list((tmp_path / "cut.duckdb.files").glob("*.gz"))
    store.close()


def test_rebuild_replays_the_direct_demo_from_its_archive(tmp_path):
    """The archive holds each dataset's CSV text with ids hashed: a rebuild gives the same rows."""
    from click.testing import CliRunner

    from metrics.cli.main import cli

    original = Store(tmp_path / "cx.duckdb")
    load_direct(original, responses=400, seed=2, as_of=AS_OF)
    original.close()
    out = tmp_path / "rebuilt.duckdb"
    got = CliRunner().invoke(cli, ["--db", str(tmp_path / "cx.duckdb"), "rebuild", "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert got.output == f"rebuilt {out}: 8 imports replayed, 0 roll-backs redone\n"
    before, after = Store(tmp_path / "cx.duckdb"), Store(out)
    for key in DATASET_ORDER:
        sql = f"SELECT * EXCLUDE (_import_id) FROM ds_{key} ORDER BY ALL"
        assert rows(after, sql) == rows(before, sql), key
    before.close()
    after.close()
