"""The engine's speed-ups change nothing a user can observe, except the time.

``Value.weighted_sum`` (one node for a neuron's ``b + w·x``), and a neuron's one node
``activation(w·x+b)``, give the number of the written-out expression bit for bit, and its
gradients; ``backward()`` pauses the cyclic
garbage collector only while it runs and leaves it as it found it.
"""

from __future__ import annotations

import gc
import math
import random
from collections.abc import Iterator
from types import ModuleType

import pytest

from micrograd.engine import Value
from micrograd.nn import MLP, Neuron


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Restore the collector's on/off state whatever a test does to it."""
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("n", [1, 2, 16, 100])
def test_weighted_sum_is_the_written_out_sum_bit_for_bit(n: int) -> None:
    rng = random.Random(n)
    w = [rng.uniform(-1, 1) for _ in range(n)]
    x = [rng.uniform(-5, 5) for _ in range(n)]
    b = rng.uniform(-1, 1)
    expected = b
    for wi, xi in zip(w, x, strict=True):  # plain floats, left to right: b + w0*x0 + w1*x1 + ...
        expected = expected + wi * xi
    out = Value.weighted_sum([Value(v) for v in w], [Value(v) for v in x], Value(b))
    assert out.data == expected


def test_weighted_sum_gradients_match_torch(torch: ModuleType) -> None:
    rng = random.Random(7)
    w, x = [rng.uniform(-1, 1) for _ in range(5)], [rng.uniform(-2, 2) for _ in range(5)]
    b = 0.3
    tw = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    torch.tanh(tb + (tw * tx).sum()).backward()

    vw, vx, vb = [Value(v) for v in w], [Value(v) for v in x], Value(b)
    Value.weighted_sum(vw, vx, vb).tanh().backward()

    assert [v.grad for v in vw] == pytest.approx(tw.grad.tolist(), rel=1e-12)
    assert [v.grad for v in vx] == pytest.approx(tx.grad.tolist(), rel=1e-12)
    assert vb.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_weighted_sum_accepts_numbers_as_constants() -> None:
    w = [Value(2.0), Value(-1.0)]
    out = Value.weighted_sum(w, [3, 4.0], 0.5)
    out.backward()
    assert out.data == 0.5 + 2.0 * 3 + -1.0 * 4.0
    assert [wi.grad for wi in w] == [3.0, 4.0]


def test_weighted_sum_accepts_numbers_among_the_weights_and_as_the_bias() -> None:
    x = [Value(3.0), Value(4.0)]
    out = Value.weighted_sum([2, Value(-1.0)], x, 0.5)
    out.backward()
    assert out.data == 0.5 + 2 * 3.0 + -1.0 * 4.0
    assert [xi.grad for xi in x] == [2.0, -1.0]
    assert [type(child).__name__ for child in out._prev] == [
        "_Constant",
        "_Constant",
        "Value",
        "Value",
        "Value",
    ]


def test_a_neuron_with_a_number_for_a_weight_makes_it_a_constant() -> None:
    numpy = pytest.importorskip("numpy")
    neuron = Neuron(2, activation="linear", rng=random.Random(0))
    neuron.w[1] = numpy.float64(0.25)  # type: ignore[call-overload]  # a NumPy scalar has a .data of its own
    x = [Value(1.0), Value(-2.0)]
    out = neuron(x)
    assert out.data == neuron.b.data + neuron.w[0].data * 1.0 + 0.25 * -2.0  # type: ignore[union-attr]
    out.backward()
    assert [xi.grad for xi in x] == [neuron.w[0].data, 0.25]  # type: ignore[union-attr]


class _HasData:
    """Not a Value, but with a .data: an array's, as a tensor of the reader's may have."""

    def __init__(self, data: object) -> None:
        self.data = data


@pytest.mark.parametrize("shape", [(), (2,)])
def test_a_weight_whose_data_is_an_array_is_refused_as_multiplication_refuses_it(
    shape: tuple[int, ...],
) -> None:
    numpy = pytest.importorskip("numpy")
    bad = _HasData(numpy.full(shape, 2.0))
    with pytest.raises(TypeError) as by_multiplication:
        Value(1.0) * bad  # type: ignore[operator]
    with pytest.raises(TypeError) as by_weighted_sum:
        Value.weighted_sum([bad], [Value(2.0)], Value(0.0))  # type: ignore[list-item]
    assert str(by_weighted_sum.value) == str(by_multiplication.value)
    empty = Value.weighted_sum([], [], numpy.float64(0.5))  # a bias whose .data is a buffer
    assert empty.data == 0.5
    assert type(empty.data) is float


