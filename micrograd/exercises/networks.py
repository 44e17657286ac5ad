"""Checkers of *Neurons, layers and an MLP*: ``MyNeuron``, ``count_parameters``, the training
loop, ``MyLayer`` and ``MyMLP``, and the optimizer ``MySGD``, compared with micrograd's.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence, Set
from typing import TYPE_CHECKING, Any, cast

from micrograd.engine import Value
from micrograd.exercises.compare import (
    _as_float,
    _close,
    _first_not_a_number,
    _not_a_number,
    _num,
    _nums,
    _same_numbers,
)
from micrograd.exercises.report import Check, Report, _attempt, _call, _has_methods, _is_number, _number_check
from micrograd.exercises.updates import _keeps, _unmoved_mistake

if TYPE_CHECKING:  # micrograd.nn itself is imported where it is used
    from micrograd.nn import MLP, Neuron


def check_neuron(neuron_class: Callable[..., Any]) -> Report:
    """Check exercise 5 of *Neurons, layers and an MLP*: a class ``MyNeuron(nin, rng)``.

    Args:
        neuron_class: The reader's class: ``MyNeuron(nin, rng)`` draws ``nin`` weights
            with ``rng.uniform(-1, 1)`` and a bias of 0.0, as values of any class with ``data``,
            ``grad`` and ``backward()`` (micrograd's ``Value`` or the reader's ``MyValue``);
            calling it on a list of numbers returns ``tanh(w·x + b)``; ``parameters()`` lists
            the weights, then the bias.

    Returns:
        A :class:`Report`: the weights drawn, the parameters, the output and the
        gradients, for 3 inputs on the exercise's point and for 1 and 5 inputs on
        random points, each neuron with its own seed, compared with micrograd's
        :class:`~micrograd.nn.Neuron`.

    Example:
        >>> from micrograd.nn import Neuron
        >>> print(check_neuron(lambda nin, rng: Neuron(nin, activation="tanh", rng=rng)).passed)
        True
    """
    from micrograd.nn import Neuron

    report = Report("Neurons, layers and an MLP, exercise 5: MyNeuron")
    rng = random.Random(1)
    points = ((3, [2.0, 3.0, -1.0]), (1, [0.7]), (5, [round(rng.uniform(-2, 2), 2) for _ in range(5)]))
    # A seed per neuron: a neuron that draws from a generator of its own, not the rng given, shows.
    for seed, (nin, x) in enumerate(points):
        inputs, weights = f"{nin} input{'s' if nin > 1 else ''}", f"{nin} weight{'s' if nin > 1 else ''}"
        where = f"{inputs}, x = {x}"
        made = f"MyNeuron({nin}, random.Random({seed}))"
        ok, mine = _attempt(report, made, neuron_class, nin, random.Random(seed))
        if not ok:
            return report
        ref = Neuron(nin, activation="tanh", rng=random.Random(seed))
        ok, params = _attempt(report, f"parameters() with {where}", lambda: list(mine.parameters()))  # noqa: B023  # called at once
        if not ok:
            return report
        want = ref.parameters()
        data = [_as_float(getattr(p, "data", math.nan)) for p in params]
        right = [p.data for p in want]
        plain = next((p for p in params if not hasattr(p, "data")), None)
        if isinstance(plain, list | tuple):
            mistake = (
                "parameters() returns one flat list of values, the weights then the bias: self.w + [self.b]"
            )
            report.checks.append(
                Check(
                    f"parameters() with {inputs}",
                    False,
                    f"parameters() with {inputs} holds a {type(plain).__name__} of {len(plain)} values among "
                    f"its parameters: {mistake}.",
                    mistake,
                )
            )
            return report
        if plain is not None:
            mistake = (
                "each weight and the bias must be a value of your class, MyValue(rng.uniform(-1, 1)) "
                "and MyValue(0.0), not a plain number, so that backward() can reach them"
            )
            report.checks.append(
                Check(
                    f"parameters() with {inputs}",
                    False,
                    f"parameters() with {inputs} holds {_num(plain)}, a {type(plain).__name__}: {mistake}.",
                    mistake,
                )
            )
            return report
        if len(params) != len(want):
            mistake = (
                "parameters() must list every weight and the bias"
                if len(params) == nin
                else f"a neuron with {inputs} has {weights} and one bias"
            )
            report.checks.append(
                Check(
                    f"parameters() with {inputs}",
                    False,
                    f"parameters() with {inputs} gave {len(params)} values, expected {len(want)}: {mistake}.",
                    mistake,
                )
            )
            return report
        if not all(_close(d, r) for d, r in zip(data, right, strict=True)):
            if _close(data[0], 0.0) and all(_close(d, r) for d, r in zip(data[1:], right[:-1], strict=True)):
                mistake = "parameters() must list the weights first, then the bias, like micrograd's Neuron"
            elif all(_close(d, r) for d, r in zip(data[:-1], right[:-1], strict=True)):
                mistake = "the weights are right; the bias starts at 0.0, not drawn from rng"
            elif sorted(data[:-1]) != sorted(right[:-1]):
                mistake = _rng_mistake(neuron_class, nin, seed, data) or (
                    "draw exactly one rng.uniform(-1, 1) per weight, in order, and nothing else "
                    "from rng (the bias starts at 0.0)"
                )
            else:
                mistake = "the weights are drawn in another order than micrograd's"
            report.checks.append(
                Check(
                    f"weights with {inputs}",
                    False,
                    f"weights with {inputs}: {_nums(data)}, expected {_nums(right)}: {mistake}.",
                    mistake,
                )
            )
            return report
        report.checks.append(Check(f"parameters() with {inputs}", True, f"{weights} and a bias, as drawn"))
        ok, out = _attempt(report, f"output with {where}", mine, x)
        if not ok or not _is_value(report, f"output with {where}", out, "MyNeuron"):
            return report
        ref_out = ref(x)
        pre = sum((w.data * xi for w, xi in zip(want[:-1], x, strict=True)), want[-1].data)
        if not _number_check(
            report,
            f"output with {where}",
            getattr(out, "data", math.nan),
            ref_out.data,
            [
                (pre, "the output is tanh(w·x + b): apply tanh to the sum"),
                (math.tanh(pre - want[-1].data), "the bias b belongs inside the tanh: tanh(w·x + b)"),
            ],
            "the output is tanh(w·x + b)",
        ):
            return report
        ok, _ = _attempt(report, f"gradients with {where}", out.backward)
        if not ok:
            return report
        ref_out.backward()
        grads = [_as_float(getattr(p, "grad", math.nan)) for p in params]
        wanted = [p.grad for p in want]
        if all(_close(g, w) for g, w in zip(grads, wanted, strict=True)):
            report.checks.append(Check(f"gradients with {where}", True, ", ".join(_num(w) for w in wanted)))
        else:
            mistake = _gradient_mistake(grads, wanted, {len(want) - 1})  # the bias comes last
            report.checks.append(
                Check(
                    f"gradients with {where}",
                    False,
                    f"gradients with {where} gave {_nums(grads)}, expected {_nums(wanted)}: {mistake}.",
                    mistake,
                )
            )
            return report
    return report


def _rng_mistake(neuron_class: Callable[..., Any], nin: int, seed: int, data: Sequence[float]) -> str:
    """Why the reader's neuron drew ``data`` with ``random.Random(seed)``, if it draws from another
    generator than the ``rng`` it is given: other numbers with the same seed, or the same with
    another seed; else ``""``."""

    def drawn(given: int) -> list[float]:
        return [_as_float(p.data) for p in neuron_class(nin, random.Random(given)).parameters()]

    try:
        again, other = drawn(seed), drawn(seed + 1000)
    except Exception:  # the reader's code: the check that called it already ran it once
        return ""
    if again != list(data):
        return (
            f"a second MyNeuron({nin}, random.Random({seed})) drew other weights: draw every weight from "
            "the rng given, rng.uniform(-1, 1), not from the random module"
        )
    if other == list(data):
        return (
            "the weights are the same whatever rng MyNeuron is given: draw them from it, "
            "rng.uniform(-1, 1), not from a random.Random of your own"
        )
    return ""


def _is_value(report: Report, name: str, out: object, class_name: str) -> bool:
    """Whether calling the reader's ``class_name`` returned a value (with ``data`` and ``backward()``);
    if not, a failed check saying what came back: None (printed, not returned), or a plain number."""
    if hasattr(out, "data") and callable(getattr(out, "backward", None)):
        return True
    what = _not_a_number(out)
    if out is None or what is not None:
        subject = f"calling your {class_name} returned {what}"
        mistake = "__call__ must return its output, the value tanh(w·x + b)"
    else:
        subject = f"calling your {class_name} returned {_num(out)}, a {type(out).__name__}"
        mistake = "return the value itself, not its number (.data), so that backward() can reach the weights"
    report.checks.append(Check(name, False, f"{name}: {subject}: {mistake}.", mistake))
    return False


def check_count_parameters(count_parameters: Callable[[int, list[int]], int]) -> Report:
    """Check exercise 1 of *Neurons, layers and an MLP*: ``count_parameters(nin, nouts)``.

    Args:
        count_parameters: The reader's function: the number of parameters of
            ``MLP(nin, nouts)``, from the sizes alone.

    Returns:
        A :class:`Report`: the exercise's three networks, a single neuron, and 20 random
        shapes, each compared with ``len(MLP(nin, nouts).parameters())``; a wrong count is
        traced to the first layer it goes wrong on, from the counts of the network cut after
        each layer.

    Example:
        >>> def count(nin, nouts):
        ...     sizes = [nin] + nouts
        ...     return sum(o * (i + 1) for i, o in zip(sizes, sizes[1:]))
        >>> print(check_count_parameters(count).passed)
        True
    """
    from micrograd.nn import MLP

    report = Report("Neurons, layers and an MLP, exercise 1: count_parameters")
    rng = random.Random(0)
    shapes = [(3, [4, 4, 1]), (2, [16, 16, 1]), (10, [32, 32, 32, 5]), (1, [1])]
    shapes += [(rng.randint(1, 6), [rng.randint(1, 6) for _ in range(rng.randint(1, 4))]) for _ in range(20)]
    for k, (nin, nouts) in enumerate(shapes):
        name = f"MLP({nin}, {nouts})"
        ok, got = _call(report, name, count_parameters, "count_parameters(nin, nouts)", nin, list(nouts))
        if not ok or not _is_number(report, name, got, f"count_parameters({nin}, {nouts}) returned"):
            return report
        sizes = [nin, *nouts]
        expected = len(MLP(nin, nouts).parameters())
        # The messages name the mistake and the idea (one weight per input, one bias per neuron, a
        # layer's inputs are the previous layer's outputs), never a layer's own count: working it
        # out is the exercise, and the page keeps its solution folded.
        wrongs = [
            (
                sum(i * o for i, o in itertools.pairwise(sizes)),
                "your count has the weights but no biases: each neuron also has a bias "
                "(see *A layer of neurons*)",
            ),
            (
                sum(o * (i + 1) for i, o in itertools.pairwise(nouts)),
                "your count leaves out the first layer, the one whose inputs are the network's nin inputs",
            ),
            (
                sum((i + 1) * (o + 1) for i, o in itertools.pairwise(sizes)),
                "one bias per neuron, not one more neuron per layer: your count adds a whole neuron to "
                "each layer",
            ),
            (
                sum(i * (o + 1) for i, o in itertools.pairwise(sizes)),
                "your count swaps a layer's inputs and its neurons: it gives a bias to each input, but "
                "the biases belong to the neurons, and a layer has as many neurons as outputs",
            ),
        ]
        fallback = (
            "a neuron has one weight per input and one bias, and a layer's inputs are the previous "
            "layer's outputs; the page counts MLP(3, [4, 4, 1]) layer by layer in *A multi-layer perceptron*"
        )
        if _as_float(got) != expected:
            fallback = _layer_mistake(count_parameters, nin, nouts) or fallback
        ok = _number_check(report, name, got, expected, wrongs, fallback, rtol=0, atol=0)
        if not ok:
            return report
        if k >= 4:
            report.checks.pop()
    report.checks.append(Check("20 random shapes", True, "all agree with len(MLP(nin, nouts).parameters())"))
    return report


def _layer_mistake(count_parameters: Callable[[int, list[int]], int], nin: int, nouts: Sequence[int]) -> str:
    """The first layer the reader's count goes wrong on, and why, read off its counts of the network
    cut after each layer; ``""`` when one of those is not a number."""
    sizes = [nin, *nouts]
    counted = 0.0
    for k in range(1, len(sizes)):
        try:
            total = _as_float(count_parameters(nin, list(nouts[:k])))
        except Exception:  # the reader's code may fail on a shorter network: the formula says the rest
            return ""
        if math.isnan(total):
            return ""
        n_in, n_out = sizes[k - 1], sizes[k]
        added, right = total - counted, n_out * (n_in + 1)
        if added != right:
            inputs = "the network's nin inputs" if k == 1 else f"layer {k - 1}'s outputs"
            if k > 1 and n_in != nin and added == n_out * (nin + 1):
                why = (
                    "each layer's inputs are the previous layer's outputs (only the first layer sees nin), "
                    "and a neuron has one weight per input"
                )
            elif added == 0:
                why = (
                    f"count_parameters({nin}, {list(nouts[:k])}) leaves out its last layer: count every "
                    "layer, the last one too"
                )
            elif added == n_out * n_in:
                why = "each neuron also has a bias"
            elif added == n_out * n_in + 1:
                why = "each neuron has its own bias, not one per layer"
            else:
                why = (
                    f"a layer has one neuron per output, each neuron has one weight per input and one "
                    f"bias, and layer {k}'s inputs are {inputs} (see *A multi-layer perceptron*)"
                )
            many = "too many" if added > right else "too few"
            return f"your count gives layer {k} {_num(added)} parameters, {many}: {why}"
        counted = total
    return ""


_TRAIN_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
_TRAIN_YS = [1.0, -1.0, -1.0, 1.0]


def _train_network(activation: str = "tanh", output_activation: str = "tanh") -> MLP:
    """A fresh network of the training page's shape and seed: tanh in both, as the page has it."""
    from micrograd.nn import MLP, Activation

    return MLP(
        3,
        [4, 4, 1],
        activation=cast(Activation, activation),
        output_activation=cast(Activation, output_activation),
        rng=random.Random(1),
    )


