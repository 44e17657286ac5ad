"""Checkers for the tutorials' exercises: run the reader's own code and explain what broke.

Each exercise of the tutorials has a checker here, named for what the reader writes:
:func:`check_value` for the ``MyValue`` class of *Building Value*, :func:`check_relu` for
its first exercise, :func:`check_my_backward` for the iterative backward of *Backprop step
by step*, and so on. A checker takes what the reader wrote (a class with the classic
micrograd interface, ``data``, ``grad``, ``_prev``, ``_op``, ``label``, the operators
and ``backward()``, built with closures or with stored local derivatives; or a function)
and runs three kinds of checks:

- fixed cases with answers known on paper, including zero and negative inputs;
- the classic traps: ``x + x``, a value used three times, a reused intermediate,
  ``backward()`` twice, a chain of 5,000 steps, ``2 * x`` next to ``x * 2``;
- random cases, compared with micrograd's own engine, whose gradients are themselves
  tested against PyTorch and central differences.

It returns a :class:`Report`: one line per check, passed or failed, and for a failure
what was expected, what came back, and the likely mistake in a learner's words. When
gradients differ, the report carries a :class:`Blame` drawing of the reader's graph:
every value coloured by how far its gradient is from the right one, and the first wrong
value, in the order a correct ``backward()`` visits them, marked. Its parent operation
holds the bug.

A report prints as text, and shows in Jupyter as a checklist with the drawing (the
drawing needs the ``graphviz`` package and the ``dot`` program; without them the
checklist still shows, and :attr:`Blame.dot` holds the drawing's DOT source for any
other renderer, such as Graphviz compiled to WebAssembly in the browser).

The reader's code never runs unbounded: every walk over the reader's graph (iterating a
node's ``_prev``, calling a node's ``_backward``) is counted, and a check that takes too
many steps or too long stops with a message saying so. The counting needs no thread, no
signal and no trace function, so it works the same in plain Python, Jupyter and Pyodide.
"""

from __future__ import annotations

import html
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from micrograd.engine import Value

__all__ = [
    "Blame",
    "Check",
    "ExerciseFailed",
    "Report",
    "check_backward_order",
    "check_bce_by_hand",
    "check_central_difference",
    "check_count_parameters",
    "check_cross_entropy_by_hand",
    "check_dead_relu",
    "check_he_scale",
    "check_momentum",
    "check_my_backward",
    "check_neuron",
    "check_numerical_gradient",
    "check_plain_numbers",
    "check_relu",
    "check_second_derivative",
    "check_sigmoid",
    "check_train",
    "check_value",
    "check_xor_weights",
]

# How close the reader's numbers must be to the reference. The reader's engine may add
# in another order than ours, which changes the last bits; nothing a mistake produces
# is that close.
_RTOL = 1e-7
_ATOL = 1e-9

# Limits on running the reader's code: per check, a number of counted steps (one per
# iteration over a node's children, one per call of a node's _backward) and seconds.
_STEPS_PER_NODE = 60
_MIN_STEPS = 20_000
_SECONDS = 10.0


class ExerciseFailed(AssertionError):
    """Raised by :meth:`Report.assert_passed` when a check failed; the message is the report."""


