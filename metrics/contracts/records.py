"""The shapes of a data contract: how a column is parsed and checked, and what a dataset is made of."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from metrics.contracts.naming import closest, normalise_header
from metrics.errors import UnknownColumn


def bilingual(fr: str, en: str) -> Mapping[str, str]:
    """A label in both languages the product speaks."""
    return {"fr": fr, "en": en}


class Kind(enum.StrEnum):
    """How a column is parsed from text and stored."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    MONTH = "month"
    BOOLEAN = "boolean"


SQL_TYPES: Mapping[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.INTEGER: "BIGINT",
    Kind.DECIMAL: "DOUBLE",
    Kind.DATE: "DATE",
    Kind.TIMESTAMP: "TIMESTAMP",
    Kind.MONTH: "DATE",
    Kind.BOOLEAN: "BOOLEAN",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Column:
    """One column of a dataset: how it is named, parsed, checked and whether it splits metrics."""

    name: str
    kind: Kind
    label: Mapping[str, str]
    required: bool = False
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # canonical value -> spellings seen in exports; with closed=True anything else is refused
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    closed: bool = False
    dimension: bool = False
    # a blank cell of a required column is a non-response, not an error: the row is skipped and counted
    # under this reason key (metrics.ingest.reasons), e.g. an optional NPS question left unanswered
    blank_means: str | None = None
    # a number counting "seconds", "minutes" or "hours" also reads a duration as ACD and workforce
    # exports write it (metrics.ingest.parsing.duration_expr): "00:05:23", "5:23", "7:30"
    duration: str | None = None

    def accepted_headers(self) -> tuple[str, ...]:
        """Every normalised header that maps to this column."""
        return tuple(dict.fromkeys(normalise_header(h) for h in (self.name, *self.aliases)))

    def but(
        self,
        *,
        label: Mapping[str, str] | None = None,
        required: bool | None = None,
        dimension: bool | None = None,
    ) -> Column:
        """The same shared column (name, kind, aliases, values) as one dataset needs it."""
        return replace(
            self,
            label=self.label if label is None else label,
            required=self.required if required is None else required,
            dimension=self.dimension if dimension is None else dimension,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Dataset:
    """A kind of file the operator exports, and the table it lands in."""

    key: str
    label: Mapping[str, str]
    row_is: Mapping[str, str]
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]
    date_column: str | None = None

    @property
    def table(self) -> str:
        """The table holding the current rows."""
        return f"ds_{self.key}"

    @property
    def replaced_table(self) -> str:
        """The table holding rows an import replaced, so that a roll-back can restore them."""
        return f"replaced_{self.key}"

    def column(self, name: str) -> Column:
        """The declared column called `name`, or an error that suggests the closest one."""
        for col in self.columns:
            if col.name == name:
                return col
        names = [c.name for c in self.columns]
        raise UnknownColumn(self.key, name, [m for m in (closest(name, names),) if m])

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns a file must provide."""
        return tuple(c for c in self.columns if c.required)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Columns that metrics can be split and filtered by."""
        return tuple(c.name for c in self.columns if c.dimension)
