"""The error family: problems a person can act on, shown as one sentence, never a traceback.

Each error carries its fields; typed ones also name a catalogue sentence (`metrics.catalogue`), so
the CLI renders it in English with its fix ("use --map ...") and a page in the reader's language
with the page's own fix. Callers match on the class and its fields, never on the message text.
Exit codes: a `Misuse` (a bad option, argument or name) exits 2, like click's own usage errors;
every other `CxError` is refused input and exits 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from metrics.catalogue import N_

if TYPE_CHECKING:
    from metrics.semantic.records import Metric

# a catalogue message id: `refused.empty`, `import.partial@cli` (tests/test_messages.py uses the same shape)
MESSAGE_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(@[a-z]+)?$")


class CxError(Exception):
    """A problem the user can fix; callers show `render(lang, surface)`, never a traceback.

    Raised with a catalogue key and its fields, `ImportRefused(N_("refused.empty"), file=name)`, so the
    sentence lives once in `metrics/locale` and each surface shows it in its reader's language. A
    message that is not a key is kept as is: it quotes a sentence another error already rendered.
    """

    exit_code: ClassVar[int] = 1
    key: str | None = None  # the catalogue message, when raised with one
    fields: dict[str, object]

    def __init__(self, message: str = "", /, **fields: object) -> None:
        """`message` is a catalogue key filled with `fields`; str() of the error is its English."""
        if MESSAGE_KEY.match(message):
            self.key, self.fields = message, fields
            message = self.render()
        super().__init__(message)

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The sentence in `lang` for `surface` ("cli" or "page")."""
        if self.key is None:
            return str(self)
        from metrics.catalogue import text

        return text(self.key, lang, surface=surface, **self.fields)


class Misuse(CxError):
    """The command was asked for something that cannot be: a bad option, argument or name (exit 2)."""

    exit_code: ClassVar[int] = 2


class ImportRefused(CxError):
    """The whole file is refused and the database is left untouched."""


class StoreBusy(CxError):
    """Another process holds the database file for longer than we are willing to wait."""


class UnknownName(Misuse):
    """A metric, dataset, dimension or column name that is not declared."""


class BadOption(Misuse):
    """An option whose value cannot be used, e.g. `--map score` without `=HEADER`."""


class ImportOptionRefused(BadOption, ImportRefused):
    """An import option that cannot be used (`--map score`): misuse, exit 2, and nothing is imported."""


class _Catalogued:
    """Mixin: the sentence is the catalogue entry `key` filled with the error's fields."""

    key: ClassVar[str]
    fields: dict[str, object]

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The catalogue sentence in `lang`, with the fix `surface` gives."""
        from metrics.catalogue import text

        return text(self.key, lang, surface=surface, **self.fields) + self._hint(lang)

    def _hint(self, lang: str) -> str:
        return ""


class BadSetting(CxError):
    """A `CX_*` environment variable whose value cannot be used."""

    def __init__(self, name: str, raw: str, expected: str) -> None:
        """Keep the variable, its value and what is expected (a catalogue key, `setting.cx_db.valid`)."""
        self.name, self.raw, self.expected = name, raw, expected
        super().__init__(N_("error.bad_setting"), name=name, raw=raw)

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The sentence in `lang`, saying in `lang` too what a valid value looks like."""
        from metrics.catalogue import text

        return text(str(self.key), lang, surface=surface, expected=text(self.expected, lang), **self.fields)


class AlreadyImported(_Catalogued, ImportRefused):
    """The same file (by content) is already in the dataset: import it again only after a roll-back."""

    key = N_("error.already_imported")

    def __init__(self, *, file: str, dataset: str, import_id: int, when: str) -> None:
        """Keep the earlier import as fields; the message is the CLI's English rendering."""
        self.import_id = import_id
        self.fields = {"file": file, "dataset": dataset, "import_id": import_id, "when": when}
        super().__init__(self.render())


class NoSuchImport(_Catalogued, Misuse):
    """A roll-back or listing asked for an import id that does not exist."""

    key = N_("error.no_such_import")

    def __init__(self, import_id: int) -> None:
        """Keep the id asked for."""
        self.import_id = import_id
        self.fields = {"import_id": import_id}
        super().__init__(self.render())


class AlreadyRolledBack(_Catalogued, CxError):
    """A roll-back of an import that was already rolled back."""

    key = N_("error.already_rolled_back")

    def __init__(self, import_id: int) -> None:
        """Keep the id."""
        self.import_id = import_id
        self.fields = {"import_id": import_id}
        super().__init__(self.render())


