"""The Data page's tables: the column-mapping editor and the import history, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import display as fmt
from dashboard.i18n import label, t
from metrics.catalogue import N_
from metrics.contracts.datasets import dataset
from metrics.ingest.inspection import Inspection
from metrics.ingest.mapping import POSITION, suggest

NOT_MAPPED = "–"  # en dash: reads the same in French and English


def choices(headers: Sequence[str]) -> list[str]:
    """The file's columns as the editor offers them: a name two columns share carries its position.

    Google Forms repeats a section's question title: "#6 Commentaire" and "#9 Commentaire" can be told
    apart, and the import reads "#6" as the 6th column (`--map comment=#6` on the command line).
    """
    return [f"#{pos + 1} {h}" if headers.count(h) > 1 else h for pos, h in enumerate(headers)]


def mapping_frame(seen: Inspection, dataset_key: str) -> pd.DataFrame:
    """One row per declared column, pre-filled with the file column the aliases picked."""
    ds = dataset(dataset_key)
    offered = choices(seen.headers)
    found = suggest(ds, seen.headers)
    return pd.DataFrame(
        {
            "column": [c.name for c in ds.columns],
            t("data.col_expected"): [label(c.label) for c in ds.columns],
            t("data.col_required"): [c.required for c in ds.columns],
            t("data.col_file"): [
                offered[found[c.name]] if c.name in found else NOT_MAPPED for c in ds.columns
            ],
        }
    )


def mapping_columns(seen: Inspection) -> dict[str, object]:
    """The editor's columns: the file column is picked from the file's own headers."""
    return {
        "column": None,  # hidden: the declared name travels with the row
        t("data.col_file"): st.column_config.SelectboxColumn(options=[NOT_MAPPED, *choices(seen.headers)]),
        t("data.col_required"): st.column_config.CheckboxColumn(),
    }


def _picked(frame: pd.DataFrame) -> dict[str, str]:
    return {
        str(name): str(header)
        for name, header in zip(frame["column"], frame[t("data.col_file")], strict=True)
        if isinstance(header, str) and header != NOT_MAPPED
    }


def _as_option(choice: str) -> str:
    """An editor choice as `--map` reads it: "#6 Commentaire" -> "#6", a plain header as itself."""
    position, _, _ = choice.partition(" ")
    return position if POSITION.match(position) else choice


def chosen_mapping(edited: pd.DataFrame, dataset_key: str, suggested: pd.DataFrame) -> dict[str, str]:
    """Declared column -> file column, for what the user changed from the aliases' suggestion.

    Only the changes are sent (with any suggested column reading the same header, which an explicit
    choice would otherwise take over): the import applies the same aliases to the rest, for the
    dataset the file turns out to be, so a call centre's per-call log, read as its own shape, is not
    handed the team-day dataset's column names.
    """
    dataset(dataset_key)  # an unknown key fails here, not in the import
    picked, before = _picked(edited), _picked(suggested)
    changed = {c: h for c, h in picked.items() if before.get(c) != h}
    kept = {c: h for c, h in picked.items() if c in changed or h in changed.values()}
    return {c: _as_option(h) for c, h in kept.items()}


HISTORY_COLUMNS = {
    "import_id": N_("data.h_import_id"),
    "dataset": N_("data.h_dataset"),
    "file_name": N_("data.h_file_name"),
    "rows_read": N_("data.h_rows_read"),
    "accepted": N_("data.h_accepted"),
    "updated": N_("data.h_updated"),
    "rejected": N_("data.h_rejected"),
    "skipped": N_("data.h_skipped"),
    "status": N_("data.h_status"),
    "demo": N_("data.h_demo"),
    "finished_at": N_("data.h_finished_at"),
}
# an import's status words (metrics.ingest.history)
STATUSES = {
    "done": N_("data.status_done"),
    "partial": N_("data.status_partial"),
    "rolled_back": N_("data.status_rolled_back"),
}


def _cell(col: str, value: object) -> object:
    """One history cell for people: names and statuses translated, counts and times in the locale."""
    if col == "dataset":
        return label(dataset(str(value)).label)
    if col == "status":
        return t(STATUSES[str(value)])
    if col == "demo":
        return t("data.yes") if value else t("data.no")
    if col == "finished_at":
        return fmt.timestamp(value)
    if col in ("rows_read", "accepted", "updated", "rejected", "skipped"):
        return fmt.integer(value)
    return value


def history_table(imports: pd.DataFrame) -> pd.DataFrame:
    """The import log with translated headers, dataset names and statuses (file names stay as text)."""
    return pd.DataFrame(
        {t(key): [_cell(col, v) for v in imports[col]] for col, key in HISTORY_COLUMNS.items()}
    )


def import_choice_label(row: object) -> str:
    """A kept import as the roll-back list names it: number, file, dataset, date and counts."""
    return t(
        "data.rollback_choice",
        id=row.import_id,
        file=row.file_name,
        dataset=label(dataset(row.dataset).label),
        when=fmt.timestamp(row.finished_at),
        accepted=fmt.integer(row.accepted),
        updated=fmt.integer(row.updated),
    )
