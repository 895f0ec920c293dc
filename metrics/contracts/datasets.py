"""Dataset contracts, declared once: they drive the tables, the import, the mapping UI and the docs.

The declarations live by family (`feedback`, `operations`), built from shared columns (`columns`) and
vocabularies (`vocabularies`) over the record types (`records`); this module registers and checks them.
"""

from __future__ import annotations

from collections.abc import Mapping

from metrics.catalogue import N_
from metrics.contracts.exports import Average, EventLog
from metrics.contracts.feedback import COMPLAINTS, INTERVENTIONS, RESPONSES
from metrics.contracts.naming import did_you_mean
from metrics.contracts.operations import (
    AVERAGE_HANDLE_TIMES,
    CALLS,
    CUSTOMERS,
    EVENTS,
    SITES,
    TARGETS,
    WORKLOAD,
)
from metrics.contracts.records import SQL_TYPES, Column, Dataset, Kind
from metrics.contracts.vocabularies import value_label
from metrics.errors import UnknownName

# the names other modules import from here, whichever module declares them
__all__ = [
    "AVERAGES",
    "DATASETS",
    "LOGS",
    "RESPONSES",
    "SQL_TYPES",
    "Column",
    "Dataset",
    "Kind",
    "check_declarations",
    "column_label",
    "dataset",
    "value_label",
]

DATASETS: Mapping[str, Dataset] = {
    d.key: d for d in (RESPONSES, INTERVENTIONS, COMPLAINTS, WORKLOAD, SITES, CUSTOMERS, TARGETS, EVENTS)
}
# exports of one row per event, by the key of their rows' declaration; each is stored in a dataset
LOGS: Mapping[str, EventLog] = {log.rows.key: log for log in (CALLS,)}
# averages a dataset accepts instead of a total, by dataset key
AVERAGES: Mapping[str, tuple[Average, ...]] = {WORKLOAD.key: AVERAGE_HANDLE_TIMES}


def _column_labels() -> dict[str, Mapping[str, str]]:
    """Each column's label as its datasets declare it, a split column's first (region, Motif, site type)."""
    found: dict[str, Mapping[str, str]] = {}
    for ds in DATASETS.values():
        for column in sorted(ds.columns, key=lambda c: not c.dimension):
            if column.dimension and column.name not in found:
                found[column.name] = column.label
    for ds in DATASETS.values():
        for column in ds.columns:
            found.setdefault(column.name, column.label)
    return found


COLUMN_LABELS = _column_labels()


def column_label(name: str, lang: str) -> str | None:
    """The declared header of column `name` in `lang` (French when a new language lacks it), else None.

    Every surface (page, download, CLI table) names a column this way, so "Motif" reads the same in all.
    """
    names = COLUMN_LABELS.get(name)
    return None if names is None else names.get(lang) or names["fr"]


def dataset(key: str) -> Dataset:
    """The declared dataset `key` (or an event log's rows), or an error that lists the declared ones."""
    if key in LOGS:
        return LOGS[key].rows
    try:
        return DATASETS[key]
    except KeyError:
        hint = did_you_mean(key, list(DATASETS))
        raise UnknownName(
            N_("error.unknown_dataset"), name=key, hint=hint, known=", ".join(DATASETS)
        ) from None


def check_declarations(datasets: Mapping[str, Dataset] = DATASETS) -> list[str]:
    """Every inconsistency in the declarations, as sentences naming the dataset and column."""
    problems: list[str] = []
    for key, ds in datasets.items():
        if key != ds.key:
            problems.append(f"dataset registered as {key!r} declares key {ds.key!r}")
        names = [c.name for c in ds.columns]
        for name in {n for n in names if names.count(n) > 1}:
            problems.append(f"{ds.key}: column {name!r} is declared twice")
        for part in ds.key_columns:
            if part not in names:
                problems.append(f"{ds.key}: key column {part!r} is not a declared column")
        if ds.date_column and ds.date_column not in names:
            problems.append(f"{ds.key}: date column {ds.date_column!r} is not a declared column")
        seen: dict[str, str] = {}
        for col in ds.columns:
            for lang in ("fr", "en"):
                if not col.label.get(lang):
                    problems.append(f"{ds.key}.{col.name}: missing {lang!r} label")
            for header in col.accepted_headers():
                if header in seen and seen[header] != col.name:
                    problems.append(
                        f"{ds.key}: header {header!r} would match both {seen[header]!r} and {col.name!r}"
                    )
                seen[header] = col.name
        for lang in ("fr", "en"):
            if not ds.label.get(lang) or not ds.row_is.get(lang):
                problems.append(f"{ds.key}: missing {lang!r} label")
    return problems + _shape_problems(datasets)


def _shape_problems(datasets: Mapping[str, Dataset]) -> list[str]:
    """Event logs and averages that name a column their datasets do not declare, or clash with one."""
    problems = check_declarations({k: log.rows for k, log in LOGS.items()}) if datasets is DATASETS else []
    for log in LOGS.values():
        into = datasets.get(log.into)
        if into is None:
            continue
        rows = {c.name for c in log.rows.columns}
        stored = {c.name for c in into.columns}
        for name in (*log.group_by, *log.marks, *([log.hashed] if log.hashed else [])):
            if name not in rows:
                problems.append(f"{log.rows.key}: column {name!r} is not a declared column")
        for name in sorted(set(log.totals) - stored):
            problems.append(f"{log.rows.key}: total {name!r} is not a column of {into.key}")
        if set(into.key_columns) != set(log.group_by):
            problems.append(f"{log.rows.key}: groups by {', '.join(log.group_by)}, not by {into.key}'s key")
    for key, averages in AVERAGES.items():
        into = datasets.get(key)
        if into is None:
            continue
        names = {c.name for c in into.columns}
        headers = {h for c in into.columns for h in c.accepted_headers()}
        for avg in averages:
            for name in (avg.total, avg.per):
                if name not in names:
                    problems.append(f"{key}: average {avg.column.name!r} names {name!r}, not a column")
            for header in sorted(set(avg.column.accepted_headers()) & headers):
                problems.append(f"{key}: average {avg.column.name!r} takes header {header!r} of a column")
    return problems
