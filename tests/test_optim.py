"""The optimizers take the same steps as torch.optim, and refuse bad arguments with a clear message."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import pytest
from dependencies import require

from micrograd.engine import Value
from micrograd.nn import MLP
from micrograd.optim import SGD, Adam, Optimizer

# A small regression problem: a 2-3-1 tanh network fitted to 6 points. The loss is written once,
# with operations that a Value and a PyTorch 0-d tensor share, so both libraries solve the very
# same problem and each computes its own gradients.
POINTS = [((0.5, -1.0), 0.3), ((-0.2, 0.8), -0.7), ((1.5, 0.3), 0.9), ((-1.1, -0.4), 0.1), ((0.0, 0.0), -0.2)]
POINTS += [((0.9, 1.2), 0.5)]
NUM_PARAMS = 3 * 2 + 3 + 3 + 1


def network_loss(p: Sequence[Any]) -> Any:
    w1, b1, w2, b2 = p[0:6], p[6:9], p[9:12], p[12]
    total: Any = 0.0
    for (x0, x1), y in POINTS:
        hidden = [(w1[2 * j] * x0 + w1[2 * j + 1] * x1 + b1[j]).tanh() for j in range(3)]
        out = w2[0] * hidden[0] + w2[1] * hidden[1] + w2[2] * hidden[2] + b2
        total = total + (out - y) ** 2
    return total / len(POINTS)


def initial_params() -> list[float]:
    rng = random.Random(0)
    return [rng.uniform(-1, 1) for _ in range(NUM_PARAMS)]


def assert_same_trajectory(
    torch: ModuleType,
    make_ours: Callable[[list[Value]], Optimizer],
    make_theirs: Callable[[list[Any]], Any],
    steps: int = 30,
    schedule: Callable[[int], float] | None = None,
) -> None:
    """Run both optimizers side by side; after every step, every parameter agrees to 1e-12."""
    start = initial_params()
    ours = [Value(x) for x in start]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in start]
    opt, topt = make_ours(ours), make_theirs(theirs)
    moved = 0.0
    for k in range(steps):
        if schedule is not None:
            opt.lr = schedule(k)
            for group in topt.param_groups:
                group["lr"] = schedule(k)
        opt.zero_grad()
        network_loss(ours).backward()
        opt.step()
        topt.zero_grad()
        network_loss(theirs).backward()
        topt.step()
        for i, (v, t) in enumerate(zip(ours, theirs, strict=True)):
            assert math.isclose(v.data, t.item(), rel_tol=1e-12, abs_tol=1e-15), (k, i, v.data, t.item())
    moved = max(abs(v.data - x) for v, x in zip(ours, start, strict=True))
    assert moved > 0.05, "the problem should make the parameters move"


SGD_CONFIGS: list[dict[str, Any]] = [
    {"lr": 0.1},
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    {"lr": 0.1, "weight_decay": 0.01},
    {"lr": 0.05, "momentum": 0.5, "dampening": 0.1, "weight_decay": 0.05},
    {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.02, "nesterov": True},
]


@pytest.mark.parametrize("config", SGD_CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_sgd_takes_the_same_steps_as_torch(torch: ModuleType, config: dict[str, Any]) -> None:
    assert_same_trajectory(
        torch, lambda p: SGD(p, **config), lambda p: torch.optim.SGD(p, foreach=False, **config)
    )


ADAM_CONFIGS: list[dict[str, Any]] = [
    {"lr": 0.01},
    {},  # every default, lr=1e-3 included
    {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.05, "betas": (0.3, 0.5), "weight_decay": 0.01},
]


@pytest.mark.parametrize(
    "config", ADAM_CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults"
)
def test_adam_takes_the_same_steps_as_torch(torch: ModuleType, config: dict[str, Any]) -> None:
    steps = 80 if config.get("lr") is None else 30  # lr=1e-3 needs more steps to move the parameters
    assert_same_trajectory(
        torch,
        lambda p: Adam(p, **config),
        lambda p: torch.optim.Adam(p, foreach=False, **config),
        steps=steps,
    )


def test_sgd_follows_a_learning_rate_schedule_like_torch(torch: ModuleType) -> None:
    # The classic demo's schedule: assign opt.lr before every step.
    assert_same_trajectory(
        torch,
        lambda p: SGD(p, lr=1.0, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=1.0, momentum=0.9, foreach=False),
        schedule=lambda k: 0.3 - 0.27 * k / 30,
    )


def test_adam_follows_a_learning_rate_schedule_like_torch(torch: ModuleType) -> None:
    assert_same_trajectory(
        torch,
        lambda p: Adam(p, lr=1.0),
        lambda p: torch.optim.Adam(p, lr=1.0, foreach=False),
        schedule=lambda k: 0.05 if k < 15 else 0.005,
    )


def test_sgd_trains_an_mlp_on_the_loss_it_is_given() -> None:
    model = MLP(2, [8, 1], activation="tanh", rng=random.Random(1))
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)

    def loss() -> Value:
        out = [model(list(x)) for x, _ in POINTS]
        errors = [(o - y) ** 2 for o, (_, y) in zip(out, POINTS, strict=True) if isinstance(o, Value)]
        return sum(errors, Value(0.0)) / len(errors)

    before = loss().data
    for _ in range(50):
        opt.zero_grad()
        loss().backward()
        opt.step()
    assert loss().data < 0.1 * before


# -- the Optimizer interface ----------------------------------------------------------


def test_zero_grad_resets_every_parameter_gradient() -> None:
    params = [Value(1.0), Value(2.0)]
    opt = Adam(params)
    (params[0] * params[1]).backward()
    assert [p.grad for p in params] == [2.0, 1.0]
    opt.zero_grad()
    assert [p.grad for p in params] == [0, 0]


def test_params_may_be_any_iterable_and_are_kept_in_order() -> None:
    model = MLP(3, [4, 1])
    opt = SGD(iter(model.parameters()), lr=0.1)
    assert opt.params == model.parameters()


def test_the_base_class_step_is_abstract() -> None:
    with pytest.raises(NotImplementedError, match=r"Optimizer does not implement step\(\)"):
        Optimizer([Value(1.0)], lr=0.1).step()


def test_repr_shows_the_hyperparameters() -> None:
    assert repr(SGD([Value(1.0)], lr=0.1, momentum=0.9)) == (
        "SGD(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False; 1 parameters)"
    )
    assert (
        repr(Adam([Value(1.0)]))
        == "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0; 1 parameters)"
    )


def test_an_update_that_overflows_raises_and_changes_nothing() -> None:
    a, b = Value(1.0), Value(1e300)
    opt = SGD([a, b], lr=1e10)
    a.grad, b.grad = 1.0, 1e300
    with pytest.raises(OverflowError, match=r"SGD.step\(\): the update made params\[1\] -inf"):
        opt.step()
    assert (a.data, b.data) == (1.0, 1e300)


# -- bad arguments --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: SGD(p, lr=-0.1), r"SGD\(\): lr must be non-negative, got -0.1"),
        (lambda p: SGD(p, lr=0.1, momentum=-0.9), r"SGD\(\): momentum must be non-negative, got -0.9"),
        (lambda p: SGD(p, lr=0.1, weight_decay=-1), r"SGD\(\): weight_decay must be non-negative, got -1"),
        (lambda p: SGD(p, lr=math.nan), r"SGD\(\): lr must be finite, got nan"),
        (lambda p: SGD(p, lr=0.1, nesterov=True), r"SGD\(\): Nesterov momentum needs momentum > 0"),
        (
            lambda p: SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
            r"Nesterov momentum needs momentum > 0 and dampening == 0, got momentum=0.9, dampening=0.1",
        ),
        (lambda p: Adam(p, lr=-1e-3), r"Adam\(\): lr must be non-negative, got -0.001"),
        (lambda p: Adam(p, betas=(1.0, 0.999)), r"Adam\(\): betas\[0\] must be in \[0, 1\), got 1.0"),
        (lambda p: Adam(p, betas=(0.9, -0.1)), r"Adam\(\): betas\[1\] must be non-negative, got -0.1"),
        (lambda p: Adam(p, eps=-1e-8), r"Adam\(\): eps must be non-negative, got -1e-08"),
        (lambda p: Adam(p, weight_decay=-0.1), r"Adam\(\): weight_decay must be non-negative, got -0.1"),
    ],
)
def test_an_out_of_range_hyperparameter_is_refused(
    make: Callable[[list[Value]], Optimizer], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make([Value(1.0)])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: SGD(p, lr="0.1"),  # type: ignore[arg-type]
            r"SGD\(\): lr must be a number, got '0.1' \(str\)",
        ),
        (lambda p: SGD(p, lr=True), r"SGD\(\): lr must be a number, got True \(bool\)"),
        (
            lambda p: Adam(p, betas=0.9),  # type: ignore[arg-type]
            r"Adam\(\): betas must be a pair \(beta1, beta2\), got 0.9",
        ),
    ],
)
def test_a_hyperparameter_that_is_not_a_number_is_refused(
    make: Callable[[list[Value]], Optimizer], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        make([Value(1.0)])


def test_assigning_a_negative_lr_is_refused_and_keeps_the_old_one() -> None:
    opt = SGD([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match=r"lr must be non-negative, got -0.5"):
        opt.lr = -0.5
    assert opt.lr == 0.1


def test_no_parameters_is_refused() -> None:
    with pytest.raises(ValueError, match=r"SGD\(\) got an empty list of parameters"):
        SGD([], lr=0.1)


def test_a_repeated_parameter_is_refused() -> None:
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match=r"Adam\(\): params\[2\] is the same Value as params\[0\]"):
        Adam([a, b, a])


def test_a_model_instead_of_its_parameters_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"SGD\(\): got a MLP; pass its parameters: model.parameters\(\)"):
        SGD(MLP(2, [1]), lr=0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [Value(1.0), 3.0])
def test_a_single_value_or_number_instead_of_a_list_is_refused(bad: Any) -> None:
    with pytest.raises(TypeError, match=r"SGD\(\): params must be an iterable of Values"):
        SGD(bad, lr=0.1)


def test_a_number_among_the_parameters_is_refused() -> None:
    with pytest.raises(TypeError, match=r"SGD\(\): params\[1\] is not a Value: 2.0 \(float\)"):
        SGD([Value(1.0), 2.0], lr=0.1)  # type: ignore[list-item]


# -- the classic demo -----------------------------------------------------------------


@pytest.mark.slow
def test_hinge_loss_and_sgd_reproduce_the_classic_two_moons_demo() -> None:
    """The classic micrograd demo, written with hinge_loss and SGD, takes the classic's exact steps."""
    datasets = require("sklearn")
    np = require("numpy")
    from micrograd.losses import hinge_loss

    np.random.seed(1337)
    X, y = datasets.make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    random.seed(1337)
    classic = MLP(2, [16, 16, 1])
    opt = SGD(ours.parameters(), lr=1.0)

    def scores(model: MLP) -> list[Value]:
        out = [model([Value(float(a)), Value(float(b))]) for a, b in X]
        assert all(isinstance(s, Value) for s in out)
        return out  # type: ignore[return-value]

    for k in range(100):
        # Ours: the library's loss and optimizer, with the schedule assigned to opt.lr.
        s = scores(ours)
        loss = hinge_loss(s, y) + 1e-4 * sum((p * p for p in ours.parameters()), Value(0.0))
        opt.zero_grad()
        loss.backward()
        opt.lr = 1.0 - 0.9 * k / 100
        opt.step()
        # The classic notebook's loop, verbatim in substance.
        cs = scores(classic)
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, cs, strict=True)]
        data_loss = sum(losses, Value(0.0)) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum((p * p for p in classic.parameters()), Value(0.0))
        total = data_loss + reg_loss
        classic.zero_grad()
        total.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in classic.parameters():
            p.data -= learning_rate * p.grad
        assert math.isclose(loss.data, total.data, rel_tol=1e-12)
        assert [p.data for p in ours.parameters()] == [p.data for p in classic.parameters()]

    accuracy = sum((yi > 0) == (si.data > 0) for yi, si in zip(y, scores(ours), strict=True)) / len(y)
    assert accuracy == 1.0


