"""The privacy rule attacked over time: downloads taken at several data versions, and a writer's decoys.

A reader who keeps every download can subtract figures published at different versions; someone who
can import can add a fake team, then roll it back. Each test imports real CSV files in steps, takes
downloads between them, and checks that no combination of all of them isolates a small team: by hand
(differences of two rows), and by matrix rank (each (team, month) cell of each import carries a
distinct power of two of contacts, so a published sum decodes into the cells it covers; a small
team's month is recoverable iff its indicator is a linear combination of the published rows, with
the writer's own cells known to them).
"""

import contextlib
import datetime as dt
import itertools

import duckdb
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.errors import RollbackBlocked
from metrics.ingest.history import rollback
from metrics.ingest.importing import import_file, import_files
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store
from tests.test_privacy import HEADER, decode, in_span

MIN_AGENTS = 5  # the default CX_PRIVACY_MIN_AGENTS
YEAR = 2025


def write_csv(path, rows):
    """rows: (month, region, site, team, agents, contacts): two days of `agents`, contacts on the 1st."""
    lines = [
        f"01/{month:02d}/{YEAR};{region};{site};{team};{agents};{contacts};;;;;\r\n"
        f"02/{month:02d}/{YEAR};{region};{site};{team};{agents};0;;;;;\r\n"
        for month, region, site, team, agents, contacts in rows
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def download(store, **kw):
    frame = metric_frame(store, metric("contacts_per_agent_day"), **kw)
    return frame[~frame["suppressed"]]


# --- 1. Over time: the smallest other team changes when July arrives --------------------------------
#
# Site S1: P has 3 agents (small), U 6, V 7 from January to June; in July V drops to 5.
# January to June: P pools with the smallest other team, U (6 < 7): "autres équipes (S1)" = P + U.
# After July V's lowest month is 5 < 6: recomputed from scratch, the pool would be P + V and U would
# show alone, so January's "autres équipes (S1)" (downloaded before July) minus U's January (after)
# would be P's January: 50 contacts (all on the 1st) over 2 days x 3 agents = 6 agent-days.
# Site S2 holds one large team W (10), so the company is more than one site.
# agents January to June, agents in July, contacts a month
PEOPLE = {"P": (3, 3, 50), "U": (6, 6, 100), "V": (7, 5, 140), "W": (10, 10, 200)}


def operator_rows(months):
    return [
        (month, "Nord", "S2" if team == "W" else "S1", team, july if month == 7 else agents, contacts)
        for month in months
        for team, (agents, july, contacts) in PEOPLE.items()
    ]


def test_a_july_import_never_splits_the_unit_january_was_published_in(tmp_path):
    store = open_store(tmp_path / "cx.duckdb")
    try:
        import_file(store, "workload", write_csv(tmp_path / "charge_s1.csv", operator_rows(range(1, 7))))
        before = download(store, grain="month", by=("site", "team"))
        import_file(store, "workload", write_csv(tmp_path / "charge_juillet.csv", operator_rows([7])))
        after = download(store, grain="month", by=("site", "team"))
        january = dt.date(YEAR, 1, 1)
        rows = [
            (r["site"], r["team"], r["num"], r["den"])
            for frame in (before, after)
            for _, r in frame[frame["period"] == january].iterrows()
        ]
        p_january = (50, 2 * 3)  # P's contacts and agent-days
        assert all((num, den) != p_january for _, _, num, den in rows)
        for (_, _, num_a, den_a), (_, _, num_b, den_b) in itertools.permutations(rows, 2):
            assert (num_a - num_b, den_a - den_b) != p_january
        # the unit only grew: U never shows alone again; January of the grown unit is P + U + V
        assert "U" not in set(after["team"])
        s1 = after[(after["period"] == january) & (after["site"] == "S1")]
        assert s1["team"].tolist() == ["autres équipes (S1)"]
        assert (s1.iloc[0]["num"], s1.iloc[0]["den"]) == (50 + 100 + 140, 2 * (3 + 6 + 7))
    finally:
        store.close()


# --- 2. A decoy: a fake 2-agent team with no contacts, imported at the site, then rolled back --------
#
# Site S1: H has 3 agents (small, hidden inside "autres équipes (S1)" with X, 6), Y 12; site S2: Z 8.
# Recomputed from scratch, a decoy D of 2 agents pools with H (the two small teams, 5 together), so the
# merged unit's contacts are exactly H's. Every (team, month) carries its own power of two of contacts,
# D none: the rank check pools the downloads taken before, between and after.
DECOY_TEAMS = {("S1", "H"): 3, ("S1", "X"): 6, ("S1", "Y"): 12, ("S2", "Z"): 8}
CATALOGUE = [
    (grain, by, where)
    for grain in ("month", "quarter", "total")
    for by in ((), ("region",), ("site",), ("site", "team"))
    for where in ({}, {"team": ["H"]}, {"team": ["D"]})
]


def published(store, n_cells, catalogue=CATALOGUE, months=(1, 3)):
    start, end = dt.date(YEAR, months[0], 1), dt.date(YEAR, months[1] + 1, 1) - dt.timedelta(days=1)
    vectors = []
    for grain, by, where in catalogue:
        bounds = {"start": start, "end": end} if grain == "total" else {}
        frame = download(store, grain=grain, by=by, where=where, **bounds)
        vectors += [decode(v, n_cells) for v in frame["num"]]
    return vectors


def test_a_decoy_team_and_its_roll_back_recover_no_hidden_team(tmp_path):
    store = open_store(tmp_path / "cx.duckdb")
    try:
        cells = [(team, month) for (_, team), month in itertools.product(DECOY_TEAMS, (1, 2, 3))]
        rows = [
            (month, "Nord", site, team, DECOY_TEAMS[(site, team)], 2 ** cells.index((team, month)))
            for (site, team), month in itertools.product(DECOY_TEAMS, (1, 2, 3))
        ]
        import_file(store, "workload", write_csv(tmp_path / "charge.csv", rows))
        n = len(cells)
        vectors = published(store, n)
        decoy = import_file(store, "workload", write_csv(
            tmp_path / "renfort.csv", [(month, "Nord", "S1", "D", 2, 0) for month in (1, 2, 3)]
        ))
        vectors += published(store, n)
        rollback(store, decoy.import_id)
        vectors += published(store, n)
        hidden = [i for i, (team, _) in enumerate(cells) if team == "H"]
        for i in hidden:
            target = np.zeros(n)
            target[i] = 1
            assert not in_span(vectors, target), f"H month {cells[i][1]} recoverable"
        assert not in_span(vectors, np.isin(np.arange(n), hidden).astype(float)), "H's quarter recoverable"
        # the unit H was published in never split: still H + X after the decoy went
        teams = download(store, grain="quarter", by=("site", "team"), where={"site": ["S1"]})
        assert set(teams["team"]) == {"autres équipes (S1)", "Y"}
    finally:
        store.close()


# --- 3. Any sequence of imports, hostile ones included ---------------------------------------------
#
# A random operator (months 1 to 3), then in a random order: April for most teams (with a newcomer's
# back-dated months in the same file, or not), April for the others in a late file, the newcomer's own
# file, a decoy's file; two of them maybe in one transaction (import_files), never the decoy's (who
# commits it with a real file has that file); then maybe a roll-back of one of them. Every version's
# downloads are pooled into one rank check.
agents = st.tuples(st.integers(1, 12), st.integers(1, 12))


@st.composite
def sequences(draw):
    """(files: name -> [(team key, month, (agents day 1, day 2))], transactions, file to roll back)."""
    base = {}
    for r in range(draw(st.integers(1, 2))):
        for s in range(draw(st.integers(1, 2))):
            for t in range(draw(st.integers(1, 2))):
                base[(f"R{r}", f"R{r}S{s}", f"E{t}")] = draw(st.lists(agents, min_size=4, max_size=4))
    sites = sorted({(r, s) for r, s, _ in base})
    region, site = draw(st.sampled_from([*sites, (sites[0][0], "NEW")]))
    months = st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True)
    arrival = [
        ((region, site, "N"), m, draw(st.tuples(st.integers(1, 6), st.integers(1, 6))))
        for m in sorted(draw(months.filter(lambda ms: min(ms) <= 3)))
    ]
    late = draw(st.sets(st.sampled_from(sorted(base))))
    decoy = draw(st.sampled_from([*((r, s, "D") for r, s in sites), *sorted(base)]))
    files = {
        "base": [(key, m, ag[m - 1]) for key, ag in base.items() for m in (1, 2, 3)],
        "april": [(key, 4, ag[3]) for key, ag in base.items() if key not in late],
        "april_late": [(key, 4, base[key][3]) for key in sorted(late)],
        "newcomer": arrival,
        # a made-up team, or a rewrite of a real team's rows with the writer's own figures
        "decoy": [(decoy, m, (draw(st.integers(1, 6)),) * 2) for m in sorted(draw(months))],
    }
    if draw(st.booleans()):
        files["april"] += files.pop("newcomer")
    files = {name: rows for name, rows in files.items() if rows}
    later = [[name] for name in draw(st.permutations([n for n in files if n != "base"]))]
    if len(later) > 1 and "decoy" not in later[0] + later[1] and draw(st.booleans()):
        # one transaction for both files (never the decoy's: whoever commits a file with it has both)
        later[:2] = [later[0] + later[1]]
    undo = draw(st.sampled_from([None, *(n for n in files if n != "base")]))
    return files, [["base"], *later], undo


