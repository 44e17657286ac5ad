"""Check the gradients of a function against central differences, like ``torch.autograd.gradcheck``.

:meth:`~micrograd.engine.Value.backward` computes derivatives from the local
derivatives that each operation records (the *analytic* gradient). A derivative can
also be estimated from the function's values alone, by nudging one input a little
either way and measuring the change (the *numeric* gradient):

.. code-block:: text

    df/dx ~ (f(x + eps) - f(x - eps)) / (2 * eps)

The two are computed in completely different ways, so when they agree the recorded
local derivatives are right. :func:`gradcheck` does this for every input and reports
the worst disagreement. Use it whenever you write a new operation.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from micrograd.engine import Number, Value, _is_number, _short_repr


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when an analytic gradient disagrees with the numeric one.

    A subclass of :class:`AssertionError`, because a failed gradient check is a failed
    assertion about your code: in a test, ``gradcheck(f, inputs)`` fails the test with
    the message below, as an ``assert`` would.

    Args:
        message: What disagrees: each failing input with both gradients, then the table.
        result: The full result of the check.

    Attributes:
        result (GradcheckResult): The :class:`GradcheckResult` of the failed check.

    Example:
        >>> def wrong_square(x):  # records d(x*x)/dx as x instead of 2*x
        ...     return Value(x.data * x.data, (x,), "square", (x.data,))
        >>> try:
        ...     gradcheck(wrong_square, [3.0])
        ... except GradcheckError as err:
        ...     print(str(err).splitlines()[0])
        gradcheck failed for inputs[0] = 3.0: analytic gradient 3, numeric 6
        (error 3 > tolerance 0.00601)
    """

    def __init__(self, message: str, result: GradcheckResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class GradcheckResult:
    """What :func:`gradcheck` measured: both gradients of every input and how far apart they are.

    True in a boolean context exactly when the check passed, so ``assert
    gradcheck(f, inputs, raise_exception=False)`` works. ``print()`` it for a table.

    Input ``i`` passes when ``abs(analytic[i] - numeric[i]) <= atol + rtol *
    abs(numeric[i])``, the rule of ``torch.allclose``.

    Attributes:
        ok (bool): Whether every input passed.
        max_abs_error (float): The largest ``abs(analytic[i] - numeric[i])``.
        max_rel_error (float): The largest relative error
            ``abs(analytic[i] - numeric[i]) / max(abs(analytic[i]), abs(numeric[i]))``
            (``0`` where both are ``0``).
        analytic (tuple[float, ...]): The gradient with respect to each input, from ``backward()``.
        numeric (tuple[float, ...]): The gradient with respect to each input, from central differences.
        inputs (tuple[float, ...]): The point where the gradients were taken.
        eps (float): The step of the central differences.
        atol (float): The absolute tolerance.
        rtol (float): The relative tolerance.
        notes (tuple[str, ...]): For each input, an explanation of a failure when one was found
            (for example, that ``fn`` has a kink there), else ``""``.

    Example:
        >>> result = gradcheck(lambda x, y: x * y + x * x, [2.0, -3.0])
        >>> result.ok, result.analytic
        (True, (1.0, 2.0))
        >>> print(result)
        gradcheck passed: 2 inputs, eps=1e-06, atol=1e-05, rtol=0.001
          input          value       analytic        numeric    abs error    rel error
              0              2              1              1      1.1e-10      1.1e-10
              1             -3              2              2      0.0e+00      0.0e+00
    """

    ok: bool
    max_abs_error: float
    max_rel_error: float
    analytic: tuple[float, ...]
    numeric: tuple[float, ...]
    inputs: tuple[float, ...]
    eps: float
    atol: float
    rtol: float
    notes: tuple[str, ...]

    def __bool__(self) -> bool:
        return self.ok

    @property
    def failed(self) -> tuple[int, ...]:
        """The indices of the inputs whose gradients disagree beyond the tolerance."""
        return tuple(
            i
            for i, (a, n) in enumerate(zip(self.analytic, self.numeric, strict=True))
            if not _within_tolerance(a, n, self.atol, self.rtol)
        )

    def __str__(self) -> str:
        failed = set(self.failed)
        if self.ok:
            verdict = f"passed: {_count(len(self.inputs), 'input')}"
        else:
            verdict = f"FAILED for {len(failed)} of {_count(len(self.inputs), 'input')}"
        lines = [
            f"gradcheck {verdict}, eps={self.eps!r}, atol={self.atol!r}, rtol={self.rtol!r}",
            f"  {'input':>5}  {'value':>13}  {'analytic':>13}  {'numeric':>13}  {'abs error':>11}  "
            f"{'rel error':>11}",
        ]
        for i, (x, a, n) in enumerate(zip(self.inputs, self.analytic, self.numeric, strict=True)):
            mark = "  <-- FAIL" if i in failed else ""
            lines.append(
                f"  {i:>5}  {x:>13.6g}  {a:>13.6g}  {n:>13.6g}  {abs(a - n):>11.1e}  "
                f"{_relative_error(a, n):>11.1e}{mark}"
            )
        for i, note in enumerate(self.notes):
            if note:
                lines.extend(
                    textwrap.wrap(  # 88 columns: as wide as the table above
                        note, 88, initial_indent=f"  note on inputs[{i}]: ", subsequent_indent="    "
                    )
                )
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show the table when a result is the last expression of a Jupyter cell."""
        printer.text(str(self))


def gradcheck(
    fn: Callable[..., Value],
    inputs: Sequence[Number],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> GradcheckResult:
    """Compare the gradients ``backward()`` computes for ``fn`` with central differences.

    Like ``torch.autograd.gradcheck``, with the same defaults. ``fn`` is called once
    on fresh leaf Values holding ``inputs`` and differentiated with
    :meth:`~micrograd.engine.Value.backward` (the analytic gradients), and twice more
    per input, with that input moved by ``+eps`` and ``-eps`` (the numeric gradients:
    the change in the output divided by the distance between the two points).
    Input ``i`` passes when ``abs(analytic[i] - numeric[i]) <= atol + rtol *
    abs(numeric[i])``.

    The check fails at a point where ``fn`` is not differentiable, such as ``relu``
    at exactly ``0``: the two one-sided slopes differ, and no single number is "the"
    derivative. The failure then says so; check at a point away from the kink.

    The ``backward()`` call also adds to the gradient of any other leaf that ``fn``
    uses, such as the parameters of a model it calls; zero them afterwards if that
    matters.

    Args:
        fn: A function of one :class:`~micrograd.engine.Value` per input that
            returns a single Value.
        inputs: The point to check at, one number per argument of ``fn``.
        eps: The step of the central differences, positive. Smaller steps shrink
            the error of the difference formula but magnify rounding error;
            ``1e-6`` balances the two for typical float64 functions.
        atol: The absolute tolerance, non-negative.
        rtol: The relative tolerance, non-negative.
        raise_exception: Raise :class:`GradcheckError` on a failure (the default),
            rather than return a result whose ``ok`` is ``False``.

    Returns:
        A :class:`GradcheckResult`, true when every gradient passed.

    Raises:
        GradcheckError: If a gradient disagrees and ``raise_exception`` is true.
            The message names each failing input with both gradients.
        TypeError: If ``inputs`` holds something other than numbers, or ``fn``
            does not return a Value.
        ValueError: If ``inputs`` is empty or not finite, a tolerance is out of
            range, or ``fn`` raises at a nudged point (the point is within ``eps``
            of the edge of ``fn``'s domain). An exception that ``fn`` raises at
            ``inputs`` itself propagates unchanged.

    Example:
        >>> def f(x, y):
        ...     return (x * y).tanh() + x.exp()
        >>> result = gradcheck(f, [0.5, -1.0])
        >>> result.ok, result.max_abs_error < 1e-8
        (True, True)
        >>> def wrong_square(x):  # a custom op with a wrong local derivative
        ...     return Value(x.data * x.data, (x,), "square", (x.data,))
        >>> bool(gradcheck(wrong_square, [3.0], raise_exception=False))
        False
    """
    point = _check_inputs(inputs)
    eps = _check_tolerance(eps, "eps", positive=True)
    atol = _check_tolerance(atol, "atol")
    rtol = _check_tolerance(rtol, "rtol")

    leaves = [Value(x) for x in point]
    out = _as_output(fn(*leaves))
    out.backward()
    analytic = tuple(float(v.grad) for v in leaves)
    f0 = out.data

    numeric = []
    for i, x in enumerate(point):
        up, down = x + eps, x - eps
        if up == down:
            raise ValueError(
                f"gradcheck(): eps={eps!r} is too small to change inputs[{i}] = {x!r} in floating point; "
                f"use a larger eps"
            )
        numeric.append((_output_at(fn, point, i, up) - _output_at(fn, point, i, down)) / (up - down))

    pairs = list(zip(analytic, numeric, strict=True))
    passed = [_within_tolerance(a, n, atol, rtol) for a, n in pairs]
    notes = [
        "" if ok else _diagnose(fn, point, i, f0, eps, atol + rtol * abs(n))
        for i, (ok, (_, n)) in enumerate(zip(passed, pairs, strict=True))
    ]
    result = GradcheckResult(
        ok=all(passed),
        max_abs_error=max(abs(a - n) for a, n in pairs),
        max_rel_error=max(_relative_error(a, n) for a, n in pairs),
        analytic=analytic,
        numeric=tuple(numeric),
        inputs=point,
        eps=eps,
        atol=atol,
        rtol=rtol,
        notes=tuple(notes),
    )
    if not result.ok and raise_exception:
        raise GradcheckError(_failure_message(result), result)
    return result


# -- helpers ------------------------------------------------------------------------


def _within_tolerance(analytic: float, numeric: float, atol: float, rtol: float) -> bool:
    return abs(analytic - numeric) <= atol + rtol * abs(numeric)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _relative_error(a: float, n: float) -> float:
    scale = max(abs(a), abs(n))
    return abs(a - n) / scale if scale > 0 else 0.0


def _output_at(fn: Callable[..., Value], point: tuple[float, ...], i: int, xi: float) -> float:
    """``fn`` at ``point`` with input ``i`` replaced by ``xi``, as a float."""
    args = [Value(xi if j == i else x) for j, x in enumerate(point)]
    try:
        out = fn(*args)
    except Exception as err:
        raise ValueError(
            f"gradcheck(): fn raised {type(err).__name__} with inputs[{i}] nudged to {xi!r} "
            f"({err}); the point is within eps of the edge of fn's domain: move it or use a smaller eps"
        ) from err
    return _as_output(out).data


def _as_output(out: object) -> Value:
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck(): fn must return a Value, got {out!r} ({type(out).__name__})")
    return out


def _diagnose(
    fn: Callable[..., Value], point: tuple[float, ...], i: int, f0: float, eps: float, tolerance: float
) -> str:
    """Explain a failure at input ``i`` if ``fn`` has a kink there, else return ``""``.

    At a kink the slopes from the left and from the right differ by a jump that stays
    the same when the step grows; for a smooth function they differ by about
    ``step * f''``, which grows with the step.
    """
    jumps = []
    for h in (eps, 10 * eps):
        try:
            right = (_output_at(fn, point, i, point[i] + h) - f0) / h
            left = (f0 - _output_at(fn, point, i, point[i] - h)) / h
        except ValueError:
            return ""
        jumps.append((left, right, right - left))
    left, right, jump = jumps[0]
    if abs(jump) > tolerance and abs(jumps[1][2]) < 2 * abs(jump):
        return (
            f"fn looks non-differentiable at inputs[{i}] = {point[i]!r}: its slope is {left:.6g} from the "
            f"left and {right:.6g} from the right; check at a point away from the kink"
        )
    return ""


def _failure_message(result: GradcheckResult) -> str:
    lines = []
    for i in result.failed:
        a, n = result.analytic[i], result.numeric[i]
        lines.append(
            f"gradcheck failed for inputs[{i}] = {result.inputs[i]!r}: analytic gradient {a:.6g}, "
            f"numeric {n:.6g} (error {abs(a - n):.3g} > tolerance {result.atol + result.rtol * abs(n):.3g})"
        )
    return "\n".join([*lines, "", str(result)])


def _check_inputs(inputs: object) -> tuple[float, ...]:
    if isinstance(inputs, (Value, str)) or not isinstance(inputs, Sequence):
        raise TypeError(
            f"gradcheck(): inputs must be a sequence of numbers, one per argument of fn, got {inputs!r}"
        )
    point = []
    for i, x in enumerate(inputs):
        if not _is_number(x):
            hint = "; pass numbers: gradcheck makes its own Values" if isinstance(x, Value) else ""
            raise TypeError(
                f"gradcheck(): inputs[{i}] must be a number, got {x!r} ({type(x).__name__}){hint}"
            )
        try:
            number = float(x)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ValueError(f"gradcheck(): inputs[{i}] must be finite, got {_short_repr(x)}")
        point.append(number)
    if not point:
        raise ValueError("gradcheck() needs at least one input, got an empty sequence")
    return tuple(point)


def _check_tolerance(value: object, name: str, *, positive: bool = False) -> float:
    if not _is_number(value):
        raise TypeError(f"gradcheck(): {name} must be a number, got {value!r}")
    kind = "positive" if positive else "non-negative"
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x) or x < 0 or (positive and x == 0):
        raise ValueError(f"gradcheck(): {name} must be a finite {kind} number, got {_short_repr(value)}")
    return x
