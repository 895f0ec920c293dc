"""Floors for browser timings: a trivial page, then one element of each kind the dashboard draws.

Served by `benchmarks/browser_load.py --floor` exactly like the app; each page is a title and one element,
or the dashboard's shell (the demo banner and the sidebar's language and filters) with no content. Every
measured page sits at `/name`: the default page at `/` skips the base-path probe a `/name` reload pays.
"""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

LINE = [1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8]
TABLE = pd.DataFrame({"a": range(10), "b": [str(i) for i in range(10)]})


def _root() -> None:
    st.title("Floors")


def _trivial() -> None:
    st.title("Trivial")
    st.write("1")


def _plotly() -> None:
    st.title("One Plotly line")
    st.plotly_chart(go.Figure(go.Scatter(x=list(range(12)), y=LINE)), key="p")


def _plotly4() -> None:
    st.title("Four Plotly lines")
    for i in range(4):
        st.plotly_chart(go.Figure(go.Scatter(x=list(range(12)), y=LINE)), key=f"p{i}")


def _grid() -> None:
    st.title("One grid")
    st.dataframe(TABLE)


def _table() -> None:
    st.title("One static table")
    st.table(TABLE)


def _shell() -> None:
    """The dashboard's frame without content: banner, title, language and filters in the sidebar."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.warning("Données de démonstration", icon=":material/science:")
    with right.popover("Retirer la démo"):
        st.button("Oui")
    st.title("Shell")
    side = st.sidebar
    side.selectbox("Langue", ["Français", "English"])
    side.header("Filtres")
    side.selectbox("Année", [2025, 2026])
    side.selectbox("Données jusqu'à fin", [dt.date(2026, m, 1) for m in range(1, 11)])
    side.multiselect("Régions", ["Bretagne", "Centre", "Est"], placeholder="Toutes")
    side.caption("Le lien de cette page garde vos filtres.")


st.navigation(
    [
        st.Page(_root, title="Floors", default=True),
        st.Page(_trivial, title="Trivial", url_path="trivial"),
        st.Page(_plotly, title="Plotly", url_path="plotly"),
        st.Page(_plotly4, title="Plotly x4", url_path="plotly4"),
        st.Page(_grid, title="Grid", url_path="grid"),
        st.Page(_table, title="Table", url_path="table"),
        st.Page(_shell, title="Shell", url_path="shell"),
    ]
).run()
