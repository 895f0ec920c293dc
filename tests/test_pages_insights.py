"""The Alerts and Verbatims pages on demo data: the tables show what metrics computes, as text."""

from __future__ import annotations

import html
import json

import pytest
from babel.numbers import format_decimal
from streamlit.testing.v1 import AppTest

from metrics import demo
from metrics.insights.alerts import alerts, watch
from metrics.insights.themes import load_themes
from metrics.insights.verbatims import comment_counts, examples, search, tagged, theme_table
from metrics.store import open_store
from tests.pages_demo import demo_db

ALERTS = "../dashboard/pages/alerts.py"
VERBATIMS = "../dashboard/pages/verbatims.py"
AS_OF = demo.default_as_of()


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def with_store(path, fn):
    store = open_store(path)
    try:
        return fn(store)
    finally:
        store.close()


def run(page, params=None):
    at = AppTest.from_file(page, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def fr(value, decimals=1):
    return format_decimal(round(value, decimals) + 0.0, format="#,##0." + "0" * decimals, locale="fr")


CHART_OPEN = {"alerts_chart_fr": "true"}  # a link with the chart's part open


def test_alerts_page_lists_each_region_alert_with_its_start_and_n(db):
    expected = with_store(db, lambda s: alerts(s, AS_OF))
    regions = expected[expected["dimension"] == "region"].reset_index(drop=True)
    at = run(ALERTS)
    assert not at.exception
    assert at.title[0].value == "Alertes : ce qui a changé, et depuis quand"
    if regions.empty:  # one limit for the whole family: on some dates the demo raises no region alert
        assert [i.value for i in at.info] == ["Aucune alerte sur cette période."]
        assert not at.dataframe
        return
    table = at.dataframe[0].value
    assert len(table) == len(regions)
    assert list(table["Périmètre"]) == list(regions["group"])
    assert list(table["n"]) == [format_decimal(n, locale="fr") for n in regions["n"]]
    first = regions.iloc[0]
    assert table["Valeur"].iloc[0].startswith(fr(first["value"]))
    assert set(table["Sens"]) <= {
        "▲ hausse (mieux)",
        "▲ hausse (moins bien)",
        "▼ baisse (mieux)",
        "▼ baisse (moins bien)",
    }
    assert len(at.get("plotly_chart")) == 0  # the list answers; the chart is drawn once asked
    assert [e.label for e in at.expander] == ["Voir le graphique"]
    # one control chart, the newest alert's: thirteen at once made the page slow to draw
    charts = run(ALERTS, CHART_OPEN).get("plotly_chart")
    assert len(charts) == 1
    title = json.loads(charts[0].proto.spec)["layout"]["title"]["text"]
    assert title.endswith(" · " + html.escape(regions.loc[0, "group"]))


def test_alerts_page_charts_any_alert_chosen_in_the_list(db):
    expected = with_store(db, lambda s: alerts(s, AS_OF))
    regions = expected[expected["dimension"] == "region"].reset_index(drop=True)
    # with one limit for the whole family the demo raises few alerts: the last one is chosen in the list
    at = run(ALERTS, CHART_OPEN)
    if regions.empty:  # on some dates none: nothing to choose, nothing drawn
        assert not at.get("plotly_chart")
        assert not [b for b in at.selectbox if b.key == "alert_pick_region_fr"]
        return
    last = len(regions) - 1
    at.selectbox(key="alert_pick_region_fr").set_value(last).run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    title = json.loads(charts[0].proto.spec)["layout"]["title"]["text"]
    assert title.endswith(" · " + html.escape(regions.loc[last, "group"]))


def test_alerts_page_by_site(db):
    expected = with_store(db, lambda s: alerts(s, AS_OF))
    sites = expected[expected["dimension"] == "site"]
    at = run(ALERTS)
    at.radio(key="alerts_dim").set_value("site").run()
    assert not at.exception
    if sites.empty:  # on some dates the demo raises none
        assert [i.value for i in at.info] == ["Aucune alerte sur cette période."]
        return
    table = at.dataframe[0].value
    assert sorted(table["Périmètre"]) == sorted(sites["group"])


def test_alerts_page_in_english(db):
    at = run(ALERTS, {"lang": "en"})
    assert not at.exception
    assert at.title[0].value == "Alerts: what changed, and since when"
    expected = with_store(db, lambda s: alerts(s, AS_OF))
    if expected[expected["dimension"] == "region"].empty:  # on some dates the demo raises none
        assert [i.value for i in at.info] == ["No alert over this period."]
        return
    table = at.dataframe[0].value
    assert {"Metric", "Scope", "Chart", "Direction", "Rule", "Since", "n"} <= set(table.columns)
    assert set(table["Rule"]) <= {
        "point beyond the limits",
        "moving mean beyond the limits",
        "point beyond the limits + moving mean beyond the limits",
    }
    assert set(table["Chart"]) <= {"weekly", "monthly"}


def test_alerts_page_says_how_many_groups_were_charted_and_why_the_others_were_not(db):
    found = with_store(db, lambda s: watch(s, AS_OF))
    groups = found.groups[found.groups["dimension"] == "site"]
    weekly, monthly = (int((groups["grain"] == g).sum()) for g in ("week", "month"))
    small = len(groups) - weekly - monthly
    assert small > 0  # the demo's sites: some too small to chart, some thin enough for months
    assert monthly > 0
    at = run(ALERTS)
    at.radio(key="alerts_dim").set_value("site").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert (
        f"{weekly + monthly} groupes suivis ({weekly} à la semaine, {monthly} au mois), "
        f"{small} trop petits (moins de 100 réponses sur leurs 6 premiers mois)."
    ) in captions
    assert any(c.startswith("Limites à ±") for c in captions)


def test_verbatims_page_ranks_themes_by_impact_as_metrics_computes_them(db):
    themes = load_themes()
    frame = with_store(db, lambda s: tagged(comment_counts(s, AS_OF.replace(month=1, day=1), AS_OF), themes))
    expected = theme_table(frame, themes, "fr")
    at = run(VERBATIMS)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Thème"]) == list(expected["label"])
    assert list(table["Réponses"]) == [format_decimal(n, locale="fr") for n in expected["mentions"]]
    assert list(table["Impact (points)"]) == [fr(v, 2) for v in expected["impact"]]
    gaps = table["Écart"]
    for gap, sig in zip(gaps, expected["significant"], strict=True):
        assert (gap == "≈ dans le bruit") == (not sig)
    # the examples of the top theme, as text cells
    quotes = examples(frame, expected["theme"].iloc[0])
    shown = next(d.value for d in at.dataframe if list(d.value.columns) == ["Commentaire"])
    assert list(shown.iloc[:, 0]) == quotes


def test_verbatims_search_box_finds_answers_and_hides_small_groups(db):
    themes = load_themes()
    frame = with_store(db, lambda s: tagged(comment_counts(s, AS_OF.replace(month=1, day=1), AS_OF), themes))
    count, hits = search(frame, "facture")
    assert count >= 10
    at = run(VERBATIMS)
    at.text_input(key="verbatims_q").set_value("facture").run()
    assert not at.exception
    assert at.text[0].value == f"{format_decimal(count, locale='fr')} réponses contiennent ces mots."
    table = next(d.value for d in at.dataframe if {"Commentaire", "n"} <= set(d.value.columns))
    assert list(table["Commentaire"]) == list(hits["comment"])
    at.text_input(key="verbatims_q").set_value("zzzz introuvable").run()
    assert at.text[0].value == "0 réponse contient ces mots."  # French counts 0 in the singular


def test_app_navigates_to_the_two_insight_pages(db):
    at = AppTest.from_file("../streamlit_app.py", default_timeout=120).run()
    at.switch_page("dashboard/pages/verbatims.py").run()
    assert not at.exception
    assert at.title[0].value == "Ce que disent les verbatims"


def test_verbatims_page_shows_the_cost_of_hand_offs_with_n(db):
    from metrics.insights.handoffs import handoffs

    expected = with_store(db, lambda s: handoffs(s, AS_OF.replace(month=1, day=1), AS_OF))
    at = run(VERBATIMS)
    assert not at.exception
    table = at.dataframe[-1].value
    assert table["Mesure"].iloc[0] == "Réclamations à plusieurs contacts"
    assert list(table["n"]) == [format_decimal(n, locale="fr") for n in expected["n"]]
    share = expected.iloc[0]["value"]
    assert table["Valeur"].iloc[0] == f"{fr(share)}\xa0%"  # babel's no-break space before %
    # the gap sits on the "several" rows only, and only in words when not significant
    gaps = [g for g in table["Écart (plusieurs − un)"] if g]
    assert len(gaps) == 2  # mean resolution time and NPS


def test_verbatims_page_in_english(db):
    at = run(VERBATIMS, {"lang": "en"})
    assert not at.exception
    assert at.title[0].value == "What the comments say"
    themes = at.dataframe[0].value
    assert {
        "Theme",
        "Share of comments",
        "Answers",
        "NPS with",
        "NPS without",
        "Gap",
        "Impact (points)",
    } <= set(themes.columns)
    assert "Waiting time" in set(themes["Theme"])
    assert set(at.dataframe[-1].value["Measure"]) <= {
        "Complaints with several contacts", "Median resolution time", "Mean resolution time",
        "NPS of the same customers",
    }  # fmt: skip


def test_verbatims_page_shows_impact_intervals_and_that_impacts_add_up(db):
    themes = load_themes()
    frame = with_store(db, lambda s: tagged(comment_counts(s, AS_OF.replace(month=1, day=1), AS_OF), themes))
    expected = theme_table(frame, themes, "fr")
    # points available: 100 x the detractors who left a comment / every scored answer of the scope
    available = 100 * frame.loc[frame["comment"].notna(), "detractors"].sum() / frame["n"].sum()
    assert expected["impact"].sum() <= available + 1e-9
    assert (expected["mentions"] >= 10).all()  # themes under the floor are hidden
    at = run(VERBATIMS)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Impact, intervalle à 95 %"]) == [
        f"[{fr(lo, 2)} ; {fr(hi, 2)}]"
        for lo, hi in zip(expected["impact_low"], expected["impact_high"], strict=True)
    ]
    shown = fr(expected["impact"].sum(), 2)
    budget = f"Les impacts affichés totalisent {shown} points sur les {fr(available, 2)}"
    assert any(c.value.startswith(budget) for c in at.caption)


def test_verbatims_page_words_hand_offs_as_an_association_with_open_complaints_counted(db):
    from metrics.insights.handoffs import handoffs

    expected = with_store(db, lambda s: handoffs(s, AS_OF.replace(month=1, day=1), AS_OF))
    at = run(VERBATIMS)
    assert not at.exception
    assert any("associés à plusieurs contacts, observés et non provoqués" in c.value for c in at.caption)
    table = at.dataframe[-1].value
    medians = expected["measure"] == "resolution_days_median"
    assert list(table.loc[medians.to_numpy(), "Encore ouvertes"]) == [
        format_decimal(k, locale="fr") for k in expected.loc[medians, "open"]
    ]
    bounds = expected.loc[medians, ["low", "high"]].itertuples(index=False)
    shown = table.loc[medians.to_numpy(), "Intervalle à 95 %"]
    assert list(shown) == [f"[{fr(lo)} ; {fr(hi)}]" for lo, hi in bounds]
