"""A second build with nothing changed says so: the configuration it compares is stable.

Sphinx compares the configuration of a build with the one it pickled last time, before the
builder starts; some extensions change theirs only when it starts (sphinx-copybutton and
sphinx-design add their static folders to ``html_static_path`` then), so every build used to
report "The configuration has changed". Those folders are added here, before the
comparison, and the copies the extensions add later are dropped, so the value a build
pickles is the value the next build starts with.

The theme, furo, registers its option ``pygments_dark_style`` only when Sphinx loads the
theme, after the comparison; for an HTML build it is set up here, at the start, as Sphinx
would set it up a moment later (furo refuses to be listed in ``extensions`` itself, because
it breaks the other builders).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

#: The static folders that extensions add to html_static_path when the builder starts.
LATE_STATIC = (("sphinx_copybutton", "_static"), ("sphinx_design", "static"))


def _add_late_static_paths(app: Sphinx, config: Config) -> None:
    for package, folder in LATE_STATIC:
        if package in config.extensions:
            path = str(resources.files(package).joinpath(folder))
            if path not in config.html_static_path:
                config.html_static_path.append(path)


def _drop_duplicates(app: Sphinx) -> None:
    # The late extensions add their folder again when the builder starts: the value pickled
    # after the build must have each folder once, as the value the next build compares.
    app.config.html_static_path[:] = list(dict.fromkeys(app.config.html_static_path))


def setup(app: Sphinx) -> dict[str, Any]:
    if app.config.html_theme == "furo":  # the site is built with the html builder only
        app.setup_extension("furo")
    app.connect("config-inited", _add_late_static_paths, priority=900)
    app.connect("builder-inited", _drop_duplicates, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
