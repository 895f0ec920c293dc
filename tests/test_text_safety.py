"""Elements that render Markdown never receive text built at run time unless a person vouched for it.

`st.markdown`, `st.caption`, `st.error`, `st.warning`, `st.info`, `st.success`, `st.write`, titles and
toasts read their text as Markdown, so a header or file name from a user's file would become a live
link or an image request. Their argument must be a literal, a catalogue sentence (`t(...)`), text
escaped by `dashboard.plain.literal`, or sit on a line marked `# text-safe` with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKDOWN = {"markdown", "caption", "error", "warning", "info", "success", "write", "title", "header",
            "subheader", "toast"}
SAFE_CALLS = {"t", "literal"}


def _called(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        f = node.func
        return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return None


def _unvouched(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if node.func.attr not in MARKDOWN or not (isinstance(owner, ast.Name) and owner.id == "st"):
            continue
        if not node.args or isinstance(node.args[0], ast.Constant) or _called(node.args[0]) in SAFE_CALLS:
            continue
        if any("# text-safe" in lines[i - 1] for i in range(node.lineno, node.args[0].lineno + 1)):
            continue
        found.append(f"{path.relative_to(path.parents[1])}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_markdown_elements_get_only_literal_catalogue_escaped_or_vouched_text():
    files = [*sorted((ROOT / "dashboard").rglob("*.py")), ROOT / "streamlit_app.py"]
    problems = [p for f in files for p in _unvouched(f)]
    assert problems == [], "text built at run time reaches Markdown:\n" + "\n".join(problems)


def test_the_check_sees_an_unvouched_line(tmp_path):
    # the rule must be able to fail: a file name pasted into a caption is caught, the vouched one is not
    sample = tmp_path / "page.py"
    sample.write_text("import streamlit as st\nname = input()\nst.caption(f'fichier {name}')\n"
                      "st.caption(f'{1 + 1}')  # text-safe: a number\n", encoding="utf-8")
    assert [p.split(": ", 1)[1] for p in _unvouched(sample)] == ["st.caption(f'fichier {name}')"]