def _train_loss(net: MLP) -> Value:
    """The training page's loss: the mean squared error on its four points."""
    from micrograd.losses import mse_loss

    return mse_loss([cast(Value, net(x)) for x in _TRAIN_XS], _TRAIN_YS)


def _reference_train(
    lr: float, steps: int, mistake: str = "", zero_grad: bool = True, used_lr: float | None = None
) -> list[float]:
    """The losses of the page's training loop, or of a known wrong variant of it; ``zero_grad=False``
    as the exercise's argument, and ``used_lr`` a rate the update uses whatever ``lr`` is."""
    net = _train_network()
    step = lr if used_lr is None else used_lr
    history = []
    for _ in range(steps):
        loss = _train_loss(net)
        if zero_grad and mistake == "zero_grad last layer":
            net.layers[-1].zero_grad()
        elif zero_grad and mistake not in ("no zero_grad", "zero_grad after backward"):
            net.zero_grad()
        if mistake != "update before backward":
            loss.backward()
        if zero_grad and mistake == "zero_grad after backward":
            net.zero_grad()
        for p in net.parameters():
            if mistake == "+=":
                p.data += step * p.grad
            elif mistake == "p.data for p.grad":
                p.data -= step * p.data
            else:
                p.data -= step * p.grad
        if mistake == "update before backward":
            loss.backward()
        history.append(loss.data)
    return history


