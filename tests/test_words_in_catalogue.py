"""No user-facing sentence written in the code: every word the product shows is in `metrics/locale`.

A string literal that reads as words (three or more, with spaces) outside a docstring fails here,
unless it is one of these, each for a stated reason:
- a declaration's labels and header synonyms (`metrics/contracts`, `metrics/semantic/definitions.py`):
  labels come from the declarations once, in both languages, and synonyms are data the import matches
  (an error those files raise is still checked);
- the demo's generated data (`metrics/demo`): verbatims and names are data, not product words;
- the reference docs generated into `docs/` (`metrics/reports/docs.py`, settings' doc table), English
  like the rest of `docs/`;
- SQL, CSS, HTML and regular expressions (code, not words);
- a line marked `# not user-facing: <why>` (a developer's check of the declarations, an internal error
  that "cannot happen").
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXEMPT = ("metrics/contracts/", "metrics/semantic/definitions.py", "metrics/demo/", "metrics/reports/docs.py")
MARK = "# not user-facing:"
WORDS = re.compile(r"[A-Za-zÀ-ÿ]{2,}[,;:']?(?: +\S+){2,}")
CODE = re.compile(
    r"\b(SELECT|FROM|WHERE|INSERT|CREATE|DROP|ALTER|UPDATE|DELETE|JOIN|CAST|CASE|WHEN|COPY|PRAGMA|SET|WITH"
    r"|UNION|VALUES|TABLE|VIEW|OVER|PARTITION|DISTINCT|COALESCE|AS)\b"
    r"|\w\(|-- |font-weight|background-color|<[a-z/!]|\(\?|\\[dswb]|\[\^"
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def sentences(path: Path) -> list[tuple[int, str]]:
    """The literals of `path` that read as words, with their line, minus marked lines."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
    # a marked statement's literals pass, but not a whole block's: a mark names one statement
    blocks = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.If | ast.For | ast.With | ast.Try
    marked = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not isinstance(node, blocks):
            span = range(node.lineno, (node.end_lineno or node.lineno) + 1)
            if any(MARK in lines[i - 1] for i in span):
                marked.update(id(n) for n in ast.walk(node))
    # in declarations, demo data and generated docs only what is raised is shown to a user
    exempt = path.is_relative_to(ROOT) and str(path.relative_to(ROOT)).startswith(EXEMPT)
    raised = {id(n) for node in ast.walk(tree) if isinstance(node, ast.Raise) for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        text = _text(node)
        if text is None or id(node) in skip or id(node) in marked or (exempt and id(node) not in raised):
            continue
        if WORDS.search(text) and not CODE.search(text) and MARK not in lines[node.lineno - 1]:
            found.append((node.lineno, text))
    return found


def _product_files() -> list[Path]:
    return [
        ROOT / "streamlit_app.py",
        *sorted((ROOT / "metrics").rglob("*.py")),
        *sorted((ROOT / "dashboard").rglob("*.py")),
    ]


def test_no_user_facing_sentence_is_written_outside_the_catalogue():
    written = [
        f"{path.relative_to(ROOT)}:{line}: {text[:70]!r}"
        for path in _product_files()
        for line, text in sentences(path)
    ]
    assert written == []


def test_the_check_sees_a_sentence_and_lets_code_and_marked_lines_pass(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring is not shown."""\n'
        "def f(name):\n"
        '    """Nor is this one."""\n'
        '    sql = "SELECT count(*) FROM t WHERE x = 1"\n'
        '    css = "color: #0072B2; font-weight: 600"\n'
        '    raise ValueError(f"{name}: the file is empty")\n'
        '    assert name, "cannot happen at all"  # not user-facing: an invariant\n',
        encoding="utf-8",
    )
    assert sentences(sample) == [(6, "{}: the file is empty")]
