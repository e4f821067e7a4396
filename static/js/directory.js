// Contacts directory: small enhancements. Every page works without this file.
"use strict";

// In the "Introduced by" search box, Enter searches instead of saving the whole form.
document.addEventListener("keydown", (event) => {
  const input = event.target.closest?.("input[name='introducer_q']");
  if (!input || event.key !== "Enter") return;
  event.preventDefault();
  if (window.htmx) window.htmx.trigger(input, "search");
});

// Keep-in-touch: the number of days only matters with "Every … days".
function syncKeepInTouch() {
  const days = document.querySelector("input[name='keep_in_touch_days']");
  const every = document.querySelector("input[name='keep_in_touch'][value='every']");
  if (!days || !every) return;
  const field = days.closest(".field");
  if (field) field.classList.toggle("field--dimmed", !every.checked);
}
document.addEventListener("change", (event) => {
  if (event.target.matches?.("input[name='keep_in_touch']")) syncKeepInTouch();
});
document.addEventListener("DOMContentLoaded", syncKeepInTouch);

// Tag suggestions: clicking one adds it to the comma-separated tags field.
document.addEventListener("click", (event) => {
  const button = event.target.closest?.(".tag-suggestions [data-tag]");
  if (!button) return;
  const box = button.closest(".tag-suggestions");
  const input = document.querySelector(box.dataset.tagsInput);
  if (!input) return;
  const tags = input.value.split(",").map((t) => t.trim()).filter(Boolean);
  const name = button.dataset.tag;
  if (!tags.some((t) => t.toLowerCase() === name.toLowerCase())) tags.push(name);
  input.value = tags.join(", ");
  input.focus();
});
