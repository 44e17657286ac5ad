"""The checkers of the network pages (tutorials 4 to 9) say what is wrong in plain words.

Each test puts one learner's slip, found by running the pages with it, into an otherwise
right answer: the checker must return a report (never raise), must not pass a wrong
answer, must name a value that is not a number for what it is (not "nan"), and must name
the real cause.
"""

from __future__ import annotations

import functools
import itertools
import linecache
import math
import random
from collections.abc import Callable
from typing import Any, cast

from dependencies import require
from test_exercises import MySGD, failed_with, make_train

from micrograd import MLP, Neuron, Value
from micrograd.exercises import (
    Report,
    check_adam_halves,
    check_and_or,
    check_bce_by_hand,
    check_count_parameters,
    check_cross_entropy_by_hand,
    check_generalisation,
    check_he_scale,
    check_layer_and_mlp,
    check_misclassified,
    check_momentum,
    check_neuron,
    check_relative_change,
    check_residual,
    check_sgd,
    check_slope_changes,
    check_solves_xor,
    check_tanh_model,
    check_tensor,
    check_tensor_training,
    check_train,
    check_two_classes,
    check_xor_feature,
    check_xor_weights,
)
from micrograd.losses import binary_cross_entropy_with_logits, cross_entropy, mse_loss, softmax
from micrograd.nn import Layer

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
CORNERS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


# -- Neurons, layers and an MLP ---------------------------------------------------------------


def test_count_parameters_that_prints_instead_of_returning_is_told_to_return() -> None:
    def count(nin: int, nouts: list[int]) -> None:
        sizes = [nin, *nouts]
        print(sum(o * (i + 1) for i, o in itertools.pairwise(sizes)))

    report = check_count_parameters(count)
    failed_with(report, "returned None (did a function end without return?")
    assert "nan" not in str(report)


def test_count_parameters_is_told_the_first_layer_it_counts_wrong_and_why() -> None:
    def nin_for_every_layer(nin: int, nouts: list[int]) -> int:
        return sum(n_out * (nin + 1) for n_out in nouts)

    def last_layer_left_out(nin: int, nouts: list[int]) -> int:
        sizes = [nin, *nouts]
        return sum(sizes[i + 1] * (sizes[i] + 1) for i in range(len(sizes) - 2))

    def one_bias_per_layer(nin: int, nouts: list[int]) -> int:
        sizes = [nin, *nouts]
        return sum(n_out * n_in + 1 for n_in, n_out in itertools.pairwise(sizes))

    report = check_count_parameters(nin_for_every_layer)
    failed_with(
        report,
        "your count gives layer 2 16 parameters, too few: each layer's inputs are the previous "
        "layer's outputs (only the first layer sees nin)",
    )
    assert "20" not in str(report) and "(4 + 1)" not in str(report)  # layer 2's own count is the exercise
    report = check_count_parameters(last_layer_left_out)
    failed_with(report, "count_parameters(3, [4]) leaves out its last layer")
    assert "16" not in str(report)
    report = check_count_parameters(one_bias_per_layer)
    failed_with(report, "each neuron has its own bias, not one per layer")
    assert "(3 + 1)" not in str(report) and "16" not in str(report)


def test_count_parameters_names_the_mistake_without_stating_the_formula() -> None:
    def off_by_one_weight(nin: int, nouts: list[int]) -> int:
        sizes = [nin, *nouts]
        return sum(n_out * (n_in + 2) for n_in, n_out in itertools.pairwise(sizes))

    report = check_count_parameters(off_by_one_weight)
    failed_with(report, "your count gives layer 1 20 parameters, too many: a layer has one neuron per output")
    assert "n_in + 1" not in str(report) and "16" not in str(report)


def test_train_names_each_slip_of_the_loop_for_what_it_is() -> None:
    assert check_train(make_train()).passed
    failed_with(check_train(make_train("p rebound")), "makes a new value and binds the name p to it")
    failed_with(check_train(make_train("steps ignored")), "returned 100 losses for steps=10")
    failed_with(check_train(make_train("loss after the update")), "the loss after the first update")
    failed_with(check_train(make_train("swapped")), "(list, MLP): the network comes first")
    failed_with(check_train(make_train("Values kept")), "your losses are Values: append loss.data")


def test_train_returning_a_generator_of_net_and_history_is_read_not_raised_on() -> None:
    """A code review: the checker unpacked the result for the losses and then indexed it for the
    network, so a generator of the two raised TypeError out of the checker."""

    def as_generator(train: Any) -> Any:
        return lambda *args, **kwargs: (item for item in train(*args, **kwargs))

    assert check_train(as_generator(make_train())).passed
    report = check_train(as_generator(make_train("p rebound")))
    failed_with(report, "makes a new value and binds the name p to it")


