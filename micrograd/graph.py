"""Drawings of a computation graph: :func:`draw_dot`, and a step-through of backward().

:func:`draw_dot` turns the graph behind a :class:`~micrograd.engine.Value` into a
``graphviz.Digraph``: one box per value showing its label, ``data`` and ``grad``,
one small ellipse per operation, and arrows from the inputs of an operation to its
result. In Jupyter the drawing appears inline as SVG.

Drawing needs two things that micrograd itself does not: the ``graphviz`` Python
package (``pip install "micrograd-learn[graphviz]"``) and the Graphviz ``dot`` program,
which lays out and renders the picture. Building a ``graphviz.Digraph`` needs only
the package; rendering it needs ``dot`` too.
"""

from __future__ import annotations

import functools
import html
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from micrograd.engine import Value

__all__ = ["draw_dot"]

INSTALL_GRAPHVIZ_PACKAGE = (
    "draw_dot() needs the graphviz Python package, which is an optional extra of micrograd. "
    'Install it with:  pip install "micrograd-learn[graphviz]"  (or: pip install graphviz)'
)

INSTALL_DOT = (
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
_FONT = "Helvetica,Arial,sans-serif"


def draw_dot(
    root: Value,
    rankdir: str = "LR",
    *,
    max_nodes: int = 5000,
    show_grad: bool = True,
    highlight: Iterable[Value] = (),
) -> Any:
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
        max_nodes: The largest number of values to draw.
        show_grad: Whether to show the ``grad`` of each value (``False`` is handy
            for a forward graph before :meth:`~micrograd.engine.Value.backward`).
        highlight: Values to draw with a yellow background.

    Returns:
        A ``graphviz.Digraph`` (a subclass of it, which explains how to install
        Graphviz if rendering fails because ``dot`` is missing). It displays as SVG
        in Jupyter; ``.source`` is the DOT text, ``.render(...)`` and ``.pipe(...)``
        save or return SVG, PNG, PDF, ...

    Raises:
        TypeError: If ``root`` is not a :class:`~micrograd.engine.Value`.
        ValueError: If ``rankdir`` is not one of the four directions, or the graph
            has more than ``max_nodes`` values.
        ImportError: If the ``graphviz`` Python package is not installed.

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
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot() needs a Value, got {root!r} ({type(root).__name__})")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"draw_dot(): rankdir must be one of {', '.join(_RANKDIRS)}; got {rankdir!r}")
    order = _trace(root, max_nodes, "draw_dot")
    grads = {v: v.grad for v in order} if show_grad else None
    fills = {v: _HIGHLIGHT for v in highlight}
    return _build_digraph(order, rankdir, grads=grads, value_fill=fills)


# -- tracing --------------------------------------------------------------------------


def _trace(root: Value, max_nodes: int, caller: str) -> list[Value]:
    """Every value in the graph of ``root``, children before parents, or a ValueError."""
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"{caller}(): max_nodes must be a positive int, got {max_nodes!r}")
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
) -> Any:
    """The Digraph of the values in ``order`` (children first), styled per node.

    The optional mappings colour individual values (``value_fill``: the whole box,
    ``grad_fill``/``grad_ink``: the grad cell's background/text), operations (keyed by
    their result), and the arrows from a child into the operation of a parent (keyed
    by ``(child, parent)``). ``grad_width`` fixes the width in points of a value's
    grad cell, so that a layout does not move when only the gradients change.
    """
    digraph_class = _digraph_class()
    dot = digraph_class(name="micrograd")
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
        dot.node(f"v{i}", label=f"<{table}>", shape="none", margin="0", width="0", height="0")
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
            )
            dot.edge(f"v{i}op", f"v{i}")
            for child in v._prev:
                color = edge_color.get((child, v))
                style = {} if color is None else {"color": color, "penwidth": "2.2"}
                dot.edge(f"v{index[child]}", f"v{i}op", tailport=tailport, **style)
    return dot


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

    Markup characters become entities; control characters (and lone surrogates, which
    cannot be encoded) are shown as Python escapes such as ``\\n``; backslashes are
    doubled because Graphviz expands ``\\N``, ``\\G``, ... even inside HTML labels.
    """
    visible = "".join(repr(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)
    return html.escape(visible, quote=True).replace("\\", "\\\\")


# -- the graphviz package, imported only when needed -----------------------------------


def _import_graphviz() -> Any:
    try:
        import graphviz  # type: ignore[import-untyped]  # graphviz ships no type hints
    except ImportError as err:
        raise ImportError(INSTALL_GRAPHVIZ_PACKAGE) from err
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
        better.args = (INSTALL_DOT,)
        raise better from err
