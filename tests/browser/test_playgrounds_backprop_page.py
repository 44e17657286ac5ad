"""Tutorial 3's playgrounds in Chromium, used as a reader uses them: the neuron
(``{playground} neuron``) and the expression stepper (``{playground} expression``).

The references are written out here: the neuron's calculus with :mod:`math` (``o =
act(x1*w1 + x2*w2 + b)``, ``do/dx1 = w1 * act'(n)``, ...), the expression's derivatives, and
micrograd's error messages as the engine raises them natively; never the playground's own
output. Loading Python in the page is the expensive part (15-25 s on a busy 2-core
machine), so both tests share one load of the page: opened from a link whose expression is
code, the neuron is used first (before Python has loaded, then with it), then the
expression stepper on the same page and the same Python. A second, cheap load checks the
landing page's neuron on a phone in dark mode.
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from micrograd import Value

from .pagecheck import PageLog, audit, open_offline
from .sitelib import ARTIFACTS, Site

OpenPage = Callable[..., tuple[Any, Any]]
PAGE = "tutorials/03-backprop-step-by-step.html"
PYTHON_LOADS_IN_MS = 180_000
HOSTILE_EXPR = "__import__('js').eval('window.__pwned = 1')"
MARKUP = '<img src=x onerror="window.__pwned = 2">'


def reference(s: dict[str, float], activation: str) -> tuple[dict[str, float], dict[str, float]]:
    """Every value and gradient of the neuron, by hand: the data and d o / d value of each label."""
    x1w1, x2w2 = s["x1"] * s["w1"], s["x2"] * s["w2"]
    total = x1w1 + x2w2
    n = total + s["b"]
    if activation == "tanh":
        o = math.tanh(n)
        slope = 1 - o * o
    elif activation == "relu":
        o = max(n, 0.0)
        slope = 1.0 if n > 0 else 0.0
    else:
        o = 1 / (1 + math.exp(-n))
        slope = o * (1 - o)
    data = {"x1": s["x1"], "x2": s["x2"], "w1": s["w1"], "w2": s["w2"], "b": s["b"]}
    data |= {"x1*w1": x1w1, "x2*w2": x2w2, "x1*w1 + x2*w2": total, "n": n, "o": o}
    grads = {"x1": s["w1"] * slope, "w1": s["x1"] * slope, "x2": s["w2"] * slope, "w2": s["x2"] * slope}
    grads |= {"b": slope, "x1*w1": slope, "x2*w2": slope, "x1*w1 + x2*w2": slope, "n": slope, "o": 1.0}
    return data, grads


def shown(box: Any) -> dict[str, tuple[str, str, str]]:
    """What the drawing holds for each value: (data attribute, grad attribute, grad text)."""
    found: dict[str, tuple[str, str, str]] = box.evaluate(
        """(box) => Object.fromEntries([...box.querySelectorAll('.mg-pg-node')].map((g) => [
             g.dataset.label,
             [g.dataset.data, g.dataset.grad, g.querySelector('.mg-pg-grad').textContent],
           ]))"""
    )
    return found


def assert_shows(box: Any, s: dict[str, float], activation: str) -> None:
    data, grads = reference(s, activation)
    drawn = shown(box)
    assert set(drawn) == set(data)
    for label, (d, g, _) in drawn.items():
        assert math.isclose(float(d), data[label], rel_tol=1e-12, abs_tol=1e-12), (label, d, data[label])
        assert math.isclose(float(g), grads[label], rel_tol=1e-12, abs_tol=1e-12), (label, g, grads[label])
    assert json.loads(box.get_attribute("data-drawn")) == {**s, "activation": activation}


def settings(box: Any) -> dict[str, float]:
    drawn = shown(box)
    return {name: float(drawn[name][0]) for name in ("x1", "x2", "w1", "w2", "b")}


@pytest.fixture(scope="module")
def backprop_page(
    context_for: Callable[[str, str], Any], site: Site
) -> Iterator[tuple[Any, PageLog, list[str]]]:
    """Tutorial 3, opened once for this module from a link whose expression is code."""
    query = urllib.parse.urlencode({"expr": HOSTILE_EXPR})
    page, log = open_offline(context_for("light", "desktop"), site.url, site.page_url(f"{PAGE}?{query}"))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page, log, dialogs
    page.close()


def test_neuron_playground_shows_micrograd_gradients_before_and_after_python_loads(
    backprop_page: tuple[Any, PageLog, list[str]],
) -> None:
    page, _, _ = backprop_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    box = page.locator(".mg-playground[data-playground=neuron]")
    loaded_before = page.evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")
    playground_files = sorted(
        u.rsplit("/", 1)[1].split("?")[0] for u in loaded_before if "/_static/playgrounds/" in u
    )
    assert playground_files == ["playground.css", "playground.js"], "only the loader before Start"
    assert not any("pyodide" in u for u in loaded_before)

    start = box.get_by_role("button", name="Start the playground")
    start.focus()
    page.keyboard.press("Enter")  # keyboard: Start, then the sliders
    page.wait_for_selector(".mg-playground[data-playground=neuron] .mg-pg-node")
    assert any("neuron-frames.json" in u for u in requests)

    defaults = settings(box)
    assert box.get_attribute("data-source") in ("frames", "python")
    assert_shows(box, defaults, "tanh")

    # One slider moved from the start: numbers at once (precomputed, or Python's if it is quick).
    x1 = box.get_by_label("x1", exact=True)
    x1.focus()
    page.keyboard.press("ArrowRight")
    moved = {**defaults, "x1": defaults["x1"] + 0.5}
    page.wait_for_function(
        "(box) => box.dataset.source !== 'waiting' && box.dataset.drawn.includes('\"x1\":2.5')",
        arg=box.element_handle(),
    )
    assert_shows(box, moved, "tanh")

    # Two sliders moved before Python has loaded: no precomputed frame, so no numbers at all.
    box.get_by_label("w2", exact=True).focus()
    page.keyboard.press("ArrowLeft")
    two = {**moved, "w2": defaults["w2"] - 0.5}
    if box.get_attribute("data-source") == "waiting":
        assert all(d == "" and g == "" for d, g, _ in shown(box).values()), "never another setting's numbers"
        assert "loading" in box.get_by_role("status").inner_text()

    page.wait_for_function(
        "(box) => box.dataset.source === 'python'", arg=box.element_handle(), timeout=PYTHON_LOADS_IN_MS
    )
    assert_shows(box, two, "tanh")
    assert "computed by micrograd in your browser" in box.get_by_role("status").inner_text()

    # Every activation, and slider moves with Python: each redraw is the calculus of its numbers.
    for activation in ("relu", "sigmoid", "tanh"):
        box.get_by_label("activation").select_option(activation)
        for name, key in (("b", "ArrowLeft"), ("x2", "ArrowRight"), ("w1", "Home")):
            box.get_by_label(name, exact=True).focus()
            page.keyboard.press(key)
            page.wait_for_function("(box) => box.dataset.source === 'python'", arg=box.element_handle())
            current = settings(box)
            assert_shows(box, current, activation)
    latency = float(box.get_attribute("data-latency-ms"))
    print(f"neuron playground: the last slider move was drawn {latency:.0f} ms after the key press")

    # The gradients toggle.
    box.get_by_label("show gradients").uncheck()
    assert all(text == "" for _, _, text in shown(box).values())
    box.get_by_label("show gradients").check()
    assert all(text.startswith("grad ") for _, _, text in shown(box).values())

    # Step through backward(): from all gradients 0, o first, one node per step, to the end.
    current = settings(box)
    _, grads = reference(current, "tanh")
    box.get_by_role("button", name="Before backward()").click()  # Python computes the steps now
    page.wait_for_function("(box) => box.dataset.source === 'python'", arg=box.element_handle())
    assert all(float(g) == 0.0 for _, g, _ in shown(box).values())
    step = box.get_by_role("button", name="Step ▶")
    step.focus()
    page.keyboard.press("Enter")
    after_one = shown(box)  # o.grad = 1, passed on to n only
    assert after_one["o"][1] == "1" and math.isclose(float(after_one["n"][1]), grads["n"], rel_tol=1e-12)
    assert all(float(g) == 0.0 for label, (_, g, _) in after_one.items() if label not in ("o", "n"))
    assert box.locator(".mg-pg-active").get_attribute("data-label") == "o"
    caption = box.locator(".mg-pg-caption").inner_text()
    assert caption.startswith("Step 1 of ") and "o passes its gradient to n" in caption
    steps = int(caption.split(" of ")[1].split(":")[0])
    for _ in range(steps - 1):
        page.keyboard.press("Enter")
    assert step.is_disabled()
    for label, (_, g, _) in shown(box).items():
        assert math.isclose(float(g), grads[label], rel_tol=1e-12, abs_tol=1e-12), label


def test_landing_page_neuron_playground_on_a_dark_phone(open_page: OpenPage) -> None:
    page, log = open_page("index.html", scheme="dark", device="phone")
    box = page.locator(".mg-playground[data-playground=neuron]")
    box.get_by_role("button", name="Start the playground").click()
    page.wait_for_selector(".mg-playground[data-playground=neuron] .mg-pg-node")
    page.wait_for_function("(box) => box.dataset.source !== 'waiting'", arg=box.element_handle())
    assert_shows(box, settings(box), "tanh")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    for name in ("x1", "x2", "w1", "w2", "b", "activation"):
        control = box.get_by_label(name, exact=True)
        control.scroll_into_view_if_needed()
        assert control.is_visible() and control.bounding_box()["x"] + control.bounding_box()["width"] <= 390
    report = audit(page, log)
    assert not report.summary(), report.summary()


# The neuron's drawing as laid out: its layout, how wide it is against its box, the smallest
# text of the values and of the operations as shown (CSS px), each value's box on the screen,
# and every place where a box or pill overlaps another or an edge runs behind one.
GRAPH_GEOMETRY = """(figure) => {
  const svg = figure.querySelector("svg.mg-pg-graph");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const size = (selector) => Math.min(...[...svg.querySelectorAll(selector)]
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
  const boxes = [...svg.querySelectorAll(".mg-pg-node rect, rect.mg-pg-op")].map((r) => r.getBBox());
  const inside = (p, b) => p.x > b.x + 1 && p.x < b.x + b.width - 1
    && p.y > b.y + 1 && p.y < b.y + b.height - 1;
  const apart = (p, q) => p.x + p.width <= q.x || q.x + q.width <= p.x
    || p.y + p.height <= q.y || q.y + q.height <= p.y;
  const problems = [];
  boxes.forEach((b, i) => boxes.slice(i + 1).forEach((c) => { if (!apart(b, c)) problems.push("overlap"); }));
  for (const path of svg.querySelectorAll(".mg-pg-edges path")) {
    for (let at = 1; at < path.getTotalLength() - 1; at += 2) {
      const point = path.getPointAtLength(at);
      if (boxes.some((b) => inside(point, b))) { problems.push("behind: " + path.getAttribute("d")); break; }
    }
  }
  const seen = figure.getBoundingClientRect();
  const places = Object.fromEntries([...svg.querySelectorAll(".mg-pg-node")].map((g) => {
    const r = g.getBoundingClientRect();
    const inView = r.left >= seen.left - 0.5 && r.right <= seen.right + 0.5;
    return [g.dataset.label, {x: r.x, y: r.y, right: r.right, inView}];
  }));
  return {layout: svg.dataset.layout, scrollWidth: figure.scrollWidth, clientWidth: figure.clientWidth,
          values: size(".mg-pg-node text"), ops: size("text.mg-pg-op-text"), places, problems,
          pageFits: document.documentElement.scrollWidth <= innerWidth + 1};
}"""


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_neuron_graph_fits_its_box_with_legible_text_and_no_edge_hidden(
    device: str, open_page: OpenPage
) -> None:
    """On a 390 px phone the graph scrolled sideways in its box (920 px wide, 690 at the smallest
    it shrinks to, in a 332 px box): there it is stacked top to bottom, laid out to the box's
    width at full size, all its text 12 px or more. At 1280 px it reads left to right as before,
    shrunk to fit, the operations' names as large as the values (they were 11 px, 8.5 once
    shrunk); and it is laid out again when its box changes width."""
    page, log = open_page("index.html", device=device)
    box = page.locator(".mg-playground[data-playground=neuron]")
    box.get_by_role("button", name="Start the playground").click()
    page.wait_for_selector(".mg-playground[data-playground=neuron] .mg-pg-node")
    figure = box.locator(".mg-pg-figure")
    figure.scroll_into_view_if_needed()

    def check(layout: str, smallest: float) -> None:
        found = figure.evaluate(GRAPH_GEOMETRY)
        assert found["scrollWidth"] <= found["clientWidth"] + 1 and found["pageFits"], found
        assert found["layout"] == layout, found["layout"]
        assert all(place["inView"] for place in found["places"].values()), found["places"]
        assert min(found["values"], found["ops"]) >= smallest, found
        assert not found["problems"], found["problems"]
        inputs, output = found["places"]["x1"], found["places"]["o"]
        assert inputs["y"] + 58 < output["y"] if layout == "stacked" else inputs["right"] < output["x"]

    ARTIFACTS.mkdir(exist_ok=True)
    if device == "phone":
        check("stacked", 12)
        figure.screenshot(path=str(ARTIFACTS / "neuron-graph-phone.png"))
    else:
        check("wide", 9.75)  # shrunk to fit, to 3/4 of its size at the least: 13 px text is 9.75 px
        figure.screenshot(path=str(ARTIFACTS / "neuron-graph-desktop.png"))
        page.set_viewport_size({"width": 390, "height": 844})  # the window made narrow, and back
        page.wait_for_function(
            "(f) => f.querySelector('svg').dataset.layout === 'stacked'", arg=figure.element_handle()
        )
        check("stacked", 12)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.wait_for_function(
            "(f) => f.querySelector('svg').dataset.layout === 'wide'", arg=figure.element_handle()
        )
        check("wide", 9.75)
    assert not log.problems(), log.problems()


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


def on_a_phone(page: Any, box: Any, screenshots: Path) -> None:
    """The expression stepper at 390 px, light then dark: every control and the caption fit the
    screen, the page does not scroll sideways (the graph is stacked to the box's width, or, too
    wide even so, scrolls inside its own box), and the value being stepped is in the graph's
    box. Screenshots of the box go to ``screenshots`` for a person to look at."""
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        box.get_by_role("button", name="Before backward()").click()
        box.get_by_role("button", name="Step ▶").click()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            box.scroll_into_view_if_needed()
            assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), (
                scheme
            )
            controls = [box.get_by_label("Expression", exact=True), box.get_by_label("Values", exact=True)]
            controls += [
                box.get_by_role("button", name=name) for name in ("Draw and step", "Step ▶", "◀ Back")
            ]
            controls += [box.locator(".mg-pg-caption"), box.locator(".mg-pg-figure")]
            for control in controls:
                place = control.bounding_box()
                assert place and place["x"] >= 0 and place["x"] + place["width"] <= 390 + 0.5, (
                    scheme,
                    control,
                )
            assert box.locator(".mg-pg-figure").evaluate("(f) => getComputedStyle(f).overflowX") == "auto"
            assert box.locator(".mg-pg-active").count() == 1
            active, seen = (
                box.locator(".mg-pg-active").bounding_box(),
                box.locator(".mg-pg-figure").bounding_box(),
            )
            assert (
                seen["x"] <= active["x"] and active["x"] + active["width"] <= seen["x"] + seen["width"] + 0.5
            )
            box.screenshot(path=str(screenshots / f"expression-390-{scheme}.png"))
            print(f"expression stepper at 390 px ({scheme}): {screenshots / f'expression-390-{scheme}.png'}")
    finally:
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(desktop)


def test_expression_stepper_from_links_honest_and_hostile(
    backprop_page: tuple[Any, PageLog, list[str]], tmp_path: Path
) -> None:
    page, log, dialogs = backprop_page
    box = page.locator(".mg-playground[data-playground=expression]")
    assert box.locator("input").count() == 0, "nothing of the link is read before Start"
    box.get_by_role("button", name="Start the playground").focus()
    page.keyboard.press("Enter")  # the button goes: the keyboard's focus goes to the playground
    page.wait_for_function("(b) => document.activeElement === b", arg=box.element_handle())

    # A link whose expression is code: the allow-list refuses it, by name, and nothing runs.
    page.wait_for_function(
        "(b) => b.dataset.state === 'error'", arg=box.element_handle(), timeout=PYTHON_LOADS_IN_MS
    )
    assert box.get_by_label("Expression", exact=True).input_value() == HOSTILE_EXPR
    assert "the method 'eval' is not allowed" in box.get_by_role("alert").inner_text()
    assert "No graph to step through" in box.locator(".mg-pg-caption").inner_text()

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

    # The same page on a 390 px phone, light and dark, mid-step: usable without page scrolling.
    on_a_phone(page, box, tmp_path)

    # A value used twice accumulates, as in micrograd: d(a*a + a)/da = 2a + 1.
    submit(page, box, "a*a + a", "a=3")
    assert drawn(box)["a"][1] == 7.0

    # Each operation's name fits inside its shape, the long ones too ("sigmoid" overflowed a
    # circle), and no shape reaches into a value's box.
    submit(page, box, "a.tanh() + a.sigmoid() + a.relu() + (a**0.125).log() * a.exp()", "a=3")
    misfits = box.evaluate(
        """(b) => {
          const values = [...b.querySelectorAll('.mg-pg-node rect')].map((r) => r.getBBox());
          const apart = (p, q) => p.x + p.width < q.x || q.x + q.width < p.x
            || p.y + p.height < q.y || q.y + q.height < p.y;
          return [...b.querySelectorAll('.mg-pg-op')].flatMap((shape) => {
            const s = shape.getBBox(), name = shape.nextElementSibling, t = name.getBBox();
            const fits = s.x < t.x && t.x + t.width < s.x + s.width;
            return fits && values.every((v) => apart(s, v)) ? [] : [name.textContent];
          });
        }"""
    )
    names = box.locator(".mg-pg-op-text").all_text_contents()
    assert {"tanh", "sigmoid", "ReLU", "**0.125", "log", "exp"} <= set(names) and not misfits, misfits

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
