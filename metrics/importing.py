"""Import one file into one dataset: every row is stored or quarantined with its reason, in one transaction.

Steps: prepare the file (sources), map its columns (mapping), stage every cell as text with DuckDB's
pinned CSV reader and its rejects table, parse and check in SQL (parsing), then replace rows whose
id already exists (archiving them so a roll-back can restore them) and record the import.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from metrics import rollups
from metrics.archive import import_workdir
from metrics.datasets import Dataset, Kind, dataset
from metrics.errors import CxError, ImportRefused
from metrics.lines import has_inner_blank_line, number_by_gaps, number_by_reading
from metrics.mapping import ColumnMapping, header_score, resolve
from metrics.messages import SKIPPED, STRUCTURAL, render_problem
from metrics.parsing import Fragment, problem_detail, problem_expr, trimmed, value_expr
from metrics.pii import protect_staged
from metrics.sources import Source, prepare
from metrics.store import Store, database_error
from metrics.validators import row_checks

Progress = Callable[[str, float], None]
SAMPLE_PROBLEMS = 20
DESCRIPTION_ROWS_MAX = 3
NOT_SKIPPED = "NOT EXISTS (SELECT 1 FROM skip k WHERE k.ord = typed.ord)"
NO_PROBLEM = "NOT EXISTS (SELECT 1 FROM problems q WHERE q.ord = typed.ord)"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem on one line, kept as data so it can be shown in French or English."""

    file: str
    line: int
    column: str | None
    value: str | None
    reason: str
    detail: str | None

    def render(self, lang: str = "en") -> str:
        """`reponses.csv, line 14, column note: "11" is outside 0-10`."""
        where = render_problem(self.line, self.column, self.reason, self.value, self.detail, lang)
        return f"{self.file}, {where}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; accepted + rejected + skipped always equals rows_read."""

    import_id: int
    dataset: str
    file_name: str
    rows_read: int
    accepted: int
    updated: int
    rejected: int
    skipped: int
    encoding: str
    delimiter: str
    sheet: str | None
    mapping: Mapping[str, str]
    demo: bool
    problems: tuple[RowProblem, ...] = field(default_factory=tuple)
    masked: Mapping[str, int] = field(default_factory=dict)  # personal data masked, by kind (metrics.pii)

    @property
    def inserted(self) -> int:
        """Rows that were new to the dataset."""
        return self.accepted - self.updated


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _stage(cur: duckdb.DuckDBPyConnection, src: Source) -> None:
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


def _build_typed(cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping) -> None:
    """Temp table `typed`: per declared column its text t_, value v_ and problem p_.

    Built in three materialised steps (texts, values, problems): DuckDB would otherwise inline
    each step's expressions into every later use and trim or parse the same cell many times.
    """
    mapped = [c for c in ds.columns if c.name in cmap.positions]
    texts = [f"{trimmed(f'c{cmap.positions[c.name]}')} AS {_quote('t_' + c.name)}" for c in mapped]
    raw = ", ".join(f"c{i}" for i in range(len(cmap.headers)))
    cur.execute(
        f"CREATE TEMP TABLE cells AS SELECT s.ord, n.line, {raw}, {', '.join(texts)} "
        "FROM staged s JOIN numbered n USING (ord)"
    )
    values: list[str] = []
    params: list[object] = []
    for col in ds.columns:
        if col.name in cmap.positions:
            frag = value_expr(col, _quote("t_" + col.name))
            values.append(f"{frag.sql} AS {_quote('v_' + col.name)}")
            params += frag.params
        else:
            kind = "VARCHAR" if col.kind is Kind.TEXT else "DOUBLE"
            values.append(f"CAST(NULL AS {kind}) AS {_quote('v_' + col.name)}")
    cur.execute(f"CREATE TEMP TABLE cell_values AS SELECT *, {', '.join(values)} FROM cells", params)
    cur.execute("DROP TABLE cells")
    problems: list[str] = []
    params = []
    for col in ds.columns:
        if col.name in cmap.positions:
            frag = problem_expr(col, _quote("t_" + col.name), _quote("v_" + col.name))
            problems.append(f"{frag.sql} AS {_quote('p_' + col.name)}")
            params += frag.params
        else:
            problems.append(f"CAST(NULL AS VARCHAR) AS {_quote('p_' + col.name)}")
    cur.execute(f"CREATE TEMP TABLE typed AS SELECT *, {', '.join(problems)} FROM cell_values", params)
    cur.execute("DROP TABLE cell_values")


