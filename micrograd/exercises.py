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

A ``backward()`` that walks the reader's graph runs on a budget: every iteration over a
node's ``_prev`` and every call of a node's ``_backward`` is counted, and a check that
takes too many steps (or more than ten seconds) stops with a message saying so, which is
how an exponential or endless walk ends. The counting needs no thread, no signal and no
trace function, so it works the same in plain Python, Jupyter and Pyodide. Functions that
run a loop of their own (a training loop, an optimizer) are called on small problems, a
few steps long.
"""

from __future__ import annotations

import contextlib
import functools
import html
import itertools
import math
import random
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from micrograd.engine import Value

__all__ = [
    "Blame",
    "BlameNode",
    "Check",
    "ExerciseFailed",
    "Report",
    "check_adam_halves",
    "check_and_or",
    "check_backward_order",
    "check_bce_by_hand",
    "check_central_difference",
    "check_count_parameters",
    "check_cross_entropy_by_hand",
    "check_dead_relu",
    "check_generalisation",
    "check_he_scale",
    "check_layer_and_mlp",
    "check_linear_backward",
    "check_log_and_division",
    "check_misclassified",
    "check_momentum",
    "check_my_backward",
    "check_nesterov",
    "check_neuron",
    "check_numerical_gradient",
    "check_plain_numbers",
    "check_relative_change",
    "check_relu",
    "check_residual",
    "check_second_derivative",
    "check_sgd",
    "check_sigmoid",
    "check_solves_xor",
    "check_tanh_model",
    "check_tensor",
    "check_tensor_training",
    "check_train",
    "check_two_classes",
    "check_value",
    "check_xor_feature",
    "check_xor_weights",
]

# How close the reader's numbers must be to the reference. The reader's engine may add
# in another order than ours, which changes the last bits; nothing a mistake produces
# is that close.
_RTOL = 1e-7
_ATOL = 1e-9

# The width of a report printed as text.
_WIDTH = 88

# Limits on running the reader's code: per check, a number of counted steps (one per
# iteration over a node's children, one per call of a node's _backward) and seconds.
_STEPS_PER_NODE = 60
_MIN_STEPS = 20_000
_SECONDS = 10.0

#: Steps of the long chain among the traps: deeper than Python's default recursion limit
#: (1,000), so a recursive topological order fails on it. In Pyodide (the site's in-browser
#: runner) CPython frees a linked chain by recursing once per link, which overflows the
#: browser's JavaScript stack and kills the interpreter at about 800 links in Chromium and
#: 2,500 in Node; there the chain is shorter and is never freed (see _NEVER_FREED).
CHAIN_STEPS = 1200 if sys.platform == "emscripten" else 5000
CHAIN_CASE = "a chain of additions deeper than the recursion limit"
_NEVER_FREED: list[object] = []


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
        ✗ x + x gave x.grad = 1, expected 2
    """

    name: str
    passed: bool
    message: str
    mistake: str = ""
    advisory: bool = False

    def __str__(self) -> str:
        mark = "✓" if self.passed else ("!" if self.advisory else "✗")
        text = self.message if self.message.startswith(self.name) else f"{self.name}: {self.message}"
        # Wrapped to fit a notebook's output and a printed page, continued lines indented.
        return textwrap.fill(f"{mark} {text}", width=_WIDTH, subsequent_indent="  ", break_on_hyphens=False)


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
        'x gets a wrong gradient from the operation that uses it: tanh'
        >>> report.blame.description.split(";")[0]
        'Blame drawing of tanh(x) at x = 0.5: 2 values, 1 with a wrong gradient'
    """

    case: str
    nodes: tuple[BlameNode, ...]
    first_wrong: int
    culprit: str

    @property
    def description(self) -> str:
        """The drawing in one sentence, its text alternative for a reader who cannot see it.

        It is the DOT graph's name, which Graphviz writes as the ``<title>`` of the SVG.
        """
        return _blame_description(self)

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
        Building Value: MyValue: all 17 checks passed
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
            text = f"all {len(counted)} checks passed" if len(counted) > 1 else "the check passed"
        else:
            text = f"{len(failed)} of {len(counted)} checks failed"
        notes = sum(1 for c in self.checks if c.advisory and not c.passed)
        if notes:
            text += f" ({notes} note{'s' if notes > 1 else ''})"
        return f"{self.title}: {text}"

    def __str__(self) -> str:
        lines = [self._summary()]
        lines += [textwrap.indent(str(c), "  ") for c in self.checks]
        if self.blame is not None:
            where = f"Where it breaks, in {self.blame.case}: {self.blame.culprit}."
            lines.append(textwrap.indent(textwrap.fill(where, width=_WIDTH - 2), "  "))
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
                mark, css, colour = "✓", "passed", "#2da44e"
            elif c.advisory:
                mark, css, colour = "!", "note", "#bf8700"
            else:
                mark, css, colour = "✗", "failed", "#cf222e"
            items.append(
                f'<li class="micrograd-check-{css}"><span class="micrograd-check-mark" '
                f'style="color: {colour}; font-weight: bold" aria-label="{css}">{mark}</span> '
                f"<b>{html.escape(c.name)}</b>: {html.escape(c.message)}</li>"
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
    """The children of a reader's node as a list (uncounted: only called while no budget runs)."""
    try:
        return list(getattr(node, "_prev", ()))
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
            with contextlib.suppress(AttributeError, TypeError):  # a class that refuses: uncounted
                node._prev = wrapped
        backward = getattr(node, "__dict__", {}).get("_backward")
        if callable(backward) and not isinstance(backward, _CountedCall):
            with contextlib.suppress(AttributeError, TypeError):
                node._backward = _CountedCall(backward, budget)


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
        return (
            Check(case.name, False, f"{case.name} stopped: {what}. {mistake}.", mistake, advisory),
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
    if ratios:
        return (
            "the inputs got a whole multiple of their gradients: a value appears more than once in "
            "your topological order, so it passes its gradient on more than once; keep a set of "
            "visited values and add each value once"
        )
    return None


def _first_diagnosis(case: _Case, got: _Outcome, expected: _Outcome) -> str | None:
    def unreversed(got: _Outcome, expected: _Outcome) -> str | None:
        return _unreversed(case, got, expected)

    def repeated(got: _Outcome, expected: _Outcome) -> str | None:
        deep = len(expected.grad) > len(case.show) + 1  # some value lies between inputs and output
        return _repeated(case, got, expected) if deep and case.backwards == 1 else None

    for diagnose in (*case.diagnose[:1], unreversed, *case.diagnose[1:], repeated):
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


def _blame_description(blame: Blame) -> str:
    first = blame.nodes[blame.first_wrong]
    name = first.name or "an internal value"
    if first.expected_data is not None and not _close(first.data, first.expected_data):
        what, order = "wrong data", "the order the forward pass computes them"
        shown = f"data {_num(first.data)}, expected {_num(first.expected_data)}"
    else:
        what, order = "a wrong gradient", "the order backward() visits them"
        shown = f"grad {_num(first.grad)}, expected {_num(first.expected_grad)}"
    wrong = sum(
        1
        for b in blame.nodes
        if (b.expected_grad is not None and not _close(b.grad, b.expected_grad))
        or (b.expected_data is not None and not _close(b.data, b.expected_data))
    )
    values = "1 value" if len(blame.nodes) == 1 else f"{len(blame.nodes)} values"
    return (
        f"Blame drawing of {blame.case}: {values}, {wrong} with {what}; the first wrong, "
        f"in {order}, is {name} ({shown}). Where it breaks: {blame.culprit}."
    )


def _blame_dot(blame: Blame) -> str:
    lines = [
        # The graph's name is the SVG's <title>: the drawing's text alternative.
        f'digraph "{_dot_text(blame.description)}" {{',
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
        rows.append(
            f"    {name:>14} {b.op:>6}  data {_num(b.data):>9}  grad {_num(b.grad):>9}  {verdict}{mark}"
        )
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
                f"the gradient passed back through {op} was not multiplied by out.grad: the chain rule "
                "multiplies the local derivative by the gradient arriving from above, "
                "child.grad += local * out.grad"
            )
        return None

    return diagnose


def _matches(
    name: str,
    wrong: Callable[[_Outcome], float],
    mistake: str,
    of: Callable[[_Outcome, str], float] = _Outcome.g,
) -> Diagnosis:
    """The gradient of ``name`` (or what ``of`` reads) equals a known wrong formula: its mistake."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        w = wrong(expected)
        if not _close(w, of(expected, name)) and _close(of(got, name), w):
            return mistake
        return None

    return diagnose


def _data_matches(name: str, wrong: Callable[[_Outcome], float], mistake: str) -> Diagnosis:
    """The value of ``name`` (its data, not its gradient) equals a known wrong formula."""
    return _matches(name, wrong, mistake, of=_Outcome.d)


def _order_wrong(complete: str, leaves: Sequence[str]) -> Diagnosis:
    """``complete`` has its right gradient but passed on an incomplete one to the leaves."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        ratios = [got.g(n) / expected.g(n) for n in leaves if expected.g(n) != 0]
        if ratios and all(abs(r - round(r)) < 1e-9 and round(r) >= 2 for r in ratios):
            return None  # whole multiples: values visited more than once, not too early
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


def _random_check(
    title: str, v_class: Any, ops: Sequence[_Op], count: int, report: Report, seed: int = 0
) -> None:
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
                Check(
                    title,
                    False,
                    f"expression {k + 1} of {count}: {check.message}{extra}",
                    check.mistake,
                    check.advisory,
                )
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
        >>> print(report.failures[0].name)
        x + x
        >>> print(report.failures[0].mistake.split(": ")[-1])
        gradients must be added with +=, not set with =
    """
    return _class_report("Building Value: MyValue", v_class, _value_cases(), (_ADD, _MUL, _TANH))


# -- "Building Value", exercise 1: relu ------------------------------------------------------


def _relu_cases() -> list[_Case]:
    def at(x0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            x = V(x0)
            return _named(x=x, out=x.relu())

        return build

    def in_product(x0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            x, w = V(x0), V(1.5)
            xw = x * w
            return _named(x=x, w=w, **{"x*w": xw}, out=xw.relu())

        return build

    def then(V: Any) -> dict[str, Any]:
        x, c = V(2.0), V(-3.0)
        r = x.relu()
        return _named(x=x, c=c, **{"relu(x)": r}, out=r * c)

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
    cases = [
        _Case(
            f"relu(x) at x = {_num(x0)}",
            at(x0),
            ("x",),
            (*_COMMON, passes_negative, from_output, at_zero, inverted),
            "relu's local derivative is 1 for a positive input and 0 otherwise",
        )
        for x0 in (3.0, 0.5, -2.0, 0.0)
    ]
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
        _Case(
            "relu(x) * c", then, ("x", "c"), (*_COMMON, _missing_upstream("x", lambda e: e.d("c"), "relu"))
        ),
        _Case("relu(x) + x", reuse, ("x",), (*_COMMON, _set_not_added("x", lambda e: [1.0]))),
    ]
    return cases


def check_relu(v_class: Any) -> Report:
    """Check exercise 1 of *Building Value*: a ``relu()`` method on ``MyValue``.

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
    return _class_report("Building Value, exercise 1: relu", v_class, _relu_cases(), (_ADD, _MUL, _RELU))


# -- "Building Value", exercise 2: plain numbers, negation, subtraction --------------------


def _plain_number_cases() -> list[_Case]:
    def simple(name: str, f: Callable[[Any], Any], x0: float = 3.0) -> _Case:
        def build(V: Any) -> dict[str, Any]:
            x = V(x0)
            return _named(x=x, out=f(x))

        return _Case(name, build, ("x",), _COMMON)

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
    """Check exercise 2 of *Building Value*: numbers on either side, ``-x`` and ``x - y``.

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
    report = Report("Building Value, exercise 2: plain numbers")
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


# -- "Building Value", exercise 3: exp, powers, sigmoid -------------------------------------


def _sigmoid_cases(sigmoid: Callable[[Any], Any]) -> list[_Case]:
    def exp_at(x0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            x = V(x0)
            return _named(x=x, out=x.exp())

        return build

    def exp_then(V: Any) -> dict[str, Any]:
        x, c = V(0.7), V(-2.0)
        e = x.exp()
        return _named(x=x, c=c, **{"exp(x)": e}, out=e * c)

    def power(x0: float, k: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            x = V(x0)
            return _named(x=x, out=x**k)

        return build

    def power_then(V: Any) -> dict[str, Any]:
        x, c = V(1.5), V(3.0)
        p = x**2
        return _named(x=x, c=c, **{"x ** 2": p}, out=p * c)

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
    cases = [
        _Case(
            f"exp(x) at x = {_num(x0)}",
            exp_at(x0),
            ("x",),
            (*_COMMON, *exp_mistakes),
            "exp's local derivative is e**x",
        )
        for x0 in (0.7, -1.0, 0.0)
    ]
    cases.append(
        _Case("exp(x) * c", exp_then, ("x",), (*_COMMON, _missing_upstream("x", lambda e: e.d("c"), "exp")))
    )
    for x0, k in ((2.0, 3), (2.0, -1), (-1.5, 2), (0.5, -2), (4.0, 0.5)):
        cases.append(
            _Case(
                f"x ** {_num(k)} at x = {_num(x0)}",
                power(x0, k),
                ("x",),
                (*_COMMON, *power_mistakes(k)),
                "the local derivative of x**k is k * x**(k - 1)",
            )
        )
    cases.append(
        _Case("x ** 2 * c", power_then, ("x",), (*_COMMON, _missing_upstream("x", lambda e: e.d("c"), "**")))
    )
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
    """Check exercise 3 of *Building Value*: ``exp()``, ``x ** k`` and a composed ``sigmoid``.

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
        "Building Value, exercise 3: exp, powers and sigmoid", v_class, _sigmoid_cases(sigmoid)
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


# -- "Backprop step by step": the order, a dead relu, backward without recursion -------------


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
    if ops == ["y", "x*w"] and set(labels) - {"y", "x*w"} <= {"x", "w"} and len(set(labels)) == len(labels):
        report.checks.append(Check("order", True, "y, then x*w, then the leaves"))
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
                f"order {labels}, expected y, then x*w, then the leaves x and w: "
                "backward() walks the reversed topological order, each value after every value "
                "that uses it.",
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
                    f"x.grad after each step gave {[_num(g) for g in got]}, expected "
                    f"{[_num(e) for e in expected]}: {mistake}.",
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
        got = _as_float(grads.get(name, math.nan))
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
                f"{name}.grad: you predicted {_num(got)}, expected {_num(right[name])}: {mistake}.",
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
    return [
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


def check_my_backward(my_backward: Callable[[Value], Any]) -> Report:
    """Check exercise 3 of *Backprop step by step*: ``my_backward(root)`` without recursion.

    ``my_backward`` is called on graphs of micrograd :class:`~micrograd.engine.Value`
    objects and must leave in each value's ``grad`` what
    :meth:`~micrograd.engine.Value.backward` would, using the stored local derivatives
    ``_local_grads``.

    Args:
        my_backward: The reader's function of the output value.

    Returns:
        A :class:`Report`: the lecture's neuron, ``reuse()``, ``x + x``, a value used
        three times, a reused intermediate, a chain of 5,000 additions (recursion fails
        here) and a value reused at 40 levels (a search without a visited set never
        ends; the check stops it).

    Example:
        >>> print(check_my_backward(lambda root: root.backward()).passed)
        True
    """
    report = Report("Backprop step by step, exercise 3: my_backward")
    for case in _my_backward_cases():
        check, got, expected = _run_case(Value, case, backward=my_backward)
        report.checks.append(check)
        if not check.passed and report.blame is None and got.error is None:
            report.blame = _blame(case, got, expected)
    return report


# -- checks of a reader's function ------------------------------------------------------------


def _attempt(
    report: Report, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> tuple[bool, Any]:
    """Call the reader's code; on an error, record a failed check and return (False, None)."""
    try:
        return True, fn(*args, **kwargs)
    except Exception as err:  # the reader's code may raise anything
        what, mistake = _describe_error(err, "")
        report.checks.append(Check(name, False, f"{name} stopped: {what}. {mistake}.", mistake))
        return False, None


def _number_check(
    report: Report,
    name: str,
    got: object,
    expected: float,
    wrongs: Sequence[tuple[float, str]],
    fallback: str,
    *,
    rtol: float = _RTOL,
    atol: float = _ATOL,
) -> bool:
    """One check of a number: passed, or failed with the mistake whose value matches."""
    g = _as_float(got)
    if _close(g, expected, rtol, atol):
        report.checks.append(Check(name, True, f"{_num(expected)}"))
        return True
    mistake = fallback
    for wrong, text in wrongs:
        if not _close(wrong, expected, rtol, atol) and _close(g, wrong, max(rtol, 1e-6), atol):
            mistake = text
            break
    shown, want = _num(g), _num(expected)
    digits = 7
    while shown == want and digits <= 17:
        shown, want = f"{g:.{digits}g}", f"{expected:.{digits}g}"
        digits += 1
    report.checks.append(Check(name, False, f"{name} gave {shown}, expected {want}: {mistake}.", mistake))
    return False


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
    h = 1e-5
    for x in (-1.0, 0.0, 1.0, 2.0):
        ok, got = _attempt(report, f"slope(exp, {_num(x)})", slope, math.exp, x, h)
        if ok:
            e = math.exp(x)
            _number_check(
                report,
                f"slope(exp, {_num(x)})",
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

    ok, got = _attempt(report, "slope(x**3, 1, h=0.01)", lambda: slope(cube, 1.0, 0.01))
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
        A :class:`Report`: sin at 1 with h = 1e-4 (best) and 1e-2, and a cubic whose
        second difference is exact.

    Example:
        >>> f = lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / h**2
        >>> print(check_second_derivative(f).passed)
        True
    """
    report = Report("Derivatives from scratch, exercise 2: nudging twice")
    for h, tol in ((1e-4, 1e-6), (1e-2, 1e-4)):
        name = f"second_derivative(sin, 1, h={h:g})"
        ok, got = _attempt(report, name, second, math.sin, 1.0, h)
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
    ok, got = _attempt(report, "second_derivative(x**3, 2, h=0.1)", lambda: second(lambda x: x**3, 2.0, 0.1))
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

    def compare(name: str, fn: Callable[..., Any], point: list[float], tol: float = 1e-6) -> None:
        """``fn`` is written with Values; the reader's function gets its version on numbers."""
        inputs = list(point)

        def on_numbers(*xs: float) -> float:
            return float(fn(*(Value(x) for x in xs)).data)

        ok, got = _attempt(report, name, lambda: numerical_gradient(on_numbers, inputs))
        if not ok:
            return
        values = [Value(p) for p in point]
        out = fn(*values)
        out.backward()
        exact = [v.grad for v in values]
        try:
            got_list = [_as_float(g) for g in got]
        except TypeError:
            report.checks.append(
                Check(name, False, f"{name} returned {got!r}: return a list of numbers", "return a list")
            )
            return
        if inputs != point:
            mistake = (
                "your function changed the list of inputs it was given: nudge a copy "
                "(up = list(inputs)), or put every input back after nudging it"
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
                    f"{name} returned {len(got_list)} numbers for {len(exact)} inputs: {mistake}.",
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
        else:
            mistake = "estimate each partial derivative by nudging that input alone, by +h and by -h"
        report.checks.append(
            Check(
                name, False, f"{name} gave {_num(g)} for input {i}, expected {_num(e)}: {mistake}.", mistake
            )
        )

    compare("a * b at (2, -3)", lambda a, b: a * b, [2.0, -3.0])
    compare("tanh(a b + c) a at (0.5, -1.5, 0.3)", lambda a, b, c: (a * b + c).tanh() * a, [0.5, -1.5, 0.3])
    compare("x ** 2 at 3 (one input)", lambda x: x**2, [3.0])
    compare(
        "x1 + 2 x2 + 3 x3 + 4 x4 + 5 x5", lambda *xs: sum((k + 1) * x for k, x in enumerate(xs)), [0.0] * 5
    )
    inputs = [1.0]
    ok, got = _attempt(report, "x ** 3 at 1", lambda: numerical_gradient(lambda x: x**3, inputs))
    if ok:
        try:
            first = next(iter(got))
        except (TypeError, StopIteration):
            first = math.nan
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


# -- "Neurons, layers and an MLP" ----------------------------------------------------------------


def check_neuron(neuron_class: Callable[..., Any]) -> Report:
    """Check exercise 5 of *Neurons, layers and an MLP*: a class ``MyNeuron(nin, rng)``.

    Args:
        neuron_class: The reader's class: ``MyNeuron(nin, rng)`` draws ``nin`` weights
            with ``rng.uniform(-1, 1)`` and a bias of 0.0, as values of any class with ``data``,
            ``grad`` and ``backward()`` (micrograd's ``Value`` or the reader's ``MyValue``);
            calling it on a list of numbers returns ``tanh(w·x + b)``; ``parameters()`` lists
            the weights, then the bias.

    Returns:
        A :class:`Report`: the weights drawn, the parameters, the output and the
        gradients, for 3 inputs on the exercise's point and for 1 and 5 inputs on
        random points, compared with micrograd's :class:`~micrograd.nn.Neuron`.

    Example:
        >>> from micrograd.nn import Neuron
        >>> print(check_neuron(lambda nin, rng: Neuron(nin, activation="tanh", rng=rng)).passed)
        True
    """
    from micrograd.nn import Neuron

    report = Report("Neurons, layers and an MLP, exercise 5: MyNeuron")
    rng = random.Random(1)
    for nin, x in ((3, [2.0, 3.0, -1.0]), (1, [0.7]), (5, [round(rng.uniform(-2, 2), 2) for _ in range(5)])):
        where = f"{nin} input{'s' if nin > 1 else ''}, x = {x}"
        ok, mine = _attempt(report, f"MyNeuron({nin}, random.Random(0))", neuron_class, nin, random.Random(0))
        if not ok:
            return report
        ref = Neuron(nin, activation="tanh", rng=random.Random(0))
        ok, params = _attempt(report, f"parameters() with {where}", lambda: list(mine.parameters()))  # noqa: B023  # called at once
        if not ok:
            return report
        want = ref.parameters()
        data = [_as_float(getattr(p, "data", math.nan)) for p in params]
        right = [p.data for p in want]
        if len(params) != len(want):
            mistake = (
                "parameters() must list every weight and the bias"
                if len(params) == nin
                else f"a neuron with {nin} inputs has {nin} weights and one bias"
            )
            report.checks.append(
                Check(
                    f"parameters() with {nin} inputs",
                    False,
                    f"parameters() with {nin} inputs gave {len(params)} values, expected "
                    f"{len(want)}: {mistake}.",
                    mistake,
                )
            )
            return report
        if not all(_close(d, r) for d, r in zip(data, right, strict=True)):
            if _close(data[0], 0.0) and all(_close(d, r) for d, r in zip(data[1:], right[:-1], strict=True)):
                mistake = "parameters() must list the weights first, then the bias, like micrograd's Neuron"
            elif sorted(data[:-1]) != sorted(right[:-1]):
                mistake = (
                    "draw exactly one rng.uniform(-1, 1) per weight, in order, and nothing else "
                    "from rng (the bias starts at 0.0)"
                )
            else:
                mistake = "the weights are drawn in another order than micrograd's"
            report.checks.append(
                Check(
                    f"weights with {nin} inputs",
                    False,
                    f"weights with {nin} inputs: {[_num(d) for d in data]}, expected "
                    f"{[_num(r) for r in right]}: {mistake}.",
                    mistake,
                )
            )
            return report
        report.checks.append(
            Check(f"parameters() with {nin} inputs", True, f"{nin} weights and a bias, as drawn")
        )
        ok, out = _attempt(report, f"output with {where}", mine, x)
        if not ok:
            return report
        ref_out = ref(x)
        pre = sum((w.data * xi for w, xi in zip(want[:-1], x, strict=True)), want[-1].data)
        if not _number_check(
            report,
            f"output with {where}",
            getattr(out, "data", math.nan),
            ref_out.data,
            [
                (pre, "the output is tanh(w·x + b): apply tanh to the sum"),
                (math.tanh(pre - want[-1].data), "the bias b belongs inside the tanh: tanh(w·x + b)"),
            ],
            "the output is tanh(w·x + b)",
        ):
            return report
        ok, _ = _attempt(report, f"gradients with {where}", out.backward)
        if not ok:
            return report
        ref_out.backward()
        grads = [_as_float(getattr(p, "grad", math.nan)) for p in params]
        wanted = [p.grad for p in want]
        if all(_close(g, w) for g, w in zip(grads, wanted, strict=True)):
            report.checks.append(Check(f"gradients with {where}", True, ", ".join(_num(w) for w in wanted)))
        else:
            mistake = _gradient_mistake(grads, wanted)
            report.checks.append(
                Check(
                    f"gradients with {where}",
                    False,
                    f"gradients with {where} gave {[_num(g) for g in grads]}, expected "
                    f"{[_num(w) for w in wanted]}: {mistake}.",
                    mistake,
                )
            )
            return report
    return report


def check_count_parameters(count_parameters: Callable[[int, list[int]], int]) -> Report:
    """Check exercise 1 of *Neurons, layers and an MLP*: ``count_parameters(nin, nouts)``.

    Args:
        count_parameters: The reader's function: the number of parameters of
            ``MLP(nin, nouts)``, from the sizes alone.

    Returns:
        A :class:`Report`: the exercise's three networks, a single neuron, and 20 random
        shapes, each compared with ``len(MLP(nin, nouts).parameters())``.

    Example:
        >>> def count(nin, nouts):
        ...     sizes = [nin] + nouts
        ...     return sum(o * (i + 1) for i, o in zip(sizes, sizes[1:]))
        >>> print(check_count_parameters(count).passed)
        True
    """
    from micrograd.nn import MLP

    report = Report("Neurons, layers and an MLP, exercise 1: count_parameters")
    rng = random.Random(0)
    shapes = [(3, [4, 4, 1]), (2, [16, 16, 1]), (10, [32, 32, 32, 5]), (1, [1])]
    shapes += [(rng.randint(1, 6), [rng.randint(1, 6) for _ in range(rng.randint(1, 4))]) for _ in range(20)]
    for k, (nin, nouts) in enumerate(shapes):
        name = f"MLP({nin}, {nouts})"
        ok, got = _attempt(report, name, count_parameters, nin, list(nouts))
        if not ok:
            return report
        sizes = [nin, *nouts]
        expected = len(MLP(nin, nouts).parameters())
        wrongs = [
            (
                sum(i * o for i, o in itertools.pairwise(sizes)),
                "each neuron also has a bias: a layer of "
                "n_out neurons with n_in inputs has n_out * (n_in + 1) parameters",
            ),
            (
                sum(o * (i + 1) for i, o in itertools.pairwise(nouts)),
                "the first layer's inputs are the "
                "nin inputs of the network: start the list of sizes with nin",
            ),
            (
                sum((i + 1) * (o + 1) for i, o in itertools.pairwise(sizes)),
                "one bias per neuron, not one more neuron per layer: n_out * (n_in + 1)",
            ),
            (
                sum(i * (o + 1) for i, o in itertools.pairwise(sizes)),
                "each of the n_out neurons has n_in "
                "weights and one bias: n_out * (n_in + 1), not n_in * (n_out + 1)",
            ),
        ]
        ok = _number_check(
            report,
            name,
            got,
            expected,
            wrongs,
            "a layer of n_out neurons with n_in inputs "
            "has n_out * (n_in + 1) parameters; add them over the layers",
            rtol=0,
            atol=0,
        )
        if not ok:
            return report
        if k >= 4:
            report.checks.pop()
    report.checks.append(Check("20 random shapes", True, "all agree with len(MLP(nin, nouts).parameters())"))
    return report


_TRAIN_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
_TRAIN_YS = [1.0, -1.0, -1.0, 1.0]


def _reference_train(lr: float, steps: int, mistake: str = "") -> list[float]:
    """The losses of the page's training loop, or of a known wrong variant of it."""
    from micrograd.losses import mse_loss
    from micrograd.nn import MLP

    net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
    history = []
    for _ in range(steps):
        loss = mse_loss([cast(Value, net(x)) for x in _TRAIN_XS], _TRAIN_YS)
        if mistake == "zero_grad last layer":
            net.layers[-1].zero_grad()
        elif mistake not in ("no zero_grad", "zero_grad after backward"):
            net.zero_grad()
        loss.backward()
        if mistake == "zero_grad after backward":
            net.zero_grad()
        for p in net.parameters():
            if mistake == "+=":
                p.data += lr * p.grad
            else:
                p.data -= lr * p.grad
        history.append(loss.data)
    return history


_TRAIN_MISTAKES = {
    "+=": "the update climbs the loss: step against the gradient, p.data -= learning_rate * p.grad",
    "no zero_grad": "the gradients of every step add up: call zero_grad() before backward() in each step",
    "zero_grad after backward": (
        "zero_grad() between backward() and the update throws the gradient away: call it before backward()"
    ),
    "zero_grad last layer": (
        "only the last layer's gradients are reset: call zero_grad() on the whole network "
        "(net.zero_grad()), so that every parameter starts at 0"
    ),
}


def check_train(train: Callable[..., tuple[Any, list[float]]]) -> Report:
    """Check exercises 2 and 3 of *Neurons, layers and an MLP*: the training loop ``train``.

    Args:
        train: The reader's function ``train(learning_rate, steps=100, zero_grad=True)``
            returning ``(net, history)``: a fresh ``MLP(3, [4, 4, 1])`` (tanh everywhere,
            ``rng=random.Random(1)``) trained with the mean squared error on the page's four
            points, and the loss before each step.

    Returns:
        A :class:`Report`: the losses of 10 steps at learning rates 0.1 and 1.0, and with
        ``zero_grad=False``, against the same loop written with micrograd; a wrong loop is
        matched against the usual mistakes (``+=`` in the update, ``zero_grad`` missing,
        misplaced or resetting only the last layer).

    Example:
        >>> def train(learning_rate, steps=100, zero_grad=True):
        ...     return None, _reference_train(learning_rate, steps, "" if zero_grad else "no zero_grad")
        >>> print(check_train(train).passed)
        True
    """
    report = Report("Neurons, layers and an MLP, exercises 2 and 3: the training loop")
    for lr, zero_grad in ((0.1, True), (1.0, True), (0.1, False)):
        name = f"train({lr}, steps=10{'' if zero_grad else ', zero_grad=False'})"
        ok, result = _attempt(report, name, train, lr, steps=10, zero_grad=zero_grad)
        if not ok:
            return report
        try:
            history = [_as_float(v) for v in result[1]]
        except (TypeError, IndexError):
            report.checks.append(
                Check(
                    name,
                    False,
                    f"{name} returned {type(result).__name__}: return (net, history), "
                    "history holding the loss of each step",
                    "return (net, history)",
                )
            )
            return report
        expected = _reference_train(lr, 10, "" if zero_grad else "no zero_grad")
        if len(history) == len(expected) and all(
            _close(g, e, 1e-9) for g, e in zip(history, expected, strict=True)
        ):
            report.checks.append(
                Check(name, True, f"losses from {_num(expected[0])} to {_num(expected[-1])}")
            )
            continue
        mistake = (
            "the losses differ from the page's loop: zero_grad(), loss.backward(), then p.data -= lr * p.grad"
        )
        if len(history) != len(expected):
            mistake = "return the loss of every step, one number per step"
        else:
            for variant, text in _TRAIN_MISTAKES.items():
                if not zero_grad and variant == "no zero_grad":
                    continue
                v = _reference_train(lr, 10, variant)
                if all(_close(g, e, 1e-9) for g, e in zip(history, v, strict=True)):
                    mistake = text
                    break
            if not zero_grad and history and _close(history[-1], _reference_train(lr, 10)[-1], 1e-9):
                mistake = "with zero_grad=False, the loop must skip zero_grad()"
        step = next(
            (i for i, (g, e) in enumerate(zip(history, expected, strict=False)) if not _close(g, e, 1e-9)), 0
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: the loss at step {step} is {_num(history[step]) if history else '-'}, "
                f"expected {_num(expected[step])}: {mistake}.",
                mistake,
            )
        )
    return report


# -- Neurons, layers and an MLP, exercises 4 and 6: MySGD, MyLayer and MyMLP -------------------------


def _outputs(out: Any) -> list[Any] | None:
    """A layer's or network's output as a list: one value alone counts as a list of one."""
    if hasattr(out, "data"):
        return [out]
    try:
        items = list(out)
    except TypeError:
        return None
    return items if all(hasattr(v, "data") for v in items) else None


def _same_numbers(got: Sequence[float], want: Sequence[float]) -> bool:
    return len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want, strict=True))


def _parameters_check(
    report: Report, name: str, params: list[Any], want: list[Value], nin: int, nouts: Sequence[int]
) -> bool:
    """The reader's parameters are micrograd's, same numbers in the same order; else say why."""
    data = [_as_float(getattr(p, "data", math.nan)) for p in params]
    right = [p.data for p in want]
    if _same_numbers(data, right):
        report.checks.append(Check(name, True, f"{len(want)} parameters, as drawn"))
        return True
    sizes = [nin, *nouts]
    last = nouts[-1] * (sizes[-2] + 1)
    if len(data) == last and len(nouts) > 1:
        mistake = "parameters() returns only the last layer's: collect the parameters of every layer"
    elif len(data) == sum(n * (nin + 1) for n in nouts) and len(nouts) > 1:
        mistake = (
            "every layer was built with nin inputs: a layer takes as many inputs as the layer "
            "before it has neurons, so layer i is MyLayer(sizes[i], sizes[i + 1]) with sizes = [nin] + nouts"
        )
    elif len(data) != len(right):
        mistake = (
            f"a network of sizes {sizes} has {len(right)} parameters (each neuron: one weight per "
            "input and a bias); parameters() must list each of them once"
        )
    elif sorted(data) == sorted(right):
        mistake = (
            "the parameters are in another order than micrograd's: layer by layer from the inputs, "
            "neuron by neuron, each neuron's weights and then its bias"
        )
    else:
        mistake = (
            "build the neurons in order, layer by layer from the inputs, all drawing from the one "
            "rng you were given, so that the weights are micrograd's"
        )
    report.checks.append(
        Check(
            name,
            False,
            f"{name} gave {len(data)} parameters that differ from micrograd's: {mistake}.",
            mistake,
        )
    )
    return False


def _forward_backward_check(
    report: Report, name: str, model: Any, params: list[Any], ref: Any, x: list[float]
) -> bool:
    """The reader's model gives micrograd's outputs on x, and the same gradients of their sum."""
    ok, out = _attempt(report, f"{name} output", model, x)
    if not ok:
        return False
    ref_out = cast(list[Value], _outputs(ref(x)))
    outs = _outputs(out)
    if outs is None or len(outs) != len(ref_out):
        n = len(ref_out)
        mistake = (
            f"calling it should return the outputs of the last layer: {n} values"
            + (" (one Value, or a list of one)" if n == 1 else ", in a list")
            + ", each layer fed the outputs of the layer before"
        )
        report.checks.append(Check(f"{name} output", False, f"{name} output: {mistake}.", mistake))
        return False
    got = [_as_float(v.data) for v in outs]
    want = [v.data for v in ref_out]
    if not _same_numbers(got, want):
        mistake = (
            "the outputs differ from micrograd's: feed each layer the outputs of the layer before "
            "(the first layer gets x), and return the last layer's outputs"
        )
        report.checks.append(
            Check(
                f"{name} output",
                False,
                f"{name} output gave {[_num(g) for g in got]}, expected {[_num(w) for w in want]}: "
                f"{mistake}.",
                mistake,
            )
        )
        return False
    report.checks.append(Check(f"{name} output", True, ", ".join(_num(w) for w in want)))

    def backward_of_sum() -> None:
        total = outs[0]
        for v in outs[1:]:
            total = total + v
        total.backward()

    ok, _ = _attempt(report, f"{name} gradients", backward_of_sum)
    if not ok:
        return False
    ref_total = ref_out[0]
    for v in ref_out[1:]:
        ref_total = ref_total + v
    ref_total.backward()
    grads = [_as_float(getattr(p, "grad", math.nan)) for p in params]
    wanted = [p.grad for p in _parameters_of(ref)]
    if _same_numbers(grads, wanted):
        report.checks.append(Check(f"{name} gradients", True, f"all {len(wanted)} as micrograd's"))
        return True
    mistake = _gradient_mistake(grads, wanted)
    report.checks.append(
        Check(f"{name} gradients", False, f"{name} gradients differ from micrograd's: {mistake}.", mistake)
    )
    return False


def _gradient_mistake(grads: Sequence[float], wanted: Sequence[float]) -> str:
    """Why the gradients of a model whose outputs are right differ from micrograd's."""
    if any((g == 0 or math.isnan(g)) and w != 0 for g, w in zip(grads, wanted, strict=True)):
        return (
            "build the output from the parameters themselves (values, not their .data), "
            "so that backward() reaches every one of them"
        )
    return (
        "the outputs are right, so backward() of your value class goes wrong: each rule must add "
        "its share with +=, and tanh's local derivative is 1 - t**2; check your class alone with "
        "check_value(MyValue)"
    )


def _parameters_of(module: Any) -> list[Value]:
    return cast(list[Value], module.parameters())


def check_layer_and_mlp(layer_class: Callable[..., Any], mlp_class: Callable[..., Any]) -> Report:
    """Check exercise 6 of *Neurons, layers and an MLP*: ``MyLayer`` and ``MyMLP``.

    Args:
        layer_class: The reader's ``MyLayer(nin, nout, rng)``: ``nout`` tanh neurons of ``nin``
            inputs each (``MyNeuron`` of exercise 5); calling it on ``nin`` inputs returns the
            neurons' outputs (one ``Value`` alone, or in a list, when ``nout`` is 1);
            ``parameters()`` lists each neuron's parameters in turn.
        mlp_class: The reader's ``MyMLP(nin, nouts, rng)``: one ``MyLayer`` per entry of
            ``nouts``, each fed the outputs of the one before; calling it returns the last
            layer's outputs; ``parameters()`` lists every layer's; ``zero_grad()`` sets the
            gradient of every parameter to 0.

    Returns:
        A :class:`Report`: parameters, outputs and gradients of ``MyLayer(3, 4)``,
        ``MyLayer(2, 1)``, ``MyMLP(3, [4, 4, 1])`` and ``MyMLP(2, [3, 2])``, compared with
        micrograd's :class:`~micrograd.nn.Layer` and :class:`~micrograd.nn.MLP` (tanh
        everywhere, the same ``rng``), then ``zero_grad()`` after a backward pass.

    Example:
        >>> from micrograd.nn import MLP, Layer
        >>> layer = lambda nin, nout, rng: Layer(nin, nout, activation="tanh", rng=rng)
        >>> def mlp(nin, nouts, rng):
        ...     return MLP(nin, nouts, activation="tanh", output_activation="tanh", rng=rng)
        >>> print(check_layer_and_mlp(layer, mlp).passed)
        True
    """
    from micrograd.nn import MLP, Layer

    report = Report("Neurons, layers and an MLP, exercise 6: MyLayer and MyMLP")
    for nin, nout, x in ((3, 4, [2.0, 3.0, -1.0]), (2, 1, [0.5, -1.5])):
        name = f"MyLayer({nin}, {nout}, random.Random(0))"
        ok, mine = _attempt(report, name, layer_class, nin, nout, random.Random(0))
        if not ok:
            return report
        ref = Layer(nin, nout, activation="tanh", rng=random.Random(0))
        ok, params = _attempt(report, f"{name}.parameters()", lambda: list(mine.parameters()))  # noqa: B023  # called at once
        if not ok or not _parameters_check(
            report, f"{name}.parameters()", params, ref.parameters(), nin, [nout]
        ):
            return report
        if not _forward_backward_check(report, name, mine, params, ref, x):
            return report
    rng = random.Random(5)
    nets = [(3, [4, 4, 1], [2.0, 3.0, -1.0]), (2, [3, 2], [round(rng.uniform(-2, 2), 2) for _ in range(2)])]
    for nin, nouts, x in nets:
        name = f"MyMLP({nin}, {nouts}, random.Random(1))"
        ok, mine = _attempt(report, name, mlp_class, nin, list(nouts), random.Random(1))
        if not ok:
            return report
        ref_mlp = MLP(nin, nouts, activation="tanh", output_activation="tanh", rng=random.Random(1))
        ok, params = _attempt(report, f"{name}.parameters()", lambda: list(mine.parameters()))  # noqa: B023  # called at once
        if not ok or not _parameters_check(
            report, f"{name}.parameters()", params, ref_mlp.parameters(), nin, nouts
        ):
            return report
        if not _forward_backward_check(report, name, mine, params, ref_mlp, x):
            return report
    # zero_grad() on the last network, whose parameters all hold a gradient now.
    before = [_as_float(getattr(p, "data", math.nan)) for p in params]
    for i, p in enumerate(params):
        p.grad = 0.25 + i  # every one non-zero, whatever backward() left there
    name = f"MyMLP(2, {nets[-1][1]}).zero_grad()"
    ok, _ = _attempt(report, name, mine.zero_grad)
    if not ok:
        return report
    grads = [_as_float(getattr(p, "grad", math.nan)) for p in params]
    data = [_as_float(getattr(p, "data", math.nan)) for p in params]
    last = len(_parameters_of(ref_mlp.layers[-1]))
    if not _same_numbers(data, before):
        mistake = "zero_grad() changed the parameters themselves: set p.grad = 0, and leave p.data as it is"
    elif all(g == 0 for g in grads):
        report.checks.append(Check(name, True, f"all {len(grads)} gradients 0, the data unchanged"))
        return report
    elif all(g == 0 for g in grads[-last:]) and grads[0] != 0:
        mistake = (
            "zero_grad() reset only the last layer's gradients: loop over self.parameters(), the "
            "parameters of every layer"
        )
    elif grads[-1] == 0 and all(g != 0 for g in grads[:-1]):
        mistake = "zero_grad() reset only the last parameter: p.grad = 0 must be inside the loop"
    else:
        left = sum(1 for g in grads if g != 0)
        mistake = (
            f"zero_grad() left {left} of {len(grads)} gradients non-zero: set p.grad = 0 for every parameter"
        )
    report.checks.append(Check(name, False, f"{name}: {mistake}.", mistake))
    return report


def _reference_sgd_train(lr: float, steps: int) -> list[float]:
    """The losses of the page's training loop with micrograd's SGD."""
    from micrograd.losses import mse_loss
    from micrograd.nn import MLP
    from micrograd.optim import SGD

    net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
    optimizer = SGD(net.parameters(), lr=lr)
    history = []
    for _ in range(steps):
        loss = mse_loss([cast(Value, net(x)) for x in _TRAIN_XS], _TRAIN_YS)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    return history


def check_sgd(sgd_class: Callable[..., Any]) -> Report:
    """Check exercise 4 of *Neurons, layers and an MLP*: an optimizer ``MySGD``.

    Args:
        sgd_class: The reader's ``MySGD(parameters, lr)``: ``step()`` moves every parameter
            against its gradient, ``p.data -= lr * p.grad``, and ``zero_grad()`` sets every
            gradient to 0.

    Returns:
        A :class:`Report`: one ``step()`` on three values with known gradients at two
        learning rates, ``zero_grad()``, and ten steps of the page's training loop compared
        with micrograd's :class:`~micrograd.optim.SGD`.

    Example:
        >>> from micrograd.optim import SGD
        >>> print(check_sgd(SGD).passed)
        True
    """
    report = Report("Neurons, layers and an MLP, exercise 4: MySGD")
    start, grads = [1.0, -2.0, 0.5], [0.5, -3.0, 2.0]
    for lr in (0.1, 0.5):
        name = f"MySGD(params, lr={lr}).step()"
        params = [Value(d) for d in start]
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        ok, opt = _attempt(report, f"MySGD(params, lr={lr})", sgd_class, params, lr)
        if not ok:
            return report
        ok, _ = _attempt(report, name, opt.step)
        if not ok:
            return report
        got = [_as_float(p.data) for p in params]
        want = [d - lr * g for d, g in zip(start, grads, strict=True)]
        if _same_numbers(got, want):
            report.checks.append(Check(name, True, ", ".join(_num(w) for w in want)))
            continue
        wrongs = [
            (
                [d + lr * g for d, g in zip(start, grads, strict=True)],
                "step() climbs the loss: step against the gradient, p.data -= lr * p.grad",
            ),
            (
                [d - g for d, g in zip(start, grads, strict=True)],
                "step() ignores the learning rate: p.data -= lr * p.grad",
            ),
            (
                [-lr * g for g in grads],
                "step() replaced the data with the step: subtract it, p.data -= lr * p.grad",
            ),
            (
                start,
                "step() did not change the values it was given: keep the parameters themselves (the Value "
                "objects), not copies of their numbers, and change p.data",
            ),
            (
                [*start[:-1], want[-1]],
                "step() moved only the last parameter: the update must be inside the loop over the "
                "parameters",
            ),
            (
                [d - 0.1 * g for d, g in zip(start, grads, strict=True)],
                "step() always uses 0.1: use the learning rate given to MySGD(parameters, lr)",
            ),
        ]
        mistake = next(
            (text for wrong, text in wrongs if _same_numbers(got, wrong)),
            "step() must do p.data -= lr * p.grad for every parameter",
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name} gave {[_num(g) for g in got]}, expected {[_num(w) for w in want]}: {mistake}.",
                mistake,
            )
        )
        return report
    # zero_grad(), on the optimizer of the last step: the values still hold their gradients.
    name = "MySGD.zero_grad()"
    before = [_as_float(p.data) for p in params]
    ok, _ = _attempt(report, name, opt.zero_grad)
    if not ok:
        return report
    got = [_as_float(p.grad) for p in params]
    if [_as_float(p.data) for p in params] != before:
        mistake = "zero_grad() changed the parameters themselves: set p.grad = 0, and leave p.data as it is"
    elif all(g == 0 for g in got):
        mistake = ""
    elif got[-1] == 0:
        mistake = "zero_grad() reset only the last parameter: p.grad = 0 must be inside the loop"
    else:
        mistake = "zero_grad() must set the gradient of every parameter to 0: p.grad = 0"
    if mistake:
        report.checks.append(
            Check(name, False, f"{name} left the gradients {[_num(g) for g in got]}: {mistake}.", mistake)
        )
        return report
    report.checks.append(Check(name, True, "every gradient 0, the data unchanged"))
    # The page's training loop, with MySGD in place of the update by hand.
    from micrograd.losses import mse_loss
    from micrograd.nn import MLP

    name = "10 steps of the training loop with MySGD(net.parameters(), lr=0.1)"

    def train() -> list[float]:
        net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        optimizer = sgd_class(net.parameters(), 0.1)
        history = []
        for _ in range(10):
            loss = mse_loss([cast(Value, net(x)) for x in _TRAIN_XS], _TRAIN_YS)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            history.append(loss.data)
        return history

    ok, history = _attempt(report, name, train)
    if not ok:
        return report
    expected = _reference_sgd_train(0.1, 10)
    if _same_numbers(history, expected):
        report.checks.append(Check(name, True, f"losses from {_num(expected[0])} to {_num(expected[-1])}"))
    else:
        mistake = (
            "the losses differ from micrograd's SGD: step() must update every parameter it was given, "
            "every time it is called"
        )
        report.checks.append(
            Check(name, False, f"{name}: the losses differ from micrograd's: {mistake}.", mistake)
        )
    return report


