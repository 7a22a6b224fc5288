"""Loading funds, policy versions, the region and the occupation list from files."""

import csv
import tomllib
from datetime import date
from pathlib import Path

from django.db import transaction

from scholingsfonds.core.domain.periods import Period, check_sequence
from scholingsfonds.funds.domain.policy import Policy
from scholingsfonds.funds.domain.policy_file import read_policy
from scholingsfonds.funds.models import (
    Fund,
    Municipality,
    Occupation,
    PolicyVersion,
    PromisingOccupationList,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_LIST_SOURCE = "Demolijst (illustratief, niet de UWV-lijst)"


def reference_data_load() -> None:
    """Municipalities and occupations shipped with the app (copied from the shared data)."""
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Municipality.objects.update_or_create(
                cbs_code=row["cbs_code"],
                defaults={
                    "name": row["name"],
                    "region": row["region"],
                    "province": row["province"],
                },
            )
    with (DATA_DIR / "occupations-demo.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        # Create only: titles maintained through the occupation import are never overwritten.
        Occupation.objects.get_or_create(
            isco08=row["isco08"],
            defaults={
                "title_nl": row["title_nl"],
                "title_en": row["title_en"],
                "shortage_class": row["shortage_class"],
                "priority_sector": row["priority_sector"],
            },
        )
    for region, column in (
        ("Twente", "demo_promising_twente"),
        ("Stedendriehoek", "demo_promising_stedendriehoek"),
    ):
        promising, created = PromisingOccupationList.objects.get_or_create(
            region_name=region,
            source=DEMO_LIST_SOURCE,
            defaults={"valid_from": date(2020, 1, 1), "is_demo": True},
        )
        if created:
            # A list in force is history once replaced: it is never changed afterwards.
            codes = [row["isco08"] for row in rows if row[column].strip().lower() == "yes"]
            promising.occupations.set(Occupation.objects.filter(isco08__in=codes))


def policies_load(*, directory: Path) -> list[PolicyVersion]:
    """Create or update every fund and policy version described in `directory`."""
    loaded: list[PolicyVersion] = []
    with transaction.atomic():
        reference_data_load()
        funds_file = directory / "funds.toml"
        for entry in tomllib.loads(funds_file.read_text(encoding="utf-8"))["fund"]:
            Fund.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    key: entry[key]
                    for key in (
                        "name",
                        "short_name",
                        "region_name",
                        "reference_prefix",
                        "contact_email",
                        "intro_nl",
                    )
                }
                | {"intro_en": entry.get("intro_en", "")},
            )
        parsed = []
        for path in sorted(directory.glob("*.toml")):
            if path.name == "funds.toml":
                continue
            # Refuses a malformed file, naming it, before anything is saved.
            data, policy = read_policy(path)
            parsed.append((path, data, policy))
        check_policy_periods([(path.name, policy) for path, _, policy in parsed])
        for path, data, policy in parsed:
            fund = Fund.objects.get(slug=policy.fund_slug)
            version, _ = PolicyVersion.objects.update_or_create(
                version=f"{policy.fund_slug}-{policy.version}",
                defaults={
                    "fund": fund,
                    "valid_from": policy.valid_from,
                    "valid_to": policy.valid_to,
                    "data": _jsonable(data),
                    "source_file": path.name,
                },
            )
            loaded.append(version)
    return loaded


def check_policy_periods(policies: list[tuple[str, Policy]]) -> None:
    """Refuse (DomainError) a fund whose policy files overlap or leave a gap between them."""
    by_fund: dict[str, list[Period]] = {}
    for file_name, policy in policies:
        by_fund.setdefault(policy.fund_slug, []).append(
            Period(file_name, policy.valid_from, policy.valid_to, policy.gap_allowed)
        )
    for slug, periods in by_fund.items():
        check_sequence(periods, what_nl=f"het beleid van {slug}", what_en=f"the policy of {slug}")


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
