"""Every command: exit 2 for a misuse (bad option, argument or name), 1 for a refused input, 0 otherwise.

One database with one import and one rolled-back import serves every case; each refused input is an
environment or a file the command cannot use, each misuse an argument the command cannot accept.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli

ANSWERS = "response_id;responded_at;region;score\n1;02/09/2025;Nord;9\n2;03/09/2025;Sud;3\n"
BUSY = {"CX_LOCK_WAIT_SECONDS": "soon"}  # a setting the store cannot use: refused before any work


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("codes")
    path = folder / "cx.duckdb"
    (folder / "a.csv").write_text(ANSWERS, encoding="utf-8")
    (folder / "b.csv").write_text(ANSWERS.replace("Nord", "Est"), encoding="utf-8")
    no_score = "response_id;responded_at;region\n1;02/09/2025;Nord\n"
    (folder / "no_score.csv").write_text(no_score, encoding="utf-8")
    (folder / "themes.toml").write_text('[attente]\nlabel = "x"\n', encoding="utf-8")
    for name in ("a.csv", "b.csv"):
        got = CliRunner().invoke(cli, ["--db", str(path), "import", "responses", str(folder / name)])
        assert got.exit_code == 0
    assert CliRunner().invoke(cli, ["--db", str(path), "rollback", "2"]).exit_code == 0
    return path


def _run(db, args, env=None):
    args = [str(db.parent / a) if a.endswith((".csv", ".toml", ".html")) else a for a in args]
    got = CliRunner().invoke(cli, ["--db", str(db), *args], env=env)
    assert "Traceback" not in got.output
    return got


MISUSES = [
    ("import", "responses", "a.csv", "--map", "score"),  # no =HEADER
    ("import", "responses", "a.csv", "--map", "scor=note"),  # no such column in responses
    ("import", "responses", "a.csv", "--set", "region"),
    ("import", "responses", "a.csv", "--max-rejected", "150"),
    ("import", "responses", "a.csv", "--date-order", "ydm"),
    ("import", "sondages", "a.csv"),
    ("query", "nps", "--where", "region"),  # no =VALUE: the same mistake as --map score
    ("query", "nps", "--where", "regoin=Nord"),
    ("query", "nps", "--by", "regoin"),
    ("query", "npz"),
    ("query", "nps", "--from", "hier"),
    ("compare", "nps", "--by", "region", "--year", "2025", "--from", "2025-01-01"),
    ("compare", "nps", "--by", "region", "--where", "region"),
    ("trajectory", "nps", "--as-of", "30/13/2025"),
    ("summary", "--by", "site"),
    ("alerts", "--weeks", "3"),
    ("themes", "--trend", "--by", "region"),
    ("handoffs", "--to", "demain"),
    ("rejected", "1", "--lang", "de"),
    ("rollback", "99"),  # no such import
    ("rollback", "un"),
    ("purge", "--before", "2025-02-30"),
    ("report", "--month", "2025-13", "--out", "pack.html"),
    ("datasets", "--format", "xml"),
    ("metrics", "--format", "xml"),
    ("imports", "--format", "xml"),
    ("settings", "--format", "xml"),
    ("demo", "--responses", "beaucoup"),
    ("rebuild",),  # --out is required
]


@pytest.mark.parametrize("args", MISUSES, ids=[" ".join(a) for a in MISUSES])
def test_a_misuse_exits_2(db, args):
    got = _run(db, args)
    assert got.exit_code == 2, got.output


REFUSED = [
    (("import", "responses", "no_score.csv"), None),  # the file lacks a column: refused input
    (("import", "responses", "a.csv"), None),  # the same file again
    (("rollback", "2"), None),  # already rolled back
    (("rollback", "1"), BUSY),
    (("query", "nps"), BUSY),
    (("compare", "nps", "--by", "region"), BUSY),
    (("trajectory", "nps"), BUSY),
    (("summary",), BUSY),
    (("alerts",), BUSY),
    (("themes",), {"CX_THEMES": "themes.toml"}),
    (("handoffs",), BUSY),
    (("rejected", "1"), BUSY),
    (("imports",), BUSY),
    (("purge",), {"CX_RETENTION_MONTHS": "0"}),
    (("report", "--out", "pack.html"), BUSY),
    (("query", "nps"), {"CX_PRIVACY_MIN_AGENTS": "0"}),
]


@pytest.mark.parametrize(("args", "env"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_a_refused_input_exits_1(db, args, env):
    if env and "CX_THEMES" in env:
        env = {"CX_THEMES": str(db.parent / env["CX_THEMES"])}
    got = _run(db, args, env)
    assert got.exit_code == 1, got.output
    assert got.output.startswith("Error: ")
