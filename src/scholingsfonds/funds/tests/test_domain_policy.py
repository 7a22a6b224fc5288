import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.domain.policy import (
    CofinancingRule,
    load_policy,
    policy_from_dict,
    policy_to_dict,
)

POLICIES = Path(__file__).resolve().parents[4] / "policies"
# The municipality list the app ships (a copy of the shared reference data).
MUNICIPALITIES_CSV = Path(__file__).resolve().parents[1] / "data" / "municipalities.csv"


def _raw(name: str) -> dict[str, Any]:
    with (POLICIES / name).open("rb") as fh:
        return tomllib.load(fh)


def _csv_codes(region: str) -> set[str]:
    rows = MUNICIPALITIES_CSV.read_text(encoding="utf-8").splitlines()[1:]
    return {r.split(",")[0] for r in rows if r.split(",")[2] == region}


def test_both_policy_files_parse() -> None:
    # Policy files are named <slug>-<period>.toml; funds.toml is the list of funds, not a policy.
    files = sorted(POLICIES.glob("*-*.toml"))
    assert {f.name for f in files} >= {"twente-2023.toml", "stedendriehoek-2020.toml"}
    for f in files:
        load_policy(f)


def test_twente_policy_has_the_business_plan_rules() -> None:
    p = load_policy(POLICIES / "twente-2023.toml")
    assert p.fund_slug == "twente"
    assert (p.valid_from, p.valid_to) == (date(2023, 1, 1), date(2026, 12, 31))
    assert len(p.municipalities) == 14
    assert set(p.municipalities) == _csv_codes("Twente")
    assert (p.cap_cents, p.cap_shape) == (250000, "per_person_per_year")
    assert p.cofinancing["individual"] == CofinancingRule(
        50, ("employer", "benefits_agency", "oo_fund", "applicant")
    )
    assert p.cofinancing["employer"].min_share_percent == 50
    assert p.labour_market_test_required and not p.first_come_first_served
    assert p.four_eyes_threshold_cents == 200000
    assert "crkbo" not in p.provider_kinds


def test_stedendriehoek_policy_requires_cofinancing_only_in_employer_route() -> None:
    p = load_policy(POLICIES / "stedendriehoek-2020.toml")
    assert set(p.municipalities) == _csv_codes("Stedendriehoek")
    assert len(p.municipalities) == 8
    assert p.cap_shape == "per_voucher"
    assert p.cofinancing["individual"].min_share_percent == 0
    assert p.cofinancing["employer"] == CofinancingRule(50, ("employer",))
    assert p.priority_sectors == ("technical",)


def test_policy_survives_a_round_trip_through_a_json_friendly_dict() -> None:
    p = load_policy(POLICIES / "twente-2023.toml")
    assert policy_from_dict(policy_to_dict(p)) == p


def test_missing_key_is_reported_by_name() -> None:
    data = _raw("twente-2023.toml")
    del data["cap_cents"]
    with pytest.raises(DomainError) as info:
        policy_from_dict(data)
    assert info.value.code == "policy.invalid"
    assert "cap_cents" in info.value.message_nl


def test_unknown_key_is_refused_to_catch_typos() -> None:
    data = _raw("twente-2023.toml") | {"cap_cent": 1}
    with pytest.raises(DomainError, match="cap_cent"):
        policy_from_dict(data)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("cap_cents", "2500"),
        ("cap_cents", 2500.0),
        ("cap_cents", True),
        ("minimum_age", -1),
        ("cap_shape", "per_month"),
        ("routes", ["individual", "lottery"]),
        ("municipalities", ["0153"]),
        ("valid_from", "first of January"),
        ("labour_market_test_required", "yes"),
        ("provider_kinds", ["ocw", "crkbo"]),
        ("applicant_kinds", []),
        ("education_levels", ["mbo4", "mbo4"]),
        ("valid_to", "2022-12-31"),
    ],
)
def test_wrong_values_are_refused_with_policy_invalid(key: str, value: object) -> None:
    data = _raw("twente-2023.toml") | {key: value}
    with pytest.raises(DomainError) as info:
        policy_from_dict(data)
    assert info.value.code == "policy.invalid"
    assert key in info.value.message_nl


def test_crkbo_is_refused_with_an_explanation() -> None:
    data = _raw("twente-2023.toml") | {"provider_kinds": ["crkbo"]}
    with pytest.raises(DomainError, match="btw-register"):
        policy_from_dict(data)


def test_every_route_needs_an_explicit_cofinancing_rule() -> None:
    data = _raw("twente-2023.toml")
    del data["cofinancing"]["employer"]
    with pytest.raises(DomainError, match="cofinancing.employer"):
        policy_from_dict(data)


def test_cofinancing_share_above_hundred_percent_is_refused() -> None:
    data = _raw("twente-2023.toml")
    data["cofinancing"]["individual"]["min_share_percent"] = 101
    with pytest.raises(DomainError, match="min_share_percent"):
        policy_from_dict(data)


def test_cofinancing_share_without_payers_is_refused() -> None:
    data = _raw("twente-2023.toml")
    data["cofinancing"]["individual"]["payers"] = []
    with pytest.raises(DomainError, match="payers"):
        policy_from_dict(data)


def test_open_ended_policy_is_valid_on_any_later_date() -> None:
    data = _raw("twente-2023.toml")
    del data["valid_to"]
    p = policy_from_dict(data)
    assert p.valid_to is None
    assert p.is_valid_on(date(2099, 1, 1))
    assert not p.is_valid_on(date(2022, 12, 31))


def test_broken_toml_file_gives_policy_invalid(tmp_path: Path) -> None:
    f = tmp_path / "broken.toml"
    f.write_text("fund_slug = ", encoding="utf-8")
    with pytest.raises(DomainError) as info:
        load_policy(f)
    assert info.value.code == "policy.invalid"
