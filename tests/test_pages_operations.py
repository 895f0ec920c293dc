"""The Operations page on demo data: first-time fix YTD and complaints in Pareto order, worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components.operations import pareto
from metrics.reports.trajectory import default_as_of
from metrics.store import open_store
from tests import by_hand
from tests.pages_demo import demo_db

PAGE = "../dashboard/pages/operations.py"


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def year_so_far(path):
    """The page's default period: 1 January to the as-of date, and the day after it (excluded)."""
    store = open_store(path)
    try:
        as_of = default_as_of(store)
    finally:
        store.close()
    return dt.date(as_of.year, 1, 1), as_of + dt.timedelta(days=1)


def run(params=None):
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def test_pareto_sorts_largest_first_and_adds_up_to_100_percent():
    frame = pd.DataFrame(
        {
            "category": ["Accueil", "Facturation", "Dépannage", "Secret"],
            "value": [5.0, 10.0, 5.0, float("nan")],
            "suppressed": [False, False, False, True],
        }
    )
    got = pareto(frame, "category")
    # 10 + 5 + 5 = 20 (the suppressed group is left out); ties keep alphabetical order
    assert list(got["category"]) == ["Facturation", "Accueil", "Dépannage"]
    assert list(got["count"]) == [10, 5, 5]
    assert list(got["share_pct"]) == [50.0, 25.0, 25.0]  # 10/20, 5/20, 5/20
    assert list(got["cumulative_pct"]) == [50.0, 75.0, 100.0]


def test_first_time_fix_card_shows_the_ytd_value_n_and_wilson_margin(db):
    flags = [
        f for (f,) in by_hand.rows(
            db,
            "SELECT first_time_fix FROM ds_interventions "
            "WHERE first_time_fix IS NOT NULL AND completed_at >= ? AND completed_at < ?",
            list(year_so_far(db)),
        )
    ]
    value, half = by_hand.wilson(sum(flags), len(flags))
    at = run()
    assert not at.exception
    assert not at.error
    card = next(m for m in at.metric if m.label == "Résolution dès la 1re visite")
    # French: one decimal, decimal comma, a no-break space before "%" (babel's percent pattern)
    assert card.value == f"{value:.1f}".replace(".", ",") + "\xa0%"
    n = f"{len(flags):,}".replace(",", "\u202f")  # French thousands: narrow no-break space
    assert f"n = {n} · ± {half:.1f}".replace(".", ",") in [c.value for c in at.caption]


def test_pareto_lists_the_largest_category_first(db):
    counts = dict(
        by_hand.rows(
            db,
            "SELECT category, count(*) FROM ds_complaints WHERE opened_at >= ? AND opened_at < ? GROUP BY 1",
            list(year_so_far(db)),
        )
    )
    largest = max(counts, key=lambda c: (counts[c], c is not None))
    at = run()
    table = next(d.value for d in at.dataframe if "Part cumulée" in d.value.columns)
    assert table["Motif"].iloc[0] == largest
    # French thousands: a narrow no-break space (U+202F), e.g. "2 128"
    assert table["Réclamations"].iloc[0] == f"{counts[largest]:,}".replace(",", "\u202f")
    assert table["Part cumulée"].iloc[-1] == "100,0\xa0%"
    assert len(table) == len(counts)


def test_first_time_fix_splits_by_contractor(db):
    at = run()
    at.radio(key="ops_by").set_value("contractor").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["Mois", "Prestataire", "Valeur", "n", "Marge ±", "Intervalle 95 %"]


def test_english_switch_names_the_cards_in_english(db):
    at = run({"lang": "en"})
    assert not at.exception
    assert {"First-time fix rate", "Complaints", "Escalation rate"} <= {m.label for m in at.metric}
