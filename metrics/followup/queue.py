"""The follow-up queue: every detractor and complaint of a period, with what people set on each case.

Reads go through the store the caller is given (a scoped store limits the rows to the caller's regions
and blanks comments without verbatim rights), so the queue never shows a case its reader may not see.
Comments follow the product's floor (metrics.insights.verbatims.MIN_EXAMPLES_N): a site's comments
are shown only when at least that many of its detractors of the period left one, so a lone comment
cannot point at one customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from metrics import clock, settings
from metrics.access.scoped import ScopedStore
from metrics.followup.states import OUTCOMES, SOURCES, STATUSES  # noqa: F401 - re-exported
from metrics.fragments import one_of, period
from metrics.insights.verbatims import MIN_EXAMPLES_N
from metrics.store import Store

REACHED = frozenset({"reached", "resolved"})  # the customer was spoken to
DETRACTOR_MAX = 6  # scores 0-6 are detractors, as in the NPS
TABLE = "follow_ups"
COLUMNS = (
    "source", "source_id", "happened_at", "region", "site", "score", "comment", "owner", "status",
    "outcome", "due_at", "closed_at", "overdue", "comment_hidden", "updated_at", "updated_by",
)  # fmt: skip

Reader = Store | ScopedStore


def hours() -> int:
    """The hours a case has before it is overdue (`CX_FOLLOW_UP_HOURS`)."""
    return int(settings.number("CX_FOLLOW_UP_HOURS"))


def cases_sql(
    start: dt.date | None, end: dt.date | None, regions: Sequence[str] = (), sites: Sequence[str] = ()
) -> tuple[str, list[object]]:
    """SELECT of the period's cases: source, source_id, happened_at, region, site, customer, score...

    Detractors are answers scored 0-6; complaints are counted whatever their own closing in the data.
    """
    parts, params = [], []
    for source, table, key, date, extra in (
        ("response", "ds_responses", "response_id", "responded_at", ('"score"', '"comment"')),
        ("complaint", "ds_complaints", "complaint_id", "opened_at", ("NULL", "NULL")),
    ):
        conditions, values = period(f'"{date}"', start, end)
        if source == "response":
            conditions.append(f'"score" <= {DETRACTOR_MAX}')
        for column, chosen in (("region", regions), ("site", sites)):
            if chosen:
                condition, chosen_params = one_of(f'"{column}"', chosen)
                conditions.append(condition)
                values += chosen_params
        parts.append(
            f'SELECT \'{source}\' AS source, "{key}" AS source_id, "{date}" AS happened_at, "region", '
            f'"site", "customer_id", CAST({extra[0]} AS INTEGER) AS score, CAST({extra[1]} AS VARCHAR) '
            f"AS comment FROM {table} WHERE {' AND '.join(conditions)}"
        )
        params += values
    return " UNION ALL ".join(parts), params


def queue(
    store: Reader,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    regions: Sequence[str] = (),
    sites: Sequence[str] = (),
    status: Sequence[str] = (),
) -> pd.DataFrame:
    """The cases of the period, most urgent first (COLUMNS); `status` keeps only those statuses.

    `overdue` is decided against `clock.now()`, never the wall clock; `comment_hidden` marks a comment
    withheld by the floor.
    """
    cases, params = cases_sql(start, end, regions, sites)
    sql = (
        "-- follow-ups: the queue\n"
        "SELECT c.source, c.source_id, c.happened_at, c.region, c.site, c.score, c.comment, f.owner, "
        "coalesce(f.status, 'open') AS status, f.outcome, "
        "coalesce(f.due_at, c.happened_at + ? * INTERVAL '1' HOUR) AS due_at, f.closed_at, "
        "f.updated_at, f.updated_by "
        f"FROM ({cases}) c LEFT JOIN {TABLE} f ON f.source = c.source AND f.source_id = c.source_id "
        "ORDER BY due_at, c.source, c.source_id"
    )
    with store.cursor() as cur:
        frame = cur.execute(sql, [hours(), *params]).df()
    for column in ("site", "comment", "owner", "outcome", "updated_by"):  # None, not NaN, where unset
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    frame["overdue"] = (frame["status"] != "closed") & (frame["due_at"] < pd.Timestamp(clock.now()))
    frame = _comment_floor(frame)
    if status:
        frame = frame[frame["status"].isin(list(status))]
    return frame[list(COLUMNS)].reset_index(drop=True)


def _comment_floor(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank the comments of sites with fewer than MIN_EXAMPLES_N commented detractors in the period.

    E.g. a site whose 12 detractors left 3 comments shows none of them; one with 10 comments shows all.
    """
    commented = frame["comment"].notna() & (frame["comment"].astype(str).str.strip() != "")
    site = frame["region"].astype(str) + "\x00" + frame["site"].fillna("").astype(str)
    counts = commented.groupby(site).transform("sum")
    hidden = commented & (counts < MIN_EXAMPLES_N)
    out = frame.copy()
    out["comment"] = out["comment"].astype(object).where(commented & ~hidden, None)
    out["comment_hidden"] = hidden
    return out
