"""SQL for any engine: declarations parsed once with sqlglot, values bound explicitly, one renderer.

Metric SQL is assembled in DuckDB's dialect (the embedded engine runs it as is, values as `?`
parameters). For another engine, `render` binds the values as typed literals, parses the statement
and writes it in that engine's dialect with every identifier quoted by the renderer, so a new engine
needs a dialect name here, not a second query layer. Declarations (`score >= 9`, `x::double`,
`... <= :sla_days`) are parsed with sqlglot when they are read: a setting is a named placeholder in
the syntax tree, never a regex match, so a cast like `x::double` is left alone.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.tokens import TokenType

from metrics.fragments import Fragment

SOURCE = "duckdb"  # the dialect the builders write
DIALECTS = ("duckdb", "spark", "trino")


@functools.lru_cache(maxsize=512)
def parse(expr: str) -> exp.Expression:
    """A declared SQL expression as a syntax tree (cached: declarations are few and fixed)."""
    return sqlglot.parse_one(expr, read=SOURCE)


def settings_read(expr: str) -> list[str]:
    """The settings (`:name`) a declaration reads, in the order they appear."""
    return [n.name for n in parse(expr).walk(bfs=False) if isinstance(n, exp.Placeholder) and n.name]


def columns_read(expr: str) -> set[str]:
    """The column names a declared SQL expression reads."""
    return {c.name for c in parse(expr).find_all(exp.Column)}


def bind_declaration(expr: str, values: object) -> Fragment:
    """`expr` with each `:setting` replaced by a `?` parameter bound to `values.setting`."""
    names = settings_read(expr)
    if not names:
        return Fragment(expr)
    tree = parse(expr).transform(
        lambda n: exp.Placeholder() if isinstance(n, exp.Placeholder) and n.name else n
    )
    return Fragment(tree.sql(dialect=SOURCE), [getattr(values, name) for name in names])


def _literal(value: object) -> str:
    return exp.convert(value).sql(dialect=SOURCE)


def bind_literals(sql: str, params: Sequence[object]) -> str:
    """`sql` with its `?` parameters replaced, in order, by typed literals (quoted by sqlglot)."""
    holes = [t for t in DuckDB().tokenize(sql) if t.token_type is TokenType.PLACEHOLDER and t.text == "?"]
    if len(holes) != len(params):
        raise ValueError(  # not user-facing: our own statements, whose holes always match their values
            f"{len(holes)} parameters in the SQL, {len(params)} values given"
        )
    out, last = [], 0
    for token, value in zip(holes, params, strict=True):
        out += [sql[last : token.start], _literal(value)]
        last = token.end + 1
    return "".join([*out, sql[last:]])


def _exact_decimals(node: exp.Expression) -> exp.Expression:
    """Spark reads `1440.0` as a DECIMAL and rounds quotients to 6 places: make such literals DOUBLE."""
    if isinstance(node, exp.Literal) and not node.is_string and "." in node.this:
        return exp.cast(node.copy(), exp.DataType.build("double"))
    return node


# units whose DuckDB `date_diff` counts boundaries crossed, which truncating both ends to the unit reproduces
_BOUNDARY_UNITS = frozenset({"SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"})


def _boundaries_crossed(node: exp.Expression) -> exp.Expression:
    """DuckDB's `date_diff(unit, a, b)` counts boundaries crossed; Spark and Trino count whole units elapsed.

    The declarations are DuckDB SQL, so they mean DuckDB's count: 10:00:59 to 10:01:01 is 1 minute
    (one boundary), where Spark's DATEDIFF says 0. Truncating both ends to the unit first gives every
    engine DuckDB's answer (a resolution time is the difference of the two clock minutes; seconds are
    not read), and leaves the SQL DuckDB runs, and so its figures, unchanged.
    """
    if not isinstance(node, exp.DateDiff) or not node.args.get("date_part_boundary"):
        return node
    unit = node.text("unit").upper()
    if unit not in _BOUNDARY_UNITS:
        return node
    for side in ("this", "expression"):
        node.set(side, exp.TimestampTrunc(this=node.args[side], unit=exp.var(unit)))
    node.set("date_part_boundary", None)
    return node


def render(
    sql: str,
    params: Sequence[object],
    dialect: str,
    pretty: bool = False,
    tables: Mapping[str, str] | None = None,
) -> str:
    """The statement `sql` with `params` bound, written for `dialect` (duckdb, spark or trino).

    `tables` renames the tables read: a scoped Spark reader's views (metrics.access.scoped).
    """
    if dialect not in DIALECTS:
        raise ValueError(  # not user-facing: callers pass a dialect they name in code
            f"unknown SQL dialect {dialect!r}; known: {', '.join(DIALECTS)}"
        )
    tree = sqlglot.parse_one(bind_literals(sql, params), read=SOURCE)
    if tables:
        for table in tree.find_all(exp.Table):
            if table.name in tables and not table.db:
                table.set("this", exp.to_identifier(tables[table.name]))
    if dialect != SOURCE:
        tree = tree.transform(_boundaries_crossed)
    if dialect == "spark":
        tree = tree.transform(_exact_decimals)
    return tree.sql(dialect=dialect, identify=True, pretty=pretty)
