"""The Regions page on demo data: league values, cautious ranking, small units, drill-down, language."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.numbers import format_decimal
from streamlit.testing.v1 import AppTest

from metrics import demo
from tests import by_hand
from tests.pages_demo import demo_db

PAGE = "../dashboard/pages/regions.py"
AS_OF = demo.default_as_of()
START = dt.date(AS_OF.year, 1, 1)


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def ytd_scores(path, by, region=None):
    """Scored answers of the year so far per value of column `by`, straight from the rows."""
    return by_hand.scores(path, START, AS_OF, by=by, region=region)


def run(params=None):
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def fr(value, decimals=1):
    return format_decimal(value, format="#,##0." + "0" * decimals, locale="fr")


def test_league_shows_each_region_nps_with_n_worked_out_from_the_scores(db):
    expected = ytd_scores(db, "region")
    at = run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Région")
    assert sorted(table.index) == sorted(expected)
    for region, answers in expected.items():
        value, n = by_hand.nps(answers)
        assert table.loc[region, "Valeur"] == fr(value)
        assert table.loc[region, "n"] == format_decimal(n, locale="fr")


def test_league_ranks_on_the_low_bound_not_the_point_value(db):
    lows = {region: by_hand.nps_low(answers) for region, answers in ytd_scores(db, "region").items()}
    table = run().dataframe[0].value
    assert table.iloc[0]["Région"] == max(lows, key=lows.get)
    assert table.iloc[-1]["Région"] == min(lows, key=lows.get)
    assert set(table["Vs reste de l'entreprise"]) <= {"≈ dans le bruit"} | {
        v for v in table["Vs reste de l'entreprise"] if v.startswith(("▲ au-dessus (", "▼ en dessous ("))
    }


def test_region_under_30_complaints_is_flagged_and_not_ranked(db):
    # the rate's n is the number of complaints opened in the region this year
    counts = dict(
        by_hand.rows(
            db,
            "SELECT region, count(*) FROM ds_complaints WHERE opened_at >= ? AND opened_at < ? GROUP BY 1",
            [START, AS_OF + dt.timedelta(days=1)],
        )
    )
    small = {region for region, n in counts.items() if n < 30}
    at = run()
    at.selectbox(key="league_fr").set_value("complaints_per_1000_customers").run()
    table = at.dataframe[0].value.set_index("Région")
    for region in counts:
        if region in small:
            assert table.loc[region, "Rang"] == ""
            assert table.loc[region, "Remarque"].startswith("petit effectif (n < 30)")
        else:
            assert table.loc[region, "Rang"] != ""
    ranked = len(counts) - len(small)
    assert list(table["Rang"][table["Rang"] != ""]) == [str(i) for i in range(1, ranked + 1)]


def test_drill_down_lists_the_region_sites_and_their_n_adds_up(db):
    region = demo.DEMO_STORIES.region_ahead
    sites = ytd_scores(db, "site", region=region)
    total = len(ytd_scores(db, "region")[region])
    at = run({"drill": region})  # the league's row click writes ?drill=, and a link reopens it
    assert at.selectbox(key="drill_region_fr").value == region
    table = next(d.value for d in at.dataframe if "Site" in d.value.columns)
    assert sorted(table["Site"]) == sorted(s if isinstance(s, str) else "(non renseigné)" for s in sites)
    assert sum(int(v.replace("\u202f", "")) for v in table["n"]) == total
    assert set(table["Type de site"]) <= {"En interne", "Sous-traité", "Offshore", "(non renseigné)"}


def test_regions_page_in_english(db):
    at = run({"lang": "en"})
    assert at.title[0].value == "Regions"
    table = at.dataframe[0].value
    assert {"Rank", "Region", "Value", "Vs rest of company"} <= set(table.columns)
    assert set(table["Vs rest of company"]) <= {"≈ within noise"} | {
        v for v in table["Vs rest of company"] if v.startswith(("▲ above (", "▼ below ("))
    }


def test_app_navigates_from_trajectory_to_regions(db):
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60).run()
    assert at.title[0].value == "Trajectoire vers les objectifs"
    at.switch_page("dashboard/pages/regions.py").run()
    assert not at.exception
    assert at.title[0].value == "Régions"


def test_the_sidebar_region_is_highlighted_in_the_league_and_every_region_stays_ranked(db):
    every = run().dataframe[0].value
    at = run({"region": "Bretagne"})
    league = at.dataframe[0].value
    assert len(league) == len(every)  # ranked among all of them
    marked = league[league["Rang"].str.endswith("★")]
    assert list(marked["Région"]) == ["Bretagne"]
    assert "★ Régions choisies dans les filtres : Bretagne. Toutes les régions restent classées." in [
        x.value for x in at.text
    ]


def test_a_shared_link_reopens_the_league_metric_and_the_drilled_region(db):
    at = run({"drill": "Bretagne"})
    other = at.selectbox(key="league_fr").options[-1]
    at.selectbox(key="league_fr").select_index(len(at.selectbox(key="league_fr").options) - 1).run()
    at.selectbox(key="drill_region_fr").set_value("Normandie").run()
    params = {k: at.query_params[k] for k in ("league", "drill")}
    assert params["drill"] == "Normandie"
    again = run(params)
    assert again.selectbox(key="league_fr").format_func(again.selectbox(key="league_fr").value) == other
    assert again.selectbox(key="drill_region_fr").value == "Normandie"


def test_channel_filter_lists_labels_not_keys_with_a_masculine_placeholder(db):
    at = run()
    channels = at.multiselect(key="f_channel_fr")
    assert "Visite terrain" in channels.options
    assert "field_visit" not in channels.options
    assert channels.placeholder == "Tous"


def test_league_verdicts_are_what_the_compare_command_prints(db):
    import json

    from click.testing import CliRunner

    from metrics.cli.main import cli

    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "compare", "nps", "--by", "region", "--from", START.isoformat(),
         "--to", AS_OF.isoformat(), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    verdicts = {r["region"]: r["verdict"] for r in json.loads(result.output)}
    words = {"above": "▲ au-dessus", "below": "▼ en dessous", "noise": "≈ dans le bruit"}
    table = run().dataframe[0].value.set_index("Région")
    for region, verdict in verdicts.items():
        shown = table.loc[region, "Vs reste de l'entreprise"]
        if verdict == "noise":
            assert shown == words["noise"], region
        elif verdict in words:
            assert shown.startswith(words[verdict]), region
