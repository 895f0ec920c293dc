"""Row-level SQL of the driver analysis: one row per scored answer, with what the customer lived before it.

The metric SQL is assembled in `metrics.semantic` only; this is the one row-level query the key-driver
analysis (metrics.insights.drivers) reads. Identifiers come from the declarations, values are `?`.

Links, stated because each is a choice:
- complaints are linked by `customer_id` (hashed alike in both datasets): a complaint counts for an
  answer when the same customer opened it in the LOOKBACK_DAYS before answering (inclusive of the
  answer's own minute); days waited are counted up to the answer, so a complaint still open then
  counts its days so far (what the customer had lived, whatever happened later);
- interventions carry no customer id, so a failed first visit is linked by site and month: the
  first-time fix rate of the site that served the answer, in the answer's month (field answers only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from metrics.contracts.datasets import DATASETS
from metrics.fragments import one_of, period
from metrics.semantic.definitions import metric

LOOKBACK_DAYS = 90
SLOW_DAYS = 7  # a complaint the customer waited more than a week for (closing, or answering if earlier)
ROW_COLUMNS = (
    "score", "promoter", "detractor", "effort", "channel", "journey", "segment", "region", "complained",
    "several", "slow", "escalated", "ftf_pct", "ftf_n",
)  # fmt: skip


def driver_rows_sql(
    start: dt.date | None, end: dt.date | None, regions: Sequence[str] = ()
) -> tuple[str, list[object]]:
    """The SELECT giving ROW_COLUMNS for every scored answer of the period (and regions), with its params."""
    nps, ftf, contacts = metric("nps"), metric("first_time_fix_rate"), metric("repeat_contact_rate")
    answers, visits = DATASETS[nps.dataset], DATASETS[ftf.dataset]
    complaints = DATASETS[contacts.dataset]
    conditions, params = period(f'r."{nps.date}"', start, end)
    conditions.append(nps.measures["n"] + " = 1")
    if regions:
        condition, region_params = one_of('r."region"', regions)
        conditions.append(condition)
        params += region_params
    opened, closed = f'c."{complaints.date_column}"', 'c."closed_at"'
    waited = f"date_diff('minute', {opened}, least(coalesce({closed}, a.at), a.at)) / 1440.0"
    sql = (
        "-- drivers: one row per scored answer, complaints linked by customer, visits by site and month\n"
        f'WITH a AS (SELECT r."response_id" AS id, r."{nps.date}" AS at, r."score" AS score, '
        f"{nps.measures['promoters']} AS promoter, {nps.measures['detractors']} AS detractor, "
        f'r."effort" AS effort, r."channel" AS channel, r."journey" AS journey, r."segment" AS segment, '
        f'r."region" AS region, r."site" AS site, r."customer_id" AS customer '
        f"FROM {answers.table} r WHERE {' AND '.join(conditions)}), "
        f"lived AS (SELECT a.id, max(CASE WHEN {contacts.measures['successes']} = 1 THEN 1 ELSE 0 END) "
        f"AS several, max(CASE WHEN {waited} > ? THEN 1 ELSE 0 END) AS slow, "
        f'max(CASE WHEN c."escalated" THEN 1 ELSE 0 END) AS escalated '
        f'FROM a JOIN {complaints.table} c ON c."customer_id" = a.customer AND {opened} <= a.at '
        f"AND {opened} > a.at - INTERVAL {LOOKBACK_DAYS} DAY GROUP BY a.id), "
        f'v AS (SELECT i."site" AS site, date_trunc(\'month\', i."{ftf.date}") AS month, '
        f"100.0 * sum({ftf.measures['successes']}) / sum({ftf.measures['n']}) AS ftf_pct, "
        f"sum({ftf.measures['n']}) AS ftf_n FROM {visits.table} i "
        f'WHERE i."site" IS NOT NULL AND {ftf.measures["n"]} = 1 GROUP BY 1, 2) '
        "SELECT a.score, a.promoter, a.detractor, a.effort, a.channel, a.journey, a.segment, a.region, "
        "CASE WHEN l.id IS NULL THEN 0 ELSE 1 END AS complained, coalesce(l.several, 0) AS several, "
        "coalesce(l.slow, 0) AS slow, coalesce(l.escalated, 0) AS escalated, v.ftf_pct, v.ftf_n "
        "FROM a LEFT JOIN lived l ON l.id = a.id "
        "LEFT JOIN v ON v.site = a.site AND v.month = date_trunc('month', a.at) ORDER BY a.id"
    )
    return sql, [*params, SLOW_DAYS]


VISIT_COLUMNS = ("ftf", "kind", "contractor", "site_type", "region")


def visit_rows_sql(
    start: dt.date | None, end: dt.date | None, regions: Sequence[str] = ()
) -> tuple[str, list[object]]:
    """One row per field intervention with an outcome (VISIT_COLUMNS): what goes with fixing first time.

    The drivers are the intervention's own attributes (kind, contractor) and where it happened (the
    site's type, the region); `ftf` is 1 when the first visit fixed it.
    """
    ftf = metric("first_time_fix_rate")
    visits, sites = DATASETS[ftf.dataset], DATASETS["sites"]
    conditions, params = period(f'i."{ftf.date}"', start, end)
    conditions.append(ftf.measures["n"] + " = 1")
    if regions:
        condition, region_params = one_of('i."region"', regions)
        conditions.append(condition)
        params += region_params
    sql = (
        "-- drivers of first-time fix: one row per intervention with an outcome\n"
        f'SELECT {ftf.measures["successes"]} AS ftf, i."kind" AS kind, i."contractor" AS contractor, '
        f's."site_type" AS site_type, i."region" AS region FROM {visits.table} i '
        f'LEFT JOIN {sites.table} s ON s."site" = i."site" WHERE {" AND ".join(conditions)} '
        'ORDER BY i."intervention_id"'
    )
    return sql, params
