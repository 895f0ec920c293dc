"""Closing dates from a state column: `--closed-when incident_state=Closed,Resolved`.

An event log (ServiceNow, Jira, a CRM's history) writes one line per state change and a time on each
line, but often no closing date: the record is closed when its kept line (`--keep last`) is in a
closing state. The user maps the dataset's closing column to the line's time (`--map
closed_at=sys_updated_on`) and names the closing states; a kept line in another state then has no
closing date (the record is open), whatever time the line carries. Nothing else of the row changes,
and the archive keeps the file as it came.
"""

from __future__ import annotations

import unicodedata

import duckdb

from metrics.catalogue import N_
from metrics.contracts.datasets import Dataset
from metrics.errors import ImportOptionRefused
from metrics.ingest.mapping import ColumnMapping, find_column, shown_headers
from metrics.ingest.options import ClosedWhen
from metrics.ingest.sources import Decision
from metrics.ingest.staging import quote
from metrics.semantic.closing import closing_column


def _position(rule: ClosedWhen, cmap: ColumnMapping, file_name: str) -> int:
    """The file column named by the rule, found as `--map` finds one: exactly, else `#N`, else folded."""
    headers = cmap.headers
    found = find_column(rule.header, [(h,) for h in headers])
    if not found:
        columns = ", ".join(h or "(blank)" for h in shown_headers(headers))
        raise ImportOptionRefused(
            N_("refused.closed_when_no_column"), file=file_name, header=rule.header, columns=columns
        )
    return found[0]


def _fold(state: str) -> str:
    """A state as SQL's `lower(strip_accents(trim(...)))` writes it: "Clôturé " and "cloture" match."""
    folded = unicodedata.normalize("NFKD", state.strip())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()


def check(rule: ClosedWhen, ds: Dataset, cmap: ColumnMapping, file_name: str) -> tuple[str, int]:
    """The closing column and the state's position, or a refusal that says how to use the option."""
    column = closing_column(ds.key)
    if column is None:
        raise ImportOptionRefused(N_("refused.closed_when_no_closing"), file=file_name, dataset=ds.key)
    if column not in cmap.positions:
        raise ImportOptionRefused(N_("refused.closed_when_needs_time"), file=file_name, column=column)
    return column, _position(rule, cmap, file_name)


def _in_state(rule: ClosedWhen, position: int) -> str:
    """SQL on `staged s`: the line's state is one of the rule's closing states (one `?` per state)."""
    state = f"lower(strip_accents(trim(s.c{position})))"
    return f"coalesce({state} IN ({', '.join('?' for _ in rule.states)}), false)"


def open_unless_closed(
    cur: duckdb.DuckDBPyConnection, rule: ClosedWhen, ds: Dataset, cmap: ColumnMapping, file_name: str
) -> tuple[str, int]:
    """Empty the closing date of every line whose state is not a closing one; the column and state's position.

    Runs on `typed_cells` (text and value of each declared column) after `--keep` chose each record's
    line and before rows are sorted, so a line kept open is stored with no closing date rather than
    rejected for one.
    """
    column, position = check(rule, ds, cmap, file_name)
    t, v = quote("t_" + column), quote("v_" + column)
    opened = f"SELECT s.ord FROM staged s WHERE NOT {_in_state(rule, position)}"
    cur.execute(
        f"UPDATE typed_cells SET {t} = NULL, {v} = NULL WHERE ord IN ({opened})",
        [_fold(s) for s in rule.states],
    )
    return column, position


def closed_by_state(
    cur: duckdb.DuckDBPyConnection, rule: ClosedWhen, cmap: ColumnMapping, column: str, position: int
) -> Decision:
    """The report's line on `--closed-when`: how many of the records stored are closed.

    Counted on view `good`, once the rows are sorted: a closing line rejected for a bad date is neither
    stored nor counted closed. `column` and `position` are what `open_unless_closed` found.
    """
    row = cur.execute(
        f"SELECT count(*) FILTER (WHERE {_in_state(rule, position)}), count(*) "
        "FROM good g JOIN staged s USING (ord)",
        [_fold(s) for s in rule.states],
    ).fetchone()
    closed, n = (int(row[0]), int(row[1])) if row else (0, 0)
    header, time_header = cmap.headers[position] or rule.header, cmap.header_of(column)
    said = {"closed": closed, "n": n, "column": time_header}
    return Decision("closing", f"{header} = {', '.join(rule.states)}", N_("import.closed_by_state"), said)
