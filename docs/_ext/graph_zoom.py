"""Every computation graph opens full size on a tap or a click: readable on a phone.

On a phone a wide graph is kept at the width where its text is still readable and scrolls
sideways (``figure_alt_text.py``); to see the whole of it, or zoom in on one part, the reader
opens it full size. ``static/graph_zoom/full_size.mjs`` makes a graph's image a button that
opens a full-screen view: the drawing at its natural size, scrolling both ways, zoomed with two
fingers or with Zoom in and Zoom out, closed with Esc or Close, after which the focus is back
on the graph. A sentence under a page's first graph says that graphs open full size and
scroll sideways.

``static/graph_zoom/graph_zoom.js`` does that for each graph the build drew (an image with the
class ``mg-graph``); it and its stylesheet are added only to pages that show one. The
in-browser runner imports ``full_size.mjs`` for the graphs it draws after a Run, and for the
blame drawings of the exercise checkers' reports (``static/runner/outputs.mjs``).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from static_folders import serve


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    if doctree is not None and any("mg-graph" in image["classes"] for image in doctree.findall(nodes.image)):
        app.add_js_file("graph_zoom/graph_zoom.js", type="module")
        app.add_css_file("graph_zoom/graph_zoom.css")


def setup(app: Sphinx) -> dict[str, Any]:
    serve(app, "graph_zoom")
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
