"""The key-drivers section: headline sentences, the table and its notes, drawn from one analysis."""

from __future__ import annotations

import streamlit as st

from dashboard import plain
from metrics.insights.driver_text import display_table, headlines, notes, title
from metrics.insights.drivers import Analysis


def drivers_section(found: Analysis, lang: str, *, heading: bool = True) -> None:
    """Draw the analysis: a driver that is not significant reads "not significant" and has no rank.

    Sentences quote labels and category values, so they are shown literally, never as Markdown.
    """
    if heading:
        st.subheader(plain.literal(title(found, lang)))
    for sentence in headlines(found, lang):
        st.markdown(f"**{plain.literal(sentence)}**")  # text-safe: escaped by plain.literal, then bolded
    table = display_table(found, lang)
    if not table.empty:
        st.dataframe(table, hide_index=True, width="stretch", key=f"tbl_drivers_{found.region or ''}")
    for note in notes(found, lang):
        st.caption(plain.literal(note))
