"""Key drivers of NPS: simulated answers with known effects, Shapley by brute force, Holm by hand, min n,
the CLI in French and English, the Trajectory and Regions pages and the board pack on the demo."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from metrics.cli.main import cli
from metrics.insights.driver_text import display_table, section_html
from metrics.insights.drivers import Driver, analyse, key_drivers
from metrics.store import open_store
from tests.pages_demo import demo_db

PASSIVES = 0.3


def answers(rng, expected_nps):
    """Promoter and detractor flags whose NPS given the drivers is `expected_nps` (30 % passives)."""
    promoter_p = (1 - PASSIVES + expected_nps / 100) / 2
    u = rng.random(len(expected_nps))
    return (u < promoter_p).astype(int), (u >= promoter_p + PASSIVES).astype(int)


def simulated(n=20000, seed=7):
    """Three independent 0/1 drivers: a (30 %) costs 30 points, b (50 %) 15, c (20 %) gives 10."""
    rng = np.random.default_rng(seed)
    x = {"a": rng.random(n) < 0.3, "b": rng.random(n) < 0.5, "c": rng.random(n) < 0.2}
    nps = 30 - 30 * x["a"] - 15 * x["b"] + 10 * x["c"]
    promoter, detractor = answers(rng, nps)
    flags = {k: v.astype(int) for k, v in x.items()}
    return pd.DataFrame({"promoter": promoter, "detractor": detractor, **flags})


BINARY = tuple(Driver(key=k, kind="binary", column=k, change=-5.0) for k in ("a", "b", "c"))


def test_known_effects_are_ranked_and_their_sizes_fall_within_the_bootstrap_intervals():
    found = analyse(simulated(), BINARY).table.set_index("driver")
    # independent drivers: each one's Shapley R² is beta² p (1 - p) / var(y)
    # E[y] = 30 - 30*0.3 - 15*0.5 + 10*0.2 = 15.5; E[y²] = 100² * 0.7 (promoters and detractors)
    var_y = 7000 - 15.5**2
    r2 = {"a": 30**2 * 0.3 * 0.7 / var_y, "b": 15**2 * 0.25 / var_y, "c": 10**2 * 0.2 * 0.8 / var_y}
    shares = {k: 100 * v / sum(r2.values()) for k, v in r2.items()}  # a 72.3 %, b 21.5 %, c 6.1 %
    # 5 points fewer answers with the driver: -0.05 * effect -> a +1.5, b +0.75, c -0.5 NPS points
    effects = {"a": 1.5, "b": 0.75, "c": -0.5}
    assert found["rank"].to_dict() == {"a": 1, "b": 2, "c": 3}
    for k in "abc":
        assert found.loc[k, "share_low"] <= shares[k] <= found.loc[k, "share_high"], k
        assert found.loc[k, "effect_low"] <= effects[k] <= found.loc[k, "effect_high"], k


def r_squared(frame, columns):
    """R² of the least-squares fit of the NPS recoding on `columns`, with numpy's lstsq."""
    y = 100.0 * (frame["promoter"] - frame["detractor"]).to_numpy(float)
    x = np.column_stack([np.ones(len(frame)), *(frame[c].to_numpy(float) for c in columns)])
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def correlated(n=3000, seed=3):
    """Correlated drivers: b goes with a, c is a 3-level category, d is continuous."""
    rng = np.random.default_rng(seed)
    a = rng.random(n) < 0.4
    b = rng.random(n) < np.where(a, 0.6, 0.2)
    c = rng.choice(["x", "y", "z"], n, p=[0.5, 0.3, 0.2])
    d = rng.normal(4, 1.2, n) + 0.8 * a
    nps = 40 - 20 * a - 10 * b + np.select([c == "y", c == "z"], [5, -8], 0) - 4 * (d - 4)
    promoter, detractor = answers(rng, np.clip(nps, -65, 65))
    return pd.DataFrame({"promoter": promoter, "detractor": detractor, "a": a.astype(int), "b": b.astype(int),
                         "c": c, "d": d})  # fmt: skip


