"""Sort typed rows into skipped (clearly not data), problems (rejected, with line and reason) and good.

A row is skipped only when it is clearly not data: an empty row; a description row right under the
header that looks like header text; or an answer a survey tool marks as a preview or unfinished.
Everything else that fails is rejected with its line, so no real row disappears silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb

from metrics.contracts.datasets import Dataset, Kind
from metrics.contracts.naming import normalise_header
from metrics.contracts.validators import row_checks
from metrics.fragments import Fragment
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.parsing import problem_detail, problem_expr
from metrics.ingest.presets import Drop
from metrics.ingest.reasons import SPAN, STRUCTURAL
from metrics.ingest.staging import distinct_typed, quote

DESCRIPTION_ROWS_MAX = 3
NOT_SKIPPED = "NOT EXISTS (SELECT 1 FROM skip k WHERE k.ord = {rows}.ord)"
NO_PROBLEM = "NOT EXISTS (SELECT 1 FROM problems q WHERE q.ord = typed.ord)"
# a cell "looks like" a number or a date when it starts like one: "2/30/2019" is a bad date, not a title
_LOOKS_TYPED = "regexp_matches({t}, '^[-+]?[0-9]')"
_TYPED_KINDS = (Kind.INTEGER, Kind.DECIMAL, Kind.DATE, Kind.TIMESTAMP, Kind.MONTH)
# "expected|found" columns of one line's structural rejects; a line with two extra fields has two
# rejects, "Found: 5" and "Found: 6": report the largest
STRUCTURAL_DETAIL = (
    "any_value(regexp_extract(error_message, 'Columns: (\\d+)', 1)) || '|' || "
    "CAST(max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER)) AS VARCHAR)"
)


def _looks_like_data(ds: Dataset, cmap: ColumnMapping) -> str:
    """SQL true when any typed cell of the row looks like its column's type (then it is not a title row)."""
    looks: list[str] = []
    for col in ds.columns:
        if col.name not in cmap.positions:
            continue
        t, v = quote("t_" + col.name), quote("v_" + col.name)
        if col.kind in _TYPED_KINDS:
            looks.append(f"coalesce({_LOOKS_TYPED.format(t=t)}, false)")
        elif col.kind is Kind.BOOLEAN or (col.values and col.closed):
            looks.append(f"{v} IS NOT NULL")  # not user-facing: SQL
    return " OR ".join(looks) or "false"


def _description_rows(cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping) -> list[int]:
    """Ords of the rows right under the header that are header text: titles, ImportIds, a repeated header."""
    width = len(cmap.headers)
    typed_cells = [
        quote("t_" + c.name) for c in ds.columns if c.name in cmap.positions and c.kind is not Kind.TEXT
    ]
    any_typed = " OR ".join(f"{t} IS NOT NULL" for t in typed_cells) or "false"  # not user-facing: SQL
    rows = cur.execute(
        f"SELECT ord, {', '.join(f'c{i}' for i in range(width))}, ({_looks_like_data(ds, cmap)}), "
        f"({any_typed}) FROM (SELECT * FROM typed WHERE ord < ?) JOIN (SELECT * FROM staged WHERE ord < ?) "
        "USING (ord) ORDER BY ord",
        [DESCRIPTION_ROWS_MAX, DESCRIPTION_ROWS_MAX],
    ).fetchall()
    headers = [normalise_header(h) for h in cmap.headers]
    found: list[int] = []
    for expected, (ord_, *rest) in enumerate(rows):
        cells, looks, has_typed = rest[:width], rest[width], rest[width + 1]
        if ord_ != expected:
            break
        filled = [(i, c) for i, c in enumerate(cells) if c and c.strip()]
        import_ids = any('{"ImportId"' in c for _, c in filled)
        repeats = len(filled) >= 2 and sum(normalise_header(c) == headers[i] for i, c in filled) * 2 >= len(
            filled
        )
        titles = has_typed and not looks
        if not (import_ids or repeats or titles):
            break
        found.append(ord_)
    return found


