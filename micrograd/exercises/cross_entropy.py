"""Checkers of the losses written by hand: the binary cross-entropy of *Two moons* and the
cross-entropy of *Multiclass*, built from the reader's Value operations.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from micrograd.engine import Value
from micrograd.exercises.compare import _as_float, _close, _not_a_number, _num
from micrograd.exercises.report import Check, Report, _attempt


def _loss_check(
    report: Report,
    name: str,
    mine: Callable[..., Any],
    library: Callable[..., Value],
    scores: Sequence[Any],
    targets: Sequence[int],
    variants: Sequence[tuple[Callable[..., Value], str]],
    fallback: str,
    value_class: Any = Value,
) -> bool:
    """The reader's loss on fresh values of value_class: the same loss and gradients as the library's."""

    def fresh(make: Any = Value) -> Any:
        return (
            [[make(z) for z in s] for s in scores]
            if isinstance(scores[0], list)
            else [make(s) for s in scores]
        )

    def flat(values: Any) -> list[Value]:
        return [z for s in values for z in s] if isinstance(values[0], list) else list(values)

    # What the report calls each input, in the order of flat(): the logit of a point, or a score.
    where = (
        [
            f"logits[{i}][{k}]" if len(scores) > 1 else f"logit {k}"
            for i, s in enumerate(scores)
            for k in range(len(s))
        ]
        if isinstance(scores[0], list)
        else [f"scores[{i}]" if len(scores) > 1 else "the score" for i in range(len(scores))]
    )

    mine_in, ref_in = fresh(value_class), fresh()
    ok, out = _attempt(report, name, lambda: mine(mine_in, list(targets)))
    crossed = ok and hasattr(out, "data") and not isinstance(out, value_class)
    mixed = ("not 'Value'", "use a Value, an int or a float")  # micrograd's Value met another class
    if not ok and any(text in report.checks[-1].message for text in mixed):
        report.checks.pop()
        crossed = True
    if crossed:
        own = type(out).__name__ if ok else "another value class"
        mistake = (
            f"the checker gave your loss scores of {value_class.__name__}, and it builds on {own}: "
            "pass the class your loss uses, for example value_class=MyValue"
        )
        report.checks.append(Check(name, False, f"{name}: {mistake}.", mistake))
        return False
    if not ok:
        return False
    if not hasattr(out, "backward"):
        what = _not_a_number(out) or f"{_num(out)}, a plain number"
        mistake = (
            "build the loss from your value class's operations and return it, a value whose backward() "
            "reaches the scores"
        )
        report.checks.append(
            Check(name, False, f"{name}: your function returned {what}: {mistake}.", mistake)
        )
        return False
    ref = library(ref_in, list(targets))
    got = _as_float(getattr(out, "data", out))
    if not _close(got, ref.data, 1e-9, 1e-12):
        mistake = fallback
        for variant, text in variants:
            try:
                v = variant(fresh(), list(targets)).data
            except (ArithmeticError, ValueError):
                continue
            if _close(got, v, 1e-9, 1e-12):
                mistake = text
                break
        report.checks.append(
            Check(
                name, False, f"{name} gave loss {_num(got)}, expected {_num(ref.data)}: {mistake}.", mistake
            )
        )
        return False
    ok, _ = _attempt(report, name, lambda: out.backward())
    if not ok:
        return False
    ref.backward()
    pairs = list(zip(flat(mine_in), flat(ref_in), strict=True))
    bad = [
        (w, a.grad, b.grad)
        for w, (a, b) in zip(where, pairs, strict=True)
        if not _close(a.grad, b.grad, 1e-9, 1e-12)
    ]
    if bad:
        mistake = (
            "the loss is right but its gradients are not: build it from the Value operations only, "
            "so that backward() follows every step"
        )
        if any(_as_float(g) == 0 for _, g, _ in bad):
            mistake = (
                "the loss is right but backward() does not reach every input: a part of it was computed "
                "with plain numbers (math.exp, math.log, .data), which hold no gradient; build it from "
                "the Value operations only"
            )
        which, got, want = bad[0]
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: the gradient of {which} is {_num(got)}, expected {_num(want)}: {mistake}.",
                mistake,
            )
        )
        return False
    report.checks.append(Check(name, True, f"loss {_num(ref.data)}, and the same gradients"))
    return True


def _bce_variant(kind: str) -> Callable[..., Value]:
    def loss(scores: Sequence[Value], targets: Sequence[int]) -> Value:
        total = Value(0.0)
        for s, t in zip(scores, targets, strict=True):
            p = s if kind == "logit" else (1 + (s if kind == "sign" else -s).exp()) ** -1
            term = t * p.log() if kind == "one term" else t * p.log() + (1 - t) * (1 - p).log()
            if kind == "last":
                total = Value(0.0)
            total = total + term if kind == "minus" else total - term
        return total if kind == "sum" else total / len(targets)

    return loss


def check_bce_by_hand(bce_by_hand: Callable[..., Any], value_class: Any = Value) -> Report:
    """Check exercise 3 of *Two moons*: ``bce_by_hand(scores, targets)`` with ``exp`` and ``log``.

    Args:
        bce_by_hand: The reader's mean binary cross-entropy of raw scores (Values) and
            0/1 targets, built from Value arithmetic, ``exp`` and ``log``.
        value_class: The class of the scores given to ``bce_by_hand``: micrograd's
            :class:`~micrograd.engine.Value`, or the reader's own (``MyValue``) for a loss
            built on it.

    Returns:
        A :class:`Report`: one point of each class, a batch with negative, zero and
        positive scores, and 5 random batches, each with the loss and the gradients of
        :func:`~micrograd.losses.binary_cross_entropy_with_logits`.

    Example:
        >>> print(check_bce_by_hand(_bce_variant("")).passed)
        True
    """
    from micrograd.losses import binary_cross_entropy_with_logits

    report = Report("Two moons, exercise 3: cross-entropy by hand")
    variants = [
        (_bce_variant("sum"), "the loss is the *mean* over the points: divide the sum by len(targets)"),
        (_bce_variant("minus"), "the loss is minus the log-probability: -(t log p + (1 - t) log(1 - p))"),
        # Swapping t and 1 - t gives this same loss, since 1 - sigmoid(s) = sigmoid(-s): the
        # numbers cannot tell the two slips apart, so the message names both.
        (
            _bce_variant("sign"),
            "either the minus sign before s is missing (sigmoid(s) is 1 / (1 + exp(-s))), or t and 1 - t "
            "are swapped (t multiplies log p, the log-probability of class 1): the two slips give the "
            "same loss, since 1 - sigmoid(s) = sigmoid(-s)",
        ),
        (_bce_variant("logit"), "take the log of the probability p = 1 / (1 + exp(-s)), not of the score s"),
        (
            _bce_variant("one term"),
            "a point of class 0 costs nothing: the loss has a term for each class, "
            "-(t log p + (1 - t) log(1 - p))",
        ),
        (
            _bce_variant("last"),
            "only the last point's loss is kept: add each point's loss to the total, "
            "total = total - (t * p.log() + ...)",
        ),
    ]
    rng = random.Random(0)
    batches: list[tuple[str, list[float], list[int]]] = [
        ("one point of class 1, score 0.8", [0.8], [1]),
        ("one point of class 0, score 0.8", [0.8], [0]),
        ("scores -2, 0, 1.5 with classes 0, 1, 1", [-2.0, 0.0, 1.5], [0, 1, 1]),
    ]
    for k in range(5):
        n = rng.randint(2, 6)
        batches.append(
            (
                f"random batch {k + 1}",
                [round(rng.uniform(-4, 4), 2) for _ in range(n)],
                [rng.randint(0, 1) for _ in range(n)],
            )
        )
    for name, scores, targets in batches:
        if not _loss_check(
            report,
            name,
            bce_by_hand,
            binary_cross_entropy_with_logits,
            scores,
            targets,
            variants,
            "the loss is the mean of -(t log sigmoid(s) + (1 - t) log(1 - sigmoid(s)))",
            value_class,
        ):
            break
    return report


def _ce_variant(kind: str) -> Callable[..., Value]:
    def loss(batch: Sequence[Sequence[Value]], targets: Sequence[int]) -> Value:
        total = Value(0.0)
        for logits, t in zip(batch, targets, strict=True):
            m = max(z.data for z in logits)
            lse = sum(((z - m).exp() for z in logits), Value(0.0)).log()
            if kind != "no max back":
                lse = lse + m
            if kind == "sign":
                total = total + (logits[t] - lse)
            elif kind == "first":
                total = total + (lse - logits[0])
            else:
                total = total + (lse - logits[t])
        return total if kind == "sum" else total / len(targets)

    return loss


def check_cross_entropy_by_hand(mean_cross_entropy: Callable[..., Any], value_class: Any = Value) -> Report:
    """Check exercise 3 of *Multiclass*: the mean cross-entropy of a batch, by hand.

    Args:
        mean_cross_entropy: The reader's function of a batch of logit lists (Values)
            and class indices, returning the mean cross-entropy as a Value.
        value_class: The class of the logits given to ``mean_cross_entropy``: micrograd's
            :class:`~micrograd.engine.Value`, or the reader's own (``MyValue``) for a loss
            built on it.

    Returns:
        A :class:`Report`: one point, a batch of three, a logit of 800 (which overflows
        ``exp`` unless the largest logit is subtracted first), the logits [0, 800] and
        [1, 2] together (whose second example underflows unless each example subtracts its
        own largest logit), and 5 random batches, each with the loss and the gradients of
        :func:`~micrograd.losses.cross_entropy`.

    Example:
        >>> print(check_cross_entropy_by_hand(_ce_variant("")).passed)
        True
    """
    from micrograd.losses import cross_entropy

    report = Report("Multiclass, exercise 3: cross-entropy by hand")
    variants = [
        (_ce_variant("sum"), "the loss is the *mean* over the batch: divide the sum by len(targets)"),
        (
            _ce_variant("sign"),
            "cross-entropy is minus the log-probability of the true class: log(sum(exp(z))) - z[target]",
        ),
        (_ce_variant("first"), "take the logit of each point's own class, logits[target], not the first one"),
        (
            _ce_variant("no max back"),
            "the loss is short by the largest logit m: after subtracting m inside the exp, add it back, "
            "log(sum(exp(z))) = m + log(sum(exp(z - m)))",
        ),
    ]
    rng = random.Random(0)
    batches: list[tuple[str, list[list[float]], list[int]]] = [
        ("logits [2, 1, -1], class 0", [[2.0, 1.0, -1.0]], [0]),
        ("a batch of three", [[2.0, 1.0, -1.0], [0.0, 0.5, 0.1], [-1.0, 3.0, 0.0]], [0, 2, 1]),
        ("logits [0, 800], class 0", [[0.0, 800.0]], [0]),
        # One m for the whole batch gives the same loss, unless an example's logits are all far
        # below the batch's largest: here every exp of [1, 2] underflows to 0.
        ("logits [0, 800] and [1, 2], classes 1 and 0", [[0.0, 800.0], [1.0, 2.0]], [1, 0]),
    ]
    for k in range(5):
        n, c = rng.randint(1, 5), rng.randint(2, 4)
        batches.append(
            (
                f"random batch {k + 1}",
                [[round(rng.uniform(-3, 3), 2) for _ in range(c)] for _ in range(n)],
                [rng.randrange(c) for _ in range(n)],
            )
        )
    for name, logits, targets in batches:
        try:
            passed = _loss_check(
                report,
                name,
                mean_cross_entropy,
                cross_entropy,
                logits,
                targets,
                variants,
                "the loss is the mean over the batch of log(sum(exp(z))) - z[target]",
                value_class,
            )
        except OverflowError:
            passed = False
        if passed:
            continue
        last = report.checks[-1] if report.checks else None
        if last is not None and not last.passed and " stopped" in last.message:
            found = _stopped_mistake(mean_cross_entropy, value_class, logits, targets, batches[1])
            if found is not None:
                what, mistake = found
                report.checks[-1] = Check(name, False, f"{name} stopped with {what}: {mistake}.", mistake)
        break
    return report


def _stopped_mistake(
    mean_cross_entropy: Callable[..., Any],
    value_class: Any,
    logits: list[list[float]],
    targets: list[int],
    batch_of_three: tuple[str, list[list[float]], list[int]],
) -> tuple[str, str] | None:
    """What the reader's loss raised on these logits and the mistake it shows, or ``None``.

    On a logit of 800, an exp overflowed, or underflowed to 0 and went into a log; on one
    example, a division by zero is a mean over one example less, if the batch of three says so.
    """
    from micrograd.losses import cross_entropy

    def loss(batch: list[list[float]], classes: list[int]) -> Any:
        return mean_cross_entropy([[value_class(z) for z in row] for row in batch], list(classes))

    extreme = any(abs(z) >= 800 for row in logits for z in row)
    try:
        loss(logits, targets)
    except OverflowError:
        if extreme:
            return "an OverflowError", (
                "exp(800) overflows a float: subtract the largest logit m first, "
                "log(sum(exp(z))) = m + log(sum(exp(z - m)))"
            )
    except ValueError:  # the log of an exp that underflowed to 0
        if extreme and len(logits) == 1:
            return "a ValueError from log", (
                "p_y underflowed to 0, and log 0 is undefined: compute m + log(sum(exp(z - m))) - z[target], "
                "not -log p_y"
            )
        if extreme:
            return "a ValueError from log", (
                "with one m for the whole batch, every exp of [1, 2] underflows to 0 (e^(2 - 800)): "
                "subtract each example's own largest logit, m = max(z.data for z in logits)"
            )
    except ZeroDivisionError:
        _, batch, classes = batch_of_three
        n = len(classes)
        try:
            got = _as_float(loss(batch, classes).data)
        except Exception:  # the reader's code may raise anything: no finding, then
            return None
        mean = cross_entropy([[Value(z) for z in row] for row in batch], classes).data
        if len(targets) == 1 and _close(got, mean * n / (n - 1), 1e-9, 1e-12):
            return "a ZeroDivisionError", (
                "the mean divides by len(targets), not len(targets) - 1, which is 0 for one example"
            )
    except Exception:  # anything else the reader's code raised is described already
        return None
    return None
