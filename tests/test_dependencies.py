"""A missing test dependency skips a test on a developer's machine, with a summary line, and fails it in CI.

Each check runs pytest in a fresh process on a few small tests that use this suite's own
``conftest.py`` and ``dependencies.py``, on a machine made to lack mpmath, NumPy and
PyTorch (an import hook refuses them), Graphviz's ``dot`` (an empty ``PATH``) and
Chromium (``MICROGRAD_CHROMIUM`` names no file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dependencies import DEPENDENCIES, in_ci

TESTS = Path(__file__).resolve().parent

HIDE_MODULES = '''
import sys


class _Hide:
    """Refuse to import these modules, as on a machine without them."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mpmath", "numpy", "torch"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _Hide())
'''

IN_TESTS = """
from dependencies import require


def test_needs_mpmath():
    require("mpmath")


def test_needs_dot():
    require("dot")


def test_needs_chromium():
    require("chromium")


def test_needs_torch(torch):
    pass


def test_needs_nothing():
    pass
"""

AT_MODULE_LEVEL = """
from dependencies import require

np = require("numpy")


def test_uses_numpy():
    assert np.zeros(1)[0] == 0
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder of tests with this suite's conftest and dependency helper, and the modules hidden."""
    for name in ("conftest.py", "dependencies.py"):
        shutil.copy(TESTS / name, tmp_path / name)
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "conftest.py").write_text(HIDE_MODULES, encoding="utf-8")
    (checks / "test_in_tests.py").write_text(IN_TESTS, encoding="utf-8")
    (checks / "test_at_module_level.py").write_text(AT_MODULE_LEVEL, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    return tmp_path


def run_pytest(project: Path, ci: str | None, *test_files: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env |= {"PATH": str(project / "empty"), "MICROGRAD_CHROMIUM": str(project / "no-chromium")}
    if ci is not None:
        env["CI"] = ci
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(project), "-rA"]
    return subprocess.run(
        [*command, *(str(project / "checks" / name) for name in test_files)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_ci_a_missing_dependency_skips_and_one_line_says_what_and_how_to_install(
    project: Path,
) -> None:
    result = run_pytest(project, None, "test_in_tests.py", "test_at_module_level.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 5 skipped" in result.stdout  # the module-level one skips its whole module
    lines = [line for line in result.stdout.splitlines() if "skipped for missing test dependencies" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("5 skipped for missing test dependencies: ")
    for key in ("mpmath", "dot", "chromium", "torch", "numpy"):
        dependency = DEPENDENCIES[key]
        assert f"{dependency.name} (1): {dependency.install}" in lines[0]


def test_in_ci_a_missing_dependency_fails_the_test_naming_it_and_its_install_command(project: Path) -> None:
    result = run_pytest(project, "true", "test_in_tests.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "skipped" not in result.stdout
    for key in ("mpmath", "dot", "chromium", "torch"):
        dependency = DEPENDENCIES[key]
        assert f"{dependency.name} is missing" in result.stdout
        assert f"and CI runs every test; install it: {dependency.install}" in result.stdout


def test_in_ci_a_module_level_requirement_fails_the_collection_naming_it(project: Path) -> None:
    result = run_pytest(project, "1", "test_at_module_level.py")
    assert result.returncode != 0, result.stdout + result.stderr
    assert "ERROR collecting" in result.stdout
    install = DEPENDENCIES["numpy"].install
    assert f"NumPy is missing (No module named 'numpy'), and CI runs every test; install it: {install}" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("True", True), ("", False), ("false", False), ("0", False)],
)
def test_ci_is_any_value_of_the_ci_variable_but_an_empty_or_false_one(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected
