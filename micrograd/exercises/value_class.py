"""Checkers of the reader's own value class, built in *Building Value* and *Gradients that add
up*: the first page's exercises (gradients by hand, subtraction, powers and the squared error, on
expressions where no value is used twice); ``+``, ``*``, ``tanh`` and ``backward()``; then relu,
plain numbers, exp, powers, sigmoid, log and division.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from micrograd.engine import Value
from micrograd.exercises.budget import _children, _describe_error, _recursing_method, _walk
from micrograd.exercises.cases import (
    _RESET_LEAVES,
    _STALE,
    Builder,
    Diagnosis,
    _blame,
    _Case,
    _check_class,
    _named,
    _Outcome,
    _run_case,
)
from micrograd.exercises.compare import _as_float, _close, _num
from micrograd.exercises.diagnoses import (
    _COMMON,
    _PRODUCT_OWN_VALUE,
    _SEVERAL_PATHS,
    _data_matches,
    _engine_mistake,
    _matches,
    _missing_upstream,
    _nothing_reached_leaves,
    _order_wrong,
    _set_not_added,
)
from micrograd.exercises.expressions import (
    _ADD,
    _CUBE,
    _EXP,
    _INVERSE,
    _MUL,
    _NEG,
    _NUMBER_MINUS,
    _NUMBER_PLUS,
    _RELU,
    _SQUARE,
    _SUB,
    _TANH,
    _TIMES_NUMBER,
    _class_report,
    _is_reference,
    _Op,
    _random_check,
)
from micrograd.exercises.report import Check, Report, _stopped_message

#: Steps of the long chain among the traps: deeper than Python's default recursion limit
#: (1,000), so a recursive topological order fails on it, and the same on every platform,
#: so that a check prints the same (x.grad = 1201) in the site's in-browser runner as on the
#: built page. In Pyodide (that runner) CPython frees a linked chain by recursing once per
#: link, which overflows the browser's JavaScript stack and kills the interpreter at about
#: 800 links in Chromium and 2,500 in Node, so there the chain is never freed (see
#: _NEVER_FREED). That leak, under 1 MB per check, is why the chain is not longer than this.
CHAIN_STEPS = 1200
CHAIN_CASE = "a chain of additions deeper than the recursion limit"
_NEVER_FREED: list[object] = []


def _one_input(x0: float, f: Callable[[Any], Any]) -> Builder:
    """Builds ``out = f(x)`` at ``x = x0``."""

    def build(V: Any) -> dict[str, Any]:
        x = V(x0)
        return _named(x=x, out=f(x))

    return build


def _at(
    label: str, f: Callable[[Any], Any], x0s: Sequence[float], mistakes: Sequence[Diagnosis], fallback: str
) -> list[_Case]:
    """The cases ``label at x = x0``: an operation ``f`` of one value, and the mistakes in its derivative."""
    return [
        _Case(f"{label} at x = {_num(x0)}", _one_input(x0, f), ("x",), (*_COMMON, *mistakes), fallback)
        for x0 in x0s
    ]


def _times_c(
    label: str,
    f: Callable[[Any], Any],
    x0: float,
    c0: float,
    op: str,
    fallback: str = "",
    show: tuple[str, ...] = ("x",),
    first: Sequence[Diagnosis] = (),
) -> _Case:
    """The case ``label * c``: the gradient ``f`` passes back to x must be multiplied by its out.grad, c.

    ``first``: mistakes of ``f`` to look for before the missing out.grad.
    """

    def build(V: Any) -> dict[str, Any]:
        x, c = V(x0), V(c0)
        y = f(x)
        return _named(x=x, c=c, **{label: y}, out=y * c)

    return _Case(
        f"{label} * c",
        build,
        show,
        (*_COMMON, *first, _missing_upstream("x", lambda e: e.d("c"), op)),
        fallback,
    )


# -- the engine of "Building Value": +, *, tanh, backward ---------------------------------


def _value_cases() -> list[_Case]:
    def add(V: Any) -> dict[str, Any]:
        a, b = V(2.0), V(-3.0)
        return _named(a=a, b=b, out=a + b)

    def mul(V: Any) -> dict[str, Any]:
        a, b = V(2.0), V(-3.0)
        return _named(a=a, b=b, out=a * b)

    def mul_zero(V: Any) -> dict[str, Any]:
        a, b = V(0.0), V(4.0)
        return _named(a=a, b=b, out=a * b)

    def add_then(V: Any) -> dict[str, Any]:
        a, b, c = V(2.0), V(-3.0), V(4.0)
        s = a + b
        return _named(a=a, b=b, c=c, **{"a + b": s}, out=s * c)

    def mul_then(V: Any) -> dict[str, Any]:
        a, b, c = V(2.0), V(-3.0), V(4.0)
        p = a * b
        return _named(a=a, b=b, c=c, **{"a * b": p}, out=p * c)

    def neuron(V: Any) -> dict[str, Any]:
        x, w, b = V(2.0), V(-0.5), V(0.3)
        xw = x * w
        n = xw + b
        return _named(x=x, w=w, b=b, **{"x*w": xw, "x*w + b": n}, out=n.tanh())

    def twice_add(V: Any) -> dict[str, Any]:
        x = V(3.0)
        return _named(x=x, out=x + x)

    def twice_mul(V: Any) -> dict[str, Any]:
        x = V(3.0)
        return _named(x=x, out=x * x)

    def three_uses(V: Any) -> dict[str, Any]:
        x, w = V(2.0), V(-3.0)
        xw = x * w
        xx = x * x
        s = xw + xx
        return _named(x=x, w=w, **{"x*w": xw, "x*x": xx, "x*w + x*x": s}, out=s + x)

    def reused(V: Any) -> dict[str, Any]:
        x, w = V(0.5), V(-1.5)
        h = x * w
        hh = h * h
        t = hh.tanh()
        return _named(x=x, w=w, h=h, **{"h*h": hh, "tanh(h*h)": t}, out=h + t)

    def reused_first(V: Any) -> dict[str, Any]:
        x, w = V(0.5), V(-1.5)
        h = x * w
        hh = h * h
        t = hh.tanh()
        return _named(x=x, w=w, h=h, **{"h*h": hh, "tanh(h*h)": t}, out=t + h)

    def backward_twice(V: Any) -> dict[str, Any]:
        x, w = V(3.0), V(-2.0)
        return _named(x=x, w=w, out=x * w)

    def backward_twice_deep(V: Any) -> dict[str, Any]:
        x, w = V(0.5), V(-2.0)
        xw = x * w
        return _named(x=x, w=w, **{"x*w": xw}, out=xw.tanh())

    def chain(V: Any) -> dict[str, Any]:
        x = V(0.001)
        y = x
        for _ in range(CHAIN_STEPS):
            y = y + x
        if sys.platform == "emscripten":
            _NEVER_FREED.append(y)  # a small leak, instead of a dead interpreter (CHAIN_STEPS)
        return _named(x=x, out=y)

    def reused_deep(V: Any) -> dict[str, Any]:
        x = V(1.0)
        h = x
        for _ in range(40):
            h = h + h  # each level uses the one below twice: 2**40 paths, 81 nodes
        return _named(x=x, out=h)

    order = _nothing_reached_leaves
    return [
        _Case(
            "a + b",
            add,
            ("a", "b"),
            (
                *_COMMON,
                order(("a", "b")),
                _data_matches(
                    "out",
                    lambda e: e.d("a") * e.d("b"),
                    "__add__ multiplies: it must return self.data + other.data",
                ),
            ),
            "the local derivative of a sum is 1 for each input: self.grad += 1.0 * out.grad, "
            "and the same for other",
        ),
        _Case(
            "a * b",
            mul,
            ("a", "b"),
            (
                *_COMMON,
                order(("a", "b")),
                _matches("a", lambda e: e.d("a"), _PRODUCT_OWN_VALUE),
            ),
            "the local derivative of a*b is b for a and a for b",
        ),
        _Case(
            "a * b with a = 0",
            mul_zero,
            ("a", "b"),
            (*_COMMON,),
            "the local derivative of a*b is b for a and a for b, also when a is 0",
        ),
        *_at(
            "tanh(x)",
            lambda x: x.tanh(),
            (0.5, -1.2),
            _tanh_mistakes(),
            "tanh's local derivative is 1 - t**2, where t = tanh(x) is its output",
        ),
        _Case(
            "(a + b) * c",
            add_then,
            ("a", "b"),
            (*_COMMON, _missing_upstream("a", lambda e: e.d("c"), "+")),
            "a sum passes on its out.grad unchanged to each input",
        ),
        _Case(
            "(a * b) * c",
            mul_then,
            ("a", "b"),
            (*_COMMON, _missing_upstream("a", lambda e: e.d("c"), "*")),
            "a product passes each input the other input times out.grad",
        ),
        _times_c("tanh(x)", lambda x: x.tanh(), 0.5, 3.0, "tanh", "tanh passes on (1 - t**2) * out.grad"),
        _Case(
            "tanh(x*w + b)",
            neuron,
            ("x", "w", "b"),
            (*_COMMON, order(("x", "w", "b"))),
            "the chain rule multiplies the local derivatives along the path from the output",
        ),
        _Case(
            "x + x",
            twice_add,
            ("x",),
            (*_COMMON, _set_not_added("x", lambda e: [1.0])),
            establishes="accumulates",
        ),
        _Case(
            "x * x",
            twice_mul,
            ("x",),
            (*_COMMON, _set_not_added("x", lambda e: [e.d("x")])),
        ),
        _Case(
            "x used three times: x*w + x*x + x",
            three_uses,
            ("x",),
            (
                *_COMMON,
                _set_not_added(
                    "x",
                    lambda e: [
                        1.0,
                        e.d("w"),
                        e.d("x"),
                        e.d("w") + e.d("x"),
                        2 * e.d("x"),
                        e.d("x") + 1,
                        e.d("w") + 1,
                    ],
                ),
            ),
            _SEVERAL_PATHS,
        ),
        _Case(
            "a reused intermediate: h + tanh(h*h), h = x*w",
            reused,
            ("x", "w"),
            (
                *_COMMON,
                order(("x", "w")),
                _order_wrong("h", ("x", "w")),
                _set_not_added("h", lambda e: [1.0, e.g("h") - 1.0]),
            ),
            _SEVERAL_PATHS,
        ),
        _Case(
            "a reused intermediate: tanh(h*h) + h, h = x*w",
            reused_first,
            ("x", "w"),
            (
                *_COMMON,
                order(("x", "w")),
                _order_wrong("h", ("x", "w")),
                _set_not_added("h", lambda e: [1.0, e.g("h") - 1.0]),
            ),
            _SEVERAL_PATHS,
        ),
        _Case(
            "backward() twice on x * w",
            backward_twice,
            ("x", "w"),
            (
                *_COMMON,
                _matches(
                    "x",
                    lambda e: e.g("x") / 2,
                    _RESET_LEAVES,
                ),
                _matches(
                    "x",
                    lambda e: e.g("x") * 1.5,
                    "backward() adds 1 to the output's grad instead of setting it to 1, so the second "
                    "call sends back twice the gradient",
                ),
            ),
            backwards=2,
            compare_all=False,
        ),
        _Case(
            "backward() twice on tanh(x * w)",
            backward_twice_deep,
            ("x", "w"),
            (
                *_COMMON,
                _matches("x*w", lambda e: 2 * e.g("x*w"), _STALE),
                _matches(
                    "x",
                    lambda e: e.g("x") / 2,
                    _RESET_LEAVES,
                ),
            ),
            backwards=2,
        ),
        _Case(
            CHAIN_CASE,
            chain,
            ("x",),
            (*_COMMON, _set_not_added("x", lambda e: [1.0, 2.0])),
            _SEVERAL_PATHS,
            advisory_on=(RecursionError,),
            advisory_text=(
                "your backward() builds its order by recursion, one call per level, and Python stops at "
                "about 1,000 levels. That is the tutorial's version too, so this does not count as a "
                "failure here; exercise 4 of 'Backprop step by step' removes the recursion"
            ),
        ),
        _Case(
            "a value reused at each of 40 levels",
            reused_deep,
            ("x",),
            (*_COMMON, _set_not_added("x", lambda e: [1.0, 2.0])),
            _SEVERAL_PATHS,
        ),
    ]


def _tanh_mistakes() -> tuple[Diagnosis, ...]:
    def t(e: _Outcome) -> float:
        return math.tanh(e.d("x"))

    return (
        _matches(
            "x",
            lambda e: 1 - t(e),
            "tanh's local derivative is 1 - t**2, not 1 - t (t = tanh(x), the output)",
        ),
        _matches(
            "x",
            lambda e: 1 - e.d("x") ** 2,
            "tanh's local derivative is 1 - t**2 with t the *output* tanh(x), not the input x",
        ),
        _matches(
            "x",
            lambda e: t(e),
            "tanh's local derivative is 1 - t**2; you passed back t = tanh(x) itself",
        ),
    )


def check_value(v_class: Any) -> Report:
    """Check ``MyValue`` (*Building Value*, *Gradients that add up*): ``+``, ``*``, ``tanh``, ``backward()``.

    The class needs ``data`` and ``grad`` attributes, a constructor that takes the
    number, ``__add__`` and ``__mul__`` between two values, ``tanh()``, and
    ``backward()``. It may pass gradients with a ``_backward`` closure per value (as in
    the tutorial) or with stored local derivatives (as micrograd does).

    Args:
        v_class: The reader's value class.

    Returns:
        A :class:`Report`: the local derivative of each operation, their chaining,
        the traps (``x + x``, a value used three times, a reused intermediate,
        ``backward()`` twice, a chain of 1,200 steps that is deeper than Python's recursion
        limit, a value reused at 40 levels), and 20 random expressions compared with
        micrograd's :class:`~micrograd.engine.Value`. A recursive ``backward()`` on the long
        chain is an advisory note only.

    Example:
        >>> class MyValue(Value):  # a deliberately wrong engine: = instead of += in __add__
        ...     def __add__(self, other):
        ...         out = Value.__add__(self, other)
        ...         return MyValue(out.data, (self, other), "+", (1.0, 1.0))
        ...     def backward(self):
        ...         order = self._topological_order()
        ...         self.grad = 1.0
        ...         for node in reversed(order):
        ...             for child, local in zip(node._prev, node._local_grads):
        ...                 child.grad = local * node.grad  # the bug
        >>> report = check_value(MyValue)
        >>> report.passed
        False
        >>> print(report.failures[0].name)
        x + x
        >>> print(report.failures[0].mistake.split(": ")[-1])
        gradients must be added with +=, not set with =
    """
    return _class_report("Gradients that add up: MyValue", v_class, _value_cases(), (_ADD, _MUL, _TANH))


# -- "Building Value", exercises 1-3: gradients by hand, subtraction, squared error ----------------
#
# The engine of Building Value sets gradients with =; the next page shows that this loses a
# contribution when a value is used twice, and adds them with += instead. So these checks use only
# expressions where no value is used twice (trees), on which the = engine is right, and say so.

_TREES_ONLY = "on expressions where no value is used twice"

# The lecture's first expression, L = (a*b + c) * f, and for each value: the value its gradient
# comes from, the local derivative's formula, and the operation that makes the parent.
_LECTURE = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}
_LECTURE_RULES = {
    "d": ("L", "f", "*"),
    "f": ("L", "d", "*"),
    "e": ("d", "1", "+"),
    "c": ("d", "1", "+"),
    "a": ("e", "b", "*"),
    "b": ("e", "a", "*"),
}
_LECTURE_CASE = "L = (a*b + c) * f"


def _lecture(V: Any) -> dict[str, Any]:
    a, b, c, f = (V(_LECTURE[n]) for n in "abcf")
    e = a * b
    d = e + c
    return _named(a=a, b=b, c=c, f=f, e=e, d=d, L=d * f)


def _by_hand_mistake(
    name: str, got: dict[str, float], right: dict[str, float], data: dict[str, float]
) -> str:
    """The likely mistake behind a wrong gradient of ``name`` in the lecture's expression."""
    g = got[name]
    if name == "L":
        return "L.grad is dL/dL = 1: nudging L moves L by exactly as much"
    parent, other, op = _LECTURE_RULES[name]
    local = 1.0 if other == "1" else data[other]
    formula = f"{name}.grad = {other} * {parent}.grad"
    if not _close(got[parent], right[parent]) and _close(g, local * got[parent]):
        return (
            f"{name}.grad follows rightly from your {parent}.grad = {_num(got[parent])} ({formula}): "
            f"the mistake is at {parent}"
        )
    if not _close(right[parent], 1.0) and _close(g, local):
        return (
            f"you stopped at the local derivative, {_num(local)}: the chain rule multiplies it by the "
            f"gradient arriving from above, {parent}.grad = {_num(right[parent])} ({formula})"
        )
    if op == "*" and _close(g, data[name] * right[parent]):
        return f"a product gives each input the *other* input's value: {formula}, not {name} * {parent}.grad"
    if op == "*" and _close(g, right[parent]):
        return f"a product does not pass its gradient on unchanged (a sum does): {formula}"
    if _close(g, data[name]):
        return f"{_num(g)} is {name}'s value, {name}.data, not its gradient: {formula}"
    if _close(g, -right[name]):
        return (
            f"the sign is wrong: {formula}, and {other} = {_num(local)}"
            if other != "1"
            else (f"the sign is wrong: a sum passes {parent}.grad on unchanged, sign and all ({formula})")
        )
    return f"{formula}: the local derivative of {op}, times the gradient of the value it makes"