# -- a step is all or nothing, parameters and optimizer state alike -----------------------------


class InterruptOnDataWrite(Value):
    """A parameter whose ``data`` raises KeyboardInterrupt when a step writes it (once, when armed)."""

    __slots__ = ("_data", "armed")

    def __init__(self, data: float) -> None:
        self.armed = False
        super().__init__(data)

    @property
    def data(self) -> float:
        return self._data

    @data.setter
    def data(self, value: float) -> None:
        if self.armed:
            self.armed = False
            raise KeyboardInterrupt
        self._data = value


def _interrupted_then_completed(torch: ModuleType, make_ours: Any, make_theirs: Any) -> None:
    """Interrupt a step half-way (after params[0] is written), then step twice more.

    The interrupted step must leave no trace, parameters and state alike, so the two
    completed steps are torch's first two.
    """
    start = initial_params()
    ours: list[Value] = [Value(start[0]), InterruptOnDataWrite(start[1]), *(Value(x) for x in start[2:])]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in start]
    opt, topt = make_ours(ours), make_theirs(theirs)
    opt.zero_grad()
    network_loss(ours).backward()
    ours[1].armed = True  # type: ignore[attr-defined]
    with pytest.raises(KeyboardInterrupt):
        opt.step()
    assert [p.data for p in ours] == start
    for _ in range(2):
        opt.zero_grad()
        network_loss(ours).backward()
        opt.step()
        topt.zero_grad()
        network_loss(theirs).backward()
        topt.step()
    for v, t in zip(ours, theirs, strict=True):
        assert math.isclose(v.data, t.item(), rel_tol=1e-12, abs_tol=1e-15)


