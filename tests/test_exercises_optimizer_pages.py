"""The checkers of *Multiclass*, exercise 3, and of *Optimizers* fail every wrong answer that a
learner review found passing, pass the right answers it found failing, and name each slip it
found told something else.

Each test puts one learner's slip into an otherwise right answer; the reference runs are
computed here, with micrograd's optimizers in the page's own loop, not by the checker's code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from test_exercises import failed_with, reader_value_class

from micrograd import Value
from micrograd.exercises import check_adam_halves, check_cross_entropy_by_hand, check_momentum, check_nesterov
from micrograd.optim import SGD, Adam

# -- Multiclass, exercise 3: cross-entropy by hand -----------------------------------------------


def cross_entropy(slip: str = "", V: Any = Value) -> Callable[..., Any]:
    """The page's mean_cross_entropy_by_hand on the class V, or with one of a learner's slips."""

    def loss(batch_logits: list[list[Any]], targets: list[int]) -> Any:
        whole_batch = max(z.data for logits in batch_logits for z in logits)
        total = V(0.0)
        for logits, target in zip(batch_logits, targets, strict=True):
            m = whole_batch if slip == "one max" else max(z.data for z in logits)
            exps = [(z - m).exp() for z in logits]
            if slip == "-log p":
                total = total - (exps[target] / sum(exps, V(0.0))).log()
            else:
                total = total + (m + sum(exps, V(0.0)).log() - logits[target])
        return total / (len(targets) - 1 if slip == "n - 1" else len(targets))

    return loss


def test_cross_entropy_with_one_max_for_the_whole_batch_fails_and_is_told_each_examples_own() -> None:
    V = reader_value_class()
    assert check_cross_entropy_by_hand(cross_entropy()).passed
    assert check_cross_entropy_by_hand(cross_entropy(V=V), value_class=V).passed
    for report in (
        check_cross_entropy_by_hand(cross_entropy("one max")),
        check_cross_entropy_by_hand(cross_entropy("one max", V), value_class=V),
    ):
        failed_with(report, "subtract each example's own largest logit")


def test_cross_entropy_as_minus_log_p_is_told_that_p_underflowed_not_a_line_of_the_log() -> None:
    V = reader_value_class()
    for report in (
        check_cross_entropy_by_hand(cross_entropy("-log p")),
        check_cross_entropy_by_hand(cross_entropy("-log p", V), value_class=V),
    ):
        failed_with(report, "p_y underflowed to 0")
        failed_with(report, "not -log p_y")
        assert "raised by your code" not in str(report), str(report)


def test_cross_entropy_divided_by_one_less_than_the_batch_is_told_so_not_a_negative_power() -> None:
    V = reader_value_class()
    for report in (
        check_cross_entropy_by_hand(cross_entropy("n - 1")),
        check_cross_entropy_by_hand(cross_entropy("n - 1", V), value_class=V),
    ):
        failed_with(report, "not len(targets) - 1")
        assert "negative power" not in str(report), str(report)


# -- Optimizers: the page's run() ---------------------------------------------------------------


def run(make_optimizer: Callable[[list[Value]], Any], steps: int = 1000) -> tuple[list[Any], list[float]]:
    """The page's run(): the path from (-1.5, 2), and f before each step."""
    x, y = Value(-1.5), Value(2.0)
    optimizer = make_optimizer([x, y])
    path, values = [(x.data, y.data)], []
    for _ in range(steps):
        optimizer.zero_grad()
        f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
        f.backward()
        optimizer.step()
        path.append((x.data, y.data))
        values.append(f.data)
    return path, values


def rosenbrock(x: float, y: float) -> float:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def nesterov(p: list[Value]) -> SGD:
    return SGD(p, lr=1e-3, momentum=0.9, nesterov=True)


# -- Optimizers, exercise 1: Nesterov momentum --------------------------------------------------


def test_nesterov_with_more_values_than_steps_fails_and_f_at_every_point_is_named() -> None:
    path, values = run(nesterov, 2000)
    assert check_nesterov(values[:1000]).passed
    failed_with(check_nesterov(values), "your list has 2000 values, the exercise asks for 1000")
    failed_with(check_nesterov(path[:1001]), "entry 0 is a tuple of 2 values, not a number")  # type: ignore[arg-type]
    at_every_point = [rosenbrock(*p) for p in path[:1001]]
    report = check_nesterov(at_every_point)
    failed_with(report, "your list has 1001 values")
    failed_with(report, "f at every point of the path")


