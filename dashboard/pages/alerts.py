"""Alerts: what changed in the weekly or monthly figures, where, and since when, with the chart of each."""

import streamlit as st

from dashboard import display as fmt
from dashboard import insights, shell
from dashboard.components import charts, tables
from dashboard.components.filters import on_demand, sidebar_filters
from dashboard.components.insights import alert_names, alerts_display
from dashboard.i18n import current_lang, label, t
from metrics.contracts.datasets import column_label
from metrics.insights.alerts import ALERT_DIMENSIONS, coverage_text, limits_text
from metrics.reports.figures import control_figure
from metrics.semantic.definitions import metric

CHART_COLUMNS = ("period", "value", "n", "center", "lcl", "ucl", "beyond", "in_run")

if not shell.page("alerts"):
    st.stop()
chosen = sidebar_filters(())

st.title(t("alerts.title"))
st.caption(t("alerts.caption", as_of=fmt.day(chosen.as_of)))
dim = st.radio(
    t("alerts.dimension"),
    ALERT_DIMENSIONS,
    format_func=lambda d: column_label(d, current_lang()) or d,
    horizontal=True,
    key="alerts_dim",
)
# how many groups were charted, at which grain, and why the others were not: "no alert" covers only them
watched = insights.watch(chosen.as_of)
st.caption(coverage_text(watched, current_lang(), dim))  # text-safe: catalogue sentence with counts
if limits := limits_text(watched, current_lang()):
    st.caption(limits)  # text-safe: catalogue sentence with numbers
found = insights.alerts_at(chosen.as_of, dim)
if found.empty:
    st.info(t("alerts.none"))
    st.stop()
tables.table(alerts_display(found), found, f"alerts_{dim}")

st.subheader(t("alerts.charts"))
# one chart at a time, chosen in the list: thirteen control charts drawn at once made this the slowest
# page in the browser (each Plotly figure costs its build on the server and its drawing in the browser)
names = alert_names(found)
i = st.selectbox(
    t("alerts.pick"),
    range(len(found)),
    format_func=names.__getitem__,
    key=f"alert_pick_{dim}_{current_lang()}",  # the names are in the reader's language
)
alert = found.iloc[i]
# the list answers "what changed, and since when"; the chosen alert's control chart is drawn once asked:
# its Plotly bundle and its weekly figures took most of a reload in the browser and of a first open
part = on_demand(t("chart.show"), "alerts_chart")
if part.open:
    with part:
        m = metric(alert["metric"])
        chart = insights.alert_chart(
            m, alert["dimension"], alert["group"], chosen.as_of,
            grain=alert["grain"], z=watched.z,
        )  # fmt: skip
        title = f"{label(m.label)} · {alert['group']}"
        charts.chart(control_figure(chart, m, current_lang(), title), chart, f"alert_{dim}", CHART_COLUMNS)
