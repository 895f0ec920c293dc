"""The dashboard's entry point: navigation only (each page sets itself up through dashboard.shell).

The menu lists the pages the reader's role opens (dashboard.access); each page checks it again.
"""

import streamlit as st

from dashboard.access import visible_pages
from dashboard.i18n import t

PAGES = {
    "trajectory": ("nav.trajectory", ":material/trending_up:"),
    "regions": ("nav.regions", ":material/leaderboard:"),
    "operations": ("nav.operations", ":material/build:"),
    "workload": ("nav.workload", ":material/groups:"),
    "alerts": ("nav.alerts", ":material/notifications:"),
    "verbatims": ("nav.verbatims", ":material/forum:"),
    "data": ("nav.data", ":material/upload_file:"),
    "targets": ("nav.targets", ":material/flag:"),
}
shown = visible_pages(tuple(PAGES))
pages = [
    st.Page(f"dashboard/pages/{key}.py", title=t(PAGES[key][0]), icon=PAGES[key][1], default=i == 0)
    for i, key in enumerate(shown)
]
st.navigation(pages).run()
