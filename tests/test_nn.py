"""Neuron, Layer and MLP: the classic micrograd's behaviour, plus activations and seedable init.

Networks are checked against the same network written with PyTorch float64 matrices
(``act(W @ x + b)`` per layer), a computation that shares nothing with micrograd's
neuron-by-neuron sums.
"""

from __future__ import annotations

import ast
import doctest
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from dependencies import require

from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Module, Neuron

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


# -- initialisation -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 1337])
def test_random_seed_then_neuron_draws_uniform_weights_in_order_and_a_zero_bias(seed: int) -> None:
    random.seed(seed)
    neuron = Neuron(5)
    random.seed(seed)
    expected = [random.uniform(-1, 1) for _ in range(5)]
    assert [w.data for w in neuron.w] == expected
    assert neuron.b.data == 0.0


def test_random_seed_then_mlp_draws_weights_layer_by_layer_neuron_by_neuron() -> None:
    random.seed(42)
    model = MLP(3, [4, 4, 1])
    random.seed(42)
    for layer in model.layers:
        for neuron in layer.neurons:
            assert [w.data for w in neuron.w] == [random.uniform(-1, 1) for _ in neuron.w]
            assert neuron.b.data == 0.0


def test_an_rng_gives_reproducible_init_independent_of_the_global_random_state() -> None:
    random.seed(5)
    state = random.getstate()
    first = MLP(3, [4, 4, 1], rng=random.Random(7))
    random.seed(999)  # the global state must not matter
    second = MLP(3, [4, 4, 1], rng=random.Random(7))
    other = MLP(3, [4, 4, 1], rng=random.Random(8))
    random.setstate(state)
    Neuron(2, rng=random.Random(0))
    assert random.getstate() == state  # an rng leaves the global generator alone
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()]
    assert [p.data for p in first.parameters()] != [p.data for p in other.parameters()]
    rng = random.Random(7)
    weights = [p.data for layer in first.layers for n in layer.neurons for p in n.w]
    assert weights == [rng.uniform(-1, 1) for _ in weights]


def test_one_rng_shared_by_layers_continues_its_sequence() -> None:
    rng = random.Random(3)
    a, b = Layer(2, 2, rng=rng), Layer(2, 2, rng=rng)
    reference = random.Random(3)
    drawn = [w.data for layer in (a, b) for n in layer.neurons for w in n.w]
    assert drawn == [reference.uniform(-1, 1) for _ in drawn]


# -- structure ----------------------------------------------------------------------------------


def test_neuron_with_nonlin_true_is_relu_and_nonlin_false_is_linear() -> None:
    relu, linear = Neuron(3, nonlin=True), Neuron(3, nonlin=False)
    assert (Neuron(3).activation, relu.activation, linear.activation) == ("relu", "relu", "linear")
    assert (relu.nonlin, linear.nonlin) == (True, False)
    for neuron in (relu, linear):
        neuron.w = [Value(1.0), Value(-2.0), Value(0.5)]
        neuron.b = Value(0.25)
    negative, positive = [1.0, 2.0, 0.0], [2.0, 0.0, 1.0]  # w . x + b = -2.75 and 2.75
    assert (relu(negative).data, relu(positive).data) == (0.0, 2.75)
    assert (linear(negative).data, linear(positive).data) == (-2.75, 2.75)


def test_activation_overrides_nonlin() -> None:
    assert Neuron(3, nonlin=False, activation="tanh").activation == "tanh"
    assert Neuron(3, nonlin=True, activation="linear").activation == "linear"


def test_layer_passes_nonlin_and_activation_to_every_neuron() -> None:
    assert {n.activation for n in Layer(2, 3, nonlin=False).neurons} == {"linear"}
    assert {n.activation for n in Layer(2, 3).neurons} == {"relu"}
    assert {n.activation for n in Layer(2, 3, activation="sigmoid").neurons} == {"sigmoid"}


def test_a_layer_with_one_output_returns_a_single_value() -> None:
    out = Layer(3, 1)([1.0, 2.0, 3.0])
    assert isinstance(out, Value)
    outs = Layer(3, 2)([1.0, 2.0, 3.0])
    assert isinstance(outs, list)
    assert len(outs) == 2
    assert all(isinstance(v, Value) for v in outs)


def test_mlp_hidden_layers_are_relu_and_the_last_layer_is_linear() -> None:
    model = MLP(3, [4, 5, 2])
    assert [[n.activation for n in layer.neurons] for layer in model.layers] == [
        ["relu"] * 4,
        ["relu"] * 5,
        ["linear"] * 2,
    ]
    assert [len(n.w) for layer in model.layers for n in layer.neurons[:1]] == [3, 4, 5]


