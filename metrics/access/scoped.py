"""Row-level security in the store: a caller's cursor sees only the rows their roles allow.

Every read of the product goes through `store.cursor()`: metric figures, alerts, themes, verbatims,
hand-offs, downloads and the board pack. A scoped store's cursor shadows each table with a temporary
view of the same name (DuckDB resolves a temporary view before the database's table), so no query
can forget the filter, whatever page, URL parameter or download asked for it:
- a dataset the caller may not read is empty (a staff representative reads no survey answer);
- a region-limited caller reads only rows of their regions (and the company's events); targets are
  read whole, since every region's target sits beside its figure in the league;
- without verbatim rights, the comment column reads NULL;
- rejected rows (raw lines of any region) are read only by those who may import.
The league of all regions is the one exception a regional director has: `league_source()` gives the
unscoped store to the league, which only ever groups by region.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from metrics.access.caller import Caller
from metrics.access.roles import Action
from metrics.contracts.datasets import DATASETS
from metrics.errors import CxError
from metrics.store import Store

# tables whose rows without a region (NULL or '') belong to the whole company
COMPANY_WIDE = frozenset({"events"})
# read whole by whoever reads them: every region's target sits beside its figure in the league
UNFILTERED = frozenset({"targets"})


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join("'" + n.replace("'", "''") + "'" for n in names)


class ScopedStore:
    """The same reads as `base`, limited to what `caller` may see; no writes."""

    def __init__(self, base: Store, caller: Caller) -> None:
        self.base = base
        self.caller = caller
        self.path: Path = base.path

    def data_version(self) -> int:
        """The base store's data version: the views change with it."""
        return self.base.data_version()

    def is_empty(self) -> bool:
        """Whether the database holds no data at all (not: whether this caller sees none)."""
        return self.base.is_empty()

    def table_names(self) -> set[str]:
        """The base store's tables: the views keep their names."""
        return self.base.table_names()

    def league_source(self) -> Store | ScopedStore:
        """Where the league reads each region's own figure: every region when the role allows it."""
        return self.base if self.caller.league_of_all_regions else self

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read cursor whose tables are the caller's views of them."""
        with self.base.cursor() as cur:
            if not isinstance(self.base, Store):  # Spark: one session for every reader (engines.spark)
                yield _spark_views(
                    cur, self._scope(self.base.table_names()), self.caller, self.data_version()
                )
                return
            catalog = cur.execute("SELECT current_database()").fetchone()[0]
            present = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            for table, keep, hide_comment in self._scope(present):
                source = f'"{catalog}".main."{table}"'
                select = "* REPLACE (CAST(NULL AS VARCHAR) AS comment)" if hide_comment else "*"
                cur.execute(
                    f'CREATE OR REPLACE TEMP VIEW "{table}" AS SELECT {select} FROM {source} WHERE {keep}'
                )
            yield cur  # the views live and die with this cursor (each cursor is a connection of its own)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Writes go through the base store after `Caller.require`, never through a scoped view."""
        raise CxError(  # not user-facing: a bug in our code (a write through a reader's view), not a user's
            "a scoped store is read-only: writes check the caller's role and use the base store"
        )
        yield  # pragma: no cover - a generator for contextmanager's sake

    def _scope(self, present: set[str]) -> Iterator[tuple[str, str, bool]]:
        """(table, rows kept as a DuckDB condition, comment hidden) for each table the caller reads."""
        columns = {key: {c.name for c in ds.columns} for key, ds in DATASETS.items()}
        regions = self.caller.region_filter
        for key in DATASETS:
            for table in (f"ds_{key}", f"replaced_{key}", f"rollup_{key}"):
                if table in present:
                    hide = key == "responses" and not self.caller.verbatims and table != f"rollup_{key}"
                    yield table, self._row_filter(key, regions, columns[key]), hide
        if "rejected_rows" in present and not self.caller.can(Action.IMPORT):
            yield "rejected_rows", "false", False

    def _row_filter(self, key: str, regions: tuple[str, ...] | None, names: set[str]) -> str:
        if key not in self.caller.datasets:
            return "false"
        if regions is None or "region" not in names or key in UNFILTERED:
            return "true"
        if not regions:
            return "false"
        mine = f'"region" IN ({_quoted(regions)})'
        return f"({mine} OR coalesce(\"region\", '') = '')" if key in COMPANY_WIDE else mine


def scoped(base: Store, caller: Caller) -> Store | ScopedStore:
    """`base` itself for a caller who reads everything (no cost), else its scoped reads."""
    unrestricted = (
        caller.region_filter is None
        and caller.datasets == frozenset(DATASETS)
        and caller.verbatims
        and caller.can(Action.IMPORT)
    )
    if unrestricted:
        return base
    return ScopedStore(base, caller)


# (Spark session, scope digest) -> the data version its views were made at: made once per export
_SPARK_VIEWS: dict[tuple[int, str], int] = {}


def _spark_views(cur: Any, scope: Iterable[tuple[str, str, bool]], caller: Caller, version: int) -> Any:  # noqa: ANN401
    """A Spark cursor reading each table through a view of the caller's rows.

    A Spark session's temporary views are shared by every reader of the process, so a table cannot be
    shadowed under its own name as on DuckDB: each scope gets views of its own names (a digest of the
    scope), and the cursor renames the tables of every statement it runs (`dialects.render`).
    """
    from metrics.engines.spark import SparkCursor
    from metrics.semantic.dialects import render

    tag = hashlib.sha256(repr((caller.key, caller.can(Action.IMPORT))).encode()).hexdigest()[:12]
    names: dict[str, str] = {}
    made = _SPARK_VIEWS.get((id(cur.spark), tag)) == version
    for table, keep, hide_comment in scope:
        view = names[table] = f"scoped_{tag}_{table}"
        if made:
            continue
        select = "*"
        if hide_comment:  # Spark has no `* REPLACE`: the comment is listed with the other columns, as NULL
            select = ", ".join(
                'CAST(NULL AS VARCHAR) AS "comment"' if c == "comment" else f'"{c}"'
                for c in cur.spark.table(table).columns
            )
        sql = f'CREATE OR REPLACE TEMP VIEW "{view}" AS SELECT {select} FROM "{table}" WHERE {keep}'
        cur.spark.sql(render(sql, [], "spark"))
    _SPARK_VIEWS[(id(cur.spark), tag)] = version
    return SparkCursor(cur.spark, tables=names)
