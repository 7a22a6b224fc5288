"""Finance screens of the providers issue: invoices, payment runs, the registry, the market."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.terms import next_working_day_on_or_after
from scholingsfonds.core.permissions import has_role, is_staff_of
from scholingsfonds.payments.forms import (
    BankAccountForm,
    BatchCreateForm,
    MarketActionForm,
    ReasonForm,
    RecoveryForm,
)
from scholingsfonds.payments.models import PaymentBatch
from scholingsfonds.payments.permissions import FINANCE_ROLES, can_reallocate
from scholingsfonds.payments.selectors import invoice_queue, market_signals
from scholingsfonds.payments.sepa import batch_csv
from scholingsfonds.payments.services import (
    market_action_record,
    payment_batch_approve,
    payment_batch_create,
    payment_batch_discard,
    payment_batch_mark_paid,
)
from scholingsfonds.providers.models import Course, Provider
from scholingsfonds.providers.permissions import can_manage_providers, can_view_providers
from scholingsfonds.providers.services import (
    course_reinstate,
    provider_approve,
    provider_bank_account_set,
    provider_suspend,
)
from scholingsfonds.vouchers.models import Invoice, Recovery, Voucher
from scholingsfonds.vouchers.services import invoice_approve, invoice_reject, recovery_settle


def _message(error: DomainError) -> str:
    return error.message_en if get_language() == "en" else error.message_nl


def _staff(request: HttpRequest) -> list:  # type: ignore[type-arg]
    if not has_role(request.user, *FINANCE_ROLES):
        raise PermissionDenied(_("Alleen voor financiën, management, auditors en beheerders."))
    return list(staff_funds(user=request.user).order_by("name"))


def _nav(request: HttpRequest) -> dict[str, object]:
    return {
        "finance_nav": {
            "staff": True,
            "admin": can_reallocate(request.user)[0],
            "current": request.resolver_match.url_name if request.resolver_match else "",
        }
    }


def _done(request: HttpRequest, action, success: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        action()
    except DomainError as error:
        messages.error(request, _message(error))
        return False
    messages.success(request, success)
    return True


# --- Invoices ---------------------------------------------------------------------------


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    funds = _staff(request)
    return render(
        request,
        "payments/invoices.html",
        {
            "queue": invoice_queue(funds=funds),
            "reject_form": ReasonForm(),
            "recovery_form": RecoveryForm(),
            "can_decide": has_role(request.user, "finance"),
            **_nav(request),
        },
    )


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    funds = _staff(request)
    return get_object_or_404(
        Invoice.objects.select_related("voucher__fund"), pk=pk, voucher__fund__in=funds
    )


@login_required
def invoice_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice PDF for the fund's finance staff (the provider has its own link)."""
    invoice = _invoice(request, pk)
    if not invoice.document:
        raise Http404
    return FileResponse(
        invoice.document.open("rb"),
        content_type="application/pdf",
        filename=f"{invoice.voucher.code}-{invoice.number}.pdf",
    )


@login_required
@require_POST
def invoice_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    _done(
        request,
        lambda: invoice_approve(invoice=invoice, actor=request.user),
        _("Factuur %(n)s is goedgekeurd voor betaling.") % {"n": invoice.number},
    )
    return redirect("payments:invoices")