def check_gradients_by_hand(grads: Mapping[str, float]) -> Report:
    """Check exercise 1 of *Building Value*: the gradients of ``L = (a*b + c) * f``, by hand.

    With the lecture's numbers ``a = 2``, ``b = -3``, ``c = 10``, ``f = -2``, and the
    intermediate values ``e = a*b`` and ``d = e + c``.

    Args:
        grads: Your gradients by name: ``dL/da`` as ``grads["a"]``, and the same for
            ``b``, ``c``, ``d``, ``e`` and ``f`` (``L`` may be given too).

    Returns:
        A :class:`Report` with one check per value, in the order backpropagation finds them
        (``L``, then ``d`` and ``f``, ``e`` and ``c``, ``a`` and ``b``), and for a wrong one
        the likely mistake, or the value above it whose mistake it inherited; and the
        drawing of the expression with your gradients, the first wrong one marked.

    Example:
        >>> report = check_gradients_by_hand({"a": 6, "b": -4, "c": -2, "d": -2, "e": -2, "f": 4})
        >>> print(report.checks[-1])
        ✓ b.grad: -4 = a * e.grad
        >>> report = check_gradients_by_hand({"a": -3, "b": 2, "c": -2, "d": -2, "e": -2, "f": 4})
        >>> print(report.failures[0])
        ✗ a.grad gave -3, which is not dL/da: you stopped at the local derivative, -3: the chain
          rule multiplies it by the gradient arriving from above, e.grad = -2 (a.grad = b *
          e.grad).
    """
    report = Report("Building Value, exercise 1: gradients by hand")
    reference = _lecture(Value)
    reference["L"].backward()
    right = {n: v.grad for n, v in reference.items()}
    data = {n: v.data for n, v in reference.items()}
    if not isinstance(grads, Mapping):
        mistake = f'my_grads must be a dict by name, {{"a": ..., "b": ...}}, not a {type(grads).__name__}'
        report.checks.append(Check("my_grads", False, f"{mistake}.", mistake))
        return report
    given = dict(grads)
    got = {n: _as_float(given.get(n, right[n] if n == "L" else math.nan)) for n in right}
    wrong_number = False  # a wrong number, not only a missing one: worth a drawing
    for name in ("L", "d", "f", "e", "c", "a", "b"):
        if name == "L" and "L" not in given:
            continue
        title = f"{name}.grad"
        if name not in given:
            mistake = f"give dL/d{name} as grads[{name!r}]: the dictionary needs a, b, c, d, e and f"
            report.checks.append(Check(title, False, f"{title}: not given; {mistake}.", mistake))
            continue
        rule = "dL/dL" if name == "L" else "{1} * {0}.grad".format(*_LECTURE_RULES[name])
        if _close(got[name], right[name]):
            report.checks.append(Check(title, True, f"{_num(right[name])} = {rule}"))
            continue
        written: object = given[name]
        if written is Ellipsis:  # the exercise's text writes the dictionary with ... for each
            mistake = f"replace the ... with your dL/d{name}"
            report.checks.append(Check(title, False, f"{title}: still ...; {mistake}.", mistake))
            continue
        if hasattr(written, "grad"):  # {"a": a, ...}: the values, not their gradients
            mistake = f"give numbers ({name}.grad), not values"
            report.checks.append(Check(title, False, f"{title}: you gave a value; {mistake}.", mistake))
            continue
        # What it should be is not said: it is the answer, which the reader may try again to find.
        wrong_number = True
        mistake = _by_hand_mistake(name, got, right, data)
        message = f"{title} gave {_num(given[name])}, which is not dL/d{name}: {mistake}."
        report.checks.append(Check(title, False, message, mistake))
    if wrong_number:
        mine = _lecture(Value)
        for name, v in mine.items():
            v.grad = got[name]
        case = _Case(_LECTURE_CASE, _lecture, ("a", "b", "c", "f"))
        blame = _blame(
            case, _Outcome(dict(data), got, root=mine["L"], named=mine), _Outcome(dict(data), right)
        )
        report.blame = blame and replace(blame, reveals=False)  # the right ones are the answers
    return report


