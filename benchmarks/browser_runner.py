"""The in-browser runner, measured: bytes and seconds to the first result, and the speed of Python.

    python benchmarks/browser_runner.py [--site docs/_build/html] [--steps 5]

Needs a built site (``bash docs/build.sh``), Playwright for Python and Chromium (as the browser
tests do). It serves the site from 127.0.0.1 and measures:

- **first result**: from a click on Run of the Quickstart's first cell until its output is
  shown, the bytes the server sent and the seconds it took, with an empty browser cache
  (cold) and then again in the same browser after reloading the page (warm: the browser may
  keep what it fetched);
- **training step**: the classic two-moons step (``workloads/train_step.py``, the same code
  and data) in the browser's Python against native CPython running this checkout: in each of
  ``--rounds`` rounds, ``--steps`` steps in a fresh page, then again from a new network after
  ``WARM_UP_SECONDS`` of running it, then as many steps natively; the ratio of their median
  step times, per round, and the median of those ratios, against the target (at most 2.5
  times native, after the warm-up: the training playground's 20 steps per second).

It prints a table for docs/contributing/how-the-site-works.md; it is a measurement, not a test.
The exit status is 1 if the training step misses its target.

``--json-step --wheel W`` measures only the training step, once, on the micrograd of the
wheel ``W`` (served in place of the site's own), and prints it as one JSON line:
``run.py`` runs it that way, taking turns with the native runs.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHROMIUM = Path(os.environ.get("MICROGRAD_CHROMIUM", "/usr/bin/chromium"))
BROWSER_RATIO = 2.5  # the target: the browser's training step at most this many times native's


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site and counts the bytes of every response body it sends."""

    sent = 0
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        with self.lock:  # on this class, which _first_result reads, not on a subclass
            _CountingHandler.sent += len(data)
        outputfile.write(data)


