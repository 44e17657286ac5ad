"""Checkers of *From scalars to matrices*: a layer's gradients for a batch, the reader's
``Tensor`` class on NumPy arrays, and training with it (NumPy is imported when they run).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, cast

from micrograd.engine import Value
from micrograd.exercises.budget import _describe_error, _readers_frame, _where
from micrograd.exercises.compare import _ATOL, _RTOL, _as_float, _close, _first_not_a_number, _num
from micrograd.exercises.networks import (
    _PAGE_RATES,
    _TRAIN_MISTAKES,
    _TRAIN_XS,
    _TRAIN_YS,
    _first_loss_mistake,
    _reference_train,
    _train_loss,
    _train_mistake,
    _train_network,
)
from micrograd.exercises.report import Check, Report, _attempt, _is_list, _stopped_message


def _fixed_matrix(rows: int, cols: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[round(rng.uniform(-2, 2), 2) for _ in range(cols)] for _ in range(rows)]


def _array_text(a: Any) -> str:
    """An array as a report shows it: its numbers when there are a few, else its shape and its
    first numbers, never a wall of them."""
    import numpy as np

    a = np.asarray(a, dtype=float)
    if a.size <= 12:  # as a learner writes them, [[0.72, -1.8], [2.4, 0]], with no padding
        return _nested(np.round(a, 4).tolist())
    first = ", ".join(_num(round(float(v), 4)) for v in a.flat[:3])
    return f"an array of shape {a.shape} ({first}, ...)"


def _nested(x: Any) -> str:
    """Nested lists of numbers as text, each number as :func:`_num` writes it."""
    return f"[{', '.join(_nested(v) for v in x)}]" if isinstance(x, list) else _num(x)


def _wrong_array(name: str, subject: str, got: Any, expected: Any, mistake: str) -> Check:
    """A failed check of an array: the mistake first, then the two arrays (twelve numbers each
    before it would push it out of sight)."""
    stop = "" if mistake.endswith("?") else "."
    arrays = f"Yours: {_array_text(got)}; expected: {_array_text(expected)}."
    return Check(name, False, f"{subject} is wrong: {mistake}{stop} {arrays}", mistake)


def _same(got: Any, expected: Any) -> bool:
    """Whether ``got`` is ``expected``: the same shape and, to the checks' precision, numbers."""
    import numpy as np

    return bool(got.shape == expected.shape and np.allclose(got, expected, rtol=_RTOL, atol=_ATOL))


def _precision_mistake(label: str, raw: Any, got: Any, expected: Any) -> str:
    """When ``raw``, the reader's ``label`` as given (``got`` in float64), holds floats of fewer
    digits than float64 (float32) and agrees with ``expected`` to those digits: that it does.
    Such numbers print the same as the right ones and still differ in the 8th digit. Else ``""``."""
    import numpy as np

    dtype = np.asarray(raw).dtype
    if dtype.kind != "f" or dtype.itemsize >= 8:
        return ""
    digits = np.finfo(dtype).precision + 1
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=10.0 ** (2 - digits)):
        return ""
    return _precision_text(f"{label} is {dtype.name} and", dtype.name, digits)


def _precision_text(subject: str, name: str = "float32", digits: int = 7) -> str:
    """What to do about numbers that agree with micrograd's to the ``digits`` significant digits of
    the floats ``name`` only; ``subject`` names them."""
    return (
        f"{subject} agrees with micrograd's to about {digits} significant digits only, the precision of "
        f"{name}; micrograd computes in float64, which keeps 16: keep NumPy's default float64, "
        f"np.asarray(data, dtype=float), with no {name}"
    )


def _transposed(got: Any, expected: Any) -> bool:
    """Whether ``got`` is ``expected`` with its two axes swapped."""
    return bool(got.ndim == 2 and got.shape != expected.shape and _same(got.T, expected))


def _opposite(got: Any, expected: Any) -> bool:
    """Whether ``got`` is ``expected`` with every sign flipped (and not all zeros)."""
    import numpy as np

    return bool(np.any(expected != 0) and _same(-got, expected))


