"""Occupations and the lists of promising occupations per region: look them up, and import a
new list (upload, preview, apply or discard)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.advising.forms import OccupationImportForm
from scholingsfonds.advising.models import OccupationImport
from scholingsfonds.advising.permissions import can_import_occupations, can_view_occupations
from scholingsfonds.advising.selectors.occupations import (
    list_history,
    list_occupations,
    list_size,
    occupation_import_by_pk,
    occupations_marked,
    promising_in_force,
    promising_list_by_pk,
    recent_imports,
)
from scholingsfonds.advising.services.occupations import (
    occupation_import_apply,
    occupation_import_discard,
    occupation_import_preview,
)
from scholingsfonds.advising.views_common import require
from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.core.domain.errors import DomainError


def _regions(user: Any) -> list[str]:
    return sorted({fund.region_name for fund in staff_funds(user=user)})


@login_required
def occupations(request: HttpRequest) -> HttpResponse:
    require(can_view_occupations(request.user))
    regions = _regions(request.user)
    region = request.GET.get("regio") or (regions[0] if regions else "")
    if region not in regions:
        region = regions[0] if regions else ""
    try:
        on = date.fromisoformat(request.GET.get("datum", "")) if request.GET.get("datum") else None
    except ValueError:
        on = None
    on = on or timezone.localdate()
    in_force = promising_in_force(region, on) if region else None
    return render(
        request,
        "advising/occupations.html",
        {
            "occupations": occupations_marked(in_force),
            "regions": regions,
            "region": region,
            "on": on,
            "in_force": in_force,
            "history": list_history(region),
            "imports": recent_imports(region),
            "may_import": can_import_occupations(request.user)[0],
        },
    )


@login_required
def occupation_list(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_view_occupations(request.user))
    promising_list = promising_list_by_pk(pk)
    if promising_list is None:
        raise Http404
    if promising_list.region_name not in _regions(request.user):
        raise PermissionDenied(_("Deze lijst hoort bij een regio van een ander fonds."))
    return render(
        request,
        "advising/occupation_list.html",
        {"list": promising_list, "occupations": list_occupations(promising_list)},
    )


@login_required
def occupation_import(request: HttpRequest) -> HttpResponse:
    require(can_import_occupations(request.user))
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
    require(can_import_occupations(request.user))
    upload = occupation_import_by_pk(pk)
    if upload is None:
        raise Http404
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
        % {"n": list_size(new_list), "d": new_list.valid_from.strftime("%d-%m-%Y")},
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