def _sub(a0: float, b0: float) -> Builder:
    def build(V: Any) -> dict[str, Any]:
        a, b = V(a0), V(b0)
        return _named(a=a, b=b, out=a - b)

    return build


def _sub_not_connected(got: _Outcome, expected: _Outcome) -> str | None:
    """``a - b`` left both inputs at 0, though its result's grad is 1: the rule never ran."""
    if not (got.g("a") == 0 and got.g("b") == 0 and _close(got.g("out"), 1.0)):
        return None
    if not _children(got.root):
        return (
            "the result of - does not remember its inputs, so backward() never reaches them: "
            "MyValue(self.data - other.data, (self, other), '-')"
        )
    return (
        "no gradient came back through -: its _backward is defined but never attached to the "
        "result; add out._backward = _backward before return out"
    )


_SUB_FORGETS_INPUTS = (
    "the result of - does not remember its inputs, so backward() never reaches the values "
    "below it: MyValue(self.data - other.data, (self, other), '-')"
)


def _forgets_children(*names: str, mistake: str = _SUB_FORGETS_INPUTS) -> Diagnosis:
    """A value among ``names``, made by an operation, has no children in the reader's graph:
    backward() cannot reach what it was made of. ``mistake`` names the operation (by default -).
    """

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        for name in names:
            mine, made = got.named.get(name), expected.named.get(name)
            if mine is None or made is None or not made._prev or _children(mine):
                continue
            if any(mine is v for other, v in got.named.items() if other != name):
                continue  # an input returned as it is: _returns_its_input says so
            return mistake
        return None

    return diagnose


