"""Calendar-month arithmetic, in one place: month starts and ends, and moving by whole months."""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month: 2024-02-10 -> 2024-02-29."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier when negative), clamped to a shorter month: 31/05 - 3 -> 28/02."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    out, day = [], month_start(first)
    while day <= last:
        out.append(day)
        day = add_months(day, 1)
    return out
