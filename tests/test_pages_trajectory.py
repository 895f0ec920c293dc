"""The Trajectory page on demo data: values checked against metric_frame, filters, language."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.numbers import format_decimal
from streamlit.testing.v1 import AppTest

from metrics import demo
from metrics.query import metric_frame
from metrics.store import open_store
from tests.pages_demo import demo_db

PAGE = "../dashboard/pages/trajectory.py"
AS_OF = demo.default_as_of()  # demo data ends on the last day of the previous month
START = dt.date(AS_OF.year, 1, 1)


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def ytd_nps(path, where=None):
    store = open_store(path)
    try:
        return metric_frame(store, "nps", grain="ytd", start=START, end=AS_OF, where=where).iloc[-1]
    finally:
        store.close()


def run(params=None):
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def test_nps_card_shows_the_ytd_value_and_n_in_french(db):
    expected = ytd_nps(db)
    at = run()
    assert not at.exception
    assert card(at, "NPS").value == format_decimal(expected["value"], format="#,##0.0", locale="fr")
    n_text = format_decimal(expected["n"], locale="fr")  # 2 271 with a narrow no-break space
    assert any(c.value.startswith(f"n = {n_text} ·") for c in at.caption)
    assert at.title[0].value == "Trajectoire vers les objectifs"


def scored_answers_per_month(path):
    """Scored answers per month of the year, counted straight from the rows."""
    store = open_store(path)
    try:
        with store.cursor() as cur:
            rows = cur.execute(
                "SELECT month(responded_at), count(score) FROM ds_responses "
                "WHERE responded_at >= ? AND responded_at < ? GROUP BY 1 ORDER BY 1",
                [START, AS_OF + dt.timedelta(days=1)],
            ).fetchall()
    finally:
        store.close()
    return dict(rows)


def test_required_run_rate_sentence_matches_the_hand_computation(db):
    # the months to come bring the volume of the last three months each:
    # T (n_ytd + rest) = v n_ytd + required rest, rest = (12 - done) x mean(last three months)
    v = ytd_nps(db)["value"]
    done = AS_OF.month
    target = demo.DEMO_STORIES.nps_target
    per_month = scored_answers_per_month(db)
    n_ytd = sum(per_month.values())
    rest = (12 - done) * sum(per_month[m] for m in range(done - 2, done + 1)) / 3
    sentence = next(md.value for md in run().markdown if "mois restants" in md.value or "hors" in md.value)
    if done < 12:
        required = (target * (n_ytd + rest) - v * n_ytd) / rest
        assert f"Objectif 40 : les {12 - done} mois restants doivent faire en moyenne" in sentence
        assert format_decimal(required, format="#,##0.0", locale="fr") in sentence


def test_region_in_the_url_changes_the_cards(db):
    company = run()
    bretagne = ytd_nps(db, {"region": ["Bretagne"]})
    at = run({"region": "Bretagne"})
    assert card(at, "NPS").value == format_decimal(bretagne["value"], format="#,##0.0", locale="fr")
    assert card(at, "NPS").value != card(company, "NPS").value
    assert at.multiselect(key="f_region").value == ["Bretagne"]


def test_choosing_a_region_writes_it_to_the_url(db):
    at = run()
    at.multiselect(key="f_region").set_value(["Bretagne"]).run()
    assert at.query_params["region"] == "Bretagne"
    assert at.query_params["year"] == str(AS_OF.year)
    assert at.query_params["as_of"] == AS_OF.strftime("%Y-%m")


def test_english_switch_shows_english_labels_and_numbers(db):
    expected = ytd_nps(db)
    at = run({"lang": "en"})
    assert at.title[0].value == "Trajectory towards the targets"
    assert card(at, "NPS").value == format_decimal(expected["value"], format="#,##0.0", locale="en")
    assert any(m.label == "First-time fix rate" for m in at.metric)
    assert not any("Objectif" in md.value for md in at.markdown)


def test_switching_language_in_the_sidebar_keeps_it_in_the_url(db):
    at = run()
    at.selectbox(key="lang_choice").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == "Trajectory towards the targets"


def test_empty_database_gets_demo_data_with_a_banner_and_the_button_removes_it(tmp_path, monkeypatch):
    db = tmp_path / "empty.duckdb"
    monkeypatch.setenv("CX_DB", str(db))
    at = run()
    assert not at.exception
    assert any(w.value.startswith("Données de démonstration") for w in at.warning)
    assert card(at, "NPS").value  # the demo figures are on screen
    at.button(key="demo_remove").click().run()
    assert not any(w.value.startswith("Données de démonstration") for w in at.warning)
    store = open_store(db)
    try:
        assert store.is_empty()
    finally:
        store.close()
    assert any("La base est vide" in i.value for i in run().info)  # removed demo data never comes back
