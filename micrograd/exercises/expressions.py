"""Random expressions, run on the reader's value class and compared with micrograd's engine
(and, when they differ, with central differences).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from micrograd.engine import Value
from micrograd.exercises.budget import _NotAValue
from micrograd.exercises.cases import _blame, _Case, _check_class, _run_case
from micrograd.exercises.compare import _num
from micrograd.exercises.diagnoses import _COMMON, _forgets_inputs
from micrograd.exercises.report import Check, Report


@dataclass(frozen=True)
class _Op:
    """An operation random expressions may use: its name, arity, and how to apply it."""

    name: str
    arity: int
    apply: Callable[[Any, Any], Any]
    # The reader's version of the operation, when it differs from micrograd's (a function).
    mine: Callable[[Any, Any], Any] | None = None
    # Inputs on which the operation is defined and stays small.
    ok: Callable[[float, float], bool] = lambda a, b: True


def _apply(op: _Op, V: Any, a: Any, b: Any, step: str) -> Any:
    """``op`` on ``a`` and ``b``: the reader's own function for it, if they wrote one (never for
    micrograd's Value). A plain number from it is an error that names ``step``, where the next
    operation on it would fail less clearly."""
    if op.mine is None or _is_reference(V):
        return op.apply(a, b)
    result = op.mine(a, b)
    if isinstance(result, int | float):
        raise _NotAValue(f"{step} is {_num(result)}, a {type(result).__name__}")
    return result


def _random_case(seed: int, ops: Sequence[_Op], n_ops: int = 6) -> _Case:
    """A random expression of ``ops`` on three inputs, some used several times."""
    rng = random.Random(seed)
    leaves = [
        rng.choice([0.0, round(rng.uniform(-2, 2), 2)]) if i == 2 else round(rng.uniform(-2, 2), 2)
        for i in range(3)
    ]
    names = ["x", "y", "z"]
    data = list(leaves)
    plan: list[tuple[_Op, int, int]] = []
    steps: list[str] = []
    while len(plan) < n_ops:
        op = rng.choice(ops)
        # Prefer recent values, so that the expression grows deep, but reuse old ones too.
        i = max(0, len(data) - 1 - int(rng.expovariate(0.7)))
        j = rng.randrange(len(data))
        a, b = data[i], data[j]
        if not op.ok(a, b):
            continue
        try:
            result = op.apply(Value(a), Value(b)).data
        except (ArithmeticError, ValueError):
            continue
        if abs(result) > 20:
            continue
        plan.append((op, i, j))
        data.append(result)
        name = f"v{len(plan)}"
        names.append(name)
        steps.append(f"{name} = {op.name.format(a=names[i], b=names[j])}")

    def build(V: Any) -> dict[str, Any]:
        nodes = [V(x) for x in leaves]
        for (op, i, j), step in zip(plan, steps, strict=True):
            nodes.append(_apply(op, V, nodes[i], nodes[j], step))
        return dict(zip(names, nodes, strict=True))

    inputs = ", ".join(f"{n} = {_num(x)}" for n, x in zip(names, leaves, strict=False))
    return _Case(
        f"random expression ({inputs}; {'; '.join(steps)})",
        build,
        ("x", "y", "z"),
        (*_COMMON, _forgets_inputs),
        "a local derivative is wrong; the fixed checks above name the operation",
    )


def _random_tree(
    rng: random.Random, ops: Sequence[_Op]
) -> tuple[list[float], list[tuple[_Op, int, int]]] | None:
    """One try at a random tree: its leaves' data, and its operations, each on values made before.

    An operation's operands are indices into the values, leaves first: ``-k - 1`` is leaf ``k``
    and ``k`` the result of operation ``k``. ``None`` when an operation left its domain.
    """
    leaves: list[float] = []
    plan: list[tuple[_Op, int, int]] = []
    data: list[float] = []

    def value(i: int) -> float:
        return leaves[-i - 1] if i < 0 else data[i]

    def grow(depth: int) -> int | None:
        if depth == 0 or (depth < 3 and rng.random() < 0.35):
            leaves.append(round(rng.uniform(-2, 2), 2))
            return -len(leaves)
        op = rng.choice(ops)
        left = grow(depth - 1)
        right = grow(depth - 1) if op.arity == 2 else left
        if left is None or right is None or not op.ok(value(left), value(right)):
            return None
        try:
            result = op.apply(Value(value(left)), Value(value(right))).data
        except (ArithmeticError, ValueError):
            return None
        if abs(result) > 20:
            return None
        plan.append((op, left, right))
        data.append(result)
        return len(plan) - 1

    return (leaves, plan) if grow(3) is not None and 2 <= len(plan) <= 7 else None


def _random_tree_case(seed: int, ops: Sequence[_Op]) -> _Case:
    """A random expression of ``ops`` in which no value is used twice: a tree, every leaf new.

    The engine of *Building Value* sets gradients with ``=``, which is right exactly on such
    expressions; :func:`_random_case` reuses values, which only a ``+=`` engine gets right.
    """
    rng = random.Random(seed)
    tree = None
    while tree is None:
        tree = _random_tree(rng, ops)
    leaves, plan = tree
    names = [f"x{k + 1}" for k in range(len(leaves))] + [f"v{k + 1}" for k in range(len(plan))]

    def index(i: int) -> int:  # leaves first, then the operations' results, in the order made
        return -i - 1 if i < 0 else len(leaves) + i

    steps = [
        f"v{k + 1} = {op.name.format(a=names[index(i)], b=names[index(j)])}"
        for k, (op, i, j) in enumerate(plan)
    ]

    def build(V: Any) -> dict[str, Any]:
        nodes = [V(x) for x in leaves]
        for (op, i, j), step in zip(plan, steps, strict=True):
            nodes.append(_apply(op, V, nodes[index(i)], nodes[index(j)], step))
        return dict(zip(names, nodes, strict=True))

    inputs = ", ".join(f"{n} = {_num(x)}" for n, x in zip(names, leaves, strict=False))
    return _Case(
        f"random expression ({inputs}; {'; '.join(steps)})",
        build,
        tuple(names[: len(leaves)]),
        (*_COMMON, _forgets_inputs),
        "a local derivative is wrong; the fixed checks above name the operation",
    )


def _central_differences(case: _Case, name: str, h: float = 1e-6) -> float:
    """d(output)/d(name) of a random case, by central differences on micrograd's forward pass."""
    position = list(case.build(Value)).index(name)  # the inputs are made first, in order

    def output(shift: float) -> float:
        made: list[float] = []

        def make(x: float) -> Value:
            made.append(x)
            return Value(x + shift if len(made) - 1 == position else x)

        return float(list(case.build(_Maker(make)).values())[-1].data)

    return (output(h) - output(-h)) / (2 * h)


