// Settings: offer the browser's own time zone when it differs from the saved one.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[name=time_zone]");
  const offer = document.getElementById("time-zone-suggestion");
  if (!select || !offer) return;
  let browserZone = "";
  try {
    browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  const known = Array.from(select.options).some((option) => option.value === browserZone);
  if (!known || select.value === browserZone) return;
  const button = offer.querySelector("button");
  button.textContent = interpolate(
    gettext("Use %(zone)s (this device’s time zone)"),
    { zone: browserZone.replaceAll("_", " ") },
    true,
  );
  offer.hidden = false;
  button.addEventListener("click", () => {
    select.value = browserZone;
    offer.hidden = true;
    select.focus();
  });
});
