"""`python -m dashboard`: the modules every page imports are loaded before the server listens."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from dashboard.__main__ import page_imports

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "dashboard" / "pages").glob("*.py"))
LOADED = "import sys, json, dashboard.__main__ as m; m.preload(); print(json.dumps(list(sys.modules)))"


def loaded_after_preload() -> set[str]:
    """The modules a fresh interpreter holds after the preload (this test process has imported others)."""
    out = subprocess.run([sys.executable, "-c", LOADED], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


# after the preload, each page's own top-level import statements are run (Python resolves them, not a
# copy of the preload's reading) and what they still had to load is reported
PAGE_IMPORTS_AFTER_PRELOAD = """
import ast, json, sys
from pathlib import Path
import dashboard.__main__ as m
m.preload()
left = {}
for page in sorted(Path("dashboard/pages").glob("*.py")):
    tree = ast.parse(page.read_text(encoding="utf-8"))
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    before = set(sys.modules)
    exec(compile(ast.Module(body=imports, type_ignores=[]), str(page), "exec"), {})
    left[page.name] = sorted(set(sys.modules) - before)
print(json.dumps(left))
"""


def test_a_page_imports_nothing_the_preload_has_not_loaded():
    out = subprocess.run(
        [sys.executable, "-c", PAGE_IMPORTS_AFTER_PRELOAD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    left = json.loads(out.stdout)
    assert len(left) == len(PAGES) == 9
    assert left == {page.name: [] for page in PAGES}


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
    "import gc, inspect, json, sys, babel.localedata as b, dashboard.__main__ as m; m.preload(); m.warm(); "
    "import dashboard.data as d; "
    "print(json.dumps([d.__file__ in inspect.modulesbyfile, 'PIL.Image' in sys.modules, "
    "gc.get_freeze_count() > 100000, {'fr_FR', 'en_US'} <= set(b._cache)]))"
)


def test_the_warm_up_fills_inspects_module_map_loads_pil_and_locales_and_freezes_the_start_up_objects():
    out = subprocess.run([sys.executable, "-c", WARMED], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [True, True, True, True]
    cold = WARMED.replace(" m.warm();", "")
    out = subprocess.run([sys.executable, "-c", cold], cwd=ROOT, capture_output=True, text=True, check=True)
    # without it the first visitor pays inspect's module map, PIL and babel's locale data, and every
    # collection walks all
    assert json.loads(out.stdout) == [False, False, False, False]


def test_the_preload_prints_no_warning():
    out = subprocess.run([sys.executable, "-c", LOADED], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "WARNING" not in out.stderr, out.stderr[:500]


def test_no_page_relies_on_streamlit_magic():
    # magic is off (.streamlit/config.toml): a bare expression would silently show nothing
    for script in [*PAGES, ROOT / "streamlit_app.py"]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Expr):
                value = node.value
                docstring = isinstance(value, ast.Constant) and isinstance(value.value, str)
                assert isinstance(value, ast.Call) or docstring, (script.name, node.lineno)
    assert "magicEnabled = false" in (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
