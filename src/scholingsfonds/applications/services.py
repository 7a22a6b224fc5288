"""Writes for applications: submit, evaluate the rules, move through the process."""

import secrets
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.accounts.models import Role, User
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.domain.eligibility import CofinancingPart, Facts, evaluate
from scholingsfonds.applications.models import Application, RepairRequest
from scholingsfonds.core.audit import audit_event, audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.terms import decision_due_date, repair_deadline
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.employers.models import Employer
from scholingsfonds.funds.models import Fund

SHORT_FORM_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "postcode",
    "municipality",
    "work_status",
    "education_level",
    "career_route",
    "question",
    "heard_via",
    "gender",
    "migration_background",
)


def _applicant_user(*, email: str, first_name: str, last_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    user = User(
        username=f"a-{secrets.token_hex(6)}",
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        role=Role.APPLICANT,
    )
    user.set_unusable_password()  # applicants log in with a one-time e-mail link
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The same person's other submission created the account at the same moment.
        return User.objects.get(email__iexact=email)
    return user


def cofinancing_part(part: dict[str, Any]) -> dict[str, Any]:
    """One co-financing part as stored: payer, amount and, for an employer, its name."""
    stored: dict[str, Any] = {"payer": part["payer"], "amount_cents": int(part["amount_cents"])}
    name = " ".join(str(part.get("employer_name") or "").split())
    if part["payer"] == "employer" and name:
        stored["employer_name"] = name[:120]
    return stored


def applicant_account_for(email: str) -> User:
    """The person's account for this address, made when it is new (names come with a form)."""
    return _applicant_user(email=email, first_name="", last_name="")


def _next_reference(fund: Fund, application: Application) -> str:
    return f"{fund.reference_prefix}-{application.submitted_at:%Y}-{application.pk:06d}"


def application_submit(
    *,
    fund: Fund,
    data: dict[str, Any],
    submission_key: str,
    actor: Any = None,
    route: str = "individual",
    employer: Employer | None = None,
    employer_contribution_percent: int | None = None,
    today: date | None = None,
    extra_fields: dict[str, Any] | None = None,
    completed_by_caller: bool = False,
    policy_version: Any = None,
    applicant: User | None = None,
    audit_into: list[AuditEvent] | None = None,
) -> Application:
    """Receive a short form; a replay with the same submission key returns the first one.

    `extra_fields` (training, provider, cost) are stored with the form when a window's form
    asks them. `completed_by_caller=True` leaves evaluating the rules and saving the
    reference to the caller, which has every fact and saves the application once more in
    the same transaction anyway. `applicant` is the person's account when the caller already
    holds it (a logged-in applicant applying for themselves), so it is not looked up again.
    `audit_into` collects the audit event for the caller to write with its own (`audit_save`).
    """
    if policy_version is None:
        # A caller that passes the policy version (a window) has done these checks itself.
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing is None:
            existing = _same_form_sent_again(fund, data, route, employer)
        if existing is not None:
            return existing
    submitted_at = timezone.now()
    if today is not None and today != timezone.localdate():
        # Backdated submissions (demo data, imports) keep their own day.
        submitted_at = timezone.make_aware(datetime.combine(today, time(10, 0)))
    today = today or timezone.localdate()
    policy_version = policy_version or fund.policy_on(today)
    if policy_version is None:
        raise DomainError(
            "application.no_policy",
            "Het fonds neemt op dit moment geen aanvragen aan.",
            "The fund does not accept applications at the moment.",
        )
    if completed_by_caller and not transaction.get_connection().in_atomic_block:
        # Otherwise an application without its reference could be committed.
        raise RuntimeError("completed_by_caller needs the caller's transaction")
    on_behalf = actor if getattr(actor, "is_fund_staff", False) else None
    try:
        with transaction.atomic():
            applicant = applicant or _applicant_user(
                email=data["email"], first_name=data["first_name"], last_name=data["last_name"]
            )
            application = Application(
                fund=fund,
                policy_version=policy_version,
                reference=f"tmp-{secrets.token_hex(8)}",
                route=route,
                submitted_at=submitted_at,
                submission_key=submission_key,
                applicant=applicant,
                submitted_on_behalf_by=on_behalf,
                employer=employer,
                employer_contribution_percent=employer_contribution_percent,
                **{field: data.get(field) or _blank(field) for field in SHORT_FORM_FIELDS},
                **(extra_fields or {}),
            )
            application.save()
            # A new application has no labour-market test yet: known, so not asked of the
            # database when its facts are gathered.
            Application.labour_market_test.related.set_cached_value(application, None)
            application.reference = _next_reference(fund, application)
            if not completed_by_caller:
                _evaluate_into(application, today)
                application.save(update_fields=["reference", "rule_outcomes", "rules_evaluated_on"])
            submitted = audit_event(
                actor=actor,
                action="application.submitted",
                obj=application,
                to_state=application.state,
                reason="ingevuld namens de aanvrager" if on_behalf else "",
            )
            if audit_into is None:
                submitted.save()
            else:
                audit_into.append(submitted)
            transaction.on_commit(lambda: _enqueue_receipt(application.pk))
    except IntegrityError:
        # Two identical submissions raced: the unique key lets exactly one through.
        return Application.objects.get(submission_key=submission_key)
    return application


def _same_form_sent_again(
    fund: Fund, data: dict[str, Any], route: str, employer: Employer | None
) -> Application | None:
    """The same form sent again (back button, reload) within a day is the same application."""
    return (
        Application.objects.filter(
            fund=fund,
            route=route,
            employer=employer,
            email__iexact=data.get("email", ""),
            question=data.get("question", ""),
            state=states.SUBMITTED,
            submitted_at__gte=timezone.now() - timedelta(days=1),
        )
        .order_by("id")
        .first()
    )


def _blank(field: str) -> Any:
    return None if field in {"municipality", "birth_date"} else ""


def employer_applications_submit(
    *,
    fund: Fund,
    employer_data: dict[str, Any],
    employees: Sequence[dict[str, Any]],
    contribution_percent: int,
    submission_key: str,
    actor: Any = None,
    today: date | None = None,
) -> list[Application]:
    """The employer route: one application per employee, with the employer's contribution."""
    with transaction.atomic():
        employer, _ = Employer.objects.update_or_create(
            kvk_number=employer_data["kvk_number"],
            defaults={
                key: employer_data[key]
                for key in ("name", "municipality", "contact_name", "email", "phone")
            },
        )
        contact = _applicant_user(
            email=employer_data["email"], first_name=employer_data["contact_name"], last_name=""
        )
        if contact.role == Role.APPLICANT and not contact.applications.exists():
            contact.role = Role.EMPLOYER
            contact.save(update_fields=["role"])
        employer.users.add(contact)
        applications = [
            application_submit(
                fund=fund,
                data=employee,
                submission_key=f"{submission_key}-{index}",
                actor=actor,
                route="employer",
                employer=employer,
                employer_contribution_percent=contribution_percent,
                today=today,
            )
            for index, employee in enumerate(employees)
        ]
        audit_record(
            actor=actor,
            action="employer.applied",
            obj=employer,
            data={"applications": [a.reference for a in applications]},
        )
    return applications


def _enqueue_receipt(application_id: int) -> None:
    # The worker renders and sends the mail: the person's request does not wait for it.
    from scholingsfonds.applications.tasks import send_receipt

    send_receipt.enqueue(application_id)


def mail_receipt(application_id: int) -> None:
    application = Application.objects.select_related("fund").get(pk=application_id)
    context = {
        "application": application,
        "link": settings.SITE_URL + reverse("accounts:request_link"),
    }
    send_mail(
        f"Ontvangstbevestiging {application.reference} - {application.fund.name}",
        render_to_string("applications/email/receipt.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [application.email],
    )


def granted_this_year_cents(application: Application, year: int) -> int:
    """Money granted to this person by this fund in a calendar year, net of releases."""
    from django.apps import apps  # higher layer read for the per-year cap; no write

    voucher_model = apps.get_model("vouchers", "Voucher")
    sums = (
        voucher_model.objects.filter(
            fund=application.fund,
            application__applicant=application.applicant,
            issued_on__year=year,
        )
        .exclude(application=application)
        .aggregate(granted=Sum("amount_cents"), released=Sum("released_cents"))
    )
    return int(sums["granted"] or 0) - int(sums["released"] or 0)


def application_facts(application: Application, today: date) -> Facts:
    test = getattr(application, "labour_market_test", None)
    employer_code = application.employer.municipality.cbs_code if application.employer else None
    return Facts(
        # The day of receipt in the Netherlands: at 00:30 on 1 January it is already the new year.
        application_date=timezone.localtime(application.submitted_at).date()
        if application.submitted_at
        else today,
        birth_date=application.birth_date,
        municipality_code=application.municipality.cbs_code if application.municipality else None,
        employer_municipality_code=employer_code,
        municipality_name=application.municipality.name if application.municipality else None,
        employer_municipality_name=application.employer.municipality.name
        if application.employer
        else None,
        route=application.route,
        applicant_kind=application.work_status or None,
        training_level=application.training_level or None,
        provider_kind=application.provider.kind if application.provider else None,
        cost_cents=application.cost_cents,
        cofinancing=tuple(
            CofinancingPart(payer=p["payer"], amount_cents=int(p["amount_cents"]))
            for p in application.cofinancing
        ),
        labour_market_test=test.result if test else None,
        granted_this_year_cents=granted_this_year_cents(application, today.year),
        requested_cents=application.requested_cents,
    )


def _evaluate_into(application: Application, today: date) -> None:
    outcomes = evaluate(
        application_facts(application, today), application.policy_version.policy, today
    )
    application.rule_outcomes = [outcome.to_dict() for outcome in outcomes]
    application.rules_evaluated_on = today


def application_evaluate(*, application: Application, today: date | None = None) -> Application:
    """Re-run the rules on the current facts and store the outcomes with the policy version."""
    today = today or timezone.localdate()
    _evaluate_into(application, today)
    application.save(update_fields=["rule_outcomes", "rules_evaluated_on"])
    return application


def application_transition(
    *, application: Application, to_state: str, actor: Any, reason: str = ""
) -> Application:
    """Move an application to another state, as the transition table allows; audited."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        states.check_transition(locked.state, to_state)
        from_state = locked.state
        locked.state = to_state
        locked.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="application.transition",
            obj=locked,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
        )
    application.state = to_state
    return application


def application_record_training(
    *,
    application: Application,
    actor: Any,
    training_title: str,
    training_level: str,
    training_sector: str,
    provider: Any,
    cost_cents: int,
    cofinancing: Sequence[dict[str, Any]],
    bsn: str = "",
    today: date | None = None,
) -> Application:
    """Record training, provider, cost and financing; with all three known it is complete."""
    today = today or timezone.localdate()
    with transaction.atomic():
        application.training_title = training_title
        application.training_level = training_level
        application.training_sector = training_sector
        application.provider = provider
        application.cost_cents = cost_cents
        application.cofinancing = [cofinancing_part(part) for part in cofinancing]
        if bsn:
            application.bsn = bsn
        _evaluate_into(application, today)
        application.save()
        audit_record(
            actor=actor,
            action="application.training_recorded",
            obj=application,
            data={"bsn_recorded": bool(bsn)},
        )
    return application


def application_mark_complete(
    *, application: Application, actor: Any, today: date | None = None
) -> Application:
    """Completeness starts the decision term (Awb 4:13, the ordinance's term)."""
    today = today or timezone.localdate()
    policy = application.policy_version.policy
    if policy.labour_market_test_required and not hasattr(application, "labour_market_test"):
        raise DomainError(
            "application.labour_market_test_missing",
            "Doe eerst de arbeidsmarkttoets: die is nodig voordat de beoordelaar beslist.",
            "Record the labour-market test first.",
        )
    if not application.is_complete:
        raise DomainError(
            "application.incomplete",
            "De aanvraag is nog niet compleet: opleiding, opleider en kosten zijn nodig.",
            "The application is not complete: training, provider and cost are needed.",
        )
    with transaction.atomic():
        application_transition(
            application=application,
            to_state=states.COMPLETE,
            actor=actor,
            reason="opleiding, opleider en kosten bekend",
        )
        if application.complete_on is None:
            application.complete_on = today
        application.decision_due_on = _due(application, today)
        application.save(update_fields=["complete_on", "decision_due_on"])
    return application


def _due(application: Application, today: date) -> date | None:
    if application.complete_on is None:
        return None
    suspensions = [r.suspension for r in application.repair_requests.all()]
    return decision_due_date(
        application.complete_on,
        application.policy_version.policy.decision_term_weeks,
        suspensions,
        today,
    )


def repair_request_create(
    *,
    application: Application,
    actor: Any,
    what: str,
    days: int = 14,
    today: date | None = None,
) -> RepairRequest:
    """Ask the applicant to complete the application (Awb 4:5); the term is suspended (4:15)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        request = RepairRequest.objects.create(
            application=application,
            requested_by=actor,
            requested_on=today,
            deadline=repair_deadline(today, days),
            what=what,
        )
        application_transition(
            application=application, to_state=states.REPAIR_REQUESTED, actor=actor, reason=what
        )
        transaction.on_commit(lambda: _mail_repair(request.pk))
    return request


def _mail_repair(request_id: int) -> None:
    request = RepairRequest.objects.select_related("application__fund").get(pk=request_id)
    send_mail(
        f"Aanvulling nodig voor aanvraag {request.application.reference}",
        render_to_string("applications/email/repair.txt", {"request": request}),
        settings.DEFAULT_FROM_EMAIL,
        [request.application.email],
    )


def repair_request_resolve(
    *, request: RepairRequest, actor: Any, response: str, today: date | None = None
) -> RepairRequest:
    """The applicant supplied what was missing: the decision term runs again."""
    today = today or timezone.localdate()
    with transaction.atomic():
        request.resolved_on = today
        request.response = response
        request.save(update_fields=["resolved_on", "response"])
        application = request.application
        application_transition(
            application=application,
            to_state=states.COMPLETE,
            actor=actor,
            reason="aanvulling ontvangen",
        )
        if application.complete_on is None:
            application.complete_on = today
        application.decision_due_on = _due(application, today)
        application.save(update_fields=["complete_on", "decision_due_on"])
    return request
