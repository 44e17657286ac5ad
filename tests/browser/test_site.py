"""The documentation site, opened in headless Chromium the way a reader opens it.

Every page of the site is checked (the list comes from the source pages, so a new
tutorial is covered without touching this file): no console errors or uncaught
exceptions, every image and inline SVG drawn with a non-zero size, math typeset,
collapsible blocks open, steppers step and animations play. The Quickstart, the copy
button, search and the API reference get checks of their own, and a crawl follows every
internal link. Screenshots of the landing page and the Quickstart, light and dark, are
saved in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

from .pagecheck import audit, axe_violations
from .sitelib import ARTIFACTS, DOCS, Site, site_pages

PAGES = site_pages()
OpenPage = Callable[..., tuple[Any, Any]]


# -- every page --------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", PAGES)
def test_page_reads_offline_and_accessibly_with_every_figure_and_formula_drawn(
    page_path: str, scheme: str, open_page: OpenPage
) -> None:
    """And, in the light theme, on the same page load: its interactive parts work."""
    page, log = open_page(page_path, scheme=scheme)
    # Nothing refused (the page needs nothing outside the site), no errors, no serious or
    # critical axe-core finding, no TeX source left for the reader to decipher.
    report = audit(page, log)
    assert not report.summary(), report.summary()

    broken_images = page.evaluate(
        """() => [...document.querySelectorAll("img")]
            .filter((img) => !img.complete || img.naturalWidth === 0 || img.naturalHeight === 0
                      || (img.checkVisibility() && (img.clientWidth === 0 || img.clientHeight === 0)))
            .map((img) => img.getAttribute("src").slice(0, 120))"""
    )
    assert not broken_images, f"images that did not load or have no size: {broken_images}"

    # Inline SVGs in the content (graphs, stepper frames), not the theme's icons.
    empty_svgs = page.evaluate(
        """() => [...document.querySelectorAll("article svg")]
            .filter((svg) => !svg.closest("button, a, .copybtn, .headerlink") && !svg.querySelector("use"))
            .filter((svg) => svg.checkVisibility())
            .filter((svg) => { const r = svg.getBoundingClientRect();
                               return r.width === 0 || r.height === 0 || svg.childElementCount === 0; })
            .map((svg) => svg.outerHTML.slice(0, 120))"""
    )
    assert not empty_svgs, f"inline SVGs with no size or no content: {empty_svgs}"

    # A page made from a notebook offers its source and its executed notebook.
    if page.locator("div.cell").count():
        assert page.locator(".micrograd-downloads a[download]").count() == 2, "no .md/.ipynb downloads"

    # Where the page has math, MathJax typeset it, without TeX errors.
    if page.locator("span.math, div.math").count():
        assert page.locator("mjx-container").count() >= page.locator("span.math, div.math").count()
        assert page.locator("mjx-merror").count() == 0, "MathJax reports TeX errors on the page"

    if scheme == "light":  # after the audit: opening and stepping changes what axe would see
        _interactive_parts_work(page)


def _interactive_parts_work(page: Any) -> None:
    # Every collapsible block (quick-check answers, hidden solutions, folded code) opens
    # when its summary is clicked, and shows something.
    details = page.locator("article details")
    for i in range(details.count()):
        block = details.nth(i)
        if block.evaluate("(d) => d.open"):
            continue
        summary = block.locator(":scope > summary")
        summary.scroll_into_view_if_needed()
        summary.click()
        page.wait_for_function("(d) => d.open", arg=block.element_handle())
        shown = block.evaluate(
            """(d) => [...d.children].filter((c) => c.tagName !== "SUMMARY")
                  .some((c) => c.checkVisibility() && c.getBoundingClientRect().height > 0)"""
        )
        assert shown, f"<details> #{i} ({summary.inner_text()[:40]!r}) opened but shows nothing"

    # Every backward() stepper moves to another frame when Next is clicked.
    steppers = page.locator(".mg-stepper, .micrograd-stepper")
    for i in range(steppers.count()):
        stepper = steppers.nth(i)
        stepper.scroll_into_view_if_needed()
        before = _visible_frame(stepper)
        assert before is not None, f"stepper #{i} shows no frame"
        stepper.locator("button[data-action='next'], button:has-text('Next')").first.click(timeout=5000)
        page.wait_for_timeout(100)
        after = _visible_frame(stepper)
        assert after is not None and after != before, f"stepper #{i}: Next did not change the frame"

    # Every matplotlib animation (FuncAnimation.to_jshtml) changes its frame when played.
    animations = page.locator("div.animation")
    for i in range(animations.count()):
        animation = animations.nth(i)
        animation.scroll_into_view_if_needed()
        image = animation.locator("img").first
        before = image.get_attribute("src")
        animation.locator("button[title='Play']").click()
        page.wait_for_function(
            "([img, src]) => img.getAttribute('src') !== src",
            arg=[image.element_handle(), before],
            timeout=5000,
        )
        animation.locator("button[title='Pause']").click()


def _visible_frame(stepper: Any) -> int | None:
    index: int | None = stepper.evaluate(
        """(s) => { const frames = [...s.querySelectorAll("figure, .mg-frame, [data-frame]")];
                    const i = frames.findIndex((f) => f.checkVisibility()
                                                      && f.getBoundingClientRect().height > 0);
                    return i < 0 ? null : i; }"""
    )
    return index


def test_every_page_of_the_build_is_tested(site: Site) -> None:
    built = {
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*.html")
        if not p.relative_to(site.root).parts[0].startswith("_")
    }
    assert built == set(PAGES), (
        f"untested: {sorted(built - set(PAGES))}; missing: {sorted(set(PAGES) - built)}"
    )


# -- links -------------------------------------------------------------------------------


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        for attribute in ("href", "src"):
            target = values.get(attribute)
            if target and tag in {"a", "link", "img", "script", "source", "iframe"}:
                self.links.append(target)


def test_every_internal_link_resolves(site: Site) -> None:
    """Crawl the site from its landing page: every internal link, image, script and
    stylesheet answers 200, and every #fragment names an element of its page."""
    pages: dict[str, _LinkParser] = {}
    statuses: dict[str, int] = {}
    to_visit = [f"{site.url}/index.html"]
    fragments: list[tuple[str, str, str]] = []  # (from page, target page, fragment)
    while to_visit:
        url = to_visit.pop()
        if url in statuses:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                statuses[url] = response.status
                body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            statuses[url] = error.code
            continue
        if kind != "text/html":
            continue
        parser = _LinkParser()
        parser.feed(body.decode("utf-8"))
        pages[url] = parser
        for link in parser.links:
            if link.startswith(("data:", "mailto:", "javascript:")):
                continue
            target = urllib.parse.urljoin(url, link)
            if not target.startswith(site.url + "/"):
                continue  # external: not ours to check offline
            target, _, fragment = target.partition("#")
            target = target.split("?")[0]
            if target.endswith("/"):
                target += "index.html"
            if fragment:
                fragments.append((url, target, urllib.parse.unquote(fragment)))
            to_visit.append(target)

    broken = sorted(u for u, status in statuses.items() if status != 200)
    assert not broken, f"internal links that do not resolve: {broken}"
    missing = sorted(
        f"{source} -> {target}#{fragment}"
        for source, target, fragment in fragments
        if target in pages and fragment not in pages[target].ids
    )
    assert not missing, "links to anchors that do not exist:\n" + "\n".join(missing)
    assert len(pages) >= len(PAGES), "the crawl did not reach every page"


