"""The Workload page on demo data: the team under 5 agents is merged with its site's others, never shown."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import workload as ui
from metrics import demo
from metrics.contracts.datasets import dataset
from metrics.reports.output import safe_csv
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store
from tests.pages_demo import demo_db

PAGE = "../dashboard/pages/workload.py"
SITE, TEAM = demo.DEMO_STORIES.small_team_site, demo.DEMO_STORIES.small_team
HIDDEN_FR = "masqué (moins de 5 agents)"
# the shop's small team joins its other team (the smallest other team of the site)
MERGED = f"autres équipes ({SITE})"


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def small_team_by_hand(path):
    """Contacts per agent-day of the small team for each month, worked out from its raw rows."""
    store = open_store(path)
    try:
        with store.cursor() as cur:
            rows = cur.execute(
                "SELECT date_trunc('month', date) AS month, sum(contacts_handled), sum(agents) "
                f"FROM {dataset('workload').table} WHERE site = ? AND team = ? GROUP BY 1 ORDER BY 1",
                [SITE, TEAM],
            ).fetchall()
        released = metric_frame(store, metric("contacts_per_agent_day"), grain="month", by=("site", "team"))
    finally:
        store.close()
    # value = contacts / agent-days, n = agent-days; both must stay hidden
    return [(c / a, a) for _, c, a in rows], released


HEATMAP_OPEN = {"wl_heatmap_fr": "true"}  # the heatmap's part, as a link that opens it


def run(params=None):
    at = AppTest.from_file(PAGE, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def test_metrics_already_hides_the_small_team(db):
    by_hand, released = small_team_by_hand(db)
    assert by_hand
    assert all(a < 5 * 23 for _, a in by_hand)
    assert TEAM not in set(released.loc[released["site"] == SITE, "team"])
    merged = released[(released["site"] == SITE) & (released["team"] == MERGED)]
    assert len(merged) == len(by_hand)
    # the merged unit holds more than the small team: its agent-days are larger every month
    assert all(n > a for n, (_, a) in zip(merged["n"], by_hand, strict=True))


def test_small_team_shows_only_inside_its_sites_other_teams(db):
    at = run()
    assert not at.exception
    table = at.dataframe[1].value  # [0] is the before/after comparison, first on the page
    assert table[(table["Site"] == SITE) & (table["Équipe"] == TEAM)].empty
    merged = table[(table["Site"] == SITE) & (table["Équipe"] == MERGED)]
    assert len(merged) == 3  # the three latest months
    assert HIDDEN_FR not in set(table["Valeur"])


def test_small_team_numbers_appear_nowhere_in_chart_or_csv(db):
    by_hand, released = small_team_by_hand(db)
    at = run(HEATMAP_OPEN)
    at.radio(key="wl_by").set_value("team").run()
    at.multiselect(key="f_region_fr").set_value(["Normandie"]).run()  # the sidebar filter drives the chart
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = json.dumps(figures, ensure_ascii=False)
    rows = {y for fig in figures for tr in fig["data"] for y in tr.get("y", [])}  # the heatmap's rows
    assert f"{SITE} · {TEAM}" not in rows
    assert f"{SITE} · {MERGED}" in rows
    csv = safe_csv(ui.export_frame(released, ("site", "team")))
    assert f",{SITE},{TEAM}," not in csv
    for value, _n in by_hand:
        if len(repr(value)) >= 8:  # a long exact ratio belongs to this team alone: it must be nowhere
            exact = re.compile(rf"(?<![\d.]){re.escape(repr(value))}(?!\d)")
            assert not exact.search(csv)
            assert not exact.search(spec)


def test_before_after_compares_three_months_each_side_of_the_reorganisation(db):
    at = run()
    assert (
        at.selectbox(key="wl_event_fr")
        .format_func(at.selectbox(key="wl_event_fr").value)
        .endswith(f"{demo.DEMO_STORIES.reorganisation_label} ({demo.DEMO_STORIES.reorganised_region})")
    )
    assert any(x.value == f"Périmètre : {demo.DEMO_STORIES.reorganised_region}" for x in at.text)
    table = at.dataframe[0].value
    assert list(table["Période"]) == ["3 mois avant", "3 mois après"]
    assert HIDDEN_FR not in set(table["Valeur"])  # a whole region is far above 5 agents


def test_english_page_shows_the_merged_unit_too(db):
    at = run({"lang": "en"})
    table = at.dataframe[1].value
    assert table[(table["Site"] == SITE) & (table["Team"] == TEAM)].empty
    assert not table[(table["Site"] == SITE) & (table["Team"] == MERGED)].empty


def test_workload_shows_no_year_filter_and_its_regions_follow_the_sidebar(db):
    at = run()
    keys = [w.key for w in at.sidebar.selectbox]
    assert keys == ["lang_choice"]  # the page has latest months and whole trends: a year would do nothing
    assert not [m for m in at.multiselect if m.key == "wl_regions"]
    assert at.multiselect(key="f_region_fr").placeholder == "Toutes"


def test_a_shared_link_reopens_the_workload_metric_and_event(db):
    at = run()
    keys = at.selectbox(key="wl_metric_fr").options
    at.selectbox(key="wl_metric_fr").select_index(len(keys) - 1).run()
    at.selectbox(key="wl_event_fr").select_index(0).run()
    params = {k: at.query_params[k] for k in ("metric", "event")}
    again = run(params)
    assert again.selectbox(key="wl_metric_fr").value == at.selectbox(key="wl_metric_fr").value
    assert again.selectbox(key="wl_event_fr").value == 0
    assert not [w for w in again.warning if "lien" in w.value]  # the link was understood


def test_the_heatmap_starts_with_one_row_per_region_for_the_whole_company(db):
    at = run(HEATMAP_OPEN)
    assert at.radio(key="wl_by").value == "region"
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = {y for fig in figures for tr in fig["data"] if tr["type"] == "heatmap" for y in tr["y"]}
    store = open_store(db)
    try:
        with store.cursor() as cur:
            regions = {r[0] for r in cur.execute("SELECT DISTINCT region FROM ds_sites").fetchall()}
    finally:
        store.close()
    assert regions == names  # nine rows a reader can follow, not forty sites


def test_a_long_latest_table_shows_its_first_rows_and_says_how_many_the_download_holds(db, monkeypatch):
    whole = run().dataframe[1].value
    monkeypatch.setattr(ui, "SHOWN_ROWS", 5)
    at = run()
    table = at.dataframe[1].value
    assert len(table) == 5
    assert table.equals(whole.head(5))  # the newest, highest rows: the top of the same table
    total = f"{len(whole):,}".replace(",", "\u202f")  # French thousands: narrow no-break space
    assert f"Les 5 premières lignes sur {total} (les plus récentes, les plus hautes d'abord) ; " \
        "le téléchargement les contient toutes." in [c.value for c in at.caption]
