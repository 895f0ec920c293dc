"""Personal data out of every import: free-text cells masked, customer ids hashed, before storing.

A telecom operator's verbatims are full of "rappelez-moi au 06 12 34 56 78". The import stages the
file as text in temp tables of its own connection; `protect_staged` rewrites those staged cells (and
the raw lines DuckDB's reader rejected) before any row reaches a table of the database, so the
dataset, `replaced_*` and `rejected_rows` only ever see the masked text.

- Only free text is masked (`free_text_positions`): the file's columns no declaration reads, and
  declared text columns that are neither an id (a key column, an event log's grouping column,
  `customer_id`) nor a vocabulary. A date, number, boolean, id or vocabulary column keeps its raw
  text: `01-03-2016 01:22` is a date, not the Paris number 01 03 20 16 01, and a changed cell would
  also change how the row is typed and sorted.
- What is masked in those cells, and how it is told from ticket numbers, amounts and dates:
  `metrics.ingest.pii_patterns` (e-mails, IBANs, RIBs, card numbers, phone numbers).
- `customer_id`: replaced by a salted SHA-256 (`#` and 20 hex digits), the salt kept outside the
  database (see `salt`), so two imports of one customer still match and the id cannot be read back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import secrets
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from metrics import settings
from metrics.contracts.datasets import Dataset, Kind
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.pii_patterns import MASKS, SPACE, mask_patterns
from metrics.ingest.sources import Source

SALT_ENV = "CX_SALT_FILE"
HASHED_COLUMN = "customer_id"
# cheap test done by DuckDB over every free-text cell: only cells that may hold personal data go to
# Python: an @; 8+ digits with phone separators (no phone number of France or of the countries its
# customers call is shorter, country code included); pairs split by slashes; the start of an IBAN; an
# address spelled "(at)". The no-break spaces are literal characters: RE2 and Python read them alike.
CANDIDATE_SQL = (
    rf"@|[0-9](?:[.()\-{SPACE}]*[0-9]){{7,}}|[0-9]{{2}}/[0-9]{{2}}/[0-9]{{2}}/[0-9]{{2}}"
    r"|[A-Za-z]{2} ?[0-9]{2}[ \-]?[A-Za-z0-9]{4}|[(\[{] ?(?i:at) ?[)\]}] ?[A-Za-z0-9\-]+\.[A-Za-z]{2}"
)
_CANDIDATE = re.compile(CANDIDATE_SQL)
CANDIDATE_MIN_BYTES = 8  # the shortest text CANDIDATE_SQL finds without an @ ("(at)a.fr", 8 digits)
_HASHED = re.compile(r"#[0-9a-f]{20}")  # what `_hash` and the SQL of `protect_staged` write


def is_free_text(ds: Dataset, name: str, keys: tuple[str, ...] = ()) -> bool:
    """True for a declared column whose cells are prose: text that is no id and no vocabulary.

    `keys`: the columns an event log's rows are grouped by (`EventLog.group_by`), the key of the rows
    they become. A call log's queue is its team: masking one called "09 69 39 39 00" would merge every
    phone-numbered queue into one team, "[tél.]".
    """
    col = ds.column(name)
    ids = (*ds.key_columns, *keys, HASHED_COLUMN)
    return col.kind is Kind.TEXT and not col.values and name not in ids


def free_text_positions(ds: Dataset, cmap: ColumnMapping, keys: tuple[str, ...] = ()) -> tuple[int, ...]:
    """Positions of the file columns masking reads: undeclared ones, and those feeding only free text."""
    fed: dict[int, list[str]] = {}
    for name, position in cmap.positions.items():
        fed.setdefault(position, []).append(name)
    return tuple(
        i for i in range(len(cmap.headers)) if all(is_free_text(ds, name, keys) for name in fed.get(i, []))
    )


def mask_text(text: str, counts: Counter[str] | None = None) -> str:
    """`text` with its e-mails, IBANs, RIBs, card and phone numbers masked; `counts` gets one per mask."""
    if not _CANDIDATE.search(text):
        return text
    return mask_patterns(text, counts if counts is not None else Counter())


def salt_path(db_path: Path) -> Path:
    """Where the customer-id salt lives: `CX_SALT_FILE`, else `<database>.salt` beside the database."""
    return settings.path(SALT_ENV) or db_path.with_name(db_path.name + ".salt")


def salt(db_path: Path) -> str:
    """The secret salt of this database's customer-id hashes, created (mode 0600) on first use."""
    path = salt_path(db_path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip()


def _hash(value: str, secret: str) -> str:
    """The stored form of a customer id: the same formula as the SQL in `protect_staged`."""
    return "#" + hashlib.sha256((secret + value.strip(" ")).encode("utf-8")).hexdigest()[:20]


def is_hashed(value: str) -> bool:
    """True for an id already in its stored form (a masked archive copy replayed by `rebuild`)."""
    return bool(_HASHED.fullmatch(value.strip(" ")))


def _rewrite(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    change: Callable[[str], str],
) -> None:
    """Write `change(text)` of each cell of the (rowid, *columns) rows back into temp `table`."""
    import pyarrow as pa  # only here: 0.14 s of the CLI's start, paid by the imports that need it

    if not rows:
        return
    arrays = {"rid": pa.array([r[0] for r in rows], pa.int64())}
    for i, c in enumerate(columns):
        arrays[c] = pa.array([None if r[i + 1] is None else change(r[i + 1]) for r in rows], pa.string())
    cur.register("masked_cells", pa.table(arrays))
    sets = ", ".join(f"{c} = m.{c}" for c in columns)
    cur.execute(f"UPDATE {table} SET {sets} FROM masked_cells m WHERE {table}.rowid = m.rid")
    cur.unregister("masked_cells")


# rows masked per round trip: bounded memory however many comments carry digits (10M demo answers held
# 13.6 GB when every candidate row was fetched at once)
BATCH_ROWS = 50_000


def _mask_staged(cur: duckdb.DuckDBPyConnection, texts: list[str], counts: Counter[str]) -> None:
    """Mask the candidate cells of temp `staged_raw`, `BATCH_ROWS` rows at a time."""
    # every candidate has an @ or at least 8 bytes (8 digits, an IBAN's 2 letters, 2 digits and 4 more, or
    # "(at)a.fr"): `contains` and the byte length cost a fraction of the regular expression most cells skip
    flagged = " OR ".join(
        f"(contains({c}, '@') OR (strlen({c}) >= {CANDIDATE_MIN_BYTES} AND regexp_matches({c}, ?)))"
        for c in texts
    )
    # the candidates' cells copied once, numbered in order: each batch is a range DuckDB finds by zone maps
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE pii_candidates AS SELECT rowid AS rid, {', '.join(texts)}, "
        f"row_number() OVER () - 1 AS k FROM staged_raw WHERE {flagged}",
        [CANDIDATE_SQL] * len(texts),
    )
    (total,) = cur.execute("SELECT count(*) FROM pii_candidates").fetchall()[0]
    for low in range(0, total, BATCH_ROWS):
        rows = cur.execute(
            f"SELECT rid, {', '.join(texts)} FROM pii_candidates WHERE k >= ? AND k < ? ORDER BY k",
            [low, low + BATCH_ROWS],
        ).fetchall()
        _rewrite(cur, "staged_raw", texts, rows, lambda v: mask_text(v, counts))
    cur.execute("DROP TABLE pii_candidates")


