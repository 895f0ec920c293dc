"""Reference docs generated from the declarations, so they cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from metrics.datasets import DATASETS, Column
from metrics.parsing import range_text

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"


def _allowed(col: Column) -> str:
    parts = []
    if col.values:
        values = ", ".join(f"`{v}`" for v in col.values)
        parts.append(values if col.closed else f"{values} (others kept as written)")
    if col.minimum is not None or col.maximum is not None:
        parts.append(range_text(col))
    return "; ".join(parts)


def data_contracts() -> str:
    """docs/data-contracts.md: every dataset, its columns, types, rules and accepted headers."""
    out = [
        "# Data contracts",
        "",
        "Generated from `metrics/datasets.py` by `python -m metrics docs`;",
        "a test fails when this file is stale.",
        "",
        "Files may be CSV (separator `;`, `,`, tab or `|`; UTF-8 with or without BOM, cp1252, Latin-1",
        "or UTF-16; decimal commas; dates `dd/mm/yyyy` with or without a time, ISO dates, Excel serial",
        "dates) or `.xlsx`.",
        "Headers match case-, accent-, space- and punctuation-insensitively; anything else is mapped with",
        "`--map column=header`. Yes/no columns accept oui/non, o/n, yes/no, true/false, vrai/faux, 1/0.",
        "",
    ]
    for ds in DATASETS.values():
        out += [
            f"## `{ds.key}`: {ds.label['en']} / {ds.label['fr']}",
            "",
            f"One row is {ds.row_is['en']}. Key: {', '.join(f'`{k}`' for k in ds.key_columns)} "
            "(a row whose key exists replaces the old one and counts as updated).",
            "",
            "| column | type | required | allowed | headers accepted |",
            "|---|---|---|---|---|",
        ]
        for col in ds.columns:
            headers = ", ".join(f"`{h}`" for h in (col.name, *col.aliases))
            out.append(
                f"| `{col.name}` | {col.kind.value} | {'yes' if col.required else ''} "
                f"| {_allowed(col)} | {headers} |"
            )
        out.append("")
    return "\n".join(out)


def metrics_reference() -> str:
    """docs/metrics.md: every declared metric, what it measures, its unit, kind and dataset."""
    from metrics.definitions import METRICS
    from metrics.query import dimensions_of

    out = [
        "# Metrics",
        "",
        "Generated from `metrics/definitions.py` by `python -m metrics docs`;",
        "a test fails when this file is stale. Every value comes with `n`, and NPS, proportions, means,",
        "rates and medians with a 95% margin of error (`moe`, `low`, `high`).",
        "",
        "| metric | label (fr / en) | meaning | unit | kind | dataset | better | split by |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in METRICS.values():
        better = "higher" if m.higher_is_better else "lower"
        out.append(
            f"| `{m.key}` | {m.label['fr']} / {m.label['en']} | {m.description['en']} | {m.unit.value} "
            f"| {m.kind.value} | `{m.dataset}` | {better} | {', '.join(dimensions_of(m))} |"
        )
    out.append("")
    return "\n".join(out)


GENERATED = {"data-contracts.md": data_contracts, "metrics.md": metrics_reference}


def write_docs(directory: Path = DOCS_DIR) -> list[Path]:
    """Write every generated doc; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in GENERATED.items():
        path = directory / name
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written