class _Maker:
    """micrograd's Value with a constructor that nudges one input (for central differences)."""

    def __init__(self, make: Callable[[float], Value]) -> None:
        self.make = make

    def __call__(self, x: float) -> Value:
        return self.make(x)


def _is_reference(v_class: Any) -> bool:
    return v_class is Value or isinstance(v_class, _Maker)


def _random_check(
    title: str,
    v_class: Any,
    ops: Sequence[_Op],
    count: int,
    report: Report,
    seed: int = 0,
    *,
    tree: bool = False,
) -> None:
    """Run ``count`` random expressions (trees only, if ``tree``); one check line for all of them."""
    for k in range(count):
        case = (_random_tree_case if tree else _random_case)(seed + k, ops)
        check, got, expected = _run_case(v_class, case)
        if not check.passed:
            extra = ""
            if got.error is None:
                try:
                    numeric = {n: _central_differences(case, n) for n in case.show}
                    extra = " Central differences agree with the expected values: " + ", ".join(
                        f"d out/d {n} ≈ {_num(v)}" for n, v in numeric.items()
                    )
                    extra += "."
                except (ArithmeticError, ValueError, IndexError):
                    extra = ""
            report.checks.append(
                Check(
                    title,
                    False,
                    f"expression {k + 1} of {count}: {check.message}{extra}",
                    check.mistake,
                    check.advisory,
                )
            )
            if report.blame is None and got.error is None:
                report.blame = _blame(case, got, expected, check.mistake)
            return
    report.checks.append(Check(title, True, f"all {count} agree with micrograd's Value"))


_ADD = _Op("{a} + {b}", 2, lambda a, b: a + b)
_MUL = _Op("{a} * {b}", 2, lambda a, b: a * b)
_TANH = _Op("tanh({a})", 1, lambda a, b: a.tanh())
_RELU = _Op("relu({a})", 1, lambda a, b: a.relu())
_EXP = _Op("exp({a})", 1, lambda a, b: a.exp(), ok=lambda a, b: a < 2.5)
_SQUARE = _Op("{a} ** 2", 1, lambda a, b: a**2)
_CUBE = _Op("{a} ** 3", 1, lambda a, b: a**3, ok=lambda a, b: abs(a) < 2.5)
_INVERSE = _Op("{a} ** -1", 1, lambda a, b: a**-1, ok=lambda a, b: abs(a) > 0.2)
_SUB = _Op("{a} - {b}", 2, lambda a, b: a - b)
_NEG = _Op("-{a}", 1, lambda a, b: -a)
_TIMES_NUMBER = _Op("2.5 * {a}", 1, lambda a, b: 2.5 * a)
_NUMBER_PLUS = _Op("{a} + 1.5", 1, lambda a, b: a + 1.5)
_NUMBER_MINUS = _Op("1.5 - {a}", 1, lambda a, b: 1.5 + (-a))


def _class_report(
    title: str, v_class: Any, cases: Sequence[_Case], ops: Sequence[_Op], count: int = 20
) -> Report:
    report = _check_class(title, v_class, cases)
    _random_check(
        f"{count} random expressions of {', '.join(sorted({o.name.format(a='x', b='y') for o in ops}))}",
        v_class,
        ops,
        count,
        report,
    )
    return report