def _tensor_error(err: BaseException, broadcasting: bool) -> str:
    """The likely mistake behind an error of the reader's tensor code, on a case that has a
    broadcast tensor (``broadcasting``) or not."""
    text = str(err)
    shapes = "broadcast" in text or "matmul" in text or "shapes" in text or "aligned" in text
    if "non-broadcastable output operand with shape ()" in text:
        return (
            "a number that an operation made a tensor of shape () (2.5 in A * 2.5, or -1 in -S) is "
            "broadcast to the other tensor's shape, so its gradient is out.grad summed over every axis: "
            "sum each gradient down to the shape of its tensor (unbroadcast), in * as in +"
        )
    if shapes and broadcasting:
        return (
            "a tensor that NumPy broadcast (such as a bias added to every row) must get the sum of the "
            "gradients over the axes NumPy stretched: sum out.grad over axis 0 (the axis NumPy added in "
            "front), and over every axis where the tensor has size 1 (keepdims=True), before adding it "
            "to bias.grad"
        )
    if shapes:
        return (
            "nothing is broadcast here, so the @ rule is the suspect: for out = A @ B, A.grad += "
            "out.grad @ B.T and B.grad += A.T @ out.grad; each gradient has the shape of its tensor "
            "(B.grad the shape of B, not of B.T)"
        )
    return _describe_error(err, "")[1]


def _stopped(name: str, err: BaseException) -> Check:
    """The failed check of the reader's tensor code that raised ``err``: what it said, and why."""
    mistake = _tensor_error(err, broadcasting="broadcast" in name)
    return Check(name, False, _stopped_message(name, f"{type(err).__name__}: {err}", mistake), mistake)


def _product_mismatch(err: BaseException) -> str | None:
    """What did not chain in a matrix product, from NumPy's message: the two shapes (``np.dot``
    names them) or the two sizes (``@`` and ``np.matmul`` name only those); ``None`` for
    another error."""
    text = str(err)
    shapes = re.search(r"shapes (\([\d, ]*\)) and (\([\d, ]*\)) not aligned", text)
    if shapes:
        left, right = (g.replace(",", ", ") for g in shapes.groups())
        return f"the shapes {left} and {right} do not chain in a matrix product"
    sizes = re.search(r"^matmul: .* \(size (\d+) is different from (\d+)\)", text)
    if sizes:
        return (
            f"a matrix product whose left side ends in an axis of {sizes[2]} and whose right side "
            f"starts with one of {sizes[1]}"
        )
    return None


def _known_mistake(got: Any, wrongs: Sequence[tuple[Any, str]]) -> str:
    """The mistake whose known wrong answer ``got`` is (the same shape and numbers), or ``""``."""
    return next((text for wrong, text in wrongs if _same(got, wrong)), "")


def _linear_reference(
    x: list[list[float]], w: list[list[float]], c: list[list[float]]
) -> tuple[Any, Any, Any]:
    """dX, dW, db of L = sum(C * (X @ W.T + b)) from micrograd's Values, one scalar at a time."""
    import numpy as np

    xs = [[Value(v) for v in row] for row in x]
    ws = [[Value(v) for v in row] for row in w]
    bs = [Value(0.5) for _ in w]
    total = Value(0.0)
    for i, row in enumerate(xs):
        for k, (wk, bk) in enumerate(zip(ws, bs, strict=True)):
            y = bk
            for wkj, xij in zip(wk, row, strict=True):
                y = y + wkj * xij
            total = total + c[i][k] * y
    total.backward()
    dx = np.array([[v.grad for v in row] for row in xs])
    dw = np.array([[v.grad for v in row] for row in ws])
    return dx, dw, np.array([b.grad for b in bs])


def _linear_inputs(batch: int, seed: int) -> tuple[list[list[float]], list[list[float]], list[list[float]]]:
    """X (batch, 3), W (4, 3) and delta (batch, 4) of exercise 1's check on a batch of ``batch``."""
    return _fixed_matrix(batch, 3, seed), _fixed_matrix(4, 3, seed + 10), _fixed_matrix(batch, 4, seed + 20)


_BATCHES = ((1, 1), (5, 2))
_GRADIENTS = ("dX", "dW", "db")
_ORDINALS = ("first", "second", "third")


def _keeps_the_summed_axis(linear_backward: Callable[..., Any]) -> bool:
    """Whether the reader's db has shape (1, 4) on a batch of five too: summed with
    ``keepdims=True``, not left unsummed (on a batch of one, the two give the same array)."""
    import numpy as np

    x, w, c = _linear_inputs(*_BATCHES[-1])
    try:
        return bool(np.shape(list(linear_backward(np.array(x), np.array(w), np.array(c)))[2]) == (1, 4))
    except Exception:  # the reader's code may raise anything: then it cannot tell
        return False


