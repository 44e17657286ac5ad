"""The classic micrograd two-moons demo, shared by the training workloads.

Written against the classic API only (``Value``, ``MLP``, ``zero_grad``, ``parameters``),
so that the same file runs unchanged with this project and with ``micrograd==0.1.0``.
The loss is the demo's: the mean hinge loss ``relu(1 - y * score)`` plus ``1e-4`` times
the sum of the squared parameters.
"""

from __future__ import annotations

import json
import random
import sys
from importlib import metadata
from pathlib import Path

import micrograd
from micrograd.engine import Value
from micrograd.nn import MLP

MOONS = Path(__file__).resolve().parent.parent / "moons.json"


def engine_info() -> dict[str, str]:
    """Which micrograd this process imported, so that the driver can check it."""
    for dist in ("micrograd-learn", "micrograd"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        return {"distribution": dist, "version": version, "file": str(micrograd.__file__)}
    return {"distribution": "?", "version": "?", "file": str(micrograd.__file__)}


def load_moons() -> tuple[list[list[float]], list[int]]:
    data = json.loads(MOONS.read_text())
    return data["X"], data["y"]


def make_model() -> MLP:
    """The demo's network, ``MLP(2, [16, 16, 1])``, from the demo's seed."""
    random.seed(1337)
    return MLP(2, [16, 16, 1])


def loss(model: MLP, X: list[list[float]], y: list[int]) -> tuple[Value, float]:
    """The demo's loss on the whole data set, and the accuracy of the scores."""
    inputs = [[Value(x) for x in row] for row in X]
    scores = [model(row) for row in inputs]
    losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (score.data > 0) for yi, score in zip(y, scores, strict=True)]
    return total_loss, sum(accuracy) / len(accuracy)


def train_step(model: MLP, X: list[list[float]], y: list[int], k: int) -> tuple[float, float]:
    """One step of the demo: forward, zero_grad, backward, SGD update; returns (loss, accuracy)."""
    total_loss, accuracy = loss(model, X, y)
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total_loss.data, accuracy


def report(result: dict[str, object]) -> None:
    """Print the result as the one JSON line the driver reads."""
    result["engine"] = engine_info()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