@pytest.mark.parametrize(
    ("nin", "nouts", "count"),
    [(3, [4, 4, 1], 41), (2, [16, 16, 1], 337), (1, [1], 2), (5, [3], 18)],
)
def test_mlp_has_one_weight_per_input_and_one_bias_per_neuron(nin: int, nouts: list[int], count: int) -> None:
    assert len(MLP(nin, nouts).parameters()) == count


def test_parameters_are_listed_layer_by_layer_neuron_by_neuron_weights_then_bias() -> None:
    model = MLP(3, [4, 4, 1])
    expected = [p for layer in model.layers for n in layer.neurons for p in [*n.w, n.b]]
    assert len(model.parameters()) == len(expected)
    assert all(p is q for p, q in zip(model.parameters(), expected, strict=True))
    assert all(p is q for p, q in zip(model.layers[0].parameters(), expected[:16], strict=True))
    assert Module().parameters() == []


def test_zero_grad_sets_every_parameter_gradient_to_zero() -> None:
    model = MLP(3, [4, 4, 1], activation="tanh", rng=random.Random(0))
    out = model([1.0, -2.0, 0.5])
    assert isinstance(out, Value)
    out.backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    out.backward()  # after zero_grad, a fresh backward gives one call's gradients
    again = [p.grad for p in model.parameters()]
    model.zero_grad()
    out.backward()
    assert [p.grad for p in model.parameters()] == again


def test_reprs_read_like_the_classic_micrograd() -> None:
    assert repr(Value(3.0)) == "Value(data=3.0, grad=0)"
    assert repr(Neuron(3)) == "ReLUNeuron(3)"
    assert repr(Neuron(4, nonlin=False)) == "LinearNeuron(4)"
    assert repr(Layer(3, 2)) == "Layer of [ReLUNeuron(3), ReLUNeuron(3)]"
    hidden = ", ".join(["ReLUNeuron(3)"] * 4)
    second = ", ".join(["ReLUNeuron(4)"] * 4)
    assert repr(MLP(3, [4, 4, 1])) == (
        f"MLP of [Layer of [{hidden}], Layer of [{second}], Layer of [LinearNeuron(4)]]"
    )


def test_reprs_name_the_chosen_activation() -> None:
    assert repr(Neuron(2, activation="tanh")) == "TanhNeuron(2)"
    assert repr(Neuron(2, activation="sigmoid")) == "SigmoidNeuron(2)"
    assert repr(Layer(2, 1, activation="linear")) == "Layer of [LinearNeuron(2)]"


@pytest.mark.parametrize(
    "x",
    [[0.5, -1.0], (0.5, -1.0), [Value(0.5), Value(-1.0)], [0.5, Value(-1.0)], [1, -2]],
    ids=["list of floats", "tuple", "list of Values", "mixed", "ints"],
)
def test_inputs_may_be_any_sequence_of_numbers_or_values(x: Sequence[Any]) -> None:
    model = MLP(2, [3, 1], rng=random.Random(0))
    expected = MLP(2, [3, 1], rng=random.Random(0))([float(_data(v)) for v in x])
    out = model(x)
    assert isinstance(out, Value) and isinstance(expected, Value)
    assert out.data == expected.data


def test_a_numpy_row_is_accepted_as_input() -> None:
    np = require("numpy")
    row = np.array([0.5, -1.0])
    for module in (Neuron(2, rng=random.Random(0)), Layer(2, 3, rng=random.Random(0))):
        assert module(row) is not None
    model = MLP(2, [3, 1], rng=random.Random(0))
    out, expected = model(row), MLP(2, [3, 1], rng=random.Random(0))([0.5, -1.0])
    assert isinstance(out, Value) and isinstance(expected, Value)
    assert out.data == expected.data


def _data(v: Any) -> float:
    return v.data if isinstance(v, Value) else float(v)


# -- numbers against PyTorch ------------------------------------------------------------------------


def _torch_act(torch: ModuleType, name: str, z: Any) -> Any:
    return {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda t: t}[name](z)


def _torch_forward(
    torch: ModuleType, model: MLP, x: Sequence[float], activation: str, output_activation: str
) -> tuple[Any, list[Any], Any]:
    """The MLP as PyTorch matrices; returns (outputs, [W, b per layer], input tensor)."""
    tensors = []
    for layer in model.layers:
        w = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64)
        tensors += [w.requires_grad_(), b.requires_grad_()]
    h = x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    last = len(model.layers) - 1
    for i in range(len(model.layers)):
        w, b = tensors[2 * i], tensors[2 * i + 1]
        h = _torch_act(torch, output_activation if i == last else activation, w @ h + b)
    return h, tensors, x_t