def _linear_mistake(
    linear_backward: Callable[..., Any],
    slot: int,
    items: list[Any],
    grads: list[Any],
    want: tuple[Any, Any, Any],
    wrongs: Sequence[tuple[Any, str]],
) -> str:
    """Why the reader's ``slot``-th result, ``grads[slot]`` (``items[slot]`` as returned), is not
    the gradient ``want[slot]``."""
    label, got, expected = _GRADIENTS[slot], grads[slot], want[slot]
    other = next((j for j, w in enumerate(want) if j != slot and _same(got, w)), None)
    if other is not None:
        return (
            f"the results are in the wrong order: your {_ORDINALS[slot]} one is {_GRADIENTS[other]}; "
            "return them as (dX, dW, db), in that order"
        )
    precision = _precision_mistake(label, items[slot], got, expected)
    if precision:
        return precision
    kept = got.shape == (1, *expected.shape) and _same(got[0], expected)
    if kept and _keeps_the_summed_axis(linear_backward):
        return (
            f"{label} has shape {got.shape}, and b has shape {expected.shape}: sum(axis=0, keepdims=True) "
            "keeps the summed axis as an axis of size 1; sum without keepdims, delta.sum(axis=0)"
        )
    mistake = _known_mistake(got, wrongs)
    of = {"dX": "X", "dW": "W", "db": "b"}[label]
    if not mistake and _transposed(got, expected):
        mistake = (
            f"{label} is transposed: it has shape {got.shape}, and a gradient has the shape of what it is "
            f"the gradient of, {of} {expected.shape}: place the transposes by the shapes"
        )
    if not mistake and _opposite(got, expected):
        mistake = (
            f"{label} has the right numbers with the opposite sign: the gradient has no minus sign (the "
            "minus belongs in the update, W -= lr * dW)"
        )
    if not mistake and got.shape != expected.shape:
        mistake = (
            f"{label} has shape {got.shape}, and a gradient has the shape of what it is the gradient of, "
            f"{of} {expected.shape}: "
            + ("sum delta over the batch (axis 0)" if label == "db" else "place the transposes by the shapes")
        )
    return (
        mistake
        or {
            "dX": "dX = delta @ W: each input collects delta times the weights it meets",
            "dW": "dW = delta.T @ X: weight W[k][j] meets input j in neuron k, once per example",
            "db": "db = delta summed over the batch",
        }[label]
    )


def check_linear_backward(linear_backward: Callable[..., Any]) -> Report:
    """Check exercise 1 of *From scalars to matrices*: ``linear_backward(X, W, delta)``.

    Args:
        linear_backward: The reader's function: for a layer ``Y = X @ W.T + b`` on a batch
            ``X`` (one row per example, micrograd's layout ``W[k]`` = the weights of neuron
            ``k``) and ``delta = dL/dY``, it returns ``(dX, dW, db)`` as NumPy arrays.

    Returns:
        A :class:`Report`: the three gradients for a batch of one and of five, compared with
        micrograd's, which computes them one scalar at a time.

    Example:
        >>> def linear_backward(X, W, delta):
        ...     return delta @ W, delta.T @ X, delta.sum(axis=0)
        >>> print(check_linear_backward(linear_backward).passed)
        True
    """
    import numpy as np

    report = Report("From scalars to matrices, exercise 1: the layer's gradients for a batch")
    for batch, seed in _BATCHES:
        x, w, c = _linear_inputs(batch, seed)
        name = f"a batch of {batch}, 3 inputs, 4 neurons"
        try:
            result = linear_backward(np.array(x), np.array(w), np.array(c))
        except Exception as err:  # the reader's code may raise anything
            mismatch = _product_mismatch(err)
            if mismatch is None:
                _attempt(report, name, _reraise, err)
                return report
            mistake = (
                "in A @ B the last axis of A must be the first axis of B; each gradient has the shape of its "
                "tensor, dX that of X (B, 3), dW that of W (4, 3), db that of b (4,): place the transposes "
                "by the shapes"
            )
            found = _readers_frame(err)
            line = f" {_where(*found)}" if found else ""
            what = f"{mismatch}{line}"
            report.checks.append(Check(name, False, _stopped_message(name, what, mistake), mistake))
            return report
        try:
            items = list(result)
            grads = [np.asarray(g, dtype=float) for g in items]
        except (TypeError, ValueError):
            grads = []
        if len(grads) != len(_GRADIENTS):
            mistake = "return the three gradients as a tuple (dX, dW, db)"
            report.checks.append(Check(name, False, f"{name}: {mistake}.", mistake))
            return report
        want = _linear_reference(x, w, c)
        X, D = np.array(x), np.array(c)
        wrongs: dict[str, list[tuple[Any, str]]] = {
            "dX": [],
            "dW": [
                (
                    X.T @ D,
                    "dW = X.T @ delta has the shape of W.T: W[k] holds neuron k's weights, so "
                    "dW = delta.T @ X",
                ),
            ],
            "db": [
                (
                    D.mean(axis=0),
                    "db is the sum of delta over the batch, not its mean: every example adds its share",
                ),
                (D, "db has one entry per neuron: sum delta over the batch (axis 0)"),
                (D.sum(axis=1), "db is summed over axis 1, the neurons: sum delta over axis 0, the batch"),
                (
                    np.array(D.sum()),
                    "db is one number: delta.sum() adds over both axes; sum over the batch only, axis 0",
                ),
            ],
        }
        for slot, label in enumerate(_GRADIENTS):
            got, expected = grads[slot], want[slot]
            if _same(got, expected):
                continue
            mistake = _linear_mistake(linear_backward, slot, items, grads, want, wrongs[label])
            report.checks.append(_wrong_array(f"{name}: {label}", f"{name}: {label}", got, expected, mistake))
            return report
        report.checks.append(Check(name, True, "dX, dW and db as micrograd's"))
    return report


