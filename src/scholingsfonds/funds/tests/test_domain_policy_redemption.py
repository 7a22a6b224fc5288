"""The optional redemption, payment and market-signal keys of a policy file."""

import tomllib
from pathlib import Path
from typing import Any

import pytest

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.domain.policy import MarketSignalThresholds, price_ceiling_cents
from scholingsfonds.funds.domain.policy_file import load_policy, policy_from_dict, policy_to_dict

POLICIES = Path(__file__).resolve().parents[4] / "policies"


def _raw(name: str) -> dict[str, Any]:
    with (POLICIES / name).open("rb") as fh:
        return tomllib.load(fh)


def _without_redemption_keys(data: dict[str, Any]) -> dict[str, Any]:
    keys = {
        "payment_moment",
        "advance_percent",
        "attendance_threshold_percent",
        "completion_evidence",
        "course_voucher_cap",
        "expiry_reminder_days",
        "market_signals",
    }
    return {k: v for k, v in data.items() if k not in keys}


def test_a_policy_without_the_new_keys_gets_the_defaults() -> None:
    policy = policy_from_dict(_without_redemption_keys(_raw("twente-2023.toml")))
    assert policy.payment_moment == "after_completion"
    assert policy.attendance_threshold_percent == 80
    assert policy.completion_evidence == ("attendance", "certificate")
    assert policy.course_voucher_cap == 300
    assert policy.expiry_reminder_days == (30, 7)
    assert policy.market_signals == MarketSignalThresholds()


def test_the_window_fund_pays_an_advance_at_the_start_as_stap_did() -> None:
    policy = load_policy(POLICIES / "leerbudget-2026.toml")
    assert policy.payment_moment == "advance_at_start"
    assert policy.advance_percent == 100


def test_twente_states_its_market_signal_thresholds() -> None:
    policy = load_policy(POLICIES / "twente-2023.toml")
    assert policy.market_signals.top_providers == 3
    assert policy.market_signals.short_course_hours == 16


def test_new_keys_survive_the_json_round_trip() -> None:
    for name in ("twente-2023.toml", "leerbudget-2026.toml", "stedendriehoek-2020.toml"):
        policy = load_policy(POLICIES / name)
        assert policy_from_dict(policy_to_dict(policy)) == policy


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("payment_moment", "on_invoice"),
        ("advance_percent", 0),
        ("advance_percent", 120),
        ("attendance_threshold_percent", 0),
        ("completion_evidence", ["diploma"]),
        ("completion_evidence", []),
        ("course_voucher_cap", -1),
        ("expiry_reminder_days", [7, 7]),
        ("expiry_reminder_days", "30"),
        ("market_signals", {"top_provider": 3}),
        ("market_signals", {"no_show_percent": 0}),
        ("market_signals", {"burst_days": True}),
        ("market_signals", []),
    ],
)
def test_wrong_redemption_values_are_refused(key: str, value: object) -> None:
    data = _raw("twente-2023.toml")
    data[key] = value
    with pytest.raises(DomainError) as error:
        policy_from_dict(data)
    assert error.value.code == "policy.invalid"


def test_reminder_days_are_kept_from_far_to_near() -> None:
    data = _raw("twente-2023.toml")
    data["expiry_reminder_days"] = [7, 60, 30]
    assert policy_from_dict(data).expiry_reminder_days == (60, 30, 7)


def test_price_ceiling_is_where_the_funds_part_reaches_the_cap() -> None:
    twente = load_policy(POLICIES / "twente-2023.toml")
    stedendriehoek = load_policy(POLICIES / "stedendriehoek-2020.toml")
    assert price_ceiling_cents(twente) == 500_000  # 50 % co-financing, EUR 2,500 cap
    assert price_ceiling_cents(stedendriehoek) == 250_000  # no co-financing individually
    assert price_ceiling_cents(stedendriehoek, "employer") == 500_000
