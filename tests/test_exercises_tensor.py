"""The checkers of *From scalars to matrices* pass the page's solutions and name each mistake.

The page's own ``Tensor`` (a NumPy autograd engine) passes; versions of it with one method
replaced by a learner's slip fail with a message naming that slip.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from dependencies import require

from micrograd import MLP
from micrograd.exercises import Report, check_linear_backward, check_tensor, check_tensor_training

np = require("numpy")

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def failed_with(report: Report, words: str) -> None:
    """The report failed, and its first failure names the mistake in these words."""
    assert not report.passed, str(report)
    first = next(c for c in report.checks if not c.passed and not c.advisory)
    assert words in first.message, f"expected {words!r} in:\n{report}"


# The page's Tensor, as on the page.


def unbroadcast(grad, shape):
    """Sum grad down to shape: the gradient of a value that NumPy broadcast."""
    while grad.ndim > len(shape):  # axes NumPy added in front
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):  # axes of size 1 that NumPy stretched
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    def __init__(self, data, _children=(), _op=""):
        self.data = np.asarray(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self._prev = _children
        self._op = _op
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += unbroadcast(out.grad, self.data.shape)
            other.grad += unbroadcast(out.grad, other.data.shape)

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += unbroadcast(other.data * out.grad, self.data.shape)
            other.grad += unbroadcast(self.data * out.grad, other.data.shape)

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other if isinstance(other, Tensor) else -np.asarray(other))

    def __pow__(self, k):
        out = Tensor(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def __matmul__(self, other):
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward():
            self.grad += out.grad @ other.data.T  # dX = delta W^T
            other.grad += self.data.T @ out.grad  # dW = X^T delta

        out._backward = _backward
        return out

    def tanh(self):
        t = np.tanh(self.data)
        out = Tensor(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def sum(self):
        out = Tensor(self.data.sum(), (self,), "sum")

        def _backward():
            self.grad += np.ones_like(self.data) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, visited, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        for node in order:
            if node._prev:  # as in micrograd: reset what operations made, not the leaves
                node.grad = np.zeros_like(node.data)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            node._backward()


def linear_backward(X: Any, W: Any, delta: Any) -> Any:
    return delta @ W, delta.T @ X, delta.sum(axis=0)


def test_linear_backward() -> None:
    assert check_linear_backward(linear_backward).passed
    failed_with(check_linear_backward(lambda X, W, d: (d @ W, X.T @ d, d.sum(axis=0))), "dW = delta.T @ X")
    failed_with(check_linear_backward(lambda X, W, d: (d @ W, d.T @ X, d.mean(axis=0))), "not its mean")
    failed_with(check_linear_backward(lambda X, W, d: (d @ W, d.T @ X, d)), "one entry per neuron")
    failed_with(check_linear_backward(lambda X, W, d: (d @ W.T, d.T @ X, d.sum(axis=0))), "stopped")


def test_tensor_engine() -> None:
    assert check_tensor(Tensor).passed

    def set_not_added(self: Any, other: Any) -> Any:
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad = unbroadcast(other.data * out.grad, self.data.shape)
            other.grad = unbroadcast(self.data * out.grad, other.data.shape)

        out._backward = _backward
        return out

    def no_upstream(self: Any, other: Any) -> Any:
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward() -> None:
            self.grad += np.ones_like(out.grad) @ other.data.T
            other.grad += self.data.T @ np.ones_like(out.grad)

        out._backward = _backward
        return out

    def no_unbroadcast(self: Any, other: Any) -> Any:
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def tanh_one_minus_t(self: Any) -> Any:
        t = np.tanh(self.data)
        out = Tensor(t, (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - t) * out.grad

        out._backward = _backward
        return out

    def unreversed(self: Any) -> None:
        order: list[Any] = []
        stack, seen = [self], set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                order.append(node)
                stack.extend(node._prev)
        order.reverse()  # leaves first: the wrong way round
        self.grad = np.ones_like(self.data)
        for node in order:
            node._backward()

    for method, wrong, words in (
        ("__mul__", set_not_added, "+=, not set with ="),
        ("__matmul__", no_upstream, "multiply by out.grad"),
        ("__add__", no_unbroadcast, "sum out.grad over axis 0"),
        ("tanh", tanh_one_minus_t, "1 - t**2, not 1 - t"),
        ("backward", unreversed, "reversed topological order"),
    ):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Tensor, method, wrong)
            failed_with(check_tensor(Tensor), words)
    assert check_tensor(Tensor).passed  # every method back as it was


def test_tensor_training() -> None:
    def train(lr: float, steps: int, mistake: str = "") -> list[float]:
        model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(1))
        params = []
        for layer in model.layers:
            params.append(Tensor(np.array([[w.data for w in n.w] for n in layer.neurons]).T))
            params.append(Tensor(np.array([n.b.data for n in layer.neurons])))
        losses = []
        for _ in range(steps):
            h = Tensor(np.array(XS))
            for w, b in zip(params[::2], params[1::2], strict=True):
                h = (h @ w + b).tanh()
            loss = ((h - np.array(YS).reshape(-1, 1)) ** 2).sum() * (1 / len(YS))
            for p in params:
                p.grad = np.zeros_like(p.data)
            loss.backward()
            for p in params:
                p.data = p.data + lr * p.grad if mistake == "+=" else p.data - lr * p.grad
            losses.append(float(loss.data))
        return losses

    assert check_tensor_training(train(0.1, 20)).passed
    failed_with(check_tensor_training(train(0.1, 20, "+=")), "climbs the loss")
    failed_with(check_tensor_training(train(0.1, 10)), "20 numbers")
    failed_with(check_tensor_training(train(0.2, 20)), "at step 1")
