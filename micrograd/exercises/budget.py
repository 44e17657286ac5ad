"""Running the reader's code on a budget of steps, so that a check that hangs ends.

A ``backward()`` that walks the reader's graph runs on a budget: every iteration over a
node's ``_prev`` and every call of a node's ``_backward`` is counted, and a check that
takes too many steps (or more than ten seconds) stops with a message saying so, which is
how an exponential or endless walk ends. The counting needs no thread, no signal and no
trace function, so it works the same in plain Python, Jupyter and Pyodide. Here too: the
walk of the reader's graph, and what a check says when the reader's code raised or ran out
of steps.
"""

from __future__ import annotations

import builtins
import contextlib
import difflib
import inspect
import io
import linecache
import os
import re
import sys
import sysconfig
import time
import tokenize
import traceback
import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from micrograd.engine import _ChildChangedError

# Limits on running the reader's code: per check, a number of counted steps (one per
# iteration over a node's children, one per call of a node's _backward) and seconds.
_STEPS_PER_NODE = 60
_MIN_STEPS = 20_000
_SECONDS = 10.0


class _NotAValue(TypeError):
    """A function of the reader's, checked inside an expression, returned a plain number."""


class _OutOfSteps(BaseException):
    """The reader's code used up its step budget.

    A ``BaseException``, so that a reader's ``except Exception`` cannot swallow it.
    """


class _Budget:
    """Counts the steps of the reader's code on one check and stops it past a limit.

    A step is an iteration over a node's ``_prev`` or a call of its ``_backward`` (see
    :func:`_install_counters`). A loop that takes none, such as a walk whose stack is never
    popped, is stopped by the time limit, which a profile function looks at every 1,024 calls
    the code makes (``list.append`` included) while the budget runs.
    """

    def __init__(self, steps: int, seconds: float | None = None) -> None:
        self.steps = steps
        self.seconds = _SECONDS if seconds is None else seconds
        self.used = 0
        self.active = False
        self.deadline = 0.0
        self.reason = ""
        self.calls = 0
        self.watching = False
        self.profiler: Any = None  # the profile function there was before start()

    def start(self) -> None:
        self.used = 0
        self.active = True
        self.deadline = time.monotonic() + self.seconds
        self.profiler = sys.getprofile()
        self.watching = True
        sys.setprofile(self._watch)

    def stop(self) -> None:
        self.active = False
        if self.watching:
            self.watching = False
            sys.setprofile(self.profiler)

    def _watch(self, frame: Any, event: str, arg: Any) -> None:
        self.calls += 1
        if self.calls % 1024 == 0 and self.active and time.monotonic() > self.deadline:
            self._out_of_time()

    def _out_of_time(self) -> None:
        self.active = False
        self.reason = f"more than {self.seconds:g} seconds"
        raise _OutOfSteps

    def tick(self) -> None:
        if not self.active:
            return
        self.used += 1
        if self.used > self.steps:
            self.active = False
            self.reason = f"more than {self.steps:,} steps"
            raise _OutOfSteps
        if self.used % 512 == 0 and time.monotonic() > self.deadline:
            self._out_of_time()


class _CountedTuple(tuple):  # type: ignore[type-arg]  # holds the reader's nodes, of any type
    _budget: _Budget

    def __iter__(self) -> Any:
        self._budget.tick()
        return tuple.__iter__(self)


class _CountedList(list):  # type: ignore[type-arg]
    _budget: _Budget

    def __iter__(self) -> Any:
        self._budget.tick()
        return list.__iter__(self)


class _CountedSet(set):  # type: ignore[type-arg]
    _budget: _Budget

    def __iter__(self) -> Any:
        self._budget.tick()
        return set.__iter__(self)


_COUNTED: dict[type, type] = {tuple: _CountedTuple, list: _CountedList, set: _CountedSet}


class _CountedCall:
    """A node's ``_backward``, counted on each call."""

    def __init__(self, fn: Callable[[], Any], budget: _Budget) -> None:
        self.fn = fn
        self.budget = budget

    def __call__(self) -> Any:
        self.budget.tick()
        return self.fn()


def _children(node: Any) -> list[Any]:
    """The children of a reader's node as a list (uncounted: only called while no budget runs)."""
    try:
        return list(getattr(node, "_prev", ()))
    except TypeError:
        return []


