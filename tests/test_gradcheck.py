"""gradcheck passes correct gradients, catches wrong ones with a clear message, and agrees with torch."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import pytest

from micrograd.engine import Value
from micrograd.gradcheck import GradcheckError, GradcheckResult, gradcheck


def wrong_square(x: Value) -> Value:
    """x * x, recording the local derivative x instead of 2 * x."""
    return Value(x.data * x.data, (x,), "wrong_square", (x.data,))


def wrong_mul(x: Value, y: Value) -> Value:
    """x * y, with the right derivative for x but a wrong sign for y."""
    return Value(x.data * y.data, (x, y), "wrong_mul", (y.data, -x.data))


# Functions written with operations that a Value and a PyTorch tensor share, so the same
# function can be checked by both gradcheck implementations.
CORRECT: list[tuple[str, Callable[..., Any], list[float]]] = [
    ("polynomial", lambda x, y: x * x * y - 3 * y + 1 / x, [1.5, -0.5]),
    ("tanh and exp", lambda x, y: (x * y).tanh() + (0.5 * x).exp(), [0.3, -1.2]),
    ("sigmoid and log", lambda x, y: (x.sigmoid() + y).log(), [2.0, 0.7]),
    ("powers", lambda x, y: x**y + x**3 - y**-2, [1.7, 0.6]),
    ("division", lambda x, y, z: (x - y) / (z * z + 1), [0.2, -0.4, 1.1]),
    ("relu away from 0", lambda x, y: (x * y).relu() + (-x).relu(), [0.8, 1.5]),
    ("large curvature", lambda x: (x * x * 1e4).exp(), [0.03]),
]


@pytest.mark.parametrize(("name", "fn", "point"), CORRECT, ids=[c[0] for c in CORRECT])
def test_gradcheck_passes_on_correct_gradients(
    name: str, fn: Callable[..., Value], point: list[float]
) -> None:
    result = gradcheck(fn, point)
    assert result.ok
    assert result
    assert result.failed == ()
    assert result.notes == ("",) * len(point)
    assert result.max_abs_error <= result.atol + result.rtol * max(abs(n) for n in result.numeric)


def test_gradcheck_analytic_gradients_are_torchs(torch: ModuleType) -> None:
    for _, fn, point in CORRECT:
        leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
        expected = [g.item() for g in torch.autograd.grad(fn(*leaves), leaves)]
        result = gradcheck(fn, point)
        for ours, theirs in zip(result.analytic, expected, strict=True):
            assert math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-15)
        for numeric, theirs in zip(result.numeric, expected, strict=True):
            assert math.isclose(numeric, theirs, rel_tol=1e-6, abs_tol=1e-8)


def test_numeric_gradients_are_central_differences() -> None:
    # For a cubic, (f(x + h) - f(x - h)) / 2h is exactly f'(x) + h**2 * (third derivative) / 6:
    # 12 + 1e-6 for x**3 at 2 with h = 1e-3. A one-sided difference would be off by 3 * x * h = 6e-3.
    result = gradcheck(lambda x: x * x * x, [2.0], eps=1e-3)
    assert result.numeric[0] == pytest.approx(12.000001, rel=1e-10)
    assert result.analytic == (12.0,)


def test_gradcheck_raises_on_a_wrong_local_derivative_naming_input_and_both_values() -> None:
    with pytest.raises(GradcheckError) as info:
        gradcheck(wrong_square, [3.0])
    message = str(info.value)
    assert message.startswith(
        "gradcheck failed for inputs[0] = 3.0: analytic gradient 3, numeric 6 (error 3 > tolerance 0.00601)"
    )
    assert "<-- FAIL" in message
    assert isinstance(info.value, AssertionError)  # so a test that calls gradcheck fails like an assert
    assert info.value.result.failed == (0,)


def test_gradcheck_names_only_the_input_whose_gradient_is_wrong() -> None:
    result = gradcheck(wrong_mul, [2.0, 5.0], raise_exception=False)
    assert not result
    assert result.failed == (1,)
    assert result.analytic == (5.0, -2.0)
    assert result.numeric[1] == pytest.approx(2.0, rel=1e-9)
    assert result.max_abs_error == pytest.approx(4.0, rel=1e-9)
    assert result.max_rel_error == pytest.approx(2.0, rel=1e-9)  # |(-2) - 2| / max(2, 2)


def test_a_wrong_derivative_deep_inside_a_graph_is_caught() -> None:
    def f(x: Value, y: Value) -> Value:
        return (wrong_square(x.tanh() + y) * 2).exp()

    result = gradcheck(f, [0.4, 0.1], raise_exception=False)
    assert result.failed == (0, 1)
    assert result.notes == ("", "")  # a smooth function: no kink to report


def test_gradcheck_fails_at_a_kink_and_says_so() -> None:
    with pytest.raises(
        GradcheckError, match=r"(?s)inputs\[0\] = 0.0.*fn looks non-differentiable at inputs\[0\]"
    ):
        gradcheck(lambda x: x.relu(), [0.0])
    result = gradcheck(lambda x: x.relu(), [0.0], raise_exception=False)
    assert "slope is 0 from the left and 1 from the right" in result.notes[0]


# -- agreement with torch.autograd.gradcheck ------------------------------------------


def torch_wrong_square(torch: ModuleType) -> Callable[[Any], Any]:
    class WrongSquare(torch.autograd.Function):  # type: ignore[misc, name-defined]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            (x,) = ctx.saved_tensors
            return grad * x

    return WrongSquare.apply  # type: ignore[no-any-return]


def test_gradcheck_gives_torchs_verdict(torch: ModuleType) -> None:
    cases: list[tuple[Callable[..., Value], Callable[..., Any], Sequence[float]]] = [
        (fn, fn, point) for _, fn, point in CORRECT
    ]
    cases += [
        (lambda x: x.relu(), lambda x: x.relu(), [0.0]),  # a kink: both fail
        (wrong_square, torch_wrong_square(torch), [3.0]),
        (lambda x, y: wrong_square(x * y) + y, lambda x, y: torch_wrong_square(torch)(x * y) + y, [0.5, 2.0]),
    ]
    for ours_fn, torch_fn, point in cases:
        ours = gradcheck(ours_fn, point, raise_exception=False)
        leaves = tuple(torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point)
        theirs = torch.autograd.gradcheck(torch_fn, leaves, raise_exception=False)
        assert ours.ok == theirs, (point, ours)


def test_gradcheck_reports_the_numbers_torch_reports(torch: ModuleType) -> None:
    leaves = (torch.tensor(3.0, dtype=torch.float64, requires_grad=True),)
    with pytest.raises(RuntimeError) as info:  # torch.autograd.gradcheck.GradcheckError
        torch.autograd.gradcheck(torch_wrong_square(torch), leaves)
    numerical = re.search(r"numerical:tensor\(\[\[([-\d.e+]+)\]\]", str(info.value))
    analytical = re.search(r"analytical:tensor\(\[\[([-\d.e+]+)\]\]", str(info.value))
    assert numerical is not None and analytical is not None, str(info.value)
    ours = gradcheck(wrong_square, [3.0], raise_exception=False)
    assert ours.numeric[0] == pytest.approx(float(numerical.group(1)), rel=1e-4)
    assert ours.analytic[0] == pytest.approx(float(analytical.group(1)), rel=1e-4)


# -- the result -----------------------------------------------------------------------


def test_the_result_is_frozen_and_prints_a_table() -> None:
    result = gradcheck(lambda x, y: x * y, [2.0, -3.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ok = False  # type: ignore[misc]
    lines = str(result).splitlines()
    assert lines[0] == "gradcheck passed: 2 inputs, eps=1e-06, atol=1e-05, rtol=0.001"
    assert lines[1].split() == ["input", "value", "analytic", "numeric", "abs", "error", "rel", "error"]
    assert lines[2].split()[:4] == ["0", "2", "-3", "-3"]
    assert lines[3].split()[:4] == ["1", "-3", "2", "2"]
    assert isinstance(result, GradcheckResult)


def test_the_result_records_the_settings_it_used() -> None:
    result = gradcheck(lambda x: x.exp(), [1], eps=1e-4, atol=0.0, rtol=1e-6)
    assert (result.inputs, result.eps, result.atol, result.rtol) == ((1.0,), 1e-4, 0.0, 1e-6)


def test_a_tight_tolerance_turns_a_pass_into_a_failure() -> None:
    assert gradcheck(lambda x: x.exp(), [1.0], eps=1e-3)
    assert not gradcheck(lambda x: x.exp(), [1.0], eps=1e-3, atol=0.0, rtol=1e-9, raise_exception=False)


# -- bad input ------------------------------------------------------------------------


def test_an_error_at_the_point_itself_propagates_unchanged() -> None:
    with pytest.raises(ValueError, match=r"^log\(\) is only defined for positive inputs"):
        gradcheck(lambda x: x.log(), [-1.0])


def test_an_error_at_a_nudged_point_says_the_point_is_too_close_to_the_edge() -> None:
    with pytest.raises(ValueError, match=r"fn raised ValueError with inputs\[0\] nudged to -9e-07") as info:
        gradcheck(lambda x: x.log(), [1e-7])
    assert "within eps of the edge of fn's domain" in str(info.value)
    assert isinstance(info.value.__cause__, ValueError)


def test_fn_must_return_a_value() -> None:
    with pytest.raises(TypeError, match=r"gradcheck\(\): fn must return a Value, got 6.0 \(float\)"):
        gradcheck(lambda x: x.data * 2, [3.0])


@pytest.mark.parametrize(
    ("inputs", "error", "message"),
    [
        ([], ValueError, r"gradcheck\(\) needs at least one input"),
        ([1.0, math.inf], ValueError, r"inputs\[1\] must be finite, got inf"),
        ([True], TypeError, r"inputs\[0\] must be a number, got True \(bool\)"),
        (
            [Value(1.0)],
            TypeError,
            r"inputs\[0\] must be a number.*pass numbers: gradcheck makes its own Values",
        ),
        (2.0, TypeError, r"inputs must be a sequence of numbers"),
    ],
)
def test_bad_inputs_are_refused(inputs: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        gradcheck(lambda *xs: xs[0], inputs)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"eps": 0.0}, r"eps must be a finite positive number, got 0.0"),
        ({"eps": -1e-6}, r"eps must be a finite positive number"),
        ({"atol": -1.0}, r"atol must be a finite non-negative number, got -1.0"),
        ({"rtol": math.nan}, r"rtol must be a finite non-negative number, got nan"),
    ],
)
def test_bad_tolerances_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gradcheck(lambda x: x * x, [1.0], **options)


def test_an_eps_too_small_to_move_a_large_input_is_refused() -> None:
    with pytest.raises(ValueError, match=r"eps=1e-06 is too small to change inputs\[0\] = 1e\+20"):
        gradcheck(lambda x: x * 2, [1e20])


# -- the verdicts at their limits -----------------------------------------------------


def recorded_square(c: float, slope: float) -> Callable[[Value], Value]:
    """c * x * x, recording the local derivative ``slope * x`` (right when slope == 2 * c)."""

    def fn(x: Value) -> Value:
        return Value(c * x.data * x.data, (x,), "recorded_square", (slope * x.data,))

    return fn


def torch_recorded_square(torch: ModuleType, c: float, slope: float) -> Callable[[Any], Any]:
    """The same function and the same recorded derivative, as a PyTorch autograd Function."""

    class RecordedSquare(torch.autograd.Function):  # type: ignore[misc, name-defined]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return c * x * x

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            (x,) = ctx.saved_tensors
            return grad * slope * x

    return RecordedSquare.apply  # type: ignore[no-any-return]


def test_the_relative_error_is_measured_against_the_larger_of_the_two_gradients() -> None:
    # At x = 3: a wrong square records 3 where the slope is 6, and a double one 12. Both are
    # off by 50% of the larger gradient (|3 - 6| / 6 and |12 - 6| / 12), not by 100%.
    for slope in (1.0, 4.0):
        result = gradcheck(recorded_square(1.0, slope), [3.0], raise_exception=False)
        assert result.max_rel_error == pytest.approx(0.5, rel=1e-6)
        assert str(result).splitlines()[2].split()[5] == "5.0e-01"  # the table's rel error


@pytest.mark.parametrize(
    ("c", "slope", "passes"),
    [
        (0.95, 1.0, True),  # analytic 1, numeric 1.9: |1 - 1.9| = 0.9 <= 0.5 * 1.9
        (0.5, 1.9, False),  # analytic 1.9, numeric 1: |1.9 - 1| = 0.9 > 0.5 * 1
    ],
    ids=["within rtol of the numeric gradient", "within rtol of the analytic gradient only"],
)
def test_the_tolerance_scales_with_the_numeric_gradient_as_torch_allclose_does(
    c: float, slope: float, passes: bool
) -> None:
    result = gradcheck(recorded_square(c, slope), [1.0], atol=0.0, rtol=0.5, raise_exception=False)
    assert result.ok is passes
    assert result.failed == (() if passes else (0,))


@pytest.mark.parametrize(("c", "slope"), [(0.95, 1.0), (0.5, 1.9)])
def test_the_tolerance_at_its_limit_gives_torchs_verdict(torch: ModuleType, c: float, slope: float) -> None:
    ours = gradcheck(recorded_square(c, slope), [1.0], atol=0.0, rtol=0.5, raise_exception=False)
    leaf = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    theirs = torch.autograd.gradcheck(
        torch_recorded_square(torch, c, slope), (leaf,), atol=0.0, rtol=0.5, raise_exception=False
    )
    assert ours.ok == theirs


def test_a_smooth_function_checked_with_a_large_step_is_not_called_non_differentiable() -> None:
    # With eps = 0.1 the one-sided slopes of x**2 at 3 are 5.9 and 6.1: they differ by
    # 2 * eps, far beyond the tolerance, but the difference grows tenfold with a tenfold
    # step, so it is curvature, not a kink.
    result = gradcheck(wrong_square, [3.0], eps=0.1, raise_exception=False)
    assert result.failed == (0,)
    assert result.notes == ("",)
    # A real kink is still named at the same step: relu's slopes 0 and 1 do not change with it.
    kink = gradcheck(lambda x: x.relu(), [0.0], eps=0.1, raise_exception=False)
    assert "looks non-differentiable at inputs[0] = 0.0" in kink.notes[0]


def test_a_large_step_gives_torchs_verdicts(torch: ModuleType) -> None:
    leaf = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    wrong = torch.autograd.gradcheck(torch_wrong_square(torch), (leaf,), eps=0.1, raise_exception=False)
    right = torch.autograd.gradcheck(lambda x: x * x, (leaf,), eps=0.1, raise_exception=False)
    assert (wrong, right) == (False, True)
    assert not gradcheck(wrong_square, [3.0], eps=0.1, raise_exception=False)
    assert gradcheck(lambda x: x * x, [3.0], eps=0.1)
