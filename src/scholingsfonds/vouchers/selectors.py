"""Reads about vouchers in use: invoiced amounts, room left, payable amounts, and what the
provider portal and its API show (always starting from the provider's own vouchers)."""

from typing import Any

from django.db.models import Count, Sum

from scholingsfonds.providers.models import Course
from scholingsfonds.providers.selectors import providers_of
from scholingsfonds.vouchers.domain.redemption import invoice_room_cents
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.permissions import provider_vouchers

OPEN_INVOICE_STATES = (
    Invoice.Status.SUBMITTED,
    Invoice.Status.APPROVED,
    Invoice.Status.SCHEDULED,
)


def invoiced_net_cents(voucher: Voucher) -> int:
    """Invoices and advances that are not rejected, minus credit notes that are not rejected."""
    rows = (
        Invoice.objects.filter(voucher=voucher)
        .exclude(status=Invoice.Status.REJECTED)
        .values("kind")
        .annotate(total=Sum("amount_cents"))
    )
    net = 0
    for row in rows:
        sign = -1 if row["kind"] == Invoice.Kind.CREDIT_NOTE else 1
        net += sign * (row["total"] or 0)
    return net


def room_cents(voucher: Voucher) -> int:
    """What the provider can still invoice on this voucher."""
    return invoice_room_cents(
        amount_cents=voucher.amount_cents,
        released_cents=voucher.released_cents,
        invoiced_net_cents=invoiced_net_cents(voucher),
    )


def credited_cents(invoice: Invoice, *, approved_only: bool = False) -> int:
    notes = invoice.credit_notes.exclude(status=Invoice.Status.REJECTED)
    if approved_only:
        notes = notes.filter(status__in=(Invoice.Status.APPROVED, Invoice.Status.PAID))
    return notes.aggregate(total=Sum("amount_cents"))["total"] or 0


def payable_cents(invoice: Invoice) -> int:
    """What a payment of this invoice transfers: its amount less approved credit notes."""
    if invoice.is_credit:
        return 0
    return max(0, invoice.amount_cents - credited_cents(invoice, approved_only=True))


# --- the provider portal and its API ------------------------------------------------------

PORTAL_LIST_LENGTH = 200
API_LIST_LENGTH = 500


def provider_voucher(*, user: Any, code: str) -> Voucher | None:
    """One of this provider's vouchers by its code (typed, so case and spaces do not matter);
    another provider's code is not found, like a typo."""
    return (
        provider_vouchers(user)
        .select_related("application", "provider", "course", "fund")
        .filter(code=code.strip().upper())
        .first()
    )


def provider_vouchers_listed(
    *, user: Any, state: str = "", limit: int = PORTAL_LIST_LENGTH
) -> list[Voucher]:
    """The provider's vouchers, optionally in one state, the first to expire first."""
    vouchers = provider_vouchers(user).select_related("application", "course", "fund")
    if state:
        vouchers = vouchers.filter(state=state)
    return list(vouchers.order_by("valid_until", "code")[:limit])


def provider_voucher_counts(*, user: Any) -> dict[str, int]:
    """How many of the provider's vouchers are in each state (every state, zero included)."""
    counts = dict.fromkeys(Voucher.State.values, 0)
    for row in provider_vouchers(user).values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def voucher_invoices(voucher: Voucher) -> list[Invoice]:
    """The voucher's invoices, advances and credit notes in the order they came in."""
    return list(voucher.invoices.order_by("submitted_at", "id"))


def voucher_page(voucher: Voucher) -> dict[str, Any]:
    """What the provider's page of one voucher shows: its invoices with what each pays, the
    invoices a credit note can still go against, recoveries and the room left."""
    invoices = voucher_invoices(voucher)
    for invoice in invoices:
        invoice.payable = payable_cents(invoice)  # type: ignore[attr-defined]
    return {
        "invoices": invoices,
        "recoveries": list(voucher.recoveries.all()),
        "creditable": [
            i
            for i in invoices
            if i.kind == Invoice.Kind.INVOICE
            and i.status not in (Invoice.Status.REJECTED, Invoice.Status.SCHEDULED)
        ],
        "room_cents": room_cents(voucher),
    }


def provider_invoice(*, user: Any, pk: int) -> Invoice | None:
    """One of this provider's invoices, with its voucher; another provider's is not found."""
    return (
        Invoice.objects.select_related("voucher")
        .filter(pk=pk, voucher__in=provider_vouchers(user))
        .first()
    )


def invoice_with_fund(pk: int) -> Invoice | None:
    """An invoice with its voucher and fund, for the permission check on its document."""
    return Invoice.objects.select_related("voucher__fund").filter(pk=pk).first()


def provider_course(*, user: Any, pk: int) -> Course | None:
    """A course of a provider this person works for."""
    return Course.objects.filter(provider__in=providers_of(user=user), pk=pk).first()


def voucher_course(voucher: Voucher, course_id: int) -> Course | None:
    """A course from the catalogue of the voucher's provider."""
    return Course.objects.filter(pk=course_id, provider_id=voucher.provider_id).first()
