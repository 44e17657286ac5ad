"""The expression stepper (``{playground} expression``) in Chromium, with hostile and honest links.

The references are the derivatives written out here with :mod:`math`, and micrograd's error
messages as the engine raises them natively. One page load carries the whole check, because
loading Python in the page is the expensive part (15-25 s on a busy 2-core machine): it opens
the page from a link whose expression is code, then types markup and honest expressions.
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Callable
from typing import Any

from micrograd import Value

from .pagecheck import audit

OpenPage = Callable[..., tuple[Any, Any]]
PAGE = "tutorials/03-backprop-step-by-step.html"
PYTHON_LOADS_IN_MS = 180_000
HOSTILE_EXPR = "__import__('js').eval('window.__pwned = 1')"
MARKUP = '<img src=x onerror="window.__pwned = 2">'


def drawn(box: Any) -> dict[str, tuple[float, float]]:
    """The drawing's (data, grad) of each labelled value."""
    found: dict[str, tuple[float, float]] = box.evaluate(
        """(box) => Object.fromEntries([...box.querySelectorAll('.mg-pg-node')]
             .filter((g) => g.dataset.label)
             .map((g) => [g.dataset.label, [+g.dataset.data, +g.dataset.grad]]))"""
    )
    return found


def engine_message(native: Callable[[], Value]) -> str:
    try:
        native()
    except (ValueError, ZeroDivisionError) as error:
        return str(error)
    raise AssertionError("micrograd raised nothing")


def submit(page: Any, box: Any, expr: str, values: str) -> None:
    box.get_by_label("Expression", exact=True).fill(expr)
    box.get_by_label("Values", exact=True).fill(values)
    before = box.evaluate("(b) => b.dataset.drawn + '|' + b.querySelector('[role=alert]').textContent")
    box.get_by_label("Values", exact=True).press("Enter")  # the form submits from the keyboard
    page.wait_for_function(
        """([b, before]) => b.dataset.state !== 'waiting'
             && b.dataset.drawn + '|' + b.querySelector('[role=alert]').textContent !== before""",
        arg=[box.element_handle(), before],
        timeout=PYTHON_LOADS_IN_MS,
    )


def test_expression_stepper_from_links_honest_and_hostile(open_page: OpenPage, site: Any) -> None:
    dialogs: list[str] = []
    query = urllib.parse.urlencode({"expr": HOSTILE_EXPR})
    page, log = open_page(f"{PAGE}?{query}")
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    box = page.locator(".mg-playground[data-playground=expression]")
    assert box.locator("input").count() == 0, "nothing of the link is read before Start"
    box.get_by_role("button", name="Start the playground").click()

    # A link whose expression is code: the allow-list refuses it, by name, and nothing runs.
    page.wait_for_function(
        "(b) => b.dataset.state === 'error'", arg=box.element_handle(), timeout=PYTHON_LOADS_IN_MS
    )
    assert box.get_by_label("Expression", exact=True).input_value() == HOSTILE_EXPR
    assert "the method 'eval' is not allowed" in box.get_by_role("alert").inner_text()

    # Markup typed (or linked) as the expression and as a name: shown as text, never parsed.
    submit(page, box, MARKUP, "a=1")
    assert "not a valid expression" in box.get_by_role("alert").inner_text()
    submit(page, box, "a", f"{MARKUP}=1")
    assert MARKUP.split("=")[0] in box.get_by_role("alert").inner_text()
    assert page.evaluate("() => window.__pwned") is None and not dialogs
    assert box.locator("img, script, iframe").count() == 0

    # An honest expression: the graph, micrograd's numbers, and the state in the URL.
    submit(page, box, "(x**2).exp() / y", "x=0.5, y=2")
    x, y = 0.5, 2.0
    e = math.exp(x * x)
    values = drawn(box)
    assert math.isclose(values["out"][0], e / y, rel_tol=1e-12)
    assert math.isclose(values["x"][1], 2 * x * e / y, rel_tol=1e-12)
    assert math.isclose(values["y"][1], -e / y**2, rel_tol=1e-12)
    assert json.loads(box.get_attribute("data-drawn")) == {
        "expr": "(x**2).exp() / y",
        "values": {"x": 0.5, "y": 2},
    }
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert state == {"expr": ["(x**2).exp() / y"], "x": ["0.5"], "y": ["2"]}

    # Stepping: before backward() every gradient is 0; the first step sets out's to 1.
    box.get_by_role("button", name="Before backward()").click()
    assert all(g == 0.0 for _, g in drawn(box).values())
    box.get_by_role("button", name="Step ▶").click()
    assert drawn(box)["out"][1] == 1.0
    assert box.locator(".mg-pg-caption").inner_text().startswith("Step 1 of ")
    box.get_by_role("button", name="All of backward()").click()
    assert math.isclose(drawn(box)["x"][1], 2 * x * e / y, rel_tol=1e-12)

    # A value used twice accumulates, as in micrograd: d(a*a + a)/da = 2a + 1.
    submit(page, box, "a*a + a", "a=3")
    assert drawn(box)["a"][1] == 7.0

    # Math errors are micrograd's own messages, as the engine raises them natively.
    cases = (
        ("a.log()", "a=-1", lambda: Value(-1.0).log()),
        ("a / b", "a=1, b=0", lambda: Value(1.0) / Value(0.0)),
    )
    for expr, given, native in cases:
        submit(page, box, expr, given)
        assert engine_message(native) in box.get_by_role("alert").inner_text()
        assert box.get_attribute("data-state") == "error" and box.locator(".mg-pg-node").count() == 0

    report = audit(page, log)
    assert not report.summary(), report.summary()