def test_an_interrupted_sgd_momentum_step_changes_neither_parameters_nor_momentum(torch: ModuleType) -> None:
    _interrupted_then_completed(
        torch,
        lambda p: SGD(p, lr=0.1, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    )


def test_an_interrupted_adam_step_changes_neither_parameters_nor_moments_nor_step_count(
    torch: ModuleType,
) -> None:
    _interrupted_then_completed(torch, lambda p: Adam(p, lr=0.05), lambda p: torch.optim.Adam(p, lr=0.05))


def test_adam_with_eps_zero_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match=r"Adam\(\): eps must be positive"):
        Adam([Value(1.0)], eps=0)


def test_a_squared_gradient_that_overflows_adams_average_raises_instead_of_freezing_the_parameter() -> None:
    # In torch, v becomes inf and the parameter never moves again, silently.
    a, b = Value(1.0), Value(2.0)
    opt = Adam([a, b], lr=0.1)
    a.grad, b.grad = 1e200, 1.0
    with pytest.raises(OverflowError, match=r"params\[0\].*squared gradient|squared gradient.*params\[0\]"):
        opt.step()
    assert (a.data, b.data) == (1.0, 2.0)
    a.grad = 1.0  # a usable gradient: the failed step left no state behind
    opt.step()
    assert a.data == pytest.approx(0.9, rel=1e-8)  # Adam's first step has length lr


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1), lambda p: Adam(p)])
def test_a_gradient_of_none_gets_a_clear_error_in_step(make: Callable[[list[Value]], Optimizer]) -> None:
    a, b = Value(1.0), Value(2.0)
    opt = make([a, b])
    b.grad = None  # type: ignore[assignment]  # the PyTorch habit
    with pytest.raises(TypeError, match=r"params\[1\] has grad=None.*not to None"):
        opt.step()
    assert (a.data, b.data) == (1.0, 2.0)