def _sign_mistakes(left: str, right: str) -> tuple[Diagnosis, ...]:
    """The two sign mistakes of ``left - right``, named by the gradient they make wrong."""
    return (
        _matches(
            right,
            lambda e: -e.g(right),
            "the right operand of a subtraction gets -out.grad: other.grad = -1.0 * out.grad "
            "(nudge the right operand up and the difference goes down)",
        ),
        _matches(
            left,
            lambda e: -e.g(left),
            "the left operand of a subtraction gets out.grad unchanged, as in a sum: "
            "self.grad = 1.0 * out.grad; only the right operand's sign flips",
        ),
    )


def _subtraction_cases() -> list[_Case]:
    def then_times(V: Any) -> dict[str, Any]:
        a, b, c = V(3.0), V(1.0), V(-2.0)
        s = a - b
        return _named(a=a, b=b, c=c, **{"a - b": s}, out=s * c)

    def nested(V: Any) -> dict[str, Any]:
        a, b, c = V(1.0), V(2.0), V(4.0)
        s = b - c
        return _named(a=a, b=b, c=c, **{"b - c": s}, out=a - s)

    def products(V: Any) -> dict[str, Any]:
        a, b, c, d = V(1.5), V(-2.0), V(0.5), V(3.0)
        ab, cd = a * b, c * d
        return _named(a=a, b=b, c=c, d=d, **{"a*b": ab, "c*d": cd}, out=ab - cd)

    def neuron(V: Any) -> dict[str, Any]:
        x, w, b = V(2.0), V(-0.5), V(0.3)
        xw = x * w
        n = xw - b
        return _named(x=x, w=w, b=b, **{"x*w": xw, "x*w - b": n}, out=n.tanh())

    forward = (
        _data_matches(
            "out", lambda e: e.d("a") + e.d("b"), "a - b must return self.data - other.data, not the sum"
        ),
        _data_matches(
            "out",
            lambda e: e.d("b") - e.d("a"),
            "a - b is self.data - other.data: yours subtracts the other way round",
        ),
    )
    simple = "a - b passes out.grad to a and -out.grad to b"
    return [
        _Case(
            "a - b",
            _sub(2.0, 3.0),
            ("a", "b"),
            (*_COMMON, _sub_not_connected, *forward, *_sign_mistakes("a", "b")),
            simple,
        ),
        _Case(
            "a - b at a = -1.5, b = -4",
            _sub(-1.5, -4.0),
            ("a", "b"),
            (*_COMMON, *forward, *_sign_mistakes("a", "b")),
            simple,
        ),
        _Case(
            "(a - b) * c",
            then_times,
            ("a", "b"),
            (*_COMMON, _missing_upstream("b", lambda e: e.d("c"), "-"), *_sign_mistakes("a", "b")),
            "a - b passes its out.grad (here c) to a, and minus it to b",
        ),
        _Case(
            "a - (b - c)",
            nested,
            ("a", "b", "c"),
            (
                *_COMMON,
                _forgets_children("out", "b - c"),
                # The outer - gives a and b - c their signs; b and c only inherit them.
                *_sign_mistakes("a", "b - c"),
                _missing_upstream("b", lambda e: e.g("b - c"), "-"),
            ),
            "c is subtracted from b, which is subtracted from a: two minus signs, so c.grad = +1",
        ),
        _Case(
            "a*b - c*d",
            products,
            ("a", "b", "c", "d"),
            (*_COMMON, _forgets_children("out"), *_sign_mistakes("a", "c")),
            simple,
        ),
        _Case(
            "tanh(x*w - b)",
            neuron,
            ("x", "w", "b"),
            (*_COMMON, _forgets_children("x*w - b"), *_sign_mistakes("x", "b")),
            "the chain rule multiplies the local derivatives along the path from the output",
        ),
    ]