@login_required
@require_POST
def invoice_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een reden voor de afwijzing."))
        return redirect("payments:invoices")
    _done(
        request,
        lambda: invoice_reject(
            invoice=invoice, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Factuur %(n)s is afgewezen.") % {"n": invoice.number},
    )
    return redirect("payments:invoices")


@login_required
@require_POST
def recovery_settle_view(request: HttpRequest, pk: int) -> HttpResponse:
    funds = _staff(request)
    recovery = get_object_or_404(Recovery, pk=pk, voucher__fund__in=funds)
    form = RecoveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Noteer het bewijs van ontvangst of de reden."))
        return redirect("payments:invoices")
    received = request.POST.get("outcome") == "received"
    _done(
        request,
        lambda: recovery_settle(
            recovery=recovery, actor=request.user, received=received, note=form.cleaned_data["note"]
        ),
        _("De terugvordering is afgehandeld."),
    )
    return redirect("payments:invoices")


# --- Payment runs -----------------------------------------------------------------------


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    funds = _staff(request)
    from scholingsfonds.applications.selectors import staff_funds as _funds

    form = BatchCreateForm(
        request.POST or None,
        funds=_funds(user=request.user),
        initial={
            "execution_date": next_working_day_on_or_after(timezone.localdate() + timedelta(days=1))
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = payment_batch_create(
                    fund=form.cleaned_data["fund"],
                    actor=request.user,
                    execution_date=form.cleaned_data["execution_date"],
                )
            except DomainError as error:
                form.add_error(None, _message(error))
            else:
                messages.success(
                    request, _("Betaalronde %(n)s is aangemaakt.") % {"n": batch.number}
                )
                return redirect("payments:batch", number=batch.number)
    return render(
        request,
        "payments/batches.html",
        {
            "batches": PaymentBatch.objects.filter(fund__in=funds).select_related(
                "fund", "created_by", "approved_by"
            )[:100],
            "form": form,
            "queue": invoice_queue(funds=funds),
            "can_decide": has_role(request.user, "finance"),
            **_nav(request),
        },
        status=422 if form.errors else 200,
    )


def _batch(request: HttpRequest, number: str) -> PaymentBatch:
    funds = _staff(request)
    return get_object_or_404(
        PaymentBatch.objects.select_related("fund", "created_by", "approved_by", "paid_by"),
        number=number,
        fund__in=funds,
    )


@login_required
def batch(request: HttpRequest, number: str) -> HttpResponse:
    item = _batch(request, number)
    return render(
        request,
        "payments/batch.html",
        {
            "batch": item,
            "lines": item.lines.select_related("invoice__voucher", "invoice__provider"),
            "can_decide": has_role(request.user, "finance")
            and is_staff_of(request.user, item.fund),
            "reason_form": ReasonForm(),
            **_nav(request),
        },
    )


@login_required
@require_POST
def batch_approve(request: HttpRequest, number: str) -> HttpResponse:
    item = _batch(request, number)
    _done(
        request,
        lambda: payment_batch_approve(batch=item, actor=request.user),
        _("Goedgekeurd. Het SEPA-bestand (pain.001) staat klaar voor de bank."),
    )
    return redirect("payments:batch", number=item.number)


@login_required
@require_POST
def batch_paid(request: HttpRequest, number: str) -> HttpResponse:
    item = _batch(request, number)
    _done(
        request,
        lambda: payment_batch_mark_paid(batch=item, actor=request.user),
        _("De betaalronde is betaald en geboekt in het grootboek."),
    )
    return redirect("payments:batch", number=item.number)


@login_required
@require_POST
def batch_discard(request: HttpRequest, number: str) -> HttpResponse:
    item = _batch(request, number)
    if _done(
        request,
        lambda: payment_batch_discard(
            batch=item, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("Het concept is vervallen; de facturen staan weer klaar."),
    ):
        return redirect("payments:batches")
    return redirect("payments:batch", number=item.number)


@login_required
def batch_xml(request: HttpRequest, number: str) -> HttpResponse:
    item = _batch(request, number)
    if not item.sepa_xml:
        raise Http404
    response = HttpResponse(item.sepa_xml.encode(), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{item.number}-pain.001.xml"'
    return response


@login_required
def batch_csv_view(request: HttpRequest, number: str) -> HttpResponse:
    item = _batch(request, number)
    # With a BOM, so a spreadsheet opens the Dutch characters correctly.
    response = HttpResponse("\ufeff" + batch_csv(item), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{item.number}.csv"'
    return response


# --- The provider registry --------------------------------------------------------------


@login_required
def providers(request: HttpRequest) -> HttpResponse:
    allowed, reason = can_view_providers(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    rows = Provider.objects.order_by("status", "name")
    return render(
        request,
        "payments/providers.html",
        {"providers": rows, **_nav(request)},
    )


@login_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allowed, reason = can_view_providers(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    provider = get_object_or_404(Provider, pk=pk)
    from scholingsfonds.core.models import AuditEvent
    from scholingsfonds.providers.selectors import catalogue

    return render(
        request,
        "payments/provider.html",
        {
            "provider": provider,
            "contacts": provider.contacts.all(),
            "rows": catalogue(provider=provider, today=timezone.localdate()),
            "vouchers": Voucher.objects.filter(provider=provider).count(),
            "can_manage": can_manage_providers(request.user)[0],
            "reason_form": ReasonForm(),
            "bank_form": BankAccountForm(),
            "history": AuditEvent.objects.filter(
                object_type="providers.provider", object_id=str(provider.pk)
            ).order_by("-id")[:20],
            **_nav(request),
        },
    )


@login_required
@require_POST
def provider_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een reden op."))
        return redirect("payments:provider", pk=pk)
    reason = form.cleaned_data["reason"]
    if action == "goedkeuren":
        _done(
            request,
            lambda: provider_approve(provider=provider, actor=request.user, reason=reason),
            _("De opleider is goedgekeurd."),
        )
    elif action == "schorsen":
        _done(
            request,
            lambda: provider_suspend(provider=provider, actor=request.user, reason=reason),
            _("De opleider is geschorst."),
        )
    else:
        raise Http404
    return redirect("payments:provider", pk=pk)


@login_required
@require_POST
def provider_bank(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=pk)
    form = BankAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul IBAN, tenaamstelling en de controle in."))
        return redirect("payments:provider", pk=pk)
    _done(
        request,
        lambda: provider_bank_account_set(
            provider=provider,
            actor=request.user,
            iban=form.cleaned_data["iban"],
            account_holder=form.cleaned_data["account_holder"],
            reason=form.cleaned_data["reason"],
        ),
        _("Het rekeningnummer is gewijzigd en vastgelegd in het logboek."),
    )
    return redirect("payments:provider", pk=pk)


@login_required
@require_POST
def course_reinstate_view(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        _done(
            request,
            lambda: course_reinstate(
                course=course, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            _("De schorsing van de opleiding is opgeheven."),
        )
    return redirect("payments:provider", pk=course.provider_id)


# --- Market signals ---------------------------------------------------------------------


@login_required
def market(request: HttpRequest) -> HttpResponse:
    funds = _staff(request)
    if not funds:
        raise PermissionDenied(_("U bent geen medewerker van een fonds."))
    chosen = next(
        (f for f in funds if f.slug == request.GET.get("fonds")),
        funds[0] if len(funds) == 1 else None,
    )
    if chosen is None:
        chosen = next((f for f in funds if f.slug == "twente"), funds[0])
    data = market_signals(fund=chosen, today=timezone.localdate())
    return render(
        request,
        "payments/market.html",
        {
            "data": data,
            "funds": funds,
            "chosen": chosen,
            "form": MarketActionForm(),
            "can_act": has_role(request.user, "manager", "administrator", "finance"),
            **_nav(request),
        },
    )


@login_required
@require_POST
def market_action(request: HttpRequest, slug: str, provider_id: int) -> HttpResponse:
    funds = _staff(request)
    fund = next((f for f in funds if f.slug == slug), None)
    if fund is None:
        raise Http404
    provider = get_object_or_404(Provider, pk=provider_id)
    form = MarketActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een actie en schrijf op wat u doet en waarom."))
        return redirect(f"{_market_url()}?fonds={fund.slug}#provider-{provider.pk}")
    course = None
    if form.cleaned_data.get("course"):
        course = Course.objects.filter(pk=form.cleaned_data["course"], provider=provider).first()
    _done(
        request,
        lambda: market_action_record(
            fund=fund,
            provider=provider,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            course=course,
            signal_code=form.cleaned_data.get("signal_code", ""),
        ),
        _("De actie is vastgelegd."),
    )
    return redirect(f"{_market_url()}?fonds={fund.slug}#log")


def _market_url() -> str:
    from django.urls import reverse

    return reverse("payments:market")
