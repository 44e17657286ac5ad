"""Property tests: on random expression graphs, micrograd agrees with PyTorch and with calculus.

A graph is a small program: some inputs, then steps that each apply one op to earlier
nodes (any earlier node, so nodes are reused and the graph is a DAG, not a tree). Every op
of the engine appears: ``+ - * /`` between Values and with a number on either side, unary
``-``, ``**`` with a number exponent, with a Value exponent and with a number base,
``exp``, ``log``, ``tanh``, ``sigmoid`` and ``relu``, and :meth:`Value.weighted_sum` (checked
against the sum it stands for, written out). The output is the sum of the nodes
nothing else uses, so every node contributes to it.

The same program runs three ways: on micrograd Values, on float64 PyTorch tensors, and on
plain floats (for central differences). The generator only applies an op where its inputs
are well inside its domain (a log's input is at least 0.1, a ReLU's input is not within
0.01 of the kink, values stay below 1e4), so the three must agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from micrograd.engine import Value

# -- the programs ------------------------------------------------------------------------

Step = tuple[str, int, int, float]
"""(op, index of the first operand, index of the second operand, a number constant)."""

VALUE_VALUE = ("add", "sub", "mul", "div", "pow")
VALUE_NUMBER = ("add_c", "sub_c", "mul_c", "div_c", "pow_c")  # Value op number
NUMBER_VALUE = ("c_add", "c_sub", "c_mul", "c_div", "c_pow")  # number op Value
UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "relu")
# c + a * b + c * a: Values and a number as weights and inputs, one Value used twice.
WEIGHTED_SUM = "weighted_sum"
TWO_OPERANDS = (*VALUE_VALUE, WEIGHTED_SUM)
ALL_OPS = (*VALUE_VALUE, *VALUE_NUMBER, *NUMBER_VALUE, *UNARY, WEIGHTED_SUM)

# Exponents of `Value ** number`: integers (negative bases allowed) and fractions.
EXPONENTS = (-2.0, -1.0, -0.5, 0.5, 1.5, 2.0, 3.0)
LIMIT = 1e4  # every node's value stays within +-LIMIT


def _float_unary(op: str, a: float) -> float:
    """The reference definitions, from the math module; none of them is micrograd's code."""
    if op == "exp":
        return math.exp(a)
    if op == "log":
        return math.log(a)
    if op == "tanh":
        return math.tanh(a)
    if op == "sigmoid":
        return 0.5 * (1.0 + math.tanh(0.5 * a))  # an identity, not the engine's formula
    if op == "relu":
        return max(a, 0.0)
    raise AssertionError(op)


def _apply(op: str, a: Any, b: Any, c: float, unary: Callable[[str, Any], Any]) -> Any:
    """One step, written once for Values, tensors and floats (they share Python's operators)."""
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div":
        return a / b
    if op == "pow":
        return a**b
    if op == "add_c":
        return a + c
    if op == "sub_c":
        return a - c
    if op == "mul_c":
        return a * c
    if op == "div_c":
        return a / c
    if op == "pow_c":
        return a**c
    if op == "c_add":
        return c + a
    if op == "c_sub":
        return c - a
    if op == "c_mul":
        return c * a
    if op == "c_div":
        return c / a
    if op == "c_pow":
        return c**a
    if op == "neg":
        return -a
    if op == WEIGHTED_SUM:
        if isinstance(a, Value):
            return Value.weighted_sum([a, c], [b, a], c)
        return c + a * b + c * a
    return unary(op, a)


def _method(op: str, a: Any) -> Any:
    """The unary ops of Values and tensors, which share the method names."""
    return getattr(a, op)()


def _run(inputs: Sequence[Any], steps: Sequence[Step], unary: Callable[[str, Any], Any]) -> Any:
    """Run a program on the given leaves and return its output: the sum of the unused nodes."""
    return _run_with_nodes(inputs, steps, unary)[0]


