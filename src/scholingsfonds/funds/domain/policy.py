"""One versioned policy of a fund (the rules of its subsidy ordinance).

The file format (policies/*.toml) and its checks are in `policy_file.py`; this module holds
the domain objects the rest of the code uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scholingsfonds.core.domain import vocabulary

ROUTES = vocabulary.ROUTES.codes()
APPLICANT_KINDS = vocabulary.WORK_STATUSES.codes()
# The levels of the training (not the person's education, despite the policy key's name).
EDUCATION_LEVELS = vocabulary.TRAINING_LEVELS.codes()
# CRKBO is deliberately absent: it is a VAT-exemption register, not a quality mark.
PROVIDER_KINDS = vocabulary.RECOGNISED_PROVIDER_KINDS.codes()
PAYERS = vocabulary.PAYERS.codes()
# When the provider is paid: after the training was completed, or an advance at the start
# that the completion report settles (as STAP worked).
PAYMENT_MOMENTS = ("after_completion", "advance_at_start")
# What proves that the training happened: an attendance figure (at least the threshold) or a
# certificate/diploma. The policy names which of the two it accepts.
COMPLETION_EVIDENCE = ("attendance", "certificate")


@dataclass(frozen=True)
class CofinancingRule:
    """Minimum co-financing share for one route and which payers count towards it."""

    min_share_percent: int
    payers: tuple[str, ...]


@dataclass(frozen=True)
class MarketSignalThresholds:
    """When a market signal about providers and courses raises a flag (policy `[market_signals]`).

    Defaults follow what the national STAP budget learned: prices drifting to the maximum,
    more than half of the budget with a few providers, payments for no-shows.
    """

    # A course price within this share of the price at which the fund's part hits the cap.
    price_near_cap_percent: int = 90
    # ... and that rose at least this much within the look-back window.
    price_rise_percent: int = 10
    # Share of voucher money (committed + paid) held by the top N providers of a fund.
    top_providers: int = 3
    top_share_percent: int = 75
    # One provider's share of the fund's voucher money.
    provider_share_percent: int = 35
    # Vouchers that expired or were given back without a start, among those that ended.
    non_redemption_percent: int = 30
    # Participants who did not show up or dropped out, among those who started.
    no_show_percent: int = 10
    # Rates are judged only with at least this many vouchers behind them.
    min_vouchers: int = 5
    # Applications naming a provider in the last `burst_days`, against its usual pace.
    burst_days: int = 14
    burst_factor: int = 3
    burst_min_applications: int = 8
    # New short courses: created in the last `new_course_days` with at most this many hours.
    new_course_days: int = 90
    short_course_hours: int = 16
    new_short_courses: int = 4
    # The look-back window for price rises and rates.
    window_days: int = 365


@dataclass(frozen=True)
class Policy:
    """The rules of one fund for one period."""

    fund_slug: str
    fund_name: str
    version: str
    valid_from: date
    valid_to: date | None
    region_name: str
    municipalities: tuple[str, ...]
    minimum_age: int
    cap_cents: int
    cap_shape: str
    routes: tuple[str, ...]
    applicant_kinds: tuple[str, ...]
    education_levels: tuple[str, ...]
    provider_kinds: tuple[str, ...]
    priority_sectors: tuple[str, ...]
    cofinancing: dict[str, CofinancingRule] = field(hash=False)
    voucher_validity_months: int
    decision_term_weeks: int
    four_eyes_threshold_cents: int
    labour_market_test_required: bool
    first_come_first_served: bool
    # A first-come-first-served window (as STAP worked): the form asks training, provider and
    # cost, and complete applications claim money in order of receipt (Awb 4:25).
    window_opens: date | None = None
    window_closes: date | None = None
    # Redemption and payment (providers issue). Optional keys: files without them keep working.
    payment_moment: str = "after_completion"
    # With an advance: which share of the voucher is paid at the confirmed start.
    advance_percent: int = 100
    attendance_threshold_percent: int = 80
    completion_evidence: tuple[str, ...] = COMPLETION_EVIDENCE
    # At most this many vouchers per course (STAP: 300); 0 means no cap.
    course_voucher_cap: int = 300
    # Reminders to the person and the provider this many days before a voucher expires.
    expiry_reminder_days: tuple[int, ...] = (30, 7)
    market_signals: MarketSignalThresholds = field(default_factory=MarketSignalThresholds)
    # A gap between the previous policy period and this one is intended (load_policies refuses
    # a gap otherwise: a day without rules is a day on which nobody can apply).
    gap_allowed: bool = False

    def window_open_on(self, d: date) -> bool:
        """Whether a first-come-first-served window accepts applications on `d`."""
        if not self.first_come_first_served or self.window_opens is None:
            return False
        return self.window_opens <= d and (self.window_closes is None or d <= self.window_closes)

    def is_valid_on(self, d: date) -> bool:
        """Whether this policy version applies on date `d`."""
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)


def price_ceiling_cents(policy: Policy, route: str = "individual") -> int:
    """The course price at which the fund's part reaches the cap (cost minus co-financing).

    With 50 % co-financing a EUR 2,500 cap is reached at a EUR 5,000 course; prices drifting
    towards this figure are what the market signal watches.
    """
    rule = policy.cofinancing.get(route)
    share = rule.min_share_percent if rule else 0
    if share >= 100:
        return policy.cap_cents
    return policy.cap_cents * 100 // (100 - share)
