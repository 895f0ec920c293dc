"""Alerts from weekly control charts: a known fall is dated, steady regions stay (almost) quiet."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from metrics.ingest.importing import import_file
from metrics.insights.alerts import alerts, control_chart, episodes, window
from metrics.semantic.definitions import StatKind

FIRST_MONDAY = dt.date(2025, 12, 29)
FALL = dt.date(2026, 6, 1)  # a Monday
END = dt.date(2026, 12, 31)
STEADY = (0.5, 0.2)  # promoters 50 %, detractors 20 %: NPS 30
FALLEN = (0.35, 0.35)  # NPS 0
SCORES = {0: (9, 10), 1: (0, 3, 5, 6), 2: (7, 8)}  # promoter, detractor, passive


def write_answers(path, regions, falling, weeks=52, per_week=150, seed=3):
    rng = np.random.default_rng(seed)
    lines = ["n° réponse;date de réponse;région;site;note"]
    i = 0
    for region in regions:
        for w in range(weeks):
            monday = FIRST_MONDAY + dt.timedelta(weeks=w)
            prom, det = FALLEN if region == falling and monday >= FALL else STEADY
            cats = rng.choice(3, size=per_week, p=[prom, det, 1 - prom - det])
            for c in cats:
                i += 1
                day = monday + dt.timedelta(days=int(rng.integers(0, 7)))
                score = int(rng.choice(SCORES[int(c)]))
                lines.append(f"R{i};{day:%d/%m/%Y} 10:00;{region};{region[:3].upper()}-1;{score}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_window_is_whole_weeks_ending_on_the_last_sunday():
    # 31/12/2026 is a Thursday: the last whole week ends on Sunday 27/12; 52 weeks start Monday 29/12/2025
    assert window(END) == (dt.date(2025, 12, 29), dt.date(2026, 12, 27))


def test_falling_region_is_flagged_from_the_week_it_fell_and_steady_regions_stay_quiet(store, tmp_path):
    regions = ("Bretagne", "Centre", "Est", "Nord", "Ouest", "Sud")
    src = tmp_path / "reponses.csv"
    write_answers(src, regions, falling="Sud")
    import_file(store, "responses", src)
    got = alerts(store, END, keys=("nps",))
    by_region = got[got["dimension"] == "region"]
    falls = by_region[(by_region["group"] == "Sud") & (by_region["direction"] == "down")]
    assert len(falls) >= 1
    started = falls["started"].min()
    assert abs((started - FALL).days) <= 14
    first = falls.sort_values("started").iloc[0]
    assert first["better"] is False or not first["better"]
    assert first["unit"] == "points"
    assert first["n"] >= 150
    # steady series: 52 weeks x 0.0027 (3 sigma) + ~23 run starts x 2^-7 (run of 8) = 0.32 false
    # alerts each with known limits; 5 steady regions -> 1.6 expected; more than 4 would be unusual
    steady = by_region[by_region["group"] != "Sud"]
    assert len(steady) <= 4
    # the site chart of the same answers sees the same fall
    site = got[(got["dimension"] == "site") & (got["group"] == "SUD-1") & (got["direction"] == "down")]
    assert abs((site["started"].min() - FALL).days) <= 14


def steady_weeks(rng, weeks=52, n=150):
    c = rng.multinomial(n, [0.5, 0.2, 0.3], size=weeks)
    frame = pd.DataFrame(
        {
            "period": [FIRST_MONDAY + dt.timedelta(weeks=w) for w in range(weeks)],
            "promoters": c[:, 0],
            "detractors": c[:, 1],
            "n": n,
        }
    )
    frame["value"] = 100 * (frame["promoters"] - frame["detractors"]) / frame["n"]
    return frame


def test_false_alert_rate_on_steady_series_is_what_the_rules_imply():
    # known limits: 52 x 0.0027 = 0.14 (rule 1) + 23 x 2^-7 = 0.18 (rule 2) = 0.32 per series;
    # the centre estimated from 13 weeks x 150 answers is off by sd sqrt(6100 / 1950) = 1.77 points,
    # 0.28 of a week's sigma (sqrt(6100 / 150) = 6.38), which lengthens runs on one side: allow 0.5
    rng = np.random.default_rng(11)
    counts = [len(episodes(control_chart(steady_weeks(rng), StatKind.NPS))) for _ in range(400)]
    assert np.mean(counts) <= 0.5


def test_chart_limits_follow_each_week_n_for_a_p_chart():
    # baseline: 13 weeks of 90 successes in 100 -> centre 90 %; sigma for n = 100:
    # 100 sqrt(0.9 x 0.1 / 100) = 3.0; for n = 400: 1.5
    frame = pd.DataFrame(
        {
            "period": [FIRST_MONDAY + dt.timedelta(weeks=w) for w in range(15)],
            "successes": [90] * 13 + [80, 360],
            "n": [100] * 13 + [100, 400],
        }
    )
    frame["value"] = 100 * frame["successes"] / frame["n"]
    chart = control_chart(frame, StatKind.PROPORTION)
    assert chart["center"].iloc[0] == pytest.approx(90.0)
    assert chart["sigma"].iloc[0] == pytest.approx(3.0)
    assert chart["sigma"].iloc[14] == pytest.approx(1.5)
    # week 14: 80 % is 10 points under = 3.33 sigma -> beyond; week 15: 360/400 = 90 % on the line
    assert list(chart["beyond"]) == [False] * 13 + [True, False]
    found = episodes(chart)
    assert found == [
        {
            "direction": "down",
            "rule": "3_sigma",
            "started": FIRST_MONDAY + dt.timedelta(weeks=13),
            "detected": FIRST_MONDAY + dt.timedelta(weeks=13),
            "weeks": 1,
            "value": 80.0,
            "center": 90.0,
            "n": 100,
        }
    ]


def test_a_run_of_8_is_dated_by_its_first_week_not_the_week_it_was_detected():
    # centre 30 from 13 weeks at 30; then 9 weeks at 27 (under, inside the limits: sigma 6.25)
    values = [30.0] * 13 + [27.0] * 9
    frame = pd.DataFrame(
        {
            "period": [FIRST_MONDAY + dt.timedelta(weeks=w) for w in range(22)],
            # 30 = (50 - 20) on 100; 27 = (47 - 20) on 100
            "promoters": [50] * 13 + [47] * 9,
            "detractors": [20] * 22,
            "n": [100] * 22,
            "value": values,
        }
    )
    found = episodes(control_chart(frame, StatKind.NPS))
    assert len(found) == 1
    assert found[0]["rule"] == "run_of_8"
    assert found[0]["started"] == FIRST_MONDAY + dt.timedelta(weeks=13)
    assert found[0]["detected"] == FIRST_MONDAY + dt.timedelta(weeks=20)  # the 8th week under
    assert found[0]["weeks"] == 9


def test_weeks_under_ten_answers_are_left_off_the_chart():
    frame = pd.DataFrame(
        {
            "period": [FIRST_MONDAY + dt.timedelta(weeks=w) for w in range(3)],
            "promoters": [50, 0, 50],
            "detractors": [20, 5, 20],
            "n": [100, 5, 100],
            "value": [30.0, -100.0, 30.0],
        }
    )
    chart = control_chart(frame, StatKind.NPS)
    assert len(chart) == 2
    assert episodes(chart) == []


def test_a_group_without_a_baseline_of_100_answers_gets_no_chart():
    # 13 weeks of 20 answers = 260 in the baseline would do; 13 weeks of 5 are left off (under 10 a week)
    frame = pd.DataFrame(
        {
            "period": [FIRST_MONDAY + dt.timedelta(weeks=w) for w in range(14)],
            "promoters": [2] * 13 + [0],
            "detractors": [1] * 13 + [20],
            "n": [5] * 13 + [20],
            "value": [20.0] * 13 + [-100.0],
        }
    )
    chart = control_chart(frame, StatKind.NPS)
    assert chart.empty
    assert {"center", "ucl", "beyond", "in_run"} <= set(chart.columns)
    assert episodes(chart) == []
