"""The engine computes every op's value and gradients as PyTorch does in float64.

Each case is one Python function applied both to micrograd Values and to float64 PyTorch
leaf tensors (they share operators and the methods ``exp``, ``log``, ``tanh``, ``sigmoid``
and ``relu``), so the reference is computed independently of micrograd's own formulas.
"""

from __future__ import annotations

import gc
import math
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from dependencies import require

from micrograd.engine import Value

# Value and gradient agree with PyTorch's to a few units in the last place.
CLOSE = {"rel": 1e-12, "abs": 1e-14}

# (description, function, inputs): every op, with a Value or a number on either side.
OP_CASES: list[tuple[str, Callable[..., Any], tuple[float, ...]]] = [
    ("Value + Value", lambda a, b: a + b, (1.5, -2.25)),
    ("Value + number", lambda a: a + 3.5, (1.5,)),
    ("number + Value", lambda a: 3.5 + a, (1.5,)),
    ("Value + int", lambda a: a + 2, (1.5,)),
    ("Value - Value", lambda a, b: a - b, (1.5, -2.25)),
    ("Value - number", lambda a: a - 3.5, (1.5,)),
    ("number - Value", lambda a: 3.5 - a, (1.5,)),
    ("Value * Value", lambda a, b: a * b, (1.5, -2.25)),
    ("Value * number", lambda a: a * -4.0, (1.5,)),
    ("number * Value", lambda a: -4.0 * a, (1.5,)),
    ("Value / Value", lambda a, b: a / b, (1.5, -2.25)),
    ("Value / number", lambda a: a / 4.0, (1.5,)),
    ("number / Value", lambda a: 3.0 / a, (-2.5,)),
    ("-Value", lambda a: -a, (1.5,)),
    ("Value ** 2", lambda a: a**2, (1.5,)),
    ("Value ** 3, negative base", lambda a: a**3, (-1.5,)),
    ("Value ** -2, negative base", lambda a: a**-2, (-1.5,)),
    ("Value ** -1", lambda a: a**-1, (0.8,)),
    ("Value ** 0.5", lambda a: a**0.5, (2.0,)),
    ("Value ** -1.5", lambda a: a**-1.5, (2.0,)),
    ("Value ** 1", lambda a: a**1, (-2.0,)),
    ("Value ** 0", lambda a: a**0, (3.0,)),
    ("Value ** 2.0 at 0", lambda a: a**2.0, (0.0,)),
    ("Value ** Value", lambda a, b: a**b, (1.7, -0.6)),
    ("Value ** Value, base below 1", lambda a, b: a**b, (0.3, 2.5)),
    ("number ** Value", lambda b: 2.5**b, (1.3,)),
    ("Value ** itself", lambda a: a**a, (1.5,)),
    ("exp", lambda a: a.exp(), (-0.7,)),
    ("log", lambda a: a.log(), (2.5,)),
    ("log below 1", lambda a: a.log(), (0.02,)),
    ("tanh", lambda a: a.tanh(), (0.6,)),
    ("tanh negative", lambda a: a.tanh(), (-2.1,)),
    ("sigmoid", lambda a: a.sigmoid(), (-1.2,)),
    ("sigmoid positive", lambda a: a.sigmoid(), (3.4,)),
    ("relu of a positive", lambda a: a.relu(), (1.5,)),
    ("relu of a negative", lambda a: a.relu(), (-1.5,)),
    ("relu at 0", lambda a: a.relu(), (0.0,)),
]
OP_IDS = [case[0] for case in OP_CASES]


@pytest.mark.parametrize(("description", "fn", "inputs"), OP_CASES, ids=OP_IDS)
def test_every_op_gives_pytorchs_value_and_gradients(
    description: str,
    fn: Callable[..., Any],
    inputs: tuple[float, ...],
    torch_value_and_grads: Callable[..., tuple[float, list[float]]],
    micrograd_grads: Callable[..., tuple[float, list[float]]],
) -> None:
    value, grads = micrograd_grads(fn, inputs)
    expected_value, expected_grads = torch_value_and_grads(fn, inputs)
    assert value == pytest.approx(expected_value, **CLOSE)
    assert grads == pytest.approx(expected_grads, **CLOSE)


