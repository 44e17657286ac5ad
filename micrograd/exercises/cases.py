"""Cases on the reader's value class: build one expression with it and with micrograd's
Value, call ``backward()`` on both, compare every named value, and explain a difference.
"""

from __future__ import annotations

import contextlib
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from micrograd.engine import Value
from micrograd.exercises.blame import Blame, BlameNode
from micrograd.exercises.budget import (
    _MIN_STEPS,
    _STEPS_PER_NODE,
    _Budget,
    _children,
    _CountedCall,
    _describe_error,
    _install_counters,
    _OutOfSteps,
    _walk,
)
from micrograd.exercises.compare import _as_float, _close, _num
from micrograd.exercises.report import Check, Report, _stopped_message

Builder = Callable[[Any], dict[str, Any]]
"""Builds one expression from a value class: every value of it, by name, the output last."""

Diagnosis = Callable[["_Outcome", "_Outcome"], str | None]
"""Given what came back and what was expected, the likely mistake, or ``None``."""


@dataclass
class _Outcome:
    """What one case gave: data and grad per named value, or why it could not run."""

    data: dict[str, float] = field(default_factory=dict)
    grad: dict[str, float] = field(default_factory=dict)
    error: BaseException | None = None
    steps: str = ""
    root: Any = None
    named: dict[str, Any] = field(default_factory=dict)
    # What earlier checks established about the reader's code, such as "accumulates".
    facts: set[str] = field(default_factory=set)
    # How many times backward() was called (the leaves' gradients add up over the calls).
    backwards: int = 1

    def g(self, name: str) -> float:
        return self.grad.get(name, math.nan)

    def d(self, name: str) -> float:
        return self.data.get(name, math.nan)


@dataclass(frozen=True)
class _Case:
    """One check on a value class: an expression, what to compare, and how to explain."""

    name: str
    build: Builder
    # The values whose gradients the message quotes (the leaves, usually).
    show: tuple[str, ...]
    diagnose: Sequence[Diagnosis] = ()
    fallback: str = ""
    # Call backward() this many times (the "backward() twice" trap).
    backwards: int = 1
    # A failure here is reported but does not fail the exercise.
    advisory_on: tuple[type[BaseException], ...] = ()
    advisory_text: str = ""
    compare_all: bool = True
    # A fact about the reader's code that passing this case establishes, for later diagnoses.
    establishes: str = ""


def _run(
    v_class: Any, case: _Case, *, reference: bool = False, backward: Callable[[Any], Any] | None = None
) -> _Outcome:
    """Build the case's expression with ``v_class``, call backward(), read every named value."""
    out = _Outcome(backwards=case.backwards)
    budget = _Budget(_MIN_STEPS)
    try:
        named = case.build(v_class)
        for name, v in named.items():
            with contextlib.suppress(AttributeError, TypeError):  # labels only help the drawing
                v.label = name
        root = list(named.values())[-1]
        out.root, out.named = root, named
        if not reference:
            nodes = _walk(root)
            budget.steps = max(_MIN_STEPS, _STEPS_PER_NODE * len(nodes) * case.backwards)
            _install_counters(nodes, budget)
            budget.start()
        for _ in range(case.backwards):
            if backward is None or reference:
                root.backward()
            else:
                backward(root)
    except _OutOfSteps:
        out.error = _OutOfSteps()
        out.steps = budget.reason
    except (Exception, RecursionError) as err:  # the reader's code may raise anything
        out.error = err
    finally:
        budget.stop()
    for name, v in out.named.items():
        out.data[name] = _as_float(getattr(v, "data", math.nan))
        out.grad[name] = _as_float(getattr(v, "grad", math.nan))
    return out


