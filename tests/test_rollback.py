"""Re-imports replace rows, roll-backs restore them exactly, failed imports change nothing; migrations."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

from metrics.errors import CxError
from metrics.ingest import importing, pipeline
from metrics.ingest.history import list_imports, rollback
from metrics.ingest.importing import import_file
from metrics.store import MIGRATIONS, open_store
from tests.support import snapshot

D = dt.datetime
HEADER = "n° réponse;date de réponse;région;note;commentaire\n"
SEPTEMBER = HEADER + "1;02/09/2025;Bretagne;9;bien\n2;02/09/2025;Bretagne;3;lent\n3;03/09/2025;Normandie;7;\n"
# the tool's corrected re-export: answer 2 rescored, answer 3 moved to Bretagne, answer 4 is new
CORRECTED = (HEADER + "2;02/09/2025;Bretagne;6;lent, rappelé\n"
             "3;03/09/2025;Bretagne;7;\n4;04/09/2025;Normandie;10;\n")


def imported(store, dataset, path, **kwargs):
    """Import and check the accounting invariant every report must satisfy."""
    report = import_file(store, dataset, path, **kwargs)
    assert report.accepted + report.rejected + report.skipped == report.rows_read
    return report


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def current(store):
    with store.cursor() as cur:
        return cur.execute("SELECT response_id, responded_at, region, score, comment, _import_id "
                           "FROM ds_responses ORDER BY response_id").fetchall()


def test_reimport_replaces_existing_ids_and_counts_them_as_updated(store, tmp_path):
    first = imported(store, "responses", write(tmp_path, "sept.csv", SEPTEMBER))
    second = imported(store, "responses", write(tmp_path, "sept_corrige.csv", CORRECTED))
    # 3 accepted: ids 2 and 3 existed (updated), id 4 is new
    assert (second.accepted, second.updated, second.inserted) == (3, 2, 1)
    assert current(store) == [
        ("1", D(2025, 9, 2), "Bretagne", 9, "bien", first.import_id),
        ("2", D(2025, 9, 2), "Bretagne", 6, "lent, rappelé", second.import_id),
        ("3", D(2025, 9, 3), "Bretagne", 7, None, second.import_id),
        ("4", D(2025, 9, 4), "Normandie", 10, None, second.import_id),
    ]


def test_rollback_of_a_reimport_restores_the_previous_values_exactly(store, tmp_path):
    imported(store, "responses", write(tmp_path, "sept.csv", SEPTEMBER))
    before = current(store)
    second = imported(store, "responses", write(tmp_path, "sept_corrige.csv", CORRECTED))
    # removes ids 2, 3, 4 of the re-import and puts back 2 and 3 as they were
    assert rollback(store, second.import_id) == 3
    assert current(store) == before
    imports = list_imports(store).set_index("import_id")
    assert imports.loc[second.import_id, "status"] == "rolled_back"


def test_rollback_restores_workload_rows_replaced_by_composite_key(store, tmp_path):
    header = "date;région;site;équipe;conseillers;contacts traités;temps de traitement\n"
    imported(store, "workload", write(tmp_path, "a.csv", header + "02/09/2025;B;RNS;N1;12;340;12,5\n"
                                                                  "02/09/2025;B;RNS;N2;8;210;9\n"))
    second = imported(store, "workload", write(tmp_path, "b.csv", header + "02/09/2025;B;RNS;N2;9;215;9,5\n"))
    assert (second.accepted, second.updated) == (1, 1)
    with store.cursor() as cur:
        query = "SELECT team, agents, handle_minutes FROM ds_workload ORDER BY team"
        assert cur.execute(query).fetchall() == [("N1", 12, 12.5), ("N2", 9, 9.5)]
    rollback(store, second.import_id)
    with store.cursor() as cur:
        assert cur.execute(query).fetchall() == [("N1", 12, 12.5), ("N2", 8, 9.0)]


def test_rollback_refuses_an_import_whose_rows_a_later_import_replaced(store, tmp_path):
    first = imported(store, "responses", write(tmp_path, "sept.csv", SEPTEMBER))
    second = imported(store, "responses", write(tmp_path, "sept_corrige.csv", CORRECTED))
    before = snapshot(store)
    message = (f"import {first.import_id} cannot be rolled back: import {second.import_id} replaced some of "
               f"its rows; roll back {second.import_id} first")
    with pytest.raises(CxError, match=f"^{re.escape(message)}$"):
        rollback(store, first.import_id)
    assert snapshot(store) == before
    rollback(store, second.import_id)
    assert rollback(store, first.import_id) == 3
    assert current(store) == []


def test_rollback_twice_or_of_an_unknown_import_is_refused(store, tmp_path):
    first = imported(store, "responses", write(tmp_path, "sept.csv", SEPTEMBER))
    rollback(store, first.import_id)
    before = snapshot(store)
    with pytest.raises(CxError, match=f"^import {first.import_id} was already rolled back$"):
        rollback(store, first.import_id)
    with pytest.raises(CxError, match=r"^there is no import 42; list them with: python -m metrics imports$"):
        rollback(store, 42)
    assert snapshot(store) == before


def test_a_rolled_back_file_can_be_imported_again(store, tmp_path):
    src = write(tmp_path, "sept.csv", SEPTEMBER)
    first = imported(store, "responses", src)
    rows = current(store)
    rollback(store, first.import_id)
    again = imported(store, "responses", src)
    assert (again.accepted, again.updated) == (3, 0)
    assert [r[:5] for r in current(store)] == [r[:5] for r in rows]


def test_an_import_failing_midway_leaves_the_database_untouched(store, tmp_path, monkeypatch):
    imported(store, "responses", write(tmp_path, "sept.csv", SEPTEMBER))
    before = snapshot(store)

    def write_then_fail(cur, plan, out):
        pipeline.write(cur, plan, out)  # rows are staged, archived and inserted...
        raise RuntimeError("disk full")  # ...then the process fails before the import is recorded

    steps = pipeline.STAGES
    failing = tuple((n, f, write_then_fail if run is pipeline.write else run) for n, f, run in steps)
    monkeypatch.setattr(importing, "STAGES", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(store, "responses", write(tmp_path, "sept_corrige.csv", CORRECTED))
    assert snapshot(store) == before
    monkeypatch.undo()
    assert imported(store, "responses", tmp_path / "sept_corrige.csv").updated == 2


def test_a_database_file_reopens_with_every_migration_applied_once(tmp_path):
    path = tmp_path / "cx.duckdb"
    open_store(path).close()
    store = open_store(path)
    try:
        with store.cursor() as cur:
            versions = cur.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
            assert versions[0] == (1,)
            assert versions == [(v,) for v in range(1, len(MIGRATIONS) + 1)]
            assert cur.execute("SELECT count(*) FROM imports").fetchall() == [(0,)]
    finally:
        store.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "cx.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (99, current_timestamp)")
    con.close()
    message = ("this database was written by a newer version "
               f"(schema 99, this program knows {len(MIGRATIONS)}); upgrade the program")
    with pytest.raises(CxError, match=f"^{re.escape(message)}$"):
        open_store(path)
