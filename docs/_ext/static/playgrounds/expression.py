""" "Your expression, stepped": the reader's expression, built from micrograd Values, safely.

The expression and its values live in the page's URL, so a link can put any text in the
field: it must never run code in the reader's browser. The text is parsed with
``ast.parse(mode="eval")``, which only builds a syntax tree, and the tree is walked
against an allow-list; nothing is ever passed to ``eval``, ``exec`` or ``compile``. Allowed:

- names bound to the given values (``a``, ``x1``), each one a :class:`~micrograd.Value`
  that every use shares, so gradients accumulate as in any graph;
- numeric literals (``2``, ``0.5``, ``1e-3``);
- ``+ - * / **`` between those, and unary ``-`` (and ``+``);
- calls without arguments of Value's methods on any of those: ``.tanh() .exp() .log()
  .relu() .sigmoid()``.

Anything else is refused with :class:`ExpressionError`, whose message names the construct
(``attribute access to '__class__'``, ``a lambda``, ``a call of 'print'``). Math errors
(``log`` of a negative number, division by zero, overflow) are the engine's own
exceptions, with the engine's own messages. Limits keep a link from making the page work
hard: :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` levels of nesting, :data:`MAX_NODES`
operations, exponents of at most :data:`MAX_EXPONENT` in size.

The state (expression and values) round-trips through a URL query string:
:func:`encode_state` and :func:`decode_state`.
"""

from __future__ import annotations

import ast
import math
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from micrograd import Value

from .graph_steps import graph_frames

MAX_LENGTH = 200
MAX_DEPTH = 24
MAX_NODES = 60
MAX_EXPONENT = 100.0
MAX_NAMES = 8
METHODS = ("tanh", "exp", "log", "relu", "sigmoid")
#: A name the reader may bind: letters, digits and ``_``, starting with a letter, short.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,15}")

_BINARY: dict[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}

# What a refused construct is called in a message, for the common ones.
_NAMES_OF_NODES = {
    ast.Lambda: "a lambda",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Subscript: "indexing with [ ]",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "an 'if ... else' expression",
    ast.NamedExpr: "an assignment with :=",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield from'",
    ast.JoinedStr: "an f-string",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.Starred: "a starred expression",
    ast.Slice: "a slice",
}


class ExpressionError(ValueError):
    """The text is not an expression this playground builds; the message says why."""