def _micrograd_param_grads(model: MLP) -> list[list[float]]:
    """Gradients in the layout of _torch_forward's tensors: [W grads, b grads] per layer."""
    grads = []
    for layer in model.layers:
        grads.append([w.grad for n in layer.neurons for w in n.w])  # W flattened row by row
        grads.append([n.b.grad for n in layer.neurons])
    return grads


@pytest.mark.parametrize("output_activation", ACTIVATIONS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_an_mlp_computes_what_pytorch_computes_for_every_activation(
    torch: ModuleType, activation: Any, output_activation: Any
) -> None:
    model = MLP(
        3, [5, 4, 2], activation=activation, output_activation=output_activation, rng=random.Random(11)
    )
    for p in model.parameters():  # non-zero biases, so that they matter
        if p.data == 0.0:
            p.data = 0.1
    x = [0.9, -0.4, 1.3]
    inputs = [Value(v) for v in x]
    out = model(inputs)
    assert isinstance(out, list)
    loss = out[0] * 1.5 - out[1] * 0.5  # weights the two outputs differently
    loss.backward()

    t_out, tensors, t_x = _torch_forward(torch, model, x, activation, output_activation)
    (t_out[0] * 1.5 - t_out[1] * 0.5).backward()
    assert [v.data for v in out] == pytest.approx(t_out.tolist(), rel=1e-12, abs=1e-14)
    assert [v.grad for v in inputs] == pytest.approx(t_x.grad.tolist(), rel=1e-10, abs=1e-14)
    for ours, theirs in zip(_micrograd_param_grads(model), tensors, strict=True):
        assert ours == pytest.approx(theirs.grad.flatten().tolist(), rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_neuron_gradients_match_pytorch(torch: ModuleType, activation: Any) -> None:
    neuron = Neuron(4, activation=activation, rng=random.Random(2))
    neuron.b.data = 0.3
    x = [0.5, -1.5, 2.0, 0.25]
    inputs = [Value(v) for v in x]
    out = neuron(inputs)
    out.backward()

    w = torch.tensor([p.data for p in neuron.w], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    t_x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    t_out = _torch_act(torch, activation, torch.dot(w, t_x) + b)
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-12, abs=1e-14)
    assert [p.grad for p in neuron.w] == pytest.approx(w.grad.tolist(), rel=1e-12, abs=1e-14)
    assert neuron.b.grad == pytest.approx(b.grad.item(), rel=1e-12, abs=1e-14)
    assert [v.grad for v in inputs] == pytest.approx(t_x.grad.tolist(), rel=1e-12, abs=1e-14)


# -- bad sizes, activations and inputs are refused at the call ------------------------------------


def test_mlp_refuses_none_as_an_activation_instead_of_building_relu() -> None:
    with pytest.raises(ValueError, match=r"output_activation=None is not a choice.*'linear'"):
        MLP(2, [4, 1], output_activation=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="activation=None is not a choice"):
        MLP(2, [4, 1], activation=None)  # type: ignore[arg-type]


def test_mlp_refuses_an_unknown_activation_even_for_a_one_layer_network() -> None:
    # With one layer only output_activation is used, but a typo in activation is still a typo.
    with pytest.raises(ValueError, match="unknown activation 'bad'"):
        MLP(2, [3], activation="bad")  # type: ignore[arg-type]


@pytest.mark.parametrize("unordered", [{"a": 1.0, "b": 2.0}, {1.0, 2.0}, b"ab", "ab"], ids=repr)
def test_an_input_without_a_fixed_order_of_numbers_is_refused(unordered: Any) -> None:
    for model in (Neuron(2), Layer(2, 3), MLP(2, [3, 1])):
        with pytest.raises(TypeError, match="the input must be a sequence of numbers"):
            model(unordered)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: Neuron(True), TypeError, r"Neuron\(\): nin must be an int, got True"),
        (lambda: Neuron(2.0), TypeError, r"Neuron\(\): nin must be an int, got 2.0"),
        (lambda: Neuron(0), ValueError, r"Neuron\(\): nin must be at least 1, got nin=0"),
        (lambda: Neuron(10**400), ValueError, r"Neuron\(\): nin=1000.*is more than micrograd can build"),
        (lambda: Layer(2, False), TypeError, r"Layer\(\): nout must be an int, got False"),
        (lambda: MLP(2, 3), TypeError, r"MLP\(\): nouts must be a list of layer sizes"),
        (lambda: MLP(2, [3, 0]), ValueError, r"MLP\(\): nouts\[1\] must be at least 1"),
    ],
)
def test_a_bad_size_is_refused_with_a_message_naming_it(
    build: Callable[[], Any], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        build()


def test_sizes_may_be_numpy_ints() -> None:
    np = require("numpy")
    model = MLP(np.int64(2), [np.int64(3), 1], rng=random.Random(0))
    assert len(model.parameters()) == 3 * 3 + 4


def test_the_lecture_network_line_the_docs_give_builds_tanh_everywhere_and_trains_the_lectures_loop() -> None:
    # Readers of the lecture look in the MLP docstring, the Quickstart and tutorial 4.
    line = 'MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh")'
    docs = Path(__file__).resolve().parent.parent / "docs"
    for place in (
        MLP.__doc__ or "",
        (docs / "quickstart.md").read_text(),
        (docs / "tutorials/04-neurons-layers-mlp.md").read_text(),
    ):
        flat = " ".join(place.split())
        assert 'activation="tanh", output_activation="tanh"' in flat and "lecture" in flat
    assert line in " ".join((MLP.__doc__ or "").split())
    random.seed(0)
    model = eval(line, {"MLP": MLP})
    assert [n.activation for layer in model.layers for n in layer.neurons] == ["tanh"] * 9
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    for _ in range(30):  # the lecture's loop: sum of squared errors, plain gradient descent
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True)), Value(0.0))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data += -0.05 * p.grad
    assert loss.data < 0.1


