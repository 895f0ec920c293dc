"""Faults: imports and roll-backs killed at random moments, a full disk, a read-only and a locked database.

The kill harness runs `CX_FAULT_TRIALS` trials (default 20, a few seconds); for a long run:
CX_FAULT_TRIALS=200 pytest tests/test_faults.py -k killed
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from metrics.ingest.history import rollback
from metrics.ingest.importing import import_file
from metrics.store import open_store
from metrics.tempfiles import clean_stale

ROOT = Path(__file__).resolve().parent.parent
HEADER = "n° réponse;date de réponse;région;note;commentaire\n"
ROWS = 500


def _counts(db):
    with duckdb.connect(str(db)) as con:
        rows = con.execute("SELECT count(*), coalesce(sum(score), 0) FROM ds_responses").fetchone()
        done = con.execute("SELECT count(*) FROM imports WHERE status = 'done'").fetchone()[0]
    return rows[0], rows[1], done


def _import(db, path):
    store = open_store(db)
    import_file(store, "responses", path)
    store.close()


def _rollback(db, import_id):
    store = open_store(db)
    rollback(store, import_id)
    store.close()


def _last_done(db):
    with duckdb.connect(str(db)) as con:
        row = con.execute(
            "SELECT max(import_id) FROM imports WHERE status = 'done' AND file_name = 'lot.csv'"
        )
        return row.fetchone()[0]


def _killed_after(target, args, delay):
    """Run target(*args) in a real child process and SIGKILL it after `delay` s (if still running)."""
    child = multiprocessing.get_context("fork").Process(target=target, args=args)
    child.start()
    child.join(delay)
    if child.is_alive():
        os.kill(child.pid, signal.SIGKILL)
    child.join()
    return child.exitcode


def test_imports_and_rollbacks_killed_at_random_moments_are_all_or_nothing(tmp_path):
    db = tmp_path / "cx.duckdb"
    base = tmp_path / "base.csv"
    base.write_text(HEADER + "B1;01/08/2026;Sud;7;base\nB2;01/08/2026;Sud;3;base\n")
    lot = tmp_path / "lot.csv"
    # 500 answers, score i % 11: 45 full cycles of 0..10 (55 each) + 0..4 (10) = 2,475 + 10 = 2,485
    lot.write_text(HEADER + "".join(f"L{i};02/09/2026;Nord;{i % 11};c\n" for i in range(ROWS)))
    _import(db, base)
    before = (2, 10, 1)  # B1 + B2: 7 + 3
    after = (2 + ROWS, 10 + 2_485, 2)
    started = time.monotonic()
    _import(db, lot)
    duration = time.monotonic() - started  # an import that is not killed
    _rollback(db, _last_done(db))
    assert _counts(db) == before
    rng = random.Random(15)
    trials = int(os.environ.get("CX_FAULT_TRIALS", "20"))
    seen = {"import": set(), "rollback": set()}
    for _ in range(trials):
        state = _counts(db)
        assert state in (before, after)
        delay = rng.uniform(0, duration * 1.3)
        if state == before:
            _killed_after(_import, (db, lot), delay)
            seen["import"].add(_counts(db))
        else:
            _killed_after(_rollback, (db, _last_done(db)), delay)
            seen["rollback"].add(_counts(db))
    assert _counts(db) in (before, after)
    # the harness did kill mid-way and let some finish: both outcomes happened for imports
    assert seen["import"] == {before, after}
    removed = clean_stale(Path(tempfile.gettempdir()))
    assert all(p.name.startswith("cx-import-") for p in removed)


def _cli(db, *args, env=None, preexec=None):
    return subprocess.run(
        [sys.executable, "-m", "metrics", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec,
        timeout=120,
    )


def _file_limit(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_during_an_import_is_a_sentence_and_changes_nothing(tmp_path):
    db = tmp_path / "cx.duckdb"
    open_store(db).close()
    size = db.stat().st_size
    before = _counts(db)
    big = tmp_path / "gros.csv"
    big.write_text(
        HEADER + "".join(f"G{i};02/09/2026;Nord;{i % 11};commentaire {i:07d}\n" for i in range(50_000))
    )
    # no file may grow past the empty database's size + 64 KB: the 50,000 rows cannot be written
    got = _cli(db, "import", "responses", str(big), preexec=_file_limit(size + 65_536))
    assert got.returncode == 1, got.stderr
    assert got.stderr.startswith(f"Error: the disk holding {db} is full (")
    assert got.stderr.endswith(
        "nothing was changed; free some space (DuckDB also needs room for cx.duckdb.wal and cx.duckdb.tmp/) "
        "and try again\n"
    )
    assert "Traceback" not in got.stderr
    assert _counts(db) == before


def test_a_read_only_database_is_a_sentence(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="cx-readonly-"))
    try:
        folder.chmod(0o755)
        db = folder / "cx.duckdb"
        open_store(db).close()
        db.chmod(0o444)
        (folder / "cx.duckdb.files").mkdir(mode=0o777)  # the archive may be written: only the database is not
        (folder / "cx.duckdb.files").chmod(0o777)
        src = folder / "r.csv"
        src.write_text(HEADER + "1;02/09/2026;Nord;9;ok\n")
        src.chmod(0o644)
        # root ignores file modes: run the command as "nobody" then, for whom 0444 means read-only
        preexec = (lambda: os.setuid(65534)) if os.geteuid() == 0 else None
        got = _cli(
            db, "import", "responses", str(src), env={"CX_SALT_FILE": str(folder / "salt")}, preexec=preexec
        )
        assert got.returncode == 1
        assert got.stderr.startswith(f"Error: {db} cannot be written (")
        assert got.stderr.endswith(
            "); nothing was changed; check that the file and its folder are writable by this user and not "
            "on a read-only disk\n"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_database_locked_by_another_process_is_a_sentence_naming_it(tmp_path):
    db = tmp_path / "cx.duckdb"
    open_store(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "ready\n"
        got = _cli(db, "rollback", "1", env={"CX_LOCK_WAIT_SECONDS": "1"})
    finally:
        holder.kill()
        holder.wait()
    assert got.returncode == 1
    assert got.stderr == (
        f"Error: the database {db} is in use by process {holder.pid} (an import or the dashboard) and stayed "
        "busy for 1 s; try again when it has finished, or import through the dashboard's Data page\n"
    )


@pytest.mark.parametrize("value", ["soon", "1,5"])
def test_a_lock_wait_that_is_not_a_number_is_a_sentence(tmp_path, value):
    got = _cli(tmp_path / "cx.duckdb", "imports", env={"CX_LOCK_WAIT_SECONDS": value})
    assert got.returncode == 1
    assert got.stderr == (
        f'Error: CX_LOCK_WAIT_SECONDS is "{value}"; expected a number of seconds, 0 or more (e.g. 15); '
        "fix or unset it\n"
    )
