"""The privacy rule attacked: no grain, split, filter or difference of queries recovers a small team.

Each (team, month) cell carries 2**k contacts on the first day of the month and none on the second,
so a published `num` (the contacts of a group) decodes, bit by bit, into exactly the set of cells it
sums. A small team's cell is recoverable by subtraction iff its indicator vector is a linear
combination of the published rows' vectors: we test that by matrix rank, which covers every
difference, sum and chain of queries at once.
"""

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.errors import UnknownName
from metrics.ingest.importing import import_file
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store

MIN_AGENTS = 5  # the default CX_PRIVACY_MIN_AGENTS
MONTHS = (7, 8, 9)  # July to September 2025: one quarter
PER_AGENT = metric("contacts_per_agent_day")
HEADER = (
    "date;région;site;équipe;conseillers;contacts traités;temps de traitement;heures planifiées;"
    "heures supplémentaires;heures d'absence;évaluations\r\n"
)


def workload_csv(structure):
    """structure: {(region, site, team): [(agents day 1, agents day 2) per month]} -> CSV text, cells."""
    lines, cells = [], []
    for (region, site, team), months in structure.items():
        for month, (day1, day2) in zip(MONTHS, months, strict=True):
            contacts = 2 ** len(cells)
            cells.append((region, site, team, month))
            lines.append(f"01/{month:02d}/2025;{region};{site};{team};{day1};{contacts};;;;;\r\n")
            lines.append(f"02/{month:02d}/2025;{region};{site};{team};{day2};0;;;;;\r\n")
    return HEADER + "".join(lines), cells


def load(tmp_path, structure):
    text, cells = workload_csv(structure)
    path = tmp_path / "charge.csv"
    path.write_text(text, encoding="utf-8")
    store = open_store(tmp_path / "cx.duckdb", idle_seconds=30)
    report = import_file(store, "workload", path)
    assert report.accepted == len(cells) * 2
    return store, cells


def decode(num, n_cells):
    """The cells a published contacts sum covers, as a 0/1 vector."""
    value = round(num)
    return np.array([(value >> k) & 1 for k in range(n_cells)], dtype=float)


def in_span(rows, target):
    """True when `target` is a linear combination of `rows` (so subtraction can reveal it)."""
    if not rows:
        return False
    a = np.vstack(rows)
    return np.linalg.matrix_rank(np.vstack([a, target])) == np.linalg.matrix_rank(a)


def published_vectors(store, n_cells, queries):
    vectors = []
    for grain, by, where in queries:
        frame = metric_frame(
            store, PER_AGENT, grain=grain, by=by, where=where,
            start=dt.date(2025, 7, 1) if grain == "total" else None,
            end=dt.date(2025, 9, 30) if grain == "total" else None,
        )
        shown = frame[~frame["suppressed"]]
        vectors += [decode(v, n_cells) for v in shown["num"]]
    return vectors


def small_teams(structure):
    """Teams that averaged fewer than MIN_AGENTS a day in any month: worked out from the input alone."""
    return {key for key, months in structure.items() if any((a + b) / 2 < MIN_AGENTS for a, b in months)}


def catalogue(structure, grains=("month", "quarter", "ytd", "total")):
    """Every grain x split x filter (none, one value, two sites) the pages and the CLI can ask for."""
    sites = sorted({s for _, s, _ in structure})
    teams = sorted({t for _, _, t in structure})
    regions = sorted({r for r, _, _ in structure})
    filters = [{}]
    filters += [{"site": [s]} for s in sites] + [{"team": [t]} for t in teams]
    filters += [{"region": [r]} for r in regions]
    filters += [{"site": list(pair)} for pair in itertools.combinations(sites, 2)][:4]
    splits = [(), ("region",), ("site",), ("team",), ("site", "team")]
    return [
        (grain, by, where)
        for grain in grains
        for by in splits
        for where in filters
    ]


def assert_no_small_team_recoverable(store, structure, cells, grains=("month", "quarter", "ytd", "total")):
    vectors = published_vectors(store, len(cells), catalogue(structure, grains))
    for key in small_teams(structure):
        mine = [i for i, c in enumerate(cells) if c[:3] == key]
        for i in mine:  # each month of the team, and its whole history
            target = np.zeros(len(cells))
            target[i] = 1
            assert not in_span(vectors, target), f"{key} month {cells[i][3]} recoverable"
        whole = np.zeros(len(cells))
        whole[mine] = 1
        assert not in_span(vectors, whole), f"{key} recoverable over its history"


