"""Follow-ups: the detractors and complaints to call back, who owns each, how each region closes the loop."""

import datetime as dt

import streamlit as st

from dashboard import followups, plain, shell
from dashboard.components.filters import sidebar_filters
from dashboard.i18n import current_lang, t
from metrics import clock
from metrics.errors import CxError
from metrics.followup import display
from metrics.followup.queue import hours
from metrics.insights.verbatims import MIN_EXAMPLES_N
from metrics.reports import formatting

EDITOR = "followups_editor"
NOTICE = "followups_notice"

if not shell.page("followups"):
    st.stop()
chosen = sidebar_filters(("region",))
lang = current_lang()
# the chosen year's cases: up to today in the current year (a queue is for now), else the whole year,
# so on 15 January last year's open cases are one choice away (the year list follows the data)
start = dt.date(chosen.year, 1, 1)
end = clock.today() if chosen.year >= clock.today().year else dt.date(chosen.year, 12, 31)

st.title(t("followups.title"))
period = {"start": formatting.day(start, lang), "end": formatting.day(end, lang)}
st.caption(t("followups.caption", **period, hours=hours()))
if said := st.session_state.pop(NOTICE, None):  # what the last save said, kept across its rerun
    (st.success if said[0] == "ok" else plain.error)(said[1])

st.subheader(t("followups.queue"))
picked = st.selectbox(
    t("followups.status_filter"),
    tuple(followups.STATUS_CHOICES),
    format_func=lambda v: followups.choice_label(v, lang),
    key="followups_status",
)
shown, total = followups.first_cases(
    start, end, regions=tuple(chosen.regions), status=followups.STATUS_CHOICES[picked]
)
if not total:
    st.info(t("followups.none"))
else:
    st.caption(t("followups.shown", shown=formatting.integer(len(shown), lang),
                    total=formatting.integer(total, lang)))  # fmt: skip
    editable = followups.can_edit()
    if not editable:
        st.caption(t("followups.read_only"))
    if bool(shown["comment_hidden"].any()):
        st.caption(t("followups.hidden_comments", n=MIN_EXAMPLES_N))
    config = {
        display.label("comment", lang): st.column_config.TextColumn(),  # text, never Markdown
        display.label("owner", lang): st.column_config.TextColumn(max_chars=80),
        **{
            display.label(column, lang): st.column_config.SelectboxColumn(
                options=followups.options(column),
                format_func=lambda v, c=column: display.value_label(c, v, lang),
            )
            for column in ("status", "outcome")
        },
    }
    frame = display.queue_table(shown, lang, editable=True)
    locked = [c for c in frame.columns if c not in {display.label(e, lang) for e in followups.EDITABLE}]
    edited = st.data_editor(
        frame, key=EDITOR, hide_index=True, width="stretch", column_config=config,
        disabled=True if not editable else locked,
    )  # fmt: skip
    found = followups.changes(shown, edited, lang) if editable else []
    if found:
        try:
            st.session_state[NOTICE] = (
                "ok",
                t("followups.saved", n=followups.save(found)),
            )
        except CxError as err:
            st.session_state[NOTICE] = ("error", err)
        del st.session_state[EDITOR]  # the editor starts again from what is stored
        st.rerun()

st.subheader(t("followups.stats"))
st.caption(t("followups.stats_caption"))
regions = followups.by_region(start, end, chosen.regions)
if regions.empty:
    st.info(t("followups.none"))
else:
    table = display.region_table(regions, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="followups_regions")

st.subheader(t("followups.effect"))
st.caption(t("followups.effect_caption"))
effect = followups.callback_effect(start, end, chosen.regions)
st.dataframe(display.effect_table(effect, lang), hide_index=True, width="stretch", key="followups_effect")
st.text(display.effect_text(effect, lang))
