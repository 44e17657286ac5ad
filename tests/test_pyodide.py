"""The engine works in the readers' browsers: the package's own tests, run inside Pyodide.

The site runs micrograd in Pyodide (CPython compiled to WebAssembly). Here Node runs the
same Pyodide (the npm package pinned in docs/package.json, installed by docs/build.sh) and,
inside it, pytest on the package's doctests, the README and every test module that needs
nothing Pyodide lacks: PyTorch has no WebAssembly build, so the comparisons with it skip
there (they run natively); Graphviz's ``dot`` program and the browser are not there either.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dependencies import missing, require

REPO = Path(__file__).resolve().parents[1]
RUNNER = REPO / "tests" / "pyodide" / "run_suite.mjs"
PYODIDE = REPO / "docs" / "node_modules" / "pyodide" / "pyodide.mjs"
WHEELS = REPO / "test-artifacts" / "pyodide-wheels"

MODULES = [
    "tests/test_engine.py",
    "tests/test_engine_properties.py",
    "tests/test_errors.py",
    "tests/test_nn.py",
    "tests/test_losses.py",
    "tests/test_optim.py",
    "tests/test_gradcheck.py",
    "tests/test_fast_paths.py",
    "tests/test_classic_compat.py",
    "micrograd",
    "README.md",
]

# Freeing a chain of a few thousand values recurses in C once per link; in WebAssembly that
# overflows the JavaScript engine's stack and kills Pyodide (not a Python RecursionError).
# Measured with Pyodide 314.0.7 in Node 20: a 2,000-step chain is freed, 2,500 is fatal.
TOO_DEEP_FOR_WEBASSEMBLY = [
    "tests/test_engine.py::test_a_million_op_chain_backpropagates_under_the_default_recursion_limit",
]

# Pyodide's CPython has no threads ("can't start new thread"); a page runs one Python at a
# time, so what these check (backward() in several threads at once) cannot happen there.
NEEDS_THREADS = [
    "tests/test_engine.py::test_backward_in_two_threads_leaves_the_collector_on_whatever_the_interleaving",
    "tests/test_engine_properties.py::test_backward_in_four_threads_at_once_gives_each_its_one_thread_gradients",
]

# The tensor exercises' checkers work on NumPy arrays. NumPy is in Pyodide's own package
# distribution, which comes from its CDN and not from PyPI, so it is not in the test's
# environment; the page that uses them says it needs the network for NumPy.
NEEDS_NUMPY = [
    "micrograd/exercises/tensors.py::micrograd.exercises.tensors.check_linear_backward",
    "micrograd/exercises/tensors.py::micrograd.exercises.tensors.check_tensor",
]

KEPT_OUT = TOO_DEEP_FOR_WEBASSEMBLY + NEEDS_THREADS + NEEDS_NUMPY


@pytest.fixture(scope="module")
def wheels() -> Path:
    """The pure-Python wheels of tests/pyodide/requirements.txt, downloaded once from PyPI."""
    requirements = REPO / "tests" / "pyodide" / "requirements.txt"
    stamp = WHEELS / "requirements.txt"
    if not stamp.is_file() or stamp.read_bytes() != requirements.read_bytes():
        shutil.rmtree(WHEELS, ignore_errors=True)
        WHEELS.mkdir(parents=True)
        # Pure-Python wheels only, for Pyodide 314's CPython 3.14.
        pure = ["--only-binary=:all:", "--platform", "any", "--implementation", "py", "--abi", "none"]
        download = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--python-version", "3.14"]
        subprocess.run([*download, *pure, "-r", str(requirements), "-d", str(WHEELS)], check=True)
        shutil.copy(requirements, stamp)
    return WHEELS


@pytest.mark.slow
def test_the_package_passes_its_own_tests_inside_pyodide(wheels: Path) -> None:
    require("node")
    if not PYODIDE.is_file():
        missing("Pyodide (npm)", "bash docs/build.sh (its npm ci installs docs/node_modules)")
    deselect = [arg for test in KEPT_OUT for arg in ("--deselect", test)]
    run = subprocess.run(
        ["node", str(RUNNER), str(wheels), "-q", *deselect, *MODULES],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:]
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    passed = int(re.search(r"(\d+) passed", summary).group(1))  # type: ignore[union-attr]
    assert "failed" not in summary and "error" not in summary, summary
    # The engine, losses, optimizers, gradient checker and doctests ran, not only skips.
    assert passed >= 200, summary
    print(f"inside Pyodide: {summary}")


def test_the_tests_kept_out_of_pyodide_still_exist() -> None:
    # pytest ignores a --deselect that matches nothing, so a renamed test would run in Pyodide again.
    for test in KEPT_OUT:
        path, _, name = test.partition("::")
        name = name.rpartition(".")[2]  # a doctest is named by its function's dotted path
        assert f"def {name}(" in (REPO / path).read_text(encoding="utf-8"), test