def _hash_field(line: str, delimiter: str, position: int, secret: str) -> str:
    """A rejected raw line with its customer-id field (when the line has one) replaced by the hash."""
    # DuckDB keeps the previous line's "\n" at the front of a rejected line of a CRLF file
    body = line.strip("\r\n")
    lead, ending = line[: line.index(body)] if body else "", line[len(line.rstrip("\r\n")) :]
    fields = next(csv.reader([body], delimiter=delimiter), [])
    if position >= len(fields) and '"' in body:
        # a quote left open swallows the cells after it: the id is then the field the separators place there
        fields = body.split(delimiter)
        if position < len(fields) and fields[position].strip(" ") and not is_hashed(fields[position]):
            fields[position] = _hash(fields[position], secret)
            return lead + delimiter.join(fields) + ending
    if position >= len(fields) or not fields[position].strip(" ") or is_hashed(fields[position]):
        return line
    fields[position] = _hash(fields[position], secret)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(fields)
    return lead + buffer.getvalue() + ending


def protect_staged(
    cur: duckdb.DuckDBPyConnection,
    src: Source,
    free_text: tuple[int, ...],
    hashed: int | None,
    db_path: Path,
    rejects: str = "csv_rejects",
    few: bool = False,
) -> dict[str, int]:
    """Mask the `free_text` columns of temp `staged_raw(c0..)` and the rejected lines, hash column `hashed`.

    `few`: the hashed ids repeat across rows (an event log's agent ids), see `_hash_ids`.

    Returns the masks made, by kind. A rejected line is masked whole: the reader could not split it.
    """
    counts: Counter[str] = Counter()
    texts = [f"c{i}" for i in free_text if i != hashed]
    if texts:
        _mask_staged(cur, texts, counts)
    secret = salt(db_path) if hashed is not None else ""

    # the reader's rejected lines: one row per error (a line with 20,000 extra fields has 20,000), so
    # each distinct text is masked once, and the customer-id field of a raw line hashed
    for column in ("csv_line", "error_message"):
        texts_seen = [r[0] for r in cur.execute(f"SELECT DISTINCT {column} FROM {rejects}").fetchall()]
        new = [mask_text(t, counts) if t is not None else None for t in texts_seen]
        if column == "csv_line" and hashed is not None:
            new = [_hash_field(t, src.delimiter, hashed, secret) if t is not None else None for t in new]
        changed = [(o, n) for o, n in zip(texts_seen, new, strict=True) if o != n]
        if changed:
            import pyarrow as pa  # only for rejected lines that held personal data (see _rewrite)

            pairs = {"old": [c[0] for c in changed], "new": [c[1] for c in changed]}
            cur.register("masked_texts", pa.table(pairs))
            cur.execute(f"UPDATE {rejects} SET {column} = m.new FROM masked_texts m WHERE {column} = m.old")
            cur.unregister("masked_texts")
    if hashed is not None:
        _hash_ids(cur, f"c{hashed}", secret, few)
    return {kind: counts[kind] for kind in MASKS}