# -- numbers from hand formulas (no PyTorch needed) --------------------------------------------


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# activation -> (the function, its derivative), as a textbook writes them
HAND_ACTIVATIONS = {
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z))),
    "linear": (lambda z: z, lambda z: 1.0),
}


@pytest.mark.parametrize("x", [[1.0, 0.2, -2.0], [2.0, -1.0, 0.5]], ids=["w.x+b = -0.1", "w.x+b = 2.725"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_a_neuron_applies_its_activation_to_w_dot_x_plus_b_with_the_chain_rules_gradients(
    activation: Any, x: list[float]
) -> None:
    neuron = Neuron(3, activation=activation)
    w, b = [0.5, -1.0, 0.25], 0.1
    neuron.w, neuron.b = [Value(v) for v in w], Value(b)
    inputs = [Value(v) for v in x]
    out = neuron(inputs)
    out.backward()
    act, slope = HAND_ACTIVATIONS[activation]
    z = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + b
    assert out.data == pytest.approx(act(z), rel=1e-15, abs=1e-15)
    assert [p.grad for p in neuron.w] == pytest.approx([slope(z) * xi for xi in x], rel=1e-12, abs=1e-15)
    assert neuron.b.grad == pytest.approx(slope(z), rel=1e-12, abs=1e-15)
    assert [v.grad for v in inputs] == pytest.approx([slope(z) * wi for wi in w], rel=1e-12, abs=1e-15)


def _doc_number(obj: object, source: str) -> Any:
    """The output that the docstring example ``source`` of ``obj`` shows, as a Python literal."""
    examples = doctest.DocTestParser().get_examples(obj.__doc__ or "")
    (want,) = [e.want for e in examples if e.source.strip() == source]
    return ast.literal_eval(want.strip())


def _tanh_layer(weights: list[list[float]], x: list[float]) -> list[float]:
    """tanh(W x) in plain floats, one row of weights per neuron (the biases start at 0)."""
    return [math.tanh(sum(wi * xi for wi, xi in zip(row, x, strict=True))) for row in weights]


def test_the_docstring_examples_numbers_are_the_textbook_forward_pass_of_the_drawn_weights() -> None:
    # Each example seeds random.Random(0); the weights are its uniform(-1, 1) draws, neuron by
    # neuron, weight by weight; every bias starts at 0. The forward pass is written out here.
    draw = random.Random(0).uniform
    w = [draw(-1, 1) for _ in range(2)]
    assert round(math.tanh(w[0] * 1.0 + w[1] * -2.0), 4) == _doc_number(Neuron, "round(out.data, 4)")

    draw = random.Random(0).uniform
    rows = [[draw(-1, 1) for _ in range(3)] for _ in range(2)]
    expected = [round(v, 4) for v in _tanh_layer(rows, [1.0, 2.0, 3.0])]
    assert expected == _doc_number(Layer, "[round(v.data, 4) for v in layer([1.0, 2.0, 3.0])]")

    draw = random.Random(0).uniform
    first = [[draw(-1, 1) for _ in range(3)] for _ in range(4)]
    second = [[draw(-1, 1) for _ in range(4)] for _ in range(4)]
    last = [draw(-1, 1) for _ in range(4)]
    hidden = _tanh_layer(second, _tanh_layer(first, [2.0, 3.0, -1.0]))
    y = sum(wi * hi for wi, hi in zip(last, hidden, strict=True))  # the linear output layer
    assert round(y, 4) == _doc_number(MLP, "round(y.data, 4)")
