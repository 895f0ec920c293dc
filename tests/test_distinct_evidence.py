"""A column's format read from its distinct values decides as it does from every cell.

`staging.distinct_values` groups a file column's raw cells first and trims each distinct one; the date
evidence (`dates.read_dates`) and the decimal separator (`parsing.decimal_separator`) then count
values weighted by how many cells hold them. Whatever the road, the decision, its counts and its
examples must be those of the cell-by-cell reading.
"""

from types import SimpleNamespace

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.contracts.records import Column, Kind
from metrics.errors import ImportRefused
from metrics.ingest import staging
from metrics.ingest.dates import read_dates
from metrics.ingest.parsing import decimal_separator

DATE = Column(name="day", kind=Kind.DATE, label={"fr": "jour"})
NUMBER = Column(name="seconds", kind=Kind.DECIMAL, label={"fr": "secondes"})
CMAP = SimpleNamespace(positions={"day": 0, "seconds": 0})


def staged(cells: list[str | None], col: Column) -> duckdb.DuckDBPyConnection:
    """Temp table `staged_raw(c0)`, view `staged` and view `cells` as the import's stages make them."""
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE staged_raw (c0 VARCHAR)")
    con.executemany("INSERT INTO staged_raw VALUES (?)", [[c] for c in cells])
    con.execute("CREATE TEMP VIEW staged AS SELECT rowid AS ord, * FROM staged_raw")
    text = staging._file_text(col, 0)
    con.execute(f'CREATE TEMP VIEW cells AS SELECT ord, {text} AS "t_{col.name}" FROM staged')
    return con


def dates_both_ways(cells: list[str | None], french: bool = True):
    con = staged(cells, DATE)
    grouped = staging.distinct_values(con, DATE, CMAP)
    kw = {"column": "day", "header": "jour", "t": '"t_day"', "forced": None, "french": french,
          "file_name": "f.csv"}
    out = []
    for values in (None, lambda: grouped):
        try:
            out.append(read_dates(con, **kw, values=values))
        except ImportRefused as err:
            out.append(str(err))
    return grouped, out


def test_a_year_of_calls_is_read_from_its_distinct_days():
    days = [f"2025{m:02d}{d:02d}" for m in (1, 2) for d in range(1, 29)]
    cells = [days[i % len(days)] for i in range(5600)] + [" 20250301 ", None, "NA"]
    grouped, (each, distinct) = dates_both_ways(cells)
    assert grouped is not None  # 57 values in 5,603 cells: the grouped road is taken
    assert each == distinct
    assert (distinct.values, distinct.compact, distinct.pattern) == (5601, (8,), "yyyymmdd")


def test_answer_timestamps_are_read_cell_by_cell():
    cells = [f"{1 + i % 28:02d}/03/2025 {i // 60 % 24:02d}:{i % 60:02d}" for i in range(3000)]
    grouped, (each, _) = dates_both_ways(cells)
    assert grouped is None  # a sample of mostly distinct values: no grouping
    # the day is 1 + i % 28: above 12 for 16 of every 28 cells
    assert (each.order, each.day_first) == ("dmy", sum(1 for i in range(3000) if 1 + i % 28 > 12))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["01/02/2025", "13/02/2025", "02/13/2025", "2025-02-01", "05/06/25", " 03/04/2025", "NA", "",
             None, "2025-02-01T08:00:00Z", "20250201", "x", "04/05/2025 10:00"]
        ),
        min_size=1,
        max_size=200,
    ),
    st.booleans(),
)
def test_dates_decide_the_same_from_distinct_values(cells, french):
    grouped, (each, distinct) = dates_both_ways(cells * 20, french)
    assert grouped is not None  # each value 20 times: the grouped road is the one compared
    assert each == distinct


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["1,234.5", "2,345.6", "1.234,5", "12,5", "12.5", " 3,5 ", "7", None, "-"]),
                min_size=1, max_size=100))
def test_the_decimal_separator_and_its_examples_are_the_same_from_distinct_values(cells):
    con = staged(cells * 20, NUMBER)
    grouped = staging.distinct_values(con, NUMBER, CMAP)
    assert grouped is not None
    out = []
    for values in (None, grouped):
        try:
            out.append(decimal_separator(con, '"t_seconds"', "f.csv", "secondes", "seconds", values=values))
        except ImportRefused as err:
            out.append(str(err))
    assert out[0] == out[1]


def test_mixed_decimals_name_the_first_two_distinct_values_of_each_style():
    con = staged(["1,234.5", "1,234.5", "1.234,5", "2,345.6", "9.876,5"], NUMBER)
    with pytest.raises(ImportRefused) as err:
        decimal_separator(con, '"t_seconds"', "f.csv", "secondes", "seconds")
    assert '"1,234.5", "2,345.6"' in str(err.value)  # 1,234.5 once, though two cells write it
    assert '"1.234,5", "9.876,5"' in str(err.value)