# -- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """The outcome of one check of an exercise.

    Attributes:
        name: What was checked, such as ``"x + x"``.
        passed: Whether the reader's code gave the right answer.
        message: For a failure: what came back, what was expected, and the likely
            mistake. For a pass: the fact that was confirmed.
        mistake: For a failure, the likely mistake alone, in a learner's words.
        advisory: A check that is reported but does not fail the exercise (such as a
            recursive ``backward()`` on a 5,000-step chain, before the tutorial that
            removes the recursion).

    Example:
        >>> c = Check("x + x", False, "x + x gave x.grad = 1, expected 2", "use +=")
        >>> print(c)
        ✗ x + x: x + x gave x.grad = 1, expected 2
    """

    name: str
    passed: bool
    message: str
    mistake: str = ""
    advisory: bool = False

    def __str__(self) -> str:
        mark = "✓" if self.passed else ("!" if self.advisory else "✗")
        if self.message.startswith(self.name):
            return f"{mark} {self.message}"
        return f"{mark} {self.name}: {self.message}"


@dataclass(frozen=True)
class BlameNode:
    """One value of the reader's graph in a :class:`Blame` drawing.

    Attributes:
        name: The value's name in the check (``"x"``, ``"x*w"``), or ``""`` for a value
            the reader's operations made internally (a wrapped constant, say).
        op: The operation that made it (the reader's ``_op``), ``""`` for a leaf.
        data: The reader's ``data``.
        grad: The reader's ``grad``.
        expected_data: The right ``data``, or ``None`` when not compared.
        expected_grad: The right ``grad``, or ``None`` when not compared.
        children: Indices, in :attr:`Blame.nodes`, of the values it was made from.
    """

    name: str
    op: str
    data: float
    grad: float
    expected_data: float | None
    expected_grad: float | None
    children: tuple[int, ...]

    @property
    def error(self) -> float | None:
        """How far the gradient (or, if that is right, the data) is from the right one.

        The absolute difference divided by ``max(1, |expected|)``; ``None`` when not
        compared.
        """
        if self.expected_grad is None or self.expected_data is None:
            return None
        return max(_relative_gap(self.grad, self.expected_grad), _relative_gap(self.data, self.expected_data))


@dataclass(frozen=True)
class Blame:
    """Where a reader's gradients go wrong: their graph, coloured by error.

    Attributes:
        case: The check whose graph this is, such as ``"tanh(x*w + b)"``.
        nodes: The values of the reader's graph, each after the values it was made from.
        first_wrong: The index in :attr:`nodes` of the first wrong value, in the order a
            correct ``backward()`` visits the graph (the output first); for wrong
            ``data``, the first wrong value in the order the forward pass computes them.
        culprit: A sentence naming the operation that most likely holds the bug.

    Example:
        >>> class Sloppy(Value):  # a deliberately wrong engine: tanh's derivative is 1 - t
        ...     def tanh(self):
        ...         t = Value.tanh(self)
        ...         return Value(t.data, (self,), "tanh", (1 - t.data,))
        >>> report = check_value(Sloppy)
        >>> report.blame.culprit
        'x*w + b gets a wrong gradient from the operation that uses it: tanh'
        >>> print(report.blame.dot.splitlines()[0])
        digraph blame {
    """

    case: str
    nodes: tuple[BlameNode, ...]
    first_wrong: int
    culprit: str

    @property
    def dot(self) -> str:
        """The drawing's source in the DOT language, for any Graphviz renderer."""
        return _blame_dot(self)

    def digraph(self) -> Any:
        """The drawing as a ``graphviz.Source`` (needs the ``graphviz`` package).

        Raises:
            ImportError: If the ``graphviz`` package is not installed.
        """
        from micrograd.graph import _import_graphviz

        return _import_graphviz().Source(self.dot)

    def svg(self) -> str | None:
        """The drawing as SVG text, or ``None`` if ``graphviz`` or ``dot`` is missing."""
        try:
            graphviz = __import__("graphviz")
        except ImportError:
            return None
        try:
            svg: bytes = graphviz.Source(self.dot).pipe(format="svg")
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError):
            return None
        text = svg.decode("utf-8")
        return text[text.find("<svg") :]


@dataclass
class Report:
    """Every check of one exercise, and where the gradients broke.

    Attributes:
        title: The exercise, such as ``"Building Value: MyValue"``.
        checks: One :class:`Check` per check, in the order they ran.
        blame: The reader's graph coloured by gradient error, for the first check
            whose gradients were wrong, or ``None``.

    Example:
        >>> report = check_value(Value)  # micrograd's own Value passes, of course
        >>> report.passed
        True
        >>> print(str(report).splitlines()[0])
        Building Value: MyValue: all 14 checks passed
    """

    title: str
    checks: list[Check] = field(default_factory=list)
    blame: Blame | None = None

    @property
    def passed(self) -> bool:
        """Whether every check that counts passed (advisory ones do not count)."""
        return all(c.passed or c.advisory for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        """The checks that failed, advisory ones included."""
        return [c for c in self.checks if not c.passed]

    def assert_passed(self) -> None:
        """Raise if a check failed: for a test, or a cell that must not go on.

        Raises:
            ExerciseFailed: If a check that counts failed; its message is the report.
        """
        if not self.passed:
            raise ExerciseFailed(str(self))

    def _summary(self) -> str:
        counted = [c for c in self.checks if not c.advisory]
        failed = [c for c in counted if not c.passed]
        if not failed:
            text = f"all {len(counted)} checks passed"
        else:
            text = f"{len(failed)} of {len(counted)} checks failed"
        notes = sum(1 for c in self.checks if c.advisory and not c.passed)
        if notes:
            text += f" ({notes} note{'s' if notes > 1 else ''})"
        return f"{self.title}: {text}"

    def __str__(self) -> str:
        lines = [self._summary()]
        lines += [f"  {c}" for c in self.checks]
        if self.blame is not None:
            lines.append(f"  Where it breaks, in {self.blame.case}: {self.blame.culprit}.")
            lines.append(_blame_table(self.blame))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Report {self._summary()}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        """A checklist with ticks and crosses, and the blame drawing when there is one."""
        items = []
        for c in self.checks:
            if c.passed:
                mark, css = "✓", "passed"
            elif c.advisory:
                mark, css = "!", "note"
            else:
                mark, css = "✗", "failed"
            items.append(
                f'<li class="micrograd-check-{css}"><span class="micrograd-check-mark" '
                f'aria-label="{css}">{mark}</span> <b>{html.escape(c.name)}</b>: '
                f"{html.escape(c.message)}</li>"
            )
        parts = [
            '<div class="micrograd-report">',
            f"<p><b>{html.escape(self._summary())}</b></p>",
            '<ul class="micrograd-checklist" style="list-style: none; padding-left: 0.5em">',
            *items,
            "</ul>",
        ]
        if self.blame is not None:
            svg = self.blame.svg()
            parts.append(
                f"<p>Where it breaks, in <code>{html.escape(self.blame.case)}</code>: "
                f"{html.escape(self.blame.culprit)}. Each value is coloured by how far its "
                "gradient is from the right one; the first wrong one has a thick red border.</p>"
            )
            # The DOT source travels with the drawing, so that a page without `dot` (the
            # browser) can draw it with its own Graphviz.
            parts.append(f'<div class="micrograd-blame" data-dot="{html.escape(self.blame.dot)}">')
            parts.append(svg if svg is not None else f"<pre>{html.escape(_blame_table(self.blame))}</pre>")
            parts.append("</div>")
        parts.append("</div>")
        return "\n".join(parts)


# -- running the reader's code with a step budget ---------------------------------------


class _OutOfSteps(BaseException):
    """The reader's code used up its step budget.

    A ``BaseException``, so that a reader's ``except Exception`` cannot swallow it.
    """


class _Budget:
    """Counts the steps of the reader's code on one check and stops it past a limit."""

    def __init__(self, steps: int, seconds: float = _SECONDS) -> None:
        self.steps = steps
        self.seconds = seconds
        self.used = 0
        self.active = False
        self.deadline = 0.0
        self.reason = ""

    def start(self) -> None:
        self.used = 0
        self.active = True
        self.deadline = time.monotonic() + self.seconds

    def tick(self) -> None:
        if not self.active:
            return
        self.used += 1
        if self.used > self.steps:
            self.active = False
            self.reason = f"more than {self.steps:,} steps"
            raise _OutOfSteps
        if self.used % 512 == 0 and time.monotonic() > self.deadline:
            self.active = False
            self.reason = f"more than {self.seconds:g} seconds"
            raise _OutOfSteps


class _CountedTuple(tuple):  # type: ignore[type-arg]  # holds the reader's nodes, of any type
    _budget: _Budget

    def __iter__(self) -> Any:
        self._budget.tick()
        return tuple.__iter__(self)


class _CountedList(list):  # type: ignore[type-arg]
    _budget: _Budget

    def __iter__(self) -> Any:
        self._budget.tick()
        return list.__iter__(self)


class _CountedSet(set):  # type: ignore[type-arg]
    _budget: _Budget

    def __iter__(self) -> Any:
        self._budget.tick()
        return set.__iter__(self)


_COUNTED: dict[type, type] = {tuple: _CountedTuple, list: _CountedList, set: _CountedSet}


class _CountedCall:
    """A node's ``_backward``, counted on each call."""

    def __init__(self, fn: Callable[[], Any], budget: _Budget) -> None:
        self.fn = fn
        self.budget = budget

    def __call__(self) -> Any:
        self.budget.tick()
        return self.fn()


def _children(node: Any) -> list[Any]:
    """The children of a reader's node as a list, without counting a step."""
    prev = getattr(node, "_prev", ())
    for base in (tuple, list, set, frozenset):
        if isinstance(prev, base):
            return list(base.__iter__(prev))  # type: ignore[attr-defined]
    try:
        return list(prev)
    except TypeError:
        return []


def _walk(root: Any, limit: int = 200_000) -> list[Any]:
    """Every node of the reader's graph, each after its children, without recursion.

    Nodes are compared by identity, so a reader's class may define ``__eq__``. The walk
    stops at ``limit`` nodes, so a graph that (wrongly) grows without end cannot hang it.
    """
    order: list[Any] = []
    seen = {id(root)}
    stack: list[tuple[Any, Iterable[Any]]] = [(root, iter(_children(root)))]
    while stack and len(order) < limit:
        node, children = stack[-1]
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(_children(child))))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _install_counters(nodes: Sequence[Any], budget: _Budget) -> None:
    """Count every iteration over a node's ``_prev`` and every call of its ``_backward``."""
    for node in nodes:
        prev = getattr(node, "_prev", None)
        counted = _COUNTED.get(type(prev))
        if counted is not None:
            wrapped = counted(prev)
            wrapped._budget = budget
            try:
                node._prev = wrapped
            except (AttributeError, TypeError):
                pass
        backward = getattr(node, "__dict__", {}).get("_backward")
        if callable(backward) and not isinstance(backward, _CountedCall):
            try:
                node._backward = _CountedCall(backward, budget)
            except (AttributeError, TypeError):
                pass