# -- From scalars to matrices: the layer's gradients, a tensor engine, training with it ---------------


def _fixed_matrix(rows: int, cols: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[round(rng.uniform(-2, 2), 2) for _ in range(cols)] for _ in range(rows)]


def _array_text(a: Any) -> str:
    import numpy as np

    return np.array2string(np.asarray(a, dtype=float), precision=4, suppress_small=True, separator=", ")


def _linear_reference(
    x: list[list[float]], w: list[list[float]], c: list[list[float]]
) -> tuple[Any, Any, Any]:
    """dX, dW, db of L = sum(C * (X @ W.T + b)) from micrograd's Values, one scalar at a time."""
    import numpy as np

    xs = [[Value(v) for v in row] for row in x]
    ws = [[Value(v) for v in row] for row in w]
    bs = [Value(0.5) for _ in w]
    total = Value(0.0)
    for i, row in enumerate(xs):
        for k, (wk, bk) in enumerate(zip(ws, bs, strict=True)):
            y = bk
            for wkj, xij in zip(wk, row, strict=True):
                y = y + wkj * xij
            total = total + c[i][k] * y
    total.backward()
    dx = np.array([[v.grad for v in row] for row in xs])
    dw = np.array([[v.grad for v in row] for row in ws])
    return dx, dw, np.array([b.grad for b in bs])


