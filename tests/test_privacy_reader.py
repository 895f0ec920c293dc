"""A reader publishes the units the last writer recorded, without running the rule again.

`privacy.units` takes the recorded state as it is when the workload's fingerprint is the one the last
record saw (`privacy_history.as_recorded`), and runs the rule (`extend`) only otherwise. Both roads
must publish the same units: the rule is idempotent on the rows it was recorded on.
"""

import duckdb
import pytest

from metrics.ingest.history import rollback
from metrics.ingest.importing import import_file
from metrics.semantic import privacy, privacy_history
from metrics.store import open_store
from tests.test_privacy_over_time import operator_rows, write_csv

MIN_AGENTS = 5


def both_roads(store, monkeypatch):
    """The units as a reader gets them, and as the rule computes them from the rows."""
    with store.cursor() as cur:
        assert privacy_history.as_recorded(cur, MIN_AGENTS) is not None  # the short road is taken
        privacy._CACHE.clear()
        short = privacy.units(cur, "a", MIN_AGENTS)
        with monkeypatch.context() as m:
            m.setattr(privacy_history, "as_recorded", lambda cur, min_agents: None)
            privacy._CACHE.clear()
            full = privacy.units(cur, "a", MIN_AGENTS)
    return short, full


def same(short, full):
    assert short.unpublishable == full.unpublishable
    assert short.table.equals(full.table)
    assert short.members.equals(full.members)


def test_a_reader_publishes_what_the_rule_gives_after_imports_and_a_roll_back(tmp_path, monkeypatch):
    store = open_store(tmp_path / "cx.duckdb")
    try:
        import_file(store, "workload", write_csv(tmp_path / "s1.csv", operator_rows(range(1, 7))))
        short, full = both_roads(store, monkeypatch)
        same(short, full)
        assert "autres équipes (S1)" in set(short.table["team"])  # a small team is merged
        july = import_file(store, "workload", write_csv(tmp_path / "juillet.csv", operator_rows([7])))
        same(*both_roads(store, monkeypatch))
        rollback(store, july.import_id)
        same(*both_roads(store, monkeypatch))
    finally:
        store.close()


def test_a_company_all_small_is_published_suppressed_on_both_roads(tmp_path, monkeypatch):
    store = open_store(tmp_path / "cx.duckdb")
    try:
        rows = [(month, "Nord", "S1", "P", 2, 10) for month in (1, 2)]
        import_file(store, "workload", write_csv(tmp_path / "petit.csv", rows))
        short, full = both_roads(store, monkeypatch)
        assert short.unpublishable  # two agents in the whole company: every figure suppressed
        same(short, full)
    finally:
        store.close()


def test_rows_changed_outside_a_recorded_write_take_the_rule(tmp_path):
    store = open_store(tmp_path / "cx.duckdb")
    try:
        import_file(store, "workload", write_csv(tmp_path / "s1.csv", operator_rows(range(1, 3))))
    finally:
        store.close()
    con = duckdb.connect(str(tmp_path / "cx.duckdb"))
    try:
        assert privacy_history.as_recorded(con, MIN_AGENTS) is not None
        assert privacy_history.as_recorded(con, MIN_AGENTS + 1) is None  # no record for that threshold
        con.execute("UPDATE ds_workload SET agents = agents + 1 WHERE team = 'P'")  # no record of this
        assert privacy_history.as_recorded(con, MIN_AGENTS) is None
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    privacy._CACHE.clear()
    yield
    privacy._CACHE.clear()
