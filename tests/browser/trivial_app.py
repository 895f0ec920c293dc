"""The floor for browser timings: two trivial pages served exactly like the app (same flags, same run)."""

import streamlit as st


def _one() -> None:
    st.title("Trivial one")
    st.write("1")


def _two() -> None:
    st.title("Trivial two")
    st.write("2")


st.navigation(
    [st.Page(_one, title="One", url_path="one", default=True), st.Page(_two, title="Two", url_path="two")]
).run()
