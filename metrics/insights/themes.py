"""Theme tagging of French and English comments from a dictionary shipped as a data file.

Matching ignores case and accents and compares Snowball stems: each comment is stemmed twice, with the
French and the English stemmer, and a theme's French keywords are looked for in the first, its English
keywords in the second, so no language detection is needed. A keyword ending in `*` matches any stem that
starts with it (`attend*`: attendu, attendre, attend); several words must follow each other.

`praised` tells a theme named in praise ("conseiller très aimable, mais réseau nul": the advisor is
praised, the network is not) from one named in complaint, so a detractor's impact goes to what they
complain about. It reads clauses (cut at punctuation and at "mais", "but", "même si"...): a theme is
praised when every clause naming it holds a word of praise and no negation. It is a word list, not a
reading: irony, "pas mal" or praise far from the theme's word are missed (see docs/methods.md).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from metrics import settings
from metrics.catalogue import N_
from metrics.errors import CxError

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "themes.toml"
STEMMERS = {"fr": "french", "en": "english"}
_WORD = re.compile(r"[a-z0-9]+")
# clause breaks, on normalised text: punctuation, then the words that turn a sentence ("mais", "but")
_CLAUSE = re.compile(
    r"[.,;:!?()\[\]\"«»…/]+|\b(?:mais|cependant|pourtant|sauf|meme si|par contre|but|though|although"
    r"|however|except|even if|whereas)\b"
)
# words of praise and of negation, stemmed at first use like the keywords; a clause with a negation is
# never praise ("pas aimable", "not friendly", "aucune écoute"); English "n't" leaves a lone "t"
PRAISE = {
    "fr": ("aimable", "merci", "bravo", "parfait", "excellent", "super", "genial", "top", "rapide",
           "rapidement", "efficace", "competent", "patient", "chaleureux", "accueillant", "souriant",
           "agreable", "clair", "clairement", "pratique", "appreciable", "impeccable", "professionnel",
           "serviable", "poli", "sympathique", "sympa", "satisfait", "ravi", "bien", "bon", "bonne"),
    "en": ("friendly", "helpful", "great", "excellent", "perfect", "thanks", "thank", "quick", "quickly",
           "fast", "clear", "clearly", "patient", "polite", "kind", "nice", "good", "impressive",
           "knowledgeable", "welcoming", "handy", "efficient", "professional", "brilliant", "happy"),
}  # fmt: skip
NEGATION = {
    "fr": ("pas", "jamais", "aucun", "aucune", "sans", "trop", "personne", "rien", "ni", "peu", "guere"),
    "en": ("not", "no", "never", "nobody", "nothing", "without", "too", "t", "hardly"),
}


@dataclass(frozen=True, slots=True)
class Pattern:
    """One keyword, stemmed: a sequence of stems, the last one possibly a prefix."""

    lang: str
    stems: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Theme:
    """A theme of the dictionary: its key, its label in French and English, and its keyword patterns."""

    key: str
    label: dict[str, str] = field(hash=False)
    patterns: tuple[Pattern, ...]


def normalise(text: str) -> str:
    """Lower case without accents: "Délai d'Attente" -> "delai d'attente"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text`, normalised; apostrophes and hyphens split ("d'attente" -> d, attente)."""
    return _WORD.findall(normalise(text))


@cache
def _stemmer(lang: str):  # noqa: ANN202 - snowballstemmer has no type hints
    import snowballstemmer

    return snowballstemmer.stemmer(STEMMERS[lang])


@cache
def stem(word: str, lang: str) -> str:
    """The Snowball stem of a normalised word (cached: comments reuse a small vocabulary)."""
    return _stemmer(lang).stemWord(word)


def _pattern(keyword: str, lang: str) -> Pattern:
    prefix = keyword.endswith("*")
    stems = tuple(stem(w, lang) for w in words(keyword.rstrip("*")))
    return Pattern(lang=lang, stems=stems, prefix=prefix)


def load_themes(path: Path | None = None) -> tuple[Theme, ...]:
    """The theme dictionary (`CX_THEMES` or the shipped file); a malformed entry names file and theme."""
    path = Path(path or settings.path("CX_THEMES") or DEFAULT_FILE)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise CxError(N_("themes.unreadable"), file=str(path), error=str(err)) from None
    themes = []
    for key, entry in raw.items():
        label = entry.get("label", {}) if isinstance(entry, dict) else {}
        if not isinstance(label, dict) or not {"fr", "en"} <= set(label):
            raise CxError(N_("themes.needs_label"), file=str(path), theme=key)
        keywords = [(lang, k) for lang in STEMMERS for k in entry.get(lang, [])]
        if not keywords:
            raise CxError(N_("themes.needs_keywords"), file=str(path), theme=key)
        patterns = tuple(p for p in (_pattern(k, lang) for lang, k in keywords) if p.stems)
        themes.append(Theme(key=key, label=dict(label), patterns=patterns))
    return tuple(themes)


def _matches(pattern: Pattern, stems: Sequence[str]) -> bool:
    size = len(pattern.stems)
    head, last = pattern.stems[:-1], pattern.stems[-1]
    for i in range(len(stems) - size + 1):
        if tuple(stems[i : i + size - 1]) != head:
            continue
        got = stems[i + size - 1]
        if got == last or (pattern.prefix and got.startswith(last)):
            return True
    return False


@cache
def _index(theme: Theme) -> dict[str, tuple[frozenset[str], tuple[str, ...], tuple[Pattern, ...]]]:
    """Per language: single stems matched exactly, single stems matched as prefixes, phrases."""
    out = {}
    for lang in STEMMERS:
        mine = [p for p in theme.patterns if p.lang == lang]
        exact = frozenset(p.stems[0] for p in mine if len(p.stems) == 1 and not p.prefix)
        prefixes = tuple(p.stems[0] for p in mine if len(p.stems) == 1 and p.prefix)
        out[lang] = (exact, prefixes, tuple(p for p in mine if len(p.stems) > 1))
    return out


def _mentions(theme: Theme, stems: dict[str, list[str]]) -> bool:
    for lang, (exact, prefixes, phrases) in _index(theme).items():
        got = stems[lang]
        if not exact.isdisjoint(got) or (prefixes and any(s.startswith(prefixes) for s in got)):
            return True
        if any(_matches(p, got) for p in phrases):
            return True
    return False


def tag(text: str | None, themes: Iterable[Theme]) -> frozenset[str]:
    """The keys of the themes `text` mentions (empty for no comment)."""
    if not text:
        return frozenset()
    tokens = words(text)
    stems = {lang: [stem(w, lang) for w in tokens] for lang in STEMMERS}
    return frozenset(t.key for t in themes if _mentions(t, stems))


@cache
def _lexicon(words_by_lang: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, frozenset[str]]:
    return {lang: frozenset(stem(w, lang) for w in ws) for lang, ws in words_by_lang}


def _praise_clause(tokens: Sequence[str]) -> bool:
    """True when a clause holds a word of praise and no negation, in either language."""
    praise = _lexicon(tuple(PRAISE.items()))
    negation = _lexicon(tuple(NEGATION.items()))
    stems = {lang: {stem(w, lang) for w in tokens} for lang in STEMMERS}
    if any(not negation[lang].isdisjoint(stems[lang]) for lang in STEMMERS):
        return False
    return any(not praise[lang].isdisjoint(stems[lang]) for lang in STEMMERS)


def praised(text: str | None, themes: Iterable[Theme]) -> frozenset[str]:
    """The keys of the themes `text` names only in praise: every clause naming them is praise.

    "Conseiller très aimable, mais le réseau coupe" -> {"advisor"}; a theme found in the whole text but
    in no single clause (a phrase cut by a comma) is not praised, so it counts as a complaint.
    """
    if not text:
        return frozenset()
    themes = tuple(themes)
    naming: dict[str, list[bool]] = {}
    for clause in _CLAUSE.split(normalise(text)):
        tokens = _WORD.findall(clause)
        if not tokens:
            continue
        found = tag(clause, themes)
        if found:
            is_praise = _praise_clause(tokens)
            for key in found:
                naming.setdefault(key, []).append(is_praise)
    return frozenset(k for k, flags in naming.items() if all(flags))


def mentions_all(text: str | None, query: str) -> bool:
    """True when `text` holds every word of `query` (a search box), in either language, any ending."""
    wanted = words(query)
    if not text or not wanted:
        return False
    tokens = words(text)
    stems = {lang: [stem(w, lang) for w in tokens] for lang in STEMMERS}
    return all(
        any(
            _matches(Pattern(lang=lang, stems=(stem(w, lang),), prefix=True), stems[lang])
            for lang in STEMMERS
        )
        for w in wanted
    )
