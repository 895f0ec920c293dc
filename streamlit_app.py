"""The dashboard's entry point: navigation only (each page sets itself up through dashboard.shell)."""

import streamlit as st

from dashboard.i18n import t

pages = [
    st.Page(
        "dashboard/pages/trajectory.py",
        title=t("nav.trajectory"),
        icon=":material/trending_up:",
        default=True,
    ),
    st.Page("dashboard/pages/regions.py", title=t("nav.regions"), icon=":material/leaderboard:"),
    st.Page("dashboard/pages/operations.py", title=t("nav.operations"), icon=":material/build:"),
    st.Page("dashboard/pages/workload.py", title=t("nav.workload"), icon=":material/groups:"),
    st.Page("dashboard/pages/alerts.py", title=t("nav.alerts"), icon=":material/notifications:"),
    st.Page("dashboard/pages/verbatims.py", title=t("nav.verbatims"), icon=":material/forum:"),
    st.Page("dashboard/pages/data.py", title=t("nav.data"), icon=":material/upload_file:"),
    st.Page("dashboard/pages/targets.py", title=t("nav.targets"), icon=":material/flag:"),
]
st.navigation(pages).run()
