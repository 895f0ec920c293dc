"""The metric registry is checked when it loads: each broken declaration gets one sentence naming it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from metrics.semantic.checks import check_metrics
from metrics.semantic.definitions import ALL_METRICS, METRICS, Exposure, Headcount
from metrics.semantic.kinds import KINDS, StatKind

ROOT = Path(__file__).resolve().parent.parent


def test_the_declared_registry_has_no_problem():
    assert check_metrics(ALL_METRICS) == []


def test_a_typo_in_a_measure_names_the_metric_the_measure_and_the_column():
    typo = "CASE WHEN scroe >= 9 THEN 1 ELSE 0 END"
    broken = replace(METRICS["nps"], measures={**METRICS["nps"].measures, "promoters": typo})
    assert check_metrics([broken]) == [
        "nps: measure 'promoters' reads column 'scroe', which responses does not declare"
    ]


def test_a_missing_measure_a_missing_label_and_a_duplicate_key_are_each_reported():
    nps = METRICS["nps"]
    broken = replace(nps, label={"fr": "NPS"}, measures={"promoters": "1", "n": "1"})
    assert check_metrics([nps, broken]) == [
        "nps: declared twice",
        "nps: missing 'en' label",
        "nps: a nps needs the measure 'detractors'; declared: promoters, n",
    ]


def test_a_setting_and_a_string_literal_are_not_read_as_columns():
    sla = METRICS["resolved_within_sla_pct"]
    assert ":sla_days" in sla.measures["successes"]
    literal = replace(sla, where="channel = 'phone' AND closed_at IS NOT NULL")
    assert check_metrics([sla]) == []
    assert check_metrics([literal]) == []


def test_kind_requirements_exposure_headcount_and_backlog_columns():
    rate = replace(METRICS["complaints_per_1000_customers"], exposure=None)
    wrong = replace(
        METRICS["complaints_per_1000_customers"],
        key="r2",
        exposure=Exposure(dataset="customers", month="month", count="clients", dimension="region"),
    )
    backlog = replace(METRICS["open_backlog"], closed_column=None)
    workload = replace(METRICS["occupancy"], headcount=Headcount(agents="heads"))
    assert check_metrics([rate, wrong, backlog, workload]) == [
        "complaints_per_1000_customers: a rate needs an exposure (what it is divided by)",
        "r2: exposure column 'clients' is not a column of customers",
        "open_backlog: a backlog needs a closed_column (when a row stops being open)",
        "occupancy: headcount column 'heads' is not a column of workload",
    ]


def test_every_kind_has_a_record_and_no_module_outside_kinds_tests_a_kind():
    assert set(KINDS) == set(StatKind)
    tests = re.compile(r"(\bis\b|\bin\b|==|!=)\s*\(?\s*StatKind\.")
    found = [
        f"{path.relative_to(ROOT)}:{i}"
        for folder in ("metrics", "dashboard")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "kinds.py"
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if tests.search(line)
    ]
    assert found == []