# Nord: N1 has T1 (10), T2 (3) and T3 (7); N2 has U1 (8) and U2 (4 in July, 6 after).
# Sud: S1 has V1 (3, a small site), S2 has W1 (12) and W2 (9), S3 has X1 (6, one team).
STRUCTURE = {
    ("Nord", "N1", "T1"): [(10, 10)] * 3,
    ("Nord", "N1", "T2"): [(3, 3)] * 3,
    ("Nord", "N1", "T3"): [(7, 7)] * 3,
    ("Nord", "N2", "U1"): [(8, 8)] * 3,
    ("Nord", "N2", "U2"): [(4, 4), (6, 6), (6, 6)],
    ("Sud", "S1", "V1"): [(3, 3)] * 3,
    ("Sud", "S2", "W1"): [(12, 12)] * 3,
    ("Sud", "S2", "W2"): [(9, 9)] * 3,
    ("Sud", "S3", "X1"): [(6, 6)] * 3,
}


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    store, cells = load(tmp_path_factory.mktemp("privacy"), STRUCTURE)
    yield store, cells
    store.close()


def contacts(store, cells, **kw):
    frame = metric_frame(store, PER_AGENT, **kw)
    return [decode(v, len(cells)) for v in frame["num"]], frame


def cell(cells, team, month):
    return next(i for i, c in enumerate(cells) if c[2] == team and c[3] == month)


def test_region_minus_its_visible_sites_reveals_no_team(hand):
    store, cells = hand
    # Sud in July = S1 + S2 + S3; sites shown: S2 and "autres sites (Sud)" = S1 + S3 (3 + 6 = 9 agents)
    by_site = metric_frame(store, PER_AGENT, by=("site",), where={"region": ["Sud"]})
    july = by_site[by_site["period"] == dt.date(2025, 7, 1)]
    assert set(july["site"]) == {"S2", "autres sites (Sud)"}
    region = metric_frame(store, PER_AGENT, by=("region",), where={"region": ["Sud"]})
    rest = region.iloc[0]["num"] - july[july["site"] == "S2"].iloc[0]["num"]
    v1_july = 2 ** cell(cells, "V1", 7)
    assert rest != v1_july  # the difference is S1 + S3, never V1 alone
    assert rest == v1_july + 2 ** cell(cells, "X1", 7)


def test_company_total_minus_every_visible_site_reveals_no_team(hand):
    store, _cells = hand
    total = metric_frame(store, PER_AGENT, grain="total",
                         start=dt.date(2025, 7, 1), end=dt.date(2025, 9, 30)).iloc[0]["num"]
    sites = metric_frame(store, PER_AGENT, grain="total", by=("site",),
                         start=dt.date(2025, 7, 1), end=dt.date(2025, 9, 30))
    assert "S1" not in set(sites["site"])
    assert "S3" not in set(sites["site"])
    assert sites["num"].sum() == total  # the published sites cover everything: nothing left over


def test_filter_on_two_sites_minus_one_selects_whole_units(hand):
    store, cells = hand
    # S1 is merged with S3: a filter on S1 selects "autres sites (Sud)" whole
    both = metric_frame(store, PER_AGENT, grain="quarter", where={"site": ["S1", "S2"]})
    one = metric_frame(store, PER_AGENT, grain="quarter", where={"site": ["S2"]})
    alone = metric_frame(store, PER_AGENT, grain="quarter", where={"site": ["S1"]})
    v1 = sum(2 ** cell(cells, "V1", m) for m in MONTHS)
    x1 = sum(2 ** cell(cells, "X1", m) for m in MONTHS)
    assert both.iloc[0]["num"] - one.iloc[0]["num"] == v1 + x1
    assert alone.iloc[0]["num"] == v1 + x1


def test_site_minus_its_visible_team_reveals_no_team(hand):
    store, cells = hand
    # N1: T2 (3) is merged with the smallest other team T3 (7); T1 stays visible
    teams = metric_frame(store, PER_AGENT, grain="quarter", by=("site", "team"), where={"site": ["N1"]})
    assert set(teams["team"]) == {"T1", "autres équipes (N1)"}
    site = metric_frame(store, PER_AGENT, grain="quarter", by=("site",), where={"site": ["N1"]})
    rest = site.iloc[0]["num"] - teams.set_index("team").loc["T1", "num"]
    assert rest == sum(2 ** cell(cells, t, m) for t in ("T2", "T3") for m in MONTHS)


def test_quarter_minus_its_months_reveals_no_team_small_in_one_month(hand):
    store, cells = hand
    # U2 had 4 agents in July and 6 after: small for good, so it never shows, in no month
    months = metric_frame(store, PER_AGENT, by=("team",), where={"site": ["N2"]})
    assert set(months["team"]) == {"autres équipes (N2)"}
    quarter = metric_frame(store, PER_AGENT, grain="quarter", by=("team",), where={"site": ["N2"]})
    july = quarter.iloc[0]["num"] - months[months["period"] > dt.date(2025, 7, 1)]["num"].sum()
    assert july == 2 ** cell(cells, "U1", 7) + 2 ** cell(cells, "U2", 7)


