"""The provider portal: its vouchers (never a BSN), start, completion, invoices, catalogue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.providers.models import Provider
from scholingsfonds.providers.selectors import catalogue, providers_of
from scholingsfonds.providers.services import course_create, course_price_set, provider_apply
from scholingsfonds.vouchers.forms import (
    CompletionForm,
    CourseForm,
    CreditNoteForm,
    InvoiceForm,
    NoShowForm,
    PriceForm,
    ProviderApplyForm,
    StartForm,
)
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.permissions import can_read_invoice_document, can_use_portal
from scholingsfonds.vouchers.selectors import (
    invoice_with_fund,
    provider_course,
    provider_invoice,
    provider_voucher,
    provider_voucher_counts,
    provider_vouchers_listed,
    voucher_page,
)
from scholingsfonds.vouchers.services.invoices import credit_note_submit, invoice_submit
from scholingsfonds.vouchers.services.progress import (
    voucher_confirm_start,
    voucher_report_completion,
    voucher_report_no_show,
)


def _message(error: DomainError) -> str:
    return error.message_en if get_language() == "en" else error.message_nl


def _portal_user(request: HttpRequest) -> None:
    allowed, reason = can_use_portal(request.user)
    if not allowed:
        raise PermissionDenied(reason)


def _voucher(request: HttpRequest, code: str) -> Voucher:
    """Only this provider's vouchers: another provider's code is 'not found', like a typo."""
    _portal_user(request)
    voucher = provider_voucher(user=request.user, code=code)
    if voucher is None:
        raise Http404
    return voucher


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    _portal_user(request)
    providers = list(providers_of(user=request.user))
    state = request.GET.get("status", "")
    shown = state if state in Voucher.State.values else ""  # an unknown status shows them all
    counts = provider_voucher_counts(user=request.user)
    return render(
        request,
        "vouchers/portal.html",
        {
            "providers": providers,
            "vouchers": provider_vouchers_listed(user=request.user, state=shown),
            "state": state,
            "states": [(v, label, counts[v]) for v, label in Voucher.State.choices],
            "today": timezone.localdate(),
        },
    )


@login_required
def voucher_lookup(request: HttpRequest) -> HttpResponse:
    _portal_user(request)
    code = request.GET.get("code", "").strip().upper()
    if not code:
        return redirect("vouchers:portal")
    if provider_voucher(user=request.user, code=code) is None:
        messages.error(
            request,
            _("Cheque %(code)s bestaat niet of is niet voor uw opleiding.") % {"code": code},
        )
        return redirect("vouchers:portal")
    return redirect("vouchers:voucher", code=code)


def _detail_context(request: HttpRequest, voucher: Voucher, **forms: object) -> dict[str, object]:
    page = voucher_page(voucher)
    return {
        **page,
        "voucher": voucher,
        "policy": voucher.application.policy_version.policy,
        "start_form": forms.get("start_form")
        or StartForm(provider=voucher.provider, fixed=voucher.course_id is not None),
        "completion_form": forms.get("completion_form") or CompletionForm(),
        "no_show_form": forms.get("no_show_form") or NoShowForm(),
        "invoice_form": forms.get("invoice_form")
        or InvoiceForm(initial={"amount": page["room_cents"]}),
        "credit_form": forms.get("credit_form") or CreditNoteForm(),
        "today": timezone.localdate(),
    }


@login_required
def voucher_detail(request: HttpRequest, code: str) -> HttpResponse:
    voucher = _voucher(request, code)
    return render(request, "vouchers/voucher.html", _detail_context(request, voucher))


def _act(request: HttpRequest, voucher: Voucher, form_name: str, form, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as error:
            form.add_error(None, _message(error))
        else:
            return redirect("vouchers:voucher", code=voucher.code)
    return render(
        request,
        "vouchers/voucher.html",
        _detail_context(request, voucher, **{form_name: form}),
        status=422,
    )


@login_required
@require_POST
def confirm_start(request: HttpRequest, code: str) -> HttpResponse:
    voucher = _voucher(request, code)
    form = StartForm(request.POST, provider=voucher.provider, fixed=voucher.course_id is not None)

    def action(data: dict) -> None:  # type: ignore[type-arg]
        voucher_confirm_start(
            voucher=voucher,
            actor=request.user,
            started_on=data["started_on"],
            course=data.get("course"),
        )
        messages.success(request, _("De start is bevestigd."))

    return _act(request, voucher, "start_form", form, action)


@login_required
@require_POST
def report_completion(request: HttpRequest, code: str) -> HttpResponse:
    voucher = _voucher(request, code)
    form = CompletionForm(request.POST)

    def action(data: dict) -> None:  # type: ignore[type-arg]
        voucher_report_completion(
            voucher=voucher,
            actor=request.user,
            completed_on=data["completed_on"],
            attendance_percent=data.get("attendance_percent"),
            certificate=bool(data.get("certificate")),
        )
        messages.success(request, _("De afronding is gemeld. U kunt nu factureren."))

    return _act(request, voucher, "completion_form", form, action)


@login_required
@require_POST
def report_no_show(request: HttpRequest, code: str) -> HttpResponse:
    voucher = _voucher(request, code)
    form = NoShowForm(request.POST)

    def action(data: dict) -> None:  # type: ignore[type-arg]
        voucher_report_no_show(
            voucher=voucher,
            actor=request.user,
            reason=data["reason"],
            attendance_percent=data.get("attendance_percent"),
        )
        messages.success(request, _("Gemeld: de deelnemer is niet verschenen of afgehaakt."))

    return _act(request, voucher, "no_show_form", form, action)


@login_required
@require_POST
def invoice_new(request: HttpRequest, code: str) -> HttpResponse:
    voucher = _voucher(request, code)
    form = InvoiceForm(request.POST, request.FILES)

    def action(data: dict) -> None:  # type: ignore[type-arg]
        invoice_submit(
            voucher=voucher,
            actor=request.user,
            number=data["number"],
            invoice_date=data["invoice_date"],
            amount_cents=data["amount"],
            upload=data["document"],
            is_final=bool(data.get("is_final")),
        )
        messages.success(
            request, _("De factuur is ingediend. Financiën van het fonds beoordeelt hem.")
        )

    return _act(request, voucher, "invoice_form", form, action)


@login_required
@require_POST
def credit_note_new(request: HttpRequest, pk: int) -> HttpResponse:
    _portal_user(request)
    invoice = provider_invoice(user=request.user, pk=pk)
    if invoice is None:
        raise Http404
    voucher = _voucher(request, invoice.voucher.code)
    form = CreditNoteForm(request.POST, request.FILES)

    def action(data: dict) -> None:  # type: ignore[type-arg]
        credit_note_submit(
            invoice=invoice,
            actor=request.user,
            number=data["number"],
            invoice_date=data["invoice_date"],
            amount_cents=data["amount"],
            upload=data["document"],
            reason=data.get("reason", ""),
        )
        messages.success(request, _("De creditnota is ingediend."))

    return _act(request, voucher, "credit_form", form, action)


@login_required
def invoice_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice PDF: for the provider that sent it and for the fund's finance staff."""
    invoice = invoice_with_fund(pk)
    if invoice is None or not can_read_invoice_document(request.user, invoice)[0]:
        # The same answer whether the invoice does not exist or is not for this person.
        raise Http404
    if not invoice.document:
        raise Http404
    return FileResponse(
        invoice.document.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{invoice.voucher.code}-{invoice.number}.pdf",
    )


