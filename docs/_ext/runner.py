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
- marks each folded exercise solution, with the cell below that checks it: there the reader
  may write an answer of their own in the solution's place, without unfolding it;
- writes those verdicts into the page as a small JSON island and adds one small script and
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
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from static_folders import serve
from vendored_assets import vendor

HERE = Path(__file__).resolve().parent
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

    A cell needs what it imports, and what the earlier cells that made the names it uses
    needed: ``plt`` after ``import matplotlib.pyplot as plt`` needs matplotlib, and ``t``
    made by a cell that uses PyTorch cannot be had here either. Returns one dict per cell:
    ``{"run": "offline"}``, ``{"run": "never", "reason": "..."}`` or ``{"run": "network",
    "packages": [...], "local": "pip install ...", "own": ..., "via": {...}}``, where ``own`` says
    whether its own imports need the network, and ``via`` names each name it uses from a cell
    that needs the network, with that cell's number (counted from 1).
    """
    made_by: dict[str, int] = {}  # a name -> the cell that last bound it
    imported: dict[str, str] = {}  # a name an import bound -> the top-level module
    verdicts: list[dict[str, Any]] = []
    for k, source in enumerate(sources):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            verdicts.append({"run": "offline"})  # the reader sees Python's own error
            continue
        verdict = _own_verdict(tree)
        own_network = verdict["run"] == "network"
        via: dict[str, int] = {}  # the names that make it need the network -> their cells
        bound, bound_anywhere, used = _names(tree)
        for name in sorted(used - bound_anywhere):
            # The name exists only if the cell that made it ran, so the cell needs what that
            # cell needed (an import beside `import torch` is not there either).
            earlier = verdicts[made_by[name]] if name in made_by else {"run": "offline"}
            if earlier["run"] == "never" and verdict["run"] != "never":
                made = f"It uses {name}, made by cell {made_by[name] + 1}, which cannot run here."
                own = name in imported and _module_verdict(imported[name])["run"] == "never"
                verdict = {"run": "never", "reason": earlier["reason"] if own else made}
            elif earlier["run"] == "network" and verdict["run"] != "never":
                packages = sorted({*verdict.get("packages", []), *earlier["packages"]})
                verdict = _network(packages)
                via[name] = made_by[name] + 1
        if verdict["run"] == "network":
            # For the reader's own code in place of this cell's, or of a cell it uses: the
            # runner asks again whether it still needs the network (cells.mjs).
            verdict |= {"own": own_network, "via": via}
        verdicts.append(verdict)
        for name in bound:
            made_by[name] = k
            imported.pop(name, None)
        imported |= _imports(tree)
    return verdicts


def _names(tree: ast.AST) -> tuple[set[str], set[str], set[str]]:
    """The names a cell binds for later cells (at its top level), all it binds, and all it reads.

    A function's parameters and locals are bound only inside it: ``def f(X)`` does not make the
    ``X`` a later cell reads.
    """
    top, local, used_top, used_inside = set(), set(), set(), set()

    def visit(node: ast.AST, inside: bool) -> None:
        binds = local if inside else top
        if isinstance(node, ast.Name):
            reads = used_inside if inside else used_top
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            binds.update((a.asname or a.name).split(".")[0] for a in node.names)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            binds.add(node.name)
        body_is_local = inside or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, body_is_local)

    visit(tree, False)
    # What the cell needs from earlier cells: names read at its top level that it has not bound
    # there, and names its functions read that are neither their own nor the cell's.
    return top, top, (used_top - top) | (used_inside - local - top)


def _imports(tree: ast.AST) -> dict[str, str]:
    """The names a cell's imports bind, each with the top-level module it comes from."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0]: a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {a.asname or a.name: node.module.split(".")[0] for a in node.names}
    return names


def _module_verdict(module: str) -> dict[str, Any]:
    return _own_verdict(ast.parse(f"import {module}"))


