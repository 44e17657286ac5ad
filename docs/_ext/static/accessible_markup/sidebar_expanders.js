// furo's navigation tree folds the pages of each section ("Tutorials", "How-to guides", ...)
// under an arrow beside its name: the label of a hidden checkbox, which the keyboard cannot
// reach. Each arrow becomes a button here, in the same place and look: Tab reaches it (just
// after the section's link), Enter or Space opens or closes the section's list of pages, and
// aria-expanded says which. Its name says whose pages they are; it stays the same whether the
// list is open or not, since aria-expanded tells that. The checkbox stays and holds the state:
// furo's CSS shows the list while it is checked. See docs/_ext/accessible_markup.py.

for (const checkbox of document.querySelectorAll(".sidebar-tree input.toctree-checkbox")) {
  const item = checkbox.parentElement;
  const label = [...item.children].find((e) => e.tagName === "LABEL" && e.htmlFor === checkbox.id);
  const pages = [...item.children].find((e) => e.tagName === "UL");
  const link = [...item.children].find((e) => e.tagName === "A");
  if (!label || !pages) continue;
  if (!pages.id) pages.id = `${checkbox.id}-pages`;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "mg-toctree-expander";
  button.setAttribute("aria-label", `Pages of ${link ? link.textContent.trim() : "this section"}`);
  button.setAttribute("aria-controls", pages.id);
  button.append(...label.childNodes);
  label.replaceWith(button);
  const showState = () => button.setAttribute("aria-expanded", String(checkbox.checked));
  button.addEventListener("click", () => {
    checkbox.checked = !checkbox.checked; // what a click on the label did
    showState();
  });
  showState();
}
