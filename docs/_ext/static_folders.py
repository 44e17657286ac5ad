"""Each of the site's extensions serves its own browser files, from its own folder.

An extension's JavaScript, CSS and browser-side Python live in ``docs/_ext/static/<job>/``
(``static/runner/``, ``static/quiz/``, ...) and are served at ``_static/<job>/`` of the
built site, so a page's ``<script src="_static/runner/runner.js">`` names the job it belongs
to. An extension asks for its folder with :func:`serve` in its ``setup``; the folder is
copied when the build has finished, as the vendored npm files are.

Sphinx's own ``html_static_path`` copies the *contents* of a folder into ``_static/``, so
serving ``static/runner/`` through it would put ``runner.js`` at ``_static/runner.js``, and
serving ``static/`` whole from several extensions copied every job's files once per
extension that asked. Nothing here touches the configuration, so a second build compares
the same configuration as the first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

STATIC = Path(__file__).resolve().parent / "static"


def serve(app: Sphinx, job: str) -> None:
    """Serve ``docs/_ext/static/<job>/`` at ``_static/<job>/`` of the built HTML site.

    Raises:
        ExtensionError: If the folder does not exist.
    """
    source = STATIC / job
    if not source.is_dir():
        raise ExtensionError(f"static_folders.serve: no folder {source}")

    def copy(app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html":
            return
        target = Path(app.outdir) / "_static" / job
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))

    app.connect("build-finished", copy)