def test_a_nan_gradient_in_step_is_blamed_on_the_gradient_not_the_learning_rate() -> None:
    a = Value(1.0)
    opt = SGD([a], lr=0.1)
    a.grad = math.nan
    with pytest.raises(OverflowError, match="its gradient nan is not finite") as excinfo:
        opt.step()
    assert "learning rate" not in str(excinfo.value)


@pytest.mark.parametrize("huge", [10**400, 10**5000, -(10**5000)], ids=["1e400", "1e5000", "-1e5000"])
def test_a_hyperparameter_too_large_for_a_float_gets_a_clear_error(huge: int) -> None:
    with pytest.raises(ValueError, match="lr is too large for a float"):
        SGD([Value(1.0)], lr=huge)
    with pytest.raises(ValueError, match="eps is too large for a float"):
        Adam([Value(1.0)], eps=huge)


# -- each setting against its published formula, worked by hand ------------------------------
#
# One parameter and gradients given directly (no loss), so that every number of the expected
# trajectory can be worked out on paper from the update rules of torch.optim's documentation.
# These need no PyTorch; the comparisons above check the same settings against torch.optim.


def trajectory(make: Callable[[list[Value]], Optimizer], start: float, grads: Sequence[float]) -> list[float]:
    """The parameter after each step, with the gradients ``grads`` given one per step."""
    p = Value(start)
    opt = make([p])
    after = []
    for g in grads:
        p.grad = g
        opt.step()
        after.append(p.data)
    return after


def test_sgd_steps_against_the_gradient_times_lr() -> None:
    assert trajectory(lambda p: SGD(p, lr=0.1), 1.0, [0.5, -2.0]) == pytest.approx([0.95, 1.15], rel=1e-15)


def test_sgd_momentum_keeps_a_buffer_of_past_gradients() -> None:
    # b = g on the first step, then b = momentum * b + g; p -= lr * b.
    # Gradients 1, 2, 3: b = 1, 0.9 * 1 + 2 = 2.9, 0.9 * 2.9 + 3 = 5.61.
    expected = [1 - 0.1 * 1, 1 - 0.1 * 1 - 0.1 * 2.9, 1 - 0.1 * 1 - 0.1 * 2.9 - 0.1 * 5.61]
    ours = trajectory(lambda p: SGD(p, lr=0.1, momentum=0.9), 1.0, [1.0, 2.0, 3.0])
    assert ours == pytest.approx(expected, rel=1e-12)


