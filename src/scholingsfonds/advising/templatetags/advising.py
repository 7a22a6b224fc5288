"""Template filters of the advisor's workspace: labels of scheme rules, sectors, schemes."""

from typing import Any

from django import template
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from scholingsfonds.core.choices import label
from scholingsfonds.core.domain.vocabulary import SCHEME_KINDS, SECTORS
from scholingsfonds.core.templatetags.sf import rule_label

register = template.Library()

SCHEME_RULE_LABELS = {
    "validity": gettext_noop("Looptijd van de regeling"),
    "work_status": gettext_noop("Werksituatie"),
    "route": gettext_noop("Route"),
    "region": gettext_noop("Woont of werkt in de regio"),
    "employer_sector": gettext_noop("Sector van de werkgever"),
    "benefit": gettext_noop("Uitkering"),
    "training_level": gettext_noop("Niveau van de opleiding"),
    "provider": gettext_noop("Erkende opleider"),
    "labour_market_test": gettext_noop("Arbeidsmarkttoets"),
    "employer_contribution": gettext_noop("Toezegging werkgever"),
    "cap": gettext_noop("Maximumbedrag"),
    "exclusive": gettext_noop("Niet samen met een ander regionaal fonds"),
    "amount": gettext_noop("Bedrag"),
    "rest": gettext_noop("Wat overblijft"),
}

CAP_SHAPE_LABELS = {
    "per_application": gettext_noop("per aanvraag"),
    "per_person_per_year": gettext_noop("per persoon per kalenderjaar"),
    "once_per_year": gettext_noop("één keer per kalenderjaar"),
}


@register.filter
def scheme_rule_label(rule_id: str) -> str:
    msgid = SCHEME_RULE_LABELS.get(rule_id)
    return _(msgid) if msgid else rule_label(rule_id)


@register.filter
def sector_label(code: str) -> str:
    return label(SECTORS, code) or "–"


@register.filter
def kind_label(kind: str) -> str:
    return label(SCHEME_KINDS, kind)


@register.filter
def cap_shape_label(shape: str) -> str:
    msgid = CAP_SHAPE_LABELS.get(shape or "")
    return _(msgid) if msgid else shape


@register.filter
def part_name(part: Any) -> str:
    """The scheme's name in the visitor's language (a stored part or a live StackPart)."""
    english = get_language() == "en"
    if isinstance(part, dict):
        return str(part.get("name_en" if english else "name_nl", ""))
    return str(part.scheme.name_en if english else part.scheme.name_nl)


@register.filter
def how_to_apply(part: Any) -> str:
    english = get_language() == "en"
    if isinstance(part, dict):
        return str(part.get("how_to_apply_en" if english else "how_to_apply_nl", ""))
    return str(part.scheme.how_to_apply_en if english else part.scheme.how_to_apply_nl)


@register.filter
def outcome_reason(outcome: Any) -> str:
    """The reason of a rule outcome (dict or RuleOutcome) in the visitor's language."""
    english = get_language() == "en"
    if isinstance(outcome, dict):
        return str(outcome.get("reason_en" if english else "reason_nl", ""))
    return str(outcome.reason_en if english else outcome.reason_nl)


@register.filter
def outcome_passed(outcome: Any) -> Any:
    return outcome.get("passed") if isinstance(outcome, dict) else outcome.passed
