"""The provider's actions in the REST API: the same services as the portal, the same checks.

Mounted by the API app (`api.add_router("/provider", provider_router, auth=AUTH)`): the
authentication (token or session) comes from there, so `request.auth` is the user. Every read
starts from `provider_vouchers(user)`: another provider's code answers 404, like a typo.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from scholingsfonds.core.choices import api_enum
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.vocabulary import SECTORS, TRAINING_LEVELS
from scholingsfonds.providers.selectors import catalogue, providers_of
from scholingsfonds.providers.services import course_create, course_price_set
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.permissions import can_use_portal
from scholingsfonds.vouchers.selectors import (
    API_LIST_LENGTH,
    provider_course,
    provider_invoice,
    provider_voucher,
    provider_vouchers_listed,
    room_cents,
    voucher_course,
    voucher_invoices,
)
from scholingsfonds.vouchers.services.invoices import credit_note_submit, invoice_submit
from scholingsfonds.vouchers.services.progress import (
    voucher_confirm_start,
    voucher_report_completion,
    voucher_report_no_show,
)

provider_router = Router(tags=["provider"])

TrainingLevelValue = api_enum(TRAINING_LEVELS)
SectorValue = api_enum(SECTORS)


class ProviderErrorOut(Schema):
    code: str
    message_nl: str
    message_en: str


NOT_FOUND = {
    "code": "voucher.not_found",
    "message_nl": "Deze cheque bestaat niet of is niet voor uw opleiding.",
    "message_en": "This voucher does not exist or is not for your courses.",
}
FORBIDDEN = {
    "code": "provider.portal_only",
    "message_nl": "Alleen voor medewerkers van een geregistreerde opleider.",
    "message_en": "Only for staff of a registered provider.",
}


class InvoiceOut(Schema):
    id: int
    kind: str = Field(examples=["invoice"])
    number: str = Field(examples=["2026-0142"])
    invoice_date: date
    amount_cents: int = Field(examples=[125000])
    status: str = Field(examples=["submitted"])
    is_final: bool
    rejection_reason: str = ""


class VoucherOut(Schema):
    code: str = Field(examples=["TFV-ABCD-EFGH"])
    participant_name: str = Field(examples=["Fatima El Amrani"])
    fund: str = Field(examples=["twente"])
    training: str = Field(examples=["Verzorgende IG (bbl)"])
    course_id: int | None = None
    amount_cents: int = Field(examples=[160000])
    valid_until: date
    state: str = Field(examples=["issued"])
    started_on: date | None = None
    completed_on: date | None = None
    room_cents: int = Field(description="Nog te factureren / still to invoice", examples=[160000])


class VoucherDetailOut(VoucherOut):
    invoices: list[InvoiceOut]


class StartIn(Schema):
    started_on: date = Field(examples=["2026-12-01"])
    course_id: int | None = Field(default=None, description="Uit de eigen catalogus")


class CompletionIn(Schema):
    completed_on: date = Field(examples=["2027-03-31"])
    attendance_percent: int | None = Field(default=None, ge=0, le=100, examples=[92])
    certificate: bool = False


class NoShowIn(Schema):
    reason: str = Field(min_length=1, max_length=500, examples=["Niet verschenen bij de start."])
    attendance_percent: int | None = Field(default=None, ge=0, le=100)


class CourseOut(Schema):
    id: int
    title: str = Field(examples=["Monteur warmtepompen"])
    level: str = Field(examples=["mbo3"])
    hours: int = Field(examples=[120])
    sector: str = Field(examples=["technical"])
    status: str = Field(examples=["active"])
    price_cents: int | None = Field(examples=[320000])
    occupations: list[str] = Field(description="ISCO-08", examples=[["7127"]])


class CourseIn(Schema):
    title: str = Field(min_length=1, max_length=200, examples=["Monteur warmtepompen"])
    # The codes the portal's course form offers (core/domain/vocabulary.py).
    level: TrainingLevelValue = Field(examples=["mbo3"])  # type: ignore[valid-type]
    hours: int = Field(ge=1, le=5000, examples=[120])
    sector: SectorValue = Field(examples=["technical"])  # type: ignore[valid-type]
    price_cents: int = Field(ge=1, examples=[320000])
    provider_id: int | None = None


class PriceIn(Schema):
    price_cents: int = Field(ge=1, examples=[340000])
    valid_from: date = Field(examples=["2027-01-01"])


ERRORS: dict[int | str, Any] = {403: ProviderErrorOut, 404: ProviderErrorOut, 409: ProviderErrorOut}


# --- OpenAPI examples: every operation documents each answer with an example ------------

VOUCHER_EXAMPLE: dict[str, Any] = {
    "code": "TFV-ABCD-EFGH",
    "participant_name": "Fatima El Amrani",
    "fund": "twente",
    "training": "Verzorgende IG (bbl)",
    "course_id": 12,
    "amount_cents": 160000,
    "valid_until": "2027-11-22",
    "state": "completed",
    "started_on": "2026-12-01",
    "completed_on": "2027-06-30",
    "room_cents": 0,
}
INVOICE_EXAMPLE: dict[str, Any] = {
    "id": 7,
    "kind": "invoice",
    "number": "2027-0142",
    "invoice_date": "2027-07-01",
    "amount_cents": 160000,
    "status": "submitted",
    "is_final": True,
    "rejection_reason": "",
}
COURSE_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "title": "Verzorgende IG (bbl)",
    "level": "mbo3",
    "hours": 900,
    "sector": "care & welfare",
    "status": "active",
    "price_cents": 340000,
    "occupations": ["5321"],
}
CONFLICT_EXAMPLE = {
    "code": "invoice.exceeds_voucher",
    "message_nl": "Dit bedrag is hoger dan wat er op de cheque over is.",
    "message_en": "This is more than is left on the voucher.",
}


def _doc(ok: Any, ok_status: int = 200, request: dict[str, Any] | None = None) -> dict[str, Any]:
    """openapi_extra: an example per answer (and for a JSON request body)."""

    def named(summary: str, value: Any) -> dict[str, Any]:
        return {
            "content": {
                "application/json": {"examples": {summary: {"summary": summary, "value": value}}}
            }
        }

    extra: dict[str, Any] = {
        "responses": {
            ok_status: named("ok", ok),
            403: named("portal_only", FORBIDDEN),
            404: named("not_found", NOT_FOUND),
            409: named("conflict", CONFLICT_EXAMPLE),
        }
    }
    if request is not None:
        extra["requestBody"] = {
            "content": {
                "application/json": {
                    "examples": {"voorbeeld": {"summary": "voorbeeld", "value": request}}
                }
            }
        }
    return extra


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "auth", None)
    if not getattr(user, "is_authenticated", False):
        user = request.user
    return user


def _error(error: DomainError) -> dict[str, str]:
    return {"code": error.code, "message_nl": error.message_nl, "message_en": error.message_en}


def _invoice_out(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.pk,
        "kind": invoice.kind,
        "number": invoice.number,
        "invoice_date": invoice.invoice_date,
        "amount_cents": invoice.amount_cents,
        "status": invoice.status,
        "is_final": invoice.is_final,
        "rejection_reason": invoice.rejection_reason,
    }


def _voucher_out(voucher: Voucher, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": voucher.code,
        "participant_name": voucher.participant_name,
        "fund": voucher.fund.slug,
        "training": voucher.course.title if voucher.course else voucher.application.training_title,
        "course_id": voucher.course_id,
        "amount_cents": voucher.amount_cents,
        "valid_until": voucher.valid_until,
        "state": voucher.state,
        "started_on": voucher.started_on,
        "completed_on": voucher.completed_on,
        "room_cents": room_cents(voucher),
    }
    if detail:
        out["invoices"] = [_invoice_out(i) for i in voucher_invoices(voucher)]
    return out


def _find(request: HttpRequest, code: str) -> Voucher | None:
    return provider_voucher(user=_user(request), code=code)


def _portal(request: HttpRequest) -> bool:
    return can_use_portal(_user(request))[0]


@provider_router.get(
    "/vouchers",
    response={200: list[VoucherOut], **ERRORS},
    summary="Cheques voor mijn opleidingen / vouchers for my courses",
    description="Code, naam van de deelnemer, bedrag, geldigheid en status; geen BSN.",
    operation_id="provider_vouchers_list",
    openapi_extra=_doc([VOUCHER_EXAMPLE], 200),
)
def vouchers_list(request: HttpRequest, state: str | None = None) -> Any:
    if not _portal(request):
        return Status(403, FORBIDDEN)
    vouchers = provider_vouchers_listed(
        user=_user(request), state=state or "", limit=API_LIST_LENGTH
    )
    return Status(200, [_voucher_out(v) for v in vouchers])


@provider_router.get(
    "/vouchers/{code}",
    response={200: VoucherDetailOut, **ERRORS},
    summary="Eén cheque met facturen / one voucher with its invoices",
    operation_id="provider_voucher_get",
    openapi_extra=_doc({**VOUCHER_EXAMPLE, "invoices": [INVOICE_EXAMPLE]}, 200),
    description=(
        "Eén cheque van uw opleiding met zijn facturen; een code van een andere opleider geeft 404."
    ),
)
def voucher_get(request: HttpRequest, code: str) -> Any:
    voucher = _find(request, code)
    if voucher is None:
        return Status(404, NOT_FOUND)
    return Status(200, _voucher_out(voucher, detail=True))


def _run(request: HttpRequest, code: str, action: Any) -> Any:
    voucher = _find(request, code)
    if voucher is None:
        return Status(404, NOT_FOUND)
    try:
        action(voucher, _user(request))
    except DomainError as error:
        if error.code == "voucher.not_found":
            return Status(404, NOT_FOUND)
        return Status(409, _error(error))
    voucher.refresh_from_db()
    return Status(200, _voucher_out(voucher, detail=True))


@provider_router.post(
    "/vouchers/{code}/start",
    response={200: VoucherDetailOut, **ERRORS},
    summary="Start bevestigen / confirm the start",
    description="Met een voorschotregeling wordt het voorschot nu opeisbaar.",
    operation_id="provider_voucher_start",
    openapi_extra=_doc(
        {**VOUCHER_EXAMPLE, "invoices": [INVOICE_EXAMPLE]},
        200,
        request={"started_on": "2026-12-01", "course_id": 12},
    ),
)
def voucher_start(request: HttpRequest, code: str, payload: StartIn) -> Any:
    def action(voucher: Voucher, user: Any) -> None:
        course = None
        if payload.course_id is not None:
            course = voucher_course(voucher, payload.course_id)
            if course is None:
                raise DomainError("course.not_found", "Deze opleiding is niet van u.")
        voucher_confirm_start(
            voucher=voucher, actor=user, started_on=payload.started_on, course=course
        )

    return _run(request, code, action)


@provider_router.post(
    "/vouchers/{code}/completion",
    response={200: VoucherDetailOut, **ERRORS},
    summary="Afronding melden / report completion",
    description="Minstens de aanwezigheid uit het beleid (80 %) of een certificaat.",
    operation_id="provider_voucher_completion",
    openapi_extra=_doc(
        {**VOUCHER_EXAMPLE, "invoices": [INVOICE_EXAMPLE]},
        200,
        request={"completed_on": "2027-06-30", "attendance_percent": 92, "certificate": False},
    ),
)
def voucher_completion(request: HttpRequest, code: str, payload: CompletionIn) -> Any:
    return _run(
        request,
        code,
        lambda voucher, user: voucher_report_completion(
            voucher=voucher,
            actor=user,
            completed_on=payload.completed_on,
            attendance_percent=payload.attendance_percent,
            certificate=payload.certificate,
        ),
    )


@provider_router.post(
    "/vouchers/{code}/no-show",
    response={200: VoucherDetailOut, **ERRORS},
    summary="Niet verschenen of afgehaakt / no-show or drop-out",
    operation_id="provider_voucher_no_show",
    openapi_extra=_doc(
        {**VOUCHER_EXAMPLE, "invoices": [INVOICE_EXAMPLE]},
        200,
        request={"reason": "Niet verschenen bij de start."},
    ),
    description=(
        "Niet verschenen of afgehaakt: er wordt niets meer betaald; een betaald voorschot "
        "wordt teruggevorderd."
    ),
)
def voucher_no_show(request: HttpRequest, code: str, payload: NoShowIn) -> Any:
    return _run(
        request,
        code,
        lambda voucher, user: voucher_report_no_show(
            voucher=voucher,
            actor=user,
            reason=payload.reason,
            attendance_percent=payload.attendance_percent,
        ),
    )


@provider_router.post(
    "/vouchers/{code}/invoices",
    response={200: VoucherDetailOut, **ERRORS},
    summary="Factureren met PDF / invoice with a PDF",
    description=(
        "multipart/form-data: `number`, `invoice_date`, `amount_cents`, `is_final`, `file` "
        "(PDF, hoogstens 5 MB; inhoud begint met %PDF-). Nooit meer dan wat er over is."
    ),
    operation_id="provider_invoice_create",
    openapi_extra=_doc({**VOUCHER_EXAMPLE, "invoices": [INVOICE_EXAMPLE]}, 200),
)
def invoice_create(
    request: HttpRequest,
    code: str,
    number: Form[str],
    invoice_date: Form[date],
    amount_cents: Form[int],
    file: File[UploadedFile],
    is_final: Form[bool] = True,
) -> Any:
    return _run(
        request,
        code,
        lambda voucher, user: invoice_submit(
            voucher=voucher,
            actor=user,
            number=number,
            invoice_date=invoice_date,
            amount_cents=amount_cents,
            upload=file,
            is_final=is_final,
        ),
    )


@provider_router.post(
    "/invoices/{invoice_id}/credit-notes",
    response={200: VoucherDetailOut, **ERRORS},
    summary="Creditnota / credit note",
    operation_id="provider_credit_note_create",
    openapi_extra=_doc({**VOUCHER_EXAMPLE, "invoices": [INVOICE_EXAMPLE]}, 200),
    description=(
        "Multipart: `number`, `invoice_date`, `amount_cents`, `file` (PDF), `reason`. "
        "Nooit meer dan wat er van de factuur over is."
    ),
)
def credit_note_create(
    request: HttpRequest,
    invoice_id: int,
    number: Form[str],
    invoice_date: Form[date],
    amount_cents: Form[int],
    file: File[UploadedFile],
    reason: Form[str] = "",
) -> Any:
    invoice = provider_invoice(user=_user(request), pk=invoice_id)
    if invoice is None:
        return Status(404, NOT_FOUND)
    return _run(
        request,
        invoice.voucher.code,
        lambda voucher, user: credit_note_submit(
            invoice=invoice,
            actor=user,
            number=number,
            invoice_date=invoice_date,
            amount_cents=amount_cents,
            upload=file,
            reason=reason,
        ),
    )


def _course_out(row: dict[str, Any]) -> dict[str, Any]:
    course = row["course"]
    return {
        "id": course.pk,
        "title": course.title,
        "level": course.level,
        "hours": course.hours,
        "sector": course.sector,
        "status": course.status,
        "price_cents": row["price_cents"],
        "occupations": [o.isco08 for o in row["occupations"]],
    }


@provider_router.get(
    "/courses",
    response={200: list[CourseOut], **ERRORS},
    summary="Mijn catalogus / my catalogue",
    operation_id="provider_courses_list",
    openapi_extra=_doc([COURSE_EXAMPLE], 200),
    description="Alle opleidingen van uw catalogus met de prijs van vandaag.",
)
def courses_list(request: HttpRequest) -> Any:
    if not _portal(request):
        return Status(403, FORBIDDEN)
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    for provider in providers_of(user=_user(request)):
        rows += [_course_out(r) for r in catalogue(provider=provider, today=today)]
    return Status(200, rows)


@provider_router.post(
    "/courses",
    response={201: CourseOut, **ERRORS},
    summary="Opleiding toevoegen / add a course",
    operation_id="provider_course_create",
    openapi_extra=_doc(
        COURSE_EXAMPLE,
        201,
        request={
            "title": "Verzorgende IG (bbl)",
            "level": "mbo3",
            "hours": 900,
            "sector": "care & welfare",
            "price_cents": 340000,
        },
    ),
    description="Een nieuwe opleiding met haar eerste prijs.",
)
def course_add(request: HttpRequest, payload: CourseIn) -> Any:
    if not _portal(request):
        return Status(403, FORBIDDEN)
    providers = providers_of(user=_user(request))
    provider = (
        providers.filter(pk=payload.provider_id).first()
        if payload.provider_id
        else providers.first()
    )
    if provider is None:
        return Status(404, NOT_FOUND)
    try:
        course = course_create(
            provider=provider,
            actor=_user(request),
            title=payload.title,
            level=payload.level,
            hours=payload.hours,
            sector=payload.sector,
            price_cents=payload.price_cents,
        )
    except DomainError as error:
        return Status(409, _error(error))
    row = next(
        r for r in catalogue(provider=provider, today=timezone.localdate()) if r["course"] == course
    )
    return Status(201, _course_out(row))


@provider_router.post(
    "/courses/{course_id}/prices",
    response={200: CourseOut, **ERRORS},
    summary="Nieuwe prijs vanaf een datum / new price from a date",
    operation_id="provider_course_price",
    openapi_extra=_doc(
        COURSE_EXAMPLE, 200, request={"price_cents": 350000, "valid_from": "2027-01-01"}
    ),
    description="Een nieuwe prijs vanaf een datum; de oude prijzen blijven bewaard.",
)
def course_price(request: HttpRequest, course_id: int, payload: PriceIn) -> Any:
    course = provider_course(user=_user(request), pk=course_id)
    if course is None:
        return Status(404, NOT_FOUND)
    try:
        course_price_set(
            course=course,
            actor=_user(request),
            price_cents=payload.price_cents,
            valid_from=payload.valid_from,
        )
    except DomainError as error:
        return Status(409, _error(error))
    row = next(
        r
        for r in catalogue(provider=course.provider, today=timezone.localdate())
        if r["course"] == course
    )
    return Status(200, _course_out(row))