def _serve(root: Path, wheel: Path | None = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the site at ``root``; and ``wheel``, if given, at ``WHEEL_PATH``."""

    class Handler(_CountingHandler):
        def translate_path(self, path: str) -> str:
            if wheel is not None and path.split("?", 1)[0] == WHEEL_PATH:
                return str(wheel)
            return super().translate_path(path)

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _first_result(context: Any, url: str) -> tuple[int, float]:
    page = context.new_page()
    # No page.route here: Playwright turns the HTTP cache off for pages whose requests it routes.
    # The site makes no request outside it (the browser tests check that, with routing).
    page.goto(f"{url}/quickstart.html", wait_until="networkidle")
    _CountingHandler.sent = 0
    cell = page.locator("div.cell").first
    start = time.perf_counter()
    cell.locator("button[data-action=run]").click()
    page.wait_for_function("(c) => c.dataset.mgState === 'ok'", arg=cell.element_handle(), timeout=300_000)
    seconds = time.perf_counter() - start
    page.close()
    return _CountingHandler.sent, seconds


# Where --wheel's file is served, in place of the site's own wheel of micrograd.
WHEEL_PATH = "/_benchmark/micrograd.whl"

# How long the browser's Python runs the step before it is timed. Chromium first compiles
# WebAssembly with a quick compiler, and replaces the busiest functions (the interpreter's loop
# among them) with optimized code only after they have run a while, so a new page's first
# steps are slower (the tables show how much).
WARM_UP_SECONDS = 3.0

STEP_CODE = """
import hashlib, json, pathlib, sys, time
open("/moons.json", "w").write({moons!r})
open("/tmp/_demo.py", "w").write({demo!r})
open("/tmp/float_step.py", "w").write({floats!r})
sys.path.insert(0, "/tmp")
import float_step
import micrograd
import pyodide
from _demo import load_moons, make_model, train_step
X, y = load_moons()

def steps(n):
    # The first n steps of each, from a new network: the times and losses of each step.
    model, layers = make_model(), float_step.make_layers()
    times = {{"engine": {{"seconds": [], "losses": []}}, "floats": {{"seconds": [], "losses": []}}}}
    for k in range(n):
        for name, step, state in (("engine", train_step, model), ("floats", float_step.train_step, layers)):
            start = time.perf_counter()
            loss, _ = step(state, X, y, k)
            times[name]["seconds"].append(time.perf_counter() - start)
            times[name]["losses"].append(loss)
    return times

first = steps({steps})
warm_up = time.perf_counter()
while time.perf_counter() - warm_up < {warm_up}:
    steps({steps})
result = {{"first": first, "warm": steps({steps})}}
package = pathlib.Path(micrograd.__file__).parent
result["files"] = {{
    path.relative_to(package).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
    for path in package.rglob("*")
    if path.is_file() and "__pycache__" not in path.parts
}}
result["micrograd"] = micrograd.__file__
result["pyodide"] = pyodide.__version__
result["python"] = sys.version.split()[0]
print(json.dumps(result))
"""


def _browser_steps(context: Any, url: str, steps: int, wheel: str | None = None) -> dict[str, Any]:
    """The training step of the engine and of the plain floats in the browser's Python.

    Returns each one's step times and losses in a new page (``first``) and again after
    ``WARM_UP_SECONDS`` of running it (``warm``), and the SHA-256 of each file of the
    micrograd the browser imported (from ``wheel``, a URL path on the server, or else the
    site's own).
    """
    page = context.new_page()
    page.goto(f"{url}/quickstart.html", wait_until="networkidle")
    code = STEP_CODE.format(
        moons=(HERE / "moons.json").read_text(),
        demo=(HERE / "workloads" / "_demo.py").read_text(),
        floats=(HERE / "workloads" / "float_step.py").read_text(),
        steps=steps,
        warm_up=WARM_UP_SECONDS,
    )
    outputs = page.evaluate(
        """async ([code, wheel]) => {
            const {python} = await import("./_static/runner/session.mjs");
            const script = document.querySelector('script[src*="runner/runner.js"]');
            python.configure({root: new URL(".", location.href).href, pyodide: script.dataset.pyodide,
                              viz: script.dataset.viz, wheel: wheel ?? script.dataset.wheel,
                              packageIndex: script.dataset.packageIndex});
            return (await python.run(code)).outputs;
        }""",
        [code, wheel],
    )
    page.close()
    text = "".join(o.get("text", "") for o in outputs if o["kind"] == "stream")
    if not text.strip():
        raise RuntimeError(f"the browser's training step failed: {outputs}")
    result: dict[str, Any] = json.loads(text)
    return result


def _step_in_browser(site: Path, wheel: Path, steps: int) -> int:
    """``--json-step``: the training step in Chromium, on ``wheel``, as one JSON line for run.py."""
    from playwright.sync_api import sync_playwright

    server, url = _serve(site, wheel)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            result = _browser_steps(browser.new_context(), url, steps, WHEEL_PATH.lstrip("/"))
            browser.close()
    finally:
        server.shutdown()
    first, warm = result["first"], result["warm"]
    run = {
        "workload": "train_step",
        "steps": steps,
        "seconds": warm["engine"]["seconds"],
        "losses": warm["engine"]["losses"],
        "float_seconds": warm["floats"]["seconds"],
        "float_losses": warm["floats"]["losses"],
        # A new page's first steps, before Chromium has optimized the interpreter's code.
        "first_seconds": first["engine"]["seconds"],
        "first_losses": first["engine"]["losses"],
        "float_first_seconds": first["floats"]["seconds"],
        "float_first_losses": first["floats"]["losses"],
        "files": result["files"],  # the SHA-256 of each file of the micrograd it ran
        "engine": {"distribution": "micrograd", "version": result["pyodide"], "file": result["micrograd"]},
        "python": f"Pyodide {result['pyodide']}, CPython {result['python']}",
    }
    print(json.dumps(run))
    return 0


def _native_steps(steps: int) -> dict[str, list[float]]:
    """The same step times in native CPython (this checkout's engine), each in a fresh process."""
    seconds = {}
    for name, workload in (("engine", "train_step.py"), ("floats", "float_step.py")):
        result = subprocess.run(
            [sys.executable, str(HERE / "workloads" / workload), str(steps)],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds[name] = list(json.loads(result.stdout.strip().splitlines()[-1])["seconds"])
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "docs" / "_build" / "html")
    parser.add_argument("--steps", type=int, default=5, help="training steps per round (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, browser then native (default 3)")
    parser.add_argument(
        "--json-step",
        action="store_true",
        help="only the training step in the browser, once, printed as one JSON line (for run.py)",
    )
    parser.add_argument(
        "--wheel", type=Path, help="with --json-step: the micrograd wheel to run, not the site's"
    )
    args = parser.parse_args()
    if args.json_step:
        if args.wheel is None:
            parser.error("--json-step needs --wheel")
        return _step_in_browser(args.site, args.wheel, args.steps)
    from playwright.sync_api import sync_playwright

    server, url = _serve(args.site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context()
        cold_bytes, cold_seconds = _first_result(context, url)
        warm_bytes, warm_seconds = _first_result(context, url)
        # The machine may be busy: browser and native take turns, and each round gives ratios.
        # The plain-float step (workloads/float_step.py) is timed beside it: its ratio is the
        # browser's Python's own, with no engine in it.
        in_browser, native, ratios, first_ratios, float_ratios = [], [], [], [], []
        for _ in range(args.rounds):
            there, here = _browser_steps(context, url, args.steps), _native_steps(args.steps)
            in_browser.append(statistics.median(there["warm"]["engine"]["seconds"]))
            native.append(statistics.median(here["engine"]))
            ratios.append(in_browser[-1] / native[-1])
            first_ratios.append(statistics.median(there["first"]["engine"]["seconds"]) / native[-1])
            float_ratios.append(
                statistics.median(there["warm"]["floats"]["seconds"]) / statistics.median(here["floats"])
            )
        browser.close()
    server.shutdown()
    ratio = statistics.median(ratios)
    met = ratio <= BROWSER_RATIO

    def rounds(ratios: list[float]) -> str:
        return f"{statistics.median(ratios):.1f}x (rounds: {', '.join(f'{r:.1f}x' for r in ratios)})"

    print("| Measured | Value |")
    print("| --- | --- |")
    print(f"| First result, empty cache | {cold_bytes / 1e6:.1f} MB downloaded, {cold_seconds:.1f} s |")
    print(f"| First result, warm cache | {warm_bytes / 1e6:.1f} MB downloaded, {warm_seconds:.1f} s |")
    print(
        f"| Two-moons training step (median of {args.steps} steps after {WARM_UP_SECONDS:g} s of "
        f"warm-up, {args.rounds} rounds) | browser {statistics.median(in_browser):.3f} s, native "
        f"CPython {statistics.median(native):.3f} s: {rounds(ratios)}; "
        f"target ≤ {BROWSER_RATIO:g}x: {'met' if met else 'NOT met'} |"
    )
    print(f"| The same, the first {args.steps} steps in a new page | {rounds(first_ratios)} |")
    print(
        f"| The same step on plain floats, no engine (`workloads/float_step.py`), after the warm-up | "
        f"browser ÷ native {rounds(float_ratios)} |"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
