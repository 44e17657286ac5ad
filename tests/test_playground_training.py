"""The training playground's Python side: data sets, a setup in the URL, and training steps.

The losses of the first 20 steps equal those of the same settings written plainly with
micrograd here (the model, the loss formula and the update rule by hand), so the page
shows what the package computes.
"""

from __future__ import annotations

import gc
import math
import random
import time

import pytest
from playgrounds.training import (  # docs/_ext/static, put on sys.path by conftest
    DATASETS,
    GRID,
    Session,
    Setup,
    make_dataset,
    open_run,
    train,
)

from micrograd import MLP, Value


def plain_losses(
    setup: Setup, points: list[tuple[float, float]], labels: list[int], steps: int
) -> list[float]:
    """The same training written out: full batch, one loss, one update rule, no playground code."""
    model = MLP(2, [*setup.hidden, 1], activation=setup.activation, rng=random.Random(setup.seed))  # type: ignore[arg-type]
    params = model.parameters()
    buffers = [0.0] * len(params)
    m, v = [0.0] * len(params), [0.0] * len(params)
    losses = []
    for t in range(1, steps + 1):
        scores = [model(list(p)) for p in points]
        terms = []
        for s, label in zip(scores, labels, strict=True):
            assert isinstance(s, Value)
            y = 2 * label - 1
            if setup.loss == "hinge":
                terms.append((1 - y * s).relu())
            elif setup.loss == "mse":
                terms.append((s - y) ** 2)
            else:  # log(1 + exp(-y s)), the cross-entropy of sigmoid(s) against the label
                terms.append((1 + (-y * s).exp()).log())
        loss = sum(terms, Value(0.0)) / len(terms)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for i, p in enumerate(params):
            g = p.grad
            if setup.optimizer == "sgd":
                p.data -= setup.lr * g
            elif setup.optimizer == "momentum":
                buffers[i] = g if t == 1 else 0.9 * buffers[i] + g
                p.data -= setup.lr * buffers[i]
            else:
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g * g
                m_hat, v_hat = m[i] / (1 - 0.9**t), v[i] / (1 - 0.999**t)
                p.data -= setup.lr * m_hat / (math.sqrt(v_hat) + 1e-8)
        losses.append(loss.data)
    return losses


SETUPS = [
    Setup(),  # the classic demo: two moons, MLP(2, [16, 16, 1]), hinge, SGD
    Setup(
        dataset="xor",
        size=40,
        noise=0.05,
        seed=3,
        hidden=(4,),
        activation="tanh",
        loss="bce",
        optimizer="adam",
        lr=0.05,
    ),
    Setup(
        dataset="circles",
        size=60,
        noise=0.1,
        seed=7,
        hidden=(6, 4),
        activation="sigmoid",
        loss="mse",
        optimizer="momentum",
        lr=0.05,
    ),
    Setup(
        dataset="spiral",
        size=50,
        noise=0.0,
        seed=0,
        hidden=(8,),
        activation="relu",
        loss="bce",
        optimizer="sgd",
        lr=0.3,
    ),
]


@pytest.mark.parametrize("setup", SETUPS, ids=lambda s: f"{s.dataset}-{s.loss}-{s.optimizer}")
def test_first_20_losses_equal_the_same_settings_written_plainly(setup: Setup) -> None:
    session = Session(Setup.from_query(setup.to_query()))  # as a link would give it
    shown = [session.step(grid=False)["loss"] for _ in range(20)]
    points, labels = make_dataset(setup)
    expected = plain_losses(setup, points, labels, 20)
    for k, (a, b) in enumerate(zip(shown, expected, strict=True)):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"step {k + 1}: {a} != {b}"
    assert shown[-1] < shown[0], "training lowers the loss"


def test_the_page_calls_open_a_run_from_a_link_and_train_it_as_the_plain_losses() -> None:
    setup = Setup(dataset="xor", size=24, hidden=(4,), activation="tanh", lr=0.2, seed=5)
    opened = open_run(setup.to_query())
    assert Setup.from_query(opened["query"]) == setup
    assert opened["parameters"] == 4 * 3 + 5
    losses = [r["loss"] for _ in range(4) for r in train(5, grid=False)["records"]]
    expected = plain_losses(setup, *make_dataset(setup), 20)
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(losses, expected, strict=True))
    assert [len(layer) for layer in train(1)["weights"]] == [4, 1]
    with pytest.raises(ValueError, match="steps must be a whole number from 1 to 50"):
        train(0)
    with pytest.raises(ValueError, match="unknown setting 'evil'"):
        open_run("evil=1")


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_the_boundary_on_floats_equals_the_networks_own_scores(activation: str) -> None:
    """The grid is computed without a graph; every score must be micrograd's, bit for bit."""
    session = Session(Setup(hidden=(5, 3), activation=activation, size=20, seed=3))
    for _ in range(2):
        session.step(grid=False)
    grid = session.boundary()
    expected = [[session.model([x, y]).data for x in grid["x"]] for y in grid["y"]]  # type: ignore[union-attr]
    assert grid["scores"] == expected