def check_subtraction(v_class: Any) -> Report:
    """Check exercise 2 of *Building Value*: ``a - b``, with a backward rule of its own.

    Only expressions where no value is used twice, so that the page's engine, whose rules
    set gradients with ``=``, passes when its subtraction is right (the next page, *Gradients
    that add up*, is about values used twice).

    Args:
        v_class: The reader's value class, with ``__sub__`` between two values (and the
            ``+``, ``*``, ``tanh()`` and ``backward()`` of the page).

    Returns:
        A :class:`Report`: ``a - b`` with positive and negative inputs, times a value
        (``out.grad`` is used), nested as ``a - (b - c)``, between two products, inside a
        neuron's tanh, and 20 random expressions of ``+``, ``*``, ``-`` and tanh compared
        with micrograd's :class:`~micrograd.engine.Value`.

    Example:
        >>> report = check_subtraction(Value)
        >>> print(report.checks[0])
        ✓ a - b: a.grad = 1, b.grad = -1
        >>> print(report.title)
        Building Value, exercise 2: subtraction, on expressions where no value is used twice
    """
    report = _check_class(
        f"Building Value, exercise 2: subtraction, {_TREES_ONLY}", v_class, _subtraction_cases()
    )
    _random_check(
        "20 random expressions of +, *, - and tanh, no value used twice",
        v_class,
        (_ADD, _MUL, _SUB, _TANH),
        20,
        report,
        tree=True,
    )
    return report


def _uses_a_value_twice(root: Any) -> bool:
    """Some operation of the reader's graph has the same value as both operands, as d * d."""
    for node in _walk(root):
        kids = _children(node)
        if len({id(c) for c in kids}) < len(kids):
            return True
        if len(kids) == 1 and str(getattr(node, "_op", "")) in ("*", "+"):  # a set keeps d once
            return True
    return False


