"""Readers and writers in separate processes never wait for each other, and readers see whole imports."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

from metrics import snapshot
from metrics.ingest.importing import import_file
from metrics.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
HEADER = "n° réponse;date de réponse;région;note\n"
HOLDER = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)"
)


def _file(path, prefix, rows, score):
    path.write_text(HEADER + "".join(f"{prefix}{i};02/09/2026;Nord;{score}\n" for i in range(rows)))
    return path


def _count(store):
    with store.cursor() as cur:
        return cur.execute("SELECT count(*), coalesce(sum(score), 0) FROM ds_responses").fetchall()[0]


def test_a_cli_reader_answers_at_once_while_another_process_holds_the_file(tmp_path):
    db = tmp_path / "cx.duckdb"
    store = open_store(db)
    import_file(store, "responses", _file(tmp_path / "a.csv", "A", 3, 9))
    store.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        # a zero wait: any need for the held file would fail at once instead of queueing
        got = subprocess.run(
            [
                sys.executable,
                "-m",
                "metrics",
                "--db",
                str(db),
                "query",
                "nps",
                "--grain",
                "year",
                "--format",
                "csv",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "CX_LOCK_WAIT_SECONDS": "0"},
            timeout=120,
        )
    finally:
        holder.kill()
        holder.wait()
    assert got.returncode == 0, got.stderr
    # 3 answers of 9: 3 promoters of 3 -> NPS 100
    assert got.stdout.splitlines()[1].split(",")[1:3] == ["100.0", "3"]


def _slow_import(db, path, started):
    store = Store(db)
    started.set()
    import_file(store, "responses", path)
    store.close()


def test_readers_during_an_import_in_another_process_see_the_old_data_or_all_the_new(tmp_path):
    db = tmp_path / "cx.duckdb"
    store = open_store(db)
    import_file(store, "responses", _file(tmp_path / "a.csv", "A", 3, 9))
    # 60,000 answers of 10 with a comment each: long enough to read many times while it runs
    big = tmp_path / "big.csv"
    big.write_text(
        HEADER.strip()
        + ";commentaire\n"
        + "".join(f"B{i};02/09/2026;Sud;10;rien à dire\n" for i in range(60_000))
    )
    before, after = (3, 27), (60_003, 27 + 600_000)
    started = multiprocessing.get_context("fork").Event()
    writer = multiprocessing.get_context("fork").Process(target=_slow_import, args=(db, big, started))
    writer.start()
    started.wait(30)
    seen, running = set(), set()
    reader = Store(db)
    while writer.is_alive():
        running.add(snapshot.import_running(db))
        seen.add(_count(reader))
    writer.join()
    seen.add(_count(reader))
    assert seen <= {before, after}
    assert after in seen
    assert before in seen  # the reader went on reading the old data while the import ran
    assert True in running
    assert not snapshot.import_running(db)
    reader.close()
    store.close()


def test_a_reader_keeps_its_copy_until_the_next_cursor_and_old_copies_are_removed(tmp_path):
    db = tmp_path / "cx.duckdb"
    store = open_store(db)
    reader = Store(db)
    with reader.cursor() as cur:
        import_file(store, "responses", _file(tmp_path / "a.csv", "A", 2, 9))
        # published meanwhile: this cursor still reads the copy it opened
        assert cur.execute("SELECT count(*) FROM ds_responses").fetchall() == [(0,)]
    assert _count(reader) == (2, 18)
    import_file(store, "responses", _file(tmp_path / "b.csv", "B", 1, 0))
    assert _count(reader) == (3, 18)
    copies = sorted(p.name for p in tmp_path.glob("cx.duckdb.snap-*"))
    assert copies == [snapshot.current(db).name]
    reader.close()
    store.close()


def test_a_killed_writer_is_not_reported_as_running(tmp_path):
    db = tmp_path / "cx.duckdb"
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    snapshot.marker_path(db, finished.pid).touch()  # what a killed import leaves behind
    assert not snapshot.import_running(db)
    snapshot.marker_path(db, os.getpid()).touch()
    assert snapshot.import_running(db)
