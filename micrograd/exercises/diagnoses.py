"""Diagnoses shared by the value-class checks: a known wrong result, named as the mistake it comes from."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from micrograd.exercises.budget import _children, _walk
from micrograd.exercises.cases import (
    _AFTER_EVERY_USER,
    _LOCAL_ALONE,
    _NO_GRADIENT_REACHED,
    _ONLY_THE_OUTPUT_PASSED,
    _RETURNED_INPUT,
    _TIMES_DATA,
    Diagnosis,
    _cut_off,
    _local_grads_miscounted,
    _Outcome,
)
from micrograd.exercises.compare import _close, _num


def _output_not_one(got: _Outcome, expected: _Outcome) -> str | None:
    out = list(expected.grad)[-1]
    if _close(expected.g(out), 1.0) and not _close(got.g(out), 1.0):
        return (
            f"after backward() the output's own grad is {_num(got.g(out))}: backward() must start by "
            "setting it to 1 (d out / d out = 1)"
        )
    return None


def _returns_its_input(got: _Outcome, expected: _Outcome) -> str | None:
    """A value made by an operation is, in the reader's graph, one of the values it was made
    from: the operation returned its input (relu of a positive number, say), not a new value.
    The inputs' gradients may come out right; the result's is its input's.
    """
    for name, mine in got.named.items():
        made = expected.named.get(name)
        if made is None or not made._prev:
            continue
        for other, theirs in got.named.items():
            if other != name and theirs is mine and expected.named.get(other) is not made:
                op = {"ReLU": "relu", "neg": "negation"}.get(made._op, made._op)
                return (
                    f"{name} is {other} itself: your {op} {_RETURNED_INPUT}, so the two share one "
                    "gradient; return a new value with self as its child, as micrograd does, even where "
                    "the number is unchanged"
                )
    return None


def _nothing_reached_leaves(leaves: Sequence[str]) -> Diagnosis:
    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        if all(got.g(n) == 0 for n in leaves) and any(expected.g(n) != 0 for n in leaves):
            return _NO_GRADIENT_REACHED
        return None

    return diagnose


def _set_not_added(name: str, single_paths: Callable[[_Outcome], Iterable[float]]) -> Diagnosis:
    """The gradient of ``name`` equals one path's contribution: it was set with ``=``."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        if "accumulates" in got.facts:  # x + x passed: the reader does add
            return None
        if any(_close(got.g(name), p) for p in single_paths(expected)):
            return (
                f"{name} is used more than once, and its gradient must be the sum over its uses: "
                "gradients must be added with +=, not set with ="
            )
        return None

    return diagnose


def _missing_upstream(name: str, upstream: Callable[[_Outcome], float], op: str) -> Diagnosis:
    """The gradient of ``name`` lacks the factor ``out.grad`` of the operation ``op``."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        u = upstream(expected)
        if u not in (0.0, 1.0) and _close(got.g(name) * u, expected.g(name)):
            return (
                f"the gradient passed back through {op} was not multiplied by out.grad: the chain rule "
                "multiplies the local derivative by the gradient arriving from above, "
                "child.grad += local * out.grad"
            )
        return None

    return diagnose


def _matches(
    name: str,
    wrong: Callable[[_Outcome], float],
    mistake: str,
    of: Callable[[_Outcome, str], float] = _Outcome.g,
) -> Diagnosis:
    """The gradient of ``name`` (or what ``of`` reads) equals a known wrong formula: its mistake."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        w = wrong(expected)
        if not _close(w, of(expected, name)) and _close(of(got, name), w):
            return mistake
        return None

    return diagnose


def _data_matches(name: str, wrong: Callable[[_Outcome], float], mistake: str) -> Diagnosis:
    """The value of ``name`` (its data, not its gradient) equals a known wrong formula."""
    return _matches(name, wrong, mistake, of=_Outcome.d)


def _order_wrong(complete: str, leaves: Sequence[str]) -> Diagnosis:
    """``complete`` has its right gradient but passed on an incomplete one to the leaves."""

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        ratios = [got.g(n) / expected.g(n) for n in leaves if expected.g(n) != 0]
        if ratios and all(abs(r - round(r)) < 1e-9 and round(r) >= 2 for r in ratios):
            return None  # whole multiples: values visited more than once, not too early
        if _close(got.g(complete), expected.g(complete)) and any(
            not _close(got.g(n), expected.g(n)) for n in leaves
        ):
            return (
                f"{complete} ends with the right gradient, but passed its gradient on before all of "
                f"it had arrived: {_AFTER_EVERY_USER}"
            )
        return None

    return diagnose


