"""A small neural-network library on top of :class:`~micrograd.engine.Value`.

The classes mirror PyTorch's ``torch.nn`` in miniature: a :class:`Module` has
:meth:`~Module.parameters` and :meth:`~Module.zero_grad`; a :class:`Neuron` computes
``activation(w · x + b)``; a :class:`Layer` is a list of neurons; an :class:`MLP` is a
list of layers. Code written for the classic micrograd runs unchanged and gives the
same numbers up to rounding in the last digits (gradients are summed in another order).
"""

from __future__ import annotations

import operator
import random
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Literal, SupportsIndex, get_args

from micrograd.engine import Number, Value, _short_repr, _weighted_sums

Activation = Literal["relu", "tanh", "sigmoid", "linear"]
"""The name of a neuron's nonlinearity; ``"linear"`` applies none."""

Input = Sequence[Value | Number]
"""The input of a neuron, layer or MLP, one number or :class:`~micrograd.engine.Value` per input."""


class Module:
    """The base class of everything that has parameters.

    Example:
        >>> model = MLP(3, [4, 4, 1])
        >>> len(model.parameters())
        41
        >>> model.zero_grad()
    """

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zero."""
        for p in self.parameters():
            p.grad = 0

    def parameters(self) -> list[Value]:
        """Return every trainable :class:`~micrograd.engine.Value` of the module."""
        return []


class Neuron(Module):
    """One neuron: ``activation(w[0] * x[0] + ... + w[nin-1] * x[nin-1] + b)``.

    Weights start uniform in ``[-1, 1]`` and the bias at zero, as in the classic
    micrograd. Calling it on ``nin`` inputs returns its output, a single
    :class:`~micrograd.engine.Value`, whose node reads the weights' and inputs' ``data``
    when :meth:`~micrograd.engine.Value.backward` runs: change them after ``backward()``,
    not before (``backward()`` raises if they changed).

    Args:
        nin: The number of inputs.
        nonlin: The classic switch: ``True`` for a ReLU neuron, ``False`` for a
            linear one. Ignored when ``activation`` is given.
        activation: The nonlinearity by name; overrides ``nonlin``.
        rng: Where to draw the initial weights from, for example
            ``random.Random(0)``; by default Python's global ``random`` module,
            so ``random.seed`` works as in the classic micrograd.

    Raises:
        ValueError: If ``nin`` is not positive or ``activation`` is unknown.

    Attributes:
        w (list[~micrograd.engine.Value]): The weights, one per input.
        b (~micrograd.engine.Value): The bias.
        activation (Activation): The nonlinearity, by name.

    Example:
        >>> n = Neuron(2, activation="tanh", rng=random.Random(0))
        >>> out = n([1.0, -2.0])
        >>> round(out.data, 4)
        -0.3301
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: Activation | None = None,
        rng: random.Random | None = None,
    ) -> None:
        _check_size(nin, "nin", "Neuron()")
        if activation is None:
            activation = "relu" if nonlin else "linear"
        _check_activation(activation, "Neuron()")
        uniform = (rng or random).uniform
        self.w = [Value(uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation: Activation = activation
        self.nonlin = activation != "linear"

    def __call__(self, x: Input) -> Value:
        if type(x) is not list and type(x) is not tuple:  # the usual cases, checked for free
            _check_input(x)
        if len(x) != len(self.w):
            raise ValueError(f"this Neuron takes {len(self.w)} inputs, got {len(x)}")
        # activation(b + w[0] * x[0] + w[1] * x[1] + ...) as one node rather than 2 * nin + 1
        # nodes of *, + and the activation: the same number, and a graph several times faster
        # to build and to backpropagate.
        return _weighted_sums([self], x)[0]

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        kind = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}
        return f"{kind[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """A layer of ``nout`` neurons that each see the same ``nin`` inputs.

    Calling it returns a list with one :class:`~micrograd.engine.Value` per neuron, or
    the single Value itself when ``nout == 1``, as in the classic micrograd.

    Args:
        nin: The number of inputs.
        nout: The number of neurons, hence of outputs.
        nonlin: As for :class:`Neuron`.
        activation: As for :class:`Neuron`.
        rng: As for :class:`Neuron`.

    Attributes:
        neurons (list[Neuron]): The neurons, one per output.

    Example:
        >>> layer = Layer(3, 2, activation="tanh", rng=random.Random(0))
        >>> [round(v.data, 4) for v in layer([1.0, 2.0, 3.0])]
        [0.8466, -0.7647]
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        nonlin: bool = True,
        *,
        activation: Activation | None = None,
        rng: random.Random | None = None,
    ) -> None:
        _check_size(nout, "nout", "Layer()")
        self.neurons = [Neuron(nin, nonlin, activation=activation, rng=rng) for _ in range(nout)]

    def __call__(self, x: Input) -> Value | list[Value]:
        if type(x) is not list and type(x) is not tuple:  # as Neuron checks it
            _check_input(x)
        nin = len(self.neurons[0].w)  # every neuron's (one with a different length fails in the sum)
        if len(x) != nin:
            raise ValueError(f"this Neuron takes {nin} inputs, got {len(x)}")
        # What each neuron computes, with the inputs read once for all of them.
        out = _weighted_sums(self.neurons, x)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of neurons, each feeding the next.

    Calling it returns the last layer's output: a single :class:`~micrograd.engine.Value`
    when that layer has one neuron, else a list of them.

    The defaults build the classic micrograd repository's network: ReLU hidden
    layers, a linear output, biases starting at 0. The network of Andrej Karpathy's
    lecture uses tanh everywhere: ``MLP(3, [4, 4, 1], activation="tanh",
    output_activation="tanh")`` (the lecture also starts the biases at random, which
    makes no difference to training). With the defaults, the lecture's training loop
    can stall, because a ReLU that is off for every example passes no gradient.

    Args:
        nin: The number of inputs.
        nouts: The number of neurons in each layer, the last one giving the outputs.
        activation: The nonlinearity of every hidden layer (ReLU by default).
        output_activation: The nonlinearity of the last layer (none by default, as
            in the classic micrograd; the lecture's network uses ``"tanh"``).
        rng: As for :class:`Neuron`.

    Attributes:
        layers (list[Layer]): The layers, from the inputs to the outputs.

    Example:
        >>> model = MLP(3, [4, 4, 1], activation="tanh", rng=random.Random(0))
        >>> model.layers[0]
        Layer of [TanhNeuron(3), TanhNeuron(3), TanhNeuron(3), TanhNeuron(3)]
        >>> model.layers[-1]  # linear: the default output_activation
        Layer of [LinearNeuron(4)]
        >>> len(model.parameters())
        41
        >>> y = model([2.0, 3.0, -1.0])
        >>> round(y.data, 4)
        0.4537
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: Activation = "relu",
        output_activation: Activation = "linear",
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(nouts, Sequence) or isinstance(nouts, str | bytes):
            raise TypeError(
                f"MLP(): nouts must be a list of layer sizes, such as [16, 16, 1], got {nouts!r} "
                f"({type(nouts).__name__})"
            )
        if not nouts:
            raise ValueError("MLP() needs at least one layer, got nouts=[]")
        _check_size(nin, "nin", "MLP()")
        for i, n in enumerate(nouts):
            _check_size(n, f"nouts[{i}]", "MLP()")
        for name, value in (("activation", activation), ("output_activation", output_activation)):
            if value is None:
                raise ValueError(f"MLP(): {name}=None is not a choice; for no activation, pass 'linear'")
            _check_activation(value, f"MLP(): {name}")
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=output_activation if i == last else activation, rng=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Input) -> Value | list[Value]:
        out: Value | Input = x
        for layer in self.layers:
            # Only a one-neuron layer's single Value needs wrapping; anything else with a
            # length (a list, a tuple, a NumPy row) goes to the layer as it is.
            out = layer([out] if isinstance(out, Value) else out)
        assert isinstance(out, (Value, list))
        return out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