def _run_case(
    v_class: Any, case: _Case, facts: set[str] | None = None, backward: Callable[[Any], Any] | None = None
) -> tuple[Check, _Outcome, _Outcome]:
    """Run one case on the reader's class (or function) and on micrograd's Value, and compare."""
    expected = _run(Value, case, reference=True)
    if expected.error is not None:  # a bug in this module, not in the reader's code
        raise RuntimeError(f"check {case.name!r} failed on micrograd's own Value") from expected.error
    got = _run(v_class, case, backward=backward)
    got.facts = facts if facts is not None else set()
    if got.error is not None:
        what, mistake = _describe_error(got.error, got.steps)
        mistake = _values_as_local_grads(got) or _local_grads_miscounted(got, expected) or mistake
        advisory = isinstance(got.error, case.advisory_on)
        if advisory and case.advisory_text:
            mistake = case.advisory_text
        return (
            Check(case.name, False, _stopped_message(case.name, what, mistake), mistake, advisory),
            got,
            expected,
        )
    compared = expected.data if case.compare_all else {n: 0.0 for n in case.show}
    wrong_data = [n for n in compared if not _close(got.d(n), expected.d(n))]
    if wrong_data:
        n = wrong_data[-1] if list(compared)[-1] in wrong_data else wrong_data[0]
        mistake = _first_diagnosis(case, got, expected) or (
            f"the forward pass computes {n} wrongly: check the operation that makes it"
        )
        message = f"{case.name} gave {n}.data = {_num(got.d(n))}, expected {_num(expected.d(n))}: {mistake}."
        return Check(case.name, False, message, mistake), got, expected
    wrong = [n for n in case.show if not _close(got.g(n), expected.g(n))]
    if not wrong and case.compare_all:
        wrong = [n for n in compared if not _close(got.g(n), expected.g(n))]
    if not wrong:
        shown = ", ".join(f"{n}.grad = {_num(expected.g(n))}" for n in case.show)
        return Check(case.name, True, shown), got, expected
    mistake = _first_diagnosis(case, got, expected) or case.fallback or "a local derivative is wrong"
    gave = ", ".join(f"{n}.grad = {_num(got.g(n))}" for n in wrong)
    want = ", ".join(_num(expected.g(n)) for n in wrong)
    message = f"{case.name} gave {gave}, expected {want}: {mistake}."
    return Check(case.name, False, message, mistake), got, expected


def _local_grads_miscounted(got: _Outcome, expected: _Outcome) -> str | None:
    """An operation of the reader's class stores another number of local derivatives than it has
    children (``(1.0,)`` for a sum): the chain rule's zip stops at the shorter, and a child is left out."""
    for node in _walk(got.root) if got.root is not None else ():
        local, children = getattr(node, "_local_grads", None), _children(node)
        # Empty, it may be a class whose values keep a _backward step instead (the earlier pages').
        if isinstance(local, tuple | list) and local and children and len(local) != len(children):
            op = str(getattr(node, "_op", "")) or "an operation"
            return (
                f"{op} stores {len(local)} local derivative{'s' if len(local) != 1 else ''} for its "
                f"{len(children)} children: _local_grads holds one per child, in the children's order"
            )
    return None


def _values_as_local_grads(got: _Outcome) -> str | None:
    """Local derivatives that are values, not numbers, in the reader's graph (their code raised when
    the chain rule multiplied them): which operation stores them."""
    if got.root is None or not isinstance(got.error, TypeError | AttributeError):
        return None
    for node in _walk(got.root):
        local = getattr(node, "_local_grads", None)
        if isinstance(local, tuple | list) and any(hasattr(g, "_prev") for g in local):
            op = str(getattr(node, "_op", "")) or "an operation"
            return (
                f"the local derivatives that {op} stores are values, not numbers: _local_grads holds "
                "numbers (other.data, not other), which the chain rule multiplies by the value's grad"
            )
    return None


_NO_GRADIENT_REACHED = (
    "no gradient reached the inputs: backward() must visit the values from the output back "
    "to the inputs, in reversed topological order, so that each value passes its gradient "
    "on only once it is complete"
)


_ONLY_THE_OUTPUT_PASSED = (
    "only the output passed its gradient on: backward() visited the values in topological order, "
    "so each one passed its gradient on before any had arrived; visit them in reversed "
    "topological order, from the output back to the inputs"
)

_AFTER_EVERY_USER = (
    "backward() must visit each value only after every value that uses it, that is, in reversed "
    "topological order"
)


