"""The metric SQL for each engine's dialect, as files reviewed like code: a change in generated SQL shows.

One file per dialect, metric and grain under tests/snapshots/sql/<dialect>/. Regenerate after an
intended change with: CX_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_sql_dialects.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from metrics.semantic.definitions import METRICS, Settings
from metrics.semantic.dialects import DIALECTS, bind_declaration, bind_literals, render, settings_read
from metrics.semantic.query import metric_sql

SNAPSHOTS = Path(__file__).parent / "snapshots" / "sql"
UPDATE = os.environ.get("CX_UPDATE_SNAPSHOTS") == "1"
GRAINS = ("month", "quarter", "ytd")
# fixed values, so the snapshot does not depend on the environment's settings
SETTINGS = Settings(privacy_min_agents=5, sla_days=10.0)


def _sql(key: str, grain: str, dialect: str) -> str:
    frag = metric_sql(METRICS[key], grain, (), None, None, {}, SETTINGS)
    return render(frag.sql, frag.params, dialect, pretty=True) + "\n"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("grain", GRAINS)
@pytest.mark.parametrize("key", sorted(METRICS))
def test_generated_sql_matches_the_reviewed_snapshot(key, grain, dialect):
    path = SNAPSHOTS / dialect / f"{key}.{grain}.sql"
    got = _sql(key, grain, dialect)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got)
    assert path.exists(), f"no snapshot {path}: run with CX_UPDATE_SNAPSHOTS=1 once and review it"
    assert got == path.read_text()


def test_snapshots_have_no_engine_only_functions_for_spark_and_trino():
    for dialect in ("spark", "trino"):
        for path in sorted((SNAPSHOTS / dialect).glob("*.sql")):
            text = path.read_text().upper()
            for word in ("LIST_SORT", "GENERATE_SERIES", "MEDIAN(", "PERCENTILE"):
                assert word not in text, f"{path.name} ({dialect}) uses {word}"


def test_a_cast_and_a_setting_in_a_declaration_are_both_understood():
    declared = "CASE WHEN x::double <= :sla_days - :privacy_min_agents THEN 1 ELSE 0 END"
    frag = bind_declaration(declared, SETTINGS)
    assert frag.params == [10.0, 5]
    assert frag.sql == "CASE WHEN CAST(x AS DOUBLE) <= ? - ? THEN 1 ELSE 0 END"
    assert settings_read("score >= 9") == []


def test_values_are_bound_as_quoted_literals_in_order_and_a_question_mark_in_a_string_is_left_alone():
    sql = "SELECT '?' AS q FROM t WHERE region IN (?, ?) AND d >= ? AND n > ?"
    got = bind_literals(sql, ["Nord", "l'Est", dt.date(2026, 1, 1), 3])
    assert got == (
        "SELECT '?' AS q FROM t WHERE region IN ('Nord', 'l''Est') "
        "AND d >= CAST('2026-01-01' AS DATE) AND n > 3"
    )
    with pytest.raises(ValueError, match="2 parameters in the SQL, 1 values given"):
        bind_literals("SELECT ? + ?", [1])


def test_spark_gets_exact_doubles_where_it_would_read_decimals():
    got = render("SELECT x / 1440.0 AS d FROM t", [], "spark")
    assert got == "SELECT `x` / CAST(1440.0 AS DOUBLE) AS `d` FROM `t`"
