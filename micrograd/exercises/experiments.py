"""Checkers of a result the reader computed: XOR (weights by hand, AND and OR, a feature, seeds),
*Two moons* (generalisation, another activation), *Multiclass* (two classes, mistakes) and
*Deep networks* (He initialization, residual connections, which layers learn).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import math
import random
import struct
from collections.abc import Callable, Mapping, Sequence
from types import CodeType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from micrograd.engine import Value
from micrograd.exercises.budget import _Budget, _describe_error, _frames, _OutOfSteps
from micrograd.exercises.compare import _as_float, _close, _first_not_a_number, _not_a_number, _num
from micrograd.exercises.report import (
    Check,
    Report,
    _attempt,
    _call,
    _is_list,
    _is_number,
    _number_check,
    _stopped_message,
)

if TYPE_CHECKING:  # micrograd.nn itself is imported where it is used, as in the other checkers
    from micrograd.nn import Activation

# -- "XOR": weights by hand ---------------------------------------------------------------------------


def check_xor_weights(net: Any) -> Report:
    """Check exercise 3 of *XOR*: an ``MLP(2, [2, 1], activation="relu")`` with weights set by hand.

    Args:
        net: The reader's network, with its weights and biases set through ``.data``.

    Returns:
        A :class:`Report`: the output at each of the four corners, which must be XOR
        exactly (0, 1, 1, 0); when it is not, what each hidden neuron computes.

    Example:
        >>> from micrograd import MLP
        >>> net = MLP(2, [2, 1], activation="relu")
        >>> for n, ws, b in zip([*net.layers[0].neurons, net.layers[1].neurons[0]],
        ...                     [[1, 1], [1, 1], [1, -2]], [0, -1, 0]):
        ...     for w, v in zip(n.w, ws):
        ...         w.data = float(v)
        ...     n.b.data = float(b)
        >>> print(check_xor_weights(net).passed)
        True
    """
    report = Report("XOR, exercise 3: weights by hand")
    problem = _xor_network_problem(net)
    if problem:
        found, mistake = problem
        report.checks.append(Check("relu_net", False, f"relu_net: {found}: {mistake}.", mistake))
        return report
    corners = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    for x, want in zip(corners, [0.0, 1.0, 1.0, 0.0], strict=True):
        name = f"net({[int(v) for v in x]})"
        ok, out = _attempt(report, name, net, x)
        if not ok:
            return report
        got = _as_float(getattr(out, "data", out))
        never_set = None if _close(got, want, 0, 1e-12) else _never_set(net)
        if never_set:
            found, mistake = never_set
            report.checks.append(Check("relu_net", False, f"relu_net: {found}: {mistake}.", mistake))
            return report
        mistake = ""
        try:
            h1, h2 = (n(x).data for n in net.layers[0].neurons)
            hidden = [getattr(n, "activation", "relu") for n in net.layers[0].neurons]
            if any(a != "relu" for a in hidden):
                mistake = (
                    f"the hidden neurons apply {_activation_names(hidden)}: the weights by hand are for ReLU "
                    'neurons, MLP(2, [2, 1], activation="relu")'
                )
            elif not (_close(h1, x[0] + x[1]) and _close(h2, max(0.0, x[0] + x[1] - 1))):
                # The rule of the first hidden neuron that is off, without this corner's numbers, so
                # that the report says it once for every corner it spoils.
                wants = (x[0] + x[1], max(0.0, x[0] + x[1] - 1))
                mistake = _hidden_slip(net, h1_right=_close(h1, wants[0]))
                if not _close(got, want, 0, 1e-12):
                    found = (
                        f"{name} gave {_num(got)}, expected {_num(want)}: the hidden neurons give {_num(h1)} "
                        f"and {_num(h2)}, expected {_num(wants[0])} and {_num(wants[1])}: {mistake}."
                    )
                    report.checks.append(Check(name, False, found, mistake))
                    continue
            else:
                mistake = _output_slip(net)
        except (AttributeError, TypeError, ValueError):
            mistake = "the network should compute relu(x1 + x2) - 2 relu(x1 + x2 - 1)"
        _number_check(report, name, got, want, [], mistake, rtol=0, atol=1e-12)
    return report


# The page's numbers for h1, h2 and the output, (weights, bias): the messages name which of the
# reader's numbers is off, and how (a sign, an order), never the number itself: that is the exercise.
_XOR_NUMBERS = {"h1": ((1.0, 1.0), 0.0), "h2": ((1.0, 1.0), -1.0), "out": ((1.0, -2.0), 0.0)}
_XOR_IDEA = (
    "a hidden neuron's weights are the numbers that multiply x1 and x2 inside its relu, and its bias is "
    "the constant added to them"
)


def _numbers(neuron: Any) -> tuple[list[float], float] | None:
    """A neuron's weights and bias as floats; ``None`` when they cannot be read."""
    try:
        return [_as_float(w.data) for w in neuron.w], _as_float(neuron.b.data)
    except (AttributeError, TypeError, ValueError):
        return None


def _numbers_off(name: str, neuron: Any) -> str:
    """Which of a neuron's numbers differ from the page's, and how: "h2.b has the wrong sign",
    "out.w[0] and out.w[1] are the other way round", "h1.w[1] is wrong"; ``""`` when unreadable."""
    numbers = _numbers(neuron)
    if numbers is None:
        return ""
    (weights, bias), (right_weights, right_bias) = numbers, _XOR_NUMBERS[name]
    if (
        len(weights) == 2
        and weights == list(right_weights[::-1]) != list(right_weights)
        and bias == right_bias
    ):
        return f"{name}.w[0] and {name}.w[1] are the other way round"
    pairs = [(f"{name}.w[{i}]", g, r) for i, (g, r) in enumerate(zip(weights, right_weights, strict=False))]
    offs = []
    for part, got, right in [*pairs, (f"{name}.b", bias, right_bias)]:
        if not _close(got, right):
            offs.append(
                f"{part} has the wrong sign" if right != 0 and _close(got, -right) else f"{part} is wrong"
            )
    return "; ".join(offs)


def _hidden_slip(net: Any, *, h1_right: bool) -> str:
    """The first hidden neuron that is off and which of its numbers: the same words for every corner
    it spoils, so that the report says them once."""
    h1, h2 = net.layers[0].neurons
    if _numbers(h1) == ([*_XOR_NUMBERS["h2"][0]], _XOR_NUMBERS["h2"][1]) and _numbers(h2) == (
        [*_XOR_NUMBERS["h1"][0]],
        _XOR_NUMBERS["h1"][1],
    ):
        return (
            "h1 and h2 are the other way round: h1 computes relu(x1 + x2 - 1) and h2 relu(x1 + x2), but the "
            "output weighs them in the order of the page's formula, relu(x1 + x2) first"
        )
    name, neuron, term = ("h2", h2, "relu(x1 + x2 - 1)") if h1_right else ("h1", h1, "relu(x1 + x2)")
    off = _numbers_off(name, neuron)
    return f"{name} is {term}: {off + '; ' if off else ''}{_XOR_IDEA}"


def _output_slip(net: Any) -> str:
    """What is off in the output neuron, once the hidden neurons are right."""
    off = _numbers_off("out", net.layers[1].neurons[0])
    return (
        f"h1 and h2 are right, the output neuron is not: {off + '; ' if off else ''}it combines h1 and h2 "
        "as the page's formula combines its two relus, out.w[0] weighing h1, out.w[1] weighing h2, and "
        "out.b the constant added"
    )


def _activation_names(activations: Sequence[object]) -> str:
    """The neurons' activations as a report lists them, each once, sorted: a name such as "tanh"
    as it is, a function (in a network of the reader's own, math.tanh) by its name, as text, so
    that names and functions sort together."""
    names = set()
    for a in activations:
        if isinstance(a, str):
            names.add(a)
        elif callable(a):
            names.add(f"{getattr(a, '__name__', type(a).__name__)} (a function)")
        else:
            names.add(repr(a))
    return ", ".join(sorted(names))


def _xor_network_problem(net: Any) -> tuple[str, str] | None:
    """What is wrong with the reader's network before its outputs are looked at: another shape
    than MLP(2, [2, 1]), a weight or bias put in place of its ``Value`` (a float, which the
    network still adds, but which is no longer a parameter); ``None`` when neither."""
    try:
        layers = list(net.layers)
        neurons = [list(layer.neurons) for layer in layers]
        nin = len(neurons[0][0].w)
    except (AttributeError, TypeError, IndexError):
        return None  # not an MLP of micrograd's kind: the outputs are checked as they are
    sizes = [len(layer) for layer in neurons]
    if nin != 2 or sizes != [2, 1]:
        return (
            f"your network is MLP({nin}, {sizes})",
            'the exercise\'s network is MLP(2, [2, 1], activation="relu"): two hidden neurons h1 and h2, '
            "and one output neuron",
        )
    names = ("h1", "h2", "out")
    for name, neuron in zip(names, [*neurons[0], *neurons[1]], strict=True):
        parts = [(f"{name}.w[{i}]", w) for i, w in enumerate(neuron.w)] + [(f"{name}.b", neuron.b)]
        for part, v in parts:
            if not (hasattr(v, "data") and hasattr(v, "grad")):
                kind = "bias" if part.endswith(".b") else "weight"
                return (
                    f"{part} is {_not_a_number(v) or 'the ' + type(v).__name__ + ' ' + _num(v)}, not a Value",
                    f"the {kind} must stay a Value, a parameter of the network: set its number, "
                    f"{part}.data = {_num(v) if _not_a_number(v) is None else '...'}",
                )
    return None


def _never_set(net: Any) -> tuple[str, str] | None:
    """For a network whose outputs are wrong: every weight still holding its random start (the
    numbers rebound a loop's name, ``w = 1.0``, or went to ``w.grad``), else ``None``.

    Weights start uniform in [-1, 1], and the page's numbers are multiples of 1/2: when not one
    weight is, none was set by hand. A right network with other numbers (0.3 and 1/0.3) never
    gets here, and a weight that is not a finite number is left to the outputs to show."""
    try:
        weights = [w for layer in net.layers for neuron in layer.neurons for w in neuron.w]
        numbers = [w.data for w in weights]
    except (AttributeError, TypeError):
        return None
    if not all(_not_a_number(v) is None and math.isfinite(_as_float(v)) for v in numbers):
        return None
    if any(2 * _as_float(v) == round(2 * _as_float(v)) for v in numbers):
        return None
    found = f"every weight still holds the random number it started with, such as {_num(numbers[0])}"
    if any(_as_float(getattr(w, "grad", 0.0)) != 0 for w in weights):
        return found, "the numbers went to the gradients: set each weight's number, w.data = 1.0, not w.grad"
    return found, "nothing was set: assign each number through .data, w.data = 1.0 (w = 1.0 rebinds only w)"


# -- "Deep networks": He initialization -------------------------------------------------------------


