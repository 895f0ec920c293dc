"""The one formatter (`metrics.reports.formatting`) in the reader's language: pages call these.

Each function is the metrics one with `lang` defaulting to the language chosen in the page (URL or
session), so a page writes `display.value(m, v)` and the CLI `formatting.value(m, v, lang)` and both
print the same characters.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from dashboard.i18n import current_lang
from metrics.reports import formatting

F = TypeVar("F", bound=Callable[..., str])

MISSING = formatting.MISSING


def _in_reader_language(func: F) -> F:
    """`func` with `lang` filled from the page when the caller does not give one.

    The position of `lang` is read once: binding the signature on every call cost more than the
    formatting itself on pages that format a thousand cells.
    """
    position = list(inspect.signature(func).parameters).index("lang")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> str:  # noqa: ANN401 - the wrapped function's own arguments
        if kwargs.get("lang") is None and (len(args) <= position or args[position] is None):
            if len(args) > position:
                args = (*args[:position], current_lang(), *args[position + 1 :])
            else:
                kwargs["lang"] = current_lang()
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


number = _in_reader_language(formatting.number)
integer = _in_reader_language(formatting.integer)
value = _in_reader_language(formatting.value)
gap = _in_reader_language(formatting.gap)
target = _in_reader_language(formatting.target)
editable = _in_reader_language(formatting.editable)
chance = _in_reader_language(formatting.chance)
percent = _in_reader_language(formatting.percent)
margin = _in_reader_language(formatting.margin)
interval = _in_reader_language(formatting.interval)
month = _in_reader_language(formatting.month)
month_name = _in_reader_language(formatting.month_name)
day = _in_reader_language(formatting.day)
timestamp = _in_reader_language(formatting.timestamp)