_TRAIN_NETWORK = 'MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))'


def _first_loss_mistake(history: Sequence[float], expected: Sequence[float]) -> str:
    """Why the loss before the first update, ``history[0]``, is not ``expected[0]``: no loop can
    cause that, the network or the loss does; or the loss was recorded after the update. ``""``
    when none of these fits."""
    first = history[0]
    if len(history) > 1 and _close(first, expected[1], 1e-9):
        return (
            "your first loss is the loss after the first update: record loss.data when you compute the "
            "loss, before backward() and the update"
        )
    activations = ("tanh", "relu", "sigmoid", "linear")
    for hidden, output in itertools.product(activations, repeat=2):
        if (hidden, output) == ("tanh", "tanh"):
            continue
        if _close(first, _train_loss(_train_network(hidden, output)).data, 1e-9):
            defaults = " (MLP's defaults)" if (hidden, output) == ("relu", "linear") else ""
            return (
                "the first loss comes before any update, so the network differs, not the loop: yours has "
                f"{hidden} in its hidden layers and {output} at its output{defaults}, the page's tanh in "
                'both: activation="tanh", output_activation="tanh"'
            )
    if _close(first, len(_TRAIN_XS) * expected[0], 1e-9):
        return (
            "the loss is the sum of the squared errors: the page's is their mean, mse_loss, the sum "
            "divided by the number of points"
        )
    return ""


# The learning rates the page tries: a rate written into the update is likely one of them.
_PAGE_RATES = (0.01, 0.1, 1.0, 10.0)

# The slips of the page's loop, in words to fill in with the loop's own (see _train_mistake): tutorial
# 4b writes the rate as 0.1 and zeroes the gradients without zero_grad().
_TRAIN_MISTAKES = {
    "+=": "the update climbs the loss: step against the gradient, p.data -= {rate} * p.grad",
    "no zero_grad": (
        "the gradients of every step add up: reset them with {zero_grad} before backward() in each step"
    ),
    "zero_grad after backward": (
        "{zero_grad} between backward() and the update throws the gradient away: put it before backward()"
    ),
    "zero_grad last layer": (
        "only the last layer's gradients are reset: call zero_grad() on the whole network "
        "(net.zero_grad()), so that every parameter starts at 0"
    ),
    "p.data for p.grad": "the update subtracts {rate} * p.data: write p.data -= {rate} * p.grad",
    "update before backward": (
        "the update comes before loss.backward(), so each step moves by the gradients of the steps "
        "before: call backward() first, then update"
    ),
}


