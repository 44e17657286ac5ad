"""Sphinx configuration for the micrograd documentation site.

Build it with ``docs/build.sh`` (the README's first command), or by hand from the
repository root::

    .venv/bin/sphinx-build -b html -n -W --keep-going docs docs/_build/html

Every page is a MyST text notebook that myst-nb executes at build time, through
jupyter-cache: a page is executed again only when its code changes. Set
``NB_EXECUTION_MODE=force`` to execute every page, or ``off`` to skip execution.
"""

from __future__ import annotations

import contextlib
import copy
import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

import micrograd

DOCS = Path(__file__).resolve().parent

# -- Project -------------------------------------------------------------------------

project = "micrograd"
author = "the micrograd contributors"
copyright = f"2026, {author}"
release = micrograd.__version__
version = ".".join(release.split(".")[:2])

# -- Extensions ----------------------------------------------------------------------

extensions = [
    "myst_nb",  # MyST markdown and executed notebooks (it loads myst_parser itself)
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # Google-style docstrings; before sphinx_autodoc_typehints
    "sphinx_autodoc_typehints",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "sphinx.ext.graphviz",
    "sphinx_copybutton",
    "sphinx_design",
]

exclude_patterns = ["_build", ".jupyter_cache", "jupyter_execute", "_inventories", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# Warnings are errors (-W) and every cross-reference must resolve (-n); nothing is ignored.
nitpicky = True

# -- MyST and myst-nb ----------------------------------------------------------------

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "fieldlist", "substitution"]
myst_heading_anchors = 3
myst_dmath_double_inline = True

# "cache" executes a page only when its code changed since the last build.
nb_execution_mode = os.environ.get("NB_EXECUTION_MODE", "cache")
nb_execution_cache_path = str(DOCS / ".jupyter_cache")
nb_execution_raise_on_error = True  # any cell error fails the build
nb_execution_show_tb = True  # and its traceback is printed in the build log
nb_execution_timeout = 180  # seconds for one cell; pages are meant to take a few seconds
nb_merge_streams = True  # progress lines printed by a loop form one output block (see below)
nb_kernel_rgx_aliases = {".*": "python3"}
nb_ipywidgets_js: dict[str, dict[str, str]] = {}  # no widgets on this site: no require.js from a CDN

# -- Autodoc, napoleon, typehints ----------------------------------------------------

autodoc_member_order = "bysource"  # the order the source reads in, top to bottom
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_preserve_defaults = True
autoclass_content = "class"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True
typehints_defaults = "comma"
typehints_use_signature = False
typehints_use_signature_return = False
always_use_bars_union = True

# -- Intersphinx: inventories kept in the repository, so the build needs no network --

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", str(DOCS / "_inventories" / "python.inv")),
    "graphviz": ("https://graphviz.readthedocs.io/en/stable", str(DOCS / "_inventories" / "graphviz.inv")),
}

# -- Graphviz ------------------------------------------------------------------------

graphviz_output_format = "svg"

# -- Copy button: code only, never prompts or outputs --------------------------------

# Code cells and code blocks in prose get a button; executed outputs (class "output")
# do not. Prompts (.gp) and doctest outputs (.go) are left out of what is copied.
# The selector is pasted into a single-quoted JavaScript string: no single quotes in it.
copybutton_selector = 'div[class*="highlight-"]:not(.output) > div.highlight > pre'
copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = ""
copybutton_remove_prompts = False

# -- HTML ----------------------------------------------------------------------------

html_theme = "furo"
html_title = f"micrograd {release}"
html_short_title = "micrograd"
html_static_path = ["_static"]
html_logo = "_static/micrograd-logo.svg"
html_favicon = "_static/micrograd-logo.svg"
html_css_files = ["micrograd.css"]
html_copy_source = True
html_show_sourcelink = True
html_sourcelink_suffix = ""  # _sources/quickstart.md, not quickstart.md.txt
html_last_updated_fmt = None
html_theme_options: dict[str, Any] = {
    "sidebar_hide_name": False,
    "navigation_with_keys": True,
    "top_of_page_buttons": ["view"],
}
# Pages are small and self-contained: no external fonts or scripts except MathJax.
mathjax3_config = {"tex": {"tags": "ams"}}


# -- Downloads of the executed notebooks ---------------------------------------------