def _skipped_rows(cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping) -> dict[int, str]:
    """Ord -> reason for rows that are not data: empty rows, survey-tool description rows."""
    mapped = [c for c in ds.columns if c.name in cmap.positions]
    all_empty = " AND ".join(f"{_quote('t_' + c.name)} IS NULL" for c in mapped)
    raw_empty = " AND ".join(f"NULLIF(trim(c{i}), '') IS NULL" for i in range(len(cmap.headers)))
    skipped = {
        r[0]: "empty_row"
        for r in cur.execute(f"SELECT ord FROM typed WHERE ({all_empty}) AND ({raw_empty})").fetchall()
    }
    typed_required = [c for c in ds.required if c.kind is not Kind.TEXT]
    if typed_required:
        # rows right under the header where no typed required cell parses: question texts, ImportIds
        failing = " AND ".join(f"{_quote('p_' + c.name)} IS NOT NULL" for c in typed_required)
        rows = cur.execute(
            f"SELECT ord, ({failing}) FROM typed WHERE ord < ? ORDER BY ord", [DESCRIPTION_ROWS_MAX]
        ).fetchall()
        for ord_, fails in rows:
            if not fails or ord_ in skipped:
                break
            skipped[ord_] = "description_row"
    return skipped


def _classify(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, cmap: ColumnMapping, skipped: dict[int, str]
) -> None:
    """Temp tables `skip(ord, reason)`, `problems(ord, line, column_name, value, reason, detail)`, `good`."""
    cur.execute("CREATE TEMP TABLE skip (ord BIGINT, reason VARCHAR)")
    if skipped:
        cur.executemany("INSERT INTO skip VALUES (?, ?)", list(skipped.items()))
    cur.execute(
        "CREATE TEMP TABLE problems (ord BIGINT, line BIGINT, column_name VARCHAR, value VARCHAR, "
        "reason VARCHAR, detail VARCHAR)"
    )
    for col in ds.columns:
        if col.name not in cmap.positions:
            continue
        cur.execute(
            f"INSERT INTO problems SELECT ord, line, ?, {_quote('t_' + col.name)}, "
            f"{_quote('p_' + col.name)}, ? "
            f"FROM typed WHERE {_quote('p_' + col.name)} IS NOT NULL AND {NOT_SKIPPED}",
            [cmap.header_of(col.name), problem_detail(col)],
        )
    for check in row_checks(ds):
        if not all(c in cmap.positions for c in check.columns):
            continue
        frag = check.failing(lambda name: _quote("v_" + name))
        cur.execute(
            f"INSERT INTO problems SELECT ord, line, ?, {_quote('t_' + check.column)}, ?, ? FROM typed "
            f"WHERE ({frag.sql}) AND {NOT_SKIPPED} "
            f"AND {NO_PROBLEM}",
            [cmap.header_of(check.column), check.reason, check.detail, *frag.params],
        )
    keys = ", ".join(_quote("v_" + k) for k in ds.key_columns)
    first_key = ds.key_columns[0]
    cur.execute(
        f"""
        INSERT INTO problems
        SELECT ord, line, ?, {_quote("t_" + first_key)}, 'duplicate_in_file', CAST(first_line AS VARCHAR)
        FROM (
            SELECT ord, line, {_quote("t_" + first_key)},
                   first_value(line) OVER w AS first_line, row_number() OVER w AS seen
            FROM typed
            WHERE {NOT_SKIPPED} AND {NO_PROBLEM}
            WINDOW w AS (PARTITION BY {keys} ORDER BY ord)
        ) WHERE seen > 1
        """,
        [cmap.header_of(first_key) if first_key in cmap.positions else first_key],
    )
    cur.execute(
        f"CREATE TEMP TABLE good AS SELECT ord, {', '.join(_quote('v_' + c.name) for c in ds.columns)} "
        f"FROM typed WHERE {NOT_SKIPPED} AND {NO_PROBLEM}"
    )


