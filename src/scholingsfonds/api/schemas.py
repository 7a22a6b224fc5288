"""Request and response bodies of the API, with the examples the OpenAPI document shows."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as stdnum_postcode

from scholingsfonds.core.choices import api_enum
from scholingsfonds.core.domain.vocabulary import (
    CAREER_ROUTES,
    EDUCATION_LEVELS,
    HEARD_VIA,
    PAYERS,
    SECTORS,
    TRAINING_LEVELS,
    WORK_STATUSES,
)

WorkStatusValue = api_enum(WORK_STATUSES)
EducationLevelValue = api_enum(EDUCATION_LEVELS)
CareerRouteValue = api_enum(CAREER_ROUTES)
HeardViaValue = api_enum(HEARD_VIA)
TrainingLevelValue = api_enum(TRAINING_LEVELS)
SectorValue = api_enum(SECTORS)
PayerValue = api_enum(PAYERS)

Cents = Annotated[int, Field(strict=True, ge=0, le=5_000_000)]
MAX_COST_CENTS = 5_000_000  # EUR 50,000, as the website's form


def _error(kind: str, message_nl: str, message_en: str) -> PydanticCustomError:
    # The message template must not contain braces; English travels in the context.
    return PydanticCustomError(kind, message_nl, {"message_en": message_en})


# --- funds ------------------------------------------------------------------------------


class FundOut(Schema):
    slug: str = Field(description="Korte naam in de URL / slug used in URLs")
    name: str
    first_come_first_served: bool = Field(
        description="Aanvragen in een venster, op volgorde van ontvangst (artikel 4:25 Awb)"
    )
    window_open: bool = Field(description="Het aanvraagvenster is vandaag open")
    window_opens: date | None
    window_closes: date | None
    cap_cents: int | None = Field(description="Maximum per persoon per jaar, in centen")
    municipalities: list[str] = Field(
        description="CBS-codes van de gemeenten in het werkgebied / CBS codes of the region"
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "leerbudget",
                    "name": "Leerbudget Oost (demonstratie aanvraagvenster)",
                    "first_come_first_served": True,
                    "window_open": True,
                    "window_opens": "2026-11-01",
                    "window_closes": "2027-01-31",
                    "cap_cents": 100000,
                    "municipalities": ["GM0153", "GM0200"],
                }
            ]
        }
    )


# --- window applications ----------------------------------------------------------------


class CofinancingIn(Schema):
    payer: PayerValue  # type: ignore[valid-type]
    amount_cents: Cents

    model_config = ConfigDict(extra="forbid")


WINDOW_APPLICATION_EXAMPLE: dict[str, Any] = {
    "submission_key": "6f1c2a9e-4b7d-4f0e-9a53-2c8d1e7b5a10",
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "phone": "06 12345678",
    "birth_date": "1990-05-17",
    "postcode": "7511 AB",
    "municipality": "GM0153",
    "work_status": "employee",
    "education_level": "mbo12",
    "career_route": "same_sector",
    "question": "Ik wil mijn heftruckcertificaat halen.",
    "heard_via": "campaign",
    "training_title": "Heftruckcertificaat",
    "training_level": "mbo2",
    "training_sector": "transport & logistics",
    "provider": 1,
    "cost_cents": 85000,
    "cofinancing": [],
}


class WindowApplicationIn(Schema):
    """A complete application in a first-come-first-served window (the website's form).

    The e-mail address is the logged-in person's own: a person applies for themself.
    """

    submission_key: str = Field(
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Kies één sleutel per aanvraag (bijv. een UUID). Dezelfde sleutel nog eens "
        "sturen geeft dezelfde aanvraag terug (200) / idempotency key: a replay returns 200",
    )
    first_name: str = Field(min_length=1, max_length=60)
    last_name: str = Field(min_length=1, max_length=80)
    phone: str = Field(default="", max_length=20)
    birth_date: date = Field(description="JJJJ-MM-DD / YYYY-MM-DD")
    postcode: str = Field(min_length=1, max_length=7, description="Zoals 7511 AB")
    municipality: str = Field(
        description="CBS-code van de woongemeente, zoals GM0153",
        json_schema_extra={"pattern": "^GM[0-9]{4}$"},
    )
    work_status: WorkStatusValue  # type: ignore[valid-type]
    education_level: EducationLevelValue  # type: ignore[valid-type]
    career_route: CareerRouteValue  # type: ignore[valid-type]
    question: str = Field(min_length=1, max_length=2000)
    heard_via: HeardViaValue  # type: ignore[valid-type]
    training_title: str = Field(min_length=1, max_length=200)
    training_level: TrainingLevelValue  # type: ignore[valid-type]
    training_sector: SectorValue  # type: ignore[valid-type]
    provider: int = Field(strict=True, ge=1, description="Id van de opleider (provider)")
    cost_cents: int = Field(
        strict=True, ge=1, le=MAX_COST_CENTS, description="Totale kosten in centen"
    )
    cofinancing: list[CofinancingIn] = Field(
        default_factory=list, max_length=5, description="Wie betaalt mee, en hoeveel (centen)"
    )

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [WINDOW_APPLICATION_EXAMPLE]},
    )

    @field_validator("birth_date", mode="before")
    @classmethod
    def _birth_date_text(cls, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise _error(
                "date_format",
                "Vul de geboortedatum in als JJJJ-MM-DD, zoals 1990-12-31.",
                "Enter the birth date as YYYY-MM-DD, such as 1990-12-31.",
            )
        return value.strip()

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, value: date) -> date:
        if value > timezone.localdate():
            raise _error(
                "birth_date_future",
                "Een geboortedatum ligt niet in de toekomst.",
                "A birth date is not in the future.",
            )
        if value.year < 1900:
            raise _error(
                "birth_date_too_old",
                "Vul een geboortedatum na 1900 in.",
                "Enter a birth date after 1900.",
            )
        return value

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        try:
            return str(stdnum_postcode.validate(value))
        except StdnumError:
            raise _error(
                "postcode_invalid",
                "Dit is geen geldige postcode. Schrijf vier cijfers en twee letters, "
                "zoals 7511 AB.",
                "This is not a valid Dutch postcode (four digits, two letters: 7511 AB).",
            ) from None

    @field_validator("municipality")
    @classmethod
    def _municipality(cls, value: str) -> str:
        value = value.upper()
        if not re.fullmatch(r"GM\d{4}", value):
            raise _error(
                "municipality_invalid",
                "Vul de CBS-code van uw gemeente in, zoals GM0153.",
                "Enter the CBS code of the municipality, such as GM0153.",
            )
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if value and not re.fullmatch(r"\+?[\d\s\-()]{8,20}", value):
            raise _error(
                "phone_invalid",
                "Vul een telefoonnummer in met alleen cijfers, zoals 053 123 45 67.",
                "Enter a phone number with digits only, such as 053 123 45 67.",
            )
        return value

    @model_validator(mode="after")
    def _cofinancing_not_above_cost(self) -> WindowApplicationIn:
        if sum(part.amount_cents for part in self.cofinancing) > self.cost_cents:
            raise _error(
                "cofinancing_above_cost",
                "De bijdragen van anderen zijn samen hoger dan de kosten.",
                "The contributions of others add up to more than the cost.",
            )
        return self


class ApplicationReceiptOut(Schema):
    reference: str = Field(description="Kenmerk van de aanvraag")
    receipt_number: int | None = Field(description="Volgnummer van ontvangst in het venster")
    state: str = Field(description="complete: geld gereserveerd; refused: afgewezen")
    requested_cents: int | None = Field(description="Het gevraagde (en gereserveerde) bedrag")
    ceiling_reached: bool = Field(description="Afgewezen omdat het subsidieplafond is bereikt")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reference": "LBO-2026-000123",
                    "receipt_number": 123,
                    "state": "complete",
                    "requested_cents": 85000,
                    "ceiling_reached": False,
                }
            ]
        }
    )


class ApplicationOut(Schema):
    reference: str
    fund: str = Field(description="Slug van het fonds")
    state: str
    state_label_nl: str
    submitted_at: datetime
    receipt_number: int | None
    requested_cents: int | None
    ceiling_reached: bool
    training_title: str
    provider: str | None = Field(description="Naam van de opleider")
    cost_cents: int | None
    decision_due_on: date | None = Field(description="Uiterlijke datum van het besluit")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reference": "LBO-2026-000123",
                    "fund": "leerbudget",
                    "state": "complete",
                    "state_label_nl": "Compleet",
                    "submitted_at": "2026-11-02T09:00:03.120000+01:00",
                    "receipt_number": 123,
                    "requested_cents": 85000,
                    "ceiling_reached": False,
                    "training_title": "Heftruckcertificaat",
                    "provider": "ROC van Twente",
                    "cost_cents": 85000,
                    "decision_due_on": "2026-12-28",
                }
            ]
        }
    )
