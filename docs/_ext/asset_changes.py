"""An incremental build writes every page again when the site's scripts or stylesheets change.

Sphinx writes again only the pages whose source changed (or all of them when the
configuration did). An extension that starts loading one more script, as
``accessible_markup`` did with ``sidebar_expanders.js``, changes no page and no setting, so
the next incremental build left every old page without it: the site worked only after
``sphinx-build -a``. The list of files the extensions register is kept with the build's
environment; when it differs from the last build's, every page is read and written again
(the notebooks' outputs come from their cache, nothing is executed again).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def _registered_files(app: Sphinx) -> list[str]:
    return [repr(entry) for entry in (*app.registry.js_files, *app.registry.css_files)]


def _pages_to_write_again(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    files = _registered_files(app)
    if getattr(env, "micrograd_registered_files", None) == files:
        return []
    env.micrograd_registered_files = files  # type: ignore[attr-defined]  # pickled with the environment
    return sorted(env.found_docs - added - changed - removed)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-get-outdated", _pages_to_write_again)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
