"""Yearly conversation targets: loaded from the policy file, or set on screen."""

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from scholingsfonds.advising.models import ConversationTarget
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.periods import Period, check_sequence
from scholingsfonds.funds.models import Fund


def targets_load(*, path: Path) -> list[ConversationTarget]:
    """Yearly conversation targets from the file; a target changed on screen is kept."""
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    per_fund: dict[str, list[Period]] = {}
    for entry in data.get("target", []):
        per_fund.setdefault(entry["fund"], []).append(
            Period(
                f"{entry['fund']} {entry['year_from']}",
                date(int(entry["year_from"]), 1, 1),
                date(int(entry["year_to"]), 12, 31) if "year_to" in entry else None,
                bool(entry.get("gap_allowed", False)),
            )
        )
    for slug, periods in per_fund.items():
        check_sequence(periods, what_nl=f"de doelen van {slug}", what_en=f"the targets of {slug}")
    loaded = []
    with transaction.atomic():
        for entry in data.get("target", []):
            fund = Fund.objects.filter(slug=entry["fund"]).first()
            if fund is None:
                continue
            year_from = int(entry["year_from"])
            # Without year_to the target is open-ended: one row that continues (target_for).
            year_to = int(entry["year_to"]) if "year_to" in entry else year_from
            for year in range(year_from, year_to + 1):
                target, _ = ConversationTarget.objects.get_or_create(
                    fund=fund,
                    year=year,
                    defaults={
                        "conversations": int(entry["conversations_per_year"]),
                        "source": f"policies/advising/{path.name}",
                        "continues": "year_to" not in entry,
                    },
                )
                loaded.append(target)
    return loaded


def conversation_target_set(
    *, actor: Any, fund: Fund, year: int, conversations: int
) -> ConversationTarget:
    """Set a fund's target for a year (a management decision; audited)."""
    if conversations < 0 or not 2000 <= year <= 2100:
        raise DomainError("advising.invalid_target", "Ongeldig jaardoel.", "Invalid target.")
    with transaction.atomic():
        target = ConversationTarget.objects.select_for_update().filter(fund=fund, year=year).first()
        before = target.conversations if target else None
        if target is None:
            target = ConversationTarget(fund=fund, year=year)
        target.conversations = conversations
        target.source = f"ingesteld door {actor}"
        target.save()
        audit_record(
            actor=actor,
            action="conversation_target.set",
            obj=target,
            data={"year": year, "from": before, "to": conversations},
        )
    return target
