"""Field interventions and team workload of the demo operator, month by month.

Stories carried here: first-time fix around 80%, clearly lower for installations done by
subcontractors; after the reorganisation of the Nord contact centres, overtime and evaluations
per agent rise there; one shop team always has fewer than five agents, so its figures are hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from metrics.demo.csvfile import (
    CHUNK_ROWS,
    YES_NO,
    Column,
    decimals,
    id_width,
    identifiers,
    integers,
    labels,
    timestamps,
)
from metrics.demo.plan import WORKLOAD_SITES, Plan
from metrics.demo.sampling import REGION_SHARES, SITE_TYPE_OF, categories, days_in, order_by, sites
from metrics.demo.surveys import REGION_LABELS, SITE_LABELS
from metrics.demo.world import CONTACT, DEMO_STORIES, FIELD, FUNCTIONS, OFFSHORE, REGIONS, SITES, team_name

INTERVENTION_COLUMNS = (
    "intervention_id", "completed_at", "region", "first_time_fix", "site", "kind", "visits", "contractor",
)
KINDS = ("installation", "repair", "maintenance", "removal")
KIND_WEIGHTS = (0.45, 0.40, 0.10, 0.05)
# chance of fixing on the first visit, by site type (rows) and kind (columns)
FIRST_TIME_FIX = np.array([
    [0.80, 0.85, 0.90, 0.95],  # in_house
    [0.64, 0.80, 0.86, 0.93],  # subcontracted
    [0.80, 0.85, 0.90, 0.95],  # offshore (no field units, kept for shape)
])
FIELD_WEEKDAYS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.0)
CONTRACTORS = labels([*(s.contractor if s.site_type != "in_house" else "" for s in SITES), ""])

WORKLOAD_COLUMNS = ("date", "region", "site", "team", "agents", "contacts_handled", "handle_minutes",
                    "scheduled_hours", "overtime_hours", "absence_hours", "evaluations")
ABSENT_SHARE = 0.07
MIN_AGENTS = 5  # every team but the small one stays at or above the privacy threshold
OVERTIME_PER_AGENT = 0.15  # hours per agent-day
OVERTIME_AFTER_REORGANISATION = 0.65
EVALUATIONS_PER_AGENT = 0.25
EVALUATIONS_AFTER_REORGANISATION = 0.8


def intervention_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of interventions.csv, month by month, in chunks of at most CHUNK_ROWS."""
    width = id_width(int(plan.interventions_per_month.sum()))
    kinds = labels(KINDS)
    field = np.full(1, FUNCTIONS.index(FIELD))
    for m, month in enumerate(plan.months):
        rng = plan.rng("interventions", m)
        n = int(plan.interventions_per_month[m])
        day = days_in(rng, month, n, FIELD_WEEKDAYS, plan.weekdays, plan.open_days(month, FIELD))
        minute = 8 * 60 + rng.integers(0, 630, n)
        region = categories(rng, n, REGION_SHARES)
        kind = categories(rng, n, KIND_WEIGHTS)
        site = sites(rng, region, np.repeat(field, n))
        fixed = rng.random(n) < FIRST_TIME_FIX[SITE_TYPE_OF[site], kind]
        visits = np.where(fixed, 1, 1 + np.minimum(rng.geometric(0.55, n), 5))
        order = order_by(day, minute)
        day, minute, region, kind, site, fixed, visits = (
            a[order] for a in (day, minute, region, kind, site, fixed, visits)
        )
        first = plan.first_id(plan.interventions_per_month, m)
        for lo in range(0, n, CHUNK_ROWS):
            s = slice(lo, lo + CHUNK_ROWS)
            yield [
                identifiers("I", range(first + lo, first + lo + len(day[s])), width),
                timestamps(plan.day_labels, day[s], minute[s]).tolist(),
                REGION_LABELS[region[s]].tolist(),
                YES_NO[fixed[s].astype(np.int64)].tolist(),
                SITE_LABELS[site[s]].tolist(),
                kinds[kind[s]].tolist(),
                integers(visits[s]),
                CONTRACTORS[site[s]].tolist(),
            ]


