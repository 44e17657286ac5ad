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
