"""A column with few distinct cells is typed once per distinct cell, and gives what each cell gives.

`staging._typed_by_value` trims and types each distinct raw cell of such a column, then each row looks
its cell up there. Whatever the road, every row's text, value and order must be those of the
cell-by-cell road (`FEW_DISTINCT = 0` takes it for every column), and so must an import's rows and
rejected rows.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import tempfile
from pathlib import Path
from unittest import mock

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics import store as store_module
from metrics.contracts.records import Column, Dataset, Kind
from metrics.ingest import staging
from metrics.ingest.importing import import_file
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.options import ImportOptions

COLUMNS = (
    Column(name="day", kind=Kind.DATE, label={"fr": "jour"}),
    Column(name="at", kind=Kind.TIMESTAMP, label={"fr": "heure"}),
    Column(name="month", kind=Kind.MONTH, label={"fr": "mois"}),
    Column(name="amount", kind=Kind.DECIMAL, label={"fr": "montant"}),
    Column(name="count", kind=Kind.INTEGER, label={"fr": "nombre"}),
    Column(name="done", kind=Kind.BOOLEAN, label={"fr": "fait"}),
    Column(name="channel", kind=Kind.TEXT, label={"fr": "canal"}, closed=True,
           values={"Boutique": ("shop", "magasin"), "Téléphone": ("phone", "tel")}),
    Column(name="note", kind=Kind.TEXT, label={"fr": "note"}),
)  # fmt: skip
DATASET = Dataset(key="t", label={"fr": "t"}, row_is={"fr": "ligne"}, columns=COLUMNS, key_columns=("note",))
CMAP = ColumnMapping(
    dataset="t", headers=tuple(c.name for c in COLUMNS), positions={c.name: i for i, c in enumerate(COLUMNS)}
)
CELLS = {
    "day": ["01/02/2025", "13/02/2025", " 03/04/2025", "46000", "NA", "", None, "x", "2025-02-01"],
    "at": ["01/02/2025 10:00", "13/02/2025 08:30:15", "?", "", None, "46000.5", "32/13/2025 10:00"],
    "month": ["02/2025", "2025-03", "13/2025", " 04/2025 ", "(vide)", None],
    "amount": ["12,5", "1 234,5", "7", "-3", "nan", "inf", "\u00a012,5", "abc", "", None],
    "count": ["3", "3,0", "3,5", " 4 ", "-", "1e3", None],
    "done": ["oui", "NON", " x ", "vrai", "peut-être", "", None],
    "channel": ["Boutique", "shop", " Magasin", "TÉLÉPHONE", "tél.", "web", "", None],
    "note": ["bien", " bien ", "NA", "\u202fà revoir", "", None],
}


def staged(rows: list[tuple[str | None, ...]] | None = None) -> duckdb.DuckDBPyConnection:
    """Temp table `staged_raw` (one text column per declared column) holding `rows`, and view `staged`."""
    con = duckdb.connect()
    con.execute(f"CREATE TEMP TABLE staged_raw ({', '.join(f'c{i} VARCHAR' for i in range(len(COLUMNS)))})")
    if rows:
        con.executemany(f"INSERT INTO staged_raw VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    con.execute("CREATE TEMP VIEW staged AS SELECT rowid AS ord, * FROM staged_raw")
    return con


def parse(con: duckdb.DuckDBPyConnection) -> dict[str, staging.ByValue]:
    """The import's map and parse stages on `staged`; the columns typed by distinct value."""
    seen: list[dict[str, staging.ByValue]] = []
    real = staging._typed_by_value

    def spy(*args: object) -> dict[str, staging.ByValue]:
        seen.append(real(*args))
        return seen[-1]

    staging.map_cells(con, DATASET, CMAP, line_offset=2)
    with mock.patch.object(staging, "_typed_by_value", spy):
        staging.parse_cells(
            con, DATASET, CMAP, date_order=None, french=True, file_name="f.csv", line_offset=2
        )
    return seen[0]


def typed_cells(rows: list[tuple[str | None, ...]], few: float) -> list[dict[str, object]]:
    """The typed rows as stored, with `FEW_DISTINCT = few` (0: every column read cell by cell)."""
    con = staged(rows)
    with mock.patch.object(staging, "FEW_DISTINCT", few):
        parse(con)
    # the view's columns, in the order the rows were stored in (rowid), which the lookup must not lose
    names = [d[0] for d in con.execute("SELECT * FROM typed LIMIT 0").description]
    stored = con.execute("SELECT y.* FROM typed_cells c JOIN typed y ON c.ord = y.ord ORDER BY c.rowid")
    return [dict(zip(names, row, strict=True)) for row in stored.fetchall()]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(*(st.sampled_from(CELLS[c.name]) for c in COLUMNS)), min_size=1, max_size=40),
    st.integers(min_value=2, max_value=20),
)
def test_every_kind_types_the_same_by_distinct_value_as_cell_by_cell(rows, repeat):
    rows = rows * repeat  # repeated: few distinct cells, so the distinct road is taken
    each, distinct = typed_cells(rows, 0.0), typed_cells(rows, 0.5)
    assert [r["ord"] for r in distinct] == list(range(len(rows)))  # stored in the file's order
    assert each == distinct