def test_a_step_leaves_the_cyclic_collector_as_it_found_it() -> None:
    session = Session(Setup(size=10, hidden=(3,)))
    assert gc.isenabled()
    session.step(grid=False)
    assert gc.isenabled()
    gc.disable()
    try:
        session.step(grid=False)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_same_link_gives_the_same_run() -> None:
    setup = Setup(dataset="spiral", size=30, hidden=(5,), optimizer="adam", lr=0.02, seed=11)
    first, second = Session(setup), Session(Setup.from_query(setup.to_query()))
    for _ in range(3):
        assert first.step() == second.step()
    assert Session(Setup(dataset="spiral", size=30, hidden=(5,), seed=12)).points != first.points


def test_step_returns_loss_accuracy_boundary_grid_and_small_networks_weights() -> None:
    session = Session(Setup(dataset="xor", size=20, hidden=(3,), activation="tanh", lr=0.1))
    result = session.step()
    scores = [session.model(list(p)).data for p in session.points]  # type: ignore[union-attr]
    grid = result["grid"]
    assert len(grid["x"]) == len(grid["y"]) == GRID and all(len(row) == GRID for row in grid["scores"])
    x, y = grid["x"][3], grid["y"][5]
    assert grid["scores"][5][3] == session.model([x, y]).data  # type: ignore[union-attr]
    weights = result["weights"]
    assert [len(layer) for layer in weights] == [3, 1] and len(weights[0][0]) == 3
    assert weights[1][0] == [
        *(w.data for w in session.model.layers[1].neurons[0].w),
        session.model.layers[1].neurons[0].b.data,
    ]
    second = session.step(grid=False)
    correct = sum((s > 0) == (label == 1) for s, label in zip(scores, session.labels, strict=True))
    assert second["accuracy"] == correct / len(session.labels), (
        "accuracy of the scores the loss was made from"
    )
    assert "grid" not in second
    assert "weights" not in Session(Setup()).step(grid=False), "no weights drawn for 337 parameters"


@pytest.mark.parametrize("dataset", DATASETS)
def test_datasets_have_the_size_two_classes_and_depend_on_the_seed(dataset: str) -> None:
    points, labels = make_dataset(Setup(dataset=dataset, size=101, noise=0.0, seed=5))
    assert len(points) == len(labels) == 101
    assert set(labels) == {0, 1} and abs(labels.count(0) - labels.count(1)) <= 15
    other, _ = make_dataset(Setup(dataset=dataset, size=101, noise=0.2, seed=6))
    assert other != points


def test_noise_free_moons_lie_on_their_half_circles() -> None:
    points, labels = make_dataset(Setup(dataset="moons", size=50, noise=0.0))
    for (x, y), label in zip(points, labels, strict=True):
        cx, cy = (0.0, 0.0) if label == 0 else (1.0, 0.5)
        assert math.isclose(math.hypot(x - cx, y - cy), 1.0, abs_tol=1e-12)
        assert (y >= -1e-12) if label == 0 else (y <= 0.5 + 1e-12)


def test_xor_labels_are_the_sign_of_the_product_of_the_coordinates() -> None:
    points, labels = make_dataset(Setup(dataset="xor", size=200, noise=0.0))
    assert all((x * y > 0) == (label == 1) for (x, y), label in zip(points, labels, strict=True))


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("dataset=mnist", "dataset must be one of"),
        ("size=100000", "size must be"),
        ("size=ten", "not a number"),
        ("noise=nan", "not a number"),
        ("lr=0", "lr must be"),
        ("lr=1e400", "not a number"),
        ("hidden=16,16,16,16,16", "hidden must be"),
        ("hidden=64", "hidden must be"),
        ("hidden=1,,2", "not a number"),
        ("loss=<script>", "loss must be one of"),
        ("seed=-1", "seed must be"),
        ("seed=1&seed=2", "more than once"),
        ("evil=1", "unknown setting 'evil'"),
        ("x=" + "9" * 2000, "too long"),
    ],
)
def test_a_bad_link_is_refused_with_a_message_naming_the_setting(query: str, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        Setup.from_query(query)


def test_setup_round_trips_through_the_url() -> None:
    for setup in [*SETUPS, Setup(hidden=())]:
        assert Setup.from_query(setup.to_query()) == setup
    assert Setup.from_query("") == Setup()


def test_steps_per_second_of_the_classic_network(capsys: pytest.CaptureFixture[str]) -> None:
    """Not a speed limit (the machine may be busy): prints the native rate for the report.

    CPU time as well as wall time: on a shared machine the wall clock counts other work too.
    """
    session = Session(Setup())
    steps = 10
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        session.step(grid=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    grid = time.process_time()
    session.boundary()
    grid = time.process_time() - grid
    with capsys.disabled():
        print(
            f"\nMLP(2, [16, 16, 1]) on 100 points, natively: {steps / cpu:.1f} steps per CPU second "
            f"({steps / wall:.1f} per wall-clock second); "
            f"a {GRID}x{GRID} boundary grid: {grid * 1000:.0f} ms CPU"
        )
    assert cpu > 0
