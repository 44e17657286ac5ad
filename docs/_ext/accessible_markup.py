"""Repairs to the HTML that Sphinx, furo and myst-nb write, where axe-core finds a reader
left out, and keyboard access to everything that scrolls.

- Sphinx writes a toctree's caption (the sidebar's "Tutorials", "How-to guides", ...) as
  ``<p class="caption" role="heading">`` without the ``aria-level`` a heading needs: it
  gets level 2.
- furo's two ``<aside>`` landmarks (the site's navigation, the page's contents) have no
  names, which a screen reader needs to tell them apart; and the icons above a page's title
  (its source, downloads, the theme) and its "Back to top" link sit outside every landmark,
  where a screen reader's list of regions misses them: they get a named region, and a
  ``<nav>``.
- myst-nb names the summary of a hidden cell "Toggle hidden content", which is not the
  text it shows ("Show code cell source", "Show solution"); voice control users say what
  they see, so the summary is named by its text instead.
- ``static/accessible_markup/scroll_regions.js``: a code block, output, graph or formula wider than
  the screen scrolls sideways; it is made focusable (``tabindex="0"``) so the arrow keys
  can scroll it too.
- ``static/accessible_markup/drawers.js``: on a narrow screen, furo's drawers (the site's
  navigation, the page's contents) open from icons the keyboard cannot reach, while the
  closed drawers' links stay in the Tab order off the screen. The icons become buttons, and
  ``micrograd.css`` hides a closed drawer.
- ``static/accessible_markup/sidebar_expanders.js``: the arrows that open and close a
  section of furo's navigation tree ("Tutorials", "How-to guides", ...) are labels of hidden
  checkboxes, which the keyboard cannot reach either: they become buttons too, named for the
  section, with ``aria-expanded``.

The rewrites run over the written pages when the build has finished, so they apply to
every page and the sidebar alike, and are each a plain string replacement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from static_folders import serve

#: (what Sphinx, furo or myst-nb writes, what the page gets instead). An incremental build
#: rewrites the pages it did not write again, so no replacement may contain what it replaces.
REWRITES = (
    ('<p class="caption" role="heading">', '<p class="caption" role="heading" aria-level="2">'),
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    ('<aside class="sidebar-drawer', '<aside aria-label="Site navigation" class="sidebar-drawer'),
    ('<aside class="toc-drawer', '<aside aria-label="On this page" class="toc-drawer'),
    (
        '<div class="content-icon-container">',
        '<div class="content-icon-container" role="region" aria-label="Page tools">',
    ),
    (
        '<a href="#" class="back-to-top muted-link">',
        '<nav aria-label="Back to top"><a class="back-to-top muted-link" href="#">',
    ),
    ("<span>Back to top</span>\n        </a>", "<span>Back to top</span></a></nav>"),
)


def rewrite(page: str) -> str:
    """``page`` with every rewrite applied."""
    for old, new in REWRITES:
        page = page.replace(old, new)
    return page


def _rewrite_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        if path.relative_to(app.outdir).parts[0] == "_static":
            continue
        page = path.read_text(encoding="utf-8")
        fixed = rewrite(page)
        if fixed != page:
            path.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    serve(app, "accessible_markup")
    app.connect("build-finished", _rewrite_pages)
    app.add_js_file("accessible_markup/scroll_regions.js", type="module")
    app.add_js_file("accessible_markup/drawers.js", type="module")
    app.add_js_file("accessible_markup/sidebar_expanders.js", type="module")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
