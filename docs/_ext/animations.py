"""matplotlib animations (``FuncAnimation.to_jshtml()``) that work offline, on a phone and
for every reader.

matplotlib's HTML player loads its button icons from a web font on a CDN, gives its frame
no text alternative and its slider no name, and is a fixed 374 px wide. Each player a page
shows is rewritten here, so that a lesson can display ``animation.to_jshtml()`` as it is:

- the CDN stylesheet goes, and each icon becomes a text symbol (hidden from screen
  readers: the buttons keep matplotlib's names, "Play", "Next frame", ...);
- the slider is named "Frame", and the frame image gets the ``alt`` text that the cell's
  metadata gives (``mystnb: {image: {alt: ...}}``, as for any figure; without one the
  build fails);
- ``static/animations/animations.css`` lets the player shrink to a phone's width.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from static_folders import serve

logger = logging.getLogger(__name__)

#: Font Awesome 4 icon classes of matplotlib's player, and the text that replaces each.
ICONS = {
    "minus": "\u2212",
    "fast-backward": "|\u25c0\u25c0",
    "step-backward": "|\u25c0",
    "play fa-flip-horizontal": "\u25c0",
    "pause": "\u275a\u275a",
    "play": "\u25b6",
    "step-forward": "\u25b6|",
    "fast-forward": "\u25b6\u25b6|",
    "plus": "+",
}


def self_contained(player: str, alt: str) -> str:
    """The HTML of a matplotlib player with nothing loaded from elsewhere, text symbols for
    icons, a named slider and ``alt`` on its frame."""
    player = re.sub(r"<link[^>]*font-awesome[^>]*>\s*", "", player)
    for name, text in ICONS.items():
        player = player.replace(f'<i class="fa fa-{name}"></i>', f'<span aria-hidden="true">{text}</span>')
    player = re.sub(r'(<input id="_anim_slider\w+" type="range")', r'\1 aria-label="Frame"', player)
    return re.sub(r'(<img id="_anim_img\w+")', lambda m: f'{m[1]} alt="{_attribute(alt)}"', player)


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _rewrite_players(app: Sphinx, doctree: nodes.document) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split() or 'class="anim-controls"' not in raw.astext():
            continue
        alt = _cell_alt(raw)
        if not alt:
            logger.warning(
                "an animation has no text alternative: give its cell "
                "`mystnb: {image: {alt: ...}}` metadata saying what it shows",
                location=raw,
            )
        text = self_contained(raw.astext(), alt or "")
        raw.replace_self(nodes.raw(text, text, format="html"))


def _cell_alt(node: nodes.Node) -> str | None:
    parent = node.parent
    while parent is not None:
        metadata = parent.get("cell_metadata") if isinstance(parent, nodes.Element) else None
        if metadata is not None:
            alt = metadata.get("mystnb", {}).get("image", {}).get("alt")
            return str(alt) if alt else None
        parent = parent.parent
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    serve(app, "animations")
    app.connect("doctree-read", _rewrite_players)
    app.add_css_file("animations/animations.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
