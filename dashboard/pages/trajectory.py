"""Trajectory: each targeted KPI so far this year against its target, and what the rest must deliver."""

import streamlit as st

from dashboard import data, shell
from dashboard import display as fmt
from dashboard.components import cards, charts, tables
from dashboard.components.filters import sidebar_filters, url_choice
from dashboard.i18n import current_lang, label, t
from metrics.semantic.definitions import metric
from metrics.semantic.query import dimensions_of

if not shell.page():
    st.stop()
chosen = sidebar_filters(("region",))  # the trajectory is the company's or one region's: no other split
region = chosen.regions[0] if len(chosen.regions) == 1 else None
keys = data.targeted(chosen.year) or ["nps"]
trajectories = [data.trajectory(k, chosen.year, chosen.as_of, region) for k in keys]

st.title(t("traj.title"))
st.caption(t("traj.caption", year=chosen.year, as_of=fmt.day(chosen.as_of)))
st.text(t("traj.scope", region=region) if region else t("traj.scope_company"))  # data text, never markdown
if len(chosen.regions) > 1:
    st.info(t("traj.scope_many"))
if not data.targeted(chosen.year):
    st.info(t("traj.no_targets", year=chosen.year))
cards.trajectory_cards(trajectories)

key = url_choice(
    "chart", t("traj.chart_metric"), keys, format_func=lambda k: label(metric(k).label), key="chart_metric"
)
tr = trajectories[keys.index(key)]
m = metric(key)
charts.chart(
    charts.trajectory_figure(tr, m, data.events(chosen, region)),
    tr.months,
    f"trajectory_{key}",
    decimals=m.decimals,
)
answer = cards.sentence(tr)  # catalogue words and formatted numbers: no user text in it
st.markdown(f"**{answer}**", help=t("traj.required_help"))  # text-safe
chance = data.probability(key, chosen.year, chosen.as_of, region)
if chance is not None and tr.target is not None and tr.months_left > 0:
    st.markdown(  # text-safe: catalogue words and formatted numbers
        t("traj.chance", p=fmt.chance(chance), target=fmt.target(m, tr.target)), help=t("traj.chance_help")
    )
st.download_button(
    t("traj.board_pack"),
    data=data.board_pack(chosen.as_of, current_lang()),
    file_name=f"dossier_cx_{chosen.as_of:%Y-%m}.html",
    mime="text/html",
    on_click="ignore",
    icon=":material/download:",
)

st.subheader(t("traj.breakdowns"))
dims = [d for d in ("segment", "channel", "journey") if d in dimensions_of(m)]
if not dims:  # st.tabs([]) raises: first-time fix and complaint rates have none of these splits
    st.info(t("traj.no_breakdowns", metric=label(m.label)))
for tab, dim in zip(st.tabs([t(tables.DIM_KEYS[d]) for d in dims]) if dims else (), dims, strict=True):
    with tab:
        split = data.ytd(key, chosen, by=(dim,))
        charts.chart(charts.interval_bars(split, dim, m), None, f"{key}_by_{dim}")
        tables.table(tables.metric_table(split, m, (dim,)), split, f"{key}_by_{dim}_table", m.decimals)