def test_sgd_dampening_scales_the_new_gradient_in_the_buffer_after_the_first_step() -> None:
    # b = g on the first step (not damped), then b = momentum * b + (1 - dampening) * g:
    # b = 1, then 0.9 * 1 + 0.5 * 2 = 1.9.
    ours = trajectory(lambda p: SGD(p, lr=0.1, momentum=0.9, dampening=0.5), 1.0, [1.0, 2.0])
    assert ours == pytest.approx([1 - 0.1 * 1, 1 - 0.1 * 1 - 0.1 * 1.9], rel=1e-12)


def test_sgd_weight_decay_adds_decay_times_the_parameter_to_the_gradient() -> None:
    # g = grad + weight_decay * p: at p = 2 with grad 1, g = 1 + 0.1 * 2 = 1.2. A zero
    # gradient still shrinks the parameter towards 0.
    assert trajectory(lambda p: SGD(p, lr=0.1, weight_decay=0.1), 2.0, [1.0]) == pytest.approx(
        [2 - 0.1 * 1.2], rel=1e-15
    )
    assert trajectory(lambda p: SGD(p, lr=0.5, weight_decay=0.1), -4.0, [0.0]) == pytest.approx(
        [-4 - 0.5 * (0.1 * -4)], rel=1e-15
    )


def test_sgd_nesterov_steps_along_the_gradient_plus_momentum_times_the_buffer() -> None:
    # b as for momentum (1, then 0.9 * 1 + 2 = 2.9); the step uses g + momentum * b:
    # 1 + 0.9 * 1 = 1.9, then 2 + 0.9 * 2.9 = 4.61.
    ours = trajectory(lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True), 1.0, [1.0, 2.0])
    assert ours == pytest.approx([1 - 0.1 * 1.9, 1 - 0.1 * 1.9 - 0.1 * 4.61], rel=1e-12)


def test_sgd_weight_decay_enters_the_momentum_buffer() -> None:
    # g = 1 + 0.5 * 2 = 2 on the first step; p = 2 - 0.1 * 2 = 1.8; then
    # g = 1 + 0.5 * 1.8 = 1.9 and b = 0.9 * 2 + 1.9 = 3.7.
    ours = trajectory(lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=0.5), 2.0, [1.0, 1.0])
    assert ours == pytest.approx([1.8, 1.8 - 0.1 * 3.7], rel=1e-12)


def test_adam_uses_its_betas_eps_and_bias_correction() -> None:
    # m = b1 * m + (1 - b1) * g, v = b2 * v + (1 - b2) * g**2 (both from 0);
    # p -= lr * m / (1 - b1**t) / (sqrt(v / (1 - b2**t)) + eps). With b1 = 0.5, b2 = 0.75,
    # eps = 0.5, lr = 0.1 and gradients 2 then 4:
    # t = 1: m = 1, v = 1; corrected 1 / 0.5 = 2 and 1 / 0.25 = 4; step 0.1 * 2 / (2 + 0.5) = 0.08.
    # t = 2: m = 0.5 + 2 = 2.5, v = 0.75 + 4 = 4.75; corrected by 1 - 0.25 and 1 - 0.5625.
    second = 0.1 * (2.5 / (1 - 0.5**2)) / (math.sqrt(4.75 / (1 - 0.75**2)) + 0.5)
    ours = trajectory(lambda p: Adam(p, lr=0.1, betas=(0.5, 0.75), eps=0.5), 1.0, [2.0, 4.0])
    assert ours == pytest.approx([1 - 0.08, 1 - 0.08 - second], rel=1e-12)


def test_adam_with_its_defaults_first_moves_each_parameter_by_about_lr() -> None:
    # t = 1: m / (1 - 0.9) = g and v / (1 - 0.999) = g**2, so the step is lr * g / (|g| + eps).
    ours = trajectory(lambda p: Adam(p), 1.0, [3.0])
    assert ours == pytest.approx([1 - 1e-3 * 3 / (3 + 1e-8)], rel=1e-15)
    assert trajectory(lambda p: Adam(p), 1.0, [-3e-4]) == pytest.approx(
        [1 + 1e-3 * 3e-4 / (3e-4 + 1e-8)], rel=1e-15
    )


def test_adam_weight_decay_adds_decay_times_the_parameter_to_the_gradient() -> None:
    # g = 1 + 0.5 * 1 = 1.5; t = 1: corrected m = 1.5 and v = 2.25, step 0.1 * 1.5 / (1.5 + 0.5).
    ours = trajectory(lambda p: Adam(p, lr=0.1, betas=(0.5, 0.75), eps=0.5, weight_decay=0.5), 1.0, [1.0])
    assert ours == pytest.approx([1 - 0.1 * 1.5 / (1.5 + 0.5)], rel=1e-12)
