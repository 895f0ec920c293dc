"""Name matching shared by headers, values and suggestions: French exports spell things many ways."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_header(text: str) -> str:
    """Fold case, accents, spaces and punctuation, so "N° Réponse" and "n_reponse" compare equal."""
    folded = unicodedata.normalize("NFKD", text.replace("°", " ").replace("º", " "))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _NOT_ALNUM.sub("", ascii_only)


def closest(wrong: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate spelled most like `wrong`, when one is close enough to be a likely typo."""
    pool = {normalise_header(c): c for c in candidates}
    close = difflib.get_close_matches(normalise_header(wrong), list(pool), n=1, cutoff=cutoff)
    return pool[close[0]] if close else None


def did_you_mean(wrong: str, candidates: Iterable[str]) -> str:
    """A '; did you mean "x"?' suffix when one candidate is close enough, else an empty string."""
    from metrics.catalogue import text

    match = closest(wrong, candidates)
    return text("hint.did_you_mean", "en", match=match) if match else ""