def _walk(root: Any, limit: int = 200_000) -> list[Any]:
    """Every node of the reader's graph, each after its children, without recursion.

    Nodes are compared by identity, so a reader's class may define ``__eq__``. The walk
    stops at ``limit`` nodes, so a graph that (wrongly) grows without end cannot hang it.
    """
    order: list[Any] = []
    seen = {id(root)}
    stack: list[tuple[Any, Iterable[Any]]] = [(root, iter(_children(root)))]
    while stack and len(order) < limit:
        node, children = stack[-1]
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(_children(child))))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _install_counters(nodes: Sequence[Any], budget: _Budget) -> None:
    """Count every iteration over a node's ``_prev`` and every call of its ``_backward``."""
    for node in nodes:
        prev = getattr(node, "_prev", None)
        counted = _COUNTED.get(type(prev))
        if counted is not None:
            wrapped = counted(prev)
            wrapped._budget = budget
            with contextlib.suppress(AttributeError, TypeError):  # a class that refuses: uncounted
                node._prev = wrapped
        backward = getattr(node, "__dict__", {}).get("_backward")
        if callable(backward) and not isinstance(backward, _CountedCall):
            with contextlib.suppress(AttributeError, TypeError):
                node._backward = _CountedCall(backward, budget)


_PLAIN_NUMBER_RESULT = (
    "the result is a plain number, not a value, so it has no graph for backward() to go "
    "through: it was computed from numbers (.data) rather than from the values themselves, "
    "or a function returned a number"
)


def _describe_error(err: BaseException, steps: str) -> tuple[str, str]:
    """A message for code that raised or ran too long, and the likely mistake.

    The diagnoses look into the reader's objects, whose properties and ``__dir__`` may raise
    anything: then the mistake is the plainest one, and the check still reports.
    """
    try:
        return _diagnosed(err, steps)
    except Exception:  # a reader's object raised while a diagnosis looked at it
        return f"{type(err).__name__}: {err}", "your code raised an error"


def _diagnosed(err: BaseException, steps: str) -> tuple[str, str]:
    """:func:`_describe_error`'s message and likely mistake, found without any guard."""
    if isinstance(err, _OutOfSteps) and "seconds" in steps:
        return (
            f"stopped after {steps}",
            "your code ran on and on over a graph of a few values: a loop that never ends? A walk "
            "whose stack is never popped (stack.pop() once a value's children are all visited), "
            "or that visits values again and again without a set of visited ones, goes on and on",
        )
    if isinstance(err, _OutOfSteps):
        return (
            f"stopped after {steps}",
            "backward() visits far more nodes than the graph has: does your topological "
            "order keep a set of visited values? Without one, a value reused in many places "
            "is visited once per path, and the number of paths doubles with each reuse",
        )
    if isinstance(err, RecursionError) and _recursing_method(err):
        method = _recursing_method(err)
        op = next(op for op, name in _METHODS.items() if method == f"__r{name}__").split()[0]
        return (
            "RecursionError: maximum recursion depth exceeded",
            f"{method} computes other {op} self while other is still a plain number, so Python "
            f"calls {method} again, forever: wrap the number first, as_value(other) {op} self",
        )
    if isinstance(err, RecursionError):
        return (
            "RecursionError: maximum recursion depth exceeded",
            "backward() builds its topological order by recursion, one call per level of "
            "the graph, and Python stops at about 1,000 levels: use a loop with an explicit "
            "stack instead",
        )
    text = f"{type(err).__name__}: {err}"
    wrapped = _wrapped_value(err)
    if wrapped:
        return text, (
            f"a {wrapped} was made from a value that already is one, as {wrapped}(target) with target a "
            f"{wrapped}: its data is then a {wrapped}, not a number, and the first operation on it "
            "fails. A value needs no wrapping: use it as it is"
        )
    plain = _plain_number_from_data(err) or _changed_before_backward(err)
    if plain:
        return text, plain
    if isinstance(err, _NotAValue):
        return str(err), _PLAIN_NUMBER_RESULT
    if isinstance(err, AttributeError) and re.fullmatch(
        r"'(int|float)' object has no attribute 'backward'", str(err)
    ):
        return text, _PLAIN_NUMBER_RESULT
    if isinstance(err, AttributeError) and "has no attribute 'data'" in str(err):
        return text, (
            "an operation received a plain number where it expected a value: wrap "
            "numbers with something like as_value(other) before using other.data"
        )
    if isinstance(err, TypeError) and "unsupported operand" in str(err):
        return text, _missing_operator(str(err))
    one = _one_without_comma(err)
    if one:
        return text, one
    if isinstance(err, AttributeError) and re.match(r"'(int|float)' object has no attribute '_", str(err)):
        return text, (
            "a number is among the children of a value: only values go in _children, "
            "(self,) for a power, not (self, k)"
        )
    own = _own_attribute_typo(err) or _set_under_another_name(err) or _missing_attribute(err)
    if own:
        return text, own
    if isinstance(err, NameError) and isinstance(getattr(err, "name", None), str):
        return text, _undefined_name(err)
    if isinstance(err, AttributeError):
        return text, "the class is missing a method or attribute that this check uses"
    uncalled = _uncalled_method(err) or _compared_values(err)
    if uncalled:
        return text, uncalled
    found = _readers_frame(err)
    return text, f"it was raised by your code {_where(*found)}" if found else "your code raised an error"


