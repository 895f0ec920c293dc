"""Targets and trajectories, every field worked out by hand."""

import datetime as dt

import pytest

from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.reports.outlook import summary
from metrics.reports.trajectory import trajectory
from metrics.semantic.definitions import metric

SEPT_END = dt.date(2025, 9, 30)


def write_responses(path, months, region="Nord", year=2025, start_id=0):
    """months: {month: (promoters, passives, detractors)}; one answer per line."""
    lines = ["response_id;responded_at;region;score"]
    i = start_id
    for month, (p, s, d) in months.items():
        for score, count in ((10, p), (8, s), (2, d)):
            for _ in range(count):
                i += 1
                lines.append(f"{region[0]}{i};15/{month:02d}/{year};{region};{score}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(store, tmp_path, name, dataset, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    import_file(store, dataset, path)


def test_nine_months_at_33_5_against_40_need_59_5(store, tmp_path):
    # each month 200 answers: 87 promoters, 93 passives, 20 detractors -> (87 - 20) / 200 = 33.5
    import_file(
        store, "responses", write_responses(tmp_path / "r.csv", {m: (87, 93, 20) for m in range(1, 10)})
    )
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;40;\n")
    tr = trajectory(store, metric("nps"), year=2025, as_of=SEPT_END)
    assert tr.value == pytest.approx(33.5)
    assert tr.n == 1800
    assert tr.target == 40.0
    assert tr.gap == pytest.approx(-6.5)
    # no previous year: straight line from the first month's level (33.5) at the start of January
    # to 40 in December; at September: 33.5 + 6.5 * 9 / 12 = 38.375
    assert tr.glide == pytest.approx(38.375, abs=1e-3)
    # YTD moe, adjusted Wald: n' = 1803, p_P = 783.75/1803 = .434692, p_D = 180.75/1803 = .100250,
    # var = .534942 - .334442^2 = .423090; 1.959964 * sqrt(.423090 / 1803) * 100 = 3.0024
    assert tr.moe == pytest.approx(3.0024, abs=1e-4)
    assert tr.status == "off_track"  # 38.375 - 33.5 = 4.875 > 3.0024
    assert tr.months_left == 3
    # 12 * 40 = 480 = 9 * 33.5 + 3 * required -> required = (480 - 301.5) / 3 = 59.5
    assert tr.required == pytest.approx(59.5)
    assert tr.reachable is True
    assert tr.projection == pytest.approx(33.5)
    assert tr.change_vs_last_month == pytest.approx(0.0)


def test_glide_starts_from_the_previous_full_year(store, tmp_path):
    # 2024: 100 answers, 40 promoters, 20 detractors -> 20; 2025 jan-sep at 33.5 against 40
    import_file(store, "responses", write_responses(tmp_path / "p.csv", {6: (40, 40, 20)}, year=2024))
    import_file(
        store,
        "responses",
        write_responses(tmp_path / "r.csv", {m: (87, 93, 20) for m in range(1, 10)}, start_id=1000),
    )
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;40;\n")
    tr = trajectory(store, metric("nps"), year=2025, as_of=SEPT_END)
    # 20 + (40 - 20) * 9 / 12 = 35
    assert tr.glide == pytest.approx(35.0)
    assert tr.months["glide"].iloc[0] == pytest.approx(20 + 20 / 12)


def test_target_already_met_is_on_track(store, tmp_path):
    # 100 answers a month, 60 promoters, 10 detractors -> 50 against 40
    import_file(
        store, "responses", write_responses(tmp_path / "r.csv", {m: (60, 30, 10) for m in range(1, 10)})
    )
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;40;\n")
    tr = trajectory(store, metric("nps"), year=2025, as_of=SEPT_END)
    assert tr.status == "on_track"
    assert tr.gap == pytest.approx(10.0)
    # (480 - 9 * 50) / 3 = 10: the last quarter may fall to 10 and still make 40
    assert tr.required == pytest.approx(10.0)
    assert tr.reachable is True


def test_target_out_of_reach_says_so_with_the_best_still_possible(store, tmp_path):
    # 100 a month at NPS 0 (30 promoters, 30 detractors) against 40: required (480 - 0) / 3 = 160 > 100
    import_file(
        store, "responses", write_responses(tmp_path / "r.csv", {m: (30, 40, 30) for m in range(1, 10)})
    )
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;40;\n")
    tr = trajectory(store, metric("nps"), year=2025, as_of=SEPT_END)
    assert tr.required == pytest.approx(160.0)
    assert tr.reachable is False
    # best: every remaining answer a promoter: (0 * 900 + 100 * 300) / 1200 = 25
    assert tr.best_possible == pytest.approx(25.0)


def test_unequal_monthly_volumes_weigh_the_ytd_and_the_required_rate(store, tmp_path):
    # jan: 100 answers at NPS 0 (30/40/30); feb: 300 answers at NPS 60 (190/70/10 -> (190 - 10) / 300 = 60)
    # YTD = (0 * 100 + 60 * 300) / 400 = 45 (an unweighted mean of months would say 30)
    import_file(store, "responses", write_responses(tmp_path / "r.csv", {1: (30, 40, 30), 2: (190, 100, 10)}))
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;50;\n")
    tr = trajectory(store, metric("nps"), year=2025, as_of=dt.date(2025, 2, 28))
    assert tr.value == pytest.approx(45.0)
    # remaining 10 months at the YTD average volume (200 a month): n_rest = 2000
    # required = (50 * 2400 - 45 * 400) / 2000 = (120000 - 18000) / 2000 = 51
    assert tr.required == pytest.approx(51.0)
    # projection: last three months (jan, feb) repeated at their average sums: +10 * (110 prom, 20 det, 200 n)
    # year end: promoters 220 + 1100 = 1320, detractors 40 + 200 = 240, n 400 + 2000 = 2400 -> 45
    assert tr.projection == pytest.approx(45.0)


def test_a_region_with_its_own_target_uses_it(store, tmp_path):
    import_file(
        store, "responses", write_responses(tmp_path / "n.csv", {m: (87, 93, 20) for m in range(1, 10)})
    )
    import_file(
        store,
        "responses",
        write_responses(
            tmp_path / "b.csv", {m: (60, 30, 10) for m in range(1, 10)}, region="Bretagne", start_id=5000
        ),
    )
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;40;\n2025;nps;35;Nord\n")
    assert trajectory(store, metric("nps"), year=2025, as_of=SEPT_END, region="Nord").target == 35.0
    assert trajectory(store, metric("nps"), year=2025, as_of=SEPT_END, region="Bretagne").target == 40.0
    table = summary(store, year=2025, as_of=SEPT_END, by_region=True).set_index("region", drop=False)
    assert table.loc["Nord", "target"] == 35.0
    assert table.loc["Bretagne", "value"] == pytest.approx(50.0)


def test_lower_is_better_complaints_per_1000_customers(store, tmp_path):
    # 9 months, base 1000 customers, 3 complaints a month -> 3.0 per 1,000; target 2.5 (lower is better)
    lines = ["complaint_id;opened_at;region"]
    lines += [f"C{m}-{k};10/{m:02d}/2025;Nord" for m in range(1, 10) for k in range(3)]
    load(store, tmp_path, "c.csv", "complaints", "\n".join(lines) + "\n")
    load(
        store,
        tmp_path,
        "k.csv",
        "customers",
        "month;region;customers\n" + "".join(f"{m:02d}/2025;Nord;1000\n" for m in range(1, 13)),
    )
    load(
        store,
        tmp_path,
        "t.csv",
        "targets",
        "year;metric;target;region\n2025;complaints_per_1000_customers;2,5;\n",
    )
    tr = trajectory(store, metric("complaints_per_1000_customers"), year=2025, as_of=SEPT_END)
    assert tr.value == pytest.approx(3.0)
    assert tr.status in ("off_track", "at_risk")
    # weights are customer-months: 9000 so far, 3000 to come
    # required = (2.5 * 12000 - 3 * 9000) / 3000 = (30000 - 27000) / 3000 = 1.0
    assert tr.required == pytest.approx(1.0)
    assert tr.reachable is True


def test_targets_import_rejects_unknown_metric_and_impossible_values(store, tmp_path):
    path = tmp_path / "objectifs.csv"
    path.write_text(
        "année;indicateur;objectif;région\n2025;nps;40;\n2025;npss;40;\n2025;nps;140;Nord\n"
        "2025;first_time_fix_rate;-5;\n",
        encoding="utf-8",
    )
    # 3 of 4 rows rejected: the test reads each reason, so the whole-file threshold is lifted
    report = import_file(store, "targets", path, options=ImportOptions(max_rejected=100.0))
    assert (report.accepted, report.rejected) == (1, 3)
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, "unknown_metric"),
        (4, "impossible_target"),
        (5, "impossible_target"),
    ]
    assert report.problems[1].render("en") == (
        'objectifs.csv, line 4, column objectif: "140" is an impossible value for this metric'
    )