@pytest.mark.parametrize("bad", ["a", None, True, float("nan"), float("inf"), 10**400])
@pytest.mark.parametrize("where", ["input", "weight", "bias"])
def test_weighted_sum_rejects_a_bad_input_exactly_as_an_operator_does(bad: object, where: str) -> None:
    with pytest.raises(Exception) as by_operator:
        Value(1.0) + bad if where == "bias" else Value(1.0) * bad  # type: ignore[operator]
    weights, inputs, bias = [Value(1.0)], [Value(2.0)], Value(0.0)
    if where == "input":
        inputs = [bad]  # type: ignore[list-item]
    elif where == "weight":
        weights = [bad]  # type: ignore[list-item]
    else:
        bias = bad  # type: ignore[assignment]
    with pytest.raises(type(by_operator.value)) as by_weighted_sum:
        Value.weighted_sum(weights, inputs, bias)
    assert str(by_weighted_sum.value) == str(by_operator.value)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("changed", ["a weight", "an input", "the bias"])
def test_a_neurons_node_whose_children_changed_before_backward_raises_and_changes_no_grad(
    activation: str, changed: str
) -> None:
    """The node keeps no copy of its weights and inputs: backward() reads them, and checks that they
    still give its output, rather than mix old numbers and new ones (a review found such a mix)."""
    neuron = Neuron(2, activation=activation, rng=random.Random(0))  # type: ignore[arg-type]
    neuron.b.data = 0.5  # a ReLU that is on
    x = [Value(1.0), Value(-2.0)]
    out = neuron(x) * 3.0
    {"a weight": neuron.w[0], "an input": x[1], "the bias": neuron.b}[changed].data += 0.25
    values = [*neuron.parameters(), *x]
    for v in values:
        v.grad = 7.0
    with pytest.raises(ValueError, match=r"backward\(\): the weights or inputs of the '.*\(?w·x\+b\)?' node"):
        out.backward()
    assert [v.grad for v in values] == [7.0] * len(values)


def test_inputs_reused_for_each_example_are_refused_not_given_a_mix_of_gradients() -> None:
    """A review's case: the same input Values given each example's numbers in turn."""
    neuron = Neuron(2, activation="tanh", rng=random.Random(0))
    xs = [Value(0.0), Value(0.0)]
    loss = Value(0.0)
    for row, target in [((1.0, 2.0), 1.0), ((-3.0, 0.5), -1.0)]:
        xs[0].data, xs[1].data = row
        loss = loss + (neuron(xs) - target) ** 2
    with pytest.raises(ValueError, match="make new Values for each example"):
        loss.backward()
    assert [w.grad for w in neuron.w] == [0, 0]


def test_a_neurons_node_whose_children_are_unchanged_passes_its_check_at_any_slope() -> None:
    for activation in ["relu", "tanh", "sigmoid", "linear"]:
        for bias in [-30.0, -1e-20, 0.0, 1e-20, 0.3, 30.0]:  # off, saturated, a slope of exactly 1
            neuron = Neuron(3, activation=activation, rng=random.Random(2))  # type: ignore[arg-type]
            neuron.b.data = bias
            neuron([Value(0.5), Value(-1.5), Value(2.0)]).backward()


def test_weighted_sum_rejects_mismatched_lengths_and_overflow() -> None:
    with pytest.raises(ValueError, match="as many inputs as weights, got 1 inputs and 2 weights"):
        Value.weighted_sum([Value(1.0), Value(2.0)], [Value(1.0)], Value(0.0))
    with pytest.raises(OverflowError, match="overflowed the range of a float"):
        Value.weighted_sum([Value(1e300), Value(1e300)], [Value(1e300), Value(1.0)], Value(0.0))


WRITTEN_OUT = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": lambda v: v,
}


@pytest.mark.parametrize("activation", list(WRITTEN_OUT))
@pytest.mark.parametrize("bias", [0.7, -5.0])  # a ReLU on, then off
def test_a_neuron_is_one_node_with_the_written_out_value_and_gradients(activation: str, bias: float) -> None:
    neuron = Neuron(3, activation=activation, rng=random.Random(0))  # type: ignore[arg-type]
    neuron.b.data = bias
    x = [Value(1.0), Value(-2.0), Value(0.5)]
    out = neuron(x)
    assert out._prev == (neuron.b, *neuron.w, *x)
    assert out._op == ("w·x+b" if activation == "linear" else f"{activation.replace('relu', 'ReLU')}(w·x+b)")
    # The same number as the expression written out with *, + and the activation, bit for bit
    written = WRITTEN_OUT[activation](neuron.b + neuron.w[0] * x[0] + neuron.w[1] * x[1] + neuron.w[2] * x[2])
    assert out.data == written.data
    # and the same gradients: the local derivatives are activation'(w·x+b) times 1, x_i, w_i.
    written.backward()
    expected = [v.grad for v in out._prev]
    for v in out._prev:
        v.grad = 0
    out.backward()
    assert [v.grad for v in out._prev] == pytest.approx(expected, rel=1e-15, abs=0)
    slope = expected[0]
    local_grads = (slope, *(slope * xi.data for xi in x), *(slope * w.data for w in neuron.w))
    assert out._local_grads == pytest.approx(local_grads)


