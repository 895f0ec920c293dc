"""`python -m dashboard [streamlit options]`: the dashboard's server, its modules imported before it listens.

`streamlit run streamlit_app.py` imports pandas, scipy, plotly and the metric registry inside the first
visitor's page run: 1.4 s of the first open of a page. Importing them here, before the server answers its
health check, moves that wait to the server's start, when nobody is looking at a page. The pages are
scripts (Streamlit runs them), so what is imported is what they import: the dashboard's own modules.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "dashboard" / "pages"


def page_imports(script: Path) -> list[str]:
    """The modules a page script imports at its top: `from a import b` gives a, and a.b when b is a module."""
    names: list[str] = []
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")]
    return names


def _is_module(name: str) -> bool:
    """True when `name` is an importable module (not a function or class imported from one)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent is not a package: `name` is an attribute
        return False


def preload() -> list[str]:
    """Import every module the page scripts import (and through them pandas, plotly, scipy, the registry)."""
    names = sorted({n for script in sorted(PAGES.glob("*.py")) for n in page_imports(script)})
    for name in names:
        importlib.import_module(name)
    return names


def main(argv: list[str]) -> int:
    """Import the pages' modules, then run `streamlit run streamlit_app.py` in this process with `argv`."""
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "streamlit_app.py"), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