def _relative_gap(got: float, expected: float) -> float:
    if math.isnan(got):
        return math.inf
    return abs(got - expected) / max(1.0, abs(expected))


def _close(got: object, expected: float, rtol: float = _RTOL, atol: float = _ATOL) -> bool:
    try:
        g = float(got)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(g) and math.isclose(g, expected, rel_tol=rtol, abs_tol=atol)


def _num(x: object) -> str:
    """A number as a learner would write it: 2 rather than 2.0, at most 6 significant digits."""
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(x)
    if f == 0:
        return "0"
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return f"{f:.6g}"


def _as_float(x: object) -> float:
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


# -- cases on the reader's value class ---------------------------------------------------

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
    out = _Outcome()
    budget = _Budget(_MIN_STEPS)
    try:
        named = case.build(v_class)
        for name, v in named.items():
            try:
                v.label = name
            except (AttributeError, TypeError):
                pass
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
        budget.active = False
    for name, v in out.named.items():
        out.data[name] = _as_float(getattr(v, "data", math.nan))
        out.grad[name] = _as_float(getattr(v, "grad", math.nan))
    return out


def _describe_error(err: BaseException, steps: str) -> tuple[str, str]:
    """A message for code that raised or ran too long, and the likely mistake."""
    if isinstance(err, _OutOfSteps):
        return (
            f"stopped after {steps}",
            "backward() visits far more nodes than the graph has: does your topological "
            "order keep a set of visited values? Without one, a value reused in many places "
            "is visited once per path, and the number of paths doubles with each reuse",
        )
    if isinstance(err, RecursionError):
        return (
            "RecursionError: maximum recursion depth exceeded",
            "backward() builds its topological order by recursion, one call per level of "
            "the graph, and Python stops at about 1,000 levels: use a loop with an explicit "
            "stack instead",
        )
    text = f"{type(err).__name__}: {err}"
    if isinstance(err, AttributeError) and "has no attribute 'data'" in str(err):
        return text, (
            "an operation received a plain number where it expected a value: wrap "
            "numbers with something like as_value(other) before using other.data"
        )
    if isinstance(err, TypeError) and "unsupported operand" in str(err):
        return text, (
            "Python found no method for this operator with these operands: with the "
            "number on the left, Python calls __radd__, __rmul__ or __rsub__ on the "
            "value, so the class needs them"
        )
    if isinstance(err, AttributeError):
        return text, "the class is missing a method or attribute that this check uses"
    return text, "your code raised an error on this expression"


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
        advisory = isinstance(got.error, case.advisory_on)
        if advisory and case.advisory_text:
            mistake = case.advisory_text
        return Check(case.name, False, f"{case.name} stopped: {what}. {mistake}.", mistake, advisory), got, expected
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


