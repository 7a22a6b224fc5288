"""The agenda: a week of slots and conversations per advisor, and the time slots themselves."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.advising.forms import SlotsForm
from scholingsfonds.advising.models import Location
from scholingsfonds.advising.permissions import can_manage_slots_of, can_plan
from scholingsfonds.advising.selectors.agenda import (
    slot_advisors,
    slot_by_pk,
    visible_advisors,
    week_agenda,
)
from scholingsfonds.advising.services.slots import time_slot_delete, time_slots_create
from scholingsfonds.advising.views_common import require
from scholingsfonds.core.domain.errors import DomainError


def _monday(request: HttpRequest) -> date:
    value = request.GET.get("week", "")
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    require(can_plan(request.user))
    monday = _monday(request)
    advisors = visible_advisors(user=request.user)
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
                advisors=slot_advisors(user=request.user, advisors=advisors),
                initial={"advisor": request.user.pk, "day": monday + timedelta(days=7)},
            ),
        },
    )


@login_required
@require_POST
def slots_create(request: HttpRequest) -> HttpResponse:
    require(can_plan(request.user))
    advisors = visible_advisors(user=request.user)
    form = SlotsForm(request.POST, advisors=slot_advisors(user=request.user, advisors=advisors))
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
    require(can_manage_slots_of(request.user, data["advisor"]))
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
    slot = slot_by_pk(pk)
    if slot is None:
        raise Http404
    require(can_manage_slots_of(request.user, slot.advisor))
    week = timezone.localtime(slot.starts_at).date().isoformat()
    try:
        time_slot_delete(actor=request.user, slot=slot)
    except DomainError as error:
        messages.error(request, error.message_nl)
    else:
        messages.success(request, _("Het tijdslot is verwijderd."))
    query = urlencode({"week": week, "adviseur": slot.advisor_id})
    return redirect(f"{reverse('advising:agenda')}?{query}")
