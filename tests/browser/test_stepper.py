"""The backward stepper works in a browser: buttons, slider and Play, on a page with two of them.

This runs on the browser of the site tests (one Playwright per session), but on a page of its
own, so it checks the stepper's HTML and JavaScript apart from the docs theme.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dependencies import require

from micrograd import Value
from micrograd.graph import backward_stepper


def test_stepper_buttons_and_slider_work_with_two_steppers_on_a_page(
    browser: Any, tmp_path: Path, lecture_neuron: Callable[[], dict[str, Value]]
) -> None:
    require("dot")
    v = lecture_neuron()
    x = Value(3.0, label="x")
    page_html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + backward_stepper(v["o"]).to_html()
        + "<p>between</p>"
        + backward_stepper(x * x + 1, "TB").to_html()
        + "</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        first, second = page.locator(".mg-stepper").nth(0), page.locator(".mg-stepper").nth(1)

        def state(stepper: Any) -> tuple[str, int]:
            """The stepper's counter text and how many of its frames are visible."""
            counter = stepper.locator(".mg-counter").inner_text()
            return counter, stepper.locator(".mg-frame:visible").count()

        assert state(first) == ("Step 0 of 10", 1)
        assert state(second) == ("Step 0 of 4", 1)
        assert first.get_by_role("button", name="◀ Prev").is_disabled()

        second.get_by_role("button", name="Next ▶").click()
        second.get_by_role("button", name="Next ▶").click()
        assert state(second) == ("Step 2 of 4", 1)
        assert state(first) == ("Step 0 of 10", 1), "steppers on one page are independent"
        caption = second.locator(".mg-frame:visible figcaption").inner_text()
        assert caption.startswith("Step 2 of 4: ")

        first.get_by_role("button", name="Last »").click()
        assert state(first) == ("Step 10 of 10", 1)
        assert first.get_by_role("button", name="Next ▶").is_disabled()
        assert "'x1' has grad -1.5000" in first.locator(".mg-frame:visible figcaption").inner_text()

        first.locator("input[type=range]").fill("3")
        assert state(first) == ("Step 3 of 10", 1)

        second.get_by_role("button", name="▶ Play").click()  # from step 2, one frame per 1.5 s
        page.wait_for_function(
            "el => el.textContent === 'Step 4 of 4'", arg=second.locator(".mg-counter").element_handle()
        )
        assert second.get_by_role("button", name="▶ Play").is_visible(), "play stops at the end"
        assert errors == []
    finally:
        page.close()