def check_linear_backward(linear_backward: Callable[..., Any]) -> Report:
    """Check exercise 1 of *From scalars to matrices*: ``linear_backward(X, W, delta)``.

    Args:
        linear_backward: The reader's function: for a layer ``Y = X @ W.T + b`` on a batch
            ``X`` (one row per example, micrograd's layout ``W[k]`` = the weights of neuron
            ``k``) and ``delta = dL/dY``, it returns ``(dX, dW, db)`` as NumPy arrays.

    Returns:
        A :class:`Report`: the three gradients for a batch of one and of five, compared with
        micrograd's, which computes them one scalar at a time.

    Example:
        >>> def linear_backward(X, W, delta):
        ...     return delta @ W, delta.T @ X, delta.sum(axis=0)
        >>> print(check_linear_backward(linear_backward).passed)
        True
    """
    import numpy as np

    report = Report("From scalars to matrices, exercise 1: the layer's gradients for a batch")
    for batch, seed in ((1, 1), (5, 2)):
        x, w, c = (
            _fixed_matrix(batch, 3, seed),
            _fixed_matrix(4, 3, seed + 10),
            _fixed_matrix(batch, 4, seed + 20),
        )
        name = f"a batch of {batch}, 3 inputs, 4 neurons"
        ok, result = _attempt(report, name, linear_backward, np.array(x), np.array(w), np.array(c))
        if not ok:
            return report
        try:
            dx, dw, db = (np.asarray(g, dtype=float) for g in result)
        except (TypeError, ValueError):
            mistake = "return the three gradients as a tuple (dX, dW, db)"
            report.checks.append(Check(name, False, f"{name}: {mistake}.", mistake))
            return report
        want = _linear_reference(x, w, c)
        X, D = np.array(x), np.array(c)
        for label, got, expected, wrongs in (
            (
                "dX",
                dx,
                want[0],
                [],
            ),
            (
                "dW",
                dw,
                want[1],
                [
                    (
                        X.T @ D,
                        "dW = X.T @ delta has the shape of W.T: W[k] holds neuron k's weights, "
                        "so dW = delta.T @ X",
                    ),
                ],
            ),
            (
                "db",
                db,
                want[2],
                [
                    (
                        D.mean(axis=0),
                        "db is the sum of delta over the batch, not its mean: every example adds its share",
                    ),
                    (D, "db has one entry per neuron: sum delta over the batch (axis 0)"),
                ],
            ),
        ):
            if got.shape == expected.shape and np.allclose(got, expected, rtol=_RTOL, atol=_ATOL):
                continue
            mistake = ""
            for wrong, text in wrongs:
                if wrong.shape == got.shape and np.allclose(got, wrong):
                    mistake = text
            if not mistake and got.shape != expected.shape:
                mistake = f"{label} must have the shape of what it is the gradient of, {expected.shape}"
            if not mistake:
                mistake = {
                    "dX": "dX = delta @ W: each input collects delta times the weights it meets",
                    "dW": "dW = delta.T @ X: weight W[k][j] meets input j in neuron k, once per example",
                    "db": "db = delta summed over the batch",
                }[label]
            report.checks.append(
                Check(
                    f"{name}: {label}",
                    False,
                    f"{name}: {label} gave {_array_text(got)}, expected {_array_text(expected)}: {mistake}.",
                    mistake,
                )
            )
            return report
        report.checks.append(Check(name, True, "dX, dW and db as micrograd's"))
    return report


