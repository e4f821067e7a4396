// The note composer: say when autosave is working, and do not let an unsaved edit
// be lost by leaving the page. The page works without this file (Save draft).
"use strict";

(() => {
  const form = document.getElementById("note-form");
  if (!form) return;
  let dirty = false;

  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("focusin", (event) => {
    if (event.target instanceof HTMLTextAreaElement) event.target.dataset.touched = "true";
  });
  form.addEventListener("submit", () => { dirty = false; });
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt !== form) return;
    const status = document.getElementById("note-status");
    if (status) status.textContent = gettext("Saving…");
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt !== form) return;
    if (event.detail.successful) dirty = false;
    else {
      const status = document.getElementById("note-status");
      if (status) status.textContent = gettext("Could not save just now; use Save draft.");
    }
  });
  // "Insert" on what you share with the person: the text goes where the cursor is (or
  // at the end), the note keeps the focus, and autosave runs as after typing.
  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-insert]");
    if (!button) return;
    const field = document.querySelector(button.dataset.insertTarget);
    if (!(field instanceof HTMLTextAreaElement)) return;
    const text = button.dataset.insert;
    let start = field.selectionStart;
    let end = field.selectionEnd;
    if (!field.dataset.touched) {
      // Not written in yet: before the sign-off, as a paragraph of its own.
      const signOff = field.value.lastIndexOf("\n\n");
      start = end = signOff >= 0 ? signOff : field.value.length;
      field.setRangeText(`\n\n${text}`, start, end, "end");
      field.dataset.touched = "true";
      field.focus();
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
      return;
    }
    const before = field.value.slice(0, start);
    const spaced = before && !/\s$/.test(before) ? ` ${text}` : text;
    field.setRangeText(spaced, start, end, "end");
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
})();
