"""What the reader's optimizer did with the parameters it was given, when its ``step()`` moved
none of them: whether it keeps the parameters themselves, and the mistake that leaves them where
they were. Shared by the checkers of ``MySGD`` (*Neurons, layers and an MLP*) and ``MyMomentum``
(*Optimizers*).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable, Sequence
from typing import Any, cast

from micrograd.engine import Value
from micrograd.exercises.budget import _where
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


def _unmoved_mistake(
    params: Sequence[Value], grads: Sequence[float], kept: bool, update: str, step: object = None
) -> str:
    """Why a ``step()`` left the data of every one of ``params`` as it was, from what it changed
    instead: their gradients (given as ``grads``), or nothing, though the optimizer keeps them
    (``kept``, seen before the step: a step that replaces the items of its list keeps them no
    longer), or nothing, since it keeps copies of their numbers. ``update`` is the amount the
    page subtracts from ``p.data``, such as ``"lr * p.grad"``. Where the optimizer keeps them,
    ``step``'s source (the reader's method) may show a step that does nothing (see
    :func:`_idle_step_mistake`) rather than one that binds the loop's name to a new value.

    Example:
        >>> p = Value(1.0)
        >>> p.grad = 0.5
        >>> print(_unmoved_mistake([p], [0.5], False, "lr * p.grad"))  # doctest: +NORMALIZE_WHITESPACE
        step() did not change the values it was given: keep the parameters themselves (the Value
        objects), not copies of their numbers, and change p.data
    """
    if not _same_numbers([_as_float(p.grad) for p in params], grads):
        return f"step() changed p.grad, the gradient, not p.data, the number: p.data -= {update}"
    idle = _idle_step_mistake(step) if kept and step is not None else ""
    if idle:
        return idle
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


def _idle_step_mistake(step: object) -> str:
    """What the reader's ``step()``, which changed neither a parameter's data nor its gradient,
    does instead, read off its source and naming its line: a new number kept in a name of step()'s
    own (a copy of ``p.data`` among them), computed and kept nowhere, returned, or a body of
    ``pass``. ``""`` where a line binds a loop's own name (``p = p - ...``, the rebinding that
    :func:`_unmoved_mistake` explains) or sets a ``data`` or a ``grad``, where one replaces an item
    and none computes a number it drops, and where the source cannot be read.

    Example:
        >>> class Idle:
        ...     def step(self):
        ...         pass
        >>> _idle_step_mistake(Idle.step).split(" (")[0]
        'step() leaves every parameter unchanged: its body is pass, which does nothing'
    """
    code, scope = getattr(step, "__code__", None), getattr(step, "__globals__", {})
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cast(Callable[..., Any], step))))
    except (OSError, TypeError, SyntaxError):  # no source to read, as for a class made by exec
        return ""
    function = tree.body[0] if tree.body else None
    if code is None or not isinstance(function, ast.FunctionDef):
        return ""
    nodes = list(ast.walk(function))
    loop_names = {
        name.id
        for node in nodes
        if isinstance(node, ast.For)
        for name in ast.walk(node.target)
        if isinstance(name, ast.Name)
    }
    copies = {  # names given a parameter's number, as data = p.data, and the number they were given
        target.id: ast.unparse(node.value)
        for node in nodes
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "data"
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    named: dict[ast.stmt, str] = {}  # a statement keeping a new number in a name of step()'s, and the name
    dropped: list[ast.stmt] = []  # a number computed and kept nowhere
    returned: list[ast.stmt] = []
    passes: list[ast.stmt] = []
    replaces = False  # whether a line replaces an item of a list (the parameters', or a buffer's)
    for node in nodes:
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            parts = [part for target in targets for part in ast.walk(target)]
            # The names bound themselves, not those read in an index: self.buffers[i] binds no i.
            bound = [t for x in targets for t in (x.elts if isinstance(x, ast.Tuple) else [x])]
            sets_data = any(isinstance(x, ast.Attribute) and x.attr in ("data", "grad") for x in parts)
            if sets_data or any(isinstance(t, ast.Name) and t.id in loop_names for t in bound):
                return ""
            if any(isinstance(part, ast.Subscript) for part in parts):
                replaces = True
                continue
            names = [part.id for part in parts if isinstance(part, ast.Name)]
            if names and not (isinstance(node, ast.Assign) and names[0] in copies):
                named[node] = names[0]
        elif isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant | ast.Call):
            dropped.append(node)
        elif isinstance(node, ast.Return) and node.value is not None:
            returned.append(node)
        elif isinstance(node, ast.Pass):
            passes.append(node)

    def where(node: ast.stmt) -> str:
        frame = types.SimpleNamespace(f_code=code, f_globals=scope)  # all that _where reads of a frame
        return _where(frame, code.co_firstlineno + node.lineno - 1)

    def update(statements: Sequence[ast.stmt]) -> ast.stmt:
        """The first of ``statements`` that reads a gradient, the update; else the last."""
        reads = (
            s
            for s in statements
            if any(isinstance(a, ast.Attribute) and a.attr == "grad" for a in ast.walk(s))
        )
        return next(reads, statements[-1])

    head = "step() leaves every parameter unchanged"
    if dropped:  # whatever else step() does (a momentum's buffers may be kept in a list), this is lost
        node = update(dropped)
        return (
            f"{head}: a line of it computes a new number and keeps it nowhere, so it is thrown away "
            f"{where(node)}"
        )
    if replaces:  # an item of the parameters' list replaced, perhaps: _unmoved_mistake says so
        return ""
    if named:
        node = update(list(named))
        name = named[node]
        if name in copies:
            return (
                f"{head}: {name} = {copies[name]} copies the number: changing {name} leaves the "
                f"parameter's data as it was {where(node)}"
            )
        return (
            f"{head}: a line of it keeps the new number in {name}, a name of step()'s own, gone when "
            f"step() returns; the parameter's data never changes {where(node)}"
        )
    if returned:
        return (
            f"{head}: it returns the new numbers, and the training loop, which calls optimizer.step(), "
            f"never uses what step() returns {where(returned[0])}"
        )
    if passes:
        return f"{head}: its body is pass, which does nothing {where(passes[0])}"
    return ""