# The largest layer micrograd builds: a million scalar Values already take over 100 MB.
_MAX_SIZE = 10_000_000


def _check_size(n: object, name: str, where: str) -> None:
    """A number of inputs or neurons: an int from 1 to ``_MAX_SIZE``, or a clear error."""
    if not isinstance(n, SupportsIndex) or isinstance(n, bool):
        raise TypeError(f"{where}: {name} must be an int, got {_short_repr(n)} ({type(n).__name__})")
    n = operator.index(n)
    if n < 1:
        raise ValueError(f"{where}: {name} must be at least 1, got {name}={n!r}")
    if n > _MAX_SIZE:
        raise ValueError(
            f"{where}: {name}={_short_repr(n)} is more than micrograd can build ({_MAX_SIZE:,}): "
            f"every weight is a Python object of its own"
        )


def _check_input(x: object) -> None:
    """An input is a sequence of numbers in a fixed order: not a dict, a set, a string or bytes."""
    if isinstance(x, Mapping | AbstractSet | str | bytes | bytearray) or not hasattr(x, "__len__"):
        raise TypeError(
            f"the input must be a sequence of numbers or Values, one per input, such as a list; "
            f"got {_short_repr(x)} ({type(x).__name__})"
        )


def _check_activation(name: object, where: str) -> None:
    if name not in get_args(Activation):
        choices = ", ".join(repr(a) for a in get_args(Activation))
        raise ValueError(f"{where}: unknown activation {name!r}; choose one of {choices}")