def _own_verdict(tree: ast.AST) -> dict[str, Any]:
    """What a cell's own imports and drawings need, leaving aside the names it uses."""
    needed: set[str] = set()
    drawings: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            needed |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            needed.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "format" and isinstance(value, ast.Constant) and value.value != "svg":
                    drawings.add(str(value.value))
    never = sorted(m for m in needed if m in NEVER)
    known = set(sys.stdlib_module_names) | PROVIDED | set(NETWORK_PACKAGES) | set(NEVER)
    unknown = sorted(needed - known)
    if never:
        return {"run": "never", "reason": f"It cannot run in the browser: {NEVER[never[0]]}."}
    if drawings:
        reason = (
            f"It draws {', '.join(sorted(drawings))}: that needs the Graphviz dot program; "
            "in the browser graphs are drawn as SVG only."
        )
        return {"run": "never", "reason": reason}
    if unknown:
        return {"run": "never", "reason": f"It imports {', '.join(unknown)}, not available here."}
    network = sorted(NETWORK_PACKAGES[m] for m in needed if m in NETWORK_PACKAGES)
    return _network(network) if network else {"run": "offline"}


def _network(packages: list[str]) -> dict[str, Any]:
    return {"run": "network", "packages": packages, "local": f"pip install {' '.join(packages)}"}


#: A cell tag for what the runner cannot see in the code: the cell builds a graph so deep that
#: freeing it overflows the browser's stack (WebAssembly frames live on the JavaScript stack,
#: which is far smaller than a native one; a chain of about 800 steps is enough).
DEEP_GRAPH_TAG = "deep-graph"
DEEP_GRAPH_REASON = (
    "It builds a graph thousands of nodes deep; freeing it overflows the browser's stack, "
    "which ends Python in the browser."
)


class Cell(NamedTuple):
    """A code cell as myst-nb rendered it: its source, its tags, and the prompt of its fold."""

    source: str
    tags: set[str]
    prompt: str  # "Show solution" on a folded solution; "" on a cell that is not folded


def _cells(doctree: nodes.document) -> list[Cell]:
    """Each code cell myst-nb rendered, in page order."""
    cells = []
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        tags = {c.removeprefix("tag_") for c in cell.get("classes", []) if c.startswith("tag_")}
        blocks = [
            block
            for source in cell.findall(nodes.container)
            if source.get("nb_element") == "cell_code_source"
            for block in source.findall(nodes.literal_block)
        ]
        cells.append(Cell(blocks[0].astext() if blocks else "", tags, cell.get("prompt_show") or ""))
    return cells


#: How a folded exercise solution's fold begins ("Show solution", "Show solution (training)").
SOLUTION_PROMPT = "Show solution"


def mark_solutions(cells: list[Cell], verdicts: list[dict[str, Any]]) -> None:
    """Mark each folded solution that can run here, so that the reader may write an answer of
    their own in its place: ``verdict["solution"]`` is ``{"checks": [...]}``, the cells that
    check its exercise, each as ``{"cell": n, "call": ...}`` (``n`` counted from 1, ``call`` the
    cell's last line, such as ``check_subtraction(MyValue)``); and a check cell's
    ``verdict["checks"]`` is the solutions it checks (counted from 1), whose report its built
    output is.

    An exercise is its solutions (a second one may train or draw what the first wrote) and
    the check cells after them, the cells that import from ``micrograd.exercises``; the next
    solution after a check begins the next exercise. A check that passes nothing its
    exercise's solutions made (04's exercise 3 checks the ``train`` of exercise 2) checks the
    latest solution above that made it.
    """
    exercise: list[int] = []  # the solutions of the exercise being read
    checked = False  # whether a check of that exercise came already
    for k, cell in enumerate(cells):
        if cell.prompt.startswith(SOLUTION_PROMPT):
            if checked:
                exercise, checked = [], False
            exercise.append(k)
            if verdicts[k]["run"] != "never":
                verdicts[k]["solution"] = {"checks": []}
        elif "from micrograd.exercises import" in cell.source and exercise:
            checked = True
            call = cell.source.strip().splitlines()[-1]
            checks = list(exercise)
            passed = _passed_names(call)
            if not any(passed & _made_names(cells[n].source) for n in exercise):
                made = [
                    n for n in range(k) if "solution" in verdicts[n] and passed & _made_names(cells[n].source)
                ]
                checks += made[-1:]
            for n in checks:
                if "solution" in verdicts[n]:
                    verdicts[n]["solution"]["checks"].append({"cell": k + 1, "call": call})
                    verdicts[k].setdefault("checks", []).append(n + 1)