@pytest.mark.parametrize(("description", "fn", "inputs"), OP_CASES, ids=OP_IDS)
def test_every_op_records_its_children_and_local_derivatives(
    description: str,
    fn: Callable[..., Any],
    inputs: tuple[float, ...],
    torch_value_and_grads: Callable[..., tuple[float, list[float]]],
) -> None:
    leaves = [Value(x) for x in inputs]
    out = fn(*leaves)
    assert out._op
    assert len(out._prev) == len(out._local_grads)
    _, expected_grads = torch_value_and_grads(fn, inputs)
    for leaf, expected in zip(leaves, expected_grads, strict=True):
        # With one op, the local derivative with respect to a child is the gradient.
        pairs = zip(out._prev, out._local_grads, strict=True)
        recorded = sum(local for child, local in pairs if child is leaf)
        assert recorded == pytest.approx(expected, **CLOSE)


def test_backward_step_of_one_node_multiplies_its_gradient_into_its_children() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 5.0
    c._backward()
    assert (a.grad, b.grad) == (5.0 * -3.0, 5.0 * 2.0)
    c._backward()  # a second step adds again, as the chain rule's += does
    assert (a.grad, b.grad) == (2 * 5.0 * -3.0, 2 * 5.0 * 2.0)


def test_numbers_become_float_data() -> None:
    assert type(Value(3).data) is float
    assert Value(3).data == 3.0
    assert type((Value(2) * 3).data) is float


def test_a_label_is_kept_and_defaults_to_empty() -> None:
    assert Value(1.0, label="x1").label == "x1"
    assert Value(1.0).label == ""
    assert (Value(1.0, label="a") + 1).label == ""


def test_a_new_value_has_zero_gradient_and_no_children() -> None:
    v = Value(2.5)
    assert v.grad == 0
    assert v._prev == ()
    assert v._local_grads == ()


# -- the lecture's neuron -------------------------------------------------------------

LECTURE_BIAS = 6.8813735870195432


def _lecture_neuron(tanh_written_with_exp: bool) -> tuple[Value, dict[str, Value]]:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(LECTURE_BIAS, label="b")
    n = x1 * w1 + x2 * w2 + b
    if tanh_written_with_exp:
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


@pytest.mark.parametrize("tanh_written_with_exp", [False, True], ids=["tanh", "tanh written with exp"])
def test_the_lecture_neuron_has_the_lectures_gradients(tanh_written_with_exp: bool) -> None:
    o, leaves = _lecture_neuron(tanh_written_with_exp)
    o.backward()
    # The bias makes n = atanh(1/sqrt(2)), so o = 1/sqrt(2) and 1 - o**2 = 1/2.
    assert o.data == pytest.approx(0.7071, abs=5e-5)
    assert o.data == pytest.approx(math.sqrt(0.5), rel=1e-12)
    assert leaves["x1"].grad == pytest.approx(-1.5, rel=1e-12)
    assert leaves["w1"].grad == pytest.approx(1.0, rel=1e-12)
    assert leaves["x2"].grad == pytest.approx(0.5, rel=1e-12)
    assert leaves["w2"].grad == 0.0
    assert leaves["b"].grad == pytest.approx(0.5, rel=1e-12)


# -- tanh and sigmoid far from zero ---------------------------------------------------


@pytest.mark.parametrize("x", [-1000.0, -40.0, 40.0, 1000.0])
@pytest.mark.parametrize("op", ["tanh", "sigmoid"])
def test_tanh_and_sigmoid_are_stable_far_from_zero(
    op: str, x: float, torch_value_and_grads: Callable[..., tuple[float, list[float]]]
) -> None:
    def fn(a: Any) -> Any:
        return getattr(a, op)()

    v = Value(x)
    out = fn(v)  # no OverflowError
    out.backward()
    expected_value, (expected_grad,) = torch_value_and_grads(fn, [x])
    assert out.data == pytest.approx(expected_value, rel=1e-12, abs=1e-300)
    assert v.grad == pytest.approx(expected_grad, rel=1e-12, abs=1e-300)
    assert math.isfinite(v.grad)