def train_with(update: Callable[[MLP, Value, float], None], shared: MLP | None = None) -> Any:
    """Tutorial 4's train(learning_rate, steps=100, zero_grad=True) with another step after
    zero_grad(), update(net, loss, learning_rate), and the network ``shared`` by every call if given."""

    def train(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> Any:
        net = shared or MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        history = []
        for _ in range(steps):
            loss = mse_loss([cast(Value, net(x)) for x in XS], YS)
            if zero_grad:
                net.zero_grad()
            update(net, loss, learning_rate)
            history.append(loss.data)
        return net, history

    return train


def descend(net: MLP, loss: Value, learning_rate: float) -> None:
    loss.backward()
    for p in net.parameters():
        p.data -= learning_rate * p.grad


def test_train_whose_loss_never_changes_is_told_what_its_update_missed_not_a_rebinding_alone() -> None:
    def update_before_backward(net: MLP, loss: Value, learning_rate: float) -> None:
        for p in net.parameters():
            p.data -= learning_rate * p.grad
        loss.backward()

    def gradient_changed(net: MLP, loss: Value, learning_rate: float) -> None:
        loss.backward()
        for p in net.parameters():
            p.grad -= learning_rate * p.grad  # the slip this test is about

    assert check_train(train_with(descend)).passed
    report = check_train(train_with(update_before_backward))
    failed_with(
        report, "either the update comes before loss.backward(), right after zero_grad() set them to 0"
    )
    # Without zero_grad() the update moves the weights before backward(), which refuses them changed.
    told = report.failures[-1].message
    for words in (
        "parameter's data changes (line",
        ": p.data -= learning_rate * p.grad) before backward() (line",
        ": loss.backward()), which reads the parameters to pass the gradients on: the update comes after",
    ):
        assert words in told, told
    failed_with(
        check_train(train_with(gradient_changed)), "the update changes p.grad, the gradient, not p.data"
    )


def test_train_updating_by_the_data_or_reusing_one_network_is_told_which() -> None:
    def data_for_gradient(net: MLP, loss: Value, learning_rate: float) -> None:
        loss.backward()
        for p in net.parameters():
            p.data = p.data - learning_rate * p.data  # the slip this test is about

    one_network = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
    failed_with(check_train(train_with(data_for_gradient)), "the update subtracts learning_rate * p.data")
    report = check_train(train_with(descend, shared=one_network))
    failed_with(report, "train() returned the network of an earlier call, trained further: build a fresh")


def test_train_that_zeroes_the_parameters_data_for_their_gradients_is_told_so() -> None:
    def zeroing(after_update: bool) -> Any:
        def train(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> Any:
            net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
            history = []
            for _ in range(steps):
                loss = mse_loss([cast(Value, net(x)) for x in XS], YS)
                if zero_grad and not after_update:
                    for p in net.parameters():
                        p.data = 0  # the slip this test is about
                loss.backward()
                for p in net.parameters():
                    p.data -= learning_rate * p.grad
                if zero_grad and after_update:
                    for p in net.parameters():
                        p.data = 0  # the slip this test is about
                history.append(loss.data)
            return net, history

        return train

    report = check_train(zeroing(True))
    failed_with(report, "the parameters' data were set to 0 instead of their grad")
    assert "differ from the page's loop" not in str(report), str(report)
    # Before backward(), which refuses the weights changed since the forward pass: told at the line.
    told = check_train(zeroing(False)).failures[-1].message
    for words in ("itself, is set to 0 (line", ": p.data = 0) before backward() (line", "not its data"):
        assert words in told, told


def test_train_that_does_not_take_the_exercises_arguments_is_told_the_signature() -> None:
    def train(learning_rate: float) -> Any:
        return make_train()(learning_rate)

    failed_with(check_train(train), "write it as train(learning_rate, steps=100, zero_grad=True)")


def test_sgd_without_a_method_or_as_a_function_is_told_so_not_a_traceback() -> None:
    class NoStep:
        def __init__(self, parameters: list[Value], lr: float) -> None:
            self.parameters = parameters

        def zero_grad(self) -> None:
            pass

    class NoZeroGrad(MySGD):
        zero_grad = None  # type: ignore[assignment]  # as if the method were never written

    def as_a_function(parameters: list[Value], lr: float) -> None:
        for p in parameters:
            p.data -= lr * p.grad

    failed_with(check_sgd(NoStep), "your MySGD has no step() method")
    failed_with(check_sgd(NoZeroGrad), "your MySGD has no zero_grad() method")
    failed_with(check_sgd(as_a_function), "write MySGD as a class")


def test_sgd_whose_zero_grad_sets_none_is_told_to_set_0_and_numbers_print_as_numbers() -> None:
    class GradNone(MySGD):
        def zero_grad(self) -> None:
            for p in self.parameters:
                p.grad = None  # type: ignore[assignment]  # the slip this test is about

    class Ascent(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data += self.lr * p.grad

    failed_with(check_sgd(GradNone), "set p.grad to the number 0, not None")
    failed_with(check_sgd(Ascent), "gave [1.05, -2.3, 0.7], expected [0.95, -1.7, 0.3]")


def test_sgd_whose_step_changes_the_gradient_or_a_new_value_is_told_what_it_changed_not_copies() -> None:
    class GradientChanged(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.grad -= self.lr * p.grad  # the slip this test is about

    class Rebound(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p = p - self.lr * p.grad  # the slip this test is about

    class ItemsReplaced(MySGD):  # passed: the check read the values back from the list it gave
        def step(self) -> None:
            for i, p in enumerate(self.parameters):
                self.parameters[i] = p - self.lr * p.grad

    class DataForGradient(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data = p.data - self.lr * p.data  # the slip this test is about

    failed_with(check_sgd(GradientChanged), "step() changed p.grad, the gradient, not p.data, the number")
    for rebinding in (Rebound, ItemsReplaced):
        report = check_sgd(rebinding)
        failed_with(report, "makes a new value and binds the name p to it, so the parameter's data never")
        assert "copies" not in str(report), str(report)
    failed_with(check_sgd(DataForGradient), "step() subtracts lr * p.data")


def test_sgd_whose_step_does_nothing_is_told_so_and_what_its_line_does_not_a_rebinding() -> None:
    class Pass(MySGD):
        def step(self) -> None:
            pass

    class ResultDropped(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                p.data - self.lr * p.grad  # the slip this test is about

    class LocalName(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                new = p.data - self.lr * p.grad  # noqa: F841  # the slip this test is about

    class CopyOfData(MySGD):
        def step(self) -> None:
            for p in self.parameters:
                data = p.data
                data -= self.lr * p.grad  # the slip this test is about

    class Returned(MySGD):
        def step(self) -> Any:
            return [p.data - self.lr * p.grad for p in self.parameters]

    said = {
        Pass: "its body is pass, which does nothing (line ",
        ResultDropped: "computes a new number and keeps it nowhere, so it is thrown away (line ",
        LocalName: "keeps the new number in new, a name of step()'s own, gone when step() returns",
        CopyOfData: "data = p.data copies the number: changing data leaves the parameter's data",
        Returned: "returns the new numbers, and the training loop, which calls optimizer.step(), never",
    }
    for idle, words in said.items():
        report = check_sgd(idle)
        failed_with(report, "step() leaves every parameter unchanged: ")
        failed_with(report, words)
        assert "binds the name p" not in str(report), str(report)
    failed_with(check_sgd(ResultDropped), ": p.data - self.lr * p.grad)")
    failed_with(check_sgd(CopyOfData), ": data -= self.lr * p.grad)")


class MyNeuron:
    def __init__(self, nin: int, rng: random.Random) -> None:
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)

    def __call__(self, x: list[Any]) -> Value:
        return sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b).tanh()

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]


def test_neuron_with_plain_floats_or_a_drawn_bias_is_told_which() -> None:
    class Floats(MyNeuron):
        def parameters(self) -> list[Any]:
            return [p.data for p in super().parameters()]

    class DrawnBias(MyNeuron):
        def __init__(self, nin: int, rng: random.Random) -> None:
            super().__init__(nin, rng)
            self.b = Value(rng.uniform(-1, 1))

    class ExtraForOneInput(MyNeuron):  # right with 3 inputs, one parameter too many with 1
        def parameters(self) -> list[Value]:
            return [*self.w, self.b] + ([self.b] if len(self.w) == 1 else [])

    assert check_neuron(MyNeuron).passed
    failed_with(check_neuron(Floats), "must be a value of your class")
    failed_with(check_neuron(DrawnBias), "the bias starts at 0.0, not drawn from rng")
    failed_with(check_neuron(ExtraForOneInput), "a neuron with 1 input has 1 weight and one bias")


def test_neuron_that_ignores_the_rng_it_is_given_or_adds_its_bias_after_tanh_is_told_so() -> None:
    class OwnGenerator(MyNeuron):  # passed: the check gave every neuron random.Random(0)
        def __init__(self, nin: int, rng: random.Random) -> None:
            super().__init__(nin, random.Random(0))

    class RandomModule(MyNeuron):
        def __init__(self, nin: int, rng: random.Random) -> None:
            self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]  # the slip this test is about
            self.b = Value(0.0)

    class BiasAfterTanh(MyNeuron):
        def __call__(self, x: list[Any]) -> Value:
            return sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), Value(0.0)).tanh() + self.b

    failed_with(check_neuron(OwnGenerator), "the weights are the same whatever rng MyNeuron is given")
    failed_with(check_neuron(RandomModule), "drew other weights: draw every weight from the rng given")
    failed_with(
        check_neuron(BiasAfterTanh), "only the biases' gradients are wrong: add each neuron's bias once"
    )


def tanh_layer(nin: int, nout: int, rng: random.Random) -> Layer:
    return Layer(nin, nout, activation="tanh", rng=rng)


class MyMLP:
    def __init__(self, nin: int, nouts: list[int], rng: random.Random) -> None:
        sizes = [nin, *nouts]
        self.layers = [tanh_layer(sizes[i], sizes[i + 1], rng) for i in range(len(nouts))]

    def __call__(self, x: list[Any]) -> Any:
        for layer in self.layers:
            x = layer(x)
            x = x if isinstance(x, list) else [x]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0


def test_mlp_without_zero_grad_or_returning_a_list_of_one_is_told_so() -> None:
    class NoZeroGrad(MyMLP):
        zero_grad = None  # type: ignore[assignment]  # as if the method were never written

    class AlwaysAList(MyMLP):
        def __call__(self, x: list[Any]) -> Any:
            out = super().__call__(x)
            return out if isinstance(out, list) else [out]

    assert check_layer_and_mlp(tanh_layer, MyMLP).passed
    failed_with(check_layer_and_mlp(tanh_layer, NoZeroGrad), "your MyMLP has no zero_grad() method")
    failed_with(check_layer_and_mlp(tanh_layer, AlwaysAList), "return that value alone, not a list of one")


def test_a_layer_whose_parameters_are_a_list_per_neuron_is_told_to_flatten_them() -> None:
    class ListPerNeuron:
        def __init__(self, nin: int, nout: int, rng: random.Random) -> None:
            self.layer = tanh_layer(nin, nout, rng)

        def __call__(self, x: list[Any]) -> Any:
            return self.layer(x)

        def parameters(self) -> list[Any]:
            return [n.parameters() for n in self.layer.neurons]  # the slip: nested lists

    failed_with(check_layer_and_mlp(ListPerNeuron, MyMLP), "it must be one flat list of values")
    report = check_layer_and_mlp(lambda nin, nout, rng: Layer(nin, nout + 1, rng=rng), MyMLP)
    failed_with(report, "a layer of 4 neurons with 3 inputs has 16 parameters")


def test_a_layer_or_an_mlp_is_told_its_own_mistake_in_its_own_words() -> None:
    class ParametersPerLayer(MyMLP):
        def parameters(self) -> list[Any]:
            return [layer.parameters() for layer in self.layers]  # the slip: a list per layer

    class LastLayerSkipped(MyMLP):
        def __call__(self, x: list[Any]) -> Any:
            for layer in self.layers[:-1]:  # the slip: the last layer never runs
                x = layer(x)
            return x[0] if len(x) == 1 else x

    class SummingLayer:
        def __init__(self, nin: int, nout: int, rng: random.Random) -> None:
            self.layer = tanh_layer(nin, nout, rng)

        def __call__(self, x: list[Any]) -> Any:
            return sum(n(x) for n in self.layer.neurons)  # the slip: one sum, not each neuron's output

        def parameters(self) -> list[Value]:
            return self.layer.parameters()

    failed_with(check_layer_and_mlp(tanh_layer, ParametersPerLayer), "not a list per layer")
    failed_with(
        check_layer_and_mlp(tanh_layer, LastLayerSkipped),
        "output gave 4 values: calling it should return the outputs of the last layer: one value, alone",
    )
    failed_with(check_layer_and_mlp(SummingLayer, MyMLP), "should return the output of each of its neurons")


# -- From scalars to matrices -------------------------------------------------------------------


def test_tensor_that_only_sums_the_leading_axes_fails_and_a_wrong_matmul_rule_is_blamed_on_at() -> None:
    require("numpy")
    from test_exercises_tensor import Tensor

    def lead_axes_only(grad: Any, shape: tuple[int, ...]) -> Any:
        while grad.ndim > len(shape):
            grad = grad.sum(axis=0)
        return grad

    def add(self: Any, other: Any) -> Any:
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += lead_axes_only(out.grad, self.data.shape)
            other.grad += lead_axes_only(out.grad, other.data.shape)

        out._backward = _backward
        return out

    def matmul(self: Any, other: Any) -> Any:
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward() -> None:
            self.grad += out.grad @ other.data.T
            other.grad += out.grad.T @ self.data  # the shape of B.T

        out._backward = _backward
        return out

    import pytest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Tensor, "__add__", add)
        failed_with(check_tensor(Tensor), "every axis where the tensor has size 1")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Tensor, "__matmul__", matmul)
        report = check_tensor(Tensor)
        failed_with(report, "the @ rule is the suspect")
        assert "bias" not in report.failures[0].message, str(report)


