"""A page's cached outputs are reused only while the code that made them is unchanged.

myst-nb keeps each executed page in jupyter-cache and reuses it while the page's code cells
are the same. But a page's outputs also depend on code outside the page: the micrograd
package it imports and the kernels' IPython profile (``kernel_profile/``, which gives
figures their descriptions). Change either, and a cached page would show outputs the
package no longer prints.

So the cache lives in a folder named by a hash of that code, under ``nb_execution_cache_path``:
a change to the package or the profile starts a new folder, and every page runs again once.
The folders of other versions are removed, so the cache does not grow.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

REPO = Path(__file__).resolve().parents[2]
#: What the pages' kernels run besides the pages themselves.
KERNEL_CODE = (REPO / "micrograd", Path(__file__).resolve().parent / "kernel_profile")


def code_hash(folders: tuple[Path, ...] = KERNEL_CODE) -> str:
    """A short hash of every Python file under ``folders``: their paths and contents."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _key_the_cache(app: Sphinx, config: Config) -> None:
    if not config.nb_execution_cache_path:
        return  # no folder configured: myst-nb uses its own default
    base = Path(config.nb_execution_cache_path)
    folder = base / code_hash()
    for old in base.iterdir() if base.is_dir() else ():
        if old.is_dir() and old != folder:
            shutil.rmtree(old, ignore_errors=True)
        elif old.is_file():  # a cache from before the folders were keyed
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)  # before the parallel readers open it
    config.nb_execution_cache_path = str(folder)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _key_the_cache, priority=400)  # before myst-nb reads it
    return {"parallel_read_safe": True, "parallel_write_safe": True}
