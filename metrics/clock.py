"""What "today" is for the product: the one place a business date or a record's time comes from.

Every default as-of, complete month, year end, demo window, alert window and retention cut-off reads
`today()`. `CX_TODAY=2026-09-30` makes the dashboard, the CLI and the demo behave as on that day
(a replay, a board pack rebuilt for a past month, a test pinned to a date); unset, it is the
calendar's date. A test (`tests/test_clock.py`) fails when another module reads the wall clock.
"""

from __future__ import annotations

import datetime as dt

from metrics import settings


def today() -> dt.date:
    """The business date: `CX_TODAY` when set, else the calendar's date on this machine."""
    pinned = settings.value("CX_TODAY")
    return pinned if isinstance(pinned, dt.date) else dt.date.today()


def now() -> dt.datetime:
    """When a record is made (an import, a target edit): today's date at the wall clock's time of day.

    With `CX_TODAY` set, a record made during a replay carries the replayed day, so a retention
    cut-off computed from `today()` and the records' own dates agree.
    """
    moment = dt.datetime.now()
    return dt.datetime.combine(today(), moment.time())