def tensor_losses(mistake: str = "") -> list[Any]:
    np = require("numpy")
    from test_exercises_tensor import Tensor

    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
    params = []
    for layer in model.layers:
        params.append(Tensor(np.array([[w.data for w in n.w] for n in layer.neurons]).T))
        params.append(Tensor(np.array([n.b.data for n in layer.neurons])))
    y = np.array(YS) if mistake.startswith("flat targets") else np.array(YS).reshape(-1, 1)
    scale = {"summed": 1.0, "flat targets, over every entry": 1 / len(YS) ** 2}.get(mistake, 1 / len(YS))
    losses: list[Any] = []
    for _ in range(20):
        h = Tensor(np.array(XS))
        for w, b in zip(params[::2], params[1::2], strict=True):
            h = (h @ w + b).tanh()
        loss = ((h - y) ** 2).sum() * scale
        for p in params:
            p.grad = np.zeros_like(p.data)
        loss.backward()
        for p in params:
            p.data = p.data - 0.1 * p.grad
        losses.append(loss if mistake == "tensors kept" else float(loss.data))
    return losses


def test_tensor_training_names_a_summed_loss_flat_targets_and_tensors_kept() -> None:
    assert check_tensor_training(tensor_losses()).passed
    failed_with(check_tensor_training(tensor_losses("summed")), "the sum of the squared errors")
    failed_with(check_tensor_training(tensor_losses("flat targets")), "np.array(ys).reshape(4, 1)")
    failed_with(
        check_tensor_training(tensor_losses("flat targets, over every entry")), "np.array(ys).reshape(4, 1)"
    )
    failed_with(check_tensor_training([*tensor_losses()[1:], 0.0]), "the loss after the first update")
    report = check_tensor_training(tensor_losses("tensors kept"))
    failed_with(report, "tensor_losses[0] is a Tensor, not a number")
    assert "nan" not in str(report)


