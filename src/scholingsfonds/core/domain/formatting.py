"""Plain-language formatting of money and dates for Dutch and English texts."""

from __future__ import annotations

from datetime import date

_MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _split(cents: int) -> tuple[str, int, int]:
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return sign, euros, rest


def format_cents_nl(cents: int) -> str:
    """Format integer cents the Dutch way: `€ 2.500,00`."""
    sign, euros, rest = _split(cents)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


def format_cents_en(cents: int) -> str:
    """Format integer cents the English way: `€2,500.00`."""
    sign, euros, rest = _split(cents)
    return f"{sign}€{euros:,}.{rest:02d}"


def format_date_nl(d: date) -> str:
    """Format a date in Dutch: `3 maart 2024`."""
    return f"{d.day} {_MONTHS_NL[d.month - 1]} {d.year}"


def format_date_en(d: date) -> str:
    """Format a date in English: `3 March 2024`."""
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
