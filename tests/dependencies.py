"""The tests' own dependencies, and what a test does when one is missing.

Some tests need more than micrograd: PyTorch as the independent reference, the Graphviz
package and its ``dot`` program, scikit-learn, Playwright and Chromium for the browser
tests, and so on. A test asks for one with :func:`require`, never with
``pytest.importorskip`` or ``skipif``:

- on a developer's machine, a missing dependency skips the test, and the run ends with one
  line that names what was skipped and how to install it (``tests/conftest.py``);
- in CI (the environment variable ``CI`` is set, as ``.ci/run`` and CI services do), it
  fails the test, naming what is missing: CI must run every test, and a test that quietly
  skips there checks nothing.
"""

from __future__ import annotations

import importlib
import os
import shutil
from dataclasses import dataclass
from typing import Any, NoReturn

import pytest

# Every skip for a missing dependency has a reason that starts with this, so that the
# summary at the end of the run can find and count them.
MISSING = "missing test dependency: "
INSTALL = "; install: "

_TEST_EXTRA = 'pip install -e ".[test]"'


@dataclass(frozen=True)
class Dependency:
    """A module to import or a program to run, the name a reader knows it by, and how to install it."""

    name: str
    install: str
    module: str | None = None
    program: str | None = None
    program_env: str | None = None  # an environment variable that may give the program's path


DEPENDENCIES = {
    "torch": Dependency(
        "PyTorch",
        "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",
        module="torch",
    ),
    "graphviz": Dependency("the graphviz Python package", _TEST_EXTRA, module="graphviz"),
    "dot": Dependency(
        "Graphviz's dot program", "sudo apt-get install graphviz (or brew install graphviz)", program="dot"
    ),
    "numpy": Dependency("NumPy", _TEST_EXTRA, module="numpy"),
    "sklearn": Dependency("scikit-learn", _TEST_EXTRA, module="sklearn.datasets"),
    "mpmath": Dependency("mpmath", _TEST_EXTRA, module="mpmath"),
    "jsonschema": Dependency("jsonschema", _TEST_EXTRA, module="jsonschema"),
    "yaml": Dependency("PyYAML", _TEST_EXTRA, module="yaml"),
    "myst_nb": Dependency("myst-nb", 'pip install -e ".[docs]"', module="myst_nb"),
    "playwright": Dependency("Playwright for Python", _TEST_EXTRA, module="playwright.sync_api"),
    "chromium": Dependency(
        "Chromium",
        "sudo apt-get install chromium (or set MICROGRAD_CHROMIUM to its path)",
        program="/usr/bin/chromium",
        program_env="MICROGRAD_CHROMIUM",
    ),
    "npm": Dependency("npm", "sudo apt-get install npm", program="npm"),
    "node": Dependency("Node.js", "sudo apt-get install npm (it brings nodejs)", program="node"),
}


def in_ci() -> bool:
    """Whether the tests run in CI: the environment variable ``CI`` is set to something other than false."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(key: str) -> Any:
    """The dependency ``key`` of :data:`DEPENDENCIES`: the imported module, or the program's path.

    When it is missing, the test (or, called at module level, the whole module) skips,
    or fails in CI; see :func:`missing`.
    """
    dependency = DEPENDENCIES[key]
    if dependency.module is not None:
        try:
            return importlib.import_module(dependency.module)
        except ImportError as err:
            missing(dependency.name, dependency.install, detail=str(err))
    assert dependency.program is not None
    program = os.environ.get(dependency.program_env or "") or dependency.program
    path = shutil.which(program)
    if path is None:
        missing(dependency.name, dependency.install, detail=f"{program} not found")
    return path


def missing(name: str, install: str, *, detail: str = "") -> NoReturn:
    """Skip the current test (or module) because ``name`` is missing, or fail it in CI."""
    where = f" ({detail})" if detail else ""
    if in_ci():
        pytest.fail(f"{name} is missing{where}, and CI runs every test; install it: {install}", pytrace=False)
    pytest.skip(f"{MISSING}{name}{INSTALL}{install}", allow_module_level=True)