def _object_array(rows: list[list[float]]) -> Any:
    import numpy as np

    out = np.empty((len(rows), len(rows[0])), dtype=object)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            out[i, j] = Value(v)
    return out


def _tensor_cases() -> list[tuple[str, Callable[[Any, Any], Any], Callable[[Any, Any], Any], Any]]:
    """(name, build on the reader's class, build on micrograd Values, wrong answers for A)."""
    import numpy as np

    a, b, c = _fixed_matrix(2, 3, 31), _fixed_matrix(3, 4, 32), _fixed_matrix(2, 4, 33)
    bias = _fixed_matrix(1, 4, 34)[0]
    sq = _fixed_matrix(2, 3, 35)
    tanh = np.vectorize(lambda v: v.tanh(), otypes=[object])
    A, B = np.array(a), np.array(b)

    def mm(T: Any, V: Any) -> Any:
        if V is None:
            ta, tb = T(a), T(b)
            return {"A": ta, "B": tb}, ((ta @ tb) * np.array(c)).sum()
        oa, ob = _object_array(a), _object_array(b)
        return {"A": oa, "B": ob}, ((oa @ ob) * np.array(c)).sum()

    def with_bias(T: Any, V: Any) -> Any:
        if V is None:
            ta, tb, tbias = T(a), T(b), T(bias)
            return {"A": ta, "B": tb, "bias": tbias}, ((ta @ tb + tbias) * np.array(c)).sum()
        oa, ob, obias = _object_array(a), _object_array(b), _object_array([bias])[0]
        return {"A": oa, "B": ob, "bias": obias}, ((oa @ ob + obias) * np.array(c)).sum()

    def tanh_case(T: Any, V: Any) -> Any:
        if V is None:
            ta = T(a)
            return {"A": ta}, (ta.tanh() * np.array(sq)).sum()
        oa = _object_array(a)
        return {"A": oa}, (tanh(oa) * np.array(sq)).sum()

    def reuse(T: Any, V: Any) -> Any:
        if V is None:
            ta = T(a)
            return {"A": ta}, (ta * ta + ta).sum()
        oa = _object_array(a)
        return {"A": oa}, (oa * oa + oa).sum()

    def square(T: Any, V: Any) -> Any:
        if V is None:
            ta = T(a)
            return {"A": ta}, ((ta - np.array(sq)) ** 2).sum()
        oa = _object_array(a)
        return {"A": oa}, ((oa - np.array(sq)) ** 2).sum()

    t = np.tanh(A)
    return [
        (
            "sum(C * (A @ B))",
            mm,
            mm,
            [
                (
                    np.ones((2, 4)) @ B.T,
                    "the gradient of A @ B with respect to A is out.grad @ B.T: multiply by out.grad",
                ),
            ],
        ),
        (
            "sum(C * (A @ B + bias)), the bias added to every row",
            with_bias,
            with_bias,
            [],
        ),
        (
            "sum(S * tanh(A))",
            tanh_case,
            tanh_case,
            [
                ((1 - t) * np.array(sq), "tanh's local derivative is 1 - t**2, not 1 - t"),
                (
                    (1 - A**2) * np.array(sq),
                    "tanh's local derivative is 1 - t**2 with t = tanh(x), the output, not x",
                ),
            ],
        ),
        (
            "sum(A * A + A), A used three times",
            reuse,
            reuse,
            [
                (np.ones_like(A), "gradients must be added with +=, not set with =: A is used three times"),
                (A, "gradients must be added with +=, not set with =: A is used three times"),
                (2 * A, "gradients must be added with +=, not set with =: A is used three times"),
            ],
        ),
        (
            "sum((A - S) ** 2)",
            square,
            square,
            [(A - np.array(sq), "the derivative of x**2 is 2x: multiply by k")],
        ),
    ]


