"""Each user's answer first (issue #19), on a small database whose figures are worked out by hand.

Every month from January to March 2026, per region (answers scored 0-10):
    Bretagne  6 x 10, 4 x 8, 2 x 3  -> 6 promoters, 2 detractors of 12 -> NPS (6-2)/12 = +33,3
    Normandie 3 x 10, 4 x 7, 5 x 2  -> 3 promoters, 5 detractors of 12 -> NPS (3-5)/12 = -16,7
Company each month: 9 promoters, 7 detractors of 24 -> +8,3; year to date (72 answers) also +8,3.
Targets 2026: company 40, Bretagne 30, Normandie 20.
Workload, team A of site NOR-1 (10 agents, one day a month), overtime hours:
    Jan 1,0  Feb 2,0  Mar 1,5 | Apr (the reorganisation, 15/04, left out) | May 5,0  Jun 4,5  Jul 5,5
    per agent-day: before 0,10 0,20 0,15 (total 4,5/30 = 0,15), after 0,50 0,45 0,55 (15/30 = 0,50).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from metrics.ingest.importing import import_file
from metrics.store import open_store

MONTHS = ("01", "02", "03")
SCORES = {"Bretagne": [10] * 6 + [8] * 4 + [3] * 2, "Normandie": [10] * 3 + [7] * 4 + [2] * 5}
SITES = {"Bretagne": "BRE-1", "Normandie": "NOR-1"}
OVERTIME = {"01": 1.0, "02": 2.0, "03": 1.5, "04": 3.0, "05": 5.0, "06": 4.5, "07": 5.5}


def _write(path, header, rows):
    path.write_text("\ufeff" + header + "\n" + "\n".join(";".join(map(str, r)) for r in rows) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("answers")
    responses, n = [], 0
    for month in MONTHS:
        for region, scores in SCORES.items():
            for score in scores:
                n += 1
                responses.append((f"R{n:04d}", f"10/{month}/2026", region, SITES[region], score))
    files = {
        "sites": _write(
            root / "sites.csv",
            "code site;région;type de site;nom du site;pays",
            [
                ("BRE-1", "Bretagne", "Interne", "Boutique Rennes", "France"),
                ("NOR-1", "Normandie", "Interne", "Plateau Caen", "France"),
            ],
        ),
        "responses": _write(root / "reponses.csv", "n° réponse;date de réponse;région;site;note", responses),
        "targets": _write(
            root / "objectifs.csv",
            "année;indicateur;objectif;région",
            [(2026, "nps", 40, ""), (2026, "nps", 30, "Bretagne"), (2026, "nps", 20, "Normandie")],
        ),
        "events": _write(
            root / "evenements.csv", "date;libellé;région", [("15/04/2026", "Réorganisation", "Normandie")]
        ),
        "workload": _write(
            root / "charge.csv",
            "jour;région;site;équipe;conseillers;contacts traités;temps de traitement;heures planifiées;"
            "heures supplémentaires;heures d'absence;évaluations",
            [
                (
                    f"05/{m}/2026",
                    "Normandie",
                    "NOR-1",
                    "Équipe A",
                    10,
                    400,
                    "2600,0",
                    "70,0",
                    f"{h:.1f}".replace(".", ","),
                    "0,0",
                    20,
                )
                for m, h in OVERTIME.items()
            ],
        ),
    }
    path = root / "cx.duckdb"
    store = open_store(path)
    try:
        for key, file in files.items():
            import_file(store, key, file)
    finally:
        store.close()
    return path


def run(page, db, monkeypatch, **params):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(f"../dashboard/pages/{page}.py", default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def test_trajectory_answers_each_targeted_metric_first(db, monkeypatch):
    at = run("trajectory", db, monkeypatch)
    # 9 months to come at the recent pace of 24 answers: n_rest = 216
    # required = (40 x (72 + 216) - 8,33 x 72) / 216 = (11520 - 600) / 216 = 50,56 -> 50,6
    # projection at the same pace: (9 x 4 + 27 x 9 ... ) stays +8,3
    first = at.markdown[0].value
    assert first.startswith("**NPS** · ")
    assert "Objectif 40 : les 9 mois restants doivent faire en moyenne 50,6." in first
    assert "Projection fin d'année au rythme des 3 derniers mois : 8,3." in first


def test_trajectory_card_has_sparkline_and_says_last_year_has_no_data(db, monkeypatch):
    at = run("trajectory", db, monkeypatch)
    card = next(m for m in at.metric if m.label == "NPS")
    assert card.value == "8,3"
    sparkline, chart = at.get("image")  # the one targeted metric's sparkline, then the trajectory chart
    assert sparkline.proto.imgs[0].caption == "Valeurs mensuelles"
    assert chart.proto.imgs[0].url.startswith("data:image/svg+xml")
    assert "Même période 2025 : pas de données" in [c.value for c in at.caption]


def test_trajectory_what_if_gives_the_year_end_and_the_best_month(db, monkeypatch):
    at = run("trajectory", db, monkeypatch)
    at.text_input(key="whatif_nps_fr").input("50").run()
    # (8,33 x 72 + 50 x 216) / 288 = (600 + 10800) / 288 = 39,58 -> 39,6
    assert "**Si les 9 mois restants font 50,0, l'année finit à 39,6 (objectif 40).**" in [
        md.value for md in at.markdown
    ]
    captions = [c.value for c in at.caption]
    assert "Repère de réalisme : le meilleur mois de l'année a fait 8,3 (janv. 2026)." in captions
    assert "C'est mieux que le meilleur mois de l'année : peu réaliste sans changement." in captions


def test_a_card_button_drives_the_chart(db, monkeypatch):
    at = run("trajectory", db, monkeypatch)
    assert at.selectbox(key="chart_metric_fr").value == "nps"
    assert at.button(key="pick_nps")  # only NPS has a target: one card, one button


def test_regions_league_ranked_by_value_with_verdict_status_and_flag(db, monkeypatch):
    at = run("regions", db, monkeypatch)
    table = at.dataframe[0].value.set_index("Région")
    assert list(table.index) == ["Bretagne", "Normandie"]
    assert table.loc["Bretagne", "Valeur"] == "33,3"
    assert table.loc["Normandie", "Valeur"] == "-16,7"
    # Bretagne vs Normandie: 33,3 - (-16,7) = +50,0, z about 2,7 -> p about 0,006, Holm x 2 still < 0,05
    assert table.loc["Bretagne", "Vs reste de l'entreprise"] == "▲ au-dessus (+50,0)"
    assert table.loc["Normandie", "Vs reste de l'entreprise"] == "▼ en dessous (-50,0)"
    # the year's verdict against each region's own target, as the Trajectory page says it (as of 31 March):
    # Bretagne: no 2025, so the path runs from 33,3 at the start of January to 30 in December; in March
    # 33,3 + (30 - 33,3) x 3 / 12 = 32,5, and 33,3 is at least that -> on track
    assert table.loc["Bretagne", "Statut vs son objectif"] == "✔ En bonne voie"
    # Normandie: from -16,7 to 20, in March -16,7 + 36,7 x 3 / 12 = -7,5; behind by 9,2, less than its
    # margin (about ± 25 on 36 answers) -> at risk, as the Trajectory page says (it once read "below its
    # target" here); three months of 12 answers leave the model well over a 5 % chance
    assert table.loc["Normandie", "Statut vs son objectif"] == "⚠ À surveiller"
    assert table.loc["Bretagne", "Écart à l'objectif"] == "+3,3"
    # 36 answers each, but a margin near ± 25 points: flagged as a small sample
    assert set(table["Remarque"]) == {"⚠ petit échantillon"}


def test_regions_drill_shows_sites_by_name_and_the_way_back(db, monkeypatch):
    at = run("regions", db, monkeypatch, drill="Normandie")
    assert "Régions › Normandie" in [x.value for x in at.text]
    sites = at.dataframe[0].value
    assert list(sites["Nom du site"]) == ["Plateau Caen"]
    assert list(sites["Site"]) == ["NOR-1"]
    assert list(sites["n"]) == ["36"]
    at.button(key="crumb_back").click().run()
    assert "drill" not in at.query_params
    assert list(at.dataframe[0].value["Région"]) == ["Bretagne", "Normandie"]


def test_workload_before_after_says_the_rise_is_more_than_noise(db, monkeypatch):
    at = run("workload", db, monkeypatch, metric="overtime_hours_per_agent")
    sentence = at.markdown[0].value
    assert sentence.startswith(
        "Heures supplémentaires par conseiller-jour : 0,15\u202fh → 0,50\u202fh (+0,35\u202fh), "
        "hausse plus forte que la variation habituelle d'un mois à l'autre"
    )
    table = at.dataframe[0].value
    assert list(table["Valeur"]) == ["0,15\u202fh", "0,50\u202fh"]


def test_workload_latest_months_newest_first_with_the_threshold_marked(db, monkeypatch):
    at = run("workload", db, monkeypatch, metric="overtime_hours_per_agent")
    at.text_input(key="wl_threshold_overtime_hours_per_agent_fr").input("0,5").run()
    table = at.dataframe[1].value
    assert list(table["Mois"]) == ["juil. 2026", "juin 2026", "mai 2026"]
    assert list(table["Valeur"]) == ["0,55\u202fh", "0,45\u202fh", "0,50\u202fh"]
    assert list(table["Seuil"]) == ["⚠ au-dessus", "", ""]  # 0,50 is not above 0,50
    assert "Au-dessus du seuil 0,50\u202fh : 1 ligne." in [c.value for c in at.caption]


def test_sparkline_puts_the_lowest_month_at_the_bottom_and_the_highest_at_the_top():
    from dashboard.components.cards import sparkline_svg

    # 3 values over 160 px: x = 0, 80, 160; y = 30 - (v - 10) / 20 x 28 -> 30, 16, 2
    svg = sparkline_svg([10.0, 20.0, 30.0])
    assert 'points="0.0,30.0 80.0,16.0 160.0,2.0"' in svg