# A backward() whose chain rule forgets the factor: child.grad += local (my_backward's loop).
_LOCAL_ALONE = (
    "each local derivative was added alone: multiply it by node.grad, the gradient of the value "
    "that uses it, child.grad += local * node.grad"
)


# A backward() whose chain rule multiplies by the value's number: child.grad += local * node.data.
_TIMES_DATA = (
    "each local derivative was multiplied by node.data, the value's number: multiply it by "
    "node.grad, the gradient of the value that uses it, child.grad += local * node.grad"
)


# A backward() that resets every value, the leaves too: a second call loses what the first gave them.
_RESET_LEAVES = (
    "the second backward() reset the inputs' gradients: micrograd and PyTorch add every "
    "call's gradients to the leaves (which is why training loops call zero_grad())"
)


# A backward() that does not reset the values made by operations: a second call passes on again
# what the first left in them.
_STALE = (
    "the second backward() started from the gradients the first one left in the values made by "
    "operations, and passed them on again: reset those to 0 at the start of backward(), for "
    "every value with _prev, and leave the leaves to add up"
)


# An operation that returned its own input (relu of a positive number, say), not a new value.
_RETURNED_INPUT = "returned its input instead of a new value"

# Every diagnosis of an operation whose result has no children says this: backward() cannot reach
# what the result was made from, whatever the operations around it do.
_NOT_REMEMBERED = "does not remember its input"


def _is_order(mistake: str) -> bool:
    """The diagnosis is the order backward() visits the values in, not an operation's rule."""
    return mistake in (_NO_GRADIENT_REACHED, _ONLY_THE_OUTPUT_PASSED) or mistake.endswith(_AFTER_EVERY_USER)


def _cut_off(got: _Outcome, expected: _Outcome) -> bool:
    """The reader's graph does not reach a value that micrograd's does: an operation's result
    does not remember its inputs, and backward() cannot reach them in any order.
    """
    reached = {id(v) for v in _walk(got.root)}
    used = {id(v) for v in _walk(expected.root)}
    mine = got.named
    return any(id(v) in used and n in mine and id(mine[n]) not in reached for n, v in expected.named.items())


def _backward_code(node: Any) -> Any:
    """The code of the ``_backward`` a node holds itself (under the budget's counter), or ``None``."""
    step = getattr(node, "__dict__", {}).get("_backward")
    if isinstance(step, _CountedCall):
        step = step.fn
    return getattr(getattr(step, "__func__", step), "__code__", None)


def _never_attached(got: _Outcome, expected: _Outcome) -> str | None:
    """An operation's result kept the backward step every value starts with, the leaves' one,
    and passed nothing on: the operation defines its ``_backward`` but never attaches it.

    The numbers alone look like a wrong order (the values below it get no gradient); the
    reader's graph tells the two apart.
    """
    if got.root is None:
        return None
    nodes = _walk(got.root)
    leaves = {_backward_code(v) for v in nodes if not _children(v)} - {None}
    for v in nodes:
        kids = _children(v)
        if (
            kids
            and _backward_code(v) in leaves
            and _as_float(getattr(v, "grad", 0.0)) != 0
            and all(_as_float(getattr(c, "grad", math.nan)) == 0 for c in kids)
        ):
            op = str(getattr(v, "_op", "")) or "an operation"
            return (
                f"no gradient came back through {op}: its _backward is defined but never attached to "
                "the result; add out._backward = _backward before return out"
            )
    return None


def _unreversed(case: _Case, got: _Outcome, expected: _Outcome) -> str | None:
    """An intermediate value got its right gradient, yet none reached the inputs: the order."""
    names = list(expected.grad)
    inner = [n for n in names[:-1] if n not in case.show]
    if (
        not _cut_off(got, expected)
        and all(got.g(n) == 0 for n in case.show)
        and any(expected.g(n) != 0 for n in case.show)
        and any(expected.g(n) != 0 and _close(got.g(n), expected.g(n)) for n in inner)
    ):
        return _NO_GRADIENT_REACHED
    return None


