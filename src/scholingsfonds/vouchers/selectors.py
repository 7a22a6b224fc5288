"""Reads about vouchers in use: invoiced amounts, room left, payable amounts."""

from django.db.models import Sum

from scholingsfonds.vouchers.domain.redemption import invoice_room_cents
from scholingsfonds.vouchers.models import Invoice, Voucher

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
