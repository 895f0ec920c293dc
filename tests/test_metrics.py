"""Every metric against values worked out by hand from small real files in a real DuckDB file."""

import datetime as dt
import math

import pandas as pd
import pytest

from metrics.errors import UnknownName
from metrics.ingest.importing import import_file
from metrics.semantic import rollups
from metrics.semantic.definitions import METRICS, Settings, metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store

SEPT = dt.date(2025, 9, 1)
OCT = dt.date(2025, 10, 1)
NPS = metric("nps")

RESPONSES = (
    "n° réponse;date de réponse;région;note;effort client;canal\r\n"
    "1;02/09/2025;Bretagne;10;2;Boutique\r\n"
    "2;02/09/2025 10:30;Bretagne;9;3;Boutique\r\n"
    "3;03/09/2025;Bretagne;8;;Téléphone\r\n"
    "4;03/09/2025;Bretagne;3;6;Téléphone\r\n"
    "5;04/09/2025;Normandie;6;5;Web\r\n"
    "6;04/09/2025;Normandie;6;;Web\r\n"
    "7;05/10/2025;Normandie;10;1;Web\r\n"
)
INTERVENTIONS = (
    "n° intervention;date de clôture;région;site;résolu 1re visite;type\r\n"
    "I1;01/09/2025;Nord;LIL-T;oui;Raccordement\r\n"
    "I2;02/09/2025;Nord;LIL-T;oui;Raccordement\r\n"
    "I3;03/09/2025;Nord;SUB-T;non;Raccordement\r\n"
    "I4;04/09/2025;Nord;SUB-T;oui;Dépannage\r\n"
)
SITES = (
    "code site;région;type de site\r\nLIL-T;Nord;Interne\r\nSUB-T;Nord;Sous-traité\r\nLIL-CC;Nord;Interne\r\n"
)
COMPLAINTS = (
    "n° réclamation;date d'ouverture;date de clôture;région;nb contacts;escaladée\r\n"
    "C1;01/09/2025 08:00;03/09/2025 08:00;Nord;1;non\r\n"
    "C2;05/09/2025 08:00;20/09/2025 08:00;Nord;3;oui\r\n"
    "C3;10/09/2025 08:00;;Nord;2;non\r\n"
    "C4;02/10/2025 08:00;06/10/2025 08:00;Nord;1;non\r\n"
    "C5;28/09/2025 10:00;01/10/2025 10:00;Nord;1;non\r\n"
)
CUSTOMERS = "mois;région;clients\r\n09/2025;Nord;2000\r\n10/2025;Nord;2000\r\n"
WORKLOAD_HEADER = (
    "date;région;site;équipe;conseillers;contacts traités;temps de traitement;heures planifiées;"
    "heures supplémentaires;heures d'absence;évaluations\r\n"
)
TEAMS = {  # agents, contacts, handle minutes, scheduled h, overtime h, absence h, evaluations (per day)
    "A": (10, 400, "2400", "70", "5", "7", 20),
    "B": (4, 150, "900", "28", "4", "0", 12),
    "C": (8, 300, "1800", "56", "2", "5,6", 8),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("metrics")
    store = open_store(tmp_path / "cx.duckdb", idle_seconds=5)
    workload = WORKLOAD_HEADER + "".join(
        f"0{day}/09/2025;Nord;LIL-CC;Équipe {team};{a};{c};{h};{s};{o};{ab};{e}\r\n"
        for day in (1, 2)
        for team, (a, c, h, s, o, ab, e) in TEAMS.items()
    )
    for name, text in (
        ("responses", RESPONSES),
        ("interventions", INTERVENTIONS),
        ("sites", SITES),
        ("complaints", COMPLAINTS),
        ("customers", CUSTOMERS),
        ("workload", workload),
    ):
        path = tmp_path / f"{name}.csv"
        path.write_bytes(text.encode("cp1252"))
        report = import_file(store, name, path)
        assert report.rejected == 0
        assert report.accepted + report.skipped == report.rows_read
    yield store
    store.close()


def rows(store, key, **kw):
    return metric_frame(store, metric(key), **kw)


def test_nps_by_region_matches_hand_count(loaded):
    # Bretagne sept: 10 9 8 3 -> 2 promoters, 1 detractor of 4 -> (2-1)/4 = +25.0
    #   adjusted Wald: n' = 7, p_P = 2.75/7 = .392857, p_D = 1.75/7 = .25, var = .642857 - .142857^2
    #   = .622449; moe = 1.959964 * sqrt(.622449/7) * 100 = 58.45
    # Normandie sept: 6 6 -> 0 promoters, 2 detractors of 2 -> -100
    got = rows(loaded, "nps", by=("region",)).set_index(["period", "region"])
    assert got.loc[(SEPT, "Bretagne"), "value"] == 25.0
    assert got.loc[(SEPT, "Bretagne"), "n"] == 4
    assert got.loc[(SEPT, "Bretagne"), "moe"] == pytest.approx(58.45, abs=0.01)
    assert got.loc[(SEPT, "Normandie"), "value"] == -100.0
    assert got.loc[(OCT, "Normandie"), "value"] == 100.0


def test_nps_ytd_is_cumulative_over_answers_not_a_mean_of_months(loaded):
    # Normandie: sept 6 6, oct 10 -> YTD at oct: 1 promoter, 2 detractors of 3 = -33.3
    # (the mean of the monthly NPS, (-100 + 100) / 2 = 0, would be wrong)
    got = rows(loaded, "nps", grain="ytd", by=("region",), where={"region": ["Normandie"]})
    assert got["value"].round(1).tolist() == [-100.0, -33.3]
    assert got["n"].tolist() == [2, 3]


def test_score_distribution_shares_and_count(loaded):
    # September, all regions: 10 9 8 3 6 6 -> 2 promoters, 1 passive, 3 detractors of 6
    sept = {
        k: rows(loaded, k, start=SEPT, end=dt.date(2025, 9, 30)).iloc[0]
        for k in ("promoters_pct", "passives_pct", "detractors_pct", "responses")
    }
    assert sept["promoters_pct"]["value"] == pytest.approx(33.333, abs=1e-3)
    assert sept["passives_pct"]["value"] == pytest.approx(16.667, abs=1e-3)
    assert sept["detractors_pct"]["value"] == 50.0
    assert sept["responses"]["value"] == 6
    assert sept["responses"]["n"] == 6
    # Wilson, 2 of 6: z^2 = 3.841459; denom = 1 + z^2/6 = 1.640243; centre = (1/3 + z^2/12) / denom = .398389
    # half = z * sqrt((1/3)(2/3)/6 + z^2/144) / denom = 1.959964 * .252422 / 1.640243 = .301618
    # -> low .096771, high .700007
    assert sept["promoters_pct"]["low"] == pytest.approx(9.68, abs=0.01)
    assert sept["promoters_pct"]["high"] == pytest.approx(70.00, abs=0.01)


def test_effort_average_skips_missing_answers_and_has_a_t_interval(loaded):
    # Bretagne sept efforts 2, 3, 6 (one missing): mean 11/3 = 3.667; sd = sqrt((49 - 121/3)/2) = 2.082
    # t(.975, 2) = 4.302653; moe = 4.302653 * 2.082 / sqrt(3) = 5.171
    got = rows(loaded, "effort_avg", where={"region": ["Bretagne"]}).iloc[0]
    assert got["value"] == pytest.approx(3.6667, abs=1e-4)
    assert got["n"] == 3
    assert got["moe"] == pytest.approx(5.171, abs=1e-3)


def test_first_time_fix_rate_by_site_type_through_the_sites_reference(loaded):
    # in-house LIL-T: oui oui -> 100%; subcontracted SUB-T: non oui -> 50%
    got = rows(loaded, "first_time_fix_rate", by=("site_type",)).set_index("site_type")
    assert got["value"].to_dict() == {"in_house": 100.0, "subcontracted": 50.0}
    assert got["n"].to_dict() == {"in_house": 2, "subcontracted": 2}


def test_complaint_volume_rate_escalation_and_repeat_contacts(loaded):
    # opened in sept: C1 C2 C3 C5 = 4; in oct: C4 = 1; Nord base 2000 each month
    count = rows(loaded, "complaints")
    assert count["value"].tolist() == [4.0, 1.0]
    rate = rows(loaded, "complaints_per_1000_customers", by=("region",))
    assert rate["value"].tolist() == [2.0, 0.5]  # 4 / 2000 * 1000, 1 / 2000 * 1000
    quarter = rows(loaded, "complaints_per_1000_customers", grain="year")
    assert quarter["value"].iloc[0] == 1.25  # 5 / 4000 customer-months * 1000
    sept = {k: rows(loaded, k).iloc[0] for k in ("escalation_rate", "repeat_contact_rate")}
    assert sept["escalation_rate"]["value"] == 25.0  # C2 of 4
    assert sept["repeat_contact_rate"]["value"] == 50.0  # C2 (3 contacts), C3 (2) of 4


def test_resolution_median_and_sla_count_complaints_by_closing_month(loaded):
    # closed in sept: C1 2 days, C2 15 days -> median 8.5, within 10 days 1 of 2
    # closed in oct: C5 3 days, C4 4 days -> median 3.5, within 10 days 2 of 2
    median = rows(loaded, "resolution_days_median")
    assert median["value"].tolist() == [8.5, 3.5]
    assert median["n"].tolist() == [2, 2]
    sla = rows(loaded, "resolved_within_sla_pct")
    assert sla["value"].tolist() == [50.0, 100.0]
    strict = metric_frame(loaded, metric("resolved_within_sla_pct"), settings=Settings(sla_days=2.5))
    assert strict["value"].tolist() == [50.0, 0.0]  # only C1 (2 days) is within 2.5 days


def test_open_backlog_counts_complaints_open_at_each_period_end(loaded):
    # end of sept: C3 (never closed) and C5 (closed 1 oct) are open -> 2; end of oct: C3 -> 1
    got = rows(loaded, "open_backlog")
    assert got["value"].tolist() == [2.0, 1.0]


def test_workload_ratios_for_a_team_large_enough_to_show(loaded):
    # team A, 2 days: 20 agent-days, 800 contacts, 4800 handle minutes, 140 h scheduled, 14 h absent
    team_a = {
        k: rows(loaded, k, by=("team",)).set_index("team").loc["Équipe A"]
        for k in (
            "contacts_per_agent_day",
            "avg_handle_minutes",
            "overtime_hours_per_agent",
            "evaluations_per_agent",
            "absence_rate",
            "occupancy",
        )
    }
    assert team_a["contacts_per_agent_day"]["value"] == 40.0  # 800 / 20
    assert team_a["avg_handle_minutes"]["value"] == 6.0  # 4800 / 800
    assert team_a["overtime_hours_per_agent"]["value"] == 0.5  # 10 / 20
    assert team_a["evaluations_per_agent"]["value"] == 2.0  # 40 / 20
    assert team_a["absence_rate"]["value"] == 10.0  # 14 / 140
    assert team_a["occupancy"]["value"] == pytest.approx(63.492, abs=1e-3)  # 80 h / (140 - 14) h
    assert team_a["contacts_per_agent_day"]["n"] == 20


@pytest.mark.parametrize("key", [k for k, m in METRICS.items() if m.private])
@pytest.mark.parametrize(
    ("grain", "by"),
    [
        ("month", ("team",)),
        ("ytd", ("team",)),
        ("month", ("site", "team")),
        ("quarter", ("region", "team")),
        ("total", ("team",)),
    ],
)
def test_team_of_four_is_merged_with_the_smallest_team_of_its_site(loaded, key, grain, by):
    # B has 4 agents (< 5): never shown alone. B alone would be small, so the smallest other team of
    # the site, C (8), joins it: "autres équipes (LIL-CC)" holds 4 + 8 = 12 agents. A (10) stays.
    got = metric_frame(loaded, metric(key), grain=grain, by=by)
    assert set(got["team"]) == {"Équipe A", "autres équipes (LIL-CC)"}
    merged = got[got["team"] == "autres équipes (LIL-CC)"].iloc[0]
    assert merged["n"] == 24  # 12 agents x 2 days
    assert not got["suppressed"].any()


def test_contacts_of_the_merged_teams_are_their_sum(loaded):
    # B: 150 contacts/day, C: 300/day, 2 days -> 900 contacts over 24 agent-days = 37.5
    got = metric_frame(loaded, metric("contacts_per_agent_day"), by=("team",)).set_index("team")
    assert got.loc["autres équipes (LIL-CC)", "value"] == 37.5


@pytest.mark.parametrize("grain", ["day", "week"])
def test_workload_is_refused_below_the_month(loaded, grain):
    with pytest.raises(UnknownName, match="published by whole months only"):
        metric_frame(loaded, metric("contacts_per_agent_day"), grain=grain)


def test_workload_range_must_be_whole_months(loaded):
    overtime = metric("overtime_hours_per_agent")
    with pytest.raises(UnknownName, match=r"end the range on the last day of a month \(e.g. 2025-09-30\)"):
        metric_frame(loaded, overtime, grain="total", start=SEPT, end=dt.date(2025, 9, 2))


def test_company_total_of_workload_is_shown_when_the_group_is_large(loaded):
    # 22 agents a day: (800 + 300 + 600) contacts / 44 agent-days = 38.64
    got = metric_frame(loaded, metric("contacts_per_agent_day")).iloc[0]
    assert not got["suppressed"]
    assert got["value"] == pytest.approx(38.636, abs=1e-3)


def test_months_add_up_to_the_quarter_for_every_additive_metric(loaded):
    for key, m in METRICS.items():
        if m.kind.value in ("median", "backlog", "rate") or m.private:
            continue
        months = metric_frame(loaded, m, grain="month")
        quarters = metric_frame(loaded, m, grain="quarter")
        for name in m.measures:
            by_quarter = months.groupby(months["period"].map(lambda p: (p.month - 1) // 3))[name].sum()
            assert by_quarter.tolist() == quarters[name].tolist(), (key, name)
        assert months["n"].sum() == quarters["n"].sum(), key


def test_rows_without_data_are_absent_never_nan(loaded):
    got = metric_frame(loaded, NPS, grain="day")
    assert not got["value"].isna().any()
    assert (got["n"] > 0).all()


def test_unknown_dimension_or_grain_is_refused_with_a_suggestion(loaded):
    with pytest.raises(
        UnknownName, match=r"nps cannot be split or filtered by 'regoin'; did you mean \"region\""
    ):
        metric_frame(loaded, NPS, by=("regoin",))
    with pytest.raises(UnknownName, match=r"unknown grain 'mounth'; did you mean \"month\""):
        metric_frame(loaded, NPS, grain="mounth")
    with pytest.raises(UnknownName, match=r"unknown metric 'nsp'; did you mean \"nps\""):
        metric("nsp")


def test_filter_values_are_bound_parameters_not_sql(loaded):
    evil = "Bretagne' OR '1'='1"
    assert metric_frame(loaded, NPS, where={"region": [evil]}).empty
    assert not math.isnan(metric_frame(loaded, NPS, where={"region": ["Bretagne"]})["value"].iloc[0])


@pytest.mark.parametrize("key", [k for k, m in METRICS.items() if rollups.eligible(m)])
def test_rollup_gives_exactly_the_answer_of_the_raw_rows(loaded, key):
    dims = ("region",) if key == "complaints_per_1000_customers" else ("region", "site_type")
    for grain in ("month", "quarter", "ytd", "year", "total"):
        for by in ((), dims[:1], dims[1:]):
            kw = {"grain": grain, "by": by, "start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}
            assert rollups.usable(METRICS[key], grain, by, [], kw["start"], kw["end"])
            fast = metric_frame(loaded, METRICS[key], **kw)
            slow = metric_frame(loaded, METRICS[key], use_rollup=False, **kw)
            pd.testing.assert_frame_equal(fast, slow, check_dtype=False)


def test_rollup_is_not_used_when_it_could_differ(loaded):
    nps = METRICS["nps"]
    assert not rollups.usable(nps, "day", (), [], None, None)  # finer than a month
    assert not rollups.usable(nps, "month", (), [], dt.date(2025, 9, 15), None)  # part of a month
    sla = METRICS["resolved_within_sla_pct"]
    assert not rollups.usable(sla, "month", (), [], None, None)  # uses a setting
    assert not rollups.usable(METRICS["resolution_days_median"], "month", (), [], None, None)  # not additive


def test_complaint_rate_of_a_region_uses_that_region_s_customer_base_only(store, tmp_path):
    # sept: Nord 4 complaints for 2000 customers (2.0 per 1,000), Sud 1 for 1000 (1.0);
    # company: 5 / 3000 * 1000 = 1.667, not 5 / 2000 nor the mean of 2.0 and 1.0
    complaints = tmp_path / "c.csv"
    complaints.write_text(
        "complaint_id;opened_at;region\n"
        + "".join(f"{r}{k};10/09/2025;{r}\n" for r, count in (("Nord", 4), ("Sud", 1)) for k in range(count))
    )
    customers = tmp_path / "k.csv"
    customers.write_text("month;region;customers\n09/2025;Nord;2000\n09/2025;Sud;1000\n")
    import_file(store, "complaints", complaints)
    import_file(store, "customers", customers)
    for use_rollup in (True, False):

        def rate(fast=use_rollup, **kw):
            return metric_frame(store, metric("complaints_per_1000_customers"), use_rollup=fast, **kw)

        assert rate()["value"].round(3).tolist() == [1.667]
        assert rate(where={"region": ["Sud"]})["value"].tolist() == [1.0]
        assert rate(by=("region",)).set_index("region")["value"].to_dict() == {"Nord": 2.0, "Sud": 1.0}


def test_total_grain_gives_one_figure_for_the_whole_range(loaded):
    # Normandie sept + oct: 6 6 10 -> 1 promoter, 2 detractors of 3 = -33.3, labelled with the first day
    got = metric_frame(loaded, NPS, grain="total", by=("region",), start=SEPT, end=dt.date(2025, 10, 31))
    got = got.set_index("region")
    assert got.loc["Normandie", "value"] == pytest.approx(-33.333, abs=1e-3)
    assert got.loc["Normandie", "n"] == 3
    assert got.loc["Normandie", "period"] == SEPT
    with pytest.raises(UnknownName, match="open_backlog has no 'total' grain"):
        metric_frame(loaded, metric("open_backlog"), grain="total")


def test_median_over_a_range_pools_every_row_and_has_no_interval_under_six(loaded):
    # closed sept-oct: C1 2 days, C5 3, C4 4, C2 15 -> pooled median (3 + 4) / 2 = 3.5 over 4 values
    # (the mean of the two monthly medians, (8.5 + 3.5) / 2 = 6.0, would be wrong)
    median = metric("resolution_days_median")
    got = metric_frame(loaded, median, grain="total", start=SEPT, end=dt.date(2025, 10, 31))
    assert got["value"].tolist() == [3.5]
    assert got["n"].tolist() == [4]
    # 4 values: no pair of order statistics covers the median at 95 % -> no interval, never +- 0
    assert got[["low", "high", "moe"]].isna().all().all()


def test_median_interval_ranks_cover_at_least_95_percent_from_six_values():
    from scipy.stats import binom

    # the SQL's ranks: low = max(1, floor(n/2 - .98 sqrt n)), high = min(n, ceil(n/2 + 1 + .98 sqrt n));
    # coverage of (x_low, x_high) = P(low <= B <= high - 1), B ~ Binomial(n, 1/2)
    for n in range(6, 400):
        low = max(1, math.floor(n / 2 - 0.98 * math.sqrt(n)))
        high = min(n, math.ceil(n / 2 + 1 + 0.98 * math.sqrt(n)))
        coverage = binom.cdf(high - 1, n, 0.5) - binom.cdf(low - 1, n, 0.5)
        assert coverage >= 0.95, n
    assert 1 - 2 * 0.5**5 < 0.95  # five values: (min, max) covers only 93.75 %


def test_complaint_rate_on_part_of_a_month_uses_that_part_of_the_customer_base(loaded):
    # 1-15 September: C1 (1st), C2 (5th), C3 (10th) = 3 complaints; Nord 2,000 customers in a 30-day
    # month -> exposure 2000 x 15/30 = 1,000 -> 3 per 1,000 (a whole month's base would give 1.5)
    got = metric_frame(
        loaded, metric("complaints_per_1000_customers"), grain="total", start=SEPT, end=dt.date(2025, 9, 15)
    )
    assert got["n"].tolist() == [3]
    assert got["exposure"].tolist() == [1000.0]
    assert got["value"].tolist() == [3.0]


def test_complaint_rate_by_week_prorates_each_month_by_days(loaded):
    # week of Monday 1 Sept: C1, C2 = 2 complaints over 2000 x 7/30 = 466.667 -> 4.2857 per 1,000
    # week of Monday 29 Sept: 29-30 Sept (2000 x 2/30 = 133.333) + 1-5 Oct (2000 x 5/31 = 322.581)
    #   = 455.914, with C4 (2 Oct) -> 2.1934 per 1,000
    got = metric_frame(loaded, metric("complaints_per_1000_customers"), grain="week").set_index("period")
    first, last = got.loc[dt.date(2025, 9, 1)], got.loc[dt.date(2025, 9, 29)]
    assert first["n"] == 2
    assert first["exposure"] == pytest.approx(466.667, abs=1e-3)
    assert first["value"] == pytest.approx(4.2857, abs=1e-4)
    assert last["n"] == 1
    assert last["exposure"] == pytest.approx(455.914, abs=1e-3)
    assert last["value"] == pytest.approx(2.1934, abs=1e-4)
    # weeks with complaints: 1 Sept (C1 C2), 8 Sept (C3), 22 Sept (C5), 29 Sept (C4)
    assert list(got.index) == [dt.date(2025, 9, d) for d in (1, 8, 22, 29)]