def _repeated(case: _Case, got: _Outcome, expected: _Outcome) -> str | None:
    """Every input got a whole multiple of its gradient: values were visited more than once."""
    ratios = set()
    for n in case.show:
        if expected.g(n) == 0 or not math.isfinite(got.g(n)):
            continue
        r = got.g(n) / expected.g(n)
        if abs(r - round(r)) > 1e-9 or round(r) < 2:
            return None
        ratios.add(round(r))
    return _VISITED_TWICE if ratios else None


# A topological order without a set of visited values: a value reached along two paths is in it twice.
_VISITED_TWICE = (
    "the inputs got a whole multiple of their gradients: a value appears more than once in "
    "your topological order, so it passes its gradient on more than once; keep a set of "
    "visited values and add each value once"
)


def _first_diagnosis(case: _Case, got: _Outcome, expected: _Outcome) -> str | None:
    def unreversed(got: _Outcome, expected: _Outcome) -> str | None:
        return _unreversed(case, got, expected)

    def repeated(got: _Outcome, expected: _Outcome) -> str | None:
        deep = len(expected.grad) > len(case.show) + 1  # some value lies between inputs and output
        return _repeated(case, got, expected) if deep and case.backwards == 1 else None

    for diagnose in (*case.diagnose[:1], _never_attached, unreversed, *case.diagnose[1:], repeated):
        try:
            found = diagnose(got, expected)
        except (ArithmeticError, ValueError, KeyError):
            found = None
        if found:
            return found
    return None


_UNARY: dict[str, Callable[[Value], Value]] = {
    "tanh": Value.tanh,
    "exp": Value.exp,
    "log": Value.log,
    "relu": Value.relu,
    "ReLU": Value.relu,
    "sigmoid": Value.sigmoid,
    "neg": Value.__neg__,
}
_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "+": operator.add,
    "*": operator.mul,
    "-": operator.sub,
    "/": operator.truediv,
}


def _remake(op: str, kids: list[Value], data: float, ordered: bool) -> Value | None:
    """The reader's operation ``op`` made with micrograd's on ``kids``, if it gives ``data``.

    ``ordered``: the reader keeps the children in order (a tuple or a list, not a set).
    """
    calls: list[tuple[Callable[..., Value], tuple[Any, ...]]]
    if op in _BINARY and len(kids) <= 2:
        # A set keeps x * x's one x once, and loses the order of two.
        calls = [(_BINARY[op], (kids[0], kids[-1]))]
        if not ordered:
            calls.append((_BINARY[op], (kids[-1], kids[0])))
    elif op.startswith("**") and len(kids) == 1:
        try:
            calls = [(operator.pow, (kids[0], float(op[2:])))]
        except ValueError:
            return None
    elif op in _UNARY and len(kids) == 1:
        calls = [(_UNARY[op], (kids[0],))]
    else:
        return None
    for f, args in calls:
        try:
            result = f(*args)
        except (ArithmeticError, ValueError):
            continue
        if _close(result.data, data):
            return result
    return None


def _ordered(node: Any) -> bool:
    return not isinstance(getattr(node, "_prev", ()), (set, frozenset))


def _rebuilt(order: Sequence[Any], nodes: Sequence[BlameNode]) -> list[Value] | None:
    """The reader's graph made again with micrograd's operations, one Value per node, after
    backward(): the right gradient of every value, those the check does not name included.

    ``None`` when an operation is not one of micrograd's, or gives other data than the
    reader's (then the reader's graph is not what its ``_op`` labels say).
    """
    index = {id(v): i for i, v in enumerate(order)}
    made: list[Value] = []
    for v, b in zip(order, nodes, strict=True):
        kids = [made[index[id(c)]] for c in _children(v) if id(c) in index]
        remade = _remake(b.op, kids, b.data, _ordered(v)) if kids else Value(b.data)
        if remade is None:
            return None
        made.append(remade)
    try:
        made[-1].backward()  # the last of the order is the output
    except ArithmeticError:
        return None
    return made


