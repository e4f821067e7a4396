#!/bin/sh
# Compile the translation catalogs, crm/locale/<lang>/LC_MESSAGES/*.po, into the .mo files
# Django reads, as Django's compilemessages does (GNU gettext's msgfmt --check-format:
# a translation whose placeholders differ from the English fails). Only .po files are
# committed; `make run`, `make test`, the Docker image and CI run this (docs/translating.md).
# A .mo newer than its .po is left alone.
set -eu
locale_dir="${1:-crm/locale}"
if ! command -v msgfmt >/dev/null 2>&1; then
  echo "Compiling the translations needs GNU gettext's msgfmt. Install gettext:" >&2
  echo "  Debian/Ubuntu: apt-get install gettext   macOS: brew install gettext" >&2
  echo "  Fedora: dnf install gettext   Alpine: apk add gettext" >&2
  exit 1
fi
for po in "$locale_dir"/*/LC_MESSAGES/*.po; do
  [ -e "$po" ] || continue
  mo="${po%.po}.mo"
  if [ -e "$mo" ] && [ "$mo" -nt "$po" ]; then
    continue
  fi
  msgfmt --check-format -o "$mo" "$po"
done
