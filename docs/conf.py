"""Sphinx configuration for the micrograd documentation site.

Build it with ``docs/build.sh`` (the README's first command), or by hand from the
repository root::

    .venv/bin/sphinx-build -b html -n -W --keep-going docs docs/_build/html

Every page is a MyST text notebook that myst-nb executes at build time, through
jupyter-cache: a page is executed again only when its code changes. Set
``NB_EXECUTION_MODE=force`` to execute every page, or ``off`` to skip execution.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

from sphinx.deprecation import RemovedInSphinx10Warning

import micrograd

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))  # the site's own extensions, one job each

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
    # The site's own, in docs/_ext/:
    "stream_merge",  # printed lines reach the page exactly as printed
    "public_signatures",  # API signatures without the engine's private parameters
    "source_links",  # [source] links for what a package re-exports under its own name
    "notebook_downloads",  # each page's executed notebook as a download
    "vendored_assets",  # MathJax and other browser files from pinned npm packages, no CDN
    "runner",  # Run, Edit and Reset on every code cell, in the reader's browser (Pyodide)
    "quiz",  # a quiz written in the page, one question at a time in the browser
    "playground_frames",  # the neuron playground's numbers before Python loads, computed at build time
    "playground",  # {playground} neuron / expression / training: a playground placed in a page
    "page_requirements",  # each notebook page says what its code needs, with the install command
    "build_kernels",  # the notebook kernels' IPython profile: figures describe themselves
    "figure_alt_text",  # every figure has a text alternative; graphs readable on a phone
    "graph_zoom",  # a tap or click opens a graph full size, zoomable, closed with Esc
    "animations",  # matplotlib's animation player offline, named, and as wide as a phone
    "accessible_markup",  # heading levels, names that match what is shown, keyboard scrolling
    "notebook_cache",  # executed pages cached per version of the package; one build at a time
    "stable_config",  # a second build with nothing changed reports nothing changed
    "asset_changes",  # every page is written again when the extensions' scripts or stylesheets change
]

exclude_patterns = [
    "_build",
    ".jupyter_cache",
    "jupyter_execute",
    "_inventories",
    "_ext",
    "node_modules",
    "**.ipynb_checkpoints",
    "**/__pycache__",  # nor from the playgrounds served under _static
]
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
nb_merge_streams = True  # progress lines printed by a loop form one block (_ext/stream_merge)
nb_kernel_rgx_aliases = {".*": "python3"}
nb_ipywidgets_js: dict[str, dict[str, str]] = {}  # no widgets on this site: no require.js from a CDN

# -- Autodoc, napoleon, typehints ----------------------------------------------------

autodoc_member_order = "bysource"  # the order the source reads in, top to bottom
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_preserve_defaults = True
autoclass_content = "class"
# A method that overrides a documented one without a docstring of its own (parameters() of
# Neuron, Layer and MLP) is not listed again under every class: Module documents it once.
autodoc_inherit_docstrings = False
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True
typehints_defaults = "comma"
# sphinx-autodoc-typehints 3.6.1 (the newest release) still calls a method Sphinx 9 deprecated,
# once per docstring it parses; nothing in this site can change that. Only that one notice
# is silenced: every other warning still fails the build.
warnings.filterwarnings(
    "ignore",
    message=r"'sphinx_autodoc_typehints\._parser\._RstSnippetParser\.set_application' is deprecated",
    category=RemovedInSphinx10Warning,
)
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
html_css_files = [("micrograd.css", {"priority": 800})]  # 800: Sphinx's own default, written out
html_copy_source = True
html_show_sourcelink = True
html_sourcelink_suffix = ""  # _sources/quickstart.md, not quickstart.md.txt
html_last_updated_fmt = None
html_theme_options: dict[str, Any] = {
    "sidebar_hide_name": False,
    "navigation_with_keys": True,
    "top_of_page_buttons": ["view"],
}
# Pages are self-contained: no external fonts or scripts. MathJax is served from the site
# (vendored_assets sets mathjax_path).
# The classes MathJax typesets are listed here rather than added by myst-parser when the
# builder starts (myst_update_mathjax), which made every build report a changed configuration.
myst_update_mathjax = False
# Formulas stay out of the Tab order (MathJax puts each in it for its explorer, so a page of
# formulas took a keyboard reader hundreds of Tabs); screen readers read them all the same.
mathjax3_config = {
    "tex": {"tags": "ams"},
    "options": {
        "processHtmlClass": "tex2jax_process|mathjax_process|math|output_area",
        "menuOptions": {"settings": {"inTabOrder": False}},
    },
}