def check_he_scale(he_scale: Callable[[int], float] | float, width: int = 32) -> Report:
    """Check exercise 1 of *Deep networks*: the half-width ``a`` of He-initialized uniform weights.

    Args:
        he_scale: The reader's ``a`` for ``width`` inputs, or a function of the width
            returning it: uniform weights on ``[-a, a]`` must have variance ``2 / width``.
        width: The number of inputs of a layer, when ``he_scale`` is a number.

    Returns:
        A :class:`Report`: the scale for the width given, and for widths 8, 32 and 100
        when a function is given.

    Example:
        >>> print(check_he_scale(math.sqrt(6 / 32)).passed)
        True
    """
    report = Report("Deep networks, exercise 1: He initialization")
    if not callable(he_scale) and width != 32:
        mistake = "the exercise widens the network to 32 neurons per layer: width = 32, and he_scale for it"
        message = f"width: your width is {width!r}, the exercise's is 32: {mistake}."
        report.checks.append(Check("width", False, message, mistake))
        return report
    widths = [width] if not callable(he_scale) else [8, 32, 100]
    for n in widths:
        name = f"the scale for width {n}"
        if callable(he_scale):
            ok, got = _call(report, name, he_scale, "he_scale(width)", n)
            if not ok:
                return report
        else:
            got = he_scale
        if not _is_number(
            report, name, got, f"he_scale({n}) returned" if callable(he_scale) else "he_scale is"
        ):
            return report
        want = math.sqrt(6 / n)
        g = _as_float(got)
        narrow = _narrow_float(got)
        if narrow and not _close(g, want, 1e-9) and _close(g, want, 10.0 ** (1 - narrow[1])):
            # np.float32(math.sqrt(6 / n)), or np.sqrt of a float32: right to its own digits only.
            dtype, digits = narrow
            mistake = (
                f"{dtype} keeps about {digits} significant digits, a Python float 16: compute it as a "
                f"Python float, math.sqrt(6 / n), with no {dtype}"
            )
            message = (
                f"{name}: {g:.12g} is {dtype}, right to its {digits} digits only ({want:.12g}): {mistake}."
            )
            report.checks.append(Check(name, False, message, mistake))
            continue
        if not _close(g, want, 1e-9) and (
            abs(g - want) < 1e-3 or any(g == round(want, digits) for digits in range(2, 7))
        ):
            # Typed from the page's printout, 0.433: right, but its digits are cut.
            mistake = "compute it in Python from the width, rather than typing the digits printed"
            # 12 significant digits, so that 0.4330127 is not shown as 0.433013 beside 0.433013.
            message = f"{name}: {g:.12g} is right, but rounded ({want:.12g}): {mistake}."
            report.checks.append(Check(name, False, message, mistake))
            continue
        # The page gives the rule, not the formula: each message names the mistake, not a.
        _number_check(
            report,
            name,
            got,
            want,
            [
                (
                    math.sqrt(2 / n),
                    "that a has a**2 = 2 / n, but uniform weights on [-a, a] have variance a**2 / 3, "
                    "not a**2",
                ),
                (
                    2 / n,
                    "that is the variance 2 / n itself; he_scale is the half-width a of [-a, a], whose "
                    "variance a**2 / 3 must be 2 / n",
                ),
                (6 / n, "that is a**2: take its square root"),
                (
                    math.sqrt(3 / n),
                    "that scale gives the variance 1 / n; He initialization wants the variance 2 / n "
                    "(ReLU halves the signal)",
                ),
                (-want, "the half-width a of [-a, a] is positive"),
                *[
                    (math.sqrt(6 / other), f"that is the scale for width {other}: n is the width, {n} here")
                    for other in (8, 10, 16, 32, 100)
                    if other != n
                ],
            ],
            "uniform weights on [-a, a] have variance a**2 / 3; set it to 2 / n",
            rtol=1e-9,
        )
    return report


def _narrow_float(x: object) -> tuple[str, int] | None:
    """The name and the significant digits of the NumPy float of fewer digits than Python's
    that ``x`` is (float32: 7, float16: 4), read from its ``dtype`` so that NumPy need not be
    imported; ``None`` for anything else."""
    dtype = getattr(x, "dtype", None)
    digits = {2: 4, 4: 7}.get(getattr(dtype, "itemsize", 8))
    if getattr(dtype, "kind", None) != "f" or digits is None:
        return None
    return str(getattr(dtype, "name", "float32")), digits


# -- experiments: checks of a result the reader computed -----------------------------------------

_CORNERS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


def _bce_training(
    model: Any,
    inputs: Sequence[Sequence[float]],
    targets: Sequence[int],
    steps: int,
    lr: float = 1.0,
    zero_grad: bool = True,
) -> float:
    """The tutorials' recipe: BCE with logits, zero_grad, backward, a step of ``lr``. The last loss.

    ``zero_grad=False`` is the recipe without ``zero_grad()``, whose gradients add up over the
    steps; a negative ``lr`` is a step uphill (``p.data += ...``)."""
    from micrograd.losses import binary_cross_entropy_with_logits

    loss = Value(0.0)
    for _ in range(steps):
        loss = binary_cross_entropy_with_logits([model(x) for x in inputs], list(targets))
        if zero_grad:
            model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
    return loss.data


def _neuron_recipe(
    targets: Sequence[int], zero_grad: bool = True, lr: float = 1.0, steps: int = 200
) -> tuple[float, float]:
    """Exercise 1's recipe on ``targets``, or a variant of it: the last loss of the loop, and the
    loss after the last update (a reader may return either)."""
    from micrograd.losses import binary_cross_entropy_with_logits
    from micrograd.nn import Neuron

    n = Neuron(2, activation="linear", rng=random.Random(0))
    last = _bce_training(n, _CORNERS, targets, steps, lr, zero_grad)
    return last, binary_cross_entropy_with_logits([n(x) for x in _CORNERS], list(targets)).data


def _no_zero_grad(model: str) -> str:
    """The mistake of a loop without ``zero_grad()``, for the reader's ``model``."""
    return f"the gradients of every step add up: call {model}.zero_grad() before loss.backward() in each step"


