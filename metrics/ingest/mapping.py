"""Which file column feeds which declared column: aliases first, then the user's explicit mapping.

The same mapping object serves the CLI (`--map score=note`) and the dashboard's mapping editor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from metrics.catalogue import N_
from metrics.contracts.datasets import DATASETS, Column, Dataset, Kind
from metrics.contracts.naming import closest, did_you_mean, normalise_header
from metrics.errors import ImportOptionRefused, ImportRefused, MissingColumns
from metrics.ingest.options import parse_pairs
from metrics.ingest.parsing import DURATION, FALSE_WORDS, TRUE_WORDS
from metrics.ingest.sources import HeaderScore

ROW_HASH = "(row hash)"
POSITION = re.compile(r"^#(\d+)$")  # --map comment=#6: the file's 6th column, when two share a name
_DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?(\b|T)")


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Declared column -> position of the file column that feeds it."""

    dataset: str
    headers: tuple[str, ...]
    positions: Mapping[str, int]
    constants: Mapping[str, str] = field(default_factory=dict)  # --set: one value for every row
    row_id: str | None = None  # the key column made from a hash of each row's cells (--row-id)

    def provided(self) -> frozenset[str]:
        """Declared columns that get a value: from the file, a constant or the row hash."""
        return frozenset((*self.positions, *self.constants, *([self.row_id] if self.row_id else [])))

    def header_of(self, column: str) -> str:
        """The file's own header for a declared column, or the option that feeds it (messages, reports)."""
        if column in self.constants:
            return f"--set {column}"
        if column == self.row_id:
            return "--row-id"
        return self.headers[self.positions[column]] or f"column {self.positions[column] + 1}"

    def as_dict(self) -> dict[str, str]:
        """Declared column -> file header (or `= value`, or the row hash), as stored with the import."""
        out = {col: self.header_of(col) for col in self.positions}
        out |= {col: f"= {value}" for col, value in self.constants.items()}
        if self.row_id:
            out[self.row_id] = ROW_HASH
        return out


def suggest(ds: Dataset, headers: Sequence[str]) -> dict[str, int]:
    """Declared column -> position of the first header matching its name or an alias."""
    found: dict[str, int] = {}
    taken: set[int] = set()
    normalised = [normalise_header(h) for h in headers]
    for col in ds.columns:
        accepted = col.accepted_headers()
        # the canonical name wins over aliases, then aliases in declared order
        for candidate in accepted:
            for pos, header in enumerate(normalised):
                if header == candidate and pos not in taken:
                    found[col.name] = pos
                    taken.add(pos)
                    break
            if col.name in found:
                break
    return found


def header_score(ds: Dataset) -> HeaderScore:
    """How many declared columns a header row provides, required ones weighing double."""

    def score(cells: tuple[str, ...]) -> float:
        matched = suggest(ds, cells)
        return sum(2.0 if ds.column(name).required else 1.0 for name in matched)

    return score


def detect_dataset(headers: Sequence[str]) -> list[tuple[str, float]]:
    """Datasets ranked by how well the headers fit them; complete ones (all required) first."""
    ranked = []
    for ds in DATASETS.values():
        matched = suggest(ds, headers)
        required = sum(c.name in matched for c in ds.required) / len(ds.required)
        share = len(matched) / len(ds.columns)
        # complete files score >= 1; among the rest, required columns found weigh most
        ranked.append((ds.key, (1.0 if required == 1 else 0.0) + 0.5 * required + 0.1 * share))
    return sorted(ranked, key=lambda item: -item[1])


def _better_fit(ds: Dataset, headers: Sequence[str], matched: int) -> str | None:
    """Another dataset these headers fill completely and better, e.g. a workload file offered as responses."""
    for key, fit in detect_dataset(headers):
        if key != ds.key and fit >= 1.0 and len(suggest(DATASETS[key], headers)) > matched:
            return key
    return None


