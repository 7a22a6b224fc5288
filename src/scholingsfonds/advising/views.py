"""The advisor's workspace: queue, case page, agenda, financing advice, overview, occupations."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.accounts.models import User
from scholingsfonds.advising.documents import advice_summary_pdf
from scholingsfonds.advising.forms import (
    CancelForm,
    ConversationForm,
    FinancingForm,
    InviteForm,
    LabourMarketTestForm,
    OccupationImportForm,
    RepairForm,
    RepairResolveForm,
    RescheduleForm,
    SlotsForm,
    TargetForm,
    TrainingForm,
)
from scholingsfonds.advising.models import (
    Conversation,
    Location,
    OccupationImport,
    Scheme,
    TimeSlot,
)
from scholingsfonds.advising.permissions import (
    ADVISOR_ROLES,
    can_advise,
    can_import_occupations,
    can_manage_slots_of,
    can_plan,
    can_set_target,
    can_view_advice_summary,
    can_view_occupations,
    can_view_overview,
)
from scholingsfonds.advising.selectors import (
    advisors_of,
    caseload,
    conversation_counts,
    financing_facts,
    follow_ups_due,
    free_slots,
    latest_arrangement,
    latest_held,
    lead_times,
    outcome_counts,
    schemes_on,
    week_agenda,
)
from scholingsfonds.advising.services import (
    advice_summary_send,
    conversation_cancel,
    conversation_invite,
    conversation_no_show,
    conversation_record,
    conversation_reschedule,
    conversation_target_set,
    financing_arrangement_save,
    financing_stack,
    labour_market_test_record,
    occupation_import_apply,
    occupation_import_discard,
    occupation_import_preview,
    time_slot_delete,
    time_slots_create,
)
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.permissions import can_view_personal_data
from scholingsfonds.applications.selectors import application_for_staff, staff_funds
from scholingsfonds.applications.services import (
    application_mark_complete,
    application_record_training,
    repair_request_create,
    repair_request_resolve,
)
from scholingsfonds.core.audit import audit_personal_data_access
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.permissions import has_role
from scholingsfonds.core.templatetags.sf import rule_label
from scholingsfonds.funds.models import Fund, Occupation, PromisingOccupationList

QUEUE_STATES = (states.SUBMITTED, states.INVITED, states.CONVERSATION_HELD, states.REPAIR_REQUESTED)
RECORDABLE = (states.SUBMITTED, states.INVITED)

__all__ = ["ADVISOR_ROLES", "can_advise"]


def _case(request: HttpRequest, reference: str) -> Application:
    return application_for_staff(user=request.user, reference=reference, can=can_advise)


def _require(verdict: tuple[bool, str]) -> None:
    allowed, reason = verdict
    if not allowed:
        raise PermissionDenied(reason)


# --- queue -----------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *ADVISOR_ROLES):
        raise PermissionDenied(_("Alleen voor loopbaanadviseurs."))
    funds = staff_funds(user=request.user)
    state = request.GET.get("status", "")
    applications = Application.objects.filter(fund__in=funds).select_related("fund", "municipality")
    applications = (
        applications.filter(state=state)
        if state in QUEUE_STATES
        else applications.filter(state__in=QUEUE_STATES)
    )
    counts = {s: Application.objects.filter(fund__in=funds, state=s).count() for s in QUEUE_STATES}
    rows = list(applications.order_by("submitted_at")[:200])
    planned = {
        c.application_id: c
        for c in Conversation.objects.filter(
            application__in=rows, status=Conversation.Status.PLANNED
        )
    }
    now = timezone.now()
    upcoming = (
        Conversation.objects.filter(
            advisor=request.user,
            status=Conversation.Status.PLANNED,
            scheduled_at__gte=now - timedelta(hours=2),
            scheduled_at__lt=now + timedelta(days=2),
        )
        .select_related("application")
        .order_by("scheduled_at")
    )
    return render(
        request,
        "advising/queue.html",
        {
            "applications": [(a, planned.get(a.pk)) for a in rows],
            "counts": [(s, states.STATE_LABELS_NL[s], counts[s]) for s in QUEUE_STATES],
            "status": state,
            "funds": funds,
            "upcoming": upcoming,
            "follow_ups": follow_ups_due(advisor=request.user)[:20],
        },
    )


# --- the case page ----------------------------------------------------------------------------


@login_required
def case(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    return _render_case(request, application)


def _render_case(request: HttpRequest, application: Application, **forms) -> HttpResponse:  # type: ignore[no-untyped-def]
    show_personal, _reason = can_view_personal_data(request.user, application)
    if show_personal:
        audit_personal_data_access(
            actor=request.user, obj=application, fields=["birth_date", "bsn"]
        )
    test = getattr(application, "labour_market_test", None)
    initial_training = {
        "training_title": application.training_title,
        "training_level": application.training_level,
        "training_sector": application.training_sector,
        "provider": application.provider_id,
        "cost": application.cost_cents,
    }
    for n, part in enumerate(application.cofinancing[:3], start=1):
        initial_training[f"payer_{n}"] = part["payer"]
        initial_training[f"amount_{n}"] = part["amount_cents"]
        if part.get("employer_name"):
            initial_training["employer_name"] = part["employer_name"]
    planned = application.conversations.filter(status=Conversation.Status.PLANNED).first()
    held = latest_held(application)
    slots = free_slots(fund=application.fund)
    conversation_initial = {
        "work_status": application.work_status,
        "education_level": application.education_level,
        "question": application.question,
    }
    test_initial = {
        "occupation": test.occupation_id if test else (held.target_occupation_id if held else None),
        "motivation": test.motivation if test else "",
    }
    arrangement = latest_arrangement(application)
    context = {
        "application": application,
        "show_personal": show_personal,
        # The training form can change the co-financing after the advice was saved.
        "arrangement_stale": bool(
            arrangement
            and [
                (p["payer"], p["amount_cents"])
                for p in arrangement.stack.get("parts", [])
                if p["amount_cents"] and p["payer"] != "fund"
            ]
            != [(p["payer"], int(p["amount_cents"])) for p in application.cofinancing]
        ),
        "conversations": application.conversations.select_related("advisor", "target_occupation"),
        "planned": planned,
        "held": held,
        "can_no_show": bool(planned and planned.scheduled_at <= timezone.now()),
        "test": test,
        "arrangement": arrangement,
        "repairs": application.repair_requests.all(),
        "open_repair": application.repair_requests.filter(resolved_on__isnull=True).first(),
        "invite_form": forms.get("invite_form") or InviteForm(slots=slots),
        "reschedule_form": forms.get("reschedule_form")
        or RescheduleForm(slots=slots, prefix="verzet"),
        "cancel_form": forms.get("cancel_form") or CancelForm(prefix="annuleer"),
        "conversation_form": forms.get("conversation_form")
        or ConversationForm(initial=conversation_initial),
        "training_form": forms.get("training_form") or TrainingForm(initial=initial_training),
        "test_form": forms.get("test_form")
        or LabourMarketTestForm(promising_ids=_promising_ids(application), initial=test_initial),
        "repair_form": forms.get("repair_form") or RepairForm(),
        "resolve_form": forms.get("resolve_form") or RepairResolveForm(),
        "open_conversation": planned,
        "may_record": application.state in RECORDABLE,
        "states": states,
    }
    status = 400 if forms else 200
    return render(request, "advising/case.html", context, status=status)


def _promising_ids(application: Application) -> list[int]:
    promising = PromisingOccupationList.in_force(
        application.policy_version.policy.region_name, timezone.localdate()
    )
    return list(promising.occupations.values_list("pk", flat=True)) if promising else []


def _redirect(application: Application, anchor: str = "") -> HttpResponse:
    response = redirect("advising:case", reference=application.reference)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _domain_error(
    request: HttpRequest, application: Application, error: DomainError
) -> HttpResponse:
    messages.error(request, error.message_nl)
    return _redirect(application)


@login_required
@require_POST
def invite(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = InviteForm(request.POST, slots=free_slots(fund=application.fund))
    if not form.is_valid():
        return _render_case(request, application, invite_form=form)
    data = form.cleaned_data
    try:
        conversation_invite(
            application=application,
            actor=request.user,
            slot=data["slot"],
            scheduled_at=data["scheduled_at"],
            location=data["location"],
            place=data["place"],
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("De uitnodiging is verstuurd."))
    return _redirect(application, "gesprek")


def _planned_or_404(application: Application) -> Conversation:
    planned = application.conversations.filter(status=Conversation.Status.PLANNED).first()
    if planned is None:
        raise Http404(_("Er staat geen gesprek gepland."))
    return planned


@login_required
@require_POST
def reschedule(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    planned = _planned_or_404(application)
    form = RescheduleForm(request.POST, slots=free_slots(fund=application.fund), prefix="verzet")
    if not form.is_valid():
        return _render_case(request, application, reschedule_form=form)
    data = form.cleaned_data
    try:
        conversation_reschedule(
            conversation=planned,
            actor=request.user,
            slot=data["slot"],
            scheduled_at=data["scheduled_at"],
            location=data["location"],
            place=data["place"],
            reason=data["reason"],
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(
        request, _("Het gesprek is verzet; de aanvrager krijgt een nieuwe uitnodiging.")
    )
    return _redirect(application, "gesprek")


@login_required
@require_POST
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    planned = _planned_or_404(application)
    form = CancelForm(request.POST, prefix="annuleer")
    if not form.is_valid():
        return _render_case(request, application, cancel_form=form)
    try:
        conversation_cancel(
            conversation=planned, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("Het gesprek is geannuleerd; de aanvrager heeft bericht."))
    return _redirect(application, "gesprek")


@login_required
@require_POST
def no_show(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    planned = _planned_or_404(application)
    try:
        conversation_no_show(conversation=planned, actor=request.user)
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(
        request, _("Vastgelegd: niet verschenen. Nodig de aanvrager opnieuw uit of sluit af.")
    )
    return _redirect(application, "gesprek")


@login_required
@require_POST
def record_conversation(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = ConversationForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, conversation_form=form)
    conversation = application.conversations.filter(
        status=Conversation.Status.PLANNED
    ).first() or Conversation(
        application=application,
        advisor=request.user,
        scheduled_at=timezone.now(),
        location=Conversation.Location.LEERWERKLOKET,
    )
    try:
        conversation_record(conversation=conversation, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("Het gesprek is vastgelegd."))
    return _redirect(application, "opleiding")


@login_required
@require_POST
def record_training(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = TrainingForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, training_form=form)
    data = form.cleaned_data
    try:
        application_record_training(
            application=application,
            actor=request.user,
            training_title=data["training_title"],
            training_level=data["training_level"],
            training_sector=data["training_sector"],
            provider=data["provider"],
            cost_cents=data["cost"],
            cofinancing=data["cofinancing"],
            bsn=data.get("bsn") or "",
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("Opleiding en financiering zijn vastgelegd."))
    return _redirect(application, "toets")


@login_required
@require_POST
def record_test(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = LabourMarketTestForm(request.POST, promising_ids=_promising_ids(application))
    if not form.is_valid():
        return _render_case(request, application, test_form=form)
    test = labour_market_test_record(
        application=application,
        actor=request.user,
        occupation=form.cleaned_data["occupation"],
        motivation=form.cleaned_data["motivation"],
    )
    if test.result == test.Result.FAILED:
        messages.warning(
            request,
            _(
                "Het beroep staat niet op de lijst van kansrijke beroepen. "
                "Motiveer het arbeidsmarktperspectief, of verwijs door."
            ),
        )
    else:
        messages.success(request, _("De arbeidsmarkttoets is vastgelegd."))
    return _redirect(application, "toets")


@login_required
@require_POST
def mark_complete(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    try:
        application_mark_complete(application=application, actor=request.user)
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("De aanvraag is compleet en gaat naar de beoordelaar."))
    failing = [o for o in application.rule_outcomes if o.get("passed") is False]
    if failing:
        messages.warning(
            request,
            _("Let op: niet aan alle voorwaarden is voldaan (%(rules)s). De beoordelaar ziet dit.")
            % {"rules": ", ".join(rule_label(o["rule_id"]) for o in failing)},
        )
    return redirect("advising:queue")


@login_required
@require_POST
def request_repair(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = RepairForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, repair_form=form)
    try:
        repair_request_create(
            application=application,
            actor=request.user,
            what=form.cleaned_data["what"],
            days=form.cleaned_data["days"],
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(
        request, _("Het verzoek om aanvulling is verstuurd. De beslistermijn staat stil.")
    )
    return _redirect(application)


@login_required
@require_POST
def resolve_repair(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = RepairResolveForm(request.POST)
    open_repair = application.repair_requests.filter(resolved_on__isnull=True).first()
    if open_repair is None:
        messages.error(request, _("Er staat geen verzoek om aanvulling open."))
        return _redirect(application)
    if not form.is_valid():
        return _render_case(request, application, resolve_form=form)
    try:
        repair_request_resolve(
            request=open_repair, actor=request.user, response=form.cleaned_data["response"]
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("De aanvulling is verwerkt. De beslistermijn loopt weer."))
    return _redirect(application)


# --- financing advice across schemes ----------------------------------------------------------


def _yearly_schemes(day: date) -> list:  # type: ignore[type-arg]
    return [
        s
        for s in schemes_on(day)
        if s.cap_shape in ("per_person_per_year", "once_per_year") and s.kind != "regional_fund"
    ]


@login_required
def financing(request: HttpRequest, reference: str) -> HttpResponse:
    """GET computes the advice (a GET form: nothing is stored); POST saves it."""
    application = _case(request, reference)
    today = timezone.localdate()
    arrangement = latest_arrangement(application)
    data = request.POST if request.method == "POST" else (request.GET or None)
    initial = _financing_initial(application, arrangement)
    form = FinancingForm(data, initial=initial, yearly_schemes=_yearly_schemes(today))
    context = {
        "application": application,
        "form": form,
        "stack": None,
        "fund_part": None,
        "arrangement": arrangement,
        "error": None,
        "may_save": application.state in (states.CONVERSATION_HELD, states.REPAIR_REQUESTED),
    }
    if not application.cost_cents:
        return render(request, "advising/financing.html", context)
    if data is not None and not form.is_valid():
        return render(request, "advising/financing.html", context, status=400)
    values = form.cleaned_data if data is not None else initial
    try:
        facts = financing_facts(
            application,
            employer_contribution_cents=values.get("employer_contribution") or 0,
            employer_sector=values.get("employer_sector") or None,
            receives_benefit=bool(values.get("receives_benefit")),
            received_elsewhere=form.received() if data is not None else {},
            today=today,
        )
        stack = financing_stack(facts=facts, home_fund=application.fund.slug)
        context.update(stack=stack, fund_part=stack.part(application.fund.slug))
        if request.method == "POST":
            financing_arrangement_save(application=application, actor=request.user, facts=facts)
            messages.success(
                request,
                _("Het financieringsadvies is opgeslagen als financiering van de aanvraag."),
            )
            return _redirect(application, "financiering")
    except DomainError as exc:
        context["error"] = exc.message_nl
        return render(request, "advising/financing.html", context, status=400)
    return render(request, "advising/financing.html", context)


def _financing_initial(application: Application, arrangement) -> dict:  # type: ignore[no-untyped-def,type-arg]
    if arrangement is not None:
        facts = arrangement.facts
        return {
            "employer_contribution": facts.get("employer_contribution_cents") or None,
            "employer_sector": facts.get("employer_sector") or "",
            "receives_benefit": bool(facts.get("receives_benefit")),
        }
    employer_part = sum(
        int(p["amount_cents"]) for p in application.cofinancing if p.get("payer") == "employer"
    )
    if not employer_part and application.employer_contribution_percent and application.cost_cents:
        employer_part = application.cost_cents * application.employer_contribution_percent // 100
    return {
        "employer_contribution": employer_part or None,
        "employer_sector": application.training_sector
        if application.employer_id and application.training_sector in _SECTOR_CODES
        else "",
        "receives_benefit": False,
    }


_SECTOR_CODES = {"ICT", "technical", "transport & logistics", "care & welfare", "hospitality"}


@login_required
def advice_summary(request: HttpRequest, reference: str) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("fund", "provider"), reference=reference
    )
    _require(can_view_advice_summary(request.user, application))
    if latest_held(application) is None:
        raise Http404(_("Er is nog geen gesprek gevoerd."))
    pdf = advice_summary_pdf(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="adviesrapport-{reference}.pdf"'
    return response


@login_required
@require_POST
def advice_summary_mail(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    if latest_held(application) is None:
        messages.error(request, _("Er is nog geen gesprek gevoerd."))
        return _redirect(application)
    advice_summary_send(application=application, actor=request.user)
    messages.success(request, _("Het adviesrapport is per e-mail naar de aanvrager gestuurd."))
    return _redirect(application, "advies")


# --- agenda and time slots --------------------------------------------------------------------


def _monday(request: HttpRequest) -> date:
    value = request.GET.get("week", "")
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def _visible_advisors(user):  # type: ignore[no-untyped-def]
    return advisors_of(staff_funds(user=user))


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    _require(can_plan(request.user))
    monday = _monday(request)
    advisors = _visible_advisors(request.user)
    chosen = request.GET.get("adviseur", "")
    if chosen == "alle":
        shown = list(advisors)
    elif chosen.isdigit():
        shown = [a for a in advisors if a.pk == int(chosen)]
    else:
        shown = [request.user] if request.user.role == "advisor" else list(advisors)
        chosen = str(request.user.pk) if request.user.role == "advisor" else "alle"
    location = request.GET.get("plaats", "")
    if location not in Location.values:
        location = ""
    slot_advisors = (
        advisors
        if has_role(request.user, "administrator")
        else User.objects.filter(pk=request.user.pk)
    )

    def week_link(day: date) -> str:
        query = {"week": day.isoformat(), "adviseur": chosen, "plaats": location}
        return f"{reverse('advising:agenda')}?{urlencode(query)}"

    return render(
        request,
        "advising/agenda.html",
        {
            "days": week_agenda(
                viewer=request.user, advisors=shown, monday=monday, location=location
            ),
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "week_number": monday.isocalendar()[1],
            "previous": week_link(monday - timedelta(days=7)),
            "next": week_link(monday + timedelta(days=7)),
            "this_week": week_link(timezone.localdate()),
            "advisors": advisors,
            "chosen": chosen,
            "location": location,
            "locations": Location.choices,
            "today": timezone.localdate(),
            "slots_form": SlotsForm(
                advisors=slot_advisors,
                initial={"advisor": request.user.pk, "day": monday + timedelta(days=7)},
            ),
        },
    )


@login_required
@require_POST
def slots_create(request: HttpRequest) -> HttpResponse:
    _require(can_plan(request.user))
    advisors = _visible_advisors(request.user)
    slot_advisors = (
        advisors
        if has_role(request.user, "administrator")
        else User.objects.filter(pk=request.user.pk)
    )
    form = SlotsForm(request.POST, advisors=slot_advisors)
    if not form.is_valid():
        return render(
            request,
            "advising/agenda.html",
            {
                "days": [],
                "slots_form": form,
                "advisors": advisors,
                "locations": Location.choices,
                "form_only": True,
            },
            status=400,
        )
    data = form.cleaned_data
    _require(can_manage_slots_of(request.user, data["advisor"]))
    try:
        created, skipped = time_slots_create(
            actor=request.user,
            advisor=data["advisor"],
            day=data["day"],
            start=data["start"],
            end=data["end"],
            minutes=data["minutes"],
            location=data["location"],
            place=data["place"],
            weeks=data["weeks"],
        )
    except DomainError as error:
        messages.error(request, error.message_nl)
        return redirect("advising:agenda")
    text = _("%(n)s tijdsloten aangemaakt.") % {"n": len(created)}
    if skipped:
        text += " " + _("%(n)s overgeslagen: die overlappen met bestaande tijdsloten.") % {
            "n": skipped
        }
    messages.success(request, text)
    query = urlencode({"week": data["day"].isoformat(), "adviseur": data["advisor"].pk})
    return redirect(f"{reverse('advising:agenda')}?{query}")


@login_required
@require_POST
def slot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(TimeSlot.objects.select_related("advisor"), pk=pk)
    _require(can_manage_slots_of(request.user, slot.advisor))
    week = timezone.localtime(slot.starts_at).date().isoformat()
    try:
        time_slot_delete(actor=request.user, slot=slot)
    except DomainError as error:
        messages.error(request, error.message_nl)
    else:
        messages.success(request, _("Het tijdslot is verwijderd."))
    query = urlencode({"week": week, "adviseur": slot.advisor_id})
    return redirect(f"{reverse('advising:agenda')}?{query}")


# --- caseload, lead times, targets ------------------------------------------------------------


def _overview_fund(request: HttpRequest) -> Fund:
    funds = staff_funds(user=request.user)
    slug = request.GET.get("fonds") or request.POST.get("fonds") or ""
    fund = funds.filter(slug=slug).first() if slug else funds.order_by("name").first()
    if fund is None:
        raise PermissionDenied(_("U werkt voor geen enkel fonds."))
    _require(can_view_overview(request.user, fund))
    return fund


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    fund = _overview_fund(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jaar", today.year))
    except ValueError:
        year = today.year
    counts = conversation_counts(fund, year)
    return render(
        request,
        "advising/overview.html",
        {
            "fund": fund,
            "funds": staff_funds(user=request.user),
            "year": year,
            "years": list(range(today.year - 3, today.year + 2)),
            "counts": counts,
            "lead": lead_times(fund, year),
            "caseload": caseload(fund, today),
            "outcomes": _outcome_rows(outcome_counts(fund, year)),
            "target_form": TargetForm(initial={"conversations": counts["target"]}),
            "may_set_target": can_set_target(request.user, fund)[0],
        },
    )


def _outcome_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    outcomes = dict(Conversation.Outcome.choices)
    kinds = dict(Conversation.ReferralKind.choices)
    rows = []
    for key, n in counts.items():
        if key.startswith("referral:"):
            kind = key.removeprefix("referral:")
            label = f"{outcomes['referral']} – {kinds.get(kind, kind)}"
        else:
            label = str(outcomes.get(key, _("Onbekend")))
        rows.append((label, n))
    return sorted(rows)


@login_required
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    fund = _overview_fund(request)
    _require(can_set_target(request.user, fund))
    form = TargetForm(request.POST)
    try:
        year = int(request.POST.get("jaar", ""))
    except ValueError:
        year = 0
    if not form.is_valid() or not 2000 <= year <= 2100:
        messages.error(request, _("Vul een jaardoel in als heel getal, zoals 1375."))
    else:
        conversation_target_set(
            actor=request.user,
            fund=fund,
            year=year,
            conversations=form.cleaned_data["conversations"],
        )
        messages.success(request, _("Het jaardoel is opgeslagen."))
    return redirect(
        f"{reverse('advising:overview')}?{urlencode({'fonds': fund.slug, 'jaar': year})}"
    )


# --- financing schemes ------------------------------------------------------------------------


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    _require(can_view_occupations(request.user))
    today = timezone.localdate()
    rows = [(row, row.scheme, row.scheme.is_valid_on(today)) for row in Scheme.objects.all()]
    return render(
        request,
        "advising/schemes.html",
        {"rows": rows, "today": today},
    )


# --- occupations and the list of promising occupations ----------------------------------------


def _regions(user) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted({fund.region_name for fund in staff_funds(user=user)})


@login_required
def occupations(request: HttpRequest) -> HttpResponse:
    _require(can_view_occupations(request.user))
    regions = _regions(request.user)
    region = request.GET.get("regio") or (regions[0] if regions else "")
    if region not in regions:
        region = regions[0] if regions else ""
    try:
        on = date.fromisoformat(request.GET.get("datum", "")) if request.GET.get("datum") else None
    except ValueError:
        on = None
    on = on or timezone.localdate()
    in_force = PromisingOccupationList.in_force(region, on) if region else None
    promising = set(in_force.occupations.values_list("pk", flat=True)) if in_force else set()
    return render(
        request,
        "advising/occupations.html",
        {
            "occupations": [(o, o.pk in promising) for o in Occupation.objects.all()],
            "regions": regions,
            "region": region,
            "on": on,
            "in_force": in_force,
            "history": PromisingOccupationList.objects.filter(region_name=region).order_by(
                "-valid_from"
            ),
            "imports": OccupationImport.objects.filter(region_name=region).select_related(
                "uploaded_by"
            )[:20],
            "may_import": can_import_occupations(request.user)[0],
        },
    )


@login_required
def occupation_list(request: HttpRequest, pk: int) -> HttpResponse:
    _require(can_view_occupations(request.user))
    promising_list = get_object_or_404(PromisingOccupationList, pk=pk)
    if promising_list.region_name not in _regions(request.user):
        raise PermissionDenied(_("Deze lijst hoort bij een regio van een ander fonds."))
    return render(
        request,
        "advising/occupation_list.html",
        {"list": promising_list, "occupations": promising_list.occupations.order_by("title_nl")},
    )


@login_required
def occupation_import(request: HttpRequest) -> HttpResponse:
    _require(can_import_occupations(request.user))
    regions = _regions(request.user)
    if request.method == "POST":
        form = OccupationImportForm(request.POST, request.FILES, regions=regions)
        if form.is_valid():
            name, content = form.cleaned_data["file"]
            try:
                upload = occupation_import_preview(
                    actor=request.user,
                    region_name=form.cleaned_data["region_name"],
                    valid_from=form.cleaned_data["valid_from"],
                    source=form.cleaned_data["source"],
                    file_name=name,
                    content=content,
                )
            except DomainError as error:
                form.add_error(None, error.message_nl)
            else:
                return redirect("advising:occupation_import_preview", pk=upload.pk)
        return render(request, "advising/occupation_import.html", {"form": form}, status=400)
    return render(
        request,
        "advising/occupation_import.html",
        {
            "form": OccupationImportForm(
                regions=regions, initial={"region_name": regions[0] if regions else ""}
            )
        },
    )


def _upload(request: HttpRequest, pk: int) -> OccupationImport:
    _require(can_import_occupations(request.user))
    upload = get_object_or_404(OccupationImport, pk=pk)
    if upload.region_name not in _regions(request.user):
        raise PermissionDenied(_("Deze lijst hoort bij een regio van een ander fonds."))
    return upload


@login_required
def occupation_import_preview_page(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    return render(request, "advising/occupation_import_preview.html", {"upload": upload})


@login_required
@require_POST
def occupation_import_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    try:
        new_list = occupation_import_apply(upload=upload, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message_nl)
        return redirect("advising:occupation_import_preview", pk=upload.pk)
    messages.success(
        request,
        _("De lijst is verwerkt: %(n)s kansrijke beroepen vanaf %(d)s.")
        % {"n": new_list.occupations.count(), "d": new_list.valid_from.strftime("%d-%m-%Y")},
    )
    return redirect(f"{reverse('advising:occupations')}?{urlencode({'regio': upload.region_name})}")


@login_required
@require_POST
def occupation_import_discard_view(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    try:
        occupation_import_discard(upload=upload, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message_nl)
    else:
        messages.success(request, _("Het bestand is niet verwerkt."))
    return redirect(f"{reverse('advising:occupations')}?{urlencode({'regio': upload.region_name})}")
