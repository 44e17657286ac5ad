"""The neuron playground's Python side: values and gradients for any slider positions.

Gradients are compared with PyTorch in float64 and with the lecture's neuron built directly;
the frames precomputed for the sliders (before Python loads in the browser) are the numbers
the playground computes for the same positions.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from playgrounds.neuron import (  # docs/_ext/static, put on sys.path by conftest
    ACTIVATIONS,
    DEFAULTS,
    SLIDERS,
    neuron_graph,
    neuron_numbers,
    precomputed_frames,
    slider_positions,
)

from micrograd import Value

DOCS = Path(__file__).resolve().parents[1] / "docs"
LEAVES = ("x1", "x2", "w1", "w2", "b")
SETTINGS = [
    {},
    {"x1": -1.5, "x2": 2.5, "w1": 0.5, "w2": -2.0, "b": 0.25},
    {"x1": 3.0, "x2": -3.0, "w1": 3.0, "w2": 3.0, "b": -8.0},
    {"x1": 0.0, "x2": 0.0, "w1": 0.0, "w2": 0.0, "b": 0.0},
]


def test_default_neuron_is_the_lectures(lecture_neuron: Callable[[], dict[str, Value]]) -> None:
    expected = lecture_neuron()
    expected["o"].backward()
    shown = neuron_graph({})
    for name in LEAVES:
        assert shown["values"][name] == expected[name].data
        assert shown["grads"][name] == expected[name].grad
    assert shown["values"]["o"] == expected["o"].data
    assert [shown["grads"][n] for n in ("x1", "w1", "x2", "w2")] == pytest.approx([-1.5, 1.0, 0.5, 0.0])


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("settings", SETTINGS, ids=range(len(SETTINGS)))
def test_values_and_gradients_equal_pytorch_float64(
    torch: ModuleType, activation: str, settings: dict[str, float]
) -> None:
    numbers = {**DEFAULTS, **settings}
    t = {name: torch.tensor(numbers[name], dtype=torch.float64, requires_grad=True) for name in LEAVES}
    n = t["x1"] * t["w1"] + t["x2"] * t["w2"] + t["b"]
    o = getattr(torch, activation)(n)
    o.backward()
    shown = neuron_graph(settings, activation)
    assert math.isclose(shown["values"]["o"], o.item(), rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(shown["values"]["n"], n.item(), rel_tol=1e-12, abs_tol=1e-15)
    for name in LEAVES:
        assert math.isclose(shown["grads"][name], t[name].grad.item(), rel_tol=1e-12, abs_tol=1e-15), name
    # backward() step by step ends with the same gradients, and starts at the output.
    last = shown["frames"][-1]["grads"]
    for node in shown["nodes"]:
        assert last[node["id"]] == shown["grads"][node["label"]]
    assert shown["nodes"][shown["order"][0]]["label"] == "o"
    assert len(shown["frames"]) == len(shown["nodes"]) + 1 == 11
    # What a slider move asks for: the same numbers, in the order of the graph's nodes.
    lean = neuron_numbers(settings, activation)
    labels = [node["label"] for node in shown["nodes"]]
    data = dict(zip(labels, lean["data"], strict=True))
    grads = dict(zip(labels, lean["grads"], strict=True))
    assert math.isclose(data["o"], o.item(), rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(data["n"], n.item(), rel_tol=1e-12, abs_tol=1e-15)
    for name in LEAVES:
        assert data[name] == numbers[name]
        assert math.isclose(grads[name], t[name].grad.item(), rel_tol=1e-12, abs_tol=1e-15), name


def test_frames_pass_each_gradient_to_the_inputs_of_its_node() -> None:
    shown = neuron_graph({"x2": 1.0})
    for frame in shown["frames"][1:]:
        node = shown["nodes"][frame["node"]]
        assert [child for child, _, _ in frame["passed"]] == node["inputs"]


@pytest.mark.parametrize(
    ("settings", "activation", "message"),
    [
        ({}, "gelu", "unknown activation 'gelu'"),
        ({"x3": 1.0}, "tanh", "unknown setting 'x3'"),
        ({"b": math.nan}, "tanh", "finite number"),
    ],
)
def test_bad_settings_are_refused(settings: dict[str, float], activation: str, message: str) -> None:
    for function in (neuron_graph, neuron_numbers):
        with pytest.raises(ValueError, match=message):
            function(settings, activation)


def test_slider_positions_cover_the_range_and_the_default() -> None:
    for name, (low, high, step) in SLIDERS.items():
        positions = slider_positions(name)
        assert positions[0] == low and positions[-1] == high and DEFAULTS[name] in positions
        assert all(b - a <= step + 1e-12 for a, b in itertools.pairwise(positions))


def test_precomputed_frames_are_the_playgrounds_numbers_for_each_slider_position() -> None:
    frames = precomputed_frames()
    for activation in ACTIVATIONS:
        table = frames["activations"][activation]
        labels = [node["label"] for node in table["nodes"]]
        for name, moves in table["moves"].items():
            assert [x for x, _ in moves] == slider_positions(name)
            for x, frame in moves[:: max(1, len(moves) // 4)]:
                live = neuron_graph({name: x}, activation)
                assert frame["data"] == [live["values"][label] for label in labels]
                assert frame["grads"] == [live["grads"][label] for label in labels]


def test_the_built_site_serves_the_frames_the_extension_computes() -> None:
    built = DOCS / "_build" / "html" / "_static" / "playgrounds" / "neuron-frames.json"
    if not built.is_file():
        pytest.skip("the site is not built (docs/build.sh)")
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        from playground_frames import neuron_frames
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    assert json.loads(built.read_text(encoding="utf-8")) == json.loads(json.dumps(neuron_frames()))
    assert (built.parent / "neuron.py").is_file(), "the playground modules are served for the runner"
