"""The demo generator: reproducible files in the French export style, carrying the promised stories.

The stories are checked with DuckDB SQL straight over the CSV files, so these tests do not depend on
the import; expected margins are written out by hand next to each query.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import duckdb
import pytest

from metrics.contracts.datasets import DATASETS
from metrics.demo import DATASET_ORDER, DEMO_STORIES, generate, load, planned_rows
from metrics.errors import CxError

AS_OF = dt.date(2026, 10, 31)  # data from 01/01/2025 to 31/10/2026
SIZE = 40_000  # enough answers for the stories to clear their noise; about half a second to write
DATE = r"\d{2}/\d{2}/\d{4}"
TIMESTAMP = DATE + r" \d{2}:\d{2}"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("demo"), responses=SIZE, seed=7, as_of=AS_OF)


@pytest.fixture(scope="module")
def con(files):
    con = duckdb.connect()
    for key, path in files.items():
        # the dialect is pinned, as the import does; only types are sniffed
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(
            f"CREATE VIEW {key} AS SELECT * FROM read_csv({literal}, delim = ';', quote = '\"', "
            "escape = '\"', header = true, decimal_separator = ',', dateformat = '%d/%m/%Y', "
            "timestampformat = '%d/%m/%Y %H:%M', sample_size = -1)"
        )
    yield con
    con.close()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path):
    first = generate(tmp_path / "a", responses=800, seed=3, as_of=AS_OF)
    again = generate(tmp_path / "b", responses=800, seed=3, as_of=AS_OF)
    other = generate(tmp_path / "c", responses=800, seed=4, as_of=AS_OF)
    assert list(first) == list(DATASET_ORDER)
    assert all(first[k].read_bytes() == again[k].read_bytes() for k in first)
    # the fixed reference files stay the same, everything drawn at random changes
    assert first["sites"].read_bytes() == other["sites"].read_bytes()
    for key in ("customers", "complaints", "responses", "interventions", "workload"):
        assert first[key].read_bytes() != other[key].read_bytes(), key


def test_progress_reports_rows_written_per_dataset(tmp_path):
    seen = {}
    generate(tmp_path, responses=500, as_of=AS_OF, progress=lambda key, rows: seen.__setitem__(key, rows))
    assert seen == planned_rows(responses=500, as_of=AS_OF)
    assert seen["responses"] == 500
    assert seen["complaints"] == 100  # 0.2 per response
    assert seen["interventions"] == 150  # 0.3 per response


@pytest.mark.parametrize("bad", [0, -5])
def test_generate_refuses_a_size_below_one_response(tmp_path, bad):
    with pytest.raises(CxError, match=r"the demo needs at least 1 response; got "):
        generate(tmp_path, responses=bad)


def test_files_use_the_french_export_style(files):
    for key, path in files.items():
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), key  # UTF-8 BOM
        assert raw.endswith(b"\r\n"), key
        assert raw.count(b"\n") == raw.count(b"\r\n"), key  # every line ends with CRLF
    workload = files["workload"].read_text(encoding="utf-8-sig").splitlines()
    header = workload[0].split(";")
    first = dict(zip(header, workload[1].split(";"), strict=True))
    assert all(
        re.fullmatch(r"\d+,\d", first[c])
        for c in ("handle_minutes", "scheduled_hours", "overtime_hours", "absence_hours")
    )
    assert re.fullmatch(DATE, first["date"])
    response = files["responses"].read_text(encoding="utf-8-sig").splitlines()[1].split(";")
    assert re.fullmatch(TIMESTAMP, response[1])
    month = files["customers"].read_text(encoding="utf-8-sig").splitlines()[1].split(";")[0]
    assert month == "01/01/2025"


def test_headers_are_declared_columns_and_include_every_required_one(files):
    for key, path in files.items():
        header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
        declared = {c.name for c in DATASETS[key].columns}
        assert set(header) <= declared, (key, set(header) - declared)
        assert {c.name for c in DATASETS[key].required} <= set(header), key


def test_rows_have_as_many_fields_as_the_header(con, files):
    for key in files:
        n_columns = len(con.execute(f"DESCRIBE {key}").fetchall())
        assert n_columns == len(files[key].read_text(encoding="utf-8-sig").splitlines()[0].split(";")), key


def test_closed_and_canonical_columns_hold_declared_keys_only(con, files):
    for key in files:
        for column in DATASETS[key].columns:
            if not column.values:
                continue
            found = {r[0] for r in con.execute(f"SELECT DISTINCT {column.name} FROM {key}").fetchall()}
            assert found - {None} <= set(column.values), (key, column.name, found - set(column.values))


def test_values_stay_inside_declared_ranges(con):
    assert one(con, "SELECT min(score), max(score) FROM responses") == (0, 10)
    assert one(con, "SELECT min(effort), max(effort) FROM responses") == (1, 7)
    assert one(con, "SELECT min(contacts), max(contacts) FROM complaints") == (1, 6)
    assert one(con, "SELECT count(*) FROM workload WHERE agents < 0 OR overtime_hours < 0") == (0,)
    assert one(con, "SELECT min(responded_at)::DATE, max(responded_at)::DATE FROM responses") == (
        dt.date(2025, 1, 1), AS_OF)


def test_comments_are_mostly_french_on_four_answers_in_ten_and_quoted_when_needed(con, files):
    share, = one(con, "SELECT avg(CASE WHEN comment IS NOT NULL THEN 1 ELSE 0 END) FROM responses")
    assert 0.35 < share < 0.45
    # English comments are written from a fixed vocabulary; French ones use typographic apostrophes
    french, = one(con, "SELECT avg(CASE WHEN regexp_matches(comment, '[’éèàçœ]') THEN 1 ELSE 0 END) "
                       "FROM responses WHERE comment IS NOT NULL")
    assert 0.75 < french < 0.92
    text = files["responses"].read_text(encoding="utf-8-sig")
    assert '"Le sous-traitant m’a dit ""ce n’est pas notre problème"" et il est parti.' in text
    assert one(con, "SELECT count(*) FROM responses WHERE contains(comment, ';')")[0] > 0


def test_comment_tone_agrees_with_score(con):
    # detractors complain, promoters praise: "Inadmissible." opens only negative comments
    by_kind = dict(con.execute(
        "SELECT CASE WHEN score >= 9 THEN 'promoter' WHEN score <= 6 THEN 'detractor' ELSE 'passive' END, "
        "count(*) FROM responses WHERE starts_with(comment, 'Inadmissible.') GROUP BY 1"
    ).fetchall())
    assert set(by_kind) == {"detractor"}
    praise = "SELECT count(*) FROM responses WHERE score <= 6 AND starts_with(comment, 'Parfait !')"
    assert one(con, praise) == (0,)


def nps(con, where, params=()):
    sql = ("SELECT 100.0 * (avg(CASE WHEN score >= 9 THEN 1 ELSE 0 END) "
           f"- avg(CASE WHEN score <= 6 THEN 1 ELSE 0 END)) FROM responses WHERE {where}")
    return one(con, sql, list(params))[0]


def test_company_nps_climbs_between_first_and_last_full_quarter(con):
    first = nps(con, "responded_at >= DATE '2025-01-01' AND responded_at < DATE '2025-04-01'")
    last = nps(con, "responded_at >= DATE '2026-07-01' AND responded_at < DATE '2026-10-01'")
    assert 25 < first < 31  # about 28
    assert 4 <= last - first <= 8  # climbing towards 34


def nps_parts(con, where, params):
    n, promoters, detractors = one(
        con,
        "SELECT count(*), avg(CASE WHEN score >= 9 THEN 1 ELSE 0 END), "
        "avg(CASE WHEN score <= 6 THEN 1 ELSE 0 END) "
        f"FROM responses WHERE responded_at >= DATE '2026-01-01' AND {where}",
        list(params),
    )
    # variance of one answer scored +1 / 0 / -1: pP + pD - (pP - pD)^2
    return promoters - detractors, promoters + detractors - (promoters - detractors) ** 2, n


def test_region_behind_is_significantly_below_the_rest_of_the_company_this_year(con):
    behind = DEMO_STORIES.region_behind
    value_a, var_a, n_a = nps_parts(con, "region = ?", [behind])
    value_b, var_b, n_b = nps_parts(con, "region <> ?", [behind])
    se = math.sqrt(var_a / n_a + var_b / n_b)
    assert value_b - value_a > 1.96 * se
    assert 0.06 < value_b - value_a < 0.16  # about 10 points behind


def test_region_ahead_is_clearly_above_the_company(con):
    ahead = nps(con, "region = ? AND responded_at >= DATE '2026-01-01'", [DEMO_STORIES.region_ahead])
    company = nps(con, "responded_at >= DATE '2026-01-01'")
    assert 4 < ahead - company < 12  # about +8


def test_first_time_fix_is_about_80_percent_and_lower_for_subcontracted_installations(con):
    overall, = one(con, "SELECT avg(CASE WHEN first_time_fix = 'oui' THEN 1.0 ELSE 0 END) FROM interventions")
    sub, rest = one(con, """
        SELECT avg(CASE WHEN first_time_fix = 'oui' THEN 1.0 ELSE 0 END) FILTER (WHERE sub_install),
               avg(CASE WHEN first_time_fix = 'oui' THEN 1.0 ELSE 0 END) FILTER (WHERE NOT sub_install)
        FROM (SELECT *, s.site_type = 'subcontracted' AND kind = 'installation' AS sub_install
              FROM interventions JOIN sites s USING (site))""")
    assert 0.75 <= overall <= 0.85
    assert rest - sub >= 0.08


def test_overtime_and_evaluations_rise_in_the_reorganised_region_after_the_event(con):
    event, = one(con, "SELECT date FROM events WHERE label = ? AND region = ?",
                  [DEMO_STORIES.reorganisation_label, DEMO_STORIES.reorganised_region])
    assert event == DEMO_STORIES.reorganisation_date(AS_OF)
    before, after, eval_before, eval_after = one(con, """
        SELECT sum(overtime_hours) FILTER (WHERE date < ?) / sum(agents) FILTER (WHERE date < ?),
               sum(overtime_hours) FILTER (WHERE date >= ?) / sum(agents) FILTER (WHERE date >= ?),
               sum(evaluations) FILTER (WHERE date < ?) / sum(agents) FILTER (WHERE date < ?),
               sum(evaluations) FILTER (WHERE date >= ?) / sum(agents) FILTER (WHERE date >= ?)
        FROM workload WHERE region = ?""", [event] * 8 + [DEMO_STORIES.reorganised_region])
    assert after > 2 * before
    assert eval_after > 1.8 * eval_before
    others_before, others_after = one(con, """
        SELECT sum(overtime_hours) FILTER (WHERE date < ?) / sum(agents) FILTER (WHERE date < ?),
               sum(overtime_hours) FILTER (WHERE date >= ?) / sum(agents) FILTER (WHERE date >= ?)
        FROM workload WHERE region <> ?""", [event] * 4 + [DEMO_STORIES.reorganised_region])
    assert abs(others_after - others_before) < 0.05


def test_one_team_always_has_fewer_than_five_agents_and_the_others_never_do(con):
    small = con.execute(
        "SELECT site, team FROM workload GROUP BY site, team HAVING max(agents) < 5"
    ).fetchall()
    assert small == [(DEMO_STORIES.small_team_site, DEMO_STORIES.small_team)]
    assert one(con, "SELECT min(agents) FROM workload WHERE NOT (site = ? AND team = ?)",
               [DEMO_STORIES.small_team_site, DEMO_STORIES.small_team]) == (5,)


def test_customers_with_a_repeat_contact_complaint_give_a_lower_nps(con):
    linked = "customer_id IN (SELECT customer_id FROM complaints WHERE contacts > 1)"
    assert nps(con, linked) < nps(con, f"NOT {linked}") - 15
    # they answered after complaining
    assert one(con, """
        SELECT count(*) FROM responses r JOIN complaints c USING (customer_id)
        WHERE c.contacts > 1 AND r.responded_at > c.opened_at""")[0] > 0.04 * SIZE


def test_complaints_are_mostly_closed_rarely_escalated_and_about_three_per_1000_customers(con):
    open_recent, open_old = one(con, """
        SELECT count(*) FILTER (WHERE closed_at IS NULL AND opened_at >= DATE '2026-10-01'),
               count(*) FILTER (WHERE closed_at IS NULL AND opened_at < DATE '2026-10-01') FROM complaints""")
    assert open_recent > open_old > 0
    escalated, = one(con, "SELECT avg(CASE WHEN escalated = 'oui' THEN 1.0 ELSE 0 END) FROM complaints")
    assert 0.015 < escalated < 0.045
    median_days, = one(
        con, "SELECT median(date_diff('minute', opened_at, closed_at) / 1440.0) FROM complaints"
    )
    assert 4 < median_days < 8
    rate, = one(con, """
        SELECT avg(1000.0 * n / customers) FROM (
            SELECT date_trunc('month', opened_at)::DATE AS month, region, count(*) AS n
            FROM complaints GROUP BY ALL
        ) JOIN customers USING (month, region)""")
    assert 2 < rate < 4


def test_targets_and_events_cover_the_stories(con):
    targets = set(con.execute("SELECT year, metric, target, coalesce(region, '') FROM targets").fetchall())
    assert (2026, "nps", DEMO_STORIES.nps_target, "") in targets
    assert (2025, "nps", DEMO_STORIES.nps_target_previous_year, "") in targets
    assert (2026, "nps", DEMO_STORIES.region_behind_nps_target, DEMO_STORIES.region_behind) in targets
    assert {m for _, m, _, _ in targets} == {
        "nps", "first_time_fix_rate", "complaints_per_1000_customers", "resolution_days_median"}
    sites = dict(con.execute("SELECT site_type, count(*) FROM sites GROUP BY 1").fetchall())
    assert sites == {"in_house": 39, "subcontracted": 15, "offshore": 6}
    assert one(con, "SELECT count(DISTINCT region) FROM sites") == (9,)


def test_workload_rows_grow_with_the_requested_size():
    small = planned_rows(responses=5_000, as_of=AS_OF)
    large = planned_rows(responses=10_000_000, as_of=AS_OF)
    assert small["workload"] > 10_000  # one team per site
    assert 4_500_000 < large["workload"] < 5_500_000
    assert large["complaints"] == 2_000_000
    assert large["interventions"] == 3_000_000


def test_generated_files_import_as_demo_data_without_a_single_rejected_row(store, tmp_path):
    files = generate(tmp_path, responses=300, as_of=AS_OF)
    reports = load(store, files)
    expected = planned_rows(responses=300, as_of=AS_OF)
    assert [(r.rows_read, r.accepted, r.rejected) for r in reports] == [
        (expected[key], expected[key], 0) for key in DATASET_ORDER
    ]
