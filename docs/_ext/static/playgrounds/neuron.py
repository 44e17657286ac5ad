"""The neuron playground: sliders for x1, x2, w1, w2 and b, and a choice of activation.

The neuron is the lecture's: ``o = act(x1*w1 + x2*w2 + b)``, each value labelled with its
name in the lecture. :func:`neuron_graph` builds it with micrograd for the slider
positions, runs ``backward()`` and returns every value and gradient, the graph as a node
list and the steps of ``backward()`` (:func:`playgrounds.graph_steps.graph_frames`).
A slider move needs far less: :func:`neuron_numbers` returns only each value's data and
gradient, so that the answer Python turns into JSON on every move stays small; the page asks
for the steps only when the reader steps.

Before Python has loaded in the browser, the sliders still work from precomputed frames:
:func:`precomputed_frames` computes, with this same code, the graph for every position of
each slider on its own (the others at their defaults), for each activation. The site's
``playground_frames`` extension writes them to ``_static/playgrounds/neuron-frames.json``
at build time; nothing in that file is typed by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from micrograd import Value

from .graph_steps import graph_frames

ACTIVATIONS = ("tanh", "relu", "sigmoid")
#: The inputs, weights and bias of the lecture's neuron (b makes o = tanh(n) = 0.7071).
DEFAULTS: dict[str, float] = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
#: Each slider's range and step: (lowest, highest, step).
SLIDERS: dict[str, tuple[float, float, float]] = {
    "x1": (-3.0, 3.0, 0.5),
    "x2": (-3.0, 3.0, 0.5),
    "w1": (-3.0, 3.0, 0.5),
    "w2": (-3.0, 3.0, 0.5),
    "b": (-8.0, 8.0, 0.5),
}


def neuron_graph(settings: Mapping[str, float], activation: str = "tanh") -> dict[str, Any]:
    """The neuron for these slider settings, after ``o.backward()``, with the steps of it.

    Args:
        settings: ``x1``, ``x2``, ``w1``, ``w2`` and ``b`` (missing ones take their defaults).
        activation: ``"tanh"``, ``"relu"`` or ``"sigmoid"``.

    Returns:
        ``{"values": {label: data}, "grads": {label: grad}, **graph_frames(o)}``: the data
        and gradient of each labelled value, the node list and the frames of backward().

    Raises:
        ValueError: If the activation or a setting is unknown, or a setting is not a
            finite number.
    """
    labelled, o = _neuron(settings, activation)
    frames = graph_frames(o)
    o.backward()
    return {
        "activation": activation,
        "values": {label: v.data for label, v in labelled.items()},
        "grads": {label: v.grad for label, v in labelled.items()},
        **frames,
    }


def neuron_numbers(settings: Mapping[str, float], activation: str = "tanh") -> dict[str, list[float]]:
    """Only what a slider move redraws: each value's data and gradient after ``o.backward()``.

    Args:
        settings: As for :func:`neuron_graph`.
        activation: As for :func:`neuron_graph`.

    Returns:
        ``{"data": [...], "grads": [...]}``, one number per value in the order of
        :func:`neuron_graph`'s ``nodes`` (the order ``backward()`` sorts the graph in).

    Raises:
        ValueError: As :func:`neuron_graph` does.
    """
    _, o = _neuron(settings, activation)
    o.backward()
    values = o._topological_order()  # the order graph_frames numbers the nodes in
    return {"data": [v.data for v in values], "grads": [v.grad for v in values]}


def _neuron(settings: Mapping[str, float], activation: str) -> tuple[dict[str, Value], Value]:
    """The labelled values of ``o = act(x1*w1 + x2*w2 + b)``, and ``o``, before backward()."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}; the neuron has {', '.join(DEFAULTS)}")
    numbers = {**DEFAULTS, **settings}
    x1, x2, w1, w2, b = (Value(numbers[name], label=name) for name in ("x1", "x2", "w1", "w2", "b"))
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = getattr(n, activation)()
    labelled = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "x1*w1": x1w1, "x2*w2": x2w2}
    labelled |= {"x1*w1 + x2*w2": x1w1x2w2, "n": n, "o": o}
    for label, v in labelled.items():
        v.label = label
    return labelled, o


def slider_positions(name: str) -> list[float]:
    """Every position of one slider: its steps, and its default if that falls between them."""
    low, high, step = SLIDERS[name]
    count = round((high - low) / step)
    positions = {low + k * step for k in range(count + 1)} | {DEFAULTS[name]}
    return sorted(positions)


def precomputed_frames() -> dict[str, Any]:
    """The playground's numbers for each slider moved alone, for every activation.

    Returns:
        ``{"defaults", "sliders", "activations": {act: {"nodes": [...], "default":
        frame, "moves": {slider: [[position, frame], ...]}}}}``, where a frame is
        ``{"data": [...], "grads": [...]}`` in the order of ``nodes`` (the graph's shape
        is the same for every position).
    """
    activations: dict[str, Any] = {}
    for activation in ACTIVATIONS:
        default = neuron_graph({}, activation)
        moves = {
            name: [[x, _frame(neuron_graph({name: x}, activation))] for x in slider_positions(name)]
            for name in SLIDERS
        }
        nodes = [{key: node[key] for key in ("id", "label", "op", "inputs")} for node in default["nodes"]]
        activations[activation] = {"nodes": nodes, "default": _frame(default), "moves": moves}
    return {"defaults": DEFAULTS, "sliders": SLIDERS, "activations": activations}


def _frame(graph: Mapping[str, Any]) -> dict[str, list[float]]:
    return {
        "data": [node["data"] for node in graph["nodes"]],
        "grads": [graph["grads"][node["label"]] for node in graph["nodes"]],
    }