def _run_with_nodes(
    inputs: Sequence[Any], steps: Sequence[Step], unary: Callable[[str, Any], Any]
) -> tuple[Any, list[Any]]:
    """Run a program; return its output (the sum of the unused nodes) and every node."""
    nodes = list(inputs)
    used: set[int] = set()
    for op, i, j, c in steps:
        nodes.append(_apply(op, nodes[i], nodes[j], c, unary))
        used.add(i)
        if op in TWO_OPERANDS:
            used.add(j)
    sinks = [node for k, node in enumerate(nodes) if k not in used]
    out = sinks[0]
    for node in sinks[1:]:
        out = out + node
    return out, nodes


def _well_inside_domain(op: str, a: float, b: float, c: float) -> bool:
    """Whether ``op`` is smooth with moderate derivatives around these operands."""
    if op in ("div", "c_div") and abs(b if op == "div" else a) < 0.1:
        return False
    if op == "log" and a < 0.1:
        return False
    if op == "pow" and a < 0.1:
        return False
    if op == "c_pow" and c < 0.1:
        return False
    if op == "pow_c" and (abs(a) < 0.1 or (a < 0 and not c.is_integer())):
        return False
    if op == "relu" and abs(a) < 0.01:
        return False
    if op in ("exp", "c_pow", "pow"):
        # Keep exponentials moderate so the values below LIMIT stay smooth.
        x = a if op == "exp" else a * math.log(c) if op == "c_pow" else b * math.log(a)
        if x > 8:
            return False
    return True


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[Step]]:
    """A random expression graph with node reuse, over every op, inside the ops' domains."""
    inputs = draw(st.lists(st.floats(-3, 3).filter(lambda x: abs(x) > 0.05), min_size=1, max_size=4))
    values = list(inputs)
    steps: list[Step] = []
    for _ in range(draw(st.integers(1, 14))):
        # Operands counted back from the newest node: shrinking leads to deep chains.
        i = len(values) - 1 - draw(st.just(0) | st.integers(0, len(values) - 1))
        j = len(values) - 1 - draw(st.integers(0, len(values) - 1))
        number = draw(st.floats(-3, 3).filter(lambda x: abs(x) > 0.1))
        exponent = draw(st.sampled_from(EXPONENTS))
        candidates = []
        for op in ALL_OPS:
            c = exponent if op == "pow_c" else number
            if not _well_inside_domain(op, values[i], values[j], c):
                continue
            try:
                result = _apply(op, values[i], values[j], c, _float_unary)
            except (ArithmeticError, ValueError):
                continue
            if isinstance(result, float) and abs(result) <= LIMIT:
                candidates.append((op, c, result))
        if not candidates:
            continue
        op, c, result = draw(st.sampled_from(candidates))
        steps.append((op, i, j, c))
        values.append(result)
    assume(steps)
    return inputs, steps


# -- the three evaluations ---------------------------------------------------------------


def _micrograd(inputs: Sequence[float], steps: Sequence[Step]) -> tuple[Value, list[Value]]:
    leaves = [Value(x) for x in inputs]
    return _run(leaves, steps, _method), leaves


def _torch(torch: ModuleType, inputs: Sequence[float], steps: Sequence[Step]) -> tuple[float, list[float]]:
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    out = _run(leaves, steps, _method)
    grads = torch.autograd.grad(out, leaves, allow_unused=True)
    return out.item(), [0.0 if g is None else g.item() for g in grads]


def _relu_signs(inputs: Sequence[float], steps: Sequence[Step]) -> list[bool]:
    """Which side of the kink each ReLU's input is on."""
    nodes = list(inputs)
    signs = []
    for op, i, j, c in steps:
        if op == "relu":
            signs.append(nodes[i] > 0)
        nodes.append(_apply(op, nodes[i], nodes[j], c, _float_unary))
    return signs


