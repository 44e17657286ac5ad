"""Checkers of *Optimizers*: momentum by hand, then Nesterov momentum and Adam's two halves
on the Rosenbrock function.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from micrograd.engine import Value
from micrograd.exercises.compare import _as_float, _close, _first_not_a_number, _not_a_number, _num, _nums
from micrograd.exercises.report import Check, Report, _attempt, _call, _has_methods, _is_list, _number_check
from micrograd.exercises.updates import _keeps, _unmoved_mistake


class _MomentumSlip:
    """SGD with momentum as a learner may slip writing it, ``slip`` one of the keys of
    :func:`check_momentum`'s ``names``: run by :func:`_run` as micrograd's optimizers are."""

    def __init__(self, params: list[Value], lr: float, mu: float, slip: str) -> None:
        self.params, self.lr, self.mu, self.slip = params, lr, mu, slip
        self.buffers: list[float | None] = [None] * len(params)

    def zero_grad(self) -> None:
        for p in self.params if self.slip != "zero_grad last" else self.params[-1:]:
            p.grad = 0.0

    def step(self) -> None:
        lr, mu = self.lr, self.mu
        if self.slip == "shared":  # one buffer for every parameter
            shared = 0.0
            for p in self.params:
                shared = mu * shared + p.grad
                p.data -= lr * shared
            return
        for i, p in enumerate(self.params):
            b = self.buffers[i]
            if self.slip == "late":  # the step uses the buffer before this step's gradient is in it
                p.data -= lr * (b or 0.0)
                self.buffers[i] = mu * (b or 0.0) + p.grad
                continue
            if self.slip == "no buffer":
                b = p.grad
            elif self.slip == "ema":
                b = (1 - mu) * p.grad if b is None else mu * b + (1 - mu) * p.grad
            elif self.slip == "no decay":  # the old buffer is never multiplied by the momentum
                b = p.grad if b is None else b + p.grad
            elif self.slip == "ema from g":
                b = p.grad if b is None else mu * b + (1 - mu) * p.grad
            else:
                b = p.grad if b is None else mu * b + p.grad
            self.buffers[i] = b
            p.data = p.data + lr * b if self.slip == "+=" else p.data - lr * b


def _momentum_reference(steps: int, lr: float, mu: float, slip: str = "") -> list[tuple[float, ...]]:
    """The points after each of ``steps`` steps from the page's start on the Rosenbrock function,
    of micrograd's SGD with momentum ``mu`` or, given a ``slip``, of :class:`_MomentumSlip`."""
    from micrograd.optim import SGD

    def make(params: list[Value]) -> Any:
        return _MomentumSlip(params, lr, mu, slip) if slip else SGD(params, lr=lr, momentum=mu)

    return _run(make, _START, _rosenbrock, steps).path


