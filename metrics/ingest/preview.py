"""What an import would do before it runs: which existing rows the file's keys would update.

An import replaces the current row of every key it brings (a site, a target, an answer id). A file
mistaken for reference data can silently overwrite good rows, so the Data page shows these keys
and asks the user to confirm first. The keys are typed by the same SQL the import uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import duckdb

from metrics.contracts.datasets import Column, Kind, dataset
from metrics.fragments import Fragment
from metrics.ingest import totals
from metrics.ingest.dates import check_timezone, is_french_export, read_dates
from metrics.ingest.mapping import ColumnMapping, resolve
from metrics.ingest.options import ImportOptions
from metrics.ingest.parsing import decimal_separator, trimmed, value_expr
from metrics.ingest.sources import Source, read_records
from metrics.ingest.staging import DATE_KINDS, quote
from metrics.store import Store

SHOWN_KEYS = 10


@dataclass(frozen=True, slots=True)
class Plan:
    """The existing rows an import of this file into this dataset would replace."""

    dataset: str
    updates: int  # existing rows whose key the file brings again
    examples: tuple[str, ...]  # the first keys, as "IDF-BTQ01" or "2026 · nps · Bretagne"


def plan_import(
    store: Store,
    dataset_key: str,
    src: Source,
    mapping: Mapping[str, str] | None = None,
    options: ImportOptions | None = None,
) -> Plan:
    """Count the rows of `dataset_key` the sniffed file would update; refuses what the import would."""
    ds = dataset(dataset_key)
    options = options or ImportOptions()
    # a call log's rows are read as calls: their date, site and team are the keys of the team-days
    log = totals.event_log(ds, src.headers, replace(options, mapping=mapping or options.mapping))
    rows = totals.reading(ds, log)
    cmap = resolve(rows, src.headers, mapping, file_name=src.name, constants=options.constants)
    keys = [rows.column(k) for k in ds.key_columns if k in cmap.positions]
    if not keys:
        return Plan(ds.key, 0, ())
    typed, params = [], []
    for i, frag in enumerate(_key_values(src, cmap, keys, options.date_order)):
        typed.append(f"{frag.sql} AS k{i}")
        params += frag.params
    match = " AND ".join(f'f.k{i} IS NOT DISTINCT FROM t."{c.name}"' for i, c in enumerate(keys))
    shown = " || ' · ' || ".join(f"coalesce(CAST(f.k{i} AS VARCHAR), '–')" for i in range(len(keys)))
    records = read_records(src, strict=False)
    sql = (
        f"-- import plan: {ds.key}\n"
        f"WITH f AS (SELECT DISTINCT {', '.join(typed)} FROM {records.sql}) "
        f"SELECT {shown} AS shown FROM f JOIN {ds.table} t ON {match} ORDER BY shown"
    )
    with store.cursor() as cur:
        rows = cur.execute(sql, [*params, *records.params]).fetchall()
    return Plan(ds.key, len(rows), tuple(r[0] for r in rows[:SHOWN_KEYS]))


def _key_values(
    src: Source, cmap: ColumnMapping, keys: Sequence[Column], date_order: str | None
) -> list[Fragment]:
    """Each key column's typed value, read with the date order and decimal separator the import will decide.

    The import decides them from the column's values (metrics.ingest.staging.parse_cells): a workload
    day "01/09/2026" in a French export is the 1st of September, never a text compared with a date.
    So the same decisions are made here, over the key columns only, in a scratch in-memory database.
    """
    french = is_french_export(src.headers, None if src.encoding == "xlsx" else src.delimiter)
    texts = ", ".join(f"{trimmed(f'c{cmap.positions[c.name]}')} AS {quote('t_' + c.name)}" for c in keys)
    records = read_records(src, strict=False)
    con = duckdb.connect()
    try:
        con.execute(
            f"CREATE TEMP TABLE cells AS SELECT row_number() OVER () AS ord, {texts} FROM {records.sql}",
            records.params,
        )
        zone = check_timezone(con) if any(c.kind in DATE_KINDS for c in keys) else "UTC"
        values = []
        for col in keys:
            t, header = quote("t_" + col.name), cmap.header_of(col.name)
            reading = decimal = None
            if col.kind in DATE_KINDS:
                reading = read_dates(
                    con,
                    column=col.name,
                    header=header,
                    t=t,
                    forced=date_order,
                    french=french,
                    file_name=src.name,
                    decided=src.dates,
                )
            elif col.kind in (Kind.DECIMAL, Kind.INTEGER):
                decimal = decimal_separator(con, t, src.name, header, col.name)
            values.append(value_expr(col, trimmed(f"c{cmap.positions[col.name]}"), reading, zone, decimal))
    finally:
        con.close()
    return values