def test_nesterov_with_f_after_each_step_or_at_the_start_is_told_which() -> None:
    path, values = run(nesterov)
    failed_with(check_nesterov([rosenbrock(*p) for p in path[1:]]), "f after each step, one step late")
    failed_with(check_nesterov([values[0]] * 1000), "f at the start")


# -- Optimizers, exercise 2: which half of Adam does the work? ---------------------------------


def halves(pick: Callable[[list[Any], list[float]], float]) -> dict[float, tuple[float, float]]:
    """results as the page asks, with pick(path, values) as each run's final f."""
    results = {}
    for lr in (0.01, 0.03, 0.1):
        no_momentum = pick(*run(functools.partial(Adam, lr=lr, betas=(0.0, 0.999))))
        full = pick(*run(functools.partial(Adam, lr=lr)))
        results[lr] = (no_momentum, full)
    return results


def test_adam_halves_accepts_f_at_the_final_point_as_well_as_runs_last_value() -> None:
    assert check_adam_halves(halves(lambda path, values: values[-1])).passed
    report = check_adam_halves(halves(lambda path, values: rosenbrock(*path[-1])))
    assert report.passed, str(report)
    assert "f at the final point" in str(report)


def test_adam_halves_with_the_first_value_or_every_lambda_at_the_last_rate_is_told_which() -> None:
    failed_with(check_adam_halves(halves(lambda path, values: values[0])), "that is f at the start")
    makers = []
    for lr in (0.01, 0.03, 0.1):  # the slip: each lambda reads lr when run() calls it, after the loop
        makers.append((lr, lambda p: Adam(p, lr=lr, betas=(0.0, 0.999)), lambda p: Adam(p, lr=lr)))  # noqa: B023
    results = {key: (run(a)[1][-1], run(b)[1][-1]) for key, a, b in makers}
    report = check_adam_halves(results)
    failed_with(report, "that is the run at lr 0.1")
    failed_with(report, "a lambda reads lr when it is called")


# -- Optimizers, exercise 3: MyMomentum ---------------------------------------------------------


class MyMomentum:
    """The page's solution; each slip below changes one thing."""

    def __init__(self, params: list[Value], lr: float, momentum: float) -> None:
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.buffers: list[Any] = [0.0] * len(self.params)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0

    def step(self) -> None:
        for i, p in enumerate(self.params):
            self.buffers[i] = self.momentum * self.buffers[i] + p.grad
            p.data -= self.lr * self.buffers[i]


def test_momentum_that_moves_only_the_first_two_parameters_fails() -> None:
    class FirstTwo(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params[:2]):
                self.buffers[i] = self.momentum * self.buffers[i] + p.grad
                p.data -= self.lr * self.buffers[i]

    assert check_momentum(MyMomentum).passed
    report = check_momentum(FirstTwo)
    failed_with(report, "parameters 3 and 4 never moved")
    failed_with(report, "every parameter")


