"""Verbatims: the themes customers write about, their share of the NPS lost, examples, a search; hand-offs."""

import streamlit as st

from dashboard import display as fmt
from dashboard import insights, shell
from dashboard.components import charts, tables
from dashboard.components.filters import sidebar_filters
from dashboard.components.insights import (
    comments_display,
    handoffs_display,
    impact_budget_text,
    themes_display,
)
from dashboard.i18n import current_lang, t
from metrics.reports.figures import impact_figure, share_figure

if not shell.page("verbatims"):
    st.stop()
chosen = sidebar_filters()
lang = current_lang()

st.title(t("verbatims.title"))
st.caption(t("verbatims.caption", year=chosen.year, as_of=fmt.day(chosen.as_of)))
ranked = insights.ranking(chosen, lang)
if ranked.empty:
    st.info(t("verbatims.none"))
else:
    st.subheader(t("verbatims.table"))
    tables.table(themes_display(ranked), ranked, "themes")
    st.caption(impact_budget_text(ranked))  # text-safe: catalogue words and formatted numbers
    # the table answers: the charts are drawn only when asked (see charts.chart_on_demand)
    charts.chart_on_demand(
        "verbatims_impact_chart",
        lambda: impact_figure(ranked, lang, t("verbatims.impact_chart")),
        None,
        "themes_impact",
    )

    st.subheader(t("verbatims.trend"))
    labels = dict(zip(ranked["theme"], ranked["label"], strict=True))
    theme = st.selectbox(
        t("verbatims.theme"), list(labels), format_func=labels.__getitem__, key="verbatims_theme"
    )
    trend = insights.monthly(chosen, theme)
    charts.chart_on_demand(
        "verbatims_trend_chart",
        lambda: share_figure(trend, labels[theme], lang),
        trend,
        f"theme_{theme}_month",
    )

    st.subheader(t("verbatims.examples"))
    quotes = insights.examples(chosen, theme)
    if quotes:
        st.dataframe({t("verbatims.col_comment"): quotes}, hide_index=True, width="stretch", key="examples")
    else:
        st.info(t("verbatims.too_few"))

    st.subheader(t("verbatims.search"))
    query = st.text_input(t("verbatims.search"), key="verbatims_q", label_visibility="collapsed")
    if query.strip():
        count, hits = insights.search(chosen, query)
        st.text(t("verbatims.found", n=fmt.integer(count)))
        if not hits.empty:
            tables.table(comments_display(hits), hits, "search")
        elif count:
            st.info(t("verbatims.too_few"))

st.subheader(t("handoffs.title"))
st.caption(t("handoffs.caption", year=chosen.year, as_of=fmt.day(chosen.as_of)))
costs = insights.handoffs(chosen)
if costs.empty:
    st.info(t("handoffs.none"))
else:
    tables.table(handoffs_display(costs), costs, "handoffs")
