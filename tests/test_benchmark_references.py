"""The benchmark's references do the engine's work: the same training step, the same losses.

``benchmarks/run.py`` reports the engine's training step as a multiple of a hand-written
plain-float step (the floor) and of PyTorch's. Those ratios mean something only if the
references compute what the engine computes. The float step's backward pass is derived by
hand, independently of the engine, so its losses after several SGD updates agree with the
engine's only if both its forward pass and its gradients do.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

WORKLOADS = Path(__file__).resolve().parents[1] / "benchmarks" / "workloads"
STEPS = 3


@pytest.fixture(scope="module")
def workloads() -> Iterator[tuple[ModuleType, ModuleType]]:
    """The benchmark's workload modules, importable by their names as the benchmark runs them."""
    sys.path.insert(0, str(WORKLOADS))
    try:
        import _demo
        import float_step

        yield _demo, float_step
    finally:
        sys.path.remove(str(WORKLOADS))


def float_losses(float_step: ModuleType) -> list[float]:
    X, y = float_step.load_moons()
    layers = float_step.make_layers()
    return [float_step.train_step(layers, X, y, k)[0] for k in range(STEPS)]


def test_the_plain_float_step_gives_the_engines_losses_and_accuracies(
    workloads: tuple[ModuleType, ModuleType],
) -> None:
    demo, float_step = workloads
    X, y = demo.load_moons()
    model = demo.make_model()
    layers = float_step.make_layers()
    for k in range(STEPS):
        engine_loss, engine_accuracy = demo.train_step(model, X, y, k)
        float_loss, float_accuracy = float_step.train_step(layers, X, y, k)
        assert float_loss == pytest.approx(engine_loss, abs=1e-9, rel=0)
        assert float_accuracy == engine_accuracy
    # The weights after the updates too: the same gradients were applied.
    floats = [p for layer in layers for neuron in layer for p in neuron]
    assert floats == pytest.approx([p.data for p in model.parameters()], abs=1e-9, rel=0)


def test_pytorch_vectorized_gives_the_plain_float_steps_losses(
    workloads: tuple[ModuleType, ModuleType], torch: ModuleType
) -> None:
    _, float_step = workloads
    sys.path.insert(0, str(WORKLOADS))
    try:
        import torch_step
    finally:
        sys.path.remove(str(WORKLOADS))
    X, y = float_step.load_moons()
    model = torch_step.vectorized_model(float_step.make_layers())
    X_t, y_t = torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    losses = [torch_step.vectorized_step(model, X_t, y_t, k)[0] for k in range(STEPS)]
    assert losses == pytest.approx(float_losses(float_step), abs=1e-9, rel=0)


@pytest.fixture(scope="module")
def benchmark_driver() -> Iterator[ModuleType]:
    """``benchmarks/run.py``, imported as a module (it imports ``browser_runner.py`` beside it)."""
    sys.path.insert(0, str(WORKLOADS.parent))
    try:
        import run

        yield run
    finally:
        sys.path.remove(str(WORKLOADS.parent))


def test_the_browser_table_compares_each_round_with_the_native_run_of_the_same_round(
    benchmark_driver: ModuleType,
) -> None:
    run = benchmark_driver
    losses = [0.9, 0.5]
    native = [0.010, 0.040, 0.020]  # the engine's native time per step, round by round
    browser = [0.030, 0.080, 0.100]  # in the browser, warmed up: 3, 2 and 5 times native

    def step(seconds: float, **more: object) -> dict[str, object]:
        return {"seconds": [seconds, seconds], "cpu_seconds": [seconds, seconds], "losses": losses} | more

    def in_browser(seconds: float) -> dict[str, object]:
        first = {"first_seconds": [seconds * 2] * 2, "first_losses": losses}  # a new page: twice as long
        floats = {"float_seconds": [seconds / 8] * 2, "float_losses": [0.9, 0.5 + 1e-6]}
        return step(seconds, **first, **floats)

    runs = {
        run.THIS: [step(s) for s in native],
        run.FLOATS: [step(s / 4) for s in native],
        run.BROWSER: [in_browser(s) for s in browser],
    }
    summary: dict[str, object] = {}
    verdicts: list[bool] = []
    engine, first_steps, floats = run.browser_table(runs, summary, verdicts)
    # The median of the rounds' ratios (3), not the ratio of the medians (0.080 / 0.020 = 4).
    assert engine["ratio"] == "3.0x" and engine["met"] == "NO" and engine["target"] == "≤ 2.5x native"
    assert engine["browser"] == "80.0 ms" and engine["native"] == "20.0 ms"
    # The first steps are shown beside it, and the target is not theirs.
    assert first_steps["ratio"] == "6.0x" and first_steps["target"] == first_steps["met"] == ""
    assert first_steps["losses"] == "0"  # the same numbers: exactly 0, not "≤ 0.0e+00"
    assert floats["ratio"] == "1.5x" and floats["losses"] == "≤ 1.0e-06"  # 1.5, 1 and 2.5
    # The engine's losses agree (warmed up and first steps), the floats' do not (to 1e-9), and
    # the engine misses its target.
    assert verdicts == [True, False, True, False]
    assert summary["train_step_browser_times_native"] == {run.THIS: 3.0, "first steps": 6.0, run.FLOATS: 1.5}


def test_an_environment_made_by_another_python_is_made_again(
    benchmark_driver: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report names the Python running run.py, so the engines must run in that Python too."""
    run = benchmark_driver
    made: list[Path] = []

    class Builder:
        def __init__(self, **options: object) -> None:
            pass

        def create(self, path: Path) -> None:
            made.append(path)
            (path / "bin").mkdir(parents=True, exist_ok=True)
            (path / "bin" / "python").touch()
            (path / "pyvenv.cfg").write_text(f"home = /x\nversion = {run.platform.python_version()}\n")

    monkeypatch.setattr(run, "VENVS", tmp_path)
    monkeypatch.setattr(run.venv, "EnvBuilder", Builder)
    old = tmp_path / "this"
    (old / "bin").mkdir(parents=True)
    (old / "bin" / "python").touch()
    (old / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 2.7.18\n")
    assert run.make_venv("this") == old / "bin" / "python"
    assert made == [old]  # made again, by this Python
    run.make_venv("this")
    assert made == [old]  # and then kept
