"""The database's schema as numbered migrations: a file made by an older version replays those it lacks.

Append only: each migration runs once, in its own transaction, in order; `schema_migrations` records
which ran. A file written by a newer version is refused with a sentence rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from metrics.catalogue import N_
from metrics.contracts.datasets import DATASETS, SQL_TYPES, Dataset
from metrics.errors import CxError


def dataset_columns_sql(ds: Dataset) -> str:
    """The column list of a dataset table, from its declaration."""
    return ", ".join(f'"{c.name}" {SQL_TYPES[c.kind]}' for c in ds.columns)


def _migration_1(con: duckdb.DuckDBPyConnection) -> None:
    """Bookkeeping tables and one current/replaced table pair per declared dataset."""
    con.execute("CREATE SEQUENCE import_seq START 1")
    con.execute(
        """
        CREATE TABLE imports (
            import_id BIGINT PRIMARY KEY, dataset VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL, encoding VARCHAR, delimiter VARCHAR, sheet VARCHAR, mapping VARCHAR,
            rows_read BIGINT NOT NULL, accepted BIGINT NOT NULL, updated BIGINT NOT NULL,
            rejected BIGINT NOT NULL, skipped BIGINT NOT NULL,
            started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL, demo BOOLEAN NOT NULL, rolled_back_at TIMESTAMP
        )"""
    )
    con.execute(
        """
        CREATE TABLE rejected_rows (
            import_id BIGINT NOT NULL, line BIGINT NOT NULL, column_name VARCHAR,
            value VARCHAR, reason VARCHAR NOT NULL, detail VARCHAR, raw VARCHAR
        )"""
    )
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('data_version', '0')")
    for ds in DATASETS.values():
        cols = dataset_columns_sql(ds)
        con.execute(f"CREATE TABLE {ds.table} ({cols}, _import_id BIGINT NOT NULL)")
        con.execute(f"CREATE TABLE {ds.replaced_table} ({cols}, _import_id BIGINT, _replaced_by BIGINT)")


def _migration_2(con: duckdb.DuckDBPyConnection) -> None:
    """Monthly rollups of the large datasets, built from whatever rows the file already holds."""
    from metrics.semantic import rollups

    for key in rollups.ROLLED_UP:
        rollups.rebuild(con, key)


def _migration_3(con: duckdb.DuckDBPyConnection) -> None:
    """The options of each import (JSON, ingest.options), so `rebuild` replays --set, --map... too.

    Imports made before this migration keep NULL: `rebuild` then replays them with their mapping only.
    """
    con.execute("ALTER TABLE imports ADD COLUMN options VARCHAR")


def _migration_4(con: duckdb.DuckDBPyConnection) -> None:
    """The audit trail (metrics.access.audit): who changed what, when; rows are only ever added."""
    con.execute(
        "CREATE TABLE audit (happened_at TIMESTAMP NOT NULL, who VARCHAR NOT NULL, action VARCHAR NOT NULL, "
        "subject VARCHAR, detail VARCHAR)"
    )


def _migration_5(con: duckdb.DuckDBPyConnection) -> None:
    """Workload units per data version (metrics.semantic.privacy_history), seeded from the current rows."""
    from metrics.semantic import privacy_history

    privacy_history.create(con)
    privacy_history.record(con, ahead=0)


def _migration_6(con: duckdb.DuckDBPyConnection) -> None:
    """Each workload cell's content when decided, so a rewrite of published rows is told (privacy_history)."""
    con.execute("ALTER TABLE privacy_cells ADD COLUMN IF NOT EXISTS content BIGINT")


def _migration_7(con: duckdb.DuckDBPyConnection) -> None:
    """What each digest recipient was last sent (metrics.digest.history), so the next says what changed."""
    con.execute(
        "CREATE TABLE digests (recipient VARCHAR NOT NULL, sent_at TIMESTAMP NOT NULL, "
        "data_version BIGINT NOT NULL, transport VARCHAR NOT NULL, subject VARCHAR, figures VARCHAR NOT NULL)"
    )


def _migration_8(con: duckdb.DuckDBPyConnection) -> None:
    """What people set on each follow-up case (metrics.followup); the queue itself is derived."""
    con.execute(
        "CREATE TABLE follow_ups (source VARCHAR NOT NULL, source_id VARCHAR NOT NULL, owner VARCHAR, "
        "status VARCHAR NOT NULL, outcome VARCHAR, due_at TIMESTAMP, closed_at TIMESTAMP, "
        "updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL, PRIMARY KEY (source, source_id))"
    )


def _migration_9(con: duckdb.DuckDBPyConnection) -> None:
    """Each team once small, per threshold (privacy_history): small for good, even once its rows change.

    Seeded from the current rows: a database recorded before knows no other.
    """
    from metrics.semantic import privacy_history

    privacy_history.create_small(con)
    privacy_history.record_small(con)


# Append only: a database made by an older version replays the ones it lacks, in order.
MIGRATIONS: tuple[Callable[[duckdb.DuckDBPyConnection], None], ...] = (
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
    _migration_7,
    _migration_8,
    _migration_9,
)


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The number every committed write moves on (`meta`): caches and the privacy record key on it."""
    # fetchall, as in schema_version: an unfinished result would keep the transaction open
    rows = con.execute("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The number of migrations this database has applied."""
    # fetchall, not fetchone: an unfinished result keeps a transaction open, and CHECKPOINT then refuses
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()
    if not exists or exists[0][0] == 0:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()
    return int(row[0][0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> bool:
    """Apply the migrations this file lacks, each in its own transaction, then checkpoint; True if any."""
    current = schema_version(con)
    if current > len(MIGRATIONS):
        raise CxError(N_("store.newer_schema"), found=current, known=len(MIGRATIONS))
    if current == len(MIGRATIONS):
        return False
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
    )
    for version, migration in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            migration(con)
            con.execute("INSERT INTO schema_migrations VALUES (?, current_timestamp)", [version])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    con.execute("CHECKPOINT")
    return True
