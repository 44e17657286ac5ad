"""Checkers of *Backprop step by step*: the order ``backward()`` visits a graph, the gradients
behind a relu that is off, and ``my_backward`` without recursion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from micrograd.engine import Value
from micrograd.exercises.cases import _Case, _check_class, _named
from micrograd.exercises.compare import _as_float, _close, _num
from micrograd.exercises.diagnoses import _COMMON, _SEVERAL_PATHS, _local_alone, _set_not_added
from micrograd.exercises.report import Check, Report
from micrograd.exercises.value_class import CHAIN_CASE, _value_cases


def check_backward_order(order: Sequence[str], x_grads: Sequence[float] | None = None) -> Report:
    """Check exercise 1 of *Backprop step by step*: the order backward() visits ``y = x*w + x``.

    Args:
        order: The labels in the order you predict ``backward()`` processes them, such
            as ``["y", "x*w", "x", "w"]`` (the leaves may be left out: they pass nothing on).
        x_grads: Optionally, ``x.grad`` after each of those steps (with ``x = 3``, ``w = 2``).

    Returns:
        A :class:`Report` on the order and, if given, the gradients of ``x``.

    Example:
        >>> print(check_backward_order(["y", "x*w", "x", "w"], [1, 3, 3, 3]))
        Backprop step by step, exercise 1: the order: all 2 checks passed
          ✓ order: y, then x*w, then the leaves
          ✓ x.grad after each step: 1, 3, 3, 3
    """
    report = Report("Backprop step by step, exercise 1: the order")
    labels = [str(v) for v in order]
    ops = [v for v in labels if v not in ("x", "w")]
    known = set(labels) <= {"y", "x*w", "x", "w"} and len(set(labels)) == len(labels)
    if labels[:2] == ["y", "x*w"] and known:
        report.checks.append(Check("order", True, "y, then x*w, then the leaves"))
    elif ops == ["y", "x*w"] and known:  # a leaf before x*w, which uses both leaves
        early = next(v for v in labels if v in ("x", "w"))
        report.checks.append(
            Check(
                "order",
                False,
                f"order {labels}: {early} comes before x*w, which uses it; backward() processes "
                f"a value only after every value that uses it has passed it its gradient, so the "
                f"leaves x and w come after x*w.",
                "each value after every value that uses it",
            )
        )
    elif labels and labels[-1] == "y" and len(labels) > 2:
        report.checks.append(
            Check(
                "order",
                False,
                f"order {labels}: that is the topological order itself, inputs first; "
                "backward() walks the reversed topological order, from the output y back to the inputs.",
                "reversed topological order",
            )
        )
    elif ops[:2] == ["x*w", "y"]:
        report.checks.append(
            Check(
                "order",
                False,
                f"order {labels}: backward() starts at the output y, whose gradient is "
                "1, and visits x*w only after y has passed it its gradient.",
                "output first",
            )
        )
    else:
        report.checks.append(
            Check(
                "order",
                False,
                f"order {labels}: backward() walks the reversed topological order, from the "
                "output back to the inputs, each value after every value that uses it.",
                "reversed topological order",
            )
        )
    if x_grads is not None:
        expected = [1.0, 3.0] + [3.0] * max(0, len(labels) - 2)
        got = [_as_float(g) for g in x_grads]
        if len(got) == len(expected) and all(_close(g, e) for g, e in zip(got, expected, strict=True)):
            report.checks.append(Check("x.grad after each step", True, ", ".join(_num(g) for g in got)))
        else:
            mistake = "x.grad collects 1 from the + at the first step, and w = 2 more from x*w at the second"
            if got[:2] == [1.0, 2.0]:
                mistake = "the second step adds w * 1 = 2 to the 1 already there: gradients accumulate"
            report.checks.append(
                Check(
                    "x.grad after each step",
                    False,
                    f"x.grad after each step gave {[_num(g) for g in got]}: {mistake}.",
                    mistake,
                )
            )
    return report


def check_dead_relu(grads: Mapping[str, float]) -> Report:
    """Check exercise 2 of *Backprop step by step*: predicted gradients of ``relu(w*x + b)``.

    Args:
        grads: Your predicted gradients by label, for ``w`` and ``b`` (and optionally
            ``x``), with ``x = 1.5``, ``w = -2``, ``b = 0.5``.

    Returns:
        A :class:`Report` with one check per gradient.

    Example:
        >>> print(check_dead_relu({"w": 0, "b": 0}).passed)
        True
    """
    report = Report("Backprop step by step, exercise 2: a relu that is off")
    x, w, b = Value(1.5), Value(-2.0), Value(0.5)
    y = (w * x + b).relu()
    y.backward()
    right = {"x": x.grad, "w": w.grad, "b": b.grad}
    alive = {"x": w.data, "w": x.data, "b": 1.0}  # what they would be if the relu were on
    for name in ("w", "b", "x"):
        if name not in grads and name == "x":
            continue
        if name not in grads:
            mistake = f"give a prediction for {name}.grad too, as {{'{name}': ...}}"
            report.checks.append(Check(f"{name}.grad", False, f"{name}.grad: not given; {mistake}.", mistake))
            continue
        got = _as_float(grads[name])
        if _close(got, right[name]):
            report.checks.append(Check(f"{name}.grad", True, f"{name}.grad = {_num(right[name])}"))
            continue
        if _close(got, alive[name]):
            mistake = (
                "z = w*x + b = -2.5 is negative, so relu's local derivative is 0 and nothing "
                "passes back: every gradient below it is 0"
            )
        else:
            mistake = "relu outputs 0 here, and its local derivative is 0: the gradient stops at it"
        report.checks.append(
            Check(
                f"{name}.grad",
                False,
                f"{name}.grad: you predicted {_num(got)}: {mistake}.",
                mistake,
            )
        )
    return report


def _my_backward_cases() -> list[_Case]:
    def neuron(V: Any) -> dict[str, Any]:
        x1, x2 = V(2.0), V(0.0)
        w1, w2 = V(-3.0), V(1.0)
        b = V(6.8813735870195432)
        x1w1, x2w2 = x1 * w1, x2 * w2
        s = x1w1 + x2w2
        n = s + b
        return _named(
            x1=x1,
            x2=x2,
            w1=w1,
            w2=w2,
            b=b,
            **{"x1*w1": x1w1, "x2*w2": x2w2, "x1*w1 + x2*w2": s},
            n=n,
            o=n.tanh(),
        )

    def reuse(V: Any) -> dict[str, Any]:
        a, b = V(-2.0), V(3.0)
        d = a * b
        e = a + b
        return _named(a=a, b=b, d=d, e=e, f=d * e)

    keep = {c.name: c for c in _value_cases()}
    chain = keep[CHAIN_CASE]
    chain = _Case(chain.name, chain.build, chain.show, chain.diagnose, _SEVERAL_PATHS)
    cases = [
        _Case(
            "the lecture's neuron",
            neuron,
            ("x1", "x2", "w1", "w2", "b"),
            _COMMON,
            "a gradient is wrong: see the drawing for the first wrong value",
        ),
        _Case(
            "reuse(): f = (a*b) * (a+b)",
            reuse,
            ("a", "b"),
            (*_COMMON, _set_not_added("a", lambda e: [e.d("b") * e.d("e"), e.d("d")])),
            _SEVERAL_PATHS,
        ),
        keep["tanh(x) * c"],
        keep["x + x"],
        keep["x used three times: x*w + x*x + x"],
        keep["a reused intermediate: h + tanh(h*h), h = x*w"],
        chain,
        keep["a value reused at each of 40 levels"],
    ]
    # The reader's one loop does the chain rule for every operation: a factor it forgets is
    # named before what the value-class cases say of one operation, or of values visited twice
    # (on the neuron, every gradient is then twice the right one).
    return [replace(c, diagnose=(_local_alone, *c.diagnose)) for c in cases]


def check_my_backward(my_backward: Callable[[Value], Any]) -> Report:
    """Check exercise 4 of *Backprop step by step*: ``my_backward(root)`` without recursion.

    ``my_backward`` is called on graphs of micrograd :class:`~micrograd.engine.Value`
    objects and must leave in each value's ``grad`` what
    :meth:`~micrograd.engine.Value.backward` would, using the stored local derivatives
    ``_local_grads``.

    Args:
        my_backward: The reader's function of the output value.

    Returns:
        A :class:`Report`: the lecture's neuron, ``reuse()``, ``x + x``, a value used
        three times, a reused intermediate, a chain of 1,200 additions (deeper than
        Python's recursion limit, so recursion fails there) and a value reused at 40
        levels (a search without a visited set never ends; the check stops it).

    Example:
        >>> print(check_my_backward(lambda root: root.backward()).passed)
        True
    """
    return _check_class(
        "Backprop step by step, exercise 4: my_backward", Value, _my_backward_cases(), my_backward
    )
