"""An import report as the Data and Targets pages show it: counts, then the first problems as text."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import plain
from dashboard.i18n import current_lang, t
from metrics.catalogue import N_
from metrics.ingest.importing import ImportReport
from metrics.ingest.notices import grouping

MAX_PROBLEMS = 20
# each count of an import report, by its field
COUNTS = {
    "rows_read": N_("data.rows_read"),
    "accepted": N_("data.accepted"),
    "updated": N_("data.updated"),
    "rejected": N_("data.rejected"),
    "skipped": N_("data.skipped"),
}


def import_report(report: ImportReport, counts: Sequence[str], key: str) -> None:
    """One metric per count, then the first problems rendered in the reader's language (never markdown)."""
    for col, name in zip(st.columns(len(counts)), counts, strict=True):
        col.metric(t(COUNTS[name]), getattr(report, name))
    if said := grouping(report.log, report.grouped, report.accepted, report.dataset, current_lang()):
        st.text(said)  # a file's words (its dataset labels are ours, but the text element is always safe)
    for notice in report.notices:  # stored, but some metrics cannot use these rows: say which
        plain.warning(notice.render(current_lang(), "page"))
    if report.problems:
        st.caption(t("data.problems"))
        rendered = [p.render(current_lang()) for p in report.problems[:MAX_PROBLEMS]]
        st.dataframe(pd.DataFrame({t("data.problem"): rendered}), hide_index=True, key=key)
