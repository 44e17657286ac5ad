"""What the reader's optimizer did with the parameters it was given, when its ``step()`` moved
none of them: whether it keeps the parameters themselves, and the mistake that leaves them where
they were. Shared by the checkers of ``MySGD`` (*Neurons, layers and an MLP*) and ``MyMomentum``
(*Optimizers*).
"""

from __future__ import annotations

from collections.abc import Sequence

from micrograd.engine import Value
from micrograd.exercises.compare import _as_float, _same_numbers


def _keeps(obj: object, values: Sequence[Value]) -> bool:
    """Whether the reader's ``obj`` keeps any of ``values`` themselves in an attribute, alone or in
    a list or tuple."""
    ids = {id(v) for v in values}
    for attr in _attributes(obj):
        items = attr if isinstance(attr, list | tuple) else [attr]
        if any(id(item) in ids for item in items):
            return True
    return False


def _attributes(obj: object) -> list[object]:
    """The values of the reader's ``obj``'s attributes: those in its ``__dict__``, and those in the
    ``__slots__`` of its class and the classes it derives from (a class with ``__slots__`` may have
    no ``__dict__``). A slot left unset, or a property of the reader's that raises, is skipped."""
    found = list(getattr(obj, "__dict__", {}).values())
    for cls in type(obj).__mro__:
        slots = vars(cls).get("__slots__", ())
        for name in [slots] if isinstance(slots, str) else slots:
            if name in ("__dict__", "__weakref__"):
                continue
            if name.startswith("__") and not name.endswith("__"):  # a private name, stored mangled
                name = f"_{cls.__name__.lstrip('_')}{name}"
            try:
                found.append(getattr(obj, name))
            except Exception:  # the reader's code may raise anything: that attribute says nothing
                continue
    return found


def _unmoved_mistake(params: Sequence[Value], grads: Sequence[float], kept: bool, update: str) -> str:
    """Why a ``step()`` left the data of every one of ``params`` as it was, from what it changed
    instead: their gradients (given as ``grads``), or nothing, though the optimizer keeps them
    (``kept``, seen before the step: a step that replaces the items of its list keeps them no
    longer), or nothing, since it keeps copies of their numbers. ``update`` is the amount the
    page subtracts from ``p.data``, such as ``"lr * p.grad"``.

    Example:
        >>> p = Value(1.0)
        >>> p.grad = 0.5
        >>> print(_unmoved_mistake([p], [0.5], False, "lr * p.grad"))  # doctest: +NORMALIZE_WHITESPACE
        step() did not change the values it was given: keep the parameters themselves (the Value
        objects), not copies of their numbers, and change p.data
    """
    if not _same_numbers([_as_float(p.grad) for p in params], grads):
        return f"step() changed p.grad, the gradient, not p.data, the number: p.data -= {update}"
    if kept:
        return (
            f"step() left p.data as it was: p -= {update}, like p = p - {update}, makes a new value and "
            "binds the name p to it, so the parameter's data never changes; change p.data in place, "
            f"p.data -= {update}"
        )
    return (
        "step() did not change the values it was given: keep the parameters themselves (the Value "
        "objects), not copies of their numbers, and change p.data"
    )