def _recomputed(
    expected: _Outcome,
    local: Callable[[Any], Sequence[float]],
    *,
    reverse: bool = True,
    chain: bool = True,
    times_data: bool = False,
) -> dict[str, float]:
    """The gradients of the named values of the expected graph, with other local derivatives
    (``local`` of a value gives one per child), visited in topological rather than reversed
    order, or (``chain=False``) with each local derivative added alone, not multiplied by the
    gradient of the value that uses it, or (``times_data``) multiplied by that value's number
    instead: what an engine with that mistake gives. The leaves' gradients add up over the
    calls of backward(), as micrograd's do.
    """
    order = _walk(expected.root)
    grad = {id(v): 0.0 for v in order}
    grad[id(expected.root)] = 1.0
    for node in reversed(order) if reverse else order:
        upstream = node.data if times_data else grad[id(node)]
        for child, d in zip(node._prev, local(node), strict=True):
            grad[id(child)] += d * upstream if chain else d
    calls = {id(v): expected.backwards for v in order if not v._prev}
    # A named value the output was not made from keeps its gradient of 0.
    return {n: grad.get(id(v), 0.0) * calls.get(id(v), 1) for n, v in expected.named.items()}


def _engine_mistake(
    mistake: str,
    local: Callable[[Any], Sequence[float]],
    *,
    reverse: bool = True,
    chain: bool = True,
    times_data: bool = False,
) -> Diagnosis:
    """Every gradient is what an engine with ``mistake`` gives on this expression: that mistake.

    The recomputation runs on micrograd's graph of the expression, so it needs no knowledge
    of the reader's; a mistake that gives the right gradients here is not named.
    """

    def diagnose(got: _Outcome, expected: _Outcome) -> str | None:
        if expected.root is None:
            return None
        wrong = _recomputed(expected, local, reverse=reverse, chain=chain, times_data=times_data)
        names = list(expected.grad)
        if all(_close(wrong[n], expected.g(n)) for n in names):
            return None
        if all(_close(got.g(n), wrong[n]) for n in names):
            return mistake
        return None

    return diagnose


_PRODUCT_OWN_VALUE = (
    "each input of a product gets the *other* input's value: "
    "self.grad += other.data * out.grad, other.grad += self.data * out.grad"
)

# A product that gives each input its own value: a.grad += a.data * out.grad.
_product_own_value = _engine_mistake(
    _PRODUCT_OWN_VALUE, lambda v: v._local_grads[::-1] if v._op == "*" else v._local_grads
)

# A backward() whose chain rule forgets the factor: child.grad += local. Not in _COMMON: in a
# value class each operation has its own chain rule, and the checks name the one that forgot
# (_missing_upstream); my_backward has one loop for all of them.
_local_alone = _engine_mistake(_LOCAL_ALONE, lambda v: v._local_grads, chain=False)
_times_data = _engine_mistake(_TIMES_DATA, lambda v: v._local_grads, times_data=True)

_in_topological_order = _engine_mistake(_ONLY_THE_OUTPUT_PASSED, lambda v: v._local_grads, reverse=False)


def _not_reversed(got: _Outcome, expected: _Outcome) -> str | None:
    """backward() visited the values inputs first: only the output's own inputs got a gradient.

    Two other mistakes can give the same numbers. An operation whose result does not record
    its inputs: the reader's graph tells it apart. Gradients set with = instead of added: the
    output's own inputs may end with the output's contribution alone, but a value further down
    gets a gradient, where the wrong order gives it none; so the order is named when such a
    value is compared, or when += is known to be used (x + x passed).
    """
    found = _in_topological_order(got, expected)
    if found is None or _cut_off(got, expected):
        return None
    root = expected.root
    below = [n for n, v in expected.named.items() if v is not root and all(v is not c for c in root._prev)]
    if "accumulates" in got.facts or any(expected.g(n) != 0 for n in below):
        return found
    return None


def _forgets_inputs(got: _Outcome, expected: _Outcome) -> str | None:
    """The result of one of the reader's operations has no children: backward() cannot reach
    the values it was made from. For expressions that name no operation of their own.
    """
    if not _cut_off(got, expected):
        return None
    ops = {str(getattr(v, "_op", "")) for v in _walk(got.root) if not _children(v)} - {""}
    if len(ops) != 1:
        return None
    op = ops.pop()
    inputs = "(self, other)" if op in ("+", "*", "-", "/") else "(self,)"
    return (
        f"the result of {op} does not remember its inputs, so backward() never reaches the values "
        f"below it: give it its inputs as children, {inputs}"
    )


# Every check first asks whether the output's own grad was set, whether an operation returned
# its input rather than a new value, and whether one stores as many local derivatives as it has
# children; then for the mistakes of the engine that make wrong every gradient they reach: a
# product that swaps its local derivatives, and backward() in topological order.
_COMMON: tuple[Diagnosis, ...] = (
    _output_not_one,
    _returns_its_input,
    _local_grads_miscounted,
    _product_own_value,
    _not_reversed,
)

_SEVERAL_PATHS = (
    "a value that reaches the output along several paths gets the sum of the gradients of all "
    "of them: either a contribution is lost (set with = instead of added with +=), or a value "
    "passed its gradient on before all of it had arrived (backward() must follow the reversed "
    "topological order)"
)
