import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.domain.policy import CofinancingRule
from scholingsfonds.funds.domain.policy_file import load_policy, policy_from_dict, policy_to_dict

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


# --- messages that name the file, the key and what was expected ---------------------------------


def _bad_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (POLICIES / "twente-2027.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "twente-2027.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_bad_file_is_named_with_the_dotted_key_and_the_expected_value(tmp_path: Path) -> None:
    path = _bad_copy(tmp_path, "min_share_percent = 50", 'min_share_percent = "abc"')
    with pytest.raises(DomainError) as info:
        load_policy(path)
    assert info.value.code == "policy.invalid"
    assert info.value.message_en == (
        f"{path.as_posix()}: cofinancing.individual.min_share_percent: "
        'expected an integer percentage 0..100, got "abc"'
    )
    assert info.value.message_nl == (
        f"{path.as_posix()}: cofinancing.individual.min_share_percent: "
        'verwacht een geheel percentage 0..100, niet "abc"'
    )


def test_a_file_inside_the_working_directory_is_named_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bad_copy(tmp_path, "cap_cents = 250000", "cap_cents = 0")
    monkeypatch.chdir(tmp_path.parent)
    with pytest.raises(DomainError) as info:
        load_policy(Path(tmp_path.name) / "twente-2027.toml")
    assert info.value.message_en == (
        f"{tmp_path.name}/twente-2027.toml: cap_cents: "
        "expected an amount in whole cents, at least 1, got 0"
    )


def test_every_problem_of_a_file_gets_its_own_line(tmp_path: Path) -> None:
    path = _bad_copy(tmp_path, "minimum_age = 18", 'minimum_age = 18\ncolour = "red"')
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["routes"] = ["individual", "lottery"]
    del data["cap_cents"]
    with pytest.raises(DomainError) as info:
        policy_from_dict(data, source="policies/twente-2027.toml")
    assert info.value.message_en.splitlines() == [
        "policies/twente-2027.toml: cap_cents: is missing "
        "(expected an amount in whole cents, at least 1)",
        "policies/twente-2027.toml: routes: expected a list of one or more of: "
        'individual, employer (each once), got ["individual", "lottery"]',
        "policies/twente-2027.toml: colour: unknown key (typo?)",
    ]


def test_a_rule_across_keys_names_the_key_it_refuses(tmp_path: Path) -> None:
    path = _bad_copy(tmp_path, "valid_from = 2027-01-01", "valid_from = 2028-01-01")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["valid_to"] = "2027-06-30"
    with pytest.raises(DomainError) as info:
        policy_from_dict(data, source="policies/twente-2027.toml")
    assert info.value.message_en == (
        "policies/twente-2027.toml: valid_to: "
        'expected a date on or after valid_from (2028-01-01), got "2027-06-30"'
    )


def test_a_missing_cofinancing_route_names_its_table() -> None:
    data = _raw("twente-2023.toml")
    del data["cofinancing"]["employer"]
    with pytest.raises(DomainError) as info:
        policy_from_dict(data)
    assert info.value.message_en == (
        "Invalid policy: cofinancing.employer: is missing (expected a table with "
        "min_share_percent and payers (state 0 % explicitly too))"
    )


def test_a_broken_toml_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("fund_slug = ", encoding="utf-8")
    with pytest.raises(DomainError) as info:
        load_policy(path)
    assert f"{path.as_posix()} is not valid TOML" in info.value.message_en
