"""Trajectory: the answer first (one sentence per targeted KPI), then cards, the chart and a what-if."""

import streamlit as st

from dashboard import data, plain, shell
from dashboard import display as fmt
from dashboard.components import cards, charts, tables, whatif
from dashboard.components.drivers import drivers_section
from dashboard.components.filters import lazy_tabs, metric_choice, on_demand, sidebar_filters
from dashboard.i18n import current_lang, label, t
from metrics.reports.chart_svg import trajectory_svg
from metrics.semantic.definitions import metric
from metrics.semantic.query import dimensions_of

if not shell.page("trajectory"):
    st.stop()
chosen = sidebar_filters(("region",))  # the trajectory is the company's or one region's: no other split
region = chosen.regions[0] if len(chosen.regions) == 1 else None
keys = data.targeted(chosen.year) or ["nps"]
metrics = [metric(k) for k in keys]  # resolved once: every call below takes the declaration
trajectories = [data.trajectory(m, chosen.year, chosen.as_of, region) for m in metrics]
# one verdict per metric, the one the CLI and the board pack show (metrics.reports.verdict)
verdicts = [data.verdict(m, chosen.year, chosen.as_of, region) for m in metrics]

st.title(t("traj.title"))
caption = t("traj.caption", year=chosen.year, as_of=fmt.day(chosen.as_of))
limited = data.caller().region_filter  # a regional director's "company" is their own regions
scope = t("traj.scope", region=plain.literal(", ".join(limited))) if limited else t("traj.scope_company")
st.caption(caption if region else f"{caption} · {scope}")  # text-safe: catalogue, dates, declared regions
if region:
    st.text(t("traj.scope", region=region))  # data text (a region name), never markdown
if len(chosen.regions) > 1:
    st.info(t("traj.scope_many"))
if not data.targeted(chosen.year):
    st.info(t("traj.no_targets", year=chosen.year))
for tr, judged in zip(trajectories, verdicts, strict=True):  # the executive's answer, above the fold
    st.markdown(cards.answer(tr, judged))  # text-safe: declared labels, catalogue words and formatted numbers


def _pick(key: str) -> None:
    """A card's button shows its metric's chart: the chart's selectbox and the URL follow."""
    st.session_state[f"chart_metric_{current_lang()}"] = key
    st.query_params["chart"] = key


last_years = [data.value_last_year(m, chosen.as_of, region) for m in metrics]
cards.trajectory_cards(trajectories, verdicts, last_years, on_pick=_pick)

m = metric_choice("chart", t("traj.chart_metric"), keys, key="chart_metric")
tr, judged = trajectories[keys.index(m.key)], verdicts[keys.index(m.key)]
events = data.events(chosen, region)
# the trajectory as an image: Plotly's bundle was 1.1 s of this page's first open in the browser
# (docs/benchmarks.md); the same chart with values on hover opens on demand, below
charts.static_chart(
    trajectory_svg(tr, m, current_lang(), events),
    tr.months,
    f"trajectory_{m.key}",
    f"{label(m.label)} {chosen.year}",
    decimals=m.decimals,
)
interactive = on_demand(t("traj.interactive"), "traj_interactive")
if interactive.open:
    with interactive:
        figure = charts.trajectory_figure(tr, m, events)
        charts.chart(figure, None, f"trajectory_{m.key}", decimals=m.decimals)
chance = judged.probability
if chance is not None and tr.target is not None and tr.months_left > 0:
    st.markdown(  # text-safe: catalogue words and formatted numbers
        t("traj.chance", p=fmt.chance(chance), target=fmt.target(m, tr.target)), help=t("traj.chance_help")
    )
whatif.what_if_box(tr, data.what_if(m, chosen.year, chosen.as_of, region))
st.download_button(
    t("traj.board_pack"),
    data=data.board_pack(chosen.as_of, current_lang()),
    file_name=f"dossier_cx_{chosen.as_of:%Y-%m}.html",
    mime="text/html",
    on_click="ignore",
    icon=":material/download:",
)

# what goes with NPS, in NPS points against the gap: run only once opened (a bootstrap of 200 resamples)
key_drivers = on_demand(t("drivers.open"), "traj_drivers")
if key_drivers.open:
    with key_drivers:
        drivers_section(data.drivers(chosen.year, chosen.as_of, region), current_lang(), heading=False)

# the breakdowns run and draw only once opened: their chart and grid took 0.35 s of every reload in the
# browser (benchmarks/browser_load.py), for a view the executive's question does not need first
breakdowns = on_demand(t("traj.breakdowns"), "traj_breakdowns")
if breakdowns.open:
    with breakdowns:
        dims = [d for d in ("segment", "channel", "journey") if d in dimensions_of(m)]
        if not dims:  # st.tabs([]) raises: first-time fix and complaint rates have none of these splits
            st.info(t("traj.no_breakdowns", metric=label(m.label)))
        # only the open tab runs and draws
        tabs = lazy_tabs([tables.dim_title(d) for d in dims], "traj_split") if dims else ()
        for tab, dim in zip(tabs, dims, strict=True):
            if tab.open:
                with tab:
                    split = data.ytd(m, chosen, by=(dim,))
                    charts.chart(charts.interval_bars(split, dim, m), None, f"{m.key}_by_{dim}")
                    tables.table(
                        tables.metric_table(split, m, (dim,)), split, f"{m.key}_by_{dim}_table", m.decimals
                    )
