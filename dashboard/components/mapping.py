"""The Data page's tables: the column-mapping editor and the import history, in the reader's language."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import display as fmt
from dashboard.i18n import label, t
from metrics.contracts.datasets import dataset
from metrics.ingest.inspection import Inspection

NOT_MAPPED = "–"  # en dash: reads the same in French and English


def mapping_frame(seen: Inspection, dataset_key: str) -> pd.DataFrame:
    """One row per declared column, pre-filled with the file header the aliases picked."""
    ds = dataset(dataset_key)
    suggested = seen.suggested_mapping(dataset_key)
    return pd.DataFrame(
        {
            "column": [c.name for c in ds.columns],
            t("data.col_expected"): [label(c.label) for c in ds.columns],
            t("data.col_required"): [c.required for c in ds.columns],
            t("data.col_file"): [suggested[c.name] or NOT_MAPPED for c in ds.columns],
        }
    )


def mapping_columns(seen: Inspection) -> dict[str, object]:
    """The editor's columns: the file column is picked from the file's own headers."""
    return {
        "column": None,  # hidden: the declared name travels with the row
        t("data.col_file"): st.column_config.SelectboxColumn(options=[NOT_MAPPED, *seen.headers]),
        t("data.col_required"): st.column_config.CheckboxColumn(),
    }


def chosen_mapping(edited: pd.DataFrame, dataset_key: str) -> dict[str, str]:
    """Declared column -> chosen file header, for the rows the user (or the aliases) filled."""
    dataset(dataset_key)  # an unknown key fails here, not in the import
    return {
        str(name): str(header)
        for name, header in zip(edited["column"], edited[t("data.col_file")], strict=True)
        if isinstance(header, str) and header != NOT_MAPPED
    }


HISTORY_COLUMNS = (
    "import_id",
    "dataset",
    "file_name",
    "rows_read",
    "accepted",
    "updated",
    "rejected",
    "skipped",
    "status",
    "demo",
    "finished_at",
)


def _cell(col: str, value: object) -> object:
    """One history cell for people: names and statuses translated, counts and times in the locale."""
    if col == "dataset":
        return label(dataset(str(value)).label)
    if col == "status":
        return t(f"data.status_{value}")
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
        {t(f"data.h_{col}"): [_cell(col, v) for v in imports[col]] for col in HISTORY_COLUMNS}
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