def _unreversed(case: _Case, got: _Outcome, expected: _Outcome) -> str | None:
    """An intermediate value got its right gradient, yet none reached the inputs: the order."""
    names = list(expected.grad)
    inner = [n for n in names[:-1] if n not in case.show]
    if (
        all(got.g(n) == 0 for n in case.show)
        and any(expected.g(n) != 0 for n in case.show)
        and any(expected.g(n) != 0 and _close(got.g(n), expected.g(n)) for n in inner)
    ):
        return (
            "no gradient reached the inputs: backward() must visit the values from the output back "
            "to the inputs, in reversed topological order, so that each value passes its gradient "
            "on only once it is complete"
        )
    return None


def _first_diagnosis(case: _Case, got: _Outcome, expected: _Outcome) -> str | None:
    def unreversed(got: _Outcome, expected: _Outcome) -> str | None:
        return _unreversed(case, got, expected)

    for diagnose in (*case.diagnose[:1], unreversed, *case.diagnose[1:]):
        try:
            found = diagnose(got, expected)
        except (ArithmeticError, ValueError, KeyError):
            found = None
        if found:
            return found
    return None


def _blame(case: _Case, got: _Outcome, expected: _Outcome) -> Blame | None:
    """The reader's graph of a failed case, coloured, with the first wrong value marked."""
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
    data_wrong = [
        i for i, b in enumerate(nodes) if b.expected_data is not None and not _close(b.data, b.expected_data)
    ]
    if data_wrong:
        first = data_wrong[0]  # forward order: the first value computed wrongly
        b = nodes[first]
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
            else:
                culprit = (
                    f"{b.name} gets a wrong gradient from the operation"
                    f"{'s' if len(ops) > 1 else ''} that use{'' if len(ops) > 1 else 's'} it: "
                    + ", ".join(ops)
                )
            return Blame(case.name, tuple(nodes), i, culprit)
    return None


