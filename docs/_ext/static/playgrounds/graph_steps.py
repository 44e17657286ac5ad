"""A computation graph as plain data, and ``backward()`` replayed one node at a time.

The playgrounds draw graphs in the page, so they need the graph as numbers and names, not
as a picture: :func:`graph_frames` returns every value of the graph (its label, operation,
data and inputs) and one frame per step of ``backward()``, in the order ``backward()``
visits the values, with every gradient after that step. It replays the engine's own rule,
``child.grad += local_derivative * node.grad``, on its own copy of the gradients, like
:class:`micrograd.graph.BackwardStepper` (which needs Graphviz to draw, not available in
the browser). The local derivatives are the ones each operation recorded in the engine.
"""

from __future__ import annotations

from typing import Any

from micrograd import Value

#: The largest graph a playground draws; more values than this would not be readable.
MAX_NODES = 60


def graph_frames(root: Value, *, max_nodes: int = MAX_NODES) -> dict[str, Any]:
    """The graph of ``root`` as a node list, and the frames of ``root.backward()``.

    Returns:
        ``{"nodes": [...], "order": [...], "frames": [...]}``. ``nodes[i]`` is
        ``{"id": i, "label", "op", "data", "inputs": [ids]}``, inputs before the values made
        from them. ``order`` lists node ids in the order backward() processes them, the
        output first. ``frames[0]`` is before backward() (every grad 0); ``frames[k]`` is
        after the k-th node of ``order`` passed its gradient on:
        ``{"node": id or None, "grads": [one per node], "passed": [[input id, local
        derivative, input's grad after], ...]}``.

    Raises:
        ValueError: If the graph has more than ``max_nodes`` values.
    """
    topological = root._topological_order()  # children before parents, as backward() uses
    if len(topological) > max_nodes:
        raise ValueError(f"the graph has {len(topological)} values; a playground draws at most {max_nodes}")
    ids = {v: i for i, v in enumerate(topological)}
    nodes = [
        {"id": i, "label": v.label, "op": v._op, "data": v.data, "inputs": [ids[c] for c in v._prev]}
        for i, v in enumerate(topological)
    ]
    grads = [0.0] * len(topological)
    frames: list[dict[str, Any]] = [{"node": None, "grads": list(grads), "passed": []}]
    order = topological[::-1]
    for node in order:
        me = ids[node]
        if node is root:
            grads[me] = 1.0
        passed = []
        local_grads = node._local_grads
        if callable(local_grads):  # a classic _backward closure: its numbers cannot be shown
            raise ValueError(
                f"{node._op or 'a value'} has a _backward closure; steps show only micrograd's ops"
            )
        for child, local in zip(node._prev, local_grads, strict=True):
            grads[ids[child]] += local * grads[me]
            passed.append([ids[child], local, grads[ids[child]]])
        frames.append({"node": me, "grads": list(grads), "passed": passed})
    return {"nodes": nodes, "order": [ids[v] for v in order], "frames": frames}
