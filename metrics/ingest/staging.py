"""Stage a file as text and type it in SQL: temp table `staged`, then `typed` (text and value per cell).

Date and number columns are decided once from their own values (metrics.ingest.dates, the decimal
separator in metrics.ingest.parsing), then parsed with that single format in one vectorised
expression; only cells that fail go on to find their reason.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

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


def _lookup(position: int, by_value: ByValue, field: str) -> str:
    """SQL: the `field` (t or v) of file cell `s.c<position>`, looked up in its column's `by_value` lists.

    The raw cell cast to the column's enum type gives its place in the lists: a projection, so the rows
    keep the file's order (a join to the distinct values would not, and sorting them again cost 0.35 s
    and 200 MB more at 3M answers). A NULL cell finds no place and reads NULL, as its text and value are.
    """
    return f"d{position}.{field}[enum_code(CAST(s.c{position} AS {by_value.enum})) + 1]"


def _texts(ds: Dataset, cmap: ColumnMapping, by_value: Mapping[str, ByValue]) -> str:
    """The trimmed text of each provided column: a file cell, a --set constant or the row hash.

    A column typed by its distinct values takes its text, and its value when it has one, from there.
    """
    parts: list[str] = []
    for col in ds.columns:
        name = quote("t_" + col.name)
        if col.name in by_value:
            typed, position = by_value[col.name], cmap.positions[col.name]
            parts.append(f"{_lookup(position, typed, 't')} AS {name}")
            if typed.valued:
                parts.append(f"{_lookup(position, typed, 'v')} AS {quote('v_' + col.name)}")
        elif col.name in cmap.positions:
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


def _count(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """The rows of `table` (a name made here, never user text)."""
    row = cur.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _temp_table(cur: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether this connection holds temp table `name` (unquoted)."""
    row = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def raw_cells(cur: duckdb.DuckDBPyConnection, col: Column, cmap: ColumnMapping) -> str | None:
    """A file column's raw cells as temp table `raw_<column>` (raw, t, n, first), one row per distinct cell.

    `t` is the cell's trimmed text (`_file_text`), `n` how many cells hold it, `first` the first one's
    `ord`. None when the column is not read from the file, or when a sample shows its values mostly
    differ. Made once per import: the evidence of a column's format and its typing both read it.

    A year of 10M calls writes 365 dates and a few hundred durations: grouping the raw cells (a hash
    aggregate, no trim) then trimming, deciding and typing each distinct one costs a fraction of doing
    it per cell. A column whose sample is mostly distinct (answer timestamps, ids) is read cell by cell,
    which the grouping would only slow.
    """
    position = cmap.positions.get(col.name)
    if position is None:
        return None
    table = quote("raw_" + col.name)
    if _temp_table(cur, "raw_" + col.name):
        return table
    row = cur.execute(
        f"SELECT count(DISTINCT c{position}) <= {FEW_DISTINCT} * count(*) "
        f"FROM (SELECT c{position} FROM staged_raw LIMIT {SAMPLE_CELLS})"
    ).fetchone()
    if not (row and row[0]):
        return None
    grouped = f"SELECT c{position}, count(*) AS n, min(ord) AS first FROM staged GROUP BY c{position}"
    cur.execute(
        f"CREATE TEMP TABLE {table} AS SELECT c{position} AS raw, {_file_text(col, position)} AS t, n, first "
        f"FROM ({grouped})"
    )
    return table


def distinct_values(cur: duckdb.DuckDBPyConnection, col: Column, cmap: ColumnMapping) -> str | None:
    """A file column's texts as temp table `values_<column>` (v, n, first), one row per distinct text.

    None when `raw_cells` reads the column cell by cell. The evidence of a column's format
    (metrics.ingest.dates, `decimal_separator`) counts values: from the distinct texts, weighted by `n`,
    it gives the same counts for a fraction of the cost (10M calls: 2.7 s of date evidence).
    """
    raw = raw_cells(cur, col, cmap)
    if raw is None:
        return None
    # a table, not a view: the readers' filters on v would be pushed below the grouping, onto every cell
    table = quote("values_" + col.name)
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT t AS v, sum(n) AS n, min(first) AS first "
        f"FROM {raw} GROUP BY t"
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


@dataclass(frozen=True, slots=True)
class ByValue:
    """A column typed once per distinct raw cell: temp table `table` (raw, t[, v]) and enum type `enum`.

    The table holds a value `v` for every cell (free text: its text); the enum's values are the
    table's raw cells but the empty one (NULL), in the table's order.
    """

    table: str
    enum: str
    valued: bool  # the value is typed from the text; otherwise it is the text (free text), read as t_


