"""One versioned policy of a fund (the rules of its subsidy ordinance), parsed from TOML."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scholingsfonds.core.domain.errors import DomainError

ROUTES = ("individual", "employer")
APPLICANT_KINDS = ("employee", "job_seeker", "zzp")
EDUCATION_LEVELS = ("mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo", "other")
# CRKBO is deliberately absent: it is a VAT-exemption register, not a quality mark.
PROVIDER_KINDS = ("ocw", "nrto", "cedeo", "nlqf", "sector")
PAYERS = ("employer", "benefits_agency", "oo_fund", "applicant")
CAP_SHAPES = ("per_person_per_year", "per_voucher")
# When the provider is paid: after the training was completed, or an advance at the start
# that the completion report settles (as STAP worked).
PAYMENT_MOMENTS = ("after_completion", "advance_at_start")
# What proves that the training happened: an attendance figure (at least the threshold) or a
# certificate/diploma. The policy names which of the two it accepts.
COMPLETION_EVIDENCE = ("attendance", "certificate")

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CBS_RE = re.compile(r"^GM\d{4}$")


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


_SIGNAL_KEYS = tuple(MarketSignalThresholds.__dataclass_fields__)
# Percentages must stay percentages; counts and days must be positive.
_SIGNAL_PERCENT_KEYS = frozenset(
    {
        "price_near_cap_percent",
        "price_rise_percent",
        "top_share_percent",
        "provider_share_percent",
        "non_redemption_percent",
        "no_show_percent",
    }
)


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


_FIELDS = (
    "fund_slug",
    "fund_name",
    "version",
    "valid_from",
    "valid_to",
    "region_name",
    "municipalities",
    "minimum_age",
    "cap_cents",
    "cap_shape",
    "routes",
    "applicant_kinds",
    "education_levels",
    "provider_kinds",
    "priority_sectors",
    "cofinancing",
    "voucher_validity_months",
    "decision_term_weeks",
    "four_eyes_threshold_cents",
    "labour_market_test_required",
    "first_come_first_served",
    "window_opens",
    "window_closes",
    "payment_moment",
    "advance_percent",
    "attendance_threshold_percent",
    "completion_evidence",
    "course_voucher_cap",
    "expiry_reminder_days",
    "market_signals",
    "gap_allowed",
)
_OPTIONAL = frozenset(
    {
        "valid_to",
        "priority_sectors",
        "window_opens",
        "window_closes",
        "payment_moment",
        "advance_percent",
        "attendance_threshold_percent",
        "completion_evidence",
        "course_voucher_cap",
        "expiry_reminder_days",
        "market_signals",
        "gap_allowed",
    }
)


def _invalid(key: str, problem_nl: str, problem_en: str) -> DomainError:
    return DomainError(
        "policy.invalid",
        f"Ongeldig beleid, sleutel '{key}': {problem_nl}",
        f"Invalid policy, key '{key}': {problem_en}",
    )


def _str(key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid(key, "moet tekst zijn en mag niet leeg zijn", "must be a non-empty string")
    return value


def _int(key: str, value: object, minimum: int = 0, maximum: int | None = None) -> int:
    # bool is a subclass of int; `true` is never a valid amount.
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(key, "moet een geheel getal zijn", "must be an integer")
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" en hoogstens {maximum}"
        upper_en = "" if maximum is None else f" and at most {maximum}"
        raise _invalid(
            key, f"moet minstens {minimum}{upper} zijn", f"must be at least {minimum}{upper_en}"
        )
    return value


def _bool(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _invalid(key, "moet true of false zijn", "must be true or false")
    return value


def _date(key: str, value: object) -> date:
    # tomllib gives date objects; JSON snapshots give ISO strings. datetime is not a date here.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _invalid(key, "moet een datum zijn (JJJJ-MM-DD)", "must be a date (YYYY-MM-DD)")


def _str_tuple(
    key: str,
    value: object,
    allowed: tuple[str, ...] | None = None,
    check: Callable[[str], bool] | None = None,
    non_empty: bool = True,
) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _invalid(key, "moet een lijst met teksten zijn", "must be a list of strings")
    items = tuple(str(v) for v in value)
    if non_empty and not items:
        raise _invalid(key, "mag niet leeg zijn", "must not be empty")
    if len(set(items)) != len(items):
        raise _invalid(key, "bevat dubbele waarden", "contains duplicates")
    for item in items:
        if allowed is not None and item not in allowed:
            if key == "provider_kinds" and item == "crkbo":
                raise _invalid(
                    key,
                    "CRKBO is een btw-register en geen keurmerk; het telt niet als erkenning",
                    "CRKBO is a VAT-exemption register, not a quality mark",
                )
            raise _invalid(
                key,
                f"onbekende waarde '{item}' (toegestaan: {', '.join(allowed)})",
                f"unknown value '{item}' (allowed: {', '.join(allowed)})",
            )
        if check is not None and not check(item):
            raise _invalid(key, f"ongeldige waarde '{item}'", f"invalid value '{item}'")
    return items


def _cofinancing(value: object, routes: tuple[str, ...]) -> dict[str, CofinancingRule]:
    if not isinstance(value, dict):
        raise _invalid("cofinancing", "moet een tabel per route zijn", "must be a table per route")
    extra = sorted(set(value) - set(routes))
    if extra:
        raise _invalid(
            "cofinancing",
            f"route(s) {', '.join(extra)} staan niet in 'routes'",
            f"route(s) {', '.join(extra)} not listed in 'routes'",
        )
    rules: dict[str, CofinancingRule] = {}
    # Every route must state its share explicitly (also 0 %), so the policy file is auditable.
    for route in routes:
        key = f"cofinancing.{route}"
        raw = value.get(route)
        if not isinstance(raw, dict):
            raise _invalid(
                key,
                "ontbreekt (geef ook 0 % expliciet op)",
                "is missing (state 0 % explicitly too)",
            )
        unknown = sorted(set(raw) - {"min_share_percent", "payers"})
        if unknown:
            raise _invalid(
                key,
                f"onbekende sleutel(s) {', '.join(unknown)}",
                f"unknown key(s) {', '.join(unknown)}",
            )
        share = _int(f"{key}.min_share_percent", raw.get("min_share_percent"), 0, 100)
        payers = _str_tuple(f"{key}.payers", raw.get("payers", []), PAYERS, non_empty=share > 0)
        rules[route] = CofinancingRule(min_share_percent=share, payers=payers)
    return rules


def _market_signals(value: object) -> MarketSignalThresholds:
    if not isinstance(value, dict):
        raise _invalid("market_signals", "moet een tabel zijn", "must be a table")
    unknown = sorted(set(value) - set(_SIGNAL_KEYS))
    if unknown:
        raise _invalid(
            "market_signals",
            f"onbekende sleutel(s) {', '.join(unknown)}",
            f"unknown key(s) {', '.join(unknown)}",
        )
    values: dict[str, int] = {}
    for key, raw in value.items():
        if key in _SIGNAL_PERCENT_KEYS:
            values[key] = _int(
                f"market_signals.{key}", raw, 1, 100 if key != "price_rise_percent" else 1000
            )
        else:
            values[key] = _int(f"market_signals.{key}", raw, 1)
    return MarketSignalThresholds(**values)


def _redemption(data: dict[str, Any]) -> dict[str, Any]:
    """The optional redemption and payment keys, with their defaults."""
    out: dict[str, Any] = {}
    if "payment_moment" in data:
        moment = _str("payment_moment", data["payment_moment"])
        if moment not in PAYMENT_MOMENTS:
            raise _invalid(
                "payment_moment",
                f"moet een van {', '.join(PAYMENT_MOMENTS)} zijn",
                f"must be one of {', '.join(PAYMENT_MOMENTS)}",
            )
        out["payment_moment"] = moment
    if "advance_percent" in data:
        out["advance_percent"] = _int("advance_percent", data["advance_percent"], 1, 100)
    if "attendance_threshold_percent" in data:
        out["attendance_threshold_percent"] = _int(
            "attendance_threshold_percent", data["attendance_threshold_percent"], 1, 100
        )
    if "completion_evidence" in data:
        out["completion_evidence"] = _str_tuple(
            "completion_evidence", data["completion_evidence"], COMPLETION_EVIDENCE
        )
    if "course_voucher_cap" in data:
        out["course_voucher_cap"] = _int("course_voucher_cap", data["course_voucher_cap"], 0)
    if "expiry_reminder_days" in data:
        raw = data["expiry_reminder_days"]
        if not isinstance(raw, list | tuple):
            raise _invalid(
                "expiry_reminder_days", "moet een lijst met dagen zijn", "must be a list of days"
            )
        days = tuple(_int("expiry_reminder_days", day, 1, 366) for day in raw)
        if len(set(days)) != len(days):
            raise _invalid("expiry_reminder_days", "bevat dubbele waarden", "contains duplicates")
        out["expiry_reminder_days"] = tuple(sorted(days, reverse=True))
    if "market_signals" in data:
        out["market_signals"] = _market_signals(data["market_signals"])
    return out


def policy_from_dict(data: dict[str, Any]) -> Policy:
    """Parse and validate a TOML-loaded policy dict; raise DomainError('policy.invalid')."""
    if not isinstance(data, dict):
        raise DomainError(
            "policy.invalid", "Beleid moet een tabel zijn.", "Policy must be a table."
        )
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise _invalid(", ".join(unknown), "onbekende sleutel (typefout?)", "unknown key (typo?)")
    missing = [k for k in _FIELDS if k not in data and k not in _OPTIONAL]
    if missing:
        raise _invalid(", ".join(missing), "ontbreekt", "is missing")

    slug = _str("fund_slug", data["fund_slug"])
    if not _SLUG_RE.match(slug):
        raise _invalid(
            "fund_slug",
            "alleen kleine letters, cijfers en '-'",
            "only lowercase letters, digits and '-'",
        )
    valid_from = _date("valid_from", data["valid_from"])
    valid_to = None if data.get("valid_to") is None else _date("valid_to", data["valid_to"])
    if valid_to is not None and valid_to < valid_from:
        raise _invalid("valid_to", "ligt voor valid_from", "is before valid_from")
    cap_shape = _str("cap_shape", data["cap_shape"])
    if cap_shape not in CAP_SHAPES:
        raise _invalid(
            "cap_shape",
            f"moet een van {', '.join(CAP_SHAPES)} zijn",
            f"must be one of {', '.join(CAP_SHAPES)}",
        )
    routes = _str_tuple("routes", data["routes"], ROUTES)
    fcfs = _bool("first_come_first_served", data["first_come_first_served"])
    window_opens = (
        None if data.get("window_opens") is None else _date("window_opens", data["window_opens"])
    )
    window_closes = (
        None if data.get("window_closes") is None else _date("window_closes", data["window_closes"])
    )
    if fcfs and window_opens is None:
        raise _invalid("window_opens", "nodig bij first_come_first_served", "needed for FCFS")
    if window_opens and window_closes and window_closes < window_opens:
        raise _invalid("window_closes", "ligt voor window_opens", "is before window_opens")

    return Policy(
        fund_slug=slug,
        fund_name=_str("fund_name", data["fund_name"]),
        version=_str("version", data["version"]),
        valid_from=valid_from,
        valid_to=valid_to,
        region_name=_str("region_name", data["region_name"]),
        municipalities=_str_tuple(
            "municipalities", data["municipalities"], check=lambda c: bool(_CBS_RE.match(c))
        ),
        minimum_age=_int("minimum_age", data["minimum_age"], 0, 130),
        cap_cents=_int("cap_cents", data["cap_cents"], 1),
        cap_shape=cap_shape,
        routes=routes,
        applicant_kinds=_str_tuple("applicant_kinds", data["applicant_kinds"], APPLICANT_KINDS),
        education_levels=_str_tuple("education_levels", data["education_levels"], EDUCATION_LEVELS),
        provider_kinds=_str_tuple("provider_kinds", data["provider_kinds"], PROVIDER_KINDS),
        priority_sectors=_str_tuple(
            "priority_sectors", data.get("priority_sectors", []), non_empty=False
        ),
        cofinancing=_cofinancing(data["cofinancing"], routes),
        voucher_validity_months=_int("voucher_validity_months", data["voucher_validity_months"], 1),
        # Awb 4:13 allows the ordinance to set the term; 0 would make every decision late.
        decision_term_weeks=_int("decision_term_weeks", data["decision_term_weeks"], 1),
        four_eyes_threshold_cents=_int(
            "four_eyes_threshold_cents", data["four_eyes_threshold_cents"], 0
        ),
        labour_market_test_required=_bool(
            "labour_market_test_required", data["labour_market_test_required"]
        ),
        first_come_first_served=fcfs,
        window_opens=window_opens,
        window_closes=window_closes,
        gap_allowed=_bool("gap_allowed", data.get("gap_allowed", False)),
        **_redemption(data),
    )


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """JSON-friendly dict (dates as ISO strings) that `policy_from_dict` reads back."""
    out: dict[str, Any] = {}
    for key in _FIELDS:
        value = getattr(policy, key)
        if value is None and key in _OPTIONAL:
            continue
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, tuple):
            out[key] = list(value)
        elif isinstance(value, MarketSignalThresholds):
            out[key] = {name: getattr(value, name) for name in _SIGNAL_KEYS}
        elif key == "cofinancing":
            out[key] = {
                route: {"min_share_percent": rule.min_share_percent, "payers": list(rule.payers)}
                for route, rule in policy.cofinancing.items()
            }
        else:
            out[key] = value
    return out


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


def load_policy(path: Path) -> Policy:
    """Read and validate a policy TOML file."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DomainError(
            "policy.invalid",
            f"{path.name} is geen geldige TOML: {exc}",
            f"{path.name} is not valid TOML: {exc}",
        ) from exc
    return policy_from_dict(data)
