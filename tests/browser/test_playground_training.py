"""The training playground (``{playground} training``) in Chromium, on a phone in dark mode.

A link restores the setup, and the run it gives is the run the package gives natively for
the same settings: the losses of the first 20 steps are compared with
``playgrounds.training.Session`` run here by CPython (itself checked against the training
written out plainly, in tests/test_playground_training.py). A small network keeps the steps
quick; one page load carries the whole check (Python's load is the expensive part).
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Callable
from typing import Any

from playgrounds.training import Session, Setup

from .pagecheck import audit

OpenPage = Callable[..., tuple[Any, Any]]
PAGE = "tutorials/05-two-moons.html"
PYTHON_LOADS_IN_MS = 180_000
SETUP = Setup(
    dataset="xor",
    size=20,
    noise=0.1,
    seed=7,
    hidden=(3,),
    activation="tanh",
    loss="bce",
    optimizer="adam",
    lr=0.05,
)
MARKUP = '<img src=x onerror="window.__pwned = 1">'


def test_training_playground_restores_a_link_and_trains_as_the_package_does(open_page: OpenPage) -> None:
    query = SETUP.to_query() + "&" + urllib.parse.urlencode({"evil": MARKUP})
    page, log = open_page(f"{PAGE}?{query}", scheme="dark", device="phone")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    box = page.locator(".mg-playground[data-playground=training]")
    box.get_by_role("button", name="Start the playground").click()
    page.wait_for_function(
        "(b) => b.dataset.state === 'ready'", arg=box.element_handle(), timeout=PYTHON_LOADS_IN_MS
    )

    # The link's setup is in the controls, and the URL holds exactly the setup (evil dropped).
    assert box.get_by_label("data set", exact=True).input_value() == "xor"
    assert box.get_by_label("hidden layers", exact=True).input_value() == "3"
    assert Setup.from_query(urllib.parse.urlsplit(page.url).query) == SETUP

    box.get_by_role("button", name="Play").click()
    page.wait_for_function("(b) => +b.dataset.steps >= 20", arg=box.element_handle(), timeout=60_000)
    box.get_by_role("button", name="Pause").click()
    shown = json.loads(box.get_attribute("data-losses"))[:20]
    native = Session(SETUP)
    expected = [native.step(grid=False)["loss"] for _ in range(20)]
    for k, (a, b) in enumerate(zip(shown, expected, strict=True)):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"step {k + 1}: browser {a}, native {b}"
    assert "weights" in box.locator("details summary").inner_text()
    painted = page.evaluate(
        """(b) => [...b.querySelectorAll('canvas')].map((c) => {
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             const colours = new Set();
             for (let i = 0; i < d.length; i += 4) colours.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);
             return colours.size;
           })""",
        box.element_handle(),
    )
    assert all(colours > 4 for colours in painted), "both pictures are drawn"

    # Step, then a bad setup typed in: Python's message, as text; then Apply a good one again.
    before = int(box.get_attribute("data-steps"))
    box.get_by_role("button", name="Step").click()
    page.wait_for_function(f"(b) => +b.dataset.steps === {before + 1}", arg=box.element_handle())
    box.get_by_label("hidden layers", exact=True).fill(MARKUP)
    box.get_by_role("button", name="Apply and reset").click()
    page.wait_for_function("(b) => b.dataset.state === 'error'", arg=box.element_handle())
    assert "hidden has a value that is not a number" in box.get_by_role("alert").inner_text()
    assert page.evaluate("() => window.__pwned") is None and not dialogs
    assert box.locator("img, script, iframe").count() == 0
    box.get_by_label("hidden layers", exact=True).fill("2")
    box.get_by_role("button", name="Apply and reset").click()
    page.wait_for_function("(b) => b.dataset.state === 'ready'", arg=box.element_handle())
    assert "hidden=2" in page.url
    assert "per second" not in box.get_by_role("status").inner_text(), "no speed before any step"

    # A code cell runs forever while the run plays (the playground's next step waits behind it),
    # and its Stop ends Python's session, and the run with it: the playground says so, and the
    # next Step opens the run again and trains from the start.
    stop_python = """async () => {
        const loader = document.querySelector('script[src*="playgrounds/playground.js"]').src;
        const {python} = await import(new URL("../runner/session.mjs", loader).href);
        python.run("while True: pass");
        await new Promise((resolve) => setTimeout(resolve, 500));
        python.stop();
    }"""
    box.get_by_role("button", name="Play").click()
    page.wait_for_function("(b) => +b.dataset.steps >= 3", arg=box.element_handle(), timeout=60_000)
    page.evaluate(stop_python)
    page.wait_for_function("(b) => b.dataset.state === 'ready'", arg=box.element_handle())
    assert "Training paused: Python was stopped" in box.get_by_role("alert").inner_text()
    box.get_by_role("button", name="Step").click()
    page.wait_for_function(
        "(b) => b.dataset.steps === '1'", arg=box.element_handle(), timeout=PYTHON_LOADS_IN_MS
    )
    assert box.get_by_role("alert").inner_text() == ""
    assert box.get_attribute("data-state") == "ready"
    box.get_by_role("button", name="Play").click()
    page.wait_for_function("(b) => +b.dataset.steps >= 5", arg=box.element_handle(), timeout=60_000)
    box.get_by_role("button", name="Pause").click()
    assert float(box.get_attribute("data-steps-per-second") or 0) > 0

    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    report = audit(page, log)
    assert not report.summary(), report.summary()