# -- gradient accumulation ----------------------------------------------------------------


def test_a_value_added_to_itself_has_gradient_two() -> None:
    x = Value(3.0)
    y = x + x
    y.backward()
    assert x.grad == 2.0


def test_a_value_added_three_times_has_gradient_three(
    micrograd_grads: Callable[..., tuple[float, list[float]]],
) -> None:
    assert micrograd_grads(lambda x: x + x + x, [0.5])[1] == [3.0]


def test_a_value_used_three_times_collects_three_contributions(
    torch_value_and_grads: Callable[..., tuple[float, list[float]]],
    micrograd_grads: Callable[..., tuple[float, list[float]]],
) -> None:
    def three_uses(x: Any, w: Any) -> Any:
        return x * w + x.tanh() + x * x * w  # x appears in three products/functions

    value, grads = micrograd_grads(three_uses, [0.7, -1.3])
    expected_value, expected_grads = torch_value_and_grads(three_uses, [0.7, -1.3])
    assert value == pytest.approx(expected_value, **CLOSE)
    assert grads == pytest.approx(expected_grads, **CLOSE)


def _deep_graph(x: Any, w: Any, b: Any) -> tuple[Any, Any]:
    """A graph with reuse several levels deep; returns (output, an intermediate)."""
    h = (x * w + b).tanh()
    g = h * h + (h * x).exp()
    out = g * h + g.log() * w
    return out, h


def test_repeated_backward_accumulates_into_leaves_like_torch_with_retain_graph(torch: ModuleType) -> None:
    inputs = [0.8, -1.1, 0.3]
    leaves = [Value(v) for v in inputs]
    out, _ = _deep_graph(*leaves)
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
    t_out, _ = _deep_graph(*tensors)
    for call in range(1, 4):
        out.backward()
        t_out.backward(retain_graph=True)
        for leaf, tensor in zip(leaves, tensors, strict=True):
            assert leaf.grad == pytest.approx(tensor.grad.item(), **CLOSE), f"after call {call}"
    # Three calls give exactly three times one call's gradient, at every depth of the graph.
    single = [torch.autograd.grad(_deep_graph(*tensors)[0], t)[0].item() for t in tensors]
    assert [leaf.grad for leaf in leaves] == pytest.approx([3 * g for g in single], **CLOSE)


def test_intermediate_values_hold_the_latest_calls_gradient(torch: ModuleType) -> None:
    inputs = [0.8, -1.1, 0.3]
    leaves = [Value(v) for v in inputs]
    out, h = _deep_graph(*leaves)
    out.backward()
    out.backward()
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
    t_out, t_h = _deep_graph(*tensors)
    (expected,) = torch.autograd.grad(t_out, t_h)
    assert h.grad == pytest.approx(expected.item(), **CLOSE)
    assert out.grad == 1.0


def test_an_intermediate_reused_in_a_new_graph_gets_that_graphs_gradient(torch: ModuleType) -> None:
    x = Value(0.4)
    h = (x * 3).tanh()
    h.backward()
    y = h * h
    y.backward()
    t_x = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    t_h = (t_x * 3).tanh()
    t_h.retain_grad()
    t_h.backward(retain_graph=True)
    t_h.grad = None
    (t_h * t_h).backward()
    assert h.grad == pytest.approx(t_h.grad.item(), **CLOSE)
    assert x.grad == pytest.approx(t_x.grad.item(), **CLOSE)  # the leaf accumulated both calls


def test_resetting_leaf_gradients_between_calls_gives_one_calls_gradient(
    micrograd_grads: Callable[..., tuple[float, list[float]]],
) -> None:
    leaves = [Value(v) for v in (0.8, -1.1, 0.3)]
    out, _ = _deep_graph(*leaves)
    out.backward()
    for leaf in leaves:
        leaf.grad = 0
    out.backward()
    _, fresh = micrograd_grads(lambda *xs: _deep_graph(*xs)[0], [0.8, -1.1, 0.3])
    assert [leaf.grad for leaf in leaves] == fresh


