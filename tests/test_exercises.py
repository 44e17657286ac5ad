"""The exercise checkers pass right code, catch each mistake of the catalogue, and explain it.

Right code: the tutorials' solutions, and independent value classes written in the
classic style (a closure per node) and with stored local derivatives, with the children
in a tuple, a list or a set, with a recursive or an iterative order
(``tests/exercise_engines.py``). Wrong code: the mistakes learners make, each expected to
fail with a message that names it and, for gradients, a blame drawing that marks the
value whose gradient goes wrong first.
"""

from __future__ import annotations

import html
import itertools
import math
import random
import re
import time
from typing import Any

import pytest
from dependencies import require
from exercise_engines import BUILDING_VALUE_MISTAKES, iterative_order, make_building_value, make_engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd import MLP, SGD, Adam, Layer, Neuron, Value
from micrograd.exercises import (
    CHAIN_CASE,
    Check,
    Report,
    check_adam_halves,
    check_and_or,
    check_backward_order,
    check_bce_by_hand,
    check_central_difference,
    check_count_parameters,
    check_cross_entropy_by_hand,
    check_dead_relu,
    check_generalisation,
    check_gradients_by_hand,
    check_he_scale,
    check_layer_and_mlp,
    check_log_and_division,
    check_misclassified,
    check_momentum,
    check_my_backward,
    check_nesterov,
    check_neuron,
    check_numerical_gradient,
    check_plain_numbers,
    check_relative_change,
    check_relu,
    check_residual,
    check_second_derivative,
    check_sgd,
    check_sigmoid,
    check_slope_changes,
    check_solves_xor,
    check_squared_error,
    check_subtraction,
    check_tanh_model,
    check_train,
    check_two_classes,
    check_value,
    check_xor_feature,
    check_xor_weights,
)
from micrograd.losses import binary_cross_entropy_with_logits, mse_loss


def sigmoid(x: Any) -> Any:
    return (1 + (-x).exp()) ** -1


def failed_with(report: Report, words: str) -> None:
    """The report failed, and its first failure names the mistake in these words."""
    assert not report.passed, str(report)
    first = next(c for c in report.checks if not c.passed and not c.advisory)
    assert words in first.message, f"expected {words!r} in:\n{report}"


def blamed(report: Report, case: str, node: str, op: str | None = None) -> None:
    """The blame drawing is of ``case`` and marks ``node`` (made wrong by the operation ``op``)."""
    assert report.blame is not None, str(report)
    assert report.blame.case == case, report.blame.case
    assert report.blame.nodes[report.blame.first_wrong].name == node, str(report)
    if op is not None:
        assert op in report.blame.culprit, report.blame.culprit


# -- the tutorial's own solutions ---------------------------------------------------------


def tutorial_value_class() -> type:
    """The finished MyValue of 'Building Value', with its four exercises, as on the page."""

    def topological_order(root: Any) -> list[Any]:
        order: list[Any] = []
        visited: set[Any] = set()

        def visit(v: Any) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(root)
        return order

    class MyValue:
        def __init__(self, data: float, _children: Any = (), _op: str = "", *, label: str = "") -> None:
            self.data = data
            self.grad = 0.0
            self._prev = tuple(_children)
            self._op = _op
            self.label = label
            self._backward: Any = lambda: None

        def __add__(self, other: Any) -> Any:
            out = MyValue(self.data + other.data, (self, other), "+")

            def _backward() -> None:
                self.grad += 1.0 * out.grad
                other.grad += 1.0 * out.grad

            out._backward = _backward
            return out

        def __mul__(self, other: Any) -> Any:
            out = MyValue(self.data * other.data, (self, other), "*")

            def _backward() -> None:
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def tanh(self) -> Any:
            t = math.tanh(self.data)
            out = MyValue(t, (self,), "tanh")

            def _backward() -> None:
                self.grad += (1 - t**2) * out.grad

            out._backward = _backward
            return out

        def backward(self) -> None:
            order = topological_order(self)
            for node in order:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in reversed(order):
                node._backward()

    def relu(self: Any) -> Any:
        out = MyValue(self.data if self.data > 0 else 0.0, (self,), "ReLU")

        def _backward() -> None:
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    MyValue.relu = relu  # type: ignore[attr-defined]
    _add, _mul = MyValue.__add__, MyValue.__mul__

    def as_value(x: Any) -> Any:
        return x if isinstance(x, MyValue) else MyValue(float(x))

    MyValue.__add__ = lambda self, other: _add(self, as_value(other))  # type: ignore[method-assign]
    MyValue.__mul__ = lambda self, other: _mul(self, as_value(other))  # type: ignore[method-assign]
    MyValue.__radd__ = lambda self, other: as_value(other) + self  # type: ignore[attr-defined]
    MyValue.__rmul__ = lambda self, other: as_value(other) * self  # type: ignore[attr-defined]
    MyValue.__neg__ = lambda self: self * -1  # type: ignore[attr-defined]
    MyValue.__sub__ = lambda self, other: self + (-as_value(other))  # type: ignore[attr-defined]

    def exp(self: Any) -> Any:
        e = math.exp(self.data)
        out = MyValue(e, (self,), "exp")

        def _backward() -> None:
            self.grad += e * out.grad

        out._backward = _backward
        return out

    def power(self: Any, k: float) -> Any:
        out = MyValue(self.data**k, (self,), f"**{k}")

        def _backward() -> None:
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    MyValue.exp = exp  # type: ignore[attr-defined]
    MyValue.__pow__ = power  # type: ignore[operator]

    def log(self: Any) -> Any:
        out = MyValue(math.log(self.data), (self,), "log")

        def _backward() -> None:
            self.grad += (1 / self.data) * out.grad

        out._backward = _backward
        return out

    MyValue.log = log  # type: ignore[attr-defined]
    MyValue.__truediv__ = lambda self, other: self * as_value(other) ** -1  # type: ignore[attr-defined]
    MyValue.__rtruediv__ = lambda self, other: as_value(other) * self**-1  # type: ignore[attr-defined]
    return MyValue


def test_the_tutorials_value_class_passes_every_check_of_building_value() -> None:
    v = tutorial_value_class()
    for report in (
        check_value(v),
        check_relu(v),
        check_plain_numbers(v),
        check_sigmoid(v, sigmoid),
        check_log_and_division(v),
    ):
        assert report.passed, str(report)
        assert report.blame is None


def test_a_recursive_backward_is_only_a_note_on_the_5000_step_chain_of_building_value() -> None:
    report = check_value(tutorial_value_class())
    notes = [c for c in report.checks if c.advisory and not c.passed]
    assert [c.name for c in notes] == [CHAIN_CASE]
    assert "recursion" in notes[0].message
    assert "(1 note)" in str(report).splitlines()[0]


# Each style, container and order at least once, in both kinds of engine.
ENGINE_STYLES = [
    dict(style="closure", prev="tuple", topo="recursive"),
    dict(style="closure", prev="set", topo="recursive"),  # the classic micrograd's choices
    dict(style="closure", prev="set", topo="iterative"),
    dict(style="closure", prev="list", topo="iterative"),
    dict(style="local", prev="tuple", topo="iterative"),
    dict(style="local", prev="set", topo="recursive"),
    dict(style="local", prev="list", topo="recursive"),
]


@pytest.mark.parametrize("kwargs", ENGINE_STYLES, ids=lambda k: "-".join(k.values()))
def test_independent_correct_engines_pass_every_value_class_checker(kwargs: dict[str, str]) -> None:
    v = make_engine(**kwargs)
    for report in (check_value(v), check_relu(v), check_plain_numbers(v), check_sigmoid(v, sigmoid)):
        assert report.passed, str(report)


def test_micrograds_own_value_passes_every_value_class_checker() -> None:
    for report in (
        check_value(Value),
        check_relu(Value),
        check_plain_numbers(Value),
        check_sigmoid(Value, sigmoid),
    ):
        assert report.passed and not report.failures, str(report)


# -- the catalogue of wrong engines -----------------------------------------------------------

CATALOGUE = [
    # (mistake, checker, words in the first failure, blamed case, blamed value, operation)
    ("= instead of +=", check_value, "added with +=, not set with =", "x + x", "x", "+"),
    ("unreversed order", check_value, "reversed topological order", "(a + b) * c", "b", "+"),
    ("missing out.grad", check_value, "not multiplied by out.grad", "(a + b) * c", "b", "+"),
    ("tanh 1 - t", check_value, "not 1 - t", "tanh(x) at x = 0.5", "x", "tanh"),
    ("tanh from input", check_value, "not the input x", "tanh(x) at x = 0.5", "x", "tanh"),
    ("mul own value", check_value, "*other* input", "a * b", "b", "*"),
    ("root grad not set", check_value, "setting it to 1", "a + b", "out", None),
    ("reset leaves", check_value, "reset the inputs' gradients", None, None, None),
    ("no visited set", check_value, "visited", "a reused intermediate: h + tanh(h*h), h = x*w", "w", "*"),
    ("relu from output", check_relu, "relu's output", "relu(x) at x = 3", "x", "ReLU"),
    ("relu >= 0", check_relu, "not >= 0", "relu(x) at x = 0", "x", "ReLU"),
    ("relu always 1", check_relu, "0 for a negative input", "relu(x) at x = -2", "x", "ReLU"),
    ("relu passes negative", check_relu, "return 0 for a negative input", "relu(x) at x = -2", "out", "ReLU"),
    (
        "missing out.grad",
        check_relu,
        "not multiplied by out.grad",
        "relu(x * w) at x = -2, w = 1.5",
        "w",
        "*",
    ),
    ("no __rmul__", check_plain_numbers, "__rmul__", None, None, None),
    ("rmul recursion", check_plain_numbers, "forever", None, None, None),
    ("sub without negation", check_plain_numbers, "negation", "x - 1", "out", "+"),
    ("= instead of +=", check_plain_numbers, "added with +=", None, None, None),
    ("exp derivative x", check_sigmoid, "not x", "exp(x) at x = 0.7", "x", "exp"),
    ("pow k x**k", check_sigmoid, "lowers the exponent", "x ** 3 at x = 2", "x", "**"),
    ("pow missing k", check_sigmoid, "factor k", "x ** 3 at x = 2", "x", "**"),
    ("missing out.grad", check_sigmoid, "not multiplied by out.grad", "exp(x) * c", "x", "exp"),
]


@pytest.mark.parametrize(
    ("mistake", "checker", "words", "case", "node", "op"),
    CATALOGUE,
    ids=[f"{c[1].__name__}-{c[0]}" for c in CATALOGUE],
)
@pytest.mark.parametrize("style", ["closure", "local"])
def test_each_mistake_is_caught_named_and_blamed_on_the_right_value(
    mistake: str, checker: Any, words: str, case: str | None, node: str | None, op: str | None, style: str
) -> None:
    if style == "local" and mistake == "= instead of +=" and checker is check_plain_numbers:
        pytest.skip("the same engine as the check_value entry")
    v = make_engine(style=style, mistakes=[mistake])
    report = checker(v, sigmoid) if checker is check_sigmoid else checker(v)
    failed_with(report, words)
    if case is not None:
        blamed(report, case, node or "", op)


def test_sigmoid_without_the_minus_sign_is_named() -> None:
    v = tutorial_value_class()
    report = check_sigmoid(v, lambda x: (1 + x.exp()) ** -1)
    failed_with(report, "the minus sign before x is missing")
    blamed(report, "sigmoid(x) at x = -3", "out")