@dataclass(frozen=True)
class Teams:
    """The teams of the contact centres and shops, sorted by site code then team number."""

    plan: Plan

    @cached_property
    def _arrays(self) -> dict[str, np.ndarray]:
        rng = self.plan.rng("world")
        per_site = self.plan.teams_per_site
        workload_sites = sorted(WORKLOAD_SITES, key=lambda s: s.code)
        site = np.repeat([SITES.index(s) for s in workload_sites], per_site)
        number = np.tile(np.arange(1, per_site + 1), len(workload_sites))
        contact = np.array([SITES[i].function == CONTACT for i in site])
        size = np.where(contact, rng.integers(10, 26, len(site)), rng.integers(6, 13, len(site)))
        small = (np.array([SITES[i].code for i in site]) == DEMO_STORIES.small_team_site) & (number == 1)
        size[small] = 4
        region_names = [r.name for r in REGIONS]
        region = np.array([region_names.index(SITES[i].region) for i in site])
        reorganised = contact & (np.array([SITES[i].region for i in site]) == DEMO_STORIES.reorganised_region)
        offshore = np.array([SITES[i].site_type == OFFSHORE for i in site])
        names = labels([team_name(k) for k in range(1, per_site + 1)])
        return {"site": site, "number": number, "contact": contact, "size": size, "small": small,
                "region": region, "reorganised": reorganised, "offshore": offshore, "name": names[number - 1]}

    def __getitem__(self, key: str) -> np.ndarray:
        return self._arrays[key]


def workload_month(plan: Plan, teams: Teams, m: int) -> dict[str, np.ndarray]:
    """One row per (working day, team) of month `m`, sorted by date, site and team."""
    rng = plan.rng("workload", m)
    month = plan.months[m]
    contact_days = plan.open_days(month, CONTACT)
    shop_days = plan.open_days(month, "shop")
    n_teams = len(teams["site"])
    days = np.union1d(contact_days, shop_days)
    day = np.repeat(days, n_teams)
    team = np.tile(np.arange(n_teams), len(days))
    is_open = np.where(teams["contact"][team], np.isin(day, contact_days), np.isin(day, shop_days))
    day, team = day[is_open], team[is_open]
    n = len(day)
    contact = teams["contact"][team]
    size = teams["size"][team]
    agents = size - rng.binomial(size, ABSENT_SHARE)
    agents = np.where(teams["small"][team], np.clip(agents, 3, 4), np.maximum(agents, MIN_AGENTS))
    reorganised_on = (DEMO_STORIES.reorganisation_date(plan.as_of) - plan.start).days
    after = teams["reorganised"][team] & (day >= reorganised_on)
    saturday = plan.weekdays[day] == 5
    hours = np.where(contact, 7.0, np.where(saturday, 6.0, 7.5))
    scheduled = agents * hours * rng.uniform(0.92, 1.0, n)
    winter = 1.3 if month.first.month in (12, 1, 2) else 1.0
    absence = scheduled * rng.gamma(2.0, 0.025, n) * winter * np.where(after, 1.25, 1.0)
    overtime_mean = np.where(after, OVERTIME_AFTER_REORGANISATION, OVERTIME_PER_AGENT)
    overtime = agents * rng.gamma(2.0, overtime_mean / 2, n)
    per_agent = np.where(contact, 46.0, np.where(saturday, 24.0, 19.0))
    contacts = rng.poisson(agents * per_agent * rng.uniform(0.85, 1.1, n))
    handle_time = np.where(contact, np.where(teams["offshore"][team], 7.4, 6.4), 14.5)
    handle = contacts * handle_time * rng.normal(1.0, 0.04, n).clip(0.8, 1.2)
    evaluation_rate = np.where(after, EVALUATIONS_AFTER_REORGANISATION, EVALUATIONS_PER_AGENT)
    evaluations = rng.poisson(agents * evaluation_rate)
    return {"day": day, "team": team, "agents": agents, "contacts": contacts, "handle": handle,
            "scheduled": scheduled, "overtime": overtime, "absence": absence, "evaluations": evaluations}


def workload_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of workload.csv, month by month, in chunks of at most CHUNK_ROWS."""
    teams = Teams(plan)
    for m in range(len(plan.months)):
        w = workload_month(plan, teams, m)
        for lo in range(0, len(w["day"]), CHUNK_ROWS):
            part = {k: v[lo:lo + CHUNK_ROWS] for k, v in w.items()}
            team = part["team"]
            yield [
                plan.day_labels[part["day"]].tolist(),
                REGION_LABELS[teams["region"][team]].tolist(),
                SITE_LABELS[teams["site"][team]].tolist(),
                teams["name"][team].tolist(),
                integers(part["agents"]),
                integers(part["contacts"]),
                decimals(part["handle"]),
                decimals(part["scheduled"]),
                decimals(part["overtime"]),
                decimals(part["absence"]),
                integers(part["evaluations"]),
            ]

