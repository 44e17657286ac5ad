"""The floor: the two-moons training step written by hand on plain Python floats.

Usage: ``python float_step.py [STEPS]`` (default 5). Prints one JSON line, as
``train_step.py`` does.

The same network, data, loss and update as ``_demo.py``, with no graph at all: the forward
pass computes the numbers the engines compute, in the same order, and the backward pass is
the chain rule derived by hand for this one network. It is the least that any pure-Python
scalar engine can cost for this step, since an engine does this arithmetic and more (it
builds and walks a graph). The losses equal the engines' (a test checks it to 1e-9).

Standard library only: the weights start as ``MLP(2, [16, 16, 1])`` starts them after
``random.seed(1337)``, read from the same random numbers in the same order.
"""

from __future__ import annotations

import itertools
import json
import platform
import random
import sys
import time
from pathlib import Path

MOONS = Path(__file__).resolve().parent.parent / "moons.json"
SIZES = (2, 16, 16, 1)
ALPHA = 1e-4

# One layer: a list of neurons, each a list [w_0, ..., w_{nin-1}, b] (the bias last, as
# in Neuron.parameters()).
Layer = list[list[float]]


def load_moons() -> tuple[list[list[float]], list[int]]:
    data = json.loads(MOONS.read_text())
    return data["X"], data["y"]


def make_layers() -> list[Layer]:
    """The demo's initial weights: uniform in [-1, 1] drawn in MLP's order, biases 0."""
    random.seed(1337)
    return [
        [[random.uniform(-1, 1) for _ in range(nin)] + [0.0] for _ in range(nout)]
        for nin, nout in itertools.pairwise(SIZES)
    ]


def train_step(layers: list[Layer], X: list[list[float]], y: list[int], k: int) -> tuple[float, float]:
    """One step of the demo on floats: forward, hand-derived backward, SGD; returns (loss, accuracy)."""
    last = len(layers) - 1
    grads = [[[0.0] * len(neuron) for neuron in layer] for layer in layers]
    data_loss = 0.0
    correct = 0
    scale = 1.0 / len(X)
    for xi, yi in zip(X, y, strict=True):
        # Forward, keeping each layer's input for the backward pass. Each neuron sums
        # b + w_0 x_0 + w_1 x_1 + ... in that order, as Neuron does; ReLU on hidden layers.
        inputs = [xi]
        h = xi
        for n, layer in enumerate(layers):
            out = []
            for neuron in layer:
                total = neuron[-1]
                for w, x in zip(neuron, h):  # noqa: B905 (the bias, last, has no input)
                    total += w * x
                out.append(total if n == last or total > 0 else 0.0)
            inputs.append(out)
            h = out
        score = h[0]
        margin = 1 + -yi * score
        data_loss += margin if margin > 0 else 0.0
        correct += (yi > 0) == (score > 0)
        # Backward: d(loss)/d(score) through the mean hinge loss, then layer by layer.
        if margin <= 0:
            continue
        g_out = [-yi * scale]
        for n in range(last, -1, -1):
            h = inputs[n]
            g_in = [0.0] * len(h)
            for neuron, grad, g in zip(layers[n], grads[n], g_out, strict=True):
                if g == 0.0:
                    continue
                grad[-1] += g
                for i, x in enumerate(h):
                    grad[i] += g * x
                    g_in[i] += g * neuron[i]
            if n > 0:  # through the ReLU of the layer below
                g_out = [g if x > 0 else 0.0 for g, x in zip(g_in, h, strict=True)]
    # The L2 term, alpha * (p_0 ** 2 + p_1 ** 2 + ...), summed in the order of parameters().
    squares = 0.0
    for layer, layer_grads in zip(layers, grads, strict=True):
        for neuron, grad in zip(layer, layer_grads, strict=True):
            for i, p in enumerate(neuron):
                squares += p * p
                grad[i] += 2 * ALPHA * p
    loss = data_loss * scale + ALPHA * squares
    learning_rate = 1.0 - 0.9 * k / 100
    for layer, layer_grads in zip(layers, grads, strict=True):
        for neuron, grad in zip(layer, layer_grads, strict=True):
            for i, g in enumerate(grad):
                neuron[i] -= learning_rate * g
    return loss, correct / len(X)


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    X, y = load_moons()
    layers = make_layers()
    seconds, cpu_seconds, losses = [], [], []
    for k in range(steps):
        start, start_cpu = time.perf_counter(), time.process_time()
        loss, _ = train_step(layers, X, y, k)
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - start_cpu)
        losses.append(loss)
    result = {"workload": "train_step", "steps": steps, "seconds": seconds, "cpu_seconds": cpu_seconds}
    result["losses"] = losses
    result["engine"] = {"distribution": "plain floats", "version": platform.python_version(), "file": ""}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
