"""Floors for browser timings: a trivial page, then one element of each kind the dashboard draws.

Served by `benchmarks/browser_load.py --floor` exactly like the app; each page is a title and one element,
the dashboard's shell (the demo banner and the sidebar's language and filters) with no content, or
Trajectoire's first screen drawn from constants: every element it shows, none of its queries. Every
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


def _frame(title: str) -> None:
    """The dashboard's frame: demo banner, title, language and filters in the sidebar."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.warning("Données de démonstration", icon=":material/science:")
    with right.popover("Retirer la démo"):
        st.button("Oui")
    st.title(title)
    side = st.sidebar
    side.selectbox("Langue", ["Français", "English"])
    side.header("Filtres")
    side.selectbox("Année", [2025, 2026])
    side.selectbox("Données jusqu'à fin", [dt.date(2026, m, 1) for m in range(1, 11)])
    side.multiselect("Régions", ["Bretagne", "Centre", "Est"], placeholder="Toutes")
    side.caption("Le lien de cette page garde vos filtres.")


def _shell() -> None:
    """The dashboard's frame without content."""
    _frame("Shell")


# a sparkline and a trajectory-sized chart: numbers only, the size of the page's own SVGs
SPARK = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="28" viewBox="0 0 120 28"><polyline '
    'fill="none" stroke="#0072B2" stroke-width="2" points="'
    + " ".join(f"{i * 11},{28 - 2 * v}" for i, v in enumerate(LINE))
    + '"/></svg>'
)
CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="960" height="420" viewBox="0 0 960 420">'
    + "".join(
        f'<line x1="60" x2="940" y1="{y}" y2="{y}" stroke="#ddd"/><text x="50" y="{y}">{40 - y // 10}</text>'
        for y in range(40, 400, 40)
    )
    + '<polyline fill="none" stroke="#0072B2" stroke-width="2" points="'
    + " ".join(f"{60 + i * 80},{380 - 30 * v}" for i, v in enumerate(LINE))
    + '"/></svg>'
)
MONTHS = pd.DataFrame({"mois": [f"2026-{m:02d}" for m in range(1, 11)], "NPS": LINE[:10], "n": [900] * 10})


@st.fragment
def _values_table() -> None:
    if st.toggle("Afficher les valeurs", key="values"):
        st.dataframe(MONTHS, hide_index=True)


@st.fragment
def _what_if() -> None:
    with st.expander("Et si…", icon=":material/calculate:", expanded=True):
        st.number_input("NPS moyen d'octobre à décembre", value=41.0, step=0.1, key="rest")
        st.markdown("**Avec 41,0 sur 3 mois, l'année finit à 34,9 (objectif 40).**")
        st.caption("Le meilleur mois de l'année : 38,2 (mars).")


def _cards() -> None:
    """Trajectoire's four cards, as `dashboard.components.cards.trajectory_card` draws each."""
    for col, i in zip(st.columns(4), range(4), strict=True):
        with col, st.container(border=True):
            st.metric(f"Indicateur {i}", "33,5", delta="+0,4 en un mois", delta_color="off", help="Sens")
            st.image(SPARK, caption="12 derniers mois")
            st.caption("n = 9 812 · ± 1,9")
            st.markdown(":red[**Hors d'atteinte**]")
            st.caption("Objectif 40 · écart −6,5")
            st.caption("Même période en 2025 : 31,0")
            st.button("Voir sa courbe", key=f"pick{i}", icon=":material/show_chart:", type="tertiary")


def _four_cards() -> None:
    """The frame and the four cards alone: what the cards cost."""
    _frame("Quatre cartes")
    _cards()


def _trajectory() -> None:
    """Trajectoire's first screen from constants: its frame, answers, four cards, chart and what-if."""
    _frame("Trajectoire sans requête")
    st.caption("2026, données jusqu'au 30/09/2026 · toute l'entreprise")
    for i in range(4):
        st.markdown(f"**Indicateur {i}** : 33,5 fin septembre, objectif 40 : :red[**hors d'atteinte**]")
    _cards()
    st.selectbox("Indicateur du graphique", [f"Indicateur {i}" for i in range(4)], key="chart")
    st.image(CHART, width="stretch")
    _values_table()
    st.download_button("CSV", MONTHS.to_csv(), file_name="valeurs.csv", on_click="ignore")
    st.download_button("Excel", MONTHS.to_csv(), file_name="valeurs.xlsx", on_click="ignore")
    st.expander("Graphique interactif : les valeurs au survol", key="interactive", on_change="rerun")
    st.markdown("Chance d'atteindre 40 : **3 %**", help="Simulation")
    _what_if()
    st.download_button("Dossier du comité", "<html></html>", file_name="dossier.html", on_click="ignore")


# (page, its sidebar title, its path): benchmarks/browser_load.py's FLOOR names each by heading and title
PAGES = (
    (_trivial, "Trivial", "trivial"),
    (_plotly, "Plotly", "plotly"),
    (_plotly4, "Plotly x4", "plotly4"),
    (_grid, "Grid", "grid"),
    (_table, "Table", "table"),
    (_shell, "Shell", "shell"),
    (_four_cards, "Quatre cartes", "cards"),
    (_trajectory, "Trajectoire sans requête", "trajectory"),
)

if __name__ == "__main__":  # served by `streamlit run`; tests import the pages one by one
    root = st.Page(_root, title="Floors", default=True)
    st.navigation([root, *(st.Page(page, title=title, url_path=path) for page, title, path in PAGES)]).run()