def test_targets_edited_as_a_table_are_validated_saved_and_reversible(store):
    import pandas as pd

    from metrics.ingest.history import rollback
    from metrics.ingest.target_table import list_targets, save_targets

    first = save_targets(
        store, pd.DataFrame({"year": [2025], "metric": ["nps"], "target": [40.0], "region": [None]})
    )
    assert (first.accepted, first.rejected) == (1, 0)
    edited = pd.DataFrame(
        {"year": [2025, 2025], "metric": ["nps", "nps"], "target": [42.0, 140.0], "region": [None, "Nord"]}
    )
    report = save_targets(store, edited)
    assert (report.accepted, report.updated, report.rejected) == (1, 1, 1)
    assert report.problems[0].reason == "impossible_target"
    assert list_targets(store, 2025)["target"].tolist() == [42.0]
    rollback(store, report.import_id)
    assert list_targets(store, 2025)["target"].tolist() == [40.0]


def test_a_survey_started_in_july_needs_46_5_not_59_5(store, tmp_path):
    # July-September, 200 answers a month at 33.5 against 40; the 3 months to come bring 3 x 200 = 600
    # answers at the recent pace (not 3 x 600/9 = 200 spread since January by chance, but the rule must
    # not assume January): 40 x 1200 = 33.5 x 600 + r x 600 -> r = (48000 - 20100) / 600 = 46.5
    import_file(store, "responses", write_responses(tmp_path / "r.csv", {m: (87, 93, 20) for m in (7, 8, 9)}))
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;40;\n")
    tr = trajectory(store, metric("nps"), year=2025, as_of=SEPT_END)
    assert tr.n == 600
    assert tr.required == pytest.approx(46.5)


