"""Shared fixtures: PyTorch as the independent reference, the lecture's neuron, the test markers.

PyTorch is a test-only dependency. Tests that compare against it take the ``torch``
fixture; every other test in the same module runs without it. Like every test
dependency, it comes from :func:`dependencies.require`: a missing one skips the test on
a developer's machine, with one line at the end of the run naming what was skipped and
how to install it, and fails the test in CI.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from dependencies import INSTALL, MISSING, require

from micrograd.engine import Value

# The site's playground modules (docs/_ext/static/playgrounds), as Pyodide imports them.
_SITE_STATIC = str(Path(__file__).resolve().parents[1] / "docs" / "_ext" / "static")
if _SITE_STATIC not in sys.path:
    sys.path.insert(0, _SITE_STATIC)


def pytest_configure(config: pytest.Config) -> None:
    # The project runs pytest with --strict-markers, so every marker is declared.
    config.addinivalue_line("markers", "slow: takes several seconds (deselect with -m 'not slow')")


@pytest.fixture(scope="session")
def torch() -> ModuleType:
    """The ``torch`` module; without it, a skip (or a failure in CI)."""
    module: ModuleType = require("torch")
    return module


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """End a run that skipped tests for missing dependencies with one line: what, and how to install it."""
    skipped: Counter[tuple[str, str]] = Counter()  # (what is missing, how to install it) -> skips
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        if MISSING in reason:
            name, _, install = reason.split(MISSING, 1)[1].partition(INSTALL)
            skipped[name, install] += 1
    if skipped:
        what = "; ".join(f"{name} ({n}): {install}" for (name, install), n in skipped.items())
        terminalreporter.write_line(
            f"{sum(skipped.values())} skipped for missing test dependencies: {what}. "
            "With CI=true they fail instead.",
            yellow=True,
            bold=True,
        )


Fn = Callable[..., Any]


@pytest.fixture(scope="session")
def torch_value_and_grads(torch: ModuleType) -> Callable[[Fn, Sequence[float]], tuple[float, list[float]]]:
    """Evaluate ``fn`` on float64 leaf tensors; return its value and the gradient of each input.

    ``fn`` is written once with Python operators and the methods ``exp``, ``log``, ``tanh``,
    ``sigmoid`` and ``relu``, which a :class:`~micrograd.engine.Value` and a tensor share, so
    the very same function builds the micrograd graph and the PyTorch reference. An input the
    output does not depend on has gradient 0, as in micrograd.
    """

    def evaluate(fn: Fn, inputs: Sequence[float]) -> tuple[float, list[float]]:
        leaves = [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in inputs]
        out = fn(*leaves)
        grads = torch.autograd.grad(out, leaves, allow_unused=True)
        return out.item(), [0.0 if g is None else g.item() for g in grads]

    return evaluate


def micrograd_value_and_grads(fn: Fn, inputs: Sequence[float]) -> tuple[float, list[float]]:
    """Evaluate ``fn`` on micrograd leaves, backpropagate, return its value and the input gradients."""
    leaves = [Value(x) for x in inputs]
    out = fn(*leaves)
    out.backward()
    return out.data, [v.grad for v in leaves]


@pytest.fixture(scope="session")
def micrograd_grads() -> Callable[[Fn, Sequence[float]], tuple[float, list[float]]]:
    """:func:`micrograd_value_and_grads` as a fixture, for symmetry with the PyTorch one."""
    return micrograd_value_and_grads


@pytest.fixture
def lecture_neuron() -> Callable[[], dict[str, Value]]:
    """A builder of the lecture's tanh neuron, each value labelled with its name in the lecture."""

    def build() -> dict[str, Value]:
        x1, x2 = Value(2.0), Value(0.0)
        w1, w2 = Value(-3.0), Value(1.0)
        b = Value(6.8813735870195432)
        x1w1 = x1 * w1
        x2w2 = x2 * w2
        x1w1x2w2 = x1w1 + x2w2
        n = x1w1x2w2 + b
        o = n.tanh()
        named = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "x1w1": x1w1, "x2w2": x2w2}
        named |= {"x1w1x2w2": x1w1x2w2, "n": n, "o": o}
        for name, v in named.items():
            v.label = name
        return named

    return build