def check_and_or(train_neuron: Callable[..., tuple[Any, float]]) -> Report:
    """Check exercise 1 of *XOR*: one linear neuron trained on AND and on OR.

    Args:
        train_neuron: The reader's function of the four targets and the number of steps,
            returning the trained neuron and its last loss.

    Returns:
        A :class:`Report`: for AND and OR, the neuron is right on all four corners and
        its loss is the recipe's; then AND in 50 steps.

    Example:
        >>> from micrograd.nn import Neuron
        >>> def train_neuron(targets, steps=200):
        ...     n = Neuron(2, activation="linear", rng=random.Random(0))
        ...     return n, _bce_training(n, _CORNERS, targets, steps)
        >>> print(check_and_or(train_neuron).passed)
        True
    """
    report = Report("XOR, exercise 1: AND and OR")
    asked = "train_neuron(targets, steps=200)"
    neurons: list[Any] = []
    for name, targets in (("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1])):
        ok, result = _call(report, name, train_neuron, asked, list(targets))
        if not ok:
            continue
        got = _not_a_neuron_and_loss(result)
        if not got:
            neuron, loss = result
            ok, outs = _attempt(report, name, lambda: [neuron(x).data for x in _CORNERS])  # noqa: B023  # called at once
            if not ok:
                continue
            predicted = [int(_as_float(o) > 0) for o in outs]
        if got:
            mistake = "return (neuron, loss): the trained neuron, then its last loss"
            if got.startswith("returned ("):
                mistake = "the neuron comes first: return n, loss.data"
            report.checks.append(Check(name, False, f"{name}: train_neuron {got}: {mistake}.", mistake))
            continue
        if any(neuron is other for other in neurons):
            mistake = 'make a fresh Neuron(2, activation="linear", rng=random.Random(0)) inside the function'
            message = f"{name}: train_neuron returned AND's neuron again, trained on from where AND left it"
            message = f"{message}: {mistake}."
            report.checks.append(Check(name, False, message, mistake))
            continue
        neurons.append(neuron)
        single = _single_linear_neuron(neuron)
        if single:
            report.checks.append(Check(name, False, f"{name}: {single}.", single))
            continue
        what = _not_a_number(loss)
        if what is not None:
            mistake = "return the neuron and its last loss as a number, return neuron, loss.data"
            report.checks.append(
                Check(name, False, f"{name}: the loss returned is {what}: {mistake}.", mistake)
            )
            continue
        loss = _as_float(loss)
        recipe = _neuron_recipe(targets)
        if predicted == targets and any(_close(loss, r, 1e-6, 0.0) for r in recipe):
            report.checks.append(Check(name, True, f"all four corners right, loss {_num(loss)}"))
            continue
        found, mistake = _and_or_mistake(neuron, loss, targets)
        got = f"predicted {predicted}, expected {targets}: " if predicted != targets else ""
        report.checks.append(Check(name, False, f"{name}: {got}{found}: {mistake}.", mistake))
    if report.passed:
        _check_steps(report, train_neuron, asked)
    return report


def _and_or_mistake(neuron: Any, loss: float, targets: list[int]) -> tuple[str, str]:
    """What a neuron of exercise 1 that is not the recipe's shows, and the likely mistake, told
    by what the neuron and its loss are (the mistake without numbers, so that OR can say "the
    same mistake as above")."""
    recipe = _neuron_recipe(targets)[0]
    start = _start_loss(targets)
    unchanged = _unchanged_parameters(neuron)
    if any(_close(loss, r, 1e-6, 0.0) for r in _neuron_recipe(targets, zero_grad=False)) or loss < 1e-6:
        # 200 steps of the recipe end near 0.08; only gradients that add up get this low.
        found = (
            f"the loss {_num(loss)} is not the recipe's {_num(recipe)} but that of a loop without zero_grad()"
        )
        return found, _no_zero_grad("n")
    if len(unchanged) == 3:
        return (
            "the neuron's weights and bias are still those it started with",
            "the update runs on gradients of 0; in each step: n.zero_grad(), loss.backward(), then "
            "p.data -= 1.0 * p.grad",
        )
    if unchanged:
        return (
            f"{' and '.join(unchanged)} never changed",
            "update every parameter: for p in n.parameters()",
        )
    if abs(loss - math.log(2)) < 1e-4:
        # Where one neuron trained on XOR ends (every probability 1/2): the loop used the
        # page's XOR labels y instead of the function's targets.
        return (
            f"the loss {_num(loss)} is log 2, where a neuron trained on XOR ends",
            "train on targets, the function's argument, not on the page's XOR labels y",
        )
    if _close(loss, start, 1e-9, 0.0):
        return (
            f"the loss {_num(loss)} is the one before training",
            "return the loss of the last step, computed in the loop",
        )
    if loss > start or any(_close(loss, r, 1e-6, 0.0) for r in _neuron_recipe(targets, lr=-1.0)):
        return (
            f"the loss rose, from {_num(start)} at the start to {_num(loss)}",
            "the step goes uphill: subtract the gradient, p.data -= 1.0 * p.grad",
        )
    if loss > math.log(2):
        return (
            f"the loss {_num(loss)} is no better than a constant guess (log 2 = 0.693)",
            "check the step p.data -= 1.0 * p.grad, after n.zero_grad() and loss.backward()",
        )
    return (
        f"the loss {_num(loss)} is not the recipe's {_num(recipe)}",
        'train a fresh Neuron(2, activation="linear", rng=random.Random(0)) on targets for steps steps: '
        "binary cross-entropy with logits, n.zero_grad(), loss.backward(), p.data -= 1.0 * p.grad",
    )


def _unchanged_parameters(neuron: Any) -> list[str]:
    """The parameters of the reader's neuron (``n.w[0]``, ``n.w[1]``, ``n.b``) that still hold
    the start of exercise 1's fresh neuron; none when it is not a neuron of micrograd's kind."""
    from micrograd.nn import Neuron

    fresh = Neuron(2, activation="linear", rng=random.Random(0))
    try:
        pairs = [*zip(neuron.w, fresh.w, strict=True), (neuron.b, fresh.b)]
        return [
            name
            for name, (p, start) in zip(("n.w[0]", "n.w[1]", "n.b"), pairs, strict=True)
            if _as_float(p.data) == start.data
        ]
    except (AttributeError, TypeError, ValueError):
        return []


def _check_steps(report: Report, train_neuron: Callable[..., Any], asked: str) -> None:
    """AND in 50 steps: a train_neuron that loops 200 times whatever ``steps`` is passes AND and
    OR at the default."""
    name = "AND in 50 steps"
    targets = [0, 0, 0, 1]
    ok, result = _call(report, name, train_neuron, asked, targets, steps=50)
    if not ok:
        return
    if _not_a_neuron_and_loss(result) or _not_a_number(result[1]) is not None:
        mistake = "return (neuron, loss) for any steps, as for the default"
        message = f"{name}: train_neuron(targets, steps=50) returned {_rounded(result)}: {mistake}."
        report.checks.append(Check(name, False, message, mistake))
        return
    loss = _as_float(result[1])
    recipe = _neuron_recipe(targets, steps=50)
    if any(_close(loss, r, 1e-6, 0.0) for r in recipe):
        report.checks.append(Check(name, True, f"loss {_num(loss)}"))
        return
    mistake = "loop for _ in range(steps), with the argument steps"
    found = f"the loss {_num(loss)} is not the recipe's {_num(recipe[0])} for 50 steps"
    if any(_close(loss, r, 1e-6, 0.0) for r in _neuron_recipe(targets)):
        found = f"the loss {_num(loss)} is that of 200 steps"
    report.checks.append(Check(name, False, f"{name}: {found}: {mistake}.", mistake))


def _start_loss(targets: Sequence[int]) -> float:
    """The loss of exercise 1's neuron before training."""
    from micrograd.losses import binary_cross_entropy_with_logits
    from micrograd.nn import Neuron

    n = Neuron(2, activation="linear", rng=random.Random(0))
    return binary_cross_entropy_with_logits([n(x) for x in _CORNERS], list(targets)).data


def _not_a_neuron_and_loss(result: Any) -> str:
    """What ``train_neuron`` returned when it is not the pair (neuron, loss), said without
    Python's words for it; ``""`` when it is such a pair."""
    if result is None:
        return "returned None (did the function end without return?)"
    if hasattr(result, "parameters"):
        return f"returned a {type(result).__name__} alone"
    if isinstance(result, (str, bytes, Mapping)) or not isinstance(result, Sequence):
        return f"returned {_not_a_number(result) or _num(result)}, not a pair"
    if len(result) != 2:
        return f"returned a {type(result).__name__} of {len(result)} values, not a pair"
    first, second = result
    if hasattr(second, "parameters") and not hasattr(first, "parameters"):
        kind = "Value" if hasattr(first, "grad") else "number"
        return f"returned ({kind}, {type(second).__name__})"
    if not callable(first):
        return f"returned a pair whose first item, {_not_a_number(first) or _num(first)}, is not a neuron"
    return ""


def _single_linear_neuron(neuron: Any, nin: int = 2) -> str:
    """Why the reader's model is not one linear neuron of ``nin`` inputs (``""`` when it is): the
    exercise shows what a single line can separate."""
    try:
        count = len(list(neuron.parameters()))
    except Exception:  # not a module of micrograd's kind: the corners were checked already
        return ""
    inputs = {2: "two", 3: "three"}[nin]
    recipe = (
        'train one neuron, Neuron(2, activation="linear", rng=random.Random(0))'
        if nin == 2
        else 'train one neuron, Neuron(3, activation="linear")'
    )
    if count != nin + 1:
        return f"your model has {count} parameters; one neuron of {inputs} inputs has {nin + 1}: {recipe}"
    activation = getattr(neuron, "activation", "linear")
    if activation != "linear":
        default = " (Neuron's default)" if activation == "relu" else ""
        return (
            f"your neuron applies {activation}{default}: the exercise's neuron is linear, its score "
            f"w·x + b: {recipe}"
        )
    return ""


def _trained_on_a_sum(neuron: Any) -> bool:
    """Whether the neuron was trained on ``[x1, x2, x1 + x2]``: there it gives XOR's best line,
    0 at every corner (a sum of the two inputs leaves the neuron linear in them, and training
    drives all four logits to 0), which an untrained or a rightly trained neuron does not."""
    try:
        outs = [_as_float(getattr(o, "data", o)) for o in (neuron([a, b, a + b]) for a, b in _CORNERS)]
    except Exception:  # the reader's neuron may raise anything; the corner checks report it
        return False
    return all(abs(o) < 1e-2 for o in outs)


def check_xor_feature(neuron: Any) -> Report:
    """Check exercise 2 of *XOR*: one neuron with the extra input ``x1 * x2`` learns XOR.

    Args:
        neuron: The reader's trained neuron of three inputs ``[x1, x2, x1 * x2]``.

    Returns:
        A :class:`Report`: the neuron's sign is right on the four corners; a neuron
        trained on ``x1 + x2`` instead (a line, which cannot separate XOR) is named.

    Example:
        >>> from micrograd.nn import Neuron
        >>> n = Neuron(3, activation="linear", rng=random.Random(0))
        >>> _ = _bce_training(n, [[a, b, a * b] for a, b in _CORNERS], [0, 1, 1, 0], 300)
        >>> print(check_xor_feature(n).passed)
        True
    """
    report = Report("XOR, exercise 2: a hand-made feature")
    mistake = (
        "the third input must be x1 * x2, which is 1 only at (1, 1), so that a large negative weight on it "
        "pulls (1, 1) to class 0 (a sum such as x1 + x2 is still a line in x1 and x2 and cannot separate "
        "XOR); with x1 * x2, train longer, from a fresh neuron, with the step p.data -= lr * p.grad"
    )
    if _trained_on_a_sum(neuron):
        mistake = (
            "on [x1, x2, x1 + x2] your neuron gives 0 at all four corners, XOR's best line: it was trained "
            "with x1 + x2 as the third input, a sum of the other two, so it is still a line and cannot "
            "separate XOR; the third input must be x1 * x2, which is 1 only at (1, 1)"
        )
    scores = []
    for a, b in _CORNERS:
        name = f"corner ({_num(a)}, {_num(b)})"
        try:
            out = neuron([a, b, a * b])
        except Exception as err:  # the reader's neuron may raise anything
            mistake = "the neuron takes three inputs, [x1, x2, x1 * x2]: train a Neuron(3, ...) on them"
            message = _stopped_message(name, f"{type(err).__name__}: {err}", mistake)
            report.checks.append(Check(name, False, message, mistake))
            return report
        scores.append(_as_float(getattr(out, "data", out)))
    single = _single_linear_neuron(neuron, 3)
    if single:
        report.checks.append(Check("n3", False, f"n3: {single}.", single))
        return report
    loss = _xor_feature_loss(scores)
    if loss < 1e-6:
        # From any start, 300 steps of the recipe end near 0.09 (the loss is convex); only
        # gradients that add up over the steps get this low.
        no_zero_grad = _no_zero_grad("n3")
        message = (
            f"n3: its loss on XOR is {_num(loss)}, where 300 steps of the recipe end near 0.09, from any "
            f"start: that is a loop without zero_grad(): {no_zero_grad}."
        )
        report.checks.append(Check("n3", False, message, no_zero_grad))
        return report
    for (a, b), score, target in zip(_CORNERS, scores, [0, 1, 1, 0], strict=True):
        name = f"corner ({_num(a)}, {_num(b)})"
        got = int(score > 0)
        if got == target:
            report.checks.append(Check(name, True, f"class {target}"))
        else:
            report.checks.append(
                Check(name, False, f"{name}: predicted class {got}, expected {target}: {mistake}.", mistake)
            )
    return report


def _xor_feature_loss(scores: Sequence[float]) -> float:
    """Binary cross-entropy with logits of these four scores on XOR's labels (nan for none)."""
    from micrograd.losses import binary_cross_entropy_with_logits

    if any(math.isnan(z) for z in scores):
        return math.nan
    return binary_cross_entropy_with_logits([Value(z) for z in scores], [0, 1, 1, 0]).data


# The runs of exercise 4 that the checker asks for, as (hidden, seed, steps): the page's seeds 0
# to 7 with two hidden neurons (seed 7 gets stuck); then four hidden neurons on seed 7, which
# solve it (a function that ignores hidden does not); and seed 1, first solved at the 9th update,
# after 5, 8, 10 and 30 updates: at 8, steps + 1 updates or 300 solve it; at 10, its loss is still
# above 0.1 and its scores below 0.5; at 30 its scores are above 0.5 but its loss is not below
# 0.1 yet; at 5, 300 updates solve it, steps + 1 do not. No run ends at the 9th update: in every
# run the network after steps - 1 updates is right or wrong as it is after steps, so a function
# that keeps the scores of the loop's last step, computed before its update, answers as the
# recipe does (exercise 1 accepts either loss for the same reason).
_XOR_RUNS = [
    *((2, seed, 300) for seed in range(8)),
    (4, 7, 300),
    *((4, 1, steps) for steps in (5, 8, 10, 30)),
]


class _XorState(NamedTuple):
    """Exercise 4's network after some updates."""

    right: bool  # every corner's score has the sign of its class
    above_half: bool  # ... with 0.5 in place of 0 as the threshold
    loss: float


@functools.cache
def _xor_states(
    hidden: int,
    seed: int,
    activation: Activation = "tanh",
    lr: float = 1.0,
    zero_grad: bool = True,
    layers: int = 1,
) -> tuple[_XorState, ...]:
    """Exercise 4's recipe, or a variant of it (``layers`` hidden layers of ``hidden`` neurons each):
    the network after each of 0 to 301 updates."""
    from micrograd.losses import binary_cross_entropy_with_logits
    from micrograd.nn import MLP

    net = MLP(2, [hidden] * layers + [1], activation=activation, rng=random.Random(seed))
    states = []
    for step in range(302):
        scores = [cast(Value, net(x)) for x in _CORNERS]
        loss = binary_cross_entropy_with_logits(scores, [0, 1, 1, 0])
        pairs = list(zip((s.data for s in scores), [0, 1, 1, 0], strict=True))
        states.append(
            _XorState(
                all((s > 0) == (t == 1) for s, t in pairs),
                all((s > 0.5) == (t == 1) for s, t in pairs),
                loss.data,
            )
        )
        if step < 301:
            if zero_grad:
                net.zero_grad()
            loss.backward()
            for p in net.parameters():
                p.data -= lr * p.grad
    return tuple(states)


_FRESH_NETWORK = "build a fresh network inside solves_xor on each call, and train and judge that one"

# Slips in exercise 4: the answer each gives to a run (hidden, seed, steps), what gives those
# answers, and what to change. The first whose answers are all the reader's is named, as an
# example only: thirteen True or False cannot tell every slip apart. The network that is never
# updated comes first, since slips that only slow training down answer False as often.
_XOR_SLIPS: list[tuple[Callable[[int, int, int], bool], str, str]] = [
    (
        lambda h, s, n: _xor_states(h, s)[0].right,
        "a network that is never updated (zero_grad() between loss.backward() and the update, "
        "or the update before loss.backward())",
        "net.zero_grad(), then loss.backward(), then the update, in each step",
    ),
    (
        lambda h, s, n: _xor_states(h, s, "relu")[n].right,
        "ReLU hidden neurons, MLP's default",
        'build it with activation="tanh"',
    ),
    (
        lambda h, s, n: _xor_states(h, s, zero_grad=False)[n].right,
        "a loop without zero_grad()",
        _no_zero_grad("net"),
    ),
    (
        lambda h, s, n: _xor_states(h, s, lr=0.1)[n].right,
        "a step of 0.1",
        "the recipe's learning rate is 1.0",
    ),
    (
        lambda h, s, n: _xor_states(h, 0)[n].right,
        "seed 0 for every seed",
        "build each network from rng=random.Random(seed)",
    ),
    (
        lambda h, s, n: _xor_states(h, s + 1)[n].right,
        "seed + 1",
        "build each network from rng=random.Random(seed)",
    ),
    (
        lambda h, s, n: _xor_states(h, s, layers=2)[n].right,
        "two hidden layers, MLP(2, [hidden, hidden, 1])",
        "build one hidden layer of hidden neurons, MLP(2, [hidden, 1]), as the exercise asks",
    ),
    (
        lambda h, s, n: _xor_states(2, s)[n].right,
        "2 hidden neurons whatever hidden is",
        "build MLP(2, [hidden, 1]), with the argument hidden",
    ),
    (
        lambda h, s, n: _xor_states(h, s)[300].right,
        "300 updates whatever steps is",
        "loop for _ in range(steps), with the argument steps",
    ),
    (
        lambda h, s, n: _xor_states(h, s)[n + 1].right,
        "steps + 1 updates",
        "loop for _ in range(steps)",
    ),
    (
        lambda h, s, n: _xor_states(h, s)[n].above_half,
        "a threshold of 0.5 on the score",
        "a corner is right when its score has the sign of its class, score > 0 for class 1",
    ),
    (
        lambda h, s, n: _xor_states(h, s)[n - 1].loss < 0.1,
        "a loss below 0.1",
        "return whether all four points are right, not whether the loss is small",
    ),
]


def _is_bool(x: object) -> bool:
    """Whether ``x`` is True or False, NumPy's ``np.True_`` (``np.all``'s answer) included, without
    importing NumPy (its type is ``numpy.bool``, ``numpy.bool_`` before NumPy 2)."""
    return type(x).__name__ in ("bool", "bool_")


def _call_in_time(
    report: Report, name: str, fn: Any, asked: str, *args: Any, **kwargs: Any
) -> tuple[bool, Any]:
    """:func:`_call`, stopped by budget.py's clock after its ``_SECONDS``: a loop that trains until
    the network is right never ends on a seed that gets stuck."""
    budget = _Budget(0)  # no steps are counted, only the time
    budget.start()
    try:
        return _call(report, name, fn, asked, *args, **kwargs)
    except _OutOfSteps:
        mistake = "train for steps steps, not until solved"
        message = f"{name} did not return in {budget.seconds:g} s: {mistake}."
        report.checks.append(Check(name, False, message, mistake))
        return False, None
    finally:
        budget.stop()


def _outside_network(fn: Any) -> str | None:
    """The name of a network made outside ``fn`` that ``fn`` uses (a global such as the page's
    ``model``, or a variable of an enclosing function), else ``None``: a function that trains or
    judges a network already trained, in place of a fresh one, answers True for every run."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    scope = dict(getattr(fn, "__globals__", {}))
    for name, cell in zip(code.co_freevars, getattr(fn, "__closure__", None) or (), strict=False):
        with contextlib.suppress(ValueError):  # a cell not filled yet
            scope[name] = cell.cell_contents
    codes: list[CodeType] = [code]
    names: list[str] = []
    while codes:  # the names of fn's code, and of the functions and comprehensions inside it
        c = codes.pop()
        names += [*c.co_names, *c.co_freevars]
        codes += [k for k in c.co_consts if inspect.iscode(k)]
    for name in dict.fromkeys(names):
        value = scope.get(name)
        if value is not None and not isinstance(value, type) and callable(getattr(value, "parameters", None)):
            return name
    return None


def _answers_match(slip: Callable[[int, int, int], bool], answers: Sequence[bool]) -> bool:
    """Whether the slip gives these answers to the first runs, computed up to the first that differs
    (each new network the slip trains takes a while)."""
    return all(slip(*run) == answer for run, answer in zip(_XOR_RUNS, answers, strict=False))


def check_solves_xor(solves_xor: Callable[..., bool]) -> Report:
    """Check exercise 4 of *XOR*: ``solves_xor(hidden, seed, steps=300)`` on a few seeds.

    Args:
        solves_xor: The reader's function: train ``MLP(2, [hidden, 1])`` (tanh) from
            ``random.Random(seed)`` with BCE and a step of 1.0 for ``steps`` steps, and say
            whether all four corners come out right.

    Returns:
        A :class:`Report`: the answers for 2 hidden neurons and seeds 0 to 7 (including a
        seed that gets stuck), then for 4 hidden neurons and for shorter runs, each compared
        with the same recipe run with micrograd. Each call may take 10 seconds.

    Example:
        >>> def solves_xor(hidden, seed, steps=300):
        ...     from micrograd.nn import MLP
        ...     net = MLP(2, [hidden, 1], activation="tanh", rng=random.Random(seed))
        ...     _bce_training(net, _CORNERS, [0, 1, 1, 0], steps)
        ...     return all((net(x).data > 0) == (t == 1) for x, t in zip(_CORNERS, [0, 1, 1, 0]))
        >>> print(check_solves_xor(solves_xor).passed)
        True
    """
    report = Report("XOR, exercise 4: is one seed enough?")
    expected = [_xor_states(h, s)[n].right for h, s, n in _XOR_RUNS]
    answers: list[bool] = []
    slips = _XOR_SLIPS  # those whose answers are all the reader's so far, once the reader's differ
    for hidden, seed, steps in _XOR_RUNS:
        # Each call runs under the clock, several times slower than it would alone: past seeds 0
        # to 7 (whose answers the first check shows), a wrong function is asked only while a
        # slip may still be named.
        if len(answers) >= 8 and answers != expected[: len(answers)]:
            slips = [slip for slip in slips if _answers_match(slip[0], answers)]
            if not slips:
                break
        run = f"solves_xor({hidden}, {seed}" + (")" if steps == 300 else f", steps={steps})")
        kwargs = {} if steps == 300 else {"steps": steps}
        ok, answer = _call_in_time(
            report, run, solves_xor, "solves_xor(hidden, seed, steps=300)", hidden, seed, **kwargs
        )
        if not ok:
            return report
        if not _is_bool(answer):
            mistake = "return True when all four points are right, else False"
            report.checks.append(
                Check(
                    run, False, f"{run} returned {_rounded(answer)}, not True or False: {mistake}.", mistake
                )
            )
            return report
        answers.append(bool(answer))
    mistake = (
        'train a fresh MLP(2, [hidden, 1], activation="tanh", rng=random.Random(seed)) on each call, '
        "steps steps of binary cross-entropy with logits and a step of 1.0, and return True when every "
        "corner's score has the sign of its class, else False"
    )
    if answers != expected:
        slip = next((s for s in slips if _answers_match(s[0], answers)), None)
        outside = _outside_network(solves_xor) if all(answers) else None
        if outside:
            mistake = (
                f"every answer is True, even seed 7's with 2 hidden neurons, which gets stuck: solves_xor "
                f"uses {outside}, a network made outside it, so each call starts from one already trained: "
                f"{_FRESH_NETWORK}"
            )
        elif slip:
            mistake = f"these match the answers of {slip[1]}, for example: {slip[2]}"
    first = answers[:8] != expected[:8]
    name = "2 hidden neurons, seeds 0 to 7" if first else "4 hidden neurons, and shorter runs"
    if first:
        wrong = [s for s in range(8) if answers[s] != expected[s]]
        message = f"{name}: the answers for seeds {wrong} differ from the recipe's: {mistake}."
        report.checks.append(Check(name, False, message, mistake))
        return report
    solved = [s for s in range(8) if expected[s]]
    report.checks.append(Check("2 hidden neurons, seeds 0 to 7", True, f"solved by seeds {solved}"))
    bad = next((i for i in range(8, len(answers)) if answers[i] != expected[i]), None)
    if bad is None:
        report.checks.append(
            Check(name, True, "4 hidden neurons solve seed 7, and seed 1 is solved from its 9th step")
        )
    else:
        h, s, n = _XOR_RUNS[bad]
        run = f"solves_xor({h}, {s}" + (")" if n == 300 else f", steps={n})")
        message = f"{name}: {run} returned {answers[bad]}, the recipe gives {expected[bad]}: {mistake}."
        report.checks.append(Check(name, False, message, mistake))
    return report


def check_misclassified(
    model: Any, points: Sequence[Sequence[float]], classes: Sequence[int], wrong: Any
) -> Report:
    """Check exercise 2 of *Multiclass*: the list of test points the network gets wrong.

    Args:
        model: The trained network, returning one logit per class.
        points: The test points.
        classes: Their true classes.
        wrong: Your list of the points the network gets wrong.

    Returns:
        A :class:`Report`: your list holds exactly the points whose largest logit is not
        their class.

    Example:
        >>> model = lambda x: [Value(x[0]), Value(x[1])]  # class 1 wins where x[1] is larger
        >>> print(check_misclassified(model, [[1, 0], [0, 1]], [0, 0], [[0, 1]]).passed)
        True
    """
    report = Report("Multiclass, exercise 2: where are the mistakes?")
    truly = []
    for x, c in zip(points, classes, strict=True):
        scores = [z.data for z in model(x)]
        if max(range(len(scores)), key=lambda k: scores[k]) != c:
            truly.append(tuple(float(v) for v in x))
    name = f"{len(truly)} wrong test point{'s' if len(truly) != 1 else ''}"
    mistake = (
        "keep the points themselves in the list, each [x1, x2] as in X_test "
        "(wrong_points.append(x)), and print their classes and probabilities beside it"
    )
    if isinstance(wrong, str) or not hasattr(wrong, "__iter__"):
        got = _not_a_number(wrong) or f"{_num(wrong)}, a number (a count?)"
        report.checks.append(Check(name, False, f"{name}: wrong_points is {got}: {mistake}.", mistake))
        return report
    try:
        listed = [tuple(float(v) for v in x) for x in wrong]
    except (TypeError, ValueError):
        first = next(x for x in wrong if not _is_a_point(x))
        if _not_a_number(first) is None and not isinstance(first, bool):
            entries = [x for x in wrong if _not_a_number(x) is None]
            if all(_as_float(x) in set(classes) for x in entries):
                held = f"the number {_num(first)} (a class?)"
            elif all(_as_float(x).is_integer() and 0 <= _as_float(x) < len(points) for x in entries):
                held = f"the number {_num(first)} (an index?)"
            else:
                held = f"the number {_num(first)}"
        else:
            held = f"{_rounded(first)}, a {type(first).__name__}"
        report.checks.append(Check(name, False, f"{name}: your list holds {held}: {mistake}.", mistake))
        return report
    missing = [x for x in truly if x not in listed]
    extra = [x for x in listed if x not in truly]
    tests = {tuple(float(v) for v in x) for x in points}
    strangers = [x for x in extra if x not in tests]
    twice = next((x for x in listed if listed.count(x) > 1), None)
    if not missing and not extra and len(listed) == len(truly):
        report.checks.append(Check(name, True, f"your list has all {len(truly)} and nothing else"))
    elif strangers and all(len(x) != len(points[0]) and abs(sum(x) - 1) < 1e-6 for x in strangers):
        mistake = (
            "keep the points themselves, wrong_points.append(x), and print their probabilities beside them"
        )
        size = len(strangers[0])
        message = (
            f"{name}: your list holds rows of {size} numbers that sum to 1, such as "
            f"{_rounded(strangers[0])}: those are probabilities: {mistake}."
        )
        report.checks.append(Check(name, False, message, mistake))
    elif twice is not None and not missing and not extra:
        mistake = "go through the test points once, and add each wrong point once"
        times = {2: "twice"}.get(listed.count(twice), f"{listed.count(twice)} times")
        message = f"{name}: your list has {_rounded(twice)} {times}: {mistake}."
        report.checks.append(Check(name, False, message, mistake))
    elif strangers:
        mistake = "go through the test points, zip(X_test, y_test), not the training points"
        stranger = ", ".join(_num(v) for v in strangers[0])
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: your list has points that are not test points, such as ({stranger}), "
                f"and misses {len(missing)}: {mistake}.",
                mistake,
            )
        )
    elif not missing and len(listed) == len(points) and len(extra) == len(points) - len(truly):
        mistake = (
            "the guess is the class with the largest probability, its index, "
            "max(range(len(probs)), key=lambda k: probs[k]), not the largest probability itself, "
            "max(probs), which is never equal to a class"
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: your list holds every test point, as if no guess were ever right: {mistake}.",
                mistake,
            )
        )
    else:
        mistake = (
            "a point is wrong when the class with the largest logit (or probability) is not its true class; "
            "go through every test point once"
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: your list misses {len(missing)} and has {len(extra)} that the network gets right: "
                f"{mistake}.",
                mistake,
            )
        )
    return report


def _is_a_point(x: object) -> bool:
    try:
        [float(v) for v in x]  # type: ignore[attr-defined]  # anything may come in
    except (TypeError, ValueError):
        return False
    return True


def _rounded(x: object) -> str:
    """Something the reader kept, written with its numbers rounded as a report writes them:
    ``([-0.00581255, -0.0156202], 2, 1)`` rather than seventeen digits each."""
    if isinstance(x, (list, tuple)):
        inner = ", ".join(_rounded(v) for v in x)
        if isinstance(x, list):
            return f"[{inner}]"
        return f"({inner},)" if len(x) == 1 else f"({inner})"
    if hasattr(x, "data") and hasattr(x, "grad"):
        return f"{type(x).__name__}(data={_num(getattr(x, 'data', None))})"
    if _not_a_number(x) is None:
        return _num(x)
    return repr(x)


# What _residual_grads measures of each layer: the exercise's mean of |w.grad| over the weights, or
# a slip's measure in its place.
_Measure = Literal["mean", "signed", "max", "data", "biases"]


def _residual_grads(
    residual: bool,
    depth: int,
    width: int,
    batch: int,
    seed: int,
    activation: Activation = "sigmoid",
    measure: _Measure = "mean",
) -> list[float]:
    """The page's experiment: mean |dL/dw| of each layer, with or without shortcuts; or a known
    wrong version of it: another activation, or another measure of the layer than the mean of
    |w.grad| over its weights (``"signed"``, the mean of w.grad; ``"max"``, the largest |w.grad|;
    ``"data"``, the mean of |w.data|; ``"biases"``, the mean of |p.grad| over the weights and the
    biases)."""
    from micrograd.nn import MLP

    rng = random.Random(seed)
    model = MLP(width, [width] * depth + [1], activation=activation, rng=rng)
    xs = [[rng.gauss(0, 1) for _ in range(width)] for _ in range(batch)]
    ys = [rng.choice([-1.0, 1.0]) for _ in range(batch)]
    hidden, output = model.layers[:-1], model.layers[-1]
    loss = Value(0.0)
    for x, y in zip(xs, ys, strict=True):
        h = cast(list[Value], hidden[0](x))
        for layer in hidden[1:]:
            out = cast(list[Value], layer(h))
            h = [a + b for a, b in zip(h, out, strict=True)] if residual else out
        loss = loss + (cast(Value, output(h)) - y) ** 2
    (loss / batch).backward()
    grads = []
    for layer in model.layers:
        if measure == "data":
            ws = [abs(w.data) for n in layer.neurons for w in n.w]
        elif measure == "biases":
            ws = [abs(p.grad) for n in layer.neurons for p in (*n.w, n.b)]
        else:
            ws = [w.grad if measure == "signed" else abs(w.grad) for n in layer.neurons for w in n.w]
        grads.append(max(ws) if measure == "max" else sum(ws) / len(ws))
    return grads


def _fed_twice(err: BaseException) -> tuple[int, int] | None:
    """(the number of inputs given, the number taken) where a micrograd ``Layer`` or ``Neuron`` in
    the traceback of ``err``, or of an error it replaced (an answer that catches and raises its own),
    was given twice the inputs it takes: ``h = layer(h) + h`` joins two lists; else ``None``."""
    from micrograd.nn import Layer, Neuron

    seen: set[int] = set()
    error: BaseException | None = err
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        for frame, _ in _frames(error):
            x, owner = frame.f_locals.get("x"), frame.f_locals.get("self")
            try:
                if frame.f_code is Layer.__call__.__code__:
                    takes = len(owner.neurons[0].w)
                elif frame.f_code is Neuron.__call__.__code__:
                    takes = len(owner.w)
                else:
                    continue
                given = len(x)
            except (AttributeError, IndexError, TypeError):  # an input with no length: not two lists
                continue
            if given == 2 * takes:
                return given, takes
        error = error.__context__
    return None


def _residual_stopped(name: str, err: BaseException, residual: bool) -> Check:
    """The failed check of a ``first_and_last_grad`` that raised ``err``: lists joined by ``+``
    when a layer was given twice its inputs, else what the error says, as :func:`_attempt` puts it."""
    fed = _fed_twice(err) if residual else None
    if fed:
        mistake = "+ on lists joins them: add elementwise with zip, h = [a + b for a, b in zip(h, layer(h))]"
        message = f"{name}: a layer of width {fed[1]} was given {fed[0]} inputs: {mistake}."
        return Check(name, False, message, mistake)
    what, mistake = _describe_error(err, "")
    return Check(name, False, _stopped_message(name, what, mistake), mistake)


# The probe network's other activations, and what a reader should know of each.
_OTHER_ACTIVATIONS: tuple[tuple[Activation, str], ...] = (
    ("relu", " (MLP's default)"),
    ("tanh", ""),
    ("linear", ""),
)


# Slips in what exercise 3 of *Deep networks* takes the mean of, as _residual_grads's measure,
# and the mistake, without the formula: the exercise's text says what to measure.
_RESIDUAL_MEASURES: tuple[tuple[_Measure, str], ...] = (
    (
        "max",
        "that is the largest |w.grad| of the layer: the exercise asks for the mean absolute weight "
        "gradient, an average over all of the layer's weights",
    ),
    (
        "data",
        "that is the mean of |w.data|, the size of the weights themselves: the exercise measures their "
        "gradients, which backward() leaves in each weight",
    ),
    (
        "biases",
        "the biases' gradients are counted with the weights': the exercise asks for the weight gradient, "
        "each neuron's n.w, without its bias n.b",
    ),
)


def check_residual(first_and_last_grad: Callable[..., tuple[float, float]]) -> Report:
    """Check exercise 3 of *Deep networks*: ``first_and_last_grad(residual, depth, width, batch, seed)``.

    Args:
        first_and_last_grad: The reader's function: the mean absolute weight gradient of
            the first and of the last layer of a sigmoid MLP, with or without residual
            connections on every hidden layer but the first.

    Returns:
        A :class:`Report`: both versions on a small network (depth 4, width 3, batch 2),
        compared with the same experiment run here.

    Example:
        >>> def first_and_last_grad(residual, depth=20, width=8, batch=16, seed=0):
        ...     grads = _residual_grads(residual, depth, width, batch, seed)
        ...     return grads[0], grads[-1]
        >>> print(check_residual(first_and_last_grad).passed)
        True
    """
    report = Report("Deep networks, exercise 3: residual connections")
    asked = "first_and_last_grad(residual, depth=20, width=8, batch=16, seed=0)"
    for residual, seed in ((False, 0), (True, 0), (True, 1)):
        name = f"first_and_last_grad({residual}, depth=4, width=3, batch=2, seed={seed})"
        sizes = {"depth": 4, "width": 3, "batch": 2, "seed": seed}
        try:
            inspect.signature(first_and_last_grad).bind(residual, **sizes)
        except TypeError:  # not the exercise's arguments, or not a function: _call says so, without a call
            _call(report, name, first_and_last_grad, asked, residual, **sizes)
            return report
        except ValueError:  # no signature to read (a builtin): the call itself says what is wrong
            pass
        try:  # called here, not through _call, to read the error's traceback
            got = first_and_last_grad(residual, **sizes)
        except Exception as err:  # the reader's code may raise anything
            report.checks.append(_residual_stopped(name, err, residual))
            return report
        try:
            first, last = got
            what = _not_a_number(first) or _not_a_number(last)
        except (TypeError, ValueError):
            what = f"a {type(got).__name__}" if got is not None else "None"
        if isinstance(got, Mapping) or what:
            mistake = "return the two means as a pair of numbers, return first, last"
            got_text = "a dict" if isinstance(got, Mapping) else what
            report.checks.append(Check(name, False, f"{name} returned {got_text}: {mistake}.", mistake))
            return report
        grads = _residual_grads(residual, 4, 3, 2, seed)
        signed = _residual_grads(residual, 4, 3, 2, seed, measure="signed")
        signed_text = (
            "that is the mean of w.grad with its sign: take the mean of |w.grad|, abs(w.grad), so that "
            "gradients of opposite signs do not cancel"
        )
        # Another measure of the layer in place of the mean of |w.grad| over its weights: each
        # message names what the number is, and what the exercise measures, in its words.
        measures = [
            (_residual_grads(residual, 4, 3, 2, seed, measure=measure), text)
            for measure, text in _RESIDUAL_MEASURES
        ]
        shortcuts = (
            "that is the network with shortcuts: with residual=False each layer's output replaces h, "
            "h = layer(h)"
            if not residual
            else "that is the network without shortcuts: with residual=True each hidden layer but the first "
            "adds its input to its output, h = [a + b for a, b in zip(h, layer(h))]"
        )
        other_networks = [
            (
                _residual_grads(residual, 4, 3, 2, seed, activation=activation)[0],
                f"the network differs: yours has {activation} neurons{default}, the page's probe network "
                'sigmoid ones: MLP(width, [width] * depth + [1], activation="sigmoid", rng=rng)',
            )
            for activation, default in _OTHER_ACTIVATIONS
        ]
        first_wrongs = [
            (grads[-1], "that is the last layer's: return first, last, in that order"),
            (signed[0], signed_text),
            *((grads_of[0], text) for grads_of, text in measures),
            (_residual_grads(not residual, 4, 3, 2, seed)[0], shortcuts),
            *other_networks,
            (
                2 * grads[0],
                "that is twice the right one, 2 the batch size: the loss is the mean over the batch",
            ),
        ]
        if not _close(first, grads[0], 1e-9):  # the page's own sizes take a while: only for a wrong answer
            defaults = (
                "that is the answer for the page's depth 20, width 8 and batch 16: use the arguments depth, "
                "width and batch"
            )
            first_wrongs.append((_residual_grads(residual, 20, 8, 16, seed)[0], defaults))
        if seed != 0:
            first_wrongs.insert(
                0,
                (
                    _residual_grads(residual, 4, 3, 2, 0)[0],
                    "that is the answer for seed 0: build the network and the batch from random.Random(seed)",
                ),
            )
        if residual:  # residual=False passed: the network, the batch and the mean are right
            fallback = (
                "h = [a + b for a, b in zip(h, layer(h))] for every hidden layer after the first, then the "
                "loss, backward(), and the mean of |w.grad| over the first layer's weights"
            )
        else:
            fallback = (
                "build the network and the batch as probe does, from random.Random(seed), with sigmoid "
                "neurons; the loss is the mean squared error over the batch; then backward() and the mean "
                "of |w.grad| over the first layer's weights"
            )
        negative = "a mean of |w.grad| is never negative: take abs(w.grad)"
        if not _number_check(
            report,
            f"{name}, first",
            first,
            grads[0],
            first_wrongs,
            negative if _as_float(first) < 0 else fallback,
            rtol=1e-9,
        ) or not _number_check(
            report,
            f"{name}, last",
            last,
            grads[-1],
            [
                (
                    grads[-2],
                    "that is the last hidden layer's: the last layer is the output layer, model.layers[-1]",
                ),
                (signed[-1], signed_text),
                *((grads_of[-1], text) for grads_of, text in measures),
            ],
            negative
            if _as_float(last) < 0
            else "the mean of |w.grad| over the weights of the last layer, the output layer model.layers[-1]",
            rtol=1e-9,
        ):
            return report
    return report


def _relative_changes(
    lr: float = 0.1,
    zero_grad: bool = True,
    absolute: bool = False,
    biases: bool = False,
    data_first: bool = False,
) -> list[float]:
    """The page's experiment: how far each layer's weights move in 20 steps, relative to their size;
    or a known wrong version of it (another learning rate or a climbing step, no zero_grad, the change
    not divided by the size, the biases counted with the weights, the data drawn before the model)."""
    from micrograd.nn import MLP

    rng = random.Random(0)
    if data_first:
        xs = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(16)]
        ys = [rng.choice([-1.0, 1.0]) for _ in range(16)]
    model = MLP(8, [8] * 10 + [1], activation="sigmoid", rng=rng)
    if not data_first:
        xs = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(16)]
        ys = [rng.choice([-1.0, 1.0]) for _ in range(16)]

    def weights() -> list[list[float]]:
        return [
            [w.data for n in layer.neurons for w in (*n.w, n.b) if biases or w is not n.b]
            for layer in model.layers
        ]

    before = weights()
    for _ in range(20):
        loss = sum(((cast(Value, model(x)) - y) ** 2 for x, y in zip(xs, ys, strict=True)), Value(0.0)) / len(
            xs
        )
        if zero_grad:
            model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
    return [
        math.dist(w1, w0) / (1.0 if absolute else math.hypot(*w0))
        for w1, w0 in zip(weights(), before, strict=True)
    ]


def check_relative_change(changes: Sequence[float]) -> Report:
    """Check exercise 2 of *Deep networks*: how far each layer's weights moved in 20 steps.

    Args:
        changes: Your relative change ``‖W_after - W_before‖ / ‖W_before‖`` of each of the
            11 layers (10 hidden and the output), in order, for the page's network and batch.

    Returns:
        A :class:`Report`: each layer's change, against the same experiment run here.

    Example:
        >>> print(check_relative_change(_relative_changes()).passed)
        True
    """
    report = Report("Deep networks, exercise 2: do the first layers learn?")
    keep = "keep the list of the changes, one number per layer, from the first layer to the output layer"
    if not _is_list(report, "layers", changes, "changes", keep):
        return report
    want = _relative_changes()
    found = _first_not_a_number(changes)
    if found is not None:
        mistake = "keep one number per layer, the relative change of its weights"
        report.checks.append(Check("layers", False, f"layers: changes holds {found[1]}: {mistake}.", mistake))
        return report
    got = [_as_float(c) for c in changes]
    if len(got) != len(want):
        mistake = "give one number per layer: 10 hidden layers and the output layer"
        report.checks.append(
            Check("layers", False, f"layers: {len(got)} numbers, expected {len(want)}: {mistake}.", mistake)
        )
        return report
    close = functools.partial(math.isclose, rel_tol=1e-6)
    if not close(got[0], want[0]) and all(map(close, got, want[::-1])):
        mistake = "your list runs from the output layer down: list the layers from the first (the input's) up"
        report.checks.append(Check("layers", False, f"layers: the changes are reversed: {mistake}.", mistake))
        return report
    off = [i for i, (g, w) in enumerate(zip(got, want, strict=True)) if not close(g, w)]
    if not off:
        report.checks.append(Check("layers 1 to 11", True, f"from {_num(want[0])} to {_num(want[-1])}"))
        return report
    # The layer furthest off: a slip shows most there, where the first may be off by a rounding.
    bad = max(off, key=lambda i: abs(got[i] - want[i]) / abs(want[i]) if want[i] else math.inf)
    # Neither the experiment's numbers nor its code are shown: running it is the exercise. The
    # message says which layer is off and which way, and points back at the exercise's text.
    mistake = (
        "your experiment is not the exercise's: compare it with the text part by part (the network, then "
        "the data, from one rng; 20 steps of gradient descent on the mean squared error; the change "
        "‖W_after - W_before‖ / ‖W_before‖ of the weights alone)"
    )
    if all(g == 0 for g in got):
        mistake = (
            "no change at all: either the update ran on gradients of 0, with zero_grad() between "
            "loss.backward() and the update, or before holds the weights themselves, not their numbers w.data"
        )
    elif got[bad] == 0:
        mistake = "no change at all: read the weights after training, and change p.data in the update"
    else:
        for wrong, text in _RELATIVE_CHANGE_MISTAKES:
            if all(map(close, got, _relative_changes(**wrong))):
                mistake = text
                break
    name = f"layer {bad + 1}"
    way = "larger" if got[bad] > want[bad] else "smaller"
    message = f"{name} gave {_num(got[bad])}, {way} than in the exercise's experiment: {mistake}."
    report.checks.append(Check(name, False, message, mistake))
    return report


# Known wrong versions of exercise 2's experiment: the arguments of _relative_changes, and the mistake.
_RELATIVE_CHANGE_MISTAKES: list[tuple[dict[str, Any], str]] = [
    ({"lr": 0.01}, "those are the changes at learning rate 0.01: the exercise's is 0.1"),
    ({"lr": 1.0}, "those are the changes at learning rate 1.0: the exercise's is 0.1"),
    (
        {"lr": 1.6},
        "those are the changes with the summed loss, 16 times the mean: the loss is the mean squared "
        "error, the sum divided by the 16 points",
    ),
    ({"zero_grad": False}, "the gradients of every step add up: nothing resets them between steps"),
    ({"lr": -0.1}, "the step climbs the loss: a step of gradient descent goes against the gradient"),
    (
        {"absolute": True},
        "that is how far the weights moved, not relative to their size, ‖W_before‖",
    ),
    (
        {"biases": True},
        "the biases are counted with the weights: only the weights count",
    ),
    (
        {"data_first": True},
        "the data was drawn from rng before the model was built, so the model's weights differ: build "
        "the model first, then draw xs and ys from the same rng, as the page does",
    ),
]


def _scores(model: Any, points: Sequence[Sequence[float]]) -> list[float]:
    """The network's score of each point."""
    return [cast(Value, model(list(x))).data for x in points]


def _right_share(scores: Sequence[float], labels: Sequence[int], threshold: float = 0.0) -> float:
    """The share of points whose score is above ``threshold`` exactly when their 0/1 label is 1."""
    return sum((s > threshold) == (t == 1) for s, t in zip(scores, labels, strict=True)) / len(labels)


def _scores_and_accuracy(
    model: Any, points: Sequence[Sequence[float]], labels: Sequence[int]
) -> tuple[list[float], float]:
    """The network's scores of the points, and the share of them that have the sign of their 0/1 label."""
    scores = _scores(model, points)
    return scores, _right_share(scores, labels)


def _accuracy(model: Any, points: Sequence[Sequence[float]], labels: Sequence[int]) -> float:
    """The share of points whose score has the sign of their 0/1 label."""
    return _scores_and_accuracy(model, points, labels)[1]


def _key(name: object) -> str:
    """A key of the reader's dict as the report names it: a text in quotes, anything else (a
    network, whose repr fills lines) by its type."""
    return repr(name) if isinstance(name, (str, int, float)) else f"{type(name).__name__}(...)"


def _network_labels(models: Mapping[Any, Any]) -> dict[Any, str]:
    """Each network's name as the report writes it: a text as it is, any other key as :func:`_key`
    writes it, with its place among the keys when two would read the same (two MLP(...))."""
    labels = {name: name if isinstance(name, str) else _key(name) for name in models}
    seen = list(labels.values())
    return {
        name: f"{label} (key {i})" if seen.count(label) > 1 else label
        for i, (name, label) in enumerate(labels.items(), 1)
    }


def check_generalisation(
    models: Mapping[str, Any],
    points: Sequence[Sequence[float]],
    labels: Sequence[int],
    accuracies: Mapping[str, float],
) -> Report:
    """Check exercise 1 of *Two moons*: each trained network's accuracy on new points.

    Args:
        models: The trained networks by name.
        points: The new points (not the training points), a list or a NumPy array.
        labels: Their classes, 0 or 1.
        accuracies: Your accuracy of each network on the new points, by the same names.

    Returns:
        A :class:`Report`: each accuracy, computed again on the points given.

    Example:
        >>> model = lambda x: Value(x[0])  # class 1 where x[0] > 0
        >>> report = check_generalisation({"m": model}, [[1.0], [-1.0], [2.0]], [1, 0, 0], {"m": 2 / 3})
        >>> print(report.passed)
        True
    """
    report = Report("Two moons, exercise 1: does it generalise?")
    keys = " and ".join(_key(name) for name in models)
    found = ""
    if not isinstance(accuracies, Mapping):
        found = "your new_accuracy is " + ("None" if accuracies is None else f"a {type(accuracies).__name__}")
    elif any(name not in models for name in accuracies):
        found = f"found the keys {' and '.join(_key(name) for name in accuracies)}"
    if found:
        mistake = f"new_accuracy must be a dict with the keys {keys}, one accuracy per network"
        report.checks.append(Check("new_accuracy", False, f"new_accuracy: {found}: {mistake}.", mistake))
        return report
    # make_moons's arrays, without .tolist(), give the same accuracies: read them as lists.
    if hasattr(points, "tolist"):
        points = cast(Any, points).tolist()
    if hasattr(labels, "tolist"):
        labels = cast(Any, labels).tolist()
    drawn = "the new points and their classes, as lists: X_new, y_new = X_new.tolist(), y_new.tolist()"
    if not _is_list(report, "X_new", points, "X_new", drawn) or not _is_list(
        report, "y_new", labels, "y_new", drawn
    ):
        return report
    # How the points differ from the exercise's new ones as scikit-learn draws them: "" when they
    # are those, None when it cannot tell (no scikit-learn, or not points of the plane).
    plane = bool(points) and all(len(x) == 2 for x in points)
    moons_mistake = _new_moons_mistake(points, labels) if plane else None
    if moons_mistake:
        report.checks.append(
            Check("X_new and y_new", False, f"X_new and y_new: {moons_mistake}.", moons_mistake)
        )
        return report
    fallback = (
        "count the new points whose score has the sign of their class (score > 0 for class 1), "
        "divided by the number of new points"
    )
    shown = _network_labels(models)
    scores: dict[Any, list[float]] = {}
    wants: dict[Any, float] = {}
    for name, model in models.items():
        ok, measured = _attempt(
            report, f"accuracy of {shown[name]}", _scores_and_accuracy, model, points, labels
        )
        if not ok:
            return report
        scores[name], wants[name] = measured
    shared: _SharedSlips | None = None  # the same for every network: made at the first wrong accuracy
    for name, model in models.items():
        want = wants[name]
        if name not in accuracies:
            mistake = "measure every network"
            message = f"{shown[name]}: no accuracy given: {mistake}."
            report.checks.append(Check(shown[name], False, message, mistake))
            continue
        got = accuracies[name]
        # An accuracy of 500 points is a multiple of 0.002: float32's 7 digits are close enough.
        mistake = fallback
        if _not_a_number(got) is None and not _close(got, want, 1e-6):
            shared = shared or _shared_slips(points, labels, moons_mistake == "")
            others = [
                (wants[other], repr(shown[other]) if isinstance(other, str) else shown[other])
                for other in models
                if other != name
            ]
            mistake = (
                _accuracy_mistake(_as_float(got), want, model, scores[name], labels, others, shared)
                or fallback
            )
        _number_check(report, f"accuracy of {shown[name]}", got, want, [], mistake, rtol=1e-6)
    return report


class _SharedSlips(NamedTuple):
    """What the accuracy slips of every network draw on, made once: the page's training points
    and the accuracy of its first network untrained, when the points are the exercise's."""

    training: tuple[list[list[float]], list[int]] | None
    untrained: float | None


def _shared_slips(points: Sequence[Sequence[float]], labels: Sequence[int], moons: bool) -> _SharedSlips:
    """The :class:`_SharedSlips` of these new points (``moons``: the exercise's)."""
    make_moons = _make_moons()
    if not moons or make_moons is None:
        return _SharedSlips(None, None)
    from micrograd.nn import MLP

    xs, ys = make_moons(100, noise=0.1, random_state=1)
    untrained = _accuracy(MLP(2, [16, 16, 1], rng=random.Random(1)), points, labels)
    return _SharedSlips((xs.tolist(), ys.tolist()), untrained)


def _accuracy_mistake(
    got: float,
    want: float,
    model: Any,
    scores: Sequence[float],
    labels: Sequence[int],
    others: Sequence[tuple[float, str]],
    shared: _SharedSlips,
) -> str:
    """What the reader's wrong accuracy of ``model`` (whose ``scores`` of the new points are
    known) is, judged by the number it gave (``others``: the other networks' accuracies, each with
    its name as the report writes it): each slip that gives this number, joined by "or" when
    several do (on the page's networks, the training points and a threshold of 0.5 both give 1),
    or ``""``."""
    n = len(labels)
    slips: list[tuple[float, str, str]] = [
        (want * 100, "a percentage", "give the accuracy as a fraction between 0 and 1, not a percentage"),
        (want * n, "the number of right points", "divide it by the number of new points"),
        (1 - want, "the share of wrong points", "the accuracy is the share of right ones"),
    ]
    if shared.training:  # the exercise's new points: the page's training points are known
        slips.append(
            (
                _accuracy(model, *shared.training),
                "the accuracy on the training points X, y",
                "measure it on the new points, X_new and y_new",
            )
        )
    slips += [
        (acc, f"the accuracy of the network {other}", "measure each network with its own model")
        for acc, other in others
    ]
    slips += [
        (
            _right_share(scores, labels, threshold=0.5),
            "the accuracy with the threshold 0.5",
            "a score above 0 means class 1; a score is not a probability",
        ),
        (
            sum((1 if s > 0 else 0) == 2 * t - 1 for s, t in zip(scores, labels, strict=True)) / n,
            "the accuracy against the labels -1 and 1",
            "compare the predictions with the classes 0 and 1 of y_new",
        ),
    ]
    if shared.untrained is not None:  # and the page's first network, untrained
        slips.append(
            (
                shared.untrained,
                "the accuracy of the untrained network model",
                "measure the trained ones, hinge_model and bce_model",
            )
        )
    found = [
        (what, fix)
        for value, what, fix in slips
        if _close(got, value, 1e-6) and not _close(want, value, 1e-6)
    ]
    if len(found) == 1:
        return f"that is {found[0][0]}: {found[0][1]}"
    if found:  # several slips give this number: name them all, "the accuracy" once
        prefix = "the accuracy "
        whats = [
            what.removeprefix(prefix) if i and found[0][0].startswith(prefix) else what
            for i, (what, _) in enumerate(found)
        ]
        fix = "measure each network on X_new and y_new, with score > 0 for class 1"
        return f"that is {', or '.join(whats)}: {fix}"
    return ""


def _make_moons() -> Callable[..., Any] | None:
    """scikit-learn's make_moons, which draws the page's points, or ``None`` without scikit-learn."""
    try:
        from sklearn.datasets import make_moons  # type: ignore[import-untyped]  # no stubs
    except ImportError:
        return None
    return cast(Callable[..., Any], make_moons)


def _new_moons_mistake(points: Sequence[Sequence[float]], labels: Sequence[int]) -> str | None:
    """How the reader's new points differ from the exercise's; ``""`` when they are the exercise's,
    ``None`` when it cannot tell (scikit-learn, which draws them, is not installed)."""
    make_moons = _make_moons()
    if make_moons is None:
        return None
    xs, ys = make_moons(500, noise=0.1, random_state=2)
    recipe = "draw them with make_moons(500, noise=0.1, random_state=2), as lists X_new and y_new"
    if len(points) != len(xs):
        return f"X_new holds {len(points)} points, the exercise's 500 new ones: {recipe}"
    if not all(
        _close(a, b)
        for x, want in zip(points, xs.tolist(), strict=True)
        for a, b in zip(x, want, strict=True)
    ):
        return f"X_new is not the exercise's new points (another random_state, or no noise?): {recipe}"
    if [int(t) for t in labels] != ys.tolist():
        return f"y_new is not the classes of X_new: {recipe}, then keep both"
    return ""


def check_tanh_model(model: Any, points: Sequence[Sequence[float]], labels: Sequence[int]) -> Report:
    """Check exercise 2 of *Two moons*: a network with tanh hidden neurons, trained on the moons.

    Args:
        model: Your trained ``MLP``.
        points: The training points.
        labels: Their classes, 0 or 1.

    Returns:
        A :class:`Report`: the hidden neurons use tanh, and the network classifies at
        least 95% of the training points right.

    Example:
        >>> from micrograd.nn import MLP
        >>> net = MLP(1, [2, 1], activation="tanh", rng=random.Random(0))
        >>> print(check_tanh_model(net, [[1.0]], [int(net([1.0]).data > 0)]).passed)
        True
    """
    report = Report("Two moons, exercise 2: straight pieces or a smooth curve?")
    if isinstance(model, tuple):
        mistake = "train returns (model, history): unpack it, tanh_model, history = train(...)"
        message = f"tanh_model: your tanh_model is a tuple of {len(model)}, not a network: {mistake}."
        report.checks.append(Check("tanh_model", False, message, mistake))
        return report
    if not callable(model):  # None, or the history of `_, tanh_model = train(...)`: no network to look at
        if model is None:
            what = "None, not a network (did a function end without return?)"
            mistake = (
                "the network comes from train: tanh_model, history = train(...) with the page's "
                "train; a training function of your own must end with return model"
            )
        elif isinstance(model, Mapping):
            what = f"a {type(model).__name__}{', the history' if 'loss' in model else ''}, not a network"
            mistake = "train returns (model, history), the network first: tanh_model, history = train(...)"
        else:
            what = f"a {type(model).__name__}, not a network"
            mistake = 'tanh_model must be the trained MLP(2, [16, 16, 1], activation="tanh", ...) itself'
        message = f"tanh_model: your tanh_model is {what}: {mistake}."
        report.checks.append(Check("tanh_model", False, message, mistake))
        return report
    try:
        hidden = [n.activation for layer in model.layers[:-1] for n in layer.neurons]
    except AttributeError:
        hidden = []
    if hidden and all(a == "tanh" for a in hidden):
        report.checks.append(Check("hidden activation", True, "tanh in every hidden neuron"))
    else:
        mistake = 'build the network with MLP(2, [16, 16, 1], activation="tanh", ...)'
        found = _activation_names(hidden) or "no hidden layers"
        report.checks.append(
            Check(
                "hidden activation", False, f"hidden activation: {found}, expected tanh: {mistake}.", mistake
            )
        )
    ok, acc = _attempt(report, "training accuracy", _accuracy, model, points, labels)
    if ok:
        if acc >= 0.95:
            report.checks.append(Check("training accuracy", True, f"{acc:.0%}"))
        else:
            mistake = "train it like the ReLU network: the hinge loss, a learning rate of 1.0, 100 steps"
            report.checks.append(
                Check(
                    "training accuracy",
                    False,
                    f"training accuracy: {acc:.0%}, expected at least 95%: {mistake}.",
                    mistake,
                )
            )
    return report


def check_two_classes(rows: Sequence[Sequence[float]]) -> Report:
    """Check exercise 1 of *Multiclass*: softmax over two logits is the sigmoid.

    Args:
        rows: One row per ``z`` you tried: ``(z, softmax([z, 0])[0], sigmoid(z),
            cross_entropy([[z, 0]], [0]), -log(sigmoid(z)))``.

    Returns:
        A :class:`Report`: each row's numbers, computed again, and the two equalities.

    Example:
        >>> def row(z):
        ...     s = 1 / (1 + math.exp(-z))
        ...     return z, s, s, -math.log(s), -math.log(s)
        >>> print(check_two_classes([row(-1.5), row(0.7)]).passed)
        True
    """
    from micrograd.losses import cross_entropy, softmax

    report = Report("Multiclass, exercise 1: two classes are a special case")
    table = _rows_of_five(report, rows)
    if table is None:
        return report
    for row in table:
        z, p_first, sig, ce, neg_log = row
        want = (
            softmax([Value(z), Value(0.0)])[0].data,
            Value(z).sigmoid().data,
            cross_entropy([[Value(z), Value(0.0)]], [0]).data,
            -math.log(Value(z).sigmoid().data),
        )
        names = ("softmax([z, 0])[0]", "sigmoid(z)", "cross-entropy of class 0", "-log sigmoid(z)")
        bad = [
            (n, g, w)
            for n, g, w in zip(names, (p_first, sig, ce, neg_log), want, strict=True)
            if not _close(g, w, 1e-9, 1e-12)
        ]
        name = f"z = {_num(z)}"
        if bad:
            # The row's right number is not shown: computing it is the exercise. The message names
            # the column and what the reader's number is instead, where that can be told.
            n, g, w = bad[0]
            mistake = _two_classes_slip(n, z, g, w)
            report.checks.append(Check(name, False, f"{name}: your {n} is {_num(g)}: {mistake}.", mistake))
        else:
            report.checks.append(
                Check(
                    name,
                    True,
                    f"softmax = sigmoid = {_num(want[0])}, cross-entropy = -log sigmoid = {_num(want[2])}",
                )
            )
    if not table:
        report.checks.append(
            Check("rows", False, "rows: none given: try a few values of z.", "try a few values of z")
        )
        return report
    # At z = 0 every probability is 1/2 whatever the logits' order or the class: rows of z = 0
    # alone fail. A mistake may also show on one side only, so a missing side is a note.
    sides = [
        side
        for side, sign in (("a negative", -1), ("a positive", 1))
        if all(row[0] * sign <= 0 for row in table)
    ]
    if sides:
        why = (
            "at z = 0 both classes have probability 1/2, which hides mistakes"
            if len(sides) == 2
            else "a mistake may show on one side of 0 only"
        )
        mistake = f"try {' and '.join(sides)} z too: {why}"
        zs = ", ".join(_num(row[0]) for row in table)
        message = f"rows: you tried z = {zs}: {mistake}."
        report.checks.append(Check("rows", False, message, mistake, advisory=len(sides) == 1))
    return report


def _two_classes_slip(column: str, z: float, got: float, right: float) -> str:
    """What a wrong number of one column of a row of exercise 1 of *Multiclass* is, in words that
    do not give the right number."""
    if column == "softmax([z, 0])[0]":
        if _close(got, 1 - right, 1e-9, 1e-12):
            return (
                "that is softmax([0, z])[0] (or softmax([z, 0])[1]): put z first, softmax([z, 0]), "
                "and take its first entry"
            )
        if _close(got, math.exp(z), 1e-9, 1e-12):
            return "that is exp(z) alone: softmax divides each exponential by the sum of all of them"
        return (
            "that is not the first entry of softmax([z, 0]): softmax gives the probability of each class, "
            "and class 0 is the one of the first logit; take its first entry"
        )
    if column == "sigmoid(z)":
        if _close(got, 1 - right, 1e-9, 1e-12):
            return "that is sigmoid(-z): check the sign of the exponent"
        return (
            "that is not sigmoid(z): see the two-moons page, where the sigmoid turns a score into a "
            "probability"
        )
    if column == "cross-entropy of class 0":
        if _close(got, _class_one_loss(z), 1e-9, 1e-12):
            return (
                "that is the loss of class 1, -log(1 - sigmoid(z)): pass the classes [0], the class "
                "of the first logit z"
            )
        return (
            "that is not the cross-entropy of the logits [z, 0] for class 0: cross_entropy takes a batch, "
            "a list of rows of logits, and the list of their classes, one per row"
        )
    if _close(got, -right, 1e-9, 1e-12):
        return "that is log sigmoid(z), without the minus: -log sigmoid(z) is a positive number"
    if _close(got, right / math.log(10), 1e-9, 1e-12):
        return "that is the base-10 log: math.log is the natural log, the one of the cross-entropy"
    return "-log sigmoid(z) is minus the natural log of the sigmoid, a positive number"


def _class_one_loss(z: float) -> float:
    """The cross-entropy of logits [z, 0] for class 1, -log(1 - sigmoid(z)), without overflow."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def _rows_of_five(report: Report, rows: Any) -> list[list[float]] | None:
    """The reader's ``rows`` as rows of five numbers; else ``None`` and a failed check saying why."""
    mistake = (
        "rows must be a list with one row per z, each row the five numbers [z, softmax([z, 0])[0], "
        "sigmoid(z), cross-entropy, -log sigmoid(z)]: rows.append([z, p, s, ce, nls])"
    )
    problem = ""
    if isinstance(rows, Mapping):
        problem = "rows is a dict"
    elif isinstance(rows, str) or not hasattr(rows, "__iter__"):
        problem = f"rows is {_not_a_number(rows) or _num(rows)}"
    table: list[list[float]] = []
    for i, row in enumerate([] if problem else rows):
        if isinstance(row, str) or not hasattr(row, "__iter__"):
            problem = f"rows[{i}] is {_not_a_number(row) or _num(row) + ', a number, not a row'}"
            break
        row = list(row)
        if len(row) != 5:
            problem = f"rows[{i}] has {len(row)} number{'s' if len(row) != 1 else ''}, not 5"
            break
        bad = next((v for v in row if _not_a_number(v) is not None), None)
        if bad is not None:
            problem = f"rows[{i}] holds {_not_a_number(bad)}"
            break
        table.append([_as_float(v) for v in row])
    if problem:
        report.checks.append(Check("rows", False, f"rows: {problem}: {mistake}.", mistake))
        return None
    return table


# -- "Two moons": where the slope changes ---------------------------------------------------------

# A seed whose ReLU network has corners on the line, and on which each likely mistake gives
# a fraction of its own (chosen by trying seeds 0 to 29).
_RELU_SEED = 1


def _line_scores(
    model: Any, points: int = 201, x2: float = 0.25, swapped: bool = False, float32: str = ""
) -> list[float]:
    """The score at ``points`` evenly spaced points of the line x2 = 0.25, x1 from -1.5 to 2.5;
    ``float32``: with the ``"points"`` (``np.linspace(..., dtype=np.float32)``) or the
    ``"scores"`` rounded to float32, as a reader's NumPy may keep them."""
    scores = []
    for i in range(points):
        x1 = -1.5 + 4.0 * i / (points - 1)
        if float32 == "points":
            x1 = _to_float32(x1)
        score = cast(Value, model([x2, x1] if swapped else [x1, x2])).data
        scores.append(_to_float32(score) if float32 == "scores" else score)
    return scores


def _to_float32(x: float) -> float:
    """``x`` rounded to the nearest float32, without NumPy."""
    return cast(float, struct.unpack("f", struct.pack("f", x))[0])


def _changed(s: Sequence[float], second: bool = True, signed: bool = False) -> list[bool]:
    """Where the second (or first) difference of the scores is larger than 1e-9 (in size)."""
    if second:
        diffs = [s[i - 1] - 2 * s[i] + s[i + 1] for i in range(1, len(s) - 1)]
    else:
        diffs = [s[i + 1] - s[i] for i in range(len(s) - 1)]
    return [(d if signed else abs(d)) > 1e-9 for d in diffs]


def _slope_mistakes(model: Any, scores: Sequence[float]) -> list[tuple[float, str]]:
    """What the likely mistakes give on ``model``, whose ``scores`` on the line are known, each with
    its explanation."""
    inner = _changed(scores)
    first = _changed(scores, second=False)
    signed = _changed(scores, signed=True)
    return [
        (
            sum(_changed(_line_scores(model, 200))) / 198,
            "that is 200 points: the line needs 201 points, 0.02 apart "
            "(np.linspace(-1.5, 2.5, 201)), which have 199 inner points",
        ),
        (
            sum(_changed(scores[:-1])) / 198,
            "that is 198 second differences, one short of 199: np.arange(-1.5, 2.5, 0.02), or adding 0.02 "
            "in a loop, stops before 2.5; np.linspace(-1.5, 2.5, 201) gives all 201 points, and "
            "range(1, 200) all their inner ones",
        ),
        (
            sum(_changed(_line_scores(model, 202))) / 200,
            "that is 202 points: the line needs 201 points, 0.02 apart "
            "(np.linspace(-1.5, 2.5, 201)), which have 199 inner points",
        ),
        (
            sum(inner) / 201,
            "divide by the 199 inner points, where a second difference exists, not by all 201 points",
        ),
        (
            sum(signed) / 199,
            "count a second difference larger than 1e-9 in size: abs(d) > 1e-9; without abs, only the "
            "points where the slope grows are counted, not those where it falls",
        ),
        (
            sum(first) / 200,
            "s[i + 1] - s[i] is the slope itself, which a straight piece has too; where the slope changes "
            "is the second difference s[i - 1] - 2 * s[i] + s[i + 1]",
        ),
        (
            sum(first) / 199,
            "s[i + 1] - s[i] is the slope itself, which a straight piece has too; where the slope changes "
            "is the second difference s[i - 1] - 2 * s[i] + s[i + 1]",
        ),
        *[
            (
                sum(_changed(_line_scores(model, float32=kept))) / 199,
                "float32 keeps about 7 significant digits, so it rounds each point x1 (np.linspace(..., "
                "dtype=np.float32)) or each score by about 1e-7, and a straight piece's second differences "
                "are that rounding, larger than 1e-9, not float64's 1e-16: keep the points and the scores in "
                "float64, NumPy's default",
            )
            for kept in ("points", "scores")
        ],
        (
            sum(_changed(_line_scores(model, x2=0.0))) / 199,
            "that is the line x2 = 0: the points are [x1, 0.25]",
        ),
        (
            sum(_changed(_line_scores(model, swapped=True))) / 199,
            "x1 and x2 are swapped: the points are [x1, 0.25], with x1 first, not [0.25, x1]",
        ),
        (
            100 * sum(inner) / 199,
            "give the fraction, between 0 and 1, not a percentage",
        ),
        (
            sum(inner),
            "that is a count of the points where the slope changes: divide it by the 199 inner points, "
            "for the fraction",
        ),
    ]


def check_slope_changes(slope_changes: Callable[[Any], float]) -> Report:
    """Check exercise 2 of *Two moons*: ``slope_changes(model)``, where a network's slope changes.

    Args:
        slope_changes: Your function of a network: the fraction of the 199 inner points of
            201 evenly spaced points of the line x2 = 0.25, from x1 = -1.5 to x1 = 2.5,
            where the second difference ``s[i - 1] - 2 * s[i] + s[i + 1]`` of the score is
            larger than 1e-9 in size.

    Returns:
        A :class:`Report`: your function on three small networks whose answer is computed
        here: a linear one (its slope never changes), a ReLU network (it changes only next
        to the corners) and a tanh network (it changes almost everywhere).

    Example:
        >>> def slope_changes(model):
        ...     s = [model([-1.5 + 0.02 * i, 0.25]).data for i in range(201)]
        ...     second = [s[i - 1] - 2 * s[i] + s[i + 1] for i in range(1, 200)]
        ...     return sum(abs(d) > 1e-9 for d in second) / 199
        >>> print(check_slope_changes(slope_changes).passed)
        True
    """
    from micrograd.nn import MLP

    report = Report("Two moons, exercise 2: where the slope changes")
    networks = [
        ("linear network MLP(2, [1])", MLP(2, [1], rng=random.Random(0))),
        (
            f"ReLU network MLP(2, [8, 8, 1]), seed {_RELU_SEED}",
            MLP(2, [8, 8, 1], activation="relu", rng=random.Random(_RELU_SEED)),
        ),
        ("tanh network MLP(2, [8, 1])", MLP(2, [8, 1], activation="tanh", rng=random.Random(0))),
    ]
    fallback = (
        "take the score at the 201 points x1 = -1.5, -1.48, ..., 2.5 of the line x2 = 0.25, the second "
        "differences s[i - 1] - 2 * s[i] + s[i + 1] at the 199 inner points, and the fraction of them "
        "larger than 1e-9 in size"
    )
    answers = []
    for name, net in networks:
        ok, got = _call(report, name, slope_changes, "slope_changes(model)", net)
        if not ok or not _is_number(report, name, got):
            return report
        answers.append(got)
    line_scores = [_line_scores(net) for _, net in networks]
    counts = [sum(_changed(scores)) for scores in line_scores]
    wants = [count / 199 for count in counts]
    mistakes = [_slope_mistakes(net, scores) for (_, net), scores in zip(networks, line_scores, strict=True)]
    explained = any(  # a likely slip gives this answer (the slope itself changes "everywhere": 1)
        _close(got, wrong, 1e-9, 1e-12) and not _close(want, wrong, 1e-9, 1e-12)
        for got, want, slips in zip(answers, wants, mistakes, strict=True)
        for wrong, _ in slips
    )
    if (
        all(_close(got, answers[0], 1e-9, 1e-12) for got in answers)
        and not all(_close(got, want, 1e-9, 1e-12) for got, want in zip(answers, wants, strict=True))
        and not explained
    ):
        # One number for three networks whose slopes change at none, some and all of the points,
        # and no slip of the recipe that gives it: the function measured another network.
        mistake = (
            "compute the scores of the network slope_changes is given, model([x1, 0.25]).data, "
            "not of a network of the page"
        )
        message = (
            f"slope_changes gave {_num(answers[0])} for all three networks, whose slopes change at none, "
            f"{counts[1]} and all of the 199 inner points: {mistake}."
        )
        report.checks.append(Check("slope_changes", False, message, mistake))
        return report
    straight = (
        "its score is a straight line, whose second differences are rounding, about 1e-16 in float64: "
        "none is larger than 1e-9 in size, so the fraction is 0 (in float32, points or scores, the "
        "rounding is about 1e-7, larger than 1e-9: keep NumPy's default float64)"
    )
    for (name, _), got, want, slips in zip(networks, answers, wants, mistakes, strict=True):
        # On the linear network, an answer no likely slip gives is most often a count of rounding.
        text = straight if name.startswith("linear") else fallback
        _number_check(report, name, got, want, slips, text, rtol=1e-9, atol=1e-12)
    return report