def parse_map_options(pairs: Sequence[str]) -> dict[str, str]:
    """`["score=note", ...]` -> {"score": "note"}; a malformed pair is a usage error."""
    return parse_pairs("--map", pairs, "score=note")


_DURATION = re.compile(DURATION)  # a duration's spelling, as the SQL reads it


def _parses_as(col: Column, value: str) -> bool:
    """Whether one sample cell could feed `col` (a cheap Python twin of the SQL parse)."""
    text = value.strip()
    match col.kind:
        case Kind.DECIMAL if col.duration and _DURATION.match(text):
            return True
        case Kind.INTEGER | Kind.DECIMAL:
            try:
                float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
            except ValueError:
                return False
            return True
        case Kind.DATE | Kind.TIMESTAMP | Kind.MONTH:
            # an Excel serial (45000) or a compact date (991001, 19991001)
            return bool(_DATE_LIKE.match(text)) or (
                text.isdigit() and (20000 <= int(text) <= 80000 or len(text) in (6, 8))
            )
        case Kind.BOOLEAN:
            return text.lower() in (*TRUE_WORDS, *FALSE_WORDS)
        case _:
            return True


def typed_candidates(col: Column, headers: Sequence[str], samples: Sequence[Sequence[str]]) -> list[int]:
    """Positions whose sample values mostly parse as `col`'s type (all positions when there is no sample)."""
    keep = []
    for pos in range(len(headers)):
        cells = [r[pos] for r in samples if pos < len(r) and r[pos].strip()]
        if not cells or sum(_parses_as(col, c) for c in cells) * 2 >= len(cells):
            keep.append(pos)
    return keep


def find_column(source: str, names: Sequence[Sequence[str]]) -> tuple[int, ...]:
    """Every position answering to `source` in any header row: exactly, else `#N`, else folded."""
    exact = tuple(pos for pos, group in enumerate(names) if source in group)
    if exact:
        return exact
    number = POSITION.match(source.strip())
    if number and 1 <= int(number.group(1)) <= len(names):
        return (int(number.group(1)) - 1,)
    key = normalise_header(source)
    return tuple(pos for pos, group in enumerate(names) if any(normalise_header(n) == key for n in group))


def _namesakes(headers: Sequence[str], pos: int) -> tuple[int, ...]:
    """The positions whose header has the same name as `pos`'s once case and accents are folded."""
    key = normalise_header(headers[pos])
    return tuple(p for p, h in enumerate(headers) if key and normalise_header(h) == key)


def _refuse_ambiguous(column: str, headers: Sequence[str], twins: Sequence[int], file_name: str) -> None:
    """Refuse a declared column fed by a header that two file columns carry (Google Forms sections)."""
    *shown, last = [f'{p + 1} ("{headers[p]}")' for p in twins]
    *picks, last_pick = [f"--map {column}=#{p + 1}" for p in twins]
    raise ImportRefused(
        N_("refused.same_name_columns"),
        file=file_name,
        columns=", ".join(shown),
        last=last,
        column=column,
        picks=", ".join(picks),
        last_pick=last_pick,
    )


def _check_declared(ds: Dataset, option: str, target: str, value: str, file_name: str) -> None:
    declared = [c.name for c in ds.columns]
    if target not in declared:
        raise ImportOptionRefused(
            N_("refused.option_no_such_column"),
            file=file_name,
            option=option,
            target=target,
            value=value,
            dataset=ds.key,
            hint=did_you_mean(target, declared),
            columns=", ".join(declared),
        )


def _row_id_column(ds: Dataset, file_name: str) -> str:
    if len(ds.key_columns) != 1 or ds.column(ds.key_columns[0]).kind is not Kind.TEXT:
        raise ImportOptionRefused(
            N_("refused.row_id_not_single"), file=file_name, dataset=ds.key, keys=", ".join(ds.key_columns)
        )
    return ds.key_columns[0]


