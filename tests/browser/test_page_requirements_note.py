"""Each notebook page of the built site says first, under its title, what its code needs.

The note comes from the page's ``requires`` front-matter field (``docs/_ext/page_requirements.py``),
the same field ``tests/test_pages_as_scripts.py`` installs before it runs the page: so what
the page tells the reader to install is what the page was tested with. Read from the built
HTML; no browser needed.
"""

from __future__ import annotations

import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from dependencies import require

from .sitelib import DOCS, Site

yaml = require("yaml")


def _extension() -> Any:
    spec = importlib.util.spec_from_file_location("page_requirements", DOCS / "_ext" / "page_requirements.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _requires(source: Path) -> list[str] | None:
    text = source.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return None
    front = yaml.safe_load(text[4 : text.index("\n---\n", 4)])
    return front.get("requires") if "kernelspec" in front else None


NOTEBOOK_PAGES = {
    str(source.relative_to(DOCS).with_suffix("")): requires
    for source in sorted(DOCS.rglob("*.md"))
    if not {"_build", "jupyter_execute", "node_modules"} & set(source.relative_to(DOCS).parts)
    and (requires := _requires(source)) is not None
}


class _NoteFinder(HTMLParser):
    """The text of each note on a page, and what stands between the last heading and it."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []
        self.before: list[tuple[str, str]] = []  # per note: (its heading's text, text since it)
        self._depth = 0  # of <div>s inside the note being read; 0 outside any note
        self._in_heading = False
        self._heading = ""
        self._since_heading = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += tag == "div"
        elif tag == "div" and "micrograd-requires" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.notes.append("")
            self.before.append((" ".join(self._heading.split()), " ".join(self._since_heading.split())))
        elif tag in ("h1", "h2"):
            self._in_heading, self._heading, self._since_heading = True, "", ""

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1
            if not self._depth:
                self.notes[-1] = " ".join(self.notes[-1].split())
        elif tag in ("h1", "h2"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.notes[-1] += data
        elif self._in_heading:
            self._heading += data
        else:
            self._since_heading += data


def test_every_notebook_page_names_what_it_needs_in_its_front_matter() -> None:
    assert len(NOTEBOOK_PAGES) >= 20
    assert all(isinstance(requires, list) for requires in NOTEBOOK_PAGES.values())


@pytest.mark.parametrize("page", sorted(NOTEBOOK_PAGES))
def test_the_note_under_the_title_names_each_package_and_the_command_that_installs_it(
    page: str, site: Site
) -> None:
    requires = NOTEBOOK_PAGES[page]
    finder = _NoteFinder()
    finder.feed((site.root / f"{page}.html").read_text(encoding="utf-8"))
    assert len(finder.notes) == 1, f"{page}: {len(finder.notes)} notes saying what the page needs"
    (note,), ((heading, between),) = finder.notes, finder.before
    # First thing after the title; the landing page's is under the heading of its code.
    title = "How the figures above were made" if page == "index" else _title(page)
    heading = heading.replace("\u2019", "'")  # the site's typographic apostrophe
    assert heading.startswith(title), f"{page}: the note is under {heading!r}, not under {title!r}"
    assert not between, f"{page}: {between!r} stands between the title and the note"
    for name in requires:
        assert name in note
    for command in _extension().install_commands(requires):
        assert command in note
    if not requires:
        assert "Nothing beyond micrograd" in note
    if "torch" in requires:
        assert "https://download.pytorch.org/whl/cpu" in note


def _title(page: str) -> str:
    source = (DOCS / f"{page}.md").read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", source, re.M).group(1).strip()  # type: ignore[union-attr]