def check_momentum(momentum_class: Callable[..., Any]) -> Report:
    """Check exercise 3 of *Optimizers*: a class ``MyMomentum(params, lr, momentum)``.

    Args:
        momentum_class: The reader's optimizer, with ``zero_grad()`` and ``step()``
            implementing ``b = momentum * b + g`` and ``p -= lr * b``.

    Returns:
        A :class:`Report`: ``zero_grad()`` resets every parameter, 50 steps on the
        Rosenbrock function follow :class:`~micrograd.optim.SGD` with momentum 0.9 (and
        0.5), and 50 steps on four parameters too, with known wrong versions recognised
        (``+=``, no buffer, a buffer never multiplied by the momentum, an average instead
        of a sum, whether it starts from ``(1 - momentum) * g`` or from ``g``, ``zero_grad``
        resetting only the last parameter, parameters that never move, buffers that are
        Values or attributes of the parameters, a step() that moves a fixed few parameters);
        a slip that makes the page's own run overflow, before the check, is said to be why.

    Example:
        >>> from micrograd.optim import SGD
        >>> print(check_momentum(lambda params, lr, momentum: SGD(params, lr=lr, momentum=momentum)).passed)
        True
    """
    report = Report("Optimizers, exercise 3: MyMomentum")
    params = [Value(1.0), Value(2.0), Value(3.0)]
    for p in params:
        p.grad = 5.0
    made = "MyMomentum(params, lr=0.1, momentum=0.9)"
    asked = "MyMomentum(params, lr, momentum)"
    ok, opt = _call(report, made, momentum_class, asked, params, lr=0.1, momentum=0.9)
    if not ok or not _has_methods(report, made, opt, "MyMomentum", ["step", "zero_grad"]):
        return report
    ok, _ = _attempt(report, "zero_grad()", lambda: opt.zero_grad())
    if not ok:
        return report
    grads = [_as_float(p.grad) for p in params]
    zero_grad_works = all(g == 0 for g in grads)
    if zero_grad_works:
        report.checks.append(Check("zero_grad()", True, "every parameter's grad is 0"))
    else:
        mistake = "zero_grad() must set the grad of every parameter to 0"
        if any(_not_a_number(p.grad) for p in params):
            mistake = "zero_grad() must set p.grad to the number 0, not None: backward() adds to it"
        elif grads[-1] == 0 and any(g != 0 for g in grads[:-1]):
            mistake = (
                "zero_grad() reset only the last parameter: p.grad = 0 belongs inside the loop "
                "over the parameters"
            )
        report.checks.append(
            Check(
                "zero_grad()",
                False,
                f"zero_grad() left the grads at {_nums([p.grad for p in params])}, expected all 0: "
                f"{mistake}.",
                mistake,
            )
        )
    names = {
        "+=": "the step climbs: p.data -= lr * b, against the gradient",
        "no buffer": "the buffer is not kept between steps: that is plain gradient descent; store b for each "
        "parameter and use it at the next step",
        "ema": (
            "momentum here is a sum, b = momentum * b + g, not an average momentum * b + (1 - momentum) * g"
        ),
        "ema from g": (
            "b = momentum * b + (1 - momentum) * g, started from b = g, is an average: the first step "
            "is right, then each new gradient counts only 1 - momentum; momentum here is a sum, "
            "b = momentum * b + g"
        ),
        "no decay": (
            "step() adds each gradient to the buffer without multiplying the buffer by the momentum, so old "
            "gradients never fade: the buffer, and the steps with it, only grow"
        ),
        "zero_grad last": "zero_grad() reset only the last parameter, so the others accumulate gradients",
        "shared": "every parameter needs a buffer of its own: one b for all mixes x's gradient into y's step",
        "late": (
            "the step uses the buffer before this step's gradient is added to it, so the first step does "
            "not move: first b = momentum * b + g, then p.data -= lr * b"
        ),
    }
    for mu in (0.9, 0.5):
        name = f"50 steps with lr=1e-3, momentum={mu}"

        def run(mu: float = mu) -> _Run:
            return _run(lambda ps: momentum_class(ps, lr=1e-3, momentum=mu), _START, _rosenbrock, 50)

        ok, result = _attempt(report, name, run)
        if not ok:
            attributes = _attributes_set_on_parameters(momentum_class, mu)
            if attributes:
                mistake = (
                    "a Value takes no new attributes: keep the buffers in the optimizer (a list, one per "
                    "parameter)"
                )
                message = f"{name} stopped: step() sets p.{attributes[0]} on a parameter, and {mistake}."
                report.checks[-1] = Check(name, False, message, mistake)
            return report
        path, not_a_number = result.path, result.not_a_number
        if not_a_number is not None:
            mistake = "keep the buffer a number (use p.grad)"
            message = (
                f"{name}: after step {len(path) + 1}, p.data is a {type(not_a_number).__name__}, not a "
                f"number: {mistake}. A buffer that is a value, such as Value(0.0), makes p.data -= lr * b "
                "a value too."
            )
            report.checks.append(Check(name, False, message, mistake))
            return report
        want = _momentum_reference(50, 1e-3, mu)
        bad = [
            i
            for i, (a, b) in enumerate(zip(path, want, strict=False))
            if not (_close(a[0], b[0]) and _close(a[1], b[1]))
        ]
        if not bad and len(path) != len(want):
            bad = [min(len(path), len(want)) - 1]
        if not bad:
            report.checks.append(
                Check(name, True, f"ends at ({_num(want[-1][0])}, {_num(want[-1][1])}), as SGD does")
            )
            continue
        mistake = "the path differs from SGD's with momentum: b = momentum * b + g, then p.data -= lr * b"
        if not zero_grad_works:
            mistake = (
                "zero_grad() leaves the gradients (the check above), so they add up over the steps: "
                "fix it first"
            )
        if path and all(point == _START for point in path):
            mistake = _unmoved_momentum_mistake(momentum_class, mu)
        else:
            for variant, text in names.items():
                v = _momentum_reference(50, 1e-3, mu, variant)
                if len(v) == len(path) and all(
                    _close(a[0], b[0]) and _close(a[1], b[1]) for a, b in zip(path, v, strict=True)
                ):
                    mistake = text
                    if variant == "no buffer" and _zero_grad_resets_buffers(momentum_class, mu):
                        mistake = (
                            "zero_grad() also resets the buffers: it must only set each p.grad to 0, and "
                            "the buffers carry over from step to step"
                        )
                    if mu == _PAGE_MOMENTUM and _overflows_on_the_page(variant):
                        mistake += (
                            f"; this slip is also why the page's run of {_PAGE_STEPS} steps with momentum "
                            f"{mu} stops with an OverflowError"
                        )
                    break
        i = bad[0]
        report.checks.append(
            Check(
                name,
                False,
                f"{name}: after step {i + 1} at ({_num(path[i][0])}, {_num(path[i][1])}), "
                f"expected ({_num(want[i][0])}, {_num(want[i][1])}): {mistake}.",
                mistake,
            )
        )
        return report
    _four_parameters_check(report, momentum_class)
    return report


