"""Files that look like text but would be stored wrong: refused with the lines at fault, before any read.

Each check names what it found and how to fix it: a NUL byte past the first 8 kB (a damaged export),
lines in two encodings (UTF-8 pasted into a cp1252 file reads as `TrÃ¨s bien`), two columns with one
name (which one is the score?), UTF-16 without its byte-order mark, a truncated workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from metrics.contracts.naming import normalise_header
from metrics.errors import ImportRefused

CHUNK = 1 << 20
SHOWN_LINES = 5
# what a zip's first entry is called in an .xlsx written by Excel, LibreOffice or openpyxl
_WORKBOOK_PARTS = (b"[Content_Types].xml", b"_rels/", b"docProps/", b"xl/")


def _lines(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN_LINES])
    return shown + (f" and {len(numbers) - SHOWN_LINES} more" if len(numbers) > SHOWN_LINES else "")


def _nul_lines(path: Path) -> list[int]:
    """Physical lines (1-based) holding a NUL byte, found with one chunked scan."""
    found: list[int] = []
    newlines = 0
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            start = block.find(b"\x00")
            while start >= 0 and len(found) <= SHOWN_LINES:
                line = newlines + block.count(b"\n", 0, start) + 1
                if not found or found[-1] != line:
                    found.append(line)
                start = block.find(b"\x00", start + 1)
            newlines += block.count(b"\n")
    return found


def _encoding_lines(path: Path) -> tuple[list[int], list[int]]:
    """(lines that are UTF-8, lines that are not) among the lines holding a byte past ASCII."""
    utf8: list[int] = []
    other: list[int] = []
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                other.append(number)
            else:
                utf8.append(number)
    return utf8, other


def refuse_damaged_text(path: Path, encoding: str, name: str) -> None:
    """Refuse a text file with NUL bytes, or one mixing UTF-8 and cp1252 lines, naming the lines."""
    if encoding == "utf-16":
        return  # NULs are half of UTF-16 text
    nul = _nul_lines(path)
    if nul:
        raise ImportRefused(
            f"{name}, line {_lines(nul)}: a NUL byte (code 0), which no text export holds; the file is "
            "damaged or not a text export: export it again"
        )
    if encoding in ("cp1252", "latin-1"):
        utf8, other = _encoding_lines(path)
        if utf8 and other:
            raise ImportRefused(
                f"{name} mixes two encodings: line {_lines(utf8)} in UTF-8, line {_lines(other)} in "
                f"Windows-1252 (accents would come out as \"Ã©\"); save the whole file again in one "
                "encoding, CSV UTF-8"
            )


def refuse_duplicate_headers(headers: Sequence[str], name: str) -> None:
    """Refuse two columns with the same name (after folding case and accents), naming both."""
    seen: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        key = normalise_header(header)
        if not key:
            continue
        if key in seen:
            raise ImportRefused(
                f'{name}: columns {seen[key]} ("{headers[seen[key] - 1]}") and {position} ("{header}") '
                "have the same name, so we cannot tell which one to import; rename or delete one of them"
            )
        seen[key] = position


def refuse_misleading_binary(head: bytes, name: str) -> None:
    """Before "not a text file": say so when the bytes are UTF-16 without BOM or a truncated workbook."""
    if head.startswith(b"PK\x03\x04") and len(head) > 30:
        length = int.from_bytes(head[26:28], "little")
        if head[30 : 30 + length].startswith(_WORKBOOK_PARTS):
            raise ImportRefused(
                f"{name}: this Excel workbook is damaged or truncated (its end is missing); copy or "
                "download it again, or export it again from Excel"
            )
    pairs = len(head) // 2
    if pairs >= 8 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        even_zero = head[0 : 2 * pairs : 2].count(0)
        odd_zero = head[1 : 2 * pairs : 2].count(0)
        # UTF-16 of French text: one byte of every pair is 0 for almost every character
        if max(even_zero, odd_zero) >= 0.9 * pairs and min(even_zero, odd_zero) <= 0.05 * pairs:
            raise ImportRefused(
                f"{name}: this is UTF-16 text without its byte-order mark, which cannot be told from "
                'binary safely; save it again from Excel as "CSV UTF-8 (comma delimited)"'
            )
