"""Loss functions: one number that says how wrong a batch of predictions is.

Each function takes a batch (a sequence with one entry per sample) of
:class:`~micrograd.engine.Value` objects or plain numbers, computes one loss per
sample and reduces them like PyTorch's ``torch.nn.functional``: ``"mean"`` (the
default), ``"sum"``, or ``"none"`` for the list of per-sample losses. Calling
:meth:`~micrograd.engine.Value.backward` on the result fills in the gradient of
every Value that went in, targets included.

:func:`mse_loss` and :func:`hinge_loss` are written with the engine's ordinary
operations, so their graphs show each step. :func:`binary_cross_entropy_with_logits`
and :func:`cross_entropy` are a single node per sample that records its local
derivatives directly (``sigmoid(z) - y`` and ``softmax(z) - onehot(y)``): built from
``exp`` and ``log`` they would overflow for large logits or round a small loss to
zero; computed as one node they are accurate to the last digits for any finite logit.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from typing import Literal, SupportsIndex, TypeGuard, overload

from micrograd.engine import Number, Value, _Constant, _is_number, _short_repr, _sigmoid

Reduction = Literal["mean", "sum", "none"]
"""How per-sample losses are combined, as their mean, their sum, or not at all (a list)."""

_REDUCTIONS = ("mean", "sum", "none")


# -- regression ---------------------------------------------------------------------


@overload
def mse_loss(
    predictions: Iterable[Value | Number],
    targets: Iterable[Value | Number],
    reduction: Literal["mean", "sum"] = ...,
) -> Value: ...
@overload
def mse_loss(
    predictions: Iterable[Value | Number],
    targets: Iterable[Value | Number],
    reduction: Literal["none"],
) -> list[Value]: ...
def mse_loss(
    predictions: Iterable[Value | Number],
    targets: Iterable[Value | Number],
    reduction: Reduction = "mean",
) -> Value | list[Value]:
    """Mean squared error: the average of ``(prediction - target) ** 2``.

    Like ``torch.nn.functional.mse_loss``.

    Args:
        predictions: One prediction per sample.
        targets: One target per sample, as many as ``predictions``. Targets that
            are Values get gradients too.
        reduction: ``"mean"``, ``"sum"``, or ``"none"`` for the list of squared errors.

    Returns:
        The reduced loss, a single :class:`~micrograd.engine.Value`; with
        ``reduction="none"``, a list with one Value per sample.

    Raises:
        TypeError: If an input is not a sequence of Values and numbers.
        ValueError: If the batch is empty, the lengths differ, a number is not
            finite, or ``reduction`` is unknown.

    Example:
        >>> p = [Value(2.0), Value(0.0)]
        >>> loss = mse_loss(p, [1.0, 1.0])
        >>> loss
        Value(data=1.0, grad=0)
        >>> loss.backward()
        >>> [v.grad for v in p]  # d/dp of mean((p - t)**2) = 2 * (p - t) / 2
        [1.0, -1.0]
    """
    where = "mse_loss()"
    _check_reduction(reduction, where)
    preds, targs = _batch(predictions, targets, where, "predictions", "targets")
    losses = [(p - t) ** 2 for p, t in zip(preds, targs, strict=True)]
    return _reduce(losses, reduction)


# -- binary classification ----------------------------------------------------------


@overload
def hinge_loss(
    scores: Iterable[Value | Number],
    labels: Iterable[Value | Number],
    reduction: Literal["mean", "sum"] = ...,
) -> Value: ...
@overload
def hinge_loss(
    scores: Iterable[Value | Number],
    labels: Iterable[Value | Number],
    reduction: Literal["none"],
) -> list[Value]: ...
def hinge_loss(
    scores: Iterable[Value | Number],
    labels: Iterable[Value | Number],
    reduction: Reduction = "mean",
) -> Value | list[Value]:
    """Max-margin (hinge) loss: the average of ``relu(1 - label * score)``.

    The loss of the classic micrograd's two-moons demo. A sample costs nothing once
    its score has the label's sign with a margin of at least 1, so training stops
    pushing on points that are already classified well.

    Args:
        scores: One raw score per sample; its sign is the predicted class.
        labels: One label per sample, each ``-1`` or ``1``.
        reduction: ``"mean"``, ``"sum"``, or ``"none"`` for the list of per-sample losses.

    Returns:
        The reduced loss, a single :class:`~micrograd.engine.Value`; with
        ``reduction="none"``, a list with one Value per sample.

    Raises:
        TypeError: If an input is not a sequence of Values and numbers.
        ValueError: If the batch is empty, the lengths differ, a label is not
            ``-1`` or ``1``, or ``reduction`` is unknown.

    Example:
        >>> s = [Value(2.0), Value(0.5), Value(-1.0)]
        >>> losses = hinge_loss(s, [1, 1, 1], reduction="none")
        >>> [v.data for v in losses]  # margin met, margin missed, wrong side
        [0.0, 0.5, 2.0]
        >>> loss = hinge_loss(s, [1, 1, 1], reduction="sum")
        >>> loss.backward()
        >>> [v.grad for v in s]
        [0.0, -1.0, -1.0]
    """
    where = "hinge_loss()"
    _check_reduction(reduction, where)
    scores_, labels_ = _batch(scores, labels, where, "scores", "labels")
    for i, y in enumerate(labels_):
        if y.data not in (-1.0, 1.0):
            raise ValueError(f"{where}: labels must be -1 or 1, got labels[{i}] = {y.data!r}")
    losses = [(1 - y * s).relu() for s, y in zip(scores_, labels_, strict=True)]
    return _reduce(losses, reduction)


@overload
def binary_cross_entropy_with_logits(
    logits: Iterable[Value | Number],
    targets: Iterable[Value | Number],
    reduction: Literal["mean", "sum"] = ...,
) -> Value: ...
@overload
def binary_cross_entropy_with_logits(
    logits: Iterable[Value | Number],
    targets: Iterable[Value | Number],
    reduction: Literal["none"],
) -> list[Value]: ...
def binary_cross_entropy_with_logits(
    logits: Iterable[Value | Number],
    targets: Iterable[Value | Number],
    reduction: Reduction = "mean",
) -> Value | list[Value]:
    """Binary cross-entropy of ``sigmoid(logit)`` against a target probability.

    Like ``torch.nn.functional.binary_cross_entropy_with_logits``: per sample,
    ``-(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z)))``, computed as
    ``(1 - y) * z + log1p(exp(-z))`` for ``z >= 0`` and ``-y * z + log1p(exp(z))``
    for ``z < 0``: no step overflows or takes ``log(0)``, and both terms are
    non-negative, so nothing cancels. A logit of ``1000`` or ``-1000`` gives the
    exact loss and gradient, and a tiny loss keeps all its digits. Each sample is one
    node whose local derivatives are ``sigmoid(z) - y`` for the logit and ``-z`` for
    the target.

    Args:
        logits: One raw score ``z`` per sample (any real number; the model's
            output before a sigmoid).
        targets: One target ``y`` per sample, in ``[0, 1]``: the class ``0`` or
            ``1``, or a probability.
        reduction: ``"mean"``, ``"sum"``, or ``"none"`` for the list of per-sample losses.

    Returns:
        The reduced loss, a single :class:`~micrograd.engine.Value`; with
        ``reduction="none"``, a list with one Value per sample.

    Raises:
        TypeError: If an input is not a sequence of Values and numbers.
        ValueError: If the batch is empty, the lengths differ, a target is
            outside ``[0, 1]``, or ``reduction`` is unknown.

    Example:
        >>> z = [Value(0.0), Value(1000.0)]
        >>> loss = binary_cross_entropy_with_logits(z, [1, 0], reduction="sum")
        >>> round(loss.data, 4)  # log(2) for the unsure sample, 1000 for the sure mistake
        1000.6931
        >>> loss.backward()
        >>> [v.grad for v in z]  # sigmoid(z) - y
        [-0.5, 1.0]
    """
    where = "binary_cross_entropy_with_logits()"
    _check_reduction(reduction, where)
    logits_, targets_ = _batch(logits, targets, where, "logits", "targets")
    for i, y in enumerate(targets_):
        if not 0.0 <= y.data <= 1.0:
            raise ValueError(f"{where}: targets must be in [0, 1], got targets[{i}] = {y.data!r}")
    losses = []
    for z, y in zip(logits_, targets_, strict=True):
        zd, yd = z.data, y.data
        linear = (1.0 - yd) * zd if zd >= 0 else -yd * zd
        loss = linear + math.log1p(math.exp(-abs(zd)))
        losses.append(Value(loss, (z, y), "bce_with_logits", (_sigmoid(zd) - yd, -zd)))
    return _reduce(losses, reduction)


# -- multi-class classification -----------------------------------------------------


def softmax(logits: Iterable[Value | Number]) -> list[Value]:
    """Turn one sample's class scores into probabilities that sum to 1.

    ``softmax(z)[i] = exp(z[i]) / sum(exp(z[j]) for j)``, computed after subtracting
    ``max(z)`` (which leaves the result unchanged), so no ``exp`` overflows. Each
    output is one node with a child per logit and local derivatives
    ``d(s[i])/d(z[j]) = s[i] * ((i == j) - s[j])``.

    For training, use :func:`cross_entropy` on the logits rather than the log of
    these probabilities: it is exact where ``log(softmax(z))`` underflows.

    Args:
        logits: The scores of one sample, one per class.

    Returns:
        One :class:`~micrograd.engine.Value` per class, each in ``[0, 1]``.

    Raises:
        TypeError: If ``logits`` is not a sequence of Values and numbers.
        ValueError: If ``logits`` is empty or holds a non-finite number.

    Example:
        >>> probs = softmax([Value(1.0), Value(1.0), Value(1000.0)])
        >>> [round(p.data, 4) for p in probs]
        [0.0, 0.0, 1.0]
        >>> z = [Value(0.0), Value(0.0)]
        >>> p = softmax(z)
        >>> p[0].backward()
        >>> [v.grad for v in z]  # 0.5 * (1 - 0.5) and -0.5 * 0.5
        [0.25, -0.25]
    """
    where = "softmax()"
    z = _values(logits, where, "logits")
    if not z:
        raise ValueError(f"{where} needs at least one logit, got an empty sequence")
    probs = _softmax_data([v.data for v in z])
    children = tuple(z)
    return [
        Value(p_i, children, "softmax", tuple(p_i * (float(i == j) - p_j) for j, p_j in enumerate(probs)))
        for i, p_i in enumerate(probs)
    ]


@overload
def cross_entropy(
    logits: Iterable[Iterable[Value | Number]],
    targets: Iterable[int],
    reduction: Literal["mean", "sum"] = ...,
) -> Value: ...
@overload
def cross_entropy(
    logits: Iterable[Iterable[Value | Number]],
    targets: Iterable[int],
    reduction: Literal["none"],
) -> list[Value]: ...
def cross_entropy(
    logits: Iterable[Iterable[Value | Number]],
    targets: Iterable[int],
    reduction: Reduction = "mean",
) -> Value | list[Value]:
    """Softmax cross-entropy for several classes: ``-log(softmax(z)[target])``.

    Like ``torch.nn.functional.cross_entropy`` with class-index targets. Per sample
    the loss is ``logsumexp(z) - z[target]``, computed with the log-sum-exp trick
    (subtract ``max(z)`` before ``exp``, and ``log1p`` for the rest), so large
    logits do not overflow and a small loss keeps its digits. Each sample is one
    node with a child per logit and local derivatives ``softmax(z) - onehot(target)``.

    Args:
        logits: One sequence of class scores per sample, every sample with the
            same number of classes.
        targets: The correct class of each sample, an ``int`` in
            ``range(number_of_classes)``.
        reduction: ``"mean"``, ``"sum"``, or ``"none"`` for the list of per-sample losses.

    Returns:
        The reduced loss, a single :class:`~micrograd.engine.Value`; with
        ``reduction="none"``, a list with one Value per sample.

    Raises:
        TypeError: If ``logits`` is not a sequence of sequences of Values and
            numbers, or a target is not an integer.
        ValueError: If the batch or a sample is empty, the lengths differ, samples
            have different numbers of classes, a class index is out of range, or
            ``reduction`` is unknown.

    Example:
        >>> z = [Value(2.0), Value(2.0), Value(-1000.0)]
        >>> loss = cross_entropy([z], [0])
        >>> round(loss.data, 4)  # log(2): two classes equally likely, the third impossible
        0.6931
        >>> loss.backward()
        >>> [v.grad for v in z]  # softmax - onehot
        [-0.5, 0.5, 0.0]
    """
    where = "cross_entropy()"
    _check_reduction(reduction, where)
    rows = _rows(logits, where)
    classes = _class_indices(targets, where)
    if not rows:
        raise ValueError(f"{where} needs at least one sample, got empty logits")
    if len(rows) != len(classes):
        raise ValueError(f"{where}: got {len(rows)} samples of logits but {len(classes)} targets")
    num_classes = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != num_classes:
            raise ValueError(
                f"{where}: every sample needs the same number of logits; "
                f"logits[0] has {num_classes}, logits[{i}] has {len(row)}"
            )
    if num_classes == 0:
        raise ValueError(f"{where} needs at least one class, got empty samples")
    for i, k in enumerate(classes):
        if not 0 <= k < num_classes:
            raise ValueError(f"{where}: targets[{i}] = {k} is not a class index in range({num_classes})")
    losses = []
    for row, k in zip(rows, classes, strict=True):
        z = [v.data for v in row]
        top = max(range(num_classes), key=z.__getitem__)
        m = z[top]
        exps = [math.exp(zj - m) for zj in z]
        # The sum of the exps is 1 (the top class) + rest: log1p(rest) keeps the digits
        # of a small loss that log(1 + rest) would round away.
        rest = math.fsum(e for j, e in enumerate(exps) if j != top)
        loss = (m - z[k]) + math.log1p(rest)
        total = 1.0 + rest
        local = tuple(e / total - float(j == k) for j, e in enumerate(exps))
        losses.append(Value(loss, tuple(row), "cross_entropy", local))
    return _reduce(losses, reduction)


# -- helpers ------------------------------------------------------------------------


def _check_reduction(reduction: object, where: str) -> None:
    if reduction not in _REDUCTIONS:
        choices = ", ".join(repr(r) for r in _REDUCTIONS)
        raise ValueError(f"{where}: unknown reduction {reduction!r}; choose one of {choices}")


def _reduce(losses: list[Value], reduction: Reduction) -> Value | list[Value]:
    """Combine per-sample losses into one node (or none), as ``reduction`` says."""
    if reduction == "none":
        return losses
    # One node with a child per sample, rather than a chain of n additions: the
    # graph stays shallow and a drawing of it stays readable.
    try:
        total = math.fsum(v.data for v in losses)
    except OverflowError:  # fsum's own message, "intermediate overflow in fsum", says little
        largest = max(losses, key=lambda v: abs(v.data))
        raise OverflowError(
            f"the {reduction} of the {len(losses)} per-sample losses overflows the range of a float "
            f"(the largest is {largest.data!r})"
        ) from None
    n = len(losses)
    if reduction == "sum":
        return Value(total, tuple(losses), "sum", (1.0,) * n)
    return Value(total / n, tuple(losses), "mean", (1.0 / n,) * n)


def _batch(
    first: object, second: object, where: str, first_name: str, second_name: str
) -> tuple[list[Value], list[Value]]:
    """Both batches as lists of Values, checked to be non-empty and of equal length."""
    a = _values(first, where, first_name)
    b = _values(second, where, second_name)
    if not a:
        raise ValueError(f"{where} needs at least one sample, got empty {first_name}")
    if len(a) != len(b):
        raise ValueError(f"{where}: got {len(a)} {first_name} but {len(b)} {second_name}")
    return a, b


def _values(xs: object, where: str, name: str) -> list[Value]:
    """``xs`` as a list of Values (numbers become constants), or a clear error."""
    if not _is_batch(xs):
        raise TypeError(
            f"{where}: {name} must be a sequence (one entry per sample), got {_describe(xs)}; "
            f"for a single sample, wrap it in a list"
        )
    return [_value(x, where, f"{name}[{i}]") for i, x in enumerate(xs)]


def _value(x: object, where: str, name: str) -> Value:
    if isinstance(x, Value):
        return x
    if not _is_number(x):
        raise TypeError(f"{where}: {name} must be a Value or a number, got {_describe(x)}")
    try:
        data = float(x)
    except OverflowError:
        raise ValueError(f"{where}: {name} is too large for a float, got {_short_repr(x)}") from None
    if not math.isfinite(data):
        raise ValueError(f"{where}: {name} must be finite, got {x!r}")
    return _Constant(data)


def _rows(logits: object, where: str) -> list[list[Value]]:
    """The logits of :func:`cross_entropy` as one list of Values per sample."""
    if not _is_batch(logits):
        raise TypeError(
            f"{where}: logits must be a sequence with one sequence of class scores per sample, "
            f"got {_describe(logits)}"
        )
    rows = []
    for i, row in enumerate(logits):
        if not _is_batch(row):
            raise TypeError(
                f"{where}: logits[{i}] must be a sequence of class scores, got {_describe(row)}; "
                f"for a single sample, pass [logits] and [target]"
            )
        rows.append(_values(row, where, f"logits[{i}]"))
    return rows


def _class_indices(targets: object, where: str) -> list[int]:
    if not _is_batch(targets):
        raise TypeError(
            f"{where}: targets must be a sequence of class indices, one per sample, got {_describe(targets)}"
        )
    classes = []
    for i, k in enumerate(targets):
        # SupportsIndex rather than int, so that NumPy integers work too; a float does not.
        if not isinstance(k, SupportsIndex) or isinstance(k, bool):
            raise TypeError(f"{where}: targets[{i}] must be an int class index, got {_describe(k)}")
        classes.append(operator.index(k))
    return classes


def _is_batch(x: object) -> TypeGuard[Iterable[object]]:
    """Whether ``x`` can be a batch: a list, tuple, NumPy array... but not a string."""
    return isinstance(x, Iterable) and not isinstance(x, (Value, str, bytes))


def _describe(x: object) -> str:
    if isinstance(x, Value):
        return f"Value(data={x.data!r})"
    return f"{_short_repr(x)} ({type(x).__name__})"


def _softmax_data(z: list[float]) -> list[float]:
    m = max(z)
    exps = [math.exp(zj - m) for zj in z]
    total = math.fsum(exps)
    return [e / total for e in exps]
