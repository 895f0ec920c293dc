"""Regions: the league ranked by value with verdicts in words; click a region for its sites, and back."""

import streamlit as st

from dashboard import data, shell
from dashboard import display as fmt
from dashboard.components import charts, tables
from dashboard.components.drivers import drivers_section
from dashboard.components.filters import metric_choice, on_demand, sidebar_filters, url_choice
from dashboard.components.league import league_display, league_table, sites_display
from dashboard.i18n import current_lang, label, t
from metrics.reports.league import LEAGUE_METRICS, MIN_N
from metrics.reports.regions import MAX_MOE
from metrics.semantic.definitions import metric
from metrics.semantic.query import dimensions_of

if not shell.page("regions"):
    st.stop()
chosen = sidebar_filters()

st.title(t("regions.title"))
st.caption(t("regions.caption_value", year=chosen.year, as_of=fmt.day(chosen.as_of)))
regions = data.dimension_values("region")
drilling = st.query_params.get("drill") in regions
if not drilling:
    st.subheader(t("regions.league"))
m = metric_choice("league", t("regions.metric"), LEAGUE_METRICS, key="league")
table_key = f"tbl_league_{m.key}"


def _back() -> None:
    """The breadcrumb's way back: the league, with no row left selected (it would drill again)."""
    if "drill" in st.query_params:
        del st.query_params["drill"]
    st.session_state.pop(table_key, None)
    st.session_state.pop(f"drill_region_{current_lang()}", None)


if drilling:
    st.button(t("regions.back"), on_click=_back, type="tertiary", key="crumb_back")
    region = url_choice(
        "drill", t("regions.drill_region"), regions, default=0, key="drill_region", report=False
    )
    st.text(t("regions.crumb", region=region))  # a region name is data: text, never markdown
    site_metric = m if "site" in dimensions_of(m) else metric("nps")
    sites = data.region_sites(site_metric, chosen, region)
    tables.table(sites_display(sites, site_metric), sites, f"sites_{site_metric.key}", site_metric.decimals)
    st.caption(t("regions.small_rule", min_n=MIN_N, moe=fmt.number(MAX_MOE, 0)))
    # the director's question: what goes with this region's NPS (run only once opened)
    key_drivers = on_demand(t("drivers.open"), "regions_drivers")
    if key_drivers.open:
        with key_drivers:
            drivers_section(data.drivers(chosen.year, chosen.as_of, region), current_lang())
    st.stop()

ranked = data.league(m, chosen)
if ranked.empty:
    st.info(t("regions.no_data"))
    st.stop()
if chosen.regions:
    st.text(t("regions.highlighted", regions=", ".join(chosen.regions)))  # data text, never markdown
st.caption(t("regions.click_hint"))
shown = league_display(ranked, m, MIN_N, chosen.regions)
clicked = league_table(shown, ranked, f"league_{m.key}", m.decimals)
if clicked is not None:
    st.query_params["drill"] = clicked
    st.rerun()
missing = ranked.attrs.get("missing")
if missing:  # answers without a region are not a region: said apart, never a bar or a rank among them
    st.text(t("regions.missing_apart", value=fmt.value(m, missing["value"]), n=fmt.integer(missing["n"])))
st.caption(t("regions.small_rule", min_n=MIN_N, moe=fmt.number(MAX_MOE, 0)))

# the league answers the page: its charts run and draw only once opened, so the first screen loads no
# charting library at all (the Plotly bundle and the nine-panel figure cost more than the rest of the page)
trends = on_demand(t("regions.tab_trends"), "regions_trends")
if trends.open:
    with trends:
        nps = metric("nps")
        monthly = data.monthly(nps, chosen, by=("region",))
        monthly = monthly[monthly["region"].notna()]
        charts.chart(charts.facet_trends(monthly, "region", nps, chosen.year), monthly, "nps_by_region_month")
types = on_demand(t("regions.tab_types"), "regions_types")
if types.open:
    with types:
        for type_metric in map(metric, ("nps", "first_time_fix_rate")):
            split = data.ytd(type_metric, chosen, by=("site_type",))
            st.text(label(type_metric.label))
            charts.chart(
                charts.interval_bars(split, "site_type", type_metric), None, f"{type_metric.key}_by_site_type"
            )
            tables.table(
                tables.metric_table(split, type_metric, ("site_type",)),
                split,
                f"{type_metric.key}_by_site_type_table",
            )
