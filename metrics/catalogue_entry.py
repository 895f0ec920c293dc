"""What one catalogue sentence is: both languages, plural forms, and the fix each surface names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGS = ("fr", "en")
SURFACES = ("cli", "page")

Template = str | Mapping[str, str]  # a sentence, or its plural forms by CLDR category


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """One sentence in both languages; `count` names the field whose number picks the plural form."""

    fr: Template
    en: Template
    count: str | None = None
    fix: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # surface -> {lang: ending}

    def template(self, lang: str) -> Template:
        """The template in `lang`."""
        return self.fr if lang == "fr" else self.en


def plural(one: str, other: str) -> Mapping[str, str]:
    """The two plural forms French and English need (CLDR `one` and `other`)."""
    return {"one": one, "other": other}


PAGE_MAP = {
    "fr": " Choisissez la colonne du fichier qui alimente {column} dans la correspondance ci-dessus",
    "en": " Choose the file column that feeds {column} in the mapping above",
}
