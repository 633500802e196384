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

// A list's filters refresh only its results (htmx); its status region, which is always
// there, then says how many were found, so a screen reader hears it. Focus stays where
// the user is typing.
document.addEventListener("htmx:afterSettle", () => {
  for (const status of document.querySelectorAll("[data-results-status]")) {
    const count = document.querySelector(`#${status.dataset.resultsStatus} [data-results-count]`);
    if (count && status.textContent !== count.textContent) status.textContent = count.textContent;
  }
});

// Dialogs: a link or button with data-opens-dialog loads a form into #dialog-content
// (hx-get, hx-swap="innerHTML": an opener inside a region that swaps itself whole must
// not inherit that); the dialog opens when it arrives and gives focus back to the
// opener when it closes (Escape, the close button, or a save, which sends "dialogSaved").
const dialog = () => document.getElementById("dialog");
let dialogOpener = null;

document.addEventListener("htmx:beforeRequest", (event) => {
  const source = event.detail.elt;
  if (source && source.matches("[data-opens-dialog]")) dialogOpener = source;
});

document.addEventListener("htmx:afterSwap", (event) => {
  const box = dialog();
  // A save answers with an empty body (and closes the dialog): nothing to open then.
  const arrived = event.detail.xhr.responseText.trim() !== "";
  if (box && event.detail.target.id === "dialog-content" && arrived && !box.open) {
    box.showModal();
    const first = box.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-close-dialog]")) dialog().close();
});

document.addEventListener("close", (event) => {
  if (event.target !== dialog()) return;
  const content = document.getElementById("dialog-content");
  if (content) content.replaceChildren();
  if (dialogOpener && dialogOpener.isConnected) dialogOpener.focus();
}, true);

// A list fetched again after a save replaces the opener with a copy of it: focus goes to
// the copy (the opener that loads the same form), not to the top of the page.
document.addEventListener("htmx:afterSettle", () => {
  if (!dialogOpener || dialogOpener.isConnected || dialog().open) return;
  if (document.activeElement && document.activeElement !== document.body) return;
  const url = dialogOpener.getAttribute("hx-get");
  const copy = url && document.querySelector(`[data-opens-dialog][hx-get="${CSS.escape(url)}"]`);
  if (copy) {
    dialogOpener = copy;
    copy.focus();
  }
});

// A save closes the dialog and says what it did in the page's notices (a live region),
// as the page would have after a redirect.
document.body.addEventListener("dialogSaved", (event) => {
  dialog().close();
  const notices = document.getElementById("notices");
  const said = (event.detail && event.detail.messages) || [];
  if (!notices || said.length === 0) return;
  notices.replaceChildren(...said.map((message) => {
    const notice = document.createElement("p");
    notice.className = `notice notice--${message.level}`;
    notice.textContent = message.text;
    return notice;
  }));
});

// A new (or existing) organisation chosen in the dialog is selected in the form that
// opened it: the opener names its select with data-select-target.
function chooseOrganisation(value, label) {
  const target = dialogOpener && document.getElementById(dialogOpener.dataset.selectTarget);
  if (!target) return;
  let option = Array.from(target.options).find((item) => item.value === String(value));
  if (!option) {
    option = new Option(label, value);
    target.add(option);
  }
  target.value = String(value);
  target.dispatchEvent(new Event("change", { bubbles: true }));
}

document.body.addEventListener("organisationCreated", (event) => {
  chooseOrganisation(event.detail.value, event.detail.label);
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-choose-organisation]");
  if (!button) return;
  chooseOrganisation(button.dataset.value, button.dataset.label);
  dialog().close();
});

// Find address re-shows one address's fields (htmx swaps them whole). What the form's
// last save said is then out of date, as it is without JavaScript, where Find address
// shows the form again without errors; and focus goes where the user carries on: the
// first address found, the filled-in first line, or the postcode to correct.
let addressFieldsSwapped = null;

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (!target.id || !target.id.startsWith("address-fields-")) return;
  const summary = target.closest("form") && target.closest("form").querySelector("[data-error-summary]");
  if (summary) summary.remove();
  addressFieldsSwapped = target.id;
});

document.addEventListener("htmx:afterSettle", () => {
  const fields = addressFieldsSwapped && document.getElementById(addressFieldsSwapped);
  addressFieldsSwapped = null;
  if (!fields) return;
  const filled = fields.querySelector(".notice--success");
  const next = fields.querySelector(".candidates input:checked")
    || (filled && fields.querySelector("input[name$='-line_1']"))
    || fields.querySelector("input[name$='-postcode']");
  if (next) next.focus();
});

// A form that creates something is sent once: its buttons are disabled while it is sent.
// (The server also refuses a second tracker from the same form.)
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-disable-on-submit]")) return;
  window.setTimeout(() => {
    for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
  }, 0);
});
