// Calling back when the page's theme changes, for what draws its own colours (canvases,
// framed outputs): furo's theme switch sets data-theme on <body>, and its "auto" setting
// follows the system's, which changes on its own.
//
//     onThemeChange(() => redraw());

export function onThemeChange(listener) {
  new MutationObserver(() => listener()).observe(document.body, {attributes: true, attributeFilter: ["data-theme"]});
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => listener());
}