def _train_mistake(slip: str, rate: str = "learning_rate", zero_grad: str = "zero_grad()") -> str:
    """The words for ``slip``, one of :data:`_TRAIN_MISTAKES`, in the loop's own: how it writes the
    learning rate and the zeroing of the gradients (tutorial 4's, unless given)."""
    return _TRAIN_MISTAKES[slip].format(rate=rate, zero_grad=zero_grad)


# The slips of zero_grad() itself, which a loop run with zero_grad=False skips.
_ZERO_GRAD_SLIPS = ("no zero_grad", "zero_grad after backward", "zero_grad last layer")


def check_train(train: Callable[..., tuple[Any, list[float]]]) -> Report:
    """Check exercises 2 and 3 of *Neurons, layers and an MLP*: the training loop ``train``.

    Args:
        train: The reader's function ``train(learning_rate, steps=100, zero_grad=True)``
            returning ``(net, history)``: a fresh ``MLP(3, [4, 4, 1])`` (tanh everywhere,
            ``rng=random.Random(1)``) trained with the mean squared error on the page's four
            points, and the loss before each step.

    Returns:
        A :class:`Report`: the losses of 10 steps at learning rates 0.1 and 1.0, and with
        ``zero_grad=False``, against the same loop written with micrograd; a wrong loop is
        matched against the usual mistakes (``+=`` or ``p.data`` in the update, the update
        before ``backward()``, ``zero_grad`` missing, misplaced or resetting only the last
        layer), a loss that never changes is explained by the gradients its network ends
        with, and a wrong first loss, which comes before any update, is matched against a
        network returned by an earlier call, other activations and a summed loss.

    Example:
        >>> def train(learning_rate, steps=100, zero_grad=True):
        ...     return None, _reference_train(learning_rate, steps, "" if zero_grad else "no zero_grad")
        >>> print(check_train(train).passed)
        True
    """
    report = Report("Neurons, layers and an MLP, exercises 2 and 3: the training loop")
    nets: list[Any] = []  # the networks the runs returned: each run must build its own
    for lr, zero_grad in ((0.1, True), (1.0, True), (0.1, False)):
        name = f"train({lr}, steps=10{'' if zero_grad else ', zero_grad=False'})"
        asked = "train(learning_rate, steps=100, zero_grad=True)"
        ok, result = _call(report, name, train, asked, lr, steps=10, zero_grad=zero_grad)
        if not ok:
            return report
        returned = _net_and_history(report, name, result)
        if returned is None:
            return report
        net, history = returned
        reused = net is not None and any(net is earlier for earlier in nets)
        nets.append(net)
        expected = _reference_train(lr, 10, "" if zero_grad else "no zero_grad")
        if len(history) == len(expected) and all(
            _close(g, e, 1e-9) for g, e in zip(history, expected, strict=True)
        ):
            report.checks.append(
                Check(name, True, f"losses from {_num(expected[0])} to {_num(expected[-1])}")
            )
            continue
        if len(history) != len(expected):
            mistake = "train for `steps` steps, for step in range(steps), and record the loss of each"
            message = f"{name} returned {len(history)} losses for steps=10: {mistake}."
            report.checks.append(Check(name, False, message, mistake))
            continue
        if _close(history[0], expected[0], 1e-9):
            mistake = _loop_mistake(net, history, lr, zero_grad)
        elif reused:
            mistake = (
                "train() returned the network of an earlier call, trained further: build a fresh "
                f"{_TRAIN_NETWORK} inside train(), so that every call starts from the same weights"
            )
        else:
            mistake = _first_loss_mistake(history, expected) or (
                "the first loss comes before any update, so the network or the loss differs, not the loop: "
                f"a fresh {_TRAIN_NETWORK} and mse_loss on the page's four points"
            )
        step = next(
            i for i, (g, e) in enumerate(zip(history, expected, strict=True)) if not _close(g, e, 1e-9)
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: the loss at step {step} is {_num(history[step])}, expected {_num(expected[step])}: "
                f"{mistake}.",
                mistake,
            )
        )
    return report


def _net_and_history(report: Report, name: str, result: Any) -> tuple[Any, list[float]] | None:
    """The network and the losses of the reader's ``(net, history)``, unpacked once (it may be a
    generator); else ``None`` and a failed check saying what came back instead."""
    mistake = "return net, history: the trained network, then the list of the loss before each step"
    try:
        net, losses = result
        losses = list(losses)
    except (TypeError, ValueError):
        if isinstance(result, tuple) and len(result) == 2 and hasattr(result[1], "parameters"):
            got = f"({type(result[0]).__name__}, {type(result[1]).__name__}): the network comes first"
        elif result is None:
            got = "None (did the function end without return?)"
        elif isinstance(result, (list, tuple)):
            got = f"a {type(result).__name__} of {len(result)} values"
        else:
            got = f"a {type(result).__name__}"
        report.checks.append(Check(name, False, f"{name} returned {got}: {mistake}.", mistake))
        return None
    found = _first_not_a_number(losses)
    if found is not None:
        i, what = found
        if hasattr(losses[i], "grad"):
            mistake = "append loss.data, the loss's number, not the value itself"
            message = f"{name}: your losses are {type(losses[i]).__name__}s: {mistake}."
            report.checks.append(Check(name, False, message, mistake))
        else:
            report.checks.append(Check(name, False, f"{name}: history[{i}] is {what}.", what))
        return None
    return net, [_as_float(loss) for loss in losses]


