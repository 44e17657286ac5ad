"""PyTorch on the two-moons training step: on the same scalar graph, and vectorized.

Usage: ``python torch_step.py scalar|vectorized [STEPS]`` (default 5 steps). Prints one JSON
line, as ``train_step.py`` does. Needs PyTorch; runs on the CPU, in float64.

- ``scalar``: the graph the engines build, one 0-d float64 tensor per value and one eager
  PyTorch operation per ``*``, ``+`` and ``relu`` (each neuron's ``b + w_0 x_0 + ...``
  written out, as the classic micrograd builds it), then ``backward()``. What PyTorch costs
  when it is used as a scalar engine.
- ``vectorized``: what one writes when only speed matters: a weight matrix per layer, the
  100 points as one 100 x 2 tensor, three matrix products.

Both start from the demo's weights (``float_step.make_layers``) and give its losses.
"""

from __future__ import annotations

import json
import sys
import time

import torch
from float_step import ALPHA, Layer, load_moons, make_layers

Step = tuple[float, float]


def scalar_model(layers: list[Layer]) -> list[list[list[torch.Tensor]]]:
    """Every weight and bias as a 0-d float64 tensor that requires a gradient."""
    return [
        [[torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in neuron] for neuron in layer]
        for layer in layers
    ]


def scalar_step(model: list[list[list[torch.Tensor]]], X: list[list[float]], y: list[int], k: int) -> Step:
    """The demo's step with one tensor per scalar, in the classic micrograd's order of operations."""
    params = [p for layer in model for neuron in layer for p in neuron]
    last = len(model) - 1
    losses, correct = [], 0
    for xi, yi in zip(X, y, strict=True):
        h = [torch.tensor(x, dtype=torch.float64) for x in xi]
        for n, layer in enumerate(model):
            out = []
            for neuron in layer:
                total = neuron[-1]
                for w, x in zip(neuron, h):  # noqa: B905 (the bias, last, has no input)
                    total = total + w * x
                out.append(total if n == last else total.relu())
            h = out
        score = h[0]
        losses.append((1 + -yi * score).relu())
        correct += (yi > 0) == (score.item() > 0)
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in params)
    total_loss = data_loss + reg_loss
    _backward_and_update(total_loss, params, k)
    return total_loss.item(), correct / len(X)


def _backward_and_update(total_loss: object, params: list[torch.Tensor], k: int) -> None:
    """The demo's backward pass and SGD update, with its learning rate decaying over 100 steps."""
    for p in params:
        p.grad = None
    assert isinstance(total_loss, torch.Tensor)
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    with torch.no_grad():
        for p in params:
            assert p.grad is not None
            p -= learning_rate * p.grad


def vectorized_model(layers: list[Layer]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Each layer as (weights: nin x nout, biases: nout), float64, requiring gradients."""
    model = []
    for layer in layers:
        weights = torch.tensor([neuron[:-1] for neuron in layer], dtype=torch.float64).T.contiguous()
        biases = torch.tensor([neuron[-1] for neuron in layer], dtype=torch.float64)
        model.append((weights.requires_grad_(), biases.requires_grad_()))
    return model


def vectorized_step(
    model: list[tuple[torch.Tensor, torch.Tensor]], X: torch.Tensor, y: torch.Tensor, k: int
) -> Step:
    """The demo's step on whole tensors: a matrix product per layer for all 100 points."""
    h = X
    for n, (weights, biases) in enumerate(model):
        h = h @ weights + biases
        if n < len(model) - 1:
            h = h.relu()
    scores = h[:, 0]
    data_loss = (1 - y * scores).relu().mean()
    reg_loss = ALPHA * sum((p * p).sum() for pair in model for p in pair)
    total_loss = data_loss + reg_loss
    params = [p for pair in model for p in pair]
    _backward_and_update(total_loss, params, k)
    accuracy = ((y > 0) == (scores > 0)).double().mean().item()
    return total_loss.item(), accuracy


def main() -> None:
    kind = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    torch.set_num_threads(1)  # the engines use one core; so does PyTorch here
    X, y = load_moons()
    layers = make_layers()
    if kind == "scalar":
        scalar = scalar_model(layers)

        def step(k: int) -> Step:
            return scalar_step(scalar, X, y, k)

    elif kind == "vectorized":
        tensors = vectorized_model(layers)
        X_t, y_t = torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)

        def step(k: int) -> Step:
            return vectorized_step(tensors, X_t, y_t, k)

    else:
        raise SystemExit(f"usage: torch_step.py scalar|vectorized [STEPS], got {kind!r}")
    seconds, cpu_seconds, losses = [], [], []
    for k in range(steps):
        start, start_cpu = time.perf_counter(), time.process_time()
        loss, _ = step(k)
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - start_cpu)
        losses.append(loss)
    result = {"workload": "train_step", "steps": steps, "seconds": seconds, "cpu_seconds": cpu_seconds}
    result["losses"] = losses
    result["engine"] = {"distribution": "torch", "version": torch.__version__, "file": torch.__file__}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