def test_backward_on_a_leaf_gives_it_gradient_one_and_accumulates() -> None:
    x = Value(3.0)
    x.backward()
    assert x.grad == 1.0  # d(x)/d(x)
    x.backward()
    assert x.grad == 2.0  # a second call adds its 1


def test_backward_on_a_leaf_accumulates_as_in_pytorch(torch: ModuleType) -> None:
    x = Value(3.0)
    t = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    x.backward()
    t.backward()
    assert x.grad == t.grad.item() == 1.0
    x.backward()
    t.backward()
    assert x.grad == t.grad.item() == 2.0


# -- depth and memory -----------------------------------------------------------------------


@pytest.mark.slow
def test_a_million_op_chain_backpropagates_under_the_default_recursion_limit() -> None:
    # Python's default recursion limit is 1000; set it explicitly so that the fact holds
    # whatever a plugin may have changed.
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        n = 1_000_000
        x, a = Value(1.0), Value(1.000001)
        v = x
        for _ in range(n):
            v = v * a
        v.backward()
        # v = x * a**n, so dv/dx = a**n and dv/da = n * x * a**(n - 1).
        assert v.data == pytest.approx(1.000001**n, rel=1e-9)
        assert x.grad == pytest.approx(1.000001**n, rel=1e-9)
        assert a.grad == pytest.approx(n * 1.000001 ** (n - 1), rel=1e-9)
        del v  # freeing the chain must not overflow the C stack either
    finally:
        sys.setrecursionlimit(old_limit)


def test_a_dropped_graph_is_freed_without_the_cycle_collector() -> None:
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        x = Value(0.5)
        out = x
        for _ in range(200):
            out = (out * x + 1).tanh()
        out.backward()
        del out
        # Reference counting already freed the whole graph: nothing is left for gc.
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


# -- weighted_sum: a neuron's w . x + b as one node ---------------------------------------------


WS_W, WS_X, WS_B = [0.1, -0.7, 2.3], [1e-3, 0.3, -1.9], 0.37


def _written_out(w: list[Any], x: list[Any], b: Any) -> Any:
    return b + w[0] * x[0] + w[1] * x[1] + w[2] * x[2]


def test_weighted_sum_is_the_written_out_sum_bit_for_bit_with_its_gradients() -> None:
    w, x, b = [Value(v) for v in WS_W], [Value(v) for v in WS_X], Value(WS_B)
    fused = Value.weighted_sum(w, x, b)
    fused.backward()
    w2, x2, b2 = [Value(v) for v in WS_W], [Value(v) for v in WS_X], Value(WS_B)
    plain = _written_out(w2, x2, b2)
    plain.backward()
    assert fused.data == plain.data
    assert [v.grad for v in (*w, *x, b)] == [v.grad for v in (*w2, *x2, b2)]


def test_weighted_sum_gives_pytorchs_value_and_gradients(torch: ModuleType) -> None:
    w, x, b = [Value(v) for v in WS_W], [Value(v) for v in WS_X], Value(WS_B)
    fused = Value.weighted_sum(w, x, b)
    fused.backward()
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (*WS_W, *WS_X, WS_B)]
    t_out = _written_out(tensors[:3], tensors[3:6], tensors[6])
    t_out.backward()
    assert fused.data == pytest.approx(t_out.item(), **CLOSE)
    assert [v.grad for v in (*w, *x, b)] == pytest.approx([t.grad.item() for t in tensors], **CLOSE)


def test_weighted_sum_takes_numbers_and_a_value_used_twice() -> None:
    a = Value(3.0)
    out = Value.weighted_sum([a, 2], [a, a], 1)  # 1 + a*a + 2*a
    out.backward()
    assert out.data == 1 + 3.0 * 3.0 + 2 * 3.0
    assert a.grad == 2 * 3.0 + 2


