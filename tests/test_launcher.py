"""`python -m dashboard`: the modules every page imports are loaded before the server listens."""

from __future__ import annotations

import ast
import gc
import json
import subprocess
import sys
from pathlib import Path

from dashboard.__main__ import page_imports, warm

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "dashboard" / "pages").glob("*.py"))
LOADED = "import sys, json, dashboard.__main__ as m; m.preload(); print(json.dumps(list(sys.modules)))"


def loaded_after_preload() -> set[str]:
    """The modules a fresh interpreter holds after the preload (this test process has imported others)."""
    out = subprocess.run([sys.executable, "-c", LOADED], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def our_modules(text: str) -> set[str]:
    """Our modules in a page's `from dashboard... import a, b` lines, read plainly from the text."""
    found = set()
    for line in text.splitlines():
        if not line.startswith(("from dashboard", "from metrics")):
            continue
        package, names = line.split()[1], line.split(" import ")[1].replace(" as fmt", "")
        for name in (n.strip() for n in names.split(",")):
            module = f"{package}.{name}" if (ROOT / package.replace(".", "/")).is_dir() else package
            if (ROOT / (module.replace(".", "/") + ".py")).exists():
                found.add(module)
    return found


def test_every_module_of_ours_a_page_imports_is_loaded_by_the_preload():
    loaded = loaded_after_preload()
    assert len(PAGES) == 8
    for page in PAGES:
        ours = our_modules(page.read_text(encoding="utf-8"))
        assert ours, page.name
        assert ours <= loaded, (page.name, sorted(ours - loaded))


def test_the_heavy_libraries_are_loaded_before_any_page_runs():
    loaded = loaded_after_preload()
    assert {"pandas", "plotly.graph_objects", "scipy.special", "duckdb", "babel"} <= loaded
    assert {"dashboard.data", "dashboard.shell", "metrics.semantic.definitions"} <= loaded
    assert "streamlit_app" not in loaded  # the pages run in sessions, never at the server's start


def test_page_imports_names_modules_not_functions(tmp_path):
    script = tmp_path / "page.py"
    script.write_text(
        "import streamlit as st\n"
        "from dashboard import data, shell\n"
        "from dashboard.components.filters import lazy_tabs\n"
        "from metrics.semantic.definitions import metric\n"
        "if True:\n    import json\n",  # only the top level: a page's late imports stay late
        encoding="utf-8",
    )
    assert page_imports(script) == [
        "streamlit",
        "dashboard",
        "dashboard.data",
        "dashboard.shell",
        "dashboard.components.filters",
        "metrics.semantic.definitions",
    ]


WARMED = (
    "import gc, inspect, json, sys, dashboard.__main__ as m; m.preload(); m.warm(); "
    "import dashboard.data as d; "
    "print(json.dumps([d.__file__ in inspect.modulesbyfile, 'PIL.Image' in sys.modules, "
    "gc.get_freeze_count() > 100000]))"
)


def test_the_warm_up_fills_inspects_module_map_loads_pil_and_freezes_the_start_up_objects():
    out = subprocess.run([sys.executable, "-c", WARMED], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [True, True, True]
    cold = WARMED.replace(" m.warm();", "")
    out = subprocess.run([sys.executable, "-c", cold], cwd=ROOT, capture_output=True, text=True, check=True)
    # without it the first visitor pays inspect's module map and PIL, and every collection walks all
    assert json.loads(out.stdout) == [False, False, False]


def test_the_preload_prints_no_warning():
    out = subprocess.run([sys.executable, "-c", LOADED], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "WARNING" not in out.stderr, out.stderr[:500]


def test_warm_runs_in_this_process():
    try:
        warm()  # no server, no session: it must not need one
    finally:
        gc.unfreeze()


def test_no_page_relies_on_streamlit_magic():
    # magic is off (.streamlit/config.toml): a bare expression would silently show nothing
    for script in [*PAGES, ROOT / "streamlit_app.py"]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Expr):
                value = node.value
                docstring = isinstance(value, ast.Constant) and isinstance(value.value, str)
                assert isinstance(value, ast.Call) or docstring, (script.name, node.lineno)
    assert "magicEnabled = false" in (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
