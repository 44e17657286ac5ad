"""Bad input fails at once, at the user's call, with an exception naming the operation and the value.

Nothing silently becomes a NaN or an infinite gradient: where Python's own float
arithmetic would raise (or return ``inf``), the engine raises, and the gradients of the
inputs it refused are untouched.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Neuron

# (description, the bad call, the exception it raises, fragments its message must contain)
BAD_INPUTS: list[tuple[str, Callable[[], Any], type[Exception], tuple[str, ...]]] = [
    # non-numeric data
    ("Value of a string", lambda: Value("3"), TypeError, ("Value()", "'3'", "str")),
    ("Value of None", lambda: Value(None), TypeError, ("Value()", "None")),
    ("Value of a list", lambda: Value([1.0]), TypeError, ("Value()", "[1.0]")),
    ("Value of True", lambda: Value(True), TypeError, ("Value()", "True", "bool")),
    ("Value of False", lambda: Value(False), TypeError, ("Value()", "False", "bool")),
    ("Value of NaN", lambda: Value(math.nan), ValueError, ("Value()", "nan")),
    ("Value of inf", lambda: Value(math.inf), ValueError, ("Value()", "inf")),
    ("Value of -inf", lambda: Value(-math.inf), ValueError, ("Value()", "-inf")),
    ("Value of an int too large for a float", lambda: Value(10**400), OverflowError, ("Value()", "10000")),
    # operands that are not numbers
    ("Value + string", lambda: Value(2.0) + "a", TypeError, ("+", "'a'", "str")),
    ("string + Value", lambda: "a" + Value(2.0), TypeError, ("+", "'a'", "str")),
    ("Value - string", lambda: Value(2.0) - "a", TypeError, ("-", "'a'")),
    ("string - Value", lambda: "a" - Value(2.0), TypeError, ("-", "'a'")),
    ("Value * None", lambda: Value(2.0) * None, TypeError, ("*", "None")),
    ("list * Value", lambda: [1.0] * Value(2.0), TypeError, ("*", "[1.0]")),
    ("Value / string", lambda: Value(2.0) / "a", TypeError, ("/", "'a'")),
    ("string / Value", lambda: "a" / Value(2.0), TypeError, ("/", "'a'")),
    ("Value ** string", lambda: Value(2.0) ** "2", TypeError, ("**", "'2'")),
    ("string ** Value", lambda: "2" ** Value(2.0), TypeError, ("**", "'2'")),
    ("Value + bool", lambda: Value(2.0) + True, TypeError, ("+", "True", "bool")),
    ("Value + an int too large", lambda: Value(2.0) + 10**400, OverflowError, ("+", "10000")),
    ("Value + NaN", lambda: Value(2.0) + math.nan, ValueError, ("+", "nan")),
    ("inf * Value", lambda: math.inf * Value(2.0), ValueError, ("*", "inf")),
    ("Value / inf", lambda: Value(2.0) / math.inf, ValueError, ("/", "inf")),
    ("Value ** NaN", lambda: Value(2.0) ** math.nan, ValueError, ("**", "nan")),
    ("Value ** inf", lambda: Value(0.5) ** math.inf, ValueError, ("**", "inf")),
    ("inf ** Value", lambda: math.inf ** Value(2.0), ValueError, ("**", "inf")),
    # division by zero
    ("Value / 0", lambda: Value(2.0) / 0, ZeroDivisionError, ("division by zero", "Value(data=2.0)")),
    ("Value / Value(0)", lambda: Value(2.0) / Value(0.0), ZeroDivisionError, ("division", "Value(data=0.0)")),
    ("number / Value(0)", lambda: 3 / Value(0.0), ZeroDivisionError, ("division", "Value(data=3.0)")),
    ("number / Value(-0.0)", lambda: 3 / Value(-0.0), ZeroDivisionError, ("division", "Value(data=-0.0)")),
    # log outside its domain
    ("log of 0", lambda: Value(0.0).log(), ValueError, ("log()", "Value(data=0.0)")),
    ("log of a negative", lambda: Value(-2.0).log(), ValueError, ("log()", "Value(data=-2.0)")),
    # powers
    ("0 ** negative", lambda: Value(0.0) ** -1, ZeroDivisionError, ("**", "Value(data=0.0)", "-1")),
    ("0 ** -0.5", lambda: Value(0.0) ** -0.5, ZeroDivisionError, ("**", "Value(data=0.0)", "-0.5")),
    ("negative ** 0.5", lambda: Value(-2.0) ** 0.5, ValueError, ("**", "Value(data=-2.0)", "0.5")),
    ("negative ** -1.5", lambda: Value(-2.0) ** -1.5, ValueError, ("**", "Value(data=-2.0)", "-1.5")),
    ("0 ** 0.5 (infinite slope)", lambda: Value(0.0) ** 0.5, ValueError, ("**", "Value(data=0.0)", "0.5")),
    (
        "negative ** Value",
        lambda: Value(-2.0) ** Value(2.0),
        ValueError,
        ("**", "positive base", "Value(data=-2.0)", "Value(data=2.0)"),
    ),
    ("0 ** Value", lambda: Value(0.0) ** Value(2.0), ValueError, ("**", "positive base", "Value(data=0.0)")),
    ("negative number ** Value", lambda: (-2) ** Value(2.0), ValueError, ("**", "Value(data=-2.0)")),
    # results too large for a float
    ("exp overflow", lambda: Value(710.0).exp(), OverflowError, ("exp()", "Value(data=710.0)")),
    ("* overflow", lambda: Value(1e200) * 1e200, OverflowError, ("*", "Value(data=1e+200)")),
    ("number * overflow", lambda: 1e200 * Value(1e200), OverflowError, ("*", "Value(data=1e+200)")),
    ("+ overflow", lambda: Value(1.7e308) + 1.7e308, OverflowError, ("+", "Value(data=1.7e+308)")),
    ("- overflow", lambda: Value(-1.7e308) - 1.7e308, OverflowError, ("-", "Value(data=-1.7e+308)")),
    ("/ overflow", lambda: Value(1e300) / 1e-10, OverflowError, ("/", "Value(data=1e+300)", "1e-10")),
    ("** overflow", lambda: Value(10.0) ** 400, OverflowError, ("**", "Value(data=10.0)", "400")),
    (
        "** derivative overflow",
        lambda: Value(5e-324) ** 0.01,
        OverflowError,
        ("the derivative of", "Value(data=5e-324)", "0.01"),
    ),
    (
        "Value ** Value overflow",
        lambda: Value(10.0) ** Value(400.0),
        OverflowError,
        ("**", "Value(data=10.0)", "Value(data=400.0)"),
    ),
    ("number ** Value overflow", lambda: 2 ** Value(2000.0), OverflowError, ("**", "Value(data=2000.0)")),
    # a neuron's weighted sum
    (
        "weighted_sum of different lengths",
        lambda: Value.weighted_sum([Value(1.0)], [1.0, 2.0], 0.0),
        ValueError,
        ("weighted_sum()", "2 inputs", "1 weights"),
    ),
    (
        "weighted_sum with a string",
        lambda: Value.weighted_sum([Value(1.0)], ["2"], 0.0),
        TypeError,
        ("'2'", "str"),
    ),
    (
        "weighted_sum overflow",
        lambda: Value.weighted_sum([Value(1e200)], [1e200], 0.0),
        OverflowError,
        ("overflow", "Value(data=1e+200)"),
    ),
]


@pytest.mark.parametrize(
    ("description", "call", "error", "fragments"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_raises_a_clear_error(
    description: str, call: Callable[[], Any], error: type[Exception], fragments: tuple[str, ...]
) -> None:
    with pytest.raises(error) as excinfo:
        call()
    assert type(excinfo.value) is error  # not merely a subclass (ZeroDivisionError is an ArithmeticError)
    message = str(excinfo.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from {message!r}"


def test_a_refused_op_leaves_its_operands_untouched() -> None:
    x = Value(-2.0)
    y = x * 3
    with pytest.raises(ValueError):
        y.log()
    assert (x.data, x.grad, y.data, y.grad) == (-2.0, 0, -6.0, 0)
    y.backward()  # the graph still works
    assert x.grad == 3.0


def test_a_gradient_that_overflows_raises_in_backward() -> None:
    x = Value(1e-300)
    y = x * 1e300 * 1e300  # y = 1e300 is a float, dy/dx = 1e600 is not
    with pytest.raises(OverflowError) as excinfo:
        y.backward()
    message = str(excinfo.value)
    assert "backward()" in message
    assert "Value(data=1e-300)" in message


def test_a_zero_gradient_behind_an_overflowing_slope_gives_zero_not_nan() -> None:
    # y = (1/x) * 0 is 0 for every x, so dy/dx = 0; the slope of 1/x, -1e600, overflows,
    # but a node whose gradient is 0 passes nothing on (0 * inf would be NaN).
    x = Value(1e-300)
    y = (1 / x) * 0
    y.backward()
    assert x.grad == 0.0


def test_valid_inputs_near_the_edges_give_finite_gradients() -> None:
    # Inputs just inside each refused region still work, and no gradient is NaN or infinite.
    leaves = [Value(709.0), Value(1e-300), Value(-1000.0), Value(1000.0), Value(1e154), Value(0.0)]
    a, b, c, d, e, f = leaves
    out = a.exp() * 1e-300 + b.log() + c.tanh() + d.sigmoid() + c.sigmoid() + e * e * 1e-300 + f**2 + f.relu()
    out.backward()
    for leaf in leaves:
        assert math.isfinite(leaf.grad), leaf
    assert f.grad == 0.0


# -- nn -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: Neuron(3, activation="softmax"),
        lambda: Layer(3, 2, activation="ReLU"),
        lambda: MLP(3, [4, 1], activation="gelu"),
        lambda: MLP(3, [4, 1], output_activation="Tanh"),
    ],
    ids=["Neuron", "Layer", "MLP activation", "MLP output_activation"],
)
def test_an_unknown_activation_raises_a_value_error_naming_it(build: Callable[[], Any]) -> None:
    with pytest.raises(ValueError, match=r"unknown activation '(softmax|ReLU|gelu|Tanh)'.*'relu'"):
        build()


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Neuron(0), "nin=0"),
        (lambda: Layer(2, 0), "nout=0"),
        (lambda: MLP(2, []), "nouts=[]"),
    ],
    ids=["Neuron without inputs", "Layer without neurons", "MLP without layers"],
)
def test_an_empty_network_raises_a_value_error(build: Callable[[], Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        build()


def test_an_input_of_the_wrong_length_raises_a_value_error() -> None:
    neuron = Neuron(3, rng=random.Random(0))
    with pytest.raises(ValueError, match="takes 3 inputs, got 2"):
        neuron([1.0, 2.0])
    with pytest.raises(ValueError, match="takes 3 inputs, got 4"):
        MLP(3, [2, 1], rng=random.Random(0))([1.0, 2.0, 3.0, 4.0])


# -- only gradients that reach values you created may raise ---------------------------------------


def test_an_overflowing_gradient_of_a_constant_you_wrote_does_not_raise(torch: ModuleType) -> None:
    # d(2**x)/d(2) = x * 2**(x - 1) = 1023 * 2**1022 overflows, but nobody asked for the gradient
    # of the 2; d(2**x)/dx = 2**x * log(2) = 6.2e307 is a float.
    x = Value(1023.0)
    (2**x).backward()
    tx = torch.tensor(1023.0, dtype=torch.float64, requires_grad=True)
    (2**tx).backward()
    assert x.grad == pytest.approx(tx.grad.item(), rel=1e-12)


def test_a_constant_next_to_an_overflowing_gradient_of_yours_still_raises() -> None:
    x = Value(1e-300)
    with pytest.raises(OverflowError, match=r"Value\(data=1e-300\)"):
        (x * 1e300 * 1e300 + 2**x).backward()


def test_an_overflowing_local_derivative_is_named_in_the_message() -> None:
    # log(x) * 1e-20 has the finite derivative 1e-20 / x = 1e290, but the local derivative
    # of log, 1/x = 1e310, is not a float: the message says so, and changes nothing.
    x = Value(1e-310)
    x.grad = 0.5
    with pytest.raises(OverflowError) as excinfo:
        (x.log() * 1e-20).backward()
    message = str(excinfo.value)
    assert "local derivative of 'log'" in message
    assert "Value(data=1e-310)" in message
    assert "No .grad was changed" in message
    assert x.grad == 0.5


def test_an_overflowing_local_derivative_of_a_division_is_named_in_the_message() -> None:
    a = Value(1e-10)
    with pytest.raises(OverflowError, match=r"local derivative of '/' with respect to Value\(data=1e-10\)"):
        (a / 1e-310 * 1e-300).backward()  # d/da = 1e-300 / 1e-310 = 1e10, but 1 / 1e-310 overflows


def test_relu_of_a_log_of_a_subnormal_gives_zero_gradient_not_nan(torch: ModuleType) -> None:
    x = Value(1e-310)
    x.log().relu().backward()  # log(x) = -713.8 < 0, so relu passes nothing back
    tx = torch.tensor(1e-310, dtype=torch.float64, requires_grad=True)
    tx.log().relu().backward()
    assert x.grad == tx.grad.item() == 0.0


def test_a_gradient_that_overflows_in_a_sum_of_finite_terms_says_where() -> None:
    x = Value(1e-300)
    with pytest.raises(OverflowError, match=r"reaching Value\(data=1e-300\) add up to inf"):
        (x * 1e308 + x * 1e308).backward()  # each use gives 1e308, together 2e308


# -- clear messages for the probes that used to give Python's own -------------------------------


def test_a_gradient_of_none_gets_a_clear_error_in_backward_and_changes_nothing() -> None:
    x, w = Value(2.0), Value(3.0)
    w.grad = None  # type: ignore[assignment]  # the PyTorch habit
    x.grad = 0.5
    with pytest.raises(TypeError, match=r"Value\(data=3\.0\) has grad=None.*not to None"):
        (x * w).backward()
    assert x.grad == 0.5


@pytest.mark.parametrize("digits", [400, 5000])
def test_an_int_too_large_for_a_float_gets_a_message_that_can_be_printed(digits: int) -> None:
    huge = 10**digits
    for build in (lambda: Value(1.0) * huge, lambda: Value(huge)):
        with pytest.raises(OverflowError, match="too large for a float") as excinfo:
            build()
        assert len(str(excinfo.value)) < 200


def test_a_loss_target_too_large_for_a_float_gets_a_clear_error() -> None:
    from micrograd.losses import mse_loss

    for huge in (10**400, 10**5000):
        with pytest.raises(ValueError, match=r"mse_loss\(\): targets\[0\] is too large for a float"):
            mse_loss([Value(1.0)], [huge])


def test_a_loss_sum_that_overflows_names_the_reduction_not_fsum() -> None:
    from micrograd.losses import mse_loss

    with pytest.raises(OverflowError, match="the sum of the 2 per-sample losses overflows") as excinfo:
        mse_loss([Value(1e154), Value(1.1e154)], [0.0, 0.0], reduction="sum")
    assert "fsum" not in str(excinfo.value)


def test_gradcheck_refuses_an_input_too_large_for_a_float_clearly() -> None:
    from micrograd.gradcheck import gradcheck

    with pytest.raises(ValueError, match=r"inputs\[0\] must be finite, got an int of about 5000 digits"):
        gradcheck(lambda x: x * 2, [10**5000])
