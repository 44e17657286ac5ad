"""A computation graph opens full size on a tap, a click or the keyboard, on the built pages.

On a phone a wide graph keeps readable text and scrolls sideways; a reader who wants the
whole of it opens it full size (docs/_ext/graph_zoom.py). These tests open tutorial 2, whose
graphs are wider than a phone, the way a reader does: by mouse on a desktop, by keyboard on
a phone, light and dark; the open view must pass axe-core as the pages do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .pagecheck import audit

OpenPage = Callable[..., tuple[Any, Any]]
PAGE = "tutorials/02-building-value.html"

DIALOG = "dialog.mg-zoom"


def _state(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(
        """() => {
          const dialog = document.querySelector("dialog.mg-zoom");
          const image = dialog && dialog.querySelector("img");
          const area = dialog && dialog.querySelector(".mg-zoom-area");
          const focused = document.activeElement;
          return {
            open: Boolean(dialog && dialog.open),
            focused: focused ? (focused.textContent.trim() || focused.className) : null,
            focusedIsFirstGraph: focused === document.querySelector(".mg-zoom-open"),
            imageWidth: image ? image.getBoundingClientRect().width : 0,
            naturalWidth: image ? image.naturalWidth : 0,
            scrollsSideways: area ? area.scrollWidth > area.clientWidth : false,
            pageScrolls: getComputedStyle(document.documentElement).overflow !== "hidden",
            sameImage: image ? image.src === document.querySelector(".mg-zoom-open img").src : false,
          };
        }"""
    )
    return state


def test_a_graph_opens_full_size_from_the_keyboard_on_a_phone_and_esc_brings_the_focus_back(
    open_page: OpenPage,
) -> None:
    for scheme in ("light", "dark"):
        page, log = open_page(PAGE, scheme=scheme, device="phone")
        graphs = page.locator("button.mg-zoom-open img.mg-graph")
        assert graphs.count() >= 3
        # One sentence, under the first graph, says what a reader can do with them.
        hint = page.locator(".mg-zoom-hint")
        assert hint.count() == 1 and "full size" in hint.inner_text() and "sideways" in hint.inner_text()
        follows = page.evaluate(
            "() => document.querySelector('.mg-zoom-open').parentElement.nextElementSibling"
            " === document.querySelector('.mg-zoom-hint')"
        )
        assert follows, "the sentence is not right under the first graph"
        # The button's name says what it does, then what the graph shows.
        alt = str(graphs.first.get_attribute("alt"))
        assert len(alt) > 40
        assert page.get_by_role("button", name=f"Open full size: {alt}", exact=True).count() == 1

        page.locator(".mg-zoom-open").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(f"{DIALOG}[open] img.mg-zoom-image", state="visible")
        page.wait_for_function("() => document.querySelector('dialog.mg-zoom img').complete")
        state = _state(page)
        assert state["open"] and state["focused"] == "Close" and state["sameImage"]
        # Full size: the drawing's natural width (text 13-15 px), wider than the phone, so the
        # view scrolls sideways; the page behind it does not scroll.
        assert state["imageWidth"] >= state["naturalWidth"] > 390
        assert state["scrollsSideways"] and not state["pageScrolls"]
        report = audit(page, log)
        assert not report.summary(), f"{scheme}, view open:\n{report.summary()}"

        # Tab and Shift+Tab go through the view's scrolling area and buttons; the page behind
        # cannot take the focus (a modal dialog); Esc closes the view.
        focused = """() => { const a = document.activeElement, view = a.closest("dialog.mg-zoom");
                             return view ? (a.textContent.trim() || a.className) : null; }"""
        page.keyboard.press("Tab")
        visited = [page.evaluate(focused)]
        for _ in range(3):
            page.keyboard.press("Shift+Tab")
            visited.append(page.evaluate(focused))
        assert visited == ["mg-zoom-area", "Close", "Zoom in", "Zoom out"], visited
        page.locator(".mg-zoom-open").nth(1).evaluate("(b) => b.focus()")
        assert page.evaluate(focused) == "Zoom out", "the page behind the view took the focus"
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        page.wait_for_selector(DIALOG, state="hidden")
        state = _state(page)
        assert not state["open"] and state["focusedIsFirstGraph"] and state["pageScrolls"]


def test_a_click_opens_a_graph_its_buttons_zoom_and_close_brings_the_focus_back(open_page: OpenPage) -> None:
    page, log = open_page(PAGE, scheme="dark")
    first = page.locator(".mg-zoom-open").first
    first.scroll_into_view_if_needed()
    first.click()
    view = page.locator(f"{DIALOG}[open]")
    view.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('dialog.mg-zoom img').complete")
    natural = _state(page)["imageWidth"]
    view.get_by_role("button", name="Zoom in").click()
    larger = _state(page)["imageWidth"]
    assert abs(larger / natural - 1.25) < 0.02
    view.get_by_role("button", name="Zoom out").click()
    view.get_by_role("button", name="Zoom out").click()
    smaller = _state(page)["imageWidth"]
    assert smaller < natural
    view.get_by_role("button", name="Close").click()
    page.wait_for_selector(DIALOG, state="hidden")
    assert _state(page)["focusedIsFirstGraph"]
    # Opened again, it shows the graph at its natural size, not the last zoom.
    page.locator(".mg-zoom-open").nth(1).click()
    view.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('dialog.mg-zoom img').complete")
    second = page.locator(".mg-zoom-open img").nth(1)
    assert _state(page)["imageWidth"] >= second.evaluate("(img) => img.naturalWidth") - 1
    page.keyboard.press("Escape")
    page.wait_for_selector(DIALOG, state="hidden")
    assert page.evaluate("() => document.activeElement === document.querySelectorAll('.mg-zoom-open')[1]")
    assert not log.problems(), log.problems()


def test_on_a_phone_the_landing_pages_text_is_as_wide_as_the_screen_and_its_graph_scrolls(
    open_page: OpenPage,
) -> None:
    # The glued graph scrolls sideways in a block of its own: when the whole section scrolled,
    # it was laid out beside the floated top-of-page buttons, half the screen wide.
    page, _ = open_page("index.html", device="phone")
    widths = page.evaluate(
        """() => {
          const graph = document.querySelector("article img.mg-graph");
          const block = graph.closest(".mg-graph-scroll");
          const section = document.querySelector("article section");
          return {article: document.querySelector("article").clientWidth, section: section.clientWidth,
                  blockScrolls: block !== null && block.scrollWidth > block.clientWidth,
                  page: document.documentElement.scrollWidth, screen: window.innerWidth};
        }"""
    )
    assert widths["section"] == widths["article"], widths
    assert widths["blockScrolls"] and widths["page"] <= widths["screen"], widths
