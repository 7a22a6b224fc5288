"""The facts of a case for the assessment's allowed actions (applications/domain/actions.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from scholingsfonds.applications.domain import actions as case
from scholingsfonds.applications.models import Application
from scholingsfonds.core.domain.actions import Action
from scholingsfonds.core.permissions import is_staff_of
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.selectors import proposed_amount_cents


def case_facts(application: Application, user: Any, today: date | None = None) -> case.CaseFacts:
    today = today or timezone.localdate()
    proposal = (
        Decision.objects.filter(application=application, status=Decision.Status.PROPOSED)
        .values_list("pk", "proposed_by_id")
        .first()
        if application.state == case.AWAITING_SECOND_APPROVAL
        else None
    )
    hearing = application.hearings.filter(closed_on__isnull=True).first()
    # The amount only matters where a grant can be asked; it takes the rules' facts to know.
    above = False
    if application.state in case.DECIDABLE and application.cost_cents:
        threshold = application.policy_version.policy.four_eyes_threshold_cents
        above = proposed_amount_cents(application, today) > threshold
    pk = getattr(user, "pk", None)
    return case.CaseFacts(
        staff_of_fund=is_staff_of(user, application.fund),
        above_four_eyes_threshold=above,
        has_proposal=proposal is not None,
        proposed_by_actor=proposal is not None and pk is not None and proposal[1] == pk,
        open_hearing=hearing is not None,
        hearing_term_over=hearing is not None
        and (today > hearing.deadline or hearing.responded_on is not None),
    )


def case_actions(application: Application, user: Any) -> list[Action]:
    """Every assessment action on this application for this person, allowed or not."""
    role = getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""
    return case.allowed_actions(application.state, role, case_facts(application, user))
