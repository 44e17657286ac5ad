"""Workload 3, depth: backward through a chain ``v = v * 1.0001 + 0.0001`` of N steps.

Usage: ``python depth.py [N]`` (default 1,000,000). Runs with the interpreter's default
recursion limit. An engine whose backward() recurses fails with RecursionError, which
is reported as its result. The gradient is checked against ``1.0001 ** N``.
"""

from __future__ import annotations

import sys
import time

from _demo import report

from micrograd.engine import Value


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    x = Value(1.0)
    start, start_cpu = time.perf_counter(), time.process_time()
    v = x
    for _ in range(n):
        v = v * 1.0001 + 0.0001
    build, build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    result: dict[str, object] = {
        "workload": "depth",
        "n": n,
        "recursion_limit": sys.getrecursionlimit(),
        "build_seconds": build,
        "build_cpu_seconds": build_cpu,
    }
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        v.backward()
    except RecursionError as error:
        result["backward_seconds"] = result["backward_cpu_seconds"] = None
        result["error"] = f"RecursionError: {error}"
    else:
        result["backward_seconds"] = time.perf_counter() - start
        result["backward_cpu_seconds"] = time.process_time() - start_cpu
        expected = 1.0001**n
        result["grad"] = x.grad
        result["grad_relative_error"] = abs(x.grad - expected) / expected
    report(result)


if __name__ == "__main__":
    main()
