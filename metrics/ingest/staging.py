"""Stage a file as text and type it in SQL: temp table `staged`, then `typed` (text and value per cell).

Date and number columns are decided once from their own values (metrics.ingest.dates, the decimal
separator in metrics.ingest.parsing), then parsed with that single format in one vectorised
expression; only cells that fail go on to find their reason.
"""

from __future__ import annotations

import functools

import duckdb

from metrics.contracts.datasets import Column, Dataset, Kind
from metrics.ingest.dates import DateReading, check_timezone, read_dates
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.parsing import decimal_separator, trimmed, trimmed_column, value_expr
from metrics.ingest.sources import Source, read_records

DATE_KINDS = (Kind.DATE, Kind.TIMESTAMP)


def quote(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def stage(cur: duckdb.DuckDBPyConnection, src: Source) -> None:
    """Read every record of the file as text into temp table `staged(ord, c0..cn)`."""
    records = read_records(src, strict=True)
    cur.execute(f"CREATE TEMP TABLE staged_raw AS SELECT * FROM {records.sql}", records.params)
    # rows keep the file's order and get consecutive row ids, so an offset numbers them without a sort
    row = cur.execute("SELECT coalesce(min(rowid), 0) FROM staged_raw").fetchone()
    first = int(row[0]) if row else 0
    cur.execute(f"CREATE TEMP VIEW staged AS SELECT rowid - {first} AS ord, * FROM staged_raw")


def row_hash(width: int) -> str:
    """An id from the row's own cells: the same row always gets the same id, so re-imports update it."""
    cells = ", ".join(f"coalesce(c{i}, '')" for i in range(width))
    return f"'h' || left(md5(concat_ws(chr(31), {cells})), 16)"


def _set_values(cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping) -> bool:
    """Temp table `set_values`: one row, the trimmed text of each --set constant; False when there is none.

    The texts are a view, and a view cannot hold parameters: the constants travel through this table.
    """
    names = [c.name for c in ds.columns if c.name not in cmap.positions and c.name in cmap.constants]
    if not names:
        return False
    parts = ", ".join(f"{trimmed('CAST(? AS VARCHAR)')} AS {quote('t_' + n)}" for n in names)
    cur.execute(f"CREATE TEMP TABLE set_values AS SELECT {parts}", [cmap.constants[n] for n in names])
    return True


# what exports write for "no value": ServiceNow "?", R and Excel "NA", "#N/A", SQL dumps "NULL", French
# reports "(vide)"; in a typed column (a date, a number, yes/no) none of them can be a value
NULL_MARKERS = ("?", "-", "na", "n/a", "#n/a", "null", "none", "nan", "(vide)", "(blank)", "(empty)")


def _no_marker(text: str) -> str:
    """`text` (an SQL expression read once per cell) as NULL when it is a null marker."""
    markers = ", ".join(f"'{m}'" for m in NULL_MARKERS)
    return f"CASE WHEN length({text}) <= 7 AND lower({text}) IN ({markers}) THEN NULL ELSE {text} END"


def _file_text(col: Column, position: int) -> str:
    """The trimmed text of a file column's cell `c<position>`; a typed column's null markers as NULL.

    A typed column's null markers (`?`, `NA`, `(vide)`...) read as empty cells; a text column keeps
    them, since "NA" may be a value there.
    """
    text = trimmed_column(f"c{position}")
    return text if col.kind is Kind.TEXT else _no_marker(f"({text})")


def _texts(ds: Dataset, cmap: ColumnMapping) -> str:
    """The trimmed text of each provided column: a file cell, a --set constant or the row hash."""
    parts: list[str] = []
    for col in ds.columns:
        name = quote("t_" + col.name)
        if col.name in cmap.positions:
            parts.append(f"{_file_text(col, cmap.positions[col.name])} AS {name}")
        elif col.name in cmap.constants:
            parts.append(f"k.{name}")
        elif col.name == cmap.row_id:
            parts.append(f"{row_hash(len(cmap.headers))} AS {name}")
    return ", ".join(parts)


# a sample of a column's cells, and the share of distinct values under which its evidence is read from
# each distinct value rather than each cell
SAMPLE_CELLS = 20_000
FEW_DISTINCT = 0.5


def distinct_values(cur: duckdb.DuckDBPyConnection, col: Column, cmap: ColumnMapping) -> str | None:
    """A file column's texts as temp table `values_<column>` (v, n, first), one row per distinct cell.

    None when the column is not read from the file, or when a sample shows its values mostly differ.

    The evidence of a column's format (metrics.ingest.dates, `decimal_separator`) counts values; a year
    of 10M calls writes 365 dates, so grouping the raw cells first (a hash aggregate, no trim) and
    trimming each distinct one gives the same counts for a fraction of the cost (10M calls: 2.7 s of
    date evidence). A column whose sample is mostly distinct (answer timestamps) is read cell by cell,
    which the grouping would only slow.
    """
    position = cmap.positions.get(col.name)
    if position is None:
        return None
    row = cur.execute(
        f"SELECT count(DISTINCT c{position}) <= {FEW_DISTINCT} * count(*) "
        f"FROM (SELECT c{position} FROM staged_raw LIMIT {SAMPLE_CELLS})"
    ).fetchone()
    if not (row and row[0]):
        return None
    grouped = f"SELECT c{position}, count(*) AS n, min(ord) AS first FROM staged GROUP BY c{position}"
    trimmed_once = f"SELECT {_file_text(col, position)} AS v, n, first FROM ({grouped})"
    # a table, not a view: the readers' filters on v would be pushed below the grouping, onto every cell
    table = quote("values_" + col.name)
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT v, sum(n) AS n, min(first) AS first "
        f"FROM ({trimmed_once}) GROUP BY v"
    )
    return table