def _central_differences(inputs: Sequence[float], steps: Sequence[Step]) -> list[float]:
    """d(output)/d(input k) = (f(x + h e_k) - f(x - h e_k)) / 2h, with plain floats."""
    signs = _relu_signs(inputs, steps)
    grads = []
    for k, x in enumerate(inputs):
        h = 1e-6 * max(1.0, abs(x))
        up = [*inputs[:k], x + h, *inputs[k + 1 :]]
        down = [*inputs[:k], x - h, *inputs[k + 1 :]]
        # A step that crosses a ReLU's kink measures a different function: skip it (rare).
        assume(_relu_signs(up, steps) == signs == _relu_signs(down, steps))
        grads.append((_run(up, steps, _float_unary) - _run(down, steps, _float_unary)) / (2 * h))
    return grads


def _assert_close(actual: float, expected: float, rel: float, abs_: float, what: str) -> None:
    assert math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_), f"{what}: {actual!r} != {expected!r}"


# -- the properties ----------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(programs())
def test_random_graphs_have_pytorchs_values_and_leaf_gradients(
    torch: ModuleType, program: tuple[list[float], list[Step]]
) -> None:
    inputs, steps = program
    out, leaves = _micrograd(inputs, steps)
    out.backward()
    expected_value, expected_grads = _torch(torch, inputs, steps)
    _assert_close(out.data, expected_value, 1e-9, 1e-9, "value")
    scale = max(1.0, *(abs(g) for g in expected_grads))
    for k, (leaf, expected) in enumerate(zip(leaves, expected_grads, strict=True)):
        assert math.isfinite(leaf.grad)
        _assert_close(leaf.grad, expected, 1e-8, 1e-9 * scale, f"gradient of input {k}")


@settings(max_examples=400, deadline=None)
@given(programs())
def test_random_graphs_have_the_gradients_of_central_differences(
    program: tuple[list[float], list[Step]],
) -> None:
    inputs, steps = program
    out, leaves = _micrograd(inputs, steps)
    out.backward()
    numeric = _central_differences(inputs, steps)
    scale = max(1.0, abs(out.data))
    for k, (leaf, expected) in enumerate(zip(leaves, numeric, strict=True)):
        assert math.isfinite(leaf.grad)
        _assert_close(leaf.grad, expected, 1e-4, 1e-6 * scale, f"gradient of input {k}")


@settings(max_examples=100, deadline=None)
@given(programs(), st.integers(2, 4))
def test_repeated_backward_on_random_graphs_accumulates_like_pytorch(
    torch: ModuleType, program: tuple[list[float], list[Step]], calls: int
) -> None:
    inputs, steps = program
    out, leaves = _micrograd(inputs, steps)
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    t_out = _run(tensors, steps, _method)
    for _ in range(calls):
        out.backward()
        t_out.backward(retain_graph=True)
    for leaf, tensor in zip(leaves, tensors, strict=True):
        expected = 0.0 if tensor.grad is None else tensor.grad.item()
        _assert_close(leaf.grad, expected, 1e-8, 1e-9 * max(1.0, abs(expected)), "accumulated gradient")


