"""The checkers of *Two moons* (tutorial 5) judge what an answer does, not how it is written.

Each test puts one learner's slip, found by a review that ran beginner answers through the
page's cells and checkers, into the page's own answer: the checker must return a report (never
raise), must pass a right answer however it is typed, and must name the mistake the answer's
behaviour shows, in the page's words.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from dependencies import require
from test_exercises import failed_with

from micrograd import MLP, Value
from micrograd.exercises import check_bce_by_hand, check_generalisation, check_slope_changes, check_tanh_model

# -- Exercise 1: does it generalise? --------------------------------------------------------------


def hinge_like(x: Sequence[float]) -> Value:
    """A network's stand-in: a bent boundary, right on most of the new points."""
    return Value(0.3 - x[1] + 0.4 * (x[0] - 0.5) ** 2)


def bce_like(x: Sequence[float]) -> Value:
    """Another, straight boundary, right on fewer of them."""
    return Value(0.25 - x[1])


MODELS = {"hinge": hinge_like, "cross-entropy": bce_like}


def new_moons() -> tuple[Any, Any]:
    """X_new and y_new as make_moons draws them: NumPy arrays."""
    require("sklearn")
    from sklearn.datasets import make_moons

    return make_moons(n_samples=500, noise=0.1, random_state=2)


def page_accuracy(model: Any, X: Any, y: Any, threshold: float = 0.0) -> float:
    """The page's accuracy(model, X, y), its predict's threshold made a parameter."""
    return sum((1 if model(x).data > threshold else 0) == label for x, label in zip(X, y, strict=True)) / len(
        y
    )


def test_generalisation_takes_make_moons_arrays_without_tolist() -> None:
    # The page's accuracy works on the arrays too; the checker raised "The truth value of an
    # array with more than one element is ambiguous".
    X_new, y_new = new_moons()
    new_accuracy = {name: page_accuracy(m, X_new, y_new) for name, m in MODELS.items()}
    report = check_generalisation(MODELS, X_new, y_new, new_accuracy)
    assert report.passed, str(report)


def test_generalisation_takes_an_accuracy_in_float32() -> None:
    np = require("numpy")
    X_new, y_new = new_moons()
    X_new, y_new = X_new.tolist(), y_new.tolist()
    new_accuracy = {name: np.float32(page_accuracy(m, X_new, y_new)) for name, m in MODELS.items()}
    report = check_generalisation(MODELS, X_new, y_new, new_accuracy)
    assert report.passed, str(report)


def measured_with(slip: str) -> Callable[[str, Any, list[list[float]], list[int]], float]:
    """The exercise's loop body, new_accuracy[name] = accuracy(m, X_new, y_new), with one slip."""

    def measure(name: str, m: Any, X_new: list[list[float]], y_new: list[int]) -> float:
        if slip == "training points":
            from sklearn.datasets import make_moons

            X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
            return page_accuracy(m, X.tolist(), y.tolist())
        if slip == "threshold 0.5":
            return page_accuracy(m, X_new, y_new, threshold=0.5)
        if slip == "labels -1 and 1":
            return page_accuracy(m, X_new, [2 * t - 1 for t in y_new])
        if slip == "share wrong":
            return 1 - page_accuracy(m, X_new, y_new)
        if slip == "the hinge network for both":
            return page_accuracy(MODELS["hinge"], X_new, y_new)
        if slip == "the untrained model":
            model = MLP(2, [16, 16, 1], rng=random.Random(1))  # the page's first, untrained network
            return page_accuracy(model, X_new, y_new)
        raise AssertionError(slip)

    return measure


@pytest.mark.parametrize(
    ("slip", "words"),
    [
        ("training points", "the accuracy on the training points X, y"),
        ("threshold 0.5", "with the threshold 0.5: a score above 0 means class 1"),
        ("labels -1 and 1", "against the labels -1 and 1: compare the predictions with the classes 0"),
        ("share wrong", "the share of wrong points"),
        ("the hinge network for both", "of the network 'hinge': measure each network with its own"),
        ("the untrained model", "the untrained network model: measure the trained ones"),
    ],
)
def test_generalisation_names_the_slip_its_accuracy_shows(slip: str, words: str) -> None:
    # Before, each was told only "count the new points whose score has the sign of their class".
    X_new, y_new = new_moons()
    X_new, y_new = X_new.tolist(), y_new.tolist()
    new_accuracy = {name: measured_with(slip)(name, m, X_new, y_new) for name, m in MODELS.items()}
    failed_with(check_generalisation(MODELS, X_new, y_new, new_accuracy), words)


