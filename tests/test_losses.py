"""The losses give PyTorch's values and gradients, and refuse bad input with a clear message."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import pytest
from dependencies import require
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd.engine import Value
from micrograd.losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    mse_loss,
    softmax,
)

REDUCTIONS = ["mean", "sum", "none"]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-14)


def tensor(xs: Any, grad: bool = True) -> Any:
    import torch

    return torch.tensor(xs, dtype=torch.float64, requires_grad=grad)


def backward_both(ours: Value | list[Value], theirs: Any, reduction: str, rng: random.Random) -> None:
    """Backpropagate both results; for "none", through the same random weighting of the samples."""
    if reduction == "none":
        assert isinstance(ours, list)
        weights = [rng.uniform(-2, 2) for _ in ours]
        total = sum((w * v for w, v in zip(weights, ours, strict=True)), Value(0.0))
        total.backward()
        (theirs * tensor(weights, grad=False)).sum().backward()
    else:
        assert isinstance(ours, Value)
        ours.backward()
        theirs.backward()


def assert_result_matches(ours: Value | list[Value], theirs: Any, reduction: str) -> None:
    if reduction == "none":
        assert isinstance(ours, list)
        assert len(ours) == theirs.shape[0]
        for v, t in zip(ours, theirs.tolist(), strict=True):
            assert close(v.data, t), (v.data, t)
    else:
        assert isinstance(ours, Value)
        assert close(ours.data, theirs.item()), (ours.data, theirs.item())


def assert_grads_match(values: Sequence[Value], theirs: Any) -> None:
    for v, g in zip(values, theirs.grad.flatten().tolist(), strict=True):
        assert close(v.grad, g), (v.grad, g)


# -- mse_loss -------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss_value_and_gradients_match_torch(torch: ModuleType, reduction: str) -> None:
    F = torch.nn.functional
    rng = random.Random(1)
    p_data = [rng.uniform(-3, 3) for _ in range(7)]
    t_data = [rng.uniform(-3, 3) for _ in range(7)]
    p, t = [Value(x) for x in p_data], [Value(x) for x in t_data]
    tp, tt = tensor(p_data), tensor(t_data)

    ours = mse_loss(p, t, reduction=reduction)  # type: ignore[call-overload]
    theirs = F.mse_loss(tp, tt, reduction=reduction)
    assert_result_matches(ours, theirs, reduction)
    backward_both(ours, theirs, reduction, rng)
    assert_grads_match(p, tp)
    assert_grads_match(t, tt)  # targets that are Values get gradients, as in torch


def test_mse_loss_accepts_plain_numbers_for_targets(torch: ModuleType) -> None:
    F = torch.nn.functional
    p = [Value(1.5), Value(-2.0)]
    loss = mse_loss(p, [1, -1.0])
    loss.backward()
    tp = tensor([1.5, -2.0])
    F.mse_loss(tp, tensor([1.0, -1.0], grad=False)).backward()
    assert close(loss.data, F.mse_loss(tp, tensor([1.0, -1.0])).item())
    assert_grads_match(p, tp)


def test_mean_reduction_is_a_single_node_over_all_samples() -> None:
    p = [Value(float(i)) for i in range(100)]
    loss = mse_loss(p, [0.0] * 100)
    assert loss._op == "mean"
    assert len(loss._prev) == 100


# -- hinge_loss -----------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_loss_matches_torch_relu_of_one_minus_margin(torch: ModuleType, reduction: str) -> None:
    rng = random.Random(2)
    # Scores on both sides of the margin, and exactly on it (where relu's derivative is 0 in both).
    s_data = [2.0, 0.5, -1.0, 1.0, -0.25, 3.0, -3.0, -1.0]
    y_data = [1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0]
    s = [Value(x) for x in s_data]
    ts = tensor(s_data)
    ty = tensor(y_data, grad=False)

    ours = hinge_loss(s, [int(y) for y in y_data], reduction=reduction)  # type: ignore[call-overload]
    per_sample = torch.relu(1 - ty * ts)
    theirs = {"mean": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample}[reduction]
    assert_result_matches(ours, theirs, reduction)
    backward_both(ours, theirs, reduction, rng)
    assert_grads_match(s, ts)


def test_hinge_loss_is_the_classic_two_moons_loss() -> None:
    scores = [Value(0.3), Value(-2.0), Value(1.7)]
    labels = [1, 1, -1]
    classic = [(1 + -yi * si).relu() for yi, si in zip(labels, scores, strict=True)]
    classic_mean = sum(v.data for v in classic) / len(classic)
    assert close(hinge_loss(scores, labels).data, classic_mean)


# -- binary_cross_entropy_with_logits ------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_matches_torch_including_huge_logits(torch: ModuleType, reduction: str) -> None:
    F = torch.nn.functional
    rng = random.Random(3)
    z_data = [0.0, 1000.0, -1000.0, 1000.0, -1000.0, 35.0, -35.0, 0.7, -2.5, 1e-9]
    y_data = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.25, 0.9, 0.5]  # probabilities are allowed too
    z, y = [Value(x) for x in z_data], [Value(x) for x in y_data]
    tz, ty = tensor(z_data), tensor(y_data)

    ours = binary_cross_entropy_with_logits(z, y, reduction=reduction)  # type: ignore[call-overload]
    theirs = F.binary_cross_entropy_with_logits(tz, ty, reduction=reduction)
    assert_result_matches(ours, theirs, reduction)
    backward_both(ours, theirs, reduction, rng)
    assert_grads_match(z, tz)
    assert_grads_match(y, ty)


def test_bce_with_logits_confident_mistake_costs_the_logit() -> None:
    z = Value(-1000.0)
    loss = binary_cross_entropy_with_logits([z], [1])
    loss.backward()
    assert loss.data == 1000.0  # -log(sigmoid(-1000)) = 1000 + log(1 + e**-1000)
    assert z.grad == -1.0  # sigmoid(-1000) - 1, with no overflow on the way


# -- softmax and cross_entropy -------------------------------------------------------


def test_softmax_values_and_gradients_match_torch(torch: ModuleType) -> None:
    rng = random.Random(4)
    z_data = [1.0, -2.0, 0.5, 800.0, 799.0]
    z = [Value(x) for x in z_data]
    tz = tensor(z_data)
    probs = softmax(z)
    theirs = torch.softmax(tz, dim=0)
    for p, t in zip(probs, theirs.tolist(), strict=True):
        assert close(p.data, t)
    assert close(sum(p.data for p in probs), 1.0)
    backward_both(probs, theirs, "none", rng)
    assert_grads_match(z, tz)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_matches_torch_including_huge_logits(torch: ModuleType, reduction: str) -> None:
    F = torch.nn.functional
    rng = random.Random(5)
    rows = [[rng.uniform(-4, 4) for _ in range(4)] for _ in range(5)]
    rows += [[1000.0, -1000.0, 0.0, 999.0], [-1000.0, -1000.0, -1000.0, -1000.0], [1e5, 0.0, 0.0, -1e5]]
    targets = [0, 3, 1, 2, 2, 3, 0, 3]
    logits = [[Value(x) for x in row] for row in rows]
    tl = tensor(rows)

    ours = cross_entropy(logits, targets, reduction=reduction)  # type: ignore[call-overload]
    theirs = F.cross_entropy(tl, torch.tensor(targets), reduction=reduction)
    assert_result_matches(ours, theirs, reduction)
    backward_both(ours, theirs, reduction, rng)
    assert_grads_match([v for row in logits for v in row], tl)


def test_cross_entropy_of_a_confident_wrong_answer_is_the_logit_gap() -> None:
    z = [Value(0.0), Value(1e5)]
    loss = cross_entropy([z], [0])
    loss.backward()
    assert loss.data == 1e5  # exp(1e5) overflows; the log-sum-exp trick does not need it
    assert [v.grad for v in z] == [-1.0, 1.0]


def test_cross_entropy_accepts_plain_numbers_and_numpy(torch: ModuleType) -> None:
    F = torch.nn.functional
    np = require("numpy")
    logits = np.array([[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]])
    targets = np.array([2, 0])
    ours = cross_entropy(logits, targets)
    theirs = F.cross_entropy(torch.tensor(logits), torch.tensor(targets))
    assert close(ours.data, theirs.item())


def test_hinge_loss_accepts_numpy_labels() -> None:
    np = require("numpy")
    y = np.array([0, 1, 1]) * 2 - 1  # the two-moons recipe: labels in {-1, 1} as numpy ints
    s = [Value(0.5), Value(0.5), Value(-0.5)]
    assert close(hinge_loss(s, y).data, (1.5 + 0.5 + 1.5) / 3)


# -- any logits, however large --------------------------------------------------------

LOGITS = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


def exact_bce(z: float, y: float) -> float:
    """-(y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))) to 50 digits, as a sum of non-negative terms."""
    mpmath = require("mpmath")
    with mpmath.workdps(50):
        z_, y_ = mpmath.mpf(z), mpmath.mpf(y)
        if z >= 0:
            return float((1 - y_) * z_ + mpmath.log1p(mpmath.exp(-z_)))
        return float(-y_ * z_ + mpmath.log1p(mpmath.exp(z_)))


def exact_cross_entropy(row: Sequence[float], k: int) -> float:
    """log(sum_j e**z_j) - z_k = log(1 + sum_{j != k} e**(z_j - z_k)) to 50 digits."""
    mpmath = require("mpmath")
    with mpmath.workdps(50):
        rest = mpmath.fsum(mpmath.exp(mpmath.mpf(zj) - row[k]) for j, zj in enumerate(row) if j != k)
        return float(mpmath.log1p(rest))


@settings(max_examples=100, deadline=None)
@given(samples=st.lists(st.tuples(LOGITS, st.floats(0.0, 1.0)), min_size=1, max_size=6))
def test_bce_with_logits_is_exact_and_matches_torch_for_any_logits(
    torch: ModuleType, samples: list[tuple[float, float]]
) -> None:
    z = [Value(zi) for zi, _ in samples]
    y = [yi for _, yi in samples]
    tz = tensor([zi for zi, _ in samples])
    ours = binary_cross_entropy_with_logits(z, y, reduction="none")
    theirs = torch.nn.functional.binary_cross_entropy_with_logits(tz, tensor(y, grad=False), reduction="none")
    for v, t, (zi, yi) in zip(ours, theirs.tolist(), samples, strict=True):
        assert math.isclose(v.data, exact_bce(zi, yi), rel_tol=1e-12, abs_tol=1e-300)
        # torch rounds more: it adds and subtracts terms of size |z|, and takes log(1 + e**-|z|)
        # without log1p, so its error is up to about |z| * 1e-16 absolute.
        assert math.isclose(v.data, t, rel_tol=1e-12, abs_tol=1e-14 * max(1.0, abs(zi))), (v.data, t)
    sum(ours, Value(0.0)).backward()
    theirs.sum().backward()
    assert_grads_match(z, tz)


def test_bce_with_logits_keeps_the_digits_of_a_tiny_loss() -> None:
    loss = binary_cross_entropy_with_logits([-22.0], [0.0])
    assert math.isclose(loss.data, exact_bce(-22.0, 0.0), rel_tol=1e-15)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), num_classes=st.integers(1, 5), num_samples=st.integers(1, 4))
def test_cross_entropy_is_exact_and_matches_torch_for_any_logits(
    torch: ModuleType, data: st.DataObject, num_classes: int, num_samples: int
) -> None:
    row_strategy = st.lists(LOGITS, min_size=num_classes, max_size=num_classes)
    rows = data.draw(st.lists(row_strategy, min_size=num_samples, max_size=num_samples))
    targets = data.draw(st.lists(st.integers(0, num_classes - 1), min_size=num_samples, max_size=num_samples))
    logits = [[Value(x) for x in row] for row in rows]
    tl = tensor(rows)
    ours = cross_entropy(logits, targets, reduction="none")
    theirs = torch.nn.functional.cross_entropy(tl, torch.tensor(targets), reduction="none")
    for v, t, row, k in zip(ours, theirs.tolist(), rows, targets, strict=True):
        assert math.isclose(v.data, exact_cross_entropy(row, k), rel_tol=1e-12, abs_tol=1e-300)
        assert math.isclose(v.data, t, rel_tol=1e-12, abs_tol=1e-14 * max(1.0, *map(abs, row))), (v.data, t)
    sum(ours, Value(0.0)).backward()
    theirs.sum().backward()
    assert_grads_match([v for row in logits for v in row], tl)


def test_cross_entropy_keeps_the_digits_of_a_tiny_loss() -> None:
    loss = cross_entropy([[30.0, 0.0, 0.0]], [0])
    assert math.isclose(loss.data, exact_cross_entropy([30.0, 0.0, 0.0], 0), rel_tol=1e-15)


# -- bad input ------------------------------------------------------------------------

LOSSES: list[tuple[str, Callable[..., Any], list[Any], list[Any]]] = [
    ("mse_loss", mse_loss, [Value(1.0), Value(2.0)], [0.0, 1.0]),
    ("hinge_loss", hinge_loss, [Value(1.0), Value(2.0)], [1, -1]),
    ("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits, [Value(1.0), Value(2.0)], [0, 1]),
    ("cross_entropy", cross_entropy, [[Value(1.0), Value(2.0)], [Value(0.0), Value(0.0)]], [0, 1]),
]


@pytest.mark.parametrize(("name", "fn", "good_x", "good_y"), LOSSES, ids=[entry[0] for entry in LOSSES])
class TestEveryLossRefuses:
    def test_an_unknown_reduction(self, name: str, fn: Callable[..., Any], good_x: Any, good_y: Any) -> None:
        with pytest.raises(ValueError, match=rf"{name}\(\): unknown reduction 'avg'; choose one of 'mean'"):
            fn(good_x, good_y, reduction="avg")

    def test_an_empty_batch(self, name: str, fn: Callable[..., Any], good_x: Any, good_y: Any) -> None:
        with pytest.raises(ValueError, match=rf"{name}\(\) needs at least one sample"):
            fn([], [])

    def test_a_length_mismatch(self, name: str, fn: Callable[..., Any], good_x: Any, good_y: Any) -> None:
        with pytest.raises(
            ValueError, match=rf"{name}\(\): got 2 .* but 1 targets|{name}\(\): got 2 .* 1 labels"
        ):
            fn(good_x, good_y[:1])

    def test_a_single_value_instead_of_a_batch(
        self, name: str, fn: Callable[..., Any], good_x: Any, good_y: Any
    ) -> None:
        with pytest.raises(TypeError, match=rf"{name}\(\): .* must be a sequence.*got Value\(data=1.0\)"):
            fn(Value(1.0), good_y)

    def test_a_string_in_the_batch(self, name: str, fn: Callable[..., Any], good_x: Any, good_y: Any) -> None:
        bad_x = [["1.0", "2.0"]] * 2 if name == "cross_entropy" else ["1.0", "2.0"]
        with pytest.raises(
            TypeError, match=rf"{name}\(\): .*\[0\] must be a Value or a number, got '1.0' \(str\)"
        ):
            fn(bad_x, good_y)


def test_a_non_finite_prediction_is_refused() -> None:
    with pytest.raises(ValueError, match=r"mse_loss\(\): predictions\[1\] must be finite, got nan"):
        mse_loss([1.0, math.nan], [0.0, 0.0])


def test_hinge_loss_refuses_labels_other_than_plus_minus_one() -> None:
    with pytest.raises(ValueError, match=r"hinge_loss\(\): labels must be -1 or 1, got labels\[1\] = 0.0"):
        hinge_loss([Value(1.0), Value(2.0)], [1, 0])


@pytest.mark.parametrize("bad", [-0.5, 1.5])
def test_bce_refuses_targets_outside_zero_one(bad: float) -> None:
    with pytest.raises(
        ValueError,
        match=rf"binary_cross_entropy_with_logits\(\): targets must be in \[0, 1\], got targets\[0\] = {bad}",
    ):
        binary_cross_entropy_with_logits([Value(1.0)], [bad])


@pytest.mark.parametrize("bad", [3, -1])
def test_cross_entropy_refuses_a_class_index_out_of_range(bad: int) -> None:
    with pytest.raises(
        ValueError, match=rf"cross_entropy\(\): targets\[1\] = {bad} is not a class index in range\(3\)"
    ):
        cross_entropy([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], [0, bad])


@pytest.mark.parametrize("bad", [1.0, True, "1"])
def test_cross_entropy_refuses_a_target_that_is_not_an_int(bad: object) -> None:
    with pytest.raises(TypeError, match=r"cross_entropy\(\): targets\[0\] must be an int class index"):
        cross_entropy([[1.0, 2.0]], [bad])  # type: ignore[list-item]


def test_cross_entropy_refuses_a_flat_list_of_logits_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"logits\[0\] must be a sequence.*pass \[logits\] and \[target\]"):
        cross_entropy([Value(1.0), Value(2.0)], [1])  # type: ignore[list-item]


def test_cross_entropy_refuses_samples_with_different_numbers_of_classes() -> None:
    with pytest.raises(ValueError, match=r"logits\[0\] has 3, logits\[1\] has 2"):
        cross_entropy([[1.0, 2.0, 3.0], [1.0, 2.0]], [0, 0])


def test_softmax_refuses_empty_logits() -> None:
    with pytest.raises(ValueError, match=r"softmax\(\) needs at least one logit"):
        softmax([])


# -- values and gradients from the textbook formulas (no PyTorch needed) ----------------------


def test_mse_loss_takes_plain_number_targets_and_gives_the_mean_square_and_its_gradient() -> None:
    p = [Value(1.5), Value(-2.0)]
    loss = mse_loss(p, [1, -1.0])
    loss.backward()
    assert loss.data == ((1.5 - 1) ** 2 + (-2.0 + 1) ** 2) / 2
    assert [v.grad for v in p] == [2 * (1.5 - 1) / 2, 2 * (-2.0 + 1) / 2]  # 2 (p - y) / n


def test_hinge_loss_gives_the_mean_margin_violation_and_its_gradient() -> None:
    s = [Value(0.5), Value(2.0), Value(0.25)]
    loss = hinge_loss(s, [1, 1, -1])  # margins 0.5, 2 (no cost) and -0.25
    loss.backward()
    assert loss.data == pytest.approx(((1 - 0.5) + 0 + (1 + 0.25)) / 3, rel=1e-15)
    assert [v.grad for v in s] == pytest.approx([-1 / 3, 0.0, 1 / 3], rel=1e-15)  # -y / n where violated


def test_bce_with_logits_gives_the_log_loss_and_sigmoid_minus_target_as_gradient() -> None:
    z, y = [0.7, -1.2], [1.0, 0.25]
    logits = [Value(v) for v in z]
    loss = binary_cross_entropy_with_logits(logits, y)
    loss.backward()

    def sigmoid(t: float) -> float:
        return 1 / (1 + math.exp(-t))

    per_sample = [
        -(yi * math.log(sigmoid(zi)) + (1 - yi) * math.log(1 - sigmoid(zi)))
        for zi, yi in zip(z, y, strict=True)
    ]
    assert loss.data == pytest.approx(sum(per_sample) / 2, rel=1e-14)
    assert [v.grad for v in logits] == pytest.approx(
        [(sigmoid(zi) - yi) / 2 for zi, yi in zip(z, y, strict=True)], rel=1e-13
    )


def test_cross_entropy_takes_plain_numbers_and_gives_log_softmax_and_softmax_minus_one_hot() -> None:
    rows, targets = [[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]], [2, 0]
    logits = [[Value(v) for v in row] for row in rows]
    loss = cross_entropy(logits, targets)
    loss.backward()
    expected = [
        math.log(sum(math.exp(v) for v in row)) - row[k] for row, k in zip(rows, targets, strict=True)
    ]
    assert loss.data == pytest.approx(sum(expected) / 2, rel=1e-14)
    assert cross_entropy(rows, targets).data == loss.data  # plain numbers: the same loss
    for row, k, values in zip(rows, targets, logits, strict=True):
        total = sum(math.exp(v) for v in row)
        one_hot = [1.0 if j == k else 0.0 for j in range(len(row))]
        expected_grads = [(math.exp(v) / total - t) / 2 for v, t in zip(row, one_hot, strict=True)]
        assert [v.grad for v in values] == pytest.approx(expected_grads, rel=1e-13, abs=1e-16)


def test_cross_entropy_takes_numpy_arrays() -> None:
    np = require("numpy")
    rows = np.array([[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]])
    assert cross_entropy(rows, np.array([2, 0])).data == cross_entropy(rows.tolist(), [2, 0]).data
