"""The training playground: a data set, a network, a loss, an optimizer, and steps.

The whole setup is a :class:`Setup`, which round-trips through a URL query string
(:meth:`Setup.to_query`, :meth:`Setup.from_query`): the same link gives the same run,
because every random number (the data's noise and the initial weights) comes from
``random.Random`` seeded by the setup's seed. :class:`Session` trains: each
:meth:`Session.step` is one full-batch step of gradient descent with micrograd, and returns
the numbers the page draws: the loss and the accuracy, the network's score on a coarse grid
over the data (the decision boundary) and, for a small network, its weights.

The data sets are two-class problems in the plane, made here in pure Python (the browser
has no NumPy): XOR, two moons, two circles and two spirals. Labels are 0 and 1; the hinge
and MSE losses train towards scores of -1 and +1, binary cross-entropy towards 0 and 1 on
the sigmoid of the score. A score above 0 means class 1.
"""

from __future__ import annotations

import gc
import math
import random
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from micrograd import MLP, Value
from micrograd.losses import binary_cross_entropy_with_logits, hinge_loss, mse_loss
from micrograd.optim import SGD, Adam, Optimizer

DATASETS = ("xor", "moons", "circles", "spiral")
ACTIVATIONS = ("tanh", "relu", "sigmoid")
LOSSES = ("hinge", "bce", "mse")
OPTIMIZERS = ("sgd", "momentum", "adam")
MAX_POINTS = 400
MAX_LAYERS = 4
MAX_WIDTH = 32
#: A network with at most this many parameters has its weights drawn.
SMALL_NETWORK = 64
#: The decision boundary is drawn from the score on a GRID x GRID grid over the data.
GRID = 16


@dataclass(frozen=True)
class Setup:
    """Everything that decides a run. The defaults are the classic two-moons demo.

    Raises:
        ValueError: On creation, if any field is out of its range; the message names it.
    """

    dataset: str = "moons"
    size: int = 100
    noise: float = 0.1
    seed: int = 1
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "relu"
    loss: str = "hinge"
    optimizer: str = "sgd"
    lr: float = 0.1

    def __post_init__(self) -> None:
        _choice("dataset", self.dataset, DATASETS)
        _choice("activation", self.activation, ACTIVATIONS)
        _choice("loss", self.loss, LOSSES)
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        if type(self.size) is not int or not 4 <= self.size <= MAX_POINTS:
            raise ValueError(
                f"size must be a whole number of points from 4 to {MAX_POINTS}, got {self.size!r}"
            )
        if type(self.seed) is not int or not 0 <= self.seed < 2**32:
            raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {self.seed!r}")
        if not _real(self.noise) or not 0 <= self.noise <= 1:
            raise ValueError(f"noise must be a number from 0 to 1, got {self.noise!r}")
        if not _real(self.lr) or not 0 < self.lr <= 10:
            raise ValueError(f"lr must be a number above 0 and at most 10, got {self.lr!r}")
        if (
            not isinstance(self.hidden, tuple)
            or len(self.hidden) > MAX_LAYERS
            or any(type(w) is not int or not 1 <= w <= MAX_WIDTH for w in self.hidden)
        ):
            raise ValueError(
                f"hidden must be up to {MAX_LAYERS} layer sizes from 1 to {MAX_WIDTH}, got {self.hidden!r}"
            )

    def to_query(self) -> str:
        """The setup as a URL query string, such as ``dataset=moons&size=100&...&hidden=16,16``."""
        items = asdict(self)
        items["hidden"] = ",".join(str(w) for w in self.hidden)
        return urllib.parse.urlencode({key: _text(value) for key, value in items.items()})

    @classmethod
    def from_query(cls, query: str) -> Setup:
        """The setup a query string describes; missing keys take their defaults.

        Raises:
            ValueError: If a key is unknown or repeated, or a value is not of its kind
                or out of its range.
        """
        if len(query) > 1000:
            raise ValueError("the link's query string is too long for a training setup")
        pairs = urllib.parse.parse_qsl(query.lstrip("?"), keep_blank_values=True)
        kinds = {f.name: f.type for f in fields(cls)}
        given: dict[str, Any] = {}
        for key, raw in pairs:
            if key not in kinds:
                raise ValueError(f"unknown setting {key!r}; the settings are {', '.join(kinds)}")
            if key in given:
                raise ValueError(f"the link gives {key!r} more than once")
            given[key] = _parse(key, raw)
        return cls(**given)


