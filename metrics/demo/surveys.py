"""Complaints and survey responses of the demo operator, month by month.

Stories carried here: the company NPS climbs from 28 to 34; one region sits well behind and one
well ahead; customers whose complaint took several contacts answer the next survey much lower.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from metrics.demo import verbatims
from metrics.demo.csvfile import (
    CHUNK_ROWS,
    YES_NO,
    Column,
    id_width,
    identifiers,
    integers,
    labels,
    optional_integers,
    timestamps,
)
from metrics.demo.plan import Plan
from metrics.demo.sampling import (
    REGION_SHARES,
    SITE_TYPE_OF,
    categories,
    conditional,
    days_in,
    minutes,
    order_by,
    sites,
    stratified,
)
from metrics.demo.world import DEMO_STORIES, FUNCTIONS, REGIONS, SITES

REGION_LABELS = labels([r.name for r in REGIONS])
SITE_LABELS = labels([*(s.code for s in SITES), ""])  # index -1: no site

COMPLAINT_COLUMNS = ("complaint_id", "opened_at", "region", "closed_at", "site", "channel", "category",
                     "contacts", "escalated", "customer_id")
COMPLAINT_CHANNELS = ("phone", "shop", "web", "app", "email", "chat")
COMPLAINT_CHANNEL_WEIGHTS = (0.50, 0.12, 0.12, 0.10, 0.10, 0.06)
COMPLAINT_CATEGORIES = ("Facturation", "Dépannage", "Installation fibre", "Couverture réseau",
                        "Délai de traitement", "Accueil en boutique", "Mobile money", "Résiliation")
COMPLAINT_CATEGORY_WEIGHTS = (0.24, 0.18, 0.14, 0.10, 0.12, 0.06, 0.08, 0.08)
CONTACTS_WEIGHTS = (0.55, 0.20, 0.11, 0.07, 0.04, 0.03)  # 1..6 contacts
MEDIAN_RESOLUTION_DAYS = 4.2  # before the extra days repeat contacts and escalations add
NEVER_CLOSED = 0.004
# hour-of-day profiles, 0h..23h
COMPLAINT_HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 11, 12, 13, 13, 12, 11, 10, 9, 7, 5, 3, 2)
SHOP_HOURS = (0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 12, 9, 8, 10, 12, 13, 12, 8, 0, 0, 0, 0, 0)
SURVEY_HOURS = (1, 0, 0, 0, 0, 1, 2, 5, 8, 10, 11, 10, 9, 9, 9, 9, 9, 10, 12, 13, 12, 10, 6, 3)
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.7, 0.35)

RESPONSE_COLUMNS = ("response_id", "responded_at", "region", "score", "site", "channel", "segment", "journey",
                    "effort", "comment", "customer_id")
CHANNELS = ("phone", "shop", "web", "app", "field_visit")
# the kind of site that served each channel; web and app answers have no site
CHANNEL_FUNCTION = np.array(
    [FUNCTIONS.index("contact"), FUNCTIONS.index("shop"), -1, -1, FUNCTIONS.index("field")]
)
SEGMENTS = ("consumer", "business", "mobile_money")
SEGMENT_WEIGHTS = (0.74, 0.12, 0.14)
JOURNEYS = ("installation", "billing", "repair", "move", "purchase")
JOURNEY_WEIGHTS = (0.20, 0.25, 0.22, 0.08, 0.25)
# channel distribution for each journey, columns in CHANNELS order
JOURNEY_CHANNELS = np.array([
    [0.20, 0.10, 0.05, 0.05, 0.60],
    [0.45, 0.10, 0.20, 0.25, 0.00],
    [0.40, 0.00, 0.05, 0.10, 0.45],
    [0.50, 0.15, 0.25, 0.10, 0.00],
    [0.15, 0.45, 0.25, 0.15, 0.00],
])
# NPS effects in points; every month they are re-centred so the company follows the trend
REGION_EFFECT = np.array([r.nps_offset for r in REGIONS])
CHANNEL_EFFECT = np.array([-2.0, 3.0, 2.0, 6.0, -3.0])
SEGMENT_EFFECT = np.array([0.0, -3.0, 4.0])
JOURNEY_EFFECT = np.array([-4.0, -6.0, -3.0, -5.0, 8.0])
SITE_TYPE_EFFECT = np.array([1.0, -4.0, -6.0])  # in_house, subcontracted, offshore
REPEAT_COMPLAINT_EFFECT = -35.0  # the customer's complaint needed more than one contact
SINGLE_COMPLAINT_EFFECT = -8.0
LINKED_SHARE = 0.12  # answers coming from customers who complained the month before
PASSIVES = 0.30
DETRACTOR_SCORES = (0.07, 0.03, 0.05, 0.08, 0.12, 0.27, 0.38)  # 0..6
COMMENT_SHARE = np.array([0.50, 0.33, 0.38])  # detractors, passives, promoters
ENGLISH_SHARE = 0.15
MISSING_EFFORT = 0.06
GENERAL_THEMES = np.array(
    [verbatims.THEMES.index(t) for t in ("waiting", "price", "network", "advisor", "handoff")]
)
JOURNEY_THEME = np.array([verbatims.THEMES.index(t) for t in
                          ("fibre_installation", "billing", "network", "handoff", "shop")])


def complaints_month(plan: Plan, m: int) -> dict[str, np.ndarray]:
    """The complaints opened in month `m`, as code arrays sorted by opening time."""
    rng = plan.rng("complaints", m)
    month, n = plan.months[m], int(plan.complaints_per_month[m])
    day = days_in(rng, month, n, WEEKDAY_WEIGHTS, plan.weekdays)
    minute = minutes(rng, n, COMPLAINT_HOURS)
    region = categories(rng, n, REGION_SHARES)
    customer = plan.customers(rng, region)
    contacts = 1 + categories(rng, n, CONTACTS_WEIGHTS)
    escalated = rng.random(n) < 0.02 + 0.01 * (contacts - 1)
    channel = categories(rng, n, COMPLAINT_CHANNEL_WEIGHTS)
    in_shop = channel == COMPLAINT_CHANNELS.index("shop")
    minute = np.where(in_shop, minutes(rng, n, SHOP_HOURS), minute)  # shops open 9h-19h
    category = categories(rng, n, COMPLAINT_CATEGORY_WEIGHTS)
    function = np.where(in_shop, FUNCTIONS.index("shop"), FUNCTIONS.index("contact"))
    site = sites(rng, region, function)
    days = rng.lognormal(np.log(MEDIAN_RESOLUTION_DAYS), 0.75, n)
    days *= (1 + 0.3 * (contacts - 1)) * np.where(escalated, 1.8, 1.0)
    opened = day * 1440 + minute
    closed = opened + np.rint(days * 1440).astype(np.int64)
    still_open = (rng.random(n) < NEVER_CLOSED) | (closed >= plan.n_days * 1440)
    closed = np.where(still_open, -1, closed)
    order = order_by(opened)
    columns = {"opened": opened, "closed": closed, "region": region, "customer": customer,
               "contacts": contacts, "escalated": escalated, "channel": channel, "category": category,
               "site": site}
    return {key: values[order] for key, values in columns.items()}


def complaint_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of complaints.csv, month by month, in chunks of at most CHUNK_ROWS."""
    width = id_width(int(plan.complaints_per_month.sum()))
    channels, categories_ = labels(COMPLAINT_CHANNELS), labels(COMPLAINT_CATEGORIES)
    for m in range(len(plan.months)):
        c = complaints_month(plan, m)
        first = plan.first_id(plan.complaints_per_month, m)
        for lo in range(0, len(c["opened"]), CHUNK_ROWS):
            part = {k: v[lo:lo + CHUNK_ROWS] for k, v in c.items()}
            closed = np.maximum(part["closed"], 0)
            closed_text = timestamps(plan.day_labels, closed // 1440, closed % 1440)
            closed_text[part["closed"] < 0] = ""
            yield [
                identifiers("C", range(first + lo, first + lo + len(part["opened"])), width),
                timestamps(plan.day_labels, part["opened"] // 1440, part["opened"] % 1440).tolist(),
                REGION_LABELS[part["region"]].tolist(),
                closed_text.tolist(),
                SITE_LABELS[part["site"]].tolist(),
                channels[part["channel"]].tolist(),
                categories_[part["category"]].tolist(),
                integers(part["contacts"]),
                YES_NO[part["escalated"].astype(np.int64)].tolist(),
                identifiers("CL", part["customer"], plan.customer_width),
            ]


def _trend(plan: Plan, day: np.ndarray) -> np.ndarray:
    """Company NPS on each day: flat for the first six weeks, a steady climb, flat for the last six."""
    lo, hi = 45, max(plan.n_days - 45, 46)
    progress = np.clip((day - lo) / (hi - lo), 0.0, 1.0)
    return DEMO_STORIES.nps_start + (DEMO_STORIES.nps_end - DEMO_STORIES.nps_start) * progress


def _scores(rng: np.random.Generator, nps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scores 0-10 whose expected NPS is `nps` (in points); also the tone code 0, 1, 2 (D, P, P)."""
    x = np.clip(nps, -68.0, 68.0) / 100
    detractor_p = (1 - PASSIVES - x) / 2
    u = stratified(rng, len(x))
    tone = np.where(u < detractor_p, 0, np.where(u < detractor_p + PASSIVES, 1, 2))
    v = rng.random(len(x))
    cum = np.cumsum(DETRACTOR_SCORES) / sum(DETRACTOR_SCORES)
    detractor_score = np.minimum(np.searchsorted(cum, v, side="right"), 6)
    score = np.where(tone == 2, 9 + (v < 0.52), np.where(tone == 1, 7 + (v < 0.55), detractor_score))
    return score, tone


def responses_month(plan: Plan, m: int) -> dict[str, np.ndarray]:
    """The survey answers of month `m`, as code arrays (comments as text) sorted by time."""
    rng = plan.rng("responses", m)
    month, n = plan.months[m], int(plan.responses_per_month[m])
    day = days_in(rng, month, n, WEEKDAY_WEIGHTS, plan.weekdays)
    minute = minutes(rng, n, SURVEY_HOURS)
    region = categories(rng, n, REGION_SHARES)
    customer = plan.customers(rng, region)
    contacts = np.zeros(n, dtype=np.int64)
    if m > 0:
        # some answers come from customers who complained last month: same customer, same region
        previous = complaints_month(plan, m - 1)
        linked = min(round(LINKED_SHARE * n), len(previous["customer"]))
        pick = rng.choice(len(previous["customer"]), size=linked, replace=False)
        region[:linked] = previous["region"][pick]
        customer[:linked] = previous["customer"][pick]
        contacts[:linked] = previous["contacts"][pick]
    journey = categories(rng, n, JOURNEY_WEIGHTS)
    channel = conditional(rng, journey, JOURNEY_CHANNELS)
    segment = categories(rng, n, SEGMENT_WEIGHTS)
    site = sites(rng, region, CHANNEL_FUNCTION[channel])
    complaint_effect = np.where(
        contacts > 1, REPEAT_COMPLAINT_EFFECT, np.where(contacts == 1, SINGLE_COMPLAINT_EFFECT, 0.0)
    )
    effect = (REGION_EFFECT[region] + CHANNEL_EFFECT[channel] + SEGMENT_EFFECT[segment]
              + JOURNEY_EFFECT[journey] + SITE_TYPE_EFFECT[SITE_TYPE_OF[site]] + complaint_effect)
    score, tone = _scores(rng, _trend(plan, day) + effect - (effect.mean() if n else 0.0))
    # effort: 1 (easy) .. 7 (hard), higher when the score is low and after a repeated complaint
    effort_mean = 1.4 + 0.42 * (10 - score) + np.where(contacts > 1, 0.6, 0.0)
    effort = np.clip(np.rint(effort_mean + rng.normal(0, 0.8, n)), 1, 7).astype(np.int64)
    effort[rng.random(n) < MISSING_EFFORT] = -1
    comment = _comments(rng, tone, journey, channel, segment, contacts)
    order = order_by(day, minute)
    columns = {"day": day, "minute": minute, "region": region, "score": score, "site": site,
               "channel": channel, "segment": segment, "journey": journey, "effort": effort,
               "comment": comment, "customer": customer}
    return {key: values[order] for key, values in columns.items()}


def _comments(rng: np.random.Generator, tone: np.ndarray, journey: np.ndarray, channel: np.ndarray,
              segment: np.ndarray, contacts: np.ndarray) -> np.ndarray:
    """About 40% of answers carry a comment on a theme that fits the answer, in the answer's tone."""
    n = len(tone)
    has = rng.random(n) < COMMENT_SHARE[tone]
    english = (rng.random(n) < ENGLISH_SHARE).astype(np.int64)
    theme = GENERAL_THEMES[rng.integers(0, len(GENERAL_THEMES), n)]
    r = rng.random(n)
    theme = np.where(r < 0.45, JOURNEY_THEME[journey], theme)
    shop, mobile_money = verbatims.THEMES.index("shop"), verbatims.THEMES.index("mobile_money")
    theme = np.where((channel == CHANNELS.index("shop")) & (r > 0.7), shop, theme)
    theme = np.where((segment == SEGMENTS.index("mobile_money")) & (r > 0.4), mobile_money, theme)
    theme = np.where((contacts > 1) & (r < 0.4), verbatims.THEMES.index("handoff"), theme)
    text = verbatims.pick(english, tone, theme, rng.random(n))
    return np.where(has, text, "")


def response_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of responses.csv, month by month, in chunks of at most CHUNK_ROWS."""
    width = id_width(plan.responses)
    channels, segments, journeys = labels(CHANNELS), labels(SEGMENTS), labels(JOURNEYS)
    for m in range(len(plan.months)):
        r = responses_month(plan, m)
        first = plan.first_id(plan.responses_per_month, m)
        for lo in range(0, len(r["day"]), CHUNK_ROWS):
            part = {k: v[lo:lo + CHUNK_ROWS] for k, v in r.items()}
            yield [
                identifiers("R", range(first + lo, first + lo + len(part["day"])), width),
                timestamps(plan.day_labels, part["day"], part["minute"]).tolist(),
                REGION_LABELS[part["region"]].tolist(),
                integers(part["score"]),
                SITE_LABELS[part["site"]].tolist(),
                channels[part["channel"]].tolist(),
                segments[part["segment"]].tolist(),
                journeys[part["journey"]].tolist(),
                optional_integers(part["effort"]),
                part["comment"].tolist(),
                identifiers("CL", part["customer"], plan.customer_width),
            ]
