"""The checkers of the first four tutorials name a learner's real mistake, and never give away an
answer worked out by hand.

Each test puts one mistake a learner review found into the page's own solution (or an
independent engine from ``tests/exercise_engines.py``) and states what the report says.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

import pytest
from exercise_engines import iterative_order, make_building_value, make_engine
from test_exercises import nudging

from micrograd import Value
from micrograd.exercises import (
    Report,
    budget,
    check_backward_order,
    check_central_difference,
    check_dead_relu,
    check_gradients_by_hand,
    check_my_backward,
    check_numerical_gradient,
    check_plain_numbers,
    check_relu,
    check_second_derivative,
    check_sigmoid,
    check_squared_error,
    check_subtraction,
    check_value,
)
from micrograd.exercises.budget import _describe_error


def sigmoid(x: Any) -> Any:
    return (1 + (-x).exp()) ** -1


def first_failure(report: Report) -> str:
    assert not report.passed, str(report)
    return next(c for c in report.checks if not c.passed and not c.advisory).message


def failure_of(report: Report, name: str) -> str:
    return next(c for c in report.checks if c.name == name and not c.passed).message


# -- Building Value, exercise 1: gradients by hand ------------------------------------------------


def test_gradients_by_hand_as_a_list_is_told_to_be_a_dict_by_name() -> None:
    report = check_gradients_by_hand([6, -4, -2, -2, -2, 4])  # type: ignore[arg-type]
    assert 'my_grads must be a dict by name, {"a": ..., "b": ...}, not a list' in first_failure(report)


def test_gradients_by_hand_as_values_is_told_to_give_numbers() -> None:
    MyValue, _ = make_building_value()
    a, b = MyValue(2.0), MyValue(-3.0)
    report = check_gradients_by_hand({"a": a, "b": b, "c": -2, "d": -2, "e": -2, "f": 4})
    assert "give numbers (a.grad), not values" in failure_of(report, "a.grad")
    assert "give numbers (b.grad), not values" in failure_of(report, "b.grad")
    assert report.blame is None


def test_gradients_by_hand_with_entries_only_missing_or_still_dots_has_no_drawing() -> None:
    report = check_gradients_by_hand({"a": ..., "b": ..., "c": -2, "d": -2, "e": -2})
    assert "still ..." in failure_of(report, "a.grad")
    assert "not given" in failure_of(report, "f.grad")
    assert report.blame is None
    # A wrong number still gets the drawing.
    assert check_gradients_by_hand({"a": -3, "b": 2, "c": -2, "d": -2, "e": -2, "f": 4}).blame is not None


# -- Building Value, exercise 2: subtraction ------------------------------------------------------


def test_a_subtraction_giving_the_right_operand_plus_out_grad_is_told_so_when_nested() -> None:
    # In a - (b - c), only b comes out wrong: the outer - gave b - c the wrong sign, and b inherits it.
    MyValue, _ = make_building_value(mistake="- gives the right operand +out.grad")
    message = failure_of(check_subtraction(MyValue), "a - (b - c)")
    assert "the right operand of a subtraction gets -out.grad" in message
    assert "left operand" not in message


def test_a_subtraction_that_forgets_out_grad_is_not_told_about_a_sign_when_nested() -> None:
    MyValue, _ = make_building_value(mistake="- forgets out.grad")
    message = failure_of(check_subtraction(MyValue), "a - (b - c)")
    assert "not multiplied by out.grad" in message
    assert "operand" not in message


def test_a_subtraction_that_never_attaches_its_backward_is_told_so_not_about_the_order() -> None:
    MyValue, _ = make_building_value(mistake="- never attaches its _backward")
    report = check_subtraction(MyValue)
    assert len(report.failures) == len(report.checks)
    for check in report.failures:
        assert "never attached to the result; add out._backward = _backward" in check.message, check.message
        assert "topological order" not in check.message, check.message


# -- Backprop step by step, exercise 1: the order -------------------------------------------------


def test_backward_order_hints_on_x_grads_state_no_number() -> None:
    order = ["y", "x*w", "x", "w"]
    for wrong in ([1, 2, 2, 2], [2, 3, 3, 3], [1, 6, 6, 6], [1, 3, 6, 6], [0.5, 3, 3, 3]):
        check = check_backward_order(order, wrong).checks[-1]
        assert not check.passed
        assert not re.search(r"\d", check.mistake), check.mistake  # the kind of mistake, no number
    assert "gradients accumulate" in check_backward_order(order, [1, 2, 2, 2]).checks[-1].mistake
    assert "the first step" in check_backward_order(order, [2, 3, 3, 3]).checks[-1].mistake


def test_backward_order_x_grads_with_the_start_are_told_to_leave_it_out() -> None:
    report = check_backward_order(["y", "x*w", "x", "w"], [0, 1, 3, 3, 3])
    assert "leave out the start: one number per entry of my_order" in first_failure(report)


def test_backward_order_numbers_print_as_numbers() -> None:
    report = check_backward_order(["y", "x*w", "x", "w"], [1, 2, 2, 2])
    assert "gave [1, 2, 2, 2]" in first_failure(report)


def test_backward_order_unknown_labels_are_named_as_unknown() -> None:
    for label in ("xw", "x * w"):
        message = first_failure(check_backward_order(["y", label, "x", "w"]))
        assert f"unknown label {label!r}: the labels are w, x, x*w and y" in message


def test_backward_order_values_or_one_string_are_told_what_my_order_holds() -> None:
    x, w = Value(3.0), Value(2.0)
    xw = x * w
    y = xw + x
    assert "not the values themselves" in first_failure(check_backward_order([y, xw, x, w]))
    assert "not one string" in first_failure(check_backward_order("y, x*w, x, w"))


# -- Backprop step by step, exercise 2: a relu that is off ----------------------------------------


def test_dead_relu_hints_do_not_say_the_gradients_are_zero() -> None:
    for wrong in ({"w": 1.5, "b": 1}, {"w": -3, "b": 2}, {"w": 0.5, "b": -1}):
        for check in check_dead_relu(wrong).failures:
            assert "0" not in check.mistake, check.mistake
    assert "you assumed relu passes the gradient on" in first_failure(check_dead_relu({"w": 1.5, "b": 1}))


def test_dead_relu_with_dots_left_in_is_told_to_replace_them() -> None:
    report = check_dead_relu({"w": ..., "b": ...})
    assert "still ...; replace the ... with your prediction" in first_failure(report)


# -- Gradients that add up, exercise 1: relu -------------------------------------------------------


def test_a_relu_that_returns_its_positive_input_itself_is_told_to_make_a_new_value() -> None:
    V = make_engine()
    relu = V.relu

    def returns_self(self: Any) -> Any:  # right numbers, and every input's gradient right too
        return self if self.data > 0 else relu(self)

    V.relu = returns_self  # type: ignore[method-assign]
    report = check_relu(V)
    message = failure_of(report, "relu(x) + x")
    assert "relu(x) is x itself: your relu returned its input instead of a new value" in message
    assert "local derivative" not in message
    assert "returned its input instead of a new value" in report.checks[-1].message  # the random ones
    assert report.blame is not None and "not +" in report.blame.culprit


def test_a_relu_that_makes_its_result_from_a_number_is_told_it_forgets_its_input() -> None:
    V = make_engine()
    relu = V.relu

    def from_a_number(self: Any) -> Any:  # right numbers, no children where the input is positive
        return V(self.data) if self.data > 0 else relu(self)

    V.relu = from_a_number  # type: ignore[method-assign]
    report = check_relu(V)
    for name in ("relu(x) at x = 3", "relu(x) * c", "relu(x) + x"):
        message = failure_of(report, name)
        assert "relu's result does not remember its input" in message or "the same mistake" in message
        assert "local derivative is 1 for a positive input" not in message, message
    assert "relu's result does not remember its input" in failure_of(report, "relu(x) at x = 3")
    assert report.blame is not None and "+ is not at fault" in report.blame.culprit


# -- Gradients that add up, exercise 2: plain numbers ---------------------------------------------


def test_plain_numbers_without_sub_is_told_to_write_sub() -> None:
    V = make_engine()
    del V.__sub__  # type: ignore[attr-defined]
    report = check_plain_numbers(V)
    for name in ("x - y", "3 * x + 1 - x * 2"):
        message = failure_of(report, name)
        assert "__sub__" in message, message
        assert "__add__ or __mul__" not in message and "__rmul__" not in message, message


def test_a_negation_that_forgets_its_input_is_told_so_not_about_plus_equals() -> None:
    V = make_engine()
    V.__neg__ = lambda self: V(-self.data)  # type: ignore[attr-defined]  # a new value, no children
    report = check_plain_numbers(V)
    for name in ("-x", "x - y", "x - x", "3 * x + 1 - x * 2"):
        message = failure_of(report, name)
        assert "the result of negation does not remember its input" in message, message
        assert "+=" not in message, message
    assert report.blame is not None and "+ is not at fault" in report.blame.culprit


def test_a_reversed_method_that_recurses_is_named_in_the_random_check_too() -> None:
    report = check_plain_numbers(make_engine(mistakes=["rmul recursion"]))
    assert "__rmul__ computes other * self" in failure_of(report, "2 * x")
    random_line = report.checks[-1]
    assert random_line.name.startswith("20 random")
    assert "__rmul__ computes other * self" in random_line.message
    assert "topological order by recursion" not in random_line.message


def test_a_stopped_message_keeps_code_in_lowercase() -> None:
    def my_backward(root: Value) -> None:  # the recursive order: too deep for the long chain
        order: list[Value] = []
        seen: set[int] = set()

        def visit(v: Value) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(root)
        root.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node._prev, node._local_grads, strict=True):
                child.grad += local * node.grad

    message = first_failure(check_my_backward(my_backward))
    assert "exceeded. backward() builds its topological order by recursion" in message
    assert "Backward()" not in message


# -- Derivatives from scratch ---------------------------------------------------------------------


def test_a_function_that_returns_none_is_asked_about_return() -> None:
    def slope(f: Any, x: float, h: float = 1e-5) -> None:
        print((f(x + h) - f(x - h)) / (2 * h))

    def second_derivative(f: Any, x: float, h: float) -> None: ...

    def numerical_gradient(fn: Any, inputs: list[float], h: float = 1e-6) -> None: ...

    for report in (
        check_central_difference(slope),
        check_second_derivative(second_derivative),
        check_numerical_gradient(numerical_gradient),
    ):
        message = first_failure(report)
        assert "your function returned None: did you forget return, or return what a list method" in message
        # Said once: a question ends the message without a full stop, and still reads as the same.
        assert " ".join(str(report).split()).count("did you forget return") == 1, str(report)
        assert "nan" not in str(report)


def test_a_number_passed_for_the_function_is_told_apart() -> None:
    slope = 0.1  # the page's own `slope`, left over
    report = check_central_difference(slope)  # type: ignore[arg-type]
    assert "slope is a number (left over from the page), not your function" in first_failure(report)
    assert "def slope(f, x, h=1e-5)" in first_failure(report)
    assert "not your function" in first_failure(check_second_derivative(2.0))  # type: ignore[arg-type]
    assert "not your function" in first_failure(check_numerical_gradient([1.0]))  # type: ignore[arg-type]


def test_numerical_gradient_returning_a_dict_is_told_to_return_a_list() -> None:
    def numerical_gradient(fn: Any, inputs: list[float], h: float = 1e-6) -> dict[int, float]:
        grads = {}
        for i in range(len(inputs)):
            up, down = list(inputs), list(inputs)
            up[i] += h
            down[i] -= h
            grads[i] = (fn(*up) - fn(*down)) / (2 * h)
        return grads

    report = check_numerical_gradient(numerical_gradient)
    assert "return a list of numbers, one per input, in order" in first_failure(report)


def test_numerical_gradient_calling_fn_with_the_list_is_told_to_unpack_it() -> None:
    numerical_gradient = nudging(lambda fn, up, down, h: (fn(up) - fn(down)) / (2 * h))
    report = check_numerical_gradient(numerical_gradient)
    assert all(
        "fn takes the numbers one by one: call fn(*up), not fn(up)" in c.message for c in report.failures
    )
    assert "Value()" not in str(report)


def test_numerical_gradient_that_nudges_back_is_told_about_float_rounding() -> None:
    def numerical_gradient(fn: Any, inputs: list[float], h: float = 1e-6) -> list[float]:
        grads = []
        for i in range(len(inputs)):
            inputs[i] += h
            up = fn(*inputs)
            inputs[i] -= 2 * h
            down = fn(*inputs)
            inputs[i] += h
            grads.append((up - down) / (2 * h))
        return grads

    message = first_failure(check_numerical_gradient(numerical_gradient))
    assert "save the old value and restore it (old = inputs[i]; ...; inputs[i] = old)" in message
    assert "does not give back the same float" in message


# -- Gradients that add up, exercise 3; Backprop step by step, exercises 3 and 4 -----------------------


def test_a_power_that_sets_its_gradient_is_named_on_a_value_used_twice() -> None:
    V = make_engine()

    def power(self: Any, k: float) -> Any:  # the power of Building Value, with =
        out = V(self.data**k, (self,), "**")

        def _backward() -> None:
            self.grad = k * self.data ** (k - 1) * out.grad

        out._backward = _backward  # type: ignore[attr-defined]
        return out

    V.__pow__ = power  # type: ignore[operator]
    report = check_sigmoid(V, sigmoid)
    assert "x ** 2 + x" in first_failure(report)
    assert "** must add with +=" in first_failure(report)
    assert check_sigmoid(make_engine(), sigmoid).passed


def test_my_backward_in_pre_order_fails_on_a_reused_value_listed_second() -> None:
    def my_backward(root: Value) -> None:  # each value when popped, a value used twice too early
        order: list[Value] = []
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                order.append(node)
                stack.extend(node._prev)
        for v in order:
            v.grad = 0.0
        root.grad = 1.0
        for node in order:
            for child, local in zip(node._prev, node._local_grads, strict=True):
                child.grad += local * node.grad

    report = check_my_backward(my_backward)
    message = first_failure(report)
    assert message.startswith("a reused intermediate: tanh(h*h) + h, h = x*w")
    assert "reversed topological order" in message


def test_a_backward_that_keeps_stale_intermediate_gradients_fails_backward_twice() -> None:
    V = make_engine(style="closure")

    def stale(self: Any) -> None:  # the page's backward() without its reset
        self.grad = 1.0
        for node in reversed(iterative_order(self)):
            node._backward()

    def fresh(self: Any) -> None:  # the page's backward(): values made by operations start from 0
        order = iterative_order(self)
        for v in order:
            if v._prev:
                v.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    V.backward = stale  # type: ignore[method-assign]
    report = check_value(V)
    message = failure_of(report, "backward() twice on tanh(x * w)")
    assert "reset those to 0 at the start of backward()" in message
    assert report.blame is not None and "backward() is at fault" in report.blame.culprit
    V.backward = fresh  # type: ignore[method-assign]
    assert check_value(V).passed, str(check_value(V))


def test_micrograds_value_passes_backward_twice_on_an_intermediate() -> None:
    report = check_value(Value)
    check = next(c for c in report.checks if c.name == "backward() twice on tanh(x * w)")
    assert check.passed
    x, w = Value(0.5), Value(-2.0)
    out = (x * w).tanh()
    out.backward()
    once = x.grad
    out.backward()
    assert math.isclose(x.grad, 2 * once)


def test_a_squared_error_that_wraps_the_target_again_is_told_so_not_about_rsub() -> None:
    MyValue, _ = make_building_value()

    def squared_error(output: Any, target: Any) -> Any:
        return (output - MyValue(target)) ** 2  # target already is a MyValue

    report = check_squared_error(MyValue, squared_error)
    message = first_failure(report)
    assert "A MyValue was made from a value that already is one, as MyValue(target)" in message
    assert "__rsub__" not in message


def test_a_power_that_keeps_its_exponent_among_the_children_is_told_so() -> None:
    MyValue, squared_error = make_building_value()
    power = MyValue.__pow__

    def with_k(self: Any, k: float) -> Any:
        out = power(self, k)
        out._prev = (self, k)
        return out

    MyValue.__pow__ = with_k  # type: ignore[operator]
    message = first_failure(check_squared_error(MyValue, squared_error))
    assert "only values go in _children, (self,) for a power, not (self, k)" in message
    assert "missing a method" not in message


def squared_error_of_numbers(output: Any, target: Any) -> Any:
    return (output.data - target.data) ** 2


def squared_error_minus_target_data(output: Any, target: Any) -> Any:
    return (output - target.data) ** 2


def squared_error_output_data_minus(output: Any, target: Any) -> Any:
    return (output.data - target) ** 2


def test_a_squared_error_computed_on_data_is_told_to_use_the_values() -> None:
    MyValue, _ = make_building_value()
    report = check_squared_error(MyValue, squared_error_of_numbers)
    message = first_failure(report)
    assert "The result is a plain number, not a value" in message
    assert "missing a method" not in message
    # Said once; the other checks that stopped on it say so, as a sentence of their own. The
    # random expressions name the step that gave a number (the next one failed on it).
    shown = " ".join(str(report).split())  # unwrapped
    assert shown.count("The result is a plain number") == 1, shown
    assert shown.count("The same mistake as above.") == 3, shown
    assert re.search(r"stopped: v\d+ = squared_error\(x\d, x\d\) is -?[\d.]+, a float\.", shown), shown
    assert "as_value" not in shown
    for function in (squared_error_minus_target_data, squared_error_output_data_minus):
        message = first_failure(check_squared_error(MyValue, function))
        assert (
            f"Your {function.__name__}() computes with .data, a plain number, where a value belongs"
            in message
        )
        assert "return (output" in message  # the reader's line
        assert "__rsub__" not in message and "as_value" not in message, message

    def made_from_numbers(output: Any, target: Any) -> Any:
        return MyValue((output.data - target.data) ** 2)

    message = first_failure(check_squared_error(MyValue, made_from_numbers))
    assert "squared_error's result does not remember output and target" in message
    assert "its gradient is 2 * (o - y)" not in message


def test_a_number_in_an_operation_for_another_reason_is_not_blamed_on_data() -> None:
    MyValue, _ = make_building_value()

    def minus_a_constant(output: Any, target: Any) -> Any:  # a number, but not from .data
        return (output - 1.5) ** 2

    message = first_failure(check_squared_error(MyValue, minus_a_constant))
    assert "computes with .data" not in message and "plain number where it expected a value" in message

    def update(p: Any) -> None:  # .data on the line, but the None is the grad's: a PyTorch habit
        p.data -= 0.1 * p.grad

    p = MyValue(1.0)
    p.grad = None
    with pytest.raises(TypeError, match="NoneType") as raised:
        update(p)
    assert "computes with .data" not in _describe_error(raised.value, "")[1]


def backward_along(root: Any, order: list[Any]) -> None:
    """The rest of the page's my_backward once its walk has made ``order``: reset, seed, and the
    chain rule in reversed order (the tests' walks below each carry one slip)."""
    for v in order:
        v.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for child, local in zip(node._prev, node._local_grads, strict=True):
            child.grad += local * node.grad


def test_a_walk_whose_stack_is_never_popped_is_stopped_by_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its loop takes no counted step (no new iteration over _prev, no _backward call): only the
    time limit stops it, looked at from every call the code makes (here, order.append)."""
    monkeypatch.setattr(budget, "_SECONDS", 0.2)

    def my_backward(root: Value) -> None:  # the page's walk, without stack.pop()
        order: list[Value] = []
        visited = {root}
        stack = [(root, iter(root._prev))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in visited:
                    visited.add(child)
                    stack.append((child, iter(child._prev)))
                    break
            else:
                order.append(node)
        backward_along(root, order)

    before = sys.getprofile()
    message = first_failure(check_my_backward(my_backward))
    assert "stopped after more than 0.2 seconds" in message, message
    assert "a loop that never ends? A walk whose stack is never popped" in message
    assert sys.getprofile() is before  # the watch is gone


# -- Backprop step by step, exercise 3: a MyValue that keeps its local derivatives ----------------


def local_grads_value(mistake: str = "") -> type:
    """The page's MyValue with _local_grads, and one slip built in."""

    def pass_to_children(node: Any) -> None:
        for child, local in zip(node._prev, node._local_grads, strict=True):
            child.grad += local * node.grad

    class MyValue:
        def __init__(
            self, data: float, _children: Any = (), _op: str = "", _local_grads: Any = (), *, label: str = ""
        ) -> None:
            self.data = data
            self.grad = 0.0
            self._prev = tuple(_children)
            self._op = _op
            if mistake == "typo in __init__":
                self._local_grad = tuple(_local_grads)  # the slip: read as _local_grads elsewhere
            else:
                self._local_grads = tuple(_local_grads)
            self.label = label

        def __add__(self, other: Any) -> Any:
            local = (1.0,) if mistake == "one local derivative for +" else (1.0, 1.0)
            return MyValue(self.data + other.data, (self, other), "+", local)

        def __mul__(self, other: Any) -> Any:
            if mistake == "values as local grads":
                return MyValue(self.data * other.data, (self, other), "*", (other, self))
            return MyValue(self.data * other.data, (self, other), "*", (other.data, self.data))

        def tanh(self) -> Any:
            t = math.tanh(self.data)
            if mistake == "no comma":
                return MyValue(t, (self,), "tanh", (1 - t**2))  # the slip: a number, not a tuple
            return MyValue(t, (self,), "tanh", (1 - t**2,))

        def backward(self) -> None:
            order = iterative_order(self)
            for node in order:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in reversed(order):
                if mistake == "_backward":
                    node._backward()  # the lecture's step, which this class does not have
                else:
                    pass_to_children(node)

    return MyValue


def test_a_value_class_with_local_derivatives_names_its_slips() -> None:
    assert check_value(local_grads_value()).passed
    message = first_failure(check_value(local_grads_value("values as local grads")))
    assert "The local derivatives that * stores are values, not numbers" in message, message
    assert "as_value" not in message
    message = first_failure(check_value(local_grads_value("_backward")))
    assert "Your backward() calls _backward(), which values of this class do not have" in message, message
    assert "typo" not in message
    report = check_value(local_grads_value("no comma"))
    message = failure_of(report, "tanh(x) at x = 0.5")
    assert "A tuple of one number needs its comma, (x,)" in message, message
    assert 'return MyValue(t, (self,), "tanh", (1 - t**2))' in message  # the line that made it
    message = first_failure(check_value(local_grads_value("one local derivative for +")))
    assert "+ stores 1 local derivative for its 2 children: _local_grads holds one per child" in message
    message = first_failure(check_value(local_grads_value("typo in __init__")))
    assert "A MyValue has no _local_grads, but it has _local_grad: does your class set self._local_grad" in (
        " ".join(message.split())
    ), message
    assert "missing a method" not in message


def test_predictions_that_are_not_numbers_are_named_not_read() -> None:
    """None and text where a number belongs (tutorials 1 and 3) are named; text never passes as the
    number it spells. A label the page does not use is named with the keys given."""
    report = check_dead_relu({"w": None, "b": "0"})  # type: ignore[dict-item]
    assert "w.grad: you gave None, not a number: write your predicted number in its place" in str(report)
    assert "b.grad: you gave the text '0', not a number" in " ".join(str(report).split())
    assert not report.passed
    report = check_dead_relu({"W": 0.0, "B": 0.0})
    assert (
        "not given (the dictionary's keys are 'W', 'B'); give a prediction for w.grad under the label 'w'"
        in (" ".join(str(report).split()))
    )

    as_text = nudging(lambda fn, up, down, h: f"{(fn(*up) - fn(*down)) / (2 * h):.6f}")
    report = check_numerical_gradient(as_text)
    assert not report.passed
    assert "entry 0 of the list is the text '-2.000000', not a number" in " ".join(str(report).split())
    # A repeated mistake that is the thing given is not shortened into "gave the same mistake".
    assert "gave the same mistake" not in str(report) and "is the same mistake" not in str(report)


def test_a_function_in_arithmetic_and_a_caret_for_a_power_are_named() -> None:
    report = check_central_difference(
        lambda x, f, h=1e-5: (f(x + h) - f(x - h)) / (2 * h)
    )  # arguments swapped
    message = first_failure(report)
    assert (
        "A function was used as a number: are the arguments in the exercise's order, the function first?"
        in (message)
    )
    assert message.endswith("f instead of f(x)?"), message
    assert "the class has no" not in message
    report = check_second_derivative(lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / h ^ 2)  # type: ignore[operator]
    assert "^ is Python's exclusive or of two integers, not a power" in first_failure(report)


def test_the_blame_of_a_backward_mistake_names_backward_not_the_operation() -> None:
    """The line under the drawing agrees with the message: the loop or the order is at fault."""
    report = check_value(make_engine(mistakes=["reset leaves"]))
    assert "the second backward() reset the inputs' gradients" in " ".join(str(report).split())
    assert report.blame is not None
    assert "lost the gradient the first backward() gave it" in report.blame.culprit, report.blame.culprit
    assert report.blame.culprit.endswith("not *"), report.blame.culprit

    def no_visited_set(root: Any) -> None:  # the page's walk without its set: once per path
        order: list[Any] = []
        stack = [(root, iter(root._prev))]
        while stack:
            node, children = stack[-1]
            for child in children:
                stack.append((child, iter(child._prev)))
                break
            else:
                stack.pop()
                order.append(node)
        backward_along(root, order)

    report = check_my_backward(no_visited_set)
    assert report.blame is not None
    assert "a value in the topological order twice" in report.blame.culprit, report.blame.culprit
    assert "backward()'s order is at fault" in report.blame.culprit


def test_backward_order_x_grads_follow_the_readers_order_and_name_a_products_own_value() -> None:
    # A wrong order: its x-gradients are not judged along the right one (a red herring), only noted.
    report = check_backward_order(["y", "x", "x*w", "w"], [1, 1, 3, 3])
    x_grads = report.checks[-1]
    assert x_grads.advisory and "put the order right first" in x_grads.message
    assert "check what x*w adds" not in str(report)
    # The right order, x*w giving x its own value (3) rather than w's: named, not "accumulate".
    message = first_failure(check_backward_order(["y", "x*w", "x", "w"], [1, 4, 4, 4]))
    assert "each input of a product gets the *other* input's value" in message, message
    assert "accumulate" not in message
    # Text is not read as the number it spells.
    assert not check_backward_order(["y", "x*w", "x", "w"], ["1", "3", "3", "3"]).passed  # type: ignore[list-item]
