"""Tables shown as text (never markdown) with formula-safe CSV and Excel downloads next to each."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from dashboard import display as fmt
from dashboard.components.exports import once_each, people_frame
from dashboard.i18n import current_lang, t
from metrics.catalogue import N_
from metrics.contracts.datasets import column_label, value_label
from metrics.reports.output import spreadsheet_csv, xlsx_bytes
from metrics.semantic.definitions import Metric

# words for the column no dataset declares (the period)
UNDECLARED = {"period": N_("col.period")}


def dim_title(dim: str) -> str:
    """A dimension's column header, from its declaration (Région, Canal, Motif), in the page's language."""
    return column_label(dim, current_lang()) or t(UNDECLARED[dim])


def dim_label(dim: str, value: object) -> str:
    """A dimension value for display: declared site types translated, data values kept verbatim."""
    if value is None or (isinstance(value, float) and value != value):
        return t("dim.missing")
    return value_label(dim, str(value), current_lang())


def dim_labels(dim: str, values: Iterable[object]) -> list[str]:
    """`dim_label` of a whole column."""
    return once_each(lambda v: dim_label(dim, v), values)


def metric_table(frame: pd.DataFrame, m: Metric, dims: Sequence[str]) -> pd.DataFrame:
    """Dimension columns, then value, n, margin and interval, every number formatted for the reader."""
    out = pd.DataFrame({dim_title(d): dim_labels(d, frame[d]) for d in dims})
    out[t("col.value")] = [fmt.value(m, v) for v in frame["value"]]
    out[t("col.n")] = [fmt.integer(v) for v in frame["n"]]
    out[t("col.moe")] = [fmt.margin(m, v, n) for v, n in zip(frame["moe"], frame["n"], strict=True)]
    out[t("col.interval")] = [
        fmt.interval(lo, hi, m.decimals) for lo, hi in zip(frame["low"], frame["high"], strict=True)
    ]
    return out


def _csv(raw: pd.DataFrame, decimals: int, lang: str) -> bytes:
    return spreadsheet_csv(people_frame(raw, decimals, lang), lang)


def _xlsx(raw: pd.DataFrame, decimals: int, lang: str) -> bytes:
    return xlsx_bytes(people_frame(raw, decimals, lang))


def download(raw: pd.DataFrame, name: str, decimals: int = 1) -> None:
    """`raw` as CSV (French Excel's dialect on French pages) and as .xlsx, in the reader's words.

    The files are built when a button is clicked, not on every run: writing every table's workbook
    on each rerun cost more than the page's queries, and labelling its rows for people was most of
    the Workload page's warm run at 10M answers (29,000 rows).
    """
    lang = current_lang()
    left, right = st.columns(2, width=420)
    left.download_button(
        t("download.csv"),
        functools.partial(_csv, raw, decimals, lang),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"dl_{name}",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        t("download.xlsx"),
        functools.partial(_xlsx, raw, decimals, lang),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_{name}_xlsx",
        icon=":material/table_view:",
        on_click="ignore",
    )


def table(
    display: pd.DataFrame | pd.io.formats.style.Styler, raw: pd.DataFrame, name: str, decimals: int = 1
) -> None:
    """`display` as a read-only grid, and `raw` for download, rounded to `decimals` as on screen."""
    st.dataframe(display, hide_index=True, width="stretch", key=f"tbl_{name}")
    download(raw, name, decimals)
