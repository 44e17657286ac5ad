"""Checkers of *Derivatives from scratch*: a central difference, a second derivative and a
numerical gradient, each a function of the reader's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from micrograd.engine import Value
from micrograd.exercises.cases import _Case
from micrograd.exercises.compare import _as_float, _close, _not_a_number, _num, _same_numbers
from micrograd.exercises.expressions import _ADD, _MUL, _TANH, _Maker, _random_case
from micrograd.exercises.report import Check, Report, _number_check
from micrograd.exercises.report import _call as _call_as_asked

_ONE_BY_ONE = "fn takes the numbers one by one: call fn(*up), not fn(up)"

# The three functions as the exercises ask for them.
_SLOPE = "slope(f, x, h=1e-5)"
_SECOND = "second_derivative(f, x, h)"
_GRADIENT = "numerical_gradient(fn, inputs, h=1e-6)"


def _not_a_function(report: Report, name: str, fn: object, signature: str) -> bool:
    """Record a failed check if the reader's ``fn``, passed as ``name``, is not a function."""
    if callable(fn):
        return False
    what = "a number" if isinstance(fn, (int, float)) else f"a {type(fn).__name__}"
    if name == "slope" and isinstance(fn, float):  # the page's own slope, a number
        what += " (left over from the page)"
    mistake = f"define def {signature}"
    report.checks.append(Check(name, False, f"{name} is {what}, not your function: {mistake}.", mistake))
    return True


def _call(report: Report, name: str, fn: Callable[..., Any], asked: str, *args: Any) -> tuple[bool, Any]:
    """The reader's ``fn`` called as the exercise ``asked`` (a function of other arguments is told
    so), with a result of None (print instead of return, a body of ...) a failure."""
    ok, got = _call_as_asked(report, name, fn, asked, *args)
    if ok and got is None:
        mistake = (
            "your function returned None: did you forget return, or return what a list method such "
            "as .append() or .reverse() gives (None: it changes the list itself)?"
        )
        report.checks.append(Check(name, False, f"{name} gave None: {mistake}", mistake))
        return False, None
    return ok, got


def check_central_difference(slope: Callable[..., float]) -> Report:
    """Check exercise 1 of *Derivatives from scratch*: ``slope(f, x, h=1e-5)``.

    Args:
        slope: The reader's central-difference estimate of the derivative of ``f`` at ``x``.

    Returns:
        A :class:`Report`: exp at -1, 0, 1 and 2, a cubic whose forward difference is
        visibly worse, and the step ``h`` honoured.

    Example:
        >>> print(check_central_difference(lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / (2 * h)).passed)
        True
    """
    report = Report("Derivatives from scratch, exercise 1: a central difference")
    if _not_a_function(report, "slope", slope, _SLOPE):
        return report
    h = 1e-5
    for x in (-1.0, 0.0, 1.0, 2.0):
        call = f"slope(exp, {_num(x)}, {h:g})"  # as it is called: a slope without h fails here
        ok, got = _call(report, call, slope, _SLOPE, math.exp, x, h)
        if ok:
            e = math.exp(x)
            _number_check(
                report,
                call,
                got,
                e,
                [
                    (
                        (math.exp(x + h) - e) / h,
                        "that is the forward difference (f(x+h) - f(x)) / h; the "
                        "central one, (f(x+h) - f(x-h)) / (2h), is far more accurate",
                    ),
                    (
                        2 * e,
                        "the central difference divides by 2h, the distance between x-h and x+h, not by h",
                    ),
                    (-e, "the difference is f(x+h) - f(x-h), in that order"),
                ],
                "the central difference is (f(x+h) - f(x-h)) / (2h)",
                rtol=1e-8,
            )

    def cube(x: float) -> float:
        return x**3

    ok, got = _call(report, "slope(x**3, 1, h=0.01)", slope, _SLOPE, cube, 1.0, 0.01)
    if ok:
        # The central difference of x**3 is exactly 3x**2 + h**2: it depends on h, as it should.
        _number_check(
            report,
            "slope(x**3, 1, h=0.01)",
            got,
            3 + 1e-4,
            [
                (3.0301, "that is the forward difference (f(x+h) - f(x)) / h"),
                (3.0, "your slope does not use the h it was given"),
            ],
            "the central difference is (f(x+h) - f(x-h)) / (2h)",
            rtol=1e-9,
        )
    return report


