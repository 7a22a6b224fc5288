"""Occupations: the arbeidsmarkttoets of an application, and the import of a region's list of
promising occupations (preview, apply, discard)."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from scholingsfonds.advising.domain.occupations import parse_occupations_csv
from scholingsfonds.advising.models import LabourMarketTest, OccupationImport
from scholingsfonds.advising.selectors.occupations import (
    check_occupation_history,
    occupation_import_report,
    occupation_values,
)
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import application_evaluate
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.models import Occupation, PromisingOccupationList

# --- the labour-market test -------------------------------------------------------------------


def labour_market_test_record(
    *,
    application: Application,
    actor: Any,
    occupation: Occupation,
    motivation: str = "",
    today: date | None = None,
) -> LabourMarketTest:
    """Ordinance art. 4: on the region's promising list at that date, or motivated."""
    today = today or timezone.localdate()
    region = application.policy_version.policy.region_name
    promising = PromisingOccupationList.in_force(region, today)
    on_list = bool(promising and promising.occupations.filter(pk=occupation.pk).exists())
    if on_list:
        result = LabourMarketTest.Result.LISTED
    elif motivation.strip():
        result = LabourMarketTest.Result.MOTIVATED
    else:
        result = LabourMarketTest.Result.FAILED
    with transaction.atomic():
        test, _ = LabourMarketTest.objects.update_or_create(
            application=application,
            defaults={
                "occupation": occupation,
                "tested_on": today,
                "promising_list": promising,
                "on_list": on_list,
                "motivation": motivation.strip(),
                "result": result,
                "advisor": actor,
                # As it was on the test date; a later import does not rewrite the test.
                "occupation_code": occupation.isco08,
                "occupation_title": occupation.title_nl,
                "occupation_shortage_class": occupation.shortage_class,
                "list_source": promising.source if promising else "",
                "list_valid_from": promising.valid_from if promising else None,
            },
        )
        application.target_occupation = occupation
        application.save(update_fields=["target_occupation"])
        application.labour_market_test = test
        application_evaluate(application=application, today=today)
        audit_record(
            actor=actor,
            action="labour_market_test.recorded",
            obj=application,
            data={
                "occupation": occupation.isco08,
                "result": result,
                "list": str(promising) if promising else None,
            },
        )
    return test


# --- the occupation list ----------------------------------------------------------------------


def occupation_import_preview(
    *,
    actor: Any,
    region_name: str,
    valid_from: date,
    source: str,
    file_name: str,
    content: str,
) -> OccupationImport:
    """Read the file, check every row, and keep it with its report until it is applied."""
    check_occupation_history(region_name, valid_from)
    parsed = parse_occupations_csv(content)
    with transaction.atomic():
        upload = OccupationImport.objects.create(
            region_name=region_name,
            valid_from=valid_from,
            source=source.strip(),
            file_name=file_name[:200],
            content=content,
            uploaded_by=actor,
            report=occupation_import_report(parsed, region_name, valid_from),
        )
        audit_record(
            actor=actor,
            action="occupations.import_previewed",
            obj=upload,
            data={"accepted": len(parsed.rows), "rejected": len(parsed.rejected)},
        )
    return upload


def occupation_import_apply(*, upload: OccupationImport, actor: Any) -> PromisingOccupationList:
    """Update the occupations and start a new list; the list before it ends the day before."""
    with transaction.atomic():
        locked = OccupationImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != OccupationImport.Status.PREVIEW:
            raise DomainError(
                "occupations.import_done",
                "Dit bestand is al verwerkt of afgewezen.",
                "This file was already applied or discarded.",
            )
        check_occupation_history(locked.region_name, locked.valid_from)
        parsed = parse_occupations_csv(locked.content)
        report = occupation_import_report(parsed, locked.region_name, locked.valid_from)
        known = {o.isco08: o for o in Occupation.objects.select_for_update()}
        for row in parsed.rows:
            Occupation.objects.update_or_create(
                isco08=row.code, defaults=occupation_values(row, known.get(row.code))
            )
        # History is kept: earlier lists are closed, never changed, so a past test shows the
        # list as it was (the test points at its list).
        day_before = locked.valid_from - timedelta(days=1)
        PromisingOccupationList.objects.filter(region_name=locked.region_name).filter(
            valid_to__isnull=True
        ).update(valid_to=day_before)
        PromisingOccupationList.objects.filter(
            region_name=locked.region_name, valid_to__gte=locked.valid_from
        ).update(valid_to=day_before)
        new_list = PromisingOccupationList.objects.create(
            region_name=locked.region_name,
            valid_from=locked.valid_from,
            source=locked.source or locked.file_name,
            is_demo=False,
        )
        codes = [row.code for row in parsed.rows if row.promising]
        new_list.occupations.set(Occupation.objects.filter(isco08__in=codes))
        locked.status = OccupationImport.Status.APPLIED
        locked.applied_by = actor
        locked.applied_at = timezone.now()
        locked.promising_list = new_list
        locked.report = report
        locked.save()
        audit_record(
            actor=actor,
            action="occupations.import_applied",
            obj=locked,
            data={
                "list": new_list.pk,
                "promising": len(codes),
                "added": report["added"],
                "removed": report["removed"],
                "changed": [r["code"] for r in report["accepted"] if r["change"] == "changed"],
            },
        )
    upload.refresh_from_db()
    return new_list


def occupation_import_discard(*, upload: OccupationImport, actor: Any) -> OccupationImport:
    """Do not apply the file (it stays on record with its report)."""
    with transaction.atomic():
        locked = OccupationImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != OccupationImport.Status.PREVIEW:
            raise DomainError(
                "occupations.import_done",
                "Dit bestand is al verwerkt of afgewezen.",
                "This file was already applied or discarded.",
            )
        locked.status = OccupationImport.Status.DISCARDED
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="occupations.import_discarded", obj=locked)
    upload.refresh_from_db()
    return upload
