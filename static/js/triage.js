// Triage by keyboard: 1–5 (or F for following) rate the person on screen, S skips,
// U undoes the last rating.
// Keys typed into a text field are left alone; Esc leaves the field.
// Without this file the page still works with buttons, Tab/Enter and access keys.
"use strict";

(() => {
  const TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true']";
  let busy = false;

  const triage = () => document.getElementById("triage");

  document.addEventListener("keydown", (event) => {
    const root = triage();
    if (!root || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest(TYPING)) {
      if (event.key === "Escape") target.blur();
      return;
    }
    const key = event.key.toLowerCase();
    let control = null;
    if (key === "s") control = root.querySelector("#triage-skip");
    else if (key === "u") control = root.querySelector("#triage-undo");
    else if (key === "f") control = root.querySelector("button[data-key='1']");
    else if (/^[1-5]$/.test(key)) control = root.querySelector(`button[data-key='${key}']`);
    if (!control) return;
    event.preventDefault();
    if (busy) return; // one decision per card: ignore key repeat while the next card loads
    busy = true;
    control.click();
  });

  // The new card is in the page as soon as it is swapped in: accept keys from then on.
  document.addEventListener("htmx:afterSwap", () => { busy = false; });
  document.addEventListener("htmx:afterSettle", () => {
    busy = false;
    const active = document.activeElement;
    if (triage() && (!active || active === document.body)) {
      document.getElementById("triage-heading")?.focus({ preventScroll: true });
    }
  });
  document.addEventListener("htmx:responseError", () => { busy = false; });
  document.addEventListener("htmx:sendError", () => { busy = false; });
})();
