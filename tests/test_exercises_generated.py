"""The checkers of MyValue's exercises in Building Value, and of MyLayer, MyMLP and MySGD, pass
every right version and fail every wrong one.

Hypothesis writes the reader's classes: right ones, in the several ways a reader may write
them (a layer of one neuron returning its Value alone or a list, the bias added first or
last or in a loop, tanh as a method or from exp, parameters gathered in a comprehension, a
loop or a generator, the optimizer keeping the list, a copy of it or a tuple, ...), each of
which must pass; and the same classes with one mistake of a learner built in (a wrong
constant, a dropped term, ``+=`` for ``-=``, a zero_grad that resets only the last layer,
...), each of which must fail, with a message that names the mistake where the catalogue
has one. Nothing here uses micrograd's nn or optim: the classes are written from scratch.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from exercise_engines import (
    BUILDING_VALUE_MISTAKES,
    BUILDING_VALUE_STYLES,
    RIGHT,
    WRONG,
    away_from_one,
    failed_naming,
    make_building_value,
)
from hypothesis import given
from hypothesis import strategies as st

from micrograd import Value
from micrograd.exercises import check_layer_and_mlp, check_sgd, check_squared_error, check_subtraction

# -- MyValue of Building Value: subtraction, powers and the squared error -------------------------

VALUE_STYLES = {name: st.sampled_from(choices) for name, choices in BUILDING_VALUE_STYLES.items()}


@RIGHT
@given(style=st.fixed_dictionaries(VALUE_STYLES))
def test_any_right_subtraction_power_and_squared_error_pass(style: dict[str, str]) -> None:
    my_value, squared_error = make_building_value(style)
    for report in (check_subtraction(my_value), check_squared_error(my_value, squared_error)):
        assert report.passed, str(report)


@pytest.mark.parametrize("mistake", sorted(BUILDING_VALUE_MISTAKES))
@WRONG
@given(style=st.fixed_dictionaries(VALUE_STYLES), constant=away_from_one(-3.0, 3.0))
def test_any_subtraction_or_squared_error_with_a_mistake_fails_and_names_it(
    style: dict[str, str], mistake: str, constant: float
) -> None:
    checker, words = BUILDING_VALUE_MISTAKES[mistake]
    my_value, squared_error = make_building_value(style, mistake, constant)
    report = (
        check_subtraction(my_value)
        if checker == "subtraction"
        else check_squared_error(my_value, squared_error)
    )
    failed_naming(report, words)


# -- MyLayer and MyMLP ----------------------------------------------------------------------

NETWORK_STYLES = {
    "single": st.booleans(),  # a layer of one neuron returns its Value alone
    "bias": st.sampled_from(["first", "last", "loop"]),
    "tanh": st.sampled_from(["method", "from exp"]),
    "parameters": st.sampled_from(["comprehension", "loop", "generator"]),
    "zero_grad": st.sampled_from(["parameters", "nested", "int"]),
}

# Each mistake, and the words the checker's first failure must hold (None: it must fail).
NETWORK_MISTAKES: dict[str, str | None] = {
    "parameters of the last layer only": "only the last layer's",
    "every layer built with nin inputs": "layer before it has neurons",
    "every layer fed x": "outputs of the layer before",
    "each neuron's weights, then all the biases": "another order",
    "zero_grad resets only the last layer": "reset only the last layer's gradients",
    "zero_grad resets only the last parameter": "reset only the last parameter",
    "zero_grad resets the data": "leave p.data as it is",
    "output built from .data": "build the output from the parameters themselves",
    "bias drawn from rng": "drawing from the one",
    "weights uniform on [-a, a], a != 1": None,
    "bias starts at b != 0": None,
    "last input dropped": None,
    "no tanh after the last layer": None,
}


def make_network(style: dict[str, Any], mistake: str = "", constant: float = 1.0) -> tuple[type, type]:
    """A reader's (MyLayer, MyMLP), written in ``style``, with ``mistake`` built in."""

    class MyNeuron:
        def __init__(self, nin: int, rng: random.Random, activation: bool = True) -> None:
            if mistake == "bias drawn from rng":
                self.b = Value(rng.uniform(-1, 1))
            a = constant if mistake == "weights uniform on [-a, a], a != 1" else 1.0
            self.w = [Value(rng.uniform(-a, a)) for _ in range(nin)]
            if mistake != "bias drawn from rng":
                self.b = Value(constant if mistake == "bias starts at b != 0" else 0.0)
            self.activation = activation

        def __call__(self, x: list[Any]) -> Any:
            pairs = list(zip(self.w, x, strict=False))  # as the classic micrograd: extra inputs unused
            if mistake == "last input dropped":
                pairs = pairs[:-1]
            if mistake == "output built from .data":
                number = sum((wi.data * getattr(xi, "data", xi) for wi, xi in pairs), self.b.data)
                return Value(math.tanh(number) if self.activation else number)
            if style["bias"] == "first":
                act = sum((wi * xi for wi, xi in pairs), self.b)
            elif style["bias"] == "last":
                act = sum(wi * xi for wi, xi in pairs) + self.b
            else:
                act = self.b
                for wi, xi in pairs:
                    act = act + wi * xi
            if not self.activation:
                return act
            if style["tanh"] == "method":
                return act.tanh()
            e = (2 * act).exp()
            return (e - 1) / (e + 1)

        def parameters(self) -> list[Value]:
            return [*self.w, self.b]

    class MyLayer:
        def __init__(self, nin: int, nout: int, rng: random.Random, activation: bool = True) -> None:
            self.neurons = [MyNeuron(nin, rng, activation) for _ in range(nout)]

        def __call__(self, x: list[Any]) -> Any:
            out = [n(x) for n in self.neurons]
            return out[0] if style["single"] and len(out) == 1 else out

        def parameters(self) -> Any:
            if mistake == "each neuron's weights, then all the biases":
                return [w for n in self.neurons for w in n.w] + [n.b for n in self.neurons]
            if style["parameters"] == "generator":
                return (p for n in self.neurons for p in n.parameters())
            if style["parameters"] == "loop":
                params = []
                for n in self.neurons:
                    params.extend(n.parameters())
                return params
            return [p for n in self.neurons for p in n.parameters()]

    class MyMLP:
        def __init__(self, nin: int, nouts: list[int], rng: random.Random) -> None:
            sizes = [nin, *nouts]
            if mistake == "every layer built with nin inputs":
                sizes = [nin] * len(nouts) + [0]
            self.layers = [
                MyLayer(
                    sizes[i],
                    nouts[i],
                    rng,
                    activation=not (mistake == "no tanh after the last layer" and i == len(nouts) - 1),
                )
                for i in range(len(nouts))
            ]

        def __call__(self, x: list[Any]) -> Any:
            out: Any = x
            for layer in self.layers:
                given = x if mistake == "every layer fed x" else out
                out = layer(given if isinstance(given, list) else [given])
            return out[0] if isinstance(out, list) and len(out) == 1 else out  # as the page asks

        def parameters(self) -> list[Value]:
            if mistake == "parameters of the last layer only":
                return list(self.layers[-1].parameters())
            return [p for layer in self.layers for p in layer.parameters()]

        def zero_grad(self) -> None:
            if mistake == "zero_grad resets only the last layer":
                for p in self.layers[-1].parameters():
                    p.grad = 0.0
            elif mistake == "zero_grad resets only the last parameter":
                for p in self.parameters():  # noqa: B007  # the indentation slip this mistake is
                    pass
                p.grad = 0.0
            elif mistake == "zero_grad resets the data":
                for p in self.parameters():
                    p.data = 0.0
            elif style["zero_grad"] == "nested":
                for layer in self.layers:
                    for n in layer.neurons:
                        for p in n.parameters():
                            p.grad = 0.0
            else:
                for p in self.parameters():
                    p.grad = 0 if style["zero_grad"] == "int" else 0.0

    return MyLayer, MyMLP


