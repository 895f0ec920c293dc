"""Every word the product shows, read from gettext catalogues: `metrics/locale/<lang>/LC_MESSAGES/cx.po`.

Message ids are keys (`traj.title`); each language's `.po` gives the text. A sentence with a count has
plural forms (`msgstr[0]`, `msgstr[1]`, ...) chosen by the `Plural-Forms` rule of its own `.po` header, and
its `msgid_plural` names the field that holds the count (`"{rows}"`): French says "0 ligne retirée",
English "0 rows removed". A sentence that names a way to fix something has one ending per surface
(`import.partial@cli`), because the CLI says "use --map score=note" where the Data page says "choose the
file column for score". A translator adds a language by adding a `.po` file: the languages are the
folders found, French first; a message a new catalogue lacks falls back to French.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from functools import cache
from gettext import GNUTranslations
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberFormatError, parse_decimal

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "cx"
DEFAULT_LANG = "fr"
SURFACES = ("cli", "page")


def N_(key: str) -> str:
    """Mark a message id used later through a variable (`t(HEADER_KEYS[col])`), so extraction finds it."""
    return key


def po_path(lang: str, root: Path | None = None) -> Path:
    """Where the catalogue of `lang` lives (`metrics/locale/fr/LC_MESSAGES/cx.po`)."""
    return (root or LOCALE_DIR) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def langs() -> tuple[str, ...]:
    """The languages with a catalogue, French (the default) first, the others in name order."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (DEFAULT_LANG, *(lang for lang in found if lang != DEFAULT_LANG))


@cache
def catalog(lang: str) -> Catalog:
    """The `.po` of `lang` as babel reads it (ids, plural ids, comments, header)."""
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=None, domain=DOMAIN)


@cache
def _translations(lang: str) -> GNUTranslations:
    """The `.po` compiled in memory (no `.mo` to build), falling back to French for what it lacks."""
    buf = io.BytesIO()
    write_mo(buf, catalog(lang))
    buf.seek(0)
    out = GNUTranslations(buf)
    if lang != DEFAULT_LANG:
        out.add_fallback(_translations(DEFAULT_LANG))
    return out


@cache
def ids() -> frozenset[str]:
    """Every message id of the default catalogue: the reference every other `.po` follows."""
    return frozenset(_id(m.id) for m in catalog(DEFAULT_LANG) if m.id)


@cache
def count_fields() -> Mapping[str, str]:
    """Plural message id -> the field whose number picks the form (its `msgid_plural`, `{rows}` -> rows)."""
    return {m.id[0]: m.id[1].strip("{}") for m in catalog(DEFAULT_LANG) if m.id and m.pluralizable}


def reload() -> None:
    """Forget what was read, e.g. after a `.po` was added or edited (tests, a translator's session)."""
    for cached in (langs, catalog, _translations, ids, count_fields, _locale):
        cached.cache_clear()


def _id(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def has(key: str) -> bool:
    """Whether `key` is a message, or a message with endings only (`fix.map_match@cli`)."""
    return key in ids() or any(f"{key}@{s}" in ids() for s in SURFACES)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def count_of(raw: object, lang: str) -> float | None:
    """The number a count field holds, also when the caller formatted it already ("1 234", "2,5")."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    try:
        cleaned = str(raw).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        return float(parse_decimal(cleaned, locale=_locale(lang)))
    except (NumberFormatError, ValueError):
        return None


def _lookup(key: str, lang: str, values: Mapping[str, object]) -> str:
    tr = _translations(lang if lang in langs() else DEFAULT_LANG)
    field = count_fields().get(key)
    if field is None:
        return tr.gettext(key)
    count = count_of(values.get(field), lang) or 0.0
    # gettext's plural rules take whole numbers; a fraction reads as the next one up ("1,5 mois" -> plural)
    n = int(abs(count)) if float(count).is_integer() else math.ceil(abs(count))
    return tr.ngettext(key, f"{{{field}}}", n)


def text(key: str, lang: str, /, *, surface: str | None = None, **values: object) -> str:
    """The sentence `key` in `lang` with `{name}` placeholders filled, plus the ending for `surface`."""
    if not has(key):
        raise KeyError(  # not user-facing: a key no catalogue has is a developer's error, caught by tests
            f"no message {key!r} in {po_path(DEFAULT_LANG)}"
        )
    out = _lookup(key, lang, values) if key in ids() else ""
    out = out.format(**values) if values else out
    ending = f"{key}@{surface}"
    if surface and ending in ids():
        out += _lookup(ending, lang, values).format(**values)
    return out
