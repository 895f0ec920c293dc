"""Targets: the annual targets as an editable table; saving is an import, with its checks and roll-back."""

import streamlit as st

from dashboard import data, shell
from dashboard.components.report import import_report
from dashboard.components.tables import download
from dashboard.components.targets import editor_frame
from dashboard.i18n import t
from metrics.definitions import METRICS
from metrics.errors import CxError

if not shell.page():
    st.stop()
st.title(t("targets.title"))
st.caption(t("targets.caption"))
store = data.store()

years = [None, *data.target_years()]
year = st.selectbox(
    t("targets.year"),
    years,
    index=1 if len(years) > 1 else 0,
    format_func=lambda y: t("targets.all_years") if y is None else str(y),
    key="targets_year",
)
current = data.targets(year)
if current.empty:
    st.info(t("targets.none"))
edited = st.data_editor(
    editor_frame(current),
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_config={
        "year": st.column_config.NumberColumn(t("targets.col_year"), format="%d", step=1),
        "metric": st.column_config.SelectboxColumn(t("targets.col_metric"), options=sorted(METRICS)),
        "label": st.column_config.TextColumn(t("targets.col_label"), disabled=True),
        "target": st.column_config.NumberColumn(t("targets.col_target")),
        "region": st.column_config.TextColumn(t("targets.col_region")),
    },
    # a new key after each save, so the editor shows what was stored, not the edits just sent
    key=f"targets_editor_{year}_{st.session_state.get('targets_saves', 0)}",
)
if st.button(t("targets.save"), key="targets_save", type="primary"):
    try:
        st.session_state["targets_report"] = data.save_targets(store, edited)
        st.session_state["targets_saves"] = st.session_state.get("targets_saves", 0) + 1
        st.rerun()
    except CxError as err:
        st.session_state.pop("targets_report", None)  # nothing was saved: an older report would mislead
        st.error(str(err))
download(current, f"targets_{year or 'all'}")

report = st.session_state.get("targets_report")
if report is not None:
    st.subheader(t("targets.report"))
    if report.accepted or report.updated:
        st.success(t("targets.saved", id=report.import_id))
    import_report(report, ("accepted", "updated", "rejected"), key="targets_problems")
