"""The policy file (policies/<fund>-<period>.toml) as a typed model, and its JSON copy.

`PolicyFile` states every key, its type and what it expects; `policy_from_dict` turns a file
(or the copy stored with a policy version) into the `Policy` the rest of the code uses, or
refuses it with DomainError('policy.invalid') naming the file, the key and what was expected.
Keys a file leaves out take the defaults of `Policy` and `MarketSignalThresholds`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, TypeAdapter, model_validator

from scholingsfonds.core.domain.rules import POLICY_CAP_SHAPES
from scholingsfonds.core.domain.validation import (
    Cents,
    Count,
    Day,
    Expect,
    FileModel,
    Flag,
    OptionalDay,
    Percent,
    PositiveCents,
    PositiveCount,
    PositivePercent,
    Text,
    expected,
    list_of,
    one_of,
    parse,
    read_toml,
    source_name,
)
from scholingsfonds.funds.domain.policy import (
    APPLICANT_KINDS,
    EDUCATION_LEVELS,
    PAYERS,
    PAYMENT_MOMENTS,
    PROVIDER_KINDS,
    ROUTES,
    CofinancingRule,
    MarketSignalThresholds,
    Policy,
)
from scholingsfonds.funds.domain.policy import COMPLETION_EVIDENCE as EVIDENCE

CODE = "policy.invalid"
WHAT = ("Ongeldig beleid", "Invalid policy")

Slug = Annotated[
    str,
    Field(strict=True, pattern=r"^[a-z0-9][a-z0-9-]*$"),
    Expect(
        "een slug (kleine letters, cijfers en '-')", "a slug (lowercase letters, digits and '-')"
    ),
]
Municipalities = Annotated[
    tuple[str, ...],
    list_of(
        pattern=r"GM\d{4}",
        what_nl="CBS-gemeentecodes (GM en vier cijfers)",
        what_en="CBS municipality codes (GM and four digits)",
    ),
]
ProviderKinds = Annotated[
    tuple[str, ...],
    list_of(
        PROVIDER_KINDS,
        notes={
            "crkbo": (
                "CRKBO is een btw-register en geen keurmerk; het telt niet als erkenning",
                "CRKBO is a VAT-exemption register, not a quality mark",
            )
        },
    ),
]
ReminderDays = Annotated[
    tuple[int, ...],
    Expect(
        "een lijst met dagen 1..366 (elk één keer)",
        "a list of days 1..366 (each once)",
        check=lambda days: (
            len(set(days)) == len(days)
            and all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 366 for d in days)
        ),
    ),
]


class CofinancingFile(FileModel):
    """`[cofinancing.<route>]`: the share others pay, and which payers count towards it."""

    min_share_percent: Percent
    payers: Annotated[tuple[str, ...], list_of(PAYERS, non_empty=False)] = ()

    @model_validator(mode="after")
    def _payers_for_a_share(self) -> Self:
        if self.min_share_percent > 0 and not self.payers:
            raise expected(
                "minstens één betaler bij een aandeel boven 0 %",
                "at least one payer when the share is above 0 %",
                key="payers",
                got=[],
            )
        return self


class MarketSignalsFile(FileModel):
    """`[market_signals]`: when a signal about providers and courses raises a flag."""

    price_near_cap_percent: PositivePercent = MarketSignalThresholds.price_near_cap_percent
    price_rise_percent: Annotated[
        int,
        Field(strict=True, ge=1, le=1000),
        Expect("een geheel percentage 1..1000", "an integer percentage 1..1000"),
    ] = MarketSignalThresholds.price_rise_percent
    top_providers: PositiveCount = MarketSignalThresholds.top_providers
    top_share_percent: PositivePercent = MarketSignalThresholds.top_share_percent
    provider_share_percent: PositivePercent = MarketSignalThresholds.provider_share_percent
    non_redemption_percent: PositivePercent = MarketSignalThresholds.non_redemption_percent
    no_show_percent: PositivePercent = MarketSignalThresholds.no_show_percent
    min_vouchers: PositiveCount = MarketSignalThresholds.min_vouchers
    burst_days: PositiveCount = MarketSignalThresholds.burst_days
    burst_factor: PositiveCount = MarketSignalThresholds.burst_factor
    burst_min_applications: PositiveCount = MarketSignalThresholds.burst_min_applications
    new_course_days: PositiveCount = MarketSignalThresholds.new_course_days
    short_course_hours: PositiveCount = MarketSignalThresholds.short_course_hours
    new_short_courses: PositiveCount = MarketSignalThresholds.new_short_courses
    window_days: PositiveCount = MarketSignalThresholds.window_days

    def thresholds(self) -> MarketSignalThresholds:
        """The domain object."""
        return MarketSignalThresholds(**self.model_dump())


class PolicyFile(FileModel):
    """One policy file: the rules of one fund for one period (docs/domain.md)."""

    fund_slug: Slug
    fund_name: Text
    version: Text
    valid_from: Day
    valid_to: OptionalDay = None
    region_name: Text
    municipalities: Municipalities
    # "Ouder dan 18 jaar" is read as 18 or older on the application date (settled reading).
    minimum_age: Annotated[
        int, Field(strict=True, ge=0, le=130), Expect("een leeftijd 0..130", "an age 0..130")
    ]
    cap_cents: PositiveCents
    cap_shape: Annotated[str, Field(strict=True), one_of(POLICY_CAP_SHAPES)]
    routes: Annotated[tuple[str, ...], list_of(ROUTES)]
    applicant_kinds: Annotated[tuple[str, ...], list_of(APPLICANT_KINDS)]
    education_levels: Annotated[tuple[str, ...], list_of(EDUCATION_LEVELS)]
    provider_kinds: ProviderKinds
    priority_sectors: Annotated[
        tuple[str, ...], list_of(non_empty=False, what_nl="teksten", what_en="texts")
    ] = ()
    # Every route states its share explicitly (also 0 %), so the file is auditable.
    cofinancing: dict[str, CofinancingFile]
    voucher_validity_months: PositiveCount
    # Awb 4:13 allows the ordinance to set the term; 0 would make every decision late.
    decision_term_weeks: PositiveCount
    four_eyes_threshold_cents: Cents
    labour_market_test_required: Flag
    first_come_first_served: Flag
    window_opens: OptionalDay = Policy.window_opens
    window_closes: OptionalDay = Policy.window_closes
    payment_moment: Annotated[str, Field(strict=True), one_of(PAYMENT_MOMENTS)] = (
        Policy.payment_moment
    )
    advance_percent: PositivePercent = Policy.advance_percent
    attendance_threshold_percent: PositivePercent = Policy.attendance_threshold_percent
    completion_evidence: Annotated[tuple[str, ...], list_of(EVIDENCE)] = Policy.completion_evidence
    course_voucher_cap: Count = Policy.course_voucher_cap
    expiry_reminder_days: ReminderDays = Policy.expiry_reminder_days
    market_signals: MarketSignalsFile = Field(default_factory=MarketSignalsFile)
    gap_allowed: Flag = Policy.gap_allowed

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise expected(
                f"een datum op of na valid_from ({self.valid_from})",
                f"a date on or after valid_from ({self.valid_from})",
                key="valid_to",
                got=self.valid_to,
            )
        if self.first_come_first_served and self.window_opens is None:
            raise expected(
                "een datum: nodig bij first_come_first_served = true",
                "a date: needed when first_come_first_served = true",
                key="window_opens",
                missing=True,
            )
        opens, closes = self.window_opens, self.window_closes
        if opens is not None and closes is not None and closes < opens:
            raise expected(
                f"een datum op of na window_opens ({opens})",
                f"a date on or after window_opens ({opens})",
                key="window_closes",
                got=closes,
            )
        extra = sorted(set(self.cofinancing) - set(self.routes))
        if extra:
            raise expected(
                f"alleen routes uit 'routes' ({', '.join(self.routes)})",
                f"only routes listed in 'routes' ({', '.join(self.routes)})",
                key="cofinancing",
                got=extra,
            )
        for route in self.routes:
            if route not in self.cofinancing:
                raise expected(
                    "een tabel met min_share_percent en payers (geef ook 0 % expliciet op)",
                    "a table with min_share_percent and payers (state 0 % explicitly too)",
                    key=f"cofinancing.{route}",
                    missing=True,
                )
        return self

    def policy(self) -> Policy:
        """The domain object."""
        values: dict[str, Any] = {name: getattr(self, name) for name in type(self).model_fields}
        values["cofinancing"] = {
            route: CofinancingRule(rule.min_share_percent, rule.payers)
            for route in self.routes
            for rule in [self.cofinancing[route]]
        }
        values["market_signals"] = self.market_signals.thresholds()
        # Reminders go out from far to near.
        values["expiry_reminder_days"] = tuple(sorted(self.expiry_reminder_days, reverse=True))
        return Policy(**values)


def policy_from_dict(data: object, *, source: str = "") -> Policy:
    """Parse and validate a policy (its TOML table or the stored JSON copy).

    DomainError('policy.invalid') names `source` (the file), each key and what it expects.
    """
    return parse(PolicyFile, data, code=CODE, source=source, what=WHAT).policy()


_AS_JSON = TypeAdapter(Policy)


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """JSON-friendly dict (dates as ISO strings) that `policy_from_dict` reads back."""
    data: dict[str, Any] = _AS_JSON.dump_python(policy, mode="json", exclude_none=True)
    return data


def read_policy(path: Path) -> tuple[dict[str, Any], Policy]:
    """A policy file's table (kept with the version) and its validated policy."""
    data = read_toml(path, code=CODE)
    return data, policy_from_dict(data, source=source_name(path))


def load_policy(path: Path) -> Policy:
    """Read and validate a policy TOML file."""
    return read_policy(path)[1]
