"""Drawings of a computation graph: :func:`draw_dot`, and a step-through of backward().

:func:`draw_dot` turns the graph behind a :class:`~micrograd.engine.Value` into a
``graphviz.Digraph``: one box per value showing its label, ``data`` and ``grad``,
one small ellipse per operation, and arrows from the inputs of an operation to its
result. In Jupyter the drawing appears inline as SVG.

Drawing needs two things that micrograd itself does not: the ``graphviz`` Python
package (``pip install graphviz``, or ``pip install ".[graphviz]"`` in a clone of
micrograd) and the Graphviz ``dot`` program, which lays out and renders the picture.
Building a ``graphviz.Digraph`` needs only the package; rendering it needs ``dot`` too.
"""

from __future__ import annotations

import functools
import html
import math
import operator
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, SupportsIndex, cast

from micrograd.engine import Value

if TYPE_CHECKING:
    from graphviz import Digraph  # type: ignore[import-untyped]  # graphviz ships no type hints

__all__ = ["BackwardStep", "BackwardStepper", "backward_stepper", "draw_dot"]

_INSTALL_GRAPHVIZ_PACKAGE = (
    "Drawing a graph needs the graphviz Python package, an optional extra of micrograd. "
    'Install it with:  pip install graphviz  (or, in a clone of micrograd: pip install ".[graphviz]")'
)

_INSTALL_DOT = (
    "The Graphviz 'dot' program was not found on your PATH; it is needed to render graph "
    "drawings (the graphviz Python package is only a wrapper around it). Install it with "
    "one of:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  Fedora:         sudo dnf install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Windows:        winget install graphviz   (then add its bin folder to PATH)\n"
    "or download it from https://graphviz.org/download/ . Then restart Python (or the "
    "Jupyter kernel) so that the new PATH is seen."
)

_TAILPORTS = {"LR": "e", "RL": "w", "TB": "s", "BT": "n"}
_RANKDIRS = tuple(_TAILPORTS)

# Colours that read well on a white page and on a dark one (furo's dark mode): nodes
# are filled boxes with dark text, the background is transparent, and the edges are
# a middle grey that stands out against both.
_INK = "#1f2328"
_LINE = "#4d4d4d"
_EDGE = "#8c8c8c"
_PAPER = "#ffffff"
_OP_FILL = "#e8eef9"
_HIGHLIGHT = "#ffd54f"
_RECEIVING = "#b9e6c3"
_UNREACHED = "#9aa0a6"
_FLOW = "#e8590c"
_FONT = "Helvetica,Arial,sans-serif"


def draw_dot(
    root: Value,
    rankdir: str = "LR",
    *,
    max_nodes: int = 5000,
    show_grad: bool = True,
    highlight: Iterable[Value] | Value | None = (),
) -> Digraph:
    """Draw the computation graph that produced ``root``.

    Each :class:`~micrograd.engine.Value` becomes a box ``label | data | grad`` (the
    label part only when the value has one; numbers with four decimals), each
    operation a small ellipse naming it, and the arrows run from the inputs of an
    operation to the operation and from it to its result: child → op → result.
    An input used twice by one operation (``x * x``) gets two arrows.

    The drawing is built without recursion, so deep graphs work, but above
    ``max_nodes`` values it is refused: Graphviz would take very long to lay it out,
    and nobody can read it.

    Args:
        root: The value whose graph to draw, usually the output of a computation.
        rankdir: The direction of the arrows: ``"LR"`` (left to right), ``"RL"``,
            ``"TB"`` (top to bottom) or ``"BT"``.
        max_nodes: The largest number of values to draw (operations are not counted).
        show_grad: Whether to show the ``grad`` of each value (``False`` is handy
            for a forward graph before :meth:`~micrograd.engine.Value.backward`).
        highlight: Values to draw with a yellow background (values that are not in
            the graph are ignored); a single Value or ``None`` also works.

    Returns:
        A ``graphviz.Digraph`` (a subclass of it, which explains how to install
        Graphviz if rendering fails because ``dot`` is missing). It displays as SVG
        in Jupyter; ``.source`` is the DOT text, ``.render(...)`` and ``.pipe(...)``
        save or return SVG, PNG, PDF, ...

    Raises:
        TypeError: If ``root`` is not a :class:`~micrograd.engine.Value`, or
            ``highlight`` is not an iterable of Values.
        ValueError: If ``rankdir`` is not one of the four directions, or the graph
            has more than ``max_nodes`` values.
        ImportError: If the ``graphviz`` Python package is not installed.

    Labels and operation names longer than 200 characters are cut in the drawing,
    and invisible characters in them are shown as escapes (``\\n``, ``\\ufffe``).

    Example:
        >>> from micrograd import Value
        >>> a = Value(2.0, label="a")
        >>> b = Value(-3.0, label="b")
        >>> c = a * b
        >>> c.label = "c"
        >>> dot = draw_dot(c)
        >>> dot.source.count("data "), dot.source.count("shape=ellipse")  # 3 values, 1 op
        (3, 1)
        >>> "data 2.0000" in dot.source and "grad 0.0000" in dot.source
        True
    """
    order = _trace(root, rankdir, max_nodes, "draw_dot")
    grads = {v: v.grad for v in order} if show_grad else None
    fills = {v: _HIGHLIGHT for v in _highlighted(highlight)}
    return _build_digraph(order, rankdir, grads=grads, value_fill=fills, name=_summary(order, grads))