def test_numpy_scalars_are_accepted_as_numbers() -> None:
    np = require("numpy")
    x = Value(np.float32(0.5))
    y = x * np.int64(3) + np.float64(1.0)
    z = np.int64(2) * y
    z.backward()
    assert (x.data, y.data, z.data) == (0.5, 2.5, 5.0)
    assert x.grad == 6.0
    with pytest.raises(TypeError, match="bool"):
        Value(np.bool_(True))


# -- the classic extension style: a _backward function set on a node ----------------------------


class ClassicValue(Value):
    """A subclass with operations added the way the classic lecture adds them: closures."""

    def swish(self) -> ClassicValue:
        s = 1 / (1 + math.exp(-self.data))
        out = ClassicValue(self.data * s, (self,), "swish")

        def _backward() -> None:
            self.grad += (s + self.data * s * (1 - s)) * out.grad

        out._backward = _backward
        return out

    def cube(self) -> ClassicValue:
        out = ClassicValue(self.data**3, (self,), "cube")

        def _backward() -> None:
            self.grad += 3 * self.data**2 * out.grad

        out._backward = _backward
        return out

    def times(self, other: Value) -> ClassicValue:
        out = ClassicValue(self.data * other.data, (self, other), "times")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out


def test_a_classic_subclass_with_backward_closures_gets_pytorchs_gradients(torch: ModuleType) -> None:
    x, y = ClassicValue(0.6), ClassicValue(2.0)
    out = (x.swish() * 3 + y.cube()).tanh() + x.times(x) * y.times(x).swish()
    out.backward()
    tx, ty = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.6, 2.0))
    t_out = (torch.nn.functional.silu(tx) * 3 + ty**3).tanh() + (tx * tx) * torch.nn.functional.silu(ty * tx)
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), **CLOSE)
    assert x.grad == pytest.approx(tx.grad.item(), **CLOSE)
    assert y.grad == pytest.approx(ty.grad.item(), **CLOSE)
    assert x.grad != 0 and y.grad != 0


def test_a_backward_closure_assigned_to_a_plain_value_is_honoured(
    torch: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cube(self: Value) -> Value:  # the lecture's way of adding a method to Value
        out = Value(self.data**3, (self,), "cube")

        def _backward() -> None:
            self.grad += 3 * self.data**2 * out.grad

        out._backward = _backward
        return out

    monkeypatch.setattr(Value, "cube", cube, raising=False)
    x = Value(-1.5)
    out = x.cube().cube() * x  # type: ignore[attr-defined]
    out.backward()
    tx = torch.tensor(-1.5, dtype=torch.float64, requires_grad=True)
    ((tx**3) ** 3 * tx).backward()
    assert x.grad == pytest.approx(tx.grad.item(), **CLOSE)


def test_repeated_backward_through_a_classic_node_adds_exactly_one_more_gradient() -> None:
    x = ClassicValue(0.75)
    out = x.cube() + x.times(x)
    out.backward()
    first = x.grad
    assert first == 3 * 0.75**2 + 2 * 0.75
    out.backward()
    assert x.grad == 2 * first
    assert out.grad == 1.0  # the output's own gradient is this call's, not a sum


def test_a_node_with_inputs_but_no_local_derivatives_raises_instead_of_giving_zero() -> None:
    x = Value(2.0)
    y = Value(x.data**2, (x,), "square")  # neither local derivatives nor a _backward
    out = y * 3 + x
    x.grad = 0.5
    with pytest.raises(ValueError, match=r"'square' node .* no local derivatives") as excinfo:
        out.backward()
    assert "Value(data, children, op, local_grads)" in str(excinfo.value)
    assert "_backward" in str(excinfo.value)
    assert (x.grad, y.grad, out.grad) == (0.5, 0, 0)


def test_local_derivatives_given_as_a_list_are_kept_as_a_tuple() -> None:
    x = Value(3.0)
    y = Value(x.data**2, (x,), "square", [2 * x.data])  # type: ignore[arg-type]
    assert y._local_grads == (6.0,)
    y._local_grads = [4.0]  # type: ignore[assignment]
    assert y._local_grads == (4.0,)
    y.backward()
    assert x.grad == 4.0


@pytest.mark.parametrize("local", [[6.0, 1.0], (6.0, 1.0)])
def test_local_derivatives_not_one_per_child_are_refused_when_the_value_is_made(local: object) -> None:
    x = Value(3.0)
    with pytest.raises(ValueError, match=r"Value\(\): 2 local derivatives for 1 child: give one per child"):
        Value(x.data**2, (x,), "square", local)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [6.0, None, "6", {6.0}, {6.0: 1}])