def _loop_mistake(net: Any, history: Sequence[float], lr: float, zero_grad: bool) -> str:
    """Why the losses of a loop whose first loss is right differ from the page's loop."""

    def same(losses: Sequence[float]) -> bool:
        return all(_close(g, e, 1e-9) for g, e in zip(history, losses, strict=True))

    zeroed = _data_zeroed(net, lr)
    if zeroed:
        return (
            f"the parameters' data were set to 0 instead of their grad: the network ends with {zeroed}, so "
            "every step starts again from weights of 0, and the gradients are never reset"
        )
    for used in _PAGE_RATES:
        if used != lr and same(_reference_train(lr, 10, zero_grad=zero_grad, used_lr=used)):
            return (
                f"the update ignores learning_rate: it uses {_num(used)} whatever learning_rate is; write "
                "p.data -= learning_rate * p.grad"
            )
    if all(_close(loss, history[0], 1e-9) for loss in history):
        return _frozen_mistake(net, zero_grad, len(history))
    for variant in _TRAIN_MISTAKES:
        if not zero_grad and variant in _ZERO_GRAD_SLIPS:
            continue
        if same(_reference_train(lr, 10, variant, zero_grad=zero_grad)):
            return _train_mistake(variant)
    if not zero_grad and _close(history[-1], _reference_train(lr, 10)[-1], 1e-9):
        return "with zero_grad=False, the loop must skip zero_grad()"
    return "the losses differ from the page's loop: zero_grad(), loss.backward(), then p.data -= lr * p.grad"


def _data_zeroed(net: Any, lr: float) -> str:
    """What shows that a loop set its network's parameters' data to 0 where it means their
    gradients: every ``p.data`` is 0 (set after the update), or is ``-lr * p.grad``, what an update
    leaves of a 0 (set before it); else ``""``."""
    try:
        pairs = [(_as_float(p.data), _as_float(p.grad)) for p in net.parameters()]
    except Exception:  # not a network: nothing to learn from it
        return ""
    if not pairs:
        return ""
    if all(data == 0 for data, _ in pairs):
        return "every p.data at 0"
    if all(_close(data, -lr * grad) for data, grad in pairs) and any(grad != 0 for _, grad in pairs):
        return "every p.data equal to -learning_rate * p.grad, what an update leaves of a 0"
    return ""


def _frozen_mistake(net: Any, zero_grad: bool, steps: int) -> str:
    """Why a loop's loss never changes, read off the gradients its network ends with. The parameters
    never moving, each backward() gives them the first step's gradients: a network that holds them
    (added up over the steps without zero_grad()) has an update that missed p.data; one that holds
    others, an update that changed p.grad; one that holds none, no gradient to update with."""
    try:
        grads = [_as_float(p.grad) for p in net.parameters()]
    except Exception:  # not a network: nothing to learn from it
        grads = []
    first = _train_network()
    _train_loss(first).backward()
    left = [(1 if zero_grad else steps) * p.grad for p in first.parameters()]
    if not any(g != 0 for g in grads):
        return (
            "the loss never changes, and the parameters end with no gradient: either backward() is never "
            "called, or zero_grad() runs between backward() and the update, which throws the gradient away "
            "(call it before backward()), or the loss is built from numbers (.data), so backward() never "
            "reaches the parameters (build it from the network's outputs themselves)"
        )
    if not _same_numbers(grads, left):
        return (
            "the loss never changes: the update changes p.grad, the gradient, not p.data, the number: "
            "p.data -= learning_rate * p.grad"
        )
    rebound = (
        "p = p - learning_rate * p.grad makes a new value and binds the name p to it, so the parameter's "
        "data never changes (update it in place, p.data -= learning_rate * p.grad)"
    )
    held = "the loss never changes, though the parameters have their gradients"
    if zero_grad:
        return (
            f"{held}: either the update comes before loss.backward(), right after zero_grad() set them "
            f"to 0 (update after backward()), or {rebound}"
        )
    return f"{held}: the update misses p.data; {rebound}"


# -- Neurons, layers and an MLP, exercises 4 and 6: MySGD, MyLayer and MyMLP -------------------------


def _outputs(out: Any) -> list[Any] | None:
    """A layer's or network's output as a list: one value alone counts as a list of one."""
    if hasattr(out, "data"):
        return [out]
    try:
        items = list(out)
    except TypeError:
        return None
    return items if all(hasattr(v, "data") for v in items) else None


def _parameters_check(
    report: Report, name: str, params: list[Any], want: list[Value], nin: int, nouts: Sequence[int]
) -> bool:
    """The reader's parameters are micrograd's, same numbers in the same order; else say why."""
    data = [_as_float(getattr(p, "data", math.nan)) for p in params]
    right = [p.data for p in want]
    if _same_numbers(data, right):
        report.checks.append(Check(name, True, f"{len(want)} parameters, as drawn"))
        return True
    sizes = [nin, *nouts]
    last = nouts[-1] * (sizes[-2] + 1)
    nested = next((p for p in params if not hasattr(p, "data") and hasattr(p, "__len__")), None)
    per_layer = [n_out * (n_in + 1) for n_in, n_out in itertools.pairwise(sizes)]
    lengths = [len(p) if hasattr(p, "__len__") else None for p in params]
    if nested is not None and len(nouts) > 1 and lengths == per_layer:
        mistake = (
            f"parameters() holds {_not_a_number(nested)}: it must be one flat list of values, "
            "[p for layer in self.layers for p in layer.parameters()], not a list per layer"
        )
    elif nested is not None:
        mistake = (
            f"parameters() holds {_not_a_number(nested)}: it must be one flat list of values, "
            "[p for n in self.neurons for p in n.parameters()], not a list per neuron"
        )
    elif len(data) == last and len(nouts) > 1:
        mistake = "parameters() returns only the last layer's: collect the parameters of every layer"
    elif len(data) == sum(n * (nin + 1) for n in nouts) and len(nouts) > 1:
        mistake = (
            "every layer was built with nin inputs: a layer takes as many inputs as the layer "
            "before it has neurons, so layer i is MyLayer(sizes[i], sizes[i + 1]) with sizes = [nin] + nouts"
        )
    elif len(data) != len(right):
        made = (
            f"a layer of {nouts[0]} neurons with {nin} inputs"
            if len(nouts) == 1
            else f"a network of sizes {sizes}"
        )
        mistake = (
            f"{made} has {len(right)} parameters (each neuron: one weight per "
            "input and a bias); parameters() must list each of them once"
        )
    elif sorted(data) == sorted(right):
        mistake = (
            "the parameters are in another order than micrograd's: layer by layer from the inputs, "
            "neuron by neuron, each neuron's weights and then its bias"
        )
    else:
        mistake = (
            "build the neurons in order, layer by layer from the inputs, all drawing from the one "
            "rng you were given, so that the weights are micrograd's"
        )
    report.checks.append(
        Check(
            name,
            False,
            f"{name} gave {len(data)} parameters that differ from micrograd's: {mistake}.",
            mistake,
        )
    )
    return False


