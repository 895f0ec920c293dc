"""The caller of a query or a change: who, with which roles and regions, and the rights these give.

A caller with several roles gets the union of their rights: an executive who is also a regional
director reads every region. The CLI acts as the local admin, named by the operating-system user.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from metrics.access.roles import ROLES, Action, Role
from metrics.catalogue import N_, text
from metrics.contracts.datasets import DATASETS
from metrics.errors import CxError


class AccessDenied(CxError):
    """The caller's role does not allow this; nothing was read or changed."""

    def __init__(self, who: str, what: str) -> None:
        """`what` is the action's catalogue key (`access.action.import`), said in each reader's language."""
        self.who, self.what = who, what
        super().__init__(N_("access.denied"), who=who)

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The sentence in `lang`, with the action said in `lang` too."""
        return text(str(self.key), lang, surface=surface, what=text(self.what, lang), **self.fields)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks (an OIDC e-mail or `sub`, or an OS user), their roles and, for regional roles, regions."""

    who: str
    roles: tuple[str, ...]
    regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """An unknown role is a typo in the access file, refused by name rather than granting nothing."""
        unknown = [r for r in self.roles if r not in ROLES]
        if unknown:
            raise CxError(
                N_("access.unknown_role"), role=repr(unknown[0]), who=self.who, roles=", ".join(ROLES)
            )

    @property
    def _roles(self) -> list[Role]:
        return [ROLES[r] for r in self.roles]

    @property
    def all_regions(self) -> bool:
        """True unless every role of the caller is limited to its own regions."""
        return any(not r.own_regions for r in self._roles)

    @property
    def region_filter(self) -> tuple[str, ...] | None:
        """The regions whose rows the caller reads; None for every region."""
        return None if self.all_regions else self.regions

    @property
    def league_of_all_regions(self) -> bool:
        """Whether each region's own figure in the league is visible beyond the caller's regions."""
        return self.all_regions or any(r.league_of_all_regions for r in self._roles)

    @property
    def datasets(self) -> frozenset[str]:
        """The datasets the caller reads."""
        out: set[str] = set()
        for role in self._roles:
            out |= set(DATASETS) if role.datasets is None else role.datasets
        return frozenset(out)

    @property
    def verbatims(self) -> bool:
        """Whether customers' comments are readable."""
        return any(r.verbatims for r in self._roles) and "responses" in self.datasets

    @property
    def pages(self) -> frozenset[str]:
        """The dashboard pages the caller opens."""
        return frozenset().union(*(r.pages for r in self._roles)) if self._roles else frozenset()

    def can(self, action: Action) -> bool:
        """Whether one of the caller's roles allows `action`."""
        return any(action in r.writes for r in self._roles)

    def require(self, action: Action) -> None:
        """Refuse `action` unless allowed: every write calls this before touching the database."""
        if not self.can(action):
            raise AccessDenied(self.who, _WHAT[action])

    @property
    def key(self) -> tuple[object, ...]:
        """What distinguishes this caller's answers, for caches: two callers with one key see the same."""
        return (self.region_filter, self.league_of_all_regions, tuple(sorted(self.datasets)), self.verbatims)

    @classmethod
    def local(cls) -> Caller:
        """The command line and the unsigned local dashboard: the operating-system user, as admin."""
        return cls(who=f"{_os_user()} (local)", roles=("admin",))


_WHAT = {  # completes "eve may not ..."
    Action.IMPORT: N_("access.action.import"),
    Action.ROLLBACK: N_("access.action.rollback"),
    Action.TARGETS: N_("access.action.targets"),
    Action.DEMO: N_("access.action.demo"),
    Action.ACCESS: N_("access.action.access"),
    Action.FOLLOW_UP: N_("access.action.follow_up"),
    Action.DIGEST: N_("access.action.digest"),
}


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a container
        return "unknown"
