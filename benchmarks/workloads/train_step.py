"""Workload 1, the training step: five steps of the classic two-moons demo, each timed.

Each step is timed by the wall clock and by the CPU time of the process (less affected
by other programs on a busy machine).

Usage: ``python train_step.py [STEPS]`` (default 5). Prints one JSON line.
"""

from __future__ import annotations

import sys
import time

from _demo import load_moons, make_model, report, train_step


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    X, y = load_moons()
    model = make_model()
    seconds, cpu_seconds, losses = [], [], []
    for k in range(steps):
        start, start_cpu = time.perf_counter(), time.process_time()
        loss, _ = train_step(model, X, y, k)
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - start_cpu)
        losses.append(loss)
    report(
        {
            "workload": "train_step",
            "steps": steps,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "losses": losses,
        }
    )


if __name__ == "__main__":
    main()
