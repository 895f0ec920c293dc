"""The Workload page's before/after follows the sidebar's regions (issue #28, point 8).

Two teams of 10 agents, one working day a month each, overtime hours that day:
    Normandie (NOR-1, A)  Jan-Mar 1,0 each | Apr: the company-wide reorganisation (15/04) | May-Jul 5,0 each
    Bretagne  (BRE-1, B)  Jan-Mar 2,0 each |                                            | May-Jul 2,0 each
Per agent-day (10 agent-days a month, 30 a side):
    Normandie 3/30 = 0,10 -> 15/30 = 0,50;  Bretagne 6/30 = 0,20 -> 6/30 = 0,20;
    company (60 agent-days a side) 9/60 = 0,15 -> 21/60 = 0,35.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from metrics.ingest.importing import import_file
from metrics.store import open_store

HOURS = {"Normandie": (1.0, 5.0), "Bretagne": (2.0, 2.0)}  # before, after
SITES = {"Normandie": ("NOR-1", "A"), "Bretagne": ("BRE-1", "B")}


def _write(path, header, rows):
    path.write_text("\ufeff" + header + "\n" + "\n".join(";".join(map(str, r)) for r in rows) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("workload_scope")
    workload = []
    for region, (before, after) in HOURS.items():
        site, team = SITES[region]
        for month in range(1, 8):
            if month == 4:
                continue  # the event's own month is left out anyway
            hours = before if month < 4 else after
            workload.append((f"05/{month:02d}/2026", region, site, team, 10, 400, "2600,0", "70,0",
                             f"{hours:.1f}".replace(".", ","), "0,0", 20))  # fmt: skip
    files = {
        "sites": _write(root / "sites.csv", "code site;région;type de site;nom du site;pays", [
            ("BRE-1", "Bretagne", "Interne", "Boutique Rennes", "France"),
            ("NOR-1", "Normandie", "Interne", "Plateau Caen", "France"),
        ]),
        # the region filter lists the regions of the survey answers
        "responses": _write(root / "reponses.csv", "n° réponse;date de réponse;région;site;note", [
            ("R1", "10/01/2026", "Bretagne", "BRE-1", 9), ("R2", "10/01/2026", "Normandie", "NOR-1", 9),
        ]),
        "events": _write(
            root / "evenements.csv", "date;libellé;région", [("15/04/2026", "Réorganisation", "")]
        ),
        "workload": _write(
            root / "charge.csv",
            "jour;région;site;équipe;conseillers;contacts traités;temps de traitement;heures planifiées;"
            "heures supplémentaires;heures d'absence;évaluations",
            workload,
        ),
    }  # fmt: skip
    path = root / "cx.duckdb"
    store = open_store(path)
    try:
        for key, file in files.items():
            import_file(store, key, file)
    finally:
        store.close()
    return path


def run(db, monkeypatch, **params):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file("../dashboard/pages/workload.py", default_timeout=90)
    at.query_params["metric"] = "overtime_hours_per_agent"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def before_after(at):
    return list(at.dataframe[0].value["Valeur"])


def test_a_company_wide_event_is_judged_on_the_chosen_region_only(db, monkeypatch):
    at = run(db, monkeypatch, region="Bretagne")
    assert "Périmètre : Bretagne" in [x.value for x in at.text]
    # Bretagne alone: 6/30 = 0,20 on both sides, not the company's 0,15 -> 0,35
    assert before_after(at) == ["0,20\u202fh", "0,20\u202fh"]
    at = run(db, monkeypatch, region="Normandie")
    assert before_after(at) == ["0,10\u202fh", "0,50\u202fh"]


def test_without_a_chosen_region_the_event_is_the_company_s(db, monkeypatch):
    at = run(db, monkeypatch)
    assert "Périmètre : Toute l'entreprise" in [x.value for x in at.text]
    assert before_after(at) == ["0,15\u202fh", "0,35\u202fh"]


def test_two_chosen_regions_are_judged_together(db, monkeypatch):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file("../dashboard/pages/workload.py", default_timeout=90)
    at.query_params["metric"] = "overtime_hours_per_agent"
    at.query_params["region"] = ["Bretagne", "Normandie"]
    at.run()
    assert not at.exception
    assert "Périmètre : Bretagne, Normandie" in [x.value for x in at.text]
    assert before_after(at) == ["0,15\u202fh", "0,35\u202fh"]  # both regions: the company's figures