def _highlighted(highlight: object) -> Iterable[Value]:
    """The values to highlight: an iterable of them, one Value, or None (none)."""
    if highlight is None:
        return ()
    if isinstance(highlight, Value):
        return (highlight,)
    if not isinstance(highlight, Iterable) or isinstance(highlight, str):
        raise TypeError(
            f"draw_dot(): highlight must be a list of Values, got {highlight!r} ({type(highlight).__name__})"
        )
    return highlight


# -- the backward() stepper -------------------------------------------------------------


@dataclass(frozen=True)
class BackwardStep:
    """One frame of a :class:`BackwardStepper`: the graph after one step of backward().

    Attributes:
        node (~micrograd.engine.Value | None): The value whose gradient this step passes to its
            children, or ``None`` for frame 0 (the graph before backward() starts).
        grads (~collections.abc.Mapping[~micrograd.engine.Value, float]): The gradient of every value of
            the graph after this step.
        caption (str): What happens in this step, in words.
        digraph (graphviz.Digraph): The frame as a ``graphviz.Digraph``, like the one :func:`draw_dot`
            returns (in Jupyter, it displays on its own).
    """

    node: Value | None
    grads: Mapping[Value, float]
    caption: str
    digraph: Digraph


class BackwardStepper:
    """A step-through of ``root.backward()``, one frame per node, for Jupyter and web pages.

    Frame 0 shows the graph before backward() starts, every gradient 0. Then each
    frame processes one value, in the order backward() does (reverse topological
    order, the output first): the value is highlighted in yellow, it passes
    ``local derivative * its grad`` into the grad of each child (highlighted in
    green, the arrows in orange), and a caption spells out the arithmetic. Gradients
    no value has contributed to yet are grey.

    The stepper replays backward() on its own copy of the gradients, starting from
    zero: it neither reads nor changes any ``.grad`` of your graph, so its last frame
    shows what ``root.backward()`` computes after zeroing the gradients.

    In Jupyter, and on a page built from a notebook (myst-nb, nbconvert), it displays
    as self-contained HTML: every frame rendered to SVG (by the Graphviz ``dot``
    program, when the stepper is first displayed) and a little JavaScript for the
    Prev / Next / Play buttons, the slider and the arrow keys. The page needs no
    kernel, no network and no other file, and several steppers on one page work
    independently. Where JavaScript does not run, the frames are shown one below
    the other.

    :func:`backward_stepper` makes one; it is the same as calling the class.

    Args:
        root: The value to backpropagate from, usually a loss or an output.
        rankdir: The direction of the arrows, as in :func:`draw_dot`.
        max_nodes: The largest number of values to show. Each value adds one frame
            of the whole graph to the page, so keep the graph small.

    Raises:
        TypeError: If ``root`` is not a :class:`~micrograd.engine.Value`.
        ValueError: If ``rankdir`` is not a direction, or the graph has more than
            ``max_nodes`` values.
        ImportError: If the ``graphviz`` Python package is not installed.

    Attributes:
        root (~micrograd.engine.Value): The value whose backward() is shown.
        order (list[~micrograd.engine.Value]): The values in the order backward() processes them
            (output first).
        steps (list[BackwardStep]): The frames: ``len(order) + 1`` of them.
    """

    def __init__(self, root: Value, rankdir: str = "LR", *, max_nodes: int = 50) -> None:
        self.root = root
        self.order: list[Value] = _trace(root, rankdir, max_nodes, "backward_stepper")[::-1]
        # Letters and digits only: Graphviz writes a "-" in an SVG id as "&#45;".
        self._token = _unique_id()
        self._svgs: list[str] | None = None
        total = len(self.order)
        for node in self.order:
            if node._prev and (not isinstance(node._local_grads, tuple) or not node._local_grads):
                raise ValueError(
                    f"backward_stepper() shows each operation's local derivatives, and the "
                    f"'{_visible(node._op)}' node (data={node.data!r}) has none: it was made the "
                    f"classic way, with a _backward function; give it local derivatives instead, "
                    f"Value(data, children, op, local_grads), to step through it"
                )

        # Replay backward() step by step: the same arithmetic in the same order (but for a value
        # that is both a weight and an input of one neuron, whose two terms backward() adds in turn).
        grads = dict.fromkeys(self.order, 0.0)
        reached: set[Value] = set()  # the values some gradient has flowed into
        states: list[tuple[Value | None, dict[Value, float], set[Value], str]] = [
            (None, dict(grads), set(), _first_caption(root))
        ]
        for k, node in enumerate(self.order, start=1):
            if node is root:
                grads[node] = 1.0
                reached.add(node)
            passed = []
            for child, local in zip(node._prev, cast("tuple[float, ...]", node._local_grads), strict=True):
                grads[child] += local * grads[node]
                reached.add(child)
                passed.append((child, local, grads[child]))
            caption = _step_caption(k, total, node, root, grads[node], passed)
            states.append((node, dict(grads), set(reached), caption))

        # Give each grad cell the width of its widest number over all frames, so that
        # the layout stays put and only the numbers change from frame to frame.
        widths = {
            v: max(_cell_width(f"grad {_format_number(state[1][v])}") for state in states) for v in self.order
        }
        topological = self.order[::-1]
        self.steps: list[BackwardStep] = []
        for k, (active, step_grads, step_reached, caption) in enumerate(states):
            highlight = {} if active is None else {active: _HIGHLIGHT}
            children = () if active is None else active._prev
            dot = _build_digraph(
                topological,
                rankdir,
                grads=step_grads,
                value_fill=highlight,
                op_fill=highlight,
                grad_fill=dict.fromkeys(children, _RECEIVING),
                grad_ink={v: _UNREACHED for v in topological if v not in step_reached},
                edge_color={(child, active): _FLOW for child in children if active is not None},
                grad_width=widths,
                graph_id=f"{self._token}_f{k}",
            )
            self.steps.append(BackwardStep(active, MappingProxyType(step_grads), caption, dot))

    def __repr__(self) -> str:
        return f"BackwardStepper(root={self.root!r}, frames={len(self.steps)})"

    def to_html(self) -> str:
        """Return the stepper as an HTML fragment: the frames, a little CSS and JavaScript.

        Each call uses fresh element ids, so one stepper can appear twice on a page.

        Raises:
            RuntimeError: If the Graphviz ``dot`` program is not installed (a
                ``graphviz.ExecutableNotFound`` whose message says how to install it).
        """
        if self._svgs is None:
            self._svgs = [
                _clean_svg(step.digraph.pipe(format="svg", encoding="utf-8")) for step in self.steps
            ]
        frames = "\n".join(
            f'<figure class="mg-frame"><div class="mg-frame-graph">{svg}</div>'
            f"<figcaption>{html.escape(step.caption)}</figcaption></figure>"
            for svg, step in zip(self._svgs, self.steps, strict=True)
        )
        last = len(self.steps) - 1
        fragment = (
            f'<div class="mg-stepper" id="{self._token}" tabindex="0" '
            f'aria-label="backward() step by step">\n'
            f"<style>{_asset('_stepper.css')}</style>\n"
            f'<div class="mg-controls" hidden>'
            f'<button type="button" data-action="first">« First</button>'
            f'<button type="button" data-action="prev">◀ Prev</button>'
            f'<button type="button" data-action="play">▶ Play</button>'
            f'<button type="button" data-action="next">Next ▶</button>'
            f'<button type="button" data-action="last">Last »</button>'
            f'<input type="range" min="0" max="{last}" value="0" step="1" aria-label="Step">'
            f'<span class="mg-counter" aria-live="polite"></span></div>\n'
            f'<div class="mg-key"><span class="mg-swatch" style="background:{_HIGHLIGHT}"></span> '
            f"passing its gradient on "
            f'<span class="mg-swatch" style="background:{_RECEIVING}"></span> receiving gradient</div>\n'
            f"{frames}\n"
            f'<script>({_asset("_stepper.js").strip()})(document.getElementById("{self._token}"));</script>\n'
            f"</div>"
        )
        return fragment.replace(self._token, _unique_id())

    def _repr_html_(self) -> str:
        return self.to_html()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the stepper to ``path`` as a standalone HTML page (UTF-8).

        Args:
            path: Where to write the page, for example ``"backward.html"``.

        Raises:
            RuntimeError: If the Graphviz ``dot`` program is not installed (a
                ``graphviz.ExecutableNotFound`` whose message says how to install it).
        """
        page = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light dark">\n'
            "<title>backward() step by step</title>\n</head>\n"
            '<body style="font-family: system-ui, sans-serif; margin: 1.5em;">\n'
            f"{self.to_html()}\n</body>\n</html>\n"
        )
        Path(path).write_text(page, encoding="utf-8")


def backward_stepper(root: Value, rankdir: str = "LR", *, max_nodes: int = 50) -> BackwardStepper:
    """Make a clickable step-through of ``root.backward()``: one frame per node.

    See :class:`BackwardStepper` for what the frames show. Nothing in your graph
    changes: the stepper computes the gradients on its own copy, from zero.

    Args:
        root: The value to backpropagate from, usually a loss or an output.
        rankdir: The direction of the arrows, as in :func:`draw_dot`.
        max_nodes: The largest number of values to show. Each value adds one frame
            of the whole graph to the page, so keep the graph small.

    Returns:
        A :class:`BackwardStepper`; make it the last expression of a notebook cell to
        display it, or call its :meth:`~BackwardStepper.save` to write an HTML page.

    Raises:
        TypeError: If ``root`` is not a :class:`~micrograd.engine.Value`.
        ValueError: If ``rankdir`` is not a direction, or the graph has more than
            ``max_nodes`` values.
        ImportError: If the ``graphviz`` Python package is not installed.

    Example:
        >>> from micrograd import Value
        >>> x = Value(3.0, label="x")
        >>> y = x * x + 1
        >>> y.label = "y"
        >>> stepper = backward_stepper(y)
        >>> len(stepper.steps)  # frame 0, then one per value: y, the constant 1, x*x, x
        5
        >>> [step.grads[x] for step in stepper.steps]  # x.grad fills in at step 3
        [0.0, 0.0, 0.0, 6.0, 6.0]
        >>> print(stepper.steps[3].caption)  # doctest: +NORMALIZE_WHITESPACE
        Step 3 of 4: the * node (9.0000) has grad 1.0000, now complete: every value
        computed from it has passed its share. Its operation '*' passes it to each
        input, times the local derivative: 'x'.grad += 3.0000 * 1.0000 → 3.0000;
        'x'.grad += 3.0000 * 1.0000 → 6.0000.
        >>> x.grad  # the graph itself is left alone
        0
    """
    return BackwardStepper(root, rankdir, max_nodes=max_nodes)


def _describe(v: Value) -> str:
    """How a caption names a value: its label, or what it is."""
    if v.label:
        return repr(_visible(str(v.label)))
    if v._prev:
        return f"the {_visible(v._op)} node ({_format_number(v.data)})"
    return f"the input {_format_number(v.data)}"


def _first_caption(root: Value) -> str:
    return (
        "Before backward(): the forward pass has computed every value's data, and every grad is 0. "
        "backward() "
        f"visits the values in reverse topological order, starting at the output {_describe(root)}."
    )


def _step_caption(
    k: int, total: int, node: Value, root: Value, grad: float, passed: list[tuple[Value, float, float]]
) -> str:
    name = _describe(node)
    if node is root:
        start = (
            f"Step {k} of {total}: {name} is the output, so its grad is 1 "
            f"(the derivative of a value with respect to itself)."
        )
    else:
        start = (
            f"Step {k} of {total}: {name} has grad {_format_number(grad)}, now complete: "
            f"every value computed from it has passed its share."
        )
    if not passed:
        return f"{start} It is a leaf, with no inputs: nothing to pass on."
    sums = "; ".join(
        f"{_describe(child)}.grad += {_format_number(local)} * {_format_number(grad)} → {_format_number(now)}"
        for child, local, now in passed
    )
    op = _visible(node._op)
    return f"{start} Its operation {op!r} passes it to each input, times the local derivative: {sums}."


# Helvetica's advance widths, in em (Liberation Sans, the usual stand-in, has the same).
_CHAR_WIDTHS = {".": 0.278, " ": 0.278, "-": 0.333, "+": 0.584, "e": 0.556, "g": 0.556, "r": 0.333}


def _cell_width(text: str) -> int:
    """A width in points that holds ``text`` in an 11 pt table cell, with room to spare."""
    em = sum(_CHAR_WIDTHS.get(ch, 0.556) for ch in text)
    # 15% extra in case Graphviz finds a wider font than Helvetica; 10 pt of padding and border.
    return math.ceil(em * 11 * 1.15 + 10)


def _clean_svg(svg: str) -> str:
    """The ``<svg>`` element alone: no XML prolog, comments, or tooltips naming DOT nodes.

    The image fills the width of the page but shrinks to no less than 3/4 of its natural
    size (the frame scrolls sideways instead), so the numbers stay readable.
    """
    svg = svg[svg.index("<svg") :]
    width = re.match(r'<svg width="([\d.]+)pt"', svg)
    if width:
        natural = float(width[1]) * 4 / 3  # points to CSS pixels
        style = f"width:100%;max-width:{natural:.0f}px;min-width:{0.75 * natural:.0f}px;height:auto"
        svg = svg.replace("<svg ", f'<svg style="{style}" ', 1)
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.DOTALL)
    return re.sub(r"<title>.*?</title>\n?", "", svg, flags=re.DOTALL)


def _unique_id() -> str:
    """An HTML id that no other stepper, on any page, will use."""
    return f"mgstepper{uuid.uuid4().hex}"


@functools.cache
def _asset(name: str) -> str:
    """The text of a file shipped next to this module (the stepper's CSS and JavaScript)."""
    return resources.files("micrograd").joinpath(name).read_text(encoding="utf-8")


# -- tracing --------------------------------------------------------------------------


def _trace(root: Value, rankdir: str, max_nodes: int, caller: str) -> list[Value]:
    """Every value in the graph of ``root``, children before parents, after checking the arguments."""
    if not isinstance(root, Value):
        raise TypeError(f"{caller}() needs a Value, got {root!r} ({type(root).__name__})")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"{caller}(): rankdir must be one of {', '.join(_RANKDIRS)}; got {rankdir!r}")
    # SupportsIndex rather than int, so that NumPy integers work too; a bool does not.
    if (
        isinstance(max_nodes, bool)
        or not isinstance(max_nodes, SupportsIndex)
        or operator.index(max_nodes) < 1
    ):
        raise ValueError(f"{caller}(): max_nodes must be a positive int, got {max_nodes!r}")
    max_nodes = operator.index(max_nodes)
    order = root._topological_order()
    if len(order) > max_nodes:
        raise ValueError(
            f"{caller}(): the graph has {len(order)} values, more than max_nodes={max_nodes}. "
            f"A drawing this large is slow to lay out and hard to read; draw a smaller part "
            f"of the computation, or pass max_nodes={len(order)} (or more) to draw it anyway."
        )
    return order