def _reraise(err: BaseException) -> None:
    """Raise ``err`` again, for :func:`_attempt` to describe as it describes any error."""
    raise err


def _object_array(numbers: list[list[float]] | list[float] | float) -> Any:
    """A NumPy array of micrograd Values holding ``numbers`` (rows, one flat row, or one number, an
    array of shape ()), which the checks run through the same graph as the reader's tensors, for
    the right gradients."""
    import numpy as np

    out = np.empty(np.shape(numbers), dtype=object)
    for index, number in np.ndenumerate(np.array(numbers, dtype=float)):
        out[index] = Value(float(number))
    return out


class _Case(NamedTuple):
    """One check of exercise 2: its ``name``; ``build(make)``, the graph on tensors made by
    ``make`` (the reader's class, or :func:`_object_array` of micrograd's Values), as its
    tensors by label and its root; the ``operation`` it adds to the checks before it, which
    passed, and that operation's right ``rule``; and known wrong gradients by label, each with
    the slip that makes it."""

    name: str
    build: Callable[[Any], Any]
    operation: str
    rule: str
    wrongs: dict[str, list[tuple[Any, str]]]


def _tensor_cases() -> list[_Case]:
    """The checks of exercise 2, in order, each adding one operation (or one way of using them)
    to those before it: when a check fails, its new operation is the suspect."""
    import numpy as np

    a, b, c = _fixed_matrix(2, 3, 31), _fixed_matrix(3, 4, 32), _fixed_matrix(2, 4, 33)
    bias = _fixed_matrix(1, 4, 34)[0]
    sq = _fixed_matrix(2, 3, 35)
    weights = _fixed_matrix(2, 3, 36)
    A, B, S, W = np.array(a), np.array(b), np.array(sq), np.array(weights)  # for the wrong answers

    def tanh(x: Any) -> Any:  # the reader's tensor has tanh(); an array of Values, one per entry
        return np.vectorize(lambda v: v.tanh(), otypes=[object])(x) if isinstance(x, np.ndarray) else x.tanh()

    def total(make: Any) -> Any:
        ta = make(a)
        return {"A": ta}, ta.sum()

    def product(make: Any) -> Any:  # two products, so that the first one's out.grad is not ones
        ta, tw = make(a), make(weights)
        return {"A": ta, "W": tw}, (ta * np.array(sq) * tw).sum()

    def scaled_sum(make: Any) -> Any:  # a sum inside an expression: its out.grad is s, not 1
        ta, ts = make(a), make(0.25)  # s * sum(...), not sum(...) * s: a Value times an array fails
        return {"A": ta, "s": ts}, ts * (ta * np.array(weights)).sum()

    def mm(make: Any) -> Any:
        ta, tb = make(a), make(b)
        return {"A": ta, "B": tb}, ((ta @ tb) * np.array(c)).sum()

    def with_bias(make: Any) -> Any:
        ta, tb, tbias = make(a), make(b), make(bias)
        return {"A": ta, "B": tb, "bias": tbias}, ((ta @ tb + tbias) * np.array(c)).sum()

    def with_row(make: Any) -> Any:  # the bias as a row of shape (1, 4): its axis 0 is stretched
        ta, tb, tbias = make(a), make(b), make([bias])
        return {"A": ta, "B": tb, "bias": tbias}, ((ta @ tb + tbias) * np.array(c)).sum()

    def scaled(make: Any) -> Any:  # a tensor multiplied into every row: * broadcasts it too
        ta, tb, tscale = make(a), make(b), make(bias)
        return {"A": ta, "B": tb, "scale": tscale}, ((ta @ tb) * tscale * np.array(c)).sum()

    def minus_tensor(make: Any) -> Any:  # a tensor on the right of -: its gradient changes sign
        ta, ts = make(a), make(sq)
        return {"A": ta, "S": ts}, ((ta - ts) * np.array(weights)).sum()

    def times_number(make: Any) -> Any:
        ta = make(a)
        return {"A": ta}, ((ta * 2.5) * np.array(weights)).sum()

    def tanh_case(make: Any) -> Any:
        ta = make(a)
        return {"A": ta}, (tanh(ta) * np.array(sq)).sum()

    def reuse(make: Any) -> Any:
        ta = make(a)
        return {"A": ta}, (ta * ta + ta).sum()

    def square(make: Any) -> Any:  # times W, so that the out.grad of ** is not ones
        ta = make(a)
        return {"A": ta}, ((ta - np.array(sq)) ** 2 * np.array(weights)).sum()

    def made_reused(make: Any) -> Any:  # a tensor that an operation made, used on paths of two lengths
        ta, tb = make(a), make(b)
        h = ta @ tb
        return {"A": ta, "B": tb}, (h * h * np.array(c) + h).sum()

    def no_out_grad(operation: str, rule: str) -> str:
        return (
            f"the rule of {operation} leaves out out.grad: its local derivative alone is right only where "
            f"out.grad is 1; multiply by out.grad: {rule}"
        )

    sum_rule = "every entry of the input gets out.grad, self.grad += np.ones_like(self.data) * out.grad"
    mul_rule = "for out = a * b, a.grad += b.data * out.grad and b.grad += a.data * out.grad"
    swapped = "the two gradients of * are swapped, each operand got its own data times out.grad: " + mul_rule
    mm_rule = "for out = A @ B, A.grad += out.grad @ B.T and B.grad += A.T @ out.grad"
    tanh_rule = "self.grad += (1 - t**2) * out.grad, with t = tanh(x), the output"
    pow_rule = "for out = x ** k, self.grad += k * x ** (k - 1) * out.grad"
    t, D = np.tanh(A), A - S
    set_not_added = "gradients must be added with +=, not set with =: A is used three times"
    return [
        _Case(
            "sum(A)",
            total,
            "sum()",
            sum_rule,
            {
                "A": [
                    (
                        np.array(1.0),
                        "sum() sets its input's grad to out.grad, a single number: every entry of the "
                        "input gets it, self.grad += np.ones_like(self.data) * out.grad (a grad of the "
                        "input's shape)",
                    ),
                    (
                        A,
                        "the local derivative of sum() is 1 for every entry, not the entry's value: "
                        "self.grad += np.ones_like(self.data) * out.grad",
                    ),
                ]
            },
        ),
        _Case(
            "sum(A * S * W), W a tensor",
            product,
            "*",
            mul_rule,
            {
                "A": [(A * A * S, swapped), (S, no_out_grad("*", mul_rule))],
                "W": [(W, swapped)],
            },
        ),
        _Case(
            "s * sum(A * W), s a tensor of shape (), so sum()'s out.grad is not 1",
            scaled_sum,
            "sum() inside an expression",
            sum_rule,
            {"A": [(W, no_out_grad("sum()", sum_rule))]},
        ),
        _Case(
            "sum(C * (A @ B))",
            mm,
            "@",
            mm_rule,
            {
                "A": [(np.ones((2, 4)) @ B.T, no_out_grad("@", mm_rule))],
                "B": [(A.T @ np.ones((2, 4)), no_out_grad("@", mm_rule))],
            },
        ),
        _Case(
            "sum(C * (A @ B + bias)), the bias broadcast to every row",
            with_bias,
            "+ with a broadcast tensor",
            "out.grad goes to both operands, each summed down to its shape, unbroadcast(out.grad, shape)",
            {},
        ),
        _Case(
            "sum(C * (A @ B + bias)), the bias a row of shape (1, 4), broadcast to every row",
            with_row,
            "+ with a row of shape (1, 4)",
            "sum out.grad over every axis where the tensor has size 1, with keepdims=True",
            {},
        ),
        _Case(
            "sum(C * (A @ B) * scale), the scale broadcast to every row",
            scaled,
            "* with a broadcast tensor",
            "a.grad += unbroadcast(b.data * out.grad, a.data.shape), and the same for b",
            {},
        ),
        _Case(
            "sum((A - S) * W), S a tensor",
            minus_tensor,
            "- between two tensors",
            "in out = a - b, a.grad gets +out.grad and b.grad gets -out.grad",
            {},
        ),
        _Case(
            "sum((A * 2.5) * W), the number 2.5 broadcast to A's shape",
            times_number,
            "* by a number",
            "the number becomes a tensor of shape (), and its gradient is out.grad summed down to that shape",
            {},
        ),
        _Case(
            "sum(S * tanh(A))",
            tanh_case,
            "tanh()",
            tanh_rule,
            {
                "A": [
                    ((1 - t) * S, "tanh's local derivative is 1 - t**2, not 1 - t"),
                    (
                        (1 - A**2) * S,
                        "tanh's local derivative is 1 - t**2 with t = tanh(x), the output, not x",
                    ),
                    (1 - t**2, no_out_grad("tanh()", tanh_rule)),
                ]
            },
        ),
        _Case(
            "sum(A * A + A), A used three times",
            reuse,
            "a tensor used three times",
            "each use adds its share to A.grad, so every rule adds with +=",
            {"A": [(np.ones_like(A), set_not_added), (A, set_not_added), (2 * A, set_not_added)]},
        ),
        _Case(
            "sum((A - S) ** 2 * W)",
            square,
            "**",
            pow_rule,
            {
                "A": [
                    (D * W, "the derivative of x**2 is 2x: multiply by k"),
                    (2 * D**2 * W, f"the derivative of x**k is k * x**(k - 1), not k * x**k: {pow_rule}"),
                    (2 * D, no_out_grad("**", pow_rule)),
                ]
            },
        ),
        _Case(
            "sum(H * H * C + H), H = A @ B used three times",
            made_reused,
            "backward() through H, made by an operation and used three times",
            "backward() must call each tensor's _backward once (keep a set of the tensors visited), and only "
            "after every use of the tensor has added to its grad (reversed topological order)",
            {},
        ),
    ]