# The start and the function of the page's runs, and a second function, of four parameters, for
# a step() that moves only the first two.
_START = (-1.5, 2.0)
_FOUR = (0.5, -1.0, 2.0, 1.5)


# The page's own run of MyMomentum, in the cell before the check: lr=1e-3, momentum=0.9, 100 steps.
_PAGE_MOMENTUM = 0.9
_PAGE_STEPS = 100


def _overflows_on_the_page(slip: str) -> bool:
    """Whether the page's run of :class:`_MomentumSlip` ``slip`` stops with an OverflowError: the
    reader whose class makes that slip saw one in their own cell, before the check ran."""
    return len(_momentum_reference(_PAGE_STEPS, 1e-3, _PAGE_MOMENTUM, slip)) < _PAGE_STEPS


def _rosenbrock(params: Sequence[Value]) -> Value:
    x, y = params
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _bowl(params: Sequence[Value]) -> Value:
    """f = 1 (a - 1)² + 2 (b - 1)² + 3 (c - 1)² + 4 (d - 1)², a different curvature for each."""
    return sum(((k + 1) * (p - 1) ** 2 for k, p in enumerate(params)), Value(0.0))


class _Run(NamedTuple):
    """What :func:`_run` saw of an optimizer's steps."""

    path: list[tuple[float, ...]]  # the point after each step
    values: list[float]  # f before each step
    not_a_number: object  # the first p.data a step left not a number (a Value), else None


def _run(
    make: Callable[[list[Value]], Any], start: Sequence[float], f: Callable[[list[Value]], Value], steps: int
) -> _Run:
    """``steps`` steps of the optimizer ``make(params)`` on ``f`` from ``start``, as the page's
    run() takes them: zero_grad(), f, backward(), step(). The run ends early where the steps climb
    out of range (compare the path so far) or leave a p.data that is not a number."""
    params = [Value(v) for v in start]
    optimizer = make(params)
    run = _Run([], [], None)
    for _ in range(steps):
        optimizer.zero_grad()
        try:
            value = f(params)
            value.backward()
        except OverflowError:
            break
        optimizer.step()
        run.values.append(value.data)
        not_a_number = next((p.data for p in params if _not_a_number(p.data) is not None), None)
        if not_a_number is not None:
            return run._replace(not_a_number=not_a_number)
        run.path.append(tuple(_as_float(p.data) for p in params))
    return run


