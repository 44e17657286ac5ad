// On a narrow screen furo folds the site's navigation and the page's contents into drawers
// that open from icons: labels of hidden checkboxes, which the keyboard cannot reach. Each
// icon becomes a button here, in the same place and look: Tab reaches it, Enter or Space opens
// or closes its drawer (and the focus goes into a drawer opened from the keyboard),
// aria-expanded says which; Escape closes the drawer and gives the focus back. micrograd.css
// hides a closed drawer, so that Tab never stops on the links of a drawer off the screen.
// See docs/_ext/accessible_markup.py.

const DRAWERS = {__navigation: ".sidebar-drawer", __toc: ".toc-drawer"};

for (const [id, selector] of Object.entries(DRAWERS)) {
  const toggle = document.getElementById(id);
  const drawer = document.querySelector(selector);
  const labels = [...document.querySelectorAll(`label[for="${id}"]:not(.overlay)`)];
  if (!toggle || !drawer || !labels.length) continue;
  const buttons = labels.map((label) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.setAttribute("aria-label", toggle.getAttribute("aria-label") || "Toggle the sidebar");
    button.append(...label.childNodes);
    label.replaceWith(button);
    return button;
  });
  let opener = buttons[0];
  const showState = () => buttons.forEach((b) => b.setAttribute("aria-expanded", String(toggle.checked)));
  const setOpen = (open) => {
    toggle.checked = open; // what a click on the label did, without the change event
    showState();
  };
  for (const button of buttons) {
    button.addEventListener("click", (event) => {
      opener = button;
      setOpen(!toggle.checked);
      const fromKeyboard = event.detail === 0; // Enter or Space, not a pointer
      if (toggle.checked && fromKeyboard) drawer.querySelector("a[href], input, button")?.focus();
    });
  }
  toggle.addEventListener("change", showState); // a click on the page's overlay closes it
  drawer.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !toggle.checked) return;
    setOpen(false);
    opener.focus();
  });
  showState();
}
