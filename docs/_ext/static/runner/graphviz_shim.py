"""A stand-in for the ``graphviz`` package inside the in-browser runner (Pyodide).

The ``graphviz`` package from PyPI writes DOT text and runs the Graphviz ``dot`` program
to lay it out. A browser has no ``dot`` program, so the runner's worker installs this
module under the name ``graphviz`` instead: it writes the same DOT text as the real
package for what micrograd and the pages use (``Digraph``: ``attr``, ``node``, ``edge``,
``source``), and hands it for drawing to a function the worker registers with
:func:`set_renderer`, which calls Graphviz compiled to WebAssembly (npm ``@viz-js/viz``).
Only SVG can be drawn that way; other formats say so.

micrograd itself is unchanged: its ``draw_dot`` subclasses whatever ``graphviz.Digraph``
it imports. ``tests/test_runner_graphviz_shim.py`` checks that this module's DOT text is
the real package's, character for character.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["CalledProcessError", "Digraph", "ExecutableNotFound", "Graph", "Source", "set_renderer"]

_renderer: Callable[[str, str], str] | None = None


def set_renderer(render: Callable[[str, str], str] | None) -> None:
    """Register ``render(dot_source, engine) -> svg_text``, the browser's Graphviz."""
    global _renderer
    _renderer = render


class ExecutableNotFound(RuntimeError):
    """Raised when a drawing is asked for and there is no Graphviz to draw it."""

    def __init__(self, args: Iterable[str] = ("dot",)) -> None:
        super().__init__(
            "Graphviz is not available here: the in-browser runner draws graphs with "
            "Graphviz compiled to WebAssembly, which this page has not loaded."
        )


class CalledProcessError(subprocess.CalledProcessError):
    """Raised when Graphviz cannot draw the DOT text, as the real package raises it when
    ``dot`` fails; the message is Graphviz's own."""

    def __init__(self, message: str) -> None:
        super().__init__(1, ["dot", "-Tsvg"], stderr=message)

    def __str__(self) -> str:
        return f"Graphviz could not draw the graph: {self.stderr}"


# A DOT identifier that needs no quotes: a name, or a number.
_PLAIN_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$")
_HTML_LABEL = re.compile(r"<.*>$", re.DOTALL)
_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}
# A double quote, with any backslashes before it: pairs of backslashes stay, and a quote
# that is already escaped is kept as it is.
_QUOTE = re.compile(r'(?P<pairs>(?:\\{2})*)\\?"')


def _id(text: Any) -> str:
    """``text`` as a DOT identifier: HTML-like labels as they are, others quoted if needed."""
    text = str(text)
    if _HTML_LABEL.match(text):
        return text
    if _PLAIN_ID.match(text) and text.lower() not in _KEYWORDS:
        return text
    return '"' + _QUOTE.sub(lambda m: m["pairs"] + '\\"', text) + '"'


def _endpoint(name: str) -> str:
    """An edge's end, ``node[:port[:compass]]``, each part quoted on its own."""
    node, _, rest = name.partition(":")
    if not rest:
        return _id(node)
    port, _, compass = rest.partition(":")
    return ":".join([_id(node), _id(port), *([compass] if compass else [])])


def _pairs(mapping: Mapping[str, Any] | None) -> list[str]:
    # The real package sorts a plain dict's attributes (keyword arguments) by name.
    if not mapping:
        return []
    items = sorted(mapping.items()) if type(mapping) is dict else list(mapping.items())
    return [f"{_id(k)}={_id(v)}" for k, v in items if v is not None]


def _attr_list(label: str | None, attrs: Mapping[str, Any] | None, extra: Mapping[str, Any] | None) -> str:
    parts = ([f"label={_id(label)}"] if label is not None else []) + _pairs(attrs) + _pairs(extra)
    return f" [{' '.join(parts)}]" if parts else ""


