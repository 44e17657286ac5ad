"""Playgrounds placed in a page: ``{playground} neuron``, ``expression`` or ``training``.

A page places a playground with one line of MyST::

    ```{playground} neuron
    ```

The directive writes a small placeholder (a heading-free box with a sentence saying what
the playground does and a Start button) and adds two small files to that page only:
``static/playgrounds/playground.js`` (the loader) and ``playground.css``. Nothing else is
downloaded until the reader presses Start: then the loader imports the playground's own
module (``neuron.mjs``, ``expression.mjs``, ``training.mjs``), which draws its controls and
starts Python (the in-browser runner's session, ``static/runner/session.mjs``). Every number
a playground shows comes from micrograd running in the browser, through the Python modules
beside them (``static/playgrounds/*.py``), or, for the neuron before Python has loaded, from
the frames the ``playground_frames`` extension computed with micrograd at build time.

The loader's ``<script>`` tag carries the URLs of Pyodide, viz.js and micrograd's wheel
(from the runner extension) in ``data-`` attributes, as runner.js's does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from runner import browser_urls
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxTranslator
from static_folders import serve

#: Each playground, and the sentence its placeholder shows before Start.
PLAYGROUNDS = {
    "neuron": (
        "The neuron playground: move the inputs, weights and bias of a neuron and watch every value "
        "and gradient of its graph change, then step through backward() one node at a time."
    ),
    "expression": (
        "Your expression, stepped: type an expression over named values, see its graph, and step "
        "through backward() one node at a time."
    ),
    "training": (
        "The training playground: choose a data set, a network, a loss and an optimizer, and watch "
        "micrograd train it, with the decision boundary and the loss drawn as it learns."
    ),
}


class playground(nodes.General, nodes.Element):
    """A playground's placeholder; the loader turns it into the playground on Start."""


class PlaygroundDirective(SphinxDirective):
    """``{playground} NAME``: one of :data:`PLAYGROUNDS`."""

    required_arguments = 1
    #: ``:setup:`` (training only): the starting setup as a query string, such as
    #: ``dataset=xor&hidden=4``; the page's URL overrides it, and Python checks both.
    option_spec: ClassVar[dict[str, Any]] = {"setup": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in PLAYGROUNDS:
            raise self.error(f"unknown playground {name!r}; choose one of {', '.join(PLAYGROUNDS)}")
        if "setup" in self.options and name != "training":
            raise self.error(":setup: is an option of the training playground only")
        node = playground(kind=name, setup=self.options.get("setup", ""))
        self.set_source_info(node)
        node += nodes.paragraph("", PLAYGROUNDS[name], classes=["mg-pg-intro"])
        return [node]


def _visit(self: SphinxTranslator, node: playground) -> None:
    label = {
        "neuron": "Neuron playground",
        "expression": "Expression stepper",
        "training": "Training playground",
    }
    attributes = {"data-playground": node["kind"], "role": "region", "aria-label": label[node["kind"]]}
    if node["setup"]:
        attributes["data-setup"] = node["setup"]
    self.body.append(self.starttag(node, "div", CLASS="mg-playground", **attributes))


def _depart(self: SphinxTranslator, node: playground) -> None:
    self.body.append("</div>\n")


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    if doctree is None or not any(True for _ in doctree.findall(playground)):
        return
    app.add_css_file("playgrounds/playground.css")
    urls = browser_urls()
    app.add_js_file(
        "playgrounds/playground.js",
        type="module",
        **{f"data-{key}": value for key, value in urls.items()},
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("runner")
    app.add_node(playground, html=(_visit, _depart))
    app.add_directive("playground", PlaygroundDirective)
    serve(app, "playgrounds")  # the loader, the playgrounds' modules and their Python
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
