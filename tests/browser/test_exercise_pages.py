"""The built pages show the exercise checks as a reader would see them.

On the built site, each *check your work* cell runs on the hidden solution above it, so
every checklist on a tutorial page must be all ticks; the page of common mistakes must show
each planted mistake caught, with its blame drawing. This reads the built HTML only (no
browser), so it runs wherever the site can be built.
"""

from __future__ import annotations

import re

from .sitelib import DOCS, site_dir

TUTORIALS = [
    "01-derivatives",
    "02-building-value",
    "02b-gradients-add-up",
    "03-backprop-step-by-step",
    "04-neurons-layers-mlp",
    "04b-scalars-to-matrices",
    "05-two-moons",
    "06-xor",
    "07-multiclass",
    "08-optimizers",
    "09-deep-networks",
]


def test_every_exercise_of_every_tutorial_ends_with_a_check_that_passes_on_the_solution() -> None:
    root = site_dir()
    for name in TUTORIALS:
        source = (DOCS / "tutorials" / f"{name}.md").read_text(encoding="utf-8")
        exercises = source.split("## Exercises", 1)[1]
        count = len(re.findall(r"^\*\*(?:\d+\.|Exercise \d+)", exercises, flags=re.MULTILINE))
        page = (root / "tutorials" / f"{name}.html").read_text(encoding="utf-8")
        # Each exercise, from its title to the next one's (the last one to the recap), shows
        # at least one check: an exercise may check two things the reader wrote.
        shown = page.split('id="exercises"', 1)[1].split('id="recap"', 1)[0]
        parts = re.split(r"<strong>Exercise \d+", shown)[1:]
        checked = [part.count('<div class="micrograd-report">') for part in parts]
        assert count >= 3 and len(parts) == count and all(checked), (
            f"{name}: {count} exercises, checks shown per exercise: {checked}"
        )
        assert "micrograd-check-failed" not in page, f"{name}: a check fails on the page's own solution"


def test_the_common_mistakes_page_shows_each_mistake_caught_with_its_blame_drawing() -> None:
    root = site_dir()
    page = (root / "how-to" / "common-mistakes.html").read_text(encoding="utf-8")
    sections = re.findall(r"<h2>(.*?)<a", page)
    caught = page.count("✗ ")
    # The drawings are SVG files beside the page; each marks the first wrong value.
    images = re.findall(r'<img [^>]*src="\.\./(_images/[^"]+\.svg)"', page)
    drawings = [i for i in images if "first wrong" in (root / i).read_text(encoding="utf-8")]
    assert len(sections) >= 13, sections
    assert caught >= 12, caught
    assert len(drawings) >= 8, images
