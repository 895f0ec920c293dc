"""Temp files of imports: named after their process, so the next start removes those of killed ones.

A killed import leaves its `cx-import-*` directory (the transcoded or converted copy of the file,
102 MB for a 2M-row export) in the system temp dir. Each import names its directory after its PID;
a process that opens a database removes the directories of processes that no longer run.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "cx-import-"
_OWNED = re.compile(rf"^{PREFIX}(\d+)-")
LEGACY_AGE_SECONDS = 24 * 3600
_cleaned = False


def import_prefix() -> str:
    """The temp-directory prefix of an import in this process: `cx-import-<pid>-`."""
    return f"{PREFIX}{os.getpid()}-"


def process_alive(pid: int) -> bool:
    """True when a process with this PID runs (someone else's included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def clean_stale(directory: Path | None = None) -> list[Path]:
    """Remove the import temp directories whose process is gone; returns them."""
    removed: list[Path] = []
    for path in Path(directory or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        owner = _OWNED.match(path.name)
        if owner and process_alive(int(owner.group(1))):
            continue
        # one without a PID (older versions) may still be in use: only when untouched for a day
        if not owner and (not path.is_dir() or time.time() - path.stat().st_mtime < LEGACY_AGE_SECONDS):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def clean_stale_once() -> None:
    """`clean_stale` on the first database open of this process."""
    global _cleaned
    if not _cleaned:
        _cleaned = True
        clean_stale()


def short_name(name: str, limit: int = 200) -> str:
    """A name for the temp copy of an upload that fits the file system's 255 bytes, suffix kept."""
    base = Path(name).name or "upload"
    if len(base.encode("utf-8")) <= limit:
        return base
    suffix = Path(base).suffix[:16]
    stem = base.encode("utf-8")[: limit - len(suffix.encode("utf-8"))].decode("utf-8", "ignore")
    return stem + suffix