def test_a_merged_site_never_reappears_at_team_level(hand):
    store, _ = hand
    # S3 has one team of 6: large on its own, but merged at site level with S1, so its team is too
    teams = metric_frame(store, PER_AGENT, grain="quarter", by=("site", "team"), where={"region": ["Sud"]})
    assert "X1" not in set(teams["team"])
    assert "S3" not in set(teams["site"])


@pytest.mark.slow
def test_hand_made_operator_resists_every_query_combination(hand):
    store, cells = hand
    assert_no_small_team_recoverable(store, STRUCTURE, cells)


def test_whole_company_under_the_threshold_publishes_nothing(tmp_path):
    store, _ = load(tmp_path, {("Nord", "N1", "T1"): [(2, 2)] * 3, ("Nord", "N1", "T2"): [(1, 1)] * 3})
    got = metric_frame(store, PER_AGENT, grain="quarter")
    assert got["suppressed"].all()
    assert got["value"].isna().all()
    assert got["num"].isna().all()
    store.close()


def test_the_threshold_is_a_setting(hand):
    from metrics.semantic.definitions import Settings

    store, _ = hand
    # at 3 agents, T2 (3) is no longer small, so N1 shows its three teams
    got = metric_frame(store, PER_AGENT, grain="quarter", by=("team",),
                       where={"site": ["N1"]}, settings=Settings(privacy_min_agents=3))
    assert set(got["team"]) == {"T1", "T2", "T3"}


def test_sub_month_grains_are_refused(hand):
    store, _ = hand
    with pytest.raises(UnknownName, match="whole months only"):
        metric_frame(store, metric("occupancy"), grain="week")


agents = st.tuples(st.integers(1, 12), st.integers(1, 12))


@st.composite
def structures(draw):
    n_regions = draw(st.integers(1, 2))
    out = {}
    for r in range(n_regions):
        for s in range(draw(st.integers(1, 3))):
            for t in range(draw(st.integers(1, 3))):
                out[(f"R{r}", f"R{r}S{s}", f"E{t}")] = draw(st.lists(agents, min_size=3, max_size=3))
    return out


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(structure=structures())
def test_no_random_operator_leaks_a_small_team(tmp_path_factory, structure):
    store, cells = load(tmp_path_factory.mktemp("random"), structure)
    try:
        # ytd is a running sum of months, so months and quarters already span what it publishes
        assert_no_small_team_recoverable(store, structure, cells, grains=("month", "quarter", "total"))
    finally:
        store.close()


def test_an_empty_workload_table_publishes_no_unit_and_breaks_nothing():
    # a database with surveys but no workload file yet: the units are empty, not a pandas error
    import pandas as pd

    from metrics.semantic.privacy import build_units

    rows = pd.DataFrame({
        "region": pd.Series([], dtype=object), "site": pd.Series([], dtype=object),
        "team": pd.Series([], dtype=object), "day": pd.Series([], dtype="datetime64[us]"),
        "agents": pd.Series([], dtype=float),
    })
    sites = pd.DataFrame({c: pd.Series([], dtype=object) for c in ("site", "site_type", "country")})
    found = build_units(rows, sites, 5)
    assert found.table.empty
    assert {"region", "site", "team", "unit"} <= set(found.table.columns)


def test_a_pool_counts_the_days_any_member_worked_not_each_members_own_days():
    """Two teams in January: A has 4 agents on the 2nd and 3rd, B has 2 agents on the 3rd and 4th.

    Alone, A averages (4 + 4) / 2 = 4 and B (2 + 2) / 2 = 2; together the site has 4, 6 and 2 agents
    on three distinct days: 12 / 3 = 4. In February only B works: 3 agents on one day, so 3.
    The pool's lowest month is February: 3.
    """
    import pandas as pd

    from metrics.semantic.privacy import _calendar, _min_headcount, _union

    rows = pd.DataFrame({
        "region": ["Nord"] * 5, "site": ["S1"] * 5, "team": ["A", "A", "B", "B", "B"],
        "day": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-03", "2025-01-04", "2025-02-10"]),
        "agents": [4.0, 4.0, 2.0, 2.0, 3.0],
    })
    teams, starts = _calendar(rows)
    a, b = teams[("Nord", "S1", "A")], teams[("Nord", "S1", "B")]
    assert _min_headcount(a, starts) == 4.0
    assert _min_headcount(b, starts) == 2.0  # January (2.0) is below February (3.0)
    assert _min_headcount(_union([a, b]), starts) == 3.0