def test_shapley_shares_match_the_average_over_every_order_of_entry():
    frame = correlated()
    drivers = (
        Driver(key="a", kind="binary", column="a", change=-5.0),
        Driver(key="b", kind="binary", column="b", change=-5.0),
        Driver(key="c", kind="categorical", column="c", change=5.0),
        Driver(key="d", kind="continuous", column="d", change=-0.5),
    )
    frame = frame.assign(c_y=(frame["c"] == "y").astype(int), c_z=(frame["c"] == "z").astype(int))
    cols = {"a": ["a"], "b": ["b"], "c": ["c_y", "c_z"], "d": ["d"]}
    # brute force: each driver's gain in R² when it enters, averaged over the 4! orders
    gains = dict.fromkeys(cols, 0.0)
    for order in itertools.permutations(cols):
        entered: list[str] = []
        for key in order:
            before = r_squared(frame, entered) if entered else 0.0
            entered += cols[key]
            gains[key] += (r_squared(frame, entered) - before) / math.factorial(4)
    found = analyse(frame, drivers, resamples=20).table.set_index("driver")
    total = sum(gains.values())
    for key, gain in gains.items():
        assert found.loc[key, "r2"] == pytest.approx(gain, abs=1e-9)
        assert found.loc[key, "share"] == pytest.approx(100 * gain / total, abs=1e-7)
    # the F test of each driver: statsmodels' nested-model comparison, full against without it
    every = [c for group in cols.values() for c in group]
    y = 100.0 * (frame["promoter"] - frame["detractor"])
    full = sm.OLS(y, sm.add_constant(frame[every].astype(float))).fit()
    for key, group in cols.items():
        rest = [c for c in every if c not in group]
        without = sm.OLS(y, sm.add_constant(frame[rest].astype(float))).fit()
        expected = full.compare_f_test(without)[1]
        assert found.loc[key, "p_value"] == pytest.approx(expected, rel=1e-6, abs=1e-300)
    # the worst and best levels of c: z costs 8 points, y gives 5 (against x, the largest level)
    assert (found.loc["c", "worst"], found.loc["c", "best"]) == ("z", "y")


def test_holm_adjustment_matches_a_hand_computation():
    frame = correlated().assign(noise=np.random.default_rng(3).random(3000) < 0.5)
    drivers = (
        Driver(key="a", kind="binary", column="a", change=-5.0),
        Driver(key="b", kind="binary", column="b", change=-5.0),
        Driver(key="noise", kind="binary", column="noise", change=-5.0),
    )
    found = analyse(frame.assign(noise=frame["noise"].astype(int)), drivers, resamples=20).table
    p = found["p_value"].to_numpy()
    # Holm by hand: sort, multiply the i-th smallest by (3 - i), keep the running maximum, cap at 1
    order = np.argsort(p)
    hand, running = np.empty(3), 0.0
    for i, j in enumerate(order):
        running = max(running, min(1.0, (3 - i) * p[j]))
        hand[j] = running
    assert found["p_holm"].to_numpy() == pytest.approx(hand)
    noise = found.set_index("driver").loc["noise"]
    assert not noise["significant"]
    assert pd.isna(noise["rank"])  # a driver that is not significant has no rank


def test_driver_under_the_minimum_n_is_left_out_and_said():
    rng = np.random.default_rng(5)
    frame = simulated(n=2000)
    rare = np.zeros(2000, dtype=int)
    rare[rng.choice(2000, 29, replace=False)] = 1  # 29 answers with it: under 30
    enough = np.zeros(2000, dtype=int)
    enough[:30] = 1
    level = np.where(np.arange(2000) < 20, "tiny", np.where(np.arange(2000) < 1000, "big", "other"))
    frame = frame.assign(rare=rare, enough=enough, cat=level)
    drivers = (
        *BINARY,
        Driver(key="rare", kind="binary", column="rare", change=-5.0),
        Driver(key="enough", kind="binary", column="enough", change=-5.0),
        Driver(key="cat", kind="categorical", column="cat", change=5.0),
    )
    found = analyse(frame, drivers, resamples=20)
    assert [(e.driver, e.reason, e.n) for e in found.excluded] == [("rare", "few", 29)]
    assert set(found.table["driver"]) == {"a", "b", "c", "enough", "cat"}
    # "tiny" (20 answers) is pooled with the largest level; "other" (1000) and "big" (980) stay
    assert found.levels["cat"] == ("other", "big")


