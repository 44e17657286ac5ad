// On a narrow screen furo folds the site's navigation and the page's contents into drawers
// that open from icons: labels of hidden checkboxes, which the keyboard cannot reach. Each
// icon becomes a button here: Tab reaches it, Enter or Space opens or closes its drawer (the
// focus goes into a drawer that opens), aria-expanded says which; Escape closes the drawer and
// gives the focus back. micrograd.css hides a closed drawer, so that Tab never stops on the
// links of a drawer that is off the screen. See docs/_ext/accessible_markup.py.

const DRAWERS = {__navigation: ".sidebar-drawer", __toc: ".toc-drawer"};

for (const [id, selector] of Object.entries(DRAWERS)) {
  const toggle = document.getElementById(id);
  const drawer = document.querySelector(selector);
  const icons = [...document.querySelectorAll(`label[for="${id}"]:not(.overlay)`)];
  if (!toggle || !drawer || !icons.length) continue;
  let opener = icons[0];
  const showState = () => icons.forEach((icon) => icon.setAttribute("aria-expanded", String(toggle.checked)));
  const setOpen = (open) => {
    toggle.checked = open; // as a click on the icon does, without the change event
    showState();
  };
  for (const icon of icons) {
    icon.setAttribute("role", "button");
    icon.setAttribute("tabindex", "0");
    icon.setAttribute("aria-label", toggle.getAttribute("aria-label") || "Toggle the sidebar");
    icon.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      opener = icon;
      setOpen(!toggle.checked);
      if (toggle.checked) drawer.querySelector("a[href], input, button")?.focus();
    });
  }
  toggle.addEventListener("change", showState); // a click on an icon or on the page's overlay
  drawer.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !toggle.checked) return;
    setOpen(false);
    opener.focus();
  });
  showState();
}
