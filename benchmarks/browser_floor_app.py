"""Floors for browser timings: a trivial page, then one element of each kind the dashboard draws.

Served by `benchmarks/browser_load.py --floor` exactly like the app; each page is a title and one element.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

LINE = [1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8]
TABLE = pd.DataFrame({"a": range(10), "b": [str(i) for i in range(10)]})


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


st.navigation(
    [
        st.Page(_trivial, title="Trivial", url_path="trivial", default=True),
        st.Page(_plotly, title="Plotly", url_path="plotly"),
        st.Page(_plotly4, title="Plotly x4", url_path="plotly4"),
        st.Page(_grid, title="Grid", url_path="grid"),
        st.Page(_table, title="Table", url_path="table"),
    ]
).run()
