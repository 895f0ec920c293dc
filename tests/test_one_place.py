"""Things written once: the CSV reader, the imports row, the --lang option (issue 29).

Each had copies that drifted (three `read_csv` calls with different options, two positional inserts
into `imports` that a new column would have shifted, `--lang` declared four times with two defaults).
"""

from __future__ import annotations

import re
from pathlib import Path

from metrics.ingest.import_log import COLUMNS
from metrics.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted((ROOT / "metrics").rglob("*.py"))}


def test_files_are_read_by_one_read_csv_call():
    calls = [p.name for p, text in _sources().items() for _ in re.finditer(r"read_csv\(\?", text)]
    assert calls == ["sources.py"]


def test_the_imports_row_is_written_by_name_in_one_place():
    positional = [p.name for p, text in _sources().items() if re.search(r"INSERT INTO imports VALUES", text)]
    assert positional == []
    named = [p.name for p, text in _sources().items() if "INSERT INTO imports" in text]
    assert named == ["import_log.py"]


def test_the_imports_row_names_every_column_of_the_table(tmp_path):
    store = open_store(tmp_path / "cx.duckdb")
    try:
        with store.cursor() as cur:
            table = [r[0] for r in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'imports' "
                "ORDER BY ordinal_position"
            ).fetchall()]
    finally:
        store.close()
    assert set(table) == {*COLUMNS, "rolled_back_at"}  # set later by a roll-back


def test_lang_is_declared_once_for_every_command():
    declared = [p.name for p, text in _sources().items() for _ in re.finditer(r"option\(\s*\"--lang\"", text)]
    assert declared == ["args.py"]
    from click.testing import CliRunner

    from metrics.cli.main import cli

    for command in ("query", "summary", "alerts", "themes", "rejected"):
        shown = " ".join(CliRunner().invoke(cli, [command, "--help"]).output.split())
        assert "--lang [fr|en]" in shown, command
        assert "[default: fr]" in shown.split("--lang [fr|en]", 1)[1].split(" --", 1)[0], command


def test_a_regional_league_reads_the_years_targets_once():
    # nine regions, each with its figure against its target and its status for the year: one read of
    # the targets serves them all (it was one read per region, twice: the league and each status)
    import datetime as dt
    from contextlib import contextmanager

    from metrics.reports.regions import regional_league
    from metrics.semantic.definitions import metric
    from tests.pages_demo import demo_db

    store = open_store(demo_db())
    reads = []

    class Counting:
        def __init__(self, cur):
            self._cur = cur

        def execute(self, sql, *args):
            if "ds_targets" in sql:
                reads.append(sql)
            return self._cur.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._cur, name)

    class Spy:
        def __getattr__(self, name):
            return getattr(store, name)

        @contextmanager
        def cursor(self):
            with store.cursor() as cur:
                yield Counting(cur)

    try:
        league = regional_league(Spy(), metric("nps"), dt.date(2026, 1, 1), dt.date(2026, 9, 30), {}, 2026)
    finally:
        store.close()
    assert len(league) == 9
    assert len(reads) == 1