class RollbackBlocked(_Catalogued, CxError):
    """A roll-back refused because later imports replaced some of the import's rows."""

    key = N_("error.rollback_blocked")

    def __init__(self, import_id: int, later: Sequence[int]) -> None:
        """Keep the import and the later ones to roll back first."""
        self.import_id, self.later = import_id, tuple(later)
        self.fields = {"import_id": import_id, "later": ", ".join(str(i) for i in later)}
        super().__init__(self.render())


def _did_you_mean(match: str | None, lang: str) -> str:
    from metrics.catalogue import text

    return text("hint.did_you_mean", lang, match=match) if match else ""


class UnknownMetric(_Catalogued, UnknownName):
    """A metric key that is not declared, with the closest declared keys."""

    key = N_("error.unknown_metric")

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        """Keep the key asked for and the closest declared ones (best first)."""
        self.name, self.suggestions = name, tuple(suggestions)
        self.fields = {"name": name}
        super().__init__(self.render())

    def _hint(self, lang: str) -> str:
        return _did_you_mean(next(iter(self.suggestions), None), lang)


class UnknownColumn(_Catalogued, UnknownName):
    """A column name a dataset does not declare."""

    key = N_("error.unknown_column")

    def __init__(self, dataset: str, name: str, suggestions: Sequence[str] = ()) -> None:
        """Keep the dataset, the name asked for and the closest declared columns."""
        self.dataset, self.name, self.suggestions = dataset, name, tuple(suggestions)
        self.fields = {"dataset": dataset, "name": name}
        super().__init__(self.render())

    def _hint(self, lang: str) -> str:
        return _did_you_mean(next(iter(self.suggestions), None), lang)


class MissingColumns(_Catalogued, ImportRefused):
    """A file without a column its dataset needs: what is missing, what was found, and a fix."""

    key = N_("error.missing_columns")

    def __init__(
        self,
        *,
        file: str,
        dataset: str,
        missing: Sequence[str],
        found: Sequence[str],
        fix: str,
        match: str | None = None,
        other: str | None = None,
    ) -> None:
        """`fix` is a catalogue key (fix.map_match...), `match` a fitting header, `other` a better dataset."""
        self.missing, self.found = tuple(missing), tuple(found)
        self.fix, self.match, self.other = fix, match, other
        self.fields = {
            "file": file,
            "dataset": dataset,
            "needs": ", ".join(f'"{m}"' for m in missing),
            "found": ", ".join(found) or "nothing",
            "column": missing[0],
            "match": match,
        }
        super().__init__(self.render())

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The sentence, the likely header, the surface's fix and a better-fitting dataset."""
        from metrics.catalogue import text

        out = super().render(lang, surface)
        if self.match:
            out += text("hint.did_you_mean_header", lang, match=self.match)
        # the CLI names the option that fixes it; every fix reads the same on the page (the mapping)
        fix = self.fix if surface == "cli" else N_("fix.map")
        out += text(fix, lang, surface=surface, **self.fields)
        if self.other:
            out += text("hint.other_dataset", lang, other=self.other)
        return out


class NotANumber(_Catalogued, CxError):
    """A number typed on a page that cannot be read in the reader's language ("50,5" in English)."""

    key = N_("error.not_a_number")

    def __init__(self, text: str) -> None:
        """Keep the text as typed."""
        self.text = text
        self.fields = {"text": text}
        super().__init__(self.render())

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The sentence with an example written the way `lang` writes decimals (62,8 / 62.8)."""
        from metrics.catalogue import text
        from metrics.reports.formatting import editable

        return text(self.key, lang, text=self.text, example=editable(62.8, 1, lang))


class OutOfRange(_Catalogued, CxError):
    """A typed value a metric cannot take (an NPS of 150, a rate of 100,3 %), with the values it can."""

    key = N_("error.out_of_range")

    def __init__(self, metric: Metric, value: float) -> None:
        """Keep the metric declaration and the value read."""
        self.metric, self.value = metric, value
        self.fields = {"metric": metric.key, "value": value}
        super().__init__(self.render())

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The sentence with the metric's label, the value and its range written for `lang`."""
        from metrics.catalogue import text
        from metrics.reports.formatting import possible_range, value

        return text(
            self.key,
            lang,
            metric=self.metric.label[lang],
            value=value(self.metric, self.value, lang),
            range=possible_range(self.metric, lang),
        )
