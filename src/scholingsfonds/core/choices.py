"""A vocabulary (core/domain/vocabulary.py) as Django sees it: choices and translated labels."""

from __future__ import annotations

import re
from typing import Any, Literal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from scholingsfonds.core.domain.vocabulary import Vocabulary


def choices(vocabulary: Vocabulary, blank: Any = None) -> list[tuple[str, Any]]:
    """`choices` for a model or form field, labels translated when shown.

    `blank` puts an empty first choice with that prompt (a select that starts unchosen).
    """
    items: list[tuple[str, Any]] = [(term.code, gettext_lazy(term.label)) for term in vocabulary]
    return [("", blank), *items] if blank is not None else items


def label(vocabulary: Vocabulary, code: str | None) -> str:
    """The label of a code in the active language; the code itself when unknown."""
    if not code:
        return ""
    return gettext(vocabulary.label(code)) if code in vocabulary else code


def lazy_labels(vocabulary: Vocabulary) -> dict[str, Promise]:
    """Code -> label, translated when shown (for tables of figures and exports)."""
    return {term.code: gettext_lazy(term.label) for term in vocabulary}


def text_choices(name: str, vocabulary: Vocabulary) -> Any:
    """A TextChoices enum with one member per code (Route.EMPLOYER == "employer").

    Only for callers that still use `Route.choices`, `.values` or a member; new code takes
    `choices()` and the codes themselves.
    """
    members = [
        (re.sub(r"\W+", "_", term.code).upper(), (term.code, gettext_lazy(term.label)))
        for term in vocabulary
    ]
    return models.TextChoices(name, members)


def api_enum(vocabulary: Vocabulary) -> Any:
    """The codes as a type for an API schema (django-ninja/pydantic): an enum in OpenAPI."""
    return Literal[vocabulary.codes()]  # type: ignore[valid-type]