def test_not_significant_drivers_read_not_significant_and_have_no_rank():
    frame = simulated(n=3000).assign(noise=np.random.default_rng(2).integers(0, 2, 3000))
    drivers = (*BINARY, Driver(key="noise", kind="binary", column="noise", change=-5.0))
    found = analyse(frame, drivers, resamples=20)
    shown = display_table(found, "en")
    ranks = dict(zip(found.table["driver"], shown["Rank"], strict=True))
    assert ranks["noise"] == "not significant"
    assert display_table(found, "fr")["Rang"].tolist()[-1] == "non significatif"
    assert list(found.table["driver"])[-1] == "noise"  # listed after every ranked driver


@pytest.fixture
def db(monkeypatch):
    path = demo_db()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def run_cli(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "drivers", *args])


def test_cli_prints_the_drivers_in_french_and_english(db):
    fr = run_cli(db)
    assert fr.exit_code == 0, fr.output
    assert "Leviers du NPS" in fr.stdout
    assert "Effort client (1-7)" in fr.stdout
    assert "Résolution dès la 1re visite" in fr.stdout
    assert "pas des causes" in fr.stderr
    en = run_cli(db, "--lang", "en", "--region", "Bretagne")
    assert en.exit_code == 0, en.output
    assert "Key drivers of NPS · Bretagne" in en.stdout
    assert "Customer effort (1-7)" in en.stdout
    assert "First-time fix rate" in en.stdout
    assert "not causes" in en.stderr


def test_cli_json_ranks_only_significant_drivers_with_holm_p_values(db):
    result = run_cli(db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    ranked = [r for r in rows if r["rank"] is not None]
    assert all(r["significant"] and r["p_holm"] < 0.05 for r in ranked)
    assert all(not r["significant"] for r in rows if r["rank"] is None)
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    shares = [r["share"] for r in ranked]
    assert shares == sorted(shares, reverse=True)


def test_trajectory_page_shows_the_drivers_once_opened(db):
    at = AppTest.from_file("../dashboard/pages/trajectory.py", default_timeout=90)
    at.query_params["traj_drivers_fr"] = "true"
    at.run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "Levier" in df.value.columns)
    assert "Effort client (1-7)" in set(table["Levier"])
    assert any("≈" in m.value and "pt de NPS" in m.value for m in at.markdown)
    assert any("pas des causes" in c.value for c in at.caption)


