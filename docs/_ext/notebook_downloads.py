"""Each notebook page offers its executed notebook as a download: ``quickstart.ipynb``.

myst-nb writes each page's notebook to ``jupyter_execute/``, but in "cache" mode it writes
it before the outputs from the cache are merged in; the outputs are taken from
jupyter-cache here, so the download holds exactly what the page shows. The page template
(``_templates/components/view-this-page.html``) shows the link when the context variable
``micrograd_ipynb`` names a file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def _executed_notebook(app: Sphinx, docname: str) -> Path:
    """Where myst-nb wrote the executed notebook of ``docname``."""
    return Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"


def _add_download_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Tell the page template whether this page has an executed notebook to offer."""
    context["micrograd_ipynb"] = (
        f"{pagename}.ipynb" if doctree is not None and _executed_notebook(app, pagename).is_file() else ""
    )


def _copy_executed_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Put each page's executed notebook, with the outputs the page shows, next to its HTML page."""
    if exception is not None or app.builder.format != "html":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    for docname in sorted(app.env.found_docs):
        source = _executed_notebook(app, docname)
        if not source.is_file():
            continue
        notebook = nbformat.read(source, as_version=4)
        if app.config.nb_execution_mode == "cache":
            with contextlib.suppress(KeyError):
                _, notebook = cache.merge_match_into_notebook(notebook)
        target = Path(app.outdir) / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(notebook), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _add_download_context)
    app.connect("build-finished", _copy_executed_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
