"""Dataset contracts, declared once: they drive the tables, the import, the mapping UI and the docs.

The declarations live by family (`feedback`, `operations`), built from shared columns (`columns`) and
vocabularies (`vocabularies`) over the record types (`records`); this module registers and checks them.
"""

from __future__ import annotations

from collections.abc import Mapping

from metrics.contracts.feedback import COMPLAINTS, INTERVENTIONS, RESPONSES
from metrics.contracts.naming import did_you_mean
from metrics.contracts.operations import CUSTOMERS, EVENTS, SITES, TARGETS, WORKLOAD
from metrics.contracts.records import SQL_TYPES, Column, Dataset, Kind
from metrics.contracts.vocabularies import value_label
from metrics.errors import UnknownName

# the names other modules import from here, whichever module declares them
__all__ = [
    "DATASETS",
    "RESPONSES",
    "SQL_TYPES",
    "Column",
    "Dataset",
    "Kind",
    "check_declarations",
    "dataset",
    "value_label",
]

DATASETS: Mapping[str, Dataset] = {
    d.key: d for d in (RESPONSES, INTERVENTIONS, COMPLAINTS, WORKLOAD, SITES, CUSTOMERS, TARGETS, EVENTS)
}


def dataset(key: str) -> Dataset:
    """The declared dataset `key`, or an error that lists the declared ones."""
    try:
        return DATASETS[key]
    except KeyError:
        raise UnknownName(
            f"unknown dataset {key!r}{did_you_mean(key, list(DATASETS))}; known: {', '.join(DATASETS)}"
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
    return problems
