// Small enhancements on top of pages that already work without JavaScript.
"use strict";

// Menus are <details> disclosures: close them with Escape (focus back on the toggle)
// or by clicking elsewhere, and keep only one open at a time.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.activeElement && document.activeElement.closest("details[data-menu][open]");
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
});

document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details[data-menu][open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});

document.addEventListener("toggle", (event) => {
  const menu = event.target;
  if (!menu.matches || !menu.matches("details[data-menu]") || !menu.open) return;
  for (const other of document.querySelectorAll("details[data-menu][open]")) {
    if (other !== menu) other.open = false;
  }
}, true);

// Move focus to a form's error summary so screen reader users hear what went wrong.
function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary]");
  if (summary) summary.focus();
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSwap", (event) => focusErrorSummary(event.detail.target));
