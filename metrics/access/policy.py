"""The access file: which signed-in people, or which of the identity provider's groups, get which role.

```toml
[[grant]]
who = "marie.durand@example.com"   # an e-mail or an OIDC `sub`
role = "regional_director"
regions = ["Bretagne"]

[[grant]]
group = "cx-executives"            # a value of the ID token's `groups` or `roles` claim
role = "executive"
```

Someone no grant names is nobody: the dashboard shows them a sentence and nothing else. The file's
path is `CX_ACCESS_FILE` (default `access.toml` beside the database).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from metrics import settings
from metrics.access.caller import Caller
from metrics.access.roles import ROLES
from metrics.catalogue import N_
from metrics.errors import CxError
from metrics.store import default_db_path

GROUP_CLAIMS = ("groups", "roles")  # where Entra ID, Keycloak and Google put group memberships


@dataclass(frozen=True, slots=True)
class Grant:
    """One line of the access file: a person or a group, a role, and regions for a regional role."""

    role: str
    who: str | None = None
    group: str | None = None
    regions: tuple[str, ...] = ()


def access_path() -> Path:
    """`CX_ACCESS_FILE`, else `access.toml` beside the database."""
    return settings.path("CX_ACCESS_FILE") or default_db_path().with_name("access.toml")


def read_grants(path: Path) -> tuple[Grant, ...]:
    """The grants of `path` (none when it does not exist); a malformed file is refused with its problem.

    Every cached figure of a page asks who the reader is: the file is parsed once per version of it
    (its modification time and size), and an edit takes effect at the reader's next click.
    """
    if not path.exists():
        return ()
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> tuple[Grant, ...]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CxError(N_("access.bad_file"), file=str(path), problem=str(err)) from None
    grants = []
    for i, entry in enumerate(raw.get("grant", []), start=1):
        role, who, group = entry.get("role"), entry.get("who"), entry.get("group")
        if role not in ROLES:
            raise CxError(
                N_("access.bad_role"), file=str(path), grant=i, role=repr(role), roles=", ".join(ROLES)
            )
        if bool(who) == bool(group):
            raise CxError(N_("access.who_or_group"), file=str(path), grant=i)
        regions = tuple(str(r) for r in entry.get("regions", ()))
        if ROLES[role].own_regions and not regions:
            raise CxError(N_("access.needs_regions"), file=str(path), grant=i, role=role)
        grants.append(Grant(role=role, who=who, group=group, regions=regions))
    return tuple(grants)


def caller_for(claims: Mapping[str, object], grants: Sequence[Grant]) -> Caller | None:
    """The signed-in person's caller from their ID-token claims, or None when no grant names them."""
    names = {str(claims[k]).lower() for k in ("email", "sub") if claims.get(k)}
    groups: set[str] = set()
    for claim in GROUP_CLAIMS:
        value = claims.get(claim)
        if isinstance(value, list | tuple):
            groups |= {str(v) for v in value}
        elif value:
            groups.add(str(value))
    mine = [g for g in grants if (g.who and g.who.lower() in names) or (g.group and g.group in groups)]
    if not mine:
        return None
    who = str(claims.get("email") or claims.get("sub"))
    roles = tuple(dict.fromkeys(g.role for g in mine))
    regions = tuple(dict.fromkeys(r for g in mine for r in g.regions))
    return Caller(who=who, roles=roles, regions=regions)
