"""Fixtures for testing the built documentation site in a real headless Chromium.

- ``site``: the built HTML site, served over HTTP on 127.0.0.1 from a thread. Set
  ``MICROGRAD_DOCS_BUILD`` to a built ``html`` folder to test that build (``tests/run.sh``
  does, after ``docs/build.sh``); otherwise the site is built here first, the way the
  README's command builds it.
- ``browser``: Playwright driving the system's Chromium (``/usr/bin/chromium``, or
  ``MICROGRAD_CHROMIUM``). Without Playwright or Chromium, every test here skips with the
  reason (or, in CI, fails).
- ``open_page``: opens a page of the site in a new tab and records what a reader would
  not see but a broken page shows: console errors, uncaught exceptions, failed requests.

The site loads MathJax (and the Font Awesome icons of matplotlib's animations) from public
CDNs. The test machine has no internet, so requests to those CDNs are answered from the
same npm packages, fetched from the npm registry with ``npm pack`` into
``test-artifacts/cdn-cache``. Any other request that leaves 127.0.0.1 fails the test; a
page that needs a CDN file npm cannot fetch skips (or, in CI, fails).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from dependencies import missing, require

from .sitelib import CHROMIUM, CHROMIUM_ARGS, CONTENT_TYPES, CdnMirror, Site, site_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    root = site_dir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_api() -> Any:
    sync_api = require("playwright")
    require("chromium")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_api: Any) -> Iterator[Any]:
    browser = playwright_api.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def cdn_mirror() -> CdnMirror:
    return CdnMirror()


@dataclass
class PageLog:
    """What went wrong while a page was open."""

    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, source URL)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    mirrored: list[str] = field(default_factory=list)
    unmirrored: list[str] = field(default_factory=list)  # CDN files this machine cannot fetch

    def problems(self) -> list[str]:
        return [
            *(
                f"console error: {text} ({source})"
                for text, source in self.console_errors
                if source not in self.unmirrored and not any(url in text for url in self.unmirrored)
            ),
            *(f"uncaught exception: {m}" for m in self.page_errors),
            *(f"failed request: {m}" for m in self.failed_requests),
            *(f"request outside the site: {m}" for m in self.external_requests),
        ]


@pytest.fixture(scope="session")
def browser_context_factory(browser: Any, site: Site, cdn_mirror: CdnMirror) -> Callable[..., Any]:
    def make(color_scheme: str = "light", **options: Any) -> Any:
        context = browser.new_context(
            color_scheme=color_scheme,
            viewport=options.pop("viewport", {"width": 1280, "height": 800}),
            **options,
        )
        # Record what the copy button puts on the clipboard (ClipboardJS copies from a
        # selected, hidden textarea with execCommand("copy")).
        context.add_init_script(
            """
            document.addEventListener("copy", (event) => {
              const t = event.target;
              window.__copied = (t && typeof t.value === "string")
                ? t.value.slice(t.selectionStart, t.selectionEnd)
                : String(document.getSelection());
            }, true);
            """
        )
        return context

    return make


@pytest.fixture(scope="session")
def light_context(browser_context_factory: Callable[..., Any]) -> Iterator[Any]:
    context = browser_context_factory("light")
    yield context
    context.close()


@pytest.fixture
def open_page(light_context: Any, site: Site, cdn_mirror: CdnMirror) -> Iterator[Callable[..., Any]]:
    """``open_page("quickstart.html")`` returns ``(page, log)``, the page loaded and settled."""
    opened: list[Any] = []

    def open_(page_path: str, context: Any = None) -> tuple[Any, PageLog]:
        page = (context or light_context).new_page()
        opened.append(page)
        log = PageLog()

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(site.url + "/") or url.startswith("data:"):
                route.continue_()
                return
            mirrored = cdn_mirror.file_for(url)
            if mirrored is not None:
                log.mirrored.append(url)
                suffix = mirrored.suffix.lower()
                route.fulfill(
                    path=str(mirrored),
                    headers={
                        "content-type": CONTENT_TYPES.get(suffix, "application/octet-stream"),
                        "access-control-allow-origin": "*",
                    },
                )
                return
            if cdn_mirror.cannot_mirror(url):
                log.unmirrored.append(url)
            else:
                log.external_requests.append(url)
            route.abort()

        page.route("**/*", route)
        page.on(
            "console",
            lambda m: (
                log.console_errors.append((m.text, m.location.get("url", ""))) if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))
        page.on(
            "requestfailed",
            lambda r: (
                log.failed_requests.append(f"{r.url} ({r.failure})") if r.url.startswith(site.url) else None
            ),
        )
        page.goto(site.page_url(page_path), wait_until="load")
        page.wait_for_load_state("networkidle")
        if log.unmirrored:  # without these CDN files (MathJax, ...) the page cannot be checked
            require("npm")
            missing(
                f"the npm registry, to mirror {', '.join(log.unmirrored[:2])}",
                "let npm pack reach registry.npmjs.org",
            )
        wait_for_math(page)
        return page, log

    yield open_
    for page in opened:
        page.close()


def wait_for_math(page: Any, timeout_ms: int = 20000) -> None:
    """Wait until MathJax has typeset the page, if the page has math and MathJax loaded."""
    if page.locator("span.math, div.math").count() == 0:
        return
    page.wait_for_function(
        """() => {
          const mj = window.MathJax;
          if (!mj || !mj.startup || !mj.startup.promise) return true;  // MathJax did not load
          if (!window.__mathWaiting) {
            window.__mathWaiting = true;
            mj.startup.promise.then(() => { window.__mathDone = true; });
          }
          return window.__mathDone === true;
        }""",
        timeout=timeout_ms,
    )
