"""From what an export gives to what a dataset stores: events grouped into rows, averages into totals.

Before the transaction, `event_log` decides whether the file holds one row per call (asked with
--per-call, or certain from its headers) and `reading` gives the declaration its rows are checked
against: the log's own rows, or the dataset with the averages it accepts (`avg_handle_seconds`).
`check_mapping` refuses an average fed to a total. In the transaction, the stage `regroup` turns the
good rows into the dataset's rows (one per team-day of the calls; the handle time multiplied out),
and `tally` counts an event log's updated rows in events, so accepted, updated and new add up.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import duckdb

from metrics.catalogue import N_
from metrics.contracts.datasets import AVERAGES, LOGS, SQL_TYPES, Dataset
from metrics.contracts.exports import Average, EventLog
from metrics.contracts.naming import normalise_header
from metrics.errors import ImportOptionRefused
from metrics.ingest.mapping import ColumnMapping, suggest
from metrics.ingest.options import ImportOptions
from metrics.ingest.staging import quote
from metrics.semantic.dialects import columns_read

if TYPE_CHECKING:
    from metrics.ingest.pipeline import Outcome, Plan

# words that make a header an average per contact ("DMT", "AHT", "avg_handle_time", "durée moyenne"),
# unless it also says total ("DMT totale (min)" is a total)
AVERAGE_WORDS = frozenset({"avg", "average", "mean", "moyenne", "moyen", "moy", "aht", "dmt"})
TOTAL_WORDS = frozenset({"total", "totale", "totaux", "cumul", "cumule", "cumulee", "somme", "sum"})
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"([a-z])([A-Z])")


def logs_of(target: Dataset) -> tuple[EventLog, ...]:
    """The event logs whose rows are stored in `target`."""
    return tuple(log for log in LOGS.values() if log.into == target.key)


def event_log(target: Dataset, headers: Sequence[str], options: ImportOptions) -> EventLog | None:
    """The event log the file is: forced by --per-call, else the one its headers make certain, else None.

    Certain means the headers (or --map) provide every column only such a log has (an agent id and a
    service time per call) and none of the counts a daily row carries (`contacts_handled`). A column
    the log's rows also declare (the region a call log may carry) is no such count.
    """
    logs = logs_of(target)
    if options.per_call:
        if not logs:
            logs_into = ", ".join(sorted({log.into for log in LOGS.values()}))
            raise ImportOptionRefused(N_("refused.per_call_shape"), dataset=target.key, logs=logs_into)
        return logs[0]
    counts = {
        c
        for log in logs
        for c in log.totals
        if target.column(c).required and c not in {col.name for col in log.rows.columns}
    }
    if counts & (set(suggest(target, headers)) | set(options.mapping)):
        return None
    for log in logs:
        found = set(suggest(log.rows, headers)) | set(options.mapping)
        if set(log.marks) <= found:
            return log
    return None


def averages_of(target: Dataset) -> tuple[Average, ...]:
    """The averages `target` accepts instead of a total."""
    return AVERAGES.get(target.key, ())


def reading(target: Dataset, log: EventLog | None) -> Dataset:
    """The declaration the file's rows are read and checked with: the log's rows, or `target` + averages."""
    if log is not None:
        return log.rows
    averages = averages_of(target)
    return replace(target, columns=(*target.columns, *(a.column for a in averages))) if averages else target


def reads_as_average(header: str) -> bool:
    """True for a header that names an average per contact and not a total: "DMT", "AHT (s)", "avg_time"."""
    words = set(_WORD.findall(normalise_words(header)))
    return bool(words & AVERAGE_WORDS) and not words & TOTAL_WORDS


def normalise_words(header: str) -> str:
    """`header` in lower-case ASCII words: "AvgHandleTime" -> "avg handle time", "Durée" -> "duree"."""
    spaced = _CAMEL.sub(r"\1 \2", header)
    return " ".join(normalise_header(w) for w in re.split(r"[^\w]+|_", spaced) if w)


def check_mapping(rows: Dataset, cmap: ColumnMapping, file_name: str) -> None:
    """Refuse an average fed to a total, and a total given twice (as itself and as an average)."""
    for total in dict.fromkeys(a.total for a in averages_of(rows)):
        given = [
            a.column.name for a in averages_of(rows) if a.total == total and a.column.name in cmap.positions
        ]
        if total in cmap.positions and reads_as_average(header := cmap.header_of(total)):
            # each total has two averages (seconds, minutes): "use --map A (seconds) or --map B (minutes)"
            *options, last = [
                f"{shlex.quote(f'{a.column.name}={header}')} ({_unit(a)})"
                for a in averages_of(rows)
                if a.total == total
            ]
            raise ImportOptionRefused(
                N_("refused.average_for_total"),
                file=file_name,
                header=header,
                total=total,
                options=", --map ".join(options),
                last=last,
                per=_per(rows, total),
            )
        feeding = ([total] if total in cmap.positions else []) + given
        if len(feeding) > 1:
            shown = ", ".join(f'"{cmap.header_of(c)}" ({c})' for c in feeding)
            raise ImportOptionRefused(
                N_("refused.total_given_twice"),
                file=file_name,
                total=total,
                times=len(feeding),
                columns=shown,
            )


def _unit(avg: Average) -> str:
    """The unit an average's name ends with: `avg_handle_seconds` -> "seconds"."""
    return avg.column.name.rsplit("_", 1)[-1]