def _with_unnamed(order: Sequence[Any], nodes: list[BlameNode]) -> list[BlameNode]:
    """The nodes, with the right data and gradient of the values the check does not name.

    Unchanged when the rebuilt graph does not give every named value its expected data and
    gradient: it would not be the same expression.
    """
    made = _rebuilt(order, nodes)
    if made is None:
        return nodes
    for m, b in zip(made, nodes, strict=True):
        if b.expected_grad is not None and not _close(m.grad, b.expected_grad):
            return nodes
        if b.expected_data is not None and not _close(m.data, b.expected_data):
            return nodes
    return [
        b if b.name else replace(b, expected_data=m.data, expected_grad=m.grad)
        for m, b in zip(made, nodes, strict=True)
    ]


def _called(nodes: Sequence[BlameNode], i: int) -> str:
    """A value as the blame names it: its name, or for an unnamed one, how it was made."""
    b = nodes[i]
    if b.name:
        return b.name
    kids = [nodes[c].name for c in b.children]
    if kids and all(kids):
        if len(kids) == 2 and b.op in _BINARY:
            return f"the unnamed value {kids[0]} {b.op} {kids[1]}"
        if len(kids) == 1 and b.op.startswith("**"):
            return f"the unnamed value {kids[0]}{b.op}"
        if len(kids) == 1:
            return f"the unnamed value {b.op}({kids[0]})"
    return f"an unnamed value made by {b.op}" if b.op else "an unnamed value"


def _users(ops: Sequence[str]) -> str:
    """The operations that use a value, as a culprit names them."""
    if len(ops) == 1:
        return f"the {ops[0]} that uses it"
    return f"the operations that use it ({', '.join(ops)})"


def _whose(ops: Sequence[str]) -> str:
    """Of the operations that use a value: "the +'s", or "their"."""
    return f"the {ops[0]}'s" if len(ops) == 1 else "their"