# -- single ops over their whole domain ----------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("op", "domain"),
    [
        ("exp", st.floats(-745.0, 709.0)),
        ("log", st.floats(min_value=5e-324, allow_infinity=False)),
        ("tanh", finite),
        ("sigmoid", finite),
        ("relu", finite),
    ],
)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_unary_ops_match_pytorch_over_their_whole_domain(
    torch: ModuleType, op: str, domain: st.SearchStrategy[float], data: st.DataObject
) -> None:
    x = data.draw(domain)
    v = Value(x)
    out = getattr(v, op)()
    try:
        out.backward()
    except OverflowError:
        # Only log's derivative 1/x can overflow, for subnormal x; the engine says so.
        assert op == "log" and 1.0 / x == math.inf
        return
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    t_out = getattr(t, op)()
    t_out.backward()
    _assert_close(out.data, t_out.item(), 1e-12, 1e-300, f"{op}({x!r})")
    # tanh' = 1 - t**2 and sigmoid' = s * (1 - s) cancel for large |x|, in PyTorch too:
    # both are then only accurate to a few units of 1e-16 in absolute terms.
    _assert_close(
        v.grad, t.grad.item(), 1e-12, 1e-15 if op in ("tanh", "sigmoid") else 1e-300, f"{op}'({x!r})"
    )


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(("add", "sub", "mul", "div")),
    st.floats(-1e6, 1e6),
    # Divisors away from 0, so that a / b**2 is a float: overflow has its own tests.
    st.floats(-1e6, 1e6).filter(lambda x: abs(x) >= 1e-3),
    st.sampled_from(("Value op Value", "Value op number", "number op Value")),
)
def test_arithmetic_matches_pytorch_with_values_and_numbers_on_either_side(
    torch: ModuleType, op: str, a: float, b: float, form: str
) -> None:
    def fn(x: Any, y: Any) -> Any:
        if form == "Value op number":
            y = b
        elif form == "number op Value":
            x = a
        return _apply(op, x, y, 0.0, _method)

    va, vb = Value(a), Value(b)
    out = fn(va, vb)
    out.backward()
    ta, tb = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (a, b))
    t_out = fn(ta, tb)
    t_out.backward()
    _assert_close(out.data, t_out.item(), 1e-12, 1e-300, "value")
    for v, t in ((va, ta), (vb, tb)):
        expected = 0.0 if t.grad is None else t.grad.item()
        _assert_close(v.grad, expected, 1e-12, 1e-300, "gradient")


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-20, 20).filter(lambda x: abs(x) > 1e-3),
    st.one_of(st.integers(-6, 6).map(float), st.floats(-4, 4)),
)
def test_power_with_a_number_exponent_matches_pytorch(torch: ModuleType, base: float, k: float) -> None:
    assume(base > 0 or k.is_integer())
    v = Value(base)
    out = v**k
    out.backward()
    t = torch.tensor(base, dtype=torch.float64, requires_grad=True)
    t_out = t**k
    t_out.backward()
    _assert_close(out.data, t_out.item(), 1e-12, 1e-300, f"{base!r} ** {k!r}")
    _assert_close(v.grad, t.grad.item(), 1e-11, 1e-300, f"d/dx x ** {k!r} at {base!r}")


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-3, 50), st.floats(-8, 8), st.booleans())
def test_power_with_a_value_exponent_matches_pytorch(
    torch: ModuleType, base: float, k: float, number_base: bool
) -> None:
    vb, vk = Value(base), Value(k)
    out = (base if number_base else vb) ** vk
    out.backward()
    tb, tk = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (base, k))
    t_out = (base if number_base else tb) ** tk
    t_out.backward()
    _assert_close(out.data, t_out.item(), 1e-12, 1e-300, "value")
    _assert_close(vk.grad, tk.grad.item(), 1e-11, 1e-300, "d/dk")
    if not number_base:
        _assert_close(vb.grad, tb.grad.item(), 1e-11, 1e-300, "d/dbase")


def _reverse_topological_order(root: Value) -> list[Value]:
    """Every node of root's graph, each before its children (our own iterative walk)."""
    order: list[Value] = []
    seen: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev)
    return order[::-1]


@settings(max_examples=150, deadline=None)
@given(programs())
def test_hand_run_backward_steps_in_reverse_topological_order_equal_backward(
    program: tuple[list[float], list[Step]],
) -> None:
    inputs, steps = program
    out, leaves = _micrograd(inputs, steps)
    out.backward()
    by_backward = [leaf.grad for leaf in leaves]

    out, leaves = _micrograd(inputs, steps)
    out.grad = 1.0
    for node in _reverse_topological_order(out):
        node._backward()  # the lecture's way: one chain-rule step per node
    for k, (leaf, expected) in enumerate(zip(leaves, by_backward, strict=True)):
        _assert_close(leaf.grad, expected, 1e-12, 1e-12 * max(1.0, abs(expected)), f"gradient of input {k}")


# -- repeated calls, extreme bases, constants, threads (issue 8) ----------------------------------