@login_required
def courses(request: HttpRequest) -> HttpResponse:
    _portal_user(request)
    today = timezone.localdate()
    providers = list(providers_of(user=request.user))
    form = CourseForm(request.POST or None)
    chosen = _chosen_provider(request, providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course_create(
                provider=chosen,
                actor=request.user,
                title=data["title"],
                level=data["level"],
                hours=data["hours"],
                sector=data["sector"],
                price_cents=data["price"],
                occupations=data["occupations"],
                today=today,
            )
        except DomainError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("De opleiding staat in uw catalogus."))
            return redirect(f"{request.path}?opleider={chosen.pk}")
    return render(
        request,
        "vouchers/courses.html",
        {
            "providers": providers,
            "provider": chosen,
            "rows": catalogue(provider=chosen, today=today),
            "form": form,
            "price_form": PriceForm(),
            "policy_cap": None,
        },
        status=422 if form.errors else 200,
    )


def _chosen_provider(request: HttpRequest, providers: list[Provider]) -> Provider:
    wanted = request.GET.get("opleider", "")
    for provider in providers:
        if str(provider.pk) == wanted:
            return provider
    return providers[0]


@login_required
@require_POST
def course_price(request: HttpRequest, pk: int) -> HttpResponse:
    _portal_user(request)
    course = provider_course(user=request.user, pk=pk)
    if course is None:
        raise Http404
    form = PriceForm(request.POST)
    if form.is_valid():
        course_price_set(
            course=course,
            actor=request.user,
            price_cents=form.cleaned_data["price"],
            valid_from=form.cleaned_data["valid_from"],
        )
        messages.success(request, _("De nieuwe prijs is vastgelegd; de oude blijft zichtbaar."))
    else:
        messages.error(request, _("Vul een geldige prijs en datum in."))
    courses_url = reverse("vouchers:courses")
    return redirect(f"{courses_url}?opleider={course.provider_id}#course-{course.pk}")


def provider_apply_view(request: HttpRequest) -> HttpResponse:
    """A provider asks to be registered; the fund administrator approves or refuses."""
    form = ProviderApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider = provider_apply(
                data=data, contact_name=data["contact_name"], contact_email=data["contact_email"]
            )
        except DomainError as error:
            field = {"provider.iban_invalid": "iban", "provider.kvk_invalid": "kvk_number"}.get(
                error.code
            )
            form.add_error(field, _message(error))
        else:
            return render(request, "vouchers/apply_done.html", {"provider": provider})
    return render(
        request, "vouchers/apply.html", {"form": form}, status=422 if form.errors else 200
    )