def test_a_mid_month_as_of_counts_the_rest_of_the_month_as_to_come(store, tmp_path):
    # Jan-Aug 200 answers a month, 15 September 100 answers, all at 33.5; as of 15 September
    # YTD n = 8 x 200 + 100 = 1700, net promoters 8 x 67 + (44 - 10) = 570 -> 33.529
    # recent complete months Jun-Aug: 200 a month
    # to come: 15 days of September (15/30 of a month) + 3 months = 3.5 months -> 700 answers
    # 40 x 2400 = 100 x 570 + r x 700 -> r = (96000 - 57000) / 700 = 55.714
    months = {m: (87, 93, 20) for m in range(1, 9)} | {9: (87 // 2 + 1, 93 // 2, 20 // 2)}
    import_file(store, "responses", write_responses(tmp_path / "r.csv", months))
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;40;\n")
    tr = trajectory(store, metric("nps"), year=2025, as_of=dt.date(2025, 9, 15))
    assert tr.n == 1700
    assert tr.value == pytest.approx(100 * (8 * 67 + 34) / 1700)  # 44 - 10 = 34 net in September
    assert tr.required == pytest.approx((40 * 2400 - tr.value * 1700) / 700)
    assert tr.required == pytest.approx(55.714, abs=1e-3)


def test_a_target_without_data_says_no_data_not_off_track(store, tmp_path):
    import_file(store, "responses", write_responses(tmp_path / "r.csv", {1: (87, 93, 20)}))
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;first_time_fix_rate;80;\n")
    tr = trajectory(store, metric("first_time_fix_rate"), year=2025, as_of=SEPT_END)
    assert tr.status == "no_data"
    assert summary(store, year=2025, as_of=SEPT_END)["status"].tolist() == ["no_data"]


def test_default_as_of_keeps_a_month_the_calendar_has_passed(store, tmp_path):
    from metrics.reports.trajectory import default_as_of

    # last answer on 28 September: read in October, September is complete; read on 29 September, not yet
    path = tmp_path / "r.csv"
    path.write_text("response_id;responded_at;region;score\nA1;28/09/2025;Nord;9\n", encoding="utf-8")
    import_file(store, "responses", path)
    assert default_as_of(store, today=dt.date(2025, 10, 5)) == SEPT_END
    assert default_as_of(store, today=dt.date(2025, 9, 29)) == dt.date(2025, 8, 31)


def test_a_median_is_not_projected(store, tmp_path):
    load(
        store, tmp_path, "c.csv", "complaints",
        "complaint_id;opened_at;closed_at;region\nC1;01/09/2025;03/09/2025;Nord\nC2;01/09/2025;11/09/2025;Nord\n",
    )
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;resolution_days_median;5;\n")
    tr = trajectory(store, metric("resolution_days_median"), year=2025, as_of=SEPT_END)
    assert tr.value == 6.0  # median of 2 and 10 days
    assert tr.projection is None


def test_summary_gives_the_probability_of_reaching_each_target(store, tmp_path):
    # NPS: nine months of 200 answers at 33.5 (87 P, 20 D) need 59.5 in the last three: hopeless
    # first-time fix: nine months of 100 visits at 90 % against 80 %: safe
    steady = {m: (87, 93, 20) for m in range(1, 10)}
    import_file(store, "responses", write_responses(tmp_path / "r.csv", steady))
    lines = ["intervention_id;completed_at;region;first_time_fix"]
    for month in range(1, 10):
        lines += [f"I{month}-{i};15/{month:02d}/2025;Nord;{'oui' if i < 90 else 'non'}" for i in range(100)]
    load(store, tmp_path, "i.csv", "interventions", "\n".join(lines) + "\n")
    load(store, tmp_path, "t.csv", "targets",
         "year;metric;target;region\n2025;nps;40;\n2025;first_time_fix_rate;80;\n")
    got = summary(store, year=2025, as_of=SEPT_END).set_index("metric")["probability"]
    assert got["nps"] <= 0.05
    assert got["first_time_fix_rate"] >= 0.95


def test_summary_json_has_a_probability_between_0_and_1(store, tmp_path):
    import json

    from click.testing import CliRunner

    from metrics.cli.main import cli

    steady = {m: (87, 93, 20) for m in range(1, 10)}
    import_file(store, "responses", write_responses(tmp_path / "r.csv", steady))
    load(store, tmp_path, "t.csv", "targets", "year;metric;target;region\n2025;nps;35;\n")
    db = str(store.path)
    store.close()
    result = CliRunner().invoke(
        cli, ["--db", db, "summary", "--year", "2025", "--as-of", "2025-09-30", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all(0 <= r["probability"] <= 1 for r in rows)
    # 33.5 needing 35 x 2400/600 - 33.5 x 1800/600 = 39.5 over three months: a real but small chance
    assert 0 < rows[0]["probability"] < 0.5