def _grad_mistake(
    label: str,
    tensor: Any,
    got: Any,
    expected: Any,
    wrongs: Sequence[tuple[Any, str]],
    flipped: str,
    fallback: str,
) -> str:
    """Why the reader's ``tensor.grad`` (``got`` in float64) is not ``expected``: float32, a known
    wrong answer of ``wrongs``, no gradient, the opposite sign (``flipped`` says where), a bias not
    summed, a wrong shape, else ``fallback``."""
    import numpy as np

    precision = _precision_mistake(f"{label}.grad", getattr(tensor, "grad", np.nan), got, expected)
    mistake = precision or _known_mistake(got, wrongs)
    if not mistake and np.all(got == 0):
        mistake = (
            "no gradient reached it: an operation on its way does not record its inputs in _prev or does not "
            "set out._backward (a new Tensor(x.data) is cut off from x), or backward() does not set the "
            "output's grad to ones and call every _backward in reversed topological order"
        )
    if not mistake and _opposite(got, expected):
        mistake = f"{label}.grad has the right numbers with the opposite sign: {flipped}"
    rows_summed = expected.ndim == 2 and len(expected) > 1 and got.shape == expected.shape
    if not mistake and rows_summed and _same(got, np.broadcast_to(expected.sum(axis=0), expected.shape)):
        mistake = (
            f"each row of {label}.grad is the sum of the right rows: a gradient on its way was summed over "
            "axis 0 where NumPy broadcast nothing; sum only over the axes NumPy stretched, "
            "unbroadcast(grad, shape), so a tensor of out's shape gets out.grad whole"
        )
    if not mistake and label == "bias":
        mistake = (
            "the bias is added to every row, so its gradient is the sum of out.grad over the rows (axis 0)"
        )
    if not mistake and got.shape != expected.shape:
        mistake = f"{label}.grad must have the shape of {label}.data, {expected.shape}"
    return mistake or fallback


