"""A number field that reads the reader's decimals ("50,5" in French) and keeps to the metric's range.

Streamlit's number input reads what the browser's number field gives, and the browser drops the comma
of "50,5" (505) and shows "62.8" to a French reader: these fields are text, read by
`metrics.reports.typed`, and a typed value that is no number or that the metric cannot take is
refused with a sentence under the field.
"""

from __future__ import annotations

import streamlit as st

from dashboard import display as fmt
from dashboard import plain
from dashboard.i18n import current_lang
from metrics.errors import CxError
from metrics.reports import typed
from metrics.semantic.records import Metric


def metric_number(
    m: Metric, label: str, *, key: str, default: float | None, help: str | None = None
) -> float | None:
    """The value typed for `m` (`default` to start, written the reader's way); None when blank or refused."""
    lang = current_lang()
    start = "" if default is None else fmt.editable(typed.nearest_possible(m, default), m.decimals)
    text = st.text_input(label, value=start, key=f"{key}_{lang}", help=help)
    try:
        return typed.metric_value(m, text, lang)
    except CxError as err:
        plain.error(err)
        return None
