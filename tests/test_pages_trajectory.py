"""The Trajectory page on demo data: values worked out by hand from the raw rows, filters, language."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from metrics import demo
from metrics.semantic.definitions import metric
from metrics.store import open_store
from tests import by_hand
from tests.pages_demo import demo_db

PAGE = "../dashboard/pages/trajectory.py"
AS_OF = demo.default_as_of()  # demo data ends on the last day of the previous month
START = dt.date(AS_OF.year, 1, 1)


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def ytd_nps(path, region=None):
    """The year-to-date NPS and n, from the scores themselves."""
    value, n = by_hand.nps(by_hand.scores(path, START, AS_OF, region=region)[None])
    return {"value": value, "n": n}


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
    answer = next(md.value for md in run().markdown if md.value.startswith("**NPS**"))
    if done == 12:  # the clock is pinned in January: the year is over, a result and no requirement
        assert "Année terminée : objectif 40" in answer
        return
    rest = (12 - done) * sum(per_month[m] for m in range(done - 2, done + 1)) / 3
    required = (target * (n_ytd + rest) - v * n_ytd) / rest
    if required > 100:  # beyond the best NPS: the best the year can end at, 100 for every answer to come
        best = (v * n_ytd + 100 * rest) / (n_ytd + rest)
        assert f"hors d'atteinte ; au mieux {format_decimal(best, format='#,##0.0', locale='fr')}" in answer
        return
    # French agrees with the count: "le mois restant doit", "les 3 mois restants doivent"
    months = "le mois restant doit" if done == 11 else f"les {12 - done} mois restants doivent"
    assert f"Objectif 40 : {months} faire en moyenne" in answer
    assert format_decimal(required, format="#,##0.0", locale="fr") in answer


def test_region_in_the_url_changes_the_cards(db):
    company = run()
    bretagne = ytd_nps(db, "Bretagne")
    at = run({"region": "Bretagne"})
    assert card(at, "NPS").value == format_decimal(bretagne["value"], format="#,##0.0", locale="fr")
    assert card(at, "NPS").value != card(company, "NPS").value
    assert at.multiselect(key="f_region_fr").value == ["Bretagne"]


def test_choosing_a_region_writes_it_to_the_url(db):
    at = run()
    at.multiselect(key="f_region_fr").set_value(["Bretagne"]).run()
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


def test_every_chart_metric_renders_its_breakdown_or_says_it_has_none(db):
    at = run({"traj_breakdowns_fr": "true"})
    box = at.selectbox(key="chart_metric_fr")
    labels = list(box.options)
    assert {"Résolution dès la 1re visite", "Réclamations pour 1 000 clients"} <= set(labels)
    for index, name in enumerate(labels):
        at.selectbox(key="chart_metric_fr").select_index(index).run()
        assert not at.exception, name
        if name in ("Résolution dès la 1re visite", "Réclamations pour 1 000 clients"):
            # interventions and complaints have no segment, channel or journey: no tabs, one sentence
            assert f"{name} ne se répartit ni par segment, ni par canal, ni par parcours." in [
                i.value for i in at.info
            ]
            assert not at.tabs
        if name == "NPS":
            assert [tab.label for tab in at.tabs] == ["Segment", "Canal", "Parcours"]


def monthly_first_time_fix(path):
    """First-time fix rate of each month of the year so far, in %, from the interventions themselves."""
    months = by_hand.grouped(
        by_hand.rows(
            path,
            "SELECT month(completed_at), first_time_fix FROM ds_interventions "
            "WHERE first_time_fix IS NOT NULL AND completed_at >= ? AND completed_at < ? ORDER BY 1",
            [START, AS_OF + dt.timedelta(days=1)],
        )
    )
    return [100 * sum(flags) / len(flags) for _, flags in sorted(months.items())]


def test_the_card_delta_is_the_last_months_own_change_in_points(db):
    *_, previous, last = monthly_first_time_fix(db)
    # e.g. October 79,6 % against September 81,2 % -> "-1,6 pts"; the YTD would hardly move
    change = round(last - previous, 1) + 0.0
    sign = "+" if change > 0 else ""
    month = format_date(AS_OF, "MMM", locale="fr")
    before = format_date(AS_OF.replace(day=1) - dt.timedelta(days=1), "MMM", locale="fr")
    at = run()
    got = card(at, "Résolution dès la 1re visite")
    shown = format_decimal(change, format="#,##0.0", locale="fr")
    expected = f"{sign}{shown} pts ({month} vs {before})"
    assert got.proto.delta == expected
    assert (got.proto.direction == Metric.MetricDirection.NONE) == (change == 0)  # an arrow for a real move


def test_a_change_that_rounds_to_zero_draws_no_arrow(db):
    import dataclasses

    import pandas as pd

    from dashboard.components.cards import _delta
    from metrics.reports.trajectory import trajectory

    store = open_store(db)
    try:
        tr = trajectory(store, metric("nps"), year=AS_OF.year, as_of=AS_OF, region=None)
    finally:
        store.close()
    months = [pd.Timestamp(2026, 9, 1), pd.Timestamp(2026, 10, 1)]
    flat = pd.DataFrame({"period": months, "value": [35.3, 35.32]})
    text, arrow = _delta(dataclasses.replace(tr, months=flat))
    assert text == "+0,0 (oct. vs sept.)"  # 35,32 - 35,3 = 0,02 -> +0,0 (signed figures keep their sign)
    assert arrow == "off"
    falling = flat.assign(value=[35.3, 32.5])
    assert _delta(dataclasses.replace(tr, months=falling)) == ("-2,8 (oct. vs sept.)", "auto")


def test_a_finished_year_says_met_or_missed_with_no_projection(db):
    import pandas as pd

    from dashboard.components import charts
    from metrics.reports.trajectory import trajectory

    at = run({"year": "2025", "as_of": "2025-12"})
    assert not at.exception
    statuses = [md.value for md in at.markdown if "Objectif" in md.value and "[" in md.value]
    # 2025 demo: NPS about 29,5 against 32, first-time fix about 79,6 % against 85 %: both missed
    assert statuses.count(":red[**✖ Objectif manqué**]") >= 2
    assert not [md for md in at.markdown if "surveiller" in md.value or "Projection" in md.value]
    # the gap counted from the interventions themselves: fixed first time / with an outcome, minus 85
    fixed, n = by_hand.rows(
        db,
        "SELECT count(*) FILTER (WHERE first_time_fix), count(first_time_fix) FROM ds_interventions "
        "WHERE completed_at >= DATE '2025-01-01' AND completed_at < DATE '2026-01-01'",
    )[0]
    gap = format_decimal(100 * fixed / n - 85, format="#,##0.0", locale="fr")
    assert f"Objectif 85\xa0% · écart {gap} pts" in [c.value for c in at.caption]
    store = open_store(db)
    try:
        tr = trajectory(store, metric("nps"), year=2025, as_of=dt.date(2025, 12, 31), region=None)
    finally:
        store.close()
    fig = charts.trajectory_figure(tr, metric("nps"), pd.DataFrame({"date": [], "label": []}))
    assert "Projection fin d'année" not in [trace.name for trace in fig.data]
    # one chart, drawn by the page and the board pack alike: same traces, same values, same words
    from metrics.reports.figures import trajectory_figure

    pack = trajectory_figure(tr, metric("nps"), "fr", "NPS")
    assert [(t.name, list(t.y)) for t in pack.data] == [(t.name, list(t.y)) for t in fig.data]
    assert pack.layout.xaxis.ticktext == fig.layout.xaxis.ticktext


@pytest.mark.parametrize(
    ("status", "value", "target", "months_left", "reachable", "expected"),
    [
        ("at_risk", 38.0, 40.0, 2, True, "at_risk"),
        ("off_track", 20.0, 40.0, 2, False, "out_of_reach"),  # required NPS 123 > 100: not "off track"
        ("at_risk", 39.0, 40.0, 0, None, "missed"),  # December: no "at risk" any more
        ("off_track", 41.0, 40.0, 0, None, "met"),
        ("no_data", float("nan"), 40.0, 2, None, "no_data"),
        ("no_target", 30.0, None, 2, None, "no_target"),
    ],
)
def test_status_vocabulary_is_one_table_for_cards_and_cli(
    status, value, target, months_left, reachable, expected
):
    import datetime as dt

    import pandas as pd

    from metrics.reports import formatting
    from metrics.reports.trajectory import Trajectory
    from metrics.reports.verdict import decide

    tr = Trajectory(
        metric=metric("nps"), year=2026, as_of=dt.date(2026, 10, 31), region=None,
        months=pd.DataFrame({"period": [], "value": []}), value=value, n=100, moe=5.0, target=target,
        gap=None, glide=None, status=status, projection=None, required=None, reachable=reachable,
        best_possible=None, change_vs_last_month=None, months_left=months_left,
    )  # fmt: skip
    got = decide(tr, None).status
    assert got == expected
    assert got in formatting.STATUSES


def test_gaps_of_percentage_metrics_are_in_points_and_always_signed():
    from metrics.reports import formatting

    ftf = metric("first_time_fix_rate")
    assert formatting.gap(ftf, -6.8, "fr") == "-6,8 pts"  # 78,2 % - 85 %
    assert formatting.gap(ftf, 0.04, "fr") == "+0,0 pts"  # a signed figure always carries its sign
    assert formatting.gap(metric("nps"), 1.5, "en") == "+1.5"


def test_an_invalid_year_or_region_in_a_link_is_reported_not_silently_replaced(db):
    at = run({"year": "2019", "region": "Atlantis"})
    assert not at.exception
    warnings = [w.value for w in at.warning]
    # the message is escaped for Markdown: "year\=2019"
    assert any("year\\=2019" in w and "ignorée" in w for w in warnings), warnings
    assert any("region\\=Atlantis" in w for w in warnings), warnings
    assert at.selectbox(key="f_year_fr").value == AS_OF.year


def test_the_chart_metric_is_kept_in_the_link_and_only_the_region_filter_is_offered(db):
    at = run()
    at.selectbox(key="chart_metric_fr").set_value("first_time_fix_rate").run()
    assert at.query_params["chart"] == "first_time_fix_rate"
    again = run({"chart": "first_time_fix_rate"})
    assert again.selectbox(key="chart_metric_fr").value == "first_time_fix_rate"
    # channels and segments would not change the trajectory: they are not shown here
    assert [m.key for m in again.multiselect] == ["f_region_fr"]


def test_the_page_gives_the_chance_of_reaching_the_target_and_offers_the_board_pack(db):
    from metrics.reports.outlook import probability
    from metrics.reports.trajectory import trajectory

    store = open_store(db)
    try:
        chance = probability(store, trajectory(store, metric("nps"), year=AS_OF.year, as_of=AS_OF))
    finally:
        store.close()
    at = run()
    assert not at.exception
    sentences = [md.value for md in at.markdown if "de chances d'atteindre" in md.value]
    if AS_OF.month < 12:
        percent = format_decimal(round(100 * chance), locale="fr")
        assert sentences == [f"Au rythme actuel, {percent}\xa0% de chances d'atteindre 40."]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Dossier du mois (HTML)" in labels


def test_a_page_opened_during_an_import_says_the_figures_are_the_last_finished_ones(tmp_path, monkeypatch):
    import os
    import shutil

    copy = tmp_path / "cx.duckdb"
    shutil.copy(demo_db(), copy)
    monkeypatch.setenv("CX_DB", str(copy))
    (tmp_path / f"cx.duckdb.importing-{os.getpid()}").write_text("")  # a live writer's marker
    at = run()
    assert not at.exception
    assert any("Un import est en cours" in i.value for i in at.info)
    assert card(at, "NPS").value  # the previous data is shown at once
