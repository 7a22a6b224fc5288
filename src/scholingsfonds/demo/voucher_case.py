"""One person from the short form to a granted voucher, for the providers' demo and the
Regio Deal history: applied, talked to, completed and granted on consecutive working days.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from scholingsfonds.accounts.models import User
from scholingsfonds.advising.services import (
    conversation_invite,
    conversation_record,
    labour_market_test_record,
)
from scholingsfonds.applications.services import (
    application_mark_complete,
    application_record_training,
    application_submit,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.terms import next_working_day_on_or_after
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services import decision_approve, decision_grant
from scholingsfonds.demo.dating import SUBMITTED_HOUR, at, dated
from scholingsfonds.demo.fakes import FIRST_NAMES, LAST_NAMES, POSTCODES
from scholingsfonds.funds.models import Fund, Occupation
from scholingsfonds.providers.models import Provider
from scholingsfonds.vouchers.models import Voucher


def voucher_case(
    *,
    fund: Fund,
    users: dict[str, User],
    provider: Provider,
    title: str,
    level: str,
    sector: str,
    isco: str,
    cost_cents: int,
    day: date,
    key: str,
    rng: random.Random,
    today: date | None = None,
    applicant_share_percent: int = 50,
) -> Voucher | None:
    """One person from the short form to a granted voucher: applied on `day`, the
    conversation the next working day, the grant the working day after. A step that would
    fall after today has not happened yet: the case stops there (None).
    """
    today = today or max(day, timezone.localdate())
    version = fund.policy_on(day)
    if version is None:
        return None
    municipality = rng.choice(list(version.municipalities()))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    advisor = users["adviseur.twente" if fund.slug == "twente" else "adviseur.sd"]
    talked = next_working_day_on_or_after(day + timedelta(days=1))
    decided = next_working_day_on_or_after(talked + timedelta(days=1))
    cofinancing = (
        [{"payer": "applicant", "amount_cents": cost_cents * applicant_share_percent // 100}]
        if applicant_share_percent
        else []
    )
    with transaction.atomic():
        with dated(day, hour=SUBMITTED_HOUR):
            application = application_submit(
                fund=fund,
                data={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first}.{last}.{key}".lower().replace(" ", "") + "@voorbeeld.nl",
                    "phone": "",
                    "birth_date": date(rng.randint(1965, 2003), rng.randint(1, 12), 15),
                    "postcode": f"{POSTCODES.get(municipality.cbs_code, '7500')} AB",
                    "municipality": municipality,
                    "work_status": rng.choice(["employee", "job_seeker", "zzp"]),
                    "education_level": rng.choice(["mbo12", "mbo34", "havo_vwo"]),
                    "career_route": rng.choice(["same_job", "other_sector", "to_work"]),
                    "question": f"Ik zag een advertentie van {provider.name}.",
                    "heard_via": "provider",
                },
                submission_key=f"demo-provider-{key}",
                today=day,
            )
        if talked > today:
            return None
        with dated(talked, hour=10):
            conversation = conversation_invite(
                application=application,
                actor=advisor,
                scheduled_at=at(talked, 10),
                location="phone",
            )
            conversation_record(
                conversation=conversation,
                actor=advisor,
                identity_checked=True,
                notes="Opleiding en financiering besproken.",
                outcome="voucher",
                held_at=at(talked, 11),
            )
            application_record_training(
                application=application,
                actor=advisor,
                training_title=title,
                training_level=level,
                training_sector=sector,
                provider=provider,
                cost_cents=cost_cents,
                cofinancing=cofinancing,
                bsn="",
                today=talked,
            )
            occupation = (
                Occupation.objects.filter(isco08=isco).first() or Occupation.objects.first()
            )
            labour_market_test_record(
                application=application,
                actor=advisor,
                occupation=occupation,
                motivation="Vraag naar vakmensen in de regio volgens de opleider.",
                today=talked,
            )
            application_mark_complete(application=application, actor=advisor, today=talked)
    if decided > today:
        return None
    try:
        with transaction.atomic(), dated(decided, hour=14):
            decision = decision_grant(
                application=application, actor=users["beoordelaar1"], today=decided
            )
            if decision.status == Decision.Status.PROPOSED:
                decision_approve(decision=decision, actor=users["beoordelaar2"], today=decided)
    except DomainError:
        return None  # the ceiling or the course cap: the case stays complete
    application.refresh_from_db()
    return getattr(application, "voucher", None)
