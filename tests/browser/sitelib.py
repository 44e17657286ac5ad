"""Helpers shared by the browser tests: where the site is, its pages, a CDN mirror."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from dependencies import require

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
ARTIFACTS = REPO / "test-artifacts"
CDN_CACHE = ARTIFACTS / "cdn-cache"
CHROMIUM = Path(os.environ.get("MICROGRAD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Public CDN URLs that serve files of an npm package: (pattern, package, version, path).
_CDN_PATTERNS = [
    re.compile(r"^https://cdn\.jsdelivr\.net/npm/(?P<pkg>(?:@[^/@]+/)?[^/@]+)@(?P<ver>[^/]+)/(?P<path>.+)$"),
    re.compile(r"^https://cdnjs\.cloudflare\.com/ajax/libs/(?P<pkg>[^/]+)/(?P<ver>[^/]+)/(?P<path>.+)$"),
    re.compile(r"^https://maxcdn\.bootstrapcdn\.com/(?P<pkg>[^/]+)/(?P<ver>[^/]+)/(?P<path>.+)$"),
]
CONTENT_TYPES = {
    ".js": "application/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
    ".eot": "application/vnd.ms-fontobject",
}


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
        # Sources Sphinx skips (conf.py's exclude_patterns): node_modules holds npm's READMEs.
        top = relative.parts[0]
        if top.startswith(("_", ".")) or top in ("jupyter_execute", "node_modules"):
            continue
        pages.append(relative.with_suffix(".html").as_posix())
    return [*pages, "search.html", "genindex.html", "py-modindex.html"]


@dataclass
class Site:
    root: Path
    url: str

    def page_url(self, page: str) -> str:
        return f"{self.url}/{page}"


class CdnMirror:
    """Answers requests to public CDNs from the npm package they serve, fetched once."""

    def __init__(self) -> None:
        self.unavailable: set[str] = set()
        self._lock = threading.Lock()

    def file_for(self, url: str) -> Path | None:
        """The local copy of a CDN file, or None (not a CDN URL, or no such file)."""
        match = self._match(url)
        if match is None:
            return None
        package = self._package(match["pkg"], match["ver"])
        if package is None:
            return None
        path = (package / match["path"]).resolve()
        return path if path.is_file() and path.is_relative_to(package) else None

    def cannot_mirror(self, url: str) -> bool:
        """True for a CDN URL whose package could not be fetched (no npm, or offline)."""
        match = self._match(url)
        return match is not None and f"{match['pkg']}@{match['ver']}" in self.unavailable

    @staticmethod
    def _match(url: str) -> re.Match[str] | None:
        bare = url.split("?")[0].split("#")[0]
        for pattern in _CDN_PATTERNS:
            match = pattern.match(bare)
            if match:
                return match
        return None

    def _package(self, name: str, version: str) -> Path | None:
        key = f"{name}@{version}"
        folder = CDN_CACHE / key.replace("/", "__")
        with self._lock:
            if (folder / "package").is_dir():
                return folder / "package"
            if key in self.unavailable or shutil.which("npm") is None:
                self.unavailable.add(key)
                return None
            folder.mkdir(parents=True, exist_ok=True)
            result = subprocess.run(
                ["npm", "pack", key, "--silent", "--pack-destination", str(folder)],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            tarballs = list(folder.glob("*.tgz"))
            if result.returncode != 0 or not tarballs:
                self.unavailable.add(key)
                return None
            with tarfile.open(tarballs[0]) as archive:
                archive.extractall(folder, filter="data")
            return folder / "package"
