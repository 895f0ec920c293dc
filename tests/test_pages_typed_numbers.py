"""Numbers typed on the pages, on demo data: "50,5" is fifty and a half in French, never 505.

The what-if box (Trajectory) and the workload threshold (Workload) are text read in the reader's
language and kept to the metric's range; every expected figure is worked out from the raw rows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from babel.numbers import format_decimal
from streamlit.testing.v1 import AppTest

from dashboard.plain import literal
from metrics import demo
from tests import by_hand
from tests.pages_demo import demo_db

AS_OF = demo.default_as_of()  # demo data end on the last day of the previous month
START = dt.date(AS_OF.year, 1, 1)
DONE = AS_OF.month  # complete months of the year
THRESHOLD = 45.5


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def run(page, params=None):
    at = AppTest.from_file(f"../dashboard/pages/{page}.py", default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def year_so_far(path, sql):
    """Per month of the year: (n, numerator) from `sql`, which selects month, n and numerator."""
    rows = by_hand.rows(path, sql, [START, AS_OF + dt.timedelta(days=1)])
    return {month: (n, num) for month, n, num in rows}


def nps_year_so_far(path):
    """Scored answers and promoters minus detractors, per month, counted from the scores."""
    return year_so_far(
        path,
        "SELECT month(responded_at), count(score), "
        "count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6) FROM ds_responses "
        "WHERE score IS NOT NULL AND responded_at >= ? AND responded_at < ? GROUP BY 1",
    )


def year_end(per_month, rest_value):
    """(value_ytd x n_ytd + rest_value x n_rest) / (n_ytd + n_rest), in points: the months to come
    bring the mean volume of the last three months each (the required run-rate's basis)."""
    n_ytd = sum(n for n, _ in per_month.values())
    points_ytd = 100 * sum(num for _, num in per_month.values())  # value_ytd x n_ytd
    n_rest = (12 - DONE) * sum(per_month[m][0] for m in range(DONE - 2, DONE + 1)) / 3
    return (points_ytd + rest_value * n_rest) / (n_ytd + n_rest), n_ytd, points_ytd / n_ytd, n_rest


def months_phrase(lang):
    left = 12 - DONE
    if lang == "fr":
        return "le mois restant fait" if left == 1 else f"les {left} mois restants font"
    return "the month to come averages" if left == 1 else f"the {left} months to come average"


@pytest.mark.parametrize(("lang", "typed", "sentence"), [
    ("fr", "50,5", "**Si {months} 50,5, l'année finit à {end} (objectif 40).**"),
    ("en", "50.5", "**If {months} 50.5, the year ends at {end} (target 40).**"),
])  # fmt: skip
def test_what_if_reads_fifty_and_a_half_the_readers_way(db, monkeypatch, lang, typed, sentence):
    import streamlit as st

    # AppTest labels the sidebar's choices again in the test's own thread, which has no URL: its language
    monkeypatch.setitem(st.session_state, "lang", lang)
    at = run("trajectory", {"lang": lang})
    if DONE == 12:  # the clock is pinned in January: the year is over, no what-if
        return
    at.text_input(key=f"whatif_nps_{lang}").input(typed).run()
    # e.g. 33,1 on 42 790 answers and 3 x 4 762 to come: (33,1 x 42 790 + 50,5 x 14 286) / 57 076 = 37,4
    end, *_ = year_end(nps_year_so_far(db), 50.5)
    expected = sentence.format(months=months_phrase(lang), end=format_decimal(end, "#,##0.0", locale=lang))
    assert expected in [md.value for md in at.markdown]
    # 505 would have ended the year near 151: never
    assert not [md.value for md in at.markdown if "151" in md.value]


@pytest.mark.parametrize(("typed", "message"), [
    ("cinquante", "« cinquante » n'est pas un nombre : tapez par exemple 62,8"),
    ("1e3", "« 1e3 » n'est pas un nombre : tapez par exemple 62,8"),
    ("150", "NPS ne peut pas valoir 150,0 ; valeurs possibles : de -100 à 100"),
    ("-100,5", "NPS ne peut pas valoir -100,5 ; valeurs possibles : de -100 à 100"),
])  # fmt: skip
def test_what_if_refuses_garbage_and_impossible_values_with_a_sentence(db, typed, message):
    at = run("trajectory")
    if DONE == 12:
        return
    at.text_input(key="whatif_nps_fr").input(typed).run()
    assert [e.value for e in at.error] == [literal(message)]
    assert not [md.value for md in at.markdown if md.value.startswith("**Si ")]  # no year-end from it


def test_what_if_for_first_time_fix_starts_at_most_at_100_percent(db):
    at = run("trajectory", {"chart": "first_time_fix_rate"})
    if DONE == 12:
        return
    per_month = year_so_far(
        db,
        "SELECT month(completed_at), count(first_time_fix), count(*) FILTER (WHERE first_time_fix) "
        "FROM ds_interventions WHERE completed_at >= ? AND completed_at < ? GROUP BY 1",
    )
    target = by_hand.rows(
        db,
        "SELECT target FROM ds_targets WHERE metric = 'first_time_fix_rate' AND region IS NULL AND year = ?",
        [AS_OF.year],
    )[0][0]
    _, n_ytd, value, n_rest = year_end(per_month, 0.0)
    # required = (target x (n_ytd + n_rest) - value x n_ytd) / n_rest, e.g. (85 x 17 114 - 79,2 x 12 836) /
    # 4 278 = 102,4 %: beyond 100 %, so the box starts at the best a month can do, 100
    required = (target * (n_ytd + n_rest) - value * n_ytd) / n_rest
    shown = format_decimal(min(required, 100.0), "0.#", locale="fr")
    assert at.text_input(key="whatif_first_time_fix_rate_fr").value == shown


def test_workload_threshold_45_comma_5_marks_the_teams_above_forty_five_and_a_half(db):
    at = run("workload", {"metric": "contacts_per_agent_day"})
    at.text_input(key="wl_threshold_contacts_per_agent_day_fr").input("45,5").run()
    # contacts / agent-days per site, team and month over the three latest months, from the rows; the
    # small team's site shows its teams merged: every team of it, alone or merged, is far below 45,5
    rows = by_hand.rows(
        db,
        "WITH last AS (SELECT DISTINCT date_trunc('month', date) AS m FROM ds_workload ORDER BY m DESC "
        "LIMIT 3) SELECT site, team, sum(coalesce(contacts_handled, 0)) / sum(agents) FROM ds_workload "
        "WHERE date_trunc('month', date) IN (SELECT m FROM last) "
        "GROUP BY date_trunc('month', date), site, team",
    )
    small_site = demo.DEMO_STORIES.small_team_site
    assert max(v for site, _, v in rows if site == small_site) < THRESHOLD
    above = sum(v > THRESHOLD for site, _, v in rows if site != small_site)
    assert above > 0  # read as 455, nothing would be above
    assert f"Au-dessus du seuil 45,5 : {above} lignes." in [c.value for c in at.caption]
    assert list(at.dataframe[1].value["Seuil"]).count("⚠ au-dessus") == above


def test_workload_threshold_refuses_a_negative_count(db):
    at = run("workload", {"metric": "contacts_per_agent_day"})
    at.text_input(key="wl_threshold_contacts_per_agent_day_fr").input("-3").run()
    assert [e.value for e in at.error] == [
        literal("Contacts par conseiller et par jour ne peut pas valoir -3,0 ; valeurs possibles : 0 ou plus")
    ]
    assert "⚠ au-dessus" not in list(at.dataframe[1].value["Seuil"])