def _tensor_error(err: BaseException) -> str:
    text = str(err)
    if "broadcast" in text or "non-broadcastable" in text:
        return (
            "a tensor that NumPy broadcast (such as a bias added to every row) must get the sum of the "
            "gradients over the axes NumPy added: sum out.grad over axis 0 before adding it to bias.grad"
        )
    if "matmul" in text or "shapes" in text or "aligned" in text:
        return (
            "check the shapes: for out = A @ B, A.grad += out.grad @ B.T and B.grad += A.T @ out.grad; each "
            "gradient has the shape of its tensor"
        )
    return _describe_error(err, "")[1]


def check_tensor(tensor_class: Any) -> Report:
    """Check exercise 2 of *From scalars to matrices*: a ``Tensor`` class on NumPy arrays.

    Args:
        tensor_class: The reader's ``Tensor(data)``: ``data`` and ``grad`` NumPy arrays of
            the same shape; ``+``, ``-`` and ``*`` with a tensor, an array or a number
            (broadcasting as NumPy does), ``** k`` for a number ``k``, ``@``, ``tanh()``,
            ``sum()`` and ``backward()``.

    Returns:
        A :class:`Report`: each operation's gradients, a broadcast bias, a tensor used three
        times, and a two-layer tanh network with a mean squared error, compared with
        micrograd's Values, one scalar at a time.

    Example:
        >>> report = check_tensor(object)  # not a tensor class: the first check stops
        >>> report.passed
        False
    """
    import numpy as np

    report = Report("From scalars to matrices, exercise 2: a tensor engine")
    for name, build, reference, wrongs in _tensor_cases():
        try:
            named, root = build(tensor_class, None)
            root.backward()
        except Exception as err:  # the reader's code may raise anything
            mistake = _tensor_error(err)
            report.checks.append(
                Check(name, False, f"{name} stopped: {type(err).__name__}: {err}. {mistake}.", mistake)
            )
            return report
        ref_named, ref_root = reference(None, True)
        ref_root.backward()
        for label, tensor in named.items():
            expected = np.vectorize(lambda v: v.grad, otypes=[float])(ref_named[label])
            got = np.asarray(getattr(tensor, "grad", np.nan), dtype=float)
            if got.shape == expected.shape and np.allclose(got, expected, rtol=_RTOL, atol=_ATOL):
                continue
            mistake = ""
            if label == "A":
                for wrong, text in wrongs:
                    if wrong.shape == got.shape and np.allclose(got, wrong):
                        mistake = text
                        break
            if not mistake and np.all(got == 0):
                mistake = (
                    "no gradient reached it: backward() must set the output's grad to ones and call every "
                    "_backward in reversed topological order"
                )
            if not mistake and label == "bias":
                mistake = (
                    "the bias is added to every row, so its gradient is the sum of out.grad over the rows "
                    "(axis 0)"
                )
            if not mistake and got.shape != expected.shape:
                mistake = f"{label}.grad must have the shape of {label}.data, {expected.shape}"
            mistake = mistake or "a local derivative is wrong"
            report.checks.append(
                Check(
                    name,
                    False,
                    f"{name} gave {label}.grad = {_array_text(got)}, expected {_array_text(expected)}: "
                    f"{mistake}.",
                    mistake,
                )
            )
            return report
        report.checks.append(Check(name, True, ", ".join(f"{label}.grad as micrograd's" for label in named)))
    # A two-layer network and its loss, against micrograd's MLP.
    from micrograd.losses import mse_loss
    from micrograd.nn import MLP

    name = "MLP(3, [4, 4, 1]) (tanh) and its mean squared error on four examples"
    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
    loss = mse_loss([cast(Value, model(x)) for x in _TRAIN_XS], _TRAIN_YS)
    loss.backward()
    try:
        params = []
        for layer in model.layers:
            params.append(tensor_class(np.array([[w.data for w in n.w] for n in layer.neurons]).T))
            params.append(tensor_class(np.array([n.b.data for n in layer.neurons])))
        h = tensor_class(np.array(_TRAIN_XS))
        for w, b in zip(params[::2], params[1::2], strict=True):
            h = (h @ w + b).tanh()
        mine = ((h - np.array(_TRAIN_YS).reshape(-1, 1)) ** 2).sum() * (1 / len(_TRAIN_YS))
        mine.backward()
    except Exception as err:  # the reader's code may raise anything
        mistake = _tensor_error(err)
        report.checks.append(
            Check(name, False, f"{name} stopped: {type(err).__name__}: {err}. {mistake}.", mistake)
        )
        return report
    got_loss = float(np.asarray(mine.data))
    if not _close(got_loss, loss.data):
        mistake = "the loss differs from micrograd's: check the forward pass of each operation"
        report.checks.append(
            Check(
                name, False, f"{name}: loss {_num(got_loss)}, expected {_num(loss.data)}: {mistake}.", mistake
            )
        )
        return report
    for i, layer in enumerate(model.layers):
        want_w = np.array([[w.grad for w in n.w] for n in layer.neurons]).T
        want_b = np.array([n.b.grad for n in layer.neurons])
        for label, tensor, want in (
            (f"W{i + 1}", params[2 * i], want_w),
            (f"b{i + 1}", params[2 * i + 1], want_b),
        ):
            got = np.asarray(tensor.grad, dtype=float)
            if got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9):
                mistake = "the gradients differ from micrograd's MLP: check each operation's backward rule"
                report.checks.append(
                    Check(name, False, f"{name}: {label}.grad differs from micrograd's: {mistake}.", mistake)
                )
                return report
    report.checks.append(Check(name, True, f"loss {_num(loss.data)}, every gradient as micrograd's"))
    return report


def check_tensor_training(losses: Sequence[float]) -> Report:
    """Check exercise 3 of *From scalars to matrices*: 20 training steps with your ``Tensor``.

    Args:
        losses: The loss before each of 20 steps of gradient descent (learning rate 0.1) of
            ``MLP(3, [4, 4, 1])`` (tanh everywhere, ``rng=random.Random(1)``, its weights
            copied into tensors) with the mean squared error on the four examples of
            *Neurons, layers and an MLP*.

    Returns:
        A :class:`Report`: the losses against micrograd's, step by step.

    Example:
        >>> print(check_tensor_training(_reference_train(0.1, 20)).passed)
        True
    """
    report = Report("From scalars to matrices, exercise 3: training with your tensors")
    expected = _reference_train(0.1, 20)
    got = [_as_float(v) for v in losses]
    name = "20 steps at learning rate 0.1"
    if len(got) != len(expected):
        mistake = "keep the loss of every step: 20 numbers"
        report.checks.append(Check(name, False, f"{name}: {len(got)} losses: {mistake}.", mistake))
        return report
    for step, (g, e) in enumerate(zip(got, expected, strict=True)):
        if not _close(g, e, 1e-9):
            mistake = next(
                (
                    text
                    for variant, text in _TRAIN_MISTAKES.items()
                    if variant != "zero_grad last layer"
                    and _close(g, _reference_train(0.1, 20, variant)[step], 1e-9)
                ),
                "copy micrograd's weights (W as the transpose of the neurons' weights), then zero the "
                "gradients, backward() and p.data -= 0.1 * p.grad at every step",
            )
            if step == 0:
                mistake = (
                    "the first loss already differs: copy the weights of "
                    "MLP(3, [4, 4, 1], rng=random.Random(1))"
                )
            report.checks.append(
                Check(
                    name,
                    False,
                    f"{name}: the loss at step {step} is {_num(g)}, expected {_num(e)}: {mistake}.",
                    mistake,
                )
            )
            return report
    report.checks.append(
        Check(name, True, f"losses from {_num(expected[0])} to {_num(expected[-1])}, as micrograd's")
    )
    return report


# -- losses by hand: "Two moons" and "Multiclass" ------------------------------------------------


def _loss_check(
    report: Report,
    name: str,
    mine: Callable[..., Any],
    library: Callable[..., Value],
    scores: Sequence[Any],
    targets: Sequence[int],
    variants: Sequence[tuple[Callable[..., Value], str]],
    fallback: str,
    value_class: Any = Value,
) -> bool:
    """The reader's loss on fresh values of value_class: the same loss and gradients as the library's."""

    def fresh(make: Any = Value) -> Any:
        return (
            [[make(z) for z in s] for s in scores]
            if isinstance(scores[0], list)
            else [make(s) for s in scores]
        )

    def flat(values: Any) -> list[Value]:
        return [z for s in values for z in s] if isinstance(values[0], list) else list(values)

    mine_in, ref_in = fresh(value_class), fresh()
    ok, out = _attempt(report, name, lambda: mine(mine_in, list(targets)))
    crossed = ok and hasattr(out, "data") and not isinstance(out, value_class)
    mixed = ("not 'Value'", "use a Value, an int or a float")  # micrograd's Value met another class
    if not ok and any(text in report.checks[-1].message for text in mixed):
        report.checks.pop()
        crossed = True
    if crossed:
        own = type(out).__name__ if ok else "another value class"
        mistake = (
            f"the checker gave your loss scores of {value_class.__name__}, and it builds on {own}: "
            "pass the class your loss uses, for example value_class=MyValue"
        )
        report.checks.append(Check(name, False, f"{name}: {mistake}.", mistake))
        return False
    if not ok:
        return False
    ref = library(ref_in, list(targets))
    got = _as_float(getattr(out, "data", out))
    if not _close(got, ref.data, 1e-9, 1e-12):
        mistake = fallback
        for variant, text in variants:
            try:
                v = variant(fresh(), list(targets)).data
            except (ArithmeticError, ValueError):
                continue
            if _close(got, v, 1e-9, 1e-12):
                mistake = text
                break
        report.checks.append(
            Check(
                name, False, f"{name} gave loss {_num(got)}, expected {_num(ref.data)}: {mistake}.", mistake
            )
        )
        return False
    ok, _ = _attempt(report, name, lambda: out.backward())
    if not ok:
        return False
    ref.backward()
    pairs = list(zip(flat(mine_in), flat(ref_in), strict=True))
    bad = [(a.grad, b.grad) for a, b in pairs if not _close(a.grad, b.grad, 1e-9, 1e-12)]
    if bad:
        mistake = (
            "the loss is right but its gradients are not: build it from the Value operations only, "
            "so that backward() follows every step"
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: gradient {_num(bad[0][0])}, expected {_num(bad[0][1])}: {mistake}.",
                mistake,
            )
        )
        return False
    report.checks.append(Check(name, True, f"loss {_num(ref.data)}, and the same gradients"))
    return True


def _bce_variant(kind: str) -> Callable[..., Value]:
    def loss(scores: Sequence[Value], targets: Sequence[int]) -> Value:
        total = Value(0.0)
        for s, t in zip(scores, targets, strict=True):
            p = (1 + (s if kind == "sign" else -s).exp()) ** -1
            if kind == "swapped":
                t = 1 - t
            term = t * p.log() + (1 - t) * (1 - p).log()
            total = total + term if kind == "minus" else total - term
        return total if kind == "sum" else total / len(targets)

    return loss


