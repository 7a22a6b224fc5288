"""Marking interface text for translation in plain Python (no Django in `domain/`)."""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark a Dutch msgid for extraction and return it untranslated.

    Django's `makemessages` extracts every `gettext_noop("...")` call, whatever module the
    function comes from, so a pure module can declare its interface words here and the
    Django side translates them when it shows them (`gettext`, `gettext_lazy`).
    """
    return message
