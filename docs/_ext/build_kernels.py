"""The notebook kernels of the docs build start from the site's own IPython profile.

Every page runs in a fresh kernel (myst-nb, through jupyter-cache). Before a page's first
cell, each kernel loads the profile in ``kernel_profile/``:

- ``startup/00-describe-figures.py``: each matplotlib figure saved as PNG carries a
  description of itself (title, axes, legend), which ``figure_alt_text`` makes the image's
  alt text;
- ``ipython_kernel_config.py``: drops ipykernel's notice that the kernel listens on TCP
  without encryption, printed once per page into the build log (the reason is in the file).

The profile is copied into ``<build folder>/ipython`` (IPython writes its history there)
and ``IPYTHONDIR`` points the kernels at it; the build's own process is not affected. A
reader who runs a page in Jupyter gets the same outputs, without the PNG descriptions.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

PROFILE = Path(__file__).resolve().parent / "kernel_profile"


def _use_profile(app: Sphinx) -> None:
    ipython_dir = Path(app.outdir).parent / "ipython"
    profile = ipython_dir / "profile_default"
    (profile / "startup").mkdir(parents=True, exist_ok=True)
    for source in PROFILE.rglob("*.py"):
        target = profile / source.relative_to(PROFILE)
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    os.environ["IPYTHONDIR"] = str(ipython_dir)  # inherited by the kernels the build starts


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _use_profile)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
