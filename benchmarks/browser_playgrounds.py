"""The playgrounds, measured in Chromium: the neuron's redraw time and the training speed.

    python benchmarks/browser_playgrounds.py [--site docs/_build/html] [--moves 20] [--seconds 20]

Needs a built site (``bash docs/build.sh``), Playwright for Python and Chromium (as the browser
tests do). It serves the site from 127.0.0.1 and measures, once Python has loaded:

- **neuron redraw**: on tutorial 3, from a key press on a slider of the neuron playground to
  the drawing of the numbers micrograd computed for it in the browser (the playground's
  ``data-latency-ms``, from the key event's time stamp), for ``--moves`` presses; the issue's
  target is 100 ms;
- **training speed**: on tutorial 5, the training playground with its default setup, the
  classic two moons (``MLP(2, [16, 16, 1])``, 100 points, the boundary computed every 5
  steps), played for ``--seconds`` seconds: steps per second as the page counts them (its
  ``data-steps-per-second``); the issue's target is 20.

It prints a table, with the machine's load average before and after (other work on a shared
machine slows every number down); it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHROMIUM = Path(os.environ.get("MICROGRAD_CHROMIUM", "/usr/bin/chromium"))
LOAD_MS = 300_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def neuron_latencies(context: Any, url: str, moves: int) -> list[float]:
    """Milliseconds from each key press on a slider to Python's numbers drawn for it."""
    page = context.new_page()
    page.goto(f"{url}/tutorials/03-backprop-step-by-step.html", wait_until="networkidle")
    box = page.locator(".mg-playground[data-playground=neuron]")
    box.get_by_role("button", name="Start the playground").click()
    page.wait_for_function("(b) => b.dataset.source === 'python'", arg=box.element_handle(), timeout=LOAD_MS)
    latencies = []
    for k in range(moves):
        # each slider one step right, then back left: never against the end of its range
        slider = box.get_by_label(("x1", "w1", "b", "x2")[(k // 2) % 4], exact=True)
        slider.focus()
        before = box.get_attribute("data-drawn")
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        page.wait_for_function(
            "([b, before]) => b.dataset.source === 'python' && b.dataset.drawn !== before",
            arg=[box.element_handle(), before],
        )
        latencies.append(float(box.get_attribute("data-latency-ms")))
        time.sleep(0.05)
    page.close()
    return latencies


def training_speed(context: Any, url: str, seconds: float) -> tuple[float, int]:
    """Steps per second of the default two-moons setup, played for ``seconds``, and the steps."""
    page = context.new_page()
    page.goto(f"{url}/tutorials/05-two-moons.html", wait_until="networkidle")
    box = page.locator(".mg-playground[data-playground=training]")
    box.get_by_role("button", name="Start the playground").click()
    page.wait_for_function("(b) => b.dataset.state === 'ready'", arg=box.element_handle(), timeout=LOAD_MS)
    box.get_by_role("button", name="Play").click()
    time.sleep(seconds)
    speed = float(box.get_attribute("data-steps-per-second") or 0)
    steps = int(box.get_attribute("data-steps") or 0)
    box.get_by_role("button", name="Pause").click()
    page.close()
    return speed, steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "docs" / "_build" / "html")
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    server, url = _serve(args.site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context()
        latencies = neuron_latencies(context, url, args.moves)
        speed, steps = training_speed(context, url, args.seconds)
        browser.close()
    server.shutdown()
    load_after = os.getloadavg()[0]
    print(
        f"| Measured (Chromium, headless, this machine; load average {load_before:.1f} "
        f"then {load_after:.1f}) | Value |"
    )
    print("| --- | --- |")
    print(
        f"| Neuron playground: key press to micrograd's numbers drawn ({len(latencies)} moves) "
        f"| median {statistics.median(latencies):.0f} ms, slowest {max(latencies):.0f} ms (target 100 ms) |"
    )
    print(
        f"| Training playground: two moons, MLP(2, [16, 16, 1]), 100 points, played {args.seconds:.0f} s "
        f"| {speed:.2f} steps/s ({steps} steps; target 20) |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
