"""Temp directories of killed imports are removed on the next start; those of running imports stay."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from metrics.tempfiles import clean_stale, import_prefix


def test_stale_import_dirs_of_dead_processes_go_and_live_ones_stay(tmp_path):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()  # a real process that has ended: its PID no longer runs
    dead = tmp_path / f"cx-import-{finished.pid}-k2j4"
    alive = tmp_path / f"{import_prefix()}x7q1"
    old = tmp_path / "cx-import-a1b2c3"  # named by an older version: no PID
    recent = tmp_path / "cx-import-d4e5f6"
    other = tmp_path / "cx-upload-zz"
    for d in (dead, alive, old, recent, other):
        d.mkdir()
        (d / "copy.utf8.csv").write_text("x;y\n")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    removed = clean_stale(tmp_path)
    assert sorted(p.name for p in removed) == sorted([dead.name, old.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, recent.name, other.name])


def test_an_import_names_its_temp_dir_after_its_process():
    assert import_prefix() == f"cx-import-{os.getpid()}-"


def test_an_upload_name_over_255_bytes_imports_under_its_own_name(store, tmp_path):
    from dashboard.writes import inspect
    from metrics.ingest.importing import import_file

    name = "réponses " + "é" * 150 + ".csv"  # 9 + 300 + 4 = 313 bytes in UTF-8
    content = "n° réponse;date de réponse;région;note\n1;02/09/2026;Nord;9\n".encode()
    src = inspect(name, content).source
    assert len(src.path.name.encode()) <= 200  # the bytes sit under a short name on disk
    report = import_file(store, "responses", src.path, file_name=src.name, source=src)
    assert (report.file_name, report.accepted) == (name, 1)