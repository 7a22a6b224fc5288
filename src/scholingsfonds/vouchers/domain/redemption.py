"""Rules of redemption: voucher states, proof of completion, invoice room, PDF checks, reminders.

Plain Python: the services apply these inside their transactions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from scholingsfonds.core.domain.errors import DomainError

ISSUED = "issued"
STARTED = "started"
COMPLETED = "completed"
REDEEMED = "redeemed"
EXPIRED = "expired"
CANCELLED = "cancelled"
NO_SHOW = "no_show"

# Which state may follow which. Expiry and cancellation only before the start: once the
# provider confirmed the start, the voucher ends by completion or by a no-show report.
TRANSITIONS: dict[str, frozenset[str]] = {
    ISSUED: frozenset({STARTED, EXPIRED, CANCELLED, NO_SHOW}),
    STARTED: frozenset({COMPLETED, NO_SHOW}),
    COMPLETED: frozenset({REDEEMED}),
    REDEEMED: frozenset(),
    EXPIRED: frozenset(),
    CANCELLED: frozenset(),
    NO_SHOW: frozenset(),
}

# An invoice file: at most this many bytes (5 MB), a PDF by name, type and content.
INVOICE_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PDF_CONTENT_TYPES = frozenset({"application/pdf", "application/x-pdf"})


def check_transition(from_state: str, to_state: str) -> None:
    """Raise voucher.transition when the state table does not allow the move."""
    if to_state not in TRANSITIONS.get(from_state, frozenset()):
        raise DomainError(
            "voucher.transition",
            f"Dat kan niet bij een cheque met status '{from_state}'.",
            f"Not possible for a voucher in state '{from_state}'.",
        )


def completion_accepted(
    *,
    attendance_percent: int | None,
    certificate: bool,
    threshold_percent: int,
    evidence: Iterable[str],
) -> tuple[bool, str, str]:
    """Whether the report proves the training happened, as the policy says; with the reason."""
    evidence = tuple(evidence)
    if "certificate" in evidence and certificate:
        return True, "Certificaat of diploma behaald.", "Certificate or diploma obtained."
    if "attendance" in evidence and attendance_percent is not None:
        if attendance_percent >= threshold_percent:
            return (
                True,
                f"Aanwezigheid {attendance_percent} % (minstens {threshold_percent} %).",
                f"Attendance {attendance_percent} % (at least {threshold_percent} %).",
            )
    accepted = " of ".join(
        {
            "attendance": f"minstens {threshold_percent} % aanwezigheid",
            "certificate": "een certificaat",
        }[e]
        for e in evidence
    )
    return (
        False,
        f"Afronding vraagt {accepted}. Meld de deelnemer anders als afgehaakt.",
        "Completion needs the policy's attendance or a certificate; otherwise report a drop-out.",
    )


def invoice_room_cents(*, amount_cents: int, released_cents: int, invoiced_net_cents: int) -> int:
    """What can still be invoiced on a voucher: its amount minus released and invoiced money."""
    return max(0, amount_cents - released_cents - invoiced_net_cents)


def advance_cents(*, amount_cents: int, released_cents: int, percent: int) -> int:
    """The advance at the start: a share of what the voucher still holds, rounded down."""
    return (amount_cents - released_cents) * percent // 100


def check_invoice_amount(*, amount_cents: int, room_cents: int) -> None:
    if amount_cents <= 0:
        raise DomainError(
            "invoice.amount_invalid",
            "Het bedrag moet groter dan nul zijn.",
            "The amount must be more than zero.",
        )
    if amount_cents > room_cents:
        raise DomainError(
            "invoice.exceeds_voucher",
            "Dit bedrag is hoger dan wat er op de cheque over is. U kunt nog "
            f"{room_cents // 100},{room_cents % 100:02d} euro factureren.",
            f"This is more than is left on the voucher ({room_cents} cents).",
        )


def check_pdf(*, name: str, content_type: str, size: int, head: bytes) -> None:
    """An invoice must be a PDF by name, declared type and content, and not too large."""
    if size <= 0:
        raise DomainError("invoice.file_empty", "Het bestand is leeg.", "The file is empty.")
    if size > INVOICE_MAX_BYTES:
        raise DomainError(
            "invoice.file_too_large",
            "Het bestand is groter dan 5 MB. Stuur een kleinere PDF.",
            "The file is larger than 5 MB.",
        )
    if not name.lower().endswith(".pdf") or content_type not in PDF_CONTENT_TYPES:
        raise DomainError(
            "invoice.file_type",
            "Stuur de factuur als PDF-bestand (.pdf).",
            "Send the invoice as a PDF file (.pdf).",
        )
    # The name and the declared type are the sender's word; the first bytes are the file's.
    if not head.startswith(PDF_MAGIC):
        raise DomainError(
            "invoice.file_not_pdf",
            "Dit bestand is geen PDF, ook al heet het zo. Stuur de factuur als echte PDF.",
            "This file is not a PDF, whatever its name says.",
        )


def reminder_due(
    *, valid_until: date, today: date, days: Iterable[int], sent: Iterable[int]
) -> tuple[int, tuple[int, ...]] | None:
    """Which reminder to send today: the nearest threshold reached and not yet sent.

    Returns (threshold, thresholds to mark as done) or None. Thresholds further away that were
    missed (the task did not run) are marked done with it, so nobody gets two mails at once.
    """
    left = (valid_until - today).days
    if left < 0:
        return None
    reached = sorted(d for d in days if left <= d)
    if not reached:
        return None
    nearest = reached[0]
    done = set(sent)
    if nearest in done:
        return None
    return nearest, tuple(d for d in reached if d not in done)