def _raw_json(cmap: ColumnMapping) -> Fragment:
    pairs = ", ".join(f"?, c{i}" for i in range(len(cmap.headers)))
    return Fragment(f"CAST(json_object({pairs}) AS VARCHAR)", list(cmap.headers))


def _quarantine(cur: duckdb.DuckDBPyConnection, import_id: int, cmap: ColumnMapping) -> None:
    """Copy every problem, skipped row and structural reject into `rejected_rows` with the raw record."""
    raw = _raw_json(cmap)
    cur.execute(
        f"INSERT INTO rejected_rows SELECT ?, p.line, p.column_name, p.value, p.reason, p.detail, {raw.sql} "
        f"FROM problems p JOIN typed t USING (ord)",
        [import_id, *raw.params],
    )
    cur.execute(
        f"INSERT INTO rejected_rows SELECT ?, t.line, NULL, NULL, s.reason, NULL, {raw.sql} "
        f"FROM skip s JOIN typed t USING (ord)",
        [import_id, *raw.params],
    )
    for error_type, reason in STRUCTURAL.items():
        cur.execute(
            "INSERT INTO rejected_rows SELECT ?, line, NULL, NULL, ?, "
            # a line with two extra fields has two rejects, "Found: 5" and "Found: 6": report the largest
            "any_value(regexp_extract(error_message, 'Columns: (\\d+)', 1)) || '|' || "
            "CAST(max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER)) AS VARCHAR), "
            "any_value(ltrim(csv_line, chr(13) || chr(10))) FROM csv_rejects WHERE error_type = ? "
            "GROUP BY line",
            [import_id, reason, error_type],
        )
    cur.execute(
        "INSERT INTO rejected_rows SELECT ?, line, NULL, NULL, 'unreadable_line', any_value(error_message), "
        "any_value(ltrim(csv_line, chr(13) || chr(10))) FROM csv_rejects WHERE error_type NOT IN "
        f"({', '.join('?' for _ in STRUCTURAL)}) AND line NOT IN "
        f"(SELECT line FROM csv_rejects WHERE error_type IN ({', '.join('?' for _ in STRUCTURAL)})) "
        "GROUP BY line",
        [import_id, *STRUCTURAL, *STRUCTURAL],
    )


def _write(cur: duckdb.DuckDBPyConnection, ds: Dataset, import_id: int) -> int:
    """Replace rows whose key exists (archived for roll-back), insert the rest; returns rows replaced."""
    match = " AND ".join(f"g.{_quote('v_' + k)} IS NOT DISTINCT FROM t.{_quote(k)}" for k in ds.key_columns)
    cols = ", ".join(_quote(c.name) for c in ds.columns)
    replaced = cur.execute(
        f"INSERT INTO {ds.replaced_table} SELECT t.*, ? FROM {ds.table} t "
        f"WHERE EXISTS (SELECT 1 FROM good g WHERE {match})",
        [import_id],
    ).fetchone()
    cur.execute(f"DELETE FROM {ds.table} t WHERE EXISTS (SELECT 1 FROM good g WHERE {match})")
    values = ", ".join(_quote("v_" + c.name) for c in ds.columns)
    cur.execute(f"INSERT INTO {ds.table} ({cols}, _import_id) SELECT {values}, ? FROM good", [import_id])
    rollups.rebuild(cur, ds.key)
    return int(replaced[0]) if replaced else 0


