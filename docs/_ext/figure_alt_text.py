"""Every figure a page draws has a text alternative, and its graphs stay readable on a phone.

A reader who cannot see a figure hears its ``alt`` text instead, so every image a notebook
cell outputs needs one:

- a computation graph from :func:`micrograd.graph.draw_dot` describes itself: the package
  writes one sentence about the graph (its output, how many values and operations, its
  inputs) as the ``<title>`` of the SVG, and that sentence becomes the image's ``alt``;
- a matplotlib plot describes itself too: the build's kernels save each figure's title,
  axes and legend as the PNG's ``Description`` (see ``build_kernels.py``);
- a cell can say better what its figure shows, in its metadata, and that comes first::

      ```{code-cell} ipython3
      ---
      mystnb:
        image:
          alt: "Line plot of the training loss (log scale) against the step: ..."
      ---

An image with no text alternative at all fails the build, naming the page and the line.

Graphs are drawn in Graphviz points with 10-11 pt text. Shrunk to the width of a phone
(about 350 CSS px) a wide graph's text would be 4-5 px, so each SVG image records the width
at which its smallest text is still 9.5 CSS px (``micrograd.css`` holds it at that width on
narrow screens and lets the output scroll sideways; on a desktop it fits the column).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

#: The smallest text a graph may show on a narrow screen, in CSS px.
READABLE_PX = 9.5

#: Graphviz's name for a graph that has none; not a description.
_UNNAMED = {"", "%3", "G", "micrograd"}


def svg_summary(svg: str) -> str | None:
    """The description an SVG drawing gives of itself (the ``<title>`` of its graph), or None."""
    match = re.search(r'<g id="graph0" class="graph"[^>]*>\s*<title>(.*?)</title>', svg, flags=re.DOTALL)
    if match is None:
        return None
    title = html.unescape(match[1]).strip()
    return None if title in _UNNAMED else title


def png_description(path: Path) -> str | None:
    """The ``Description`` text a PNG carries (matplotlib writes it from ``metadata=``), or None."""
    if path.suffix.lower() != ".png":
        return None
    from PIL import Image  # Pillow comes with matplotlib, which draws every PNG of the site

    with Image.open(path) as image:
        text = getattr(image, "text", {}).get("Description")
    return str(text).strip() or None if text else None


def readable_width(svg: str) -> float | None:
    """The width in CSS px at which the smallest text of an SVG is ``READABLE_PX``, or its
    natural width if that is narrower; None if the SVG has no text or no size in points."""
    width = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    view_box = re.search(r'<svg[^>]*\sviewBox="[\d.-]+ [\d.-]+ ([\d.]+) [\d.]+"', svg)
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    if width is None or view_box is None or not sizes:
        return None
    natural = float(width[1]) * 4 / 3  # points to CSS px
    # Shown `w` px wide, text of `size` user units is size * w / view_box px.
    return min(natural, READABLE_PX * float(view_box[1]) / min(sizes))


def _describe_figures(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        uri = image["uri"]
        # A cell's output, or one glued elsewhere (the landing page): myst-nb writes both here.
        if not _is_cell_output(image) and "jupyter_execute/" not in uri:
            continue
        if image.get("alt", "").endswith(Path(uri).name):
            del image["alt"]  # myst-nb's glue puts the file name there, which says nothing
        svg = None
        if uri.lower().endswith(".svg"):
            # Sphinx's image collector (priority 500) has made the URI relative to the source folder.
            svg = (Path(app.srcdir) / uri).read_text(encoding="utf-8")
            width = readable_width(svg)
            if width is not None:
                image["classes"].append("mg-graph")
                image["mg_readable_width"] = round(width)
                if not _is_cell_output(image):
                    _scroll_on_its_own(image)
        if not image.get("alt"):
            summary = svg_summary(svg) if svg is not None else png_description(Path(app.srcdir) / uri)
            if summary:
                image["alt"] = summary
            else:
                logger.warning(
                    "a figure of this cell has no text alternative: give the cell "
                    "`mystnb: {image: {alt: ...}}` metadata saying what the figure shows",
                    location=image,
                )


def _scroll_on_its_own(image: nodes.image) -> None:
    """Put a glued graph in a block of its own, which scrolls sideways when the graph is wider.

    A cell's output has such a block already; a glued graph stands in the page's section, and
    a section that scrolls sideways is laid out beside the page's floated top-of-page buttons
    for its whole height: on a phone, the landing page's text was half the screen wide.
    """
    block = nodes.container(classes=["mg-graph-scroll"])
    image.replace_self(block)
    block.append(image)


def _is_cell_output(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if "cell_output" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


class ReadableGraphsTranslator(HTML5Translator):
    """Sphinx's HTML writer, plus each graph's readable width as a CSS variable on its ``<img>``."""

    def visit_image(self, node: nodes.image) -> None:
        super().visit_image(node)
        width = node.get("mg_readable_width")
        if width is not None and self.body[-1].lstrip().startswith("<img "):
            self.body[-1] = self.body[-1].replace("<img ", f'<img style="--mg-readable-width: {width}px" ', 1)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _describe_figures, priority=600)
    app.set_translator("html", ReadableGraphsTranslator)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
