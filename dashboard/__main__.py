"""`python -m dashboard [streamlit options]`: the dashboard's server, its modules imported before it listens.

`streamlit run streamlit_app.py` imports pandas, scipy, plotly and the metric registry inside the first
visitor's page run: 1.4 s of the first open of a page. Importing them here, before the server answers its
health check, moves that wait to the server's start, when nobody is looking at a page. The pages are
scripts (Streamlit runs them), so what is imported is what they import: the dashboard's own modules.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import gc
import importlib
import importlib.util
import inspect
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "dashboard" / "pages"
NO_RUNTIME = "No runtime found"  # not user-facing: the start of Streamlit's own log line, filtered out


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
    # finding out whether `from a import b` names a module imports a: inside the quiet block too
    with _quiet("streamlit.runtime.caching.cache_data_api", NO_RUNTIME):
        names = sorted({n for script in sorted(PAGES.glob("*.py")) for n in page_imports(script)})
        for name in names:
            importlib.import_module(name)
    return names


@contextlib.contextmanager
def _quiet(logger: str, message: str) -> Iterator[None]:
    """Drop `logger`'s records starting with `message` while the pages' modules are imported.

    Each `st.cache_data` declared before the server runs warns "No runtime found", though its cache is
    made on its first call, inside the server, as usual. A filter, not a level: Streamlit resets its
    loggers' levels when it reads its config.
    """
    log = logging.getLogger(logger)

    def keep(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(message)

    log.addFilter(keep)
    try:
        yield
    finally:
        log.removeFilter(keep)


def warm() -> None:
    """Pay at start what the libraries pay on their first use in a process, instead of the first visitor.

    - `st.image` imports PIL on its first call, even for an SVG: 0.12 s.
    - babel reads each language's locale data (a pickle) the first time it formats in it: 0.1 s.
    - Streamlit's first element walks the call stack once (`env_util.is_repl`), and `inspect` then maps
      every loaded module to its file, one `realpath` each: 0.3 s with the pages' modules loaded.
      `inspect` keeps that map, so walking the stack here leaves the first page only the new modules.

    Then the objects made so far (modules, the registry, plotly's validators) leave the garbage
    collector's watch (`gc.freeze`): they live as long as the server, and each full collection walked
    them all, 0.1-0.2 s about once per page reload, against 0.01-0.05 s frozen.
    """
    import PIL.Image  # noqa: F401

    from metrics.reports import formatting

    for lang in formatting.LOCALES:  # babel reads a locale's data on its first use: 0.1 s for fr and en
        formatting.day(dt.date(2000, 1, 1), lang)
    inspect.stack()
    gc.collect()  # what is garbage already goes before the freeze, not forever
    gc.freeze()


def local_mode(secrets: Path = ROOT / ".streamlit" / "secrets.toml") -> bool:
    """True without an `[auth]` section in secrets.toml: nobody signs in, so everyone is admin."""
    import tomllib

    if not secrets.exists():
        return True
    try:
        return "auth" not in tomllib.loads(secrets.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True  # Streamlit refuses the file itself; without sign-in, stay on this machine


def with_address(argv: list[str], local: bool) -> list[str]:
    """In local mode the server listens on this machine only, unless told otherwise on purpose."""
    if not local or any(a.startswith("--server.address") for a in argv):
        return argv
    return [*argv, "--server.address", "127.0.0.1"]


def main(argv: list[str]) -> int:
    """Import the pages' modules, then run `streamlit run streamlit_app.py` in this process with `argv`."""
    preload()
    warm()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "streamlit_app.py"), *with_address(argv, local_mode())]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
