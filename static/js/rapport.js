// Small progressive enhancements. Every page works without this file.
"use strict";

// Close an open dropdown menu when the user clicks elsewhere or presses Escape.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.menu[open]")) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.menu[open]")) menu.removeAttribute("open");
});

// Buttons with data-copy-target copy that element's text (or value) to the clipboard.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copyTarget);
  if (!source) return;
  const text = "value" in source ? source.value : source.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.dataset.copied = "true";
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; delete button.dataset.copied; }, 1500);
  } catch {
    source.select?.();
  }
});