def test_an_activated_weighted_sum_that_overflows_is_an_error_even_where_the_activation_is_finite() -> None:
    tanh = Neuron(2, activation="tanh", rng=random.Random(0))
    tanh.w[0].data, tanh.w[1].data = 1.0, 1.0
    with pytest.raises(OverflowError, match=r"'w·x\+b' overflowed the range of a float: inf from"):
        tanh([1e308, 1e308])  # tanh(inf) would be 1.0: the overflow is not hidden
    relu = Neuron(2, activation="relu", rng=random.Random(0))
    relu.w[0].data, relu.w[1].data = 10.0, 10.0
    with pytest.raises(OverflowError, match=r"'w·x\+b' overflowed the range of a float: nan from"):
        relu([1e308, -1e308])  # inf - inf: NaN > 0 is False, and ReLU would give 0.0
    relu.activation = "softplus"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        relu([1.0, 2.0])


def test_an_mlp_gives_the_written_out_numbers() -> None:
    model = MLP(2, [8, 8, 1], rng=random.Random(3))
    point = [0.5, -1.5]
    activations: list[float] = point
    for layer in model.layers:  # the forward pass in plain floats, written out
        outputs = []
        for n in layer.neurons:
            act = n.b.data
            for w, xi in zip(n.w, activations, strict=True):
                act = act + w.data * xi
            outputs.append(max(act, 0.0) if n.activation == "relu" else act)
        activations = outputs
    out = model(point)
    assert isinstance(out, Value)
    assert out.data == activations[0]


@pytest.mark.parametrize("enabled", [True, False])
def test_backward_leaves_the_garbage_collector_as_it_found_it(enabled: bool, collector_state: None) -> None:
    x = Value(2.0)
    y = (x * x + 1).tanh()
    gc.enable() if enabled else gc.disable()
    y.backward()
    assert gc.isenabled() is enabled


def test_backward_restores_the_garbage_collector_after_an_error(collector_state: None) -> None:
    x = Value(1e-300)
    out = x * 1e200 * 1e200 * 1e150  # finite values all along; d(out)/dx = 1e550 is not
    gc.enable()
    with pytest.raises(OverflowError, match="non-finite gradient"):
        out.backward()
    assert gc.isenabled()


def test_a_neurons_gradients_are_the_central_differences_of_its_written_out_formula() -> None:
    # tanh(b + w0*x0 + w1*x1 + w2*x2) in plain floats, differentiated numerically with respect
    # to each of its seven inputs: independent of the engine and of its one-node weighted sum.
    def f(b: float, *wx: float) -> float:
        w, x = wx[:3], wx[3:]
        return math.tanh(b + w[0] * x[0] + w[1] * x[1] + w[2] * x[2])

    neuron = Neuron(3, activation="tanh", rng=random.Random(0))
    neuron.b.data = 0.2
    x = [Value(1.0), Value(-2.0), Value(0.5)]
    neuron(x).backward()
    point = [neuron.b.data, *(w.data for w in neuron.w), *(xi.data for xi in x)]
    h = 1e-6
    numeric = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        numeric.append((f(*up) - f(*down)) / (2 * h))
    ours = [neuron.b.grad, *(w.grad for w in neuron.w), *(xi.grad for xi in x)]
    assert ours == pytest.approx(numeric, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_a_neurons_node_is_made_as_value_would_make_it(activation: str) -> None:
    """A neuron's node skips Value.__init__: each of its slots is set as __init__ sets it, but
    its local derivatives, of which it keeps the slope; it stands for the same tuple."""
    neuron = Neuron(2, activation=activation, rng=random.Random(1))  # type: ignore[arg-type]
    x = [Value(0.5), Value(-1.0)]
    node = neuron(x)
    made = Value(node.data, node._prev, node._op, node._local_grads)  # type: ignore[arg-type]
    for slot in Value.__slots__:
        if slot != "_local":
            assert getattr(node, slot) == getattr(made, slot), slot
            assert type(getattr(node, slot)) is type(getattr(made, slot)), slot
    assert type(node) is Value
    slope = node._local
    assert type(slope) is float
    expected = (slope, *(slope * xi.data for xi in x), *(slope * w.data for w in neuron.w))
    assert made._local == node._local_grads == expected
    assert type(made._local) is tuple
    node.backward()
    grads = [v.grad for v in node._prev]
    for v in node._prev:
        v.grad = 0
    made.backward()
    assert [v.grad for v in made._prev] == grads  # bit for bit
