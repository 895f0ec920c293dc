"""Files that look like text but would be stored wrong: refused with the lines at fault, before any read.

Each check names what it found and how to fix it: a NUL byte past the first 8 kB (a damaged export),
lines in two encodings (UTF-8 pasted into a cp1252 file reads as `TrÃ¨s bien`), UTF-16 without its
byte-order mark, a truncated workbook. Two columns with one name are refused only when a declared column
would be read from one of them (metrics.ingest.mapping).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from metrics.catalogue import N_
from metrics.errors import ImportRefused

CHUNK = 1 << 20
SHOWN_LINES = 5
# bytes cp1252 leaves undefined; a file holding them is Latin-1
CP1252_HOLES = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_BLANK = re.compile(rb"\n[ \t]*\r?\n")
# where a blank line can start: a newline followed by another, a space, a tab or a carriage return.
# A data line rarely starts so, and this two-byte search runs in half the time of the whole pattern's
_MAYBE_BLANK = re.compile(rb"\n[\n\r \t]")
# what a zip's first entry is called in an .xlsx written by Excel, LibreOffice or openpyxl
_WORKBOOK_PARTS = (b"[Content_Types].xml", b"_rels/", b"docProps/", b"xl/")


def _lines(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN_LINES])
    return shown + (", …" if len(numbers) > SHOWN_LINES else "")


class BlankLines:
    """Fed a file's bytes in order, says whether an empty line stands before a later record.

    Trailing empty lines do not shift the numbering of records; an inner one does (metrics.ingest.lines).
    """

    def __init__(self) -> None:
        """Nothing seen yet."""
        self.seen_blank = False
        self.inner = False
        self._tail = b""

    def feed(self, block: bytes) -> None:
        """Take the next block of the file."""
        if self.inner:
            return
        if self.seen_blank:
            self.inner = bool(block.strip())
            return
        window = self._tail + block
        match = _blank_line(window)
        if match:
            self.seen_blank = True
            self.inner = bool(window[match.end() :].strip())
        self._tail = window[-8:]


def _blank_line(window: bytes) -> re.Match[bytes] | None:
    """The first blank line in `window`, looked for only where the two-byte search finds a start."""
    pos = 0
    while (maybe := _MAYBE_BLANK.search(window, pos)) is not None:
        found = _BLANK.match(window, maybe.start())
        if found:
            return found
        pos = maybe.start() + 1
    return None


def _nul_lines(path: Path) -> tuple[int, ...]:
    """Physical lines (1-based) holding a NUL byte, up to one past those a refusal shows.

    Only a file the scan found a NUL in is read again for this: counting the newlines of every block
    cost a sixth of the scan (0.06 s of 0.39 s at 3M answers) for files that have none.
    """
    found: list[int] = []
    newlines = 0
    with path.open("rb") as fh:
        while (block := fh.read(CHUNK)) and len(found) <= SHOWN_LINES:
            start = block.find(b"\x00")
            while start >= 0 and len(found) <= SHOWN_LINES:
                line = newlines + block.count(b"\n", 0, start) + 1
                if not found or found[-1] != line:
                    found.append(line)
                start = block.find(b"\x00", start + 1)
            newlines += block.count(b"\n")
    return tuple(found)


@dataclass(frozen=True, slots=True)
class ByteScan:
    """What one read of a text file's bytes tells: its hash, its encoding, NUL lines, inner blank lines."""

    sha256: str
    encoding: str  # utf-8, utf-16, cp1252 or latin-1
    nul_lines: tuple[int, ...]
    inner_blank_line: bool


def scan_bytes(path: Path) -> ByteScan:
    """Read `path` once, in chunks, and decide everything the import asks of its bytes.

    Before, the file was read once per question (hash, encoding, NUL bytes, blank lines) and the
    cp1252 test looked at each byte in a Python loop; here each block is hashed, decoded as UTF-8
    while it still can be, and searched with bytes methods (a substring search per undefined byte).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank = BlankLines()
    utf8, holes, utf16, nul = True, False, False, False
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        first = True
        while block := fh.read(CHUNK):
            if first:
                utf16 = block.startswith((b"\xff\xfe", b"\xfe\xff"))
                first = False
            digest.update(block)
            if utf16:
                continue
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            if not utf8 and not holes:
                holes = any(h in block for h in CP1252_HOLES)
            nul = nul or b"\x00" in block
            blank.feed(block)
    if utf8 and not utf16:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    encoding = "utf-16" if utf16 else "utf-8" if utf8 else "latin-1" if holes else "cp1252"
    nul_lines = _nul_lines(path) if nul else ()
    return ByteScan(digest.hexdigest(), encoding, nul_lines, blank.inner)


def _encoding_lines(path: Path) -> tuple[list[int], list[int]]:
    """(lines that are UTF-8, lines that are not) among the lines holding a byte past ASCII.

    A block of whole lines that is all ASCII (`bytes.isascii`, most of a French export) is skipped
    with a newline count; only the other blocks are split into lines and decoded.
    """
    utf8: list[int] = []
    other: list[int] = []
    number = 0
    carry = b""

    def check(line: bytes) -> None:
        if line.isascii():
            return
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)

    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            block = carry + block
            cut = block.rfind(b"\n") + 1
            body, carry = block[:cut], block[cut:]
            if body.isascii():
                number += body.count(b"\n")
                continue
            for line in body.split(b"\n")[:-1]:
                number += 1
                check(line)
    if carry:
        number += 1
        check(carry)
    return utf8, other


def refuse_damaged_text(path: Path, scan: ByteScan, name: str) -> None:
    """Refuse a text file with NUL bytes, or one mixing UTF-8 and cp1252 lines, naming the lines."""
    encoding = scan.encoding
    if encoding == "utf-16":
        return  # NULs are half of UTF-16 text
    nul = list(scan.nul_lines)
    if nul:
        raise ImportRefused(N_("refused.nul_byte"), file=name, lines=_lines(nul))
    if encoding in ("cp1252", "latin-1"):
        utf8, other = _encoding_lines(path)
        if utf8 and other:
            raise ImportRefused(
                N_("refused.mixed_encodings"), file=name, utf8=_lines(utf8), other=_lines(other)
            )


def refuse_misleading_binary(head: bytes, name: str) -> None:
    """Before "not a text file": say so when the bytes are UTF-16 without BOM or a truncated workbook."""
    if head.startswith(b"PK\x03\x04") and len(head) > 30:
        length = int.from_bytes(head[26:28], "little")
        if head[30 : 30 + length].startswith(_WORKBOOK_PARTS):
            raise ImportRefused(N_("refused.truncated_workbook"), file=name)
    pairs = len(head) // 2
    if pairs >= 8 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        even_zero = head[0 : 2 * pairs : 2].count(0)
        odd_zero = head[1 : 2 * pairs : 2].count(0)
        # UTF-16 of French text: one byte of every pair is 0 for almost every character
        if max(even_zero, odd_zero) >= 0.9 * pairs and min(even_zero, odd_zero) <= 0.05 * pairs:
            raise ImportRefused(N_("refused.utf16_without_bom"), file=name)