def _per(rows: Dataset, total: str) -> str:
    return next(a.per for a in averages_of(rows) if a.total == total)


def _swap_good(cur: duckdb.DuckDBPyConnection, select: str) -> None:
    """Make view `good` the rows of `select` (over the current `good`), kept in temp table `grouped`."""
    cur.execute(f"CREATE TEMP TABLE grouped AS {select}")
    cur.execute("DROP VIEW good")
    cur.execute("CREATE TEMP VIEW good AS SELECT * FROM grouped")


def _group(cur: duckdb.DuckDBPyConnection, log: EventLog, cmap: ColumnMapping, target: Dataset) -> None:
    """The good events of each group as one row of `target`, with `_events` their count."""
    provided = cmap.provided()
    events = ", ".join(f"{quote('v_' + c.name)} AS {quote(c.name)}" for c in log.rows.columns)
    values = []
    for col in target.columns:
        v, kind = quote("v_" + col.name), SQL_TYPES[col.kind]
        if col.name in log.group_by:
            values.append(f"{quote(col.name)} AS {v}")
        elif col.name in log.totals and columns_read(log.totals[col.name]) <= provided:
            values.append(f"CAST({log.totals[col.name]} AS {kind}) AS {v}")
        else:  # a total over a column the file lacks is unknown, not zero
            values.append(f"CAST(NULL AS {kind}) AS {v}")
    keys = ", ".join(quote(k) for k in log.group_by)
    _swap_good(
        cur,
        f"-- event log: {log.rows.key} into {target.key}\n"
        f"SELECT {', '.join(values)}, count(*) AS _events FROM (SELECT {events} FROM good) AS events "
        f"GROUP BY {keys}",
    )


def _convert(cur: duckdb.DuckDBPyConnection, averages: Sequence[Average], target: Dataset) -> None:
    """The good rows with each total computed from its average: average x count / unit."""
    made = {a.total: a for a in averages}
    values = []
    for col in target.columns:
        v = quote("v_" + col.name)
        if col.name in made:
            a = made[col.name]
            product = f"{quote('v_' + a.column.name)} * {quote('v_' + a.per)} / {float(a.divide_by)!r}"
            values.append(f"CAST({product} AS {SQL_TYPES[col.kind]}) AS {v}")
        else:
            values.append(v)
    _swap_good(cur, f"SELECT ord, {', '.join(values)} FROM good")


def regroup(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """The dataset's rows from the file's good rows: an event log grouped, averages made totals."""
    if plan.log is not None:
        _group(cur, plan.log, plan.cmap, plan.target)
        out.grouped = int(cur.execute("SELECT count(*) FROM grouped").fetchall()[0][0])
        return "grouped"
    averages = [a for a in averages_of(plan.ds) if a.column.name in plan.cmap.positions]
    if averages:
        _convert(cur, averages, plan.target)
        return "grouped"
    return "good"


def tally(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """An event log's updated rows counted in events: the calls whose team-day replaced a stored one.

    So `accepted` (calls) = new calls + `updated` calls, as for any other file.
    """
    target = plan.target
    if plan.log is None:
        return target.table
    match = " AND ".join(f"g.{quote('v_' + k)} IS NOT DISTINCT FROM t.{quote(k)}" for k in target.key_columns)
    stored = (
        f"{target.table} t" if plan.options.dry_run else f"{target.replaced_table} t WHERE t._replaced_by = ?"
    )
    joiner = "WHERE" if plan.options.dry_run else "AND"
    params = [] if plan.options.dry_run else [out.import_id]
    row = cur.execute(
        "SELECT coalesce(sum(g._events), 0) FROM good g "
        f"WHERE EXISTS (SELECT 1 FROM {stored} {joiner} {match})",
        params,
    ).fetchall()
    out.updated = int(row[0][0])
    return target.table