def test_local_derivatives_that_are_not_a_sequence_are_refused_when_the_value_is_made(bad: object) -> None:
    x = Value(3.0)
    with pytest.raises(
        TypeError, match=r"Value\(\): the local derivatives must be a tuple of numbers, one per child, got"
    ):
        Value(x.data**2, (x,), "square", bad)  # type: ignore[arg-type]


def test_assigning_something_that_is_not_a_function_to_backward_is_refused() -> None:
    out = Value(4.0, (Value(2.0),), "square")
    with pytest.raises(TypeError, match="_backward must be a function"):
        out._backward = 2.0  # type: ignore[assignment]


# -- each call's gradients are added to the leaves once, at the end -----------------------------


def test_a_second_backward_cannot_absorb_the_gradient_of_the_first(torch: ModuleType) -> None:
    # The second call's terms, 1e20 and -1e20, cancel before they meet the first call's 1:
    # the sum is 1, as in PyTorch, not (1 + 1e20) - 1e20 = 0.
    x = Value(2.0)
    (x * 1.0).backward()
    (x * 1e20 + x * -1e20).backward()
    tx = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (tx * 1.0).backward()
    (tx * 1e20 + tx * -1e20).backward()
    assert x.grad == tx.grad.item() == 1.0


# -- Value ** Value with a tiny base ------------------------------------------------------------


@pytest.mark.parametrize("base", [1e-170, 1e-160, 3e-200, 1e-300])
def test_a_value_exponent_on_a_tiny_base_gives_the_base_its_full_gradient(
    torch: ModuleType, base: float
) -> None:
    a, b = Value(base), Value(2.0)
    (a**b).backward()
    ta = torch.tensor(base, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (ta**tb).backward()
    assert ta.grad.item() == 2 * base  # the reference is exact here: d(a**2)/da = 2a
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-15, abs=0)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12, abs=1e-300)


# -- all or nothing -----------------------------------------------------------------------------


def test_a_backward_that_overflows_leaves_every_grad_as_it_was() -> None:
    big, small = Value(1e-300), Value(3.0)
    big.grad, small.grad = 0.5, 0.25
    h = small * small
    out = big * 1e300 * 1e300 + h  # d(out)/d(big) = 1e600 overflows; d(out)/d(small) = 6 does not
    with pytest.raises(OverflowError, match=r"No \.grad was changed"):
        out.backward()
    assert (big.grad, small.grad, h.grad, out.grad) == (0.5, 0.25, 0, 0)
    ok = big * 1e300 + h  # so a fixed retry, without zero_grad(), adds to the old gradients

    ok.backward()
    assert (big.grad, small.grad) == (0.5 + 1e300, 0.25 + 6.0)


def test_a_keyboard_interrupt_during_backward_leaves_every_grad_as_it_was() -> None:
    x, w = Value(1.5), Value(-2.0)
    x.grad, w.grad = 0.125, 7.0

    def interrupted(v: Value) -> Value:
        out = Value(v.data, (v,), "interrupt")

        def _backward() -> None:
            v.grad += out.grad  # a half-done step...
            raise KeyboardInterrupt  # ...then Ctrl-C

        out._backward = _backward
        return out

    h = (x * w).tanh()
    out = h * x + interrupted(w * 3)  # the interrupted node comes after x's and w's other uses
    with pytest.raises(KeyboardInterrupt):
        out.backward()
    assert (x.grad, w.grad, h.grad, out.grad) == (0.125, 7.0, 0, 0)