# -- building the Digraph -----------------------------------------------------------


def _build_digraph(
    order: list[Value],
    rankdir: str,
    *,
    grads: Mapping[Value, float] | None,
    value_fill: Mapping[Value, str] | None = None,
    grad_fill: Mapping[Value, str] | None = None,
    grad_ink: Mapping[Value, str] | None = None,
    op_fill: Mapping[Value, str] | None = None,
    edge_color: Mapping[tuple[Value, Value], str] | None = None,
    grad_width: Mapping[Value, int] | None = None,
    graph_id: str | None = None,
    name: str = "micrograd",
) -> Any:
    """The Digraph of the values in ``order`` (children first), styled per node.

    The optional mappings colour individual values (``value_fill``: the whole box,
    ``grad_fill``/``grad_ink``: the grad cell's background/text), operations (keyed by
    their result), and the arrows from a child into the operation of a parent (keyed
    by ``(child, parent)``). ``grad_width`` fixes the width in points of a value's
    grad cell, so that a layout does not move when only the gradients change. ``name`` is
    the graph's name, which Graphviz writes as the ``<title>`` of the SVG drawing.

    Values drawn with a ``value_fill`` get the SVG class ``mgactive``, with a
    ``grad_fill`` the class ``mgreceiving``, so that a page can find them.
    """
    digraph_class = _digraph_class()
    # The file name render() uses by default, however long the name.
    dot = digraph_class(name=name, filename="micrograd.gv")
    graph_attrs = {"rankdir": rankdir, "bgcolor": "transparent", "nodesep": "0.25", "ranksep": "0.4"}
    if graph_id is not None:
        # Graphviz prefixes the ids of the SVG elements with this, keeping them unique on a page.
        graph_attrs["id"] = graph_id
    dot.attr("graph", **graph_attrs)
    dot.attr("node", fontname=_FONT, fontsize="11", fontcolor=_INK, color=_LINE)
    dot.attr("edge", color=_EDGE, arrowsize="0.7")

    no_style: dict[Any, str] = {}
    value_fill = value_fill or no_style
    grad_fill = grad_fill or no_style
    grad_ink = grad_ink or no_style
    op_fill = op_fill or no_style
    edge_color = edge_color or no_style
    widths = grad_width or {}

    index = {v: i for i, v in enumerate(order)}
    # Arrows leave a box from the middle of the side that faces its operation.
    tailport = _TAILPORTS[rankdir]
    for i, v in enumerate(order):
        cells = []
        if v.label:
            cells.append(f"<TD><B>{_escape(str(v.label))}</B></TD>")
        cells.append(f"<TD>data {_format_number(v.data)}</TD>")
        if grads is not None:
            attrs = ""
            if v in grad_fill:
                attrs += f' BGCOLOR="{grad_fill[v]}"'
            if v in widths:
                attrs += f' WIDTH="{widths[v]}" HEIGHT="{_CELL_HEIGHT}" FIXEDSIZE="TRUE"'
            text = f"grad {_format_number(grads[v])}"
            if v in grad_ink:
                text = f'<FONT COLOR="{grad_ink[v]}">{text}</FONT>'
            cells.append(f"<TD{attrs}>{text}</TD>")
        table = (
            f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
            f'COLOR="{_LINE}" BGCOLOR="{value_fill.get(v, _PAPER)}"><TR>{"".join(cells)}</TR></TABLE>'
        )
        marks = {}
        if v in value_fill or v in grad_fill:
            marks["class"] = "mgactive" if v in value_fill else "mgreceiving"
        dot.node(f"v{i}", label=f"<{table}>", shape="none", margin="0", width="0", height="0", **marks)
        if v._prev:
            dot.node(
                f"v{i}op",
                label=f"<{_escape(v._op)}>",
                shape="ellipse",
                style="filled",
                fillcolor=op_fill.get(v, _OP_FILL),
                fontsize="10",
                width="0",
                height="0",
                margin="0.06,0.03",
                **({"class": "mgactive"} if v in op_fill else {}),
            )
            dot.edge(f"v{i}op", f"v{i}")
            for child in v._prev:
                color = edge_color.get((child, v))
                style = {} if color is None else {"color": color, "penwidth": "2.2"}
                dot.edge(f"v{index[child]}", f"v{i}op", tailport=tailport, **style)
    return dot


