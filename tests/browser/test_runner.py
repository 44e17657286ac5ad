"""The in-browser runner (docs/_ext/runner.py, docs/_ext/static/runner/) in Chromium.

Every request that leaves the local server is refused (the ``open_page`` fixture), so what
runs here is what runs offline. The independent record of what a cell prints is the page's
executed notebook, written at build time by CPython (``<page>.ipynb`` next to the page).
"""

from __future__ import annotations

import ast
import base64
import gzip
import hashlib
import io
import json
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from .pagecheck import axe_violations, run_cell
from .sitelib import DOCS, Site, site_pages

OpenPage = Callable[..., tuple[Any, Any]]

# Pages where every cell that builds or checks something must run in the browser.
MUST_RUN = {
    "quickstart.html",
    "tutorials/01-derivatives.html",
    "tutorials/02-building-value.html",
    "tutorials/02b-gradients-add-up.html",
    "tutorials/03-backprop-step-by-step.html",
    "tutorials/04-neurons-layers-mlp.html",
    "how-to/check-gradients.html",
    "how-to/custom-operation.html",
    "how-to/visualize.html",
    "how-to/pitfalls.html",
}
# Outputs that differ from run to run whatever runs them: timings and memory measurements.
VARYING = re.compile(r"perf_counter|tracemalloc|time\.time|mkdtemp")
# Cells whose output is not the same from one run to the next, or from CPython 3.11 to 3.14.
VARYING_CELLS = {
    ("explanation/performance.html", 5): "the collector's thresholds are the CPython version's",
}
# Cells whose numbers follow the libm (the browser's is not the build machine's) further than
# rounding, with the relative difference allowed. Tutorial 8's sine model starts with its output
# bias's gradient zero but for rounding (1e-16, then 1.6e-9, a difference of terms near 1 known
# to a few digits), and Adam divides a gradient by its own size plus eps (1e-8): that bias's
# steps follow the rounding, so the libm, and Pyodide's loss after 300 steps is 1.6% lower.
LIBM_SENSITIVE_CELLS = {("tutorials/08-optimizers.html", 17): 0.05}


