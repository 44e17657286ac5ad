"""Each notebook page says, first thing after its title, what its code needs besides micrograd.

A reader who copies a page's code into a script or a notebook of their own needs the
packages it imports, and nothing on the page used to say which. Each notebook page now
names them in its front matter, as pip names:

.. code-block:: yaml

    requires: [matplotlib, numpy]   # or [] for a page that needs only micrograd

and this extension renders that list as a note with the exact install command, placed
right after the page's title (or where a ``{page-requirements}`` directive stands, for a
page whose top is not the place for it, such as the landing page). The same field is what
``tests/test_pages_as_scripts.py`` installs, in a fresh environment, before it runs the
page's code as one script: the words and the test come from one source.

PyTorch is installed from its CPU index (much smaller than the default build, and all the
pages need); graphviz also needs the Graphviz program, which pip cannot install, so the note
points to the Installation page. A notebook page without the field, or with a malformed
one, is a build warning (an error under ``-W``).
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The front-matter field that lists the packages a page's code needs.
FIELD = "requires"

#: PyTorch's CPU-only wheels: the pages need no GPU, and the default build is several GB.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def install_commands(requires: list[str]) -> list[str]:
    """The pip commands that install ``requires``: one for PyPI, one for PyTorch's CPU build.

    Args:
        requires: pip names of the packages a page needs besides micrograd.

    Returns:
        Zero, one or two shell commands.
    """
    from_pypi = [name for name in requires if name != "torch"]
    commands = []
    if from_pypi:
        commands.append("python -m pip install " + " ".join(from_pypi))
    if "torch" in requires:
        commands.append(f"python -m pip install torch --index-url {TORCH_CPU_INDEX}")
    return commands


def parse_requires(value: Any) -> list[str]:
    """The ``requires`` field as a list of pip names, or ValueError saying what is wrong with it.

    Args:
        value: the field as front matter gives it: a list, or the JSON text of one (myst-parser
            stores non-string front-matter values as JSON in the page's metadata).

    Returns:
        The names, in the order given.

    Raises:
        ValueError: the field is not a list of distinct names, or not sorted.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError(f"{FIELD} must be a list of pip names, got {value!r}") from None
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise ValueError(f"{FIELD} must be a list of pip names, got {value!r}")
    if value != sorted(set(value), key=str.lower):
        raise ValueError(f"{FIELD} must list each name once, sorted: got {value}")
    return value


class page_requirements_here(nodes.General, nodes.Element):
    """Where the note goes on a page that does not want it right after the title."""


class PageRequirementsDirective(Directive):
    """``{page-requirements}``: put this page's note here instead of after the title."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [page_requirements_here()]


def _doc_link(docname: str, target: str, text: str) -> addnodes.pending_xref:
    link = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=target, refexplicit=True, refdoc=docname
    )
    link += nodes.inline(text, text)
    return link


def _note(docname: str, requires: list[str]) -> nodes.admonition:
    """The note: what the page needs, and the commands that install it."""
    note = nodes.admonition(classes=["note", "micrograd-requires"])
    note += nodes.title("This page needs", "This page needs")
    intro = nodes.paragraph()
    if not requires:
        intro += nodes.Text("Nothing beyond micrograd: the code on this page uses only micrograd and ")
        intro += nodes.Text("Python's standard library.")
        note += intro
        return note
    intro += nodes.Text("micrograd, plus ")
    for i, name in enumerate(requires):
        if i:
            intro += nodes.Text(", " if i < len(requires) - 1 else " and ")
        intro += nodes.literal(name, name)
    intro += nodes.Text(":")
    note += intro
    commands = "\n".join(install_commands(requires))
    note += nodes.literal_block(commands, commands, language="bash")
    after = nodes.paragraph()
    if "torch" in requires:
        after += nodes.Text("PyTorch's CPU build is all this page needs, and much smaller than the default. ")
    if "graphviz" in requires:
        after += nodes.Text("Showing the graphs also needs the Graphviz program: ")
        after += _doc_link(docname, "/installation", "Installation")
        after += nodes.Text(" has the command for your system, and one that installs what every page needs.")
    else:
        after += _doc_link(docname, "/installation", "Installation")
        after += nodes.Text(" has one command that installs what every page needs.")
    note += after
    return note


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return "kernelspec" in app.env.metadata.get(docname, {})


def add_requirements_note(app: Sphinx, doctree: nodes.document) -> None:
    """Render the page's ``requires`` field as a note after its title (or at its placeholder)."""
    docname = app.env.docname
    metadata = app.env.metadata.get(docname, {})
    placeholders = list(doctree.findall(page_requirements_here))
    if FIELD not in metadata:
        if _is_notebook(app, docname):
            logger.warning(
                f"notebook page without a '{FIELD}' field in its front matter: name the packages its "
                "code needs besides micrograd ([] for none)",
                location=docname,
            )
        for placeholder in placeholders:
            placeholder.parent.remove(placeholder)
        return
    try:
        requires = parse_requires(metadata[FIELD])
    except ValueError as error:
        logger.warning(str(error), location=docname)
        return
    note = _note(docname, requires)
    if placeholders:
        placeholders[0].replace_self(note)
        for placeholder in placeholders[1:]:
            logger.warning("more than one {page-requirements} on the page", location=placeholder)
            placeholder.parent.remove(placeholder)
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        logger.warning(f"a page with a '{FIELD}' field needs a title to put the note under", location=docname)
        return
    section.insert(1, note)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(page_requirements_here)
    app.add_directive("page-requirements", PageRequirementsDirective)
    app.connect("doctree-read", add_requirements_note)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
