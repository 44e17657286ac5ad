"""Value classes written the way readers write them, right and wrong, for the checker tests.

:func:`make_engine` builds a classic-style value class (a ``_backward`` closure per node,
as in the classic micrograd and the tutorial) or a local-derivative one (each node stores
the derivative of its result with respect to each child, as micrograd does), with the
children in a tuple, a list or a set, and a recursive or an iterative topological order.
Every mistake of the catalogue is one switch; ``perturb`` changes one operation's local
derivative by a factor or an offset, for the property tests. None of this uses
micrograd's engine: the classes are independent implementations. At the end, what the
tests in which Hypothesis writes the reader's code share: its settings, a wrong constant, and
the assertion that a report failed naming the mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Local derivatives by operation: (inputs' data, output's data) -> derivative per input.
LOCALS: dict[str, Callable[[list[float], float], list[float]]] = {
    "+": lambda x, out: [1.0, 1.0],
    "*": lambda x, out: [x[1], x[0]],
    "tanh": lambda x, out: [1 - out**2],
    "relu": lambda x, out: [1.0 if x[0] > 0 else 0.0],
    "exp": lambda x, out: [out],
    "log": lambda x, out: [1 / x[0]],
    "/": lambda x, out: [1 / x[1], -x[0] / x[1] ** 2],
}


def make_engine(
    *,
    style: str = "closure",
    prev: str = "tuple",
    topo: str = "iterative",
    mistakes: Iterable[str] = (),
    perturb: tuple[str, str, float] | None = None,
    op_names: dict[str, str] | None = None,
) -> type:
    """A reader's value class with ``+ * / tanh relu exp log ** neg -`` and numbers on both sides.

    Args:
        style: ``"closure"`` (a ``_backward`` per node) or ``"local"`` (stored local derivatives).
        prev: The container of a node's children: ``"tuple"``, ``"list"`` or ``"set"``.
        topo: ``"iterative"`` (an explicit stack) or ``"recursive"`` (the tutorial's).
        mistakes: Names of catalogue mistakes to build in (see the code for the list).
        perturb: ``(op, "scale" | "offset", amount)``: make one operation's local
            derivative wrong everywhere.
        op_names: Other spellings of the ``_op`` strings (``{"relu": "ReLU"}``).
    """
    wrong = set(mistakes)
    names = {"+": "+", "*": "*", "tanh": "tanh", "relu": "ReLU", "exp": "exp", "**": "**"}
    names.update(op_names or {})
    container: Callable[[Iterable[Any]], Any] = {"tuple": tuple, "list": list, "set": set}[prev]

    def local(op: str, xs: list[float], out: float, extra: float = 0.0) -> list[float]:
        if op == "**":
            k = extra
            if "pow k x**k" in wrong:
                d = [k * xs[0] ** k]
            elif "pow missing k" in wrong:
                d = [xs[0] ** (k - 1)]
            else:
                d = [k * xs[0] ** (k - 1)]
        elif op == "tanh" and "tanh 1 - t" in wrong:
            d = [1 - out]
        elif op == "tanh" and "tanh from input" in wrong:
            d = [1 - xs[0] ** 2]
        elif op == "relu" and "relu from output" in wrong:
            d = [out]
        elif op == "relu" and "relu >= 0" in wrong:
            d = [1.0 if xs[0] >= 0 else 0.0]
        elif op == "relu" and "relu always 1" in wrong:
            d = [1.0]
        elif op == "log" and "log 1/out" in wrong:
            d = [1 / out]
        elif op == "/" and "div no minus" in wrong:
            d = [1 / xs[1], xs[0] / xs[1] ** 2]
        elif op == "/" and "div -a/b" in wrong:
            d = [1 / xs[1], -xs[0] / xs[1]]
        elif op == "exp" and "exp derivative x" in wrong:
            d = [xs[0]]
        elif op == "*" and "mul own value" in wrong:
            d = [xs[0], xs[1]]
        else:
            d = LOCALS[op](xs, out)
        if perturb is not None and perturb[0] == op:
            _, how, amount = perturb
            d = [v * amount if how == "scale" else v + amount for v in d]
        return d

    class V:
        def __init__(
            self, data: float, _children: Iterable[Any] = (), _op: str = "", *, label: str = ""
        ) -> None:
            self.data = data
            self.grad = 0.0
            self._prev = container(_children)
            self._op = _op
            self.label = label
            self._children_in_order = tuple(_children)
            self._local_grads: tuple[float, ...] = ()
            if style == "closure":
                self._backward: Callable[[], None] = lambda: None

        def __repr__(self) -> str:
            return f"V(data={self.data}, grad={self.grad})"

        def _make(self, data: float, children: tuple[Any, ...], op: str, extra: float = 0.0) -> Any:
            out = V(data, children, names.get(op, op))
            derivatives = local(op, [c.data for c in children], data, extra)
            if style == "local":
                out._local_grads = tuple(derivatives)
                return out

            def _backward() -> None:
                upstream = 1.0 if "missing out.grad" in wrong else out.grad
                for child, d in zip(children, derivatives, strict=True):
                    if "= instead of +=" in wrong:
                        child.grad = d * upstream
                    else:
                        child.grad += d * upstream

            out._backward = _backward
            return out

        def __add__(self, other: Any) -> Any:
            other = as_value(other)
            return self._make(self.data + other.data, (self, other), "+")

        def __mul__(self, other: Any) -> Any:
            other = as_value(other)
            return self._make(self.data * other.data, (self, other), "*")

        def __pow__(self, k: float) -> Any:
            return self._make(self.data**k, (self,), "**", k)

        def tanh(self) -> Any:
            return self._make(math.tanh(self.data), (self,), "tanh")

        def relu(self) -> Any:
            data = self.data if ("relu passes negative" in wrong or self.data > 0) else 0.0
            return self._make(data, (self,), "relu")

        def exp(self) -> Any:
            return self._make(math.exp(self.data), (self,), "exp")

        def log(self) -> Any:
            return self._make(math.log(self.data), (self,), "log")

        def __truediv__(self, other: Any) -> Any:
            other = as_value(other)
            return self._make(self.data / other.data, (self, other), "/")

        def __rtruediv__(self, other: Any) -> Any:
            return as_value(other) / self

        def __neg__(self) -> Any:
            return self * -1

        def __sub__(self, other: Any) -> Any:
            if "sub without negation" in wrong:
                return self + other
            return self + (-as_value(other))

        def __radd__(self, other: Any) -> Any:
            return as_value(other) + self

        def backward(self) -> None:
            order = topological(self)
            if "reset leaves" in wrong:
                for v in order:
                    v.grad = 0.0
            for v in order:  # a value made by an operation starts from 0 on every call
                if v._prev:
                    v.grad = 0.0
            if "root grad not set" not in wrong:
                self.grad = 1.0
            nodes = order if "unreversed order" in wrong else list(reversed(order))
            for node in nodes:
                if style == "closure":
                    node._backward()
                else:
                    upstream = 1.0 if "missing out.grad" in wrong else node.grad
                    for child, d in zip(node._children_in_order, node._local_grads, strict=True):
                        if "= instead of +=" in wrong:
                            child.grad = d * upstream
                        else:
                            child.grad += d * upstream

    if "no __rmul__" not in wrong:
        if "rmul recursion" in wrong:
            V.__rmul__ = lambda self, other: other * self  # type: ignore[attr-defined]
        else:
            V.__rmul__ = lambda self, other: as_value(other) * self  # type: ignore[attr-defined]

    def as_value(x: Any) -> Any:
        return x if isinstance(x, V) else V(float(x))

    def topological(root: Any) -> list[Any]:
        if "no visited set" in wrong:
            order: list[Any] = []

            def visit_all(v: Any) -> None:
                for child in v._prev:
                    visit_all(child)
                order.append(v)

            visit_all(root)
            return order
        return recursive_order(root) if topo == "recursive" else iterative_order(root)

    return V


def recursive_order(root: Any) -> list[Any]:
    """Every value of the graph of ``root``, each after its children: the tutorial's recursion."""
    order: list[Any] = []
    seen: set[Any] = set()

    def visit(v: Any) -> None:
        if v not in seen:
            seen.add(v)
            for child in v._prev:
                visit(child)
            order.append(v)

    visit(root)
    return order


def iterative_order(root: Any) -> list[Any]:
    """Every value of the graph of ``root``, each after its children: an explicit stack, no recursion."""
    order: list[Any] = []
    seen = {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if child not in seen:
                seen.add(child)
                stack.append((child, iter(child._prev)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


# -- generated versions: Hypothesis writes the reader's code, right and wrong ----------------------

# Every checker run takes milliseconds: 40 right versions per checker, and 10 versions of each
# mistake (every mistake is tried in every run; Hypothesis varies the style around it).
RIGHT = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WRONG = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def away_from_one(low: float, high: float) -> st.SearchStrategy[float]:
    """A wrong constant: anything in [low, high] but 1 (and its rounding)."""
    return st.floats(min_value=low, max_value=high).filter(lambda c: abs(c - 1) > 1e-3)


def failed_naming(report: Any, words: str | None) -> None:
    """The report failed; its first failure names the mistake in ``words``, when given."""
    assert not report.passed, str(report)
    if words is not None:
        first = next(c for c in report.checks if not c.passed and not c.advisory)
        assert words in first.message, f"expected {words!r} in:\n{report}"


# -- the MyValue of "Building Value", with its exercises -------------------------------------------

# How a reader may write the page's engine and its exercises 2 and 3; the first choice of each is
# the page's own.
BUILDING_VALUE_STYLES: dict[str, list[str]] = {
    "accumulate": ["=", "+="],  # the page's rules set gradients; a reader may already add them
    "sub": ["own rule", "-out.grad", "composed"],  # composed: self + other * MyValue(-1.0)
    "pow": ["k * x ** (k - 1)", "math.pow", "k * out.data / x"],
    "squared_error": ["(output - target) ** 2", "(target - output) ** 2", "difference first"],
    "topo": ["recursive", "iterative"],
    "prev": ["tuple", "list", "set"],
}
PAGE_STYLE = {name: choices[0] for name, choices in BUILDING_VALUE_STYLES.items()}

# Each mistake of exercises 2 and 3, the checker that must catch it, and the words its first
# failure must hold (None: it must fail, whatever it says).
BUILDING_VALUE_MISTAKES: dict[str, tuple[str, str | None]] = {
    "- gives the right operand +out.grad": ("subtraction", "right operand of a subtraction gets -out.grad"),
    "- gives the left operand -out.grad": ("subtraction", "left operand of a subtraction gets out.grad"),
    "- forgets out.grad": ("subtraction", "not multiplied by out.grad"),
    "- adds": ("subtraction", "not the sum"),
    "- subtracts the other way round": ("subtraction", "the other way round"),
    "- never attaches its _backward": ("subtraction", "never attached"),
    "- forgets its children": ("subtraction", "does not remember its inputs"),
    "- right operand times a wrong constant": ("subtraction", None),
    "** keeps the exponent": ("squared_error", "lowers the exponent"),
    "** forgets k": ("squared_error", "factor k"),
    "** forgets out.grad": ("squared_error", "not multiplied by out.grad"),
    "** times a wrong constant": ("squared_error", None),
    "squared_error as d * d": ("squared_error", "uses the difference"),
    "squared_error squares only the target": ("squared_error", "binds tighter"),
    "squared_error without the square": ("squared_error", "must square the difference"),
}


def make_building_value(
    style: dict[str, str] | None = None, mistake: str = "", constant: float = 2.0
) -> tuple[type, Callable[[Any, Any], Any]]:
    """A reader's MyValue of "Building Value" with ``-`` and ``**``, and their ``squared_error``.

    With the default style and no mistake, it is the page's own code: rules that set gradients
    with ``=``, a recursive topological order, and the exercises' solutions.
    """
    s = dict(PAGE_STYLE, **(style or {}))
    container: Callable[[Iterable[Any]], Any] = {"tuple": tuple, "list": list, "set": set}[s["prev"]]
    accumulate = s["accumulate"] == "+=" and mistake != "squared_error as d * d"

    def give(node: Any, amount: float) -> None:
        node.grad = node.grad + amount if accumulate else amount

    class MyValue:
        def __init__(
            self, data: float, _children: Iterable[Any] = (), _op: str = "", *, label: str = ""
        ) -> None:
            self.data = data
            self.grad = 0.0
            self._prev = container(_children)
            self._op = _op
            self.label = label
            self._backward: Callable[[], None] = lambda: None

        def __add__(self, other: Any) -> Any:
            out = MyValue(self.data + other.data, (self, other), "+")

            def _backward() -> None:
                give(self, 1.0 * out.grad)
                give(other, 1.0 * out.grad)

            out._backward = _backward
            return out

        def __mul__(self, other: Any) -> Any:
            out = MyValue(self.data * other.data, (self, other), "*")

            def _backward() -> None:
                give(self, other.data * out.grad)
                give(other, self.data * out.grad)

            out._backward = _backward
            return out

        def tanh(self) -> Any:
            t = math.tanh(self.data)
            out = MyValue(t, (self,), "tanh")

            def _backward() -> None:
                give(self, (1 - t**2) * out.grad)

            out._backward = _backward
            return out

        def __sub__(self, other: Any) -> Any:
            if s["sub"] == "composed" and not mistake.startswith("-"):
                return self + other * MyValue(-1.0)
            data = self.data - other.data
            if mistake == "- adds":
                data = self.data + other.data
            elif mistake == "- subtracts the other way round":
                data = other.data - self.data
            out = MyValue(data, () if mistake == "- forgets its children" else (self, other), "-")

            def _backward() -> None:
                upstream = 1.0 if mistake == "- forgets out.grad" else out.grad
                left, right = 1.0, -1.0
                if mistake == "- gives the right operand +out.grad":
                    right = 1.0
                elif mistake == "- gives the left operand -out.grad":
                    left = -1.0
                elif mistake == "- right operand times a wrong constant":
                    right = -constant
                give(self, left * upstream)
                give(other, -upstream if s["sub"] == "-out.grad" and right == -1.0 else right * upstream)

            if mistake != "- never attaches its _backward":
                out._backward = _backward
            return out

        def __pow__(self, k: float) -> Any:
            out = MyValue(self.data**k, (self,), f"**{k}")

            def _backward() -> None:
                x = self.data
                if mistake == "** keeps the exponent":
                    local = k * x**k
                elif mistake == "** forgets k":
                    local = x ** (k - 1)
                elif s["pow"] == "math.pow":
                    local = k * math.pow(x, k - 1)
                elif s["pow"] == "k * out.data / x" and x != 0:
                    local = k * out.data / x
                else:
                    local = k * x ** (k - 1)
                if mistake == "** times a wrong constant":
                    local *= constant
                give(self, local * (1.0 if mistake == "** forgets out.grad" else out.grad))

            out._backward = _backward
            return out

        def backward(self) -> None:
            order = recursive_order(self) if s["topo"] == "recursive" else iterative_order(self)
            self.grad = 1.0
            for node in reversed(order):
                node._backward()

    def squared_error(output: Any, target: Any) -> Any:
        if mistake == "squared_error as d * d":
            d = output - target
            return d * d
        if mistake == "squared_error squares only the target":
            return output - target**2
        if mistake == "squared_error without the square":
            return output - target
        if s["squared_error"] == "(target - output) ** 2":
            return (target - output) ** 2
        if s["squared_error"] == "difference first":
            difference = output - target
            return difference**2
        return (output - target) ** 2

    return MyValue, squared_error