#: The method Python looks for on the left operand of each operator (and, with an r, on the right).
_METHODS = {"+": "add", "-": "sub", "*": "mul", "/": "truediv", "** or pow()": "pow"}


def _frames(err: BaseException) -> list[tuple[Any, int]]:
    """The frames of ``err``'s traceback, outermost first, each with the line it was at."""
    frames = []
    tb = err.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def _recursing_method(err: BaseException) -> str | None:
    """The reversed operator method, such as ``__rmul__``, that a RecursionError was calling
    itself in (through a plain number on the left), or ``None``.
    """
    for frame, _ in _frames(err)[-10:]:  # the innermost: the loop, and perhaps a call or two it makes
        cls = type(frame.f_locals.get("self"))
        for name in _METHODS.values():
            method = getattr(cls, f"__r{name}__", None)
            if getattr(method, "__code__", None) is frame.f_code:
                return f"__r{name}__"
    return None


def _wrapped_value(err: BaseException) -> str | None:
    """The name of the reader's class, if a value whose data is a value of the same class is in
    the innermost frames of ``err``: made as ``MyValue(v)`` of a ``v`` that already is one, it
    fails at the first operation on its data, with an error about numbers and operators.
    """
    for frame, _ in _frames(err)[-5:]:
        for v in frame.f_locals.values():
            try:
                inner = getattr(v, "data", None) if hasattr(v, "_prev") else None
            except Exception:  # a reader's property may raise anything
                continue
            if inner is not None and type(inner) is type(v):
                return type(v).__name__
    return None


def _missing_operator(message: str) -> str:
    """The likely mistake behind Python's "unsupported operand type(s) for -: 'A' and 'B'"."""
    found = re.fullmatch(r"unsupported operand type\(s\) for (.+): '(\w+)' and '(\w+)'", message)
    if found and found[1] == "^":
        return "^ is Python's exclusive or of two integers, not a power: write a power with **, as h**2"
    functions = ("function", "builtin_function_or_method", "method")
    if found and (found[2] in functions or found[3] in functions):
        return (
            "a function was used as a number: are the arguments in the exercise's order, the function "
            "first? Or is a function's name used without calling it, f instead of f(x)?"
        )
    if not found or found[1] not in _METHODS:
        return "Python found no method for this operator with these operands"
    op, left, right = found[1].split()[0], found[2], found[3]
    method = _METHODS[found[1]]
    if left in ("int", "float"):
        return (
            f"with the number on the left, as in 2 {op} x, Python calls __r{method}__ on the value "
            f"(the right operand), so the class needs it"
        )
    if left == right:
        return f"the class has no {op} between two values: it needs a method __{method}__(self, other)"
    article = "an" if right[0] in "aeiou" else "a"
    return (
        f"{left}'s __{method}__ does not take {article} {right} on the right: the class has no "
        f"__{method}__, or it returned NotImplemented"
    )


# Where the reader's code is not: this package, and Python's own library.
_NOT_THE_READERS = tuple(
    os.path.normcase(os.path.realpath(path)) + os.sep
    for path in (
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        *(sysconfig.get_paths().get(key) for key in ("stdlib", "platstdlib", "purelib", "platlib")),
    )
    if path
)


def _readers_frame(err: BaseException) -> tuple[Any, int] | None:
    """The innermost frame of ``err``'s traceback in the reader's own code, and its line, or ``None``."""
    mine = [(frame, lineno) for frame, lineno in _frames(err) if _is_readers(frame.f_code.co_filename)]
    return mine[-1] if mine else None


def _is_readers(filename: str) -> bool:
    """Whether code from ``filename`` is the reader's: not this package's, nor Python's library."""
    return filename.startswith("<") or not os.path.normcase(os.path.realpath(filename)).startswith(
        _NOT_THE_READERS
    )