# -- Two moons ----------------------------------------------------------------------------------


def test_generalisation_checks_the_new_points_and_the_names_of_the_accuracies() -> None:
    require("sklearn")
    from sklearn.datasets import make_moons

    def model(x: list[float]) -> Value:
        return Value(x[0] - 0.5)

    def measured(points: Any, labels: Any) -> float:
        right = sum((model(list(x)).data > 0) == (t == 1) for x, t in zip(points, labels, strict=True))
        return float(right / len(labels))

    models = {"hinge": model, "cross-entropy": model}
    xs, ys = make_moons(500, noise=0.1, random_state=2)
    accuracy = {name: measured(xs, ys) for name in models}
    assert check_generalisation(models, xs.tolist(), ys.tolist(), accuracy).passed
    other_x, other_y = make_moons(500, noise=0.1, random_state=1)
    other = {name: measured(other_x, other_y) for name in models}
    failed_with(check_generalisation(models, other_x.tolist(), other_y.tolist(), other), "random_state=2")
    bce = {"hinge": accuracy["hinge"], "bce": accuracy["cross-entropy"]}
    failed_with(
        check_generalisation(models, xs.tolist(), ys.tolist(), bce), "found the keys 'hinge' and 'bce'"
    )
    listed = list(accuracy.values())
    failed_with(check_generalisation(models, xs.tolist(), ys.tolist(), listed), "must be a dict")  # type: ignore[arg-type]


def test_tanh_model_left_as_trains_tuple_is_told_to_unpack_it() -> None:
    net = MLP(2, [4, 1], activation="tanh", rng=random.Random(0))
    failed_with(check_tanh_model((net, {"loss": []}), [[0.0, 1.0]], [1]), "tanh_model, history = train(")


def test_bce_by_hand_that_returns_a_float_a_list_or_none_is_told_what_came_back() -> None:
    def as_float(scores: list[Value], targets: list[int]) -> float:
        return binary_cross_entropy_with_logits(scores, targets).data

    def as_list(scores: list[Value], targets: list[int]) -> list[Value]:
        return [binary_cross_entropy_with_logits(scores, targets)]

    def nothing(scores: list[Value], targets: list[int]) -> None:
        binary_cross_entropy_with_logits(scores, targets)

    failed_with(check_bce_by_hand(as_float), "returned 0.371101, a plain number")
    failed_with(check_bce_by_hand(as_list), "returned a list of 1 value")
    failed_with(check_bce_by_hand(nothing), "returned None")


def test_slope_changes_returning_the_count_is_told_to_divide_it() -> None:
    def slope_count(model: Any) -> int:
        s = [model([-1.5 + 0.02 * i, 0.25]).data for i in range(201)]
        second = [s[i - 1] - 2 * s[i] + s[i + 1] for i in range(1, 200)]
        return sum(abs(d) > 1e-9 for d in second)  # the slip: the count, not the fraction

    report = check_slope_changes(slope_count)
    failed_with(report, "gave 24, expected 0.120603: that is a count")
    assert "the second differences s[i - 1]" not in str(report)


# -- XOR ----------------------------------------------------------------------------------------


def bce_steps(
    model: Any, inputs: list[list[float]], targets: list[int], steps: int, lr: float = 1.0
) -> float:
    loss = Value(0.0)
    for _ in range(steps):
        loss = binary_cross_entropy_with_logits([model(x) for x in inputs], targets)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
    return loss.data


def test_and_or_needs_one_linear_neuron_and_a_failure_never_reads_like_a_pass() -> None:
    def trained(make: Any, on_xor: bool = False) -> Any:
        def train_neuron(targets: list[int], steps: int = 200) -> Any:
            n = make()
            return n, bce_steps(n, CORNERS, [0, 1, 1, 0] if on_xor else targets, steps)

        return train_neuron

    def linear() -> Neuron:
        return Neuron(2, activation="linear", rng=random.Random(0))

    assert check_and_or(trained(linear)).passed
    failed_with(check_and_or(trained(lambda: MLP(2, [4, 1], rng=random.Random(0)))), "has 3")
    failed_with(
        check_and_or(trained(lambda: Neuron(2, activation="tanh", rng=random.Random(0)))), "applies tanh"
    )
    report = check_and_or(trained(linear, on_xor=True))
    assert not any("all four corners right" in c.message for c in report.failures), str(report)
    failed_with(check_and_or(lambda targets, steps=200: None), "train_neuron returned None")
    assert "NoneType" not in str(check_and_or(lambda targets, steps=200: None))


def page_train_neuron(slip: str = "") -> Any:
    """The page's train_neuron(targets, steps=200), with one slip built in."""

    def train_neuron(targets: list[int], steps: int = 200) -> Any:
        n = Neuron(2, activation="linear", rng=random.Random(0))
        loss = Value(0.0)
        for _ in range(steps):
            loss = binary_cross_entropy_with_logits([n(x) for x in CORNERS], targets)
            if slip != "no zero_grad":
                n.zero_grad()
            loss.backward()
            for p in n.parameters():
                p.data += (1.0 if slip == "+=" else -1.0) * p.grad
        return (loss.data, n) if slip == "swapped" else (n, loss.data)

    return train_neuron


def test_and_or_without_zero_grad_swapped_or_uphill_is_told_which() -> None:
    assert check_and_or(page_train_neuron()).passed
    report = check_and_or(page_train_neuron("no zero_grad"))
    failed_with(report, "not the recipe's 0.080129 but that of a loop without zero_grad()")
    assert "the same mistake as above" in str(report)
    report = check_and_or(page_train_neuron("swapped"))
    failed_with(report, "returned (number, Neuron): the neuron comes first")
    assert "callable" not in str(report)
    failed_with(check_and_or(page_train_neuron("+=")), "the loss rose, from 0.758772 at the start to 136.221")
    failed_with(check_and_or(page_train_neuron("+=")), "the step goes uphill: subtract")


