"""What personal data looks like in free text, and the mask each kind gets.

- E-mail addresses, also spelled to dodge robots: `prenom.nom @ orange.fr`, `nom(at)orange.fr`.
- IBANs: 2 letters, 2 digits (`FR76` or `FR 76`) and 11-30 letters or digits, masked only when the
  checksum holds (python-stdnum), so `FR76 3000 6000 0112 3456 7890 189` goes and `INC0012345` stays.
- French RIBs: bank (5 digits), branch (5), account (11 letters or digits) and key (2), masked only
  when the key holds: 97 - (89 x bank + 15 x branch + 3 x account) mod 97, letters read as digits.
- Card numbers: 13-19 digits, alone or grouped by spaces or dashes, Luhn-valid and starting like a card
  network's numbers (see `CARD_PREFIXES`), so an IMEI (15 digits, Luhn too) and a SIRET stay.
- Phone numbers: libphonenumber's matcher with leniency VALID, French numbers without prefix and any
  international one with it, plus two French spellings it misses: `06/12/34/56/78` and `6 12 34 56 78`
  (trunk 0 left out). Prices and ticket numbers are not valid numbers in any numbering plan, so they
  stay; dates (`01-03-2016 01:22`, `01.03.2016`) are set aside before the search, because
  `01-03-2016 01` is a valid Paris number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

import phonenumbers
from stdnum import iban, luhn

MASKS: Mapping[str, str] = {
    "email": "[e-mail]",
    "iban": "[IBAN]",
    "rib": "[RIB]",
    "card": "[carte]",
    "phone": "[tél.]",
}
# metropolitan France first, then the overseas departments whose 0590/0262/0696... numbers FR rejects
REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT")
# French typography and spreadsheets put no-break (U+00A0) and narrow no-break (U+202F) spaces in numbers
SPACE = " \u00a0\u202f"
_AS_SPACE = str.maketrans({c: " " for c in SPACE[1:]})

# the local part takes every character RFC 5322 allows unquoted (zoe.o'neil@...); the @ may be spaced
# or spelled "(at)", "[at]" or "{at}"
_EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~\-]+(?: ?@ ?| ?[(\[{] ?at ?[)\]}] ?)[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}",
    re.IGNORECASE,
)
# where an IBAN may start (found overlapping: "le 12 FR76..." must not hide the FR76), and its body
_IBAN_START = re.compile(r"\b(?=[A-Za-z]{2} ?\d{2})", re.ASCII)
_IBAN = re.compile(rf"[A-Za-z]{{2}} ?\d{{2}}(?:[{SPACE}\-]?[A-Za-z0-9]){{11,34}}")
_RIB = re.compile(
    rf"(?<!\w)(\d{{5}})[{SPACE}\-]?(\d{{5}})[{SPACE}\-]?(\w{{11}})[{SPACE}\-]?(\d{{2}})(?!\w)", re.ASCII
)
# A=1 ... I=9, J=1 ... R=9, S=2 ... Z=9: how a RIB's key reads the letters of an account number
_RIB_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")
# 13-19 digits, single spaces or dashes between them, and no digit just before or after the run (nor
# behind a decimal point or comma: "1234567890123,45" is an amount)
_CARD = re.compile(
    rf"(?<!\w)(?<!\d[{SPACE}.,\-])\d(?:[{SPACE}\-]?\d){{12,18}}(?![{SPACE}.,\-]?\d)(?!\w)", re.ASCII
)
# the first digits of each length's cards: Visa 13; Diners 14; Amex 15; 16-19 Mastercard (2, 5), JCB (3),
# Visa and CB (4), Discover, UnionPay and Maestro (6)
CARD_PREFIXES: Mapping[int, tuple[str, ...]] = {13: ("4",), 14: ("30", "36", "38"), 15: ("34", "37")}
CARD_PREFIXES_LONG = ("2", "3", "4", "5", "6")
# a day-first, month-first or ISO date, with its time: never part of a phone number
_DATE = re.compile(
    r"(?<![\d/.\-])(?:\d{1,2}([/.\-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?![/.\-]?\d)"
    r"(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2})?)?",
    re.ASCII,
)
_DIGITS = re.compile(rf"[0-9](?:[{SPACE}./()\-]*[0-9]){{7,}}")  # 8+ digits: any phone number
_OVERSEAS = re.compile(rf"0[0-9](?:[{SPACE}.()\-]*[0-9]){{8}}")  # 0590 12 34 56: ten digits with the trunk 0
# French numbers libphonenumber does not find: pairs split by slashes, or the trunk 0 left out
_FRENCH = re.compile(
    rf"(?<![\w+])(?<!\d[{SPACE}./\-])(?:0[1-9](?:/\d\d){{4}}|[1-9]([{SPACE}.\-])\d\d(?:\1\d\d){{3}})"
    rf"(?![{SPACE}./\-]?\d)(?!\w)",
    re.ASCII,
)


def _replace(text: str, spans: list[tuple[int, int]], kind: str, counts: Counter[str]) -> str:
    """`text` with each (start, end) span, in order and apart, replaced by the mask of `kind`."""
    for start, end in reversed(spans):
        text = text[:start] + MASKS[kind] + text[end:]
    counts[kind] += len(spans)
    return text


def _emails(text: str, counts: Counter[str]) -> str:
    """Replace every e-mail address, the spaced and spelled-out ones too."""
    return _replace(text, [m.span() for m in _EMAIL.finditer(text)], "email", counts)


def _ibans(text: str, counts: Counter[str]) -> str:
    """Replace every checksum-valid IBAN, taking the longest valid prefix of each candidate."""
    spans: list[tuple[int, int]] = []
    for start in (m.start() for m in _IBAN_START.finditer(text)):
        body = _IBAN.match(text, start)
        if body is None or (spans and start < spans[-1][1]):
            continue
        raw = body.group(0)
        ends = [i + 1 for i, ch in enumerate(raw) if ch.isalnum()]
        # the candidate may run into the next word ("... 189 merci"): try the longest prefix first
        for end in reversed(ends[14:]):
            if iban.is_valid(re.sub(r"[^A-Za-z0-9]", "", raw[:end])):
                spans.append((start, start + end))
                break
    return _replace(text, spans, "iban", counts)


def rib_key_holds(bank: str, branch: str, account: str, key: str) -> bool:
    """True when `key` is the RIB key of bank, branch and account (letters read as the key reads them)."""
    number = account.upper().translate(_RIB_LETTERS)
    if not number.isdigit():
        return False
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(number)) % 97 == int(key)


def _ribs(text: str, counts: Counter[str]) -> str:
    """Replace every French RIB whose key holds."""
    spans = [m.span() for m in _RIB.finditer(text) if rib_key_holds(*m.groups())]
    return _replace(text, spans, "rib", counts)


def is_card_number(digits: str) -> bool:
    """True for 13-19 digits that start like a card network's numbers and pass Luhn's check."""
    prefixes = CARD_PREFIXES.get(len(digits), CARD_PREFIXES_LONG)
    return 13 <= len(digits) <= 19 and digits.startswith(prefixes) and luhn.is_valid(digits)


def _cards(text: str, counts: Counter[str]) -> str:
    """Replace every payment card number."""
    spans = [m.span() for m in _CARD.finditer(text) if is_card_number(re.sub(r"\D", "", m.group(0)))]
    return _replace(text, spans, "card", counts)


def _valid_french(digits: str) -> bool:
    """True when the national number (trunk 0 put back if left out) is valid in France or overseas."""
    national = digits if len(digits) == 10 else "0" + digits
    return any(phonenumbers.is_valid_number(phonenumbers.parse(national, r)) for r in REGIONS)


def _phones(text: str, counts: Counter[str]) -> str:
    """Replace every number libphonenumber finds valid, then the French spellings it does not read."""
    if not _DIGITS.search(text):
        return text
    # the matcher reads no-break spaces as letters: it searches a copy with plain spaces, one for one
    probe = text.translate(_AS_SPACE)
    for region in REGIONS:
        if region != REGIONS[0] and not _OVERSEAS.search(probe):
            break  # what is left has no ten-digit national number an overseas department could own
        spans: list[tuple[int, int]] = []
        for match in phonenumbers.PhoneNumberMatcher(probe, region, leniency=phonenumbers.Leniency.VALID):
            raw = match.raw_string
            # "(+33 (0)6 12 34 56 78)": the matcher takes the opening bracket, not the closing one
            skip = 1 if raw.startswith("(") and raw.count("(") > raw.count(")") else 0
            spans.append((match.start + skip, match.end))
        text, probe = _replace(text, spans, "phone", counts), _replace(probe, spans, "phone", Counter())
    spans = [m.span() for m in _FRENCH.finditer(text) if _valid_french(re.sub(r"\D", "", m.group(0)))]
    return _replace(text, spans, "phone", counts)


def _outside_dates(text: str, mask: Callable[[str], str]) -> str:
    """`mask` applied to each stretch of `text` between its dates, the dates kept as written."""
    out: list[str] = []
    pos = 0
    for date in _DATE.finditer(text):
        out += [mask(text[pos : date.start()]), date.group(0)]
        pos = date.end()
    out.append(mask(text[pos:]))
    return "".join(out)


def mask_patterns(text: str, counts: Counter[str]) -> str:
    """`text` with every e-mail, IBAN, RIB, card and phone number masked; `counts` gets one per mask."""
    # e-mails first (their digits are not phones), then IBANs and RIBs (their digit groups are not cards
    # or phones), then cards (a card's digits can hold a valid phone number), phones last
    text = _ribs(_ibans(_emails(text, counts), counts), counts)
    return _outside_dates(text, lambda part: _phones(_cards(part, counts), counts))
