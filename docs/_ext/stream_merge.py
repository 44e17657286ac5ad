"""Printed lines reach the page exactly as printed.

The kernel sends what a cell prints in chunks, cut wherever its output buffer happened to
be flushed, which can be in the middle of a line (``print(a, b)`` writes ``a``, the space
and ``b`` separately). myst-nb's own merge (``nb_merge_streams``) strips the end of each
chunk and appends a newline, which shows ``"41"`` + ``" 41\\n"`` as two lines and drops
blank lines. This extension joins the chunks of each stream as they are (as Jupyter and
nbclient do) before myst-nb's merge runs, which then only does the rest of its work
(carriage returns, backspaces, stdout before stderr).
"""

from __future__ import annotations

import copy
from typing import Any

from sphinx.application import Sphinx


def merge_streams_exactly(outputs: list[Any]) -> list[Any]:
    """Merge a cell's stream outputs into one per stream, text joined exactly as printed."""
    from myst_nb.core.utils import coalesce_streams

    merged: list[Any] = []
    streams: dict[str, Any] = {}
    for output in outputs:
        if output.get("output_type") != "stream":
            merged.append(output)
        elif output["name"] in streams:
            streams[output["name"]]["text"] += output["text"]
        else:
            first = copy.copy(output)  # leave the executed notebook's own outputs untouched
            streams[output["name"]] = first
            merged.append(first)
    return coalesce_streams(merged)


def setup(app: Sphinx) -> dict[str, Any]:
    import myst_nb.core.render

    # If a myst-nb release moves the function, say so rather than silently merge badly again.
    if not hasattr(myst_nb.core.render, "coalesce_streams"):
        raise RuntimeError("myst_nb.core.render.coalesce_streams is gone: update docs/_ext/stream_merge.py")
    myst_nb.core.render.coalesce_streams = merge_streams_exactly
    return {"parallel_read_safe": True, "parallel_write_safe": True}
