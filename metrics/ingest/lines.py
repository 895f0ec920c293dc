"""Line numbers for staged rows, as a spreadsheet shows them (one record, one line).

DuckDB's reader numbers rejected records but not accepted ones, and it drops blank lines without
a trace. When the data has no blank line, the k-th accepted record sits on the k-th line that was
not rejected, which SQL computes with one ASOF join. When it has blank lines (rare), one pass of
Python's csv module numbers the records exactly.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from metrics.ingest.filechecks import CHUNK, BlankLines
from metrics.ingest.reasons import UNTERMINATED


def has_inner_blank_line(path: Path) -> bool:
    """True when an empty line stands before a later record (trailing ones do not shift numbering)."""
    blank = BlankLines()
    with path.open("rb") as fh:
        while (block := fh.read(CHUNK)) and not blank.inner:
            blank.feed(block)
    return blank.inner


def spread_unterminated(cur: duckdb.DuckDBPyConnection, rejects: str) -> None:
    """One rejected line per record an unterminated quote swallowed, each naming the whole span.

    DuckDB reads from an unclosed `"` to the end of the file as one record and rejects it as line N:
    the records after it would vanish from the counts. Each non-blank line of the span becomes its own
    rejected line (error type UNTERMINATED, detail "N-M|records", its own text as the raw line), so
    accepted + rejected + skipped still equals the records the file holds.
    """
    rows = cur.execute(
        f"SELECT DISTINCT line, csv_line FROM {rejects} WHERE error_message LIKE '%unterminated quote%'"
    ).fetchall()
    for first, text in rows:
        lines = (text or "").lstrip("\r\n").rstrip("\r\n").split("\n")
        records = [(first + k, line.rstrip("\r")) for k, line in enumerate(lines) if line.strip()]
        if len(records) < 2:
            continue  # a quote left open on the last line: DuckDB's own message says it
        detail = f"{first}\u2013{first + len(lines) - 1}|{len(records)}"  # matches reasons.SPAN
        cur.execute(f"DELETE FROM {rejects} WHERE line = ?", [first])
        cur.executemany(
            f"INSERT INTO {rejects} (line, error_type, csv_line, error_message) VALUES (?, ?, ?, ?)",
            [[number, UNTERMINATED, raw, detail] for number, raw in records],
        )


def number_by_gaps(cur: duckdb.DuckDBPyConnection, first_line: int, rejects: str) -> int | None:
    """Create temp table `numbered(ord, line)` for `staged`, skipping the rejected lines.

    With no rejected line, record `ord` sits on line `first_line + ord`: no table is made and the
    offset is returned, so typing the cells needs no join over every row.
    """
    spread_unterminated(cur, rejects)
    row = cur.execute(f"SELECT count(*) FROM {rejects}").fetchone()
    if not (row and row[0]):
        return first_line
    cur.execute(
        f"""
        CREATE TEMP TABLE rejected_lines AS
        -- consecutive rejected lines share `accepted_before`: keep the last,
        -- so the next record skips them all
        SELECT accepted_before, max(rejected_so_far) AS rejected_so_far FROM (
            SELECT line - ? - (row_number() OVER (ORDER BY line) - 1) AS accepted_before,
                   row_number() OVER (ORDER BY line) AS rejected_so_far
            FROM (SELECT DISTINCT line FROM {rejects})
        ) GROUP BY accepted_before
        """,
        [first_line],
    )
    cur.execute(
        """
        CREATE TEMP TABLE numbered AS
        SELECT s.ord, ? + s.ord + coalesce(r.rejected_so_far, 0) AS line
        FROM staged s ASOF LEFT JOIN rejected_lines r ON s.ord >= r.accepted_before
        """,
        [first_line],
    )
    return None


def number_by_reading(
    cur: duckdb.DuckDBPyConnection, path: Path, delimiter: str, first_line: int, rejects: str
) -> None:
    """Create temp table `numbered(ord, line)` by counting records the way the csv module sees them."""
    import pyarrow as pa  # only here: 0.14 s of the CLI's start, paid by the imports that need it

    spread_unterminated(cur, rejects)
    rejected = {r[0] for r in cur.execute(f"SELECT DISTINCT line FROM {rejects}").fetchall()}
    lines: list[int] = []
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        for number, record in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
            if number < first_line or number in rejected:
                continue
            if record:  # DuckDB drops blank lines and yields or rejects every other record
                lines.append(number)
    table = pa.table({"ord": pa.array(range(len(lines)), pa.int64()), "line": pa.array(lines, pa.int64())})
    cur.register("record_lines", table)
    cur.execute("CREATE TEMP TABLE numbered AS SELECT ord, line FROM record_lines")
    cur.unregister("record_lines")
