"""The classic micrograd demo: an MLP learns the two moons to 100% training accuracy.

The data, model, loss and schedule are the classic demo's: 100 points from scikit-learn's
``make_moons`` with noise 0.1, labels -1/+1, ``MLP(2, [16, 16, 1])`` after
``random.seed(1337)``, the max-margin (hinge) loss ``mean(relu(1 - y * score))`` plus
``1e-4 * sum(p * p)``, and 100 steps of plain gradient descent with the learning rate
``1.0 - 0.9 * k / 100``. The loss is written out with Value ops, in the demo's own style
(NumPy labels on the left of the Values included).
"""

from __future__ import annotations

import random
from types import ModuleType
from typing import Any

import pytest
from dependencies import require

from micrograd.engine import Value
from micrograd.nn import MLP

np = require("numpy")
datasets = require("sklearn")

STEPS = 100
ALPHA = 1e-4


def _moons(random_state: int | None) -> tuple[Any, Any]:
    # The classic demo seeds NumPy's global generator and draws from it.
    np.random.seed(1337)
    X, y = datasets.make_moons(n_samples=100, noise=0.1, random_state=random_state)
    return X, y * 2 - 1  # labels -1 or +1


def _loss(model: MLP, X: Any, y: Any) -> tuple[Value, float]:
    """The demo's hinge loss plus L2 regularisation, and the training accuracy."""
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    accuracy = [(yi > 0) == (score.data > 0) for yi, score in zip(y, scores, strict=True)]
    return data_loss + reg_loss, sum(accuracy) / len(accuracy)


def _train(X: Any, y: Any) -> tuple[MLP, list[float], list[float]]:
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    losses, accuracies = [], []
    for k in range(STEPS):
        total_loss, accuracy = _loss(model, X, y)
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / STEPS
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        losses.append(total_loss.data)
        accuracies.append(accuracy)
    return model, losses, accuracies


Run = tuple[Any, Any, MLP, list[float], list[float]]


@pytest.fixture(scope="module", params=[None, 1], ids=["demo data", "random_state=1"])
def run(request: pytest.FixtureRequest) -> Run:
    """The classic demo's data (NumPy's global generator seeded with 1337), and a second draw."""
    X, y = _moons(request.param)
    return (X, y, *_train(X, y))


@pytest.mark.slow
def test_the_classic_two_moons_demo_reaches_full_training_accuracy(run: Run) -> None:
    X, y, model, losses, accuracies = run
    _, final_accuracy = _loss(model, X, y)
    assert final_accuracy == 1.0
    assert accuracies[0] < 1.0  # it had something to learn
    assert losses[-1] < 0.1 * losses[0]


@pytest.mark.slow
def test_two_moons_training_follows_pytorch_step_for_step(torch: ModuleType, run: Run) -> None:
    X, y, model, losses, _ = run

    # The same network and loss in PyTorch float64 matrices, from the same initial weights.
    random.seed(1337)
    initial = MLP(2, [16, 16, 1])
    params = []
    for layer in initial.layers:
        w = [[w.data for w in n.w] for n in layer.neurons]
        b = [n.b.data for n in layer.neurons]
        params += [torch.tensor(w, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)]
    for p in params:
        p.requires_grad_()
    X_t = torch.tensor(X, dtype=torch.float64)
    y_t = torch.tensor(y, dtype=torch.float64)
    torch_losses = []
    for k in range(STEPS):
        h = torch.relu(X_t @ params[0].T + params[1])
        h = torch.relu(h @ params[2].T + params[3])
        scores = (h @ params[4].T + params[5]).squeeze(1)
        loss = torch.relu(1 - y_t * scores).mean() + ALPHA * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= (1.0 - 0.9 * k / STEPS) * p.grad
        torch_losses.append(loss.item())

    assert losses == pytest.approx(torch_losses, rel=1e-9)
    final = [p.data for p in model.parameters()]
    expected = [
        x
        for i in range(0, len(params), 2)
        for w_row, b in zip(params[i].tolist(), params[i + 1].tolist(), strict=True)
        for x in [*w_row, b]
    ]
    assert final == pytest.approx(expected, rel=1e-8, abs=1e-10)
