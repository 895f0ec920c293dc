"""Changes to the access file, in the audit trail: who may see what is itself a recorded change.

The access file is edited on the server, outside the product, so nobody signs the change in. The
product notices a new version the first time it reads it (a page run in signed-in mode, or `python -m
metrics audit`) and records it: the file's owner on the server (the best "who" there is), its
checksum before and after, and the grants added and removed, each as one readable line.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from metrics.access import audit
from metrics.access.caller import Caller
from metrics.access.policy import Grant, access_path, read_grants
from metrics.access.roles import Action
from metrics.catalogue import N_, text
from metrics.errors import CxError
from metrics.store import Store

ABSENT = "absent"


def _line(g: Grant) -> str:
    """`marie@example.com: regional_director (Bretagne, Normandie)` or `group cx-exec: executive`."""
    who = g.who or f"group {g.group}"
    return f"{who}: {g.role}" + (f" ({', '.join(g.regions)})" if g.regions else "")


def _owner(path: Path) -> str:
    """The file's owner on the server, as a user name when the system knows it."""
    try:
        import pwd

        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):  # Windows, or a uid without a name
        return str(path.stat().st_uid) if path.exists() else "unknown"


def _last(store: Store) -> dict[str, object]:
    with store.cursor() as cur:
        row = cur.execute(
            "SELECT detail FROM audit WHERE action = ? ORDER BY happened_at DESC, rowid DESC LIMIT 1",
            [str(Action.ACCESS)],
        ).fetchone()
    return json.loads(row[0]) if row else {"sha256": ABSENT, "grants": []}


def record_access_change(store: Store, path: Path | None = None) -> bool:
    """Record the access file's current version when it is not the last one recorded; True if recorded.

    A malformed file is recorded too (its grants read as none: nobody gets in until it is fixed).
    """
    path = path or access_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ABSENT
    last = _last(store)
    if last.get("sha256") == digest:
        return False
    try:
        now = sorted(_line(g) for g in read_grants(path))
        problem = None
    except CxError as err:
        now, problem = [], str(err)
    before = [str(x) for x in last.get("grants", [])]  # type: ignore[union-attr]
    detail: dict[str, object] = {
        "sha256_before": last.get("sha256"), "sha256": digest, "grants": now,
        "added": [g for g in now if g not in before], "removed": [g for g in before if g not in now],
    }  # fmt: skip
    if problem:
        detail["problem"] = problem
    # stored in the trail as written, in English like the CLI's "marie (local)"
    who = Caller(who=text(N_("access.file_owner"), "en", owner=_owner(path)), roles=("admin",))
    with store.transaction() as cur:
        audit.record(cur, who, Action.ACCESS, str(path), detail)
    return True


# (database, access file, its modification time and size) already checked by this process
_CHECKED: set[tuple[str, str, int, int]] = set()


def record_once_per_version(store: Store, path: Path | None = None) -> None:
    """`record_access_change` once per version of the file in this process: page runs read it often.

    A failed record (the database busy with an import) is not remembered, so the next read retries.
    """
    path = path or access_path()
    stat = path.stat() if path.exists() else None
    key = (str(store.path), str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)
    if key not in _CHECKED:
        record_access_change(store, path)
        _CHECKED.add(key)
