"""Demo data for a telecom operator: seeded, deterministic CSV files in the French export style.

    files = generate(Path("data/demo"), responses=5_000, seed=42)   # CSV files a user can open
    reports = load(store, files)                                      # through the normal import
    reports = load_direct(store, responses=5_000, seed=42)            # the same rows, no file read back

`DEMO_STORIES` names what a user can find (the region ahead, the region behind, the reorganised
region and its date, the team too small to show) so tests and docs never repeat the literals.
"""

from __future__ import annotations

from metrics.demo.generation import (
    DASHBOARD_RESPONSES,
    DATASET_ORDER,
    DEFAULT_RESPONSES,
    DEFAULT_SEED,
    generate,
    load,
    planned_rows,
)
from metrics.demo.world import DEMO_STORIES, REGIONS, SITES, DemoStories, default_as_of


def __getattr__(name: str) -> object:
    """`load_direct` loads on first use: it needs the import machinery, which `generate` does not."""
    if name == "load_direct":
        from metrics.demo.direct import load_direct

        return load_direct
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")  # not user-facing: Python's own


__all__ = [
    "DASHBOARD_RESPONSES",
    "DATASET_ORDER",
    "DEFAULT_RESPONSES",
    "DEFAULT_SEED",
    "DEMO_STORIES",
    "REGIONS",
    "SITES",
    "DemoStories",
    "default_as_of",
    "generate",
    "load",
    "load_direct",
    "planned_rows",
]