def _hash_ids(cur: duckdb.DuckDBPyConnection, column: str, secret: str, few: bool) -> None:
    """Replace each id of `staged_raw.column` by its stored form (`_hash`'s formula, in SQL).

    `few`: the ids repeat (an agent's on each of their calls), so each distinct id is hashed once and
    joined back: 0.28 s against 0.56 s for 1M calls of 1,000 agents; for ids unique per row (customers)
    the distinct pass would cost more than it saves (0.97 s against 0.55 s).
    """

    def stored(v: str) -> str:
        return f"'#' || left(sha256(? || trim({v})), 20)"

    def wanted(v: str) -> str:
        return f"NULLIF(trim({v}), '') IS NOT NULL AND NOT regexp_full_match(trim({v}), '{_HASHED.pattern}')"

    if not few:
        cur.execute(f"UPDATE staged_raw SET {column} = {stored(column)} WHERE {wanted(column)}", [secret])
        return
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE id_hashes AS SELECT v, {stored('v')} AS h "
        f"FROM (SELECT DISTINCT {column} AS v FROM staged_raw) WHERE {wanted('v')}",
        [secret],
    )
    cur.execute(f"UPDATE staged_raw SET {column} = m.h FROM id_hashes m WHERE staged_raw.{column} = m.v")
    cur.execute("DROP TABLE id_hashes")
