"""The built pages show the exercise checks as a reader would see them.

On the built site, each *check your work* cell runs on the hidden solution above it, so
every checklist on a tutorial page must be all ticks; the page of common mistakes must show
each planted mistake caught, with its blame drawing. This reads the built HTML only (no
browser), so it runs wherever the site can be built.
"""

from __future__ import annotations

import re

from .sitelib import site_dir

TUTORIALS = [
    "01-derivatives",
    "02-building-value",
    "03-backprop-step-by-step",
    "04-neurons-layers-mlp",
    "05-two-moons",
    "06-xor",
    "07-multiclass",
    "08-optimizers",
    "09-deep-networks",
]


def test_every_tutorial_shows_its_checks_passing_on_the_solutions() -> None:
    root = site_dir()
    for name in TUTORIALS:
        page = (root / "tutorials" / f"{name}.html").read_text(encoding="utf-8")
        reports = page.count('<div class="micrograd-report">')
        assert reports >= 1, f"{name}: no check of an exercise on the page"
        assert "micrograd-check-failed" not in page, f"{name}: a check fails on the page's own solution"


def test_the_common_mistakes_page_shows_each_mistake_caught_with_its_blame_drawing() -> None:
    root = site_dir()
    page = (root / "how-to" / "common-mistakes.html").read_text(encoding="utf-8")
    sections = re.findall(r"<h2>(.*?)<a", page)
    caught = page.count("✗ ")
    # The drawings are SVG files beside the page; each marks the first wrong value.
    images = re.findall(r'<img alt="[^"]*" src="\.\./(_images/[^"]+\.svg)"', page)
    drawings = [i for i in images if "first wrong" in (root / i).read_text(encoding="utf-8")]
    assert len(sections) >= 13, sections
    assert caught >= 12, caught
    assert len(drawings) >= 8, images