def _executed_notebook(app: Sphinx, docname: str) -> Path:
    """Where myst-nb wrote the executed notebook of ``docname``."""
    return Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"


def _add_download_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Tell the page template whether this page has an executed notebook to offer."""
    context["micrograd_ipynb"] = (
        f"{pagename}.ipynb" if doctree is not None and _executed_notebook(app, pagename).is_file() else ""
    )


def _copy_executed_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Put each page's executed notebook next to its HTML page: ``quickstart.ipynb``.

    myst-nb writes each page's notebook to ``jupyter_execute/``, but in "cache" mode it
    writes it before the outputs from the cache are merged in; the outputs are taken from
    jupyter-cache here, so the download holds exactly what the page shows.
    """
    if exception is not None or app.builder.format != "html":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    for docname in sorted(app.env.found_docs):
        source = _executed_notebook(app, docname)
        if not source.is_file():
            continue
        notebook = nbformat.read(source, as_version=4)
        if app.config.nb_execution_mode == "cache":
            with contextlib.suppress(KeyError):
                _, notebook = cache.merge_match_into_notebook(notebook)
        target = Path(app.outdir) / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(notebook), encoding="utf-8")


# -- Stream outputs merged exactly ---------------------------------------------------


def _merge_streams_exactly(outputs: list[Any]) -> list[Any]:
    """Merge a cell's stream outputs into one per stream, text joined exactly as printed.

    The kernel sends what a cell prints in chunks, cut wherever its output buffer happened
    to be flushed, which can be in the middle of a line (``print(a, b)`` writes ``a``, the
    space and ``b`` separately). myst-nb's own merge (``nb_merge_streams``) strips the end
    of each chunk and appends a newline, which shows ``"41"`` + ``" 41\\n"`` as two lines
    and drops blank lines. Here the chunks of each stream are first joined as they are (as
    Jupyter and nbclient do); myst-nb's merge then sees one chunk per stream and only does
    the rest of its work (carriage returns, backspaces, stdout before stderr).
    """
    from myst_nb.core.utils import coalesce_streams

    merged: list[Any] = []
    streams: dict[str, Any] = {}
    for output in outputs:
        if output.get("output_type") != "stream":
            merged.append(output)
        elif output["name"] in streams:
            streams[output["name"]]["text"] += output["text"]
        else:
            first = copy.copy(output)  # leave the executed notebook's own outputs untouched
            streams[output["name"]] = first
            merged.append(first)
    return coalesce_streams(merged)


def _use_exact_stream_merge() -> None:
    """Make myst-nb's renderer merge streams with :func:`_merge_streams_exactly`."""
    import myst_nb.core.render

    # If a myst-nb release moves the function, say so rather than silently merge badly again.
    if not hasattr(myst_nb.core.render, "coalesce_streams"):
        raise RuntimeError("myst_nb.core.render.coalesce_streams is gone: update docs/conf.py's stream merge")
    myst_nb.core.render.coalesce_streams = _merge_streams_exactly


# -- Signatures without private parameters -------------------------------------------


def _split_parameters(parameters: str) -> list[str]:
    """Split ``a, b=(1, 2), *, c=''`` at its top-level commas."""
    parts, depth, current, quote = [], 0, "", ""
    for char in parameters:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    return [*parts, current.strip()] if current.strip() else parts


def _public_signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Leave out parameters whose names start with ``_``: they are internal.

    ``Value(data, _children, _op, _local_grads, *, label)`` is documented as
    ``Value(data, *, label='')``. Runs sphinx-autodoc-typehints' own handler first (only
    the first handler's answer counts) and trims its result.
    """
    from sphinx_autodoc_typehints import process_signature

    result = process_signature(app, what, name, obj, options, signature or "", return_annotation or "")
    if result is not None:
        signature, return_annotation = result
    if not signature or "_" not in signature:
        return result
    kept = [p for p in _split_parameters(signature.strip()[1:-1]) if not p.lstrip("*").startswith("_")]
    if kept and kept[-1] == "*":
        kept.pop()  # a bare * with nothing after it is a syntax error
    return f"({', '.join(kept)})", return_annotation


def setup(app: Sphinx) -> dict[str, Any]:
    _use_exact_stream_merge()
    app.connect("autodoc-process-signature", _public_signature, priority=400)
    app.connect("html-page-context", _add_download_context)
    app.connect("build-finished", _copy_executed_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