def _plain_number_from_data(err: BaseException) -> str | None:
    """For an operation between a plain number and a value, under a function of the reader's (not
    a method) whose line reads ``.data``, as ``(output - target.data) ** 2``: the mistake, naming
    the function and the line. ``None`` otherwise.

    The number reached the operation either as the other operand of a value's method, which then
    read its ``.data`` (an AttributeError raised in that method), or as the left operand of an
    operator whose right one is a value (a TypeError naming a number and the reader's class).
    """
    frames = _frames(err)
    if not frames:
        return None
    message = str(err)
    if isinstance(err, AttributeError):
        in_a_method = "self" in frames[-1][0].f_code.co_varnames
        if not (in_a_method and re.fullmatch(r"'(int|float)' object has no attribute 'data'", message)):
            return None
    elif isinstance(err, TypeError):
        operands = re.fullmatch(r"unsupported operand type\(s\) for .+: '(\w+)' and '(\w+)'", message)
        numbers = ("int", "float")
        if not operands or not any(
            a in numbers and b not in numbers and not hasattr(builtins, b) and b != "NoneType"
            for a, b in (operands.groups(), operands.groups()[::-1])
        ):
            return None
    else:
        return None
    for frame, lineno in reversed(frames):
        code = frame.f_code
        if _is_readers(code.co_filename) and "self" not in code.co_varnames:
            if ".data" not in linecache.getline(code.co_filename, lineno, frame.f_globals):
                return None
            function = "your function" if code.co_name.startswith("<") else f"your {code.co_name}()"
            return (
                f"{function} computes with .data, a plain number, where a value belongs "
                f"{_where(frame, lineno)}: use the values themselves, so that each operation "
                "records its inputs and backward() can reach them"
            )
    return None


def _changed_before_backward(err: BaseException) -> str | None:
    """For backward()'s error about a neuron whose weights or inputs changed after the forward pass:
    the reader's line before the call that changed a ``.data`` (an update before backward(), or
    ``p.data = 0`` for the gradients), quoted, or what to look for. ``None`` for any other error."""
    if not isinstance(err, _ChildChangedError):
        return None
    found = _readers_frame(err)
    if found is None:
        return None
    frame, lineno = found
    try:
        lines, first = inspect.getsourcelines(frame.f_code)
    except (OSError, TypeError):  # no source to read
        lines, first = [], lineno
    changes = [
        first + k
        for k, line in enumerate(lines[: lineno - first])
        if re.search(r"\.data\s*([-+*/]?=)(?!=)", _without_comment(line))
    ]
    backward = _where(frame, lineno)
    if not changes:
        return (
            f"a weight or an input changed after the loss was computed and before backward() {backward}, "
            "which reads them: update the parameters after backward(), and give each example new Values"
        )
    change = _where(frame, changes[-1])
    if re.search(r"\.data\s*=\s*0(\.0*)?\s*$", _without_comment(lines[changes[-1] - first])):
        return (
            f"a parameter's data, the number itself, is set to 0 {change} before backward() {backward}: "
            "to reset its gradient, set its grad to 0, not its data"
        )
    return (
        f"a parameter's data changes {change} before backward() {backward}, which reads the parameters "
        "to pass the gradients on: the update comes after backward(), with the gradients it computed"
    )


def _one_without_comma(err: BaseException) -> str | None:
    """For "'float' object is not iterable" raised in the ``__init__`` of the reader's class, which
    makes a tuple of its local derivatives or children: a tuple of one number written without its
    comma, ``(1 - t**2)``; the line quoted is the one that made the value."""
    if not (isinstance(err, TypeError) and re.fullmatch(r"'(int|float)' object is not iterable", str(err))):
        return None
    frames = [(frame, lineno) for frame, lineno in _frames(err) if _is_readers(frame.f_code.co_filename)]
    if not frames or frames[-1][0].f_code.co_name != "__init__":
        return None
    frame, lineno = frames[-2] if len(frames) > 1 else frames[-1]
    return (
        f"a tuple of one number needs its comma, (x,): (x) is x itself, and the local derivatives "
        f"(like the children) are a tuple, one per child {_where(frame, lineno)}"
    )


