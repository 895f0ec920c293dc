"""Metric declarations, once each: the query builder, the CLI, the pages and the docs all read them.

A metric is a set of row-level measures summed over a group, and a kind that says how the sums
become a value and an interval. Because every measure is a sum, month figures add up to quarters,
YTD is a cumulative sum, and a pre-aggregated table can answer without touching the declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from metrics import settings
from metrics.contracts.datasets import (
    COMPLAINTS,
    CUSTOMERS,
    INTERVENTIONS,
    RESPONSES,
    WORKLOAD,
)
from metrics.contracts.naming import closest
from metrics.contracts.records import bilingual as _l
from metrics.errors import UnknownMetric
from metrics.semantic.joins import Exposure, Headcount, joins_of
from metrics.semantic.records import Metric, StatKind, Unit

__all__ = ["METRICS", "Exposure", "Headcount", "Metric", "StatKind", "Unit", "joins_of", "metric"]


# the values a target may take, per unit (NPS in -100..100, a rate in 0..100, volumes >= 0)
UNIT_RANGE: Mapping[Unit, tuple[float | None, float | None]] = {
    Unit.POINTS: (-100.0, 100.0),
    Unit.PERCENT: (0.0, 100.0),
    Unit.SCORE: (1.0, 7.0),
}


PRIVACY_MIN_AGENTS = int(settings.number_default("CX_PRIVACY_MIN_AGENTS"))
SLA_DAYS = settings.number_default("CX_SLA_DAYS")


@dataclass(frozen=True, kw_only=True, slots=True)
class Settings:
    """Knobs an operator may change without touching code (environment variables)."""

    privacy_min_agents: int = PRIVACY_MIN_AGENTS
    sla_days: float = SLA_DAYS

    @classmethod
    def from_env(cls) -> Settings:
        """`CX_PRIVACY_MIN_AGENTS` and `CX_SLA_DAYS`, with the defaults above."""
        return cls(
            privacy_min_agents=int(settings.number("CX_PRIVACY_MIN_AGENTS")),
            sla_days=settings.number("CX_SLA_DAYS"),
        )



def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


SCORED = "score IS NOT NULL"
RESOLUTION_DAYS = "date_diff('minute', opened_at, closed_at) / 1440.0"


def _score_share(key: str, fr: str, en: str, condition: str, better: bool) -> Metric:
    return Metric(
        key=key,
        label=_l(fr, en),
        dataset=RESPONSES.key,
        kind=StatKind.PROPORTION,
        unit=Unit.PERCENT,
        description=_l(f"Part des répondants {fr.lower()}", f"Share of respondents who are {en.lower()}"),
        measures={"successes": _flag(condition), "n": _flag(SCORED)},
        higher_is_better=better,
    )


def _workload(
    key: str,
    fr: str,
    en: str,
    num: str,
    den: str,
    unit: Unit,
    scale: float = 1.0,
    better: bool = False,
    decimals: int = 1,
) -> Metric:
    return Metric(
        key=key,
        label=_l(fr, en),
        dataset=WORKLOAD.key,
        kind=StatKind.RATIO,
        unit=unit,
        scale=scale,
        description=_l(f"{fr} (somme des équipes-jours)", f"{en} (summed over team-days)"),
        # a team-day counts in the numerator only when its denominator is known: contacts of a day
        # without an agent count never inflate contacts per agent
        measures={
            "num": f"coalesce(CASE WHEN ({den}) IS NOT NULL THEN {num} END, 0)",
            "den": den,
            "n": "agents",
        },
        higher_is_better=better,
        headcount=Headcount(),
        decimals=decimals,
    )


ALL_METRICS: tuple[Metric, ...] = (
    Metric(
        key="nps",
        shown_in=frozenset({"league", "alerts"}),
        label=_l("NPS", "NPS"),
        dataset=RESPONSES.key,
        kind=StatKind.NPS,
        unit=Unit.POINTS,
        description=_l(
            "% de promoteurs (9-10) moins % de détracteurs (0-6)",
            "% promoters (9-10) minus % detractors (0-6)",
        ),
        # each answer scores +100 (9-10), 0 (7-8) or -100 (0-6)
        measures={"promoters": _flag("score >= 9"), "detractors": _flag("score <= 6"), "n": _flag(SCORED)},
    ),
    _score_share("promoters_pct", "Promoteurs", "Promoters", "score >= 9", True),
    _score_share("passives_pct", "Passifs", "Passives", "score BETWEEN 7 AND 8", True),
    _score_share("detractors_pct", "Détracteurs", "Detractors", "score <= 6", False),
    Metric(
        key="responses",
        label=_l("Réponses", "Responses"),
        dataset=RESPONSES.key,
        kind=StatKind.COUNT,
        unit=Unit.COUNT,
        decimals=0,
        description=_l("Nombre de réponses notées", "Number of scored answers"),
        measures={"n": _flag(SCORED)},
    ),
    Metric(
        key="effort_avg",
        label=_l("Effort client moyen", "Average customer effort"),
        dataset=RESPONSES.key,
        kind=StatKind.MEAN,
        unit=Unit.SCORE,
        decimals=2,
        higher_is_better=False,
        description=_l(
            "Effort moyen déclaré, de 1 (facile) à 7 (difficile)",
            "Mean reported effort, 1 (easy) to 7 (hard)",
        ),
        measures={
            "total": "coalesce(effort, 0)",
            "total_sq": "coalesce(effort * effort, 0)",
            "n": _flag("effort IS NOT NULL"),
        },
    ),
    Metric(
        key="first_time_fix_rate",
        shown_in=frozenset({"league", "alerts", "operations"}),
        label=_l("Résolution dès la 1re visite", "First-time fix rate"),
        dataset=INTERVENTIONS.key,
        kind=StatKind.PROPORTION,
        unit=Unit.PERCENT,
        description=_l(
            "Part des interventions résolues dès la première visite",
            "Share of interventions fixed on the first visit",
        ),
        measures={"successes": _flag("first_time_fix"), "n": _flag("first_time_fix IS NOT NULL")},
    ),
    Metric(
        key="complaints",
        shown_in=frozenset({"operations"}),
        label=_l("Réclamations", "Complaints"),
        dataset=COMPLAINTS.key,
        kind=StatKind.COUNT,
        unit=Unit.COUNT,
        decimals=0,
        higher_is_better=False,
        description=_l("Réclamations ouvertes sur la période", "Complaints opened in the period"),
        measures={"n": "1"},
    ),
    Metric(
        key="complaints_per_1000_customers",
        shown_in=frozenset({"league", "operations"}),
        label=_l("Réclamations pour 1 000 clients", "Complaints per 1,000 customers"),
        dataset=COMPLAINTS.key,
        kind=StatKind.RATE,
        unit=Unit.PER_1000,
        decimals=2,
        higher_is_better=False,
        description=_l(
            "Réclamations du mois pour 1 000 clients du parc de la région (moyenne mensuelle)",
            "Complaints in a month per 1,000 customers of the region's base (monthly average)",
        ),
        measures={"n": "1"},
        scale=1000.0,
        exposure=Exposure(dataset=CUSTOMERS.key, month="month", count="customers", dimension="region"),
        dimensions=("region",),
    ),
    Metric(
        key="resolution_days_median",
        shown_in=frozenset({"league", "operations"}),
        label=_l("Délai de résolution médian", "Median resolution time"),
        dataset=COMPLAINTS.key,
        kind=StatKind.MEDIAN,
        unit=Unit.DAYS,
        higher_is_better=False,
        description=_l(
            "Médiane du délai entre ouverture et clôture, réclamations clôturées sur la période",
            "Median days from opening to closing, complaints closed in the period",
        ),
        measures={"x": RESOLUTION_DAYS},
        date_column="closed_at",
        where="closed_at IS NOT NULL",
    ),
    Metric(
        key="resolved_within_sla_pct",
        shown_in=frozenset({"alerts", "operations"}),
        label=_l("Résolues dans le délai", "Resolved within SLA"),
        dataset=COMPLAINTS.key,
        kind=StatKind.PROPORTION,
        unit=Unit.PERCENT,
        description=_l(
            "Part des réclamations clôturées dans le délai cible (CX_SLA_DAYS, 10 jours par défaut)",
            "Share of closed complaints resolved within the SLA (CX_SLA_DAYS, default 10 days)",
        ),
        measures={"successes": _flag(f"{RESOLUTION_DAYS} <= :sla_days"), "n": "1"},
        date_column="closed_at",
        where="closed_at IS NOT NULL",
    ),
    Metric(
        key="open_backlog",
        shown_in=frozenset({"operations"}),
        label=_l("Stock de réclamations ouvertes", "Open complaints backlog"),
        dataset=COMPLAINTS.key,
        kind=StatKind.BACKLOG,
        unit=Unit.COUNT,
        decimals=0,
        higher_is_better=False,
        description=_l(
            "Réclamations encore ouvertes à la fin de chaque période",
            "Complaints still open at the end of each period",
        ),
        closed_column="closed_at",
    ),
    Metric(
        key="escalation_rate",
        shown_in=frozenset({"operations"}),
        label=_l("Taux d'escalade", "Escalation rate"),
        dataset=COMPLAINTS.key,
        kind=StatKind.PROPORTION,
        unit=Unit.PERCENT,
        higher_is_better=False,
        description=_l(
            "Part des réclamations portées au régulateur ou au médiateur",
            "Share of complaints escalated to the regulator or the mediator",
        ),
        measures={"successes": _flag("escalated"), "n": _flag("escalated IS NOT NULL")},
    ),
    Metric(
        key="repeat_contact_rate",
        shown_in=frozenset({"alerts", "operations"}),
        label=_l("Taux de recontact", "Repeat contact rate"),
        dataset=COMPLAINTS.key,
        kind=StatKind.PROPORTION,
        unit=Unit.PERCENT,
        higher_is_better=False,
        description=_l(
            "Part des réclamations ayant demandé plus d'un contact (relais entre services)",
            "Share of complaints that took more than one contact (hand-offs between services)",
        ),
        measures={"successes": _flag("contacts > 1"), "n": _flag("contacts IS NOT NULL")},
    ),
    _workload(
        "contacts_per_agent_day",
        "Contacts par conseiller et par jour",
        "Contacts per agent-day",
        "contacts_handled",
        "agents",
        Unit.CONTACTS,
        better=False,
    ),
    _workload(
        "avg_handle_minutes",
        "Durée moyenne de traitement",
        "Average handle time",
        "handle_minutes",
        "CASE WHEN handle_minutes IS NOT NULL THEN contacts_handled ELSE 0 END",
        Unit.MINUTES,
        better=False,
    ),
    _workload(
        "overtime_hours_per_agent",
        "Heures supplémentaires par conseiller-jour",
        "Overtime hours per agent-day",
        "overtime_hours",
        "agents",
        Unit.HOURS,
        decimals=2,
    ),
    _workload(
        "evaluations_per_agent",
        "Évaluations par conseiller-jour",
        "Evaluations per agent-day",
        "evaluations",
        "agents",
        Unit.COUNT,
        decimals=2,
    ),
    _workload(
        "monitored_contacts_pct",
        "Part des contacts évalués (écoutes, speech analytics)",
        "Share of contacts monitored (listening, speech analytics)",
        "evaluations",
        "CASE WHEN evaluations IS NOT NULL THEN contacts_handled ELSE 0 END",
        Unit.PERCENT,
        scale=100.0,
    ),
    _workload(
        "absence_rate",
        "Taux d'absence",
        "Absence rate",
        "absence_hours",
        "CASE WHEN absence_hours IS NOT NULL THEN scheduled_hours ELSE 0 END",
        Unit.PERCENT,
        scale=100.0,
    ),
    _workload(
        "occupancy",
        "Taux d'occupation",
        "Occupancy",
        "handle_minutes / 60.0",
        "CASE WHEN handle_minutes IS NOT NULL THEN scheduled_hours - coalesce(absence_hours, 0) ELSE 0 END",
        Unit.PERCENT,
        scale=100.0,
    ),
)

METRICS: Mapping[str, Metric] = {m.key: m for m in ALL_METRICS}


def shown_in(place: str) -> tuple[str, ...]:
    """The keys of the metrics declared to be shown in `place` (PLACES), in declaration order."""
    return tuple(k for k, m in METRICS.items() if place in m.shown_in)


def metric(key: str) -> Metric:
    """The declared metric `key`, or an error that suggests the closest."""
    try:
        return METRICS[key]
    except KeyError:
        raise UnknownMetric(key, [m for m in (closest(key, METRICS),) if m]) from None


def target_range(m: Metric) -> tuple[float | None, float | None]:
    """The values a target for `m` may take."""
    return UNIT_RANGE.get(m.unit, (0.0, None))


def _checked() -> None:
    """Refuse to load an inconsistent registry: a wrong declaration fails at import, not in a page."""
    from metrics.semantic.checks import check_metrics

    problems = check_metrics(ALL_METRICS)
    if problems:
        raise RuntimeError(  # not user-facing: a declaration check, raised when the registry loads
            "metric declarations are inconsistent: " + "; ".join(problems)
        )


_checked()
