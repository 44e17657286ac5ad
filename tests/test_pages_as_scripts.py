"""Every notebook page runs as one script, in a fresh environment with only what the page names.

This is what a reader does who copies a page's code: its code cells, one after the other, in
one file, run with micrograd and the packages the note at the top of the page names (the
``requires`` field of its front matter, which ``docs/_ext/page_requirements.py`` renders).

- Each set of names gets its own fresh virtual environment, shared by the pages that name
  the same set: micrograd's wheel, built once from this checkout, plus exactly those
  packages, at the versions of the environment running the tests, so the documentation
  build and this test see the same libraries (``Environments`` says how they are made
  quickly). The scripts run as many at a time as the machine has cores.
- A script does not display the last expression of a cell, and that is fine: a page must
  not need its displays to be correct. IPython-only syntax (``%`` magics, ``!`` commands)
  is not Python: a cell that is not plain Python fails the test, since a reader's script
  would fail there too.
- Cells whose code the page does not show (tags ``remove-cell``, ``remove-input``) are left
  out, since a reader cannot copy them; cells with hidden but expandable input are copied.
- Plots are drawn headless (``MPLBACKEND=Agg``), each page in an empty working directory.

A second, static check catches what running cannot: a page that imports a package it does
not name, which is installed anyway as a dependency of one it does name (numpy comes with
matplotlib).
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from dependencies import require

yaml = require("yaml")

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
NOT_PAGES = {"_build", "jupyter_execute", "node_modules", ".jupyter_cache", "_ext", "_templates"}
HIDDEN_CODE = {"remove-cell", "remove-input"}


def _canonical(name: str) -> str:
    """A distribution name as pip compares it (PEP 503): ``scikit_learn`` is ``scikit-learn``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _front_matter(text: str) -> dict[str, object]:
    if not text.startswith("---\n"):
        return {}
    end = text.index("\n---\n", 4)
    data = yaml.safe_load(text[4:end])
    return data if isinstance(data, dict) else {}


def _notebook_pages() -> list[Path]:
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        if NOT_PAGES & set(path.relative_to(DOCS).parts):
            continue
        if "kernelspec" in _front_matter(path.read_text(encoding="utf-8")):
            pages.append(path)
    return pages


_HAVE_TORCH = importlib.util.find_spec("torch") is not None
PAGES = _notebook_pages()
PAGE_IDS = [str(page.relative_to(DOCS).with_suffix("")) for page in PAGES]


def requires(page: Path) -> list[str]:
    """The packages ``page`` names, besides micrograd."""
    names = _front_matter(page.read_text(encoding="utf-8")).get("requires")
    assert isinstance(names, list), f"{page.relative_to(REPO)} has no 'requires' list in its front matter"
    return [str(name) for name in names]


def code_cells(page: Path) -> list[str]:
    """The code of the page's cells that a reader sees, in order."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    return [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and not HIDDEN_CODE & set(cell.metadata.get("tags", []))
    ]


def script(page: Path) -> str:
    """The page's code cells as one script, each cell checked to be plain Python."""
    parts = []
    for number, source in enumerate(code_cells(page), start=1):
        try:
            ast.parse(source)
        except SyntaxError as error:
            pytest.fail(
                f"{page.relative_to(REPO)}, code cell {number}, is not plain Python (IPython syntax?), "
                f"so it fails in a reader's script: {error}"
            )
        parts.append(f"# --- cell {number}\n{source}\n")
    return "\n".join(parts)