def _compared_values(err: BaseException) -> str | None:
    """For "'>' not supported between instances of 'MyValue' and 'MyValue'" raised on the reader's
    line, by max(), min(), sorted() or a comparison of two values: values have no order, their
    numbers do. ``None`` otherwise."""
    found = re.fullmatch(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'", str(err))
    where = _readers_frame(err)
    if not (isinstance(err, TypeError) and found and found[2] == found[3] and where):
        return None
    frame, lineno = where
    seen = [*frame.f_locals.values()]
    seen += [v for x in list(seen) if isinstance(x, list | tuple) for v in x]
    if not any(type(v).__name__ == found[2] and hasattr(v, "data") and hasattr(v, "grad") for v in seen):
        return None
    return (
        f"max(), min(), sorted() and {found[1]} compare the values themselves {_where(frame, lineno)}, and a "
        f"{found[2]} has no {found[1]}: compare their numbers, each one's .data"
    )


def _where(frame: Any, lineno: int) -> str:
    """The reader's line, as ``"(line 14: p.data -= lr * b)"``, or ``"(line 14)"`` without its text;
    in a cell the site's runner ran, whose code is named ``<cell 12>``, ``"(cell 12, line 14: ...)"``.
    """
    filename = frame.f_code.co_filename
    cell = re.fullmatch(r"<(cell \d+)>", filename)
    where = f"{cell[1]}, line {lineno}" if cell else f"line {lineno}"
    line = _without_comment(linecache.getline(filename, lineno, frame.f_globals)).strip()
    return f"({where}: {line})" if line else f"({where})"


def _without_comment(line: str) -> str:
    """``line`` without a trailing ``# comment`` (a ``#`` inside a string stays)."""
    if "#" not in line:
        return line
    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type == tokenize.COMMENT:
                return line[: token.start[1]]
    except (tokenize.TokenError, SyntaxError):  # a line of a longer statement: leave it whole
        pass
    return line


def _suggestion(err: BaseException, names: Iterable[str]) -> str | None:
    """Python's own "Did you mean" for a misspelled name in ``err`` (Python 3.12 and later puts it
    in the traceback's text), else the closest of ``names``, else ``None``."""
    text = "".join(traceback.TracebackException.from_exception(err).format_exception_only())
    found = re.search(r"Did you mean:? '?([\w.]+)'?\?", text)
    if found:
        return found[1]
    wrong = getattr(err, "name", None)
    if not isinstance(wrong, str):
        return None
    close = difflib.get_close_matches(wrong, [n for n in names if n != wrong], n=1, cutoff=0.6)
    return close[0] if close else None


def _own_attribute_typo(err: BaseException) -> str | None:
    """For an AttributeError raised in the reader's own method on its own ``self`` (``self.buffer``
    where ``__init__`` set ``self.buffers``): the likely mistake, naming the attribute, the method
    and the line. ``None`` for any other error, such as a checker calling a method the class lacks."""
    if not isinstance(err, AttributeError) or not isinstance(getattr(err, "name", None), str):
        return None
    found, frames = _readers_frame(err), _frames(err)
    if found is None or not frames or found[0] is not frames[-1][0]:
        return None  # raised outside the reader's code: a checker or a library looked it up
    frame, lineno = found
    obj = getattr(err, "obj", None)
    if "self" not in frame.f_locals or frame.f_locals["self"] is not obj or obj is None:
        return None
    name, method = err.name, frame.f_code.co_name
    if name == "_backward" and hasattr(obj, "_local_grads"):  # the lecture's step, on this page's class
        return (
            f"your {method}() calls _backward(), which values of this class do not have: each keeps "
            "the local derivatives of its children in _local_grads instead, and the backward pass "
            f"multiplies each by the value's grad, as pass_to_children(node) does {_where(frame, lineno)}"
        )
    own = sorted(vars(obj)) if hasattr(obj, "__dict__") else []
    suggested = _suggestion(err, [*own, *(n for n in dir(type(obj)) if not n.startswith("__"))])
    if method == "__init__":
        mistake = f"your __init__ reads self.{name} before it sets it"
    else:
        mistake = f"your {method}() reads self.{name}, which __init__ never sets"
    if suggested:
        mistake += f": a typo for self.{suggested}?"
    elif own:
        mistake += f" (it sets {' and '.join(f'self.{n}' for n in own)}): a typo?"
    return f"{mistake} {_where(frame, lineno)}"


def _set_under_another_name(err: BaseException) -> str | None:
    """For an AttributeError on one of the reader's objects that has an attribute of almost that
    name (``_local_grad`` where ``_local_grads`` is read, wherever it is read): the likely typo."""
    name, obj = getattr(err, "name", None), getattr(err, "obj", None)
    if not isinstance(err, AttributeError) or not isinstance(name, str) or not hasattr(obj, "__dict__"):
        return None
    close = difflib.get_close_matches(name, [n for n in vars(obj) if n != name], n=1, cutoff=0.8)
    if not close:
        return None
    return (
        f"a {type(obj).__name__} has no {name}, but it has {close[0]}: does your class set "
        f"self.{close[0]} where it means self.{name}?"
    )


def _missing_attribute(err: BaseException) -> str | None:
    """For an AttributeError raised in the reader's code on another object than its ``self``
    (``p.zero_grad()`` on a Value, ``self.params.parameters`` on a list, ``loss.backward()`` on the
    None of a function without ``return``): the mistake, naming the object as the reader's line
    names it, what it is, Python's suggestion if any, and the line."""
    name, obj, found = getattr(err, "name", None), getattr(err, "obj", None), _readers_frame(err)
    frames = _frames(err)
    if not isinstance(err, AttributeError) or not isinstance(name, str) or found is None:
        return None
    frame, lineno = found
    if frame is not frames[-1][0]:
        return None  # raised in a library or in this package, not at the reader's line
    line = linecache.getline(frame.f_code.co_filename, lineno, frame.f_globals)
    receivers = set(re.findall(rf"([\w.\[\]]+)\.{re.escape(name)}\b", line))
    used = f"{receivers.pop()}.{name}" if len(receivers) == 1 else name
    where = _where(frame, lineno)
    if obj is None:
        return f"your code uses {used}, on None: a function that ends without return gives None {where}"
    kind = type(obj).__name__
    what = (
        "a module"
        if isinstance(obj, types.ModuleType)
        else f"{'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind}"
    )
    mistake = f"your code uses {used}, and {what} has no {name}"
    if name == "zero_grad" and hasattr(obj, "grad") and hasattr(obj, "data"):
        mistake += (
            ": a value's gradient is reset by setting it, p.grad = 0 (zero_grad() is a method of a "
            "network or an optimizer, not of a value)"
        )
    else:
        suggested = _suggestion(err, [n for n in dir(obj) if not n.startswith("__")])
        if suggested:
            mistake += f": a typo for {suggested}?"
    return f"{mistake} {where}"


def _uncalled_method(err: BaseException) -> str | None:
    """For a method used as a list without calling it (``for p in net.parameters:``, or
    ``len(net.parameters)``): the mistake, naming the method and the reader's line."""
    functions = r"'(method|function|builtin_function_or_method)'"
    if not isinstance(err, TypeError) or not re.fullmatch(
        rf"{functions} object is not (iterable|subscriptable)|object of type {functions} has no len\(\)",
        str(err),
    ):
        return None
    found = _readers_frame(err)
    if found is None:
        return None
    frame, lineno = found
    line = linecache.getline(frame.f_code.co_filename, lineno, frame.f_globals)
    names = dict.fromkeys(re.findall(r"\b[A-Za-z_][\w.]*\b(?!\s*\()", line))
    uncalled = [n for n in names if inspect.isroutine(_looked_up(n, frame))]
    where = _where(frame, lineno)
    if len(uncalled) != 1:
        return f"a method or function is used as a list without being called: call it, with () {where}"
    kind = "a method" if inspect.ismethod(_looked_up(uncalled[0], frame)) else "a function"
    return f"{uncalled[0]} is {kind}, used as a list without being called: call it, {uncalled[0]}() {where}"


def _looked_up(dotted: str, frame: Any) -> object:
    """What ``dotted`` (``net.parameters``) names in ``frame``, found with getattr, or ``None``."""
    first, *rest = dotted.split(".")
    scopes = (frame.f_locals, frame.f_globals)
    found = next((scope[first] for scope in scopes if first in scope), None)
    for part in rest:
        try:
            found = getattr(found, part, None)
        except Exception:  # a reader's property may raise anything
            return None
    return found


def _undefined_name(err: NameError) -> str:
    """The likely mistake behind a NameError in the reader's code: the name, Python's suggestion or
    the closest name the code could see, and the line."""
    name = err.name
    found = _readers_frame(err)
    where = f" {_where(*found)}" if found else ""
    if isinstance(err, UnboundLocalError):
        return f"your function uses {name} before it gives {name} a value{where}"
    names: list[str] = []
    if found:
        frame = found[0]
        names = [*frame.f_locals, *frame.f_globals, *dir(frame.f_builtins)]
    suggested = _suggestion(err, names)
    if suggested:
        return f"your code uses {name}, a name it never defines: a typo for {suggested}?{where}"
    return f"your code uses {name}, a name it never defines: a typo, or a cell not run yet?{where}"
