"""The Data page's reading options (separator, survey tool, date order, constants, row id, threshold)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import display as fmt
from dashboard import plain
from dashboard.i18n import current_lang, label, t
from metrics.catalogue import N_
from metrics.contracts.datasets import Kind, dataset
from metrics.errors import ImportOptionRefused
from metrics.ingest.dates import ORDERS
from metrics.ingest.importing import ImportReport
from metrics.ingest.options import (
    CLOSED_WHEN_EXAMPLE,
    DEFAULT_MAX_REJECTED,
    DELIMITERS,
    KEEP,
    ClosedWhen,
    ImportOptions,
)
from metrics.ingest.presets import PRESETS
from metrics.ingest.reasons import render_reason
from metrics.ingest.rejection import TooManyRejected
from metrics.semantic.closing import closing_column

AUTO = ""
# each separator's label key (metrics.ingest.options.DELIMITERS), worded in the run that draws them
DELIMITER_LABELS = {";": N_("data.delimiter_semicolon"), ",": N_("data.delimiter_comma"),
                    "\t": N_("data.delimiter_tab"), "|": N_("data.delimiter_pipe")}  # fmt: skip
# each date order's and each --keep choice's label key (metrics.ingest.dates.ORDERS, options.KEEP)
ORDER_LABELS = {"dmy": N_("data.date_dmy"), "mdy": N_("data.date_mdy"), "ymd": N_("data.date_ymd")}
KEEP_LABELS = {"first": N_("data.keep_first"), "last": N_("data.keep_last")}


def reading_options() -> ImportOptions:
    """The separator and survey tool chosen under "Options de lecture" on the previous run of the page.

    They change how the file is read, so the upload is sniffed with them before the expander that
    holds them is drawn again (its widgets keep their values under their keys).
    """
    return ImportOptions(
        delimiter=st.session_state.get("data_delimiter") or None,
        preset=st.session_state.get("data_preset") or None,
    )


def import_options(dataset_key: str) -> ImportOptions:
    """The CLI's reading options as widgets (--delimiter ... --closed-when, --max-rejected)."""
    ds = dataset(dataset_key)
    delimiters = {AUTO: t("data.delimiter_auto")} | {d: t(DELIMITER_LABELS[d]) for d in DELIMITERS}
    presets = {AUTO: t("data.preset_auto")} | {k: p.label for k, p in PRESETS.items()}
    orders = {AUTO: t("data.date_auto")} | {k: t(ORDER_LABELS[k]) for k in ORDERS}
    with st.expander(t("data.options")):
        # labels worded in this run and read back by key: a format_func that called t() later would
        # word them in whatever language its caller's context has, not the page's
        delimiter = st.selectbox(
            t("data.delimiter"), list(delimiters), format_func=delimiters.__getitem__, key="data_delimiter"
        )
        preset = st.selectbox(
            t("data.preset"), list(presets), format_func=presets.__getitem__, key="data_preset"
        )
        order = st.selectbox(
            t("data.date_order"), list(orders), format_func=orders.__getitem__, key="data_date_order"
        )
        row_id, keep, closed_when = False, AUTO, ""
        if len(ds.key_columns) == 1 and ds.column(ds.key_columns[0]).kind is Kind.TEXT:
            row_id = st.checkbox(t("data.row_id"), key="data_row_id")
            keeps = {AUTO: t("data.keep_none")} | {k: t(KEEP_LABELS[k]) for k in KEEP}
            keep = st.selectbox(t("data.keep"), list(keeps), format_func=keeps.__getitem__, key="data_keep")
        if closing_column(ds.key):
            closed_when = st.text_input(
                t("data.closed_when"), placeholder=CLOSED_WHEN_EXAMPLE, key="data_closed_when"
            ).strip()
            try:
                if closed_when:
                    ClosedWhen.parse(closed_when)
            except ImportOptionRefused as err:  # said here, and the import goes on without the rule
                plain.error(err)
                closed_when = ""
        # a constant may be part of a key (the site of a call centre's log), never a whole id
        sole_id = ds.key_columns if len(ds.key_columns) == 1 else ()
        texts = [c for c in ds.columns if c.kind is Kind.TEXT and c.name not in sole_id]
        st.caption(t("data.constants"))
        edited = st.data_editor(
            pd.DataFrame(
                {
                    "column": [c.name for c in texts],
                    t("data.col_expected"): [label(c.label) for c in texts],
                    t("data.constant_value"): ["" for _ in texts],
                }
            ),
            column_config={"column": None},
            disabled=[t("data.col_expected")],
            hide_index=True,
            key=f"data_constants_{dataset_key}",
        )
        limit = st.number_input(
            t("data.max_rejected"),
            min_value=0.0,
            max_value=100.0,
            value=DEFAULT_MAX_REJECTED,
            step=5.0,
            key="data_max_rejected",
        )
    return ImportOptions(
        constants=chosen_constants(edited),
        row_id=bool(row_id),
        keep=keep or None,
        closed_when=closed_when or None,
        date_order=order or None,
        max_rejected=float(limit),
        preset=preset or None,
        delimiter=delimiter or None,
    )


def chosen_constants(edited: pd.DataFrame) -> dict[str, str]:
    """Declared column -> the value typed for every row (blank cells give no constant)."""
    return {
        str(name): str(value).strip()
        for name, value in zip(edited["column"], edited[t("data.constant_value")], strict=True)
        if isinstance(value, str) and value.strip()
    }


def refusal(err: TooManyRejected) -> None:
    """The whole-file refusal: counts, commonest reasons with a line each, the fix (as text, not markdown)."""
    st.error(t("data.refused"))
    st.code(err.render(current_lang()), language=None, wrap_lines=True)


def reading_notes(report: ImportReport) -> None:
    """How the file and each date column were read, rows skipped by reason, a partial import's warning."""
    lang = current_lang()
    if report.decisions:
        st.caption(t("data.file_read"))
        st.text("\n".join(d.render(lang) for d in report.decisions))  # file text: never markdown
    if report.dates:
        st.caption(t("data.dates_read"))
        st.text("\n".join(r.describe(lang) for r in report.dates))
    if report.skipped_by_reason:
        st.caption(t("data.skipped_why"))
        st.text(
            "\n".join(
                f"{n} x {render_reason(r, None, None, lang)}" for r, n in report.skipped_by_reason.items()
            )
        )
    if report.status == "partial":
        st.warning(
            t(
                "import.partial",
                rejected=report.rejected,
                rows=report.rows_read,
                share=fmt.percent(report.rejected_share, 0),
            )
        )