@RIGHT
@given(style=st.fixed_dictionaries(NETWORK_STYLES))
def test_any_right_layer_and_mlp_pass(style: dict[str, Any]) -> None:
    report = check_layer_and_mlp(*make_network(style))
    assert report.passed, str(report)


@pytest.mark.parametrize("mistake", sorted(NETWORK_MISTAKES))
@WRONG
@given(style=st.fixed_dictionaries(NETWORK_STYLES), constant=away_from_one(-2.0, 3.0))
def test_any_layer_or_mlp_with_a_mistake_fails_and_names_it(
    style: dict[str, Any], mistake: str, constant: float
) -> None:
    if mistake == "bias starts at b != 0":
        constant -= 1  # anything but 0
    failed_naming(check_layer_and_mlp(*make_network(style, mistake, constant)), NETWORK_MISTAKES[mistake])


# -- MySGD ------------------------------------------------------------------------------------

SGD_STYLES = {
    "keeps": st.sampled_from(["the list", "a copy", "a tuple"]),
    "update": st.sampled_from(["-=", "= p.data - lr * grad", "+= -lr * grad", "-= grad * lr"]),
    "zero_grad": st.sampled_from(["0.0", "0", "by index"]),
}

SGD_MISTAKES: dict[str, str | None] = {
    "+=": "climbs the loss",
    "no learning rate": "ignores the learning rate",
    "copies of the numbers": "not copies of their numbers",
    "step moves only the last parameter": "moved only the last parameter",
    "zero_grad resets only the last parameter": "reset only the last parameter",
    "a fixed rate of 0.1": "always uses 0.1",
    "the data replaced by the step": "replaced the data with the step",
    "zero_grad resets the data": "changed the parameters themselves",
    "zero_grad does nothing": "set the gradient of every parameter to 0",
    "learning rate times a wrong constant": None,
}


