"""Workload: team figures for staff representatives, small teams merged (never shown alone).

The answers first: did a reorganisation change the load beyond the usual month-to-month variation,
which teams are above a threshold the user sets, and where the load sits (site by month heatmap).
"""

import streamlit as st

from dashboard import data, shell
from dashboard import display as fmt
from dashboard.components import charts, tables
from dashboard.components import workload as ui
from dashboard.components.filters import metric_choice, on_demand, sidebar_filters, url_choice
from dashboard.components.numbers import metric_number
from dashboard.i18n import label, t
from metrics.reports.before_after import judged_in
from metrics.semantic.definitions import METRICS, Metric

WORKLOAD_METRICS = tuple(k for k, m in METRICS.items() if m.dataset == "workload")
HIGHLIGHT = "background-color: #FFE1CC; font-weight: 600"

if not shell.page("workload"):
    st.stop()
# the figures are the latest months and whole-history trends: no year or as-of filter to ignore
chosen = sidebar_filters(("region",), period=False)

st.title(t("workload.title"))
st.caption(t("workload.caption"))
m = metric_choice("metric", t("workload.metric"), WORKLOAD_METRICS, key="wl_metric")
one_region = chosen.regions[0] if len(chosen.regions) == 1 else None

st.subheader(t("workload.before_after"))
every = data.all_events(one_region)
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
    # a company-wide event is judged on the sidebar's regions, like every other figure of the page
    scope = judged_in(event["region"] if isinstance(event["region"], str) else None, chosen.regions)
    st.text(t("workload.scope", region=", ".join(scope) or t("workload.company")))  # data text, not markdown
    sides = data.around(m, event["date"], scope)
    st.markdown(ui.before_after_sentence(sides, m))  # text-safe: declared label, catalogue words, numbers
    tables.table(
        ui.before_after_frame(sides, m), ui.before_after_export(sides), f"{m.key}_before_after", m.decimals
    )


@st.fragment
def latest_table(m: Metric, where: tuple) -> None:
    """The latest months, newest first and highest first; a threshold only reruns this part."""
    st.subheader(t("workload.latest"))
    latest = data.latest_months(m, ("site", "team"), where=where)
    if latest.empty:
        st.info(t("workload.no_data"))
        return
    threshold = metric_number(
        m,
        t("workload.threshold", metric=label(m.label)),
        key=f"wl_threshold_{m.key}",
        default=None,
        help=t("workload.threshold_help"),
    )
    over = ui.threshold_styles(latest, threshold)
    if threshold is not None:
        st.caption(t("workload.over", threshold=fmt.value(m, threshold), n=sum(over)))
    # a grid of 29,000 rows (10M answers) took seconds to style and send, and nobody reads it on screen
    first = latest.head(ui.SHOWN_ROWS)
    if len(first) < len(latest):
        st.caption(t("workload.first_rows", shown=fmt.integer(len(first)), total=fmt.integer(len(latest))))
    over = over[: len(first)]
    shown = ui.display_frame(first, m, ("site", "team"))
    shown[t("workload.col_flag")] = [t("workload.flag") if o else "" for o in over]
    highlight = [HIGHLIGHT if o else "" for o in over]
    styled = shown.style.apply(lambda _: highlight, axis=0) if any(over) else shown
    tables.table(styled, ui.export_frame(latest, ("site", "team")), f"{m.key}_teams")


latest_table(m, chosen.where(m))

# the heatmap runs and draws only once opened: the answers above are tables, and the heatmap's Plotly
# bundle, radio and grid took 0.4 s of every reload in the browser (benchmarks/browser_load.py)
heatmap = on_demand(t("workload.trend"), "wl_heatmap")
if heatmap.open:
    with heatmap:
        dim = st.radio(
            t("workload.by"),
            ("region", "site", "team"),  # one row per region first: every site of the company is a tall map
            format_func=tables.dim_title,
            horizontal=True,
            key="wl_by",
        )
        dims = {"region": ("region",), "site": ("site",), "team": ("site", "team")}[dim]
        trend = data.frame(m, grain="month", by=dims, where=chosen.where(m))
        charts.chart(
            ui.heatmap_figure(trend, dims, m, data.all_events(one_region)),
            ui.export_frame(trend, dims),
            f"{m.key}_by_{dim}_month",
            decimals=m.decimals,
        )