def check_tensor(tensor_class: Any) -> Report:
    """Check exercise 2 of *From scalars to matrices*: a ``Tensor`` class on NumPy arrays.

    Args:
        tensor_class: The reader's ``Tensor(data)``: ``data`` and ``grad`` NumPy arrays of
            the same shape; ``+``, ``-`` and ``*`` with a tensor, an array or a number
            (broadcasting as NumPy does), ``** k`` for a number ``k``, ``@``, ``tanh()``,
            ``sum()`` and ``backward()``.

    Returns:
        A :class:`Report`: each operation's gradients, one new operation per check (so that
        a failed check names it, and its slip where the gradients are that slip's), a sum
        inside an expression (its out.grad not 1), a broadcast bias, a tensor multiplied into
        every row, a tensor subtracted, a tensor times a number, a tensor used three times, a
        tensor made by ``@`` used three times, and a two-layer tanh network with a mean squared
        error, compared with micrograd's Values, one scalar at a time.

    Example:
        >>> report = check_tensor(object)  # not a tensor class: the first check stops
        >>> report.passed
        False
    """
    import numpy as np

    report = Report("From scalars to matrices, exercise 2: a tensor engine")
    for name, build, operation, rule, wrongs in _tensor_cases():
        try:
            named, root = build(tensor_class)
            root.backward()
        except Exception as err:  # the reader's code may raise anything
            report.checks.append(_stopped(name, err))
            return report
        ref_named, ref_root = build(_object_array)
        ref_root.backward()
        for label, tensor in named.items():
            expected = np.vectorize(lambda v: v.grad, otypes=[float])(ref_named[label])
            got = np.asarray(getattr(tensor, "grad", np.nan), dtype=float)
            if _same(got, expected):
                continue
            mistake = _grad_mistake(
                label,
                tensor,
                got,
                expected,
                wrongs.get(label, ()),
                f"the rule of {operation} has a sign flipped: {rule}",
                f"{operation} is new in this check (the checks before it passed), so it is the suspect: "
                f"{rule}",
            )
            report.checks.append(_wrong_array(name, f"{name}: {label}.grad", got, expected, mistake))
            return report
        report.checks.append(Check(name, True, ", ".join(f"{label}.grad as micrograd's" for label in named)))
    # A two-layer network and its loss, against micrograd's MLP.
    name = "MLP(3, [4, 4, 1]) (tanh) and its mean squared error on four examples"
    model = _train_network()
    loss = _train_loss(model)
    loss.backward()
    try:
        params = []
        for layer in model.layers:
            params.append(tensor_class(np.array([[w.data for w in n.w] for n in layer.neurons]).T))
            params.append(tensor_class(np.array([n.b.data for n in layer.neurons])))
        h = tensor_class(np.array(_TRAIN_XS))
        for w, b in zip(params[::2], params[1::2], strict=True):
            h = (h @ w + b).tanh()
        mine = ((h - np.array(_TRAIN_YS).reshape(-1, 1)) ** 2).sum() * (1 / len(_TRAIN_YS))
        mine.backward()
    except Exception as err:  # the reader's code may raise anything
        report.checks.append(_stopped(name, err))
        return report
    got_loss = float(np.asarray(mine.data))
    if not _close(got_loss, loss.data):
        mistake = "the loss differs from micrograd's: check the forward pass of each operation"
        report.checks.append(
            Check(
                name, False, f"{name}: loss {_num(got_loss)}, expected {_num(loss.data)}: {mistake}.", mistake
            )
        )
        return report
    for i, layer in enumerate(model.layers):
        want_w = np.array([[w.grad for w in n.w] for n in layer.neurons]).T
        want_b = np.array([n.b.grad for n in layer.neurons])
        for label, tensor, want in (
            (f"W{i + 1}", params[2 * i], want_w),
            (f"b{i + 1}", params[2 * i + 1], want_b),
        ):
            got = np.asarray(tensor.grad, dtype=float)
            if got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9):
                mistake = _grad_mistake(
                    label,
                    tensor,
                    got,
                    want,
                    (),  # a sum() that leaves out out.grad, 4 times these, stops at s * sum(A * W)
                    "a rule on its way has its sign flipped (in out = a - b, b.grad gets -out.grad, and "
                    "a.grad gets +out.grad)",
                    "the gradients differ from micrograd's MLP: check each operation's backward rule",
                )
                report.checks.append(
                    Check(name, False, f"{name}: {label}.grad differs from micrograd's: {mistake}.", mistake)
                )
                return report
    report.checks.append(Check(name, True, f"loss {_num(loss.data)}, every gradient as micrograd's"))
    return report