def test_regions_page_shows_one_region_drivers_in_english(db):
    at = AppTest.from_file("../dashboard/pages/regions.py", default_timeout=90)
    for key, value in {"drill": "Bretagne", "lang": "en", "regions_drivers_en": "true"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert any(s.value == "Key drivers of NPS · Bretagne" for s in at.subheader)
    table = next(df.value for df in at.dataframe if "Driver" in df.value.columns)
    assert "Customer effort (1-7)" in set(table["Driver"])


def test_board_pack_has_the_drivers_section_in_both_languages(db):
    from metrics.reports.board_pack import build_report

    store = open_store(db)
    try:
        page = build_report(store, None, "fr")
        assert "<h2>Leviers du NPS</h2>" in page
        assert "Effort client (1-7)" in page
        english = section_html(key_drivers(store), "en")
    finally:
        store.close()
    assert "<h2>Key drivers of NPS</h2>" in english
    assert "not causes" in english


def test_driver_rows_link_complaints_by_customer_and_visits_by_site_month_as_pandas_does(db):
    import datetime as dt

    from metrics.contracts.datasets import DATASETS
    from metrics.insights.drivers import driver_rows

    start, end = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    store = open_store(db)
    try:
        got = driver_rows(store, start, end)
        with store.cursor() as cur:
            answers = cur.execute(f"SELECT * FROM {DATASETS['responses'].table}").df()
            complaints = cur.execute(f"SELECT * FROM {DATASETS['complaints'].table}").df()
            visits = cur.execute(f"SELECT * FROM {DATASETS['interventions'].table}").df()
    finally:
        store.close()
    at = answers["responded_at"]
    answers = answers[answers["score"].notna() & (at >= "2026-06-01") & (at < "2026-07-01")]
    pairs = answers[["response_id", "responded_at", "customer_id"]].merge(complaints, on="customer_id")
    lived = pairs[(pairs["opened_at"] <= pairs["responded_at"])
                  & (pairs["opened_at"] > pairs["responded_at"] - pd.Timedelta(days=90))].copy()  # fmt: skip
    until = lived["closed_at"].fillna(lived["responded_at"]).clip(upper=lived["responded_at"])
    lived["slow"] = (until - lived["opened_at"]) > pd.Timedelta(days=7)
    lived["several"] = lived["contacts"] > 1
    per_answer = lived.groupby("response_id")[["several", "slow", "escalated"]].any()
    assert len(got) == len(answers)
    assert got["complained"].sum() == len(per_answer)
    for column in ("several", "slow", "escalated"):
        assert got[column].sum() == per_answer[column].fillna(False).sum(), column
    # first-time fix of the answer's site in its month: the share of that site-month's visits fixed
    visits = visits.assign(month=visits["completed_at"].dt.to_period("M"))
    rate = visits.groupby(["site", "month"])["first_time_fix"].mean().mul(100).rename("rate").reset_index()
    linked = answers.assign(month=answers["responded_at"].dt.to_period("M")).merge(rate, on=["site", "month"])
    assert got["ftf_pct"].notna().sum() == len(linked)
    assert got["ftf_pct"].sum() == pytest.approx(linked["rate"].sum())


def test_first_time_fix_drivers_recover_a_known_kind_and_contractor_effect(store, tmp_path):
    # 1 200 interventions in one region: repairs fix first time 60 % of the time, installations 90 %;
    # contractor B fixes 15 points less than in-house visits at the same kind; so kind and contractor
    # both matter, and a region split is constant (one region: said, not ranked)
    import datetime as dt

    from metrics.ingest.importing import import_file

    rng = np.random.default_rng(7)
    lines = ["n° intervention;date;région;code site;type;prestataire;résolu 1re visite"]
    truth = []
    for i in range(1200):
        kind = "repair" if i % 2 else "installation"
        contractor = "B" if i % 3 == 0 else ""
        p = (0.6 if kind == "repair" else 0.9) - (0.15 if contractor else 0.0)
        fixed = bool(rng.random() < p)
        truth.append((kind, contractor, fixed))
        day = 1 + i % 28
        answer = "oui" if fixed else "non"
        lines.append(f"I{i};{day:02d}/0{1 + i % 9}/2026;Nord;NOR-01;{kind};{contractor};{answer}")
    src = tmp_path / "interventions.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(store, "interventions", src)
    found = key_drivers(store, year=2026, as_of=dt.date(2026, 9, 30), metric_key="first_time_fix_rate")
    table = found.table.set_index("driver")
    assert found.n == 1200
    assert found.nps == pytest.approx(100 * np.mean([f for *_, f in truth]))  # the first-time-fix rate
    assert bool(table.loc["kind", "significant"])
    assert bool(table.loc["contractor", "significant"])
    assert (table.loc["kind", "worst"], table.loc["kind", "best"]) == ("repair", "installation")
    # the true kind effect of moving 5 % of interventions from repair to installation: 5 % x 30 points
    assert table.loc["kind", "effect_low"] <= 0.05 * 30 <= table.loc["kind", "effect_high"]
    assert [e.driver for e in found.excluded] == ["region"]
