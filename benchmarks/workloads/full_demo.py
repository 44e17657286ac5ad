"""Workload 2, the full demo: 100 training steps of the two-moons demo, wall time.

Usage: ``python full_demo.py [STEPS]`` (default 100). Prints one JSON line with the
wall time (model creation included), the final loss and the final accuracy.
"""

from __future__ import annotations

import sys
import time

from _demo import load_moons, make_model, report, train_step


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    X, y = load_moons()
    start, start_cpu = time.perf_counter(), time.process_time()
    model = make_model()
    losses, accuracies = [], []
    for k in range(steps):
        loss, accuracy = train_step(model, X, y, k)
        losses.append(loss)
        accuracies.append(accuracy)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
    report(
        {
            "workload": "full_demo",
            "steps": steps,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "final_loss": losses[-1],
            # The accuracy reported at the last step is that of the scores before its update,
            # as the demo prints it.
            "final_accuracy": accuracies[-1],
            "first_step_at_100_percent": next((k for k, a in enumerate(accuracies) if a == 1.0), None),
        }
    )


if __name__ == "__main__":
    main()