def check_bce_by_hand(bce_by_hand: Callable[..., Any], value_class: Any = Value) -> Report:
    """Check exercise 3 of *Two moons*: ``bce_by_hand(scores, targets)`` with ``exp`` and ``log``.

    Args:
        bce_by_hand: The reader's mean binary cross-entropy of raw scores (Values) and
            0/1 targets, built from Value arithmetic, ``exp`` and ``log``.
        value_class: The class of the scores given to ``bce_by_hand``: micrograd's
            :class:`~micrograd.engine.Value`, or the reader's own (``MyValue``) for a loss
            built on it.

    Returns:
        A :class:`Report`: one point of each class, a batch with negative, zero and
        positive scores, and 5 random batches, each with the loss and the gradients of
        :func:`~micrograd.losses.binary_cross_entropy_with_logits`.

    Example:
        >>> print(check_bce_by_hand(_bce_variant("")).passed)
        True
    """
    from micrograd.losses import binary_cross_entropy_with_logits

    report = Report("Two moons, exercise 3: cross-entropy by hand")
    variants = [
        (_bce_variant("sum"), "the loss is the *mean* over the points: divide the sum by len(targets)"),
        (_bce_variant("minus"), "the loss is minus the log-probability: -(t log p + (1 - t) log(1 - p))"),
        (_bce_variant("sign"), "sigmoid(s) is 1 / (1 + exp(-s)): the minus sign before s is missing"),
        (
            _bce_variant("swapped"),
            "t multiplies log p (the probability of class 1), and 1 - t multiplies log(1 - p)",
        ),
    ]
    rng = random.Random(0)
    batches: list[tuple[str, list[float], list[int]]] = [
        ("one point of class 1, score 0.8", [0.8], [1]),
        ("one point of class 0, score 0.8", [0.8], [0]),
        ("scores -2, 0, 1.5 with classes 0, 1, 1", [-2.0, 0.0, 1.5], [0, 1, 1]),
    ]
    for k in range(5):
        n = rng.randint(2, 6)
        batches.append(
            (
                f"random batch {k + 1}",
                [round(rng.uniform(-4, 4), 2) for _ in range(n)],
                [rng.randint(0, 1) for _ in range(n)],
            )
        )
    for name, scores, targets in batches:
        if not _loss_check(
            report,
            name,
            bce_by_hand,
            binary_cross_entropy_with_logits,
            scores,
            targets,
            variants,
            "the loss is the mean of -(t log sigmoid(s) + (1 - t) log(1 - sigmoid(s)))",
            value_class,
        ):
            break
    return report


def _ce_variant(kind: str) -> Callable[..., Value]:
    def loss(batch: Sequence[Sequence[Value]], targets: Sequence[int]) -> Value:
        total = Value(0.0)
        for logits, t in zip(batch, targets, strict=True):
            m = max(z.data for z in logits)
            lse = m + sum(((z - m).exp() for z in logits), Value(0.0)).log()
            if kind == "sign":
                total = total + (logits[t] - lse)
            elif kind == "first":
                total = total + (lse - logits[0])
            else:
                total = total + (lse - logits[t])
        return total if kind == "sum" else total / len(targets)

    return loss


def check_cross_entropy_by_hand(mean_cross_entropy: Callable[..., Any], value_class: Any = Value) -> Report:
    """Check exercise 3 of *Multiclass*: the mean cross-entropy of a batch, by hand.

    Args:
        mean_cross_entropy: The reader's function of a batch of logit lists (Values)
            and class indices, returning the mean cross-entropy as a Value.
        value_class: The class of the logits given to ``mean_cross_entropy``: micrograd's
            :class:`~micrograd.engine.Value`, or the reader's own (``MyValue``) for a loss
            built on it.

    Returns:
        A :class:`Report`: one point, a batch of three, a logit of 800 (which overflows
        ``exp`` unless the largest logit is subtracted first), and 5 random batches,
        each with the loss and the gradients of :func:`~micrograd.losses.cross_entropy`.

    Example:
        >>> print(check_cross_entropy_by_hand(_ce_variant("")).passed)
        True
    """
    from micrograd.losses import cross_entropy

    report = Report("Multiclass, exercise 3: cross-entropy by hand")
    variants = [
        (_ce_variant("sum"), "the loss is the *mean* over the batch: divide the sum by len(targets)"),
        (
            _ce_variant("sign"),
            "cross-entropy is minus the log-probability of the true class: log(sum(exp(z))) - z[target]",
        ),
        (_ce_variant("first"), "take the logit of each point's own class, logits[target], not the first one"),
    ]
    rng = random.Random(0)
    batches: list[tuple[str, list[list[float]], list[int]]] = [
        ("logits [2, 1, -1], class 0", [[2.0, 1.0, -1.0]], [0]),
        ("a batch of three", [[2.0, 1.0, -1.0], [0.0, 0.5, 0.1], [-1.0, 3.0, 0.0]], [0, 2, 1]),
        ("logits [0, 800], class 0", [[0.0, 800.0]], [0]),
    ]
    for k in range(5):
        n, c = rng.randint(1, 5), rng.randint(2, 4)
        batches.append(
            (
                f"random batch {k + 1}",
                [[round(rng.uniform(-3, 3), 2) for _ in range(c)] for _ in range(n)],
                [rng.randrange(c) for _ in range(n)],
            )
        )
    for name, logits, targets in batches:
        try:
            passed = _loss_check(
                report,
                name,
                mean_cross_entropy,
                cross_entropy,
                logits,
                targets,
                variants,
                "the loss is the mean over the batch of log(sum(exp(z))) - z[target]",
                value_class,
            )
        except OverflowError:
            passed = False
        last = report.checks[-1] if report.checks else None
        if (
            name.startswith("logits [0, 800]")
            and last is not None
            and not last.passed
            and "Overflow" in last.message
        ):
            mistake = (
                "exp(800) overflows a float: subtract the largest logit m first, "
                "log(sum(exp(z))) = m + log(sum(exp(z - m)))"
            )
            report.checks[-1] = Check(
                name, False, f"{name} stopped with an OverflowError: {mistake}.", mistake
            )
        if not passed:
            break
    return report


# -- "XOR": weights by hand ---------------------------------------------------------------------------


def check_xor_weights(net: Any) -> Report:
    """Check exercise 3 of *XOR*: an ``MLP(2, [2, 1], activation="relu")`` with weights set by hand.

    Args:
        net: The reader's network, with its weights and biases set through ``.data``.

    Returns:
        A :class:`Report`: the output at each of the four corners, which must be XOR
        exactly (0, 1, 1, 0); when it is not, what each hidden neuron computes.

    Example:
        >>> from micrograd import MLP
        >>> net = MLP(2, [2, 1], activation="relu")
        >>> for n, ws, b in zip([*net.layers[0].neurons, net.layers[1].neurons[0]],
        ...                     [[1, 1], [1, 1], [1, -2]], [0, -1, 0]):
        ...     for w, v in zip(n.w, ws):
        ...         w.data = float(v)
        ...     n.b.data = float(b)
        >>> print(check_xor_weights(net).passed)
        True
    """
    report = Report("XOR, exercise 3: weights by hand")
    corners = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    for x, want in zip(corners, [0.0, 1.0, 1.0, 0.0], strict=True):
        name = f"net({[int(v) for v in x]})"
        ok, out = _attempt(report, name, net, x)
        if not ok:
            return report
        got = _as_float(getattr(out, "data", out))
        mistake = ""
        try:
            h1, h2 = (n(x).data for n in net.layers[0].neurons)
            if not (_close(h1, x[0] + x[1]) and _close(h2, max(0.0, x[0] + x[1] - 1))):
                mistake = (
                    f"the hidden neurons give {_num(h1)} and {_num(h2)}, expected {_num(x[0] + x[1])} "
                    f"(relu(x1 + x2): weights 1, 1, bias 0) and {_num(max(0.0, x[0] + x[1] - 1))} "
                    "(relu(x1 + x2 - 1): weights 1, 1, bias -1)"
                )
            else:
                mistake = "the output neuron computes h1 - 2 h2: weights 1 and -2, bias 0"
        except (AttributeError, TypeError, ValueError):
            mistake = "the network should compute relu(x1 + x2) - 2 relu(x1 + x2 - 1)"
        _number_check(report, name, got, want, [], mistake, rtol=0, atol=1e-12)
    return report


# -- "Optimizers": momentum by hand ---------------------------------------------------------------


def _momentum_reference(steps: int, lr: float, mu: float, mistake: str = "") -> list[tuple[float, float]]:
    from micrograd.optim import SGD

    x, y = Value(-1.5), Value(2.0)
    params = [x, y]
    opt = SGD(params, lr=lr, momentum=mu)
    path: list[tuple[float, float]] = []
    buffers: list[float | None] = [None, None]
    for _ in range(steps):
        for p in params if mistake != "zero_grad last" else params[-1:]:
            p.grad = 0.0
        try:
            f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
            f.backward()
        except OverflowError:  # a wrong variant may climb out of range: the path ends there
            break
        if mistake == "":
            opt.step()
        else:
            for i, p in enumerate(params):
                b = buffers[i]
                if mistake == "no buffer":
                    b = p.grad
                elif mistake == "ema":
                    b = (1 - mu) * p.grad if b is None else mu * b + (1 - mu) * p.grad
                else:
                    b = p.grad if b is None else mu * b + p.grad
                buffers[i] = b
                p.data = p.data + lr * b if mistake == "+=" else p.data - lr * b
        path.append((x.data, y.data))
    return path


def check_momentum(momentum_class: Callable[..., Any]) -> Report:
    """Check exercise 1 of *Optimizers*: a class ``MyMomentum(params, lr, momentum)``.

    Args:
        momentum_class: The reader's optimizer, with ``zero_grad()`` and ``step()``
            implementing ``b = momentum * b + g`` and ``p -= lr * b``.

    Returns:
        A :class:`Report`: ``zero_grad()`` resets every parameter, and 50 steps on the
        Rosenbrock function follow :class:`~micrograd.optim.SGD` with momentum 0.9 (and
        0.5), with known wrong versions recognised (``+=``, no buffer, an average
        instead of a sum, ``zero_grad`` resetting only the last parameter).

    Example:
        >>> from micrograd.optim import SGD
        >>> print(check_momentum(lambda params, lr, momentum: SGD(params, lr=lr, momentum=momentum)).passed)
        True
    """
    report = Report("Optimizers, exercise 1: MyMomentum")
    params = [Value(1.0), Value(2.0), Value(3.0)]
    for p in params:
        p.grad = 5.0
    ok, opt = _attempt(
        report,
        "MyMomentum(params, lr=0.1, momentum=0.9)",
        lambda: momentum_class(params, lr=0.1, momentum=0.9),
    )
    if not ok:
        return report
    ok, _ = _attempt(report, "zero_grad()", lambda: opt.zero_grad())
    if not ok:
        return report
    grads = [_as_float(p.grad) for p in params]
    if all(g == 0 for g in grads):
        report.checks.append(Check("zero_grad()", True, "every parameter's grad is 0"))
    else:
        mistake = "zero_grad() must set the grad of every parameter to 0"
        if grads[-1] == 0 and any(g != 0 for g in grads[:-1]):
            mistake = (
                "zero_grad() reset only the last parameter: p.grad = 0 belongs inside the loop "
                "over the parameters"
            )
        report.checks.append(
            Check(
                "zero_grad()",
                False,
                f"zero_grad() left the grads at {[_num(g) for g in grads]}, expected all 0: {mistake}.",
                mistake,
            )
        )
    names = {
        "+=": "the step climbs: p.data -= lr * b, against the gradient",
        "no buffer": "the buffer is not kept between steps: that is plain gradient descent; store b for each "
        "parameter and use it at the next step",
        "ema": (
            "momentum here is a sum, b = momentum * b + g, not an average momentum * b + (1 - momentum) * g"
        ),
        "zero_grad last": "zero_grad() reset only the last parameter, so the others accumulate gradients",
    }
    for mu in (0.9, 0.5):
        name = f"50 steps with lr=1e-3, momentum={mu}"

        def run(mu: float = mu) -> list[tuple[float, float]]:
            x, y = Value(-1.5), Value(2.0)
            opt = momentum_class([x, y], lr=1e-3, momentum=mu)
            path: list[tuple[float, float]] = []
            for _ in range(50):
                opt.zero_grad()
                try:
                    f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
                    f.backward()
                except OverflowError:  # the steps climbed out of range: compare the path so far
                    break
                opt.step()
                path.append((_as_float(x.data), _as_float(y.data)))
            return path

        ok, path = _attempt(report, name, run)
        if not ok:
            return report
        want = _momentum_reference(50, 1e-3, mu)
        bad = [
            i
            for i, (a, b) in enumerate(zip(path, want, strict=False))
            if not (_close(a[0], b[0]) and _close(a[1], b[1]))
        ]
        if not bad and len(path) != len(want):
            bad = [min(len(path), len(want)) - 1]
        if not bad:
            report.checks.append(
                Check(name, True, f"ends at ({_num(want[-1][0])}, {_num(want[-1][1])}), as SGD does")
            )
            continue
        mistake = "the path differs from SGD's with momentum: b = momentum * b + g, then p.data -= lr * b"
        for variant, text in names.items():
            v = _momentum_reference(50, 1e-3, mu, variant)
            if len(v) == len(path) and all(
                _close(a[0], b[0]) and _close(a[1], b[1]) for a, b in zip(path, v, strict=True)
            ):
                mistake = text
                break
        i = bad[0]
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: after step {i + 1} at ({_num(path[i][0])}, {_num(path[i][1])}), "
                f"expected ({_num(want[i][0])}, {_num(want[i][1])}): {mistake}.",
                mistake,
            )
        )
        break
    return report


