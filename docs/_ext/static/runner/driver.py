"""The Python side of the in-browser runner: run one cell, report its outputs as Jupyter would.

``worker.mjs`` installs this module in Pyodide and calls :func:`run_cell` for each cell. Every
output goes to the page through ``_mg_browser.emit(cell, json)`` (a JavaScript function the
worker registers), as one of the kinds listed in worker.mjs. Like a notebook: the cells of a
session share one namespace; a cell's last expression, if not None, is shown; printed text
arrives as it is printed; a traceback shows only the frames of the reader's cells and of
micrograd, not this module's.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import linecache
import os
import pprint
import sys
import time
import traceback
from typing import Any

import graphviz  # the runner's stand-in (graphviz_shim.py), drawing with Graphviz in WebAssembly
from _mg_browser import emit, render_svg  # type: ignore[import-not-found]  # registered by worker.mjs

graphviz.set_renderer(lambda source, engine: str(render_svg(source, engine)))
os.environ.setdefault("MPLBACKEND", "Agg")  # no screen in a worker: figures are sent as PNG

namespace: dict[str, Any] = {"__name__": "__main__"}


class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr: text goes to the page about ten times a second, and in full."""

    def __init__(self, name: str, cell: Any) -> None:
        self.name, self.cell, self.pending, self.last = name, cell, "", time.monotonic()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        if time.monotonic() - self.last > 0.1:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            emit(self.cell, json.dumps({"kind": "stream", "name": self.name, "text": self.pending}))
            self.pending = ""
        self.last = time.monotonic()


def _send(cell: Any, output: dict[str, Any]) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    emit(cell, json.dumps(output))


def _display(cell: Any, value: Any) -> None:
    """Show a value as Jupyter would: its richest representation the page can show."""
    bundle = getattr(value, "_repr_mimebundle_", None)
    if callable(bundle):
        data = bundle() or {}
        if "text/html" in data:
            return _send(cell, {"kind": "html", "html": data["text/html"]})
        if "image/svg+xml" in data:
            return _send(cell, {"kind": "svg", "svg": data["image/svg+xml"]})
    for method, kind in (("_repr_html_", "html"), ("_repr_svg_", "svg")):
        represent = getattr(value, method, None)
        if callable(represent) and not isinstance(value, type):
            shown = represent()
            if shown is not None:
                return _send(cell, {"kind": kind, kind: shown, **_checked(value)})
    # Containers wrap at 79 columns as IPython wraps them; a string is shown whole, as IPython does.
    text = repr(value) if isinstance(value, str) else pprint.pformat(value, width=79, sort_dicts=False)
    _send(cell, {"kind": "text", "text": text})


def _checked(value: Any) -> dict[str, bool]:
    """For a report of micrograd's checkers, whether its checks passed (the cell's status says
    so beside the report); nothing for any other value."""
    kind = type(value)
    if kind.__module__.startswith("micrograd.exercises") and kind.__name__ == "Report":
        return {"passed": bool(value.passed)}
    return {}


def _send_figures(cell: Any) -> None:
    """Each open matplotlib figure as a PNG, then closed (as the inline backend does)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    for number in pyplot.get_fignums():
        buffer = io.BytesIO()
        pyplot.figure(number).savefig(buffer, format="png", bbox_inches="tight")
        _send(cell, {"kind": "png", "data": base64.b64encode(buffer.getvalue()).decode("ascii")})
    pyplot.close("all")


def _short_traceback(error: BaseException) -> str:
    """The traceback without this module's frame: the reader's cells and the code they called."""
    summary = traceback.TracebackException.from_exception(error)
    frames = [f for f in summary.stack if f.filename != __file__]
    summary.stack = traceback.StackSummary.from_list(frames)
    return "".join(summary.format())


def run_cell(code: str, cell: Any) -> bool:
    """Run ``code`` in the session's namespace; return False if it raised."""
    filename = f"<cell {cell}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream("stdout", cell), _Stream("stderr", cell)
    try:
        try:
            tree = ast.parse(code, filename)
        except SyntaxError as error:  # the cell ran nothing: its line and caret, not the parser's frames
            raise error.with_traceback(None) from None
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, filename, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
            if value is not None:
                _display(cell, value)
        _send_figures(cell)
        return True
    except BaseException as error:  # a cell's SystemExit or KeyboardInterrupt is its output too
        _send(cell, {"kind": "error", "ename": type(error).__name__, "evalue": str(error),
                     "traceback": _short_traceback(error)})  # fmt: skip
        return False
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = old