def parse(text: str, names: Mapping[str, object]) -> ast.expr:
    """Parse ``text`` and check it against the allow-list, without building anything.

    Args:
        text: The expression, such as ``"a*b + c.tanh()"``.
        names: The names it may use (only the keys are looked at).

    Returns:
        The checked syntax tree of the expression.

    Raises:
        ExpressionError: If the text is too long or too deep, not valid Python, or uses
            anything outside the allow-list; the message names what.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are allowed"
        )
    if not text.strip():
        raise ExpressionError("the expression is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"not a valid expression: {error.msg}") from None
    except (RecursionError, MemoryError, ValueError) as error:  # pathological nesting, NUL bytes
        raise ExpressionError(f"not a valid expression: {error}") from None
    count = 0

    def check(node: ast.AST, depth: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"the expression has more than {MAX_NODES} parts; make it smaller")
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ExpressionError(f"only numbers can be written in an expression, not {value!r}")
            if not math.isfinite(float(value)):
                raise ExpressionError(f"the number {value!r} is not finite")
        elif isinstance(node, ast.Name):
            if node.id not in names:
                known = ", ".join(sorted(names)) or "none"
                raise ExpressionError(f"unknown name {node.id!r}: the names with values are {known}")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise ExpressionError(f"the operator {_operator(node.op)} is not allowed; use + - * / **")
            if isinstance(node.op, ast.Pow):
                exponent = _constant(node.right)
                if exponent is not None and abs(exponent) > MAX_EXPONENT:
                    raise ExpressionError(
                        f"the exponent {exponent!r} is too large; "
                        f"exponents up to {MAX_EXPONENT:g} are allowed"
                    )
            check(node.left, depth + 1)
            check(node.right, depth + 1)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise ExpressionError(f"the operator {_operator(node.op)} is not allowed; use + - * / **")
            check(node.operand, depth + 1)
        elif isinstance(node, ast.Call):
            method = node.func
            if not isinstance(method, ast.Attribute):
                called = method.id if isinstance(method, ast.Name) else type(method).__name__
                raise ExpressionError(
                    f"a call of {called!r} is not allowed; call a method of a value, such as x.{METHODS[0]}()"
                )
            if method.attr not in METHODS:
                raise ExpressionError(
                    f"the method {method.attr!r} is not allowed; use one of {', '.join(METHODS)}"
                )
            if node.args or node.keywords:
                raise ExpressionError(f".{method.attr}() takes no arguments")
            check(method.value, depth + 1)
        elif isinstance(node, ast.Attribute):
            raise ExpressionError(
                f"attribute access to {node.attr!r} is not allowed; only calls such as x.{METHODS[0]}()"
            )
        else:
            what = _NAMES_OF_NODES.get(type(node), f"the construct {type(node).__name__}")
            raise ExpressionError(f"{what} is not allowed in an expression")

    check(tree.body, 0)
    return tree.body


def build(text: str, values: Mapping[str, float]) -> tuple[Value, dict[str, Value]]:
    """Build ``text`` from micrograd Values, one leaf Value per name.

    Args:
        text: The expression.
        values: The value of each name, such as ``{"a": 2.0, "b": -3.0}``.

    Returns:
        The output Value (labelled ``out``) and the leaf Value of each name.

    Raises:
        ExpressionError: For text outside the allow-list or bad names or values.
        ValueError, ZeroDivisionError, OverflowError: The engine's own errors, when the
            math fails (``log`` of a negative number, division by zero, overflow).
    """
    _check_values(values)
    tree = parse(text, values)
    leaves = {name: Value(float(v), label=name) for name, v in values.items()}

    def make(node: ast.expr) -> Value:
        number = _constant(node)  # a number, with its sign: -3 is one constant, not neg(3)
        if number is not None:
            return Value(number)
        if isinstance(node, ast.Name):
            return leaves[node.id]
        if isinstance(node, ast.BinOp):
            left = make(node.left)
            exponent = _constant(node.right) if isinstance(node.op, ast.Pow) else None
            if exponent is not None:
                # A number as the exponent: x ** 2 is one node, whose derivative is 2 * x.
                return left**exponent
            return _BINARY[type(node.op)](left, make(node.right))
        if isinstance(node, ast.UnaryOp):
            operand = make(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)  # checked by parse
        result: Value = getattr(make(node.func.value), node.func.attr)()
        return result

    out = make(tree)
    if not any(out is leaf for leaf in leaves.values()):
        out.label = "out"
    return out, leaves


def stepped(text: str, values: Mapping[str, float]) -> dict[str, Any]:
    """What the page shows: the graph and ``backward()`` step by step, or an error.

    Returns:
        ``{"ok": True, "data": output value, "grads": {name: gradient}, **graph_frames}``,
        or ``{"ok": False, "error": message, "kind": "syntax" | "math"}``.
    """
    try:
        out, leaves = build(text, values)
    except ExpressionError as error:
        return {"ok": False, "error": str(error), "kind": "syntax"}
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        return {"ok": False, "error": str(error), "kind": "math"}
    try:
        frames = graph_frames(out)
    except ValueError as error:
        return {"ok": False, "error": str(error), "kind": "syntax"}
    out.backward()
    return {"ok": True, "data": out.data, "grads": {n: v.grad for n, v in leaves.items()}, **frames}


# -- the state in the URL -----------------------------------------------------------------


def encode_state(text: str, values: Mapping[str, float]) -> str:
    """The expression and its values as a URL query string: ``expr=a*b&a=2.0&b=-3.0``."""
    _check_values(values)
    return urllib.parse.urlencode([("expr", text), *((name, repr(float(v))) for name, v in values.items())])


def decode_state(query: str) -> tuple[str, dict[str, float]]:
    """The expression and values of a query string made by :func:`encode_state`.

    Raises:
        ExpressionError: If the query has no expression, repeats a key, or holds a bad name
            or value; nothing in it is evaluated.
    """
    if len(query) > 4 * MAX_LENGTH + 40 * MAX_NAMES:
        raise ExpressionError("the link's query string is too long")
    pairs = urllib.parse.parse_qsl(query.lstrip("?"), keep_blank_values=True)
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ExpressionError(f"the link gives {repeated[0]!r} more than once")
    state = dict(pairs)
    if "expr" not in state:
        raise ExpressionError("the link has no expression (expr=...)")
    text = state.pop("expr")
    values: dict[str, float] = {}
    for name, raw in state.items():
        try:
            number = float(raw)
        except ValueError:
            raise ExpressionError(f"the value of {name!r} is not a number: {raw[:40]!r}") from None
        values[name] = number
    _check_values(values)
    return text, values


def _check_values(values: Mapping[str, Any]) -> None:
    if len(values) > MAX_NAMES:
        raise ExpressionError(f"at most {MAX_NAMES} names can have values, got {len(values)}")
    for name, value in values.items():
        if not isinstance(name, str) or not NAME.fullmatch(name) or name == "expr":
            raise ExpressionError(
                f"{name!r} cannot be a name: use a letter, then up to 15 letters, digits or _"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ExpressionError(f"the value of {name!r} must be a finite number, got {value!r}")


def _constant(node: ast.expr) -> float | None:
    """The number a node writes, with its sign (``-3`` parses as minus 3), or None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _constant(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return float(node.value)
    return None


def _operator(op: ast.AST) -> str:
    symbols: dict[type[ast.AST], str] = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<"}
    symbols |= {
        ast.RShift: ">>",
        ast.BitAnd: "&",
        ast.BitOr: "|",
        ast.BitXor: "^",
        ast.Invert: "~",
        ast.Not: "not",
    }
    return repr(symbols.get(type(op), type(op).__name__))
