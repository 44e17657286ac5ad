"""Code written for the classic micrograd and its lecture runs unchanged and gives the right numbers.

Each test is a usage pattern of the classic repository or of the lecture that builds it:
the imports, the README's expression with in-place ``+=``, the hand-run ``_backward()``
calls and the hand-written topological sort, the lecture's training loop with
``p.grad = 0.0`` and ``p.data += -lr * p.grad``. The numbers are checked against PyTorch
float64 running the same code (the classic package itself cannot be installed next to this
one: both are imported as ``micrograd``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from dependencies import require

# The classic imports, exactly.
from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Module, Neuron


def test_the_classic_names_are_importable_from_the_classic_modules() -> None:
    import micrograd

    assert micrograd.Value is Value
    assert (micrograd.MLP, micrograd.Layer, micrograd.Neuron, micrograd.Module) == (
        MLP,
        Layer,
        Neuron,
        Module,
    )
    assert issubclass(MLP, Module) and issubclass(Layer, Module) and issubclass(Neuron, Module)


def _readme_expression(a: Any, b: Any) -> Any:
    """The classic README's example, with its in-place updates and every kind of op."""
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def _sanity_expression(x: Any) -> Any:
    """The classic test suite's first expression: reuse, relu and products of a shared input."""
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x


@pytest.mark.parametrize(
    ("fn", "inputs"),
    [(_readme_expression, (-4.0, 2.0)), (_sanity_expression, (-4.0,))],
    ids=["README example", "sanity check"],
)
def test_the_classic_examples_give_pytorchs_numbers(
    fn: Any,
    inputs: tuple[float, ...],
    micrograd_grads: Any,
    torch_value_and_grads: Any,
) -> None:
    value, grads = micrograd_grads(fn, inputs)
    expected_value, expected_grads = torch_value_and_grads(fn, inputs)
    assert value == pytest.approx(expected_value, rel=1e-12)
    assert grads == pytest.approx(expected_grads, rel=1e-12)


def test_the_readme_example_prints_the_readmes_numbers() -> None:
    a, b = Value(-4.0), Value(2.0)
    g = _readme_expression(a, b)
    g.backward()
    # The numbers the classic README prints, to its four decimals.
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_the_lectures_hand_run_backward_steps_give_its_gradients(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    nodes = lecture_neuron()
    nodes["o"].grad = 1.0
    for name in ("o", "n", "x1w1x2w2", "x2w2", "x1w1"):
        nodes[name]._backward()
    grads = {name: nodes[name].grad for name in ("x1", "x2", "w1", "w2", "b")}
    assert grads == pytest.approx({"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5}, rel=1e-12)


def test_the_lectures_recursive_topological_sort_drives_backward(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    nodes = lecture_neuron()
    o = nodes["o"]
    topo: list[Value] = []
    visited: set[Value] = set()

    def build_topo(v: Value) -> None:
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(o)
    o.grad = 1.0
    for node in reversed(topo):
        node._backward()  # leaves included: their step does nothing
    assert nodes["x1"].grad == pytest.approx(-1.5, rel=1e-12)
    assert nodes["w1"].grad == pytest.approx(1.0, rel=1e-12)
    assert o.data == pytest.approx(1 / math.sqrt(2), rel=1e-12)


def test_the_classic_op_names_label_the_graph() -> None:
    a = Value(2.0)
    assert [(a + 1)._op, (a * 2)._op, a.relu()._op, a.tanh()._op, a.exp()._op, (a**2)._op] == [
        "+",
        "*",
        "ReLU",
        "tanh",
        "exp",
        "**2",
    ]


def test_the_lectures_attribute_paths_exist() -> None:
    model = MLP(3, [4, 4, 1])
    first = model.layers[0].neurons[0]
    assert first.w[0] in model.parameters() and first.b in model.parameters()
    assert model.layers[0].neurons[0].w[0].grad == 0
    assert len(model.layers) == 3 and len(model.layers[1].neurons) == 4


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


@pytest.mark.parametrize(
    ("activation", "output_activation"),
    [("tanh", "tanh"), ("relu", "linear")],
    ids=["the lecture's tanh MLP", "the classic default MLP"],
)
def test_the_lectures_training_loop_follows_pytorch_step_for_step(
    torch: ModuleType, activation: Any, output_activation: Any
) -> None:
    random.seed(1337)
    model = MLP(3, [4, 4, 1], activation=activation, output_activation=output_activation)
    act = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda t: t}
    params = []
    for layer in model.layers:
        params.append(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
        params.append(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
    for p in params:
        p.requires_grad_()
    xs_t = torch.tensor(XS, dtype=torch.float64)
    ys_t = torch.tensor(YS, dtype=torch.float64)

    losses = []
    for _ in range(20):
        # forward pass, written as in the lecture
        ypred = [model(x) for x in XS]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(YS, ypred, strict=True))
        # backward pass, the lecture's way of zeroing
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data += -0.05 * p.grad

        h = act[activation](xs_t @ params[0].T + params[1])
        h = act[activation](h @ params[2].T + params[3])
        out = act[output_activation](h @ params[4].T + params[5]).squeeze(1)
        t_loss = ((out - ys_t) ** 2).sum()
        for p in params:
            p.grad = None
        t_loss.backward()
        with torch.no_grad():
            for p in params:
                p += -0.05 * p.grad

        assert [y.data for y in ypred] == pytest.approx(out.tolist(), rel=1e-10, abs=1e-12)
        assert loss.data == pytest.approx(t_loss.item(), rel=1e-10)
        losses.append(loss.data)
    assert losses[-1] < losses[0]  # and it learned


def test_numpy_scalars_from_the_classic_demo_work_where_the_demo_uses_them() -> None:
    np = require("numpy")
    row = np.array([0.25, -1.5])  # float64 elements, as make_moons returns
    label = np.array([1, 0])[1] * 2 - 1  # an int64, as in the demo's y * 2 - 1
    values = list(map(Value, row))
    assert [v.data for v in values] == [0.25, -1.5]
    score = values[0] * values[1]
    hinge = (1 + -label * score).relu()  # the demo's expression, NumPy scalar on the left
    assert isinstance(hinge, Value)
    assert hinge.data == pytest.approx(max(0.0, 1 + 0.25 * -1.5))


def test_the_compatibility_claims_promise_the_same_numbers_only_up_to_rounding() -> None:
    # Gradients are summed in another order than the classic engine's (whose order depends
    # on memory addresses), so results agree to the last digit or two, not bit for bit.
    root = Path(__file__).resolve().parent.parent
    import micrograd.nn

    for text in (
        (root / "README.md").read_text(),
        (root / "docs/installation.md").read_text(),
        micrograd.nn.__doc__ or "",
    ):
        flat = " ".join(text.split())
        assert "same numbers up to rounding in the last digits" in flat
        assert "same numbers," not in flat and "same numbers:" not in flat and "same numbers." not in flat
