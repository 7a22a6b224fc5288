"""Template helpers of the dashboard: a number cell, counts, percentages."""

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

from scholingsfonds.core.templatetags.sf import euro

register = template.Library()


@register.filter
def count(value: Any) -> str:
    """A whole number with thousands separators in the page's language; – when unknown."""
    if value is None or value == "":
        return "–"
    return str(intcomma(int(value)))


@register.filter
def pct(value: Any) -> str:
    """45,2 % (one decimal); – when there is nothing to divide by."""
    if value is None:
        return "–"
    return f"{floatformat(value, 1)} %"


@register.filter
def days(value: Any) -> str:
    if value is None:
        return "–"
    return str(floatformat(value, 1))


@register.simple_tag
def suppressed_mark() -> str:
    return format_html(
        '<abbr class="mon-suppressed" title="{}">x</abbr>',
        _("niet getoond: klein aantal, of af te leiden uit de totalen"),
    )


@register.simple_tag
def cell(item: Any) -> str:
    """One number of a table: formatted, linked to the list behind it when allowed."""
    if item.suppressed:
        return suppressed_mark()
    text = euro(item.value) if item.kind == "cents" else count(item.value)
    if item.href:
        return format_html('<a class="utrecht-link" href="{}">{}</a>', item.href, text)
    return format_html("{}", text)