# -- Fresh environments, one per set of names ------------------------------------------


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        pytest.fail(f"{what} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


class Environments:
    """Fresh virtual environments with micrograd plus a given set of packages.

    Every package any page names is fetched once into a wheelhouse, at the versions of the
    environment running the tests (so the documentation build and this test see the same
    libraries), and each environment installs from there with no index: one resolution
    instead of one per environment. An environment for a set starts from a copy of the one
    for its largest subset, made with hard links (``cp -al``: nothing is written twice, and
    pip replaces files rather than editing them, so a copy never changes its original);
    torch alone is 700 MB unpacked. The environments have no pip of their own: the tests'
    pip installs into them (``pip --python``).
    """

    def __init__(self, root: Path, sets: set[frozenset[str]]) -> None:
        self.root = root
        self.made: dict[frozenset[str], Path] = {}
        self.seconds: dict[frozenset[str], float] = {}
        self.wheels = root / "wheels"
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
        _check(
            _run([*pip, "wheel", "-q", "--no-deps", "-w", str(self.wheels), str(REPO)]), "building micrograd"
        )
        self.constraints = root / "constraints.txt"
        self.constraints.write_text(
            "".join(
                f"{dist.metadata['Name']}=={dist.version}\n"
                for dist in importlib.metadata.distributions()
                if _canonical(dist.metadata["Name"]) != "micrograd-learn"
            ),
            encoding="utf-8",
        )
        every_name = sorted(set().union(*sets))
        if every_name:
            download = [*pip, "download", "-q", "-d", str(self.wheels), "-c", str(self.constraints)]
            if os.environ.get("TORCH_INDEX_URL"):  # as tests/run.sh: where the CPU build of torch is
                download += ["--extra-index-url", os.environ["TORCH_INDEX_URL"]]
            _check(_run([*download, *every_name]), f"fetching {every_name}")
        # Smallest sets first, so that each larger one starts from a copy of a smaller one.
        for names in sorted(sets | {frozenset()}, key=lambda s: (len(s), sorted(s))):
            self._make(names)

    def _make(self, names: frozenset[str]) -> None:
        start = time.perf_counter()
        venv = self.root / ("env-" + "-".join(sorted(names)) if names else "env-nothing")
        subsets = [made for made in self.made if made < names]
        if subsets:
            base = max(subsets, key=len)
            _check(_run(["cp", "-al", str(self.made[base].parents[1]), str(venv)]), f"copying into {venv}")
            what = sorted(names - base)
        else:
            _check(_run([sys.executable, "-m", "venv", "--without-pip", str(venv)]), f"creating {venv}")
            what = ["micrograd-learn", *sorted(names)]
        install = [
            sys.executable,
            "-m",
            "pip",
            "--disable-pip-version-check",
            "--python",
            str(venv / "bin/python"),
        ]
        install += [
            "install",
            "-q",
            "--no-index",
            "--find-links",
            str(self.wheels),
            "-c",
            str(self.constraints),
        ]
        # Python compiles what a script imports when it imports it; compiling all of torch's
        # files at install time would take longer than running every page.
        install += ["--no-compile"]
        _check(_run(install + what), f"installing {what} into {venv.name}")
        self.made[names] = venv / "bin" / "python"
        self.seconds[names] = time.perf_counter() - start


def run_script(python: Path, code: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` as a reader would: a file run by the environment's Python, plots headless."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "page.py").write_text(code, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),  # Graphviz's dot
        "HOME": str(workdir),
        "MPLBACKEND": "Agg",
        "PYTHONNOUSERSITE": "1",
        "LANG": "C.UTF-8",
    }
    return _run([str(python), "page.py"], cwd=workdir, env=env, timeout=1800)  # a hang, not a slow machine


def _start(
    pool: ThreadPoolExecutor, python: Path, page: Path, workdir: Path
) -> Future[subprocess.CompletedProcess[str]]:
    """Run the page's script in ``pool``; a cell that is not Python fails the page's test.

    The script is made here, in the calling thread: ``ast.parse`` in two threads at once can
    fail on CPython 3.11 ("AST constructor recursion depth mismatch"; the ast module keeps its
    recursion depth per interpreter, not per thread)."""
    try:
        code = script(page)
    except pytest.fail.Exception as failure:
        failed: Future[subprocess.CompletedProcess[str]] = Future()
        failed.set_exception(failure)
        return failed
    return pool.submit(run_script, python, code, workdir)


@dataclass
class PageRuns:
    environments: Environments
    results: dict[Path, Future[subprocess.CompletedProcess[str]]]


@pytest.fixture(scope="module")
def page_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageRuns]:
    """The selected pages' scripts, started once their environments are made, as many at
    a time as the machine has cores; each page's test waits for its own."""
    pages = [
        item.callspec.params["page"]
        for item in request.session.items
        if isinstance(item, pytest.Function)
        and item.originalname == "test_page_runs_as_one_script_with_only_what_it_names"
        and (_HAVE_TORCH or "torch" not in requires(item.callspec.params["page"]))
    ]
    root = tmp_path_factory.mktemp("pages-as-scripts")
    started = time.perf_counter()
    envs = Environments(root, {frozenset(requires(page)) for page in pages})
    made = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = {
            page: _start(pool, envs.made[frozenset(requires(page))], page, root / f"run-{i}")
            for i, page in enumerate(pages)
        }
        yield PageRuns(envs, results)
    report = ", ".join(f"{sorted(s) or 'nothing'} {t:.0f} s" for s, t in envs.seconds.items())
    print(
        f"\n{len(pages)} pages as scripts: {len(envs.made)} environments in {made - started:.0f} s "
        f"({report}); all pages run {time.perf_counter() - made:.0f} s later"
    )


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_page_runs_as_one_script_with_only_what_it_names(page: Path, page_runs: PageRuns) -> None:
    if "torch" in requires(page) and not _HAVE_TORCH:
        # The tests take their torch from the test environment (tests/run.sh installs the CPU
        # build), never the several-GB default build from PyPI.
        pytest.skip("torch is not installed here (MICROGRAD_SKIP_TORCH=1?)")
    result = page_runs.results[page].result()
    assert result.returncode == 0, (
        f"{page.relative_to(REPO)} fails as a script with micrograd and {requires(page) or 'nothing else'}:\n"
        f"{result.stderr[-4000:]}"
    )


@pytest.mark.slow
def test_a_script_cannot_use_a_package_its_page_does_not_name(page_runs: PageRuns, tmp_path: Path) -> None:
    # Guards the test above: the environments hold only what is named, nothing leaks in
    # from the environment running the tests.
    python = page_runs.environments.made[frozenset()]
    result = run_script(python, "import micrograd\nimport numpy\n", tmp_path)
    assert result.returncode != 0
    assert "No module named 'numpy'" in result.stderr


# -- Static: every import is micrograd, the standard library or a named package -----------


def imported_modules(code: str) -> set[str]:
    """The top-level names of the modules ``code`` imports: ``matplotlib`` for ``matplotlib.pyplot``."""
    modules = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


@functools.cache
def _distributions_by_module() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_package_a_page_imports_is_one_it_names(page: Path) -> None:
    named = {_canonical(name) for name in requires(page)}
    unnamed = {}
    for module in sorted(imported_modules(script(page))):
        if module in sys.stdlib_module_names or module == "micrograd":
            continue
        dists = {_canonical(dist) for dist in _distributions_by_module().get(module, [])}
        if not dists & named:
            unnamed[module] = sorted(dists) or ["(not installed here)"]
    assert not unnamed, (
        f"{page.relative_to(REPO)} imports modules from packages its front matter does not name: "
        f"{json.dumps(unnamed)}"
    )


def test_the_tutorials_extra_installs_what_every_page_names() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = {
        _canonical(re.split(r"[<>=!~\[ ;]", spec)[0])
        for spec in project["optional-dependencies"]["tutorials"]
    }
    every_name = {_canonical(name) for page in PAGES for name in requires(page)}
    assert extra == every_name
