"""One clock: every business date comes from metrics.clock (CX_TODAY); nothing else reads the wall clock."""

from __future__ import annotations

import ast
import datetime as dt
import os
from pathlib import Path

import pytest

from metrics import clock
from metrics.errors import BadSetting

ROOT = Path(__file__).resolve().parent.parent
# the wall-clock calls the guard looks for: today, now, utcnow on date, datetime and Timestamp
WALL_CLOCK = {"today", "now", "utcnow"}
OWNERS = {"date", "datetime", "Timestamp"}


def wall_clock_calls(path: Path, root: Path = ROOT) -> list[str]:
    """`file:line` of every call that reads the calendar directly."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if node.func.attr in WALL_CLOCK and name in OWNERS:
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def python_files() -> list[Path]:
    files = [ROOT / "streamlit_app.py"]
    for folder in ("metrics", "dashboard", "tests", "benchmarks"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def test_no_module_but_the_clock_reads_the_wall_clock():
    allowed = {ROOT / "metrics" / "clock.py", Path(__file__).resolve()}
    offenders = [hit for f in python_files() if f not in allowed for hit in wall_clock_calls(f)]
    assert offenders == []


def test_the_guard_finds_a_wall_clock_call(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "import datetime as dt\nimport pandas as pd\n"
        "a = dt.date.today()\nb = dt.datetime.now()\nc = pd.Timestamp.now()\nd = clock.today()\n"  # clock-ok
    )
    assert [hit.split(":")[1] for hit in wall_clock_calls(source, tmp_path)] == ["3", "4", "5"]


def test_the_suite_runs_on_a_pinned_date():
    # conftest pins CX_TODAY unless the caller set it (CI's second pass sets other dates)
    assert clock.today().isoformat() == os.environ["CX_TODAY"]


def test_cx_today_moves_today_and_now(monkeypatch):
    monkeypatch.setenv("CX_TODAY", "2024-02-29")
    assert clock.today() == dt.date(2024, 2, 29)
    assert clock.now().date() == dt.date(2024, 2, 29)


@pytest.mark.parametrize("raw", ["30/09/2026", "2026-02-30", "demain"])
def test_a_bad_cx_today_names_the_setting_and_the_expected_form(monkeypatch, raw):
    monkeypatch.setenv("CX_TODAY", raw)
    with pytest.raises(BadSetting, match=r"CX_TODAY.*YYYY-MM-DD"):
        clock.today()


def test_the_demo_ends_on_the_month_before_the_pinned_day(monkeypatch):
    from metrics import demo

    monkeypatch.setenv("CX_TODAY", "2027-01-15")
    assert demo.default_as_of() == dt.date(2026, 12, 31)
    monkeypatch.setenv("CX_TODAY", "2024-03-01")
    assert demo.default_as_of() == dt.date(2024, 2, 29)