# -- the pages that exercise the machinery ------------------------------------------------


def test_quickstart_shows_a_computation_graph_and_a_plot(open_page: OpenPage) -> None:
    page, _ = open_page("quickstart.html")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("div.cell_output img")].map((img) => ({
              src: img.getAttribute("src"), width: img.naturalWidth, height: img.naturalHeight }))"""
    )
    graphs = [s for s in sizes if s["src"].endswith(".svg")]
    plots = [s for s in sizes if s["src"].endswith(".png")]
    assert graphs and all(s["width"] > 200 and s["height"] > 50 for s in graphs), sizes
    assert plots and all(s["width"] > 300 and s["height"] > 150 for s in plots), sizes
    # The graph is micrograd's drawing: boxes labelled with data and grad.
    svg = urllib.request.urlopen(urllib.parse.urljoin(page.url, graphs[0]["src"])).read().decode()
    assert "data " in svg and "grad " in svg


def test_copy_button_copies_the_code_without_outputs(open_page: OpenPage, site: Site) -> None:
    page, _ = open_page("quickstart.html")
    notebook = json.loads((site.root / "quickstart.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]

    cells = page.locator("div.cell")
    assert cells.count() == len(sources)
    for i in range(cells.count()):
        cell = cells.nth(i)
        assert cell.locator("div.cell_output button.copybtn").count() == 0, "an output has a copy button"
        if cell.locator("div.cell_output").count() == 0:
            continue
        cell.locator("div.cell_input").hover()
        page.evaluate("() => { window.__copied = undefined; }")
        cell.locator("div.cell_input button.copybtn").click()
        page.wait_for_function("() => window.__copied !== undefined")
        copied = page.evaluate("() => window.__copied")
        # The executed notebook is the independent record of what the cell's code is.
        assert copied.strip() == sources[i].strip()
        output = cell.locator("div.cell_output").inner_text().strip()
        if output:
            assert output.splitlines()[0] not in copied


def test_copy_button_shows_with_a_ring_when_the_keyboard_reaches_it(open_page: OpenPage) -> None:
    page, _ = open_page("quickstart.html")
    button = page.locator("div.cell_input button.copybtn").first
    page.locator("div.cell .mg-run button[data-action=run]").first.focus()  # just before it
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if button.evaluate("(b) => b === document.activeElement"):
            break
    assert button.evaluate("(b) => b === document.activeElement"), "Shift+Tab reaches the copy button"
    page.wait_for_timeout(400)  # its fade-in
    style = button.evaluate("(b) => { const s = getComputedStyle(b); return [s.opacity, s.outlineStyle]; }")
    assert style == ["1", "solid"], style


def test_copy_button_leaves_out_doctest_prompts_and_outputs(open_page: OpenPage) -> None:
    page, _ = open_page("api/engine.html")
    block = page.locator("dl.py.class div.highlight-pycon, dl.py.class div.doctest").first
    text = block.inner_text()
    assert ">>>" in text
    block.hover()
    page.evaluate("() => { window.__copied = undefined; }")
    block.locator("button.copybtn").click()
    page.wait_for_function("() => window.__copied !== undefined")
    copied: str = page.evaluate("() => window.__copied")
    assert ">>>" not in copied
    code_lines = [line[4:] for line in text.splitlines() if line.startswith((">>> ", "... "))]
    output_lines = [line for line in text.splitlines() if line and not line.startswith((">>>", "..."))]
    # Outputs leave blank lines behind (harmless when pasted); the code is all there, in order.
    copied_lines = [line for line in copied.splitlines() if line.strip()]
    assert copied_lines == code_lines
    assert not any(line in copied_lines for line in output_lines)


def test_search_finds_backward(open_page: OpenPage) -> None:
    page, _ = open_page("search.html?q=backward")
    # Results appear one by one, API names first: wait for the page that must be among them.
    page.wait_for_selector("#search-results ul.search li a[href*='quickstart.html']", timeout=20000)
    results = page.locator("#search-results ul.search li a").evaluate_all("(as) => as.map((a) => a.href)")
    assert any("quickstart.html" in r for r in results), results
    assert any("api/engine.html" in r for r in results), results


def test_api_page_of_value_lists_backward(open_page: OpenPage) -> None:
    page, _ = open_page("api/engine.html")
    entry = page.locator("dt[id='micrograd.engine.Value.backward']")
    assert entry.is_visible()
    assert "backward" in entry.inner_text()
    description = page.locator("dt[id='micrograd.engine.Value.backward'] + dd").inner_text()
    assert "accumulate" in description


def test_notebook_pages_offer_their_source_and_executed_notebook(open_page: OpenPage, site: Site) -> None:
    page, _ = open_page("quickstart.html")
    links = page.locator(".micrograd-downloads a")
    hrefs = links.evaluate_all("(as) => as.map((a) => a.href)")
    assert len(hrefs) == 2, hrefs
    source = urllib.request.urlopen(hrefs[0]).read().decode("utf-8")
    assert source == (DOCS / "quickstart.md").read_text(encoding="utf-8")
    notebook = json.loads(urllib.request.urlopen(hrefs[1]).read())
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the notebook carries its plots"
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs), "the notebook carries its graph"


# -- light and dark ----------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_and_figures_readable_in_both_themes(scheme: str, open_page: OpenPage) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for page_path, name in [("index.html", "landing"), ("quickstart.html", "quickstart")]:
        page, log = open_page(page_path, scheme=scheme)
        assert not log.problems(), log.problems()
        theme = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert _is_dark(theme) == (scheme == "dark"), theme
        # Figures are dark ink on white: each sits on a white card, whatever the theme.
        backgrounds = page.evaluate(
            """() => [...document.querySelectorAll("#furo-main-content img")]
                .map((img) => getComputedStyle(img).backgroundColor)"""
        )
        assert backgrounds and all(b == "rgb(255, 255, 255)" for b in backgrounds), backgrounds
        page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}.png"), full_page=name == "quickstart")


def _is_dark(css_color: str) -> bool:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_color)[:3])
    return (r + g + b) / 3 < 128


# -- keyboard and phone, on the built pages (Sphinx's own scripts loaded) -------------------


def test_stepper_arrow_keys_step_through_backward_and_stay_on_the_page(open_page: OpenPage) -> None:
    # conf.py turns on navigation_with_keys: outside the stepper, the arrow keys change page.
    page, log = open_page("tutorials/03-backprop-step-by-step.html")
    stepper = page.locator(".mg-stepper").first
    stepper.scroll_into_view_if_needed()
    stepper.locator(".mg-frame:visible svg").click()
    counter = stepper.locator(".mg-counter")
    assert counter.inner_text().startswith("Step 0 of ")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert counter.inner_text().startswith("Step 2 of ")
    page.keyboard.press("ArrowLeft")
    assert counter.inner_text().startswith("Step 1 of ")
    page.wait_for_timeout(300)  # a page change would have started by now
    assert page.url.endswith("tutorials/03-backprop-step-by-step.html"), page.url
    assert not log.problems(), log.problems()


def test_animation_slider_takes_the_arrow_keys_on_the_built_page(open_page: OpenPage) -> None:
    page, _ = open_page("tutorials/06-xor.html")
    animation = page.locator("div.animation").first
    slider = animation.locator("input[type=range]")
    slider.focus()
    image = animation.locator("img")
    before = image.get_attribute("src")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([img, src]) => img.getAttribute('src') !== src", arg=[image.element_handle(), before]
    )
    assert page.url.endswith("tutorials/06-xor.html")
    assert slider.get_attribute("aria-label") == "Frame"
    assert image.get_attribute("alt"), "the animation's frame has no text alternative"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_stepper_keeps_the_active_values_in_view_at_every_step(
    scheme: str, open_page: OpenPage
) -> None:
    page, _ = open_page("tutorials/03-backprop-step-by-step.html", scheme=scheme, device="phone")
    stepper = page.locator(".mg-stepper").first
    stepper.scroll_into_view_if_needed()
    last = int(stepper.locator("input[type=range]").get_attribute("max") or 0)
    for step in range(1, last + 1):
        stepper.locator("button[data-action='next']").click()
        outside, caption = stepper.evaluate(
            """(s) => {
              const frame = [...s.querySelectorAll(".mg-frame")].find((f) => !f.hidden);
              const box = frame.querySelector(".mg-frame-graph").getBoundingClientRect();
              const caption = frame.querySelector("figcaption").getBoundingClientRect();
              return [
                [...frame.querySelectorAll(".mgactive")]
                  .map((g) => g.getBoundingClientRect())
                  .filter((r) => r.right > box.right + 1 || r.left < box.left - 1).length,
                caption.left >= 0 && caption.right <= innerWidth,
              ];
            }"""
        )
        assert outside == 0, f"step {step}: the value passing its gradient on is scrolled out of view"
        assert caption, f"step {step}: the caption scrolled sideways with the graph, out of the screen"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_graph_text_is_at_least_9_css_px_as_shown(device: str, open_page: OpenPage) -> None:
    pages = ["index.html", "quickstart.html", "tutorials/02-building-value.html", "how-to/visualize.html"]
    for page_path in pages:
        page, _ = open_page(page_path, device=device)
        sizes = page.evaluate(
            """async () => {
              const found = [];
              for (const img of document.querySelectorAll("article img.mg-graph")) {
                const text = await (await fetch(img.src)).text();
                const svg = new DOMParser().parseFromString(text, "image/svg+xml");
                const viewBox = svg.documentElement.viewBox.baseVal;
                const fonts = [...svg.querySelectorAll("text")]
                  .map((t) => parseFloat(t.getAttribute("font-size")));
                found.push(Math.min(...fonts) * img.getBoundingClientRect().width / viewBox.width);
              }
              return found;
            }"""
        )
        assert sizes, f"{page_path}: no graphs found"
        assert min(sizes) >= 9, f"{page_path} on a {device}: graph text {min(sizes):.1f} px"


def test_every_formula_fits_a_phone_screen_answers_included(
    open_page: OpenPage, context_for: Callable[[str, str], Any]
) -> None:
    """MathJax does not break an inline formula across lines: a long one ran off a phone's
    screen (in the answers of quick checks, too). Every details element is opened first."""
    context = context_for("light", "phone")
    too_wide = []
    for page_path in PAGES:
        page, _ = open_page(page_path, context)
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        too_wide += [
            f"{page_path}: {formula}"
            for formula in page.evaluate(
                """() => [...document.querySelectorAll("article mjx-container:not([display=true])")]
                     .filter((m) => m.getClientRects().length)
                     .filter((m) => m.getBoundingClientRect().right > innerWidth - 8)
                     .map((m) => m.querySelector("mjx-assistive-mml")?.textContent ?? "?")"""
            )
        ]
        page.close()
    assert not too_wide, too_wide


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_pages_do_not_overflow_and_the_title_keeps_its_words(scheme: str, open_page: OpenPage) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {}
    for page_path, name in [("index.html", "landing"), ("tutorials/06-xor.html", "xor")]:
        page, log = open_page(page_path, scheme=scheme, device="phone")
        assert not log.problems(), log.problems()
        # Nothing makes the whole page scroll sideways (wide parts scroll inside themselves).
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=str(ARTIFACTS / f"{name}-phone-{scheme}.png"))
        pages[name] = page
    title = pages["landing"].locator("article h1").first
    words = title.evaluate(
        """(h) => { const range = document.createRange(); const breaks = [];
                    const text = h.firstChild; let top = null;
                    for (let i = 0; i < text.length; i++) {
                      range.setStart(text, i); range.setEnd(text, i + 1);
                      const t = range.getBoundingClientRect().top;
                      const inWord = /\\w/.test(text.data[i - 1]) && /\\w/.test(text.data[i]);
                      if (top !== null && t > top + 2 && inWord) {
                        breaks.push(i);
                      }
                      top = t;
                    }
                    return breaks; }"""
    )
    assert words == [], f"the landing title breaks inside a word at {words}"
    # The animation's controls fit the phone: its last button is inside the page.
    page = pages["xor"]
    animation = page.locator("div.animation").first
    animation.scroll_into_view_if_needed()
    right = animation.locator("button").last.evaluate("(b) => b.getBoundingClientRect().right")
    article = page.locator("article").evaluate("(a) => a.getBoundingClientRect().right")
    assert right <= article + 1, f"the animation's last button ends at {right}, the page at {article}"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_tab_only_stops_where_the_reader_can_see(device: str, open_page: OpenPage) -> None:
    """From the top of a page, every stop of the Tab key is on the screen: furo's closed drawers
    (the navigation on a phone, the page's contents below 82em) kept their links in the Tab
    order, off the screen."""
    page, _ = open_page("how-to/check-gradients.html", device=device)
    unseen = []
    for stop in range(80):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
                       const seen = r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth
                         && getComputedStyle(e).visibility === 'visible';
                       const what = `${e.tagName} ${e.textContent.trim().slice(0, 40)}`;
                       return seen ? null : `${what} at x=${r.left}`; }"""
        )
        if where:
            unseen.append(f"stop {stop + 1}: {where}")
    assert not unseen, unseen
    # axe finds nothing, of any impact (furo's drawers had no names, its page icons and its
    # "Back to top", which shows when the page scrolls back up, no landmark).
    for top in (4000, 3500):  # down, then up: each scroll seen by furo's handler on its own
        page.evaluate("(top) => window.scrollTo({top, behavior: 'instant'})", top)
        page.wait_for_timeout(300)
    page.wait_for_function("() => document.documentElement.classList.contains('show-back-to-top')")
    assert not axe_violations(page, ("minor", "moderate", "serious", "critical"))


