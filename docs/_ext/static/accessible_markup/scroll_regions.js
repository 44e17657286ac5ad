// Every part of a page that scrolls sideways (a long code line, a wide output or graph)
// can be scrolled from the keyboard: it takes the focus (Tab), then the arrow keys scroll it.
// Only what actually overflows at the current width is made focusable, so the Tab key does
// not stop at every code block on a wide screen. See docs/_ext/accessible_markup.py.

const SCROLLERS = [
  "article pre, article .cell_output, article .output, article .mg-frame-graph, article .table-wrapper",
  "article .math-wrapper, article .mg-traceback-code",
].join(", ");

function markScrollable() {
  for (const element of document.querySelectorAll(SCROLLERS)) {
    const scrolls = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== "visible";
    if (scrolls && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "0");
      element.dataset.mgScrollable = "";
    } else if (!scrolls && element.dataset.mgScrollable !== undefined) {
      element.removeAttribute("tabindex");
      delete element.dataset.mgScrollable;
    }
  }
}

markScrollable();
window.addEventListener("load", () => {
  markScrollable();
  // MathJax typesets after the page has loaded: a long formula overflows only then.
  window.MathJax?.startup?.promise?.then(markScrollable);
});
window.addEventListener("resize", markScrollable);

// Some of it appears later: the output of a cell run in the browser (a traceback with a long
// line of code), a playground. Whatever is added to the page is checked once per frame.
let checking = false;
const content = document.querySelector("article");
if (content) {
  new MutationObserver(() => {
    if (checking) return;
    checking = true;
    requestAnimationFrame(() => {
      checking = false;
      markScrollable();
    });
  }).observe(content, {childList: true, subtree: true});
}