def _four_parameters_check(report: Report, momentum_class: Callable[..., Any]) -> None:
    """50 steps on four parameters, as SGD takes them: a step() that updates a fixed few fails."""
    from micrograd.optim import SGD

    name = "50 steps on four parameters, lr=0.01, momentum=0.9"
    ok, result = _attempt(
        report, name, lambda: _run(lambda ps: momentum_class(ps, lr=0.01, momentum=0.9), _FOUR, _bowl, 50)
    )
    if not ok:
        return
    path = result.path
    want = _run(lambda ps: SGD(ps, lr=0.01, momentum=0.9), _FOUR, _bowl, 50).path
    if len(path) == len(want) and all(
        _close(a, b)
        for got, expected in zip(path, want, strict=True)
        for a, b in zip(got, expected, strict=True)
    ):
        report.checks.append(Check(name, True, f"ends at {_nums(want[-1])}, as SGD does"))
        return
    still = [k + 1 for k in range(len(_FOUR)) if all(point[k] == _FOUR[k] for point in path)]
    mistake = "the path differs from SGD's: update every parameter in params, each with a buffer of its own"
    if still:
        which = " and ".join(
            [", ".join(map(str, still[:-1])), str(still[-1])] if len(still) > 1 else [str(still[0])]
        )
        mistake = (
            f"parameter{'s' * (len(still) > 1)} {which} never moved: step() must update every parameter "
            "in params, not a fixed few"
        )
    got = _nums(path[-1]) if path else "the start"
    message = f"{name}: ends at {got}, expected {_nums(want[-1])}: {mistake}."
    report.checks.append(Check(name, False, message, mistake))


def _attributes_set_on_parameters(momentum_class: Callable[..., Any], mu: float) -> list[str]:
    """The attributes the reader's step() sets on a parameter, seen on a value that takes them
    (micrograd's Value takes none: it has __slots__)."""

    class Open(Value):
        """A Value with a __dict__, for new attributes."""

    p = Open(0.0)
    try:
        optimizer = momentum_class([p], lr=1.0, momentum=mu)
        p.grad = 1.0
        optimizer.step()
    except Exception:  # the reader's class may raise anything: no finding, then
        return []
    return list(vars(p))


def _unmoved_momentum_mistake(momentum_class: Callable[..., Any], mu: float) -> str:
    """Why the reader's step() leaves every parameter where it was, from what one step changes."""
    params, grads = [Value(1.0), Value(-2.0)], [0.5, -3.0]
    try:
        optimizer = momentum_class(params, lr=0.1, momentum=mu)
        kept = _keeps(optimizer, params)
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        optimizer.step()
    except Exception:  # the reader's class may raise anything: no finding, then
        return "step() never moves the parameters: p.data -= lr * b"
    return _unmoved_mistake(params, grads, kept, "lr * b", getattr(type(optimizer), "step", None))


def _zero_grad_resets_buffers(momentum_class: Callable[..., Any], mu: float) -> bool:
    """Whether the reader's momentum keeps its buffer over two steps, unless zero_grad() runs
    between them: then zero_grad() resets the buffers along with the gradients."""

    def two_steps(zero_grad: bool) -> float:
        p = Value(0.0)
        opt = momentum_class([p], lr=1.0, momentum=mu)
        for _ in range(2):
            if zero_grad:
                opt.zero_grad()
            p.grad = 1.0
            opt.step()
        return _as_float(p.data)

    try:
        return _close(two_steps(False), -(2 + mu)) and _close(two_steps(True), -2.0)
    except Exception:  # the reader's class may raise anything: no finding, then
        return False


def _rosenbrock_run(make: Callable[[list[Value]], Any], steps: int) -> list[float]:
    """f before each of ``steps`` steps from (-1.5, 2), as the page's run() records it."""
    return _run(make, _START, _rosenbrock, steps).values


