"""Data: upload a CSV or Excel file, see what it will do, import it, read what was rejected, roll back."""

import streamlit as st

from dashboard import data, plain, shell, writes
from dashboard.components.audit import audit_table
from dashboard.components.import_options import import_options, reading_notes, reading_options, refusal
from dashboard.components.mapping import (
    chosen_mapping,
    history_table,
    import_choice_label,
    mapping_columns,
    mapping_frame,
)
from dashboard.components.report import import_report
from dashboard.components.tables import download
from dashboard.components.uploads import confirmation, dataset_choice, uploader_words
from dashboard.i18n import current_lang, t
from metrics.access import audit
from metrics.errors import CxError
from metrics.ingest import history
from metrics.ingest.preview import Plan
from metrics.ingest.rejection import TooManyRejected

if not shell.page("data", empty_ok=True):  # an empty database still gets the uploader
    st.stop()
st.title(t("data.title"))
shell.duckdb_only()
store = data.store()

uploader_words()
upload = st.file_uploader(t("data.upload"), type=["csv", "xlsx"], key="data_upload")
if upload is not None:
    content = upload.getvalue()
    try:
        seen = writes.inspect(upload.name, content, reading_options())  # the file's shape, decided once
    except CxError as err:
        plain.error(err)
        seen = None
    if seen is not None:
        detected, chosen = dataset_choice(seen.headers, seen.ranked)
        if chosen is not None:
            st.caption(t("data.mapping_help"))
            suggested = mapping_frame(seen, chosen)
            edited = st.data_editor(
                suggested,
                column_config=mapping_columns(seen),
                disabled=[t("data.col_expected"), t("data.col_required")],
                hide_index=True,
                key=f"data_mapping_{chosen}",
            )
            options = import_options(chosen)
            st.caption(t("data.preview"))
            st.dataframe(seen.preview, hide_index=True, key="data_preview")
            mapping = chosen_mapping(edited, chosen, suggested)
            try:
                plan = writes.plan_import(store, chosen, seen.source, mapping, options)
            except CxError:
                # the reading options above may still make it importable; the import says why if not
                plan = Plan(chosen, 0, ())
            confirmed = confirmation(detected, chosen, plan, key=f"data_confirm_{chosen}")
            if st.button(t("data.import"), key="data_import", type="primary", disabled=not confirmed):
                bar = st.progress(0.0, text=t("data.importing"))
                try:
                    st.session_state["data_report"] = writes.run_import(
                        store,
                        chosen,
                        seen.source,
                        mapping=mapping,
                        options=options,
                        progress=lambda step, done: bar.progress(done, text=t("data.importing")),
                    )
                except TooManyRejected as err:
                    refusal(err)
                except CxError as err:
                    plain.error(err)
                finally:
                    bar.empty()  # the report replaces it; a full bar left behind reads as "still working"

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
        rows = history.rollback(store, target, caller=data.caller())
    except CxError as err:
        st.session_state["data_rollback_msg"] = ("error", err.render(current_lang(), "page"))
        return
    st.session_state.pop("data_report", None)
    st.session_state["data_rollback_msg"] = ("success", t("import.rolled_back", id=target, rows=rows))


st.subheader(t("data.history"))
imports = history.list_imports(store)
if imports.empty:
    st.info(t("data.no_imports"))
else:
    st.dataframe(history_table(imports), hide_index=True, key="data_history")
    live = imports[imports["status"] != "rolled_back"]
    if not live.empty:
        ids = [int(i) for i in live["import_id"]]
        # worded in this run, in the reader's language: the labels are not looked up again later
        choices = {int(r.import_id): import_choice_label(r) for r in live.itertuples(index=False)}
        # keyed on the newest import: after an import the choice starts on it, never on a stale id
        target = st.selectbox(
            t("data.rollback_id"),
            ids,
            format_func=choices.__getitem__,
            key=f"data_rollback_id_{ids[0]}",
        )
        sure = st.checkbox(t("data.rollback_confirm"), key=f"data_rollback_sure_{target}")
        st.button(
            t("data.rollback"), key="data_rollback", on_click=_roll_back, args=(target,), disabled=not sure
        )
done = st.session_state.pop("data_rollback_msg", None)
if done is not None:
    if done[0] == "success":
        st.success(done[1])  # text-safe: the catalogue's roll-back sentence with two integers
    else:
        plain.error(done[1])
shell.demo_reload()

st.subheader(t("data.audit"))
st.caption(t("data.audit_help"))
trail = audit.entries(store)
if trail.empty:
    st.info(t("data.audit_empty"))
else:
    st.dataframe(audit_table(trail), hide_index=True, key="data_audit")