# -- "Deep networks": He initialization -------------------------------------------------------------


def check_he_scale(he_scale: Callable[[int], float] | float, width: int = 32) -> Report:
    """Check exercise 1 of *Deep networks*: the half-width ``a`` of He-initialized uniform weights.

    Args:
        he_scale: The reader's ``a`` for ``width`` inputs, or a function of the width
            returning it: uniform weights on ``[-a, a]`` must have variance ``2 / width``.
        width: The number of inputs of a layer, when ``he_scale`` is a number.

    Returns:
        A :class:`Report`: the scale for the width given, and for widths 8, 32 and 100
        when a function is given.

    Example:
        >>> print(check_he_scale(math.sqrt(6 / 32)).passed)
        True
    """
    report = Report("Deep networks, exercise 1: He initialization")
    widths = [width] if not callable(he_scale) else [8, 32, 100]
    for n in widths:
        name = f"the scale for width {n}"
        if callable(he_scale):
            ok, got = _attempt(report, name, he_scale, n)
            if not ok:
                return report
        else:
            got = he_scale
        _number_check(
            report,
            name,
            got,
            math.sqrt(6 / n),
            [
                (
                    math.sqrt(2 / n),
                    "weights uniform on [-a, a] have variance a**2 / 3, not a**2: "
                    "a**2 / 3 = 2 / n gives a = sqrt(6 / n)",
                ),
                (2 / n, "2 / n is the variance; the half-width a is sqrt(3 * variance) = sqrt(6 / n)"),
                (6 / n, "a**2 = 6 / n: take the square root"),
                (
                    math.sqrt(3 / n),
                    "He initialization wants variance 2 / n (ReLU halves the signal), "
                    "so a = sqrt(6 / n); sqrt(3 / n) gives variance 1 / n",
                ),
            ],
            "uniform weights on [-a, a] have variance a**2 / 3; set it to 2 / n",
            rtol=1e-9,
        )
    return report


# -- experiments: checks of a result the reader computed -----------------------------------------

_CORNERS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


def _bce_training(model: Any, inputs: Sequence[Sequence[float]], targets: Sequence[int], steps: int) -> float:
    """The tutorials' recipe: BCE with logits, zero_grad, backward, a step of 1.0. The last loss."""
    from micrograd.losses import binary_cross_entropy_with_logits

    loss = Value(0.0)
    for _ in range(steps):
        loss = binary_cross_entropy_with_logits([model(x) for x in inputs], list(targets))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 1.0 * p.grad
    return loss.data


def check_and_or(train_neuron: Callable[[list[int]], tuple[Any, float]]) -> Report:
    """Check exercise 1 of *XOR*: one linear neuron trained on AND and on OR.

    Args:
        train_neuron: The reader's function of the four targets, returning the trained
            neuron and its last loss.

    Returns:
        A :class:`Report`: for AND and OR, the neuron is right on all four corners and
        its loss fell below that of a constant guess, ``log 2``.

    Example:
        >>> from micrograd.nn import Neuron
        >>> def train_neuron(targets, steps=200):
        ...     n = Neuron(2, activation="linear", rng=random.Random(0))
        ...     return n, _bce_training(n, _CORNERS, targets, steps)
        >>> print(check_and_or(train_neuron).passed)
        True
    """
    report = Report("XOR, exercise 1: AND and OR")
    for name, targets in (("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1])):
        ok, result = _attempt(report, name, train_neuron, list(targets))
        if not ok:
            continue
        try:
            neuron, loss = result
            predicted = [int(neuron(x).data > 0) for x in _CORNERS]
        except (TypeError, ValueError, AttributeError) as err:
            report.checks.append(
                Check(name, False, f"{name}: {err}: return (neuron, loss)", "return (neuron, loss)")
            )
            continue
        loss = _as_float(loss)
        if predicted == targets and loss < math.log(2):
            report.checks.append(Check(name, True, f"all four corners right, loss {_num(loss)}"))
            continue
        if loss >= math.log(2):
            mistake = (
                f"the loss {_num(loss)} is no better than a constant guess (log 2 = 0.693): is the step "
                "p.data -= lr * p.grad, after zero_grad() and backward()?"
            )
        else:
            mistake = "a line separates AND (and OR): train longer, or check the targets"
        report.checks.append(
            Check(name, False, f"{name}: predicted {predicted}, expected {targets}: {mistake}.", mistake)
        )
    return report


def check_xor_feature(neuron: Any) -> Report:
    """Check exercise 2 of *XOR*: one neuron with the extra input ``x1 * x2`` learns XOR.

    Args:
        neuron: The reader's trained neuron of three inputs ``[x1, x2, x1 * x2]``.

    Returns:
        A :class:`Report`: the neuron's sign is right on the four corners.

    Example:
        >>> from micrograd.nn import Neuron
        >>> n = Neuron(3, activation="linear", rng=random.Random(0))
        >>> _ = _bce_training(n, [[a, b, a * b] for a, b in _CORNERS], [0, 1, 1, 0], 300)
        >>> print(check_xor_feature(n).passed)
        True
    """
    report = Report("XOR, exercise 2: a hand-made feature")
    for (a, b), target in zip(_CORNERS, [0, 1, 1, 0], strict=True):
        x = [a, b, a * b]
        name = f"corner ({_num(a)}, {_num(b)})"
        ok, out = _attempt(report, name, neuron, x)
        if not ok:
            mistake = "the neuron takes three inputs: [x1, x2, x1 * x2]"
            report.checks[-1] = Check(name, False, f"{report.checks[-1].message} {mistake}.", mistake)
            return report
        got = int(_as_float(getattr(out, "data", out)) > 0)
        if got == target:
            report.checks.append(Check(name, True, f"class {target}"))
        else:
            mistake = (
                "with x1 * x2 as a third input, a large negative weight on it pulls (1, 1) to class 0: "
                "train longer, from a fresh neuron, with the step p.data -= lr * p.grad"
            )
            report.checks.append(
                Check(name, False, f"{name}: predicted class {got}, expected {target}: {mistake}.", mistake)
            )
    return report


def check_solves_xor(solves_xor: Callable[..., bool]) -> Report:
    """Check exercise 4 of *XOR*: ``solves_xor(hidden, seed, steps=300)`` on a few seeds.

    Args:
        solves_xor: The reader's function: train ``MLP(2, [hidden, 1])`` (tanh) from
            ``random.Random(seed)`` with BCE and a step of 1.0, and say whether all four
            corners come out right.

    Returns:
        A :class:`Report`: the answers for 2 hidden neurons and seeds 0 to 7 (including
        seeds that get stuck), each compared with the same recipe run with micrograd.

    Example:
        >>> def solves_xor(hidden, seed, steps=300):
        ...     from micrograd.nn import MLP
        ...     net = MLP(2, [hidden, 1], activation="tanh", rng=random.Random(seed))
        ...     _bce_training(net, _CORNERS, [0, 1, 1, 0], steps)
        ...     return all((net(x).data > 0) == (t == 1) for x, t in zip(_CORNERS, [0, 1, 1, 0]))
        >>> print(check_solves_xor(solves_xor).passed)
        True
    """
    from micrograd.nn import MLP

    report = Report("XOR, exercise 4: is one seed enough?")
    got, expected = [], []
    for seed in range(8):
        ok, answer = _attempt(report, f"solves_xor(2, {seed})", solves_xor, 2, seed)
        if not ok:
            return report
        net = MLP(2, [2, 1], activation="tanh", rng=random.Random(seed))
        _bce_training(net, _CORNERS, [0, 1, 1, 0], 300)
        scores = [cast(Value, net(x)).data for x in _CORNERS]
        right = all((s > 0) == (t == 1) for s, t in zip(scores, [0, 1, 1, 0], strict=True))
        got.append(bool(answer))
        expected.append(right)
    name = "2 hidden neurons, seeds 0 to 7"
    if got == expected:
        report.checks.append(Check(name, True, f"solved by seeds {[s for s in range(8) if expected[s]]}"))
    else:
        wrong = [s for s in range(8) if got[s] != expected[s]]
        mistake = (
            "train a fresh network for each seed (MLP(2, [hidden, 1], rng=random.Random(seed))) for 300 "
            "steps of binary cross-entropy with logits and a step of 1.0, then count the corners whose "
            "score has the sign of their class"
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: the answers for seeds {wrong} differ from the recipe's: {mistake}.",
                mistake,
            )
        )
    return report


def check_misclassified(
    model: Any, points: Sequence[Sequence[float]], classes: Sequence[int], wrong: Any
) -> Report:
    """Check exercise 2 of *Multiclass*: the list of test points the network gets wrong.

    Args:
        model: The trained network, returning one logit per class.
        points: The test points.
        classes: Their true classes.
        wrong: Your list of the points the network gets wrong.

    Returns:
        A :class:`Report`: your list holds exactly the points whose largest logit is not
        their class.

    Example:
        >>> model = lambda x: [Value(x[0]), Value(x[1])]  # class 1 wins where x[1] is larger
        >>> print(check_misclassified(model, [[1, 0], [0, 1]], [0, 0], [[0, 1]]).passed)
        True
    """
    report = Report("Multiclass, exercise 2: where are the mistakes?")
    truly = []
    for x, c in zip(points, classes, strict=True):
        scores = [z.data for z in model(x)]
        if max(range(len(scores)), key=lambda k: scores[k]) != c:
            truly.append(tuple(float(v) for v in x))
    listed = [tuple(float(v) for v in x) for x in wrong]
    missing = [x for x in truly if x not in listed]
    extra = [x for x in listed if x not in truly]
    name = f"{len(truly)} wrong test points"
    if not missing and not extra and len(listed) == len(truly):
        report.checks.append(Check(name, True, f"your list has all {len(truly)} and nothing else"))
    else:
        mistake = (
            "a point is wrong when the class with the largest logit (or probability) is not its true class; "
            "go through every test point once"
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: your list misses {len(missing)} and has {len(extra)} that the network gets right: "
                f"{mistake}.",
                mistake,
            )
        )
    return report


def _rosenbrock_run(make: Callable[[list[Value]], Any], steps: int) -> list[float]:
    x, y = Value(-1.5), Value(2.0)
    optimizer = make([x, y])
    values = []
    for _ in range(steps):
        optimizer.zero_grad()
        f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
        f.backward()
        optimizer.step()
        values.append(f.data)
    return values


def check_nesterov(values: Sequence[float]) -> Report:
    """Check exercise 2 of *Optimizers*: the values of the Rosenbrock function under Nesterov momentum.

    Args:
        values: Your ``nesterov_values``: ``f`` before each of 1000 steps of
            ``SGD(lr=1e-3, momentum=0.9, nesterov=True)`` from ``(-1.5, 2)``.

    Returns:
        A :class:`Report`: the values after 200, 500 and 1000 steps.

    Example:
        >>> from micrograd.optim import SGD
        >>> run = _rosenbrock_run(lambda p: SGD(p, lr=1e-3, momentum=0.9, nesterov=True), 1000)
        >>> print(check_nesterov(run).passed)
        True
    """
    from micrograd.optim import SGD

    report = Report("Optimizers, exercise 2: Nesterov momentum")
    want = _rosenbrock_run(lambda p: SGD(p, lr=1e-3, momentum=0.9, nesterov=True), 1000)
    plain = _rosenbrock_run(lambda p: SGD(p, lr=1e-3, momentum=0.9), 1000)
    got = [_as_float(v) for v in values]
    for step in (200, 500, 1000):
        name = f"f after {step} steps"
        g = got[step - 1] if len(got) >= step else math.nan
        _number_check(
            report,
            name,
            g,
            want[step - 1],
            [(plain[step - 1], "that is plain momentum: pass nesterov=True to SGD")],
            "run SGD(params, lr=1e-3, momentum=0.9, nesterov=True) for 1000 steps from (-1.5, 2)",
            rtol=1e-9,
        )
    return report


def check_adam_halves(results: Mapping[float, tuple[float, float]]) -> Report:
    """Check exercise 3 of *Optimizers*: Adam with and without its momentum, at three rates.

    Args:
        results: Your final values of ``f`` by learning rate: ``{lr: (normalization only,
            full Adam)}`` for ``lr`` in 0.01, 0.03 and 0.1, after 1000 steps from ``(-1.5, 2)``.

    Returns:
        A :class:`Report`: each of the six values, run again with micrograd's Adam.

    Example:
        >>> from micrograd.optim import Adam
        >>> runs = {lr: (_rosenbrock_run(lambda p: Adam(p, lr=lr, betas=(0.0, 0.999)), 1000)[-1],
        ...              _rosenbrock_run(lambda p: Adam(p, lr=lr), 1000)[-1]) for lr in (0.01, 0.03, 0.1)}
        >>> print(check_adam_halves(runs).passed)
        True
    """
    from micrograd.optim import Adam

    report = Report("Optimizers, exercise 3: which half of Adam does the work?")
    for lr in (0.01, 0.03, 0.1):
        no_momentum = _rosenbrock_run(functools.partial(Adam, lr=lr, betas=(0.0, 0.999)), 1000)[-1]
        full = _rosenbrock_run(functools.partial(Adam, lr=lr), 1000)[-1]
        pair = results.get(lr)
        if pair is None:
            report.checks.append(
                Check(f"lr {lr}", False, f"lr {lr}: no result: give results[{lr}]", "a result per rate")
            )
            continue
        mine = [_as_float(v) for v in pair]
        wrongs = [(full, "that is full Adam: betas=(0.0, 0.999) removes the momentum")]
        _number_check(
            report,
            f"lr {lr}, normalization only",
            mine[0],
            no_momentum,
            wrongs,
            "run Adam(params, lr=lr, betas=(0.0, 0.999)) for 1000 steps and take the last value of f",
            rtol=1e-9,
        )
        _number_check(
            report,
            f"lr {lr}, full Adam",
            mine[1],
            full,
            [(no_momentum, "that is the run without momentum: full Adam keeps the default betas")],
            "run Adam(params, lr=lr) for 1000 steps and take the last value of f",
            rtol=1e-9,
        )
    return report


