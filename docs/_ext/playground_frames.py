"""Precomputed frames of the neuron playground, so its sliders work before Python loads.

The playground runs micrograd in the browser, which takes a few seconds to load. Until
then the sliders answer from ``_static/playgrounds/neuron-frames.json``: the graph's values
and gradients for every position of each slider moved on its own, for each activation.
This extension computes that file at build time with the playground's own module
(``static/playgrounds/neuron.py``, which builds the neuron with micrograd), so no number in
it is typed by hand and a change to the engine shows up at the next build.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging
from static_folders import STATIC

FRAMES = "_static/playgrounds/neuron-frames.json"

logger = logging.getLogger(__name__)


def neuron_frames() -> dict[str, Any]:
    """The frames, computed now by ``playgrounds.neuron.precomputed_frames``."""
    if str(STATIC) not in sys.path:
        sys.path.insert(0, str(STATIC))
    from playgrounds.neuron import precomputed_frames

    return precomputed_frames()


def _write_frames(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / FRAMES
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(neuron_frames(), separators=(",", ":")), encoding="utf-8")
    logger.info(f"playground frames: {FRAMES} ({target.stat().st_size // 1024} KiB), computed with micrograd")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", _write_frames)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