def test_the_distinct_road_is_the_one_compared():
    rows = [("01/02/2025", None, None, "1", "2", "oui", "shop", "a")] * 50
    con = staged(rows)
    typed = parse(con)
    # one table per column: every column of this file has one distinct cell; the texts are typed from it
    assert set(typed) == {c.name for c in COLUMNS}
    assert con.execute("SELECT v_day, t_channel, v_channel FROM typed LIMIT 1").fetchone() == (
        dt.date(2025, 2, 1),
        "shop",
        "Boutique",
    )
    # the enum types go with the stage; the distinct values stay until the rows are classified
    assert "enum_day" not in {r[0] for r in con.execute("SELECT type_name FROM duckdb_types()").fetchall()}
    tables = "SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, 'by_value_')"
    assert len(con.execute(tables).fetchall()) == len(COLUMNS)
    staging.drop_by_value(con)  # as the import's clean-up does
    assert con.execute(tables).fetchall() == []


def _import(rows: list[list[str]], few: float) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The stored answers and the rejected rows of importing `rows` into a new database."""
    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(staging, "FEW_DISTINCT", few):
        path = Path(tmp) / "reponses.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(["n° réponse", "date de réponse", "région", "canal", "note", "effort client"])
            writer.writerows(rows)
        store = store_module.open_store(Path(tmp) / "cx.duckdb")
        with contextlib.closing(store):
            import_file(store, "responses", path, options=ImportOptions(max_rejected=100))
            with store.cursor() as con:  # after the import: a cursor reads the snapshot published then
                answers = con.execute(
                    "SELECT * EXCLUDE (_import_id) FROM ds_responses ORDER BY rowid"
                ).fetchall()
                rejected = con.execute(
                    "SELECT line, column_name, value, reason, detail FROM rejected_rows "
                    "ORDER BY line, column_name"
                ).fetchall()
    return answers, rejected


@settings(max_examples=10, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["14/09/2025", "15/06/2025", "31/02/2025", "2025-06-01", "", "NA"]),
            st.sampled_from(["Île-de-France", "Centre", " Bretagne ", "", "Atlantide"]),
            st.sampled_from(["Boutique", "téléphone", "Web", "pigeon"]),
            st.sampled_from(["0", "9", "10", "11", "7,0", "?", ""]),
            st.sampled_from(["1", "4", "7", "", "huit"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_an_import_stores_and_rejects_the_same_rows_either_way(rows):
    lines = [[f"R{i}", *row] for i, row in enumerate(rows * 20)]  # unique ids, few distinct other cells
    answers, rejected = _import(lines, 0.5)
    assert len(answers) + len({r[0] for r in rejected}) == len(lines)  # every line stored or rejected
    assert _import(lines, 0.0) == (answers, rejected)


def test_rows_joined_to_their_distinct_values_keep_the_file_order():
    # a join to the distinct values runs in parallel per row group (122,880 rows): 400,000 rows on 4
    # threads came back out of order (245,760 of them); the lookup keeps the file's order
    con = staged()
    con.execute("SET threads = 4")
    days = "strftime(DATE '2025-01-01' + CAST(i % 365 AS INTEGER), '%d/%m/%Y')"
    con.execute(
        f"INSERT INTO staged_raw (c0, c3, c7) SELECT {days}, CAST(i % 7 AS VARCHAR), 'n' || i "
        "FROM range(400000) t(i)"
    )
    assert "day" in parse(con)
    out_of_order = con.execute("SELECT count(*) FROM typed_cells WHERE ord <> rowid").fetchone()
    assert out_of_order == (0,)
    assert con.execute("SELECT v_day, v_amount, t_note FROM typed WHERE ord = 399999").fetchone() == (
        dt.date(2025, 1, 1) + dt.timedelta(days=399999 % 365),
        399999 % 7,
        "n399999",
    )


def test_a_problem_in_one_repeated_column_is_still_found_on_its_lines():
    # every column repeats (the distinct road), clean but for line 502's score and line 803's empty date;
    # a column none of whose distinct cells has a problem is not scanned row by row
    rows = [[f"R{i}", "14/09/2025", "Centre", "Boutique", str(i % 11), "4"] for i in range(1000)]
    rows[500][4] = "11"  # line 502: the header is line 1
    rows[801][1] = ""  # line 803
    answers, rejected = _import(rows, 0.5)
    assert len(answers) == 998
    assert [(r[0], r[1], r[3]) for r in rejected] == [
        (502, "note", "out_of_range"),
        (803, "date de réponse", "missing"),
    ]


def test_a_column_whose_sample_repeats_but_whose_rest_differs_is_typed_cell_by_cell():
    # 20,000 alike cells first (the sample), then 30,000 distinct ones: 30,001 distinct cells of 50,000
    con = staged()
    con.execute(
        "INSERT INTO staged_raw (c0, c7) SELECT '01/02/2025', CASE WHEN i < 20000 THEN 'a' ELSE 'n' || i END "
        "FROM range(50000) t(i)"
    )
    typed = parse(con)
    assert "note" not in typed  # its sample repeats, its cells mostly differ
    assert "day" in typed
    assert con.execute("SELECT t_note FROM typed WHERE ord = 49999").fetchone() == ("n49999",)