def check_nesterov(values: Sequence[float]) -> Report:
    """Check exercise 1 of *Optimizers*: the values of the Rosenbrock function under Nesterov momentum.

    Args:
        values: Your ``nesterov_values``: ``f`` before each of 1000 steps of
            ``SGD(lr=1e-3, momentum=0.9, nesterov=True)`` from ``(-1.5, 2)``.

    Returns:
        A :class:`Report`: 1000 values, no more and no fewer, and the values after 200, 500
        and 1000 steps, with known slips named (plain momentum, f after each step instead of
        before it, f at the start, a learning rate ten times too small).

    Example:
        >>> from micrograd.optim import SGD
        >>> run = _rosenbrock_run(lambda p: SGD(p, lr=1e-3, momentum=0.9, nesterov=True), 1000)
        >>> print(check_nesterov(run).passed)
        True
    """
    from micrograd.optim import SGD

    report = Report("Optimizers, exercise 1: Nesterov momentum")
    # f before each of 1001 steps: the first 1000 are run()'s values, the last is f at the final point.
    longer = _rosenbrock_run(lambda p: SGD(p, lr=1e-3, momentum=0.9, nesterov=True), 1001)
    want = longer[:1000]
    plain = _rosenbrock_run(lambda p: SGD(p, lr=1e-3, momentum=0.9), 1000)
    recipe = "run SGD(params, lr=1e-3, momentum=0.9, nesterov=True) for 1000 steps from (-1.5, 2)"
    keep = "keep the list of the values of f at every step, _, nesterov_values = run(...), not one of them"
    if not _is_list(report, "values", values, "nesterov_values", keep):
        return report
    values = list(values)
    if len(values) == 2 and all(_not_a_number(v) for v in values):
        mistake = "run() returns (path, values): keep the second, _, nesterov_values = run(...)"
        message = f"values: your nesterov_values holds two lists, not 1000 numbers: {mistake}."
        report.checks.append(Check("values", False, message, mistake))
        return report
    found = _first_not_a_number(values)
    if len(values) < 1000 or (found is None and len(values) > 1000):
        mistake = f"one value of f per step: {recipe}"
        if len(values) == 1001 and all(_close(v, w, 1e-9) for v, w in zip(values, longer, strict=True)):
            mistake = (
                "that is f at every point of the path, the start and the end: keep what run returns "
                "second, f before each of the 1000 steps"
            )
        message = f"values: your list has {len(values)} values, the exercise asks for 1000: {mistake}."
        report.checks.append(Check("values", False, message, mistake))
        return report
    if found is not None:
        mistake = "keep one number per step, f.data"
        message = f"values: entry {found[0]} is {found[1]}: {mistake}."
        report.checks.append(Check("values", False, message, mistake))
        return report
    got = [_as_float(v) for v in values]
    # Known slips, by the values of f they give: plain momentum, f one step late, f at the start
    # at every step, a learning rate ten times too small (ten times too large overflows, and
    # says so); that run only for a wrong answer.
    slips = [
        (plain, "that is plain momentum: pass nesterov=True to SGD"),
        (
            longer[1:],
            "those are f after each step, one step late: run() records f before each step; keep what it "
            "returns second, _, nesterov_values = run(...)",
        ),
        ([want[0]] * 1000, f"that is f at the start, {_num(want[0])}, at every step: the point never moved"),
    ]
    if not all(_close(got[step - 1], want[step - 1], 1e-9) for step in (200, 500, 1000)):
        slow = _rosenbrock_run(functools.partial(SGD, lr=1e-4, momentum=0.9, nesterov=True), 1000)
        slips.append((slow, "that is the run at learning rate 1e-4: the exercise's is 1e-3"))
    for step in (200, 500, 1000):
        name = f"f after {step} steps"
        g = got[step - 1]
        wrongs = [(slip[step - 1], text) for slip, text in slips]
        _number_check(report, name, g, want[step - 1], wrongs, recipe, rtol=1e-9)
    return report


