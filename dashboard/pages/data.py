"""Data: upload a CSV or Excel file, import it, read what was rejected and why, roll an import back."""

import streamlit as st

from dashboard import data, shell
from dashboard.components.import_options import import_options, reading_notes, refusal
from dashboard.components.mapping import chosen_mapping, history_table, mapping_columns, mapping_frame
from dashboard.components.report import import_report
from dashboard.components.tables import download
from dashboard.i18n import current_lang, label, t
from metrics import history
from metrics.datasets import dataset
from metrics.errors import CxError
from metrics.rejection import TooManyRejected

shell.page()  # an empty database still gets the uploader
st.title(t("data.title"))
store = data.store()

upload = st.file_uploader(t("data.upload"), type=["csv", "xlsx"], key="data_upload")
if upload is not None:
    content = upload.getvalue()
    try:
        seen = data.inspect(upload.name, content)
    except CxError as err:
        st.error(str(err))
        seen = None
    if seen is not None:
        st.text(t("data.detected", dataset=label(dataset(seen.ranked[0]).label)))  # file text, never markdown
        chosen = st.selectbox(
            t("data.dataset"), seen.ranked, format_func=lambda k: label(dataset(k).label), key="data_dataset"
        )
        st.caption(t("data.mapping_help"))
        edited = st.data_editor(
            mapping_frame(seen, chosen),
            column_config=mapping_columns(seen),
            disabled=[t("data.col_expected"), t("data.col_required")],
            hide_index=True,
            key=f"data_mapping_{chosen}",
        )
        options = import_options(chosen)
        st.caption(t("data.preview"))
        st.dataframe(seen.preview, hide_index=True, key="data_preview")
        if st.button(t("data.import"), key="data_import", type="primary"):
            bar = st.progress(0.0, text=t("data.importing"))
            try:
                st.session_state["data_report"] = data.run_import(
                    store,
                    chosen,
                    upload.name,
                    content,
                    mapping=chosen_mapping(edited, chosen),
                    options=options,
                    progress=lambda step, done: bar.progress(done, text=t("data.importing")),
                )
            except TooManyRejected as err:
                refusal(err)
            except CxError as err:
                st.error(str(err))

report = st.session_state.get("data_report")
if report is not None:
    st.subheader(t("data.report", id=report.import_id))
    st.text(report.file_name)
    import_report(report, ("rows_read", "accepted", "updated", "rejected", "skipped"), key="data_problems")
    reading_notes(report)
    if report.rejected:
        rejected = history.rejected_records(store, report.import_id, lang=current_lang())
        st.caption(t("data.rejected_download"))
        download(rejected, f"rejected_{report.import_id}")


def _roll_back(target: int) -> None:
    """Button callback: runs before the page is drawn again, so the history below is already current."""
    try:
        rows = history.rollback(store, target)
    except CxError as err:
        st.session_state["data_rollback_msg"] = ("error", str(err))
        return
    st.cache_data.clear()
    st.session_state.pop("data_report", None)
    st.session_state["data_rollback_msg"] = ("success", t("data.rolled_back", id=target, rows=rows))


st.subheader(t("data.history"))
imports = history.list_imports(store)
if imports.empty:
    st.info(t("data.no_imports"))
else:
    st.dataframe(history_table(imports), hide_index=True, key="data_history")
    live = [int(i) for i in imports.loc[imports["status"] != "rolled_back", "import_id"]]
    if live:
        # keyed on the newest import: after an import the choice starts on it, never on a stale id
        target = st.selectbox(t("data.rollback_id"), live, key=f"data_rollback_id_{live[0]}")
        st.button(t("data.rollback"), key="data_rollback", on_click=_roll_back, args=(target,))
done = st.session_state.pop("data_rollback_msg", None)
if done is not None:
    (st.success if done[0] == "success" else st.error)(done[1])
