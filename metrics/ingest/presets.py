"""Survey tools' export shapes, declared once: header rows, id and date columns, rows that are not answers.

Shapes as each tool documents its CSV export:
- Qualtrics (current): row 1 column ids (`ResponseId`, `QID1`...), row 2 question texts, row 3
  `{"ImportId": ...}`; `Status` = `Survey Preview` for previews, `Finished` = 0 / False for unfinished.
- Qualtrics legacy: row 1 `V1`, `V2`... and `Q1`..., row 2 labels and question texts (`ResponseID`...).
- SurveyMonkey: row 1 questions, row 2 `Response` / `Open-Ended Response` / the choice under each.
- Google Forms: one header row starting with `Timestamp` (`Horodateur` in French); no response id.
- Typeform: one header row with `#` (the response token), `Submit Date (UTC)` and `Network ID`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from metrics.catalogue import N_
from metrics.contracts.naming import did_you_mean, normalise_header
from metrics.errors import ImportOptionRefused

Rows = Sequence[Sequence[str]]  # the header row, then the rows under it
SURVEY_DATASET = "responses"  # presets are detected only for survey answers; --preset applies anywhere
_SUBMITTED = "Submit Date (UTC)"  # not user-facing: Typeform's header, data the import matches


@dataclass(frozen=True, kw_only=True, slots=True)
class Drop:
    """Rows whose `header` column holds one of `values` are not answers: skipped and counted."""

    header: str
    values: tuple[str, ...]
    reason: str  # catalogue key in metrics.ingest.reasons
    when_empty: bool = False  # an empty cell drops the row too


@dataclass(frozen=True, kw_only=True, slots=True)
class Preset:
    """One survey tool's CSV export."""

    key: str
    label: str
    header_rows: int  # rows at the top that name columns; --map accepts a name from any of them
    mapping: Mapping[str, tuple[str, ...]]  # declared column -> the tool's headers for it, first found wins
    drops: tuple[Drop, ...] = ()
    row_id: bool = False  # the export has no response id: make one from the row's content
    certain: Callable[[Rows], bool] = field(default=lambda rows: False)


def _has(rows: Rows, *names: str) -> bool:
    first = {normalise_header(c) for c in rows[0]} if rows else set()
    return all(normalise_header(n) in first for n in names)


def _second_row_has(rows: Rows, text: str) -> bool:
    return len(rows) > 1 and any(text in c for c in rows[1])


def _third_row_has(rows: Rows, text: str) -> bool:
    return len(rows) > 2 and any(text in c for c in rows[2])


PRESETS: Mapping[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            key="qualtrics",
            label="Qualtrics",
            header_rows=3,
            mapping={
                "response_id": ("ResponseId", "ResponseID"),
                "responded_at": ("RecordedDate", "EndDate"),
            },
            drops=(
                Drop(header="Status", values=("survey preview", "1"), reason="preview_response"),
                Drop(header="Finished", values=("0", "false"), reason="unfinished_response"),
            ),
            certain=lambda rows: _has(rows, "ResponseId") and _third_row_has(rows, '{"ImportId"'),
        ),
        Preset(
            key="qualtrics-legacy",
            label="Qualtrics legacy",
            header_rows=2,
            mapping={"response_id": ("V1", "ResponseID"), "responded_at": ("V9", "EndDate")},
            drops=(
                Drop(header="V7", values=("survey preview", "1"), reason="preview_response"),
                Drop(header="V10", values=("0", "false"), reason="unfinished_response"),
            ),
            certain=lambda rows: _has(rows, "V1", "V9") and _second_row_has(rows, "ResponseID"),
        ),
        Preset(
            key="surveymonkey",
            label="SurveyMonkey",
            header_rows=2,
            mapping={"response_id": ("Respondent ID",), "responded_at": ("End Date",)},
            certain=lambda rows: (
                _has(rows, "Respondent ID", "Collector ID") and _second_row_has(rows, "Response")
            ),
        ),
        Preset(
            key="google-forms",
            label="Google Forms",
            header_rows=1,
            mapping={"responded_at": ("Timestamp", "Horodateur")},
            row_id=True,
            certain=lambda rows: (
                bool(rows) and bool(rows[0]) and normalise_header(rows[0][0]) in ("timestamp", "horodateur")
            ),
        ),
        Preset(
            key="typeform",
            label="Typeform",
            header_rows=1,
            mapping={
                "response_id": ("#", "Response ID"),
                "responded_at": (_SUBMITTED, "Submitted At"),
            },
            drops=(
                Drop(header="Response Type", values=("partial",), reason="unfinished_response"),
                Drop(header=_SUBMITTED, values=(), reason="unfinished_response", when_empty=True),
            ),
            certain=lambda rows: _has(rows, "Network ID", _SUBMITTED),
        ),
    )
}


def preset(key: str) -> Preset:
    """The preset called `key`, or a refusal listing them."""
    if key not in PRESETS:
        hint = did_you_mean(key, PRESETS)
        raise ImportOptionRefused(N_("refused.no_such_preset"), key=key, hint=hint, known=", ".join(PRESETS))
    return PRESETS[key]


def detect(rows: Rows) -> Preset | None:
    """The one preset whose headers make it certain, else None (never a guess)."""
    found = [p for p in PRESETS.values() if p.certain(rows)]
    return found[0] if len(found) == 1 else None


def header_names(p: Preset, rows: Rows) -> list[tuple[str, ...]]:
    """Every name a column answers to: one tuple per column, from each of the preset's header rows.

    SurveyMonkey writes a question once over all its sub-columns, so the question is carried right
    and also joined with the sub-header: "Channel - Other (please specify)".
    """
    first = list(rows[0]) if rows else []
    names: list[list[str]] = [[h] for h in first]
    carried = ""
    for extra in rows[1 : p.header_rows]:
        for i, cell in enumerate(extra[: len(first)]):
            carried = first[i] or carried
            if cell:
                names[i].append(cell)
                if p.key == "surveymonkey" and carried:
                    names[i].append(f"{carried} - {cell}")
    return [tuple(dict.fromkeys(n for n in group if n)) for group in names]
