"""The error family: problems a person can act on, shown as one sentence, never a traceback."""

from __future__ import annotations


class CxError(Exception):
    """A problem the user can fix; callers show str(err), never a traceback."""


class ImportRefused(CxError):
    """The whole file is refused and the database is left untouched."""


class StoreBusy(CxError):
    """Another process holds the database file for longer than we are willing to wait."""


class UnknownName(CxError):
    """A metric, dataset, dimension or column name that is not declared."""


class BadSetting(CxError):
    """A `CX_*` environment variable whose value cannot be used."""

    def __init__(self, name: str, raw: str, expected: str) -> None:
        self.name, self.raw, self.expected = name, raw, expected
        super().__init__(f'{name} is "{raw}"; expected {expected}; fix or unset it')