# Colours of the blame drawing, by error: readable on a white page and a dark one.
_RIGHT = "#b9e6c3"
_SLIGHTLY = "#fff3b0"
_WRONG = "#ffc48a"
_VERY_WRONG = "#ff9a9a"
_UNCHECKED = "#e6e6e6"
_MARK = "#c62828"


def _fill(error: float | None) -> str:
    if error is None:
        return _UNCHECKED
    if error <= 1e-7:
        return _RIGHT
    if error <= 1e-3:
        return _SLIGHTLY
    if error <= 0.5:
        return _WRONG
    return _VERY_WRONG


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _blame_dot(blame: Blame) -> str:
    lines = [
        "digraph blame {",
        '  graph [rankdir=LR, bgcolor="transparent", nodesep=0.25, ranksep=0.4];',
        '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11, fontcolor="#1f2328", color="#4d4d4d"];',
        '  edge [color="#8c8c8c", arrowsize=0.7];',
    ]
    for i, b in enumerate(blame.nodes):
        label = f"{b.name or '(internal)'} | data {_num(b.data)} | grad {_num(b.grad)}"
        if b.expected_grad is not None and not _close(b.grad, b.expected_grad):
            label += f" (expected {_num(b.expected_grad)})"
        if b.expected_data is not None and not _close(b.data, b.expected_data):
            label += f" | data expected {_num(b.expected_data)}"
        extra = ""
        if i == blame.first_wrong:
            extra = f', penwidth=3, color="{_MARK}", xlabel="first wrong"'
        lines.append(
            f'  v{i} [shape=record, style=filled, fillcolor="{_fill(b.error)}", '
            f'label="{{{_dot_text(_record_escape(label))}}}"{extra}];'
        )
        if b.children:
            lines.append(
                f'  v{i}op [label="{_dot_text(b.op)}", shape=ellipse, style=filled, '
                f'fillcolor="#e8eef9", fontsize=10, width=0, height=0, margin="0.06,0.03"];'
            )
            lines.append(f"  v{i}op -> v{i};")
            for c in b.children:
                lines.append(f"  v{c} -> v{i}op;")
    lines.append("}")
    return "\n".join(lines)


