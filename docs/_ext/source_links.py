"""[source] links for what a package re-exports under its own name.

``micrograd.exercises`` is a package of one module per job: ``Report`` is written in
``micrograd/exercises/report.py``, yet documented (and named, by its ``__module__``) as
``micrograd.exercises.Report``, the name a reader imports it by. Sphinx's viewcode looks for
its source in the package's ``__init__.py``, finds none, and leaves out the [source] link;
this tells it which module of the package defines the object.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer


def defining_module(app: Sphinx, modname: str, attribute: str) -> str | None:
    """The module of the package ``modname`` whose source defines ``attribute``, or ``None``."""
    try:
        package = importlib.import_module(modname)
    except ImportError:
        return None
    name = attribute.split(".")[0]
    obj = getattr(package, name, None)
    if obj is None or not hasattr(package, "__path__"):
        return None
    for info in pkgutil.iter_modules(package.__path__):
        candidate = f"{modname}.{info.name}"
        try:
            module = importlib.import_module(candidate)
            tags = ModuleAnalyzer.for_module(candidate).find_tags()
        except (ImportError, PycodeError):
            continue
        if getattr(module, name, None) is obj and name in tags:
            return candidate
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("viewcode-follow-imported", defining_module)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