def make_sgd(style: dict[str, str], mistake: str = "", constant: float = 1.0) -> type:
    """A reader's MySGD, written in ``style``, with ``mistake`` built in."""

    class MySGD:
        def __init__(self, parameters: Any, lr: float) -> None:
            if mistake == "copies of the numbers":
                parameters = [Value(p.data) for p in parameters]
            keep = {"the list": lambda ps: ps, "a copy": list, "a tuple": tuple}[style["keeps"]]
            self.parameters = keep(parameters)
            self.lr = lr * constant if mistake == "learning rate times a wrong constant" else lr

        def step(self) -> None:
            if mistake == "step moves only the last parameter":
                for p in self.parameters:  # noqa: B007  # the indentation slip this mistake is
                    pass
                p.data -= self.lr * p.grad
                return
            for p in self.parameters:
                lr = {"no learning rate": 1.0, "a fixed rate of 0.1": 0.1}.get(mistake, self.lr)
                if mistake == "+=":
                    p.data += lr * p.grad
                elif mistake == "the data replaced by the step":
                    p.data = -lr * p.grad
                elif style["update"] == "-=":
                    p.data -= lr * p.grad
                elif style["update"] == "= p.data - lr * grad":
                    p.data = p.data - lr * p.grad
                elif style["update"] == "+= -lr * grad":
                    p.data += -lr * p.grad
                else:
                    p.data -= p.grad * lr

        def zero_grad(self) -> None:
            if mistake == "zero_grad does nothing":
                return
            if mistake == "zero_grad resets only the last parameter":
                for p in self.parameters:  # noqa: B007  # the indentation slip this mistake is
                    pass
                p.grad = 0.0
            elif mistake == "zero_grad resets the data":
                for p in self.parameters:
                    p.data = 0.0
            elif style["zero_grad"] == "by index":
                for i in range(len(self.parameters)):
                    self.parameters[i].grad = 0.0
            else:
                for p in self.parameters:
                    p.grad = 0 if style["zero_grad"] == "0" else 0.0

    return MySGD


@RIGHT
@given(style=st.fixed_dictionaries(SGD_STYLES))
def test_any_right_sgd_passes(style: dict[str, str]) -> None:
    report = check_sgd(make_sgd(style))
    assert report.passed, str(report)


@pytest.mark.parametrize("mistake", sorted(SGD_MISTAKES))
@WRONG
@given(style=st.fixed_dictionaries(SGD_STYLES), constant=away_from_one(-3.0, 3.0))
def test_any_sgd_with_a_mistake_fails_and_names_it(
    style: dict[str, str], mistake: str, constant: float
) -> None:
    failed_naming(check_sgd(make_sgd(style, mistake, constant)), SGD_MISTAKES[mistake])
