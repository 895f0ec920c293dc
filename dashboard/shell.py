"""What every page does first: page config, language switch, the store, demo data and its banner."""

from __future__ import annotations

import threading

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import access, data, plain
from dashboard.i18n import current_lang, label, langs, t, translate
from metrics.access.roles import Action
from metrics.errors import CxError
from metrics.ingest import history

_DEMO_LOCK = threading.Lock()


def _language_switch() -> str:
    """The sidebar language choice, kept in the URL (`?lang=en`) and in the session."""
    lang, found = current_lang(), langs()
    # each language names itself ("Français", "English"), in its own catalogue's `lang.name`
    chosen = st.sidebar.selectbox(
        t("lang.label"),
        found,
        index=found.index(lang),
        format_func=lambda code: translate("lang.name", code),
        key="lang_choice",
    )
    st.session_state["lang"] = chosen
    in_url = st.query_params.get("lang")
    if in_url != chosen:
        st.query_params["lang"] = chosen
        # a sidebar link drops the query string: the page was drawn in the session's language already,
        # so only a real switch needs a second run (it doubled every sidebar navigation's server time)
        if in_url is not None or lang != chosen:
            # the navigation and the widgets above were drawn in the old language: draw everything again
            st.rerun()
    return chosen


def _load_demo_if_new() -> None:
    """A brand-new database (no import ever, kept or rolled back) gets the demo data, if the reader may."""
    store = data.store()
    if not data.caller().can(Action.DEMO):
        return
    with _DEMO_LOCK:
        if not history.list_imports(store).empty:
            return
        _generate_and_load(st.progress(0.0, text=t("demo.loading")))


def _generate_and_load(bar: DeltaGenerator) -> None:
    """Generate the demo straight into the database with a progress bar, shown from the first second.

    The bar follows the rows written, named by dataset; no CSV file is written and read back.
    """
    from metrics import demo
    from metrics.contracts.datasets import dataset

    total = sum(demo.planned_rows(responses=demo.DASHBOARD_RESPONSES).values())
    written: dict[str, int] = {}

    def generated(key: str, rows: int) -> None:
        written[key] = rows
        share = min(1.0, sum(written.values()) / max(total, 1))
        bar.progress(share, text=f"{t('demo.loading')} {label(dataset(key).label)}")

    demo.load_direct(
        data.store(), responses=demo.DASHBOARD_RESPONSES, progress=generated, caller=data.caller()
    )
    bar.empty()


def _remove_demo() -> None:
    """Button callback: roll back every demo import, newest first (no later one still holds its rows)."""
    store = data.store()
    for import_id in history.demo_import_ids(store):
        history.rollback(store, import_id, caller=data.caller())
    st.toast(t("demo.removed"))


def _demo_banner() -> None:
    """Say loudly that the figures are demo data, and offer to remove them after a confirmation."""
    if not history.demo_import_ids(data.store()):
        return
    if not data.caller().can(Action.DEMO):
        st.warning(t("demo.banner_reader"), icon=":material/science:")
        return
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.warning(t("demo.banner"), icon=":material/science:")
    with right.popover(t("demo.remove"), key="demo_remove_menu"):
        st.caption(t("demo.remove_confirm"))  # our words only
        st.button(t("demo.remove_yes"), key="demo_remove", type="primary", on_click=_remove_demo)


def _load_demo() -> None:
    """Button callback: load the demo data again (after it was removed), marked as demo."""
    _generate_and_load(st.progress(0.0, text=t("demo.loading")))


def demo_reload() -> None:
    """A way back to the demo data from the interface when none is loaded."""
    if history.demo_import_ids(data.store()) or not data.caller().can(Action.DEMO):
        return
    st.subheader(t("demo.reload_header"))
    st.text(t("demo.reload_help"))
    st.button(t("demo.reload"), key="demo_reload", on_click=_load_demo)


def _admitted(name: str) -> bool:
    """The sign-in gate: the local banner, a sign-in button, or the reader's role allowing page `name`."""
    if not access.signed_in_mode():
        st.caption(t("access.local"))  # text-safe: catalogue words only
        return True
    if not access.logged_in():
        st.info(t("access.sign_in"))
        st.button(t("access.sign_in_button"), key="sign_in", on_click=st.login, type="primary")
        return False
    st.sidebar.button(t("access.sign_out"), key="sign_out", on_click=st.logout)
    who = data.caller_or_none()
    if who is None:
        st.warning(t("access.nobody"))
        return False
    if name not in who.pages:
        st.warning(t("access.page_denied"))
        return False
    return True


def page(name: str, *, empty_ok: bool = False) -> bool:
    """Set up page `name`; False (after saying why) when there is nothing to show or no right to see it.

    `empty_ok`: an empty database is no reason to stop (the Data page's uploader fills it).
    """
    st.set_page_config(page_title=t("app.title"), layout="wide", page_icon=":material/insights:")
    _language_switch()
    if not _admitted(name):
        return False
    try:
        _load_demo_if_new()
        _demo_banner()
        if data.import_running():  # readers see the last published copy: say that fresher data is coming
            st.info(t("shell.import_running"))
        if data.store().is_empty():
            st.info(t("empty.database"))
            return empty_ok
    except CxError as err:
        plain.error(err)
        return empty_ok  # the Data page still offers its uploader and roll-back
    return True


def duckdb_only() -> None:
    """Pages that write the DuckDB file (imports, history, targets) say so when figures come from Spark."""
    if data.on_spark():
        st.info(t("shell.duckdb_only"))