def _blame(case: _Case, got: _Outcome, expected: _Outcome, mistake: str = "") -> Blame | None:
    """The reader's graph of a failed case, coloured, with the first wrong value marked.

    ``mistake``: the case's diagnosis; when it is the order of backward(), or (in my_backward)
    its chain rule without the factor node.grad, the culprit puts the wrong gradient down to
    that, not to the operation that passed it on.
    """
    if got.root is None:
        return None
    try:
        order = _walk(got.root)
    except Exception:  # a reader's graph so odd that it cannot be walked: no drawing
        return None
    if len(order) > 60:
        return None
    index = {id(v): i for i, v in enumerate(order)}
    name_of = {id(v): n for n, v in got.named.items()}
    nodes = []
    for v in order:
        name = name_of.get(id(v), "")
        nodes.append(
            BlameNode(
                name=name,
                op=str(getattr(v, "_op", "")),
                data=_as_float(getattr(v, "data", math.nan)),
                grad=_as_float(getattr(v, "grad", math.nan)),
                expected_data=expected.data.get(name) if name else None,
                expected_grad=expected.grad.get(name) if name else None,
                children=tuple(index[id(c)] for c in _children(v) if id(c) in index),
            )
        )
    nodes = _with_unnamed(order, nodes)
    data_wrong = [
        i for i, b in enumerate(nodes) if b.expected_data is not None and not _close(b.data, b.expected_data)
    ]
    if data_wrong:
        first = data_wrong[0]  # forward order: the first value computed wrongly
        b = nodes[first]
        kids = [Value(nodes[c].data) for c in b.children]
        # In a set, the operands of a - b or a / b have no order: nothing can be said of them.
        known = _ordered(order[first]) or b.op not in ("-", "/")
        if kids and known and _remake(b.op, kids, b.data, ordered=True) is not None:
            # The operation is right, what it is given is not.
            made_of = " and ".join(_called(nodes, c) for c in b.children)
            culprit = (
                f"{b.name}'s operation, {b.op}, is right, but the values it is made of, {made_of}, "
                "are not those of the expected expression"
            )
        else:
            culprit = f"{b.name} is computed wrongly by its own operation: {b.op or 'none'}"
        return Blame(case.name, tuple(nodes), first, culprit)
    parents: dict[int, list[int]] = {i: [] for i in range(len(nodes))}
    for i, b in enumerate(nodes):
        for c in b.children:
            parents[c].append(i)
    for i in reversed(range(len(nodes))):  # the order a correct backward() visits them
        b = nodes[i]
        if b.expected_grad is not None and not _close(b.grad, b.expected_grad):
            ops = sorted({nodes[p].op for p in parents[i]})
            if not ops:
                culprit = f"the output {b.name} itself: backward() must start by setting its grad to 1"
            elif _is_order(mistake):
                # Its users end with their right gradients: they passed them on too early.
                culprit = (
                    f"{_called(nodes, i)} gets a wrong gradient from {_users(ops)}, which backward() "
                    f"visited before {_whose(ops)} own gradient was complete: the order is at fault, "
                    f"not {' or '.join(ops)}"
                )
            elif _RETURNED_INPUT in mistake:
                culprit = (
                    f"{_called(nodes, i)} is not a new value but one it should be made from, so it shows "
                    f"that value's gradient: the operation that should make it is at fault, not "
                    f"{' or '.join(ops)}"
                )
            elif _NOT_REMEMBERED in mistake:
                culprit = (
                    f"{_called(nodes, i)} gets a wrong gradient because a value made from it does not "
                    f"remember it (that value has no children here), so backward() cannot reach "
                    f"{_called(nodes, i)} through it: {' or '.join(ops)} is not at fault"
                )
            elif mistake == _STALE:
                culprit = (
                    f"{_called(nodes, i)} kept the gradient of the first backward() and got the second's "
                    f"on top: backward() is at fault, not {' or '.join(ops)}"
                )
            elif mistake == _VISITED_TWICE:
                culprit = (
                    f"{_called(nodes, i)} gets too much gradient from {_users(ops)}, which passed "
                    f"{_whose(ops)} gradient on more than once (a value in the topological order twice): "
                    f"backward()'s order is at fault, not {' or '.join(ops)}"
                )
            elif mistake == _RESET_LEAVES:
                culprit = (
                    f"{_called(nodes, i)} lost the gradient the first backward() gave it: the second reset "
                    f"it before adding its own; backward() is at fault (it resets only the values made by "
                    f"operations), not {' or '.join(ops)}"
                )
            elif mistake == _TIMES_DATA:
                culprit = (
                    f"{_called(nodes, i)} gets a wrong gradient from {_users(ops)}: backward() multiplied "
                    f"{_whose(ops)} local derivative by {_whose(ops)} number, node.data, instead of "
                    f"{_whose(ops)} gradient; the loop is at fault, not {' or '.join(ops)}"
                )
            elif mistake == _LOCAL_ALONE:
                # Its users end with their right gradients: the loop did not multiply by them.
                culprit = (
                    f"{_called(nodes, i)} gets a wrong gradient from {_users(ops)}: backward() passed on "
                    f"{_whose(ops)} local derivative without multiplying it by node.grad, {_whose(ops)} "
                    f"own gradient; the loop is at fault, not {' or '.join(ops)}"
                )
            else:
                culprit = (
                    f"{_called(nodes, i)} gets a wrong gradient from the operation"
                    f"{'s' if len(ops) > 1 else ''} that use{'' if len(ops) > 1 else 's'} it: "
                    + ", ".join(ops)
                )
            return Blame(case.name, tuple(nodes), i, culprit)
    return None


def _check_class(
    title: str, v_class: Any, cases: Sequence[_Case], backward: Callable[[Any], Any] | None = None
) -> Report:
    """Run every case on the reader's class (or ``backward``); the first failing case's graph is the blame."""
    report = Report(title)
    facts: set[str] = set()
    for case in cases:
        check, got, expected = _run_case(v_class, case, facts, backward)
        report.checks.append(check)
        if check.passed and case.establishes:
            facts.add(case.establishes)
        if not check.passed and not check.advisory and report.blame is None and got.error is None:
            report.blame = _blame(case, got, expected, check.mistake)
    return report


def _named(**values: Any) -> dict[str, Any]:
    return dict(values)