class Operator:
    """The files of a sequence, each (team, month) of each file with its own power of two of contacts."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.cells = []  # (team key, month, file name)
        self.rows = {}  # file name -> [(team key, month, (day1, day2))]

    def file(self, name, entries):
        self.rows[name] = entries
        lines = []
        for (region, site, team), month, (day1, day2) in entries:
            contacts = 2 ** len(self.cells)
            self.cells.append(((region, site, team), month, name))
            lines.append(f"01/{month:02d}/{YEAR};{region};{site};{team};{day1};{contacts};;;;;\r\n")
            lines.append(f"02/{month:02d}/{YEAR};{region};{site};{team};{day2};0;;;;;\r\n")
        path = self.tmp_path / f"{name}.csv"
        path.write_text(HEADER + "".join(lines), encoding="utf-8")
        return path

    def small_teams(self, alive):
        """Teams under MIN_AGENTS a day in some month of the files in `alive`: from the input alone."""
        return {key for name in alive for key, _, (a, b) in self.rows[name] if (a + b) / 2 < MIN_AGENTS}


SEQUENCE_CATALOGUE = [
    (grain, by, where)
    for grain in ("month", "quarter", "total")
    for by in ((), ("region",), ("site",), ("site", "team"))
    for where in ({}, {"team": ["N"]})
]


def run_sequence(tmp_path, files, transactions, undo):
    """Import `transactions` in order, download after each and after the roll-back, attack them all.

    A team's cells are protected when the team is small once its file is in (the decoy's are the
    writer's own: known to them, so each is one more known vector).
    """
    op = Operator(tmp_path)
    store = open_store(tmp_path / "cx.duckdb")
    protected, alive, reports, downloads = set(), [], {}, []
    try:
        for names in transactions:
            paths = [("workload", op.file(name, files[name])) for name in names]
            reports |= dict(zip(names, import_files(store, paths), strict=True))
            alive += names
            small = op.small_teams(alive)
            protected |= {i for i, (key, _, f) in enumerate(op.cells) if f in names and key in small}
            downloads += published(store, 64, SEQUENCE_CATALOGUE, months=(1, 4))
        if undo is not None:
            # refused, nothing changed, when a later file replaced some of its rows (a rewrite)
            with contextlib.suppress(RollbackBlocked):
                rollback(store, reports[undo].import_id)
            downloads += published(store, 64, SEQUENCE_CATALOGUE, months=(1, 4))
    finally:
        store.close()
    n = len(op.cells)
    vectors = [v[:n] for v in downloads] + [np.eye(n)[i] for i, c in enumerate(op.cells) if c[2] == "decoy"]
    protected -= {i for i, c in enumerate(op.cells) if c[2] == "decoy"}
    for key in {op.cells[i][0] for i in protected}:
        mine = [i for i in protected if op.cells[i][0] == key]
        for i in mine:
            assert not in_span(vectors, np.eye(n)[i]), f"{key}: {op.cells[i][1:]} recoverable"
        assert not in_span(vectors, np.eye(n)[mine].sum(axis=0)), f"{key} recoverable over its history"


def test_a_back_dated_newcomer_with_a_decoy_and_a_roll_back_leaks_nothing(tmp_path):
    # N1: T1 (10) and T2 (3, small, pooled with T1); N2: U1 (12). The newcomer N (2 agents) arrives at
    # N1 with January to April in April's file; a decoy D (2 agents) at N1; then D is rolled back.
    teams = {("Nord", "N1", "T1"): (10, 10), ("Nord", "N1", "T2"): (3, 3), ("Nord", "N2", "U1"): (12, 12)}
    files = {
        "base": [(key, m, ag) for key, ag in teams.items() for m in (1, 2, 3)],
        "april": [(key, 4, ag) for key, ag in teams.items()]
        + [(("Nord", "N1", "N"), m, (2, 2)) for m in (1, 2, 3, 4)],
        "decoy": [(("Nord", "N1", "D"), m, (2, 2)) for m in (1, 2, 3)],
    }
    run_sequence(tmp_path, files, [["base"], ["april"], ["decoy"]], "decoy")


def test_a_decoy_never_shares_a_batch_with_a_month_that_waited_while_everything_was_small(tmp_path):
    # N (1 agent) brings April alone: the whole company is under 5 in April, nothing is published and
    # N's April waits. A decoy D of 5 agents then brings April too: together they hold 6, so April can
    # be published, but D's file must not open April with N's waiting month inside (D's figures are
    # known to its writer: the batch minus D would be N). Then every team's April comes late.
    teams = {("R0", "S0", "E0"): (10, 10), ("R0", "S0", "E1"): (8, 8), ("R0", "S1", "F0"): (12, 12)}
    files = {
        "base": [(key, m, ag) for key, ag in teams.items() for m in (1, 2, 3)],
        "newcomer": [(("R0", "S0", "N"), 4, (1, 1))],
        "decoy": [(("R0", "S0", "D"), 4, (5, 5))],
        "april_late": [(key, 4, ag) for key, ag in teams.items()],
    }
    run_sequence(tmp_path, files, [["base"], ["newcomer"], ["decoy"], ["april_late"]], None)


def test_rewriting_a_small_teams_rows_with_chosen_figures_reveals_its_old_ones(tmp_path):
    # The known limit, pinned: the writer re-imports H's rows (same dates, site and team) with figures
    # of their own. The (team, month) is the same, so its unit's figure moves by the difference.
    teams = {("Nord", "S1", "H"): (3, 3), ("Nord", "S1", "X"): (6, 6), ("Nord", "S1", "Y"): (12, 12)}
    files = {
        "base": [(key, m, ag) for key, ag in teams.items() for m in (1, 2, 3)],
        "decoy": [(("Nord", "S1", "H"), m, (3, 3)) for m in (1, 2, 3)],
    }
    run_sequence(tmp_path, files, [["base"], ["decoy"]], None)


def test_a_team_small_once_stays_small_after_a_rewrite_erases_its_small_month(tmp_path):
    # R1S1/E0 averages (6 + 3) / 2 = 4.5 < 5 agents in March: small. A writer re-imports its January and
    # March with figures of their own, 5 and 5: no stored row says it was small any more. Its real April
    # (7 + 5) / 2 = 6 then comes alone, before anyone else's April: a large team's month may open April
    # alone, a small team's may not, so the team must still count as small (recorded), not as its rows say.
    team = ("R1", "R1S1", "E0")
    others = {
        ("R0", "R0S0", "E0"): [(9, 2), (11, 4), (4, 4), (8, 7)],
        ("R0", "R0S1", "E0"): [(7, 2), (11, 6), (3, 7), (3, 10)],
        ("R0", "R0S1", "E1"): [(9, 1), (4, 3), (12, 8), (9, 3)],
        ("R1", "R1S0", "E0"): [(3, 12), (6, 2), (3, 5), (11, 8)],
        ("R1", "R1S0", "E1"): [(12, 7), (8, 2), (3, 2), (10, 7)],
    }
    files = {
        "base": [(key, m, ag[m - 1]) for key, ag in others.items() for m in (1, 2, 3)]
        + [(team, 1, (8, 6)), (team, 2, (9, 7)), (team, 3, (6, 3))],
        "decoy": [(team, 1, (5, 5)), (team, 3, (5, 5))],
        "april_late": [(team, 4, (7, 5))],
        "april": [(key, 4, ag[3]) for key, ag in others.items()]
        + [(("R0", "R0S0", "N"), 1, (1, 6)), (("R0", "R0S0", "N"), 2, (5, 1))],
    }
    run_sequence(tmp_path, files, [["base"], ["decoy"], ["april_late"], ["april"]], None)


def test_a_database_recorded_before_small_teams_were_kept_learns_them_from_its_rows(tmp_path):
    # S1: H averages 3 agents a day (small), X 6, Y 12; S2: Z 8. A file from before migration 9 has no
    # record of small teams: reopening it records H from the rows it holds, so a rewrite of H's months
    # to 5 agents cannot make H's April (6 agents, alone: the only April row) publishable as a large team's.
    path = tmp_path / "cx.duckdb"
    teams = {("S1", "H"): 3, ("S1", "X"): 6, ("S1", "Y"): 12, ("S2", "Z"): 8}
    rows = [(m, "Nord", site, team, ag, 10) for (site, team), ag in teams.items() for m in (1, 2, 3)]
    store = open_store(path)
    import_file(store, "workload", write_csv(tmp_path / "charge.csv", rows))
    store.close()
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE privacy_small")
    con.execute("DELETE FROM schema_migrations WHERE version = 9")  # the migration that records them
    con.close()
    store = open_store(path)
    try:
        with store.cursor() as cur:
            got = cur.execute("SELECT min_agents, raw_region, raw_site, raw_team FROM privacy_small")
            got = got.fetchall()
        assert got == [(MIN_AGENTS, "Nord", "S1", "H")]
        rewrite = [(m, "Nord", "S1", "H", 5, 10) for m in (1, 2, 3)]
        import_file(store, "workload", write_csv(tmp_path / "renfort.csv", rewrite))
        import_file(store, "workload", write_csv(tmp_path / "avril_h.csv", [(4, "Nord", "S1", "H", 6, 10)]))
        frame = download(store, grain="month", by=("site", "team"))
        assert frame[frame["period"] == dt.date(YEAR, 4, 1)].empty
    finally:
        store.close()


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=sequences())
def test_no_sequence_of_imports_and_roll_backs_leaks_a_small_team(tmp_path_factory, sequence):
    run_sequence(tmp_path_factory.mktemp("sequence"), *sequence)