def _notebook_pages(site: Site) -> list[str]:
    pages = []
    for html in sorted(site.root.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        if 'id="mg-runner-cells"' in text:
            pages.append(html.relative_to(site.root).as_posix())
    return pages


def _svg_texts(svg: str) -> Counter[str]:
    """What a drawing says: the text of each of its labels (independent of layout and fonts)."""
    return Counter(
        re.sub(r"&#45;", "-", re.sub(r"\s+", " ", t)).strip()
        for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    )


def _expected(cell: dict[str, Any]) -> dict[str, Any]:
    """What the build's CPython showed for a cell: printed text, reprs, drawings, steppers."""
    expected: dict[str, Any] = {"stdout": "", "text": [], "svg": [], "html": []}
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream" and output["name"] == "stdout":
            expected["stdout"] += "".join(output["text"])
        elif output["output_type"] in ("execute_result", "display_data"):
            data = output["data"]
            if "text/html" in data:
                expected["html"].append("".join(data["text/html"]))
            elif "image/svg+xml" in data:
                expected["svg"].append("".join(data["image/svg+xml"]))
            elif "text/plain" in data:
                expected["text"].append("".join(data["text/plain"]))
    return expected


READ_OUTPUTS = """async (cell) => {
  const area = cell.querySelector(".mg-outputs");
  const got = {stdout: "", text: [], svg: [], html: [], error: ""};
  if (!area) return got;
  for (const el of area.children) {
    if (el.matches("pre.mg-stdout")) got.stdout += el.textContent;
    else if (el.matches("pre.mg-text")) got.text.push(el.textContent);
    else if (el.matches("pre.mg-error")) got.error += el.textContent;
    else if (el.matches(".mg-graph-block")) {
      got.svg.push(await (await fetch(el.querySelector("img.mg-svg").src)).text());
    }
    else if (el.matches("iframe.mg-html")) got.html.push(el.srcdoc);
  }
  return got;
}"""


NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")


def _same_text(got: str, expected: str, tolerance: float = 1e-9) -> bool:
    """Equal text, where numbers may differ by rounding (1e-9 absolute, plus tolerance relative).

    The browser's libm is not the build machine's: math.tanh(0.8813735870195432) ends in ...476
    there and ...477 here, and a gradient check's rounding errors (1e-11) differ in their first
    digit. Everything else must be equal, character for character.
    """
    # Python 3.14 (Pyodide) words one message more briefly than the 3.11+ that builds the pages.
    expected = expected.replace(
        "maximum recursion depth exceeded while calling a Python object", "maximum recursion depth exceeded"
    )
    if NUMBER.sub("#", got) != NUMBER.sub("#", expected):
        return False
    pairs = zip(NUMBER.findall(got), NUMBER.findall(expected), strict=True)
    return all(abs(float(a) - float(b)) <= 1e-9 + tolerance * abs(float(b)) for a, b in pairs)


def _compare(expected: dict[str, Any], got: dict[str, Any], tolerance: float = 1e-9) -> list[str]:
    problems = []
    if not _same_text(got["stdout"], expected["stdout"], tolerance):
        problems.append(f"printed {got['stdout'][:300]!r}, the page shows {expected['stdout'][:300]!r}")
    if len(got["text"]) != len(expected["text"]) or not all(
        _same_text(a, b, tolerance) for a, b in zip(got["text"], expected["text"], strict=False)
    ):
        problems.append(f"repr {got['text']!r:.300}, the page shows {expected['text']!r:.300}")
    if [_svg_texts(s) for s in got["svg"]] != [_svg_texts(s) for s in expected["svg"]]:
        problems.append(
            f"{len(got['svg'])} drawings whose labels differ from the page's {len(expected['svg'])}"
        )
    captions = [re.findall(r"<figcaption>(.*?)</figcaption>", h, re.S) for h in got["html"]]
    if captions != [re.findall(r"<figcaption>(.*?)</figcaption>", h, re.S) for h in expected["html"]]:
        problems.append("the HTML outputs (backward steppers) differ from the page's")
    return problems


NOTEBOOK_PAGES = [
    p
    for p in site_pages()
    if (DOCS / p).with_suffix(".md").is_file() and "{code-cell}" in (DOCS / p).with_suffix(".md").read_text()
]


def test_the_pages_that_must_run_have_the_runner(site: Site) -> None:
    assert set(MUST_RUN) <= set(_notebook_pages(site)) <= set(NOTEBOOK_PAGES)


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_every_offline_cell_runs_and_prints_what_the_page_shows(
    open_page: OpenPage, site: Site, path: str
) -> None:
    page, log = open_page(path)
    python_requests: list[str] = []
    page.on(
        "request", lambda r: python_requests.append(r.url) if "/_static/vendor/pyodide" in r.url else None
    )
    page.wait_for_timeout(300)
    assert python_requests == [], "Python was fetched before any click"
    verdicts = json.loads(page.locator("#mg-runner-cells").text_content())
    notebook = json.loads((site.root / path).with_suffix(".ipynb").read_text(encoding="utf-8"))
    code_cells = [  # the cells the page shows (a remove-cell cell is run at build time, never shown)
        c
        for c in notebook["cells"]
        if c["cell_type"] == "code" and "remove-cell" not in c.get("metadata", {}).get("tags", [])
    ]
    assert len(code_cells) == len(verdicts) == page.locator("div.cell").count()
    ran, skipped, failures = 0, Counter[str](), []
    started = time.perf_counter()
    for i, (verdict, cell) in enumerate(zip(verdicts, code_cells, strict=True)):
        source = "".join(cell["source"])
        if verdict["run"] != "offline":
            why = verdict.get("reason") or ""
            skipped[why.split(":")[0] if verdict["run"] == "never" else "needs the network"] += 1
            imports_only = all(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.parse(source).body)
            if path in MUST_RUN and verdict["run"] == "network" and "plt." not in source and not imports_only:
                failures.append(f"cell {i + 1}: a building step needs the network: {source[:80]!r}")
            continue
        state = run_cell(page, i)
        got = page.evaluate(READ_OUTPUTS, page.locator("div.cell").nth(i).element_handle())
        ran += 1
        if state != "ok":
            failures.append(f"cell {i + 1} raised in the browser:\n{got['error'][-1500:]}")
        elif not VARYING.search(source) and (path, i + 1) not in VARYING_CELLS:
            tolerance = LIBM_SENSITIVE_CELLS.get((path, i + 1), 1e-9)
            failures += [f"cell {i + 1}: {p}" for p in _compare(_expected(cell), got, tolerance)]
    seconds = time.perf_counter() - started
    print(f"\n{path}: {ran} cells ran, {sum(skipped.values())} skipped {dict(skipped)}, in {seconds:.0f} s")
    # A folded solution's outputs, run in the browser, stay folded with it: no spoiler.
    unfolded = page.evaluate(
        """() => [...document.querySelectorAll("div.cell.tag_hide-cell .mg-outputs")]
                 .filter((area) => !area.closest("details") || area.checkVisibility()).length"""
    )
    if unfolded:
        failures.append(f"{unfolded} folded solution(s) show their outputs outside the fold")
    failures += log.problems()
    assert not failures, "\n".join(failures)
    if path in AFTERWARDS:  # what a reader does next there, in the session the page's cells left
        AFTERWARDS[path](page)
        assert not log.problems(), log.problems()


def _a_reader_edits_runs_resets_stops_and_recovers_from_an_error(page: Any) -> None:
    cell = page.locator("div.cell").nth(1)
    original = page.locator("div.cell").nth(1).locator(".cell_input pre").inner_text()

    # Edit: change the code, run it (Shift+Enter), see the new result.
    cell.get_by_role("button", name="Edit").click()
    editor = cell.get_by_role("textbox")
    assert editor.get_attribute("aria-label").startswith("Code of cell 2")
    editor.fill("print(6 * 7)")
    page.evaluate("(c) => { delete c.dataset.mgState; }", cell.element_handle())
    editor.press("Shift+Enter")
    page.wait_for_function("(c) => c.dataset.mgState === 'ok'", arg=cell.element_handle(), timeout=180_000)
    assert cell.locator(".mg-outputs pre.mg-stdout").inner_text() == "42\n"
    assert cell.locator(".cell_output:not(.mg-outputs)").first.is_hidden(), "the built output is replaced"

    # Reset: the page's code and output are back.
    cell.get_by_role("button", name="Reset").click()
    assert cell.locator("textarea").count() == 0
    assert cell.locator(".cell_input pre").inner_text() == original
    assert cell.locator(".mg-outputs").count() == 0

    # An exception shows its traceback, naming the cell and line; the next run works.
    cell.get_by_role("button", name="Edit").click()
    cell.get_by_role("textbox").fill("x = 1\n1 / (x - 1)")
    assert run_cell(page, 1) == "error"
    traceback = cell.locator(".mg-outputs pre.mg-error").inner_text()
    assert 'File "<cell 2>", line 2' in traceback and traceback.rstrip().endswith(
        "ZeroDivisionError: division by zero"
    )
    assert "_mg_runner_driver" not in traceback
    cell.get_by_role("textbox").fill("x = (1 +")
    assert run_cell(page, 1) == "error"
    traceback = cell.locator(".mg-outputs pre.mg-error").inner_text()
    assert 'File "<cell 2>", line 1' in traceback and "SyntaxError" in traceback, traceback
    assert "Traceback" not in traceback and "ast.py" not in traceback, traceback
    cell.get_by_role("textbox").fill("print('next')")
    assert run_cell(page, 1) == "ok"
    assert cell.locator(".mg-outputs pre.mg-stdout").inner_text() == "next\n"

    # Stop ends a runaway loop; the session restarts and runs again.
    cell.get_by_role("textbox").fill("while True: pass")
    cell.get_by_role("button", name="▶ Run").click()
    page.wait_for_function("(c) => c.dataset.mgState === 'running'", arg=cell.element_handle())
    page.wait_for_timeout(500)
    cell.get_by_role("button", name="■ Stop").click()
    assert cell.get_attribute("data-mg-state") == "stopped"
    assert "restarted" in cell.locator(".mg-status").inner_text()
    cell.get_by_role("textbox").fill("print('alive')")
    assert run_cell(page, 1) == "ok"
    assert cell.locator(".mg-outputs pre.mg-stdout").inner_text() == "alive\n"

    # By keyboard: Enter on Run moves the focus to Stop while the cell runs (Run is disabled),
    # and back to Run when it has finished; it never falls back to the page's start.
    busy = "import time\nstart = time.time()\nwhile time.time() - start < 1.5:\n    pass"
    cell.get_by_role("textbox").fill(busy)
    cell.locator(".mg-run button[data-action=run]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(c) => c.dataset.mgState === 'running'", arg=cell.element_handle())
    assert page.evaluate("() => document.activeElement.dataset.action") == "stop"
    page.wait_for_function("(c) => c.dataset.mgState === 'ok'", arg=cell.element_handle())
    assert page.evaluate("() => document.activeElement.dataset.action") == "run"

    # A cell above that fails does not stop the clicked cell (a learner's mistake makes a
    # demonstration below it fail, and the checker further down says what the mistake is): the
    # clicked cell runs, its status names the cell that raised, none of the page's outputs stays.
    cell.locator(".mg-run button[data-action=stop]").evaluate("(b) => b.click()")  # a new session
    cell.get_by_role("textbox").fill("1 / 0")
    below = page.evaluate(
        """() => [...document.querySelectorAll("div.cell")].findIndex((c, i) =>
             i > 1 && c.querySelector(".cell_output") && c.querySelector(".mg-run [data-action=run]"))"""
    )
    assert below > 1
    clicked = page.locator("div.cell").nth(below)
    run_cell(page, below)
    assert (
        "Cells above that raised an error: 2 (see their outputs)."
        in clicked.locator(".mg-status").inner_text()
    )
    assert "ZeroDivisionError" in cell.locator(".mg-outputs pre.mg-error").inner_text()
    assert clicked.evaluate(
        "(c) => [...c.querySelectorAll('.cell_output:not(.mg-outputs)')].every((o) => o.hidden)"
    )

    # Run on another cell while one runs says why nothing happens (it said nothing).
    cell.get_by_role("textbox").fill(busy)
    cell.get_by_role("button", name="▶ Run").click()
    page.wait_for_function("(c) => c.dataset.mgState === 'running'", arg=cell.element_handle())
    clicked.get_by_role("button", name="▶ Run").click()
    waiting = clicked.locator(".mg-status").inner_text()
    assert waiting == "Cell 2 is running: wait for it, or stop it, then run this one.", waiting
    page.wait_for_function("(c) => c.dataset.mgState === 'ok'", arg=cell.element_handle())

    # Reset, the cell above has the page's code again, not the code it ran: the next click
    # below runs it again before the clicked cell (as it does a cell edited since it ran).
    cell.get_by_role("button", name="Reset").click()
    assert run_cell(page, below) == "ok"
    assert cell.get_attribute("data-mg-state") == "ok"

    # An HTML output's frame is as tall as what it shows: a one-line report leaves no gap.
    cell.get_by_role("button", name="Edit").click()
    cell.get_by_role("textbox").fill(
        "from micrograd.exercises.report import Check, Report\n"
        "report = Report('A short report')\n"
        "report.checks.append(Check('one check', True, 'fine'))\n"
        "report"
    )
    assert run_cell(page, 1) == "ok"
    frame = cell.locator("iframe.mg-html")
    page.wait_for_function("(f) => f.getBoundingClientRect().height < 150", arg=frame.element_handle())
    shown = frame.content_frame.locator("body").evaluate("(b) => b.getBoundingClientRect().height")
    assert abs(frame.bounding_box()["height"] - shown) <= 2, (frame.bounding_box(), shown)

    # And a long one is as tall as it is even when it arrives while its cell is out of view
    # (Chromium does not render a frame out of view, whose ResizeObserver waited until the reader
    # scrolled back: the report showed cut short, at the frame's first height, 12rem).
    cell.get_by_role("textbox").fill(
        "from micrograd.exercises.report import Check, Report\n"
        "report = Report('A long report')\n"
        "report.checks += [Check(f'check {i}', True, 'fine') for i in range(40)]\n"
        "report"
    )
    page.evaluate(
        "(c) => window.scrollTo(0, c.getBoundingClientRect().bottom + scrollY + 2 * innerHeight)",
        cell.element_handle(),
    )
    assert run_cell(page, 1) == "ok"
    assert not frame.evaluate("(f) => f.getBoundingClientRect().bottom > 0"), "the cell is out of view"
    # Nothing looks into the frame until it has its height: a script run in it, as the test's
    # below, would make Chromium render it.
    page.wait_for_function(
        "(f) => f.getBoundingClientRect().height > 400", arg=frame.element_handle(), timeout=5000
    )
    assert not frame.evaluate("(f) => f.getBoundingClientRect().bottom > 0"), "still out of view"
    shown = frame.content_frame.locator("body").evaluate("(b) => b.getBoundingClientRect().height")
    height = frame.evaluate("(f) => f.getBoundingClientRect().height")
    assert abs(height - shown) <= 2, (height, shown)
    cell.get_by_role("button", name="Reset").click()


def _standin_wheel() -> bytes:
    """A tiny pure-Python wheel, the stand-in for a package of Pyodide's CDN."""
    files = {
        "mg_standin/__init__.py": b"ANSWER = 42\n",
        "mg_standin-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: mg-standin\nVersion: 1.0\n",
        "mg_standin-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for name, data in files.items()
    )
    files["mg_standin-1.0.dist-info/RECORD"] = (record + "mg_standin-1.0.dist-info/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return buffer.getvalue()


def test_packages_outside_the_site_come_from_the_configured_index_and_nowhere_else(
    open_page: OpenPage, site: Site
) -> None:
    """The online path (numpy, matplotlib from Pyodide's CDN) differs only in its index URL.

    The CDN's own packages cannot be fetched here, so a local index serves a stand-in, which
    the lock file (Pyodide's list of its packages with their hashes) is made to name.
    """
    wheel = _standin_wheel()
    name = "mg_standin-1.0-py3-none-any.whl"
    page, log = open_page("quickstart.html")
    index = f"{site.url}/standin-index/"
    served: list[str] = []

    def serve_lock(route: Any) -> None:
        lock = json.loads(route.fetch().text())
        for package in ("mg-standin", "mg-unreachable"):
            lock["packages"][package] = {
                "name": package,
                "version": "1.0",
                "file_name": name.replace("mg_standin", package.replace("-", "_")),
                "install_dir": "site",
                "sha256": hashlib.sha256(wheel).hexdigest(),
                "package_type": "package",
                "imports": [package.replace("-", "_")],
                "depends": [],
            }
        route.fulfill(body=json.dumps(lock), headers={"content-type": "application/json"})

    def serve_index(route: Any) -> None:
        served.append(route.request.url)
        if "mg_unreachable" in route.request.url:  # as if the network were off
            route.abort()
        else:
            route.fulfill(body=wheel, headers={"content-type": "application/octet-stream"})

    page.route("**/pyodide-lock.json", serve_lock)
    page.route(f"{index}**", serve_index)
    page.evaluate(
        "(i) => { document.querySelector('script[src*=\"runner/runner.js\"]').dataset.packageIndex = i; }",
        index,
    )
    cell = page.locator("div.cell").nth(0)
    cell.get_by_role("button", name="Edit").click()
    cell.get_by_role("textbox").fill("import mg_standin\nprint(mg_standin.ANSWER)")
    assert run_cell(page, 0) == "ok", page.evaluate(READ_OUTPUTS, cell.element_handle())
    assert cell.locator(".mg-outputs pre.mg-stdout").inner_text() == "42\n"
    assert served == [index + name]
    assert not log.problems(), log.problems()

    # A package that cannot be downloaded is said to be so, not reported as a missing module.
    cell.get_by_role("textbox").fill("import mg_unreachable")
    assert run_cell(page, 0) == "error"
    error = cell.locator(".mg-outputs pre.mg-error").inner_text()
    assert "could not be downloaded from Pyodide's package server" in error, error
    assert "mg-unreachable" in error and "ModuleNotFoundError" not in error, error
    assert all("mg_unreachable" in problem for problem in log.problems()), log.problems()


def test_cells_that_cannot_run_here_say_so_before_any_click(open_page: OpenPage) -> None:
    page, _ = open_page("how-to/check-gradients.html")
    notes = page.locator("div.cell .mg-note").all_inner_texts()
    assert any("PyTorch" in n and "Runs only on your computer" in n for n in notes), notes
    assert any(
        "Needs the network: matplotlib comes from" in n and "pip install matplotlib" in n for n in notes
    ), notes
    torch_cell = page.locator("div.cell", has_text="import torch").first
    assert torch_cell.locator("button[data-action=run]").count() == 0

    # The cells skipped above are named under a cell that raised, as a possible cause, and only
    # there: one that ran well did not need them.
    offline = page.locator("div.cell").nth(7)
    assert run_cell(page, 7) == "ok"
    assert "Cells not run above" not in offline.locator(".mg-status").inner_text()
    offline.get_by_role("button", name="Edit").click()
    offline.get_by_role("textbox").fill("raise ValueError('as if a cell above were missing')")
    assert run_cell(page, 7) == "error"
    said = offline.locator(".mg-status").inner_text()
    assert said.endswith("Cells not run above: 2, 3, 7 (see their notes)."), said

    # A folded cell says so outside its fold, where "Cells not run above: ... (see their notes)"
    # sends the reader; here, 04b's exercise solutions in PyTorch.
    page, _ = open_page("tutorials/04b-scalars-to-matrices.html")
    folded = page.locator("div.cell:has(> details)", has_text="Runs only on your computer")
    assert folded.count() == 2
    for k in range(2):
        assert not folded.nth(k).locator("> details").evaluate("d => d.open")
        assert folded.nth(k).locator(".mg-note").is_visible()

    # Several packages are named as a list, with the verb that agrees.
    page, _ = open_page("tutorials/05-two-moons.html")
    notes = page.locator("div.cell .mg-note").all_inner_texts()
    assert any("Needs the network: matplotlib, numpy and scikit-learn come from" in n for n in notes), notes


def test_a_checks_report_as_built_says_that_it_checked_the_pages_solution(open_page: OpenPage) -> None:
    """A browser review: "all checks passed" under a check, before any click, is the page's
    solution's report, and read as the reader's own. A note above it says whose it is, while it
    shows: not over a run's report, and again after Reset."""
    page, _ = open_page("tutorials/02-building-value.html")
    cells = page.locator("div.cell")
    sources = cells.locator(".cell_input").all_text_contents()
    solution = next(i for i, s in enumerate(sources) if "def sub(self, other)" in s)
    check = next(i for i, s in enumerate(sources) if "check_subtraction(MyValue)" in s)
    note = cells.nth(check).locator(".mg-built-note")
    assert note.is_visible()
    assert note.inner_text() == (
        f"The report below checks the page's solution (cell {solution + 1}). Write your answer there, "
        "then run this cell to check yours."
    )
    checks = [i for i, s in enumerate(sources) if "from micrograd.exercises import" in s]
    assert [i for i in range(len(sources)) if cells.nth(i).locator(".mg-built-note").count()] == checks
    assert run_cell(page, check) == "ok"
    assert not note.is_visible(), "a run's report is not the page's"
    cells.nth(check).get_by_role("button", name="Reset").click()
    assert note.is_visible()
    assert axe_violations(page) == []


def test_a_page_that_is_never_run_loads_only_a_few_kilobytes_of_runner(
    open_page: OpenPage, site: Site
) -> None:
    requests: list[str] = []
    page, _ = open_page("tutorials/03-backprop-step-by-step.html")
    page.on("request", lambda r: requests.append(r.url))
    page.reload(wait_until="networkidle")
    runner = [
        u for u in requests if "/_static/runner/" in u or "/_static/vendor/pyodide" in u or "viz-js" in u
    ]
    files = sorted({u.split("?")[0].rsplit("/", 1)[1] for u in runner})
    assert files == ["runner.css", "runner.js"], files
    texts = [(site.root / "_static" / "runner" / f).read_bytes() for f in files]
    size = sum(len(t) for t in texts)
    # What a server that compresses (Read the Docs does) sends over the wire.
    sent = sum(len(gzip.compress(t)) for t in texts)
    print(f"\nrunner files before the first click: {files}, {size} bytes, {sent} compressed")
    assert size < 8000
    assert sent < 3000


# Records the blob URLs the page lets go of (loading one afterwards would log an error).
SPY_ON_REVOKED_URLS = """() => {
  window.revokedURLs = [];
  const revoke = URL.revokeObjectURL;
  URL.revokeObjectURL = (url) => (window.revokedURLs.push(url), revoke.call(URL, url));
}"""


def _a_wrong_engines_check_draws_its_blame(page: Any) -> None:
    """On the common-mistakes page, a wrong engine's check cell draws the blame with viz.js:
    as an image from the cell (``report.blame.digraph()``), and inside the checklist when the
    cell shows the report itself; a label with markup in it stays text."""
    cells = page.locator("div.cell")
    overwrites = 4  # class Overwrites(MyValue): ... show(check_value(Overwrites))
    assert "show(check_value(Overwrites))" in cells.nth(overwrites).locator(".cell_input pre").inner_text()
    assert run_cell(page, overwrites) == "ok"  # again, on its own
    got = page.evaluate(READ_OUTPUTS, cells.nth(overwrites).element_handle())
    assert "x + x gave x.grad = 1, expected 2" in got["stdout"]
    assert len(got["svg"]) == 1 and "first wrong" in got["svg"][0]
    drawing = cells.nth(overwrites).locator(".mg-outputs img.mg-svg")
    assert drawing.evaluate("(img) => img.complete && img.naturalWidth > 0")
    alt = str(drawing.get_attribute("alt"))  # the drawing's own <title>, what it shows
    assert alt.startswith("Blame drawing of x + x: ") and "the first wrong" in alt and "is x (grad 1, " in alt
    old_drawing = str(drawing.get_attribute("src"))
    assert old_drawing.startswith("blob:")
    page.evaluate(SPY_ON_REVOKED_URLS)

    # The report itself: the checklist with the drawing, and the reader's own operation name,
    # markup included, drawn as text.
    cells.nth(overwrites).get_by_role("button", name="Edit").click()
    cells.nth(overwrites).get_by_role("textbox").fill(
        "class Marked(Overwrites):\n"
        "    def __add__(self, other):\n"
        "        out = Overwrites.__add__(self, other)\n"
        "        out._op = '<img src=x onerror=alert(1)>'\n"
        "        return out\n"
        "check_value(Marked)"
    )
    assert run_cell(page, overwrites) == "ok"
    # Running the cell again let go of its earlier drawing's blob, which would otherwise last
    # as long as the page.
    assert old_drawing in page.evaluate("() => window.revokedURLs")
    frame = cells.nth(overwrites).locator("iframe.mg-html")
    report = frame.content_frame.locator(".micrograd-report")
    assert "✗" in report.inner_text()
    blame = report.locator(".micrograd-blame svg")
    blame.wait_for(state="visible")
    assert "first wrong" in str(blame.text_content())
    assert "<img src=x onerror=alert(1)>" in blame.locator("text").all_text_contents()
    # A drawing that fits says nothing more; in a column too narrow for it, that it scrolls.
    wide = report.locator(".mg-wide")
    frame.evaluate("(f) => { f.style.width = '3000px'; }")
    wide.wait_for(state="hidden")
    frame.evaluate("(f) => { f.style.width = '200px'; }")
    wide.wait_for(state="visible")
    assert "scroll it sideways, or open it full size" in wide.inner_text()
    frame.evaluate("(f) => { f.style.width = ''; }")

    # The report reads as part of the page, in its colours, and changes with the theme.
    def colours() -> list[str]:
        style = "(e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        page_colours = page.evaluate(
            """() => {
                 const probe = document.createElement("div");
                 probe.style.color = "var(--color-foreground-primary)";
                 probe.style.background = "var(--color-background-primary)";
                 document.body.append(probe);
                 const colours = [getComputedStyle(probe).color, getComputedStyle(probe).backgroundColor];
                 probe.remove();
                 return colours;
               }"""
        )
        return [*frame.content_frame.locator("body").evaluate(style), *page_colours]

    for scheme in ("dark", "light"):
        page.evaluate(f"() => {{ document.body.dataset.theme = '{scheme}'; }}")
        page.wait_for_timeout(300)  # the page's message reaches the frame
        text, background, page_text, page_background = colours()
        assert (text, background) == (page_text, page_background), (scheme, colours())
    assert frame.content_frame.locator("img").count() == 0


def _a_reader_writes_an_answer_in_place_of_the_folded_solution(page: Any) -> None:
    """Exercise 2 of Building Value (subtraction) by a reader who does not look at the solution:
    the folded solution's bar names the check; Write your answer opens an editor below the fold,
    which stays shut. The page's solution ran already in this session (a check ran on it, and
    said so): what it attached to MyValue must not stand in for the answer, so the answer's run
    starts a new session, and an answer without __sub__ is told so. The answer, indented with
    Tab and Shift+Tab, runs in the solution's place, for the check below too, which then finds
    its mistake; Escape, then Tab, leaves the editor; Reset brings the page's solution back."""
    cells = page.locator("div.cell")
    sources = cells.locator(".cell_input").all_text_contents()
    solution = next(i for i, s in enumerate(sources) if "def sub(self, other)" in s)
    check = next(i for i, s in enumerate(sources) if "check_subtraction(MyValue)" in s)
    cell = cells.nth(solution)
    fold = cell.locator(":scope > details")
    shut = "(d) => !d.open"
    assert fold.evaluate(shut)
    assert cell.get_by_role("button", name="Write your answer").is_visible()  # outside the fold
    assert cell.get_by_role("button", name="Edit").count() == 0
    named = cell.locator(":scope > .mg-run .mg-note").inner_text()
    assert named == f"Checked below by check_subtraction(MyValue) (cell {check + 1}).", named

    def report() -> str:
        frame = cells.nth(check).locator("iframe.mg-html").content_frame
        return " ".join(frame.locator(".micrograd-report").inner_text().split())

    # The check on the page's solution passes, and says whose code it checked.
    assert run_cell(page, check) == "ok"
    said = cells.nth(check).locator(".mg-status").inner_text()
    assert f"This check ran on the page's solution (cell {solution + 1})" in said, said
    assert said.startswith("Ran in your browser. "), said

    cell.get_by_role("button", name="Write your answer").click()
    editor = cell.get_by_role("textbox")
    assert str(editor.get_attribute("aria-label")).startswith(f"Your answer, cell {solution + 1}")
    assert page.evaluate("() => document.activeElement.classList.contains('mg-editor')")
    assert editor.input_value().startswith("# Your answer")
    assert fold.evaluate(shut) and editor.is_visible()

    # An answer that gives MyValue no -: the page's solution's - is gone with its session.
    editor.fill("# Your answer, not written yet\nanswer = None")
    assert run_cell(page, check) == "ok"
    said = cells.nth(check).locator(".mg-status").inner_text()
    assert f"A new Python session: the page's solution in cell {solution + 1} had run" in said, said
    assert "page's solution (cell" not in said
    assert "it needs a method __sub__(self, other)" in report(), report()

    editor.fill("# Your answer\n")
    editor.press("Control+End")
    # The classic mistake: the right operand gets +out.grad. Tab indents (no auto-indent here).
    for tabs, line in [
        (0, "def sub(self, other):"),
        (1, 'out = MyValue(self.data - other.data, (self, other), "-")'),
        (1, "def _backward():"),
        (2, "self.grad = out.grad"),
        (2, "other.grad = out.grad"),
        (2, "out._backward = _backward"),  # one level too deep: Shift+Tab brings it back
        (1, "return out"),
        (0, "MyValue.__sub__ = sub"),
    ]:
        for _ in range(tabs):
            editor.press("Tab")
        editor.type(line)
        if line.startswith("out._backward"):
            editor.press("Shift+Tab")
        editor.press("Enter")
    written = editor.input_value()
    indented = "\n        other.grad = out.grad\n    out._backward = _backward\n    return out\n"
    assert indented in written, written
    page.evaluate("(c) => { delete c.dataset.mgState; }", cell.element_handle())
    editor.press("Shift+Enter")
    page.wait_for_function("(c) => c.dataset.mgState === 'ok'", arg=cell.element_handle(), timeout=180_000)
    assert fold.evaluate(shut), "running an answer does not unfold the solution"
    assert cell.locator(":scope > .mg-outputs").count() == 1, "its outputs show outside the fold"

    assert run_cell(page, check) == "ok"
    assert "✗ a - b gave b.grad = 1, expected -1" in report(), report()
    said = cells.nth(check).locator(".mg-status").inner_text()
    assert "page's solution" not in said
    assert said.startswith("Ran in your browser: the check found a mistake (its report is below)."), said
    assert axe_violations(page) == [], "the answer's editor and the report, for axe-core"

    # An answer that raises: the check does not run on the - its last run attached.
    editor.fill(written.replace("MyValue.__sub__ = sub", "MyValue.__sub__ = subb"))
    assert run_cell(page, check) == "error"
    said = cells.nth(check).locator(".mg-status").inner_text()
    assert said.startswith(f"Not run: cell {solution + 1}, which this check reads, raised an error"), said
    assert cells.nth(check).locator("iframe.mg-html").count() == 0, "no report of an earlier answer"
    assert "NameError" in cell.locator(":scope > .mg-outputs").inner_text()
    editor.fill(written)
    assert run_cell(page, check) == "ok"
    assert "✗ a - b gave b.grad = 1, expected -1" in report(), report()

    # Escape, then Tab: the focus moves on, the text is unchanged.
    editor.focus()
    editor.press("Escape")
    editor.press("Tab")
    assert not page.evaluate("() => document.activeElement.classList.contains('mg-editor')")
    assert editor.input_value() == written

    cell.get_by_role("button", name="Reset").click()
    assert cell.locator("textarea").count() == 0
    assert "the page's solution is back" in cell.locator(".mg-status").inner_text()
    assert run_cell(page, check) == "ok"
    said = cells.nth(check).locator(".mg-status").inner_text()
    assert f"This check ran on the page's solution (cell {solution + 1})" in said, said


def _after_building_value(page: Any) -> None:
    _a_reader_edits_runs_resets_stops_and_recovers_from_an_error(page)
    _a_reader_writes_an_answer_in_place_of_the_folded_solution(page)


#: What a reader does after running a page's cells, checked in the same session (no new boot of
#: Python): editing, resetting, stopping and recovering; a wrong engine's blame drawing.
AFTERWARDS: dict[str, Callable[[Any], None]] = {
    "tutorials/02-building-value.html": _after_building_value,
    "how-to/common-mistakes.html": _a_wrong_engines_check_draws_its_blame,
}


def test_an_answer_that_needs_no_package_is_checked_offline_where_the_solution_needed_numpy(
    open_page: OpenPage,
) -> None:
    """Two moons, exercise 3: the page's solution also tries the loss on the page's data (made
    with numpy and scikit-learn), so the solution and its check need the network. A reader's
    answer that uses none of that runs offline, and so does the check of it; one that uses the
    page's data still needs what makes it."""
    page, _ = open_page("tutorials/05-two-moons.html")
    cells = page.locator("div.cell")
    sources = cells.locator(".cell_input").all_text_contents()
    solution = next(i for i, s in enumerate(sources) if "def bce_by_hand" in s)
    check = next(i for i, s in enumerate(sources) if "check_bce_by_hand(" in s)
    cell = cells.nth(solution)
    cell.get_by_role("button", name="Write your answer").click()
    answer = "\n".join(
        [
            "def bce_by_hand(scores, targets):",
            "    total = MyValue(0.0)",
            "    for s, t in zip(scores, targets):",
            "        p = 1 / (1 + (-s).exp())",
            "        total = total - (t * p.log() + (1 - t) * (1 - p).log())",
            "    return total / len(targets)",
        ]
    )
    cell.get_by_role("textbox").fill(answer)
    assert run_cell(page, check) == "ok"
    said = cells.nth(check).locator(".mg-status").inner_text()
    assert said.startswith("Ran in your browser."), said
    frame = cells.nth(check).locator("iframe.mg-html").content_frame
    report = " ".join(frame.locator(".micrograd-report").inner_text().split())
    assert "checks passed" in report, report

    # An answer that tries itself on the page's data needs the network for it, as the page did.
    cell.get_by_role("textbox").fill(answer + "\n\nprint(bce_by_hand([MyValue(s) for s in X[0]], y[:2]))")
    assert run_cell(page, check) == "error"
    said = cells.nth(check).locator(".mg-status").inner_text()
    assert said.startswith("Not run: cell 2 above needs the network"), said


def test_a_cell_whose_packages_cannot_be_downloaded_keeps_the_page_outputs(open_page: OpenPage) -> None:
    """Offline, Run on a plot cell tries the cells above that need the network too; the first
    cannot download matplotlib, so neither it nor the clicked cell runs: each keeps the page's
    outputs (the plot stays), and says why in one line."""
    page, _ = open_page("how-to/check-gradients.html")
    cells = page.locator("div.cell")
    plot = cells.nth(6)
    assert "plt.subplots" in plot.locator(".cell_input").inner_text()
    assert cells.nth(1).locator(".cell_input").inner_text().strip() == "import matplotlib.pyplot as plt"
    assert run_cell(page, 6) == "error"
    status = plot.locator(".mg-status").inner_text()
    assert status.startswith("Not run: cell 2 above needs the network: matplotlib"), status
    assert "could not be downloaded" in status and status.endswith("The page's output is shown."), status
    assert plot.locator(".cell_output img").first.is_visible(), "the page's plot is shown"
    assert plot.locator(".mg-outputs").count() == 0
    above = cells.nth(1).locator(".mg-status").inner_text()
    said = r"Not run: matplotlib, and \d+ packages it uses could not be downloaded .*\."
    assert re.fullmatch(said, above), above
    assert cells.nth(1).locator(".mg-outputs").count() == 0

    # An edited cell's download error stays with its code (the page's outputs are not its own),
    # in one line; Reset brings the page's back.
    source = cells.nth(1)
    source.get_by_role("button", name="Edit").click()
    source.get_by_role("textbox").fill("import matplotlib.pyplot as plt\nplt.figure()")
    assert run_cell(page, 1) == "error"
    error = source.locator(".mg-outputs pre.mg-error").inner_text()
    assert error.startswith("DownloadError: matplotlib") and "\n" not in error.strip(), error
    assert not source.locator(".mg-status").inner_text().endswith("The page's output is shown.")
    # A package imported under a name of its own is named with those the code imports: scikit-learn
    # for sklearn (it was counted among the packages they use).
    source.get_by_role("textbox").fill("import numpy\nfrom sklearn.datasets import make_moons")
    assert run_cell(page, 1) == "error"
    error = source.locator(".mg-outputs pre.mg-error").inner_text()
    named = error.removeprefix("DownloadError: ").split(", and ")[0]
    assert set(named.replace(" and ", ", ").split(", ")) == {"numpy", "scikit-learn"}, error
    source.get_by_role("textbox").fill("import matplotlib.pyplot as plt\nplt.figure()")
    # The page's outputs stay hidden under a cell below edited code too: they are the page's
    # code's (a checker's built "all checks passed" next to a wrong answer, offline).
    assert run_cell(page, 6) == "error"
    assert not plot.locator(".cell_output:not(.mg-outputs) img").first.is_visible()
    assert not plot.locator(".mg-status").inner_text().endswith("The page's output is shown.")
    plot.get_by_role("button", name="Edit").click()
    plot.get_by_role("textbox").fill("plt.plot([1, 2])")
    assert run_cell(page, 6) == "error"
    assert not plot.locator(".cell_output:not(.mg-outputs) img").first.is_visible()
    plot.get_by_role("button", name="Reset").click()
    assert plot.locator(".cell_output img").first.is_visible()


def test_run_outputs_look_like_the_page_and_reset_follows_any_run(open_page: OpenPage) -> None:
    """A run's output has the size of the page's own outputs; Reset shows after a run (not
    only after Edit) and brings the page's outputs back; the editor does not wrap code."""
    page, _ = open_page("quickstart.html", device="phone")
    cells = page.locator("div.cell")
    index = next(i for i in range(cells.count()) if cells.nth(i).locator(".output.stream").count())
    cell = cells.nth(index)
    reset = cell.get_by_role("button", name="Reset")
    assert not reset.is_visible()
    assert run_cell(page, index) == "ok"
    sizes = cell.evaluate(
        """(c) => [c.querySelector('.mg-outputs pre'), document.querySelector('.output.stream pre')]
                  .map((pre) => { const s = getComputedStyle(pre); return [s.fontSize, s.lineHeight]; })"""
    )
    assert sizes[0] == sizes[1], sizes
    assert reset.is_visible()
    reset.click()
    assert cell.locator(".mg-outputs").count() == 0 and cell.locator(".output.stream").first.is_visible()
    assert not reset.is_visible()

    cell.get_by_role("button", name="Edit").click()
    area = cell.get_by_role("textbox")
    area.fill(f"total = {' + '.join(map(str, range(1, 19)))}\nprint(total)")
    assert area.evaluate("(a) => a.scrollWidth > a.clientWidth"), "a long line scrolls, it does not wrap"


def test_a_solution_that_patches_the_class_can_run_twice(open_page: OpenPage) -> None:
    """Tutorial 2b's plain-numbers solution wraps MyValue's + and *: run again, it wrapped its
    own wrappers (RecursionError), and the checker below failed every check."""
    page, _ = open_page("tutorials/02b-gradients-add-up.html")
    sources = page.locator("div.cell .cell_input").all_text_contents()
    solution = next(i for i, s in enumerate(sources) if "def taking_numbers" in s)
    checker = next(i for i, s in enumerate(sources) if "check_plain_numbers(MyValue)" in s)
    assert run_cell(page, solution) == "ok"
    assert run_cell(page, solution) == "ok"
    assert run_cell(page, checker) == "ok"
    shown = page.evaluate(READ_OUTPUTS, page.locator("div.cell").nth(checker).element_handle())
    report = " ".join([shown["stdout"], *shown["text"], *shown["html"]])
    assert "passed" in report and "✗" not in report and "failed" not in report, report


# Where each line of a traceback is drawn: its text, the left edge of each of its characters
# and whether the character is in view (inside the box that scrolls it), and how many rows the
# line takes (more than one: it wrapped).
LINE_PLACES = """(pre) => {
  const lines = [{text: "", lefts: [], seen: [], tops: new Set()}];
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const scroller = node.parentElement.closest(".mg-traceback-code, pre");
    const clip = scroller.getBoundingClientRect();
    const left = clip.left + scroller.clientLeft, right = left + scroller.clientWidth;
    for (let i = 0; i < node.data.length; i++) {
      if (node.data[i] === "\\n") { lines.push({text: "", lefts: [], seen: [], tops: new Set()}); continue; }
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect(), line = lines[lines.length - 1];
      line.text += node.data[i];
      line.lefts.push(r.left);
      line.seen.push(r.left >= left - 0.5 && r.right <= right + 0.5);
      line.tops.add(Math.round(r.top));
    }
  }
  return lines.filter((l) => l.text)
    .map((l) => ({text: l.text, lefts: l.lefts, seen: l.seen, rows: l.tops.size}));
}"""


def test_a_traceback_keeps_its_columns_on_a_phone_and_its_message_wraps(open_page: OpenPage) -> None:
    """A learner's SyntaxError on a 390 px phone: the carets stay under the characters they
    point at (the traceback wrapped its long lines, and the ^ moved to the start of another row);
    the line of code scrolls sideways in a box of its own, opened at the carets, which the
    keyboard can scroll; and the message, the line that matters, wraps inside the screen."""
    page, _ = open_page("quickstart.html", device="phone")
    cell = page.locator("div.cell").nth(1)
    cell.get_by_role("button", name="Edit").click()
    # A comma left out near the end of a long line: Python points at the two values around it.
    code = "total = sum([Value(1.0) * Value(2.0), Value(3.0) * Value(4.0), Value(5.0) Value(6.0)])"
    cell.get_by_role("textbox").fill(code)
    assert run_cell(page, 1) == "error"
    error = cell.locator(".mg-outputs pre.mg-error")
    error.scroll_into_view_if_needed()
    lines = error.evaluate(LINE_PLACES)
    texts = [line["text"] for line in lines]
    carets = [k for k, text in enumerate(texts) if "^" in text and set(text) <= set(" ^~")]
    assert len(carets) == 1 and texts[carets[0] - 1].strip() == code, texts
    caret, code_line = lines[carets[0]], lines[carets[0] - 1]
    assert code_line["rows"] == 1 and caret["rows"] == 1, f"wrapped: {code_line['text']!r}"
    column = caret["text"].index("^")
    assert code_line["text"][column:].startswith("Value(5.0) Value(6.0)"), (code_line["text"], column)
    assert abs(caret["lefts"][column] - code_line["lefts"][column]) < 0.5, (column, caret, code_line)
    assert caret["seen"][column] and code_line["seen"][column], "the box opens with the carets in view"
    message = lines[-1]
    assert message["text"] == "SyntaxError: invalid syntax. Perhaps you forgot a comma?", texts
    assert message["rows"] > 1 and all(message["seen"]), "the message wraps, all of it in view"
    block = error.locator(".mg-traceback-code")
    assert block.evaluate("(b) => b.scrollWidth > b.clientWidth && b.tabIndex === 0"), "keyboard-scrollable"
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
