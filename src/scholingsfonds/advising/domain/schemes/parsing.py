"""The scheme file (policies/schemes/*.toml) as a typed model, and its stored JSON copy.

`SchemeFile` states every key, its type and what it expects; `scheme_from_dict` turns a
file (or the copy stored with a scheme row) into a `Scheme`, or refuses it with
DomainError('scheme.invalid') naming the file, the key and what was expected. Keys a file
leaves out take the defaults of `Scheme`. policies/schemes/README.md describes the keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, model_validator

from scholingsfonds.advising.domain.schemes.model import (
    DEFAULT_PAYER,
    KINDS,
    PAYERS,
    PROVIDER_KINDS,
    ROUTES,
    SECTORS,
    TRAINING_LEVELS,
    WORK_STATUSES,
    Scheme,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.rules import SCHEME_CAP_SHAPES
from scholingsfonds.core.domain.validation import (
    Day,
    Expect,
    FileModel,
    Flag,
    FreeText,
    OptionalDay,
    Percent,
    PositiveCents,
    Text,
    expected,
    list_of,
    one_of,
    parse,
    read_toml,
    refused,
    source_name,
)

CODE = "scheme.invalid"
WHAT = ("Ongeldige regeling", "Invalid scheme")

# A regional fund's rules are its policy; its scheme file only places it in the order.
REGIONAL_FUND_KEYS = frozenset(
    {
        "key",
        "version",
        "kind",
        "name_nl",
        "name_en",
        "payer",
        "order",
        "valid_from",
        "valid_to",
        "exclusive_group",
        "fund_slug",
        "how_to_apply_nl",
        "how_to_apply_en",
        "note",
    }
)


def _codes(codes: tuple[str, ...]) -> Expect:
    return list_of(codes, non_empty=False)


class SchemeFile(FileModel):
    """One scheme file: one payer's rules for one period."""

    key: Text
    version: Text
    kind: Annotated[str, Field(strict=True), one_of(KINDS)]
    name_nl: Text
    name_en: Text
    # Left out: the usual payer of the kind (DEFAULT_PAYER).
    payer: Annotated[str, Field(strict=True), one_of(PAYERS)] | None = None
    # Who pays first among the other payers; regional funds always pay after them.
    order: Annotated[
        int,
        Field(strict=True, ge=0, le=1000),
        Expect("een geheel getal 0..1000", "an integer 0..1000"),
    ]
    valid_from: Day
    valid_to: OptionalDay = Scheme.valid_to
    share_percent: Percent = Scheme.share_percent
    cap_cents: PositiveCents | None = Scheme.cap_cents
    cap_shape: Annotated[str, Field(strict=True), one_of(SCHEME_CAP_SHAPES)] = Scheme.cap_shape
    work_statuses: Annotated[tuple[str, ...], _codes(WORK_STATUSES)] = Scheme.work_statuses
    routes: Annotated[tuple[str, ...], _codes(ROUTES)] = Scheme.routes
    employer_sectors: Annotated[tuple[str, ...], _codes(SECTORS)] = Scheme.employer_sectors
    municipalities: Annotated[
        tuple[str, ...],
        list_of(non_empty=False, what_nl="gemeentecodes", what_en="municipality codes"),
    ] = Scheme.municipalities
    training_levels: Annotated[tuple[str, ...], _codes(TRAINING_LEVELS)] = Scheme.training_levels
    provider_kinds: Annotated[tuple[str, ...], _codes(PROVIDER_KINDS)] = Scheme.provider_kinds
    requires_benefit: Flag = Scheme.requires_benefit
    requires_labour_market_test: Flag = Scheme.requires_labour_market_test
    # At most one scheme of a group pays (e.g. one regional fund per training).
    exclusive_group: FreeText = Scheme.exclusive_group
    fund_slug: FreeText = Scheme.fund_slug
    how_to_apply_nl: FreeText = Scheme.how_to_apply_nl
    how_to_apply_en: FreeText = Scheme.how_to_apply_en
    # A remark for the people who maintain the file; not used.
    note: FreeText = ""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        regional = self.kind == "regional_fund"
        own_rules = sorted(self.model_fields_set - REGIONAL_FUND_KEYS)
        if regional and own_rules:
            raise refused(
                "niet bij een regionaal fonds: dat haalt zijn regels uit zijn beleid "
                "(policies/*.toml)",
                "not for a regional fund: it takes its rules from its policy (policies/*.toml)",
                key=", ".join(own_rules),
            )
        payer = self.payer or DEFAULT_PAYER[self.kind]
        if regional and payer != "fund":
            raise expected(
                "'fund': een regionaal fonds betaalt als 'fund'",
                "'fund': a regional fund pays as 'fund'",
                key="payer",
                got=payer,
            )
        if not regional and payer == "fund":
            raise expected(
                "een andere betaler dan 'fund': alleen een regionaal fonds betaalt als 'fund'",
                "a payer other than 'fund': only a regional fund pays as 'fund'",
                key="payer",
                got=payer,
            )
        if self.kind == "own_contribution" and payer != "applicant":
            raise expected(
                "'applicant': de eigen bijdrage is van de aanvrager",
                "'applicant': the own contribution is the applicant's",
                key="payer",
                got=payer,
            )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise expected(
                f"een datum op of na valid_from ({self.valid_from})",
                f"a date on or after valid_from ({self.valid_from})",
                key="valid_to",
                got=self.valid_to,
            )
        if self.cap_cents is None and self.cap_shape != "per_application":
            raise expected(
                f"een bedrag in hele centen: nodig bij cap_shape = {self.cap_shape}",
                f"an amount in whole cents: needed when cap_shape = {self.cap_shape}",
                key="cap_cents",
                missing=True,
            )
        if self.kind == "sector_fund" and not self.employer_sectors:
            raise expected(
                f"een of meer sectoren: een O&O-fonds hoort bij een sector ({', '.join(SECTORS)})",
                f"one or more sectors: a sector fund belongs to a sector ({', '.join(SECTORS)})",
                key="employer_sectors",
                got=list(self.employer_sectors),
            )
        if regional and not self.fund_slug:
            raise expected(
                "de slug van het fonds (policies/funds.toml)",
                "the fund's slug (policies/funds.toml)",
                key="fund_slug",
                missing=True,
            )
        return self

    def scheme(self) -> Scheme:
        """The domain object."""
        values: dict[str, Any] = {
            name: getattr(self, name) for name in type(self).model_fields if name != "note"
        }
        values["payer"] = self.payer or DEFAULT_PAYER[self.kind]
        return Scheme(**values)


def scheme_from_dict(data: object, *, source: str = "") -> Scheme:
    """Parse and validate one scheme (its TOML table or the stored JSON copy).

    DomainError('scheme.invalid') names `source` (the file), each key and what it expects.
    """
    return parse(SchemeFile, data, code=CODE, source=source, what=WHAT).scheme()


def read_scheme(path: Path) -> tuple[dict[str, Any], Scheme]:
    """A scheme file's table (kept with the row) and its validated scheme."""
    data = read_toml(path, code=CODE)
    return data, scheme_from_dict(data, source=source_name(path))


def check_no_overlap(schemes: Iterable[Scheme]) -> None:
    """Two versions of one scheme may not both be valid on the same day."""
    by_key: dict[str, list[Scheme]] = {}
    for scheme in schemes:
        by_key.setdefault(scheme.key, []).append(scheme)
    for key, versions in by_key.items():
        versions.sort(key=lambda s: s.valid_from)
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise DomainError(
                    CODE,
                    f"Ongeldige regeling '{key}': versies {earlier.version} en {later.version} "
                    "overlappen",
                    f"Invalid scheme '{key}': versions {earlier.version} and {later.version} "
                    "overlap",
                )
