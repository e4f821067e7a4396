// Small progressive enhancements. Every page works without this file.
// Text for people goes through gettext()/interpolate() (Django's JavaScript catalog, loaded
// first by base.html), so `make messages` finds it for the translators.
"use strict";

// Lets CSS show what only works with JavaScript (.js-only) and hide its fallback (.nojs-only).
document.documentElement.classList.add("js");

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

// Buttons with data-copy-target copy that element's text (or value) to the clipboard, then
// say so: the button turns green with "Copied" for a moment, and screen readers hear it.
let copyStatus = null;
document.addEventListener("DOMContentLoaded", () => {
  if (!document.querySelector("[data-copy-target]")) return;
  copyStatus = document.createElement("p");
  copyStatus.className = "visually-hidden";
  copyStatus.setAttribute("role", "status");
  document.body.append(copyStatus);
});
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copyTarget);
  if (!source) return;
  const text = "value" in source ? source.value : source.textContent;
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  clearTimeout(Number(button.dataset.timer));
  try {
    await navigator.clipboard.writeText(text);
    button.dataset.copied = "true";
    button.textContent = gettext("✓ Copied");
    if (copyStatus) copyStatus.textContent = gettext("Copied to the clipboard.");
  } catch {
    // No clipboard access (plain http, or refused): select it for Ctrl+C instead.
    source.select?.();
    button.dataset.copied = "failed";
    button.textContent = gettext("Press Ctrl+C to copy");
    if (copyStatus) copyStatus.textContent = gettext("Selected; press Control C to copy.");
  }
  button.dataset.timer = String(setTimeout(() => {
    button.textContent = label;
    delete button.dataset.copied;
    if (copyStatus) copyStatus.textContent = "";
  }, 2500));
});

// Phones: the main navigation scrolls sideways; bring the current page's item into view.
document.addEventListener("DOMContentLoaded", () => {
  const nav = document.querySelector(".mainnav");
  const current = nav?.querySelector('[aria-current="page"]');
  if (!nav || !current || nav.scrollWidth <= nav.clientWidth) return;
  const item = current.closest("li") || current;
  const left = item.getBoundingClientRect().left - nav.getBoundingClientRect().left;
  nav.scrollLeft += left - (nav.clientWidth - item.offsetWidth) / 2;
});