def check_tensor_training(losses: Sequence[float]) -> Report:
    """Check exercise 3 of *From scalars to matrices*: 20 training steps with your ``Tensor``.

    Args:
        losses: The loss before each of 20 steps of gradient descent (learning rate 0.1) of
            ``MLP(3, [4, 4, 1])`` (tanh everywhere, ``rng=random.Random(1)``, its weights
            copied into tensors) with the mean squared error on the four examples of
            *Neurons, layers and an MLP*.

    Returns:
        A :class:`Report`: the losses against micrograd's, step by step.

    Example:
        >>> print(check_tensor_training(_reference_train(0.1, 20)).passed)
        True
    """
    report = Report("From scalars to matrices, exercise 3: training with your tensors")
    expected = _reference_train(0.1, 20)
    name = "20 steps at learning rate 0.1"
    keep = "keep the list of the losses, tensor_losses.append(float(loss.data)) at each of the 20 steps"
    if not _is_list(report, name, losses, "tensor_losses", keep):
        return report
    found = _first_not_a_number(losses)
    if found is not None:
        mistake = "append the loss's number at each step, tensor_losses.append(float(loss.data))"
        message = f"{name}: tensor_losses[{found[0]}] is {found[1]}: {mistake}."
        report.checks.append(Check(name, False, message, mistake))
        return report
    got = [_as_float(v) for v in losses]
    if len(got) != len(expected):
        mistake = "keep the loss of every step: 20 numbers"
        report.checks.append(Check(name, False, f"{name}: {len(got)} losses: {mistake}.", mistake))
        return report
    for step, (g, e) in enumerate(zip(got, expected, strict=True)):
        if not _close(g, e, 1e-9):
            mistake = _first_loss_slip(got, expected) if step == 0 else _update_slip(got, step)
            shown = _num(g), _num(e)
            if shown[0] == shown[1]:  # they differ beyond the 6 digits a report shows
                shown = f"{g:.12g}", f"{e:.12g}"
            report.checks.append(
                Check(
                    name,
                    False,
                    f"{name}: the loss at step {step} is {shown[0]}, expected {shown[1]}: {mistake}.",
                    mistake,
                )
            )
            return report
    report.checks.append(
        Check(name, True, f"losses from {_num(expected[0])} to {_num(expected[-1])}, as micrograd's")
    )
    return report


