"""Reads for occupations: the lists of promising occupations per region, and what an
uploaded file would change."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from scholingsfonds.advising.domain.occupations import OccupationRow, ParsedList
from scholingsfonds.advising.models import OccupationImport
from scholingsfonds.applications.models import Application
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.models import Occupation, PromisingOccupationList


def all_occupations() -> QuerySet[Occupation]:
    return Occupation.objects.all()


def promising_in_force(region_name: str, day: date) -> PromisingOccupationList | None:
    return PromisingOccupationList.in_force(region_name, day)


def promising_ids(application: Application, today: date | None = None) -> list[int]:
    """The occupations on the application's region's list in force today."""
    promising = promising_in_force(
        application.policy_version.policy.region_name, today or timezone.localdate()
    )
    return list(promising.occupations.values_list("pk", flat=True)) if promising else []


def occupations_marked(
    in_force: PromisingOccupationList | None,
) -> list[tuple[Occupation, bool]]:
    """Every occupation, and whether it is on the list in force."""
    promising = set(in_force.occupations.values_list("pk", flat=True)) if in_force else set()
    return [(o, o.pk in promising) for o in Occupation.objects.all()]


def list_history(region_name: str) -> QuerySet[PromisingOccupationList]:
    """The region's lists, latest first."""
    return PromisingOccupationList.objects.filter(region_name=region_name).order_by("-valid_from")


def recent_imports(region_name: str) -> QuerySet[OccupationImport]:
    return OccupationImport.objects.filter(region_name=region_name).select_related("uploaded_by")[
        :20
    ]


def promising_list_by_pk(pk: int) -> PromisingOccupationList | None:
    return PromisingOccupationList.objects.filter(pk=pk).first()


def list_occupations(promising_list: PromisingOccupationList) -> QuerySet[Occupation]:
    return promising_list.occupations.order_by("title_nl")


def list_size(promising_list: PromisingOccupationList) -> int:
    return promising_list.occupations.count()


def occupation_import_by_pk(pk: int) -> OccupationImport | None:
    return OccupationImport.objects.filter(pk=pk).first()


# --- what an uploaded file would change -------------------------------------------------------


def check_occupation_history(region_name: str, valid_from: date) -> None:
    """A new list starts after every list of the region: history is never rewritten."""
    later = PromisingOccupationList.objects.filter(
        region_name=region_name, valid_from__gte=valid_from
    ).first()
    if later is not None:
        raise DomainError(
            "occupations.history_fixed",
            f"Er is al een lijst voor {region_name} vanaf {later.valid_from:%d-%m-%Y}. "
            "Kies een latere startdatum: de geschiedenis blijft zoals die was.",
            f"A list for {region_name} from {later.valid_from} exists; choose a later date.",
        )


def occupation_values(row: OccupationRow, existing: Occupation | None) -> dict[str, str]:
    """The occupation's fields after the row; what the file does not say stays as it was."""

    def keep(value: str | None, field: str, default: str) -> str:
        if value is not None:
            return value
        return getattr(existing, field) if existing is not None else default

    return {
        "title_nl": row.title_nl,
        "title_en": keep(row.title_en, "title_en", row.title_nl),
        "shortage_class": keep(row.shortage_class, "shortage_class", ""),
        "priority_sector": keep(row.sector, "priority_sector", ""),
    }


def occupation_import_report(
    parsed: ParsedList, region_name: str, valid_from: date
) -> dict[str, Any]:
    """What applying the file would change, for the preview."""
    known = {o.isco08: o for o in Occupation.objects.all()}
    current = PromisingOccupationList.in_force(region_name, valid_from)
    current_codes = set(current.occupations.values_list("isco08", flat=True)) if current else set()
    accepted = []
    for row in parsed.rows:
        existing = known.get(row.code)
        values = occupation_values(row, existing)
        changes = []
        if existing is not None:
            for label, field in (
                ("titel", "title_nl"),
                ("titel (Engels)", "title_en"),
                ("tekortklasse", "shortage_class"),
                ("sector", "priority_sector"),
            ):
                old, new = getattr(existing, field), values[field]
                if old != new:
                    changes.append(f"{label}: {old or '–'} → {new or '–'}")
        accepted.append(
            {
                "line": row.line,
                "code": row.code,
                "title_nl": row.title_nl,
                "shortage_class": values["shortage_class"],
                "sector": values["priority_sector"],
                "promising": row.promising,
                "change": "new" if existing is None else ("changed" if changes else "same"),
                "changes": changes,
            }
        )
    promising = {row.code for row in parsed.rows if row.promising}
    return {
        "accepted": accepted,
        "rejected": [
            {"line": r.line, "text": r.text, "reason_nl": r.reason_nl, "reason_en": r.reason_en}
            for r in parsed.rejected
        ],
        "added": sorted(promising - current_codes),
        "removed": sorted(current_codes - promising),
        "current_list": str(current) if current else "",
        "promising_count": len(promising),
    }
