"""Template filters: money in Dutch notation, dates, rule outcome labels, vocabulary labels."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from scholingsfonds.core.choices import label
from scholingsfonds.core.domain.formatting import (
    format_cents_en,
    format_cents_nl,
    format_date_en,
    format_date_nl,
)
from scholingsfonds.core.domain.vocabulary import ALL, PAYERS

VOCABULARIES = {vocabulary.name: vocabulary for vocabulary in ALL}

register = template.Library()

RULE_LABELS = {
    "region": gettext_noop("Woont of werkt in de regio"),
    "minimum_age": gettext_noop("Leeftijd"),
    "route": gettext_noop("Route en werksituatie"),
    "policy_period": gettext_noop("Looptijd van de regeling"),
    "training_level": gettext_noop("Niveau van de opleiding"),
    "provider_recognised": gettext_noop("Erkende opleider"),
    "cofinancing": gettext_noop("Bijdrage van anderen (cofinanciering)"),
    "cap": gettext_noop("Maximumbedrag"),
    "labour_market_test": gettext_noop("Arbeidsmarkttoets"),
}


@register.filter
def euro(cents: int | None) -> str:
    if cents is None or cents == "":
        return "–"
    cents = int(cents)
    return format_cents_en(cents) if get_language() == "en" else format_cents_nl(cents)


@register.filter
def longdate(value: date | None) -> str:
    if not value:
        return "–"
    if isinstance(value, datetime):
        # The local day, not UTC's: a letter sent at 00:30 carries that day's date.
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date_en(value) if get_language() == "en" else format_date_nl(value)


@register.filter
def reason(outcome: dict) -> str:
    return outcome.get("reason_en" if get_language() == "en" else "reason_nl", "")


@register.filter
def rule_label(rule_id: str) -> str:
    msgid = RULE_LABELS.get(rule_id)
    return _(msgid) if msgid else rule_id


@register.filter
def payer_label(payer: str) -> str:
    return label(PAYERS, payer)


@register.filter
def term(code: str, vocabulary: str) -> str:
    """The label of a code in a vocabulary named by its `name`: {{ code|term:"sector" }}."""
    return label(VOCABULARIES[vocabulary], code)


@register.filter
def terms(codes: list[str] | None, vocabulary: str) -> str:
    """The labels of a list of codes, comma-separated: {{ source.routes|terms:"route" }}."""
    return ", ".join(label(VOCABULARIES[vocabulary], code) for code in codes or ())
