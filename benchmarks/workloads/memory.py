"""Workload 4, memory: bytes per node of a 100,000-node graph, and growth after twenty graphs.

Usage: ``python memory.py [NODES] [GRAPHS]`` (defaults 100,000 and 20). Prints one JSON line.

The graph is the depth chain ``v = v * 1.0001 + 0.0001``: each step makes two operation
nodes (a product and a sum), so NODES / 2 steps make NODES nodes. Whatever else an engine
allocates for them (a Value for each constant, closures, sets) counts against its nodes.
Memory is what ``tracemalloc`` sees Python allocate. The growth is measured after the
twentieth graph is dropped, without forcing a garbage collection (what a user's program
sees), and again after ``gc.collect()``.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc

from _demo import report

from micrograd.engine import Value


def chain(steps: int) -> Value:
    v = Value(1.0)
    for _ in range(steps):
        v = v * 1.0001 + 0.0001
    return v


def main() -> None:
    nodes = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    graphs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    steps = nodes // 2
    chain(10)  # warm up: first-use allocations are not the graph's
    start = time.perf_counter()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    v = chain(steps)
    per_node = (tracemalloc.get_traced_memory()[0] - before) / nodes
    del v
    for _ in range(graphs - 1):
        v = chain(steps)
        del v
    growth = tracemalloc.get_traced_memory()[0] - before
    peak = tracemalloc.get_traced_memory()[1] - before
    gc.collect()
    growth_after_collect = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    report(
        {
            "workload": "memory",
            "nodes": nodes,
            "graphs": graphs,
            "bytes_per_node": per_node,
            "growth_bytes": growth,
            "growth_bytes_after_collect": growth_after_collect,
            "peak_bytes": peak,
            "seconds": time.perf_counter() - start,
        }
    )


if __name__ == "__main__":
    main()
