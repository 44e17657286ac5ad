"""Checkers of the reader's own value class, built in *Building Value* and *Gradients that add
up*: ``+``, ``*``, ``tanh`` and ``backward()``, then relu, plain numbers, exp, powers, sigmoid,
log and division.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

from micrograd.engine import Value  # noqa: F401  # the examples check it
from micrograd.exercises.budget import _describe_error
from micrograd.exercises.cases import (
    Builder,
    Diagnosis,
    _blame,
    _Case,
    _check_class,
    _named,
    _Outcome,
    _run_case,
)
from micrograd.exercises.compare import _num
from micrograd.exercises.diagnoses import (
    _COMMON,
    _SEVERAL_PATHS,
    _data_matches,
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
from micrograd.exercises.report import Check, Report

#: Steps of the long chain among the traps: deeper than Python's default recursion limit
#: (1,000), so a recursive topological order fails on it. In Pyodide (the site's in-browser
#: runner) CPython frees a linked chain by recursing once per link, which overflows the
#: browser's JavaScript stack and kills the interpreter at about 800 links in Chromium and
#: 2,500 in Node; there the chain is shorter and is never freed (see _NEVER_FREED).
CHAIN_STEPS = 1200 if sys.platform == "emscripten" else 5000
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
) -> _Case:
    """The case ``label * c``: the gradient ``f`` passes back to x must be multiplied by its out.grad, c."""

    def build(V: Any) -> dict[str, Any]:
        x, c = V(x0), V(c0)
        y = f(x)
        return _named(x=x, c=c, **{label: y}, out=y * c)

    return _Case(
        f"{label} * c", build, show, (*_COMMON, _missing_upstream("x", lambda e: e.d("c"), op)), fallback
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

    def backward_twice(V: Any) -> dict[str, Any]:
        x, w = V(3.0), V(-2.0)
        return _named(x=x, w=w, out=x * w)

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
                _matches(
                    "a",
                    lambda e: e.d("a"),
                    "each input of a product gets the *other* input's value: "
                    "self.grad += other.data * out.grad, other.grad += self.data * out.grad",
                ),
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
            "backward() twice on x * w",
            backward_twice,
            ("x", "w"),
            (
                *_COMMON,
                _matches(
                    "x",
                    lambda e: e.g("x") / 2,
                    "the second backward() reset the inputs' gradients: micrograd and PyTorch add every "
                    "call's gradients to the leaves (which is why training loops call zero_grad())",
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
        ``backward()`` twice, a 5,000-step chain, a value reused at 40 levels), and 20
        random expressions compared with micrograd's :class:`~micrograd.engine.Value`.
        A recursive ``backward()`` on the 5,000-step chain is an advisory note only.

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


# -- "Gradients that add up", exercise 1: relu ------------------------------------------------------


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

    from_output = _matches(
        "x",
        lambda e: e.d("out"),
        "relu's local derivative is 1 where the input is positive and 0 elsewhere; you multiplied "
        "by relu's output (its value) instead",
    )
    passes_negative = _data_matches(
        "out", lambda e: e.d("x"), "relu must return 0 for a negative input, not the input itself"
    )
    at_zero = _matches(
        "x",
        lambda e: 1.0,
        "at exactly 0, micrograd (like PyTorch) uses the derivative 0: test self.data > 0, not >= 0",
    )
    inverted = _matches(
        "x",
        lambda e: 1.0 - (1.0 if e.d("x") > 0 else 0.0),
        "relu's local derivative is 1 for a positive input and 0 otherwise: yours is the other way round",
    )
    cases = _at(
        "relu(x)",
        lambda x: x.relu(),
        (3.0, 0.5, -2.0, 0.0),
        (passes_negative, from_output, at_zero, inverted),
        "relu's local derivative is 1 for a positive input and 0 otherwise",
    )
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
            (*_COMMON, no_upstream),
            "relu passes on out.grad where its input is positive, and 0 elsewhere",
        )
        for x0 in (-2.0, 0.0, 0.5, 3.0)
    ]
    cases += [
        _times_c("relu(x)", lambda x: x.relu(), 2.0, -3.0, "relu", show=("x", "c")),
        _Case("relu(x) + x", reuse, ("x",), (*_COMMON, _set_not_added("x", lambda e: [1.0]))),
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
        _Case("x - y", sub, ("x", "y"), (*_COMMON, no_negation, wrong_sign)),
        _Case("x - x", sub_self, ("x",), (*_COMMON, _set_not_added("x", lambda e: [1.0, -1.0]))),
        _Case("3 * x + 1 - x * 2", page, ("x",), _COMMON),
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
    return tuple(found)


def _plain_number_hint(name: str, err: BaseException) -> str | None:
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
                check = Check(case.name, False, f"{case.name} stopped: {what}. {hint}.", hint)
        report.checks.append(check)
        if not check.passed and report.blame is None and got.error is None:
            report.blame = _blame(case, got, expected)
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

    def power_mistakes(k: float) -> tuple[Diagnosis, ...]:
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
            power_mistakes(k),
            "the local derivative of x**k is k * x**(k - 1)",
        )
    cases.append(_times_c("x ** 2", lambda x: x**2, 1.5, 3.0, "**"))
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
