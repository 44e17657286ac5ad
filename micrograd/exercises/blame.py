"""The blame drawing: the reader's graph, each value coloured by how far its gradient is from
the right one, the first wrong value marked; as DOT, SVG, a sentence and a text table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from micrograd.exercises.compare import _close, _num, _relative_gap


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
        culprit: A sentence naming the operation that most likely holds the bug, or, when
            the check's diagnosis is the order ``backward()`` visits the values in, saying so.
        reveals: Whether it shows the right value beside a wrong one. ``False`` when the
            right values are the exercise's answers (gradients worked out by hand): a wrong
            value is then marked wrong, and the reader may try again.

    Example:
        >>> from micrograd import Value
        >>> from micrograd.exercises import check_value
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
    reveals: bool = True

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
    right: float | None
    if first.expected_data is not None and not _close(first.data, first.expected_data):
        what, order = "wrong data", "the order the forward pass computes them"
        shown, right = f"data {_num(first.data)}", first.expected_data
    else:
        what, order = "a wrong gradient", "the order backward() visits them"
        shown, right = f"grad {_num(first.grad)}", first.expected_grad
    if blame.reveals and right is not None:
        shown += f", expected {_num(right)}"
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
            label += f" (expected {_num(b.expected_grad)})" if blame.reveals else " (wrong)"
        if b.expected_data is not None and not _close(b.data, b.expected_data):
            label += f" | data expected {_num(b.expected_data)}" if blame.reveals else " | data wrong"
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
        elif not blame.reveals:
            verdict = "WRONG"
        else:
            verdict = f"WRONG, expected grad {_num(b.expected_grad)}"
            if b.expected_data is not None and not _close(b.data, b.expected_data):
                verdict = f"WRONG, expected data {_num(b.expected_data)}"
        mark = "  <- first wrong" if i == blame.first_wrong else ""
        rows.append(
            f"    {name:>14} {b.op:>6}  data {_num(b.data):>9}  grad {_num(b.grad):>9}  {verdict}{mark}"
        )
    return "\n".join(rows)
