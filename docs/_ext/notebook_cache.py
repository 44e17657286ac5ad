"""The pages' execution cache (jupyter-cache), safe for a parallel build.

``docs/build.sh`` builds with ``-j auto``: Sphinx forks processes that read pages at the same
time, and myst-nb has each of them open the cache in ``docs/.jupyter_cache`` on its own.
jupyter-cache 1.0.1 creates the cache's folder and database on first use, by checking that
they are missing and then creating them, which two processes can do at once: on a fresh
clone one of them fails with ``table ... already exists`` (seen 13 times in 30 runs of two
processes opening a new cache together). Storing an executed notebook has the same gap
(``cache_notebook_bundle``: no file yet, so ``mkdir`` without ``exist_ok``): two processes
storing the same notebook fail with ``FileExistsError`` on ``executed/<hash>``. Two pages of
one build never have the same code cells, so that takes two builds sharing one cache.

So, before Sphinx starts its read processes:

- the cache's folder and database are created here, in the main process, once;
- a build holds a lock on the cache (``docs/.jupyter_cache/build.lock``) until it ends, so a
  second build of the same checkout waits for the first instead of writing the same
  notebooks into the same cache at the same time (and rebuilding the same ``_build`` folder).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The lock's file descriptor, held open (and so locked) until the build process ends.
_lock: list[int] = []


def prepare(path: Path) -> None:
    """Create the cache at ``path`` (its folder and database), as jupyter-cache would on first use."""
    from jupyter_cache import get_cache

    get_cache(str(path)).db  # noqa: B018  (opening the database creates it and its tables)


def _lock_and_prepare(app: Sphinx) -> None:
    if app.config.nb_execution_mode != "cache" or not app.config.nb_execution_cache_path:
        return
    path = Path(app.config.nb_execution_cache_path)
    path.mkdir(parents=True, exist_ok=True)
    if not _lock:
        descriptor = os.open(path / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info(f"notebook cache: another build is using {path}; waiting for it to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        _lock.append(descriptor)
    prepare(path)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")  # its settings (nb_execution_*) are read here
    app.connect("builder-inited", _lock_and_prepare)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
