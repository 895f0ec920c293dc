"""Stage a file as text and type it in SQL: temp tables `staged`, then `typed` (text and value per cell).

Date columns are decided once from their own values (metrics.ingest.dates), then parsed with that single
format list in one vectorised expression; only cells that fail go on to find their reason.
"""

from __future__ import annotations

import duckdb

from metrics.contracts.datasets import Dataset, Kind
from metrics.ingest.dates import DateReading, check_timezone, read_dates
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.parsing import trimmed, trimmed_column, value_expr
from metrics.ingest.sources import Source

DATE_KINDS = (Kind.DATE, Kind.TIMESTAMP)


def quote(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def stage(cur: duckdb.DuckDBPyConnection, src: Source) -> None:
    """Read every record of the file as text into temp table `staged(ord, c0..cn)`."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(src.headers))) + "}"
    cur.execute(
        f"""
        CREATE TEMP TABLE staged_raw AS
        SELECT * FROM read_csv(?, delim = ?, quote = '"', escape = '"', header = false, skip = ?,
            columns = {columns}, auto_detect = false, store_rejects = true,
            rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', max_line_size = 10000000,
            null_padding = false, strict_mode = true)
        """,
        [str(src.path), src.delimiter, src.header_line],
    )
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


def _texts(ds: Dataset, cmap: ColumnMapping) -> str:
    """The trimmed text of each provided column: a file cell, a --set constant or the row hash."""
    parts: list[str] = []
    for col in ds.columns:
        name = quote("t_" + col.name)
        if col.name in cmap.positions:
            parts.append(f"{trimmed_column(f'c{cmap.positions[col.name]}')} AS {name}")
        elif col.name in cmap.constants:
            parts.append(f"k.{name}")
        elif col.name == cmap.row_id:
            parts.append(f"{row_hash(len(cmap.headers))} AS {name}")
    return ", ".join(parts)


def build_typed(
    cur: duckdb.DuckDBPyConnection,
    ds: Dataset,
    cmap: ColumnMapping,
    *,
    date_order: str | None,
    french: bool,
    file_name: str,
    line_offset: int | None = None,
) -> tuple[DateReading, ...]:
    """Temp table `typed`: per declared column its text t_ and value v_; returns the date readings.

    One materialised step: the texts are a view (the date sampling reads only its own column), the
    values are computed from it once; problems are derived later from the stored t_ and v_, because
    DuckDB inlines a value's expression into every use and would parse the same cell many times.
    Lines come from temp table `numbered`, or are `ord + line_offset` when that is given. Drops `staged`.
    """
    provided = cmap.provided()
    raw = ", ".join(f"c{i}" for i in range(len(cmap.headers)))
    if line_offset is None:
        line, rows = "n.line", "staged s JOIN numbered n USING (ord)"
    else:
        line, rows = f"s.ord + {int(line_offset)} AS line", "staged s"
    if _set_values(cur, ds, cmap):
        rows += " CROSS JOIN set_values k"
    cur.execute(f"CREATE TEMP VIEW cells AS SELECT s.ord, {line}, {raw}, {_texts(ds, cmap)} FROM {rows}")
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
        )
    values: list[str] = []
    params: list[object] = []
    for col in ds.columns:
        if col.name in provided:
            frag = value_expr(col, quote("t_" + col.name), readings.get(col.name), zone)
            values.append(f"{frag.sql} AS {quote('v_' + col.name)}")
            params += frag.params
        else:
            kind = "VARCHAR" if col.kind is Kind.TEXT else "DOUBLE"
            values.append(f"CAST(NULL AS {kind}) AS {quote('v_' + col.name)}")
    cur.execute(f"CREATE TEMP TABLE typed AS SELECT *, {', '.join(values)} FROM cells", params)
    # `typed` holds every staged record: the staged copy goes now, not at the end of the import
    for drop in ("VIEW cells", "VIEW staged", "TABLE staged_raw", "TABLE IF EXISTS numbered"):
        cur.execute(f"DROP {drop}")
    cur.execute("DROP TABLE IF EXISTS set_values")
    return tuple(readings.values())
