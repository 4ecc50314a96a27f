"""PostgreSQL expressions (defaults, checks, index expressions and predicates) → their canonical text, the
columns they read and the functions they call.

The canonical text is libpg_query's deparser's, so `lower(name)` written in two scripts compares equal. The
deparser costs ~30 µs a call, mostly its own set-up, and MusicBrainz alone has 4,400 expressions: 0.13 s. Most
expressions are a few simple shapes (a constant, a column, `lower(name)`, `edits_pending >= 0`,
`comment IS NULL`, AND and OR of those), which `_simple` spells exactly as the deparser does; anything else
goes to the deparser.
tests/readers/test_pg_expressions.py holds the two to the same text on every expression of the corpus.

This module and postgres.py are the only ones that touch the libpg_query binding.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import postgast
from postgast import pg_query_pb2 as pb


class Expression(NamedTuple):
    text: str
    columns: tuple[str, ...]  # the column names it reads, in order, repeats kept (`t.a` counts as `a`)
    functions: tuple[str, ...]  # the names of the functions it calls, outermost first


def expression(node: pb.Node) -> Expression:
    simple = _simple(node)
    if simple is not None:
        return simple
    messages = _descendants(node)
    columns = tuple(
        m.fields[-1].string.sval for m in messages if isinstance(m, pb.ColumnRef) and m.fields and m.fields[-1].HasField("string")
    )
    functions = tuple(m.funcname[-1].string.sval for m in messages if isinstance(m, pb.FuncCall))
    return Expression(deparse(node), columns, functions)


def deparse(node: pb.Node) -> str:
    """An expression in libpg_query's canonical spelling; it deparses only whole statements, so wrap it in one."""
    result = pb.ParseResult()
    result.stmts.add().stmt.select_stmt.target_list.add().res_target.val.CopyFrom(node)
    return postgast.deparse(result).removeprefix("SELECT ")


def _descendants(root: Any) -> list[Any]:
    """Every protobuf message in a parse tree, in pre-order, the given one first."""
    found, stack = [], [root]
    while stack:
        message = stack.pop()
        found.append(message)
        children = []
        for descriptor, value in message.ListFields():
            if descriptor.message_type is not None:
                children.extend(value if descriptor.is_repeated else (value,))
        stack.extend(reversed(children))
    return found


# --- the shapes spelled here -----------------------------------------------------------------------------

_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_KEYWORD_KINDS: dict[str, int] = {}
_UNQUOTED_KINDS = (pb.NO_KEYWORD, pb.UNRESERVED_KEYWORD)


def _simple(node: pb.Node) -> Expression | None:
    """AND, OR and NOT of these shapes, an operator between two atoms, IS [NOT] NULL of an atom, or an atom;
    None for any other shape."""
    kind = node.WhichOneof("node")
    if kind == "bool_expr":
        return _boolean(node.bool_expr)
    if kind == "a_expr":
        operation = node.a_expr
        if operation.kind != pb.AEXPR_OP or len(operation.name) != 1 or not (operation.HasField("lexpr") and operation.HasField("rexpr")):
            return None
        left, right = _atom(operation.lexpr), _atom(operation.rexpr)
        if left is None or right is None:
            return None
        operator = operation.name[0].string.sval
        return Expression(f"{left.text} {operator} {right.text}", left.columns + right.columns, left.functions + right.functions)
    if kind == "null_test":
        test = node.null_test
        argument = _atom(test.arg) if not test.argisrow else None
        if argument is None:
            return None
        return argument._replace(text=f"{argument.text} {'IS NULL' if test.nulltesttype == pb.IS_NULL else 'IS NOT NULL'}")
    return _atom(node)


def _boolean(operation: pb.BoolExpr) -> Expression | None:
    """The deparser puts an AND or an OR inside another boolean operator in parentheses, nothing else."""
    parts = []
    for argument in operation.args:
        part = _simple(argument)
        if part is None:
            return None
        nested = argument.WhichOneof("node") == "bool_expr" and argument.bool_expr.boolop != pb.NOT_EXPR
        parts.append(part._replace(text=f"({part.text})") if nested else part)
    if operation.boolop == pb.NOT_EXPR:
        if len(parts) != 1:
            return None
        text = f"NOT {parts[0].text}"
    else:
        text = (" AND " if operation.boolop == pb.AND_EXPR else " OR ").join(p.text for p in parts)
    return Expression(text, tuple(c for p in parts for c in p.columns), tuple(f for p in parts for f in p.functions))


def _atom(node: pb.Node) -> Expression | None:
    """A constant, a column or a plain function call on atoms, spelled as the deparser spells them."""
    kind = node.WhichOneof("node")
    if kind == "a_const":
        text = constant(node.a_const)
        return Expression(text, (), ()) if text is not None else None
    if kind == "column_ref":
        fields = node.column_ref.fields
        names = [f.string.sval for f in fields if f.HasField("string")]
        if not names or len(names) != len(fields) or not all(map(_plain, names)):
            return None
        return Expression(".".join(names), (names[-1],), ())
    if kind == "func_call":
        call = node.func_call
        if not _plain_call(call):
            return None
        name = call.funcname[0].string.sval
        arguments = [_atom(a) for a in call.args]
        if not _plain(name) or None in arguments:
            return None
        text = f"{name}({', '.join(a.text for a in arguments)})"  # type: ignore[union-attr]
        columns = tuple(c for a in arguments for c in a.columns)  # type: ignore[union-attr]
        return Expression(text, columns, (name, *(f for a in arguments for f in a.functions)))  # type: ignore[union-attr]
    return None


def _plain_call(call: pb.FuncCall) -> bool:
    """`name(arguments)`: no schema, no aggregate or window syntax, not SQL-standard syntax (`EXTRACT(...)`)."""
    return (
        len(call.funcname) == 1 and call.funcformat == pb.COERCE_EXPLICIT_CALL and not call.agg_order
        and not call.HasField("agg_filter") and not call.HasField("over") and not call.agg_within_group
        and not call.agg_star and not call.agg_distinct and not call.func_variadic
    )


def constant(node: pb.A_Const, *, quoted: bool = True) -> str | None:
    """A constant as the deparser spells it, or with `quoted=False` a string's bare value (a SET value, a type
    modifier); None for a bit string."""
    if node.isnull:
        return "NULL"
    which = node.WhichOneof("val")
    if which == "ival":
        return str(node.ival.ival)
    if which == "fval":
        return node.fval.fval
    if which == "boolval":
        return "true" if node.boolval.boolval else "false"
    if which == "sval":
        value = node.sval.sval
        if not quoted:
            return value
        if "\\" in value:
            return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        return "'" + value.replace("'", "''") + "'"
    return None


def _plain(name: str) -> bool:
    """Whether the deparser writes this name without quotes: lower-case letters, digits and underscores, and
    no keyword PostgreSQL reserves in any position."""
    kind = _KEYWORD_KINDS.get(name)
    if kind is None:
        plain = _PLAIN_NAME.fullmatch(name) is not None
        kind = postgast.scan(name).tokens[0].keyword_kind if plain else pb.RESERVED_KEYWORD
        _KEYWORD_KINDS[name] = kind
    return kind in _UNQUOTED_KINDS