def test_momentum_with_value_buffers_attributes_on_the_parameters_or_p_rebound_is_told_which() -> None:
    class ValueBuffers(MyMomentum):
        def __init__(self, params: list[Value], lr: float, momentum: float) -> None:
            super().__init__(params, lr, momentum)
            self.buffers = [Value(0.0) for _ in self.params]

    class BufferOnTheParameter(MyMomentum):
        def step(self) -> None:
            for p in self.params:
                p.buf = self.momentum * getattr(p, "buf", 0.0) + p.grad  # type: ignore[attr-defined]
                p.data -= self.lr * p.buf  # type: ignore[attr-defined]

    class Rebound(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                self.buffers[i] = self.momentum * self.buffers[i] + p.grad
                p -= self.lr * self.buffers[i]  # the slip

    class ItemsReplaced(MyMomentum):  # was told to keep the parameters, read after the step
        def step(self) -> None:
            for i, p in enumerate(self.params):
                self.buffers[i] = self.momentum * self.buffers[i] + p.grad
                self.params[i] = p - self.lr * self.buffers[i]  # the slip

    class UpdatesTheGradient(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                self.buffers[i] = self.momentum * self.buffers[i] + p.grad
                p.grad -= self.lr * self.buffers[i]

    report = check_momentum(ValueBuffers)
    failed_with(report, "p.data is a Value, not a number: keep the buffer a number (use p.grad).")
    assert "Value(target)" not in str(report), str(report)
    report = check_momentum(BufferOnTheParameter)
    failed_with(report, "a Value takes no new attributes: keep the buffers in the optimizer")
    failed_with(check_momentum(Rebound), "makes a new value")
    failed_with(check_momentum(Rebound), "change p.data")
    failed_with(check_momentum(ItemsReplaced), "makes a new value and binds the name p to it")
    failed_with(check_momentum(UpdatesTheGradient), "changed p.grad")


def test_momentum_whose_step_does_nothing_is_told_so_not_that_it_rebinds_p() -> None:
    class Idle(MyMomentum):
        def step(self) -> None:
            pass

    class Returns(MyMomentum):
        def step(self) -> Any:
            return [p.data - self.lr * p.grad for p in self.params]

    class DropsTheUpdate(MyMomentum):  # its buffers, kept by index, were read as a replaced item
        def step(self) -> None:
            for i, p in enumerate(self.params):
                self.buffers[i] = self.momentum * self.buffers[i] + p.grad
                p.data - self.lr * self.buffers[i]  # the slip: = missing

    report = check_momentum(DropsTheUpdate)
    failed_with(report, "computes a new number and keeps it nowhere, so it is thrown away (line")
    failed_with(report, ": p.data - self.lr * self.buffers[i])")
    report = check_momentum(Idle)
    failed_with(report, "step() leaves every parameter unchanged: its body is pass, which does nothing (line")
    assert "binds the name p" not in str(report), str(report)
    failed_with(check_momentum(Returns), "it returns the new numbers")


class SlottedMomentum:
    """The page's solution in a class with __slots__ (and so no __dict__), its parameters in a
    private slot."""

    __slots__ = ("__params", "buffers", "lr", "momentum", "note")  # "note" is never set

    def __init__(self, params: list[Value], lr: float, momentum: float) -> None:
        self.__params, self.lr, self.momentum = list(params), lr, momentum
        self.buffers: list[Any] = [0.0] * len(self.__params)

    def zero_grad(self) -> None:
        for p in self.__params:
            p.grad = 0

    def step(self) -> None:
        for i, p in enumerate(self.__params):
            self.buffers[i] = self.momentum * self.buffers[i] + p.grad
            self.move(p, self.lr * self.buffers[i])

    def move(self, p: Value, by: float) -> None:
        p.data -= by


def test_momentum_with_slots_that_rebinds_p_is_told_so_not_to_keep_the_parameters() -> None:
    """A code review: the optimizer's attributes were read from its __dict__ alone, so one with
    __slots__ that keeps the parameters and rebinds p was told to keep them, not copies."""

    class Rebound(SlottedMomentum):
        __slots__ = ()

        @property
        def note(self) -> str:  # a property of the reader's that raises: the checker reads on
            raise RuntimeError("not yet")

        def move(self, p: Value, by: float) -> None:
            p = p - by  # the slip

    assert check_momentum(SlottedMomentum).passed
    report = check_momentum(Rebound)
    failed_with(report, "makes a new value and binds the name p to it")
    assert "copies" not in str(report), str(report)


def test_momentum_whose_buffer_never_decays_is_told_so_and_why_the_pages_run_overflowed() -> None:
    class NoDecay(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                self.buffers[i] = self.buffers[i] + p.grad  # the slip: the momentum left out
                p.data -= self.lr * self.buffers[i]

    class Climbs(MyMomentum):
        def step(self) -> None:
            for i, p in enumerate(self.params):
                self.buffers[i] = self.momentum * self.buffers[i] + p.grad
                p.data += self.lr * self.buffers[i]  # the slip

    # The page's own cell, 100 steps at momentum 0.9, stops before the check cell runs.
    for slip in (NoDecay, Climbs):
        with pytest.raises(OverflowError):
            run(lambda p, slip=slip: slip(p, lr=1e-3, momentum=0.9), steps=100)
    run(lambda p: MyMomentum(p, lr=1e-3, momentum=0.99), steps=100)  # a momentum of 0.99 does not
    overflow = (
        "this slip is also why the page's run of 100 steps with momentum 0.9 stops with an OverflowError"
    )
    report = check_momentum(NoDecay)
    failed_with(report, "adds each gradient to the buffer without multiplying the buffer by the momentum")
    failed_with(report, overflow)
    assert "b = momentum * b + g" not in str(report), str(report)
    failed_with(check_momentum(Climbs), overflow)
