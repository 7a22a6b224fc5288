"""Vouchers redeemed and paid, step by step on their own days: a timeline of the providers'
reports, invoices, finance's approvals and fortnightly payment runs, run in date order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from scholingsfonds.accounts.models import User
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.demo.dating import dated
from scholingsfonds.demo.domain.dates import office_day, payment_run_days
from scholingsfonds.demo.fakes import demo_pdf
from scholingsfonds.funds.models import Fund
from scholingsfonds.payments.models import PaymentBatch, PaymentLine
from scholingsfonds.payments.services import (
    payment_batch_approve,
    payment_batch_create,
    payment_batch_mark_paid,
)
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.services import (
    invoice_approve,
    invoice_submit,
    voucher_confirm_start,
    voucher_report_completion,
    vouchers_expire,
)


@dataclass
class Timeline:
    """Steps planned on their own days, run in date order.

    A payment run pays the invoices approved by its day, and a service that checks dates
    (a start before the voucher's end) sees the world of that day. Each step dates its own
    rows (dating.dated); steps on one day run in the order given.
    """

    steps: list[tuple[date, int, int, Callable[[], None]]] = field(default_factory=list)

    def add(self, day: date, order: int, step: Callable[[], None]) -> None:
        self.steps.append((day, order, len(self.steps), step))

    def run(self) -> None:
        for _day, _order, _n, step in sorted(self.steps, key=lambda s: s[:3]):
            step()
        self.steps.clear()


# Step order within one day: the provider's reports first, finance's work after.
START, COMPLETE, INVOICE, APPROVE, PAY, END = range(6)


def _run_on(batch: PaymentBatch, day: date) -> PaymentBatch:
    """Give a new payment run the day it was made on, before its SEPA file is written.

    The service makes a run for today or later (it refuses a past execution date); a run of
    the demo's past gets that day's execution date, and the number and end-to-end ids of
    that year's sequence, as the service would have given them then.
    """
    prefix = f"BR-{batch.fund.reference_prefix}-{day:%Y}-"
    if batch.number.startswith(prefix) and batch.execution_date == day:
        return batch
    count = PaymentBatch.objects.filter(number__startswith=prefix).exclude(pk=batch.pk).count()
    number = f"{prefix}{count + 1:04d}"
    for line in PaymentLine.objects.filter(batch=batch):
        PaymentLine.objects.filter(pk=line.pk).update(
            end_to_end_id=line.end_to_end_id.replace(batch.number, number, 1)[:35]
        )
    PaymentBatch.objects.filter(pk=batch.pk).update(number=number, execution_date=day)
    return PaymentBatch.objects.get(pk=batch.pk)


def payment_run(*, fund: Fund, day: date, maker: User, approver: User, today: date) -> bool:
    """One payment run on `day`: made by one finance officer in the morning, approved by a
    second (four eyes), executed and marked paid in the afternoon. False if nothing to pay."""
    with dated(day, hour=9):
        try:
            batch = payment_batch_create(fund=fund, actor=maker, execution_date=today)
        except DomainError as error:
            if error.code == "payment_batch.empty":
                return False
            raise
        batch = _run_on(batch, day)
    with dated(day, hour=11):
        batch = payment_batch_approve(batch=batch, actor=approver)
    with dated(day, hour=15):
        payment_batch_mark_paid(batch=batch, actor=maker)
    return True


def plan_payment_runs(
    timeline: Timeline,
    *,
    funds: list[Fund],
    users: dict[str, User],
    first: date,
    last: date,
    today: date,
) -> None:
    """Fortnightly payment runs per fund from `first` up to `last`, on the timeline."""
    for day in payment_run_days(first, last):
        for fund in funds:
            timeline.add(
                day,
                PAY,
                lambda fund=fund, day=day: _pay_if_due(fund, day, users, today),
            )


def _pay_if_due(fund: Fund, day: date, users: dict[str, User], today: date) -> None:
    due = Invoice.objects.filter(
        voucher__fund=fund, status=Invoice.Status.APPROVED, kind=Invoice.Kind.INVOICE
    )
    if due.exists():
        payment_run(
            fund=fund,
            day=day,
            maker=users["financien"],
            approver=users["financien2"],
            today=today,
        )


def plan_redemption(
    timeline: Timeline,
    *,
    voucher: Voucher,
    actor: User,
    started: date,
    completed: date | None,
    attendance_percent: int,
    certificate: bool,
    invoice_share_percent: int | None,
    invoice_number: str,
    approve: bool,
    finance: User,
    today: date,
) -> None:
    """One voucher's way through the provider's and finance's hands, step by step.

    `completed` None: still in training. `invoice_share_percent` None: not invoiced yet;
    below 100 the final invoice is lower than the voucher and the rest goes back when it is
    paid. `approve` False: the invoice waits in finance's queue.
    """

    def start() -> None:
        with dated(started, hour=9):
            voucher_confirm_start(voucher=voucher, actor=actor, started_on=started, today=started)

    timeline.add(started, START, start)
    if completed is None:
        return
    reported = office_day(completed + timedelta(days=1), today)

    def complete() -> None:
        with dated(reported, hour=10):
            voucher_report_completion(
                voucher=voucher,
                actor=actor,
                completed_on=completed,
                attendance_percent=attendance_percent,
                certificate=certificate,
            )

    timeline.add(reported, COMPLETE, complete)
    if invoice_share_percent is None:
        return
    invoiced = office_day(reported + timedelta(days=3), today)
    approved = office_day(invoiced + timedelta(days=4), today)
    held: dict[str, Invoice] = {}

    def invoice() -> None:
        with dated(invoiced, hour=11):
            held["invoice"] = invoice_submit(
                voucher=voucher,
                actor=actor,
                number=invoice_number,
                invoice_date=invoiced,
                amount_cents=voucher.amount_cents * invoice_share_percent // 100,
                upload=demo_pdf(f"{invoice_number.lower()}.pdf"),
            )

    timeline.add(invoiced, INVOICE, invoice)
    if not approve:
        return

    def approve_invoice() -> None:
        with dated(approved, hour=10):
            invoice_approve(invoice=held["invoice"], actor=finance)

    timeline.add(approved, APPROVE, approve_invoice)


def expire_due(today: date) -> int:
    """Expire every voucher past its validity on the day after its last valid day.

    The daily task (expire_vouchers) would have done so on that day; running it once for
    today would date every expiry, and its money's return, today.
    """
    ends = sorted(
        set(
            Voucher.objects.filter(state=Voucher.State.ISSUED, valid_until__lt=today).values_list(
                "valid_until", flat=True
            )
        )
    )
    expired = 0
    for last_valid in ends:
        day = last_valid + timedelta(days=1)
        with dated(day, hour=2):
            expired += vouchers_expire(today=day)
    return expired
