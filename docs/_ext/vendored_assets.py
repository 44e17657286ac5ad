"""Third-party browser files served from the site itself, never from a CDN.

The site must read the same offline, from a local build, as on Read the Docs. Every
third-party file a page loads (MathJax today; Pyodide and Graphviz-in-WebAssembly for the
in-browser runner) comes from an npm package pinned in ``docs/package.json`` and
``docs/package-lock.json``. ``docs/build.sh`` (and Read the Docs, see ``.readthedocs.yaml``)
fetches them with ``npm ci``, which checks every file against the lock file's hashes; this
extension copies the files the site uses into ``_static/vendor/<package>-<version>/`` of
the built site and says in the build log what it copied, from which package and version.
Nothing third-party is committed.

Other extensions ask for files with :func:`vendor`, which returns the URL (relative to the
site root) where they will be.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

DOCS = Path(__file__).resolve().parent.parent
NODE_MODULES = DOCS / "node_modules"
LOCK = DOCS / "package-lock.json"

logger = logging.getLogger(__name__)

#: MathJax 3's TeX-to-HTML bundle and what it loads on demand (fonts, the menu, the
#: accessibility extensions and their speech rules); the other combined bundles are unused.
MATHJAX_FILES = (
    "es5/tex-chtml.js",
    "es5/output",
    "es5/input",
    "es5/a11y",
    "es5/ui",
    "es5/sre",
    "es5/adaptors",
)


@dataclass(frozen=True)
class Package:
    """An npm package as pinned by the lock file and as installed by ``npm ci``."""

    name: str
    version: str

    @property
    def folder(self) -> Path:
        return NODE_MODULES / self.name

    @property
    def url(self) -> str:
        """Where the package's files are served, relative to the site root."""
        return f"_static/vendor/{self.name.replace('/', '-').lstrip('@')}-{self.version}"


def pinned(name: str) -> Package:
    """The package ``name`` at the version the lock file pins, checked to be installed.

    Raises:
        ExtensionError: the package is not pinned, or ``npm ci`` has not installed exactly
            that version; the message says what to run.
    """
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    entry = lock["packages"].get(f"node_modules/{name}")
    if entry is None:
        raise ExtensionError(
            f"{name} is not pinned in docs/package.json: add it and run `npm install` in docs/"
        )
    package = Package(name, entry["version"])
    manifest = package.folder / "package.json"
    installed = json.loads(manifest.read_text(encoding="utf-8"))["version"] if manifest.is_file() else None
    if installed != package.version:
        found = f"version {installed} is installed" if installed else "it is not installed"
        raise ExtensionError(
            f"the site serves {name} {package.version} from npm, but {found} in docs/node_modules. "
            "Run `npm ci --prefix docs` (docs/build.sh does; it needs Node.js and npm)."
        )
    return package


def vendor(app: Sphinx, name: str, paths: tuple[str, ...]) -> str:
    """Copy ``paths`` (files or folders) of the pinned npm package ``name`` into the built site.

    Returns:
        The URL of the package's folder relative to the site root, for example
        ``_static/vendor/mathjax-3.2.2``.
    """
    package = pinned(name)
    for path in paths:
        if not (package.folder / path).exists():
            raise ExtensionError(
                f"{name} {package.version} has no {path}: update docs/_ext/vendored_assets.py"
            )
    _requests.setdefault(package, set()).update(paths)
    return package.url


#: What the extensions asked for in this build, copied when the build has finished.
_requests: dict[Package, set[str]] = {}


def _use_local_mathjax(app: Sphinx, config: Config) -> None:
    config.mathjax_path = vendor(app, "mathjax", MATHJAX_FILES).removeprefix("_static/") + "/es5/tex-chtml.js"


def _copy_vendored_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for package, paths in sorted(_requests.items(), key=lambda item: item[0].name):
        target = Path(app.outdir) / package.url
        for path in sorted(paths):
            source = package.folder / path
            if source.is_dir():
                shutil.copytree(source, target / path, dirs_exist_ok=True)
            else:
                (target / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / path)
        logger.info(
            f"vendored: {package.name} {package.version} (npm, hashes checked by npm ci) -> {package.url}"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _use_local_mathjax)
    app.connect("build-finished", _copy_vendored_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
