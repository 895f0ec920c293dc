"""Faults: imports and roll-backs killed at random moments, a full disk, a read-only and a locked database.

The kill harness runs `CX_FAULT_TRIALS` kills (default 20, in two databases side by side, a few
seconds); for a long run:
CX_FAULT_TRIALS=200 pytest tests/test_faults.py -k killed
"""

from __future__ import annotations

import codecs
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

HEADER = "n° réponse;date de réponse;région;note;commentaire\n"
ROWS = 500
LANES = 2  # databases killed side by side


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


def _killed_together(jobs):
    """Run each (target, args, delay) in a real child process, all at once; SIGKILL each after its delay.

    Forked from this interpreter, the children start in milliseconds; side by side, the lanes give the
    same number of kills in about half the time on two cores.
    """
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    children = []
    for target, args, delay in jobs:
        child = context.Process(target=target, args=args)
        child.start()
        children.append((delay, child))
    for delay, child in sorted(children, key=lambda c: c[0]):
        child.join(max(0.0, started + delay - time.monotonic()))
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
    for _, child in children:
        child.join()


def _lane(folder):
    """A database of its own holding the two base answers, and the 500-answer file to import into it."""
    folder.mkdir()
    db = folder / "cx.duckdb"
    base = folder / "base.csv"
    base.write_text(HEADER + "B1;01/08/2026;Sud;7;base\nB2;01/08/2026;Sud;3;base\n")
    lot = folder / "lot.csv"
    # 500 answers, score i % 11: 45 full cycles of 0..10 (55 each) + 0..4 (10) = 2,475 + 10 = 2,485
    lot.write_text(HEADER + "".join(f"L{i};02/09/2026;Nord;{i % 11};c\n" for i in range(ROWS)))
    _import(db, base)
    return db, lot


def test_imports_and_rollbacks_killed_at_random_moments_are_all_or_nothing(tmp_path):
    lanes = [_lane(tmp_path / f"lane{n}") for n in range(LANES)]
    before = (2, 10, 1)  # B1 + B2: 7 + 3
    after = (2 + ROWS, 10 + 2_485, 2)
    started = time.monotonic()
    _killed_together([(_import, (db, lot), 600.0) for db, lot in lanes])  # not killed: how long one takes
    duration = time.monotonic() - started
    _killed_together([(_rollback, (db, _last_done(db)), 600.0) for db, _ in lanes])
    assert [_counts(db) for db, _ in lanes] == [before] * LANES
    rng = random.Random(15)
    trials = int(os.environ.get("CX_FAULT_TRIALS", "20"))
    seen = {"import": set(), "rollback": set()}
    kills = 0
    while kills < trials:
        jobs, kinds = [], []
        for db, lot in lanes:
            state = _counts(db)
            assert state in (before, after)
            delay = rng.uniform(0, duration * 1.3)
            if state == before:
                jobs.append((_import, (db, lot), delay))
                kinds.append("import")
            else:
                jobs.append((_rollback, (db, _last_done(db)), delay))
                kinds.append("rollback")
        _killed_together(jobs)
        kills += len(jobs)
        for (db, _), kind in zip(lanes, kinds, strict=True):
            seen[kind].add(_counts(db))
    assert all(_counts(db) in (before, after) for db, _ in lanes)
    # the harness did kill mid-way and let some finish: both outcomes happened for imports
    assert seen["import"] == {before, after}
    removed = clean_stale(Path(tempfile.gettempdir()))
    assert all(p.name.startswith("cx-import-") for p in removed)


def _cli(db, *args, env=None, preexec=None):
    """`python -m metrics --db DB ARGS` in a real child process, forked from this interpreter.

    The child is a process of its own (its own limits, user, locks and exit status), but it does not pay
    for a new interpreter and its imports: about 1 s a call on CI.
    """
    out = tempfile.TemporaryFile()  # noqa: SIM115 - read back below, closed with the test's process
    err = tempfile.TemporaryFile()  # noqa: SIM115
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 70
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - flushed below, before _exit
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            os.environ.update(env or {})
            from metrics.cli.main import cli

            # what a command loads lazily, loaded before `preexec` may switch to a user who cannot read it
            for encoding in ("utf-8-sig", "cp1252", "utf-16"):
                codecs.lookup(encoding)
            import metrics.ingest.importing  # noqa: F401

            if preexec:
                preexec()

            cli.main(["--db", str(db), *args], prog_name="python -m metrics", obj={})
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    with out, err:
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(
            args, os.waitstatus_to_exitcode(status), out.read().decode(), err.read().decode()
        )


def _file_limit(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _full_disk_import(tmp_path, rows):
    """Import `rows` answers in a child whose files may not grow past the empty database's size + 64 KB."""
    db = tmp_path / "cx.duckdb"
    open_store(db).close()
    size = db.stat().st_size
    big = tmp_path / "gros.csv"
    big.write_text(
        HEADER + "".join(f"G{i};02/09/2026;Nord;{i % 11};commentaire {i:07d}\n" for i in range(rows))
    )
    before = _counts(db)
    return db, before, _cli(db, "import", "responses", str(big), preexec=_file_limit(size + 65_536))


def test_a_full_disk_during_an_import_is_a_sentence_and_changes_nothing(tmp_path):
    # 50,000 rows: the log (.wal) itself outgrows the limit, so the commit fails
    db, before, got = _full_disk_import(tmp_path, 50_000)
    assert got.returncode == 1, got.stderr
    assert got.stderr.startswith(f"Error: the disk holding {db} is full (")
    assert got.stderr.endswith(
        "nothing was changed; free some space (DuckDB also needs room for cx.duckdb.wal and cx.duckdb.tmp/) "
        "and try again\n"
    )
    assert "Traceback" not in got.stderr
    assert _counts(db) == before


def test_a_full_disk_after_the_commit_is_a_sentence_and_the_next_open_finishes_it(tmp_path):
    # 5,000 rows: the commit fits in the log, but folding it into the database file (CHECKPOINT) does not
    db, before, got = _full_disk_import(tmp_path, 5_000)
    assert got.returncode == 1, got.stderr
    assert got.stderr.startswith(
        f"Error: the change is saved in the log of {db} (cx.duckdb.wal), but it could not be written into "
        "the database file ("
    )
    assert got.stderr.endswith(
        "); free some space beside the database (or make it writable): the next command finishes writing it\n"
    )
    assert before == (0, 0, 0)
    # 5,000 answers, score i % 11: 454 cycles of 0..10 (55 each) + 0..5 (15) = 24,970 + 15 = 24,985
    assert _counts(db) == (5_000, 24_985, 1)


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


def _hold(db, ready):
    """A second process holding the database read-write until it is killed."""
    con = duckdb.connect(str(db))
    ready.send("ready")
    time.sleep(60)
    con.close()


def test_a_database_locked_by_another_process_is_a_sentence_naming_it(tmp_path):
    db = tmp_path / "cx.duckdb"
    open_store(db).close()
    ready_to_read, ready = multiprocessing.get_context("fork").Pipe(duplex=False)
    holder = multiprocessing.get_context("fork").Process(target=_hold, args=(db, ready))
    holder.start()
    try:
        assert ready_to_read.recv() == "ready"
        got = _cli(db, "rollback", "1", env={"CX_LOCK_WAIT_SECONDS": "1"})
    finally:
        holder.kill()
        holder.join()
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