def _forward_backward_check(
    report: Report, name: str, model: Any, params: list[Any], ref: Any, x: list[float], single: bool = False
) -> bool:
    """The reader's model gives micrograd's outputs on x, and the same gradients of their sum.

    With ``single``, one output must come back as a value alone, as micrograd's ``MLP`` returns it.
    """
    ok, out = _attempt(report, f"{name} output", model, x)
    if not ok:
        return False
    kind = "MyMLP" if hasattr(ref, "layers") else "MyLayer"
    outs = _outputs(out)
    if single and not hasattr(out, "data") and outs is not None and len(outs) == 1:
        mistake = (
            "with one neuron in the last layer, return that value alone, not a list of one: "
            "return out[0] if len(out) == 1 else out, as micrograd's MLP does"
        )
        message = f"{name} output: your MyMLP returned a {type(out).__name__} of one value: {mistake}."
        report.checks.append(Check(f"{name} output", False, message, mistake))
        return False
    ref_out = cast(list[Value], _outputs(ref(x)))
    items = out if isinstance(out, (list, tuple)) else [out]
    if outs is None and any(v is None for v in items):
        found = "None" if out is None else f"a {type(out).__name__} holding None"
        mistake = (
            f"every __call__ must return its output (printing does not return it): {kind}'s, and "
            "MyNeuron's, whose value each layer collects"
        )
        message = f"{name} output: your {kind} returned {found}: {mistake}."
        report.checks.append(Check(f"{name} output", False, message, mistake))
        return False
    if outs is None or len(outs) != len(ref_out):
        n = len(ref_out)
        values = f"{n} values, in a list"
        if n == 1:
            values = "one value, alone" if single else "one value (alone, or in a list of one)"
        if kind == "MyMLP":
            mistake = (
                f"calling it should return the outputs of the last layer: {values}, each layer fed the "
                "outputs of the layer before"
            )
        else:
            mistake = (
                f"calling it should return the output of each of its neurons: {values}, "
                "[n(x) for n in self.neurons]"
            )
        gave = "" if outs is None else f" gave {len(outs)} value{'s' if len(outs) != 1 else ''}"
        report.checks.append(Check(f"{name} output", False, f"{name} output{gave}: {mistake}.", mistake))
        return False
    got = [_as_float(v.data) for v in outs]
    want = [v.data for v in ref_out]
    if not _same_numbers(got, want):
        if kind == "MyMLP":
            mistake = (
                "the outputs differ from micrograd's: feed each layer the outputs of the layer before "
                "(the first layer gets x), and return the last layer's outputs"
            )
        else:
            mistake = (
                "the outputs differ from micrograd's: give every neuron the layer's inputs x, "
                "[n(x) for n in self.neurons], and check MyNeuron alone with check_neuron"
            )
        report.checks.append(
            Check(
                f"{name} output",
                False,
                f"{name} output gave {_nums(got)}, expected {_nums(want)}: {mistake}.",
                mistake,
            )
        )
        return False
    report.checks.append(Check(f"{name} output", True, ", ".join(_num(w) for w in want)))

    def backward_of_sum() -> None:
        total = outs[0]
        for v in outs[1:]:
            total = total + v
        total.backward()

    ok, _ = _attempt(report, f"{name} gradients", backward_of_sum)
    if not ok:
        return False
    ref_total = ref_out[0]
    for v in ref_out[1:]:
        ref_total = ref_total + v
    ref_total.backward()
    grads = [_as_float(getattr(p, "grad", math.nan)) for p in params]
    wanted = [p.grad for p in _parameters_of(ref)]
    if _same_numbers(grads, wanted):
        report.checks.append(Check(f"{name} gradients", True, f"all {len(wanted)} as micrograd's"))
        return True
    biases = {id(n.b) for n in _neurons_of(ref)}
    positions = {i for i, p in enumerate(_parameters_of(ref)) if id(p) in biases}
    mistake = _gradient_mistake(grads, wanted, positions)
    report.checks.append(
        Check(f"{name} gradients", False, f"{name} gradients differ from micrograd's: {mistake}.", mistake)
    )
    return False


def _gradient_mistake(grads: Sequence[float], wanted: Sequence[float], biases: Set[int] = frozenset()) -> str:
    """Why the gradients of a model whose outputs are right differ from micrograd's; ``biases`` are
    the positions of the neurons' biases among the parameters."""
    wrong = {i for i, (g, w) in enumerate(zip(grads, wanted, strict=True)) if not _close(g, w)}
    if wrong and wrong <= biases and all(grads[i] == 0 for i in wrong):
        # A bias left out of the sum: at its start, 0, the outputs are still right.
        return (
            "only the biases got no gradient: each neuron's output must add its bias, tanh(w·x + b), "
            "which the outputs do not show while the biases are 0"
        )
    if wrong and wrong <= biases:
        return (
            "only the biases' gradients are wrong: add each neuron's bias once, inside the tanh, "
            "tanh(w·x + b) (the outputs do not show it while the biases are 0)"
        )
    if any((g == 0 or math.isnan(g)) and w != 0 for g, w in zip(grads, wanted, strict=True)):
        return (
            "build the output from the parameters themselves (values, not their .data), "
            "so that backward() reaches every one of them"
        )
    return (
        "the outputs are right, so backward() of your value class goes wrong: each rule must add "
        "its share with +=, and tanh's local derivative is 1 - t**2; check your class alone with "
        "check_value(MyValue)"
    )


