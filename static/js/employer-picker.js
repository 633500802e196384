// The tracker form's employer picker, with JavaScript: one combobox (GOV.UK's
// accessible-autocomplete, vendored) in place of the select and its Find button. Typing
// searches the Confirmed employers (organisations:choices); the last suggestion is
// "+ Add a new organisation", which opens the dialog. The hidden select still carries
// the value, so the form posts exactly as it does without JavaScript.
"use strict";

(() => {
  const addNew = (query) => ({
    value: "",
    label: query.trim() ? `+ Add “${query.trim()}” as a new organisation` : "+ Add a new organisation",
    adds: true,
    name: query.trim(),
  });

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function choiceLabel(choice) {
    if (!choice) return "";
    return typeof choice === "string" ? choice : choice.adds ? "" : choice.label;
  }

  function suggestionHtml(choice) {
    if (typeof choice === "string") return escapeHtml(choice);
    if (choice.adds) return `<span class="autocomplete__add">${escapeHtml(choice.label)}</span>`;
    const detail = choice.detail ? ` <span class="autocomplete__detail">${escapeHtml(choice.detail)}</span>` : "";
    return escapeHtml(choice.label) + detail;
  }

  function choose(select, choice) {
    let option = Array.from(select.options).find((item) => item.value === String(choice.value));
    if (!option) {
      option = new Option(choice.label, choice.value);
      select.add(option);
    }
    select.value = String(choice.value);
  }

  function enhance(picker) {
    const select = picker.querySelector("select");
    const adder = picker.querySelector("[data-add-organisation]");
    const fieldId = select.id;
    picker.querySelector("[data-employer-find]").hidden = true;

    const source = (query, populate) => {
      const url = `${picker.dataset.choicesUrl}?q=${encodeURIComponent(query)}`;
      const adding = adder ? [addNew(query)] : [];
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => populate([...data.results, ...adding]))
        .catch(() => populate(adding));
    };

    accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      source,
      defaultValue: select.value ? select.selectedOptions[0].text : "",
      showAllValues: true,
      autoselect: false,
      confirmOnBlur: false,
      minLength: 0,
      templates: { inputValue: choiceLabel, suggestion: suggestionHtml },
      tNoResults: () => "No Confirmed employer matches",
      tStatusNoResults: () => "No Confirmed employer matches",
      onConfirm: (choice) => {
        if (!choice) return;
        if (choice.adds) {
          // The dialog starts with the name typed; it opens from the "+" link, to which
          // focus returns.
          const url = `${adder.getAttribute("hx-get")}&name=${encodeURIComponent(choice.name)}`;
          htmx.ajax("GET", url, { source: adder, target: "#dialog-content", swap: "innerHTML" });
          return;
        }
        choose(select, choice);
      },
    });
    // The select now has the id "<id>-select"; the combobox has the field's id, so the
    // label and the error summary's link lead to it.
    if (adder) adder.dataset.selectTarget = select.id;
    const input = document.getElementById(fieldId);
    const hints = select.getAttribute("aria-describedby");
    if (hints) input.setAttribute("aria-describedby", `${hints} ${input.getAttribute("aria-describedby") || ""}`.trim());
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
    // Typing makes the choice again: until a suggestion is chosen, nothing is.
    input.addEventListener("input", () => {
      if (!select.value || input.value !== select.selectedOptions[0].text) select.value = "";
    });
    // A new organisation added in the dialog is chosen in the select (site.js); show it.
    select.addEventListener("change", () => {
      const wrapper = input.closest(".autocomplete__wrapper").parentElement;
      wrapper.remove();
      select.id = fieldId;
      select.style.display = "";
      enhance(picker);
    }, { once: true });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof accessibleAutocomplete === "undefined") return;
    document.querySelectorAll("[data-employer-picker]").forEach(enhance);
  });
})();