class Digraph:
    """A directed graph that writes DOT text: the part of ``graphviz.Digraph`` micrograd uses."""

    _keyword = "digraph"
    _arrow = "->"

    def __init__(
        self,
        name: str | None = None,
        comment: str | None = None,
        filename: str | None = None,
        directory: str | os.PathLike[str] = "",
        format: str | None = None,
        engine: str | None = None,
        encoding: str = "utf-8",
        graph_attr: Mapping[str, Any] | None = None,
        node_attr: Mapping[str, Any] | None = None,
        edge_attr: Mapping[str, Any] | None = None,
        body: Iterable[str] | None = None,
        strict: bool = False,
    ) -> None:
        self.name = name
        self.comment = comment
        self.filename = filename
        self.directory = directory
        self.format = format or "svg"
        self.engine = engine or "dot"
        self.encoding = encoding
        self.graph_attr = dict(graph_attr or {})
        self.node_attr = dict(node_attr or {})
        self.edge_attr = dict(edge_attr or {})
        self.body = list(body or [])
        self.strict = strict

    # -- building -----------------------------------------------------------------------

    def node(self, name: str, label: str | None = None, _attributes: Any = None, **attrs: Any) -> None:
        self.body.append(f"\t{_id(name)}{_attr_list(label, attrs, _attributes)}\n")

    def edge(
        self, tail_name: str, head_name: str, label: str | None = None, _attributes: Any = None, **attrs: Any
    ) -> None:
        line = f"\t{_endpoint(tail_name)} {self._arrow} {_endpoint(head_name)}"
        self.body.append(line + _attr_list(label, attrs, _attributes) + "\n")

    def edges(self, tail_head_iter: Iterable[tuple[str, str]]) -> None:
        for tail, head in tail_head_iter:
            self.edge(tail, head)

    def attr(self, kw: str | None = None, _attributes: Any = None, **attrs: Any) -> None:
        if kw is not None and kw.lower() not in ("graph", "node", "edge"):
            raise ValueError(f"attr statement must target graph, node, or edge: {kw!r}")
        if not (attrs or _attributes):
            return
        if kw is None:
            self.body.append(f"\t{' '.join(_pairs(attrs) + _pairs(_attributes))}\n")
        else:
            self.body.append(f"\t{kw}{_attr_list(None, attrs, _attributes)}\n")

    # -- the DOT text -------------------------------------------------------------------

    def __iter__(self) -> Any:
        if self.comment:
            yield f"// {self.comment}\n"
        head = f"{self._keyword} {_id(self.name) + ' ' if self.name else ''}{{\n"
        yield f"strict {head}" if self.strict else head
        for kw in ("graph", "node", "edge"):
            attrs = getattr(self, f"{kw}_attr")
            if attrs:
                yield f"\t{kw}{_attr_list(None, attrs, None)}\n"
        yield from self.body
        yield "}\n"

    @property
    def source(self) -> str:
        """The DOT text of the graph."""
        return "".join(self)

    def __str__(self) -> str:
        return self.source

    # -- drawing ------------------------------------------------------------------------

    def pipe(
        self,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: Any = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> Any:
        """The drawing as SVG text (``encoding`` given) or bytes; only SVG can be drawn here."""
        fmt = format or self.format
        if fmt != "svg":
            raise RuntimeError(
                f"format={fmt!r}: in the browser, graphs are drawn as SVG only (by Graphviz "
                "compiled to WebAssembly); other formats need the Graphviz dot program, "
                "on your own computer."
            )
        if _renderer is None:
            raise ExecutableNotFound()
        try:
            svg = _renderer(self.source, engine or self.engine)
        except Exception as error:  # viz.js's error for DOT it cannot draw
            raise CalledProcessError(str(error)) from error
        return svg if encoding is not None else svg.encode(self.encoding)

    def render(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        view: bool = False,
        cleanup: bool = False,
        format: str | None = None,
        **kwargs: Any,
    ) -> str:
        """Write the DOT text and its SVG drawing to files; return the drawing's path."""
        stem = os.fspath(filename if filename is not None else self.filename or "Digraph.gv")
        path = os.path.join(os.fspath(directory if directory is not None else self.directory), stem)
        fmt = format or self.format
        svg = self.pipe(format=fmt, encoding="utf-8")
        if not cleanup:
            with open(path, "w", encoding="utf-8") as gv:
                gv.write(self.source)
        with open(f"{path}.{fmt}", "w", encoding="utf-8") as out:
            out.write(svg)
        return f"{path}.{fmt}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        return {"image/svg+xml": self.pipe(format="svg", encoding="utf-8")}

    def _repr_image_svg_xml(self) -> str:
        return str(self.pipe(format="svg", encoding="utf-8"))


class Graph(Digraph):
    """An undirected graph: the same, with ``--`` edges."""

    _keyword = "graph"
    _arrow = "--"


class Source(Digraph):
    """DOT text written by hand (``graphviz.Source``), drawn as it is."""

    def __init__(
        self,
        source: str,
        filename: str | None = None,
        directory: str | os.PathLike[str] = "",
        format: str | None = None,
        engine: str | None = None,
        encoding: str = "utf-8",
    ) -> None:
        super().__init__(
            filename=filename, directory=directory, format=format, engine=engine, encoding=encoding
        )
        self._text = source

    def __iter__(self) -> Any:
        yield self._text