def _first_loss_slip(got: Sequence[float], expected: Sequence[float]) -> str:
    """Why the reader's loss before any update, ``got[0]``, is not ``expected[0]``: the targets'
    shape, the forward pass's activations, float32, or what :func:`_first_loss_mistake` finds."""
    first = got[0]
    if any(_close(first, flat, 1e-9) for flat in _flat_targets_losses()):
        return (
            "the targets have shape (4,) and the network's outputs (4, 1), so h - Y broadcasts "
            "to a (4, 4) table of every output minus every target: make Y a column, "
            "np.array(ys).reshape(4, 1)"
        )
    # The reader copies the weights and writes the forward pass: its activations are theirs.
    named = {"tanh": "tanh", "relu": "ReLU", "linear": "no activation"}
    for hidden, output in itertools.product(named, repeat=2):
        if (hidden, output) != ("tanh", "tanh") and _close(
            first, _train_loss(_train_network(hidden, output)).data, 1e-9
        ):
            return (
                "the first loss comes before any update, so the forward pass differs, not the loop: it is "
                f"the loss of a network with {named[hidden]} after its hidden layers and {named[output]} "
                "after its last; the page's applies tanh after every layer, the last one too: "
                "h = (h @ W + b).tanh()"
            )
    if _close(first, expected[0], 1e-5):
        return _precision_text("the first loss")
    return _first_loss_mistake(got, expected) or (
        "the first loss already differs: copy the weights of MLP(3, [4, 4, 1], rng=random.Random(1))"
    )


def _update_slip(got: Sequence[float], step: int) -> str:
    """Why the reader's loss at ``step`` (after a right first loss) is not the page's loop's."""
    if all(g == got[0] for g in got):
        return (
            "the loss never changes, so no update reached the tensors' data. The losses cannot tell which "
            "slip it is: the gradients zeroed between backward() and the update; p = p - 0.1 * p.grad, "
            "which only gives the name p a new tensor; or an update of p.grad instead of p.data. Zero the "
            "gradients, backward(), then p.data -= 0.1 * p.grad"
        )
    for used in _PAGE_RATES:
        if used != 0.1 and _close(got[step], _reference_train(0.1, 20, used_lr=used)[step], 1e-9):
            return f"the update uses a learning rate of {_num(used)}: the exercise's is 0.1"
    return next(
        (
            _train_mistake(variant, rate="0.1", zero_grad="p.grad = np.zeros_like(p.data)")
            for variant in _TRAIN_MISTAKES
            if variant != "zero_grad last layer"  # the page zeroes every tensor in one loop
            and _close(got[step], _reference_train(0.1, 20, variant)[step], 1e-9)
        ),
        "copy micrograd's weights (W as the transpose of the neurons' weights), then zero the "
        "gradients, backward() and p.data -= 0.1 * p.grad at every step",
    )


def _flat_targets_losses() -> tuple[float, float]:
    """The first loss with the targets of shape (4,) against outputs of shape (4, 1): NumPy
    broadcasts their difference to every output minus every target. Its sum divided by the 4
    points, as the page writes the mean, and divided by the 16 entries, as ``.mean()`` does."""
    net = _train_network()
    outs = [cast(Value, net(x)).data for x in _TRAIN_XS]
    total = sum((o - y) ** 2 for o in outs for y in _TRAIN_YS)
    return total / len(_TRAIN_YS), total / (len(outs) * len(_TRAIN_YS))
