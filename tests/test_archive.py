"""Every imported file is kept, compressed by checksum, and `rebuild` recreates the same figures from them."""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.errors import CxError, ImportRefused
from metrics.ingest.archive import archive_dir, archived
from metrics.ingest.history import rollback
from metrics.ingest.importing import import_file
from metrics.ingest.sources import file_sha256
from metrics.semantic.definitions import METRICS
from metrics.semantic.query import metric_frame
from metrics.store import open_store

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
ORDER = ("sites", "customers", "responses", "interventions", "complaints", "workload", "targets", "events")


def _figures(store):
    """Every metric, by month and by region where it splits that way, as plain rows."""
    got = {}
    for key in sorted(METRICS):
        for by in ((), ("region",)):
            try:
                frame = metric_frame(store, key, grain="month", by=by)
            except CxError:
                continue  # a metric that does not split by region
            got[(key, by)] = frame.reset_index(drop=True)
    return got


def _history(store, tmp_path):
    for key in ORDER:
        import_file(store, key, SAMPLES / f"{key}.csv")
    # a second export replacing two answers, then a file imported by mistake and rolled back
    fix = tmp_path / "corrections.csv"
    fix.write_text(
        "n° réponse;date de réponse;région;note\nR00001;21/07/2026;Bretagne;10\nR00002;03/08/2026;Nord;0\n"
    )
    import_file(store, "responses", fix)
    wrong = tmp_path / "erreur.csv"
    wrong.write_text("n° réponse;date de réponse;région;note\nX1;01/09/2026;Nord;0\nX2;01/09/2026;Nord;0\n")
    rollback(store, import_file(store, "responses", wrong).import_id)


def test_each_imported_file_is_kept_compressed_under_its_checksum(store, tmp_path):
    report = import_file(store, "responses", SAMPLES / "responses.csv")
    sha = file_sha256(SAMPLES / "responses.csv")
    kept = archived(store.path, sha)
    assert kept == tmp_path / "cx.duckdb.files" / f"{sha}.gz"
    assert gzip.decompress(kept.read_bytes()) == (SAMPLES / "responses.csv").read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    manifest = [
        json.loads(line) for line in (archive_dir(store.path) / "manifest.jsonl").read_text().splitlines()
    ]
    assert manifest == [
        {
            "op": "import",
            "import_id": report.import_id,
            "dataset": "responses",
            "file_name": "responses.csv",
            "sha256": sha,
            "sheet": None,
            "mapping": dict(report.mapping),
            "demo": False,
        }
    ]


def test_a_refused_file_leaves_no_copy_behind(store, tmp_path):
    bad = tmp_path / "sans_note.csv"
    bad.write_text("n° réponse;date de réponse;région\n1;02/09/2026;Nord\n")
    with pytest.raises(ImportRefused):
        import_file(store, "responses", bad)
    assert not archived(store.path, file_sha256(bad)).exists()


def test_rebuild_recreates_every_figure_from_the_archive(tmp_path):
    store = open_store(tmp_path / "cx.duckdb")
    _history(store, tmp_path)
    before = _figures(store)
    store.close()
    out = tmp_path / "rebuilt.duckdb"
    got = CliRunner().invoke(cli, ["--db", str(tmp_path / "cx.duckdb"), "rebuild", "--out", str(out)])
    assert got.exit_code == 0, got.output
    # 8 sample files + corrections + the mistaken file; its roll-back is redone
    assert got.output == f"rebuilt {out}: 10 imports replayed, 1 roll-backs redone\n"
    rebuilt = open_store(out)
    after = _figures(rebuilt)
    assert len(before) > 20
    assert before.keys() == after.keys()
    for key, frame in before.items():
        pd.testing.assert_frame_equal(after[key], frame, obj=str(key))
    with rebuilt.cursor() as cur:
        scores = dict(
            cur.execute(
                "SELECT response_id, score FROM ds_responses WHERE response_id IN ('R00001', 'R00002', 'X1')"
            ).fetchall()
        )
        customers = cur.execute("SELECT count(DISTINCT customer_id) FROM ds_responses").fetchone()
    assert scores == {"R00001": 10, "R00002": 0}  # the corrections, not the sample's 1 and 10; X1 rolled back
    original = open_store(tmp_path / "cx.duckdb")
    with original.cursor() as cur:
        assert cur.execute("SELECT count(DISTINCT customer_id) FROM ds_responses").fetchone() == customers
        hashes = cur.execute("SELECT customer_id FROM ds_responses ORDER BY response_id").fetchall()
    with rebuilt.cursor() as cur:
        assert cur.execute("SELECT customer_id FROM ds_responses ORDER BY response_id").fetchall() == hashes
    original.close()
    rebuilt.close()


def test_rebuild_refuses_to_overwrite_and_needs_an_archive(tmp_path):
    db = tmp_path / "cx.duckdb"
    open_store(db).close()
    runner = CliRunner()
    got = runner.invoke(cli, ["--db", str(db), "rebuild", "--out", str(tmp_path / "new.duckdb")])
    assert got.exit_code == 1
    assert got.output == (
        f"Error: there is no archive of imported files beside {db} ({db}.files/manifest.jsonl is missing); "
        "only databases whose imports were archived can be rebuilt\n"
    )
    got = runner.invoke(cli, ["--db", str(db), "rebuild", "--out", str(db)])
    assert got.exit_code == 1


def test_a_dry_run_keeps_no_copy(store, tmp_path):
    from metrics.ingest.options import ImportOptions

    path = tmp_path / "essai.csv"
    path.write_text("n° réponse;date de réponse;région;note\n1;02/09/2026;Nord;9\n")
    report = import_file(store, "responses", path, options=ImportOptions(dry_run=True))
    assert report.dry_run
    assert not archived(store.path, file_sha256(path)).exists()
