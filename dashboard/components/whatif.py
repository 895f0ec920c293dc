"""The what-if box: "if the months to come average X, the year ends at Y", checked against the best month."""

from __future__ import annotations

import streamlit as st

from dashboard import display as fmt
from dashboard.components.numbers import metric_number
from dashboard.i18n import label, t
from metrics.reports.trajectory import Trajectory
from metrics.reports.whatif import WhatIf


def _beats(higher_is_better: bool, rest: float, best: float) -> bool:
    return rest > best if higher_is_better else rest < best


@st.fragment
def what_if_box(tr: Trajectory, got: WhatIf | None) -> None:
    """A number input and the year-end it gives; a fragment, so typing reruns only this box."""
    m = tr.metric
    with st.expander(t("whatif.header"), icon=":material/calculate:", expanded=got is not None):
        if got is None:
            st.caption(t("whatif.none"))
            return
        # the required run-rate to start with, or the best the metric can take when it is beyond it
        start = tr.required if tr.required is not None else (tr.projection or tr.value)
        rest = metric_number(
            m,
            t("whatif.input", months=tr.months_left, metric=label(m.label)),
            key=f"whatif_{m.key}",
            default=float(start),
        )
        if rest is None:
            return
        end = got.year_end(rest)
        if tr.target is None:
            text = t(
                "whatif.result_no_target",
                months=tr.months_left,
                rest=fmt.value(m, rest),
                end=fmt.value(m, end),
            )
        else:
            text = t(
                "whatif.result",
                months=tr.months_left,
                rest=fmt.value(m, rest),
                end=fmt.value(m, end),
                target=fmt.target(m, tr.target),
            )
        st.markdown(f"**{text}**")  # text-safe: catalogue words and formatted numbers
        if got.best_value is not None and got.best_month is not None:
            st.caption(t("whatif.best", best=fmt.value(m, got.best_value), month=fmt.month(got.best_month)))
            if _beats(m.higher_is_better, rest, got.best_value):
                st.caption(t("whatif.above_best"))
