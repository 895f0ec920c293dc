"""Which file column feeds which declared column: aliases first, then the user's explicit mapping.

The same mapping object serves the CLI (`--map score=note`) and the dashboard's mapping editor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from metrics.datasets import DATASETS, Dataset
from metrics.errors import ImportRefused
from metrics.naming import closest, did_you_mean, normalise_header
from metrics.sources import HeaderScore


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Declared column -> position of the file column that feeds it."""

    dataset: str
    headers: tuple[str, ...]
    positions: Mapping[str, int]

    def header_of(self, column: str) -> str:
        """The file's own header for a declared column (for messages and reports)."""
        return self.headers[self.positions[column]]

    def as_dict(self) -> dict[str, str]:
        """Declared column -> file header, as shown to users and stored with the import."""
        return {col: self.headers[pos] for col, pos in self.positions.items()}


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
    explicit: dict[str, str] = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source.strip():
            raise ImportRefused(f"--map {pair!r}: expected COLUMN=HEADER, e.g. --map score=note")
        explicit[target.strip()] = source.strip()
    return explicit


def resolve(
    ds: Dataset,
    headers: Sequence[str],
    explicit: Mapping[str, str] | None = None,
    file_name: str = "the file",
) -> ColumnMapping:
    """The full mapping, or a refusal naming what is missing, what was found and how to fix it."""
    headers = tuple(headers)
    positions = suggest(ds, headers)
    declared = [c.name for c in ds.columns]
    normalised = [normalise_header(h) for h in headers]
    for target, source in (explicit or {}).items():
        if target not in declared:
            raise ImportRefused(
                f'{file_name}: --map {target}={source}: {ds.key} has no column "{target}"'
                f"{did_you_mean(target, declared)}; columns: {', '.join(declared)}"
            )
        if source in headers:
            pos = headers.index(source)
        elif normalise_header(source) in normalised:
            pos = normalised.index(normalise_header(source))
        else:
            raise ImportRefused(
                f'{file_name}: --map {target}={source}: the file has no column "{source}"; '
                f"found: {', '.join(headers)}{did_you_mean(source, headers)}"
            )
        # an explicit choice replaces whatever the aliases picked, on both sides
        positions = {col: p for col, p in positions.items() if p != pos and col != target}
        positions[target] = pos
    missing = [c.name for c in ds.required if c.name not in positions]
    if missing:
        unused = [h for pos, h in enumerate(headers) if pos not in positions.values()]
        needs = ", ".join(f'"{m}"' for m in missing)
        message = f"{file_name}: {ds.key} needs a column {needs}; found: {', '.join(headers) or 'nothing'}."
        spellings = ds.column(missing[0]).accepted_headers()
        match = next((m for m in (closest(s, unused) for s in spellings) if m), None)
        if match:
            message += f' Did you mean "{match}"? Use --map {missing[0]}={match}'
        else:
            message += f" Rename a column or use --map {missing[0]}=YOUR_HEADER"
        other = _better_fit(ds, headers, len(positions))
        if other:
            message += f". It looks like a {other} file: import it into {other} instead"
        raise ImportRefused(message)
    return ColumnMapping(dataset=ds.key, headers=headers, positions=positions)