def _passed_names(call: str) -> set[str]:
    """The names a check's call passes to its checker: ``{"MyLayer", "MyMLP"}`` for
    ``check_layer_and_mlp(MyLayer, MyMLP)``."""
    try:
        tree = ast.parse(call)
    except SyntaxError:
        return set()
    return {
        arg.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for arg in [*node.args, *(k.value for k in node.keywords)]
        if isinstance(arg, ast.Name)
    }


def _made_names(source: str) -> set[str]:
    """The names a cell binds at its top level, and those whose attributes it sets there
    (``MyValue.__sub__ = sub`` changes ``MyValue``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    changed = {
        target.value.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
    }
    return _names(tree)[0] | changed


def _add_cell_verdicts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the page's cells' verdicts into the page as a JSON island, for runner.js."""
    cells = _cells(doctree)
    if not cells:
        return
    verdicts = classify_cells([cell.source for cell in cells])
    for k, cell in enumerate(cells):
        if DEEP_GRAPH_TAG in cell.tags:
            verdicts[k] = {"run": "never", "reason": DEEP_GRAPH_REASON}
    mark_solutions(cells, verdicts)
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
        "runner/runner.js", type="module", **{f"data-{key}": value for key, value in browser_urls().items()}
    )


def browser_urls() -> dict[str, str]:
    """What ``python.configure`` needs, relative to the site root: ``pyodide``, ``viz``,
    ``wheel`` and ``package-index`` (the keys of the ``data-`` attributes runner.js reads)."""
    return {
        "pyodide": _built["pyodide_url"],
        "viz": _built["viz_url"],
        "wheel": f"_static/runner/{_built['wheel']}",
        "package-index": _built["package_index"],
    }


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
    _built["wheel"] = wheels[0].name
    _built["wheel_path"] = str(wheels[0])
    logger.info(f"runner: built {wheels[0].name} from {REPO} (the browser runs this checkout's code)")


#: What this build made for the pages (the wheel, the vendored URLs, the package index).
#: Kept out of app.config: Sphinx compares the configuration between builds, and these are
#: results of the build, not settings (a build would otherwise always report a change).
_built: dict[str, str] = {}


def _setup(app: Sphinx) -> None:
    _build_wheel(app)
    pyodide = vendor(app, "pyodide", PYODIDE_FILES)
    viz = vendor(app, "@viz-js/viz", VIZ_FILES)
    # URLs relative to the site root; runner.js resolves them against its own location.
    _built["pyodide_url"] = f"{pyodide}/"
    _built["viz_url"] = f"{viz}/dist/viz.js"
    _built["package_index"] = app.config.runner_package_index
    if not _built["package_index"]:
        version = json.loads((HERE.parent / "node_modules" / "pyodide" / "package.json").read_text())[
            "version"
        ]
        _built["package_index"] = f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"


def _copy_wheel(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "runner"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("micrograd_learn-*.whl"):
        old.unlink()
    shutil.copy2(_built["wheel_path"], target / _built["wheel"])


def setup(app: Sphinx) -> dict[str, Any]:
    # Where packages the browser cannot have offline (numpy, matplotlib, ...) come from:
    # Pyodide's CDN for the pinned version, unless conf.py names another index.
    app.add_config_value("runner_package_index", "", "html", str)
    serve(app, "runner")
    app.connect("builder-inited", _setup)
    app.connect("doctree-resolved", _add_cell_verdicts)
    app.connect("html-page-context", _add_runner_to_notebook_pages)
    app.connect("build-finished", _copy_wheel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
