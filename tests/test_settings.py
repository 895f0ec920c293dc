"""Every CX_* setting is declared once in metrics/settings.py, read only there, and documented from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from metrics import settings
from metrics.cli.main import cli
from metrics.errors import BadSetting

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_but_settings_reads_the_environment():
    # grep-style: os.environ / getenv anywhere else would be a setting nobody declared
    readers = []
    files = [*ROOT.joinpath("metrics").rglob("*.py"), *ROOT.joinpath("dashboard").rglob("*.py")]
    for path in [*files, ROOT / "streamlit_app.py"]:
        if path == ROOT / "metrics" / "settings.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\benviron\b|\bgetenv\b", line):
                readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert readers == []


def test_every_cx_name_in_the_code_is_declared():
    named = set()
    for path in [*ROOT.joinpath("metrics").rglob("*.py"), *ROOT.joinpath("dashboard").rglob("*.py")]:
        named |= set(re.findall(r"\bCX_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert named - set(settings.SETTINGS) == set()


def test_settings_doc_is_up_to_date_and_lists_every_setting():
    doc = ROOT / "docs" / "settings.md"
    assert doc.read_text(encoding="utf-8") == settings.reference(), "run: python -m metrics docs"
    for name in settings.SETTINGS:
        assert f"| `{name}` |" in doc.read_text(encoding="utf-8")


def test_settings_command_lists_current_values_and_defaults(monkeypatch):
    monkeypatch.setenv("CX_SLA_DAYS", "7")
    monkeypatch.delenv("CX_RETENTION_MONTHS", raising=False)
    got = CliRunner().invoke(cli, ["settings", "--format", "csv"])
    assert got.exit_code == 0, got.output
    lines = got.output.splitlines()
    assert lines[0] == "name,value,default,help"
    assert 'CX_SLA_DAYS,7,10.0,"The complaint-resolution target in days, used by the within-SLA metric."' in (
        lines
    )
    assert "CX_RETENTION_MONTHS,,24,How many months of verbatims and rejected rows `purge` keeps." in lines
    assert len(lines) == 1 + len(settings.SETTINGS)


def test_unset_or_blank_settings_give_their_defaults(monkeypatch):
    monkeypatch.delenv("CX_LOCK_WAIT_SECONDS", raising=False)
    monkeypatch.setenv("CX_SLA_DAYS", "  ")
    assert settings.number("CX_LOCK_WAIT_SECONDS") == 15.0
    assert settings.number("CX_SLA_DAYS") == 10.0
    assert settings.path("CX_SALT_FILE") is None


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        (
            "CX_SLA_DAYS",
            "0",
            'CX_SLA_DAYS is "0"; expected a number of days above 0 (e.g. 10); fix or unset it',
        ),
        (
            "CX_PRIVACY_MIN_AGENTS",
            "five",
            'CX_PRIVACY_MIN_AGENTS is "five"; expected a whole number of agents, at least 1 (e.g. 5); '
            "fix or unset it",
        ),
        (
            "CX_MEMORY_LIMIT",
            "lots",
            'CX_MEMORY_LIMIT is "lots"; expected a size such as 4GB or 512MB; fix or unset it',
        ),
        (
            "CX_LOCK_WAIT_SECONDS",
            "-1",
            'CX_LOCK_WAIT_SECONDS is "-1"; expected a number of seconds, 0 or more (e.g. 15); '
            "fix or unset it",
        ),
    ],
)
def test_a_bad_value_is_one_sentence_naming_the_variable_and_what_is_expected(
    monkeypatch, name, raw, message
):
    monkeypatch.setenv(name, raw)
    with pytest.raises(BadSetting, match=f"^{re.escape(message)}$"):
        settings.value(name)


def test_a_bad_setting_stops_the_cli_with_exit_1_and_no_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("CX_PRIVACY_MIN_AGENTS", "0")
    got = CliRunner().invoke(cli, ["--db", str(tmp_path / "cx.duckdb"), "query", "nps"])
    assert got.exit_code == 1
    assert got.output == (
        'Error: CX_PRIVACY_MIN_AGENTS is "0"; expected a whole number of agents, at least 1 (e.g. 5); '
        "fix or unset it\n"
    )


def test_sla_days_setting_reaches_the_metric_settings(monkeypatch):
    from metrics.semantic.definitions import Settings

    monkeypatch.setenv("CX_SLA_DAYS", "3.5")
    monkeypatch.setenv("CX_PRIVACY_MIN_AGENTS", "8")
    assert Settings.from_env() == Settings(privacy_min_agents=8, sla_days=3.5)