def failed_case(report: Report, case: str) -> str:
    """The message of the check named ``case``, which failed."""
    check = next(c for c in report.checks if c.name == case)
    assert not check.passed, str(report)
    return check.message


def test_a_relu_whose_derivative_is_always_1_is_told_so_not_sent_to_the_boundary_or_to_mul() -> None:
    # Tutorial 02b, exercise 1, with the derivative written as 1 for every input.
    v: Any = tutorial_value_class()

    def relu(self: Any) -> Any:
        out = v(self.data if self.data > 0 else 0.0, (self,), "ReLU")

        def _backward() -> None:
            self.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    v.relu = relu
    report = check_relu(v)
    failed_with(report, "0 for a negative input")
    assert not any(">= 0" in c.message for c in report.failures), str(report)
    in_product = failed_case(report, "relu(x * w) at x = -2, w = 1.5")
    assert "relu" in in_product and "out.grad" not in in_product, in_product
    blamed(report, "relu(x) at x = -2", "x", "ReLU")


@pytest.mark.parametrize("style", ["closure", "local"])
def test_a_product_that_gives_each_input_its_own_value_is_named_wherever_it_is_used(style: str) -> None:
    # Tutorial 03, exercise 3 (local) or 02b (closure), with a.grad += a.data * out.grad.
    report = check_value(make_engine(style=style, mistakes=["mul own value"]))
    for case in (
        "(a + b) * c",
        "tanh(x) * c",
        "x used three times: x*w + x*x + x",
        "a reused intermediate: h + tanh(h*h), h = x*w",
    ):
        assert "*other* input" in failed_case(report, case), str(report)


def test_a_product_that_gives_each_input_its_own_value_is_named_in_the_random_expressions() -> None:
    # A random expression names values its output is not made from: their gradient stays 0.
    report = check_value(make_engine(mistakes=["mul own value"]))
    random_check = next(c for c in report.checks if c.name.startswith("20 random expressions"))
    assert not random_check.passed and "*other* input" in random_check.message, random_check.message


def test_a_backward_that_never_ends_is_stopped_with_a_message() -> None:
    v = make_engine()

    def forever(self: Any) -> None:
        while True:
            for _ in self._prev:
                pass

    v.backward = forever
    start = time.monotonic()
    report = check_value(v)
    assert time.monotonic() - start < 30
    failed_with(report, "stopped after more than")


def test_an_exponential_topological_order_is_stopped_and_named() -> None:
    start = time.monotonic()
    report = check_value(make_engine(mistakes=["no visited set"], topo="iterative"))
    assert time.monotonic() - start < 30
    stopped = [c for c in report.checks if "stopped after" in c.message]
    assert stopped and "visited" in stopped[0].message


# -- property tests: right engines always pass, wrong ones always fail ------------------------

OPS_BY_CHECKER = {
    "+": check_value,
    "*": check_value,
    "tanh": check_value,
    "relu": check_relu,
    "exp": check_sigmoid,
}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    style=st.sampled_from(["closure", "local"]),
    prev=st.sampled_from(["tuple", "list", "set"]),
    topo=st.sampled_from(["iterative", "recursive"]),
    relu_name=st.sampled_from(["relu", "ReLU", "max0"]),
)
def test_any_correct_engine_passes(style: str, prev: str, topo: str, relu_name: str) -> None:
    v = make_engine(style=style, prev=prev, topo=topo, op_names={"relu": relu_name})
    assert check_value(v).passed
    assert check_relu(v).passed


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    op=st.sampled_from(sorted(OPS_BY_CHECKER)),
    how=st.sampled_from(["scale", "offset"]),
    amount=st.floats(min_value=0.1, max_value=3.0).filter(lambda a: abs(a - 1) > 0.05),
    style=st.sampled_from(["closure", "local"]),
)
def test_any_wrong_local_derivative_fails_and_is_blamed_on_its_operation(
    op: str, how: str, amount: float, style: str
) -> None:
    # A derivative scaled by a factor other than 1, or shifted, is wrong wherever the right one
    # is not 0 (scale) or everywhere (offset): every checker must see it.
    amount = amount if how == "scale" else amount * random.Random(int(amount * 1000)).choice([-1, 1])
    v = make_engine(style=style, perturb=(op, how, amount))
    checker = OPS_BY_CHECKER[op]
    report = checker(v, sigmoid) if checker is check_sigmoid else checker(v)
    assert not report.passed
    assert report.blame is not None
    op_name = {"relu": "ReLU"}.get(op, op)
    assert op_name in report.blame.culprit, (report.blame.culprit, str(report))


# -- my_backward ---------------------------------------------------------------------------


def my_backward(root: Value) -> None:
    """The solution on the page."""
    order = iterative_order(root)
    for v in order:
        v.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for child, local in zip(node._prev, node._local_grads, strict=True):
            child.grad += local * node.grad


def kahn_backward(root: Value) -> None:
    """An independent right answer: Kahn's algorithm, counting the uses of each value."""
    uses: dict[int, int] = {}
    nodes = {id(root): root}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node._prev:
            uses[id(child)] = uses.get(id(child), 0) + 1
            if id(child) not in nodes:
                nodes[id(child)] = child
                stack.append(child)
    for v in nodes.values():
        v.grad = 0.0
    root.grad = 1.0
    ready = [root]
    while ready:
        node = ready.pop()
        for child, local in zip(node._prev, node._local_grads, strict=True):
            child.grad += local * node.grad
            uses[id(child)] -= 1
            if uses[id(child)] == 0:
                ready.append(child)


def wrong_backward(mistake: str) -> Any:
    def backward(root: Value) -> None:
        if mistake == "recursive":
            order: list[Value] = []
            seen: set[Value] = set()

            def visit(v: Value) -> None:
                if v not in seen:
                    seen.add(v)
                    for c in v._prev:
                        visit(c)
                    order.append(v)

            visit(root)
        elif mistake == "no visited set":
            order = []
            stack = [(root, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    order.append(node)
                else:
                    stack.append((node, True))
                    stack.extend((c, False) for c in node._prev)
        else:
            order = iterative_order(root)
        root.grad = 0.0 if mistake == "root not 1" else 1.0
        nodes = order if mistake == "unreversed" else list(reversed(order))
        for node in nodes:
            for child, local in zip(node._prev, node._local_grads, strict=True):
                if mistake == "=":
                    child.grad = local * node.grad
                elif mistake == "missing node.grad":
                    child.grad += local
                elif mistake == "times node.data":
                    child.grad += local * node.data
                else:
                    child.grad += local * node.grad

    return backward


def test_my_backward_passes_the_solution_an_independent_version_and_micrograds() -> None:
    for fn in (my_backward, kahn_backward, lambda root: root.backward()):
        report = check_my_backward(fn)
        assert report.passed and not report.failures, str(report)


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ("recursive", "recursion"),
        ("no visited set", "visited"),
        ("unreversed", "reversed topological order"),
        ("=", "+=, not set with ="),
        ("missing node.grad", "multiply it by node.grad"),
        ("times node.data", "multiplied by node.data, the value's number"),
        ("root not 1", "setting it to 1"),
    ],
)
def test_my_backward_catches_and_names_each_mistake(mistake: str, words: str) -> None:
    report = check_my_backward(wrong_backward(mistake))
    assert not report.passed
    assert any(words in c.message for c in report.failures), str(report)


def test_my_backward_in_topological_order_is_told_about_the_order_not_about_plus_equals() -> None:
    # Tutorial 03, exercise 4, with 'for node in order' instead of 'reversed(order)': x + x
    # passes (so += is used), and where x is an input of the output itself, it gets 1.
    report = check_my_backward(wrong_backward("unreversed"))
    for case in ("x used three times: x*w + x*x + x", CHAIN_CASE):
        text = failed_case(report, case)
        assert "reversed topological order" in text and "not set with =" not in text, text


def test_my_backward_without_the_factor_node_grad_is_told_so_not_about_a_visited_set() -> None:
    # Tutorial 03, exercise 4, with child.grad += local: on the neuron every gradient is twice
    # the right one (tanh's local derivative is 0.5), as if each value were visited twice.
    report = check_my_backward(wrong_backward("missing node.grad"))
    for case in ("the lecture's neuron", "reuse(): f = (a*b) * (a+b)", "tanh(x) * c"):
        text = failed_case(report, case)
        assert "multiply it by node.grad" in text and "visited" not in text, text


def test_my_backward_without_the_factor_node_grad_blames_the_loop_not_the_operation() -> None:
    # n, the + that uses b, ends with its right gradient, 0.5, and is micrograd's own: the
    # reader's loop passed on its local derivative, 1, without multiplying it by 0.5.
    report = check_my_backward(wrong_backward("missing node.grad"))
    blamed(report, "the lecture's neuron", "b", "+")
    assert report.blame is not None
    culprit = report.blame.culprit
    assert "without multiplying it by node.grad" in culprit and "the loop is at fault" in culprit, culprit


def test_my_backward_in_topological_order_blames_the_order_where_the_chain_breaks() -> None:
    # Tutorial 03, exercise 4, with 'for node in order': the operations are micrograd's own, and
    # n, the + that uses b, ends with its right gradient; it passed it on before it had arrived.
    report = check_my_backward(wrong_backward("unreversed"))
    blamed(report, "the lecture's neuron", "b", "+")
    assert report.blame is not None
    culprit = report.blame.culprit
    assert "the order is at fault, not +" in culprit and "operation that uses it" not in culprit, culprit
    # The same in a value class whose backward() is in topological order.
    report = check_value(make_engine(mistakes=["unreversed order"]))
    blamed(report, "(a + b) * c", "b", "+")
    assert report.blame is not None and "the order is at fault" in report.blame.culprit, str(report)


# -- the other exercises -------------------------------------------------------------------------


def test_backward_order_and_the_dead_relu() -> None:
    assert check_backward_order(["y", "x*w", "x", "w"], [1, 3, 3, 3]).passed
    assert check_backward_order(["y", "x*w", "w", "x"]).passed
    assert check_backward_order(["y", "x*w"], [1, 3]).passed
    failed_with(check_backward_order(["x*w", "y", "x", "w"]), "starts at the output")
    failed_with(check_backward_order(["x", "w", "x*w", "y"]), "reversed topological order")
    failed_with(check_backward_order(["x", "y", "x*w", "w"]), "x comes before x*w")
    failed_with(check_backward_order(["y", "w", "x*w", "x"]), "w comes before x*w")
    failed_with(check_backward_order(["y", "x*w", "x", "x"]), "reversed topological order")
    failed_with(check_backward_order(["y", "x*w"], [1, 2]), "accumulate")
    assert check_dead_relu({"w": 0, "b": 0, "x": 0}).passed
    failed_with(check_dead_relu({"w": 1.5, "b": 1}), "you assumed relu passes the gradient on")
    failed_with(check_dead_relu({"w": -3, "b": 0}), "compute z = w*x + b")
    failed_with(check_dead_relu({"w": 0, "b": 1}), "you assumed relu passes the gradient on")
    failed_with(check_dead_relu({"w": 0}), "b.grad: not given")


