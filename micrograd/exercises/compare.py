"""How close the reader's numbers must be to the right ones, and how a report writes them."""

from __future__ import annotations

import math
from collections.abc import Sequence

# How close the reader's numbers must be to the reference. The reader's engine may add
# in another order than ours, which changes the last bits; nothing a mistake produces
# is that close.
_RTOL = 1e-7
_ATOL = 1e-9


def _relative_gap(got: float, expected: float) -> float:
    if math.isnan(got):
        return math.inf
    return abs(got - expected) / max(1.0, abs(expected))


def _close(got: object, expected: float, rtol: float = _RTOL, atol: float = _ATOL) -> bool:
    try:
        g = float(got)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(g) and math.isclose(g, expected, rel_tol=rtol, abs_tol=atol)


def _num(x: object) -> str:
    """A number as a learner would write it: 2 rather than 2.0, at most 6 significant digits."""
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(x)
    if f == 0:
        return "0"
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return f"{f:.6g}"


def _as_float(x: object) -> float:
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _same_numbers(got: Sequence[float], want: Sequence[float]) -> bool:
    return len(got) == len(want) and all(_close(g, w) for g, w in zip(got, want, strict=True))


def _nums(xs: Sequence[object]) -> str:
    """Numbers as a learner writes a list of them: ``[0.95, -1.7, 0.3]``, without quotes."""
    return f"[{', '.join(_num(x) for x in xs)}]"


def _not_a_number(x: object) -> str | None:
    """What ``x`` is when it is not a number, with what to do about it, else ``None``.

    A value stored where a number belongs would otherwise be read as nan, which hides the cause.

    Example:
        >>> print(_not_a_number(None))
        None (did a function end without return? Printing a number does not return it)
        >>> from micrograd import Value
        >>> print(_not_a_number(Value(2.0)))
        a Value, not a number (its number is in .data)
        >>> _not_a_number(0.5) is None
        True
    """
    if x is None:
        return "None (did a function end without return? Printing a number does not return it)"
    if x is Ellipsis:
        return "..., the placeholder: replace it with your answer"
    if isinstance(x, str):
        return f"the text {x!r}, not a number: give the number itself"
    if not math.isnan(_as_float(x)) or isinstance(x, float):
        return None
    if hasattr(x, "data") and hasattr(x, "grad"):
        return f"a {type(x).__name__}, not a number (its number is in .data)"
    try:
        n = len(x)  # type: ignore[arg-type]
    except TypeError:
        return f"a {type(x).__name__}, not a number"
    return f"a {type(x).__name__} of {n} value{'s' if n != 1 else ''}, not a number"


def _first_not_a_number(xs: Sequence[object]) -> tuple[int, str] | None:
    """The first entry of ``xs`` that is not a number, as its index and :func:`_not_a_number`'s
    words for it, else ``None``.

    Example:
        >>> _first_not_a_number([0.5, 1, None])
        (2, 'None (did a function end without return? Printing a number does not return it)')
    """
    return next(((i, what) for i, what in enumerate(map(_not_a_number, xs)) if what is not None), None)