def test_phone_navigation_drawer_opens_and_closes_from_the_keyboard(open_page: OpenPage) -> None:
    page, _ = open_page("how-to/check-gradients.html", device="phone")
    icon = page.get_by_role("button", name="Toggle site navigation sidebar")
    assert icon.get_attribute("aria-expanded") == "false"
    for _ in range(10):  # the skip link, then the header's first button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('button.nav-overlay-icon')"):
            break
    else:
        raise AssertionError("Tab does not reach the navigation's button")
    page.keyboard.press("Enter")
    assert icon.get_attribute("aria-expanded") == "true"
    page.wait_for_timeout(400)  # the drawer slides in
    assert page.evaluate(
        """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
                   return e.closest('.sidebar-drawer') !== null && r.left >= 0 && r.right <= innerWidth; }"""
    ), "the focus is on a link of the open drawer"
    assert not axe_violations(page, ("minor", "moderate", "serious", "critical"))
    page.keyboard.press("Escape")
    assert icon.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.matches('button.nav-overlay-icon')")
    icon.click()  # the mouse as well
    assert icon.get_attribute("aria-expanded") == "true"


@pytest.mark.parametrize(("scheme", "device"), [("light", "desktop"), ("dark", "desktop"), ("dark", "phone")])
def test_sidebar_sections_open_and_close_from_the_keyboard_with_a_visible_ring(
    scheme: str, device: str, open_page: OpenPage
) -> None:
    """The arrows beside "Tutorials", "How-to guides"... in the site's navigation: furo drew each as
    the <label> of a hidden checkbox, which the Tab key never reached."""
    page, _ = open_page("how-to/check-gradients.html", scheme=scheme, device=device)
    if device == "phone":
        page.get_by_role("button", name="Toggle site navigation sidebar").first.click()
        page.wait_for_timeout(400)  # the drawer slides in
    tutorials = page.locator(".sidebar-tree li.toctree-l1:has(> a[href$='tutorials/index.html'])")
    pages = tutorials.locator("> ul")
    expander = page.get_by_role("button", name="Pages of Tutorials")
    assert expander.get_attribute("aria-expanded") == "false" and not pages.is_visible()
    assert expander.get_attribute("aria-controls") == pages.get_attribute("id")

    tutorials.locator("> a").focus()
    page.keyboard.press("Tab")
    assert expander.evaluate("(b) => b === document.activeElement"), "Tab goes from Tutorials to its arrow"
    page.keyboard.press("Enter")
    assert expander.get_attribute("aria-expanded") == "true" and pages.is_visible()
    page.keyboard.press("Space")
    assert expander.get_attribute("aria-expanded") == "false" and not pages.is_visible()
    page.keyboard.press("Space")
    assert expander.get_attribute("aria-expanded") == "true" and pages.is_visible()

    # The focus ring: drawn, inside the sidebar's scrolling box (which clips what sticks out),
    # and at least 3:1 against the sidebar's background (WCAG 1.4.11), in either theme.
    ring = expander.evaluate(
        """(b) => {
          const s = getComputedStyle(b), r = b.getBoundingClientRect();
          const out = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth);
          const box = b.closest('.sidebar-scroll').getBoundingClientRect();
          let e = b;  // the nearest background that is not transparent
          while (/rgba\\(.*, 0\\)$/.test(getComputedStyle(e).backgroundColor)) e = e.parentElement;
          return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
                  background: getComputedStyle(e).backgroundColor,
                  inside: r.left - out >= box.left && r.right + out <= box.right
                          && r.top - out >= box.top && r.bottom + out <= box.bottom};
        }"""
    )
    assert ring["style"] == "solid" and ring["width"] >= 2 and ring["inside"], ring
    assert _contrast(ring["color"], ring["background"]) >= 3, ring
    page.screenshot(path=str(ARTIFACTS / f"sidebar-expander-{device}-{scheme}.png"))

    page.keyboard.press("Tab")  # into the section just opened
    assert page.evaluate("() => document.activeElement.closest('li.toctree-l2') !== null")
    assert not axe_violations(page, ("minor", "moderate", "serious", "critical"))
    expander.click()  # and the mouse (or a finger)
    assert expander.get_attribute("aria-expanded") == "false" and not pages.is_visible()


def _contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two CSS colors given as rgb(...)."""

    def luminance(css_color: str) -> float:
        channels = [int(x) / 255 for x in re.findall(r"\d+", css_color)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_api_names_wrap_after_the_module_not_inside_a_word_on_a_phone(open_page: OpenPage) -> None:
    page, _ = open_page("api/exercises.html", device="phone")
    broken = page.evaluate(
        """() => [...document.querySelectorAll('dt.sig .sig-name')]
                   .filter((n) => n.getClientRects().length > 1).map((n) => n.textContent)"""
    )
    assert page.locator("dt.sig .sig-name").count() > 10 and not broken, broken


def test_search_page_has_a_heading_and_nothing_for_axe(open_page: OpenPage) -> None:
    page, _ = open_page("search.html?q=backward")
    assert page.locator("article h1").inner_text() == "Search"  # furo's page had no heading
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0")
    assert not axe_violations(page, ("minor", "moderate", "serious", "critical"))