def central(f: Any, x: float, h: float = 1e-5) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def test_central_difference() -> None:
    assert check_central_difference(central).passed
    assert check_central_difference(lambda f, x, h=1e-5: (f(x + h / 2) - f(x - h / 2)) / h).passed is False
    # The call a report names is the one made, h included: a slope without h fails on it.
    failed_with(
        check_central_difference(lambda f, x: 0),
        "slope(exp, -1, 1e-05): calling it failed (too many positional arguments): write it as "
        "slope(f, x, h=1e-5), as the exercise asks",
    )
    failed_with(check_central_difference(lambda f, x, h=1e-5: (f(x + h) - f(x)) / h), "forward difference")
    failed_with(check_central_difference(lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h), "not by h")
    failed_with(
        check_central_difference(lambda f, x, h=1e-5: (f(x - h) - f(x + h)) / (2 * h)), "in that order"
    )


def test_second_derivative() -> None:
    assert check_second_derivative(lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / h**2).passed
    failed_with(check_second_derivative(lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / h), "not h")
    failed_with(check_second_derivative(lambda f, x, h: (f(x + h) + 2 * f(x) + f(x - h)) / h**2), "-2 f(x)")
    failed_with(check_second_derivative(lambda f, x, h: (f(x + h) - f(x - h)) / h**2), "is missing")

    def fixed_h(f: Any, x: float, h: float) -> float:
        h = 1e-4  # the slip: the h given is never used
        return (f(x + h) - 2 * f(x) + f(x - h)) / h**2

    failed_with(check_second_derivative(fixed_h), "does not use the h it was given")


def numerical_gradient(fn: Any, inputs: list[float], h: float = 1e-6) -> list[float]:
    grads = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += h
        down[i] -= h
        grads.append((fn(*up) - fn(*down)) / (2 * h))
    return grads


def nudging(estimate: Any) -> Any:
    """numerical_gradient as the page writes it, each input nudged up and down in copies, with its
    estimate of the slope from the two copies written as ``estimate(fn, up, down, h)`` (a slip)."""

    def numerical_gradient(fn: Any, inputs: list[float], h: float = 1e-6) -> list[Any]:
        grads = []
        for i in range(len(inputs)):
            up, down = list(inputs), list(inputs)
            up[i] += h
            down[i] -= h
            grads.append(estimate(fn, up, down, h))
        return grads

    return numerical_gradient


def test_numerical_gradient() -> None:
    assert check_numerical_gradient(numerical_gradient).passed

    def forward(fn: Any, inputs: list[float], h: float = 1e-6) -> list[float]:
        out = []
        for i in range(len(inputs)):
            up = list(inputs)
            up[i] += h
            out.append((fn(*up) - fn(*inputs)) / h)
        return out

    def in_place(fn: Any, inputs: list[float], h: float = 1e-6) -> list[float]:
        out = []
        for i in range(len(inputs)):
            inputs[i] += h
            a = fn(*inputs)
            inputs[i] -= 2 * h
            out.append((a - fn(*inputs)) / (2 * h))
        return out

    def over_h(fn: Any, inputs: list[float], h: float = 1e-6) -> list[float]:
        return [2 * g for g in numerical_gradient(fn, inputs, h)]

    values = nudging(lambda fn, up, down, h: fn(*up))  # fn's value, not a slope
    unparenthesised = nudging(lambda fn, up, down, h: (fn(*up) - fn(*down)) / 2 * h)

    failed_with(check_numerical_gradient(forward), "forward difference")
    failed_with(check_numerical_gradient(in_place), "changed the list of inputs")
    failed_with(check_numerical_gradient(over_h), "divide by 2h")
    # The first point is not a = 2, where a * b is twice its slope: a value is not told "divide by 2h".
    failed_with(check_numerical_gradient(values), "(fn(..., x+h, ...) - fn(..., x-h, ...)) / (2h)")
    failed_with(check_numerical_gradient(unparenthesised), "divide by (2 * h), in parentheses")


def reader_network(V: Any, on_data: bool = False) -> tuple[Any, Any, Any]:
    """MyNeuron, MyLayer and MyMLP of 'Neurons, layers and an MLP' on the value class V."""

    class Neuron_:
        def __init__(self, nin: int, rng: random.Random) -> None:
            self.w = [V(rng.uniform(-1, 1)) for _ in range(nin)]
            self.b = V(0.0)

        def __call__(self, x: list[Any]) -> Any:
            act = self.b
            for wi, xi in zip(self.w, x, strict=True):
                act = act + (wi.data if on_data else wi) * xi
            return act.tanh()

        def parameters(self) -> list[Any]:
            return [*self.w, self.b]

    class Layer_:
        def __init__(self, nin: int, nout: int, rng: random.Random) -> None:
            self.neurons = [Neuron_(nin, rng) for _ in range(nout)]

        def __call__(self, x: list[Any]) -> list[Any]:
            return [n(x) for n in self.neurons]

        def parameters(self) -> list[Any]:
            return [p for n in self.neurons for p in n.parameters()]

    class MLP_:
        def __init__(self, nin: int, nouts: list[int], rng: random.Random) -> None:
            sizes = [nin, *nouts]
            self.layers = [Layer_(sizes[i], sizes[i + 1], rng) for i in range(len(nouts))]

        def __call__(self, x: list[Any]) -> Any:
            for layer in self.layers:
                x = layer(x)
            return x[0] if len(x) == 1 else x

        def parameters(self) -> list[Any]:
            return [p for layer in self.layers for p in layer.parameters()]

        def zero_grad(self) -> None:
            for p in self.parameters():
                p.grad = 0.0

    return Neuron_, Layer_, MLP_


# The solutions of exercises 5 and 6 of 'Neurons, layers and an MLP', on micrograd's Value.
MyNeuron, MyLayer, MyMLP = reader_network(Value)


def test_neuron() -> None:
    assert check_neuron(MyNeuron).passed

    class NoBias(MyNeuron):
        def parameters(self) -> list[Value]:
            return self.w

    class NoTanh(MyNeuron):
        def __call__(self, x: list[float]) -> Value:
            return sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)

    class BiasFirst(MyNeuron):
        def parameters(self) -> list[Value]:
            return [self.b, *self.w]

    class BiasDrawn(MyNeuron):
        def __init__(self, nin: int, rng: random.Random) -> None:
            self.b = Value(rng.uniform(-1, 1))
            self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]

    class BiasLeftOut(MyNeuron):  # the outputs still match while the bias is 0
        def __call__(self, x: list[float]) -> Value:
            act: Any = 0
            for wi, xi in zip(self.w, x, strict=True):
                act = act + wi * xi
            return act.tanh()  # type: ignore[no-any-return]

    class Nested(MyNeuron):
        def parameters(self) -> list[Value]:
            return [self.w, self.b]  # type: ignore[list-item]

    failed_with(check_neuron(NoBias), "every weight and the bias")
    failed_with(check_neuron(BiasLeftOut), "only the biases got no gradient")
    failed_with(check_neuron(Nested), "one flat list of values, the weights then the bias: self.w + [self.b]")
    failed_with(check_neuron(NoTanh), "apply tanh")
    failed_with(check_neuron(BiasFirst), "weights first, then the bias")
    failed_with(check_neuron(BiasDrawn), "nothing else from rng")


