"""The autograd engine: a scalar :class:`Value` that remembers how it was made.

Every operation on a :class:`Value` returns a new one that records three facts:
the numbers it was made from (its children), the name of the operation, and the
*local derivative* of its result with respect to each child. :meth:`Value.backward`
then needs nothing else: it visits the graph from the output back to the inputs
and applies the chain rule, ``child.grad += local_derivative * node.grad``. The node a
network makes most of, a neuron's, records a single number in place of its local
derivatives: the slope of its activation, which backward() multiplies by its children's
numbers to get them.

A node holds no closure and no reference to itself, so a graph has no reference
cycles and Python frees it the moment the last reference to its output is gone.
"""

from __future__ import annotations

import gc
import math
import numbers
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import cache
from math import isfinite
from typing import NamedTuple, Protocol, TypeGuard, cast

Number = int | float
"""A plain Python number that can stand in for a :class:`Value` in arithmetic."""

_new_object = object.__new__


class Value:
    """A scalar with a gradient, and a node of the computation graph that made it.

    ``Value(data)`` makes a leaf: an input or a parameter. Operations make the other
    nodes, and so can you, to add an operation of your own:
    ``Value(data, children, op, local_grads)``, positionally, where ``children`` is the
    tuple of Values it was computed from, ``op`` its name in drawings, and ``local_grads``
    the derivative of ``data`` with respect to each child, in the same order;
    :meth:`backward` needs nothing else (see :doc:`/how-to/custom-operation`). The
    classic micrograd's ``Value(data, children, op)`` followed by ``out._backward = step``
    works too.

    Args:
        data: The number this value holds: a finite ``int`` or ``float`` (NumPy's real
            scalars, such as ``numpy.int64``, are accepted too).
            ``bool`` is refused, because ``Value(True)`` is almost always a bug.
        label: An optional name, shown by :func:`micrograd.graph.draw_dot`.

    Raises:
        TypeError: If ``data`` is not an ``int`` or a ``float``, or ``local_grads`` is not a
            sequence of numbers.
        ValueError: If ``data`` is NaN or infinite, or ``local_grads`` does not have one
            number per child.

    Attributes:
        data (float): The number this value holds.
        grad (float): The derivative of the last output :meth:`backward` was called on
            with respect to this value. Starts at ``0``.
        label (str): A name for drawings; empty unless given.

    Example:
        >>> a = Value(2.0, label="a")
        >>> b = Value(-3.0, label="b")
        >>> c = a * b + 10
        >>> c
        Value(data=4.0, grad=0)
        >>> c.backward()
        >>> a.grad, b.grad
        (-3.0, 2.0)
    """

    # A graph is made of many small nodes: slots keep each one small and fast.
    __slots__ = ("data", "grad", "label", "_prev", "_op", "_local")

    def __init__(
        self,
        data: Number,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        _local_grads: tuple[float, ...] = (),
        *,
        label: str = "",
    ) -> None:
        if type(data) is not float:
            data = _to_float(data, "Value()")
        if not isfinite(data):
            raise _non_finite_error(data, _op, _children)
        self.data: float = data
        self.grad: float = 0
        self.label = label
        self._prev = _children
        self._op = _op
        if type(_local_grads) is not tuple or (_local_grads and len(_local_grads) != len(_children)):
            _local_grads = _as_local_grads(_local_grads, _children)
        # What backward() needs to pass a gradient on: the local derivatives, one per child;
        # for a neuron's node, only the slope of its activation (see _weighted_sums); for a
        # node made the classic way, the function assigned to its _backward.
        self._local: tuple[float, ...] | float | Callable[[], None] = _local_grads

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    # -- arithmetic: each op computes its result and its local derivatives ---------

    def __add__(self, other: Value | Number) -> Value:
        other = _as_value(other, "+")
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other: Value | Number) -> Value:
        other = _as_value(other, "*")
        return Value(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __neg__(self) -> Value:
        return Value(-self.data, (self,), "neg", (-1.0,))

    def __sub__(self, other: Value | Number) -> Value:
        other = _as_value(other, "-")
        return Value(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __truediv__(self, other: Value | Number) -> Value:
        other = _as_value(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"division by zero: {_show(self)} / {_show(other)}")
        out = self.data / other.data
        # d(a/b)/da = 1/b and d(a/b)/db = -a/b**2 = -out/b
        return Value(out, (self, other), "/", (1.0 / other.data, -out / other.data))

    def __pow__(self, exponent: Value | Number) -> Value:
        if isinstance(exponent, Value):
            return _power(self, exponent)
        k = _to_float(exponent, "**")
        x = self.data
        if x == 0 and k < 0:
            raise ZeroDivisionError(f"0 cannot be raised to a negative power: {_show(self)} ** {k!r}")
        if x < 0 and not k.is_integer():
            raise ValueError(f"a negative base needs an integer exponent: {_show(self)} ** {k!r} is not real")
        if x == 0 and 0 < k < 1:
            raise ValueError(f"x ** {k!r} has no finite derivative at 0: {_show(self)} ** {k!r}")
        try:
            out = x**k
        except OverflowError:
            raise _overflow_error(f"{_show(self)} ** {k!r}") from None
        try:
            local = 0.0 if k == 0 else k * x ** (k - 1)
        except OverflowError:  # a tiny base with 0 < k < 1: the value is fine, its slope is not
            raise _overflow_error(f"the derivative of {_show(self)} ** {k!r}") from None
        return Value(out, (self,), f"**{_format_exponent(k)}", (local,))

    # Python calls these when the Value is on the right: 2 + x, 2 * x, 2 - x, ...
    def __radd__(self, other: Number) -> Value:
        return _as_value(other, "+") + self

    def __rmul__(self, other: Number) -> Value:
        return _as_value(other, "*") * self

    def __rsub__(self, other: Number) -> Value:
        return _as_value(other, "-") - self

    def __rtruediv__(self, other: Number) -> Value:
        return _as_value(other, "/") / self

    def __rpow__(self, base: Number) -> Value:
        return _power(_as_value(base, "**"), self)

    # -- functions ------------------------------------------------------------------

    def exp(self) -> Value:
        """Return ``e ** self``.

        Raises:
            OverflowError: If the result is too large for a float (``x > 709.78``).

        Example:
            >>> x = Value(0.0)
            >>> y = x.exp()
            >>> y.backward()
            >>> y.data, x.grad
            (1.0, 1.0)
        """
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise _overflow_error(f"exp() of {_show(self)}") from None
        return Value(out, (self,), "exp", (out,))

    def log(self) -> Value:
        """Return the natural logarithm of ``self``.

        Raises:
            ValueError: If ``self.data`` is not positive.

        Example:
            >>> x = Value(2.0)
            >>> y = x.log()
            >>> y.backward()
            >>> round(y.data, 4), x.grad
            (0.6931, 0.5)
        """
        x = self.data
        if x <= 0:
            raise ValueError(f"log() is only defined for positive inputs, got {_show(self)}")
        return Value(math.log(x), (self,), "log", (1.0 / x,))

    def tanh(self) -> Value:
        """Return the hyperbolic tangent of ``self``, in ``(-1, 1)``.

        Stable for any input: ``Value(1000.0).tanh()`` is ``1.0`` with gradient ``0.0``.

        Example:
            >>> x = Value(0.0)
            >>> y = x.tanh()
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
        """
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """Return the logistic sigmoid ``1 / (1 + exp(-self))``, in ``(0, 1)``.

        Stable for any input: only ``exp`` of a non-positive number is taken.

        Example:
            >>> x = Value(0.0)
            >>> y = x.sigmoid()
            >>> y.backward()
            >>> y.data, x.grad
            (0.5, 0.25)
        """
        s = _sigmoid(self.data)
        return Value(s, (self,), "sigmoid", (s * (1.0 - s),))

    def relu(self) -> Value:
        """Return ``max(0, self)``; its derivative is 1 for positive inputs, else 0.

        Example:
            >>> x = Value(-2.0)
            >>> y = x.relu()
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 0.0)
        """
        x = self.data
        # Two branches, so that each local derivative is a constant tuple, made once by Python.
        if x > 0:
            return Value(x, (self,), "ReLU", (1.0,))
        return Value(0.0, (self,), "ReLU", (0.0,))

    # -- a neuron's weighted sum, as one operation --------------------------------------

    @staticmethod
    def weighted_sum(
        weights: Sequence[Value | Number], inputs: Sequence[Value | Number], bias: Value | Number
    ) -> Value:
        """Return ``bias + weights[0] * inputs[0] + weights[1] * inputs[1] + ...`` as one node.

        The result is the number that the expression written out with ``*`` and ``+``
        gives, bit for bit, because it is summed in the same order. But the graph gets
        one node where the written-out expression makes ``2 * len(weights)`` of them, so
        building it and running :meth:`backward` through it are several times faster.
        Its local derivatives are read off the formula: ``1`` for the bias,
        ``inputs[i]`` for ``weights[i]`` and ``weights[i]`` for ``inputs[i]``; the node
        does not copy them, :meth:`backward` reads them from its children's ``data``
        when it runs (and raises if they changed in between).
        :class:`~micrograd.nn.Neuron` computes its ``w · x + b`` with it.

        Args:
            weights: The weights, Values or numbers.
            inputs: As many inputs as weights, Values or numbers.
            bias: The term the sum starts from.

        Returns:
            A Value whose children are ``bias``, the weights, then the inputs (a
            number among them becomes a constant Value, as in ``*``).

        Raises:
            ValueError: If ``weights`` and ``inputs`` differ in length, or a number
                among them is NaN or infinite.
            TypeError: If an element is neither a Value nor an ``int`` or ``float``.
            OverflowError: If the sum overflows the range of a float.

        Example:
            >>> w = [Value(2.0), Value(-1.0)]
            >>> x = [Value(3.0), Value(4.0)]
            >>> y = Value.weighted_sum(w, x, Value(0.5))  # 0.5 + 2*3 + (-1)*4
            >>> y.data
            2.5
            >>> y.backward()
            >>> [wi.grad for wi in w], [xi.grad for xi in x]
            ([3.0, 4.0], [2.0, -1.0])
        """
        return _weighted_sums([_Row(weights, bias, "linear")], inputs)[0]

    # -- backpropagation --------------------------------------------------------------

    def backward(self) -> None:
        """Compute the derivative of ``self`` with respect to every value in its graph.

        After the call, ``v.grad`` holds ``d(self)/d(v)`` for each value ``v`` that
        ``self`` was computed from.

        Gradients **accumulate**: a leaf (a value you created yourself, such as a
        parameter) adds to its ``grad`` rather than overwriting it, across every use
        of it in the graph and across repeated calls, exactly as PyTorch's leaf
        tensors do. Reset them with :meth:`micrograd.nn.Module.zero_grad` (or
        ``v.grad = 0``) before each training step. Intermediate values hold the
        gradients of the latest call only.

        A leaf's gradient from one call is summed on its own, then added to the
        leaf's earlier ``grad`` once, as in PyTorch (so a large cancelling pair in a
        second call cannot wipe out what the first call left). The call is **all or
        nothing**: if it raises, even by a ``KeyboardInterrupt``, it puts every
        ``grad`` back exactly as it was.

        The graph is walked with an explicit stack, so its depth is limited by
        memory, not by Python's recursion limit. Python's cyclic garbage collector
        is paused while the call runs (a graph has no cycles for it to find), and
        switched back on when the last running call returns if it was on before.

        A neuron's node (made by a :class:`~micrograd.nn.Neuron`, a layer, an MLP or
        :meth:`weighted_sum`) keeps no copy of its weights' and inputs' numbers, unlike
        micrograd's other operations: this call reads their ``data``, and checks that they
        still give the node's output. If one changed after the node was made (a parameter
        updated before ``backward()``, or an input Value given the next example's number),
        it raises rather than mix old numbers and new ones.

        A node made the classic micrograd's way, ``out = Value(data, children, op)``
        followed by ``out._backward = step``, is honoured: ``step`` runs with
        ``out.grad`` holding this call's gradient, and what it adds to the
        children's ``grad`` is taken as their share.

        Raises:
            OverflowError: If the gradient of a value you created overflows to
                infinity (or NaN); the message names the operation where it
                happened. The gradient of a constant (a number that an operator
                wrapped, as the ``2`` in ``2 ** x``) may overflow without an
                error: nothing depends on it.
            ValueError: If a node has inputs but neither local derivatives nor a
                ``_backward`` step, or the weights or inputs of a neuron's node changed
                after it was computed.

        Example:
            >>> x = Value(3.0)
            >>> y = x * x  # x is used twice: both uses add to x.grad
            >>> y.backward()
            >>> x.grad
            6.0
            >>> y.backward()  # a second call accumulates into the leaf
            >>> x.grad
            12.0
        """
        _pause_collector()
        try:
            order = self._topological_order()
            before = [v.grad for v in order]  # each grad as it was, to put back if this call fails
            operations = [v for v in order if v._prev]  # the values computed from others
            leaves = [v for v in order if not v._prev]  # the rest: inputs, parameters, constants
            earlier = [v.grad for v in leaves]  # what this call's gradients add to
            try:
                for node in order:
                    node.grad = 0.0  # from here on, this call's gradient alone
                self.grad = 1.0
                for node in reversed(operations):
                    grad = node.grad
                    if grad == 0.0:  # nothing to pass on (and 0 * an infinite slope is not NaN)
                        continue
                    local = node._local
                    if type(local) is tuple and local:
                        if any(local):  # else all are 0 (a ReLU that is off): nothing passes
                            # The chain rule. Equal lengths by construction; zip(strict=True)
                            # would cost ~8% of a step.
                            for child, local_grad in zip(node._prev, local):  # noqa: B905
                                child.grad += local_grad * grad
                    elif type(local) is float:
                        # A neuron's node, activation(b + w·x), with children (b, *w, *x): the
                        # same chain rule, its local derivatives being its slope times 1, x[i]
                        # and w[i], read here (see _weighted_sums); and b + w·x summed again
                        # from what is read, to be sure that none of them changed since.
                        if local:  # else a ReLU that is off: nothing passes
                            children = node._prev
                            n = len(children) // 2
                            bias = children[0]
                            bias.grad += local * grad
                            total = bias.data
                            for w, x in zip(children[1 : n + 1], children[n + 1 :]):  # noqa: B905
                                w_data, x_data = w.data, x.data
                                total += w_data * x_data
                                w.grad += local * x_data * grad
                                x.grad += local * w_data * grad
                            if total != node.data and not _activation_of(node, total):
                                raise _changed_child_error(node)
                    else:
                        _run_classic_step(node)
                _add_to_earlier_grads(leaves, earlier, order)
            except BaseException:  # an error, or a KeyboardInterrupt: put every grad back
                for node, grad in zip(order, before):  # noqa: B905
                    node.grad = grad
                raise
        finally:
            _resume_collector()

    @property
    def _backward(self) -> Callable[[], None]:
        """One step of the chain rule at this node, on ``grad``: the classic micrograd's name.

        Calling ``node._backward()`` adds ``local derivative * node.grad`` to the
        ``grad`` of each child, as the lecture does by hand. Assigning a function
        to it (``out._backward = step``) makes a node in the classic style, and
        :meth:`backward` runs that function at this node.
        """
        local = self._local
        if callable(local):
            return local
        return self._chain_rule_step

    @_backward.setter
    def _backward(self, step: Callable[[], None]) -> None:
        if not callable(step):
            raise TypeError(f"_backward must be a function that takes no arguments, got {step!r}")
        self._local = step

    @property
    def _local_grads(self) -> tuple[float, ...] | Callable[[], None]:
        """The derivative of ``data`` with respect to each child, in the order of ``_prev``.

        For a node made the classic way, the function assigned to its ``_backward``. A
        neuron's node keeps only the slope of its activation, and gives here the tuple it
        stands for: the slope times ``1``, the inputs' ``data`` and the weights' ``data``.
        """
        local = self._local
        if isinstance(local, float):
            return _neuron_local_grads(self._prev, local)
        return local

    @_local_grads.setter
    def _local_grads(self, local_grads: tuple[float, ...]) -> None:
        self._local = _as_local_grads(local_grads, self._prev)

    def _chain_rule_step(self) -> None:
        """Pass this node's gradient to its children, times the local derivatives."""
        for child, local in zip(self._prev, cast("tuple[float, ...]", self._local_grads)):  # noqa: B905
            child.grad += local * self.grad

    def _topological_order(self) -> list[Value]:
        """Every value in the graph of ``self``, each one after all of its children."""
        order: list[Value] = []
        visited = {self}
        # Depth-first search with an explicit stack of child iterators, not recursion.
        stack: list[tuple[Value, Iterator[Value]]] = [(self, iter(self._prev))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in visited:
                    visited.add(child)
                    grandchildren = child._prev
                    # A node whose children have all been visited is done at once: they are
                    # in the order already (in a graph without cycles, none of them can be an
                    # ancestor still on the stack). This holds for every leaf, and for most
                    # of a layer's neurons, which share their inputs and weights with another
                    # neuron or example; one set operation in C checks them all.
                    if not visited.issuperset(grandchildren):
                        stack.append((child, iter(grandchildren)))
                        break
                    order.append(child)
            else:
                stack.pop()
                order.append(node)
        return order


# -- helpers ------------------------------------------------------------------------


def _power(base: Value, exponent: Value) -> Value:
    """``base ** exponent`` when the exponent is a Value too: both get gradients."""
    a, b = base.data, exponent.data
    if a <= 0:
        raise ValueError(
            f"a Value exponent needs a positive base, so that d/d(exponent) = "
            f"base**exponent * log(base) exists: got {_show(base)} ** {_show(exponent)}"
        )
    try:
        out = a**b
    except OverflowError:
        raise _overflow_error(f"{_show(base)} ** {_show(exponent)}") from None
    try:
        # Not b * out / a: for a tiny base, out underflows to 0 long before this does.
        d_base = b * a ** (b - 1)
    except OverflowError:
        raise _overflow_error(f"the derivative of {_show(base)} ** {_show(exponent)}") from None
    return Value(out, (base, exponent), "**", (d_base, out * math.log(a)))


class _Neuron(Protocol):
    """What :func:`_weighted_sums` reads of a neuron: its weights, bias and activation's name."""

    @property
    def w(self) -> Sequence[Value | Number]: ...
    @property
    def b(self) -> Value | Number: ...
    @property
    def activation(self) -> str: ...


class _Row(NamedTuple):
    """A neuron's three attributes, for :meth:`Value.weighted_sum`, which has no neuron."""

    w: Sequence[Value | Number]
    b: Value | Number
    activation: str


def _weighted_sums(neurons: Sequence[_Neuron], inputs: Sequence[Value | Number]) -> list[Value]:
    """A node ``activation(b + w[0] * inputs[0] + ...)`` for each of ``neurons``, on ``inputs``.

    This is what a layer of neurons computes: :meth:`Value.weighted_sum` when the activation
    is ``"linear"``, else the activation applied to it in the same node (see :func:`_activated`).
    A layer's neurons all see the same inputs: their numbers are read (and checked) once for
    all of them, which saves a sixth of a training step of the two-moons demo.

    Such a node keeps, in place of its local derivatives, only the slope of its activation at
    ``b + w·x`` (1 for a linear neuron or a ReLU that is on, 0 for one that is off): the
    derivative with respect to ``b`` is the slope, with respect to ``w[i]`` the slope times
    ``inputs[i].data``, with respect to ``inputs[i]`` the slope times ``w[i].data``, and
    :meth:`Value.backward` reads those numbers from the children when it runs. Copying them
    into a tuple for every neuron and example cost a quarter of a training step of the two-moons
    demo (building the tuples, and the garbage collector's visits to them).
    """
    # The usual case, all of them plain Values, is found while their numbers are read;
    # anything else (a number, a subclass of Value) takes the longer way, through _as_values.
    xs: Sequence[Value] = inputs  # type: ignore[assignment]  # checked just below
    x_data = [x.data for x in xs if type(x) is Value]
    if len(x_data) < len(inputs):
        xs = _as_values(inputs, "*")
        x_data = [x.data for x in xs]
    n = len(x_data)
    out = []
    for neuron in neurons:
        # Values in the usual case; anything else is found by the sum just below.
        ws: Sequence[Value] = neuron.w  # type: ignore[assignment]
        bias: Value = neuron.b  # type: ignore[assignment]
        if len(ws) != n:
            raise ValueError(
                f"weighted_sum() needs as many inputs as weights, got {n} inputs and {len(ws)} weights"
            )
        try:
            total = bias.data
            for w, x in zip(ws, x_data):  # noqa: B905 (lengths checked above)
                total += w.data * x
        except (AttributeError, TypeError):  # a number, which has no .data (a NumPy scalar's is a buffer)
            total = None
        if type(total) is not float:  # or an object whose .data is not a float, such as an array's
            bias, ws, total = _weighted_sum_of_others(bias, ws, x_data)
        children = (bias, *ws, *xs)
        if not isfinite(total):  # checked before the activation, which could hide it (tanh(inf) is 1)
            raise _non_finite_error(total, "w·x+b", children)
        # The classic network's two kinds of neuron, written out here; the others in _activated.
        activation = neuron.activation
        if activation == "relu":
            if total > 0:
                out.append(_node(total, children, "ReLU(w·x+b)", 1.0))
            else:
                out.append(_node(0.0, children, "ReLU(w·x+b)", 0.0))
        elif activation == "linear":
            out.append(_node(total, children, "w·x+b", 1.0))
        else:
            out.append(_activated(activation, total, children))
    return out


def _weighted_sum_of_others(
    bias: object, weights: Sequence[object], x_data: list[float]
) -> tuple[Value, Sequence[Value], float]:
    """The bias, the weights and their weighted sum, for weights or a bias that are not all Values:
    a number becomes a constant Value, as in ``*`` and ``+``, and anything else is refused with
    their error. (:func:`_weighted_sums` sums plain Values itself, in the same order.)"""
    bias_value, values = _as_value(bias, "+"), _as_values(weights, "*")  # type: ignore[arg-type]
    total = bias_value.data
    for w, x in zip(values, x_data):  # noqa: B905 (lengths checked by the caller)
        total += w.data * x
    return bias_value, values, total


def _activated(activation: str, total: float, children: tuple[Value, ...]) -> Value:
    """``activation(w·x+b)`` as one node, ``total`` being ``w·x+b`` and ``children`` ``(b, *w, *x)``.

    The chain rule through the activation is applied here, once: the node keeps the slope
    ``activation'(total)``, by which :meth:`Value.backward` multiplies each local derivative
    of ``w·x+b`` (see :func:`_weighted_sums`). One node instead of two (the sum, then the
    activation) makes a network's graph 40% smaller. Its operation is drawn as what it is,
    such as ``tanh(w·x+b)``. (ReLU's node is made in :func:`_weighted_sums`.)
    """
    if activation not in _SMOOTH:
        raise ValueError(f"unknown activation {activation!r}; choose 'relu', 'tanh', 'sigmoid' or 'linear'")
    function, slope_at = _SMOOTH[activation]
    y = function(total)
    return _node(y, children, f"{activation}(w·x+b)", slope_at(y))


def _activation_of(node: Value, total: float) -> bool:
    """Whether a neuron's ``node`` holds its activation of ``total``: tanh or sigmoid (a ReLU
    that is on and a linear neuron hold ``total`` itself)."""
    smooth = _SMOOTH.get(node._op.removesuffix("(w·x+b)"))
    return smooth is not None and smooth[0](total) == node.data


class _ChildChangedError(ValueError):
    """backward()'s error at a neuron's node whose weights or inputs changed after it was made
    (a class of its own, so that the exercises' checkers can tell it from any other ValueError)."""


def _changed_child_error(node: Value) -> _ChildChangedError:
    """The error of backward() at a neuron's node whose weights or inputs changed after it was made."""
    return _ChildChangedError(
        f"backward(): the weights or inputs of the '{node._op}' node {_show(node)} changed after it "
        f"was computed: a neuron's node reads their .data when backward() runs, and they no longer "
        f"give its output. Change a parameter's .data after backward(), and make new Values for "
        f"each example rather than changing the .data of the same ones. No .grad was changed."
    )


def _neuron_local_grads(children: tuple[Value, ...], slope: float) -> tuple[float, ...]:
    """The local derivatives of a neuron's node, ``children`` being ``(b, *w, *x)``: what
    :meth:`Value.backward` multiplies by, written out as one tuple (see :func:`_weighted_sums`)."""
    if not slope:
        return _zeros(len(children))
    n = len(children) // 2
    weights, inputs = children[1 : n + 1], children[n + 1 :]
    return (slope, *[slope * x.data for x in inputs], *[slope * w.data for w in weights])


def _node(data: float, children: tuple[Value, ...], op: str, local: tuple[float, ...] | float) -> Value:
    """``Value(data, children, op, local_grads)`` for a ``data`` known to be a finite float.

    It skips the checks of ``Value.__init__`` and the cost of calling a class, which together
    are about a third of making a node; a network's forward pass makes one per neuron and
    example (3,300 per step of the two-moons demo), so this saves ~4% of a training step.
    ``local`` is the local derivatives, or a neuron's slope (see :func:`_weighted_sums`).
    """
    node = _new_object(Value)
    node.data = data
    node.grad = 0
    node.label = ""
    node._prev = children
    node._op = op
    node._local = local
    return node


@cache
def _zeros(n: int) -> tuple[float, ...]:
    """``n`` zeros: the local derivatives of every neuron's node of ``n`` children whose ReLU is off."""
    return (0.0,) * n


class _Constant(Value):
    """A number that an operator wrapped as a Value: the ``2`` in ``2 * x``.

    Nobody asked for its gradient, so :meth:`Value.backward` lets that one overflow
    without an error. No slots of its own, so it is as small as any Value.
    """

    __slots__ = ()


def _as_value(x: Value | Number, op: str) -> Value:
    """``x`` itself if it is a Value, else a new constant holding ``x``."""
    if isinstance(x, Value):
        return x
    return _Constant(_to_float(x, op))


def _as_values(xs: Sequence[Value | Number], op: str) -> Sequence[Value]:
    """``xs`` itself if it holds only Values (the usual case, so no copy), else as Values."""
    for x in xs:
        if not isinstance(x, Value):
            return [_as_value(x, op) for x in xs]
    return cast("Sequence[Value]", xs)


def _as_local_grads(local_grads: object, children: tuple[Value, ...]) -> tuple[float, ...]:
    """The local derivatives given to ``Value()``, as the tuple the node keeps: one per child (or
    none, for a node whose ``_backward`` is set next, the classic way), in a sequence such as a
    list or a NumPy array; not a set or a dict, whose order is not the children's."""
    if isinstance(local_grads, str | bytes | AbstractSet | Mapping) or not isinstance(local_grads, Iterable):
        raise TypeError(
            f"Value(): the local derivatives must be a tuple of numbers, one per child, "
            f"got {_short_repr(local_grads)} ({type(local_grads).__name__})"
        )
    local = tuple(local_grads)
    if local and len(local) != len(children):
        raise ValueError(
            f"Value(): {len(local)} local derivatives for {len(children)} "
            f"{'child' if len(children) == 1 else 'children'}: give one per child, in their order"
        )
    return local


# -- helpers of backward() --------------------------------------------------------------


def _run_classic_step(node: Value) -> None:
    """Run the ``_backward`` step of a node made the classic way.

    The step reads ``node.grad`` and adds to its children's ``grad``, which during
    :meth:`Value.backward` hold this call's gradients, as for any other node.
    """
    step = node._backward
    if step == node._chain_rule_step:  # neither local derivatives nor a step of its own
        raise ValueError(
            f"backward(): the '{node._op}' node {_show(node)} has {len(node._prev)} input(s) "
            f"but no local derivatives. Give one per input when you make it, "
            f"Value(data, children, op, local_grads), as in Value(x.data ** 2, (x,), 'square', "
            f"(2 * x.data,)); or set its _backward to a step function (the classic style). "
            f"No .grad was changed."
        )
    step()


def _add_to_earlier_grads(leaves: list[Value], earlier: list[float], order: list[Value]) -> None:
    """Add each leaf's gradient from this call to the one it had, once, as PyTorch does.

    If a leaf you created would get a non-finite gradient, an OverflowError says where
    in ``order`` (the whole graph) the overflow began, and :meth:`Value.backward` puts
    every grad back.
    """
    try:
        total = [grad + leaf.grad for leaf, grad in zip(leaves, earlier)]  # noqa: B905
    except TypeError:
        raise _bad_grad_error(leaves, earlier) from None
    if not isfinite(sum(total)):  # one quick test for the usual case: all finite
        for leaf, grad in zip(leaves, total):  # noqa: B905
            if not isfinite(grad) and type(leaf) is not _Constant:
                raise OverflowError(
                    f"backward() produced a non-finite gradient ({grad!r}) for {_show(leaf)}: "
                    f"{_overflow_cause(order)}. No .grad was changed."
                )
    for leaf, grad in zip(leaves, total):  # noqa: B905
        leaf.grad = grad


def _overflow_cause(order: list[Value]) -> str:
    """Where in the backward pass a gradient first became infinite or NaN, in words."""
    for node in reversed(order):
        grad = node.grad
        if not isfinite(grad):  # every term was finite, their sum is not
            where = f"the '{node._op}' node {_show(node)}" if node._prev else _show(node)
            return f"the gradients reaching {where} add up to {grad!r}"
        local_grads = node._local_grads
        if grad == 0.0 or type(local_grads) is not tuple:
            continue
        for child, local in zip(node._prev, local_grads):  # noqa: B905
            if type(child) is _Constant:
                continue
            if not isfinite(local):
                return (
                    f"the local derivative of '{node._op}' with respect to {_show(child)} is "
                    f"{local!r}, too large for a float, and the chain rule multiplies by it, so no "
                    f"gradient can pass through this operation (even where the final one would be finite)"
                )
            if not isfinite(local * grad):
                return (
                    f"at the '{node._op}' node {_show(node)}, its gradient {grad!r} times the local "
                    f"derivative {local!r} with respect to {_show(child)} overflowed the range of a float"
                )
    return "a gradient overflowed the range of a float"


def _bad_grad_error(leaves: list[Value], earlier: list[float]) -> TypeError:
    """The error for a ``.grad`` that is not a number, such as None (a PyTorch habit)."""
    for v, grad in zip(leaves, earlier):  # noqa: B905
        if not _is_number(grad):
            return TypeError(
                f"backward(): {_show(v)} has grad={grad!r}; micrograd's gradients are numbers, "
                f"so reset them to 0 (v.grad = 0, or zero_grad()), not to None. No .grad was changed."
            )
    return TypeError("backward(): a .grad is not a number. No .grad was changed.")


# Pausing the collector is shared by every thread: a count of the running backward()
# calls, under a lock, so that the last one to finish switches it back on (if it was on).
_collector_lock = threading.Lock()
_collector_pauses = 0
_collector_was_on = False


def _pause_collector() -> None:
    """Switch the cyclic garbage collector off for a backward() call.

    The graph holds no reference cycles, so the collector's walks over its many nodes
    would find nothing, and on large graphs cost more than the backward pass itself.
    Reference counting frees memory as usual.
    """
    global _collector_pauses, _collector_was_on
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _collector_pauses += 1


def _resume_collector() -> None:
    """Undo :func:`_pause_collector`: the last running backward() switches the collector back on."""
    global _collector_pauses
    with _collector_lock:
        _collector_pauses -= 1
        if _collector_pauses == 0 and _collector_was_on:
            gc.enable()


# -- numbers ------------------------------------------------------------------------


def _to_float(x: object, op: str) -> float:
    """``x`` as a finite float, or an error naming the operation ``op`` and ``x``."""
    if type(x) is float and isfinite(x):  # the usual case, answered before the slower checks
        return x
    if type(x) is int or _is_number(x):  # an int, the next most usual, needs no ABC's check
        try:
            number = float(x)
        except OverflowError:
            raise OverflowError(f"{op}: {_short_repr(x)} is too large for a float") from None
        # An operand of NaN or inf would make a NaN gradient (inf * 0) or a misleading
        # overflow error; Value() checks its own data with its own message.
        if not isfinite(number) and op != "Value()":
            raise ValueError(f"unsupported operand for {op}: {number!r}; use a finite number")
        return number
    kind = type(x).__name__
    if op == "Value()":
        raise TypeError(f"Value() needs an int or a float, got {_short_repr(x)} ({kind})")
    raise TypeError(
        f"unsupported operand for {op}: {_short_repr(x)} ({kind}); use a Value, an int or a float"
    )


def _short_repr(x: object) -> str:
    """``repr(x)`` for an error message, shortened if long.

    Python refuses to turn an int of more than 4300 digits into text, and the message
    of an error about such a number must not fail in its turn.
    """
    try:
        text = repr(x)
    except ValueError:
        if isinstance(x, int):
            return f"an int of about {x.bit_length() * math.log10(2):.0f} digits"
        return f"a {type(x).__name__}"
    return text if len(text) <= 80 else f"{text[:50]}...{text[-10:]} ({len(text)} characters)"


def _is_number(x: object) -> TypeGuard[numbers.Real]:
    """Whether micrograd takes ``x`` as a number: an int or a float, or a NumPy scalar.

    ``numbers.Real`` lets NumPy's scalars in (``np.int64``, ``np.float32``, ...). A bool
    is an int to Python, but ``Value(True)`` is almost always a mistake, so it is not.
    """
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _sigmoid(x: float) -> float:
    """``1 / (1 + exp(-x))`` without overflow: ``exp`` only ever sees ``-|x|``."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# The activations of a neuron's node other than ReLU, by name: each as a function of w·x+b, and
# its slope as a function of its value (as Value.tanh() and Value.sigmoid() compute them).
_SMOOTH: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "tanh": (math.tanh, lambda y: 1.0 - y * y),
    "sigmoid": (_sigmoid, lambda y: y * (1.0 - y)),
}


def _overflow_error(what: str) -> OverflowError:
    return OverflowError(f"{what} overflows the range of a float")


def _non_finite_error(data: float, op: str, children: tuple[Value, ...]) -> Exception:
    if not children:
        return ValueError(f"Value() needs a finite number, got {data!r}")
    operands = ", ".join(_show(c) for c in children)
    return OverflowError(f"'{op}' overflowed the range of a float: {data!r} from {operands}")


def _show(v: Value) -> str:
    """A short form of a Value for error messages."""
    return f"Value(data={v.data!r})"


def _format_exponent(k: float) -> str:
    return str(int(k)) if k.is_integer() else repr(k)
