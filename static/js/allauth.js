// django-allauth's page behaviour (passkeys, recovery codes, email addresses) under
// Rapport's strict CSP: templates name the function in data-allauth-onload and pass its
// argument as JSON in data-allauth-args (allauth's own pages use inline JSON scripts).
(function () {
  'use strict'
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-allauth-onload]').forEach(function (element) {
      const name = element.dataset.allauthOnload
      if (!name.startsWith('allauth.')) return
      const func = name.split('.').reduce(function (object, part) { return object && object[part] }, window)
      if (typeof func === 'function') func(JSON.parse(element.dataset.allauthArgs || '{}'))
    })
    // A passkey dialog the person cancelled, or a browser without passkeys: say so.
    document.addEventListener('allauth.error', function (event) {
      const box = document.getElementById('passkey-error')
      if (!box) return
      event.preventDefault()
      box.hidden = false
      const reason = event.detail.exception && event.detail.exception.name ? event.detail.exception.name : gettext('error')
      box.textContent = interpolate(gettext('The passkey could not be used (%(reason)s). Try again, or use another way to log in.'), { reason: reason }, true)
    })
  })
})()
