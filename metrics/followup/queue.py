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


def state_sql(
    start: dt.date | None, end: dt.date | None, regions: Sequence[str] = (), sites: Sequence[str] = ()
) -> tuple[str, list[object]]:
    """SELECT of the period's cases with what people set on each (owner, status, outcome, due and closed).

    A case nobody touched is open, due `hours()` after it happened.
    """
    cases, params = cases_sql(start, end, regions, sites)
    sql = (
        "SELECT c.source, c.source_id, c.happened_at, c.region, c.site, c.score, c.comment, f.owner, "
        "coalesce(f.status, 'open') AS status, f.outcome, "
        "coalesce(f.due_at, c.happened_at + ? * INTERVAL '1' HOUR) AS due_at, f.closed_at, "
        "f.updated_at, f.updated_by "
        f"FROM ({cases}) c LEFT JOIN {TABLE} f ON f.source = c.source AND f.source_id = c.source_id"
    )
    return sql, [hours(), *params]


def queue(
    store: Reader, start: dt.date | None = None, end: dt.date | None = None, **where: Sequence[str]
) -> pd.DataFrame:
    """The cases of the period, most urgent first (COLUMNS); `where` is `first_cases`' regions, sites, status.

    `overdue` is decided against `clock.now()`, never the wall clock; `comment_hidden` marks a comment
    withheld by the floor.
    """
    return first_cases(store, start, end, **where)[0]  # type: ignore[arg-type]


# a comment counts when it holds more than white space (Python's, as `str.strip` removes it); only a
# comment that starts with a blank pays for the trim
_BLANKS = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())
_COMMENTED = (
    "CASE WHEN comment IS NULL THEN false WHEN NOT contains(?, left(comment, 1)) THEN true "
    "ELSE trim(comment, ?) <> '' END"
)


def first_cases(
    store: Reader,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    regions: Sequence[str] = (),
    sites: Sequence[str] = (),
    status: Sequence[str] = (),
    limit: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """The `limit` most urgent cases of `queue` (all when None), and how many there are in all.

    Three small answers rather than every case: the page's rows (a top-N), their count, and each
    site's commented detractors (the floor counts every case of the site, of every status). A page
    that shows 500 cases of a year of 10M answers fetches 500 rows, not 1.8M.
    """
    state, params = state_sql(start, end, regions, sites)
    kept, kept_params = one_of("status", status) if status else ("true", [])
    rows = f"FROM ({state}) WHERE {kept}"
    with store.cursor() as cur:
        frame = cur.execute(
            f"-- follow-ups: the queue\nSELECT * {rows} ORDER BY due_at, source, source_id"
            + ("" if limit is None else f" LIMIT {int(limit)}"),
            [*params, *kept_params],
        ).df()
        total = len(frame)
        if limit is not None:
            total = int(cur.execute(f"SELECT count(*) {rows}", [*params, *kept_params]).fetchall()[0][0])
        commented = cur.execute(
            f"SELECT region, site, count(*) FILTER (WHERE {_COMMENTED}) FROM ({state}) GROUP BY ALL",
            [_BLANKS, _BLANKS, *params],
        ).fetchall()
    per_site = {(region, site): int(n) for region, site, n in commented}
    for column in ("site", "owner", "outcome", "updated_by"):  # None, not NaN, where unset
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    said = [isinstance(c, str) and bool(c.strip()) for c in frame["comment"]]
    regions_of = [r if isinstance(r, str) else None for r in frame["region"]]  # a missing one is NaN here
    hidden = [
        s and per_site.get((region, site), 0) < MIN_EXAMPLES_N
        for s, region, site in zip(said, regions_of, frame["site"], strict=True)
    ]
    shown = [c if s and not h else None for c, s, h in zip(frame["comment"], said, hidden, strict=True)]
    frame["comment"] = pd.Series(shown, index=frame.index, dtype=object)  # withheld or blank: None
    frame["comment_hidden"] = pd.Series(hidden, index=frame.index, dtype=bool)
    frame["overdue"] = (frame["status"] != "closed") & (frame["due_at"] < pd.Timestamp(clock.now()))
    return frame[list(COLUMNS)].reset_index(drop=True), total