def _one(cur: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = cur.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _refuse_duplicate_file(cur: duckdb.DuckDBPyConnection, ds: Dataset, src: Source) -> None:
    earlier = cur.execute(
        "SELECT import_id, finished_at FROM imports WHERE sha256 = ? AND dataset = ? AND status = 'done' "
        "ORDER BY import_id LIMIT 1",
        [src.sha256, ds.key],
    ).fetchone()
    if earlier:
        raise ImportRefused(
            f"{src.name} was already imported into {ds.key} as import {earlier[0]} on "
            f"{earlier[1]:%d/%m/%Y %H:%M}; roll that import back first (python -m metrics rollback "
            f"{earlier[0]}) "
            "to import the same file again"
        )


def import_file(
    store: Store,
    dataset_key: str,
    path: Path | str,
    *,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    demo: bool = False,
    progress: Progress | None = None,
    file_name: str | None = None,
) -> ImportReport:
    """Import `path` into `dataset_key`, all or nothing; refusals raise ImportRefused and change nothing."""
    ds = dataset(dataset_key)
    path = Path(path)
    step = progress or (lambda _label, _fraction: None)
    started = dt.datetime.now()
    with import_workdir(store.path, path) as work:
        step("reading", 0.05)
        src = prepare(path, Path(work), header_score(ds), sheet=sheet)
        name = file_name or src.name
        cmap = resolve(ds, src.headers, mapping, file_name=name)
        blank_lines = has_inner_blank_line(src.path)
        try:
            with store.transaction() as cur:
                # checked inside the transaction, so two imports of one file cannot both pass
                _refuse_duplicate_file(cur, ds, src)
                step("staging", 0.15)
                try:
                    _stage(cur, src)
                except duckdb.Error as err:
                    # the database's own failures (memory, disk) are not the file's fault
                    raise database_error(err, store.path) or ImportRefused(
                        f"{name}: the file cannot be read as CSV ({str(err).splitlines()[0]})"
                    ) from None
                first_line = src.header_line + 1
                if blank_lines:
                    number_by_reading(cur, src.path, src.delimiter, first_line, "csv_rejects")
                else:
                    number_by_gaps(cur, first_line, "csv_rejects")
                masked = protect_staged(cur, src, cmap.positions.get("customer_id"), store.path)
                step("checking", 0.45)
                _build_typed(cur, ds, cmap)
                _classify(cur, ds, cmap, _skipped_rows(cur, ds, cmap))
                import_id = _one(cur, "SELECT nextval('import_seq')")
                step("writing", 0.7)
                _quarantine(cur, import_id, cmap)
                updated = _write(cur, ds, import_id)
                staged = _one(cur, "SELECT count(*) FROM staged")
                structural = _one(cur, "SELECT count(DISTINCT line) FROM csv_rejects")
                accepted = _one(cur, "SELECT count(*) FROM good")
                rejected = _one(cur, "SELECT count(DISTINCT ord) FROM problems") + structural
                skipped = _one(cur, "SELECT count(*) FROM skip")
                rows_read = staged + structural
                if accepted + rejected + skipped != rows_read:
                    raise CxError(
                        f"{name}: internal accounting error ({accepted} accepted + {rejected} rejected + "
                        f"{skipped} skipped != {rows_read} read); nothing was imported, please report this"
                    )
                cur.execute(
                    "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "'done', ?, NULL)",
                    [
                        import_id,
                        ds.key,
                        name,
                        src.sha256,
                        src.encoding,
                        src.delimiter,
                        src.sheet,
                        json.dumps(cmap.as_dict(), ensure_ascii=False),
                        rows_read,
                        accepted,
                        updated,
                        rejected,
                        skipped,
                        started,
                        dt.datetime.now(),
                        demo,
                    ],
                )
                sample = cur.execute(
                    "SELECT line, column_name, value, reason, detail FROM rejected_rows WHERE import_id = ? "
                    "ORDER BY line, column_name NULLS FIRST LIMIT ?",
                    [import_id, SAMPLE_PROBLEMS],
                ).fetchall()
                cur.execute("DROP VIEW IF EXISTS staged")
                for table in ("typed", "good", "problems", "skip", "numbered", "staged_raw"):
                    cur.execute(f"DROP TABLE IF EXISTS {table}")
        finally:
            src.cleanup()
    step("done", 1.0)
    return ImportReport(
        import_id=import_id,
        dataset=ds.key,
        file_name=name,
        rows_read=rows_read,
        accepted=accepted,
        updated=updated,
        rejected=rejected,
        skipped=skipped,
        encoding=src.encoding,
        delimiter=src.delimiter,
        sheet=src.sheet,
        mapping=cmap.as_dict(),
        demo=demo,
        problems=tuple(RowProblem(name, r[0], r[1], r[2], r[3], r[4]) for r in sample if r[3] not in SKIPPED),
        masked=masked,
    )
