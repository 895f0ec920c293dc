"""Groups against the rest with Holm's correction: hand-worked tests, a simulation, and the CLI."""

import datetime as dt
import json

import numpy as np
import pytest
from click.testing import CliRunner

from metrics import stats
from metrics.cli.main import cli
from metrics.errors import UnknownName
from metrics.ingest.importing import import_file
from metrics.reports.comparison import compare_groups
from metrics.semantic.definitions import metric
from metrics.store import open_store

# (promoters, detractors, answers) per region and year
YEARS = {
    2025: {"A": (20, 10, 40), "B": (10, 20, 40), "C": (15, 15, 40)},
    2026: {"A": (28, 4, 40), "B": (10, 20, 40), "C": (15, 15, 40)},
}


def responses_csv():
    lines, number = ["n° réponse;date de réponse;région;note\r\n"], 0
    for year, regions in YEARS.items():
        for region, (prom, det, n) in regions.items():
            for i in range(n):
                score = 10 if i < prom else (3 if i < prom + det else 8)
                number += 1
                lines.append(f"{number};15/03/{year};{region};{score}\r\n")
    return "".join(lines)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    path = root / "reponses.csv"
    path.write_bytes(responses_csv().encode("cp1252"))
    s = open_store(root / "cx.duckdb", idle_seconds=5)
    import_file(s, "responses", path)
    yield s
    s.close()


def year(y):
    return {"start": dt.date(y, 1, 1), "end": dt.date(y, 12, 31)}


def test_two_flags_at_p_0_025_become_noise_among_three_regions(store):
    # 2025: A 20 P 10 D of 40 (+25) against B + C 25 P 35 D of 80 (-12.5): diff 37.5
    # pooled shares P 45/120 = .375, D .375: var .75; se = 100 sqrt(.75 (1/40 + 1/80)) = 16.7705
    # z = 2.236068, p = .025347; B is the mirror image; C: diff 0, p = 1
    # Holm over 3: .025347 x 3 = .076041, max(.076041, .025347 x 2) = .076041, 1 -> all noise
    got = compare_groups(store, metric("nps"), by="region", **year(2025), min_n=30).set_index("region")
    assert got.loc["A", "diff"] == pytest.approx(37.5)
    assert got.loc["A", "p"] == pytest.approx(0.025347, abs=1e-6)
    assert got["p_adjusted"].tolist() == pytest.approx([0.076041, 0.076041, 1.0], abs=1e-6)
    assert set(got["verdict"]) == {"noise"}


def test_a_real_difference_survives_the_correction(store):
    # 2026: A 28 P 4 D (+60) against B + C (-12.5): diff 72.5; pooled P 53/120, D 39/120,
    # var = .766667 - .116667^2 = .753056, se = 100 sqrt(.753056 x .0375) = 16.8046, z = 4.314285
    # p = 1.6e-5 -> x3 = 4.8e-5: above. B: diff -25 - 30 = -55, z = -3.272906, p = .001064 -> x2: below
    # C: diff 0 - 17.5 = -17.5, z = -1.041379, p = .2977 -> noise
    got = compare_groups(store, metric("nps"), by="region", **year(2026), min_n=30).set_index("region")
    assert got.loc["A", "rest_value"] == pytest.approx(-12.5)
    assert got.loc["A", "p_adjusted"] == pytest.approx(3 * 1.6004e-5, rel=1e-3)
    assert got.loc["B", "p_adjusted"] == pytest.approx(2 * 0.0010642, rel=1e-3)
    assert got["verdict"].to_dict() == {"A": "above", "B": "below", "C": "noise"}


def test_groups_under_min_n_are_small_and_left_out_of_the_family(store):
    # with min_n 41 every region (40 answers) is too small to test
    got = compare_groups(store, metric("nps"), by="region", **year(2026), min_n=41)
    assert set(got["verdict"]) == {"small"}
    assert got["p_adjusted"].isna().all()


