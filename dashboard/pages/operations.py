"""Operations: first-time fix by kind, contractor or region, and complaints — volume, speed, SLA, Pareto."""

import streamlit as st

from dashboard import data, shell
from dashboard import display as fmt
from dashboard.components import charts, tables
from dashboard.components import operations as ui
from dashboard.components.filters import metric_choice, sidebar_filters
from dashboard.i18n import t
from metrics.semantic.definitions import metric, shown_in

# what the page shows is declared on each metric (Metric.shown_in): a new one joins by itself
SHOWN = tuple(map(metric, shown_in("operations")))
COMPLAINT_METRICS = tuple(m.key for m in SHOWN if m.dataset == "complaints")

if not shell.page("operations"):
    st.stop()
chosen = sidebar_filters(("region",))

st.title(t("operations.title"))
st.caption(t("operations.caption", year=chosen.year, as_of=fmt.day(chosen.as_of)))

st.subheader(t("operations.kpis"))
kpis = [(m, data.ytd(m, chosen)) for m in SHOWN]
ui.kpi_row(kpis)
tables.download(ui.kpi_export(kpis), "operations_ytd")

st.subheader(t("operations.ftf_header"))
ftf = metric("first_time_fix_rate")
dim = st.radio(
    t("operations.by"),
    ("kind", "contractor", "region"),
    format_func=tables.dim_title,
    horizontal=True,
    key="ops_by",
)
trend = data.monthly(ftf, chosen, by=(dim,))
if trend.empty:
    st.info(t("operations.no_data"))
else:
    # the KPI cards and the tables answer: each chart is drawn only when asked (see charts.chart_on_demand)
    charts.chart_on_demand(
        "ops_ftf_chart",
        lambda: charts.facet_trends(ui.labelled(trend, dim), dim, ftf, chosen.year),
        None,
        f"ftf_by_{dim}",
    )
    tables.table(
        ui.monthly_table(trend, ftf, (dim,)), trend, f"first_time_fix_rate_by_{dim}_month", ftf.decimals
    )

st.subheader(t("operations.complaints_header"))
m = metric_choice("metric", t("operations.complaint_metric"), COMPLAINT_METRICS, key="ops_complaint_metric")
months = data.monthly(m, chosen)
if months.empty:
    st.info(ui.empty_note(m, data.closing_gap(m, chosen)))  # text-safe: catalogue sentence, declared label
else:
    charts.chart_on_demand(
        "ops_complaints_chart", lambda: ui.monthly_figure(months, m, chosen.year), None, f"{m.key}_month"
    )
    tables.table(ui.monthly_table(months, m), months, f"{m.key}_month_table", m.decimals)

st.subheader(t("operations.pareto_header"))
ranked = ui.pareto(data.ytd(metric("complaints"), chosen, by=("category",)), "category")
if ranked.empty:
    st.info(t("operations.no_data"))
else:
    charts.chart_on_demand(
        "ops_pareto_chart", lambda: ui.pareto_figure(ranked, "category"), None, "complaints_pareto"
    )
    tables.table(ui.pareto_table(ranked, "category"), ranked, "complaints_by_category")
