// The note composer: say when autosave is working, and do not let an unsaved edit
// be lost by leaving the page. The page works without this file (Save draft).
"use strict";

(() => {
  const form = document.getElementById("note-form");
  if (!form) return;
  let dirty = false;

  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt !== form) return;
    const status = document.getElementById("note-status");
    if (status) status.textContent = "Saving…";
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt !== form) return;
    if (event.detail.successful) dirty = false;
    else {
      const status = document.getElementById("note-status");
      if (status) status.textContent = "Could not save just now; use Save draft.";
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
})();