def _neurons_of(module: Any) -> list[Neuron]:
    """The neurons of micrograd's Layer or MLP."""
    layers = getattr(module, "layers", [module])
    return [n for layer in layers for n in layer.neurons]


def _parameters_of(module: Any) -> list[Value]:
    return cast(list[Value], module.parameters())


def check_layer_and_mlp(layer_class: Callable[..., Any], mlp_class: Callable[..., Any]) -> Report:
    """Check exercise 6 of *Neurons, layers and an MLP*: ``MyLayer`` and ``MyMLP``.

    Args:
        layer_class: The reader's ``MyLayer(nin, nout, rng)``: ``nout`` tanh neurons of ``nin``
            inputs each (``MyNeuron`` of exercise 5); calling it on ``nin`` inputs returns the
            neurons' outputs (one ``Value`` alone, or in a list, when ``nout`` is 1);
            ``parameters()`` lists each neuron's parameters in turn.
        mlp_class: The reader's ``MyMLP(nin, nouts, rng)``: one ``MyLayer`` per entry of
            ``nouts``, each fed the outputs of the one before; calling it returns the last
            layer's outputs; ``parameters()`` lists every layer's; ``zero_grad()`` sets the
            gradient of every parameter to 0.

    Returns:
        A :class:`Report`: parameters, outputs and gradients of ``MyLayer(3, 4)``,
        ``MyLayer(2, 1)``, ``MyMLP(3, [4, 4, 1])`` and ``MyMLP(2, [3, 2])``, compared with
        micrograd's :class:`~micrograd.nn.Layer` and :class:`~micrograd.nn.MLP` (tanh
        everywhere, the same ``rng``), then ``zero_grad()`` after a backward pass.

    Example:
        >>> from micrograd.nn import MLP, Layer
        >>> layer = lambda nin, nout, rng: Layer(nin, nout, activation="tanh", rng=rng)
        >>> def mlp(nin, nouts, rng):
        ...     return MLP(nin, nouts, activation="tanh", output_activation="tanh", rng=rng)
        >>> print(check_layer_and_mlp(layer, mlp).passed)
        True
    """
    from micrograd.nn import MLP, Layer

    report = Report("Neurons, layers and an MLP, exercise 6: MyLayer and MyMLP")
    for nin, nout, x in ((3, 4, [2.0, 3.0, -1.0]), (2, 1, [0.5, -1.5])):
        name = f"MyLayer({nin}, {nout}, random.Random(0))"
        ok, mine = _call(report, name, layer_class, "MyLayer(nin, nout, rng)", nin, nout, random.Random(0))
        if not ok or not _has_methods(report, name, mine, "MyLayer", ["parameters"]):
            return report
        ref = Layer(nin, nout, activation="tanh", rng=random.Random(0))
        ok, params = _attempt(report, f"{name}.parameters()", lambda: list(mine.parameters()))  # noqa: B023  # called at once
        if not ok or not _parameters_check(
            report, f"{name}.parameters()", params, ref.parameters(), nin, [nout]
        ):
            return report
        if not _forward_backward_check(report, name, mine, params, ref, x):
            return report
    rng = random.Random(5)
    nets = [(3, [4, 4, 1], [2.0, 3.0, -1.0]), (2, [3, 2], [round(rng.uniform(-2, 2), 2) for _ in range(2)])]
    for nin, nouts, x in nets:
        name = f"MyMLP({nin}, {nouts}, random.Random(1))"
        ok, mine = _call(
            report, name, mlp_class, "MyMLP(nin, nouts, rng)", nin, list(nouts), random.Random(1)
        )
        if not ok or not _has_methods(report, name, mine, "MyMLP", ["parameters", "zero_grad"]):
            return report
        ref_mlp = MLP(nin, nouts, activation="tanh", output_activation="tanh", rng=random.Random(1))
        ok, params = _attempt(report, f"{name}.parameters()", lambda: list(mine.parameters()))  # noqa: B023  # called at once
        if not ok or not _parameters_check(
            report, f"{name}.parameters()", params, ref_mlp.parameters(), nin, nouts
        ):
            return report
        if not _forward_backward_check(report, name, mine, params, ref_mlp, x, single=nouts[-1] == 1):
            return report
    # zero_grad() on the last network, whose parameters all hold a gradient now.
    before = [_as_float(getattr(p, "data", math.nan)) for p in params]
    for i, p in enumerate(params):
        p.grad = 0.25 + i  # every one non-zero, whatever backward() left there
    name = f"MyMLP(2, {nets[-1][1]}).zero_grad()"
    ok, _ = _attempt(report, name, mine.zero_grad)
    if not ok:
        return report
    grads = [_as_float(getattr(p, "grad", math.nan)) for p in params]
    data = [_as_float(getattr(p, "data", math.nan)) for p in params]
    last = len(_parameters_of(ref_mlp.layers[-1]))
    if not _same_numbers(data, before):
        mistake = "zero_grad() changed the parameters themselves: set p.grad = 0, and leave p.data as it is"
    elif any(_not_a_number(getattr(p, "grad", None)) for p in params):
        mistake = "zero_grad() must set p.grad to the number 0, not None: backward() adds to it"
    elif all(g == 0 for g in grads):
        report.checks.append(Check(name, True, f"all {len(grads)} gradients 0, the data unchanged"))
        return report
    elif all(g == 0 for g in grads[-last:]) and grads[0] != 0:
        mistake = (
            "zero_grad() reset only the last layer's gradients: loop over self.parameters(), the "
            "parameters of every layer"
        )
    elif grads[-1] == 0 and all(g != 0 for g in grads[:-1]):
        mistake = "zero_grad() reset only the last parameter: p.grad = 0 must be inside the loop"
    else:
        left = sum(1 for g in grads if g != 0)
        mistake = (
            f"zero_grad() left {left} of {len(grads)} gradients non-zero: set p.grad = 0 for every parameter"
        )
    report.checks.append(Check(name, False, f"{name}: {mistake}.", mistake))
    return report


