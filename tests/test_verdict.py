"""One verdict everywhere (issue #28, point 6): the rules by hand, then the same words on every surface.

The demo part reads the Trajectory page (company and one region), the Regions page, `summary --by region`
and the board pack at several as-of dates, each with the product's clock pinned to the 15th of the
following month, and asks that they say the same status for every metric and region, and that the
Regions page and the board pack rank the regions in the same order.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from metrics import demo
from metrics.cli.main import cli
from metrics.months import add_months, month_end
from metrics.reports.board_pack import build_report
from metrics.reports.trajectory import Trajectory
from metrics.reports.verdict import decide, rank_regions
from metrics.semantic.definitions import metric
from metrics.store import open_store
from tests.pages_demo import demo_db

# --- the rules, on trajectories written by hand -------------------------------------------------


def nine_months(values, *, target=40.0, required=59.5, status="off_track", reachable=True, key="nps"):
    """A trajectory as of 30 September with these monthly values (January first) and three months left."""
    months = pd.DataFrame({
        "period": [dt.date(2025, m, 1) for m in range(1, len(values) + 1)],
        "value": values,
    })  # fmt: skip
    return Trajectory(
        metric=metric(key), year=2025, as_of=dt.date(2025, 9, 30), region=None, months=months, value=33.5,
        n=1800, moe=3.0, target=target, gap=33.5 - target, glide=38.4, status=status, projection=33.5,
        required=required, reachable=reachable, best_possible=None, change_vs_last_month=0.0, months_left=3,
    )  # fmt: skip


def test_a_target_needing_more_than_the_best_month_with_almost_no_chance_is_unlikely_not_reachable():
    # the case: 59,5 a month needed, best month 34,0, 0 % chance -> one verdict, "unlikely"
    got = decide(nine_months([33.0, 34.0, 33.5, 33.5, 33.0, 33.5, 33.5, 34.0, 33.5]), 0.0)
    assert (got.status, got.reachable, got.best_month) == ("unlikely", False, 34.0)


def test_a_small_chance_alone_does_not_override_a_month_that_already_did_what_is_required():
    # required 59,5, and March made 60: the realism check and the model disagree -> the glide decides
    got = decide(nine_months([33.0, 34.0, 60.0, 33.5, 33.0, 33.5, 33.5, 34.0, 33.5]), 0.01)
    assert (got.status, got.reachable) == ("off_track", True)


def test_a_chance_of_5_percent_or_more_leaves_the_glide_status():
    got = decide(nine_months([33.5] * 9), 0.05)
    assert (got.status, got.reachable) == ("off_track", True)


def test_an_unknown_chance_leaves_the_glide_status():
    assert decide(nine_months([33.5] * 9), None).status == "off_track"


def test_beyond_what_the_metric_can_take_is_out_of_reach_whatever_the_chance():
    got = decide(nine_months([33.5] * 9, required=123.0, reachable=False), 0.3)
    assert (got.status, got.reachable) == ("out_of_reach", False)


def test_lower_is_better_reads_the_lowest_month_as_the_best():
    # complaints: 1,16 per 1 000 needed, best (lowest) month 2,30: never done, 1 % chance
    tr = nine_months([3.1, 2.9, 2.3, 3.0, 3.2, 2.8, 3.0, 2.9, 3.1], target=2.5, required=1.16,
                     key="complaints_per_1000_customers")  # fmt: skip
    got = decide(tr, 0.01)
    assert (got.status, got.best_month) == ("unlikely", 2.3)
    # a month at 1,10 already beat 1,16: the glide decides
    tr = nine_months([3.1, 2.9, 1.1, 3.0, 3.2, 2.8, 3.0, 2.9, 3.1], target=2.5, required=1.16,
                     key="complaints_per_1000_customers")  # fmt: skip
    assert decide(tr, 0.01).status == "off_track"


def test_regions_rank_by_value_best_first_small_samples_last_and_unranked():
    frame = pd.DataFrame({
        "region": ["A", "B", "C", "D"],
        "value": [30.0, 45.0, 50.0, 38.0],
        "small": [False, False, True, False],
    })  # fmt: skip
    got = rank_regions(metric("nps"), frame)
    assert list(got["region"]) == ["B", "D", "A", "C"]
    assert [None if pd.isna(r) else int(r) for r in got["rank"]] == [1, 2, 3, None]
    lower = rank_regions(metric("complaints_per_1000_customers"), frame)
    assert list(lower["region"]) == ["A", "D", "B", "C"]


# --- the same verdict on every surface, on the demo ---------------------------------------------

AS_OF = demo.default_as_of()
DATES = [month_end(add_months(AS_OF.replace(day=1), -k)) for k in (6, 3, 0)]
STATUS_COLUMN, REGION_COLUMN, RANK_COLUMN = "Statut vs son objectif", "Région", "Rang"


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts, each after the last <h2>/<h3> title seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, str, list[list[str]]]] = []
        self._heading: dict[str, str] = {"h2": "", "h3": ""}
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3", "td", "th"):
            self._in, self._text = tag, ""
        if tag == "h2":
            self._heading["h3"] = ""
        if tag == "table":
            self.tables.append((self._heading["h2"], self._heading["h3"], []))
        if tag == "tr" and self.tables:
            self.tables[-1][2].append([])

    def handle_endtag(self, tag):
        if tag in ("h2", "h3"):
            self._heading[tag] = self._text.strip()
        if tag in ("td", "th") and self.tables:
            self.tables[-1][2][-1].append(self._text.strip())
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text += data


def board_pack(db, as_of):
    store = open_store(db)
    try:
        text = build_report(store, as_of, "fr")
    finally:
        store.close()
    parser = _Tables()
    parser.feed(re.sub(r"<script>.*?</script>", "", text, flags=re.S))
    frames = {}
    for h2, h3, rows in parser.tables:
        frames[(h2, h3)] = pd.DataFrame(rows[1:], columns=rows[0])
    return frames


def cli_summary(db, as_of):
    """`summary --by region` as a person reads it: {(metric label, region): status}."""
    got = CliRunner().invoke(
        cli, ["--db", str(db), "summary", "--by", "region", "--as-of", as_of.isoformat()],
        env={"COLUMNS": "500"},
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    rows = [
        [cell.strip() for cell in line.strip("│┃").split("│" if "│" in line else "┃")]
        for line in got.output.splitlines()
        if line.startswith(("│", "┃"))
    ]
    table = pd.DataFrame(rows[1:], columns=rows[0])
    return {(r["indicateur"], r["région"]): (r["statut"], r["atteignable"]) for _, r in table.iterrows()}


def page(path, **params):
    at = AppTest.from_file(f"../dashboard/pages/{path}.py", default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def answers(at):
    """The Trajectory page's answers: {metric label: status words} from "**NPS** · status — sentence"."""
    found = {}
    for md in at.markdown:
        hit = re.match(r"\*\*(.+?)\*\* · (.+?) — ", md.value)
        if hit:
            found[hit.group(1)] = hit.group(2)
    return found


