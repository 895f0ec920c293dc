"""Workload: team figures for staff representatives, groups under 5 agents hidden everywhere."""

import streamlit as st

from dashboard import data, shell
from dashboard.components import charts, tables
from dashboard.components import workload as ui
from dashboard.components.filters import sidebar_filters, url_choice
from dashboard.i18n import label, t
from metrics.semantic.definitions import METRICS, metric

WORKLOAD_METRICS = tuple(k for k, m in METRICS.items() if m.dataset == "workload")

if not shell.page():
    st.stop()
# the figures are the latest months and whole-history trends: no year or as-of filter to ignore
chosen = sidebar_filters(("region",), period=False)

st.title(t("workload.title"))
st.caption(t("workload.caption"))
key = url_choice(
    "metric",
    t("workload.metric"),
    WORKLOAD_METRICS,
    format_func=lambda k: label(metric(k).label),
    key="wl_metric",
)
m = metric(key)

st.subheader(t("workload.latest"))
latest = data.latest_months(key, ("site", "team"), where=chosen.where(key))
if latest.empty:
    st.info(t("workload.no_data"))
    st.stop()
tables.table(
    ui.display_frame(latest, m, ("site", "team")), ui.export_frame(latest, ("site", "team")), f"{key}_teams"
)

st.subheader(t("workload.trend"))
dim = st.radio(
    t("workload.by"),
    ("region", "site", "team"),  # one line per region first: every site of the company is unreadable
    format_func=lambda d: t(ui.LABEL_KEYS[d]),
    horizontal=True,
    key="wl_by",
)
where = chosen.where(key)  # the sidebar's regions, all of them when none is chosen
dims = {"region": ("region",), "site": ("site",), "team": ("site", "team")}[dim]
trend = data.frame(key, grain="month", by=dims, where=where)
events = data.all_events(chosen.regions[0] if len(chosen.regions) == 1 else None)
charts.chart(
    ui.lines_figure(trend, dims, m, events),
    ui.export_frame(trend, dims),
    f"{key}_by_{dim}_month",
    decimals=m.decimals,
)

st.subheader(t("workload.event_header"))
every = data.all_events(chosen.regions[0] if len(chosen.regions) == 1 else None)
if every.empty:
    st.info(t("workload.no_events"))
else:
    st.caption(t("workload.event_help"))
    row = url_choice(
        "event",
        t("workload.event"),
        list(range(len(every))),
        default=len(every) - 1,
        format_func=lambda i: ui.event_label(every.iloc[i]),
        key="wl_event",
        code=lambda i: f"{every.iloc[i]['date']:%Y-%m-%d}",
    )
    event = every.iloc[row]
    region = event["region"] if isinstance(event["region"], str) else None
    st.text(t("workload.scope", region=region or t("workload.company")))  # data text, never markdown
    sides = data.around(key, event["date"], region)
    tables.table(
        ui.before_after_frame(sides, m), ui.before_after_export(sides), f"{key}_before_after", m.decimals
    )