class InterruptOnSecondGradWrite(Value):
    """A leaf whose ``grad`` raises KeyboardInterrupt when written the second time."""

    __slots__ = ("_grad", "_writes")

    def __init__(self, data: float) -> None:
        self._writes = 0
        super().__init__(data)

    @property
    def grad(self) -> float:
        return self._grad

    @grad.setter
    def grad(self, value: float) -> None:
        self._writes += 1
        if self._writes == 2:  # the first write is __init__'s
            raise KeyboardInterrupt
        self._grad = value


def test_an_interrupt_while_gradients_are_written_puts_the_written_ones_back() -> None:
    a, c = Value(1.0), Value(2.0)
    b = InterruptOnSecondGradWrite(3.0)
    a.grad, c.grad = 0.5, -0.5
    out = a * b * c + a  # topological order: a before b: a is written, then b interrupts
    with pytest.raises(KeyboardInterrupt):
        out.backward()
    assert (a.grad, b.grad, c.grad, out.grad) == (0.5, 0, -0.5, 0)


# -- the garbage collector's pause, under threads --------------------------------------------------


def test_backward_in_two_threads_leaves_the_collector_on_whatever_the_interleaving() -> None:
    # The interleaving that used to switch the collector off for good, forced with events:
    # B reads "off" (A has paused it), A finishes and switches it on, then B switches it off
    # and, having found it off, never on again. Each wait has a timeout, so that code that
    # serializes the pause (as it should) only waits, and cannot deadlock.
    import threading

    a_inside, b_checked, a_done = threading.Event(), threading.Event(), threading.Event()

    def thread_a() -> None:
        def after_disable(frame: Any, event: str, arg: Any) -> None:
            if event == "c_return" and arg is gc.disable:  # A is inside backward(), paused
                a_inside.set()
                b_checked.wait(timeout=0.5)

        sys.setprofile(after_disable)
        try:
            x = Value(0.5)
            (x * x).backward()
        finally:
            sys.setprofile(None)
        a_done.set()

    def thread_b() -> None:
        def after_isenabled(frame: Any, event: str, arg: Any) -> None:
            if event == "c_return" and arg is gc.isenabled:
                b_checked.set()
                a_done.wait(timeout=0.5)

        a_inside.wait(timeout=0.5)
        sys.setprofile(after_isenabled)
        try:
            x = Value(0.5)
            (x * x).backward()
        finally:
            sys.setprofile(None)

    was_on = gc.isenabled()
    gc.enable()
    try:
        threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert gc.isenabled(), "the collector was left switched off"
    finally:
        gc.enable() if was_on else gc.disable()


# -- facts that need no PyTorch: checked against hand formulas --------------------------------


def test_repeated_backward_gives_the_output_gradient_one_and_intermediates_the_latest_calls() -> None:
    x = Value(2.0)
    h = x * x
    out = h * 3.0
    out.backward()
    out.backward()
    assert out.grad == 1.0  # reset to d(out)/d(out) by each call, not accumulated
    assert h.grad == 3.0  # d(out)/dh, from the latest call only
    assert x.grad == 2 * (3.0 * 2 * 2.0)  # the leaf adds d(out)/dx = 3 * 2x once per call


@pytest.mark.parametrize("x", [-1000.0, -40.0, 40.0, 1000.0])
def test_tanh_far_from_zero_gives_math_tanh_and_its_derivative(x: float) -> None:
    v = Value(x)
    out = v.tanh()  # no OverflowError
    out.backward()
    assert out.data == math.tanh(x)
    assert v.grad == pytest.approx(1 - math.tanh(x) ** 2, abs=1e-17)


@pytest.mark.parametrize("x", [-1000.0, -40.0, 40.0, 1000.0])
def test_sigmoid_far_from_zero_gives_the_logistic_function_and_its_derivative(x: float) -> None:
    v = Value(x)
    out = v.sigmoid()  # no OverflowError
    out.backward()
    e = math.exp(-abs(x))  # the logistic function written so that nothing overflows
    assert out.data == pytest.approx(1 / (1 + e) if x >= 0 else e / (1 + e), rel=1e-15, abs=1e-300)
    assert v.grad == pytest.approx(e / (1 + e) ** 2, abs=1e-17)  # sigma * (1 - sigma)
    assert math.isfinite(v.grad)