def xor_feature_neuron(activation: str | None = "linear", zero_grad: bool = True) -> Neuron:
    """Exercise 2's n3, trained as the page does, or with one slip."""
    n3 = (
        Neuron(3, rng=random.Random(0))
        if activation is None
        else Neuron(3, activation="linear", rng=random.Random(0))
    )
    for _ in range(300):
        loss = binary_cross_entropy_with_logits([n3([a, b, a * b]) for a, b in CORNERS], [0, 1, 1, 0])
        if zero_grad:
            n3.zero_grad()
        loss.backward()
        for p in n3.parameters():
            p.data -= 1.0 * p.grad
    return n3


def test_xor_feature_without_zero_grad_or_with_the_default_relu_neuron_is_told_which() -> None:
    assert check_xor_feature(xor_feature_neuron()).passed
    failed_with(check_xor_feature(xor_feature_neuron(zero_grad=False)), "a loop without zero_grad()")
    failed_with(check_xor_feature(xor_feature_neuron(activation=None)), "applies relu (Neuron's default)")


def test_solves_xor_without_zero_grad_is_told_so() -> None:
    def solves_xor(hidden: int, seed: int, steps: int = 300) -> bool:
        net = MLP(2, [hidden, 1], activation="tanh", rng=random.Random(seed))
        for _ in range(steps):
            loss = binary_cross_entropy_with_logits([cast(Value, net(x)) for x in CORNERS], [0, 1, 1, 0])
            loss.backward()
            for p in net.parameters():
                p.data -= 1.0 * p.grad
        scores = [cast(Value, net(x)).data for x in CORNERS]
        return all((z > 0) == (t == 1) for z, t in zip(scores, [0, 1, 1, 0], strict=True))

    failed_with(check_solves_xor(solves_xor), "the answers of a loop without zero_grad()")


def test_xor_feature_on_two_inputs_reads_as_sentences() -> None:
    n = Neuron(2, activation="linear", rng=random.Random(0))
    report = check_xor_feature(n)
    failed_with(report, "The neuron takes three inputs")
    assert ". the" not in str(report)


def test_xor_weights_on_tanh_neurons_are_told_to_use_relu() -> None:
    net = MLP(2, [2, 1], activation="tanh", rng=random.Random(0))
    for neuron, ws, b in zip(
        [*net.layers[0].neurons, net.layers[1].neurons[0]], [[1, 1], [1, 1], [1, -2]], [0, -1, 0], strict=True
    ):
        for w, v in zip(neuron.w, ws, strict=True):
            w.data = float(v)
        neuron.b.data = float(b)
    failed_with(check_xor_weights(net), 'activation="relu"')


def hand_set_xor(shape: list[int], float_bias: bool = False) -> MLP:
    """Exercise 3's relu_net, set as the page sets it, on a network of this shape."""
    net = MLP(2, shape, activation="relu")
    h1, h2 = net.layers[0].neurons[:2]
    out = net.layers[-1].neurons[0]
    for neuron, ws, b in [(h1, [1, 1], 0), (h2, [1, 1], -1), (out, [1, -2], 0)]:
        for w, v in zip(neuron.w, ws, strict=False):
            w.data = float(v)
        neuron.b.data = float(b)
    if float_bias:
        h2.b = -1.0  # type: ignore[assignment]  # the slip: a float where the bias Value was
    return net


def test_xor_weights_on_another_shape_or_with_a_float_bias_is_told_which() -> None:
    assert check_xor_weights(hand_set_xor([2, 1])).passed
    report = check_xor_weights(hand_set_xor([2, 2, 1]))
    failed_with(report, "your network is MLP(2, [2, 2, 1]): the exercise's network is MLP(2, [2, 1]")
    assert "h1 - 2 h2" not in str(report)
    failed_with(check_xor_weights(hand_set_xor([2, 1], float_bias=True)), "h2.b is the float -1, not a Value")


def test_solves_xor_at_learning_rate_0_1_is_told_the_rate_not_the_seed() -> None:
    def solves_xor(hidden: int, seed: int, steps: int = 300) -> bool:
        net = MLP(2, [hidden, 1], activation="tanh", rng=random.Random(seed))
        bce_steps(net, CORNERS, [0, 1, 1, 0], steps, lr=0.1)
        return all((net(x).data > 0) == (t == 1) for x, t in zip(CORNERS, [0, 1, 1, 0], strict=True))

    report = check_solves_xor(solves_xor)
    failed_with(report, "the recipe's learning rate is 1.0")
    assert "random.Random(seed);" not in str(report)


# -- Multiclass ---------------------------------------------------------------------------------


def test_two_classes_says_what_rows_must_be_instead_of_raising() -> None:
    s = 1 / (1 + math.exp(-0.7))
    row = [0.7, s, s, -math.log(s), -math.log(s)]
    assert check_two_classes([row]).passed
    failed_with(check_two_classes([row[:4]]), "rows[0] has 4 numbers, not 5")
    failed_with(check_two_classes(row), "rows[0] is 0.7, a number, not a row")  # type: ignore[arg-type]
    failed_with(check_two_classes({0.7: row}), "rows is a dict")  # type: ignore[arg-type]
    failed_with(check_two_classes([...]), "rows[0] is ..., the placeholder")  # type: ignore[list-item]
    failed_with(check_two_classes([[Value(v) for v in row]]), "a Value, not a number")  # type: ignore[list-item]


def test_two_classes_with_the_loss_of_class_1_is_told_to_pass_class_0() -> None:
    rows = []
    for z in (-3.0, 0.0, 0.7, 5.0):
        first, second = Value(z), Value(0.0)
        sig = Value(z).sigmoid().data
        ce = cross_entropy([[first, second]], [1])  # the slip: the class of the second logit
        rows.append([z, softmax([first, second])[0].data, sig, ce.data, -math.log(sig)])
    report = check_two_classes(rows)
    failed_with(report, "that is the loss of class 1, -log(1 - sigmoid(z)): pass the classes [0]")
    assert "takes a batch" not in str(report)


def test_misclassified_given_a_count_says_so() -> None:
    def model(x: list[float]) -> list[Value]:
        return [Value(x[0]), Value(x[1])]

    failed_with(check_misclassified(model, [[1, 0], [0, 1]], [0, 0], 1), "wrong_points is 1, a number")


