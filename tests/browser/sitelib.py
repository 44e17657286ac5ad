"""Helpers shared by the browser tests: where the site is, its pages, the checker files."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from dependencies import require

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path(os.environ.get("MICROGRAD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: axe-core, the accessibility checker, from the npm package pinned in docs/package.json
#: (a dev dependency: ``npm ci`` in docs/build.sh installs it; it is injected into pages
#: under test, never served by the site).
AXE = DOCS / "node_modules" / "axe-core" / "axe.min.js"

#: The site's widths under test: a desktop and a phone (an iPhone 12-15 is 390 CSS px wide).
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


# -- the built site ----------------------------------------------------------------------


def site_dir() -> Path:
    """The built site: ``MICROGRAD_DOCS_BUILD``, or a build made now into docs/_build/html."""
    given = os.environ.get("MICROGRAD_DOCS_BUILD")
    if given:
        path = Path(given).resolve()
        if not (path / "index.html").is_file():
            pytest.fail(f"MICROGRAD_DOCS_BUILD={given} has no index.html: build the docs first")
        return path
    return _build_site()


@functools.cache
def _build_site() -> Path:
    require("dot")  # the site's graphs are drawn while it is built
    out = DOCS / "_build" / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-q"]
    result = subprocess.run([*command, str(DOCS), str(out)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"the docs build failed:\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}")
    return out


def site_pages() -> list[str]:
    """Every page of the site, as paths relative to its root: one per source page, plus
    the pages Sphinx generates (search, index of names, index of modules)."""
    pages = []
    for source in sorted(DOCS.rglob("*.md")):
        relative = source.relative_to(DOCS)
        top = relative.parts[0]
        if top.startswith(("_", ".")) or top in {"jupyter_execute", "node_modules"}:
            continue
        pages.append(relative.with_suffix(".html").as_posix())
    return [*pages, "search.html", "genindex.html", "py-modindex.html"]


@dataclass
class Site:
    root: Path
    url: str

    def page_url(self, page: str) -> str:
        return f"{self.url}/{page}"