def test_census_metrics_are_not_compared(store):
    with pytest.raises(UnknownName, match="is a census"):
        compare_groups(store, metric("responses"), by="region")


def test_holm_keeps_nine_equal_regions_quiet_where_uncorrected_tests_flag_a_third_of_months():
    # nine regions with the same true shares (45 % P, 20 % D), 300 answers each, 600 simulated months
    rng = np.random.default_rng(11)
    months, regions, n = 600, 9, 300
    counts = rng.multinomial(n, [0.45, 0.35, 0.20], size=(months, regions))
    prom, det = counts[..., 0], counts[..., 2]
    rest_p, rest_d = prom.sum(1, keepdims=True) - prom, det.sum(1, keepdims=True) - det
    p = stats.compare_nps(prom, det, n, rest_p, rest_d, n * (regions - 1)).p_value
    raw = (p < 0.05).any(axis=1).mean()
    holm = np.array([(stats.holm(row) < 0.05).any() for row in p]).mean()
    assert raw > 0.25  # about a third of months flag a region by chance
    assert holm <= 0.07  # Holm holds the family-wise error near 5 %


def test_median_comparison_uses_moods_test(tmp_path):
    # Nord closes in 1..8 days (8 complaints), Sud in 20..27 (8): grand median of 16 values = 14
    # above 14: Nord 0 of 8, Sud 8 of 8; table [[0, 8], [8, 0]]: |0 - 64| = 64 > 16/2
    # chi2 = 16 (64 - 8)^2 / (8 x 8 x 8 x 8) = 12.25 -> p = .000465; Holm x2 = .000931
    lines = ["n° réclamation;date d'ouverture;date de clôture;région\r\n"]
    for i in range(8):
        lines.append(f"N{i};01/03/2026 08:00;{2 + i:02d}/03/2026 08:00;Nord\r\n")
        lines.append(f"S{i};01/03/2026 08:00;{21 + i:02d}/03/2026 08:00;Sud\r\n")
    path = tmp_path / "reclamations.csv"
    path.write_text("".join(lines), encoding="utf-8")
    s = open_store(tmp_path / "cx.duckdb")
    import_file(s, "complaints", path)
    median = metric("resolution_days_median")
    got = compare_groups(s, median, by="region", **year(2026), min_n=5).set_index("region")
    s.close()
    assert got.loc["Nord", "value"] == 4.5  # median of 1..8
    assert got.loc["Nord", "rest_value"] == 23.5  # median of 20..27
    assert got.loc["Nord", "p"] == pytest.approx(0.000465, abs=1e-6)
    assert got.loc["Nord", "p_adjusted"] == pytest.approx(0.000931, abs=1e-6)
    assert got["verdict"].to_dict() == {"Nord": "below", "Sud": "above"}


def test_compare_command_prints_what_the_api_returns(store):
    db = str(store.path)
    store.close()
    result = CliRunner().invoke(
        cli, ["--db", db, "compare", "nps", "--by", "region", "--year", "2026", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["region"]: r for r in json.loads(result.output)}
    assert {r: rows[r]["verdict"] for r in rows} == {"A": "above", "B": "below", "C": "noise"}
    assert rows["A"]["diff"] == pytest.approx(72.5)
    assert set(rows["A"]) >= {"value", "n", "rest_value", "diff", "p", "p_adjusted", "verdict"}


def test_compare_command_refuses_year_with_a_range(store):
    result = CliRunner().invoke(
        cli,
        ["--db", str(store.path), "compare", "nps", "--by", "region", "--year", "2026",
         "--from", "2026-01-01"],
    )
    assert result.exit_code == 2
    assert "give --year or --from/--to, not both" in result.output


def test_compare_min_n_default_is_the_comparison_default():
    from metrics.cli.compare import compare_command
    from metrics.reports.comparison import MIN_N

    assert next(p for p in compare_command.params if p.name == "min_n").default == MIN_N