def test_misclassified_given_indices_classes_probabilities_or_tuples_is_told_which() -> None:
    def model(x: list[float]) -> list[Value]:
        return [Value(x[0]), Value(x[1])]

    points = [[1.0, 0.0], [0.0, 1.0], [2.0, 0.5], [0.5, 2.0], [0.3, 0.1]]
    classes = [0, 0, 1, 1, 1]

    def wrong_points(keep: str) -> list[Any]:
        kept = []
        for i, (x, true_class) in enumerate(zip(points, classes, strict=True)):
            probs = [p.data for p in softmax(model(x))]
            guess = max(probs) if keep == "max(probs)" else max(range(2), key=lambda k: probs[k])
            if guess != true_class:
                kept.append({"index": i, "class": true_class, "tuple": (x, true_class, probs)}.get(keep, x))
        return kept

    assert check_misclassified(model, points, classes, wrong_points("point")).passed
    failed_with(
        check_misclassified(model, points, classes, wrong_points("index")), "holds the number 1 (an index?)"
    )
    failed_with(
        check_misclassified(model, points, classes, wrong_points("class")), "holds the number 0 (a class?)"
    )
    failed_with(
        check_misclassified(model, points, classes, wrong_points("max(probs)")),
        "the guess is the class with the largest probability, its index",
    )
    report = check_misclassified(model, points, classes, wrong_points("tuple"))
    failed_with(report, "holds ([0, 1], 0, [0.268941, 0.731059]), a tuple")


def test_cross_entropy_by_hand_without_the_max_added_back_or_with_math_is_told_which() -> None:
    def by_hand(slip: str) -> Any:
        def mean_cross_entropy(batch_logits: list[list[Value]], targets: list[int]) -> Value:
            total = Value(0.0)
            for logits, target in zip(batch_logits, targets, strict=True):
                m = max(z.data for z in logits)
                if slip == "math":
                    log_sum_exp: Any = m + math.log(sum(math.exp(z.data - m) for z in logits))
                else:
                    log_sum_exp = sum((z - m).exp() for z in logits).log() + (0.0 if slip == "no + m" else m)
                total = total + (log_sum_exp - logits[target])
            return total / len(targets)

        return mean_cross_entropy

    assert check_cross_entropy_by_hand(by_hand("")).passed
    report = check_cross_entropy_by_hand(by_hand("no + m"))
    failed_with(report, "the loss is short by the largest logit m")
    failed_with(
        check_cross_entropy_by_hand(by_hand("math")), "the gradient of logit 0 is -1, expected -0.294615"
    )

    def bce_with_math(scores: list[Value], targets: list[int]) -> Value:
        total = 0.0
        for s, t in zip(scores, targets, strict=True):
            p = 1 / (1 + math.exp(-s.data))
            total -= t * math.log(p) + (1 - t) * math.log(1 - p)
        return Value(total / len(targets))

    failed_with(check_bce_by_hand(bce_with_math), "the gradient of the score is 0, expected -0.310026")


# -- Optimizers ---------------------------------------------------------------------------------


def test_adam_halves_given_a_list_is_told_to_key_results_by_learning_rate() -> None:
    failed_with(check_adam_halves([(0.6, 0.8)] * 3), "results must be a dict keyed by learning rate")  # type: ignore[arg-type]


def test_momentum_with_another_parameter_name_is_told_the_signature() -> None:
    class Mu:
        def __init__(self, params: list[Value], lr: float, mu: float) -> None:
            self.params = params

    failed_with(check_momentum(Mu), "write it as MyMomentum(params, lr, momentum)")


# -- Deep networks ------------------------------------------------------------------------------


def test_he_scale_at_another_width_fails() -> None:
    assert check_he_scale(math.sqrt(6 / 32), 32).passed
    failed_with(check_he_scale(math.sqrt(6 / 8), 8), "the exercise's is 32")
    failed_with(check_he_scale(math.sqrt(6 / 32), "32"), "the exercise's is 32")  # type: ignore[arg-type]


def residual(
    last_hidden: bool = False,
    seed_ignored: bool = False,
    as_dict: bool = False,
    default_activation: bool = False,
    signed: bool = False,
    always: bool = False,
) -> Any:
    def first_and_last_grad(
        residual: bool, depth: int = 20, width: int = 8, batch: int = 16, seed: int = 0
    ) -> Any:
        rng = random.Random(0 if seed_ignored else seed)
        if default_activation:
            model = MLP(width, [width] * depth + [1], rng=rng)
        else:
            model = MLP(width, [width] * depth + [1], activation="sigmoid", rng=rng)
        xs = [[rng.gauss(0, 1) for _ in range(width)] for _ in range(batch)]
        ys = [rng.choice([-1.0, 1.0]) for _ in range(batch)]
        loss = Value(0.0)
        for x, y in zip(xs, ys, strict=True):
            h = model.layers[0](x)
            for layer in model.layers[1:-1]:
                out = layer(h)
                h = [a + b for a, b in zip(h, out, strict=True)] if residual or always else out
            loss = loss + (model.layers[-1](h) - y) ** 2
        (loss / batch).backward()

        def mean_abs(layer: Any) -> float:
            ws = [w.grad if signed else abs(w.grad) for n in layer.neurons for w in n.w]
            return sum(ws) / len(ws)

        first, last = mean_abs(model.layers[0]), mean_abs(model.layers[-2 if last_hidden else -1])
        return {"first": first, "last": last} if as_dict else (first, last)

    return first_and_last_grad


def test_residual_checks_the_last_layers_gradient_the_seed_and_a_dict() -> None:
    assert check_residual(residual()).passed
    failed_with(check_residual(residual(last_hidden=True)), "the last hidden layer's")
    failed_with(check_residual(residual(seed_ignored=True)), "the answer for seed 0")
    failed_with(check_residual(residual(as_dict=True)), "returned a dict")


def test_relative_change_names_the_learning_rate_and_a_reversed_list() -> None:
    from micrograd.exercises.experiments import _relative_changes

    right = _relative_changes()
    assert check_relative_change(right).passed
    failed_with(check_relative_change(_relative_changes(lr=0.01)), "learning rate 0.01")
    failed_with(check_relative_change(_relative_changes(lr=1.6)), "the summed loss")
    failed_with(check_relative_change(right[::-1]), "reversed")
    report = check_relative_change([0.0] * len(right))
    failed_with(report, "no change at all")
    assert "?." not in str(report)


# -- A list given as one number or None ---------------------------------------------------------


def test_a_list_given_as_its_last_number_or_none_is_told_so_not_a_type_error() -> None:
    from micrograd.exercises import check_nesterov
    from micrograd.exercises.experiments import _relative_changes
    from micrograd.optim import SGD

    def model(x: list[float]) -> Value:
        return Value(x[0])

    x, y = Value(-1.5), Value(2.0)
    optimizer = SGD([x, y], lr=1e-3, momentum=0.9, nesterov=True)
    values = []
    for _ in range(1000):
        optimizer.zero_grad()
        f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
        f.backward()
        optimizer.step()
        values.append(f.data)
    assert check_nesterov(values).passed
    failed_with(check_nesterov(values[-1]), "your nesterov_values is one number")  # type: ignore[arg-type]
    failed_with(check_nesterov(values[-1]), "keep the list of the values of f at every step")  # type: ignore[arg-type]
    failed_with(check_nesterov(None), "your nesterov_values is None")  # type: ignore[arg-type]
    failed_with(check_relative_change(_relative_changes()[0]), "your changes is one number")  # type: ignore[arg-type]
    failed_with(check_relative_change(None), "your changes is None")  # type: ignore[arg-type]
    failed_with(check_tensor_training(0.5), "your tensor_losses is one number, 0.5")  # type: ignore[arg-type]
    failed_with(check_adam_halves(None), "your results is None")  # type: ignore[arg-type]
    failed_with(check_generalisation({"m": model}, None, [1], {"m": 1.0}), "your X_new is None")  # type: ignore[arg-type]
    failed_with(check_misclassified(lambda x: [Value(x[0]), Value(x[1])], [[1, 0]], [0], None), "is None")