def _record_escape(text: str) -> str:
    """Escape the characters a record label treats as structure, except the field bars."""
    for ch in "{}<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _blame_table(blame: Blame) -> str:
    """The blame drawing as text: each value, its gradient, the right one, in backward order."""
    rows = []
    for i in reversed(range(len(blame.nodes))):
        b = blame.nodes[i]
        name = b.name or "(internal)"
        if b.expected_grad is None:
            verdict = "not compared"
        elif b.error is not None and b.error <= 1e-7:
            verdict = "right"
        else:
            verdict = f"WRONG, expected grad {_num(b.expected_grad)}"
            if b.expected_data is not None and not _close(b.data, b.expected_data):
                verdict = f"WRONG, expected data {_num(b.expected_data)}"
        mark = "  <- first wrong" if i == blame.first_wrong else ""
        rows.append(f"    {name:>14} {b.op:>6}  data {_num(b.data):>9}  grad {_num(b.grad):>9}  {verdict}{mark}")
    return "\n".join(rows)


def _check_class(title: str, v_class: Any, cases: Sequence[_Case]) -> Report:
    """Run every case on the reader's class; the first failing case's graph is the blame."""
    report = Report(title)
    facts: set[str] = set()
    for case in cases:
        check, got, expected = _run_case(v_class, case, facts)
        report.checks.append(check)
        if check.passed and case.establishes:
            facts.add(case.establishes)
        if not check.passed and not check.advisory and report.blame is None and got.error is None:
            report.blame = _blame(case, got, expected)
    return report


# -- diagnoses shared by the value-class checks --------------------------------------------


def _output_not_one(got: _Outcome, expected: _Outcome) -> str | None:
    out = list(expected.grad)[-1]
    if _close(expected.g(out), 1.0) and not _close(got.g(out), 1.0):
        return (
            f"after backward() the output's own grad is {_num(got.g(out))}: backward() must start by "
            "setting it to 1 (d out / d out = 1)"
        )
    return None