def _optimizer_train(optimizer_for: Callable[[list[Value]], Any], steps: int) -> list[float]:
    """The losses of the page's training loop, its update made by ``optimizer_for(net.parameters())``."""
    net = _train_network()
    optimizer = optimizer_for(net.parameters())
    history = []
    for _ in range(steps):
        loss = _train_loss(net)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    return history


def check_sgd(sgd_class: Callable[..., Any]) -> Report:
    """Check exercise 4 of *Neurons, layers and an MLP*: an optimizer ``MySGD``.

    Args:
        sgd_class: The reader's ``MySGD(parameters, lr)``: ``step()`` moves every parameter
            against its gradient, ``p.data -= lr * p.grad``, and ``zero_grad()`` sets every
            gradient to 0.

    Returns:
        A :class:`Report`: one ``step()`` on three values with known gradients at two
        learning rates, ``zero_grad()``, and ten steps of the page's training loop compared
        with micrograd's :class:`~micrograd.optim.SGD`.

    Example:
        >>> from micrograd.optim import SGD
        >>> print(check_sgd(SGD).passed)
        True
    """
    report = Report("Neurons, layers and an MLP, exercise 4: MySGD")
    start, grads = [1.0, -2.0, 0.5], [0.5, -3.0, 2.0]
    for lr in (0.1, 0.5):
        name = f"MySGD(params, lr={lr}).step()"
        # The values are read from a list of our own: a step() that replaces the items of its list
        # leaves the parameters themselves as they were.
        params = [Value(d) for d in start]
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        made = f"MySGD(params, lr={lr})"
        ok, opt = _call(report, made, sgd_class, "MySGD(parameters, lr)", list(params), lr)
        if not ok or not _has_methods(report, made, opt, "MySGD", ["step", "zero_grad"]):
            return report
        kept = _keeps(opt, params)
        ok, _ = _attempt(report, name, opt.step)
        if not ok:
            return report
        got = [_as_float(p.data) for p in params]
        want = [d - lr * g for d, g in zip(start, grads, strict=True)]
        if _same_numbers(got, want):
            report.checks.append(Check(name, True, ", ".join(_num(w) for w in want)))
            continue
        wrongs = [
            (
                [d + lr * g for d, g in zip(start, grads, strict=True)],
                "step() climbs the loss: step against the gradient, p.data -= lr * p.grad",
            ),
            (
                [d - g for d, g in zip(start, grads, strict=True)],
                "step() ignores the learning rate: p.data -= lr * p.grad",
            ),
            (
                [-lr * g for g in grads],
                "step() replaced the data with the step: subtract it, p.data -= lr * p.grad",
            ),
            (
                [d - lr * d for d in start],
                "step() subtracts lr * p.data: step against the gradient, p.data -= lr * p.grad",
            ),
            (start, _unmoved_mistake(params, grads, kept, "lr * p.grad", getattr(type(opt), "step", None))),
            (
                [*start[:-1], want[-1]],
                "step() moved only the last parameter: the update must be inside the loop over the "
                "parameters",
            ),
            (
                [d - 0.1 * g for d, g in zip(start, grads, strict=True)],
                "step() always uses 0.1: use the learning rate given to MySGD(parameters, lr)",
            ),
        ]
        mistake = next(
            (text for wrong, text in wrongs if _same_numbers(got, wrong)),
            "step() must do p.data -= lr * p.grad for every parameter",
        )
        report.checks.append(
            Check(
                name,
                False,
                f"{name} gave {_nums(got)}, expected {_nums(want)}: {mistake}.",
                mistake,
            )
        )
        return report
    # zero_grad(), on the optimizer of the last step, its values given gradients to reset (a step()
    # that zeroes them itself would otherwise let a zero_grad() that does nothing pass).
    name = "MySGD.zero_grad()"
    for i, p in enumerate(params):
        p.grad = 0.25 + i
    before = [_as_float(p.data) for p in params]
    ok, _ = _attempt(report, name, opt.zero_grad)
    if not ok:
        return report
    got = [_as_float(p.grad) for p in params]
    if [_as_float(p.data) for p in params] != before:
        mistake = "zero_grad() changed the parameters themselves: set p.grad = 0, and leave p.data as it is"
    elif any(_not_a_number(p.grad) for p in params):
        mistake = "zero_grad() must set p.grad to the number 0, not None: backward() adds to it"
    elif all(g == 0 for g in got):
        mistake = ""
    elif got[-1] == 0:
        mistake = "zero_grad() reset only the last parameter: p.grad = 0 must be inside the loop"
    else:
        mistake = "zero_grad() must set the gradient of every parameter to 0: p.grad = 0"
    if mistake:
        report.checks.append(
            Check(
                name,
                False,
                f"{name} left the gradients {_nums([p.grad for p in params])}: {mistake}.",
                mistake,
            )
        )
        return report
    report.checks.append(Check(name, True, "every gradient 0, the data unchanged"))
    # The page's training loop, with MySGD in place of the update by hand.
    from micrograd.optim import SGD

    name = "10 steps of the training loop with MySGD(net.parameters(), lr=0.1)"
    ok, history = _attempt(report, name, _optimizer_train, lambda params: sgd_class(params, 0.1), 10)
    if not ok:
        return report
    expected = _optimizer_train(lambda params: SGD(params, lr=0.1), 10)
    if _same_numbers(history, expected):
        report.checks.append(Check(name, True, f"losses from {_num(expected[0])} to {_num(expected[-1])}"))
    else:
        mistake = (
            "the losses differ from micrograd's SGD: step() must update every parameter it was given, "
            "every time it is called"
        )
        report.checks.append(
            Check(name, False, f"{name}: the losses differ from micrograd's: {mistake}.", mistake)
        )
    return report