def _summary(order: list[Value], grads: Mapping[Value, float] | None) -> str:
    """The drawing of ``order`` (children first, the root last) in one sentence: what a
    reader who cannot see it needs to know, for the ``<title>`` of the SVG."""
    root = order[-1]
    ops = sorted({v._op for v in order if v._prev and v._op.isprintable() and not set(v._op) & set('\\"<>&')})
    inputs = [v for v in order if not v._prev]
    names = [_plain_label(v) for v in inputs]
    if len(names) > 6:
        names = [*names[:6], f"and {len(names) - 6} more"]
    output = _format_number(root.data)
    if root.label:
        output = f"{_plain_label(root)} = {output}"
    if grads is not None:
        output += f" (grad {_format_number(grads[root])})"
    values = "1 value" if len(order) == 1 else f"{len(order)} values"
    operations = f", {sum(1 for v in order if v._prev)} operations ({', '.join(ops)})" if ops else ""
    inputs_text = "input" if len(inputs) == 1 else "inputs"
    cells = ["label"] if any(v.label for v in order) else []
    cells += ["data", "grad"] if grads is not None else ["data"]
    return (
        f"Computation graph of {output}: {values}{operations}; {inputs_text} {', '.join(names)}. "
        f"Each box shows a value's {', '.join(cells)}."
    )


