"""Fixtures for testing the built documentation site in a real headless Chromium.

- ``site``: the built HTML site, served over HTTP on 127.0.0.1 from a thread. Set
  ``MICROGRAD_DOCS_BUILD`` to a built ``html`` folder to test that build (``tests/run.sh``
  does, after ``docs/build.sh``); otherwise the site is built here first, the way the
  README's command builds it.
- ``browser``: Playwright driving the system's Chromium (``/usr/bin/chromium``, or
  ``MICROGRAD_CHROMIUM``). Every test here is skipped, with the reason, when Playwright or
  Chromium is missing.
- ``context_for(scheme, device)``: a browser context in the light or dark color scheme, on a
  desktop (1280 px) or a phone (390 px), one per session for each pair.
- ``open_page``: opens a page of the site the way a reader without network does. Every
  request that does not go to the local server is refused and recorded (the site must
  need nothing from anywhere else), and so are console errors, uncaught exceptions and
  failed requests. ``pagecheck.audit(page, log)`` adds what axe-core finds and any TeX
  source left visible.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dependencies import require

from .pagecheck import PageLog, open_offline
from .sitelib import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Site, site_dir


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
def browser_context_factory(browser: Any) -> Callable[..., Any]:
    """``make(scheme, device="desktop")``: a new context; the caller closes it."""

    def make(color_scheme: str = "light", device: str = "desktop", **options: Any) -> Any:
        context = browser.new_context(color_scheme=color_scheme, **{**_device_options(device), **options})
        context.add_init_script(_RECORD_COPIES)
        return context

    return make


def _device_options(device: str) -> dict[str, Any]:
    if device == "phone":
        return {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    return {"viewport": DESKTOP}


# Record what the copy button puts on the clipboard (ClipboardJS copies from a selected,
# hidden textarea with execCommand("copy")).
_RECORD_COPIES = """
document.addEventListener("copy", (event) => {
  const t = event.target;
  window.__copied = (t && typeof t.value === "string")
    ? t.value.slice(t.selectionStart, t.selectionEnd)
    : String(document.getSelection());
}, true);
"""


@pytest.fixture(scope="session")
def context_for(
    playwright_api: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str, str], Any]]:
    """``context_for("dark", "phone")``: the session's context for that scheme and device.

    Each is a persistent context (a Chromium profile in a temporary folder), so that the
    pages opened in it share a disk cache, where Chromium keeps the machine code it compiled
    for Pyodide's WebAssembly: Python starts faster from the second page on, as it does for a
    reader going from page to page.
    """
    contexts: dict[tuple[str, str], Any] = {}

    def get(scheme: str = "light", device: str = "desktop") -> Any:
        if (scheme, device) not in contexts:
            contexts[scheme, device] = playwright_api.chromium.launch_persistent_context(
                tmp_path_factory.mktemp(f"chromium-{scheme}-{device}"),
                executable_path=str(CHROMIUM),
                args=CHROMIUM_ARGS,
                color_scheme=scheme,
                **_device_options(device),
            )
            contexts[scheme, device].add_init_script(_RECORD_COPIES)
        return contexts[scheme, device]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_page(
    context_for: Callable[[str, str], Any], site: Site
) -> Iterator[Callable[..., tuple[Any, PageLog]]]:
    """``open_page("quickstart.html", scheme="dark", device="phone")`` returns ``(page, log)``:
    the page loaded offline, math typeset, and what went wrong (``log.refused`` lists every
    request that tried to leave the local server)."""
    opened: list[Any] = []

    def open_(
        page_path: str, context: Any = None, *, scheme: str = "light", device: str = "desktop"
    ) -> tuple[Any, PageLog]:
        page, log = open_offline(context or context_for(scheme, device), site.url, site.page_url(page_path))
        opened.append(page)
        return page, log

    yield open_
    for page in opened:
        page.close()