def _numbers(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping, file_name: str
) -> dict[str, str | None]:
    """The decimal separator of each number column that writes both "," and "." in one cell."""
    provided = cmap.provided()
    return {
        col.name: decimal_separator(
            cur,
            quote("t_" + col.name),
            file_name,
            cmap.header_of(col.name),
            col.name,
            values=distinct_values(cur, col, cmap),
        )
        for col in ds.columns
        if col.kind in (Kind.DECIMAL, Kind.INTEGER) and col.name in provided
    }


def map_cells(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping, line_offset: int | None
) -> None:
    """View `cells(ord, [line,] t_...)`: the trimmed text of each declared column, from a cell or --set."""
    rows, line = "staged s", ""
    if line_offset is None:
        rows, line = "staged s JOIN numbered n USING (ord)", "n.line, "
    if _set_values(cur, ds, cmap):
        rows += " CROSS JOIN set_values k"
    cur.execute(f"CREATE TEMP VIEW cells AS SELECT s.ord, {line}{_texts(ds, cmap)} FROM {rows}")


def parse_cells(
    cur: duckdb.DuckDBPyConnection,
    ds: Dataset,
    cmap: ColumnMapping,
    *,
    date_order: str | None,
    french: bool,
    file_name: str,
    line_offset: int | None = None,
    decided: dict[tuple[str, str, str | None, bool], object] | None = None,
) -> tuple[tuple[DateReading, ...], dict[str, str]]:
    """Temp table `typed_cells` and view `typed` (text t_, value v_); returns date readings and decimals.

    Each column's format is decided once from its own values (date order and pattern, decimal
    separator), then the whole column is parsed with it in one vectorised expression. Only the texts
    and the values that differ from them are stored: a plain text column's value is its text (a view
    column), the raw cells stay in `staged` for the few rows that are rejected or skipped, and the line
    is `ord + line_offset` when no line was rejected. Problems are derived later from t_ and v_,
    because DuckDB inlines a value's expression into every use and would parse the same cell many times.
    """
    provided = cmap.provided()
    readings: dict[str, DateReading] = {}
    date_cols = [c for c in ds.columns if c.kind in DATE_KINDS and c.name in provided]
    zone = check_timezone(cur) if date_cols else "UTC"
    for col in date_cols:
        readings[col.name] = read_dates(
            cur,
            column=col.name,
            header=cmap.header_of(col.name),
            t=quote("t_" + col.name),
            forced=date_order,
            french=french,
            file_name=file_name,
            decided=decided,
            values=functools.partial(distinct_values, cur, col, cmap),
        )
    decimals = _numbers(cur, ds, cmap, file_name)
    stored: list[str] = []
    aliases: list[str] = []
    params: list[object] = []
    for col in ds.columns:
        t, v = quote("t_" + col.name), quote("v_" + col.name)
        if col.name not in provided:
            kind = "VARCHAR" if col.kind is Kind.TEXT else "DOUBLE"
            aliases.append(f"CAST(NULL AS {kind}) AS {v}")
            continue
        frag = value_expr(col, t, readings.get(col.name), zone, decimals.get(col.name))
        if frag.sql == t and not frag.params:
            aliases.append(f"{t} AS {v}")  # free text: the value is the text, stored once
        else:
            stored.append(f"{frag.sql} AS {v}")
            params += frag.params
    values = "".join(", " + x for x in stored)
    cur.execute(f"CREATE TEMP TABLE typed_cells AS SELECT *{values} FROM cells", params)
    if line_offset is not None:
        aliases.insert(0, f"ord + {int(line_offset)} AS line")
    cur.execute(f"CREATE TEMP VIEW typed AS SELECT *, {', '.join(aliases)} FROM typed_cells")
    cur.execute("DROP VIEW cells")
    for table in ("numbered", "set_values", *(quote("values_" + c.name) for c in ds.columns)):
        cur.execute(f"DROP TABLE IF EXISTS {table}")
    return tuple(readings.values()), {k: v for k, v in decimals.items() if v}


def drop_staged(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop the staged text once nothing needs the raw cells (after the quarantine copied its rows)."""
    cur.execute("DROP VIEW IF EXISTS staged")
    cur.execute("DROP TABLE IF EXISTS staged_raw")