def check_adam_halves(results: Mapping[float, tuple[float, float]]) -> Report:
    """Check exercise 2 of *Optimizers*: Adam with and without its momentum, at three rates.

    Args:
        results: Your final values of ``f`` by learning rate: ``{lr: (normalization only,
            full Adam)}`` for ``lr`` in 0.01, 0.03 and 0.1, after 1000 steps from ``(-1.5, 2)``.

    Returns:
        A :class:`Report`: each of the six values, run again with micrograd's Adam: the last
        of ``run()``'s values, ``f`` before the last step, or ``f`` at the final point, since
        the page's "final f" reads as either; known slips named (the halves swapped, the
        betas the other way round, ``f`` at the start, every run at the last rate).

    Example:
        >>> from micrograd.optim import Adam
        >>> runs = {lr: (_rosenbrock_run(lambda p: Adam(p, lr=lr, betas=(0.0, 0.999)), 1000)[-1],
        ...              _rosenbrock_run(lambda p: Adam(p, lr=lr), 1000)[-1]) for lr in (0.01, 0.03, 0.1)}
        >>> print(check_adam_halves(runs).passed)
        True
    """
    from micrograd.optim import Adam

    report = Report("Optimizers, exercise 2: which half of Adam does the work?")
    keyed = "results must be a dict keyed by learning rate: results[lr] = (normalization only, full Adam)"
    if not isinstance(results, Mapping):
        what = "None" if results is None else f"a {type(results).__name__}"
        message = f"results: your results is {what}: {keyed}."
        report.checks.append(Check("results", False, message, keyed))
        return report
    if any(isinstance(key, str) for key in results):
        mistake = f"the keys are the numbers themselves, results[0.01], not the text '0.01': {keyed}"
        report.checks.append(Check("results", False, f"results: {mistake}.", mistake))
        return report
    # f before each of 1001 steps, at each rate, without momentum and with: the value before the
    # last of run()'s 1000 steps and the value at the final point after it are both "the final f".
    runs = {
        lr: (
            _rosenbrock_run(functools.partial(Adam, lr=lr, betas=(0.0, 0.999)), 1001),
            _rosenbrock_run(functools.partial(Adam, lr=lr), 1001),
        )
        for lr in (0.01, 0.03, 0.1)
    }
    for lr, run in runs.items():
        pair = results.get(lr)
        if pair is None:
            report.checks.append(
                Check(f"lr {lr}", False, f"lr {lr}: no result: give results[{lr}]", "a result per rate")
            )
            continue
        if isinstance(pair, (list, tuple)):
            has = f"{len(pair)} value{'s' if len(pair) != 1 else ''}"
        else:
            has, pair = "one value", [pair]
        if len(pair) != 2:
            mistake = "give a pair per rate: results[lr] = (normalization only, full Adam)"
            message = f"lr {lr}: your results[{lr}] has {has}, the exercise asks for 2: {mistake}."
            report.checks.append(Check(f"lr {lr}", False, message, mistake))
            continue
        listed = [
            (half, _not_a_number(v))
            for half, v in zip(("normalization only", "full Adam"), pair, strict=True)
        ]
        if any(what is not None for _, what in listed):
            half, what = next((h, w) for h, w in listed if w is not None)
            mistake = "keep one number, the last value of f of each run: no_momentum[-1] and full[-1]"
            message = f"lr {lr}, {half}: the entry is {what}: {mistake}."
            report.checks.append(Check(f"lr {lr}, {half}", False, message, mistake))
            continue
        late = (
            "that is the run at lr 0.1, the last rate: a lambda reads lr when it is called, not when it is "
            "made, so lambdas called after the loop all run at 0.1; call run() inside the loop"
        )
        start = (
            f"that is f at the start, {_num(run[0][0])}, the first value: the final f is the last, values[-1]"
        )
        halves = [
            (
                "normalization only",
                "Adam(params, lr=lr, betas=(0.0, 0.999))",
                "that is full Adam: betas=(0.0, 0.999) removes the momentum",
            ),
            (
                "full Adam",
                "Adam(params, lr=lr)",
                "that is the run without momentum: full Adam keeps the default betas",
            ),
        ]
        for h, (half, made, other) in enumerate(halves):
            # Known slips, by their values: the other half's run, f at the start, and at the first
            # two rates the run at the last one; the betas swapped only for a wrong answer.
            wrongs = [(run[1 - h][999], other), (run[h][0], start)]
            if lr != 0.1:
                wrongs.append((runs[0.1][h][999], late))
            if h == 0 and not _close(pair[0], run[0][999], 1e-9):
                swapped = _rosenbrock_run(functools.partial(Adam, lr=lr, betas=(0.999, 0.0)), 1000)[-1]
                wrongs.append(
                    (
                        swapped,
                        "that is betas=(0.999, 0.0), the other way round: the first beta is the momentum's",
                    )
                )
            recipe = f"run {made} for 1000 steps and take the last value of f"
            _final_f_check(report, f"lr {lr}, {half}", pair[h], run[h], wrongs, recipe)
    return report


def _final_f_check(
    report: Report,
    name: str,
    got: object,
    values: Sequence[float],
    wrongs: Sequence[tuple[float, str]],
    fallback: str,
) -> None:
    """The final f of a run whose ``values`` are f before each of 1001 steps: run()'s last value,
    ``values[999]``, f before the last of its 1000 steps, or f at the final point after it,
    ``values[1000]``; the page's "final f" reads as either."""
    if _not_a_number(got) is None and _close(got, values[1000], 1e-9) and not _close(got, values[999], 1e-9):
        before = f"run()'s last value, f before the last step, is {_num(values[999])}"
        report.checks.append(Check(name, True, f"{_num(values[1000])}, f at the final point ({before})"))
        return
    _number_check(report, name, got, values[999], wrongs, fallback, rtol=1e-9)
