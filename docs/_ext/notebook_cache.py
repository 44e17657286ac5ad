"""The pages' execution cache (jupyter-cache): never stale, and safe for a parallel build.

myst-nb keeps each executed page in jupyter-cache and reuses it while the page's code cells
are the same. But a page's outputs also depend on code outside the page: the micrograd
package it imports and the kernels' IPython profile (``kernel_profile/``, which gives
figures their descriptions). So the cache lives in a folder named by a hash of that code,
under ``nb_execution_cache_path``: a change to the package or the profile starts a new
folder, and every page runs again once. The folders of other versions are removed, so the
cache does not grow.

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

- a build takes a lock on the cache (``docs/.jupyter_cache/build.lock``) and holds it until it
  ends, so a second build of the same checkout waits for the first instead of writing the
  same notebooks into the same cache at the same time (or removing the folder it uses);
- the cache's folder and database are created here, in the main process, once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
#: What the pages' kernels run besides the pages themselves.
KERNEL_CODE = (REPO / "micrograd", Path(__file__).resolve().parent / "kernel_profile")
LOCK = "build.lock"

#: The lock's file descriptor, held open (and so locked) until the build process ends.
_held: list[int] = []


def prepare(path: Path) -> None:
    """Create the cache at ``path`` (its folder and database), as jupyter-cache would on first use."""
    from jupyter_cache import get_cache

    get_cache(str(path)).db  # noqa: B018  (opening the database creates it and its tables)


def code_hash(folders: tuple[Path, ...] = KERNEL_CODE) -> str:
    """A short hash of every Python file under ``folders``: their paths and contents."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _lock(base: Path) -> None:
    if _held:
        return
    descriptor = os.open(base / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        logger.info(f"notebook cache: another build is using {base}; waiting for it to finish")
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    _held.append(descriptor)


def _take_cache(app: Sphinx, config: Config) -> None:
    if config.nb_execution_mode != "cache" or not config.nb_execution_cache_path:
        return
    base = Path(config.nb_execution_cache_path)
    base.mkdir(parents=True, exist_ok=True)
    _lock(base)
    folder = base / code_hash()
    for old in base.iterdir():
        if old.is_dir() and old != folder:
            shutil.rmtree(old, ignore_errors=True)
        elif old.is_file() and old.name != LOCK:  # a cache from before the folders were keyed
            old.unlink()
    prepare(folder)
    config.nb_execution_cache_path = str(folder)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")  # its settings (nb_execution_*) are read here
    app.connect("config-inited", _take_cache, priority=400)  # before myst-nb reads them
    return {"parallel_read_safe": True, "parallel_write_safe": True}
