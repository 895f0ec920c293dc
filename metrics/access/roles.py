"""The roles, declared once as data: what each may read (datasets, regions, pages) and change.

The dashboard's navigation, the store's row filter (metrics.access.scoped) and every write
(`Caller.require`) read this table; nothing else decides a right.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from metrics.catalogue import N_


class Action(enum.StrEnum):
    """A change to the database; each is recorded in the audit trail with who made it."""

    IMPORT = "import"
    ROLLBACK = "rollback"
    TARGETS = "targets"
    DEMO = "demo"
    ACCESS = "access"  # the access file itself
    FOLLOW_UP = "follow_up"  # a detractor or complaint case: owner, status, outcome
    DIGEST = "digest"  # digests sent (the run's recipients; what each was sent is in `digests`)


ALL_PAGES = frozenset(
    {"trajectory", "regions", "operations", "workload", "alerts", "verbatims", "followups", "data", "targets"}
)
READ_PAGES = ALL_PAGES - {"data", "targets"}
# what a staff representative reads: the teams' workload and the dated events (a reorganisation)
STAFF_DATASETS = frozenset({"workload", "sites", "events", "targets"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Role:
    """One role: a label, the datasets it reads (None: all), whether it reads only its own regions."""

    key: str
    label: str  # catalogue key, `role.executive`
    datasets: frozenset[str] | None = None
    own_regions: bool = False  # rows outside the caller's regions are invisible...
    league_of_all_regions: bool = False  # ...except each region's own figure in the league
    verbatims: bool = True  # customers' comments (free text)
    pages: frozenset[str] = READ_PAGES
    writes: frozenset[Action] = frozenset()


ROLES: Mapping[str, Role] = {
    r.key: r
    for r in (
        Role(key="executive", label=N_("role.executive")),
        Role(
            key="regional_director",
            label=N_("role.regional_director"),
            own_regions=True,
            league_of_all_regions=True,
            writes=frozenset({Action.FOLLOW_UP}),  # the cases of their own regions (metrics.followup)
        ),
        Role(
            key="staff_representative",
            label=N_("role.staff_representative"),
            datasets=STAFF_DATASETS,
            verbatims=False,
            pages=frozenset({"workload"}),
        ),
        Role(
            key="data_steward",
            label=N_("role.data_steward"),
            pages=ALL_PAGES,
            writes=frozenset({Action.IMPORT, Action.ROLLBACK, Action.TARGETS, Action.DEMO, Action.FOLLOW_UP}),
        ),
        Role(key="admin", label=N_("role.admin"), pages=ALL_PAGES, writes=frozenset(Action)),
    )
}
