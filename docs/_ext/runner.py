"""Run it here: every code cell of a notebook page gets Run, Edit and Reset in the browser.

The reader's browser runs the page's Python with Pyodide (CPython compiled to WebAssembly)
in a Web Worker, on the package's own wheel built from this checkout, so the code a page
runs is the code it documents. This extension does the build-time half:

- builds micrograd's wheel from the checkout and copies it into the site
  (``_static/runner/micrograd_learn-<version>-py3-none-any.whl``);
- copies Pyodide and Graphviz-in-WebAssembly (npm ``pyodide``, ``@viz-js/viz``, pinned in
  docs/package.json) into the site with :func:`vendored_assets.vendor`;
- reads each code cell's imports, and the names it uses that earlier cells imported, and
  decides before any click whether the cell can run in the browser: ``offline`` (micrograd,
  the standard library, graph drawing), ``network`` (numpy, matplotlib, scikit-learn exist
  for Pyodide only on its package CDN) or ``never`` (PyTorch has no WebAssembly build; PNG or
  PDF drawings need the ``dot`` program; myst-nb's ``glue`` exists only at build time);
- writes that verdict into the page as a small JSON island and adds one small script and
  stylesheet (``static/runner/runner.js``, ``runner.css``) to notebook pages only. Everything
  else (Pyodide, the runner's other modules, the wheel) is fetched on the first Run.

The browser side lives in ``static/runner/``; ``session.mjs`` is its entry point and
``worker.mjs`` documents the messages between the page and the worker.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from vendored_assets import vendor

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
REPO = HERE.parent.parent

logger = logging.getLogger(__name__)

#: The Pyodide files the worker loads: the loader, the interpreter, the standard library and
#: the lock file that names (and hashes) every package of Pyodide's CDN distribution.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
VIZ_FILES = ("dist/viz.js",)

#: Packages a page may import that Pyodide has only on its CDN, by import name: the name of
#: the package to install locally.
NETWORK_PACKAGES = {"numpy": "numpy", "matplotlib": "matplotlib", "sklearn": "scikit-learn", "scipy": "scipy"}
#: Imports that can never run in the browser, and why.
NEVER = {
    "torch": "PyTorch has no build for the browser (WebAssembly)",
    "myst_nb": "it uses myst-nb, which exists only while the site is built",
    "IPython": "it uses IPython, which the in-browser runner does not provide",
}
#: Modules the runner itself provides in the browser.
PROVIDED = {"micrograd", "graphviz"}


def classify_cells(sources: list[str]) -> list[dict[str, Any]]:
    """Decide, for each cell of a page in order, whether and how it can run in the browser.

    A cell needs what it imports, and what earlier cells imported that it uses by name
    (``plt`` after ``import matplotlib.pyplot as plt``). Returns one dict per cell:
    ``{"run": "offline"}``, ``{"run": "network", "packages": [...], "local": "pip install ..."}``
    or ``{"run": "never", "reason": "..."}``.
    """
    bound: dict[str, str] = {}  # a name an import binds -> the top-level module it came from
    verdicts = []
    stdlib = set(sys.stdlib_module_names)
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            verdicts.append({"run": "offline"})  # the reader sees Python's own error
            continue
        needed: set[str] = set()
        drawings: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    needed.add(top)
                    bound[alias.asname or top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top = node.module.split(".")[0]
                needed.add(top)
                for alias in node.names:
                    bound[alias.asname or alias.name] = top
            elif isinstance(node, ast.Name) and node.id in bound:
                needed.add(bound[node.id])
            elif isinstance(node, ast.Call):
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "format" and isinstance(value, ast.Constant) and value.value != "svg":
                        drawings.add(str(value.value))
        never = sorted(m for m in needed if m in NEVER)
        unknown = sorted(m for m in needed if m not in stdlib | PROVIDED | set(NETWORK_PACKAGES) | set(NEVER))
        if never:
            verdicts.append({"run": "never", "reason": f"It cannot run in the browser: {NEVER[never[0]]}."})
        elif drawings:
            verdicts.append(
                {
                    "run": "never",
                    "reason": f"It draws {', '.join(sorted(drawings))}: that needs the Graphviz dot program; "
                    "in the browser graphs are drawn as SVG only.",
                }
            )
        elif unknown:
            verdicts.append(
                {"run": "never", "reason": f"It imports {', '.join(unknown)}, not available here."}
            )
        else:
            network = sorted(NETWORK_PACKAGES[m] for m in needed if m in NETWORK_PACKAGES)
            if network:
                verdicts.append(
                    {"run": "network", "packages": network, "local": f"pip install {' '.join(network)}"}
                )
            else:
                verdicts.append({"run": "offline"})
    return verdicts


def _code_cells(doctree: nodes.document) -> list[str]:
    """The source of each code cell myst-nb rendered, in page order."""
    sources = []
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        blocks = [
            block
            for source in cell.findall(nodes.container)
            if source.get("nb_element") == "cell_code_source"
            for block in source.findall(nodes.literal_block)
        ]
        sources.append(blocks[0].astext() if blocks else "")
    return sources


def _add_cell_verdicts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the page's cells' verdicts into the page as a JSON island, for runner.js."""
    sources = _code_cells(doctree)
    if not sources:
        return
    verdicts = classify_cells(sources)
    data = json.dumps(verdicts, separators=(",", ":")).replace("<", "\\u003c")
    doctree.append(
        nodes.raw(
            "", f'<script type="application/json" id="mg-runner-cells">{data}</script>\n', format="html"
        )
    )