def _residual_grads(residual: bool, depth: int, width: int, batch: int, seed: int) -> tuple[float, float]:
    """The page's experiment: mean |dL/dw| of the first and the last layer, with or without shortcuts."""
    from micrograd.nn import MLP

    rng = random.Random(seed)
    model = MLP(width, [width] * depth + [1], activation="sigmoid", rng=rng)
    xs = [[rng.gauss(0, 1) for _ in range(width)] for _ in range(batch)]
    ys = [rng.choice([-1.0, 1.0]) for _ in range(batch)]
    hidden, output = model.layers[:-1], model.layers[-1]
    loss = Value(0.0)
    for x, y in zip(xs, ys, strict=True):
        h = cast(list[Value], hidden[0](x))
        for layer in hidden[1:]:
            out = cast(list[Value], layer(h))
            h = [a + b for a, b in zip(h, out, strict=True)] if residual else out
        loss = loss + (cast(Value, output(h)) - y) ** 2
    (loss / batch).backward()
    grads = []
    for layer in model.layers:
        ws = [abs(w.grad) for n in layer.neurons for w in n.w]
        grads.append(sum(ws) / len(ws))
    return grads[0], grads[-1]


def check_residual(first_and_last_grad: Callable[..., tuple[float, float]]) -> Report:
    """Check exercise 2 of *Deep networks*: ``first_and_last_grad(residual, depth, width, batch, seed)``.

    Args:
        first_and_last_grad: The reader's function: the mean absolute weight gradient of
            the first and of the last layer of a sigmoid MLP, with or without residual
            connections on every hidden layer but the first.

    Returns:
        A :class:`Report`: both versions on a small network (depth 4, width 3, batch 2),
        compared with the same experiment run here.

    Example:
        >>> def first_and_last_grad(residual, depth=20, width=8, batch=16, seed=0):
        ...     return _residual_grads(residual, depth, width, batch, seed)
        >>> print(check_residual(first_and_last_grad).passed)
        True
    """
    report = Report("Deep networks, exercise 2: residual connections")
    for residual in (False, True):
        name = f"first_and_last_grad({residual}, depth=4, width=3, batch=2)"
        ok, got = _attempt(report, name, first_and_last_grad, residual, depth=4, width=3, batch=2, seed=0)
        if not ok:
            return report
        want = _residual_grads(residual, 4, 3, 2, 0)
        other = _residual_grads(not residual, 4, 3, 2, 0)
        try:
            first = _as_float(got[0])
        except (TypeError, IndexError):
            first = math.nan
        _number_check(
            report,
            name,
            first,
            want[0],
            [(other[0], "with residual=True each hidden layer but the first adds its input to its output")],
            "h = [a + b for a, b in zip(h, layer(h))] for every hidden layer after the first, then the loss, "
            "backward(), and the mean of |w.grad| over the first layer's weights",
            rtol=1e-9,
        )
    return report


def _relative_changes(steps: int = 20, seed: int = 0) -> list[float]:
    """The page's experiment: how far each layer's weights move in 20 steps, relative to their size."""
    from micrograd.nn import MLP

    rng = random.Random(seed)
    model = MLP(8, [8] * 10 + [1], activation="sigmoid", rng=rng)
    xs = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(16)]
    ys = [rng.choice([-1.0, 1.0]) for _ in range(16)]

    def weights() -> list[list[float]]:
        return [[w.data for n in layer.neurons for w in n.w] for layer in model.layers]

    before = weights()
    for _ in range(steps):
        loss = sum(((cast(Value, model(x)) - y) ** 2 for x, y in zip(xs, ys, strict=True)), Value(0.0)) / len(
            xs
        )
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.1 * p.grad
    return [math.dist(w1, w0) / math.hypot(*w0) for w1, w0 in zip(weights(), before, strict=True)]


def check_relative_change(changes: Sequence[float]) -> Report:
    """Check exercise 3 of *Deep networks*: how far each layer's weights moved in 20 steps.

    Args:
        changes: Your relative change ``‖W_after - W_before‖ / ‖W_before‖`` of each of the
            11 layers (10 hidden and the output), in order, for the page's network and batch.

    Returns:
        A :class:`Report`: each layer's change, against the same experiment run here.

    Example:
        >>> print(check_relative_change(_relative_changes()).passed)
        True
    """
    report = Report("Deep networks, exercise 3: do the first layers learn?")
    want = _relative_changes()
    got = [_as_float(c) for c in changes]
    if len(got) != len(want):
        mistake = "give one number per layer: 10 hidden layers and the output layer"
        report.checks.append(
            Check("layers", False, f"layers: {len(got)} numbers, expected {len(want)}: {mistake}.", mistake)
        )
        return report
    for i, (g, w) in enumerate(zip(got, want, strict=True), start=1):
        ok = _number_check(
            report,
            f"layer {i}",
            g,
            w,
            [(0.0, "no change at all: are the weights read after training, and the update applied?")],
            "the change is math.dist(after, before) / math.hypot(*before) over the layer's weights (not its "
            "biases), after 20 steps of p.data -= 0.1 * p.grad with zero_grad() before each backward()",
            rtol=1e-6,
        )
        if not ok:
            break
    else:
        del report.checks[1:-1]
        report.checks[0] = Check("layers 1 to 11", True, f"from {_num(want[0])} to {_num(want[-1])}")
        report.checks.pop()
    return report


def _accuracy(model: Any, points: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
    """The share of points whose score has the sign of their 0/1 label."""
    right = sum(
        (cast(Value, model(list(x))).data > 0) == (label == 1)
        for x, label in zip(points, labels, strict=True)
    )
    return right / len(labels)


def check_generalisation(
    models: Mapping[str, Any],
    points: Sequence[Sequence[float]],
    labels: Sequence[int],
    accuracies: Mapping[str, float],
) -> Report:
    """Check exercise 1 of *Two moons*: each trained network's accuracy on new points.

    Args:
        models: The trained networks by name.
        points: The new points (not the training points).
        labels: Their classes, 0 or 1.
        accuracies: Your accuracy of each network on the new points, by the same names.

    Returns:
        A :class:`Report`: each accuracy, computed again on the points given.

    Example:
        >>> model = lambda x: Value(x[0])  # class 1 where x[0] > 0
        >>> report = check_generalisation({"m": model}, [[1.0], [-1.0], [2.0]], [1, 0, 0], {"m": 2 / 3})
        >>> print(report.passed)
        True
    """
    report = Report("Two moons, exercise 1: does it generalise?")
    for name, model in models.items():
        want = _accuracy(model, points, labels)
        if name not in accuracies:
            mistake = "measure every network"
            report.checks.append(Check(name, False, f"{name}: no accuracy given: {mistake}.", mistake))
            continue
        _number_check(
            report,
            f"accuracy of {name}",
            accuracies[name],
            want,
            [(want * 100, "give the accuracy as a fraction between 0 and 1, not a percentage")],
            "count the new points whose score has the sign of their class (score > 0 for class 1), "
            "divided by the number of new points",
            rtol=1e-9,
        )
    return report


def check_tanh_model(model: Any, points: Sequence[Sequence[float]], labels: Sequence[int]) -> Report:
    """Check exercise 2 of *Two moons*: a network with tanh hidden neurons, trained on the moons.

    Args:
        model: Your trained ``MLP``.
        points: The training points.
        labels: Their classes, 0 or 1.

    Returns:
        A :class:`Report`: the hidden neurons use tanh, and the network classifies at
        least 95% of the training points right.

    Example:
        >>> from micrograd.nn import MLP
        >>> net = MLP(1, [2, 1], activation="tanh", rng=random.Random(0))
        >>> print(check_tanh_model(net, [[1.0]], [int(net([1.0]).data > 0)]).passed)
        True
    """
    report = Report("Two moons, exercise 2: straight pieces or a smooth curve?")
    try:
        hidden = [n.activation for layer in model.layers[:-1] for n in layer.neurons]
    except AttributeError:
        hidden = []
    if hidden and all(a == "tanh" for a in hidden):
        report.checks.append(Check("hidden activation", True, "tanh in every hidden neuron"))
    else:
        mistake = 'build the network with MLP(2, [16, 16, 1], activation="tanh", ...)'
        found = sorted(set(hidden)) or "no hidden layers"
        report.checks.append(
            Check(
                "hidden activation", False, f"hidden activation: {found}, expected tanh: {mistake}.", mistake
            )
        )
    ok, acc = _attempt(report, "training accuracy", _accuracy, model, points, labels)
    if ok:
        if acc >= 0.95:
            report.checks.append(Check("training accuracy", True, f"{acc:.0%}"))
        else:
            mistake = "train it like the ReLU network: the hinge loss, a learning rate of 1.0, 100 steps"
            report.checks.append(
                Check(
                    "training accuracy",
                    False,
                    f"training accuracy: {acc:.0%}, expected at least 95%: {mistake}.",
                    mistake,
                )
            )
    return report


def check_two_classes(rows: Sequence[Sequence[float]]) -> Report:
    """Check exercise 1 of *Multiclass*: softmax over two logits is the sigmoid.

    Args:
        rows: One row per ``z`` you tried: ``(z, softmax([z, 0])[0], sigmoid(z),
            cross_entropy([[z, 0]], [0]), -log(sigmoid(z)))``.

    Returns:
        A :class:`Report`: each row's numbers, computed again, and the two equalities.

    Example:
        >>> z = 0.7
        >>> s = 1 / (1 + math.exp(-z))
        >>> print(check_two_classes([(z, s, s, -math.log(s), -math.log(s))]).passed)
        True
    """
    from micrograd.losses import cross_entropy, softmax

    report = Report("Multiclass, exercise 1: two classes are a special case")
    for row in rows:
        z, p_first, sig, ce, neg_log = (_as_float(v) for v in row)
        want = (
            softmax([Value(z), Value(0.0)])[0].data,
            Value(z).sigmoid().data,
            cross_entropy([[Value(z), Value(0.0)]], [0]).data,
            -math.log(Value(z).sigmoid().data),
        )
        names = ("softmax([z, 0])[0]", "sigmoid(z)", "cross-entropy of class 0", "-log sigmoid(z)")
        bad = [
            (n, g, w)
            for n, g, w in zip(names, (p_first, sig, ce, neg_log), want, strict=True)
            if not _close(g, w, 1e-9, 1e-12)
        ]
        name = f"z = {_num(z)}"
        if bad:
            n, g, w = bad[0]
            mistake = "softmax([z, 0]) is the probability of each class: take its first entry for class 0"
            if n == "cross-entropy of class 0":
                mistake = "cross_entropy takes a batch: [[Value(z), Value(0.0)]] and the classes [0]"
            elif n == "-log sigmoid(z)":
                mistake = "-log sigmoid(z) is -math.log of the sigmoid, a positive number"
            elif n == "sigmoid(z)":
                mistake = "sigmoid(z) is 1 / (1 + exp(-z))"
            report.checks.append(
                Check(name, False, f"{name}: {n} gave {_num(g)}, expected {_num(w)}: {mistake}.", mistake)
            )
        else:
            report.checks.append(
                Check(
                    name,
                    True,
                    f"softmax = sigmoid = {_num(want[0])}, cross-entropy = -log sigmoid = {_num(want[2])}",
                )
            )
    if not rows:
        report.checks.append(
            Check("rows", False, "rows: none given: try a few values of z.", "try a few values of z")
        )
    return report


# -- Building Value, exercise 4: log and division ---------------------------------------------------


def _log_division_cases() -> list[_Case]:
    def log_at(x0: float) -> Builder:
        def build(V: Any) -> dict[str, Any]:
            x = V(x0)
            return _named(x=x, out=x.log())

        return build

    def log_then(V: Any) -> dict[str, Any]:
        x, c = V(1.5), V(-2.0)
        y = x.log()
        return _named(x=x, c=c, **{"log(x)": y}, out=y * c)

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
    cases = [
        _Case(
            f"log(x) at x = {_num(x0)}",
            log_at(x0),
            ("x",),
            (*_COMMON, *log_mistakes),
            "log's local derivative is 1/x",
        )
        for x0 in (2.0, 0.5, 1.0)
    ]
    cases.append(
        _Case("log(x) * c", log_then, ("x",), (*_COMMON, _missing_upstream("x", lambda e: e.d("c"), "log")))
    )
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
    """Check exercise 4 of *Building Value*: ``log()`` and ``/`` (with ``1 / x``) on ``MyValue``.

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
    return _class_report("Log and division", v_class, _log_division_cases(), (_ADD, _MUL, log, div))
