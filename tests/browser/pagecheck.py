"""Opening a built page offline, and what a reader would find wrong with it.

Reusable by every browser test: :func:`open_offline` opens a page with every request outside
the local server refused and recorded; :func:`audit` adds the serious and critical findings of
axe-core and any TeX source MathJax left unrendered; :func:`run_cell` clicks a cell's Run (the
in-browser runner) and waits for it to finish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dependencies import missing

from .sitelib import AXE


@dataclass
class PageLog:
    """What went wrong while a page was open."""

    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, source URL)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # requests that tried to leave the site

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text} ({source})" for text, source in self.console_errors),
            *(f"uncaught exception: {m}" for m in self.page_errors),
            *(f"failed request: {m}" for m in self.failed_requests),
            *(f"refused request outside the site: {m}" for m in self.refused),
        ]


def open_offline(context: Any, site_url: str, url: str) -> tuple[Any, PageLog]:
    """Open ``url`` in a new tab of ``context`` as a reader without network would.

    Every request to anything but ``site_url`` is refused (the page gets a network error)
    and recorded in ``log.refused``; the page is returned loaded, idle and with its math
    typeset, if MathJax loaded.
    """
    page = context.new_page()
    log = PageLog()

    def route(route: Any) -> None:
        request_url = route.request.url
        if request_url.startswith((site_url + "/", "data:", "blob:")):
            route.continue_()
        else:
            log.refused.append(request_url)
            route.abort("internetdisconnected")

    page.route("**/*", route)

    def on_console(message: Any) -> None:
        if message.type == "error":
            source = message.location.get("url", "")
            # A refused request is reported once, in log.refused, not again as its console echo.
            if not any(url in message.text or url == source for url in log.refused):
                log.console_errors.append((message.text, source))

    page.on("console", on_console)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))

    def on_failed(request: Any) -> None:
        if request.url.startswith(site_url):
            log.failed_requests.append(f"{request.url} ({request.failure})")

    page.on("requestfailed", on_failed)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    wait_for_math(page)
    return page, log


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


# -- accessibility -----------------------------------------------------------------------


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """What axe-core (the npm package pinned in docs/package.json) finds on the page, as
    ``{"id", "impact", "help", "count", "targets"}`` per rule, for the given impacts.

    axe's default rule set runs: WCAG 2.x A and AA and its best practices, plus the
    ``label-content-name-mismatch`` rule (a button whose visible text is not part of its
    accessible name cannot be spoken to by voice control)."""
    if not AXE.is_file():
        missing(
            "axe-core (npm)", "bash docs/build.sh (its npm ci installs docs/node_modules)", detail=str(AXE)
        )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async (impacts) => {
          const result = await axe.run(document, {
            resultTypes: ["violations"],
            rules: { "label-content-name-mismatch": { enabled: true } },
          });
          return result.violations
            .filter((v) => impacts.includes(v.impact))
            .map((v) => ({ id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                           targets: v.nodes.slice(0, 4).map((n) => n.target.join(" ")) }));
        }""",
        list(impacts),
    )
    return found


def visible_tex(page: Any) -> list[str]:
    """Text a reader sees that is TeX source, not typeset math: ``$``, ``\\(``, ``\\frac`` ...
    in the prose (code and code outputs are left out: ``$`` and backslashes are fine there),
    and every formula that has no MathJax output in it."""
    found: list[str] = page.evaluate(
        r"""() => {
          const article = document.querySelector("article") || document.body;
          const skip = "pre, code, script, style, textarea, mjx-container, svg, .highlight, .cell_output";
          const tex = /\$|\\[()[\]]|\\[a-zA-Z]{2,}/;
          const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
          const found = [];
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const parent = node.parentElement;
            if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
            const match = node.textContent.match(tex);
            if (match) {
              const at = match.index;
              found.push(node.textContent.slice(Math.max(0, at - 30), at + 40).trim());
            }
          }
          for (const math of article.querySelectorAll("span.math, div.math")) {
            if (!math.querySelector("mjx-container")) {
              found.push("untypeset: " + math.textContent.slice(0, 60));
            }
          }
          return found;
        }"""
    )
    return found


@dataclass
class Audit:
    """A page as a reader without network finds it."""

    problems: list[str]  # console errors, exceptions, failed and refused requests
    refused: list[str]
    axe: list[dict[str, Any]]  # serious and critical axe-core violations
    tex: list[str]  # TeX source left visible

    def summary(self) -> str:
        lines = [*self.problems]
        lines += [
            f"axe {v['impact']}: {v['id']} x{v['count']} ({v['help']}) e.g. {v['targets']}" for v in self.axe
        ]
        lines += [f"TeX source shown: {t!r}" for t in self.tex]
        return "\n".join(lines)


def audit(page: Any, log: PageLog) -> Audit:
    """Everything :func:`open_offline` recorded plus what axe-core and the TeX check find."""
    return Audit(log.problems(), list(log.refused), axe_violations(page), visible_tex(page))


def run_cell(page: Any, index: int, timeout_ms: int = 180_000) -> str:
    """Click Run on cell ``index`` of a runner page and wait until it has finished; returns
    its state (``"ok"``, ``"error"`` or ``"stopped"``)."""
    cell = page.locator("div.cell").nth(index)
    page.evaluate("(c) => { delete c.dataset.mgState; }", cell.element_handle())
    run = cell.locator(".mg-run button[data-action=run]")
    run.evaluate("(b) => b.click()")  # a hidden cell's (hide-cell) button works as well
    page.wait_for_function(
        "(c) => ['ok', 'error', 'stopped'].includes(c.dataset.mgState) && "
        "!c.querySelector('.mg-run [data-action=run]').disabled",
        arg=cell.element_handle(),
        timeout=timeout_ms,
    )
    return str(cell.get_attribute("data-mg-state"))