def _nothing_reached_leaves(leaves: Sequence[str]) -> Diagnosis:
    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        if all(got.g(n) == 0 for n in leaves) and any(expected.g(n) != 0 for n in leaves):
            return (
                "no gradient reached the inputs: backward() must visit the values from the output "
                "back to the inputs, in reversed topological order, so that each value passes its "
                "gradient on only once it is complete"
            )
        return None

    return diagnose


def _set_not_added(name: str, single_paths: Callable[[_Outcome], Iterable[float]]) -> Diagnosis:
    """The gradient of ``name`` equals one path's contribution: it was set with ``=``."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        if "accumulates" in got.facts:  # x + x passed: the reader does add
            return None
        if any(_close(got.g(name), p) for p in single_paths(expected)):
            return (
                f"{name} is used more than once, and its gradient must be the sum over its uses: "
                "gradients must be added with +=, not set with ="
            )
        return None

    return diagnose


def _missing_upstream(name: str, upstream: Callable[[_Outcome], float], op: str) -> Diagnosis:
    """The gradient of ``name`` lacks the factor ``out.grad`` of the operation ``op``."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        u = upstream(expected)
        if u not in (0.0, 1.0) and _close(got.g(name) * u, expected.g(name)):
            return (
                f"{op}'s _backward forgot to multiply by out.grad: the chain rule multiplies the local "
                "derivative by the gradient arriving from above, self.grad += local * out.grad"
            )
        return None

    return diagnose


def _matches(name: str, wrong: Callable[[_Outcome], float], mistake: str) -> Diagnosis:
    """The gradient of ``name`` equals a known wrong formula: the mistake it comes from."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        w = wrong(expected)
        if not _close(w, expected.g(name)) and _close(got.g(name), w):
            return mistake
        return None

    return diagnose


def _data_matches(name: str, wrong: Callable[[_Outcome], float], mistake: str) -> Diagnosis:
    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        w = wrong(expected)
        if not _close(w, expected.d(name)) and _close(got.d(name), w):
            return mistake
        return None

    return diagnose


def _order_wrong(complete: str, leaves: Sequence[str]) -> Diagnosis:
    """``complete`` has its right gradient but passed on an incomplete one to the leaves."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        if _close(got.g(complete), expected.g(complete)) and any(
            not _close(got.g(n), expected.g(n)) for n in leaves
        ):
            return (
                f"{complete} ends with the right gradient, but passed its gradient on before all of "
                "it had arrived: backward() must visit each value only after every value that uses "
                "it, that is, in reversed topological order"
            )
        return None

    return diagnose


_COMMON: tuple[Diagnosis, ...] = (_output_not_one,)

_SEVERAL_PATHS = (
    "a value that reaches the output along several paths gets the sum of the gradients of all "
    "of them: either a contribution is lost (set with = instead of added with +=), or a value "
    "passed its gradient on before all of it had arrived (backward() must follow the reversed "
    "topological order)"
)


def _leaf(v_class: Any, x: float) -> Any:
    return v_class(x)