@pytest.mark.parametrize("as_of", DATES, ids=[d.isoformat() for d in DATES])
def test_pages_cli_and_board_pack_say_the_same_status_and_order(as_of, monkeypatch):
    db = demo_db()  # built before the clock moves: the demo's window is the suite's
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.setenv("CX_TODAY", (as_of + dt.timedelta(days=15)).isoformat())
    link = {"year": str(as_of.year), "as_of": f"{as_of:%Y-%m}"}
    cli_rows = cli_summary(db, as_of)
    pack = board_pack(db, as_of)
    company = pack[("Objectifs de l'année", "")].set_index("Indicateur")["Statut"].to_dict()

    on_page = answers(page("trajectory", **link))
    assert on_page, "no answer line on the Trajectory page"
    for label, status in on_page.items():
        assert cli_rows[(label, "Entreprise")][0] == status, label
        assert company[label] == status, label
    # "reachable" never contradicts the status: no "oui" beside an unlikely or out-of-reach target
    for (label, _region), (status, reachable) in cli_rows.items():
        if status in ("✖ Peu réaliste", "✖ Hors d'atteinte"):
            assert reachable == "non", (label, status)

    regions_page = page("regions", **link)
    for key in ("nps", "first_time_fix_rate", "complaints_per_1000_customers", "resolution_days_median"):
        label = metric(key).label["fr"]
        regions_page.selectbox(key="league_fr").set_value(key).run()
        shown = regions_page.dataframe[0].value
        packed = pack[("Régions", label)]
        # one order: the Regions page and the board pack list the regions alike, with the same ranks
        assert list(shown[REGION_COLUMN]) == list(packed["Région"]), label
        assert [r.replace(" ★", "") for r in shown[RANK_COLUMN]] == list(packed["Rang"]), label
        for region, status in zip(shown[REGION_COLUMN], shown[STATUS_COLUMN], strict=True):
            assert cli_rows[(label, region)][0] == status, (label, region)
        assert list(shown[STATUS_COLUMN]) == list(packed["Statut"]), label

    # one region on the Trajectory page says what the Regions page and the CLI say of it
    region = "Normandie"
    for label, status in answers(page("trajectory", region=region, **link)).items():
        assert cli_rows[(label, region)][0] == status, (label, region)
