"""Month arithmetic: the one helper every report, the retention rule and the event window use."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.months import add_months, month_end, month_start, month_starts


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 5, 31), -3, dt.date(2025, 2, 28)),  # February is shorter: clamped
        (dt.date(2024, 5, 31), -3, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 11, 15), 2, dt.date(2026, 1, 15)),  # across the year end
        (dt.date(2026, 1, 1), -1, dt.date(2025, 12, 1)),
        (dt.date(2025, 9, 30), 0, dt.date(2025, 9, 30)),
        (dt.date(2026, 3, 10), -24, dt.date(2024, 3, 10)),
    ],
)
def test_add_months_keeps_the_day_clamped_to_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_month_start_and_end():
    assert month_start(dt.date(2025, 9, 17)) == dt.date(2025, 9, 1)
    assert month_end(dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2025, 12, 31)) == dt.date(2025, 12, 31)


def test_month_starts_covers_both_ends():
    assert month_starts(dt.date(2025, 11, 20), dt.date(2026, 2, 1)) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