def resolve(
    ds: Dataset,
    headers: Sequence[str],
    explicit: Mapping[str, str] | None = None,
    file_name: str = "the file",
    *,
    constants: Mapping[str, str] | None = None,
    row_id: bool = False,
    names: Sequence[Sequence[str]] | None = None,
    samples: Sequence[Sequence[str]] = (),
) -> ColumnMapping:
    """The full mapping, or a refusal naming what is missing, what was found and how to fix it.

    `names` gives every name each column answers to (a survey tool's several header rows); one file
    column may feed several declared columns; `constants` and `row_id` feed columns the file lacks.
    """
    headers = tuple(headers)
    names = names or [(h,) for h in headers]
    positions = suggest(ds, headers)
    # a column picked by a name two file columns share; refused below if it is still mapped that way
    twins = {c: _namesakes(headers, p) for c, p in positions.items()}
    chosen: set[str] = set()
    for target, source in (explicit or {}).items():
        _check_declared(ds, "--map", target, source, file_name)
        found = find_column(source, names)
        if not found:
            raise ImportOptionRefused(
                N_("refused.map_no_such_header"),
                file=file_name,
                target=target,
                source=source,
                found=", ".join(shown_headers(headers)),
                hint=did_you_mean(source, [n for g in names for n in g]),
            )
        pos, twins[target] = found[0], found
        # an explicit choice replaces what the aliases picked for that header; explicit choices add up
        positions = {c: p for c, p in positions.items() if c != target and (p != pos or c in chosen)}
        positions[target] = pos
        chosen.add(target)
    for target, value in (constants or {}).items():
        _check_declared(ds, "--set", target, value, file_name)
        positions.pop(target, None)
    key = _row_id_column(ds, file_name) if row_id else None
    if key:
        positions.pop(key, None)
    for column, pos in positions.items():
        if len(twins.get(column, ())) > 1 and pos in twins[column]:
            _refuse_ambiguous(column, headers, twins[column], file_name)
    cmap = ColumnMapping(ds.key, headers, positions, dict(constants or {}), key)
    missing = [c.name for c in ds.required if c.name not in cmap.provided()]
    if missing:
        raise _missing_columns(ds, cmap, missing, file_name, samples)
    return cmap


HEADER_TYPO = 0.7  # difflib similarity from which a file header is offered as a typo of an accepted one


def shown_headers(headers: Sequence[str]) -> list[str]:
    """The file's headers as a message shows them, personal data masked as in free text.

    A header is what the sniffer took for one: with a quote left open, a data row can be read as the
    header, and the message would print a customer's phone number.
    """
    from metrics.ingest.pii import mask_text  # pii reads ColumnMapping from this module

    return [mask_text(h) if h else h for h in headers]


def _missing_columns(
    ds: Dataset, cmap: ColumnMapping, missing: list[str], file_name: str, samples: Sequence[Sequence[str]]
) -> MissingColumns:
    """What is missing, what was found, and a fix: a header whose values fit the type, --set or --row-id."""
    headers = cmap.headers
    col = ds.column(missing[0])
    fitting = set(typed_candidates(col, headers, samples))
    unused = [h for pos, h in enumerate(headers) if pos not in cmap.positions.values() and pos in fitting]
    # a header is offered only when it reads like a misspelling of an accepted one: "notte" for "note"
    # (0.89), never "location" for "n° réclamation" (0.60, two different words sharing "-ation")
    match = next((m for m in (closest(s, unused, HEADER_TYPO) for s in col.accepted_headers()) if m), None)
    if match:
        fix = N_("fix.map_match")
    elif col.name in ds.key_columns and len(ds.key_columns) == 1:
        fix = N_("fix.map_or_row_id")
    elif col.kind is Kind.TEXT:
        fix = N_("fix.map_or_set")
    else:
        fix = N_("fix.rename_or_map")
    return MissingColumns(
        file=file_name,
        dataset=ds.key,
        missing=missing,
        found=shown_headers(headers),
        fix=fix,
        match=match,
        other=_better_fit(ds, headers, len(cmap.positions)),
    )
