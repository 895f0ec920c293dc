"""Charts that run only when asked: a first screen that loads no chart, and each part drawn once opened."""

from __future__ import annotations

import base64
import json
from xml.etree import ElementTree

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages_demo import demo_db

REGIONS = "../dashboard/pages/regions.py"
DEMO_REGIONS = {
    *("Bretagne", "Centre", "Est", "Île-de-France", "Nord", "Normandie", "Ouest", "Sud-Est", "Sud-Ouest")
}


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def run(page, **params):
    at = AppTest.from_file(page, default_timeout=120)
    for key, value in {"lang": "fr", **params}.items():
        at.query_params[key] = value
    return at.run()


def specs(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_regions_first_screen_is_the_league_without_any_chart(db):
    at = run(REGIONS)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    assert [e.label for e in at.expander] == ["Tendances mensuelles", "Types de site"]
    assert "Région" in at.dataframe[0].value.columns


def test_regions_trends_draw_one_panel_per_region_once_opened(db):
    at = run(REGIONS, regions_trends_fr="true")
    assert not at.exception
    (fig,) = specs(at)
    titles = {a["text"] for a in fig["layout"]["annotations"]}
    assert titles == DEMO_REGIONS  # the demo's nine regions, "(non renseigné)" kept apart


def test_regions_site_types_draw_nps_and_first_time_fix_once_opened(db):
    at = run(REGIONS, regions_types_fr="true")
    assert not at.exception
    figs = specs(at)
    assert len(figs) == 2
    for fig in figs:
        names = {y.split(" (n = ")[0] for y in fig["data"][0]["y"]}
        assert names <= {"En interne", "Sous-traité", "Offshore", "(non renseigné)"}
        assert "En interne" in names


def test_regions_in_english_names_its_parts_in_english(db):
    at = run(REGIONS, lang="en")
    assert [e.label for e in at.expander] == ["Monthly trends", "Site types"]


OPERATIONS = "../dashboard/pages/operations.py"
VERBATIMS = "../dashboard/pages/verbatims.py"


def test_operations_first_screen_has_cards_and_tables_but_no_chart(db):
    at = run(OPERATIONS)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    assert [e.label for e in at.expander] == ["Voir le graphique"] * 3
    assert len(at.dataframe) == 3  # first-time fix by month, complaints by month, the Pareto
    assert "Résolution dès la 1re visite" in {m.label for m in at.metric}


def test_operations_charts_draw_once_opened(db):
    at = run(OPERATIONS, ops_ftf_chart_fr="true", ops_complaints_chart_fr="true", ops_pareto_chart_fr="true")
    assert not at.exception
    figs = specs(at)
    assert len(figs) == 3
    # the Pareto's right axis reads in % from 0 to 105 (cumulative share)
    assert figs[2]["layout"]["yaxis2"]["range"] == [0, 105]


def test_verbatims_first_screen_is_the_theme_table_without_any_chart(db):
    at = run(VERBATIMS)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    assert "Thème" in at.dataframe[0].value.columns


def test_verbatims_charts_draw_once_opened(db):
    at = run(VERBATIMS, verbatims_impact_chart_fr="true", verbatims_trend_chart_fr="true")
    assert not at.exception
    assert len(specs(at)) == 2


TRAJECTORY = "../dashboard/pages/trajectory.py"
SVG = "{http://www.w3.org/2000/svg}"


def chart_svg(at):
    """The SVG document of the page's last image (the trajectory chart), parsed."""
    url = at.get("image")[-1].proto.imgs[0].url
    assert url.startswith("data:image/svg+xml;base64,")
    return ElementTree.fromstring(base64.b64decode(url.split(",", 1)[1]))


def test_trajectory_first_screen_draws_the_executives_chart_as_an_image_and_no_breakdown(db):
    at = run(TRAJECTORY)
    assert not at.exception
    assert len(specs(at)) == 0  # no chart library on the first screen: the trajectory is an SVG image
    svg = chart_svg(at)
    name, year = svg.find(f"{SVG}title").text.split(" ")
    assert name == "NPS"
    assert year == str(at.selectbox(key="f_year_fr").value)  # the chosen year, whatever the pinned date
    assert any(t.text.startswith("Objectif ") for t in svg.iter(f"{SVG}text"))
    assert not at.tabs
    assert len(at.dataframe) == 0
    # the interactive chart and the key drivers (a bootstrap) are on demand: closed, so not computed
    assert [e.label for e in at.expander] == [
        "Graphique interactif : les valeurs au survol",
        "Et si…",
        "Leviers du NPS (analyse des moteurs)",
        "Répartition depuis le 1er janvier",
    ]


def test_trajectory_interactive_chart_draws_once_opened(db):
    at = run(TRAJECTORY, traj_interactive_fr="true")
    assert not at.exception
    (fig,) = specs(at)
    names = [trace.get("name") for trace in fig["data"]]
    assert {"Valeur du mois", "Cumul annuel", "Trajectoire cible"} <= set(names)
    assert len(at.get("image")) == 5  # the four cards' sparklines and the SVG chart stay on screen


def test_trajectory_breakdowns_draw_the_open_tab_once_opened(db):
    at = run(TRAJECTORY, traj_breakdowns_fr="true")
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Segment", "Canal", "Parcours"]
    figs = specs(at)
    assert len(figs) == 1  # NPS by segment (the open tab) with its grid; the trajectory is an image
    assert len(at.dataframe) == 1
    assert "Segment" in at.dataframe[0].value.columns


WORKLOAD = "../dashboard/pages/workload.py"


def test_workload_first_screen_is_its_tables_and_the_heatmap_waits_to_be_opened(db):
    at = run(WORKLOAD)
    assert not at.exception
    assert len(specs(at)) == 0
    assert len(at.dataframe) == 2  # before/after, then the latest months by team
    assert [e.label for e in at.expander] == ["Évolution mensuelle"]
    assert not at.radio


def test_workload_heatmap_draws_once_opened(db):
    at = run(WORKLOAD, wl_heatmap_fr="true")
    assert not at.exception
    (fig,) = specs(at)
    assert fig["data"][0]["type"] == "heatmap"
    assert at.radio(key="wl_by").value == "region"