def _named(**values: Any) -> dict[str, Any]:
    return dict(values)


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

    def tanh(V: Any) -> dict[str, Any]:
        x = V(0.5)
        return _named(x=x, out=x.tanh())

    def tanh_negative(V: Any) -> dict[str, Any]:
        x = V(-1.2)
        return _named(x=x, out=x.tanh())

    def add_then(V: Any) -> dict[str, Any]:
        a, b, c = V(2.0), V(-3.0), V(4.0)
        s = a + b
        return _named(a=a, b=b, c=c, **{"a + b": s}, out=s * c)

    def mul_then(V: Any) -> dict[str, Any]:
        a, b, c = V(2.0), V(-3.0), V(4.0)
        p = a * b
        return _named(a=a, b=b, c=c, **{"a * b": p}, out=p * c)

    def tanh_then(V: Any) -> dict[str, Any]:
        x, c = V(0.5), V(3.0)
        t = x.tanh()
        return _named(x=x, c=c, **{"tanh(x)": t}, out=t * c)

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
        for _ in range(5000):
            y = y + x
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
                _data_matches("out", lambda e: e.d("a") * e.d("b"), "__add__ multiplies: it must return self.data + other.data"),
            ),
            "the local derivative of a sum is 1 for each input: self.grad += 1.0 * out.grad, and the same for other",
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
        _Case(
            "tanh(x) at x = 0.5",
            tanh,
            ("x",),
            (*_COMMON, *_tanh_mistakes()),
            "tanh's local derivative is 1 - t**2, where t = tanh(x) is its output",
        ),
        _Case(
            "tanh(x) at x = -1.2",
            tanh_negative,
            ("x",),
            (*_COMMON, *_tanh_mistakes()),
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
        _Case(
            "tanh(x) * c",
            tanh_then,
            ("x",),
            (*_COMMON, _missing_upstream("x", lambda e: e.d("c"), "tanh")),
            "tanh passes on (1 - t**2) * out.grad",
        ),
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
                    lambda e: [1.0, e.d("w"), e.d("x"), e.d("w") + e.d("x"), 2 * e.d("x"), e.d("x") + 1, e.d("w") + 1],
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
            "a chain of 5,000 additions",
            chain,
            ("x",),
            (*_COMMON, _set_not_added("x", lambda e: [1.0, 2.0])),
            _SEVERAL_PATHS,
            advisory_on=(RecursionError,),
            advisory_text=(
                "your backward() builds its order by recursion, one call per level, and Python stops at "
                "about 1,000 levels. That is the tutorial's version too, so this does not count as a "
                "failure here; exercise 3 of 'Backprop step by step' removes the recursion"
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


# -- random expressions, compared with micrograd's engine ---------------------------------


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


def _random_case(seed: int, ops: Sequence[_Op], n_ops: int = 6) -> _Case:
    """A random expression of ``ops`` on three inputs, some used several times."""
    rng = random.Random(seed)
    leaves = [rng.choice([0.0, round(rng.uniform(-2, 2), 2)]) if i == 2 else round(rng.uniform(-2, 2), 2) for i in range(3)]
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
        for op, i, j in plan:
            f = op.mine if (op.mine is not None and not _is_reference(V)) else op.apply
            nodes.append(f(nodes[i], nodes[j]))
        return dict(zip(names, nodes, strict=True))

    inputs = ", ".join(f"{n} = {_num(x)}" for n, x in zip(names, leaves, strict=False))
    return _Case(
        f"random expression ({inputs}; {'; '.join(steps)})",
        build,
        ("x", "y", "z"),
        _COMMON,
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


def _random_check(title: str, v_class: Any, ops: Sequence[_Op], count: int, report: Report, seed: int = 0) -> None:
    """Run ``count`` random expressions; one check line for all of them."""
    for k in range(count):
        case = _random_case(seed + k, ops)
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
                Check(title, False, f"expression {k + 1} of {count}: {check.message}{extra}", check.mistake, check.advisory)
            )
            if report.blame is None and got.error is None:
                report.blame = _blame(case, got, expected)
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


def _class_report(title: str, v_class: Any, cases: Sequence[_Case], ops: Sequence[_Op], count: int = 20) -> Report:
    report = _check_class(title, v_class, cases)
    _random_check(f"{count} random expressions of {', '.join(sorted({o.name.format(a='x', b='y') for o in ops}))}", v_class, ops, count, report)
    return report


def check_value(v_class: Any) -> Report:
    """Check the ``MyValue`` class of *Building Value*: ``+``, ``*``, ``tanh`` and ``backward()``.

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
        >>> print(report.failures[0].message)
        x + x gave x.grad = 1, expected 2: x is used more than once, and its gradient must be the sum over its uses: gradients must be added with +=, not set with =.
    """
    return _class_report("Building Value: MyValue", v_class, _value_cases(), (_ADD, _MUL, _TANH))
