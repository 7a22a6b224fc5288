"""Rules of the provider registry: bank account, KvK number, recognition (plain Python)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.vocabulary import RECOGNISED_PROVIDER_KINDS

# Kinds of recognition a fund's policy can accept (funds/domain/policy.py PROVIDER_KINDS).
QUALITY_KINDS = RECOGNISED_PROVIDER_KINDS.codes()
# CRKBO is a VAT-exemption register: a provider with only CRKBO has no quality mark.
CRKBO = "crkbo"

_KVK_RE = re.compile(r"^\d{8}$")
# DUO's institution codes (BRIN) are two digits and two letters or digits, e.g. 00GT, 25BA.
_BRIN_RE = re.compile(r"^\d{2}[A-Z0-9]{2}$")


@dataclass(frozen=True)
class BankAccount:
    """A validated IBAN in compact form, with the bank's BIC when the registry knows it."""

    iban: str
    bic: str

    @property
    def formatted(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


def bank_account(value: str) -> BankAccount:
    """Validate an IBAN (country format and check digits, by schwifty); raise provider.iban."""
    try:
        iban = IBAN(value.strip())
    except SchwiftyException as error:
        raise DomainError(
            "provider.iban_invalid",
            "Dit IBAN klopt niet. Controleer de letters en cijfers, zoals NL91 ABNA 0417 1643 00.",
            "This IBAN is not valid, e.g. NL91 ABNA 0417 1643 00.",
        ) from error
    bic = iban.bic
    return BankAccount(iban=iban.compact, bic=str(bic) if bic is not None else "")


def kvk_number(value: str) -> str:
    """A KvK number: eight digits (the KvK publishes no check digit, so the form is checked)."""
    digits = re.sub(r"[\s.]", "", value)
    if not _KVK_RE.match(digits):
        raise DomainError(
            "provider.kvk_invalid",
            "Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.",
            "A KvK number has 8 digits, e.g. 12345678.",
        )
    return digits


def approval_problems(
    *, kind: str, institution_code: str, recognition_reference: str, kvk: str, iban: str
) -> list[DomainError]:
    """Why a provider cannot (yet) be approved; empty when it can."""
    problems: list[DomainError] = []
    if kind == CRKBO or kind not in QUALITY_KINDS:
        problems.append(
            DomainError(
                "provider.not_recognised",
                "Alleen een inschrijving in het CRKBO is geen erkenning: het CRKBO is een "
                "register voor btw-vrijstelling, geen kwaliteitskeurmerk. Een opleider heeft "
                "een erkenning van OCW, NRTO, CEDEO, NLQF of de sector nodig.",
                "CRKBO alone is a VAT-exemption register, not a quality mark.",
            )
        )
    if kind == "ocw" and not _BRIN_RE.match(institution_code.strip().upper()):
        problems.append(
            DomainError(
                "provider.institution_code_missing",
                "Een door OCW erkende instelling heeft een instellingscode (BRIN) van 4 tekens, "
                "zoals 00GT.",
                "An OCW-recognised institution needs its institution code (BRIN), e.g. 00GT.",
            )
        )
    if kind in ("nrto", "cedeo", "nlqf", "sector") and not recognition_reference.strip():
        problems.append(
            DomainError(
                "provider.recognition_reference_missing",
                "Noteer het nummer of de vindplaats van het keurmerk of de erkenning.",
                "Record the number or register entry of the quality mark.",
            )
        )
    if not kvk:
        problems.append(
            DomainError("provider.kvk_missing", "Het KvK-nummer ontbreekt.", "KvK number missing.")
        )
    if not iban:
        problems.append(
            DomainError(
                "provider.iban_missing",
                "Het IBAN ontbreekt: zonder rekeningnummer kan het fonds niet betalen.",
                "The IBAN is missing: the fund cannot pay without it.",
            )
        )
    return problems
