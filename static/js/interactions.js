// Contact picker of the interaction forms. Without this file the picker still works:
// its "Search" button posts the form back and lists matches as boxes to tick.
"use strict";

// Ticking a search result moves that person into the chosen list and clears the search.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.type !== "checkbox" || !box.checked) return;
  const results = box.closest("[data-picker-results]");
  if (!results) return;
  const picker = results.closest("[data-picker]");
  const chosen = picker.querySelector("[data-picker-selected]");
  const item = box.closest("li");
  for (const extra of item.querySelectorAll(".muted")) extra.remove();
  chosen.append(item);
  picker.querySelector("[data-picker-empty]")?.setAttribute("hidden", "");
  const search = picker.querySelector("[data-picker-search]");
  if (search) {
    search.value = "";
    search.focus();
  }
  results.replaceChildren();
});

// Enter in the search box searches instead of submitting the whole form.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !event.target.matches?.("[data-picker-search]")) return;
  event.preventDefault();
  if (window.htmx) window.htmx.trigger(event.target, "search");
});
