"""The digest's recipients file: who gets a digest, in which language, following which metrics.

```toml
[[recipient]]
email = "marie.durand@example.com"
lang = "fr"                          # fr (default) or en
metrics = ["nps", "first_time_fix_rate"]   # default: every metric with a target this year
```

The file says nothing about what a recipient may see: their scope is the access file's grants that
name their e-mail (`who = ...`), exactly as when they sign in. A recipient no grant names gets no
digest. Group grants (`group = ...`) need the identity provider's token, which a scheduled command
does not have, so they never widen a digest. Path: `CX_DIGEST_FILE` (default `digests.toml` beside
the database).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from metrics import settings
from metrics.access.caller import Caller
from metrics.access.policy import Grant, caller_for
from metrics.catalogue import N_
from metrics.contracts.naming import did_you_mean
from metrics.errors import CxError

LANGS = ("fr", "en")


@dataclass(frozen=True, slots=True)
class Recipient:
    """One line of the recipients file; `metrics` empty means the year's targeted metrics."""

    email: str
    lang: str = "fr"
    metrics: tuple[str, ...] = ()


def digest_path(db: Path) -> Path:
    """`CX_DIGEST_FILE`, else `digests.toml` beside the database `db`."""
    return settings.path("CX_DIGEST_FILE") or db.with_name("digests.toml")


def access_file(db: Path) -> Path:
    """The access file of the database `db`: `CX_ACCESS_FILE`, else `access.toml` beside `db` (--db too)."""
    return settings.path("CX_ACCESS_FILE") or db.with_name("access.toml")


def read_recipients(path: Path) -> tuple[Recipient, ...]:
    """The recipients of `path`; a missing or malformed file is refused with the line to fix."""
    from metrics.semantic.definitions import METRICS  # the registry loads only when a digest runs

    if not path.exists():
        raise CxError(N_("digest.no_recipients_file"), file=str(path))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CxError(N_("digest.bad_recipients_file"), file=str(path), problem=str(err)) from None
    found: list[Recipient] = []
    for i, entry in enumerate(raw.get("recipient", []), start=1):
        email = str(entry.get("email", "")).strip()
        if "@" not in email:
            raise CxError(N_("digest.bad_email"), file=str(path), recipient=i, email=email)
        lang = str(entry.get("lang", "fr"))
        if lang not in LANGS:
            raise CxError(
                N_("digest.bad_lang"), file=str(path), recipient=i, lang=lang, langs=", ".join(LANGS)
            )
        keys = tuple(str(k) for k in entry.get("metrics", ()))
        for key in keys:
            if key not in METRICS:
                hint = did_you_mean(key, METRICS)
                raise CxError(N_("digest.no_metric"), file=str(path), recipient=i, metric=key, hint=hint)
        if any(r.email.lower() == email.lower() for r in found):
            raise CxError(N_("digest.listed_twice"), file=str(path), recipient=i, email=email)
        found.append(Recipient(email=email, lang=lang, metrics=keys))
    return tuple(found)


def scope_of(recipient: Recipient, grants: Sequence[Grant]) -> Caller | None:
    """The recipient as a signed-in caller from the grants naming their e-mail; None when none does."""
    personal = [g for g in grants if g.who]  # a group grant needs the identity provider's token
    return caller_for({"email": recipient.email}, personal)