# -- A typo in the reader's own method -----------------------------------------------------------


def test_a_typo_in_an_attribute_the_readers_own_method_reads_is_named_with_its_line() -> None:
    class BufferTypo:
        def __init__(self, params: list[Value], lr: float, momentum: float) -> None:
            self.params, self.lr, self.momentum = list(params), lr, momentum
            self.buffers: list[Any] = [None] * len(self.params)

        def zero_grad(self) -> None:
            for p in self.params:
                p.grad = 0

        def step(self: Any) -> None:
            for i, p in enumerate(self.params):
                b = self.buffers[i]
                b = p.grad if b is None else self.momentum * b + p.grad
                self.buffers[i] = b
                p.data -= self.lr * self.buffer[i]

    class LearningRate(MySGD):
        def step(self: Any) -> None:
            for p in self.parameters:
                p.data -= self.learning_rate * p.grad

    report = check_momentum(BufferTypo)
    failed_with(report, "Your step() reads self.buffer, which __init__ never sets: a typo for self.buffers?")
    failed_with(report, "(line ")
    failed_with(report, ": p.data -= self.lr * self.buffer[i])")
    assert "this check uses" not in str(report)
    report = check_sgd(LearningRate)
    failed_with(report, "Your step() reads self.learning_rate, which __init__ never sets")
    failed_with(report, "(it sets self.lr and self.parameters)")


def test_a_method_the_checker_calls_and_the_class_lacks_is_still_told_so() -> None:
    class NoMethod:
        def __init__(self, nin: int, rng: random.Random) -> None:
            self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]

    failed_with(check_neuron(NoMethod), "The class is missing a method or attribute that this check uses")


def test_a_misspelled_name_in_train_is_told_the_name_the_likely_spelling_and_the_line() -> None:
    def train(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> Any:
        net = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        history: list[float] = []
        for _ in range(steps):
            loss = mse_loss([net(x) for x in XS], YS)
            net.zero_grad()
            loss.backward()
            for p in net.parameters():
                p.data -= learning_rate * p.grad
            histroy.append(loss.data)  # type: ignore[name-defined]  # noqa: F821  # the slip
        return net, history

    report = check_train(train)
    failed_with(report, "Your code uses histroy, a name it never defines: a typo for history?")
    failed_with(report, "histroy.append(loss.data)")
    assert "raised an error on this expression" not in str(report)


def test_a_line_of_a_cell_the_sites_runner_ran_is_named_with_its_cell() -> None:
    """The runner compiles cell 12's code as "<cell 12>", with its lines in linecache, as the
    tracebacks of the page name it."""
    code = "def he_scale(width):\n    return math.sqrt(6 / widht)  # Kaiming's '#' of inputs\n"
    linecache.cache["<cell 12>"] = (len(code), None, code.splitlines(keepends=True), "<cell 12>")
    try:
        scope: dict[str, Any] = {"math": math}
        exec(compile(code, "<cell 12>", "exec"), scope)
        # The line as it reads, without its comment.
        failed_with(check_he_scale(scope["he_scale"]), "(cell 12, line 2: return math.sqrt(6 / widht))")
    finally:
        del linecache.cache["<cell 12>"]


# -- None where a number or a value belongs -----------------------------------------------------


def test_none_or_a_number_where_a_value_or_a_number_belongs_is_named_not_read_as_nan() -> None:
    class Prints(MyNeuron):
        def __call__(self, x: list[Any]) -> Any:
            print(super().__call__(x))  # the slip: printing does not return

    class ReturnsData(MyNeuron):
        def __call__(self, x: list[Any]) -> Any:
            return super().__call__(x).data

    class MLPGradNone(MyMLP):
        def zero_grad(self) -> None:
            for p in self.parameters():
                p.grad = None  # type: ignore[assignment]  # the slip

    class LayerPrints:
        def __init__(self, nin: int, nout: int, rng: random.Random) -> None:
            self.layer = tanh_layer(nin, nout, rng)

        def __call__(self, x: list[Any]) -> None:
            print(self.layer(x))

        def parameters(self) -> list[Value]:
            return self.layer.parameters()

    class MomentumGradNone:
        def __init__(self, params: list[Value], lr: float, momentum: float) -> None:
            self.params = params

        def zero_grad(self) -> None:
            for p in self.params:
                p.grad = None  # type: ignore[assignment]  # the slip

        def step(self) -> None:
            pass

    def loss_kept_as_value(targets: list[int], steps: int = 200) -> Any:
        n = Neuron(2, activation="linear", rng=random.Random(0))
        bce_steps(n, CORNERS, targets, steps)
        return n, mse_loss([n(x) for x in CORNERS], [float(t) for t in targets])

    def model(x: list[float]) -> Value:
        return Value(x[0])

    report = check_neuron(Prints)
    failed_with(report, "calling your MyNeuron returned None (did a function end without return?")
    assert "nan" not in str(report)
    failed_with(check_neuron(ReturnsData), "returned 0.99582, a float: return the value itself")
    failed_with(check_layer_and_mlp(LayerPrints, MyMLP), "your MyLayer returned None")
    failed_with(check_layer_and_mlp(tanh_layer, MLPGradNone), "set p.grad to the number 0, not None")
    report = check_momentum(MomentumGradNone)
    failed_with(report, "set p.grad to the number 0, not None")
    assert "nan" not in str(report)
    failed_with(check_and_or(loss_kept_as_value), "the loss returned is a Value, not a number")
    report = check_generalisation({"m": model}, [[1.0], [-1.0]], [1, 0], {"m": None})  # type: ignore[dict-item]
    failed_with(report, "accuracy of m gave None")
    assert "nan" not in str(report)


def test_train_with_the_rate_written_into_the_update_or_climbing_says_so_in_every_run() -> None:
    failed_with(check_train(make_train("rate 0.1")), "the update ignores learning_rate: it uses 0.1")
    report = check_train(make_train("+="))
    assert len(report.failures) == 3, str(report)
    assert all("the update climbs the loss" in c.message for c in report.failures), str(report)


def test_residual_without_shortcuts_is_told_the_network_or_the_mean_not_the_shortcut_rule() -> None:
    report = check_residual(residual(default_activation=True))
    failed_with(report, "the network differs: yours has relu neurons (MLP's default)")
    assert "zip(h, layer(h))" not in str(report)
    report = check_residual(residual(signed=True))
    failed_with(report, "that is the mean of w.grad with its sign: take the mean of |w.grad|")
    assert "zip(h, layer(h))" not in str(report)
    failed_with(check_residual(residual(always=True)), "that is the network with shortcuts")


def page_changes(slip: str = "") -> list[float]:
    """The page's exercise 2 of *Deep networks*, with one slip built in."""
    rng = random.Random(0)
    if slip == "data first":
        xs = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(16)]
        ys = [rng.choice([-1.0, 1.0]) for _ in range(16)]
    model = MLP(8, [8] * 10 + [1], activation="sigmoid", rng=rng)
    if slip != "data first":
        xs = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(16)]
        ys = [rng.choice([-1.0, 1.0]) for _ in range(16)]

    def layer_weights(layer: Any) -> list[float]:
        return (
            [p.data for p in layer.parameters()]
            if slip == "biases"
            else [w.data for n in layer.neurons for w in n.w]
        )

    before = [layer_weights(layer) for layer in model.layers]
    for _ in range(20):
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True)), Value(0.0)) / len(xs)
        if slip != "zero_grad after backward":
            model.zero_grad()
        loss.backward()
        if slip == "zero_grad after backward":
            model.zero_grad()
        for p in model.parameters():
            if slip == "+=":
                p.data += 0.1 * p.grad
            else:
                p.data -= 0.1 * p.grad
    changes = []
    for layer, w0 in zip(model.layers, before, strict=True):
        w1 = layer_weights(layer)
        moved = math.dist(w1, w0)
        changes.append(
            moved if slip == "absolute" else moved / math.hypot(*(w1 if slip == "relative to after" else w0))
        )
    return changes