def fill_skip(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping, drops: Sequence[Drop] = ()
) -> None:
    """Temp table `skip(ord, reason)`: empty and description rows, survey previews, unfinished answers.

    Raw cells are read from view `staged`, typed ones from view `typed`.
    """
    cur.execute("CREATE TEMP TABLE skip (ord BIGINT, reason VARCHAR)")
    # a cell trims to nothing only when it is empty or starts with a character `trim` removes (a space, a
    # no-break space...), never with a visible ASCII one: the trim runs for those only (1M rows: 0.05 s
    # against 0.29 s trimming every first cell)
    raw_empty = " AND ".join(
        f"(c{i} IS NULL OR c{i} = '' OR (ord(c{i}) NOT BETWEEN 33 AND 126 AND trim(c{i}) = ''))"
        for i in range(len(cmap.headers))
    )
    cur.execute(f"INSERT INTO skip SELECT ord, 'empty_row' FROM staged WHERE {raw_empty}")
    described = [o for o in _description_rows(cur, ds, cmap)]
    if described:
        cur.executemany(
            "INSERT INTO skip SELECT ?, 'description_row' "
            "WHERE NOT EXISTS (SELECT 1 FROM skip WHERE ord = ?)",
            [[o, o] for o in described],
        )
    folded = [normalise_header(h) for h in cmap.headers]
    for drop in drops:
        if normalise_header(drop.header) not in folded:
            continue
        cell = f"lower(trim(c{folded.index(normalise_header(drop.header))}))"
        tests = [f"{cell} IN ({', '.join('?' for _ in drop.values)})"] if drop.values else []
        if drop.when_empty:
            tests.append(f"NULLIF({cell}, '') IS NULL")
        cur.execute(
            f"INSERT INTO skip SELECT ord, ? FROM staged WHERE ({' OR '.join(tests)}) "
            f"AND {NOT_SKIPPED.format(rows='staged')}",
            [drop.reason, *drop.values],
        )
    provided = cmap.provided()
    for col in ds.columns:
        if col.blank_means and col.name in provided:  # a question left unanswered: counted, not rejected
            cur.execute(
                f"INSERT INTO skip SELECT ord, ? FROM typed WHERE {quote('t_' + col.name)} IS NULL "
                f"AND {NOT_SKIPPED.format(rows='typed')}",
                [col.blank_means],
            )


def skip_other_states(cur: duckdb.DuckDBPyConnection, ds: Dataset, keep: str) -> None:
    """One line per id of an event log: the first or last in the file's order; the others skipped.

    A ServiceNow export holds one line per state change of a ticket (5 831 lines, 865 tickets): with
    `--keep last` each ticket is its latest line, and the 4 966 others are counted as skipped.
    """
    keys = ", ".join(quote("v_" + k) for k in ds.key_columns)
    order = "DESC" if keep == "last" else "ASC"
    cur.execute(
        f"INSERT INTO skip SELECT ord, 'other_state' FROM ("
        f"SELECT ord, row_number() OVER (PARTITION BY {keys} ORDER BY ord {order}) AS seen "
        f"FROM typed WHERE {NOT_SKIPPED.format(rows='typed')}) WHERE seen > 1"
    )


def classify(
    cur: duckdb.DuckDBPyConnection,
    ds: Dataset,
    cmap: ColumnMapping,
    details: Mapping[str, str],
    decimals: Mapping[str, str] | None = None,
) -> None:
    """Temp table `problems(ord, line, column_name, value, reason, detail)` and view `good`.

    `good` is a view, not a copy: problems and skipped rows are few, so its anti-joins cost little,
    and the rows it selects go straight into the dataset.
    """
    not_skipped = NOT_SKIPPED.format(rows="typed")
    cur.execute(
        "CREATE TEMP TABLE problems (ord BIGINT, line BIGINT, column_name VARCHAR, value VARCHAR, "
        "reason VARCHAR, detail VARCHAR)"
    )
    provided = cmap.provided()
    for col in ds.columns:
        if col.name not in provided:
            continue
        t = quote("t_" + col.name)
        reason = problem_expr(col, t, quote("v_" + col.name), (decimals or {}).get(col.name))
        if reason.sql == "CAST(NULL AS VARCHAR)":
            continue  # a free-text optional column has no problem to find
        distinct = distinct_typed(cur, col)
        if distinct is not None:
            found = f"SELECT count(*) FROM {distinct} WHERE ({reason.sql}) IS NOT NULL"
            if cur.execute(found, reason.params).fetchone() == (0,):
                continue  # none of the column's distinct cells has a problem: no row has
        cur.execute(
            f"INSERT INTO problems SELECT ord, line, ?, {t}, reason, ? FROM "
            f"(SELECT ord, line, {t}, {reason.sql} AS reason FROM typed) AS typed "
            f"WHERE reason IS NOT NULL AND {not_skipped}",
            [cmap.header_of(col.name), details.get(col.name, problem_detail(col)), *reason.params],
        )
    for check in row_checks(ds):
        if not all(c in provided for c in check.columns):
            continue
        frag = check.failing(lambda name: quote("v_" + name))
        cur.execute(
            f"INSERT INTO problems SELECT ord, line, ?, {quote('t_' + check.column)}, ?, ? FROM typed "
            f"WHERE ({frag.sql}) AND {not_skipped} AND {NO_PROBLEM}",
            [cmap.header_of(check.column), check.reason, check.detail, *frag.params],
        )
    _duplicates(cur, ds, cmap)
    cur.execute(
        f"CREATE TEMP VIEW good AS SELECT ord, {', '.join(quote('v_' + c.name) for c in ds.columns)} "
        f"FROM typed WHERE {not_skipped} AND {NO_PROBLEM}"
    )