def check_second_derivative(second: Callable[..., float]) -> Report:
    """Check exercise 2 of *Derivatives from scratch*: ``second_derivative(f, x, h)``.

    Args:
        second: The reader's estimate ``(f(x+h) - 2f(x) + f(x-h)) / h**2``.

    Returns:
        A :class:`Report`: sin at 1 with h = 1e-4 (best) and 1e-2, ``x**4`` at 0, whose second
        difference is exactly ``2 h**2`` (the h given is used), and a cubic, whose second
        difference is exact.

    Example:
        >>> f = lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / h**2
        >>> print(check_second_derivative(f).passed)
        True
    """
    report = Report("Derivatives from scratch, exercise 2: nudging twice")
    if _not_a_function(report, "second_derivative", second, _SECOND):
        return report
    for h, tol in ((1e-4, 1e-6), (1e-2, 1e-4)):
        name = f"second_derivative(sin, 1, h={h:g})"
        ok, got = _call(report, name, second, _SECOND, math.sin, 1.0, h)
        if ok:
            s = math.sin
            _number_check(
                report,
                name,
                got,
                -math.sin(1.0),
                [
                    (
                        (s(1 + h) - 2 * s(1) + s(1 - h)) / h,
                        "divide by h**2, not h: the difference of differences is a step of h twice",
                    ),
                    ((s(1 + h) + 2 * s(1) + s(1 - h)) / h**2, "the middle term is -2 f(x)"),
                    ((s(1 + h) - s(1 - h)) / h**2, "the middle term -2 f(x) is missing"),
                ],
                "the estimate is (f(x+h) - 2 f(x) + f(x-h)) / h**2",
                rtol=tol,
                atol=tol,
            )
    # x**4 at 0: the second difference is exactly 2 h**2, so it tells which h was used.
    name = "second_derivative(x**4, 0, h=0.1)"
    ok, got = _call(report, name, second, _SECOND, lambda x: x**4, 0.0, 0.1)
    if ok:
        _, other = _call(Report(""), name, second, _SECOND, lambda x: x**4, 0.0, 0.2)
        ignored = [(_as_float(other), "your function does not use the h it was given")]  # same at h = 0.2
        _number_check(
            report, name, got, 0.02, ignored, "the estimate is (f(x+h) - 2 f(x) + f(x-h)) / h**2", rtol=1e-9
        )
    ok, got = _call(report, "second_derivative(x**3, 2, h=0.1)", second, _SECOND, lambda x: x**3, 2.0, 0.1)
    if ok:
        _number_check(
            report,
            "second_derivative(x**3, 2, h=0.1)",
            got,
            12.0,
            [],
            "for a cubic the second difference is exact: 6x = 12 at x = 2",
            rtol=1e-9,
            atol=1e-9,
        )
    return report