def test_relative_change_names_the_absolute_change_the_biases_a_climbing_step_and_the_data_drawn_first() -> (
    None
):
    assert check_relative_change(page_changes()).passed
    failed_with(check_relative_change(page_changes("absolute")), "not relative to their size")
    failed_with(check_relative_change(page_changes("biases")), "the biases are counted with the weights")
    failed_with(check_relative_change(page_changes("+=")), "the step climbs the loss")
    failed_with(check_relative_change(page_changes("data first")), "the data was drawn from rng before")


def test_a_failed_reports_heading_counts_what_failed_and_passed_never_a_total_it_cannot_know() -> None:
    from micrograd.exercises import Check

    def heading(*passed: bool) -> str:
        return str(Report("T", [Check(f"c{i}", p, "m") for i, p in enumerate(passed)])).splitlines()[0]

    assert heading(False) == "T: a check failed"
    assert heading(True, False) == "T: a check failed, 1 passed"
    assert heading(False, True, False) == "T: 2 checks failed, 1 passed"
    assert heading(True, True) == "T: all 2 checks passed"
    failed = check_sgd(lambda parameters, lr: None)
    assert " of " not in str(failed).splitlines()[0], str(failed)


def test_a_mistake_named_by_an_earlier_failure_is_not_spelled_out_again() -> None:
    """A network unlike the page's fails every run of the training loop alike: the report names
    the mistake once, and each later failure says it is the same (in the checklist too)."""

    def train(learning_rate: float, steps: int = 100, zero_grad: bool = True) -> tuple[Any, list[float]]:
        net = MLP(3, [4, 4, 1], rng=random.Random(1))  # the slip: MLP's default activations
        history = []
        for _ in range(steps):
            loss = mse_loss([net(x) for x in XS], YS)
            if zero_grad:
                net.zero_grad()
            loss.backward()
            for p in net.parameters():
                p.data -= learning_rate * p.grad
            history.append(loss.data)
        return net, history

    report = check_train(train)
    mistake = report.failures[0].mistake
    assert len(report.failures) == 3 and all(c.mistake == mistake for c in report.failures)
    for text in (" ".join(str(report).split()), report._repr_html_()):
        assert text.count("MLP&#x27;s defaults" if "<" in text else "MLP's defaults") == 1, text
        assert text.count("the same mistake as above.") == 2, text


def test_nesterov_at_a_tenth_of_the_learning_rate_is_told_the_rate() -> None:
    from micrograd.exercises import check_nesterov
    from micrograd.exercises.optimizers import _rosenbrock_run
    from micrograd.optim import SGD

    slow = _rosenbrock_run(lambda p: SGD(p, lr=1e-4, momentum=0.9, nesterov=True), 1000)
    failed_with(check_nesterov(slow), "that is the run at learning rate 1e-4")


def test_adam_with_its_betas_the_other_way_round_is_told_so() -> None:
    from micrograd.exercises.optimizers import _rosenbrock_run
    from micrograd.optim import Adam

    def last(lr: float, betas: tuple[float, float] = (0.9, 0.999)) -> float:
        return _rosenbrock_run(functools.partial(Adam, lr=lr, betas=betas), 1000)[-1]

    results = {lr: (last(lr, (0.999, 0.0)), last(lr)) for lr in (0.01, 0.03, 0.1)}
    failed_with(check_adam_halves(results), "that is betas=(0.999, 0.0), the other way round")


def test_xor_weights_with_one_hidden_bias_wrong_name_that_neuron_once() -> None:
    """h2's bias +1 for -1 spoils all four corners: the report names h2's slip once, each corner
    with its own numbers, then "the same mistake as above" (it repeated the whole rule)."""
    net = MLP(2, [2, 1], activation="relu", rng=random.Random(0))
    (h1, h2), (out,) = net.layers[0].neurons, net.layers[1].neurons
    for neuron, weights, bias in ((h1, (1, 1), 0), (h2, (1, 1), 1), (out, (1, -2), 0)):
        for w, v in zip(neuron.w, weights, strict=True):
            w.data = v
        neuron.b.data = bias
    report = check_xor_weights(net)
    text = " ".join(str(report).split())
    assert len(report.failures) == 4, text
    assert text.count("h2 is relu(x1 + x2 - 1): h2.b has the wrong sign") == 1, text
    assert "bias -1" not in text and "weights 1" not in text, text  # the right numbers are the exercise
    assert text.count("the same mistake as above") == 3, text
    assert "the hidden neurons give 2 and 3, expected 2 and 1" in text, text


def test_he_scale_for_another_width_or_negative_is_told_which() -> None:
    failed_with(check_he_scale(math.sqrt(6 / 8), 32), "that is the scale for width 8: n is the width")
    failed_with(check_he_scale(-math.sqrt(6 / 32), 32), "the half-width a of [-a, a] is positive")
