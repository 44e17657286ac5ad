"""Checkers of *Backprop step by step*: the order ``backward()`` visits a graph, the gradients
behind a relu that is off, and ``my_backward`` without recursion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from micrograd.engine import Value
from micrograd.exercises.cases import _Case, _check_class, _named
from micrograd.exercises.compare import _as_float, _close, _not_a_number, _num, _same_numbers
from micrograd.exercises.diagnoses import _COMMON, _SEVERAL_PATHS, _local_alone, _set_not_added, _times_data
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
    mistake = _not_labels(order)
    if mistake:
        report.checks.append(Check("order", False, f"order: {mistake}.", mistake))
        return report
    labels = list(order)
    ops = [v for v in labels if v not in ("x", "w")]
    unknown = [v for v in labels if v not in _ORDER_LABELS]
    twice = [v for v in _ORDER_LABELS if labels.count(v) > 1]
    if unknown:
        mistake = f"unknown label {unknown[0]!r}: the labels are w, x, x*w and y"
        report.checks.append(Check("order", False, f"order {labels}: {mistake}.", mistake))
    elif twice:
        mistake = (
            f"{twice[0]} appears twice: backward() processes each value once, in reversed topological order"
        )
        report.checks.append(Check("order", False, f"order {labels}: {mistake}.", mistake))
    elif labels[:2] == ["y", "x*w"]:
        report.checks.append(Check("order", True, "y, then x*w, then the leaves"))
    elif ops == ["y", "x*w"]:  # a leaf before x*w, which uses both leaves
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
    if x_grads is not None and not report.checks[-1].passed:
        # The numbers after each step follow the order: judged along the right one, they would
        # send a reader whose numbers follow their own order looking for a mistake they did not make.
        note = "these numbers follow the order: put the order right first, then check them"
        title = "x.grad after each step"
        report.checks.append(Check(title, False, f"{title}: not checked yet; {note}.", note, advisory=True))
    elif x_grads is not None:
        report.checks.append(_x_grads_check(x_grads, len(labels)))
    return report


#: The labels of exercise 1's values (not in the order asked for, which is the answer).
_ORDER_LABELS = ("w", "x", "x*w", "y")


def _not_labels(order: object) -> str | None:
    """What is wrong with ``my_order`` as a list of labels, or ``None``."""
    if isinstance(order, str):
        return (
            f'my_order must be a list with one label per value, each a string such as "x*w", '
            f"not one string {order!r}"
        )
    if not isinstance(order, Sequence):
        return f'my_order must be a list of labels, strings such as "x*w", not a {type(order).__name__}'
    if not all(isinstance(v, str) for v in order):
        return 'my_order holds the labels as strings, such as "x*w", not the values themselves'
    return None


def _x_grads_check(x_grads: object, steps: int) -> Check:
    """The check of ``my_x_grads``, x.grad after each step; a wrong one is named, its number is not."""
    title = "x.grad after each step"
    expected = [1.0, 3.0] + [3.0] * max(0, steps - 2)
    if isinstance(x_grads, str) or not isinstance(x_grads, Sequence):
        mistake = "my_x_grads must be a list of numbers, x.grad after each entry of my_order"
        return Check(title, False, f"{title}: {mistake}.", mistake)
    if any(g is Ellipsis for g in x_grads):
        mistake = "replace the ... with your x.grad after each step"
        return Check(title, False, f"{title}: still ...; {mistake}.", mistake)
    got = [_as_float(g) for g in x_grads]
    if any(isinstance(g, str | bytes) for g in x_grads) or any(g != g for g in got):  # not a number
        mistake = "give numbers (x.grad after each step), not values, labels or text"
        return Check(title, False, f"{title}: {mistake}.", mistake)
    gave = f"{title} gave [{', '.join(_num(g) for g in got)}]"
    if len(got) == len(expected) + 1 and got[0] == 0:
        mistake = "leave out the start: one number per entry of my_order"
        return Check(title, False, f"{gave}: {mistake}.", mistake)
    if len(got) != len(expected):
        mistake = f"give one number per entry of my_order, {steps} of them, not {len(got)}"
        return Check(title, False, f"{gave}: {mistake}.", mistake)
    if _same_numbers(got, expected):
        return Check(title, True, ", ".join(_num(g) for g in got))
    # The right numbers are the answer: the step that goes wrong is named, not what it should give.
    first = next(i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if not _close(g, e))
    if first == 0:
        mistake = "check what the + passes to x at the first step: y.grad times the local derivative of a sum"
    elif first == 1 and _close(got[1], expected[1] - expected[0]):
        mistake = "at the second step x*w adds to what x already has: gradients accumulate"
    elif first == 1 and _close(got[1], expected[0] + 3.0):  # x's own number, 3, rather than w's
        mistake = (
            "check what x*w passes to x at the second step: each input of a product gets the *other* "
            "input's value times the product's gradient"
        )
    elif first == 1:
        mistake = (
            "check what x*w adds to x at the second step, and that it adds to what x has: "
            "gradients accumulate"
        )
    else:
        mistake = "the leaves pass nothing on: after x*w's step, x.grad is complete and stays as it is"
    return Check(title, False, f"{gave}: {mistake}.", mistake)


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
    if not isinstance(grads, Mapping):
        mistake = f'predicted must be a dict by label, {{"w": ..., "b": ...}}, not a {type(grads).__name__}'
        report.checks.append(Check("predicted", False, f"{mistake}.", mistake))
        return report
    x, w, b = Value(1.5), Value(-2.0), Value(0.5)
    y = (w * x + b).relu()
    y.backward()
    right = {"x": x.grad, "w": w.grad, "b": b.grad}
    alive = {"x": w.data, "w": x.data, "b": 1.0}  # what they would be if the relu were on
    for name in ("w", "b", "x"):
        if name not in grads and name == "x":
            continue
        title = f"{name}.grad"
        if name not in grads:
            others = [k for k in grads if k not in ("w", "b", "x")]
            given = f" (the dictionary's keys are {', '.join(repr(k) for k in others)})" if others else ""
            mistake = f"give a prediction for {name}.grad under the label {name!r}, as {{'{name}': ...}}"
            report.checks.append(Check(title, False, f"{title}: not given{given}; {mistake}.", mistake))
            continue
        written: object = grads[name]
        if written is Ellipsis:  # the exercise's text writes the dictionary with ... for each
            mistake = f"replace the ... with your prediction of {title}"
            report.checks.append(Check(title, False, f"{title}: still ...; {mistake}.", mistake))
            continue
        if hasattr(written, "grad"):  # {"w": w, ...}: the values, not predicted numbers
            mistake = "give numbers, your predictions worked out by hand, not values"
            report.checks.append(Check(title, False, f"{title}: you gave a value; {mistake}.", mistake))
            continue
        what = _not_a_number(written)  # None, a text: named, neither read as a number nor as nan
        if written is None:
            what = "None, not a number: write your predicted number in its place"
        if what:
            report.checks.append(Check(title, False, f"{title}: you gave {what}.", what))
            continue
        got = _as_float(written)
        if _close(got, right[name]):
            report.checks.append(Check(title, True, f"{title} = {_num(right[name])}"))
            continue
        # The right numbers are the answer: the likely mistake is named, not what they should be.
        if _close(got, alive[name]):
            mistake = (
                "you assumed relu passes the gradient on: compute z = w*x + b first, then relu's "
                "local derivative at z"
            )
        else:
            mistake = (
                "start from y.grad = 1 and multiply by the local derivative of each operation on the "
                f"way down to {name}, relu's first: compute z = w*x + b to know it"
            )
        report.checks.append(
            Check(title, False, f"{title}: you predicted {_num(written)}: {mistake}.", mistake)
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
        keep["a reused intermediate: tanh(h*h) + h, h = x*w"],
        chain,
        keep["a value reused at each of 40 levels"],
    ]
    # The reader's one loop does the chain rule for every operation: a factor it forgets is
    # named before what the value-class cases say of one operation, or of values visited twice
    # (on the neuron, every gradient is then twice the right one).
    return [replace(c, diagnose=(_local_alone, _times_data, *c.diagnose)) for c in cases]


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