def _add_runner_to_notebook_pages(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Only pages with code cells load the runner's small script and stylesheet."""
    if doctree is None or not any(
        c.get("nb_element") == "cell_code" for c in doctree.findall(nodes.container)
    ):
        return
    app.add_css_file("runner/runner.css")
    app.add_js_file(
        "runner/runner.js",
        type="module",
        **{
            "data-pyodide": app.config.runner_pyodide_url,
            "data-viz": app.config.runner_viz_url,
            "data-wheel": f"_static/runner/{app.config.runner_wheel}",
            "data-package-index": app.config.runner_package_index,
        },
    )


def _build_wheel(app: Sphinx) -> None:
    """Build micrograd's wheel from this checkout into a temporary folder; record its name."""
    out = Path(tempfile.mkdtemp(prefix="micrograd-wheel-"))
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(out),
    ]
    result = subprocess.run([*command, str(REPO)], capture_output=True, text=True, check=False)
    wheels = list(out.glob("micrograd_learn-*-py3-none-any.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        raise ExtensionError(f"building micrograd's wheel for the in-browser runner failed:\n{result.stderr}")
    app.config.runner_wheel = wheels[0].name
    app.env.runner_wheel_path = str(wheels[0])  # type: ignore[attr-defined]
    logger.info(f"runner: built {wheels[0].name} from {REPO} (the browser runs this checkout's code)")


def _setup(app: Sphinx) -> None:
    _build_wheel(app)
    pyodide = vendor(app, "pyodide", PYODIDE_FILES)
    viz = vendor(app, "@viz-js/viz", VIZ_FILES)
    # URLs relative to the site root; runner.js resolves them against its own location.
    app.config.runner_pyodide_url = f"{pyodide}/"
    app.config.runner_viz_url = f"{viz}/dist/viz.js"
    if not app.config.runner_package_index:
        version = json.loads((HERE.parent / "node_modules" / "pyodide" / "package.json").read_text())[
            "version"
        ]
        app.config.runner_package_index = f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"


def _copy_wheel(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "runner"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("micrograd_learn-*.whl"):
        old.unlink()
    shutil.copy2(app.env.runner_wheel_path, target / app.config.runner_wheel)  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    # Where packages the browser cannot have offline (numpy, matplotlib, ...) come from:
    # Pyodide's CDN for the pinned version, unless conf.py names another index.
    app.add_config_value("runner_package_index", "", "html", str)
    app.add_config_value("runner_pyodide_url", "", "html", str)
    app.add_config_value("runner_viz_url", "", "html", str)
    app.add_config_value("runner_wheel", "", "html", str)
    app.config.html_static_path.append(str(STATIC))
    app.connect("builder-inited", _setup)
    app.connect("doctree-resolved", _add_cell_verdicts)
    app.connect("html-page-context", _add_runner_to_notebook_pages)
    app.connect("build-finished", _copy_wheel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