def _plain_label(v: Value) -> str:
    """How the summary names a value: its label if it is plain printable text, else its data."""
    label = str(v.label)
    if v.label and label.isprintable() and not set(label) & set('\\"<>&'):
        return label
    return _format_number(v.data)


# Height in points of a table row with 11 pt text and 4 pt padding, used with a fixed width.
_CELL_HEIGHT = 23


def _format_number(x: float) -> str:
    """``x`` with four decimals, or in scientific notation when that would hide it."""
    if x == 0:
        return "0.0000"  # also for -0.0, whose sign means nothing to a reader here
    if 1e-4 <= abs(x) < 1e6:
        return f"{x:.4f}"
    return f"{x:.3e}"


def _escape(text: str) -> str:
    """``text`` as the content of a Graphviz HTML-like label, shown literally.

    Markup characters become entities, after :func:`_visible`; backslashes are doubled
    because Graphviz expands ``\\N``, ``\\G``, ... even inside HTML labels.
    """
    return html.escape(_visible(text), quote=True).replace("\\", "\\\\")


# Longer labels are cut: nobody reads them in a drawing, and Graphviz fails on a label
# of more than about 16,000 characters.
_MAX_LABEL = 200


def _visible(text: str) -> str:
    """``text`` as it can be shown and saved: short, and without invisible characters.

    Control characters, lone surrogates (which cannot be encoded as UTF-8) and
    noncharacters such as U+FFFE (which make ``dot`` fail) are shown as Python escapes
    such as ``\\n``; a text longer than ``_MAX_LABEL`` characters is cut, saying how much.
    """
    if len(text) > _MAX_LABEL:
        text = f"{text[:_MAX_LABEL]}… ({len(text) - _MAX_LABEL:,} more characters)"
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Cs", "Cn") else ch for ch in text)


