from datetime import date

import pytest

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import (
    format_cents_en,
    format_cents_nl,
    format_date_en,
    format_date_nl,
)


def test_domain_error_keeps_code_and_both_messages() -> None:
    err = DomainError("budget.insufficient_funds", "Te weinig geld.", "Not enough money.")
    assert (err.code, err.message_nl, err.message_en) == (
        "budget.insufficient_funds",
        "Te weinig geld.",
        "Not enough money.",
    )


def test_domain_error_falls_back_to_dutch_when_english_is_missing() -> None:
    assert DomainError("x.y", "Alleen Nederlands.").message_en == "Alleen Nederlands."


def test_domain_error_can_be_raised_and_caught_as_exception() -> None:
    with pytest.raises(DomainError) as info:
        raise DomainError("a.b", "nl")
    assert "a.b" in str(info.value)


def test_money_is_formatted_the_dutch_and_english_way() -> None:
    assert format_cents_nl(250000) == "€ 2.500,00"
    assert format_cents_nl(1234567) == "€ 12.345,67"
    assert format_cents_nl(5) == "€ 0,05"
    assert format_cents_en(250000) == "€2,500.00"
    assert format_cents_nl(-150) == "-€ 1,50"


def test_dates_are_written_out_with_month_names() -> None:
    assert format_date_nl(date(2024, 3, 3)) == "3 maart 2024"
    assert format_date_en(date(2024, 3, 3)) == "3 March 2024"
