"""Stage a file as text and type it in SQL: temp tables `staged`, then `typed` (text, value, problem).

Date columns are decided once from their own values (metrics.dates), then parsed with that single
format list in one vectorised expression; only cells that fail go on to find their reason.
"""

from __future__ import annotations

import duckdb

from metrics.datasets import Dataset, Kind
from metrics.dates import DateReading, check_timezone, read_dates
from metrics.mapping import ColumnMapping
from metrics.parsing import Fragment, problem_expr, trimmed, value_expr
from metrics.sources import Source

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


def _texts(ds: Dataset, cmap: ColumnMapping) -> Fragment:
    """The trimmed text of each provided column: a file cell, a --set constant or the row hash."""
    parts: list[str] = []
    params: list[object] = []
    for col in ds.columns:
        name = quote("t_" + col.name)
        if col.name in cmap.positions:
            parts.append(f"{trimmed(f'c{cmap.positions[col.name]}')} AS {name}")
        elif col.name in cmap.constants:
            parts.append(f"{trimmed('CAST(? AS VARCHAR)')} AS {name}")
            params.append(cmap.constants[col.name])
        elif col.name == cmap.row_id:
            parts.append(f"{row_hash(len(cmap.headers))} AS {name}")
    return Fragment(", ".join(parts), params)


def build_typed(
    cur: duckdb.DuckDBPyConnection,
    ds: Dataset,
    cmap: ColumnMapping,
    *,
    date_order: str | None,
    french: bool,
    file_name: str,
) -> tuple[DateReading, ...]:
    """Temp table `typed`: per declared column its text t_, value v_ and problem p_; returns date readings.

    Built in three materialised steps (texts, values, problems): DuckDB would otherwise inline
    each step's expressions into every later use and trim or parse the same cell many times.
    """
    provided = cmap.provided()
    raw = ", ".join(f"c{i}" for i in range(len(cmap.headers)))
    texts = _texts(ds, cmap)
    cur.execute(
        f"CREATE TEMP TABLE cells AS SELECT s.ord, n.line, {raw}, {texts.sql} "
        "FROM staged s JOIN numbered n USING (ord)",
        texts.params,
    )
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
    cur.execute(f"CREATE TEMP TABLE cell_values AS SELECT *, {', '.join(values)} FROM cells", params)
    cur.execute("DROP TABLE cells")
    problems: list[str] = []
    params = []
    for col in ds.columns:
        if col.name in provided:
            frag = problem_expr(col, quote("t_" + col.name), quote("v_" + col.name))
            problems.append(f"{frag.sql} AS {quote('p_' + col.name)}")
            params += frag.params
        else:
            problems.append(f"CAST(NULL AS VARCHAR) AS {quote('p_' + col.name)}")
    cur.execute(f"CREATE TEMP TABLE typed AS SELECT *, {', '.join(problems)} FROM cell_values", params)
    cur.execute("DROP TABLE cell_values")
    return tuple(readings.values())