def map_cells(
    cur: duckdb.DuckDBPyConnection,
    ds: Dataset,
    cmap: ColumnMapping,
    line_offset: int | None,
    by_value: Mapping[str, ByValue] | None = None,
) -> None:
    """View `cells(ord, [line,] t_...)`: the trimmed text of each declared column, from a cell or --set.

    With `by_value`, those columns' texts and values are looked up in their tables' lists (`_lookup`).
    """
    by_value = by_value or {}
    rows, line = "staged s", ""
    if line_offset is None:
        rows, line = "staged s JOIN numbered n USING (ord)", "n.line, "
    if _temp_table(cur, "set_values") or _set_values(cur, ds, cmap):
        rows += " CROSS JOIN set_values k"
    for name, typed in by_value.items():  # one row of lists per column
        values = ", list(v ORDER BY rowid) AS v" if typed.valued else ""
        lists = f"SELECT list(t ORDER BY rowid) AS t{values} FROM {typed.table} WHERE raw IS NOT NULL"
        rows += f" CROSS JOIN ({lists}) d{cmap.positions[name]}"
    texts = _texts(ds, cmap, by_value)
    cur.execute(f"CREATE OR REPLACE TEMP VIEW cells AS SELECT s.ord, {line}{texts} FROM {rows}")


def _typed_by_value(
    cur: duckdb.DuckDBPyConnection,
    ds: Dataset,
    cmap: ColumnMapping,
    readings: Mapping[str, DateReading],
    zone: str,
    decimals: Mapping[str, str | None],
) -> dict[str, ByValue]:
    """Each file column with few distinct cells, typed once per distinct cell into temp `by_value_<column>`.

    The same `value_expr` as the cell-by-cell road, run on `raw_cells`' texts: a 3M-answer file's five
    few-valued columns took 1.9-2.2 s trimmed and typed cell by cell, and take 0.8 s this way.
    """
    typed: dict[str, ByValue] = {}
    rows: int | None = None
    for col in ds.columns:
        raw = raw_cells(cur, col, cmap)
        if raw is None:
            continue
        # a sample that repeats can hide a column that mostly differs further down (a file sorted by a
        # team, then by a ticket): an enum of millions of cells would cost more than the cells themselves
        rows = rows if rows is not None else _count(cur, "staged_raw")
        if _count(cur, raw) > FEW_DISTINCT * rows:
            continue
        text = quote("t")
        frag = value_expr(col, text, readings.get(col.name), zone, decimals.get(col.name))
        valued = not (frag.sql == text and not frag.params)
        table, enum = quote("by_value_" + col.name), quote("enum_" + col.name)
        # the empty cells' row (raw NULL) is kept for `distinct_typed`, but has no place in the enum
        cur.execute(
            f"CREATE TEMP TABLE {table} AS SELECT raw, t, {frag.sql} AS v FROM {raw} ORDER BY raw NULLS LAST",
            frag.params,
        )
        cur.execute(
            f"CREATE TEMP TYPE {enum} AS ENUM (SELECT raw FROM {table} WHERE raw IS NOT NULL ORDER BY rowid)"
        )
        typed[col.name] = ByValue(table, enum, valued)
    return typed


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

    A column with few distinct cells is trimmed and typed once per distinct cell (`_typed_by_value`),
    and each row looks its cell up there.
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
    by_value = _typed_by_value(cur, ds, cmap, readings, zone, decimals)
    if by_value:
        map_cells(cur, ds, cmap, line_offset, by_value)
    stored: list[str] = []
    aliases: list[str] = []
    params: list[object] = []
    for col in ds.columns:
        t, v = quote("t_" + col.name), quote("v_" + col.name)
        if col.name not in provided:
            kind = "VARCHAR" if col.kind is Kind.TEXT else "DOUBLE"
            aliases.append(f"CAST(NULL AS {kind}) AS {v}")
            continue
        if col.name in by_value:
            if not by_value[col.name].valued:
                aliases.append(f"{t} AS {v}")
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
    temp = [quote(prefix + c.name) for prefix in ("values_", "raw_") for c in ds.columns]
    for table in ("numbered", "set_values", *temp):
        cur.execute(f"DROP TABLE IF EXISTS {table}")
    for typed in by_value.values():
        cur.execute(f"DROP TYPE {typed.enum}")
    return tuple(readings.values()), {k: v for k, v in decimals.items() if v}


def distinct_typed(cur: duckdb.DuckDBPyConnection, col: Column) -> str | None:
    """A relation (t_<column>, v_<column>) of each text and value `typed` holds for the column.

    None when the column was typed cell by cell. A problem is a function of a cell's text and value,
    so a column none of whose distinct cells has one has no row with one (metrics.ingest.quarantine
    then skips its scan of every row). Empty cells, when the column has some, are the row whose raw
    cell is NULL.
    """
    table = "by_value_" + col.name
    if not _temp_table(cur, table):
        return None
    return f"(SELECT t AS {quote('t_' + col.name)}, v AS {quote('v_' + col.name)} FROM {quote(table)})"


def drop_by_value(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop the distinct values' tables (`_typed_by_value`), kept until the rows are classified."""
    names = cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'by_value_')"
    ).fetchall()
    for (name,) in names:
        cur.execute(f"DROP TABLE {quote(name)}")


def drop_staged(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop the staged text once nothing needs the raw cells (after the quarantine copied its rows)."""
    cur.execute("DROP VIEW IF EXISTS staged")
    cur.execute("DROP TABLE IF EXISTS staged_raw")
