"""A computation graph opens full size on a tap, a click or the keyboard.

On a phone a wide graph keeps readable text and scrolls sideways; a reader who wants the
whole of it opens it full size (docs/_ext/graph_zoom.py). These tests open tutorial 2, whose
graphs are wider than a phone, the way a reader does: by mouse on a desktop, by keyboard on
a phone, light and dark; the open view must pass axe-core as the pages do. Graphs that the
in-browser runner draws after a Run open in the same view, and so does the blame drawing in
an exercise checker's report, which the runner shows in a sandboxed frame.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .pagecheck import audit, run_cell

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


def _cell_with(page: Any, text: str) -> int:
    """The index of the first code cell whose code contains ``text``."""
    codes = page.locator("div.cell .cell_input pre").all_inner_texts()
    return next(i for i, code in enumerate(codes) if text in code)


def test_a_graph_drawn_by_run_opens_full_size_by_keyboard_and_mouse_on_a_phone(open_page: OpenPage) -> None:
    page, log = open_page(PAGE, device="phone")
    i = _cell_with(page, "draw_dot(d_")
    assert run_cell(page, i) == "ok"
    cell = page.locator("div.cell").nth(i)
    # The runner's drawing replaces the page's, and is a button named as the page's graphs are.
    drawn = cell.locator(".mg-outputs button.mg-zoom-open img.mg-svg")
    drawn.wait_for(state="visible")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=drawn.element_handle())
    alt = str(drawn.get_attribute("alt"))
    assert len(alt) > 40, alt
    # As the build's graphs: its smallest text is shown at least 9 CSS px tall (micrograd.css
    # keeps it from shrinking further), and on a phone the graph scrolls sideways instead.
    shown = drawn.evaluate(
        """async (img) => {
          const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), "image/svg+xml");
          const fonts = [...svg.querySelectorAll("text")].map((t) => parseFloat(t.getAttribute("font-size")));
          const block = img.closest(".mg-graph-block");
          return {text: Math.min(...fonts) * img.getBoundingClientRect().width
                        / svg.documentElement.viewBox.baseVal.width,
                  scrolls: block.scrollWidth > block.clientWidth};
        }"""
    )
    assert shown["text"] >= 9 and shown["scrolls"], shown
    opener = cell.get_by_role("button", name=f"Open full size: {alt}", exact=True)
    assert opener.count() == 1
    # One sentence on the page still says what graphs do (under the runner's first graph if
    # the page's first one is hidden behind it).
    assert page.locator(".mg-zoom-hint:visible").count() == 1
    is_opener = "(b) => document.activeElement === b"

    # By keyboard: Enter opens it, the view shows the runner's own picture, Esc closes it and
    # the focus is back on the graph.
    opener.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{DIALOG}[open] img.mg-zoom-image", state="visible")
    page.wait_for_function("() => document.querySelector('dialog.mg-zoom img').complete")
    shown = page.evaluate(
        """(drawn) => { const image = document.querySelector("dialog.mg-zoom img");
                       return {src: image.src === drawn.src, alt: image.alt, width: image.naturalWidth,
                               focused: document.activeElement.textContent.trim()}; }""",
        drawn.element_handle(),
    )
    width = drawn.evaluate("(img) => img.naturalWidth")
    assert shown == {"src": True, "alt": alt, "width": width, "focused": "Close"}
    report = audit(page, log)
    assert not report.summary(), f"view open on a graph drawn by Run:\n{report.summary()}"
    page.keyboard.press("Escape")
    page.wait_for_selector(DIALOG, state="hidden")
    assert opener.evaluate(is_opener)

    # By mouse, and by a tap: the same view; Close brings the focus back.
    for press in (opener.click, opener.tap):
        press()
        page.locator(f"{DIALOG}[open]").get_by_role("button", name="Close").click()
        page.wait_for_selector(DIALOG, state="hidden")
        assert opener.evaluate(is_opener)
    assert not log.problems(), log.problems()


def test_on_a_page_without_graphs_a_graph_drawn_by_run_opens_in_the_same_full_screen_view(
    open_page: OpenPage,
) -> None:
    # Tutorial 1 shows no graph, so the page loads none of the view's files; the runner's
    # first graph brings them.
    page, log = open_page("tutorials/01-derivatives.html", device="phone")
    assert page.locator('link[href*="graph_zoom.css"], script[src*="graph_zoom"]').count() == 0
    verdicts = json.loads(str(page.locator("#mg-runner-cells").text_content()))
    i = next(k for k, verdict in enumerate(verdicts) if verdict["run"] == "offline")
    cell = page.locator("div.cell").nth(i)
    cell.get_by_role("button", name="Edit").click()
    cell.get_by_role("textbox").fill(
        "from micrograd import Value\nfrom micrograd.graph import draw_dot\n"
        "a = Value(2.0, label='a')\ndraw_dot((a * a).tanh())"
    )
    assert run_cell(page, i) == "ok"
    opener = cell.locator(".mg-outputs button.mg-zoom-open")
    opener.wait_for(state="visible")
    assert page.locator(".mg-zoom-hint:visible").count() == 1
    opener.click()
    page.wait_for_selector(f"{DIALOG}[open] img.mg-zoom-image", state="visible")
    view = page.locator(DIALOG).bounding_box()
    assert view is not None and (view["width"], view["height"]) == (390, 844), view
    page.keyboard.press("Escape")
    page.wait_for_selector(DIALOG, state="hidden")
    assert opener.evaluate("(b) => document.activeElement === b")
    assert not log.problems(), log.problems()


def test_the_blame_drawing_of_a_checkers_report_opens_full_size_from_its_frame(open_page: OpenPage) -> None:
    page, log = open_page("how-to/common-mistakes.html", device="phone")
    i = _cell_with(page, "show(check_value(Overwrites))")
    cell = page.locator("div.cell").nth(i)
    cell.get_by_role("button", name="Edit").click()
    code = cell.get_by_role("textbox")
    code.fill(code.input_value().replace("show(check_value(Overwrites))", "check_value(Overwrites)"))
    assert run_cell(page, i) == "ok"
    frame = cell.locator("iframe.mg-html")
    report = frame.content_frame
    opener = report.get_by_role("button", name="Open full size: Blame drawing of x + x", exact=False)
    opener.wait_for(state="visible")
    assert opener.locator("svg").count() == 1
    # Wider than a phone's frame, the drawing scrolls sideways in it (its right part was cut
    # off), on a white card as the site's graphs are (its dark ink was lost in dark mode).
    blame = report.locator(".micrograd-blame")
    assert blame.evaluate("(b) => getComputedStyle(b).overflowX === 'auto' && b.scrollWidth > b.clientWidth")
    card = opener.locator("svg").evaluate("(s) => getComputedStyle(s).backgroundColor")
    assert card == "rgb(255, 255, 255)", card

    # By keyboard, inside the frame: Enter opens the page's view on the same drawing, as an image.
    opener.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{DIALOG}[open] img.mg-zoom-image", state="visible")
    page.wait_for_function("() => document.querySelector('dialog.mg-zoom img').complete")
    image = page.locator(f"{DIALOG} img.mg-zoom-image")
    assert image.evaluate("(img) => img.naturalWidth") > 100
    assert str(image.get_attribute("alt")).startswith("Blame drawing of x + x: ")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Close"
    audited = audit(page, log)
    assert not audited.summary(), f"view open on a blame drawing:\n{audited.summary()}"
    # Esc closes it; the focus is back in the frame, on the drawing's button.
    page.keyboard.press("Escape")
    page.wait_for_selector(DIALOG, state="hidden")
    assert frame.evaluate("(f) => document.activeElement === f")
    frame.element_handle().content_frame().wait_for_function(
        "() => document.activeElement.matches('button.mg-zoom-open')", timeout=5000
    )

    # By mouse, and again by keyboard from where the focus came back.
    opener.click()
    page.locator(f"{DIALOG}[open]").get_by_role("button", name="Close").click()
    page.wait_for_selector(DIALOG, state="hidden")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{DIALOG}[open]", state="visible")
    page.keyboard.press("Escape")
    page.wait_for_selector(DIALOG, state="hidden")
    assert not log.problems(), log.problems()
