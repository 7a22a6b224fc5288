#!/usr/bin/env bash
# Refresh and compile the English translation of the (Dutch) interface strings.
#
#   scripts/messages.sh            # from the repo root (or anywhere: it cd's there)
#   PYTHON=python3 scripts/messages.sh   # use another interpreter than .venv/bin/python
#
# 1. makemessages: (re)extracts every {% translate %}/gettext string from src/ and
#    config/ into locale/en/LC_MESSAGES/django.po, dropping obsolete entries.
#    New strings arrive with an empty msgstr (or `#, fuzzy` when gettext guessed one):
#    translate them, remove the fuzzy flag, and run this script again.
# 2. compilemessages: builds django.mo, which is committed (a fresh machine may
#    lack GNU gettext). Both steps need GNU gettext (xgettext, msgmerge, msgfmt).
#
# tests/test_i18n.py fails while an entry is untranslated or fuzzy.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"

for tool in xgettext msgmerge msgfmt; do
  command -v "$tool" >/dev/null || { echo "GNU gettext is missing ($tool); apt-get install gettext" >&2; exit 1; }
done

mkdir -p locale/en/LC_MESSAGES
"$PYTHON" manage.py makemessages -l en \
  --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete
"$PYTHON" manage.py compilemessages -l en \
  --ignore=.venv --ignore=node_modules --ignore=var

PO=locale/en/LC_MESSAGES/django.po
untranslated="$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)"
fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)"
# msgattrib prints the header entry too when it emits anything at all.
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
echo "$PO: $untranslated untranslated, $fuzzy fuzzy"