def _squared_error_cases(squared_error: Callable[[Any, Any], Any]) -> list[_Case]:
    def mine(V: Any, output: Any, target: Any) -> Any:
        return (output - target) ** 2 if _is_reference(V) else squared_error(output, target)

    def difference_squared(V: Any) -> dict[str, Any]:
        a, b = V(1.5), V(4.0)
        d = a - b
        return _named(a=a, b=b, **{"a - b": d}, out=d**2)

    def loss_at(o0: float, y0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            o, y = V(o0), V(y0)
            return _named(o=o, y=y, out=mine(V, o, y))

        return build

    def neuron(V: Any) -> dict[str, Any]:
        x1, x2 = V(2.0), V(0.0)
        w1, w2 = V(-3.0), V(1.0)
        b, y = V(6.8813735870195432), V(1.0)
        n = x1 * w1 + x2 * w2 + b
        o = n.tanh()
        return _named(x1=x1, x2=x2, w1=w1, w2=w2, b=b, y=y, n=n, o=o, out=mine(V, o, y))

    def used_twice(name: str) -> Diagnosis:
        half = _matches(
            name,
            lambda e: e.g(name) / 2,
            "your squared_error uses the difference (or the output) twice, as d * d: the page's rules "
            "set gradients with =, so the second use overwrites the first and the gradient comes out "
            "half. Write d ** 2, one operation (the next page makes d * d work too)",
        )

        def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
            # A power rule without its factor k halves the gradient of ** 2 too: look for the d * d.
            return half(got, expected) if _uses_a_value_twice(got.root) else None

        return diagnose

    loss = (
        _data_matches(
            "out",
            lambda e: e.d("o") - e.d("y"),
            "squared_error must square the difference: (output - target) ** 2",
        ),
        _data_matches(
            "out",
            lambda e: e.d("o") - e.d("y") ** 2,
            "only the target is squared: ** binds tighter than -, so write (output - target) ** 2",
        ),
        _data_matches(
            "out",
            lambda e: e.d("o") ** 2 - e.d("y") ** 2,
            "the square of the difference is not the difference of the squares: (output - target) ** 2",
        ),
        used_twice("o"),
    )
    from_numbers = _forgets_children(
        "out",
        mistake=(
            "squared_error's result does not remember output and target: it is a new value made from "
            "their numbers (.data), so backward() cannot reach them. Compute it from the values "
            "themselves, whose - and ** record their inputs"
        ),
    )

    def power(k: float) -> Callable[[Any], Any]:
        return lambda x: x**k

    cases: list[_Case] = []
    for x0, k in ((3.0, 2), (-1.5, 2), (2.0, 3), (0.5, -1), (4.0, 0.5)):
        cases += _at(
            f"x ** {_num(k)}",
            power(k),
            (x0,),
            _power_mistakes(k),
            "the local derivative of x**k is k * x**(k - 1)",
        )
    cases += [
        _times_c("x ** 2", lambda x: x**2, 1.5, 3.0, "**"),
        _Case(
            "(a - b) ** 2",
            difference_squared,
            ("a", "b"),
            (*_COMMON, *_sign_mistakes("a", "b")),
            "(a - b) ** 2 gives a the gradient 2 * (a - b), and b minus that",
        ),
        *(
            _Case(
                f"squared_error(o, y) at o = {_num(o0)}, y = {_num(y0)}",
                loss_at(o0, y0),
                ("o", "y"),
                (*_COMMON, from_numbers, *loss),
                "squared_error(o, y) is (o - y) ** 2: its gradient is 2 * (o - y) for o, minus that for y",
            )
            for o0, y0 in ((0.7, 1.5), (-0.5, 0.5))
        ),
        _Case(
            "squared_error(o, y) of the lecture's neuron, y = 1",
            neuron,
            ("x1", "x2", "w1", "w2", "b"),
            (*_COMMON, from_numbers, *loss),
            "the loss's gradient reaches the neuron through o: 2 * (o - y) times the neuron's gradients",
        ),
    ]
    return cases


def check_squared_error(v_class: Any, squared_error: Callable[[Any, Any], Any]) -> Report:
    """Check exercise 3 of *Building Value*: ``x ** k`` and ``squared_error(output, target)``.

    Only expressions where no value is used twice, so that the page's engine, whose rules
    set gradients with ``=``, passes when they are right: which is why ``squared_error``
    must square with ``** 2``, one operation, rather than ``d * d``, which uses ``d`` twice.

    Args:
        v_class: The reader's value class, with ``__pow__`` for a number exponent (and the
            ``-`` of exercise 2, the page's ``+``, ``*``, ``tanh()`` and ``backward()``).
        squared_error: The reader's function of two values, ``(output - target) ** 2``.

    Returns:
        A :class:`Report`: powers 2, 3, -1 and 0.5 including a negative base, a power times
        a value (``out.grad`` is used), ``(a - b) ** 2``, ``squared_error`` on two values and
        on the lecture's neuron against a target of 1, and 20 random expressions of ``+``,
        ``*``, ``-``, tanh, ``** 2`` and ``squared_error``.

    Example:
        >>> report = check_squared_error(Value, lambda output, target: (output - target) ** 2)
        >>> print(report.checks[0])
        ✓ x ** 2 at x = 3: x.grad = 6
        >>> report.passed
        True
    """
    report = _check_class(
        f"Building Value, exercise 3: powers and the squared error, {_TREES_ONLY}",
        v_class,
        _squared_error_cases(squared_error),
    )
    loss = _Op("squared_error({a}, {b})", 2, lambda a, b: (a - b) ** 2, mine=lambda a, b: squared_error(a, b))
    _random_check(
        "20 random expressions of +, *, -, tanh, ** 2 and squared_error, no value used twice",
        v_class,
        (_ADD, _MUL, _SUB, _TANH, _SQUARE, loss),
        20,
        report,
        tree=True,
    )
    return report


# -- "Gradients that add up", exercise 1: relu ------------------------------------------------------


_RELU_STOPS_NEGATIVE = "relu passes nothing back from a negative input"


def _relu_mistakes(name: str) -> tuple[Diagnosis, ...]:
    """The mistakes in relu's local derivative, read off the gradient of ``name``, relu's input.

    relu is the output in these cases, so ``name``'s gradient is relu's local derivative.
    """

    def at_zero(got: _Outcome, expected: _Outcome) -> str | None:
        if expected.d(name) != 0 or not _close(got.g(name), 1.0):
            return None
        if _RELU_STOPS_NEGATIVE in got.facts:  # right at -2, wrong at 0: the boundary
            return (
                "at exactly 0, micrograd (like PyTorch) uses the derivative 0: test self.data > 0, not >= 0"
            )
        return (
            "relu's local derivative is 0 for an input of 0 or less, and yours is 1 at 0: "
            "1.0 if self.data > 0 else 0.0"
        )

    return (
        _matches(
            name,
            lambda e: e.d("out"),
            "relu's local derivative is 1 where the input is positive and 0 elsewhere; you multiplied "
            "by relu's output (its value) instead",
        ),
        _matches(
            name,
            lambda e: 1.0 if e.d(name) < 0 else math.nan,
            "relu's local derivative is 0 for a negative input, and yours passes the gradient on: "
            "1.0 if self.data > 0 else 0.0",
        ),
        at_zero,
        _matches(
            name,
            lambda e: 0.0 if e.d(name) > 0 else math.nan,
            "relu's local derivative is 1 for a positive input, and yours is 0 here: "
            "1.0 if self.data > 0 else 0.0",
        ),
    )


def _relu_forgets_input(name: str) -> Diagnosis:
    """relu's result, ``name``, has no children: made from a number, as MyValue(max(0, self.data))."""
    return _forgets_children(
        name,
        mistake=(
            "relu's result does not remember its input, so backward() never reaches it: make it with "
            "self as its child, MyValue(..., (self,), 'ReLU'), whatever the number"
        ),
    )


def _relu_cases() -> list[_Case]:
    def in_product(x0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            x, w = V(x0), V(1.5)
            xw = x * w
            return _named(x=x, w=w, **{"x*w": xw}, out=xw.relu())

        return build

    def reuse(V: Any) -> dict[str, Any]:
        x = V(0.5)
        r = x.relu()
        return _named(x=x, **{"relu(x)": r}, out=r + x)

    passes_negative = _data_matches(
        "out", lambda e: e.d("x"), "relu must return 0 for a negative input, not the input itself"
    )
    cases = _at(
        "relu(x)",
        lambda x: x.relu(),
        (3.0, 0.5, -2.0, 0.0),
        (_relu_forgets_input("out"), passes_negative, *_relu_mistakes("x")),
        "relu's local derivative is 1 for a positive input and 0 otherwise",
    )
    # Passing at -2 tells 1.0 if self.data >= 0 (wrong only at 0) from no test at all.
    cases = [replace(c, establishes=_RELU_STOPS_NEGATIVE) if c.name.endswith("-2") else c for c in cases]
    no_upstream = _matches(
        "x",
        lambda e: e.d("w"),
        "the gradient passed back through * was not multiplied by out.grad (relu's output gradient): "
        "the chain rule multiplies the local derivative by the gradient arriving from above, "
        "child.grad += local * out.grad",
    )
    cases += [
        _Case(
            f"relu(x * w) at x = {_num(x0)}, w = 1.5",
            in_product(x0),
            ("x", "w"),
            # relu's own mistakes first: they make x*w's gradient wrong, and so x's and w's.
            (*_COMMON, _relu_forgets_input("out"), *_relu_mistakes("x*w"), no_upstream),
            "relu passes on out.grad where its input is positive, and 0 elsewhere",
        )
        for x0 in (-2.0, 0.0, 0.5, 3.0)
    ]
    cases += [
        _times_c(
            "relu(x)",
            lambda x: x.relu(),
            2.0,
            -3.0,
            "relu",
            show=("x", "c"),
            first=(_relu_forgets_input("relu(x)"),),
        ),
        _Case(
            "relu(x) + x",
            reuse,
            ("x",),
            (*_COMMON, _relu_forgets_input("relu(x)"), _set_not_added("x", lambda e: [1.0])),
        ),
    ]
    return cases


def check_relu(v_class: Any) -> Report:
    """Check exercise 1 of *Gradients that add up*: a ``relu()`` method on ``MyValue``.

    Args:
        v_class: The reader's value class, with ``relu()`` (and the ``+``, ``*`` and
            ``backward()`` of :func:`check_value`).

    Returns:
        A :class:`Report`: relu's value and gradient at 3, 0.5, -2 and 0 (where the
        derivative is taken as 0, as in micrograd and PyTorch), inside ``relu(x * w)``,
        times a value (``out.grad`` is used), next to another use of ``x``, and 20 random
        expressions with ``+``, ``*`` and relu compared with micrograd's Value.

    Example:
        >>> print(check_relu(Value).checks[2])
        ✓ relu(x) at x = -2: x.grad = 0
    """
    return _class_report(
        "Gradients that add up, exercise 1: relu", v_class, _relu_cases(), (_ADD, _MUL, _RELU)
    )


# -- "Gradients that add up", exercise 2: plain numbers, negation, subtraction --------------------


# A __neg__ that makes a new value without remembering self, MyValue(-self.data): backward()
# cannot reach what it negates, nor the right operand of a subtraction built on it, self + (-other).
_negation_forgets_input = _engine_mistake(
    "the result of negation does not remember its input, so backward() cannot reach the value it "
    "negates (nor the right operand of x - y, built as x + (-y)): __neg__ must return a value with "
    "self as its child, such as self * -1, not a new MyValue(-self.data)",
    lambda v: (0.0,) if v._op == "neg" else (v._local_grads[0], 0.0) if v._op == "-" else v._local_grads,
)


def _plain_number_cases() -> list[_Case]:
    def simple(name: str, f: Callable[[Any], Any], x0: float = 3.0) -> _Case:
        return _Case(name, _one_input(x0, f), ("x",), _COMMON)

    def sub(V: Any) -> dict[str, Any]:
        x, y = V(2.0), V(3.0)
        return _named(x=x, y=y, out=x - y)

    def sub_self(V: Any) -> dict[str, Any]:
        x = V(2.0)
        return _named(x=x, out=x - x)

    def page(V: Any) -> dict[str, Any]:
        x = V(2.0)
        return _named(x=x, out=3 * x + 1 - x * 2)

    no_negation = _data_matches(
        "out",
        lambda e: e.d("x") + e.d("y"),
        "x - y must add the negation of y: __sub__ should return self + (-other), not self + other",
    )
    wrong_sign = _matches(
        "y",
        lambda e: 1.0,
        "the right operand of a subtraction gets -out.grad: build __sub__ from + and negation, "
        "self + (-other), and the sign comes out right by itself",
    )
    cases = [
        simple("x * 2", lambda x: x * 2),
        simple("2 * x", lambda x: 2 * x),
        simple("x + 1", lambda x: x + 1),
        simple("1 + x", lambda x: 1 + x),
        simple("2.5 * x with x = -4", lambda x: 2.5 * x, -4.0),
        simple("0 * x", lambda x: 0 * x),
        simple("-x", lambda x: -x),
        simple("x - 1", lambda x: x - 1),
        _Case("x - y", sub, ("x", "y"), (*_COMMON, no_negation, wrong_sign, _negation_forgets_input)),
        _Case(
            "x - x",
            sub_self,
            ("x",),
            (*_COMMON, _negation_forgets_input, _set_not_added("x", lambda e: [1.0, -1.0])),
        ),
        _Case("3 * x + 1 - x * 2", page, ("x",), (*_COMMON, _negation_forgets_input)),
    ]
    for case in cases[:8]:
        negation = "x" if case.name == "-x" else ""
        object.__setattr__(case, "diagnose", (*_COMMON, *_number_mistakes(case.name, negation)))
    return cases


def _number_mistakes(name: str, negation: str) -> tuple[Diagnosis, ...]:
    found: list[Diagnosis] = []
    if name == "x - 1":
        found.append(
            _data_matches(
                "out",
                lambda e: e.d("x") + 1,
                "x - 1 must add the negation of 1: __sub__ should return self + (-other), not self + other",
            )
        )
    if negation:
        found.append(
            _data_matches(
                "out", lambda e: e.d("x"), "-x must return a value with the opposite sign: self * -1"
            )
        )
        found.append(_negation_forgets_input)
    return tuple(found)


def _plain_number_hint(name: str, err: BaseException) -> str | None:
    """The likely mistake behind an error on a case named ``name``, where Python's error alone
    does not tell it: ``None`` when :func:`_describe_error` already does (an operator with no
    method, a reversed method that calls itself), as it does for the random expressions.
    """
    if "unsupported operand" in str(err) or _recursing_method(err):
        return None
    if isinstance(err, RecursionError) and name[0].isdigit():
        return (
            "__radd__ or __rmul__ calls other + self or other * self while other is still a plain "
            "number, which calls __radd__/__rmul__ again, forever: wrap the number first, "
            "as_value(other) * self"
        )
    if isinstance(err, TypeError) and name[0].isdigit():
        return (
            f"{name} puts the number on the left, so Python asks the number first and then calls "
            "the value's __rmul__ (or __radd__): add them, for example "
            "__rmul__ = lambda self, other: as_value(other) * self"
        )
    if isinstance(err, (AttributeError, TypeError)) and name.startswith("x "):
        return (
            "a plain number reached __add__ or __mul__, which use other.data: wrap it first, "
            "other = other if isinstance(other, MyValue) else MyValue(other)"
        )
    if isinstance(err, TypeError) and "-" in name:
        return "subtraction and negation need __sub__ and __neg__: -x is x * -1, and x - y is x + (-y)"
    return None


def check_plain_numbers(v_class: Any) -> Report:
    """Check exercise 2 of *Gradients that add up*: numbers on either side, ``-x`` and ``x - y``.

    Args:
        v_class: The reader's value class, with ``__radd__``, ``__rmul__``, ``__neg__``
            and ``__sub__``.

    Returns:
        A :class:`Report`: ``x * 2`` and ``2 * x``, ``x + 1`` and ``1 + x``, ``0 * x``,
        ``-x``, ``x - 1``, ``x - y``, ``x - x``, the page's ``3 * x + 1 - x * 2``, and 20
        random expressions with numbers on both sides compared with micrograd's Value.

    Example:
        >>> print(check_plain_numbers(Value).checks[1])
        ✓ 2 * x: x.grad = 2
    """
    report = Report("Gradients that add up, exercise 2: plain numbers")
    facts: set[str] = set()
    for case in _plain_number_cases():
        check, got, expected = _run_case(v_class, case, facts)
        if got.error is not None:
            hint = _plain_number_hint(case.name, got.error)
            if hint:
                what, _ = _describe_error(got.error, got.steps)
                check = Check(case.name, False, _stopped_message(case.name, what, hint), hint)
        report.checks.append(check)
        if not check.passed and report.blame is None and got.error is None:
            report.blame = _blame(case, got, expected, check.mistake)
    ops = (_ADD, _MUL, _SUB, _NEG, _TIMES_NUMBER, _NUMBER_PLUS, _NUMBER_MINUS)
    _random_check("20 random expressions with numbers, - and negation", v_class, ops, 20, report)
    return report


# -- "Gradients that add up", exercise 3: exp, powers, sigmoid -------------------------------------


def _sigmoid_cases(sigmoid: Callable[[Any], Any]) -> list[_Case]:
    def power(k: float) -> Callable[[Any], Any]:
        return lambda x: x**k

    def sig_at(x0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            x = V(x0)
            return _named(x=x, out=x.sigmoid() if _is_reference(V) else sigmoid(x))

        return build

    exp_mistakes = (
        _matches("x", lambda e: e.d("x"), "exp's local derivative is e**x itself (its output), not x"),
        _matches("x", lambda e: 1.0, "exp's local derivative is e**x itself (its output), not 1"),
    )

    sig_mistakes = (
        _data_matches(
            "out",
            lambda e: 1 / (1 + math.exp(e.d("x"))),
            "sigmoid is 1 / (1 + exp(-x)): the minus sign before x is missing",
        ),
        _data_matches(
            "out",
            lambda e: 1 + math.exp(-e.d("x")),
            "sigmoid is (1 + exp(-x)) ** -1: the power -1 is missing",
        ),
    )
    cases = _at("exp(x)", lambda x: x.exp(), (0.7, -1.0, 0.0), exp_mistakes, "exp's local derivative is e**x")
    cases.append(_times_c("exp(x)", lambda x: x.exp(), 0.7, -2.0, "exp"))
    for x0, k in ((2.0, 3), (2.0, -1), (-1.5, 2), (0.5, -2), (4.0, 0.5)):
        cases += _at(
            f"x ** {_num(k)}",
            power(k),
            (x0,),
            _power_mistakes(k),
            "the local derivative of x**k is k * x**(k - 1)",
        )
    cases.append(_times_c("x ** 2", lambda x: x**2, 1.5, 3.0, "**"))
    cases += [_next_to_x("exp(x)", lambda x: x.exp(), "exp"), _next_to_x("x ** 2", lambda x: x**2, "**")]
    for x0 in (-3.0, -0.5, 0.0, 2.0):
        cases.append(
            _Case(
                f"sigmoid(x) at x = {_num(x0)}",
                sig_at(x0),
                ("x",),
                (*_COMMON, *sig_mistakes),
                "sigmoid is a composition of -x, exp, + 1 and ** -1: if those pass above, check that "
                "sigmoid(x) is (1 + (-x).exp()) ** -1",
            )
        )
    return cases


def _next_to_x(label: str, f: Callable[[Any], Any], op: str) -> _Case:
    """The case ``label + x`` at x = 1.5: x is used twice, by ``op`` and by the +.

    A rule of ``op`` that sets the gradient with = (as on *Building Value*) overwrites what the +
    gave x, which backward() visits first.
    """

    def build(V: Any) -> dict[str, Any]:
        x = V(1.5)
        y = f(x)
        return _named(x=x, **{label: y}, out=y + x)

    sets = (
        f"x is used twice, by {op} and by +, and ends with the gradient from {op} alone: "
        f"{op} must add with +=, self.grad += ..., as every rule of this page does, not set it with = "
        "as on Building Value"
    )
    return _Case(
        f"{label} + x",
        build,
        ("x",),
        (*_COMMON, _matches("x", lambda e: e.g("x") - 1.0, sets)),
        _SEVERAL_PATHS,
    )


def _power_mistakes(k: float) -> tuple[Diagnosis, ...]:
    """The mistakes in the power rule, for ``x ** k`` with the value named ``x``."""
    return (
        _matches(
            "x",
            lambda e: k * e.d("x") ** k,
            "the power rule lowers the exponent by one: the local derivative of x**k is k * x**(k - 1), "
            "not k * x**k",
        ),
        _matches(
            "x",
            lambda e: e.d("x") ** (k - 1),
            "the local derivative of x**k is k * x**(k - 1): the factor k is missing",
        ),
        _matches(
            "x",
            lambda e: k * e.d("x") ** (k + 1),
            "the local derivative of x**k is k * x**(k - 1), with k - 1, not k + 1",
        ),
    )


def check_sigmoid(v_class: Any, sigmoid: Callable[[Any], Any]) -> Report:
    """Check exercise 3 of *Gradients that add up*: ``exp()``, ``x ** k`` and a composed ``sigmoid``.

    Args:
        v_class: The reader's value class, with ``exp()`` and ``__pow__`` (and the
            numbers and negation of exercise 2).
        sigmoid: The reader's function of one value, built from those operations.

    Returns:
        A :class:`Report`: exp at 0.7, -1 and 0, powers 3, -1, 2, -2 and 0.5 including a
        negative base, both times a value (``out.grad`` is used), sigmoid at -3, -0.5, 0
        and 2 against micrograd's :meth:`~micrograd.engine.Value.sigmoid`, and 20 random
        expressions with exp, powers and sigmoid.

    Example:
        >>> print(check_sigmoid(Value, lambda x: (1 + (-x).exp()) ** -1).checks[0])
        ✓ exp(x) at x = 0.7: x.grad = 2.01375
    """
    report = _check_class(
        "Gradients that add up, exercise 3: exp, powers and sigmoid", v_class, _sigmoid_cases(sigmoid)
    )
    sig = _Op("sigmoid({a})", 1, lambda a, b: a.sigmoid(), mine=lambda a, b: sigmoid(a))
    _random_check(
        "20 random expressions of +, *, exp, powers and sigmoid",
        v_class,
        (_ADD, _MUL, _EXP, _SQUARE, _CUBE, _INVERSE, sig),
        20,
        report,
    )
    return report


# -- Gradients that add up, exercise 4: log and division ---------------------------------------------------


def _log_division_cases() -> list[_Case]:
    def divide(a0: float, b0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            a, b = V(a0), V(b0)
            return _named(a=a, b=b, out=a / b)

        return build

    def number_over(V: Any) -> dict[str, Any]:
        x = V(4.0)
        return _named(x=x, out=1 / x)

    def self_over(V: Any) -> dict[str, Any]:
        x = V(3.0)
        return _named(x=x, out=x / x)

    log_mistakes = (
        _matches(
            "x",
            lambda e: 1 / math.log(e.d("x")),
            "log's local derivative is 1/x, with x its *input*, not 1/out with out = log(x)",
        ),
        _matches("x", lambda e: math.log(e.d("x")), "log's local derivative is 1/x, not log(x) itself"),
    )
    div_mistakes = (
        _matches(
            "b",
            lambda e: e.d("a") / e.d("b") ** 2,
            "the derivative of a/b with respect to b is -a/b**2: the minus sign is missing",
        ),
        _matches(
            "b",
            lambda e: -e.d("a") / e.d("b"),
            "the derivative of a/b with respect to b is -a/b**2, not -a/b",
        ),
        _matches("a", lambda e: e.d("b"), "the derivative of a/b with respect to a is 1/b, not b"),
    )
    cases = _at("log(x)", lambda x: x.log(), (2.0, 0.5, 1.0), log_mistakes, "log's local derivative is 1/x")
    cases.append(_times_c("log(x)", lambda x: x.log(), 1.5, -2.0, "log"))
    cases += [
        _Case(
            f"a / b at a = {_num(a0)}, b = {_num(b0)}",
            divide(a0, b0),
            ("a", "b"),
            (*_COMMON, *div_mistakes),
            "a/b passes 1/b to a and -a/b**2 to b",
        )
        for a0, b0 in ((3.0, 2.0), (-1.0, 0.5), (0.0, -4.0))
    ]
    cases += [
        _Case("1 / x", number_over, ("x",), _COMMON, "1/x has the derivative -1/x**2"),
        _Case(
            "x / x",
            self_over,
            ("x",),
            (*_COMMON, _set_not_added("x", lambda e: [1 / 3, -1 / 3])),
            _SEVERAL_PATHS,
        ),
    ]
    return cases


def check_log_and_division(v_class: Any) -> Report:
    """Check exercise 4 of *Gradients that add up*: ``log()`` and ``/`` (with ``1 / x``) on ``MyValue``.

    Args:
        v_class: The reader's value class, with ``log()``, ``__truediv__`` and
            ``__rtruediv__`` (and ``+``, ``*`` and ``backward()``).

    Returns:
        A :class:`Report`: log at 2, 0.5 and 1, times a value, ``a / b`` with a negative
        and a zero numerator, ``1 / x``, ``x / x``, and 20 random expressions.

    Example:
        >>> print(check_log_and_division(Value).passed)
        True
    """
    log = _Op("log({a})", 1, lambda a, b: a.log(), ok=lambda a, b: a > 0.1)
    div = _Op("{a} / {b}", 2, lambda a, b: a / b, ok=lambda a, b: abs(b) > 0.2)
    return _class_report(
        "Gradients that add up, exercise 4: log and division",
        v_class,
        _log_division_cases(),
        (_ADD, _MUL, log, div),
    )
