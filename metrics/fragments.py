"""SQL text with its parameters: what every layer that writes SQL (contracts, ingest, semantic) passes along.

It lives below them all so that none of them imports another just for this record.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fragment:
    """SQL text plus the parameters its `?` placeholders take, in order."""

    sql: str
    params: list[object] = field(default_factory=list)
