"""Targets: the annual targets as an editable table; saving is an import, with its checks and roll-back."""

import streamlit as st

from dashboard import data, plain, shell, writes
from dashboard.components import targets as ui
from dashboard.components.filters import url_choice
from dashboard.components.report import import_report
from dashboard.components.tables import download
from dashboard.i18n import current_lang, t
from metrics.errors import CxError

if not shell.page("targets"):
    st.stop()
st.title(t("targets.title"))
st.caption(t("targets.caption"))
shell.duckdb_only()
store = data.store()

years = [None, *writes.target_years()]
year = url_choice(
    "year",
    t("targets.year"),
    years,
    default=1 if len(years) > 1 else 0,
    format_func=lambda y: t("targets.all_years") if y is None else str(y),
    key="targets_year",
    code=lambda y: "all" if y is None else str(y),
)
current = writes.targets(year)
if current.empty:
    st.info(t("targets.none"))
regions = data.dimension_values("region")
edited = st.data_editor(
    ui.editor_frame(current),
    num_rows="add",  # an import adds or replaces; removing a target is a roll-back on the Data page
    hide_index=True,
    width="stretch",
    column_config={
        "year": st.column_config.NumberColumn(t("targets.col_year"), format="%d", step=1, required=True),
        "metric": st.column_config.SelectboxColumn(
            t("targets.col_metric"), options=ui.metric_options(), required=True
        ),
        "range": st.column_config.TextColumn(t("targets.col_range"), disabled=True),
        "target": st.column_config.TextColumn(t("targets.col_target"), help=t("targets.target_help")),
        "region": st.column_config.SelectboxColumn(
            t("targets.col_region"), options=[t("targets.company"), *regions]
        ),
    },
    # a new key after each save and per language, so the editor shows what is stored, in the page's words
    key=f"targets_editor_{year}_{current_lang()}_{st.session_state.get('targets_saves', 0)}",
)
checked = ui.check(edited)
for problem in checked.problems:
    plain.error(problem)  # quotes what the user typed
summary = ui.changes(current, checked.rows) if not checked.problems else []
if st.button(t("targets.review"), key="targets_review", disabled=bool(checked.problems)):
    st.session_state["targets_pending"] = summary
    st.session_state.pop("targets_report", None)
pending = st.session_state.get("targets_pending")
if pending is not None and pending != summary:
    pending = None  # edited again since the review: review again
    st.session_state.pop("targets_pending", None)
if not checked.problems and ui.removed(current, checked.rows):
    st.info(t("targets.change_kept", n=ui.removed(current, checked.rows)))
if pending == []:
    st.info(t("targets.no_change"))
elif pending:
    with st.container(border=True):
        st.text(t("targets.summary"))
        st.text("\n".join(pending))  # region names are data: text, never markdown
        if st.button(t("targets.save"), key="targets_save", type="primary"):
            try:
                st.session_state["targets_report"] = writes.save_targets(store, checked.rows)
                st.session_state["targets_saves"] = st.session_state.get("targets_saves", 0) + 1
                st.session_state.pop("targets_pending", None)
                st.rerun()
            except CxError as err:
                st.session_state.pop("targets_report", None)  # nothing saved: an older report would mislead
                plain.error(err)
download(current, f"targets_{year or 'all'}")

report = st.session_state.get("targets_report")
if report is not None:
    st.subheader(t("targets.report"))
    if report.accepted or report.updated:
        st.success(t("targets.saved", id=report.import_id))
    import_report(report, ("accepted", "updated", "rejected"), key="targets_problems")