def check_numerical_gradient(numerical_gradient: Callable[..., list[float]]) -> Report:
    """Check exercise 3 of *Derivatives from scratch*: ``numerical_gradient(fn, inputs, h=1e-6)``.

    Args:
        numerical_gradient: The reader's function: the list of partial derivatives of
            ``fn`` (a function of several numbers) at ``inputs``, by central differences.

    Returns:
        A :class:`Report`: a product, the exercise's ``tanh(a b + c) a``, one input and
        five inputs, a cubic that tells central from forward differences, the inputs
        left unchanged, and 10 random functions compared with micrograd's gradients.

    Example:
        >>> def numerical_gradient(fn, inputs, h=1e-6):
        ...     grads = []
        ...     for i in range(len(inputs)):
        ...         up, down = list(inputs), list(inputs)
        ...         up[i] += h
        ...         down[i] -= h
        ...         grads.append((fn(*up) - fn(*down)) / (2 * h))
        ...     return grads
        >>> print(check_numerical_gradient(numerical_gradient).passed)
        True
    """
    report = Report("Derivatives from scratch, exercise 3: numerical_gradient")
    if _not_a_function(report, "numerical_gradient", numerical_gradient, _GRADIENT):
        return report

    called_with_a_list: list[object] = []

    def run(name: str, fn: Callable[..., float], inputs: list[float]) -> list[float] | None:
        """The reader's gradient of ``fn`` (a function of numbers) at ``inputs``, as numbers,
        or ``None`` after recording why not.
        """

        def one_by_one(*xs: Any) -> float:
            if any(isinstance(x, (list, tuple)) for x in xs):  # fn(up): our fn would fail inside
                called_with_a_list.append(xs)
                raise TypeError(_ONE_BY_ONE)
            return fn(*xs)

        ok, got = _call(report, name, numerical_gradient, _GRADIENT, one_by_one, inputs)
        if called_with_a_list:
            called_with_a_list.clear()
            report.checks[-1] = Check(name, False, f"{name}: {_ONE_BY_ONE}.", _ONE_BY_ONE)
            return None
        if not ok:
            return None
        mistake = "return a list of numbers, one per input, in order"
        if isinstance(got, Mapping | str) or not isinstance(got, Iterable):
            report.checks.append(Check(name, False, f"{name} returned {got!r}: {mistake}.", mistake))
            return None
        got = list(got)
        for i, g in enumerate(got):
            what = _not_a_number(g)  # a text such as f"{g:.6f}" would read as its number
            if what:
                report.checks.append(Check(name, False, f"{name}: entry {i} of the list is {what}.", what))
                return None
        return [_as_float(g) for g in got]

    def compare(name: str, fn: Callable[..., Any], point: list[float], tol: float = 1e-6) -> None:
        """``fn`` is written with Values; the reader's function gets its version on numbers."""
        inputs = list(point)

        def on_numbers(*xs: float) -> float:
            return float(fn(*(Value(x) for x in xs)).data)

        got_list = run(name, on_numbers, inputs)
        if got_list is None:
            return
        values = [Value(p) for p in point]
        out = fn(*values)
        out.backward()
        exact = [v.grad for v in values]
        if inputs != point:
            mistake = (
                "your function changed the list of inputs it was given: nudge a copy "
                "(up = list(inputs)), or save the old value and restore it"
            )
            if _same_numbers(inputs, point):  # += h; -= 2 * h; += h
                mistake = (
                    "your function changed the inputs it was given by a rounding error: save the old "
                    "value and restore it (old = inputs[i]; ...; inputs[i] = old): adding h and "
                    "subtracting it again does not give back the same float"
                )
            report.checks.append(
                Check(name, False, f"{name}: inputs {point} became {inputs}: {mistake}.", mistake)
            )
            return
        if len(got_list) != len(exact):
            mistake = "return one partial derivative per input"
            report.checks.append(
                Check(
                    name,
                    False,
                    f"{name} returned {len(got_list)} number{'' if len(got_list) == 1 else 's'} "
                    f"for {len(exact)} inputs: {mistake}.",
                    mistake,
                )
            )
            return
        bad = [i for i, (g, e) in enumerate(zip(got_list, exact, strict=True)) if not _close(g, e, tol, tol)]
        if not bad:
            report.checks.append(Check(name, True, ", ".join(_num(e) for e in exact)))
            return
        i = bad[0]
        g, e = got_list[i], exact[i]
        if _close(g, 2 * e, 1e-4, 1e-6):
            mistake = "divide by 2h, the distance between x-h and x+h, not by h"
        elif _close(g, -e, 1e-4, 1e-6):
            mistake = "the difference is fn(x+h) - fn(x-h), in that order"
        elif e != 0 and 0 < g / e < 1e-6:  # (up - down) / 2*h: h**2 times the slope
            mistake = "/ 2*h divides by 2 and then multiplies by h: divide by (2 * h), in parentheses"
        else:
            mistake = (
                "estimate each partial derivative by nudging that input alone, by +h and by -h: "
                "(fn(..., x+h, ...) - fn(..., x-h, ...)) / (2h)"
            )
        report.checks.append(
            Check(
                name, False, f"{name} gave {_num(g)} for input {i}, expected {_num(e)}: {mistake}.", mistake
            )
        )

    # Not at a = 2, where a * b is twice its slope in a, b: a function's value would pass for the
    # slope divided by h instead of 2h.
    compare("a * b at (3, -2)", lambda a, b: a * b, [3.0, -2.0])
    compare("tanh(a b + c) a at (0.5, -1.5, 0.3)", lambda a, b, c: (a * b + c).tanh() * a, [0.5, -1.5, 0.3])
    compare("x ** 2 at 3 (one input)", lambda x: x**2, [3.0])
    compare(
        "x1 + 2 x2 + 3 x3 + 4 x4 + 5 x5", lambda *xs: sum((k + 1) * x for k, x in enumerate(xs)), [0.0] * 5
    )
    got_list = run("x ** 3 at 1", lambda x: x**3, [1.0])
    if got_list is not None:
        first = got_list[0] if got_list else math.nan
        _number_check(
            report,
            "x ** 3 at 1",
            first,
            3.0,
            [
                (
                    3.000003,
                    "that is the forward difference (fn(x+h) - fn(x)) / h, accurate only to about h; "
                    "the central difference (fn(x+h) - fn(x-h)) / (2h) is accurate to about h**2",
                )
            ],
            "estimate the slope with (fn(x+h) - fn(x-h)) / (2h)",
            rtol=1e-8,
            atol=1e-8,
        )
    rng = random.Random(0)
    for k in range(10):
        case = _random_case(100 + k, (_ADD, _MUL, _TANH))
        leaves = [v for v in case.build(Value).values() if not v._prev]
        point = [v.data for v in leaves]

        def fn(*xs: Any, case: _Case = case) -> Any:
            made = iter(xs)
            return list(case.build(_Maker(lambda _x: next(made))).values())[-1]

        before = len(report.checks)
        compare(f"random function {k + 1}", fn, point)
        rng.random()
        if not report.checks[-1].passed:
            break
        del report.checks[before:]
    else:
        report.checks.append(Check("10 random functions", True, "all agree with micrograd's gradients"))
    return report
