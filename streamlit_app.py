"""The dashboard's entry point: navigation only (each page sets itself up through dashboard.shell).

The menu lists the pages the reader's role opens (dashboard.access); each page checks it again.
"""

import streamlit as st

from dashboard.access import visible_pages
from dashboard.i18n import t
from metrics.catalogue import N_

PAGES = {
    "trajectory": (N_("nav.trajectory"), ":material/trending_up:"),
    "regions": (N_("nav.regions"), ":material/leaderboard:"),
    "operations": (N_("nav.operations"), ":material/build:"),
    "workload": (N_("nav.workload"), ":material/groups:"),
    "alerts": (N_("nav.alerts"), ":material/notifications:"),
    "verbatims": (N_("nav.verbatims"), ":material/forum:"),
    "followups": (N_("nav.followups"), ":material/phone_callback:"),
    "data": (N_("nav.data"), ":material/upload_file:"),
    "targets": (N_("nav.targets"), ":material/flag:"),
}
shown = visible_pages(tuple(PAGES))
pages = [
    st.Page(
        f"dashboard/pages/{key}.py",
        title=t(PAGES[key][0]),
        icon=PAGES[key][1],
        default=i == 0,
    )
    for i, key in enumerate(shown)
]
st.navigation(pages).run()
