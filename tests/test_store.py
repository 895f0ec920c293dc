"""The database file shared between processes: waits, then a sentence, never a traceback."""

import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.errors import StoreBusy
from metrics.store import Store, open_store

HOLDER = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)"
)


@pytest.fixture
def held(tmp_path):
    """Another process holding the database file open, as a running dashboard or import would."""
    path = tmp_path / "cx.duckdb"
    open_store(path).close()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield path, proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_a_locked_file_gives_a_writer_a_sentence_naming_the_holder(held):
    path, pid = held
    store = Store(path, wait_seconds=0.5)
    with (
        pytest.raises(StoreBusy, match=rf"is in use by process {pid} .* stayed busy for 0 s; try again"),
        store.transaction(),
    ):
        pass


def test_a_reader_does_not_wait_for_a_process_holding_the_file(held):
    path, _ = held
    started = time.monotonic()
    with Store(path, wait_seconds=15).cursor() as cur:
        assert cur.execute("SELECT count(*) FROM imports").fetchone() == (0,)
    assert time.monotonic() - started < 2  # the snapshot, not the held file: no 15 s wait


def test_the_cli_reports_a_lock_conflict_with_exit_1_and_no_traceback(held, monkeypatch):
    path, pid = held
    monkeypatch.setattr(Store, "__init__", _short_wait(Store.__init__))
    result = CliRunner().invoke(cli, ["--db", str(path), "rollback", "1"])
    assert result.exit_code == 1
    assert f"in use by process {pid}" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def _short_wait(init):
    def wrapped(self, path, **kw):
        init(self, path, **{**kw, "wait_seconds": 0.3})

    return wrapped


def test_the_file_is_released_when_idle_so_another_process_can_open_it(tmp_path):
    path = tmp_path / "cx.duckdb"
    store = open_store(path, idle_seconds=0.2)
    with store.cursor() as cur:
        cur.execute("SELECT 1").fetchall()
    time.sleep(0.6)
    probe = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r}).close()"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr


def test_a_waiting_process_gets_the_file_once_the_holder_lets_go(tmp_path):
    path = tmp_path / "cx.duckdb"
    open_store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER.replace("60", "1.0"), str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "ready"
    started = time.monotonic()
    with Store(path, wait_seconds=15).cursor() as cur:
        assert cur.execute("SELECT count(*) FROM imports").fetchone() == (0,)
    holder.wait()
    assert time.monotonic() - started < 10


def test_an_idle_timer_is_released_at_exit_in_the_main_thread(tmp_path):
    # a daemon timer still closing the file when the interpreter stops is killed inside DuckDB and
    # aborts the process: at exit the pending timers are cancelled and their files released here
    from metrics import store as store_mod

    s = store_mod.open_store(tmp_path / "cx.duckdb", idle_seconds=60.0)
    with s.transaction() as cur:
        cur.execute("SELECT 1")
    assert s._shared.timer is not None  # kept open for 60 s
    assert s._shared.con is not None
    store_mod.release_idle()
    assert s._shared.con is None
    assert s._shared.timer is None
    assert s not in store_mod._IDLE
    s.close()