def test_count_parameters() -> None:
    def count(nin: int, nouts: list[int]) -> int:
        sizes = [nin, *nouts]
        return sum(o * (i + 1) for i, o in itertools.pairwise(sizes))

    assert check_count_parameters(count).passed
    reports = [
        check_count_parameters(lambda nin, nouts: count(nin, nouts) - sum(nouts)),
        check_count_parameters(lambda nin, nouts: sum(o * (i + 1) for i, o in itertools.pairwise(nouts))),
        check_count_parameters(
            lambda nin, nouts: sum((i + 1) * (o + 1) for i, o in zip([nin, *nouts], nouts, strict=False))
        ),
        check_count_parameters(
            lambda nin, nouts: sum(i * (o + 1) for i, o in itertools.pairwise([nin, *nouts]))
        ),
    ]
    failed_with(reports[0], "also has a bias")
    failed_with(reports[1], "leaves out the first layer")
    failed_with(reports[2], "one bias per neuron, not one more neuron per layer")
    failed_with(reports[3], "swaps a layer's inputs and its neurons")
    for report in reports:  # the mistake is named, the formula is left to the reader
        assert "n_out * (n_in + 1)" not in str(report) and "(n_in + 1)" not in str(report)


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def make_train(mistake: str = "") -> Any:
    """Tutorial 4's train(learning_rate, steps=100, zero_grad=True), as the page solves it, with
    one slip built in (the tests of check_train here and in test_exercises_network_pages)."""

    def train(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> Any:
        if mistake == "MLP's default activations":
            net = MLP(3, [4, 4, 1], rng=random.Random(1))
        elif mistake == "relu":
            net = MLP(3, [4, 4, 1], activation="relu", output_activation="tanh", rng=random.Random(1))
        else:
            net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        losses: list[Any] = []
        for _ in range(100 if mistake == "steps ignored" else steps):
            outputs = [net(x) for x in XS]
            loss = mse_loss([o.data for o in outputs] if mistake == "loss of .data" else outputs, YS)
            if zero_grad and mistake == "last layer":
                net.layers[-1].zero_grad()
            elif zero_grad and mistake not in ("no zero_grad", "after backward"):
                net.zero_grad()
            loss.backward()
            if mistake == "after backward":
                net.zero_grad()
            for p in net.parameters():
                if mistake == "p rebound":
                    p = p - learning_rate * p.grad  # the slip this mistake is about
                elif mistake == "rate 0.1":
                    p.data -= 0.1 * p.grad
                elif mistake == "+=":
                    p.data += learning_rate * p.grad
                else:
                    p.data -= learning_rate * p.grad
            if mistake == "loss after the update":
                losses.append(mse_loss([net(x) for x in XS], YS).data)
            else:
                losses.append(loss if mistake == "Values kept" else loss.data)
        return (losses, net) if mistake == "swapped" else (net, losses)

    return train


def test_train() -> None:
    assert check_train(make_train()).passed
    failed_with(check_train(make_train("+=")), "p.data -= learning_rate * p.grad")
    failed_with(check_train(make_train("last layer")), "only the last layer")
    failed_with(check_train(make_train("no zero_grad")), "gradients of every step add up")
    failed_with(check_train(make_train("after backward")), "throws the gradient away")
    failed_with(check_train(make_train("loss of .data")), "or the loss is built from numbers (.data)")


def test_train_with_another_activation_is_told_its_network_differs_not_its_loop() -> None:
    # Tutorial 04, exercise 2, with the activations left at MLP's defaults, or relu in the hidden layers.
    failed_with(check_train(make_train("MLP's default activations")), 'activation="tanh"')
    report = check_train(make_train("relu"))
    failed_with(report, "relu in its hidden layers")
    assert not any("zero_grad(), loss.backward()" in c.message for c in report.failures), str(report)


class MySGD:
    def __init__(self, parameters: list[Value], lr: float) -> None:
        self.parameters = parameters
        self.lr = lr

    def step(self) -> None:
        for p in self.parameters:
            p.data -= self.lr * p.grad

    def zero_grad(self) -> None:
        for p in self.parameters:
            p.grad = 0.0


def test_the_tutorials_layer_mlp_and_sgd_pass_their_checkers() -> None:
    assert check_layer_and_mlp(MyLayer, MyMLP).passed
    assert check_sgd(MySGD).passed


def test_independent_layer_mlp_and_sgd_pass_their_checkers() -> None:
    """micrograd's own classes, and a classic-style layer that returns one Value alone."""

    class SingleLayer(MyLayer):
        def __call__(self, x: list[Any]) -> Any:
            out = [n(x) for n in self.neurons]
            return out[0] if len(out) == 1 else out

    class WrappingMLP(MyMLP):
        def __init__(self, nin: int, nouts: list[int], rng: random.Random) -> None:
            sizes = [nin, *nouts]
            self.layers = [SingleLayer(sizes[i], sizes[i + 1], rng) for i in range(len(nouts))]

        def __call__(self, x: list[Any]) -> Any:
            for layer in self.layers:
                x = layer(x if isinstance(x, list) else [x])
            return x

    class GeneratorSGD:  # keeps its own list, takes any iterable, as PyTorch's optimizers do
        def __init__(self, parameters: Any, lr: float) -> None:
            self.params = list(parameters)
            self.lr = lr

        def step(self) -> None:
            for p in self.params:
                p.data = p.data - self.lr * p.grad

        def zero_grad(self) -> None:
            for p in self.params:
                p.grad = 0

    assert check_layer_and_mlp(SingleLayer, WrappingMLP).passed

    def layer(nin: int, nout: int, rng: random.Random) -> Any:
        return Layer(nin, nout, activation="tanh", rng=rng)

    def mlp(nin: int, nouts: list[int], rng: random.Random) -> Any:
        return MLP(nin, nouts, activation="tanh", output_activation="tanh", rng=rng)

    assert check_layer_and_mlp(layer, mlp).passed
    assert check_sgd(GeneratorSGD).passed
    assert check_sgd(SGD).passed


def test_layer_and_mlp_mistakes_are_named() -> None:
    class LastLayerOnly(MyMLP):
        def parameters(self) -> list[Value]:
            return self.layers[-1].parameters()

    class EveryLayerFromNin(MyMLP):
        def __init__(self, nin: int, nouts: list[int], rng: random.Random) -> None:
            self.layers = [MyLayer(nin, n, rng) for n in nouts]

    class EveryLayerGetsX(MyMLP):
        def __call__(self, x: list[Any]) -> Any:
            out: Any = x  # each neuron zips its weights with x: extra weights silently unused
            for layer in self.layers:
                out = [
                    sum((wi * xi for wi, xi in zip(n.w, x, strict=False)), n.b).tanh() for n in layer.neurons
                ]
            return out[0] if len(out) == 1 else out

    class WeightsThenBiases(MyLayer):
        def parameters(self) -> list[Value]:
            return [w for n in self.neurons for w in n.w] + [n.b for n in self.neurons]

    class ZeroLastLayer(MyMLP):
        def zero_grad(self) -> None:
            for p in self.layers[-1].parameters():
                p.grad = 0.0

    class ZeroData(MyMLP):
        def zero_grad(self) -> None:
            for p in self.parameters():
                p.data = 0.0

    failed_with(check_layer_and_mlp(MyLayer, LastLayerOnly), "only the last layer's")
    failed_with(check_layer_and_mlp(MyLayer, EveryLayerFromNin), "layer before it has neurons")
    failed_with(check_layer_and_mlp(MyLayer, EveryLayerGetsX), "outputs of the layer before")
    failed_with(check_layer_and_mlp(WeightsThenBiases, MyMLP), "another order")
    failed_with(check_layer_and_mlp(MyLayer, ZeroLastLayer), "reset only the last layer's gradients")
    failed_with(check_layer_and_mlp(MyLayer, ZeroData), "leave p.data as it is")


def test_sgd_mistakes_are_named() -> None:
    class Ascent(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data += self.lr * p.grad

    class NoRate(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data -= p.grad

    class Copies(MySGD):
        def __init__(self, parameters: list[Value], lr: float) -> None:
            super().__init__([Value(p.data) for p in parameters], lr)

    class LastOnly(MySGD):
        def step(self) -> None:
            for p in self.parameters:  # noqa: B007  # the indentation slip this test is about
                pass
            p.data -= self.lr * p.grad

    class ZeroLastOnly(MySGD):
        def zero_grad(self) -> None:
            for p in self.parameters:  # noqa: B007  # the indentation slip this test is about
                pass
            p.grad = 0.0

    class FixedRate(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data -= 0.1 * p.grad

    class StepResets(MySGD):  # step() zeroes the gradients itself, zero_grad() does nothing
        def step(self) -> None:
            for p in self.parameters:
                p.data -= self.lr * p.grad
                p.grad = 0.0

        def zero_grad(self) -> None:
            pass

    failed_with(check_sgd(StepResets), "zero_grad() must set the gradient of every parameter to 0")
    failed_with(check_sgd(Ascent), "climbs the loss")
    failed_with(check_sgd(NoRate), "ignores the learning rate")
    failed_with(check_sgd(Copies), "not copies of their numbers")
    failed_with(check_sgd(LastOnly), "moved only the last parameter")
    failed_with(check_sgd(ZeroLastOnly), "reset only the last parameter")
    failed_with(check_sgd(FixedRate), "always uses 0.1")


def test_an_attribute_a_value_or_a_list_lacks_is_named_with_the_readers_line_not_blamed_on_the_check() -> (
    None
):
    class ValueZeroGrad(MySGD):
        def zero_grad(self) -> None:
            for p in self.parameters:
                p.zero_grad()  # type: ignore[attr-defined]  # the slip this test is about

    class Gradient(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data -= self.lr * p.gradient  # type: ignore[attr-defined]  # the slip

    class ParametersOfAList(MySGD):
        def zero_grad(self) -> None:
            for p in self.parameters.parameters():  # type: ignore[attr-defined]  # the slip
                p.grad = 0.0

    report = check_sgd(ValueZeroGrad)
    failed_with(
        report, "Your code uses p.zero_grad, and a Value has no zero_grad: a value's gradient is reset"
    )
    failed_with(report, "p.grad = 0 (zero_grad() is a method of a network or an optimizer, not of a value)")
    failed_with(report, ": p.zero_grad())")
    assert re.search(
        r"\(line \d+: <code[^>]*>p\.zero_grad\(\)</code>\)\.", report._repr_html_()
    )  # the line as code
    failed_with(
        check_sgd(Gradient), "Your code uses p.gradient, and a Value has no gradient: a typo for grad?"
    )
    report = check_sgd(ParametersOfAList)
    failed_with(report, "Your code uses self.parameters.parameters, and a list has no parameters (line ")
    assert "this check uses" not in str(report)


def test_a_line_quoted_in_a_report_is_set_as_code_to_its_own_closing_parenthesis() -> None:
    class OneLine(MySGD):
        def zero_grad(self) -> None:
            {id(p): p.zero_grad() for p in self.parameters}  # type: ignore[attr-defined]

    page = check_sgd(OneLine)._repr_html_()
    assert re.search(
        r"\(line \d+: <code[^>]*>\{id\(p\): p\.zero_grad\(\) for p in self\.parameters\}</code>\)\.", page
    )


def test_an_attribute_of_none_is_told_of_a_function_without_return_and_a_raising_property_is_reported() -> (
    None
):
    def loss_of(net: Any) -> None:
        mse_loss([net(x) for x in XS], YS)  # the slip: no return

    def train(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> Any:
        net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        best = None  # another None in the function: the line names the value, not this
        history = []
        for _ in range(steps):
            loss = loss_of(net)
            net.zero_grad()
            loss.backward()  # type: ignore[attr-defined]
            history.append(best)
        return net, history

    report = check_train(train)
    failed_with(
        report, "Your code uses loss.backward, on None: a function that ends without return gives None"
    )

    class Touchy:
        @property
        def grad(self) -> float:
            raise RuntimeError("not now")

    class TouchyZeroGrad(MySGD):
        def zero_grad(self) -> None:
            Touchy().zero_grad()  # type: ignore[attr-defined]

    failed_with(
        check_sgd(TouchyZeroGrad), "'Touchy' object has no attribute 'zero_grad'. Your code raised an error."
    )


def test_a_method_used_as_a_list_is_told_to_call_it() -> None:
    def train(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> Any:
        net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        history = []
        for _ in range(steps):
            loss = mse_loss([net(x) for x in XS], YS)
            net.zero_grad()
            loss.backward()
            for p in net.parameters:  # type: ignore[attr-defined]  # the slip this test is about
                p.data -= learning_rate * p.grad
            history.append(loss.data)
        return net, history

    report = check_train(train)
    failed_with(
        report, "net.parameters is a method, used as a list without being called: call it, net.parameters()"
    )
    failed_with(report, ": for p in net.parameters:)")

    def get_points() -> list[list[float]]:
        return XS

    def train_on_points(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> Any:
        net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        return net, [mse_loss([net(x) for x in get_points], YS).data]  # type: ignore[attr-defined]

    failed_with(check_train(train_on_points), "get_points is a function, used as a list without being called")


def test_any_other_error_in_the_readers_code_names_its_line() -> None:
    class Divides(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data -= self.lr * p.grad / 0  # the slip this test is about

    report = check_sgd(Divides)
    failed_with(
        report, "stopped: ZeroDivisionError: float division by zero. It was raised by your code (line "
    )
    failed_with(report, ": p.data -= self.lr * p.grad / 0)")


def bce_by_hand(scores: list[Value], targets: list[int]) -> Value:
    total = Value(0.0)
    for s, t in zip(scores, targets, strict=True):
        p = 1 / (1 + (-s).exp())
        total = total - (t * p.log() + (1 - t) * (1 - p).log())
    return total / len(targets)


def test_bce_by_hand() -> None:
    assert check_bce_by_hand(bce_by_hand).passed

    def summed(scores: list[Value], targets: list[int]) -> Value:
        return bce_by_hand(scores, targets) * len(targets)

    def no_minus(scores: list[Value], targets: list[int]) -> Value:
        return -bce_by_hand(scores, targets)

    def sign(scores: list[Value], targets: list[int]) -> Value:
        return bce_by_hand([-s for s in scores], targets)

    failed_with(check_bce_by_hand(summed), "*mean*")
    failed_with(check_bce_by_hand(no_minus), "minus the log-probability")
    failed_with(check_bce_by_hand(sign), "minus sign before s")

    def swapped(scores: list[Value], targets: list[int]) -> Value:
        return bce_by_hand(scores, [1 - t for t in targets])

    # The same loss as the missing minus sign (1 - sigmoid(s) = sigmoid(-s)): both are named.
    failed_with(check_bce_by_hand(swapped), "t and 1 - t are swapped")
    failed_with(check_bce_by_hand(sign), "t and 1 - t are swapped")


def cross_entropy_by_hand(logits: list[Value], target: int) -> Value:
    m = max(z.data for z in logits)
    log_sum_exp = m + sum((z - m).exp() for z in logits).log()
    return log_sum_exp - logits[target]


def mean_cross_entropy_by_hand(batch: list[list[Value]], targets: list[int]) -> Value:
    return sum(cross_entropy_by_hand(z, t) for z, t in zip(batch, targets, strict=True)) / len(targets)


def test_cross_entropy_by_hand() -> None:
    assert check_cross_entropy_by_hand(mean_cross_entropy_by_hand).passed

    def summed(batch: list[list[Value]], targets: list[int]) -> Value:
        return sum(cross_entropy_by_hand(z, t) for z, t in zip(batch, targets, strict=True))

    def naive(batch: list[list[Value]], targets: list[int]) -> Value:
        total = sum(sum(z.exp() for z in zs).log() - zs[t] for zs, t in zip(batch, targets, strict=True))
        return total / len(targets)

    def first(batch: list[list[Value]], targets: list[int]) -> Value:
        return mean_cross_entropy_by_hand(batch, [0] * len(targets))

    def max_of_values(batch: list[list[Value]], targets: list[int]) -> Value:
        total = 0.0
        for logits, target in zip(batch, targets, strict=True):
            m = max(logits)  # the values themselves, which have no order
            total = total + (m + sum((z - m).exp() for z in logits).log() - logits[target])
        return total / len(targets)

    failed_with(check_cross_entropy_by_hand(summed), "*mean*")
    failed_with(
        check_cross_entropy_by_hand(max_of_values),
        "max(), min(), sorted() and > compare the values themselves (line",
    )
    failed_with(
        check_cross_entropy_by_hand(max_of_values),
        "m = max(logits)), and a Value has no >: compare their numbers, each one's .data.",
    )
    failed_with(check_cross_entropy_by_hand(naive), "subtract the largest logit")
    failed_with(check_cross_entropy_by_hand(first), "logits[target]")


# -- the reader's own MyValue, as tutorials 4, 5 and 7 restate it ------------------------------


def reader_value_class(mistake: str = "") -> Any:
    """MyValue as the exercises of 'Neurons, layers and an MLP', 'Two moons' and 'Multiclass'
    restate it (the finished class of 'Building Value' with its exercises' operations and the
    stack of 'Backprop step by step'), or with one of a learner's mistakes."""

    def as_value(x: Any) -> Any:
        if mistake == "no numbers":
            return x
        return x if isinstance(x, MyValue) else MyValue(float(x))

    class MyValue:
        def __init__(self, data: float, _children: Any = (), _op: str = "") -> None:
            self.data = data
            self.grad = 0.0
            self._prev = tuple(_children)
            self._op = _op
            self._backward: Any = lambda: None

        def __add__(self, other: Any) -> Any:
            other = as_value(other)
            out = MyValue(self.data + other.data, (self, other), "+")

            def _backward() -> None:
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other: Any) -> Any:
            other = as_value(other)
            out = MyValue(self.data * other.data, (self, other), "*")

            def _backward() -> None:
                if mistake == "= not +=":
                    self.grad = other.data * out.grad
                    other.grad = self.data * out.grad
                else:
                    self.grad += other.data * out.grad
                    other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k: float) -> Any:
            out = MyValue(self.data**k, (self,), f"**{k}")

            def _backward() -> None:
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def tanh(self) -> Any:
            t = math.tanh(self.data)
            out = MyValue(t, (self,), "tanh")

            def _backward() -> None:
                self.grad += (1 - (t if mistake == "tanh 1 - t" else t**2)) * out.grad

            out._backward = _backward
            return out

        def exp(self) -> Any:
            e = math.exp(self.data)
            out = MyValue(e, (self,), "exp")

            def _backward() -> None:
                self.grad += e * out.grad

            out._backward = _backward
            return out

        def log(self) -> Any:
            out = MyValue(math.log(self.data), (self,), "log")

            def _backward() -> None:
                self.grad += (1 / self.data) * out.grad

            out._backward = _backward
            return out

        __radd__ = __add__
        __rmul__ = __mul__

        def __neg__(self) -> Any:
            return self * -1

        def __sub__(self, other: Any) -> Any:
            return self + (-as_value(other))

        def __rsub__(self, other: Any) -> Any:
            return as_value(other) + (-self)

        def __truediv__(self, other: Any) -> Any:
            return self * as_value(other) ** -1

        def __rtruediv__(self, other: Any) -> Any:
            return as_value(other) * self**-1

        def backward(self) -> None:
            order: list[Any] = []
            visited, stack = {self}, [(self, iter(self._prev))]
            while stack:
                node, children = stack[-1]
                for child in children:
                    if child not in visited:
                        visited.add(child)
                        stack.append((child, iter(child._prev)))
                        break
                else:
                    stack.pop()
                    order.append(node)
            for node in order:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in reversed(order):
                node._backward()

    return MyValue


def test_a_network_on_the_readers_own_value_class_passes_the_network_checkers() -> None:
    V = reader_value_class()
    assert check_value(V).passed
    neuron, layer, mlp = reader_network(V)
    assert check_neuron(neuron).passed
    assert check_layer_and_mlp(layer, mlp).passed


def test_a_network_on_a_wrong_value_class_fails_and_names_the_mistake() -> None:
    neuron, _, _ = reader_network(reader_value_class("no numbers"))
    failed_with(check_neuron(neuron), "plain number")
    neuron, _, _ = reader_network(reader_value_class("tanh 1 - t"))
    failed_with(check_neuron(neuron), "1 - t**2")
    # '=' for '+=' in '*' only shows where a value feeds several products: a hidden layer's outputs.
    neuron, layer, mlp = reader_network(reader_value_class("= not +="))
    assert check_neuron(neuron).passed
    failed_with(check_layer_and_mlp(layer, mlp), "add its share with +=")
    neuron, layer, mlp = reader_network(reader_value_class(), on_data=True)
    failed_with(check_neuron(neuron), "values, not their .data")
    failed_with(check_layer_and_mlp(layer, mlp), "values, not their .data")


def reader_bce(V: Any, kind: str = "") -> Any:
    """bce_by_hand of 'Two moons' on V, or with a learner's mistake."""

    def loss(scores: list[Any], targets: list[int]) -> Any:
        total = V(0.0)
        for s, t in zip(scores, targets, strict=True):
            p = 1 / (1 + (s if kind == "sign" else -s).exp())
            term = t * p.log() + (1 - t) * (1 - p).log()
            total = total + term if kind == "minus" else total - term
        return total if kind == "sum" else total / len(targets)

    return loss


def test_bce_by_hand_on_the_readers_own_value_class() -> None:
    V = reader_value_class()
    assert check_bce_by_hand(reader_bce(V), value_class=V).passed
    failed_with(check_bce_by_hand(reader_bce(V, "sum"), value_class=V), "*mean*")
    failed_with(check_bce_by_hand(reader_bce(V, "minus"), value_class=V), "minus the log-probability")
    failed_with(check_bce_by_hand(reader_bce(V, "sign"), value_class=V), "minus sign before s")
    # The class and the loss must match: the checker says so, either way round.
    failed_with(check_bce_by_hand(reader_bce(V)), "value_class=MyValue")
    failed_with(check_bce_by_hand(bce_by_hand, value_class=V), "value_class=MyValue")


def reader_cross_entropy(V: Any, kind: str = "") -> Any:
    """The mean cross-entropy by hand of 'Multiclass' on V, or with a learner's mistake."""

    def one(logits: list[Any], target: int) -> Any:
        if kind == "naive":
            return sum(z.exp() for z in logits).log() - logits[target]
        m = max(z.data for z in logits)
        log_sum_exp = m + sum((z - m).exp() for z in logits).log()
        return log_sum_exp - logits[0 if kind == "first" else target]

    def loss(batch: list[list[Any]], targets: list[int]) -> Any:
        total = sum((one(z, t) for z, t in zip(batch, targets, strict=True)), V(0.0))
        return total if kind == "sum" else total / len(targets)

    return loss


def test_cross_entropy_by_hand_on_the_readers_own_value_class() -> None:
    V = reader_value_class()

    def check(kind: str) -> Report:
        return check_cross_entropy_by_hand(reader_cross_entropy(V, kind), value_class=V)

    assert check("").passed
    failed_with(check("sum"), "*mean*")
    failed_with(check("naive"), "subtract the largest logit")
    failed_with(check("first"), "logits[target]")
    # A loss that makes a value of its own (here the sum's start) needs its class named.
    failed_with(check_cross_entropy_by_hand(reader_cross_entropy(V)), "value_class=MyValue")


def xor_net(weights: list[list[float]], biases: list[float]) -> MLP:
    net = MLP(2, [2, 1], activation="relu")
    for neuron, ws, b in zip(
        [*net.layers[0].neurons, net.layers[1].neurons[0]], weights, biases, strict=True
    ):
        for w, v in zip(neuron.w, ws, strict=True):
            w.data = float(v)
        neuron.b.data = float(b)
    return net


def test_xor_weights() -> None:
    assert check_xor_weights(xor_net([[1, 1], [1, 1], [1, -2]], [0, -1, 0])).passed
    reports = [
        check_xor_weights(xor_net([[1, 1], [1, 1], [1, -2]], [0, 1, 0])),
        check_xor_weights(xor_net([[1, 1], [1, 1], [1, 2]], [0, -1, 0])),
        check_xor_weights(xor_net([[1, 0], [1, 1], [1, -2]], [0, -1, 0])),
        check_xor_weights(xor_net([[1, 1], [1, 1], [-2, 1]], [0, -1, 0])),
        check_xor_weights(xor_net([[1, 1], [1, 1], [1, -2]], [-1, 0, 0])),
    ]
    failed_with(reports[0], "h2 is relu(x1 + x2 - 1): h2.b has the wrong sign")
    failed_with(reports[1], "the output neuron is not: out.w[1] has the wrong sign")
    failed_with(reports[2], "h1 is relu(x1 + x2): h1.w[1] is wrong")
    failed_with(reports[3], "out.w[0] and out.w[1] are the other way round")
    failed_with(reports[4], "h1 and h2 are the other way round")
    for report in reports:  # the mistake is named, the weights are left to the reader
        text = str(report)
        assert "weights 1" not in text and "bias 0" not in text and "bias -1" not in text, text


class MyMomentum:
    def __init__(self, params: list[Value], lr: float, momentum: float) -> None:
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.buffers: list[float | None] = [None] * len(self.params)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0

    def step(self) -> None:
        for i, p in enumerate(self.params):
            b = self.buffers[i]
            b = p.grad if b is None else self.momentum * b + p.grad
            self.buffers[i] = b
            p.data -= self.lr * b


def test_momentum() -> None:
    assert check_momentum(MyMomentum).passed

    class Ascent(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                b = self.buffers[i]
                b = p.grad if b is None else self.momentum * b + p.grad
                self.buffers[i] = b
                p.data += self.lr * b

    class NoBuffer(MyMomentum):
        def step(self) -> None:
            for p in self.params:
                p.data -= self.lr * p.grad

    class Average(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                b = self.buffers[i] or 0.0
                b = self.momentum * b + (1 - self.momentum) * p.grad
                self.buffers[i] = b
                p.data -= self.lr * b

    class LastOnly(MyMomentum):
        def zero_grad(self) -> None:
            p = self.params[0]
            for p in self.params:  # noqa: B007  # the learner's indentation slip, on purpose
                pass
            p.grad = 0

    failed_with(check_momentum(Ascent), "climbs")
    failed_with(check_momentum(NoBuffer), "plain gradient descent")
    failed_with(check_momentum(Average), "not an average")
    failed_with(check_momentum(LastOnly), "reset only the last parameter")

    class ZeroGradResetsBuffers(MyMomentum):
        def zero_grad(self) -> None:
            super().zero_grad()
            self.buffers = [None] * len(self.params)  # the slip: the buffers go with the grads

    failed_with(check_momentum(ZeroGradResetsBuffers), "zero_grad() also resets the buffers")

    class SharedBuffer(MyMomentum):
        def step(self) -> None:
            b = 0.0
            for p in self.params:
                b = self.momentum * b + p.grad  # the slip: one buffer for every parameter
                p.data -= self.lr * b

    class LateBuffer(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                b = self.buffers[i] or 0.0
                p.data -= self.lr * b  # the slip: the step before this gradient is in b
                self.buffers[i] = self.momentum * b + p.grad

    class NoZeroGrad(MyMomentum):
        def zero_grad(self) -> None:
            pass

    failed_with(check_momentum(SharedBuffer), "every parameter needs a buffer of its own")
    failed_with(check_momentum(LateBuffer), "so the first step does not move")
    report = check_momentum(NoZeroGrad)
    assert [c.name for c in report.failures][:2] == ["zero_grad()", "50 steps with lr=1e-3, momentum=0.9"]
    assert "zero_grad() leaves the gradients (the check above)" in report.failures[1].message, str(report)
    assert "plain gradient descent" not in str(check_momentum(ZeroGradResetsBuffers))


def test_momentum_as_an_average_started_from_the_gradient_is_named() -> None:
    """b = mu * b + (1 - mu) * g from b = g: the first step agrees with SGD, then the paths part.
    The message names the average (it was the general 'the path differs')."""

    class AverageFromGradient(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                b = self.buffers[i]
                b = p.grad if b is None else self.momentum * b + (1 - self.momentum) * p.grad
                self.buffers[i] = b
                p.data -= self.lr * b

    report = check_momentum(AverageFromGradient)
    failed_with(report, "started from b = g, is an average")
    failed_with(report, "momentum here is a sum")


def test_he_scale() -> None:
    assert check_he_scale(math.sqrt(6 / 32)).passed
    assert check_he_scale(lambda n: math.sqrt(6 / n)).passed
    failed_with(check_he_scale(math.sqrt(2 / 32)), "a**2 / 3")
    failed_with(check_he_scale(2 / 32), "is the variance")
    failed_with(check_he_scale(lambda n: math.sqrt(3 / n)), "variance 2 / n")


# -- how a report looks ------------------------------------------------------------------------------


def test_a_failed_report_prints_expected_got_and_the_mistake_and_shows_a_checklist_with_the_drawing() -> None:
    report = check_value(make_engine(mistakes=["= instead of +="]))
    text = str(report)
    assert "✗ x + x gave x.grad = 1, expected 2: " in text
    assert "gradients must be added with +=, not set with =" in report.failures[0].message
    assert "<- first wrong" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    page = report._repr_html_()
    assert "✓" in page and "✗" in page
    assert 'data-dot="digraph &quot;Blame drawing of ' in page
    assert "<svg" in page  # graphviz and dot are installed for the tests
    assert report.blame is not None
    dot = report.blame.dot
    assert dot.startswith('digraph "Blame drawing of ') and 'xlabel="first wrong"' in dot
    with pytest.raises(AssertionError, match="x \\+ x gave"):
        report.assert_passed()


def test_a_title_that_is_a_question_is_followed_by_a_sentence_not_a_colon() -> None:
    report = Report("XOR, exercise 4: is one seed enough?")
    report.checks += [Check("seeds 0 to 7", True, "solved"), Check("4 hidden neurons", False, "no")]
    assert str(report).startswith("XOR, exercise 4: is one seed enough? A check failed, 1 passed\n")
    assert "enough? A check failed, 1 passed</b>" in report._repr_html_()


def test_a_check_whose_message_starts_with_its_name_names_it_once_in_the_checklist() -> None:
    class StandsStill:
        def __init__(self, params: Any, lr: float, momentum: float) -> None:
            self.params = list(params)

        def zero_grad(self) -> None:
            for p in self.params:
                p.grad = 0

        def step(self) -> None:
            pass

    report = check_momentum(StandsStill)
    page = report._repr_html_()
    name = "50 steps with lr=1e-3, momentum=0.9"
    assert page.count(name) == 1 and f"<b>{name}</b>: after step 1 at" in page
    assert str(report).count(name) == 1
    assert "<b>zero_grad()</b>: every parameter" in page


def test_the_blame_drawing_says_in_words_which_value_is_first_wrong_and_how_many_differ() -> None:
    # The sentence is the drawing's text alternative: the SVG's <title>, which the site's pages
    # turn into the image's alt text.
    report = check_value(make_engine(mistakes=["= instead of +="]))
    blame = report.blame
    assert blame is not None
    first = blame.nodes[blame.first_wrong]
    differ = [b for b in blame.nodes if b.expected_grad is not None and abs(b.grad - b.expected_grad) > 1e-6]
    text = blame.description
    assert text.startswith(f"Blame drawing of {blame.case}: {len(blame.nodes)} values, {len(differ)} with ")
    assert f"is {first.name} (grad " in text and blame.culprit in text
    svg = blame.svg()
    assert svg is not None  # graphviz and dot are installed for the tests
    title = re.search(r'<g id="graph0" class="graph"[^>]*>\s*<title>(.*?)</title>', svg)
    assert title is not None and html.unescape(title[1]) == text


# -- the experiments --------------------------------------------------------------------------------

CORNERS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


def bce_train(
    model: Any, inputs: list[list[float]], targets: list[int], steps: int, sign: float = 1.0
) -> float:
    loss = Value(0.0)
    for _ in range(steps):
        loss = binary_cross_entropy_with_logits([model(x) for x in inputs], targets)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= sign * p.grad
    return loss.data


def test_and_or() -> None:
    def train_neuron(targets: list[int], steps: int = 200) -> tuple[Neuron, float]:
        n = Neuron(2, activation="linear", rng=random.Random(0))
        return n, bce_train(n, CORNERS, targets, steps)

    def climbing(targets: list[int], steps: int = 200) -> tuple[Neuron, float]:
        n = Neuron(2, activation="linear", rng=random.Random(0))
        return n, bce_train(n, CORNERS, targets, steps, sign=-1.0)

    def xor_targets(targets: list[int], steps: int = 200) -> tuple[Neuron, float]:
        return train_neuron([0, 1, 1, 0], steps)

    assert check_and_or(train_neuron).passed
    failed_with(check_and_or(climbing), "the step goes uphill: subtract")
    failed_with(check_and_or(lambda targets: train_neuron(targets)[0]), "return (neuron, loss)")


def test_and_or_trained_on_the_pages_xor_labels_is_told_to_train_on_its_targets() -> None:
    """The likely slip: the loop uses the page's XOR labels ``y``, not the function's ``targets``.
    The neuron then ends at XOR's loss, log 2, and its sign happens to be right for AND: the
    message names the labels, and does not show a prediction equal to the expected one as wrong."""

    def xor_targets(targets: list[int], steps: int = 200) -> tuple[Neuron, float]:
        n = Neuron(2, activation="linear", rng=random.Random(0))
        return n, bce_train(n, CORNERS, [0, 1, 1, 0], steps)

    report = check_and_or(xor_targets)
    failed_with(report, "not on the page's XOR labels")
    assert "predicted [0, 0, 0, 1], expected [0, 0, 0, 1]" not in str(report), str(report)
    assert "?." not in str(report), str(report)


def test_xor_feature() -> None:
    n3 = Neuron(3, activation="linear", rng=random.Random(0))
    bce_train(n3, [[a, b, a * b] for a, b in CORNERS], [0, 1, 1, 0], 300)
    assert check_xor_feature(n3).passed
    n2 = Neuron(2, activation="linear", rng=random.Random(0))
    failed_with(check_xor_feature(n2), "three inputs")
    untrained = Neuron(3, activation="linear", rng=random.Random(0))
    failed_with(check_xor_feature(untrained), "expected")
    wrong_feature = Neuron(3, activation="linear", rng=random.Random(0))
    bce_train(wrong_feature, [[a, b, a + b] for a, b in CORNERS], [0, 1, 1, 0], 300)
    failed_with(check_xor_feature(wrong_feature), "x1 * x2")


def test_xor_feature_trained_on_x1_plus_x2_is_told_the_sum_cannot_separate_xor() -> None:
    """A neuron trained on [x1, x2, x1 + x2] stays a line and ends at XOR's loss: the message
    names the sum and asks for x1 * x2 (it said only "train longer")."""
    for seed in range(4):
        summed = Neuron(3, activation="linear", rng=random.Random(seed))
        bce_train(summed, [[a, b, a + b] for a, b in CORNERS], [0, 1, 1, 0], 300)
        report = check_xor_feature(summed)
        failed_with(report, "trained with x1 + x2 as the third input")
        assert "train longer" not in str(report), str(report)
    for seed in range(10):
        untrained = Neuron(3, activation="linear", rng=random.Random(seed))
        report = check_xor_feature(untrained)
        assert "x1 + x2 as the third input" not in str(report), str(report)
        failed_with(report, "cannot separate XOR")


def solves_xor(hidden: int, seed: int, steps: int = 300, lr: float = 1.0) -> bool:
    net = MLP(2, [hidden, 1], activation="tanh", rng=random.Random(seed))
    bce_train(net, CORNERS, [0, 1, 1, 0], steps, sign=lr)
    return all((net(x).data > 0) == (t == 1) for x, t in zip(CORNERS, [0, 1, 1, 0], strict=True))


def test_solves_xor() -> None:
    assert check_solves_xor(solves_xor).passed
    failed_with(check_solves_xor(lambda hidden, seed, steps=300: True), "differ from the recipe's")
    failed_with(check_solves_xor(lambda hidden, seed, steps=300: solves_xor(hidden, 0, steps)), "differ")
    failed_with(check_solves_xor(lambda hidden, seed, steps=300: solves_xor(hidden, seed, 30)), "differ")


def test_solves_xor_names_the_likely_mistake() -> None:
    """The seed left out, MLP's default ReLU instead of tanh, a count instead of True or False:
    each is named, and the recipe in the message has the tanh the page asks for."""

    def relu(hidden: int, seed: int, steps: int = 300) -> bool:
        net = MLP(2, [hidden, 1], rng=random.Random(seed))
        bce_train(net, CORNERS, [0, 1, 1, 0], steps)
        return all((net(x).data > 0) == (t == 1) for x, t in zip(CORNERS, [0, 1, 1, 0], strict=True))

    def count(hidden: int, seed: int, steps: int = 300) -> int:
        net = MLP(2, [hidden, 1], activation="tanh", rng=random.Random(seed))
        bce_train(net, CORNERS, [0, 1, 1, 0], steps)
        return sum((net(x).data > 0) == (t == 1) for x, t in zip(CORNERS, [0, 1, 1, 0], strict=True))

    failed_with(
        check_solves_xor(lambda hidden, seed, steps=300: solves_xor(hidden, 0, steps)), "random.Random(seed)"
    )
    failed_with(check_solves_xor(relu), 'activation="tanh"')
    failed_with(check_solves_xor(count), "True or False")
    failed_with(check_solves_xor(lambda hidden, seed, steps=300: True), 'activation="tanh"')


def test_misclassified() -> None:
    def model(x: list[float]) -> list[Value]:
        return [Value(x[0]), Value(x[1]), Value(0.0)]

    points = [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [2.0, 3.0]]
    classes = [0, 0, 2, 1]
    assert check_misclassified(model, points, classes, [[0.0, 1.0]]).passed
    failed_with(check_misclassified(model, points, classes, []), "misses 1")
    failed_with(check_misclassified(model, points, classes, [[0.0, 1.0], [2.0, 3.0]]), "has 1 that")
    failed_with(check_misclassified(model, points, classes, points), "holds every test point")


def test_misclassified_says_what_an_entry_is_and_which_points_are_not_test_points() -> None:
    """The exercise prints each wrong point with its classes and probabilities: a reader who
    keeps those rows in the list is told to keep the points (the checker raised a TypeError
    of its own); points from the training set are named as not test points."""

    def model(x: list[float]) -> list[Value]:
        return [Value(x[0]), Value(x[1]), Value(0.0)]

    points = [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [2.0, 3.0]]
    classes = [0, 0, 2, 1]
    rows = [([0.0, 1.0], 0, 1, [0.0, 1.0, 0.0])]
    failed_with(check_misclassified(model, points, classes, rows), "the points themselves")
    failed_with(check_misclassified(model, points, classes, [[0.0, 1.0], [5.0, 5.0]]), "not test points")


def rosenbrock_values(make: Any, steps: int = 1000) -> list[float]:
    # The reader's run, as the page writes it: an independent reference on purpose, not the
    # checker's own _rosenbrock_run, so that a mistake in that one cannot agree with itself.
    x, y = Value(-1.5), Value(2.0)
    optimizer = make([x, y])
    values = []
    for _ in range(steps):
        optimizer.zero_grad()
        f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
        f.backward()
        optimizer.step()
        values.append(f.data)
    return values


def test_nesterov_and_adam() -> None:
    nesterov = rosenbrock_values(lambda p: SGD(p, lr=1e-3, momentum=0.9, nesterov=True))
    assert check_nesterov(nesterov).passed
    failed_with(check_nesterov(rosenbrock_values(lambda p: SGD(p, lr=1e-3, momentum=0.9))), "nesterov=True")
    failed_with(check_nesterov(nesterov[:500]), "for 1000 steps")
    failed_with(
        check_nesterov(rosenbrock_values(lambda p: SGD(p, lr=5e-4, momentum=0.9, nesterov=True))), "1000"
    )
    results = {
        lr: (
            rosenbrock_values(lambda p, lr=lr: Adam(p, lr=lr, betas=(0.0, 0.999)))[-1],
            rosenbrock_values(lambda p, lr=lr: Adam(p, lr=lr))[-1],
        )
        for lr in (0.01, 0.03, 0.1)
    }
    assert check_adam_halves(results).passed
    swapped = {lr: (b, a) for lr, (a, b) in results.items()}
    failed_with(check_adam_halves(swapped), "that is full Adam")
    failed_with(check_adam_halves({0.01: results[0.01]}), "no result")
    failed_with(check_adam_halves({lr: (a * 2, b) for lr, (a, b) in results.items()}), "betas=(0.0, 0.999)")


def test_optimizer_lists_of_the_wrong_length_or_lists_for_numbers_are_named_not_called_nan() -> None:
    """A list too short, the whole (path, values) pair of run(), or whole runs stored where the
    last value belongs: each is named as what it is (all were reported as "gave nan")."""
    nesterov = rosenbrock_values(lambda p: SGD(p, lr=1e-3, momentum=0.9, nesterov=True))
    failed_with(check_nesterov(nesterov[:500]), "your list has 500 values, the exercise asks for 1000")
    failed_with(check_nesterov([[v] for v in nesterov]), "entry 0 is a list of 1 value, not a number")
    failed_with(check_nesterov(([(-1.5, 2.0)] * 1000, nesterov)), "run() returns (path, values)")
    runs = {
        lr: (
            rosenbrock_values(lambda p, lr=lr: Adam(p, lr=lr, betas=(0.0, 0.999))),
            rosenbrock_values(lambda p, lr=lr: Adam(p, lr=lr)),
        )
        for lr in (0.01, 0.03, 0.1)
    }
    report = check_adam_halves(runs)
    failed_with(report, "the entry is a list of 1000 values, not a number")
    assert "nan" not in str(report), str(report)
    last = {lr: (a[-1], b[-1]) for lr, (a, b) in runs.items()}
    assert check_adam_halves(last).passed
    failed_with(check_adam_halves({**last, 0.01: (last[0.01][0],)}), "has 1 value, the exercise asks for 2")


def test_residual_and_relative_change() -> None:
    def first_and_last_grad(
        residual: bool,
        depth: int = 20,
        width: int = 8,
        batch: int = 16,
        seed: int = 0,
        skip_first: bool = True,
    ) -> tuple[float, float]:
        rng = random.Random(seed)
        model = MLP(width, [width] * depth + [1], activation="sigmoid", rng=rng)
        xs = [[rng.gauss(0, 1) for _ in range(width)] for _ in range(batch)]
        ys = [rng.choice([-1.0, 1.0]) for _ in range(batch)]
        loss = Value(0.0)
        for x, y in zip(xs, ys, strict=True):
            h = [Value(v) for v in x]
            for k, layer in enumerate(model.layers[:-1]):
                out = layer(h)
                h = (
                    [a + b for a, b in zip(h, out, strict=True)]
                    if residual and (k > 0 or not skip_first)
                    else out
                )
            loss = loss + (model.layers[-1](h) - y) ** 2
        (loss / batch).backward()
        grads = [
            sum(abs(w.grad) for n in layer.neurons for w in n.w) / sum(len(n.w) for n in layer.neurons)
            for layer in model.layers
        ]
        return grads[0], grads[-1]

    assert check_residual(first_and_last_grad).passed
    failed_with(check_residual(lambda residual, **kw: first_and_last_grad(False, **kw)), "adds its input")
    failed_with(
        check_residual(lambda residual, **kw: first_and_last_grad(residual, skip_first=False, **kw)), "h ="
    )
    failed_with(
        check_residual(lambda residual, **kw: first_and_last_grad(not residual, **kw)),
        "that is the network with shortcuts: with residual=False",
    )

    rng = random.Random(0)
    model = MLP(8, [8] * 10 + [1], activation="sigmoid", rng=rng)
    xs = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(16)]
    ys = [rng.choice([-1.0, 1.0]) for _ in range(16)]
    before = [[w.data for n in layer.neurons for w in n.w] for layer in model.layers]
    for _ in range(20):
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True)), Value(0.0)) / len(xs)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.1 * p.grad
    after = [[w.data for n in layer.neurons for w in n.w] for layer in model.layers]
    changes = [math.dist(a, b) / math.hypot(*b) for a, b in zip(after, before, strict=True)]
    assert check_relative_change(changes).passed
    failed_with(check_relative_change(changes[:-1]), "one number per layer")
    failed_with(check_relative_change([0.0] * 11), "no change at all")
    report = check_relative_change([math.dist(a, b) for a, b in zip(after, before, strict=True)])
    failed_with(report, "not relative to their size")
    assert "math.dist" not in str(report) and "math.hypot" not in str(report)  # the recipe is the exercise


def test_generalisation_tanh_model_and_two_classes() -> None:
    def model(x: list[float]) -> Value:
        return Value(x[0] - 0.5)

    points = [[0.0], [1.0], [2.0], [0.2]]
    labels = [0, 1, 0, 1]
    assert check_generalisation({"m": model}, points, labels, {"m": 0.5}).passed
    failed_with(check_generalisation({"m": model}, points, labels, {"m": 50.0}), "not a percentage")
    failed_with(check_generalisation({"m": model}, points, labels, {}), "measure every network")
    failed_with(check_generalisation({"m": model}, points, labels, {"m": 1.0}), "divided by the number")

    xs = [[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]]
    ys = [0, 1, 0, 1]
    net = MLP(2, [4, 1], activation="tanh", rng=random.Random(0))
    bce_train(net, xs, ys, 50)
    assert check_tanh_model(net, xs, ys).passed
    relu_net = MLP(2, [4, 1], activation="relu", rng=random.Random(0))
    bce_train(relu_net, xs, ys, 50)
    failed_with(check_tanh_model(relu_net, xs, ys), 'activation="tanh"')
    untrained = MLP(2, [4, 1], activation="tanh", rng=random.Random(3))
    if check_tanh_model(untrained, xs, ys).passed:  # a lucky start: flip the labels instead
        ys = [1 - t for t in ys]
    failed_with(check_tanh_model(untrained, xs, ys), "at least 95%")

    def row(z: float) -> tuple[float, ...]:
        s = 1 / (1 + math.exp(-z))
        return (z, s, s, -math.log(s), -math.log(s))

    assert check_two_classes([row(z) for z in (-3.0, 0.0, 0.7, 5.0)]).passed
    z, s, _, ce, nls = row(0.7)
    reports = [
        check_two_classes([(z, 1 - s, s, ce, nls)]),
        check_two_classes([(z, s, s, ce, math.log(s))]),
        check_two_classes([(z, s, s, -math.log(1 - s), nls)]),
        check_two_classes([(z, s, s, 2 * ce, nls)]),
        check_two_classes([(z, s, 1 - s, ce, nls)]),
        check_two_classes([(z, s, s, ce, -math.log10(s))]),
    ]
    failed_with(reports[0], "take its first entry")
    failed_with(reports[1], "that is log sigmoid(z), without the minus: -log sigmoid(z) is a positive number")
    failed_with(reports[2], "pass the classes [0]")
    failed_with(reports[3], "cross_entropy takes a batch")
    failed_with(reports[4], "that is sigmoid(-z)")
    failed_with(reports[5], "that is the base-10 log")
    # the row's right numbers are the exercise: the reports name the mistake, not them
    assert "expected" not in " ".join(str(r) for r in reports)
    assert f"{s:.6g}" not in str(reports[0]) and f"{ce:.6g}" not in str(reports[2]) + str(reports[3])
    failed_with(check_two_classes([]), "try a few values")


def _page_slope_changes(model: Any) -> float:
    """The solution on the *Two moons* page, exercise 2."""
    np = require("numpy")
    line = np.linspace(-1.5, 2.5, 201).tolist()
    s = [model([x1, 0.25]).data for x1 in line]
    second = [s[i - 1] - 2 * s[i] + s[i + 1] for i in range(1, len(s) - 1)]
    return sum(abs(d) > 1e-9 for d in second) / len(second)


def _slope_changes(
    model: Any,
    points: int = 201,
    x2: float = 0.25,
    swapped: bool = False,
    first: bool = False,
    signed: bool = False,
    divisor: int | None = None,
) -> float:
    """An independent version (slopes of neighbouring segments compared), or one of the mistakes."""
    step = 4 / (points - 1)
    xs = [-1.5 + step * i for i in range(points)]
    s = [model([x2, x]).data if swapped else model([x, x2]).data for x in xs]
    slopes = [b - a for a, b in itertools.pairwise(s)]
    diffs = slopes if first else [b - a for a, b in itertools.pairwise(slopes)]
    count = sum(1 for d in diffs if (d if signed else abs(d)) > 1e-9)
    return count / (divisor or len(diffs))


def test_slope_changes_checker_passes_right_functions_and_names_each_mistake() -> None:
    assert check_slope_changes(_page_slope_changes).passed, str(check_slope_changes(_page_slope_changes))
    assert check_slope_changes(_slope_changes).passed, str(check_slope_changes(_slope_changes))
    failed_with(check_slope_changes(lambda m: _slope_changes(m, points=200)), "that is 200 points")
    failed_with(check_slope_changes(lambda m: _slope_changes(m, points=202)), "that is 202 points")
    failed_with(check_slope_changes(lambda m: _slope_changes(m, divisor=201)), "not by all 201 points")
    failed_with(check_slope_changes(lambda m: _slope_changes(m, signed=True)), "abs(d) > 1e-9")
    failed_with(check_slope_changes(lambda m: _slope_changes(m, first=True)), "is the slope itself")
    failed_with(
        check_slope_changes(lambda m: _slope_changes(m, first=True, divisor=199)), "is the slope itself"
    )
    failed_with(check_slope_changes(lambda m: _slope_changes(m, x2=0.0)), "the line x2 = 0:")
    failed_with(check_slope_changes(lambda m: _slope_changes(m, swapped=True)), "swapped")
    failed_with(check_slope_changes(lambda m: 100 * _slope_changes(m)), "not a percentage")
    failed_with(check_slope_changes(lambda m: 0.5), "the 199 inner points")
    failed_with(check_slope_changes(lambda m: m[0]), "stopped")


def test_log_and_division_checker_passes_right_engines_and_names_each_mistake() -> None:
    for kwargs in ENGINE_STYLES[:2]:
        assert check_log_and_division(make_engine(**kwargs)).passed
    assert check_log_and_division(Value).passed
    report = check_log_and_division(make_engine(mistakes=["log 1/out"]))
    failed_with(report, "not 1/out")
    blamed(report, "log(x) at x = 2", "x", "log")
    failed_with(check_log_and_division(make_engine(mistakes=["div no minus"])), "minus sign is missing")
    failed_with(check_log_and_division(make_engine(mistakes=["div -a/b"])), "not -a/b")
    failed_with(check_log_and_division(make_engine(mistakes=["= instead of +="])), "+=")


# -- Building Value: its three exercises, on the page's engine that sets gradients with = ------------

LECTURE_GRADS = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0}


def test_gradients_by_hand_pass_when_right_and_agree_with_micrograd() -> None:
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    assert {"a": a.grad, "b": b.grad, "c": c.grad, "d": d.grad, "e": e.grad, "f": f.grad} == LECTURE_GRADS
    report = check_gradients_by_hand(LECTURE_GRADS)
    assert report.passed and report.blame is None, str(report)
    assert check_gradients_by_hand({**LECTURE_GRADS, "L": 1}).passed
    assert check_gradients_by_hand({k: int(v) for k, v in LECTURE_GRADS.items()}).passed


def test_answers_worked_out_by_hand_are_not_given_away_by_a_wrong_try() -> None:
    """The right numbers of the predict-them exercises are their answers: a wrong try says
    which are wrong and why, and the reader may try again; neither the report nor its drawing
    states the right value of a wrong one. The dictionary as the exercise writes it, with ...,
    is told to be filled in."""
    by_hand = check_gradients_by_hand({**LECTURE_GRADS, "a": -3.0, "b": 2.0, "e": ...})
    assert by_hand.blame is not None
    shown = [str(by_hand), by_hand.blame.description, by_hand.blame.dot]
    assert not any("expected" in text for text in shown), shown
    text = " ".join(str(by_hand).split())
    assert "a.grad gave -3, which is not dL/da: you stopped at the local derivative" in text, text
    assert "e.grad: still ...; replace the ... with your dL/de." in text, text
    assert "grad -3 (wrong)" in by_hand.blame.dot
    for report in (
        check_backward_order(["w", "y"], [1.0, 5.0]),
        check_backward_order(["y", "x*w"], [1.0, 2.0]),
        check_dead_relu({"w": 1.5, "b": 1.0}),
    ):
        assert not report.passed and "expected" not in str(report), str(report)


BY_HAND_MISTAKES = [
    # (the reader's wrong gradients, words in the first failure, the value blamed first)
    # (When two values are wrong at the same depth, the drawing marks the one backward() reaches
    # first: b before a, c before e.)
    ({"a": -3.0, "b": 2.0}, "stopped at the local derivative, -3", "b"),
    ({"c": 1.0, "e": 1.0, "a": -3.0, "b": 2.0}, "stopped at the local derivative, 1", "c"),
    ({"a": -4.0, "b": 6.0}, "*other* input's value", "b"),
    ({"d": 1.0, "c": 1.0, "e": 1.0, "a": -3.0, "b": 2.0}, "does not pass its gradient on unchanged", "d"),
    ({"e": -6.0}, "is e's value, e.data, not its gradient", "e"),
    ({"a": -6.0}, "the sign is wrong", "a"),
    ({"L": 0.0}, "dL/dL = 1", "L"),
]


@pytest.mark.parametrize(("wrong", "words", "node"), BY_HAND_MISTAKES, ids=[m[1] for m in BY_HAND_MISTAKES])
def test_each_mistake_in_gradients_by_hand_is_named_and_blamed(
    wrong: dict[str, float], words: str, node: str
) -> None:
    report = check_gradients_by_hand({**LECTURE_GRADS, **wrong})
    failed_with(report, words)
    blamed(report, "L = (a*b + c) * f", node)


def test_gradients_by_hand_that_follow_from_a_wrong_one_above_point_to_it() -> None:
    report = check_gradients_by_hand({**LECTURE_GRADS, "e": 1.0, "a": -3.0, "b": 2.0})
    messages = {c.name: c.message for c in report.failures}
    assert set(messages) == {"e.grad", "a.grad", "b.grad"}
    assert "the mistake is at e" in messages["a.grad"] and "the mistake is at e" in messages["b.grad"]


def test_gradients_by_hand_missing_one_says_which() -> None:
    report = check_gradients_by_hand({k: v for k, v in LECTURE_GRADS.items() if k != "e"})
    failed_with(report, "needs a, b, c, d, e and f")


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(LECTURE_GRADS)),
    shift=st.floats(min_value=-20, max_value=20).filter(lambda s: abs(s) > 1e-3),
)
def test_any_one_wrong_gradient_by_hand_fails_on_that_value_and_is_marked(name: str, shift: float) -> None:
    report = check_gradients_by_hand({**LECTURE_GRADS, name: LECTURE_GRADS[name] + shift})
    assert [c.name for c in report.failures] == [f"{name}.grad"], str(report)
    blamed(report, "L = (a*b + c) * f", name)


def test_the_pages_engine_with_its_exercises_passes_and_says_it_checks_trees_only() -> None:
    my_value, squared_error = make_building_value()
    for report in (check_subtraction(my_value), check_squared_error(my_value, squared_error)):
        assert report.passed and report.blame is None, str(report)
        assert "no value is used twice" in report.title
        assert "no value used twice" in report.checks[-1].name


def test_the_pages_engine_fails_check_value_on_a_value_used_twice() -> None:
    # The reason these checkers use trees only: the page's = engine is wrong on x + x.
    failed_with(check_value(make_building_value()[0]), "added with +=, not set with =")


@pytest.mark.parametrize("kwargs", ENGINE_STYLES, ids=lambda k: "-".join(k.values()))
@pytest.mark.parametrize("sets", [False, True], ids=["adds", "sets"])
def test_independent_engines_pass_the_building_value_checkers(kwargs: dict[str, str], sets: bool) -> None:
    v = make_engine(**kwargs, mistakes=["= instead of +="] if sets else [])
    assert check_subtraction(v).passed, str(check_subtraction(v))
    for loss in (lambda o, t: (o - t) ** 2, lambda o, t: (t - o) ** 2):
        report = check_squared_error(v, loss)
        assert report.passed, str(report)


def test_micrograds_own_value_passes_the_building_value_checkers() -> None:
    assert check_subtraction(Value).passed
    assert check_squared_error(Value, lambda o, t: (o - t) ** 2).passed


# (mistake, the case whose drawing is shown, the value marked first wrong)
BUILDING_VALUE_BLAME = {
    "- gives the right operand +out.grad": ("a - b", "b"),
    "- gives the left operand -out.grad": ("a - b", "a"),
    "- forgets out.grad": ("(a - b) * c", "b"),
    "- adds": ("a - b", "out"),
    "- subtracts the other way round": ("a - b", "out"),
    "- never attaches its _backward": ("a - b", "b"),
    "** keeps the exponent": ("x ** 2 at x = 3", "x"),
    "** forgets k": ("x ** 2 at x = 3", "x"),
    "** forgets out.grad": ("x ** 2 * c", "x"),
    "squared_error squares only the target": ("squared_error(o, y) at o = 0.7, y = 1.5", "out"),
}


def test_squared_error_as_d_times_d_is_blamed_on_the_product_not_on_the_subtraction() -> None:
    # Tutorial 02, exercise 3, with d = output - target and d * d: the page's rules set
    # gradients with =, so * gives d half its gradient, and - passes that half on rightly.
    my_value, squared_error = make_building_value(mistake="squared_error as d * d")
    report = check_squared_error(my_value, squared_error)
    assert report.blame is not None, str(report)
    first = report.blame.nodes[report.blame.first_wrong]
    assert (first.name, first.op) == ("", "-"), str(report)
    assert first.expected_grad == pytest.approx(2 * first.data), str(report)
    assert report.blame.culprit.endswith("o - y gets a wrong gradient from the operation that uses it: *")


def test_a_value_whose_operation_is_right_but_whose_inputs_are_not_is_blamed_on_what_it_is_made_of() -> None:
    # Tutorial 02, exercise 3, with output - target ** 2: the - is right, the square is misplaced.
    my_value, squared_error = make_building_value(mistake="squared_error squares only the target")
    report = check_squared_error(my_value, squared_error)
    blamed(report, "squared_error(o, y) at o = 0.7, y = 1.5", "out", "-")
    assert report.blame is not None
    culprit = report.blame.culprit
    assert "o and the unnamed value y**2" in culprit and "computed wrongly" not in culprit, culprit


def test_a_subtraction_that_forgets_its_inputs_is_named_between_two_products_not_the_order() -> None:
    # Tutorial 02, exercise 2, with MyValue(self.data - other.data, (), '-'): its _backward still
    # sets a*b's and c*d's gradients, but backward() never reaches them to pass those on.
    my_value, _ = make_building_value(mistake="- forgets its children")
    report = check_subtraction(my_value)
    random_check = next(c for c in report.checks if c.name.startswith("20 random expressions"))
    for text in (failed_case(report, "a*b - c*d"), random_check.message):
        assert "the result of - does not remember its inputs" in text, text
        assert "reversed topological order" not in text, text


def test_a_power_without_its_factor_k_is_not_taken_for_d_times_d_in_squared_error() -> None:
    # Both halve the gradient of (o - y) ** 2; only d * d uses a value twice.
    my_value, squared_error = make_building_value(mistake="** forgets k")
    report = check_squared_error(my_value, squared_error)
    text = failed_case(report, "squared_error(o, y) at o = 0.7, y = 1.5")
    assert "d * d" not in text, text


@pytest.mark.parametrize("mistake", sorted(BUILDING_VALUE_MISTAKES))
def test_each_mistake_of_building_value_is_caught_named_and_blamed(mistake: str) -> None:
    checker, words = BUILDING_VALUE_MISTAKES[mistake]
    my_value, squared_error = make_building_value(mistake=mistake)
    report = (
        check_subtraction(my_value)
        if checker == "subtraction"
        else check_squared_error(my_value, squared_error)
    )
    failed_with(report, words or "")
    if mistake in BUILDING_VALUE_BLAME:
        blamed(report, *BUILDING_VALUE_BLAME[mistake])


def test_an_operator_the_class_lacks_is_named_with_the_method_to_write() -> None:
    """An answer cell run before its code is written leaves MyValue without ``-``: the report
    names ``__sub__`` (it sent the reader to __radd__ and kin, which are for ``2 - x``); a class
    without ``__radd__`` is told so for ``2 + x``."""
    my_value, _ = make_building_value()
    del my_value.__sub__
    report = check_subtraction(my_value)
    text = " ".join(str(report).split())  # as one line, not wrapped
    assert not report.passed
    assert "The class has no - between two values: it needs a method __sub__(self, other)" in text, text
    assert "__radd__" not in text

    no_radd = make_engine()
    del no_radd.__radd__
    text = " ".join(str(check_plain_numbers(no_radd)).split())
    assert "With the number on the left, as in 2 + x, Python calls __radd__ on the value" in text, text