def make_dataset(setup: Setup) -> tuple[list[tuple[float, float]], list[int]]:
    """The points and their labels (0 or 1), ``setup.size`` of them, from ``setup.seed``.

    The noise is Gaussian, with standard deviation ``setup.noise`` times the data's scale.
    """
    rng = random.Random(setup.seed)
    n = setup.size
    points: list[tuple[float, float]] = []
    labels: list[int] = []
    if setup.dataset == "xor":
        # A point in the square [-1, 1]^2 is class 1 when its coordinates have the same sign;
        # the classes take turns, so that they are equally large.
        for i in range(n):
            label = i % 2
            sx = rng.choice((-1.0, 1.0))
            sy = sx if label == 1 else -sx
            points.append((sx * rng.uniform(0.05, 1.0), sy * rng.uniform(0.05, 1.0)))
            labels.append(label)
    else:
        for i in range(n):
            label = i % 2
            t = (i // 2) / max(1, (n - 1) // 2)  # 0 to 1 along each class's curve
            if setup.dataset == "moons":
                angle = math.pi * t
                x, y = (
                    (math.cos(angle), math.sin(angle))
                    if label == 0
                    else (1 - math.cos(angle), 0.5 - math.sin(angle))
                )
            elif setup.dataset == "circles":
                radius = 1.0 if label == 0 else 0.5
                angle = 2 * math.pi * t
                x, y = radius * math.cos(angle), radius * math.sin(angle)
            else:  # spiral: two arms, each turning 1.5 times around the centre
                radius = 0.1 + 0.9 * t
                angle = 3 * math.pi * t + math.pi * label
                x, y = radius * math.cos(angle), radius * math.sin(angle)
            points.append((x, y))
            labels.append(label)
    noisy = [(x + rng.gauss(0, setup.noise), y + rng.gauss(0, setup.noise)) for x, y in points]
    return noisy, labels


def make_model(setup: Setup) -> MLP:
    """The network: 2 inputs, the hidden layers, one output score (no activation)."""
    return MLP(2, [*setup.hidden, 1], activation=setup.activation, rng=random.Random(setup.seed))  # type: ignore[arg-type]


def make_optimizer(setup: Setup, params: list[Value]) -> Optimizer:
    if setup.optimizer == "adam":
        return Adam(params, lr=setup.lr)
    return SGD(params, lr=setup.lr, momentum=0.9 if setup.optimizer == "momentum" else 0.0)


def loss_of(setup: Setup, scores: list[Value], labels: list[int]) -> Value:
    """The mean loss of the scores against the labels (0/1, or -1/+1 for hinge and MSE)."""
    if setup.loss == "bce":
        return binary_cross_entropy_with_logits(scores, labels)
    signs = [2 * label - 1 for label in labels]
    return hinge_loss(scores, signs) if setup.loss == "hinge" else mse_loss(scores, signs)


class Session:
    """A training run of a :class:`Setup`, one step at a time.

    Attributes:
        setup (Setup): What is trained, and how.
        points, labels: The data set.
        model (micrograd.MLP): The network, trained in place.
        history (list[dict]): What each step returned, without the grid and the weights.
    """

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.points, self.labels = make_dataset(setup)
        self.model = make_model(setup)
        self.optimizer = make_optimizer(setup, self.model.parameters())
        self.history: list[dict[str, float]] = []
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        pad = 0.25
        self.bounds = (min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad)

    def scores(self, points: list[tuple[float, float]]) -> list[Value]:
        return [self._score(p) for p in points]

    def step(self, *, grid: bool = True) -> dict[str, Any]:
        """One step: forward, loss, zero_grad, backward, optimizer step.

        Returns:
            ``{"step", "loss", "accuracy"}`` for the parameters *before* the update (the
            loss whose gradient made the step), plus ``"grid"`` (the scores after the
            update, :meth:`boundary`) when ``grid`` is true, and ``"weights"`` for a small
            network (:meth:`weights`).

        Raises:
            OverflowError, ValueError: The engine's errors, if training diverges (the
                learning rate is too large): the page says so and stops.
        """
        # A step's graph holds no reference cycles, so Python's cyclic collector would walk
        # its thousands of new nodes for nothing (about a sixth of a step): it is paused
        # while the graph is built and used, and switched back on once the graph is freed,
        # which happens when _train returns.
        collecting = gc.isenabled()
        gc.disable()
        try:
            loss, accuracy = self._train()
        finally:
            if collecting:
                gc.enable()
        record = {"step": len(self.history) + 1, "loss": loss, "accuracy": accuracy}
        self.history.append(record)
        result: dict[str, Any] = dict(record)
        if grid:
            result["grid"] = self.boundary()
        if len(self.model.parameters()) <= SMALL_NETWORK:
            result["weights"] = self.weights()
        return result

    def _train(self) -> tuple[float, float]:
        """The step itself; returns the loss and the accuracy, as numbers."""
        scores = self.scores(self.points)
        loss = loss_of(self.setup, scores, self.labels)
        correct = sum((s.data > 0) == (label == 1) for s, label in zip(scores, self.labels, strict=True))
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.data, correct / len(self.labels)

    def boundary(self) -> dict[str, Any]:
        """The network's score on a ``GRID`` x ``GRID`` grid over the data, row by row from the bottom.

        The grid needs no gradients, so no graph is built for it: the scores are computed
        from the parameters' numbers on plain floats, each neuron summing
        ``b + w[0] * x[0] + ...`` in the order :class:`~micrograd.nn.Neuron` does, so that
        every score equals ``model([x, y]).data`` exactly, at a fraction of the cost.
        """
        x0, x1, y0, y1 = self.bounds
        xs = [x0 + (x1 - x0) * i / (GRID - 1) for i in range(GRID)]
        ys = [y0 + (y1 - y0) * j / (GRID - 1) for j in range(GRID)]
        layers = [
            (
                [([w.data for w in n.w], n.b.data) for n in layer.neurons],
                _ACTIVATIONS[layer.neurons[0].activation],
            )
            for layer in self.model.layers
        ]
        rows = [[_score_on_floats(layers, x, y) for x in xs] for y in ys]
        return {"x": xs, "y": ys, "scores": rows}

    def weights(self) -> list[list[list[float]]]:
        """Each layer's neurons as ``[w_1, ..., w_n, b]``."""
        return [
            [[*(w.data for w in neuron.w), neuron.b.data] for neuron in layer.neurons]
            for layer in self.model.layers
        ]

    def _score(self, point: tuple[float, float]) -> Value:
        out = self.model(list(point))
        assert isinstance(out, Value)  # one output neuron
        return out


# -- what the page calls -------------------------------------------------------------------

#: The page's one training run: the page calls :func:`open_run`, then :func:`train` again and
#: again; a new :func:`open_run` replaces it.
_run: Session | None = None


def open_run(query: str) -> dict[str, Any]:
    """Start the run a URL query string describes (missing settings take their defaults).

    Returns:
        ``{"query", "points", "labels", "bounds", "parameters", "grid"}``: the setup written
        back as a query (what the page puts in its URL), the data set, the plane the page
        draws, the network's number of parameters and its scores before training
        (:meth:`Session.boundary`).

    Raises:
        ValueError: If the query is not a valid setup; the message names the setting.
    """
    global _run
    setup = Setup.from_query(query)
    run = Session(setup)
    _run = run
    return {
        "query": setup.to_query(),
        "points": run.points,
        "labels": run.labels,
        "bounds": run.bounds,
        "parameters": len(run.model.parameters()),
        "grid": run.boundary(),
    }


def train(steps: int, grid: bool = True) -> dict[str, Any]:
    """Train the open run ``steps`` more steps (1 to 50).

    Returns:
        ``{"records": [{"step", "loss", "accuracy"}, ...], "grid"?, "weights"?}``: a record
        per step, then the boundary after the last step when ``grid`` is true (it costs a
        forward pass per grid point) and the weights of a small network.

    Raises:
        RuntimeError: If no run is open.
        ValueError: If ``steps`` is not a whole number from 1 to 50.
        OverflowError, ValueError: The engine's own, if training diverges.
    """
    if _run is None:
        raise RuntimeError("no training run is open: call open_run(query) first")
    if type(steps) is not int or not 1 <= steps <= 50:
        raise ValueError(f"steps must be a whole number from 1 to 50, got {steps!r}")
    results = [_run.step(grid=False) for _ in range(steps)]
    answer: dict[str, Any] = {"records": [{k: r[k] for k in ("step", "loss", "accuracy")} for r in results]}
    if grid:
        answer["grid"] = _run.boundary()
    if "weights" in results[-1]:
        answer["weights"] = results[-1]["weights"]
    return answer


#: Each activation on a plain float, as the engine computes it (sigmoid through the engine
#: itself, whose formula is stable for any input).
_ACTIVATIONS: dict[str, Callable[[float], float]] = {
    "relu": lambda t: t if t > 0 else 0.0,
    "tanh": math.tanh,
    "sigmoid": lambda t: Value(t).sigmoid().data,
    "linear": lambda t: t,
}

#: A layer on floats: each neuron's ``(weights, bias)``, and the layer's activation.
FloatLayer = tuple[list[tuple[list[float], float]], Callable[[float], float]]


def _score_on_floats(layers: list[FloatLayer], x: float, y: float) -> float:
    """The network's score at ``(x, y)``, computed layer by layer on plain floats."""
    h = [x, y]
    for neurons, activate in layers:
        out = []
        for weights, bias in neurons:
            total = bias
            for w, xi in zip(weights, h):  # noqa: B905 (one weight per input)
                total += w * xi
            out.append(activate(total))
        h = out
    return h[0]


def _choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def _real(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _text(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _parse(key: str, raw: str) -> Any:
    try:
        if key in ("size", "seed"):
            return int(raw)
        if key in ("noise", "lr"):
            number = float(raw)
            if not math.isfinite(number):
                raise ValueError
            return number
        if key == "hidden":
            return tuple(int(w) for w in raw.split(",")) if raw else ()
    except ValueError:
        raise ValueError(f"{key} has a value that is not a number: {raw[:40]!r}") from None
    return raw
