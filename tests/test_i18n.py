"""The interface in English: switching language, translated forms, a complete catalogue.

Source strings are Dutch; English comes from locale/en/LC_MESSAGES/django.po (and the
committed django.mo). After adding or changing a string, run scripts/messages.sh,
translate the new entries, and run it again to compile: the catalogue tests below fail
while an entry is untranslated, fuzzy or not yet compiled.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE / "django.po"
MO_FILE = LOCALE / "django.mo"

FUND_PAGE = "/fondsen/twente/"
SHORT_FORM = "/fondsen/twente/aanvragen/"


def switch_to_english(client, next_url: str = FUND_PAGE):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    return response


# --- switching language ---------------------------------------------------------------


def test_fund_page_is_dutch_by_default(client, twente):
    body = client.get(FUND_PAGE).content.decode()
    assert '<html lang="nl">' in body
    assert "Aanvragen als inwoner" in body
    assert "Apply as a resident" not in body


def test_fund_page_in_english_after_choosing_english(client, twente):
    switch_to_english(client)
    response = client.get(FUND_PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert "Apply as a resident" in body
    assert "Aanvragen als inwoner" not in body


def test_short_form_labels_and_errors_in_english(client, twente):
    switch_to_english(client, SHORT_FORM)
    body = client.get(SHORT_FORM).content.decode()
    assert '<html lang="en">' in body
    assert "First name" in body
    assert "Voornaam" not in body

    # What a browser sends for the untouched form: the hidden key and empty fields.
    # (An entirely empty POST is falsy, so the view would show a fresh, unbound form.)
    response = client.post(SHORT_FORM, {"submission_key": "i18n-test", "first_name": ""})
    body = response.content.decode()
    assert response.status_code == 200  # the form comes back with its errors
    assert "Enter your first name." in body
    assert "Vul uw voornaam in." not in body


# --- the catalogue ---------------------------------------------------------------------


def _unquote(line: str) -> str:
    # PO strings use C escapes, which a Python string literal reads the same way.
    return ast.literal_eval(line)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"flags", "msgctxt", "msgid", "msgid_plural", "msgstr"}.

    msgstr is a list (one item, or one per plural form). Obsolete (#~) entries are
    skipped. Uses polib when it is installed, else this small parser.
    """
    try:
        import polib
    except ImportError:
        polib = None
    if polib is not None:
        return [
            {
                "flags": set(e.flags),
                "msgctxt": e.msgctxt,
                "msgid": e.msgid,
                "msgid_plural": e.msgid_plural or None,
                "msgstr": (
                    [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)]
                    if e.msgid_plural
                    else [e.msgstr]
                ),
            }
            for e in polib.pofile(str(path))
            if not e.obsolete
        ]

    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict = {"flags": set(), "msgctxt": None, "msgid_plural": None}
        strings: dict[str, str] = {}
        key = None
        obsolete = False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                obsolete = True
            elif line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                strings[key] += _unquote(line)
            else:
                key, _, rest = line.partition(" ")
                strings[key] = _unquote(rest)
        if obsolete or "msgid" not in strings:
            continue
        entry["msgctxt"] = strings.get("msgctxt")
        entry["msgid"] = strings["msgid"]
        entry["msgid_plural"] = strings.get("msgid_plural")
        entry["msgstr"] = [strings[k] for k in sorted(strings) if k.startswith("msgstr")]
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    assert PO_FILE.exists(), "run scripts/messages.sh to create the English catalogue"
    entries = [e for e in parse_po(PO_FILE) if e["msgid"]]  # skip the header
    assert entries, "the English catalogue is empty"
    return entries


def _describe(entries: list[dict]) -> str:
    return "\n".join(f"  {e['msgid']!r}" for e in entries)


def test_every_entry_is_translated(po_entries):
    untranslated = [e for e in po_entries if not all(s.strip() for s in e["msgstr"])]
    assert not untranslated, (
        f"{len(untranslated)} untranslated entries in {PO_FILE.name}; translate them and "
        f"run scripts/messages.sh:\n{_describe(untranslated)}"
    )


def test_no_entry_is_fuzzy(po_entries):
    fuzzy = [e for e in po_entries if "fuzzy" in e["flags"]]
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy entries in {PO_FILE.name} (Django ignores them): check the "
        f"translation, remove the '#, fuzzy' flag and run scripts/messages.sh:\n"
        f"{_describe(fuzzy)}"
    )


PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif]|%%")


def test_translations_keep_their_placeholders(po_entries):
    broken = []
    for e in po_entries:
        sources = [e["msgid"], e["msgid_plural"] or e["msgid"]]
        for n, text in enumerate(e["msgstr"]):
            source = sources[min(n, 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                broken.append(e)
    assert not broken, f"placeholders differ from the Dutch source:\n{_describe(broken)}"


def test_compiled_catalogue_matches_the_po(po_entries):
    """django.mo is committed: it must hold what django.po says (run scripts/messages.sh)."""
    assert MO_FILE.exists(), "django.mo is missing: run scripts/messages.sh"
    with MO_FILE.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for e in po_entries:
        ctx, msgid, plural = e["msgctxt"], e["msgid"], e["msgid_plural"]
        if plural:
            got = [
                catalogue.npgettext(ctx, msgid, plural, n)
                if ctx is not None
                else catalogue.ngettext(msgid, plural, n)
                for n in (1, 2)
            ]
            want = e["msgstr"][:2]
        else:
            got = catalogue.pgettext(ctx, msgid) if ctx is not None else catalogue.gettext(msgid)
            want = e["msgstr"][0]
        if got != want:
            stale.append(e)
    assert not stale, f"django.mo is out of date for:\n{_describe(stale)}"
