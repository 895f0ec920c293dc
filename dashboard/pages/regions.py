"""Regions: a league table that only ranks what the data can tell apart, trends, sites and site types."""

import streamlit as st

from dashboard import data, shell
from dashboard import display as fmt
from dashboard.components import charts, tables
from dashboard.components.filters import sidebar_filters, url_choice
from dashboard.components.league import league_display
from dashboard.i18n import label, t
from metrics.reports.league import LEAGUE_METRICS, MIN_N
from metrics.semantic.definitions import metric

if not shell.page():
    st.stop()
chosen = sidebar_filters()

st.title(t("regions.title"))
st.caption(t("regions.caption", year=chosen.year, as_of=fmt.day(chosen.as_of)))

st.subheader(t("regions.league"))
key = url_choice(
    "league", t("regions.metric"), LEAGUE_METRICS, format_func=lambda k: label(metric(k).label), key="league"
)
m = metric(key)
ranked = data.league(key, chosen)
if ranked.empty:
    st.info(t("regions.no_data"))
else:
    if chosen.regions:
        st.text(t("regions.highlighted", regions=", ".join(chosen.regions)))  # data text, never markdown
    tables.table(league_display(ranked, m, MIN_N, chosen.regions), ranked, f"league_{key}", m.decimals)

st.subheader(t("regions.trends"))
nps = metric("nps")
trends = data.monthly("nps", chosen, by=("region",))
charts.chart(charts.facet_trends(trends, "region", nps, chosen.year), trends, "nps_by_region_month")

st.subheader(t("regions.drill"))
regions = data.dimension_values("region")
default = regions.index(chosen.regions[0]) if chosen.regions and chosen.regions[0] in regions else 0
region = url_choice("drill", t("regions.drill_region"), regions, default=default, key="drill_region")
sites = data.ytd(
    key if "site" in data.dims(key) else "nps", chosen.only_region(region), by=("site", "site_type")
)
site_metric = metric(key if "site" in data.dims(key) else "nps")
tables.table(
    tables.metric_table(sites, site_metric, ("site", "site_type")), sites, f"sites_{site_metric.key}"
)

st.subheader(t("regions.site_types"))
for tab, type_key in zip(
    st.tabs([label(metric(k).label) for k in ("nps", "first_time_fix_rate")]),
    ("nps", "first_time_fix_rate"),
    strict=True,
):
    with tab:
        split = data.ytd(type_key, chosen, by=("site_type",))
        charts.chart(
            charts.interval_bars(split, "site_type", metric(type_key)), None, f"{type_key}_by_site_type"
        )
        tables.table(
            tables.metric_table(split, metric(type_key), ("site_type",)),
            split,
            f"{type_key}_by_site_type_table",
        )