def _duplicates(cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping) -> None:
    """Each row whose key an earlier row of the file has: a problem naming that earlier line.

    Most files repeat no key: counting the distinct keys (a hash aggregate, 0.15 s at 1M rows) tells so
    for a third of the window's cost (0.41 s), which then only runs when some key is repeated.
    """
    if not ds.key_columns:  # a call log's rows have no key: two alike calls are two calls
        return
    not_skipped = NOT_SKIPPED.format(rows="typed")
    keys = ", ".join(quote("v_" + k) for k in ds.key_columns)
    rows = f"FROM typed WHERE {not_skipped} AND {NO_PROBLEM}"
    # DISTINCT, unlike count(DISTINCT ...), counts NULL keys as one value, as PARTITION BY groups them
    counted = f"SELECT (SELECT count(*) {rows}) - (SELECT count(*) FROM (SELECT DISTINCT {keys} {rows}))"
    repeated = cur.execute(counted).fetchone()
    if not (repeated and repeated[0]):
        return
    first_key = ds.key_columns[0]
    cur.execute(
        f"""
        INSERT INTO problems
        SELECT ord, line, ?, {quote("t_" + first_key)}, 'duplicate_in_file', CAST(first_line AS VARCHAR)
        FROM (
            SELECT ord, line, {quote("t_" + first_key)},
                   first_value(line) OVER w AS first_line, row_number() OVER w AS seen
            {rows}
            WINDOW w AS (PARTITION BY {keys} ORDER BY ord)
        ) WHERE seen > 1
        """,
        [cmap.header_of(first_key) if first_key in cmap.provided() else first_key],
    )


def _raw_json(cmap: ColumnMapping) -> Fragment:
    pairs = ", ".join(f"?, c{i}" for i in range(len(cmap.headers)))
    return Fragment(f"CAST(json_object({pairs}) AS VARCHAR)", list(cmap.headers))


def quarantine(cur: duckdb.DuckDBPyConnection, import_id: int, cmap: ColumnMapping) -> None:
    """Copy every problem, skipped row and structural reject into `rejected_rows` with the raw record.

    The raw record comes from view `staged`, joined for these few rows only.
    """
    raw = _raw_json(cmap)
    cur.execute(
        f"INSERT INTO rejected_rows SELECT ?, p.line, p.column_name, p.value, p.reason, p.detail, {raw.sql} "
        f"FROM problems p JOIN staged t USING (ord)",
        [import_id, *raw.params],
    )
    cur.execute(
        f"INSERT INTO rejected_rows SELECT ?, y.line, NULL, NULL, s.reason, NULL, {raw.sql} "
        f"FROM skip s JOIN staged t USING (ord) JOIN typed y USING (ord)",
        [import_id, *raw.params],
    )
    for error_type, reason in STRUCTURAL.items():
        cur.execute(
            f"INSERT INTO rejected_rows SELECT ?, line, NULL, NULL, ?, {STRUCTURAL_DETAIL}, "
            "any_value(ltrim(csv_line, chr(13) || chr(10))) FROM csv_rejects WHERE error_type = ? "
            "GROUP BY line",
            [import_id, reason, error_type],
        )
    cur.execute(
        "INSERT INTO rejected_rows SELECT ?, line, NULL, NULL, CASE WHEN regexp_matches(any_value("
        "error_message), ?) THEN 'unterminated_quote' ELSE 'unreadable_line' END, any_value(error_message), "
        "any_value(ltrim(csv_line, chr(13) || chr(10))) FROM csv_rejects WHERE error_type NOT IN "
        f"({', '.join('?' for _ in STRUCTURAL)}) AND line NOT IN "
        f"(SELECT line FROM csv_rejects WHERE error_type IN ({', '.join('?' for _ in STRUCTURAL)})) "
        "GROUP BY line",
        [import_id, SPAN, *STRUCTURAL, *STRUCTURAL],
    )