def test_generalisation_names_every_slip_that_gives_the_same_accuracy() -> None:
    # As on the page: the hinge network is right on every training point and on all new points
    # but three, whose scores are small and positive; the other network is right everywhere. An
    # accuracy of 1 for the hinge network is then the training points', a threshold of 0.5's and
    # the other network's: the report names each, and does not pick one of them.
    from sklearn.datasets import make_moons

    X_new, y_new = new_moons()
    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    label = {
        tuple(x): t
        for x, t in zip([*X.tolist(), *X_new.tolist()], [*y.tolist(), *y_new.tolist()], strict=True)
    }
    close_calls = [tuple(x) for x, t in zip(X_new.tolist(), y_new.tolist(), strict=True) if t == 0][:3]

    def hinge(x: Sequence[float]) -> Value:
        return Value(0.2 if tuple(x) in close_calls else 2.0 * label[tuple(x)] - 1)

    def bce(x: Sequence[float]) -> Value:
        return Value(2.0 * label[tuple(x)] - 1)

    models = {"hinge": hinge, "cross-entropy": bce}
    ones = {"hinge": 1.0, "cross-entropy": 1.0}
    report = check_generalisation(models, X_new.tolist(), y_new.tolist(), ones)
    failed_with(report, "gave 1, expected 0.994: that is the accuracy on the training points X, y, or of ")
    failed_with(report, "the network 'cross-entropy', or with the threshold 0.5: measure each network on")


def test_generalisation_names_keys_that_are_networks_in_a_few_words() -> None:
    # Before, the keys were written out as the networks' reprs: ten lines of ReLUNeuron(2).
    X_new, y_new = new_moons()
    net = MLP(2, [16, 16, 1], rng=random.Random(1))
    report = check_generalisation({"hinge": net}, X_new.tolist(), y_new.tolist(), {net: 1.0})  # type: ignore[dict-item]
    failed_with(report, "found the keys MLP(...): new_accuracy must be a dict with the keys 'hinge'")
    assert len(str(report)) < 300, str(report)


def test_generalisation_names_networks_that_are_keys_in_a_few_words_in_every_check() -> None:
    # Only "found the keys" was short: the checks' names, "no accuracy given" and "the accuracy
    # of the network ..." wrote out each network's repr, ten lines of ReLUNeuron(2).
    X_new, y_new = new_moons()
    X_new, y_new = X_new.tolist(), y_new.tolist()
    first, second = MLP(2, [16, 16, 1], rng=random.Random(1)), MLP(2, [16, 16, 1], rng=random.Random(2))
    models = {first: first, second: second}
    report = check_generalisation(models, X_new, y_new, {first: page_accuracy(second, X_new, y_new)})
    failed_with(report, "accuracy of MLP(...) (key 1) gave ")
    failed_with(report, "that is the accuracy of the network MLP(...) (key 2): measure each network")
    assert "MLP(...) (key 2): no accuracy given: measure every network." in str(report), str(report)
    assert "Neuron" not in str(report) and len(str(report)) < 600, str(report)


# -- Exercise 2: a tanh network, and where the slope changes --------------------------------------


def test_tanh_model_that_is_the_history_or_none_is_told_what_train_returns() -> None:
    # `_, tanh_model = train(...)` keeps the history: the checker said "no hidden layers, expected
    # tanh: build the network with MLP(...)" and "TypeError: 'dict' object is not callable".
    history = {"loss": [0.5, 0.4], "accuracy": [0.8, 0.9]}
    report = check_tanh_model(history, [[0.0, 1.0]], [1])
    failed_with(report, "your tanh_model is a dict, the history, not a network: train returns (model, hist")
    assert len(report.failures) == 1, str(report)
    failed_with(check_tanh_model(None, [[0.0, 1.0]], [1]), "your tanh_model is None, not a network")


def test_tanh_model_that_is_none_is_told_what_none_means_not_what_train_returns() -> None:
    # None was told "train returns (model, history), the network first", as the history is; it
    # comes from a function that ended without return.
    report = check_tanh_model(None, [[0.0, 1.0]], [1])
    failed_with(report, "your tanh_model is None, not a network (did a function end without return?)")
    failed_with(report, "a training function of your own must end with return model")
    assert "the network first" not in str(report), str(report)


def test_tanh_model_whose_neurons_hold_functions_is_told_which() -> None:
    # A network whose neurons keep their activation as a function (math.tanh) raised
    # "TypeError: '<' not supported between instances of 'str' and 'builtin_function_or_method'".
    model = MLP(2, [3, 1], activation="tanh", rng=random.Random(0))
    for neuron in model.layers[0].neurons[1:]:
        neuron.activation = math.tanh  # type: ignore[assignment]  # as a network of the reader's own
    report = check_tanh_model(model, [[0.0, 1.0]], [1])
    failed_with(
        report, "hidden activation: tanh, tanh (a function), expected tanh: build the network with MLP"
    )