# -- the graphviz package, imported only when needed -----------------------------------


def _import_graphviz() -> Any:
    try:
        import graphviz  # untyped: see the TYPE_CHECKING import above
    except ImportError as err:
        raise ImportError(_INSTALL_GRAPHVIZ_PACKAGE) from err
    return graphviz


@functools.cache
def _digraph_class() -> Any:
    """A subclass of ``graphviz.Digraph`` whose errors say how to install ``dot``.

    Jupyter renders a drawing only when it displays it, long after :func:`draw_dot`
    returned, so the check for ``dot`` has to live in the rendering methods.
    """
    graphviz = _import_graphviz()

    class Digraph(graphviz.Digraph):  # type: ignore[misc,name-defined]  # an untyped base
        """A ``graphviz.Digraph`` that explains how to install a missing ``dot``."""

        def pipe(self, *args: Any, **kwargs: Any) -> Any:
            with _explain_missing_dot(graphviz):
                return super().pipe(*args, **kwargs)

        def render(self, *args: Any, **kwargs: Any) -> Any:
            with _explain_missing_dot(graphviz):
                return super().render(*args, **kwargs)

    Digraph.__module__ = __name__
    Digraph.__qualname__ = "Digraph"
    return Digraph


@contextmanager
def _explain_missing_dot(graphviz: Any) -> Iterator[None]:
    try:
        yield
    except graphviz.ExecutableNotFound as err:
        # Keep the exception type that graphviz users catch, with a message that helps.
        better = graphviz.ExecutableNotFound(["dot"])
        better.args = (_INSTALL_DOT,)
        raise better from err