@settings(max_examples=150, deadline=None)
@given(programs(), st.lists(st.floats(-1e3, 1e3), min_size=4, max_size=4))
def test_each_backward_adds_exactly_one_calls_gradient_to_what_the_leaf_had(
    program: tuple[list[float], list[Step]], earlier: list[float]
) -> None:
    # Each call sums its own terms first, then adds that sum to the leaf once: bit for bit
    # the earlier gradient plus the gradient of a fresh call.
    inputs, steps = program
    fresh_out, fresh_leaves = _micrograd(inputs, steps)
    fresh_out.backward()
    one_call = [leaf.grad for leaf in fresh_leaves]
    out, leaves = _micrograd(inputs, steps)
    for leaf, g in zip(leaves, earlier, strict=False):
        leaf.grad = g
    before = [leaf.grad for leaf in leaves]
    out.backward()
    assert [leaf.grad for leaf in leaves] == [b + g for b, g in zip(before, one_call, strict=True)]
    out.backward()
    assert [leaf.grad for leaf in leaves] == [(b + g) + g for b, g in zip(before, one_call, strict=True)]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.floats(-300, -100), st.floats(100, 300)).map(lambda e: 10.0**e),
    st.floats(-3, 3),
)
def test_value_exponents_on_tiny_and_huge_bases_match_pytorch_or_raise_where_it_overflows(
    torch: ModuleType, base: float, k: float
) -> None:
    tb, tk = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (base, k))
    t_out = tb**tk
    t_out.backward()
    expected = [t_out.item(), tb.grad.item(), tk.grad.item()]
    vb, vk = Value(base), Value(k)
    try:
        out = vb**vk
        out.backward()
    except OverflowError:
        assert not all(math.isfinite(x) for x in expected), (base, k, expected)
        return
    # A result below the smallest normal float (2.2e-308) keeps fewer digits: allow a few of
    # the smallest steps (5e-324) there.
    for actual, reference, what in zip(
        (out.data, vb.grad, vk.grad), expected, ("value", "d/dbase", "d/dk"), strict=True
    ):
        _assert_close(actual, reference, 1e-12, 1e-322, f"{what} of {base!r} ** {k!r}")


@settings(max_examples=100, deadline=None)
@given(programs(), st.sampled_from([(2.0, 1023.0), (2.0, 1020.0), (1.5, 1750.0)]))
def test_a_constant_with_an_overflowing_gradient_changes_no_leaf_gradient(
    program: tuple[list[float], list[Step]], power: tuple[float, float]
) -> None:
    # c ** (0 * x + e) and its derivative with respect to the exponent, c**e * log(c), are
    # finite; its derivative with respect to the constant c, e * c ** (e - 1), is not.
    base, exponent = power
    inputs, steps = program
    out, leaves = _micrograd(inputs, steps)
    out.backward()
    alone = [leaf.grad for leaf in leaves]
    out, leaves = _micrograd(inputs, steps)
    (out + base ** (leaves[0] * 0 + exponent)).backward()
    assert [leaf.grad for leaf in leaves] == alone


@settings(max_examples=15, deadline=None)
@given(st.lists(programs(), min_size=4, max_size=4))
def test_backward_in_four_threads_at_once_gives_each_its_one_thread_gradients(
    programs_: list[tuple[list[float], list[Step]]],
) -> None:
    import gc
    import sys
    import threading

    def gradients(program: tuple[list[float], list[Step]]) -> list[float]:
        out, leaves = _micrograd(*program)
        out.backward()
        return [leaf.grad for leaf in leaves]

    expected = [gradients(p) for p in programs_]
    results: list[list[list[float]]] = [[] for _ in programs_]

    def run(k: int) -> None:
        for _ in range(20):
            results[k].append(gradients(programs_[k]))

    old_interval, was_on = sys.getswitchinterval(), gc.isenabled()
    gc.enable()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(k,)) for k in range(len(programs_))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert gc.isenabled(), "backward() in threads left the garbage collector off"
    finally:
        sys.setswitchinterval(old_interval)
        gc.enable() if was_on else gc.disable()
    for k, runs in enumerate(results):
        assert runs == [expected[k]] * 20