def page_slope_changes(model: Any, xs: Sequence[float] | None = None, tolerance: float = 1e-9) -> float:
    """The page's slope_changes, on the points xs of the line x2 = 0.25, counting |d| > tolerance."""
    line = [-1.5 + 0.02 * i for i in range(201)] if xs is None else xs
    s = [model([x1, 0.25]).data for x1 in line]
    second = [s[i - 1] - 2 * s[i] + s[i + 1] for i in range(1, len(s) - 1)]
    return sum(abs(d) > tolerance for d in second) / len(second)


def test_slope_changes_of_a_network_of_the_page_is_told_to_use_its_argument() -> None:
    # slope_changes(m) that computes the scores of the page's model: the same fraction for all three
    # networks, told only the recipe for each of them.
    page_model = MLP(2, [16, 16, 1], rng=random.Random(1))
    report = check_slope_changes(lambda m: page_slope_changes(page_model))
    failed_with(report, "for all three networks, whose slopes change at none, 24 and all of the 199 inner")
    failed_with(report, "compute the scores of the network slope_changes is given, model([x1, 0.25]).data")


def test_slope_changes_on_a_line_one_point_short_is_told_where_it_stops() -> None:
    np = require("numpy")
    arange = np.arange(-1.5, 2.5, 0.02).tolist()  # 200 points: stops before 2.5
    failed_with(check_slope_changes(lambda m: page_slope_changes(m, arange)), "np.arange(-1.5, 2.5, 0.02)")

    def adding(m: Any) -> float:
        xs, x1 = [], -1.5
        while x1 <= 2.5:  # 0.02 added 200 times overshoots 2.5 by rounding: 2.5 is not reached
            xs.append(x1)
            x1 += 0.02
        return page_slope_changes(m, xs)

    failed_with(check_slope_changes(adding), "that is 198 second differences, one short of 199")


def test_slope_changes_counting_rounding_on_the_linear_network_is_told_it_is_a_straight_line() -> None:
    report = check_slope_changes(lambda m: page_slope_changes(m, tolerance=0.0))
    failed_with(report, "linear network MLP(2, [1]) gave")
    failed_with(report, "its score is a straight line, whose second differences are rounding")


# -- Exercise 3: cross-entropy by hand --------------------------------------------------------------


def bce_by_hand(slip: str = "") -> Callable[[list[Value], list[int]], Value]:
    """The page's bce_by_hand, with one slip."""

    def loss(scores: list[Value], targets: list[int]) -> Value:
        total = Value(0.0)
        for s, t in zip(scores, targets, strict=True):
            p = s if slip == "log of the score" else 1 / (1 + (-s).exp())
            term = t * p.log() if slip == "no class-0 term" else t * p.log() + (1 - t) * (1 - p).log()
            total = -term if slip == "total reassigned" else total - term  # "=" where "+=" was meant
        return total / len(targets)

    return loss


@pytest.mark.parametrize(
    ("slip", "words"),
    [
        ("log of the score", "take the log of the probability p = 1 / (1 + exp(-s)), not of the score s"),
        ("no class-0 term", "a point of class 0 costs nothing: the loss has a term for each class"),
        ("total reassigned", "only the last point's loss is kept: add each point's loss to the total"),
    ],
)
def test_bce_by_hand_is_told_the_slip_its_loss_shows(slip: str, words: str) -> None:
    # Before, each was told only "the loss is the mean of -(t log sigmoid(s) + ...)".
    assert check_bce_by_hand(bce_by_hand()).passed
    failed_with(check_bce_by_hand(bce_by_hand(slip)), words)
    assert math.isfinite(bce_by_hand(slip)([Value(0.8)], [1]).data)


@pytest.mark.parametrize("kept", ["points", "scores"])
def test_slope_changes_in_float32_is_told_float32_not_rounding_of_1e_16(kept: str) -> None:
    # A float32 line (np.linspace(..., dtype=np.float32)) or float32 scores round by about 1e-7,
    # larger than 1e-9: the linear network gave 0.462 and was told its second differences were
    # rounding "about 1e-16".
    np = require("numpy")

    def slope_changes(model: Any) -> float:
        if kept == "points":
            return page_slope_changes(model, np.linspace(-1.5, 2.5, 201, dtype=np.float32).tolist())
        s = np.array([model([-1.5 + 0.02 * i, 0.25]).data for i in range(201)], dtype=np.float32)
        return float(np.mean(np.abs(np.diff(s.astype(float), 2)) > 1e-9))

    report = check_slope_changes(slope_changes)
    failed_with(report, "linear network MLP(2, [1]) gave 0.")
    failed_with(report, "float32 keeps about 7 significant digits, so it rounds each point x1")
    assert "about 1e-16:" not in str(report), str(report)
