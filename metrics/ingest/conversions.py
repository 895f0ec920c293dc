"""Converted copies of uploaded files, kept by checksum: a file is converted once, not once per look.

The Data page looks at an upload several times (inspection, the plan of what it would update, the
import) and again on every edit of its mapping editor; a 30,000-row workbook took seconds to convert
each time. The UTF-8 CSV made from a workbook or a cp1252 file is kept here under the SHA-256 of the
original bytes (and the sheet), in a temp directory named after this process, so `tempfiles` removes
it if the process is killed and `atexit` removes it on a normal exit.

Several sessions of one dashboard process share this cache. A copy is removed only when more than
`KEPT` are held AND nobody has asked for it for `GRACE_SECONDS`: a count alone would let five
sessions uploading at once delete the file a sixth is still reading.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from metrics.tempfiles import import_prefix

KEPT = 4  # conversions kept; past that, the least recently used idle one is removed first
GRACE_SECONDS = 3600.0  # a copy asked for within the last hour is never removed
_lock = threading.Lock()
_kept: OrderedDict[tuple[str, str, str | None], tuple[Path, str | None]] = OrderedDict()
_used: dict[tuple[str, str, str | None], float] = {}
_clock: Callable[[], float] = time.monotonic
_folder: Path | None = None
_numbers = itertools.count()


def _directory() -> Path:
    global _folder
    if _folder is None or not _folder.is_dir():
        _folder = Path(tempfile.mkdtemp(prefix=import_prefix() + "converted-"))
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


def converted(
    sha256: str, kind: str, sheet: str | None, convert: Callable[[Path], str | None]
) -> tuple[Path, str | None]:
    """The UTF-8 copy of the file with this checksum, made by `convert(out)` the first time only.

    Returns the copy and what `convert` returned (a workbook's sheet name). The copy belongs to this
    cache: callers read it and never delete it.
    """
    key = (sha256, kind, sheet)
    with _lock:
        hit = _kept.get(key)
        if hit is not None and hit[0].exists():
            _kept.move_to_end(key)
            _used[key] = _clock()
            return hit
        out = _directory() / f"{sha256[:32]}.{kind}.{next(_numbers)}.csv"
        try:
            made = (out, convert(out))
        except BaseException:
            out.unlink(missing_ok=True)
            raise
        _kept[key] = made
        _used[key] = _clock()
        _evict()
        return made


def _evict() -> None:
    """Remove the least recently used copies beyond `KEPT`, but none used within the grace period."""
    idle_before = _clock() - GRACE_SECONDS
    for key in list(_kept):  # least recently used first
        if len(_kept) <= KEPT or _used[key] > idle_before:
            break
        old, _sheet = _kept.pop(key)
        del _used[key]
        old.unlink(missing_ok=True)
